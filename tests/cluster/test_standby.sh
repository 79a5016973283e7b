#!/bin/sh
# test_standby.sh — issue 18, point 9: `db standby DIR` runs a streaming
# hot standby of the private cluster; loads on the primary reach it (the
# test waits for their replay with pg_last_wal_replay_lsn, not a sleep),
# and query and deliveries read the same figures there, directly or
# through a conninfo with target_session_attrs.
FRESH_CLUSTER=1   # this suite makes its cluster itself (not the template home)
. "$(dirname "$0")/../lib.sh"

need_gen
PGH=$CIATTEH_HOME/pg
S=$T/sb
"$GEN" police --rows 600 --seed 1 --years 2017-2019 -o "$T/police.csv" &&
"$GEN" convictions --rows 700 --seed 2 --years 2017-2019 -o "$T/conv.csv" ||
    _fail "cannot generate the extracts"
ON_STANDBY="host=$S dbname=ciatteh user=ciatteh"
# state [CONNINFO] — deliveries and every item's figures.
state() {
    ciatteh ${1:+--db "$1"} deliveries 2>&1
    for it in $(ciatteh items --format csv 2>/dev/null | sed 1d | cut -d, -f1); do
        ciatteh ${1:+--db "$1"} query "$it" --years 2016-2020 2>&1 || echo "query $it failed"
    done
}
# replayed — the standby has replayed everything the primary wrote so far.
replayed() {
    local lsn
    lsn=$(sql "SELECT pg_current_wal_lsn()")
    wait_until 60 sh -c "[ \"\$(psql -h '$S' -U ciatteh -d ciatteh -XAtq -c \"SELECT pg_last_wal_replay_lsn() >= '$lsn'\")\" = t ]"
}

t_begin "db standby: a hot standby of the private cluster, in recovery, on its own socket"
assert_exit 0 ciatteh db init
assert_exit 0 ciatteh load police "$T/police.csv"
assert_exit 0 ciatteh db standby "$S"
assert_contains "$OUT" "standby running in $S"
assert_file "$S/.s.PGSQL.5432" "$S/data/standby.signal"
assert_eq "$(psql -h "$S" -U ciatteh -d ciatteh -XAtq -c 'SELECT pg_is_in_recovery()')" t "the standby is in recovery"
assert_eq "$(sql "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" 1 "the primary streams to it"
assert_exit 0 ciatteh db standby "$S"
assert_contains "$OUT" "standby running in $S" "again: already running, fine"

t_begin "loads on the primary: the same deliveries and figures on the standby"
assert_exit 0 ciatteh load convictions "$T/conv.csv"
replayed && _pass "the standby replayed the loads" || _fail "the standby never caught up"
state >"$T/primary"
state "$ON_STANDBY" >"$T/standby"
assert_contains "$(cat "$T/standby")" "conviction.persons,2019," "the standby has the conviction figures"
assert_eq "$(cat "$T/standby")" "$(cat "$T/primary")" "deliveries and every figure the same"

t_begin "target_session_attrs picks the standby (or the primary) from one conninfo"
BOTH="host=$PGH,$S dbname=ciatteh user=ciatteh"
assert_eq "$(psql "$BOTH target_session_attrs=standby" -XAtq -c 'SELECT pg_is_in_recovery()')" t "standby: the standby"
assert_eq "$(psql "$BOTH target_session_attrs=read-write" -XAtq -c 'SELECT pg_is_in_recovery()')" f "read-write: the primary"
assert_exit 0 ciatteh --db "$BOTH target_session_attrs=prefer-standby" query conviction.persons --years 2016-2020
assert_eq "$OUT" "$(ciatteh query conviction.persons --years 2016-2020)" "query through prefer-standby: the same figures"

t_begin "the standby refuses writes: a load there changes nothing"
"$GEN" police --rows 50 --seed 9 --years 2020-2020 -o "$T/police2.csv"
run ciatteh --db "$ON_STANDBY" load police "$T/police2.csv"
assert_ne "$RC" 0 "a load on the standby fails"
assert_contains "$ERR" "read-only"
assert_eq "$(sql "SELECT count(*) FROM delivery")" 2 "nothing loaded on the primary either"

t_begin "checks run on the standby: the same findings as on the primary"
# The check engine builds temporary tables where it may; a standby takes
# no writes at all, so there it reads the same context inline.
run ciatteh check --format csv
P_RC=$RC P_OUT=$OUT
assert_contains "$P_OUT" "rule,severity" "the primary's findings, as CSV"
run ciatteh --db "$ON_STANDBY" check --format csv
assert_eq "$RC" "$P_RC" "the same exit status"
assert_eq "$OUT" "$P_OUT" "the same findings"
