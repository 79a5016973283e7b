#!/bin/sh
# test_concurrency.sh — several users at once on one private cluster: two
# loads of the same service (one waits its turn, or gives up with exit 75
# after CIATTEH_LOCK_TIMEOUT; never both half-loaded); loads of different
# services side by side; queries and reports during a load, twenty query
# processes at once among them, each answering from one consistent
# snapshot (the figures before the load or after it, never a mix); no
# deadlock, every wait bounded.
#
# Loads are fast, so to be sure that a load is still under way while the
# others run, a "gate" can hold it: a psql session that holds a SHARE lock
# on delivery_year.  A load then stops just after its COPY, inside its
# transaction (records sent, nothing committed, the service's load lock
# held), until the gate opens.  Readers are not held (they take ACCESS
# SHARE).  Every case also runs once without the gate, as it comes.
. "$(dirname "$0")/../lib.sh"

need_gen
ROWS=${CONC_ROWS:-60000}
export CIATTEH_LOCK_TIMEOUT=${CIATTEH_LOCK_TIMEOUT:-3}
PGH=$CIATTEH_HOME/pg

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# variant NAME N — NAME.csv with N blank lines added: other bytes (so not
# "already loaded"), the same records and figures.
variant() {
    cp "$T/$1.csv" "$T/$1$2.csv"
    i=0
    while [ $i -lt "$2" ]; do printf '\r\n' >>"$T/$1$2.csv"; i=$((i + 1)); done
}
# gate_close / gate_open — hold loads just after their COPY, then let go.
gate_close() {
    rm -f "$T/gate"
    mkfifo "$T/gate"
    ( psql -h "$PGH" -U ciatteh -d ciatteh -Xq -v ON_ERROR_STOP=1 <"$T/gate" >/dev/null 2>&1 ) &
    GATE_PID=$!
    exec 8>"$T/gate"
    echo "BEGIN; LOCK TABLE delivery_year IN SHARE MODE;" >&8
    wait_until 10 sh -c "[ \"\$(psql -h '$PGH' -U ciatteh -d ciatteh -XAtq -c \"SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'delivery_year' AND l.mode = 'ShareLock' AND l.granted\")\" = 1 ]" \
        || _fail "the gate did not close"
}
gate_open() {
    echo "COMMIT;" >&8
    exec 8>&-
    wait $GATE_PID
}
# at_gate — number of loads held at the gate (waiting for delivery_year).
AT_GATE="SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
         WHERE c.relname = 'delivery_year' AND NOT l.granted"
at_gate() { sql "$AT_GATE"; }
# until_at_gate N — wait until N loads are held.
until_at_gate() {
    wait_until 60 sh -c "[ \"\$(psql -h '$PGH' -U ciatteh -d ciatteh -XAtq -c \"$AT_GATE\")\" -ge $1 ]"
}
# Loads held at the gate wait for a table lock: they get a long timeout.
GATED="env CIATTEH_LOCK_TIMEOUT=120 $CIA"
figures() { "$CIA" query police.facts --by district; }

t_begin "setup: extracts, a first delivery"
if [ -z "$GEN" ]; then _fail "no ciatteh-gen (make all; or set CIATTEH_GEN)"; exit 1; fi
"$GEN" police --rows "$ROWS" --seed 1 --years 2016-2022 -o "$T/a.csv"
"$GEN" police --rows $((ROWS * 3 / 2)) --seed 2 --years 2016-2022 -o "$T/b.csv"
"$GEN" police --rows $((ROWS / 2)) --seed 3 --years 2016-2022 -o "$T/c.csv"
"$GEN" convictions --rows 3000 --seed 1 --years 2016-2022 -o "$T/conv.csv"
"$GEN" shelters --rows 3000 --seed 1 --years 2016-2022 -o "$T/shel.csv"
for n in 2 3 4 5 6; do variant a $n; variant b $n; variant c $n; done
assert_exit 0 ciatteh load police "$T/a.csv"
QA=$(figures)
assert_match "$QA" "^police.facts,2016," "figures of a"

