#!/bin/sh
# test_faults.sh — faults, for real, against the private cluster: the
# server SIGKILLed in the middle of a load's COPY; the client SIGKILLed in
# the middle of its COPY; its connection dropped (pg_terminate_backend);
# the output disk full while writing a rejects file or a report (a 64 KiB
# tmpfs when we may mount one, else /dev/full and a file-size limit).
# After each: no delivery, delivery year, record or item of the failed
# load, no output file under its final name, and the next run succeeds
# with the right figures.
. "$(dirname "$0")/../lib.sh"

need_gen
ROWS=${FAULT_ROWS:-100000}
DATA=$CIATTEH_HOME/pg/data
# Loads that find the lock taken give up after 5 s (exit 75), not 30.
CIATTEH_LOCK_TIMEOUT=5
export CIATTEH_LOCK_TIMEOUT
# Loads run in the background are the binary itself ($! is its pid), not
# the `ciatteh` function (whose $! would be a subshell around timeout).

state() {
    sql "SELECT (SELECT count(*) || '/' || coalesce(sum(rows), 0) FROM delivery)
             || ' ' || (SELECT count(*) FROM delivery_year)
             || ' ' || (SELECT count(*) || '/' || coalesce(sum(value), 0) FROM item_fact)
             || ' ' || (SELECT count(*) FROM police_record)
             || ' ' || (SELECT count(*) FROM convictions_record)"
}
# until_copying PID [terminate] — wait until that load's COPY has sent
# some rows (and still runs); 1 if the load ended first.  With terminate,
# cut its connection in the same statement that sees it, so the COPY
# cannot end in between (it did when a second psql did the terminating:
# loads are fast).
until_copying() {
    local n seen
    seen=pid
    [ "${2:-}" = terminate ] && seen="pg_terminate_backend(pid)"
    n=0
    while [ $n -lt 1200 ]; do
        kill -0 "$1" 2>/dev/null || return 1
        [ "$(sql "SELECT count($seen) FROM pg_stat_progress_copy WHERE tuples_processed > 2000" \
             2>/dev/null)" = 1 ] && return 0
        sleep 0.05
        n=$((n + 1))
    done
    return 1
}
# police.facts as `ciatteh query` answers it (current deliveries), all years,
# trafficking and smuggling (query counts THB alone unless asked; the value
# is the column named value).
police_facts() {
    ciatteh query police.facts --by offence |
        awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "value") c = i; next }
                 { s += $c } END { print s + 0 }'
}

t_begin "setup: a database with one delivery, and a big extract"
if [ -z "$GEN" ]; then _fail "no ciatteh-gen (make all; or set CIATTEH_GEN)"; exit 1; fi
"$GEN" convictions --rows 500 --years 2019-2021 -o "$T/conv.csv"
assert_exit 0 ciatteh load convictions "$T/conv.csv"
"$GEN" police --rows "$ROWS" --years 2016-2022 -o "$T/big.csv"
assert_file "$T/big.csv"
BEFORE=$(state)
assert_match "$BEFORE" "^1/500 " "one delivery of 500 records"

# ------------------------------------------------------------ server killed
t_begin "the server SIGKILLed during a load's COPY: nothing of it stays"
"$CIA" load police "$T/big.csv" >"$T/k1.out" 2>"$T/k1.err" &
lp=$!
DATA_REAL=$(cd "$DATA" && pwd -P)
if until_copying $lp; then
    # The whole server at once, as a crash takes it: a backend outliving
    # its postmaster could still finish the COPY and commit.
    pids=$(find /proc -mindepth 2 -maxdepth 2 -name cwd -lname "$DATA_REAL" 2>/dev/null |
           sed 's,^/proc/,,; s,/cwd$,,')
    kill -9 $pids
    assert_ne "$pids" "" "the server's processes are found"
    wait $lp; rc=$?
    assert_eq "$rc" 69 "the load fails with 69 (database unavailable): $(cat "$T/k1.err")"
    assert_contains "$(cat "$T/k1.err")" "ciatteh: " "with a message"
    # The next command brings the server back (crash recovery) on its own.
    assert_exit 0 ciatteh deliveries --format csv
    assert_eq "$(state)" "$BEFORE" "crash recovery left no trace of the load"
else
    wait $lp
    _fail "the load ended before its COPY could be caught" "$(cat "$T/k1.err")"
