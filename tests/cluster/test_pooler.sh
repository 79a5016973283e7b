#!/bin/sh
# test_pooler.sh — the connection pooler (PgBouncer, schema/pooler.c) beside
# the private cluster: started with it, `ciatteh query` (and report, chart,
# check) served by a backend kept from one command to the next, the same figures as a direct connection,
# loads direct, a killed pooler leaving queries direct until the next start
# brings it back, and `db stop` leaving no process behind.
. "$(dirname "$0")/../lib.sh"

POOL=$CIATTEH_HOME/pooler
PGB=${CIATTEH_PGBOUNCER:-/usr/sbin/pgbouncer}
DIRECT="host=$CIATTEH_HOME/pg dbname=ciatteh user=ciatteh"
if [ ! -x "$PGB" ]; then
    t_begin "pgbouncer installed"
    _fail "no $PGB (apt-get install pgbouncer; .ci/bootstrap does)"
    exit 1
fi

pooler_pid() {
    local p
    p=$(cat "$POOL/pgbouncer.pid" 2>/dev/null) || return 1
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = pgbouncer ] && echo "$p"
}
# The backends the pooler keeps for the owner role's database: idle after
# its DISCARD ALL, as pid and the moment their state last changed.
pooled() {
    sql "SELECT pid || ' ' || state_change FROM pg_stat_activity
         WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
           AND datname = 'ciatteh' AND usename = 'ciatteh' AND query = 'DISCARD ALL'
         ORDER BY pid"
}
# Every process whose working directory is in the home (servers, pooler).
home_procs() {
    find /proc -mindepth 2 -maxdepth 2 -name cwd -lname "$CIATTEH_HOME/*" 2>/dev/null |
        sed 's,^/proc/,,; s,/cwd$,,'
}

QUERIES="police.victims --by form --years 2016-2024
conviction.persons --by offence --years 2016-2024
prosecution.cases_in --where decision=REFERRAL,SETTLEMENT --year 2020
shelter.referrals --by centre --years 2019-2024 --as-of 2024-06-30"

t_begin "the cluster's start starts the pooler: Unix socket only, its folder 0700"
assert_exit 0 ciatteh -q db start
pid=$(pooler_pid)
assert_ne "$pid" "" "a pgbouncer runs, named in $POOL/pgbouncer.pid"
assert_file "$POOL/.s.PGSQL.6432"
assert_eq "$(stat -c %a "$POOL")" 700 "the pooler's folder is 0700"
assert_eq "$(stat -c %U "$POOL")" "$(stat -c %U "$CIATTEH_HOME/pg")" "and the server user's"
assert_match "$(cat "$POOL/pgbouncer.ini")" "^listen_addr = *$" "no TCP"
assert_match "$(cat "$POOL/pgbouncer.ini")" "^pool_mode = session$" "session pooling"
assert_eq "$(readlink "/proc/$pid/cwd")" "$POOL" "it runs in its folder (found there by any teardown)"
assert_exit 0 ciatteh db status
assert_contains "$OUT" "pooler: running"

t_begin "two successive queries: the same backend serves both, kept between them"
load_samples
assert_eq "$(pooled)" "" "loads went direct: no backend kept"
assert_exit 0 ciatteh query police.victims --by form --years 2016-2024
first=$(pooled)
assert_eq "$(printf '%s\n' "$first" | grep -c .)" 1 "one backend kept after the first query"
assert_exit 0 ciatteh query conviction.persons --by offence --years 2016-2024
second=$(pooled)
assert_eq "${second%% *}" "${first%% *}" "the second query had the same backend (pid ${first%% *})"
assert_ne "$second" "$first" "which worked again (its state changed)"
# report, chart and check, read-only and run many times, go through it too
for c in "report yoy --years 2020-2021" "chart trend --years 2020-2021 -o $T/t.svg" "check --years 2020-2021 --fail-on never"; do
    before=$(pooled)
    # shellcheck disable=SC2086
    assert_exit 0 ciatteh $c
    after=$(pooled)
    assert_eq "${after%% *}" "${first%% *}" "${c%% *}: the same backend (pid ${first%% *})"
    assert_ne "$after" "$before" "${c%% *}: which worked again"
