#!/bin/sh
# test_lint.sh — `make lint` as a suite of `make test`: cppcheck clean over
# src/ etl/ schema/ reports/ (see lint.sh and cppcheck.supp).
. "$(dirname "$0")/../lib.sh"

t_begin "cppcheck: no finding in src etl schema reports"
if ! command -v cppcheck >/dev/null 2>&1; then
    skip "cppcheck is not installed"
else
    run env B="$B" sh "$HERE/lint.sh"
    assert_eq "$RC" 0 "lint.sh exits 0"
    [ "$RC" = 0 ] || printf '%s\n' "$OUT" | head -n 40
    assert_contains "$OUT" "cppcheck clean"
fi