fi
assert_exit 0 ciatteh load police "$T/big.csv"
assert_match "$OUT" "^police: $ROWS records loaded"
assert_eq "$(police_facts)" "$ROWS" "the next run loads every record once"
AFTER1=$(state)

# ------------------------------------------------------------ client killed
t_begin "the client SIGKILLed during its COPY: rolled back, lock released"
"$GEN" police --rows "$ROWS" --seed 2 --years 2016-2022 -o "$T/big2.csv"
"$CIA" load --keep-going --rejects "$T/rej2.csv" police "$T/big2.csv" >"$T/k2.out" 2>"$T/k2.err" &
lp=$!
if until_copying $lp; then
    kill -9 $lp
    wait $lp 2>/dev/null
    assert_eq "$(state)" "$AFTER1" "the server rolled the load back"
    assert_no_file "$T/rej2.csv"
    left=$(ls "$T" | grep '^rej2.csv.tmp.' || true)
    echo "     (an interrupted rejects file stays only as its temporary: ${left:-none})"
    rm -f "$T"/rej2.csv.tmp.*
    # No lock left behind: the same service loads at once, well within
    # CIATTEH_LOCK_TIMEOUT.
    t0=$(date +%s)
    assert_exit 0 ciatteh load police "$T/big2.csv"
    assert_match "$OUT" "^police: $ROWS records loaded"
    [ $(( $(date +%s) - t0 )) -lt 120 ] && _pass "no wait for a dead client's lock" || _fail "waited for a lock"
else
    wait $lp
    _fail "the load ended before its COPY could be caught" "$(cat "$T/k2.err")"
fi
AFTER2=$(state)

# ------------------------------------------------------------ connection dropped
t_begin "the connection dropped (pg_terminate_backend) during COPY: nothing stays"
"$GEN" police --rows "$ROWS" --seed 3 --years 2016-2022 -o "$T/big3.csv"
"$CIA" load police "$T/big3.csv" >"$T/k3.out" 2>"$T/k3.err" &
lp=$!
if until_copying $lp terminate; then
    _pass "one backend terminated during its COPY"
    wait $lp; rc=$?
    assert_eq "$rc" 69 "the load fails with 69: $(cat "$T/k3.err")"
    assert_match "$(cat "$T/k3.err")" "terminat|connection|server closed" "the message says the connection went"
    assert_eq "$(state)" "$AFTER2" "nothing of the load stays"
else
    wait $lp
    _fail "the load ended before its COPY could be caught" "$(cat "$T/k3.err")"
fi
assert_exit 0 ciatteh load police "$T/big3.csv"
AFTER3=$(state)

t_begin "the connection dropped while deriving items: nothing stays"
# To be sure to catch it there, a psql session holds police_group (SHARE):
# the load stops copying its item groups, inside its transaction, its
# records sent; then its connection is cut.
"$GEN" police --rows "$ROWS" --seed 4 --years 2016-2022 -o "$T/big4.csv"
mkfifo "$T/gate"
( psql -h "$CIATTEH_HOME/pg" -U ciatteh -d ciatteh -Xq -v ON_ERROR_STOP=1 <"$T/gate" >/dev/null 2>&1 ) &
gp=$!
exec 8>"$T/gate"
echo "BEGIN; LOCK TABLE police_group IN SHARE MODE;" >&8
WAITING="SELECT a.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
         JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE c.relname = 'police_group' AND NOT l.granted AND a.query LIKE 'COPY \"police_group\"%'"
env CIATTEH_LOCK_TIMEOUT=120 "$CIA" load police "$T/big4.csv" >"$T/k4.out" 2>"$T/k4.err" &
lp=$!
p=""
n=0
while [ -z "$p" ] && [ $n -lt 1200 ] && kill -0 $lp 2>/dev/null; do
    p=$(sql "$WAITING")
    [ -n "$p" ] || sleep 0.05
    n=$((n + 1))
done
assert_ne "$p" "" "the load is caught deriving its items"
[ -n "$p" ] && sql "SELECT pg_terminate_backend($p)" >/dev/null
wait $lp; rc=$?
echo "ROLLBACK;" >&8
exec 8>&-
wait $gp
assert_eq "$rc" 69 "the load fails with 69: $(cat "$T/k4.err")"
assert_eq "$(state)" "$AFTER3" "nothing of the load stays"
assert_exit 0 ciatteh load police "$T/big4.csv"

