#!/bin/sh
# test_lock.sh — two runs never overlap: started at the same moment, one
# works and the other exits 75 at once, saying who holds the lock; a run
# started while another is busy loading a big file exits 75 too and
# touches nothing; once the first is done, the next run works.
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"

X=$T/extracts
t_begin "extracts"
make_extracts "$X" || _fail "cannot generate the extracts"
make_site "$T/s" "$X" "enabled = no"

# start NAME [ENV...] — `ciatteh run` in the background; its exit status
# and the moments it started and ended go to $T/NAME.{rc,t0,t1}.
start() {
    local n
    n=$1; shift
    date +%s%N >"$T/$n.t0"
    (
        env "$@" "$CIA" run --config "$T/s/ciatteh.conf" >"$T/$n.out" 2>"$T/$n.err" </dev/null
        echo $? >"$T/$n.rc"
        date +%s%N >"$T/$n.t1"
    ) &
    eval "${n}_pid=\$!"
}
# finish NAME — wait for it; sets RC, ERR and SECS (whole seconds it ran).
finish() {
    local pid
    eval "pid=\$${1}_pid"
    wait "$pid"
    RC=$(cat "$T/$1.rc")
    ERR=$(cat "$T/$1.err")
    SECS=$(( ($(cat "$T/$1.t1") - $(cat "$T/$1.t0")) / 1000000000 ))
}

t_begin "two runs started at once: one works, the other exits 75 at once"
assert_exit 0 ciatteh db start
# Whoever takes the lock first holds it 8 seconds before working.
start a CIATTEH_TEST_SLEEP_AT=lock:8
start b CIATTEH_TEST_SLEEP_AT=lock:8
finish a; rc_a=$RC err_a=$ERR secs_a=$SECS
finish b; rc_b=$RC err_b=$ERR secs_b=$SECS
if [ "$rc_a" = 75 ]; then
    busy_rc=$rc_a busy_err=$err_a busy_secs=$secs_a work_rc=$rc_b work_err=$err_b
else
    busy_rc=$rc_b busy_err=$err_b busy_secs=$secs_b work_rc=$rc_a work_err=$err_a
fi
assert_eq "$busy_rc" 75 "one exits 75"
assert_eq "$work_rc" 65 "the other works (65: it rejected the bad files)"
assert_match "$busy_err" "error: another run holds the run lock \(user ciatteh, server pid [0-9]+, since [0-9-]+ [0-9:]+\); not starting"
assert_not_contains "$busy_err" "run started"
[ "$busy_secs" -lt 6 ] && _pass "the busy one gave up at once (${busy_secs}s)" ||
    _fail "the busy one took ${busy_secs}s"
assert_match "$work_err" "run finished: 9 loaded, 0 already loaded, 3 rejected"
assert_eq "$(sql 'SELECT count(*) || '"'/'"' || count(DISTINCT sha256) FROM delivery')" "9/9" "each file loaded once"
assert_match "$(cat "$T/s/log/run.log")" "error: another run holds the run lock"

t_begin "the lock is released with the run: the next one works"
assert_exit 0 ciatteh run --config "$T/s/ciatteh.conf"
assert_match "$ERR" "info: run started"

t_begin "a run started while another loads a big file exits 75 and touches nothing"
"$GEN" police --rows 150000 --seed 21 --years 2014-2016 -o "$T/s/in/police/police_big.csv" ||
    _fail "cannot generate the big extract"
cp "$X/drop/notes.txt" "$T/s/in/drop/notes2.txt"
start c
loading() {
    [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'
              AND query LIKE 'COPY \"police_record_%'")" = 1 ]
}
wait_until 120 loading && _pass "the first run is copying the big file" || _fail "never saw the big COPY"
before=$(site_state "$T/s")
assert_exit 75 ciatteh run --config "$T/s/ciatteh.conf"
assert_contains "$ERR" "another run holds the run lock"
assert_eq "$(site_state "$T/s")" "$before" "the second run moved nothing"
finish c
assert_eq "$RC" 65 "the first run finishes its work (65: notes2.txt rejected)"
assert_match "$ERR" "police_big.csv: loaded as police delivery #[0-9]+, 150000 records"
assert_eq "$(sql 'SELECT count(*) FROM delivery')" 10 "ten deliveries"
