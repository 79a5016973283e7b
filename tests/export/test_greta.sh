#!/bin/sh
# test_greta.sh — the GRETA statistics tables from the fixture extracts: an
# XLSX laid out as the questionnaire's tables (sheets, headings, row labels
# as check.py writes them out), every cell as `ciatteh query` gives it, the
# years of the criminal-justice table relative to the reference year, one
# row per nationality present.
. "$(dirname "$0")/../lib.sh"
. "$HERE/fixtures.sh"

t_begin "the fixture extracts load"
load_fixtures

t_begin "XLSX: every sheet, heading, row and cell"
assert_exit 0 ciatteh export greta --year 2021 -o "$T/greta.xlsx"
check xlsx greta "$T/greta.xlsx" 2021 3
assert_exit 0 "$PY" -c '
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
print(wb.sheetnames)
for n in wb.sheetnames[:-1]:
    print(n, "|", wb[n]["A1"].value)
print([c.value for c in wb["justice"][3]])
' "$T/greta.xlsx"
assert_contains "$OUT" "['victims_sex_age', 'victims_form', 'children_form', 'victims_nationality', 'documents', 'justice', 'prison_terms', 'not_collected', 'Definitions']"
assert_contains "$OUT" "victims_sex_age | 1. Identified and presumed victims by sex and age"
assert_contains "$OUT" "prison_terms | 7. Prison terms by length and suspension, 2021"
assert_contains "$OUT" "not_collected | 8. Questions these sources do not answer"
assert_match "$OUT" "^\[None, '2018', ('flags', )?'2019', ('flags', )?'2020', ('flags', )?'2021'"

t_begin "known counts straight from the extracts: presumed victims, children, documents by age and sex"
S="$FIX/shelter_pagasa_2021.csv $FIX/shelter_payoke_2021.csv $FIX/shelter_surya_2021.csv"
npre=$(cat $S | awk -F';' '$9 == "no" && substr($3, 1, 4) == "2021"' | wc -l | tr -d ' ')
nchild=$(cat $S | awk -F';' '$9 == "yes" && substr($10, 1, 4) == "2021" && $6 != "" && $6 < 18' | wc -l | tr -d ' ')
assert_exit 0 ciatteh export greta --year 2021 --suppress 0 --format csv -o "$T/g0.csv"
ndoc=$(awk -F, '$4 == "THB" && substr($2, 1, 4) == "2021"' "$FIX/immigration_2021.csv" | wc -l | tr -d ' ')
nchdoc=$(awk -F, '$4 == "THB" && substr($2, 1, 4) == "2021" && $7 == "yes"' "$FIX/immigration_2021.csv" | wc -l | tr -d ' ')
# (the script goes to a file: assert_exit runs its command with stdin from /dev/null)
cat >"$T/known.py" <<'PYEOF'
import csv, sys
# the CSV: one block per table, blank lines between, the headings first
blocks = [[]]
for r in csv.reader(open(sys.argv[1])):
    if not r or not any(r):
        blocks.append([])
    else:
        blocks[-1].append(r)
def cell(block, row_label, head):
    b = blocks[block]
    return next(r for r in b if r[0] == row_label)[b[0].index(head)]
print("presumed", cell(0, "Total", "Presumed: all ages"), "want", sys.argv[2])
print("children", cell(0, "Total", "Identified: children"), "want", sys.argv[3])
print("documents", cell(4, "Total", "All ages: total"), "want", sys.argv[4])
print("child documents", cell(4, "Total", "Children: total"), "want", sys.argv[5])
PYEOF
assert_exit 0 "$PY" "$T/known.py" "$T/g0.csv" "$npre" "$nchild" "$ndoc" "$nchdoc"
assert_match "$OUT" "^presumed ([0-9]+) want \1$"
assert_match "$OUT" "^children ([0-9]+) want \1$"
assert_match "$OUT" "^documents ([0-9]+) want \1$"
assert_match "$OUT" "^child documents ([0-9]+) want \1$"

t_begin "the check fails when a figure is wrong (it can fail)"
"$PY" - "$T/greta.xlsx" "$T/bad.xlsx" <<'PYEOF'
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["justice"]
for row in ws.iter_rows(min_row=4):
    if row[0].value == "Cases entering prosecution (investigations)":
        cell = [c for c in row if isinstance(c.value, int)][-1]
        cell.value += 1
wb.save(sys.argv[2])
PYEOF
assert_exit 1 "$PY" "$HERE/check.py" xlsx greta "$T/bad.xlsx" 2021 3
assert_contains "$OUT" "justice [Cases entering prosecution (investigations) | 2021]: published 384, ciatteh query says 383"

t_begin "another year and another language"
assert_exit 0 ciatteh export greta --year 2020 -o "$T/greta20.xlsx"
check xlsx greta "$T/greta20.xlsx" 2020 3
assert_exit 0 ciatteh export greta --year 2021 --lang fr --format text
assert_contains "$OUT" "1. Victimes identifiées et présumées par sexe et âge"
assert_contains "$OUT" "Femmes"

t_begin "CSV to standard output; no SDMX mapping for GRETA"
assert_exit 0 ciatteh export greta --year 2021 --format csv
assert_contains "$OUT" ",Identified: children,Identified: children (flags),"
assert_contains "$OUT" "Victims awarded compensation by a court,not collected by these sources"
assert_contains "$OUT" "Persons convicted in a judgment ordering a confiscation"
assert_exit 64 ciatteh export greta --year 2021 --format sdmx-csv
assert_contains "$ERR" "questionnaire greta has no SDMX mapping"