# ------------------------------------------------------------ disk full
FULL=$T/full
mkdir -m 755 "$FULL"
mounted=""
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k,mode=755 tmpfs "$FULL" 2>/dev/null; then
    mounted=1
    on_teardown "umount '$FULL'"
fi

t_begin "the disk full while writing a rejects file: exit 73, no file, no delivery"
before=$(state)
# Every other record rejected: a rejects file far bigger than 64 KiB.
"$GEN" convictions --rows 4000 --seed 5 --years 2019-2021 -o "$T/conv5.csv"
awk -F';' 'NR > 1 && NR % 2 == 0 { $4 = "Nowhere" } 1' OFS=';' "$T/conv5.csv" >"$T/conv5_bad.csv"
if [ -n "$mounted" ]; then
    assert_exit 73 ciatteh load --keep-going --rejects "$FULL/rejects.csv" convictions "$T/conv5_bad.csv"
else
    # No mount here: a file-size limit does the same (SIGXFSZ ignored, so
    # the write fails with EFBIG instead of killing us).
    run sh -c "trap '' XFSZ; ulimit -f 64; exec $CIA load --keep-going --rejects '$FULL/rejects.csv' convictions '$T/conv5_bad.csv'"
    assert_eq "$RC" 73 "exit 73 ($ERR)"
fi
assert_contains "$ERR" "rejects.csv"
assert_no_file "$FULL/rejects.csv"
assert_eq "$(ls -A "$FULL")" "" "no temporary file left behind either"
assert_eq "$(state)" "$before" "the delivery was not committed"
assert_exit 0 ciatteh load --keep-going --rejects "$T/rejects.csv" convictions "$T/conv5_bad.csv"
assert_match "$OUT" "2000 rejected"
assert_eq "$(($(wc -l <"$T/rejects.csv") - 1))" 2000 "the next run writes all 2000 rejects"

t_begin "the disk full while writing a query's output: exit 73"
assert_exit 73 sh -c "exec $CIA query police.facts --by district > /dev/full"
assert_contains "$ERR" "cannot write"
if [ -n "$mounted" ]; then
    head -c 1048576 /dev/zero >"$FULL/filler" 2>/dev/null   # fills it: "No space left"
    assert_exit 73 sh -c "exec $CIA query police.facts --by district,form > '$FULL/q.csv'"
    rm -f "$FULL/filler" "$FULL/q.csv"
fi

t_begin "the disk full while writing a report: exit 73, no file"
if ! ciatteh help report >/dev/null 2>&1; then
    skip "no report command in this build"
elif [ -z "$mounted" ]; then
    run sh -c "trap '' XFSZ; ulimit -f 4; exec $CIA report yoy --years 2016-2022 --format xlsx -o '$FULL/r.xlsx'"
    assert_eq "$RC" 73 "exit 73 ($ERR)"
    assert_no_file "$FULL/r.xlsx"
else
    head -c 1048576 /dev/zero >"$FULL/filler" 2>/dev/null   # fills it: "No space left"
    for fmt in xlsx csv; do
        assert_exit 73 ciatteh report yoy --years 2016-2022 --format $fmt -o "$FULL/r.$fmt"
        assert_no_file "$FULL/r.$fmt"
    done
    rm -f "$FULL/filler"
    assert_eq "$(ls -A "$FULL")" "" "no temporary file left behind"
    assert_exit 0 ciatteh report yoy --years 2016-2022 --format xlsx -o "$T/r.xlsx"
    assert_file "$T/r.xlsx"
fi

t_begin "after every fault: figures exactly those of the loads that succeeded"
# A police extract got in after each fault; each covers the same years,
# so the newest is current: its rows, counted once.
assert_eq "$(police_facts)" "$ROWS" "police.facts = the rows of the newest police extract"
assert_eq "$(sql "SELECT count(*) FROM delivery WHERE service = 'police'")" 4 "4 police deliveries, one per successful run"
assert_eq "$(sql "SELECT count(*) FROM delivery WHERE rows = 0")" 0 "no empty delivery"
assert_eq "$(sql "SELECT count(*) FROM delivery d WHERE NOT EXISTS (SELECT 1 FROM delivery_year y WHERE y.delivery_id = d.id)")" 0 \
    "every delivery has its years"
assert_eq "$(sql "SELECT count(*) FROM delivery d WHERE rows <> (SELECT count(*) FROM police_record r WHERE r.delivery_id = d.id)
                  AND service = 'police'")" 0 "every police delivery holds exactly its records"
