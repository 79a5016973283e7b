#!/bin/sh
# test_disclosure.sh — disclosure control on what is sent out: an attacker
# holding the published cells writes every row, column and cross-table
# total as a linear equation (exact fractions, check.py attack-*) and tries
# to recompute each withheld cell, and each group of withheld cells adding
# up to their number (each then 1, since zeros are shown).  It must fail
# for every withheld cell of the Eurostat, GRETA and TIP answers at
# several thresholds — and succeed once only the small counts are withheld
# (the attack can succeed, so its failing means something).
. "$(dirname "$0")/../lib.sh"
. "$HERE/fixtures.sh"

t_begin "the fixture extracts load"
load_fixtures

for thr in 3 5; do
    t_begin "Eurostat (SDMX-CSV), threshold $thr: no withheld cell can be recomputed"
    assert_exit 0 ciatteh export eurostat --year 2021 --format sdmx-csv --suppress $thr -o "$T/e$thr.csv"
    check attack-sdmx "$T/e$thr.csv"
    assert_match "$OUT" "^withheld cells: [1-9][0-9]* .*recomputable: 0$"

    t_begin "Eurostat, threshold $thr: with only the small counts withheld, the attack succeeds"
    assert_exit 0 "$PY" "$HERE/check.py" attack-sdmx "$T/e$thr.csv" --reveal-secondary $thr
    assert_match "$OUT" "recomputable: [1-9]"

    t_begin "GRETA (all six tables), threshold $thr: no withheld cell can be recomputed"
    assert_exit 0 ciatteh export greta --year 2021 --suppress $thr -o "$T/g$thr.xlsx"
    set_id=$(ciatteh answers greta --format csv | tail -n 1 | cut -d, -f1)
    assert_exit 0 ciatteh answers --show "$set_id" --format csv
    printf '%s\n' "$OUT" >"$T/g$thr.csv"
    check attack-answers "$T/g$thr.csv"
    assert_match "$OUT" "^withheld cells: [1-9][0-9]* .*recomputable: 0$"

    t_begin "GRETA, threshold $thr: with only the small counts withheld, the attack succeeds"
    assert_exit 0 "$PY" "$HERE/check.py" attack-answers "$T/g$thr.csv" --reveal-secondary $thr
    assert_match "$OUT" "recomputable: [1-9]"
done

t_begin "the same total in two tables: withheld in both or in neither"
# victims by age and by form share the totals by sex; check.py's attack
# reports "published two ways" otherwise; here directly in the SDMX-CSV
# (a figure is one observation) and in the XLSX.
assert_exit 0 ciatteh export eurostat --year 2021 -o "$T/e.xlsx"
assert_exit 0 "$PY" -c '
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
def total_row(ws):
    head = [c.value for c in ws[3]]
    for r in ws.iter_rows(min_row=4, values_only=True):
        if r[0] == "Total":
            return [v for h, v in zip(head[1:], r[1:]) if h != "flags"]
a, f, c = (total_row(wb[n]) for n in ("victims_age", "victims_form", "victims_citizenship"))
print("same" if a == f == c else "differ", a, f, c)
' "$T/e.xlsx"
assert_contains "$OUT" "same"

t_begin "zeros are shown, small counts are not"
assert_exit 0 "$PY" "$HERE/check.py" sdmx "$T/e3.csv" 2021 3
assert_contains "$OUT" ", 0 problems"
assert_match "$(cat "$T/e3.csv")" ',2021,0,,F,'
assert_match "$(cat "$T/e3.csv")" ',2021,,P?,A,'
assert_match "$(cat "$T/e3.csv")" ',2021,,P?,D,'

t_begin "TIP: withheld figures cannot be recomputed either"
assert_exit 0 ciatteh export tip --year 2021 --suppress 60 --format csv -o "$T/tip.csv"
set_id=$(ciatteh answers tip --format csv | tail -n 1 | cut -d, -f1)
assert_exit 0 ciatteh answers --show "$set_id" --format csv
printf '%s\n' "$OUT" >"$T/tip-answers.csv"
assert_contains "$OUT" "figures.suspended.v,conviction.prison_suspended,2020,offence=THB,,,c"
check attack-answers "$T/tip-answers.csv"