# ------------------------------------------------------------ same service
t_begin "two loads of one service at once: the second gives up with 75 after the lock timeout"
gate_close
$GATED load police "$T/b.csv" >"$T/l1.out" 2>"$T/l1.err" &
p1=$!
until_at_gate 1 || _fail "the first load did not reach the gate"
t0=$(now_ms)
run "$CIA" load police "$T/c.csv"
waited=$(( $(now_ms) - t0 ))
assert_eq "$RC" 75 "the second load exits 75 ($ERR)"
assert_contains "$ERR" "another load of police holds the lock; try again later"
[ $waited -ge 2500 ] && [ $waited -lt 20000 ] && _pass "it waited ${waited} ms (lock timeout 3 s)" \
    || _fail "it waited ${waited} ms, expected about 3000"
assert_eq "$(sql "SELECT count(*) FROM delivery WHERE file_name = 'c.csv'")" 0 "nothing of it was written"
gate_open
wait $p1; rc=$?
assert_eq "$rc" 0 "the first load completes ($(cat "$T/l1.err"))"
QB=$(figures)
assert_ne "$QB" "$QA" "the figures changed with b"

t_begin "two loads of one service at once, a longer timeout: the second waits, then loads"
gate_close
$GATED load police "$T/c2.csv" >"$T/l2.out" 2>"$T/l2.err" &
p1=$!
until_at_gate 1 || _fail "the first load did not reach the gate"
CIATTEH_LOCK_TIMEOUT=60 "$CIA" load police "$T/a2.csv" >"$T/l3.out" 2>"$T/l3.err" &
p2=$!
sleep 1
assert_eq "$(sql "SELECT count(*) FROM delivery WHERE file_name = 'a2.csv'")" 0 "the second waits for the lock, writing nothing"
assert_eq "$(at_gate)" 1 "only the first is inside its transaction"
gate_open
wait $p1; r1=$?
wait $p2; r2=$?
assert_eq "$r1 $r2" "0 0" "both load, one after the other ($(cat "$T/l2.err" "$T/l3.err"))"
assert_eq "$(figures)" "$QA" "a2 (the same records as a), committed last, is current"
assert_eq "$(sql "SELECT string_agg(file_name, ',' ORDER BY loaded_at, id) FROM delivery")" "a.csv,b.csv,c2.csv,a2.csv" \
    "deliveries in the order they committed"
assert_eq "$(sql "SELECT count(*) FROM delivery d WHERE d.rows <> (SELECT count(*) FROM police_record r WHERE r.delivery_id = d.id)")" 0 \
    "every delivery holds exactly its records: nothing half-loaded"

t_begin "two loads of one service at once, as it comes: one after the other, never interleaved"
"$CIA" load police "$T/b2.csv" >"$T/n1.out" 2>"$T/n1.err" &
p1=$!
CIATTEH_LOCK_TIMEOUT=60 "$CIA" load police "$T/c3.csv" >"$T/n2.out" 2>"$T/n2.err" &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
assert_eq "$r1 $r2" "0 0" "both load ($(cat "$T/n1.err" "$T/n2.err"))"
assert_eq "$(sql "SELECT count(*) FROM delivery d WHERE d.rows <> (SELECT count(*) FROM police_record r WHERE r.delivery_id = d.id)")" 0 \
    "every delivery holds exactly its records"
# Whichever committed last is current, whole.
last=$(sql "SELECT file_name FROM delivery ORDER BY loaded_at DESC, id DESC LIMIT 1")
case $last in b2.csv) want=$QB ;; *) want=$(figures) ;; esac
assert_eq "$(figures)" "$want" "the last committed ($last) is current"
assert_exit 0 ciatteh load police "$T/a3.csv"

