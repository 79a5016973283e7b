#!/bin/sh
# test_tip.sh — the US TIP answer from extracts that reproduce the figures
# of the issue (383/373 cases investigated, 95 cases prosecuted with an
# unknown number of defendants, 97 prison sentences in 2020 against 100 in
# 2019, 55 suspended against 57): each number in its place in the draft;
# unknown said as unknown, never 0; comparisons from the data; conviction
# figures a year behind the reporting year, provisional when they still are.
. "$(dirname "$0")/../lib.sh"
. "$HERE/fixtures.sh"

t_begin "the fixture extracts load"
load_fixtures

t_begin "the figures behind the draft are the fixtures' (ciatteh query)"
q() { ciatteh query "$@" --where offence=THB | tail -n +2 | cut -d, -f2- | tr '\n' ' '; }
assert_eq "$(q prosecution.cases_in --years 2020-2021)" "2020,373, 2021,383, "
assert_eq "$(q prosecution.cases_prosecuted --years 2020-2021)" "2020,88, 2021,95, "
assert_eq "$(q prosecution.defendants_prosecuted --years 2020-2021)" "2020,150, 2021,,u "
assert_eq "$(q conviction.prison --years 2019-2020)" "2019,100, 2020,97, "
assert_eq "$(q conviction.prison_suspended --years 2019-2020)" "2019,57, 2020,55, "
assert_eq "$(q conviction.persons --years 2019-2020)" "2019,130, 2020,120, "

t_begin "the draft says each number in its place"
assert_exit 0 ciatteh export tip --year 2021 --format csv -o "$T/tip.csv"
DRAFT=$("$PY" -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1]))); print(r[1][0])' "$T/tip.csv")
assert_contains "$DRAFT" "Authorities investigated 383 cases in 2021, compared with 373 cases in 2020."
assert_contains "$DRAFT" "The government prosecuted an unknown number of defendants in 95 cases in 2021, an increase from 150 defendants in 88 cases in 2020 and an unknown number of defendants in an unknown number of cases in 2019."
assert_contains "$DRAFT" "Courts sentenced 97 convicted traffickers to prison terms in 2020 (100 in 2019); however, 55 of the sentences were suspended or partially suspended (57 in 2019)."
# Court figures: the year before, "the most recent year for which data was available".
assert_contains "$DRAFT" "Authorities reported 120 convictions in 2020, the most recent year for which data was available, compared with 130 convictions in 2019."
# The comparison word comes from the data: 55 victims in 2021, 44 in 2020; numbers under ten in words.
assert_contains "$DRAFT" "an increase from 44 in 2020 and an unknown number in 2019."
assert_contains "$DRAFT" "social services nine and labor inspectors seven; six victims self-identified."
assert_not_contains "$DRAFT" " 0 defendants" "an unknown number is never 0"
assert_not_contains "$DRAFT" "{" "every placeholder filled"
assert_not_contains "$DRAFT" "Provisional" "2020 convictions are final by February 2022"

t_begin "the figures table: one row per figure, the courts a year behind"
assert_contains "$(cat "$T/tip.csv")" '"Traffickers convicted, 2020",120,'
assert_contains "$(cat "$T/tip.csv")" '"Traffickers convicted, 2019",130,'
assert_contains "$(cat "$T/tip.csv")" '"Defendants prosecuted, 2021",,u n.k.'
assert_contains "$(cat "$T/tip.csv")" '"Cases investigated, 2021",383,'

t_begin "as of the end of 2021: no prosecution data yet, convictions of 2020 provisional"
# The prosecution extract arrived on 15 January 2022; the 2019-2020
# convictions on 1 July 2021, while bulletins of 2020 were still expected.
assert_exit 0 ciatteh export tip --year 2021 --as-of 2021-12-31 --format csv -o "$T/tip-early.csv"
EARLY=$("$PY" -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1]))); print(r[1][0]); print(r[2][0] if len(r[2]) else "")' "$T/tip-early.csv")
assert_contains "$EARLY" "Authorities investigated an unknown number of cases in 2021, compared with an unknown number of cases in 2020."
assert_contains "$EARLY" "Courts sentenced 97 convicted traffickers to prison terms in 2020 (100 in 2019)"
assert_contains "$EARLY" "Provisional (the year may still receive records): Traffickers convicted, 2020; Sentenced to prison terms, 2020; Prison terms suspended in part or in full, 2020; Prison terms under one year, 2020;"

t_begin "text: the draft as paragraphs, then the figures"
assert_exit 0 ciatteh export tip --year 2021
assert_match "$OUT" '^Draft text for the Belgium narrative$'
assert_contains "$(printf '%s' "$OUT" | tr '\n' ' ')" "Authorities investigated 383 cases in 2021, compared with 373 cases in 2020."
assert_contains "$OUT" "Figures for the Belgium narrative"
assert_contains "$OUT" "Court figures are for the year before the reporting year"

t_begin "small figures are withheld in the draft too, and said so"
# With the threshold at 60, the 55 and 57 suspended sentences are withheld;
# the prison terms (97, 100) stay: the effective ones are not published, so
# nothing subtracts to the suspended ones.
assert_exit 0 ciatteh export tip --year 2021 --suppress 60 --format csv
assert_contains "$OUT" "Courts sentenced 97 convicted traffickers to prison terms in 2020 (100 in 2019); however, an undisclosed number of the sentences were suspended or partially suspended (an undisclosed number in 2019)."
assert_not_contains "$OUT" " 55 of the sentences"
assert_contains "$OUT" '"Prison terms suspended in part or in full, 2020",,c'
assert_contains "$OUT" "The government formally identified and assisted an undisclosed number of victims in 2021"

# Last: a written file is a release (reports/release/release.c), which the
# exports above, read from standard output, are not.
t_begin "XLSX: a draft sheet and a figures sheet"
assert_exit 0 ciatteh export tip --year 2021 -o "$T/tip.xlsx"
assert_exit 0 "$PY" -c '
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
print(wb.sheetnames)
print(wb["draft"]["A4"].value)
print([r for r in wb["figures"].iter_rows(min_row=4, max_row=5, values_only=True)])
' "$T/tip.xlsx"
assert_contains "$OUT" "['draft', 'figures', 'Definitions']"
assert_contains "$OUT" "however, 55 of the sentences were suspended or partially suspended (57 in 2019)."
assert_contains "$OUT" "('Cases investigated, 2021', 383"

