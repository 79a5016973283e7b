#!/bin/sh
# test_lock.sh — two runs never overlap: started at the same moment, one
# works and the other exits 75 at once, saying who holds the lock; a run
# started while another is busy loading a big file exits 75 too and
# touches nothing; once the first is done, the next run works.  No step
# depends on how fast the machine is: the run holding the lock is held
# there by the test (a pause it ends, or SIGSTOP) until the other is done.
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"

X=$T/extracts
t_begin "extracts"
make_extracts "$X" || _fail "cannot generate the extracts"
make_site "$T/s" "$X" "enabled = no"

# start NAME [ENV...] — `ciatteh run` in the background; its exit status
# goes to $T/NAME.rc when it ends.
start() {
    local n
    n=$1; shift
    (
        env "$@" "$CIA" run --config "$T/s/ciatteh.conf" >"$T/$n.out" 2>"$T/$n.err" </dev/null
        echo $? >"$T/$n.rc.tmp" && mv "$T/$n.rc.tmp" "$T/$n.rc"
    ) &
    eval "${n}_pid=\$!"
}
# finish NAME — wait for it; sets RC and ERR.
finish() {
    local pid
    eval "pid=\$${1}_pid"
    wait "$pid"
    RC=$(cat "$T/$1.rc")
    ERR=$(cat "$T/$1.err")
}
one_ended() { [ -f "$T/a.rc" ] || [ -f "$T/b.rc" ]; }

t_begin "two runs started at once: one works, the other exits 75 at once"
assert_exit 0 ciatteh db start
# Whoever takes the lock first is paused there (src/core/testpoint.c)
# until the test removes its NAME.paused: the other must end meanwhile,
# and can only by giving up at once, since the lock is not released
# before that.  (600 s is a cap for a broken run, not a timing.)
start a CIATTEH_TEST_SLEEP_AT=lock:600 CIATTEH_TEST_PAUSED="$T/a.paused"
start b CIATTEH_TEST_SLEEP_AT=lock:600 CIATTEH_TEST_PAUSED="$T/b.paused"
wait_until 300 one_ended || _fail "neither run ended while the other held the lock"
if [ -f "$T/a.rc" ]; then busy=a work=b; else busy=b work=a; fi
assert_file "$T/$work.paused"
assert_no_file "$T/$busy.paused" "$T/$work.rc"
_pass "$busy ended while $work held the lock, paused inside it: $busy did not wait for it"
rm -f "$T/a.paused" "$T/b.paused"
finish $busy; busy_rc=$RC busy_err=$ERR
finish $work; work_rc=$RC work_err=$ERR
assert_eq "$busy_rc" 75 "one exits 75"
assert_eq "$work_rc" 65 "the other works (65: it rejected the bad files)"
assert_match "$busy_err" "error: another run holds the run lock \(user ciatteh, server pid [0-9]+, since [0-9-]+ [0-9:]+\); not starting"
assert_not_contains "$busy_err" "run started"
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
"$CIA" run --config "$T/s/ciatteh.conf" >"$T/c.out" 2>"$T/c.err" </dev/null &
c_pid=$!
loading() {
    [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'
              AND query LIKE 'COPY \"police_record_%'")" = 1 ]
}
# Frozen (SIGSTOP) once seen copying: it can then neither finish nor move
# a file while the second run tries, however long that takes.
if wait_until 120 loading; then
    kill -STOP "$c_pid"
    _pass "the first run is copying the big file (frozen there)"
else
    kill -STOP "$c_pid" 2>/dev/null
    _fail "never saw the big COPY"
fi
before=$(site_state "$T/s")
assert_exit 75 ciatteh run --config "$T/s/ciatteh.conf"
assert_contains "$ERR" "another run holds the run lock"
assert_eq "$(site_state "$T/s")" "$before" "the second run moved nothing"
kill -CONT "$c_pid"
wait "$c_pid"
RC=$? ERR=$(cat "$T/c.err")
assert_eq "$RC" 65 "the first run finishes its work (65: notes2.txt rejected)"
assert_match "$ERR" "police_big.csv: loaded as police delivery #[0-9]+, 150000 records"
assert_eq "$(sql 'SELECT count(*) FROM delivery')" 10 "ten deliveries"