t_begin "three services loading side by side: no deadlock, all succeed"
"$CIA" load police "$T/b3.csv" >"$T/s1.out" 2>"$T/s1.err" &
s1=$!
"$CIA" load convictions "$T/conv.csv" >"$T/s2.out" 2>"$T/s2.err" &
s2=$!
"$CIA" load shelters "$T/shel.csv" >"$T/s3.out" 2>"$T/s3.err" &
s3=$!
wait $s1; r1=$?
wait $s2; r2=$?
wait $s3; r3=$?
assert_eq "$r1 $r2 $r3" "0 0 0" "all three loaded ($(cat "$T/s1.err" "$T/s2.err" "$T/s3.err"))"
assert_eq "$(figures)" "$QB" "police: b's figures"
assert_eq "$(sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")" 0 "nobody left waiting"

# ------------------------------------------------------------ readers during a load
# check_outputs PREFIX — every saved query output is the figures before
# (QB) or after (QA) the load; prints "old new bad".
check_outputs() {
    local o n b f
    o=0 n=0 b=0
    for f in "$T/$1".*.out; do
        [ -e "$f" ] || continue
        if [ "$(cat "${f%.out}.rc")" != 0 ]; then b=$((b + 1)); _fail "$(basename "$f"): exit $(cat "${f%.out}.rc")" "$(cat "${f%.out}.err")"
        elif [ "$(cat "$f")" = "$QB" ]; then o=$((o + 1))
        elif [ "$(cat "$f")" = "$QA" ]; then n=$((n + 1))
        else b=$((b + 1)); _fail "$(basename "$f") saw neither the figures before nor after" "$(head -n 5 "$f")"
        fi
    done
    echo "$o $n $b"
}
# burst PREFIX N — N query processes at once; waits for all.
burst() {
    local k pids
    k=0 pids=""
    while [ $k -lt "$2" ]; do
        ( $_lib_timeout "$CIA" query police.facts --by district >"$T/$1.$k.out" 2>"$T/$1.$k.err"
          echo $? >"$T/$1.$k.rc" ) &
        pids="$pids $!"
        k=$((k + 1))
    done
    wait $pids
}

t_begin "twenty query processes at once during a load: all answer, before or after, never a mix"
# Current: b3 (b's figures).  Load a4, held after its COPY: twenty queries
# at once see b; let it commit: twenty more see a.
gate_close
$GATED load police "$T/a4.csv" >"$T/r.out" 2>"$T/r.err" &
lp=$!
until_at_gate 1 || _fail "the load did not reach the gate"
t0=$(now_ms)
burst held 20
ms=$(( $(now_ms) - t0 ))
set -- $(check_outputs held)
assert_eq "$1 $2 $3" "20 0 0" "20 queries during the load: all see the figures before it (${ms} ms)"
gate_open
wait $lp; rc=$?
assert_eq "$rc" 0 "the load commits"
burst after 20
set -- $(check_outputs after)
assert_eq "$1 $2 $3" "0 20 0" "20 queries after it: all see the figures after it"
rm -f "$T"/held.* "$T"/after.*

t_begin "queries while a load commits, as it comes: each before or after, never a mix"
# Current: a4.  Load b4 and query without a pause, in bursts of twenty,
# until it is done.
QA_SAVE=$QA QA=$QB QB=$QA_SAVE      # before = a's figures, after = b's
"$CIA" load police "$T/b4.csv" >"$T/r.out" 2>"$T/r.err" &
lp=$!
round=0
while kill -0 $lp 2>/dev/null && [ $round -lt 30 ]; do
    burst "live$round" 20
    round=$((round + 1))
done
wait $lp; rc=$?
assert_eq "$rc" 0 "the load succeeded"
tot_o=0 tot_n=0 tot_b=0
r=0
while [ $r -lt $round ]; do
    set -- $(check_outputs "live$r")
    tot_o=$((tot_o + $1)) tot_n=$((tot_n + $2)) tot_b=$((tot_b + $3))
    r=$((r + 1))
