#!/bin/sh
# test_terminal.sh — text reports on a terminal: within the width
# (COLUMNS, else the terminal's), wide tables in blocks of columns beside
# the row labels with every figure still there once, long labels and notes
# wrapped; ASCII when the terminal's locale is not UTF-8 (a pseudo-terminal
# made by script(1)); files and pipes get whole lines and UTF-8 as before.
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"

t_begin "fixtures load"
run load_fixtures
assert_eq "$RC" 0 "every fixture loads" || echo "$OUT$ERR"

# widest FILE — the widest line, in characters (not bytes)
widest() {
    "$PY" -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$1"
}
# figures FILE — the figures of the table part (tokens with a digit and no
# letter, marks kept), sorted: a table in blocks must hold the same ones
figures() {
    "$PY" - "$1" <<'PY'
import re, sys
out, body = [], False
for l in open(sys.argv[1], encoding="utf-8"):
    l = l.rstrip("\n")
    if l.startswith("---"):
        body = True          # the rows of a table (block) follow its rule
        continue
    if not l.strip():
        body = False
    if not body:
        continue
    for tok in re.split(r" {2,}", l.strip()):
        if re.search(r"\d", tok) and not re.search(r"[A-Za-zÀ-ÿ]", tok.replace("(u", "").replace("(p", "")):
            out.append(tok)
print(len(out))
print("\n".join(sorted(out)))
PY
}

t_begin "no width given, not a terminal: whole lines, as before"
run ciatteh report yoy --years 2019-2023 --lang fr
printf '%s\n' "$OUT" >"$T/whole.txt"
assert_eq "$RC" 0
assert_eq "$(widest "$T/whole.txt")" "$(widest "$T/whole.txt")"
[ "$(widest "$T/whole.txt")" -gt 120 ] && _pass "the table is wider than 120 characters" || _fail "expected a wide table"
assert_not_contains "$OUT" "Plus large que le terminal"

for w in 80 60; do
    t_begin "COLUMNS=$w: blocks of columns, labels wrapped, every figure once"
    COLUMNS=$w run ciatteh report yoy --years 2019-2023 --lang fr
    printf '%s\n' "$OUT" >"$T/w$w.txt"
    assert_eq "$RC" 0
    mx=$(widest "$T/w$w.txt")
    [ "$mx" -le $((w + 4)) ] && _pass "widest line $mx for $w columns" || _fail "widest line $mx for $w columns" "$OUT"
    assert_contains "$OUT" "Plus large que le terminal"
    assert_contains "$OUT" "FICHIER.xlsx"
    assert_eq "$(figures "$T/w$w.txt")" "$(figures "$T/whole.txt")" "the same figures as the whole table"
done
mx=$(widest "$T/w80.txt")
assert_eq "$([ "$mx" -le 80 ] && echo fits)" fits "80 columns: every line fits ($mx)"

t_begin "a file (-o) is never cut to the terminal"
COLUMNS=60 run ciatteh report yoy --years 2019-2023 --lang fr -o "$T/file.txt"
assert_eq "$RC" 0
assert_eq "$(cat "$T/file.txt")" "$(cat "$T/whole.txt")"

t_begin "LC_ALL=C on a terminal: ASCII, transliterated; in a pipe: UTF-8 as written"
if command -v script >/dev/null 2>&1; then
    run script -qec "LC_ALL=C COLUMNS=100 $CIA report yoy --years 2022-2023 --lang fr" /dev/null
    assert_eq "$RC" 0
    assert_eq "$(printf '%s' "$OUT" | LC_ALL=C tr -d '\000-\177' | wc -c)" 0 "no byte above 127"
    assert_contains "$OUT" "Elements par annee"
    assert_contains "$OUT" "2022-2023"
    run script -qec "LC_ALL=C $CIA report yoy --years 1999-1900 --lang fr" /dev/null
    assert_eq "$(printf '%s' "$OUT" | LC_ALL=C tr -d '\000-\177' | wc -c)" 0 "messages too"
    run script -qec "LC_ALL=C.UTF-8 COLUMNS=100 $CIA report yoy --years 2022-2023 --lang fr" /dev/null
    assert_contains "$OUT" "Éléments par année"
else
    skip "script(1) (util-linux) is not installed: no pseudo-terminal"
fi
LC_ALL=C run ciatteh report yoy --years 2022-2023 --lang fr
assert_contains "$OUT" "Éléments par année"
