#!/bin/sh
# tests/hygiene/lint.sh — `make lint`: cppcheck over the C sources of
# src/ etl/ schema/ reports/ (warnings, portability, performance), no
# finding allowed but those listed, with a reason, in cppcheck.supp.
# Exit 0 when clean, 1 with the findings, 69 when cppcheck is missing.
set -u
cd "$(dirname "$0")/../.." || exit 70
if ! command -v cppcheck >/dev/null 2>&1; then
    echo "lint: cppcheck is not installed (make bootstrap)" >&2
    exit 69
fi
B=${B:-build}
GEN=$B/gen
[ -f "$GEN/embedded.h" ] || GEN=include
# The generated embedded.h only declares a table: an empty one will do.
out=$(cppcheck -q --std=c11 --enable=warning,portability,performance --inline-suppr \
      --suppressions-list=tests/hygiene/cppcheck.supp --error-exitcode=1 \
      -j "$(nproc 2>/dev/null || echo 2)" \
      -Iinclude -I"$GEN" -D_GNU_SOURCE -DCIATTEH_VERSION='"lint"' \
      --template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
      src etl schema reports 2>&1)
rc=$?
if [ $rc -ne 0 ] || [ -n "$out" ]; then
    printf '%s\n' "$out"
    echo "lint: cppcheck found $(printf '%s\n' "$out" | grep -c ': \(warning\|error\|portability\|performance\):') problem(s)"
    exit 1
fi
echo "lint: cppcheck clean over src etl schema reports ($(find src etl schema reports -name '*.c' | wc -l) files)"