done
echo "     $((round * 20)) queries in $round bursts during the load: $tot_o before, $tot_n after, $tot_b other"
[ $tot_b -eq 0 ] && _pass "every query consistent" || _fail "$tot_b inconsistent"
rm -f "$T"/live*
QB_SAVE=$QB QB=$QA QA=$QB_SAVE      # back: QA = a's figures, QB = b's

t_begin "a query never waits on a load"
gate_close
$GATED load police "$T/a5.csv" >"$T/r.out" 2>"$T/r.err" &
lp=$!
until_at_gate 1 || _fail "the load did not reach the gate"
t0=$(now_ms)
assert_exit 0 ciatteh query police.facts --by district
ms=$(( $(now_ms) - t0 ))
[ $ms -lt 5000 ] && _pass "answered in $ms ms while a load holds its locks" || _fail "took $ms ms"
assert_exit 0 ciatteh deliveries
assert_exit 0 ciatteh items
gate_open
wait $lp

t_begin "reports during a load: one snapshot per report"
if ! ciatteh help report >/dev/null 2>&1; then
    skip "no report command in this build"
else
    # the figures (the trace's comment lines name the deliveries, which
    # differ from one load to the next even where the figures do not)
    report() { "$CIA" report yoy --years 2016-2022 --items police.facts,police.suspects,police.victims --format csv |
               grep -v '^#'; }
    RA=$(report)
    gate_close
    $GATED load police "$T/b5.csv" >"$T/r.out" 2>"$T/r.err" &
    lp=$!
    until_at_gate 1 || _fail "the load did not reach the gate"
    assert_eq "$(report)" "$RA" "a report during the load: the figures before it"
    gate_open
    wait $lp
    RB=$(report)
    assert_ne "$RB" "$RA" "after it: the new figures"
    # As it comes: reports while the next load commits.
    "$CIA" load police "$T/a6.csv" >"$T/r.out" 2>"$T/r.err" &
    lp=$!
    i=0 bad=0
    while kill -0 $lp 2>/dev/null && [ $i -lt 100 ]; do
        r=$(report) || _fail "report $i failed"
        [ "$r" = "$RA" ] || [ "$r" = "$RB" ] || { bad=$((bad + 1)); _fail "report $i mixes two states of the data" "$r"; }
        i=$((i + 1))
    done
    wait $lp
    echo "     $i reports while a load committed, $bad inconsistent"
    [ $bad -eq 0 ] && _pass "every report from one state"
fi

t_begin "a load waiting for the lock is bounded even when the holder hangs"
# A psql session takes the police load lock and holds it: a load gives up
# with 75 after CIATTEH_LOCK_TIMEOUT, and loads again once it is released.
mkfifo "$T/hold"
( psql -h "$PGH" -U ciatteh -d ciatteh -Xq -v ON_ERROR_STOP=1 <"$T/hold" >/dev/null 2>&1 ) &
hp=$!
exec 7>"$T/hold"
echo "BEGIN; SELECT ciatteh_lock('load.police');" >&7
wait_until 10 sh -c "[ -n \"\$(psql -h '$PGH' -U ciatteh -d ciatteh -XAtq -c \"SELECT ciatteh_lock_holder('load.police')\")\" ]" \
    || _fail "the lock was not taken"
t0=$(now_ms)
assert_exit 75 ciatteh load police "$T/c4.csv"
ms=$(( $(now_ms) - t0 ))
assert_contains "$ERR" "try again later"
[ $ms -lt 15000 ] && _pass "gave up after $ms ms" || _fail "waited $ms ms"
assert_exit 0 ciatteh load convictions "$T/conv.csv"
assert_contains "$OUT" "already loaded" "another service is not held up by it"
echo "ROLLBACK;" >&7
exec 7>&-
wait $hp
assert_exit 0 ciatteh load police "$T/c4.csv"
assert_eq "$(sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")" 0 "nobody left waiting"
assert_eq "$(sql "SELECT count(*) FROM delivery d WHERE d.rows <> (SELECT count(*) FROM police_record r WHERE r.delivery_id = d.id) AND service = 'police'")" 0 \
    "after all of it, every police delivery holds exactly its records"
