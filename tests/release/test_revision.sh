#!/bin/sh
# test_revision.sh — a protected pack after a corrected delivery (issue 14,
# item 4).  The bundled samples give a protected pack of 2023-2024; then
# police 2024 is replaced by a 40-record correction, which makes new small
# counts beside figures the first release published.  Keeping the earlier
# pattern exactly would pin them (the pack stopped with exit 65 before):
# the new release keeps every figure withheld before withheld, publishes
# unchanged figures as before, and withholds a changed one when it must
# (extending the pattern).  An outsider holding the reports of both
# releases together (check.py attack-revision) narrows nothing.
CIA_TIMEOUT=${CIA_TIMEOUT:-400}
. "$(dirname "$0")/../lib.sh"
HERE=$ROOT/tests/export
. "$HERE/fixtures.sh"
S=$ROOT/etl/samples/multi-year

# traces N IDS — the pack's report tables under releases IDS, as CSV
# traces (one line per figure) into $T/N-*.csv.
traces() {
    local r
    for r in yoy sentences victims; do
        assert_exit 0 ciatteh report $r --years 2023-2024 --release "$2" --format csv \
            -o "$T/$1-$r.csv" --trace "$T/$1-tr-$r.csv"
    done
}

# release_ids DIR — the releases a pack's MANIFEST names, comma-separated.
release_ids() {
    sed -n 's/^# release [0-9]*: #\([0-9]*\) .*/\1/p' "$1/MANIFEST" | paste -sd, -
}

t_begin "the samples load"
for svc in police prosecution inspectorates convictions immigration; do
    assert_exit 0 ciatteh -q load --loaded-at '2025-02-01 10:00' $svc "$S/${svc}_2016-2024.csv"
done
assert_exit 0 ciatteh -q load --loaded-at '2025-02-01 10:00' shelters "$S"/shelter_*_2016-2024.csv

t_begin "a protected pack of 2023-2024"
assert_exit 0 ciatteh pack --period 2023-2024 --no-charts -o "$T/p1"
IDS1=$(release_ids "$T/p1")
assert_match "$IDS1" "^[0-9]+,[0-9]+$"
traces old "$IDS1"

t_begin "the published pack's data-quality findings show no figure"
# (the release withholds some; "16 of 44 records" in a finding would
# republish one): public.LANG messages, no numeric column (public_checks.py)
assert_exit 0 $PY "$HERE/../release/public_checks.py" "$T/p1/checks.json"
assert_match "$OUT" "^[1-9][0-9]* findings, 0 figures shown$"
run pdftotext "$T/p1/annex-2023-2024-en.pdf" -
assert_contains "$OUT" "more than"
assert_not_contains "$OUT" " records (" "no record counts in the annex's findings"

t_begin "police 2024 corrected: the next protected pack builds and keeps the earlier pattern"
assert_exit 0 ciatteh -q load --loaded-at '2025-03-01 10:00' police "$ROOT/tests/figures/data/police_2024.csv"
assert_exit 0 ciatteh pack --period 2023-2024 --no-charts -o "$T/p2"
assert_contains "$OUT" "withheld for confidentiality"
IDS2=$(release_ids "$T/p2")
assert_ne "$IDS2" "$IDS1" "a new release for the corrected year"
r1=$(sql "SELECT min(id) FROM release WHERE ref_year = 2024")
r2=$(sql "SELECT max(id) FROM release WHERE ref_year = 2024")
# every figure withheld by the first release is withheld by the second
assert_eq "$(sql "SELECT count(*) FROM release_cell a WHERE a.release_id = $r1 AND a.status <> 0
                  AND NOT EXISTS (SELECT 1 FROM release_cell b WHERE b.release_id = $r2 AND b.item = a.item
                                  AND b.year = a.year AND b.filters = a.filters AND b.status <> 0)")" 0
# an unchanged figure published before is published again
assert_eq "$(sql "SELECT count(*) FROM release_cell a JOIN release_cell b ON b.release_id = $r2
                  AND b.item = a.item AND b.year = a.year AND b.filters = a.filters
                  WHERE a.release_id = $r1 AND a.status = 0 AND a.known AND b.known
                  AND a.value = b.value AND b.status <> 0")" 0
# the correction needed the pattern extended: a changed police figure published
# before is withheld now (without it the pack stopped with exit 65)
ext=$(sql "SELECT count(*) FROM release_cell a JOIN release_cell b ON b.release_id = $r2
           AND b.item = a.item AND b.year = a.year AND b.filters = a.filters
           WHERE a.release_id = $r1 AND a.status = 0 AND b.status <> 0 AND a.item LIKE 'police.%'")
[ "$ext" -gt 0 ] && _pass "the pattern extended to $ext changed police figures" ||
    _fail "no figure published before is withheld now: the scenario does not test the extension"
traces new "$IDS2"
assert_exit 0 ciatteh release audit "$r2"
assert_match "$OUT" "0 narrower than 3 values"

t_begin "the reports of both releases together narrow nothing"
CHECK_CACHE=$T/query-cache-revised.json
check attack-revision "$T"/old-tr-*.csv -- "$T"/new-tr-*.csv
assert_match "$OUT" "narrowed: 0$"
