#!/bin/sh
# test_memo.sh — reports/figures/memo.c: inside one snapshot (a pack, a
# report, a check) a figure asked again is answered from what the
# snapshot already read; the memo never outlives its snapshot, however
# the transaction ended, so a figure read after another session changed
# the data is the new one.  That the memo changes no figure is the golden
# files' part (tests/golden).  Driven by bin/figures-memo (tests/tools), on
# the bundled police sample; the change lowers police.facts of 2020 by
# one in a group row, committed by a second session.
. "$(dirname "$0")/../lib.sh"

PROBE=
for p in "$B/bin/figures-memo" "$ROOT/bin/figures-memo"; do
    [ -z "$PROBE" ] && [ -x "$p" ] && PROBE=$p
done

t_begin "the police sample loads"
[ -n "$PROBE" ] || _fail "no bin/figures-memo (make all builds it)"
assert_exit 0 ciatteh -q load --loaded-at '2025-01-15 09:00:00' police \
    "$ROOT/etl/samples/multi-year/police_2016-2024.csv"

t_begin "a snapshot's memo: the same answers inside, fresh ones after"
CHANGE="UPDATE police_group SET n = n - 1 WHERE ctid = (SELECT ctid FROM police_group
        WHERE year = 2020 AND offence = 'THB' AND n > 1 ORDER BY district, form LIMIT 1)"
run "$PROBE" police.facts 2020 "$CHANGE"
assert_eq "$RC" 0 "every step holds" || _show_run
for s in "outside a snapshot nothing is kept" "in a snapshot the answer is kept" \
         "the same snapshot answers the same" "the memo ends with its snapshot" \
         "after it, the change is seen" "a new snapshot reads afresh" \
         "a snapshot ended by hand leaves no memo" "a snapshot begun by hand reads the server"; do
    assert_contains "$OUT" "ok $s"
done

