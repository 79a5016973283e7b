#!/bin/sh
# test_release.sh — releases (reports/release/release.c): every questionnaire of a
# year under one stored pattern, none publishing what another withholds;
# only a written file records; a year with nothing known is refused; the
# admin alone lists, shows and audits releases; a corrected delivery gives
# a new release that keeps the earlier pattern, and an outsider holding
# both releases (check.py attack-revision, glpsol) narrows nothing;
# `answers --diff` says "changed (withheld)" without a value.
. "$(dirname "$0")/../lib.sh"
HERE=$ROOT/tests/export
. "$HERE/fixtures.sh"

t_begin "the fixture extracts load"
load_fixtures

t_begin "printed to the terminal: nothing recorded, no release stored"
assert_exit 0 ciatteh export eurostat --year 2021 --format sdmx-csv
# withheld: no OBS_VALUE, OBS_STATUS kept (P or empty), CONF_STATUS from
# SDMX's CL_CONF_STATUS: A primary (small counts), D secondary
assert_match "$OUT" ',2021,,P?,A,'
assert_match "$OUT" ',2021,,P?,D,'
assert_eq "$(sql 'SELECT count(*) FROM answer_set')" 0
assert_eq "$(sql 'SELECT count(*) FROM release')" 0

t_begin "a year nothing is known of is refused (exit 65) unless --allow-empty"
assert_exit 65 ciatteh export eurostat --year 2012 --format sdmx-csv -o "$T/empty.csv"
assert_contains "$ERR" "no figure of the answers is known"
assert_no_file "$T/empty.csv"
assert_exit 0 ciatteh export eurostat --year 2012 --format sdmx-csv --allow-empty -o "$T/empty.csv"

t_begin "Eurostat, GRETA and TIP of 2021: one release, attacked together, nothing narrowed"
assert_exit 0 ciatteh export eurostat --year 2021 --format sdmx-csv -o "$T/e1.csv"
assert_exit 0 ciatteh export greta --year 2021 --format csv -o "$T/g1.csv"
assert_contains "$ERR" "as before"
assert_exit 0 ciatteh export tip --year 2021 --format csv -o "$T/t1.csv"
assert_eq "$(sql 'SELECT count(*) FROM release WHERE ref_year = 2021')" 1
for q in greta tip; do
    id=$(sql "SELECT max(id) FROM answer_set WHERE questionnaire = '$q'")
    assert_exit 0 ciatteh answers --show "$id" --format csv
    printf '%s\n' "$OUT" >"$T/${q}1-answers.csv"
done
# check.py reports any figure published by one output and withheld by another
check attack "$T/e1.csv" "$T/greta1-answers.csv" "$T/tip1-answers.csv"
assert_match "$OUT" "^withheld cells: [1-9][0-9]* .*narrowed: 0$"

t_begin "the attack can fail: a pattern with only the small counts narrows some"
assert_exit 0 "$PY" "$HERE/check.py" attack-sdmx "$T/e1.csv" --reveal-secondary 3
assert_match "$OUT" "narrowed: [1-9]"

t_begin "the XLSX says withheld for confidentiality, never which cells are small"
assert_exit 0 ciatteh export greta --year 2021 -o "$T/g1.xlsx"
assert_exit 0 "$PY" -c '
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
print("\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value))
' "$T/g1.xlsx"
assert_not_contains "$OUT" "withheld as small"
assert_not_contains "$OUT" "to protect them"

t_begin "release list, show and audit: for the admin role only"
assert_exit 0 ciatteh admin roles
assert_exit 69 ciatteh --db "host=$CIATTEH_HOME/pg user=ciatteh_analyst dbname=ciatteh" release list
assert_contains "$ERR" "admin role"
assert_exit 0 ciatteh --db "host=$CIATTEH_HOME/pg user=ciatteh_admin dbname=ciatteh" release list
r1=$(sql "SELECT min(id) FROM release WHERE ref_year = 2021")
assert_match "$OUT" "^$r1 +2021 +3 "
assert_exit 0 ciatteh release show "$r1"
assert_contains "$OUT" "withheld (small count)"
assert_contains "$OUT" "eurostat victims_age"
assert_exit 0 ciatteh release audit "$r1"
assert_match "$OUT" "withheld figures, 0 narrower than 3 values"
assert_exit 64 ciatteh release show

t_begin "a corrected delivery: a new release keeps the pattern; both together narrow nothing"
# One more record at Payoke: an adult Belgian woman, sexually exploited.
cp "$FIX/shelter_payoke_2021.csv" "$T/shelter_payoke_2021.csv"
echo 'PAYOKE;PA-0099;2021-03-02;POLICE;F;31;BE;SEX;yes;2021-03-04' >>"$T/shelter_payoke_2021.csv"
assert_exit 0 ciatteh -q load --loaded-at '2022-03-05 10:00' shelters "$T/shelter_payoke_2021.csv"
assert_exit 0 ciatteh export eurostat --year 2021 --format sdmx-csv -o "$T/e2.csv"
assert_exit 0 ciatteh export greta --year 2021 --format csv -o "$T/g2.csv"
assert_exit 0 ciatteh export tip --year 2021 --format csv -o "$T/t2.csv"
assert_eq "$(sql 'SELECT count(*) FROM release WHERE ref_year = 2021')" 2
# every figure withheld by the first release is withheld by the second
r1=$(sql "SELECT min(id) FROM release WHERE ref_year = 2021")
r2=$(sql "SELECT max(id) FROM release WHERE ref_year = 2021")
assert_eq "$(sql "SELECT count(*) FROM release_cell a WHERE a.release_id = $r1 AND a.status <> 0
                  AND NOT EXISTS (SELECT 1 FROM release_cell b WHERE b.release_id = $r2 AND b.item = a.item
                                  AND b.year = a.year AND b.filters = a.filters AND b.status <> 0)")" 0
for q in greta tip; do
    id=$(sql "SELECT max(id) FROM answer_set WHERE questionnaire = '$q'")
    assert_exit 0 ciatteh answers --show "$id" --format csv
    printf '%s\n' "$OUT" >"$T/${q}2-answers.csv"
done
CHECK_CACHE=$T/query-cache-2.json
check attack-revision "$T/e1.csv" "$T/greta1-answers.csv" "$T/tip1-answers.csv" -- \
    "$T/e2.csv" "$T/greta2-answers.csv" "$T/tip2-answers.csv"
assert_match "$OUT" "narrowed: 0$"
assert_exit 0 ciatteh release audit "$r2"
assert_match "$OUT" "0 narrower than 3 values"

t_begin "answers --diff lists a change behind a withheld cell, without its value"
first=$(sql "SELECT min(id) FROM answer_set WHERE questionnaire = 'eurostat' AND ref_year = 2021")
assert_exit 0 ciatteh answers --diff "$first"
assert_contains "$OUT" "changed (withheld)"
assert_not_contains "$(printf '%s\n' "$OUT" | grep 'changed (withheld)')" '→'
