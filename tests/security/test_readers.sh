#!/bin/sh
# test_readers.sh — issue 18, attack 4: readers never wait for loads.  An
# analyst's transaction that has read conviction items stays open while a
# big conviction load creates its partition and copies into it; the load
# is then frozen in the middle of its COPY (SIGSTOP), and conviction
# queries answer all the same, none of them ever waiting for a lock, while
# the load is provably still in progress.  A session that does hold a
# conflicting lock (an administrator's LOCK TABLE) stalls a load only up
# to the lock timeout: exit 75, a clear message, nothing loaded.
. "$(dirname "$0")/../lib.sh"

need_gen
PGH=$CIATTEH_HOME/pg
"$GEN" convictions --rows 2000 --seed 1 --years 2014-2017 -o "$T/small.csv" &&
"$GEN" convictions --rows 300000 --seed 2 --years 2018-2019 -o "$T/big.csv" &&
"$GEN" convictions --rows 500 --seed 3 --years 2020-2020 -o "$T/more.csv" || _fail "cannot generate"

# session NAME ROLE — a psql session fed through a fifo on descriptor FD
# (say NAME FD SQL to give it more); its output in $T/NAME.out.
session() {
    mkfifo "$T/$1.fifo"
    ( psql -h "$PGH" -U "$2" -d ciatteh -XAtq -v ON_ERROR_STOP=1 <"$T/$1.fifo" >"$T/$1.out" 2>&1 ) &
    eval "${1}_pid=\$!"
    eval "exec $3>\"\$T/\$1.fifo\""
}
# copying — the big load's COPY runs and has sent its first rows; polled
# inside the server (every 10 ms, for at most 60 s).
copying() {
    [ "$(sql "DO \$\$ BEGIN
        FOR i IN 1..6000 LOOP
            PERFORM pg_stat_clear_snapshot();
            IF EXISTS (SELECT 1 FROM pg_stat_progress_copy p JOIN pg_stat_activity a USING (pid)
                        WHERE a.query LIKE 'COPY \"convictions_record_%' AND p.tuples_processed > 5000) THEN
                RAISE NOTICE 'copying';
                RETURN;
            END IF;
            PERFORM pg_sleep(0.01);
        END LOOP;
    END \$\$" 2>&1)" = "NOTICE:  copying" ]
}
still_copying() {
    [ "$(sql "SELECT count(*) FROM pg_stat_progress_copy p JOIN pg_stat_activity a USING (pid)
              WHERE a.query LIKE 'COPY \"convictions_record_%'")" = 1 ]
}
lock_waits() {
    sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
}
as_analyst() { "$CIA" --db "host=$PGH user=ciatteh_analyst dbname=ciatteh" "$@"; }

t_begin "a conviction load goes ahead past an analyst's open transaction"
assert_exit 0 ciatteh load convictions "$T/small.csv"
session reader ciatteh_analyst 7
echo "BEGIN; SELECT 'read ' || sum(value) FROM item_fact_conviction_persons;" >&7
wait_until 10 grep -q '^read 2000$' "$T/reader.out" || _fail "the analyst's transaction did not read" "$(cat "$T/reader.out")"
CIATTEH_LOCK_TIMEOUT=60 "$CIA" load convictions "$T/big.csv" >"$T/big.out" 2>"$T/big.err" </dev/null &
big=$!
if copying; then
    kill -STOP "$big"
    _pass "the load created its partition and is copying, the analyst's transaction still open"
else
    kill -STOP "$big" 2>/dev/null
    _fail "the load never reached its COPY" "$(cat "$T/big.err"; sql "SELECT pid, wait_event_type, wait_event, query FROM pg_stat_activity")"
fi