done

t_begin "the same figures pooled and direct (CIATTEH_POOLER=off, --db to the socket)"
printf '%s\n' "$QUERIES" | while read -r q; do
    # shellcheck disable=SC2086
    run ciatteh query $q
    pooled_out=$OUT
    # shellcheck disable=SC2086
    run env CIATTEH_POOLER=off $CIA query $q
    assert_eq "$RC" 0 "direct: $q"
    assert_eq "$OUT" "$pooled_out" "same output: $q"
    assert_match "$OUT" "^item,year," "a CSV: $q"
done
before=$(pooled)
assert_exit 0 env CIATTEH_POOLER=off "$CIA" query police.victims --years 2016-2024
assert_eq "$(pooled)" "$before" "CIATTEH_POOLER=off went direct: the kept backend did not move"
assert_exit 0 ciatteh --db "$DIRECT" query police.victims --years 2016-2024
assert_ne "$(pooled)" "$before" "--db naming the private cluster's socket is pooled too"

t_begin "a load goes direct while the pooler runs"
before=$(pooled)
assert_exit 0 ciatteh -q load --loaded-at '2025-02-01 09:00:00' police \
    "$ROOT/etl/samples/multi-year/police_2016-2024.csv"
assert_eq "$(pooled)" "$before" "the kept backend did not serve the load"

t_begin "a killed pooler: queries go direct, the next start of a command brings it back"
pid=$(pooler_pid)
kill -9 "$pid"
wait_until 5 sh -c "! kill -0 $pid" || _fail "pgbouncer survived kill -9"
assert_exit 0 ciatteh --db "$DIRECT" query police.victims --by form --years 2016-2024
assert_match "$OUT" "^police.victims,2016," "answered directly (--db starts nothing)"
assert_eq "$(pooler_pid)" "" "no pooler was started by it"
assert_exit 0 ciatteh query police.victims --by form --years 2016-2024
new=$(pooler_pid)
assert_ne "$new" "" "the private cluster's command started a new pooler"
assert_ne "$new" "$pid" "(a new process)"

t_begin "CIATTEH_POOLER=off: a start starts no pooler"
assert_exit 0 ciatteh -q db stop
assert_exit 0 env CIATTEH_POOLER=off "$CIA" -q db start
assert_eq "$(pooler_pid)" "" "no pgbouncer"
assert_exit 0 ciatteh db status
assert_contains "$OUT" "pooler: not running"
assert_exit 0 env CIATTEH_POOLER=off "$CIA" query police.victims --years 2016-2024
assert_eq "$(pooled)" "" "the query went direct"

t_begin "a pooler that cannot start: the command says so and connects directly"
run env CIATTEH_PGBOUNCER=/bin/false "$CIA" query police.victims --years 2016-2024
assert_eq "$RC" 0 "the query answered"
assert_match "$OUT" "^police.victims,2016," "its figures"
assert_contains "$ERR" "connection pooler not started"
assert_eq "$(pooler_pid)" "" "no pgbouncer"

t_begin "db stop stops the pooler and the server: no process left in the home"
assert_exit 0 ciatteh -q db start
pid=$(pooler_pid)
assert_ne "$pid" "" "a pooler runs again"
assert_exit 0 ciatteh query police.victims --years 2016-2024
assert_ne "$(pooled)" "" "with a backend kept"
assert_exit 0 ciatteh -q db stop
assert_eq "$(home_procs)" "" "no process runs in the home"
assert_no_file "$POOL/pgbouncer.pid" "$POOL/.s.PGSQL.6432"
if kill -0 "$pid" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
    _fail "pgbouncer $pid still runs"
else _pass "pgbouncer $pid is gone"; fi
