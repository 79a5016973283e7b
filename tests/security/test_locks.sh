#!/bin/sh
# test_locks.sh — issue 18, attack 5: the run's lock and the loaders' locks
# can be taken only by ciatteh's roles (schema/0008): as ciatteh_analyst,
# the old advisory keys stop nothing, the new locks are refused, and the
# holder a refused run names comes from the server, not from the holder.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/unattended/common.sh"

PGH=$CIATTEH_HOME/pg
# psql_as ROLE SQL — one statement as a role; sets RC, OUT, ERR.
psql_as() {
    run psql -h "$PGH" -U "$1" -d ciatteh -XAtq -v ON_ERROR_STOP=1 -c "$2"
}
# hold ROLE NAME SQL — a psql session of ROLE that runs SQL (in an open
# transaction) and stays; `release NAME` ends it.
hold() {
    mkfifo "$T/$2.fifo"
    ( psql -h "$PGH" -U "$1" -d ciatteh -XAtq -v ON_ERROR_STOP=1 <"$T/$2.fifo" >"$T/$2.out" 2>&1 ) &
    eval "${2}_pid=\$!"
    eval "exec ${3}>\"\$T/\$2.fifo\""
    echo "$4" >&"$3"
}
release() {
    local pid
    echo "ROLLBACK;" >&"$2"
    eval "exec ${2}>&-"
    eval "pid=\$${1}_pid"
    wait "$pid"
}

mkdir -p "$T/x/police" "$T/x/drop"
make_site "$T/s" "$T/x" "enabled = no"
"$GEN" police --rows 300 --seed 5 --years 2018-2019 -o "$T/police.csv" || _fail "cannot generate"
"$GEN" police --rows 300 --seed 6 --years 2018-2019 -o "$T/police2.csv" || _fail "cannot generate"

t_begin "the analyst's advisory locks on the old keys stop neither the run nor a load"
assert_exit 0 ciatteh db init
hold ciatteh_analyst adv 7 "BEGIN; SELECT pg_advisory_lock(7310420006);
SELECT pg_advisory_xact_lock(hashtext('ciatteh.load'), hashtext('police'));"
wait_until 10 sh -c "[ \"\$(psql -h '$PGH' -U ciatteh -d ciatteh -XAtq -c \"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted\")\" = 2 ]" \
    && _pass "the analyst holds both advisory locks" || _fail "the analyst's advisory locks were not taken" "$(cat "$T/adv.out")"
assert_exit 0 ciatteh run --config "$T/s/ciatteh.conf"
assert_contains "$ERR" "run finished"
assert_exit 0 env CIATTEH_LOCK_TIMEOUT=2 "$CIA" load police "$T/police.csv"
assert_match "$OUT" "records loaded from .* as delivery #[0-9]+"
release adv 7

t_begin "the analyst may not take, wait for or see the locks"
for stmt in "SELECT ciatteh_lock('run', true)" "SELECT ciatteh_lock('load.police')" \
            "SELECT ciatteh_lock('run')"; do
    psql_as ciatteh_analyst "BEGIN; $stmt"
    assert_ne "$RC" 0 "refused: $stmt"
    assert_match "$ERR" "may not (take the lock|add deliveries)" "says why: $stmt"
done
for stmt in "SELECT * FROM ciatteh_lock FOR UPDATE" "SELECT * FROM ciatteh_lock FOR KEY SHARE" \
            "LOCK TABLE ciatteh_lock IN ACCESS EXCLUSIVE MODE" "LOCK TABLE ciatteh_lock IN ACCESS SHARE MODE" \
            "SELECT * FROM ciatteh_lock" "UPDATE ciatteh_lock SET name = 'x'" "DELETE FROM ciatteh_lock" \
            "INSERT INTO ciatteh_lock VALUES ('load.x')"; do
    psql_as ciatteh_analyst "BEGIN; $stmt"
    assert_ne "$RC" 0 "refused: $stmt"
    assert_contains "$ERR" "permission denied" "permission denied: $stmt"
done
assert_eq "$(sql "SELECT string_agg(name, ',' ORDER BY name) FROM ciatteh_lock WHERE name IN ('run', 'load.police')")" \
    "load.police,run" "the lock rows are all there"

t_begin "a loader takes its own service's lock, not another's nor the run's"
psql_as ciatteh_loader_police "BEGIN; SELECT ciatteh_lock('load.police', true)"
assert_eq "$RC" 0 "the police loader takes the police lock"
psql_as ciatteh_loader_police "BEGIN; SELECT ciatteh_lock('load.shelters')"
assert_contains "$ERR" "may not add deliveries of shelters"
psql_as ciatteh_loader_police "BEGIN; SELECT ciatteh_lock('run', true)"
assert_contains "$ERR" "may not take the lock run"
psql_as ciatteh_loader_police "BEGIN; SELECT ciatteh_lock('whatever')"
assert_contains "$ERR" "no lock named whatever"

t_begin "a run held off by the run lock names the holder as the server knows it"
# The holder calls itself a ciatteh run of another pid: the run must not
# repeat what the holder chose, but name its user and server process.
hold ciatteh run 8 "SET application_name = 'ciatteh run pid 1 (forged)'; BEGIN; SELECT ciatteh_lock('run', true);
SELECT 'holder ' || pg_backend_pid();"
wait_until 10 sh -c "grep -q '^holder ' '$T/run.out'" || _fail "the holder did not take the lock" "$(cat "$T/run.out")"
hpid=$(sed -n 's/^holder //p' "$T/run.out")
assert_exit 75 ciatteh run --config "$T/s/ciatteh.conf"
assert_contains "$ERR" "another run holds the run lock (user ciatteh, server pid $hpid, since "
assert_not_contains "$ERR" "forged"
release run 8
assert_exit 0 ciatteh run --config "$T/s/ciatteh.conf"

t_begin "a load held off by its service's lock exits 75 after the lock timeout"
hold ciatteh_loader_police load 9 "BEGIN; SELECT ciatteh_lock('load.police');"
wait_until 10 sh -c "[ -n \"\$(psql -h '$PGH' -U ciatteh -d ciatteh -XAtq -c \"SELECT ciatteh_lock_holder('load.police')\")\" ]" \
    || _fail "the loader did not take its lock" "$(cat "$T/load.out")"
assert_eq "$(sql "SELECT ciatteh_lock_holder('load.police') LIKE 'user ciatteh_loader_police, server pid %'")" t \
    "the holder is the police loader's session"
n=$(sql "SELECT count(*) FROM delivery")
assert_exit 75 env CIATTEH_LOCK_TIMEOUT=1 "$CIA" load police "$T/police2.csv"
assert_contains "$ERR" "another load of police holds the lock; try again later"
assert_eq "$(sql "SELECT count(*) FROM delivery")" "$n" "nothing loaded"
release load 9
assert_exit 0 ciatteh load police "$T/police2.csv"