t_begin "conviction queries answer while the load is frozen in its COPY"
before=$(sql "SELECT count(*) FROM delivery")
for it in conviction.persons conviction.prison conviction.fines conviction.confiscations; do
    as_analyst query "$it" --years 2014-2020 >"$T/q.out" 2>"$T/q.err" </dev/null &
    qp=$!
    waited=0
    # Until the query ends: any session waiting for a lock fails the test.
    while kill -0 "$qp" 2>/dev/null; do
        [ "$(lock_waits)" = 0 ] || { waited=1; break; }
    done
    if [ "$waited" = 1 ]; then
        _fail "query $it waited for a lock" "$(sql "SELECT pid, wait_event, query FROM pg_stat_activity WHERE wait_event_type = 'Lock'")"
        kill "$qp"
    fi
    wait "$qp"
    assert_eq "$?" 0 "query $it answered ($(cat "$T/q.err"))"
    assert_match "$(cat "$T/q.out")" "^$it,2014," "query $it: the figures already loaded"
done
# One row per year asked (ITEMS.md): the frozen load's years are there,
# but as years no delivery covers yet, never as figures.
assert_eq "$(grep -E ',(2018|2019),' "$T/q.out")" \
    "$(printf '%s\n' conviction.confiscations,2018,,n conviction.confiscations,2019,,n)" \
    "the frozen load's years are not seen: not delivered, no value"
still_copying && _pass "the load is still in its COPY" || _fail "the load is no longer copying"
assert_eq "$(sql "SELECT count(*) FROM delivery")" "$before" "its delivery has not committed"
assert_eq "$(sql "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY \"convictions_record_%'")" 1 \
    "the load's session is there, in its COPY"

t_begin "the frozen load resumes and commits; the analyst's transaction never held it"
kill -CONT "$big"
wait "$big"
assert_eq "$?" 0 "the big load exits 0 ($(cat "$T/big.err"))"
assert_match "$(cat "$T/big.out")" "300000 records loaded"
echo "SELECT 'still ' || sum(value) FROM item_fact_conviction_persons; COMMIT;" >&7
exec 7>&-
wait "$reader_pid"
assert_contains "$(cat "$T/reader.out")" "still 302000" "the analyst's transaction was open all along (read committed: sees the load)"
# THB alone unless the offence is asked: asked side by side, the two
# offences' persons are the 300000 bulletins of the file.
assert_exit 0 as_analyst query conviction.persons --years 2018-2019 --by offence
assert_eq "$(printf '%s\n' "$OUT" | sed 1d | cut -d, -f3 | sort | uniq -c | tr -s ' ')" \
    "$(printf ' %s\n' '2 SMUG' '2 THB')" "both years, both offences"
assert_eq "$(printf '%s\n' "$OUT" | sed 1d | cut -d, -f4 | paste -sd+ | bc)" 300000 "the new figures"

t_begin "a conflicting lock stalls a load only up to the lock timeout: 75, a clear message"
session admin ciatteh 8
echo "BEGIN; LOCK TABLE convictions_record IN SHARE MODE; SELECT 'locked';" >&8
wait_until 10 grep -q '^locked$' "$T/admin.out" || _fail "the lock was not taken" "$(cat "$T/admin.out")"
n=$(sql "SELECT count(*) FROM delivery")
assert_exit 75 env CIATTEH_LOCK_TIMEOUT=1 "$CIA" load convictions "$T/more.csv"
assert_contains "$ERR" "another session holds a lock on convictions_record for more than the lock timeout (1 s, CIATTEH_LOCK_TIMEOUT): nothing was loaded; try again later"
assert_eq "$(sql "SELECT count(*) FROM delivery")" "$n" "nothing loaded"
assert_eq "$(sql "SELECT string_agg(relname, ',') FROM pg_class WHERE relname LIKE 'convictions\_record\_%' AND relkind = 'r' AND NOT relispartition")" "" \
    "no stray partition table"
echo "ROLLBACK;" >&8
exec 8>&-
wait "$admin_pid"
assert_exit 0 ciatteh load convictions "$T/more.csv"
