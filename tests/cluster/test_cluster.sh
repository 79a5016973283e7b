#!/bin/sh
# test_cluster.sh — the command line's frame and the private cluster's life:
# help and exit codes; `db start|status|stop`; two starts at once; a killed
# server brought back by the next command; which server --db, CIATTEH_DB and
# the PG* variables reach; an ordinary (non-root) user with a cluster of its
# own.  One private cluster in a throwaway CIATTEH_HOME (see tests/lib.sh).
FRESH_CLUSTER=1   # this suite makes its cluster itself (not the template home)
. "$(dirname "$0")/../lib.sh"

DATA=$CIATTEH_HOME/pg/data
SOCK=$CIATTEH_HOME/pg/.s.PGSQL.5432

count() { [ -z "$1" ] && echo 0 || printf '%s\n' "$1" | wc -l | tr -d ' '; }
postmaster_file_pid() { head -n 1 "$DATA/postmaster.pid" 2>/dev/null; }
server_down() { ! pg_isready -q -h "$CIATTEH_HOME/pg" -t 1; }

# ------------------------------------------------------------------ the CLI
# (before anything starts the cluster: help must not create one)

t_begin "--help: usage, every command, every exit code"
assert_exit 0 ciatteh --help
assert_contains "$OUT" "usage: ciatteh"
for cmd in db help; do assert_match "$OUT" "^  $cmd +" "--help lists '$cmd'"; done
for code in 64 65 66 69 70 73 75; do
    assert_match "$OUT" "^ +$code +[a-z]" "--help explains exit code $code"
done
assert_eq "$ERR" "" "--help writes nothing on stderr"

t_begin "-h is --help"
help=$OUT
assert_exit 0 ciatteh -h
assert_eq "$OUT" "$help" "-h prints the same as --help"

t_begin "--version prints the VERSION file"
assert_exit 0 ciatteh --version
assert_eq "$OUT" "ciatteh $(cat "$ROOT/VERSION")"

t_begin "help db and db --help: the same usage, with the exit codes"
assert_exit 0 ciatteh help db
helpdb=$OUT
assert_contains "$helpdb" "usage: ciatteh db"
for act in init start stop status psql; do assert_match "$helpdb" "^  $act " "help db explains '$act'"; done
assert_match "$helpdb" "^ +69 +" "help db lists the exit codes"
assert_exit 0 ciatteh db --help
assert_eq "$OUT" "$helpdb" "db --help = help db"
assert_exit 0 ciatteh db -h
assert_eq "$OUT" "$helpdb" "db -h = help db"

t_begin "an unknown command exits 64 with a message on stderr"
assert_exit 64 ciatteh frobnicate
assert_eq "$OUT" "" "nothing on stdout"
assert_match "$ERR" "^ciatteh: .*frobnicate" "stderr names the command, prefixed 'ciatteh: '"

t_begin "usage errors exit 64"
assert_exit 64 ciatteh
assert_contains "$ERR" "usage: ciatteh" "no command: usage on stderr"
assert_exit 64 ciatteh --no-such-option db status
assert_exit 64 ciatteh help frobnicate
assert_contains "$ERR" "frobnicate"
assert_exit 64 ciatteh db
assert_match "$ERR" "^ciatteh: db: "
assert_exit 64 ciatteh db frobnicate
assert_match "$ERR" "^ciatteh: db: .*frobnicate"
assert_exit 64 ciatteh db start extra

t_begin "help and usage errors leave no cluster behind"
assert_no_file "$CIATTEH_HOME/pg"

# ------------------------------------------------------------------ start, status
t_begin "two db start at once on a new home: both succeed, one server"
ciatteh db start >"$T/s1.out" 2>"$T/s1.err" &
p1=$!
ciatteh db start >"$T/s2.out" 2>"$T/s2.err" &
p2=$!
wait $p1; rc1=$?
wait $p2; rc2=$?
assert_eq "$rc1" 0 "first db start exits 0 ($(cat "$T/s1.err"))"
assert_eq "$rc2" 0 "second db start exits 0 ($(cat "$T/s2.err"))"
both=$(cat "$T/s1.out" "$T/s2.out")
assert_eq "$(count "$(printf '%s\n' "$both" | grep '^started')")" 1 \
    "exactly one of them started the server: $both"
assert_eq "$(count "$(printf '%s\n' "$both" | grep '^already running')")" 1 \
    "the other found it running: $both"
assert_eq "$(count "$(postmaster_pids "$DATA")")" 1 "one postmaster serves $DATA"

t_begin "db status: a running server, its socket in \$CIATTEH_HOME"
assert_exit 0 ciatteh db status
assert_contains "$OUT" "running"
assert_contains "$OUT" "$CIATTEH_HOME/pg"
pid=$(postmaster_file_pid)
assert_contains "$OUT" "pid $pid" "status names the postmaster's pid"
assert_file "$SOCK"
assert_eq "$(postmaster_pids "$DATA")" "$pid" "that pid is the postmaster of our data directory"
assert_eq "$(sql 'SHOW listen_addresses')" "" "no TCP (listen_addresses is empty)"
assert_eq "$(sql 'SHOW unix_socket_directories')" "$CIATTEH_HOME/pg"
assert_eq "$(sql 'SELECT current_database()')" "ciatteh" "database ciatteh exists"
if [ "$(id -u)" = 0 ]; then
    assert_eq "$(ps -o user= -p "$pid" | tr -d ' ')" postgres "as root, the server runs as postgres"
    assert_eq "$(stat -c %U "$DATA")" postgres "as root, postgres owns the data directory"
fi

t_begin "the server's backends keep the memory they free (MALLOC_*_), unless the caller set its own"
# schema/cluster.c: without it every figures() call page-faults its
# memory in again.  Read from the postmaster's environment (root, or the
# server user, may read it).
envof() { tr '\0' '\n' <"/proc/$1/environ" 2>/dev/null | grep -E '^(MALLOC_[A-Z_]*_|GLIBC_TUNABLES|LC_ALL)=' | sort | tr '\n' ' '; }
if [ -r "/proc/$pid/environ" ]; then
    assert_eq "$(envof "$pid")" "LC_ALL=C.UTF-8 MALLOC_MMAP_THRESHOLD_=8388608 MALLOC_TRIM_THRESHOLD_=16777216 "
    assert_exit 0 ciatteh db stop
    run env MALLOC_TRIM_THRESHOLD_=1048576 "$CIA" db start
    assert_eq "$RC" 0 "db start with the caller's MALLOC_TRIM_THRESHOLD_"
    assert_eq "$(envof "$(postmaster_file_pid)")" \
        "LC_ALL=C.UTF-8 MALLOC_MMAP_THRESHOLD_=8388608 MALLOC_TRIM_THRESHOLD_=1048576 " "the caller's own value kept"
    assert_exit 0 ciatteh db stop
    run env GLIBC_TUNABLES=glibc.malloc.arena_max=2 "$CIA" db start
    assert_eq "$(envof "$(postmaster_file_pid)")" "GLIBC_TUNABLES=glibc.malloc.arena_max=2 LC_ALL=C.UTF-8 " \
        "the caller's GLIBC_TUNABLES alone"
    assert_exit 0 ciatteh db stop
    assert_exit 0 ciatteh db start
    pid=$(postmaster_file_pid)
else
    skip "cannot read the postmaster's environment here"
fi

t_begin "db start on a running server: already running, same server"
assert_exit 0 ciatteh db start
assert_match "$OUT" "^already running"
assert_eq "$(postmaster_file_pid)" "$pid" "the postmaster is the same"

# ------------------------------------------------------------------ killed servers
t_begin "kill -9 of the postmaster: the next command (db init) brings it back"
old=$(postmaster_file_pid)
kill -9 "$old"
wait_until 10 server_down
assert_exit 0 ciatteh db init
assert_contains "$OUT" "database ready"
assert_exit 0 ciatteh db status
new=$(postmaster_file_pid)
assert_ne "$new" "$old" "a new postmaster runs"
assert_eq "$(postmaster_pids "$DATA")" "$new" "exactly one postmaster, the new one"

t_begin "kill -9 of the postmaster: db psql brings it back"
old=$(postmaster_file_pid)
kill -9 "$old"
wait_until 10 server_down
OUT=$(printf 'SELECT 6 * 7;\n' | ciatteh db psql 2>"$T/psql.err")
assert_eq "$(printf '%s\n' "$OUT" | grep -c '^ *42$')" 1 "psql answered ($(cat "$T/psql.err"))"
new=$(postmaster_file_pid)
assert_ne "$new" "$old" "a new postmaster runs"
assert_eq "$(count "$(postmaster_pids "$DATA")")" 1 "exactly one postmaster"

t_begin "every server process killed (stale postmaster.pid): db start brings it back"
victims=$(find /proc -mindepth 2 -maxdepth 2 -name cwd -lname "$(cd "$DATA" && pwd -P)" 2>/dev/null |
          sed 's,^/proc/,,; s,/cwd$,,')
kill -9 $victims 2>/dev/null
wait_until 10 server_down
assert_file "$DATA/postmaster.pid"
assert_exit 0 ciatteh db start
assert_match "$OUT" "^started"
assert_eq "$(count "$(postmaster_pids "$DATA")")" 1 "exactly one postmaster"
assert_eq "$(sql 'SELECT 1')" 1 "it answers"

t_begin "a backend killed: the server recovers, and the command run meanwhile waits for it"
# A backend's crash makes the postmaster end every other one and replay
# the WAL, while postmaster.pid still says "ready", which is what a
# command reads to know the server is up (schema/cluster.c): its first
# connection is refused ("in recovery mode") and it must wait, not fail.
sleeper_pid() { sql "SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)'"; }
sleeping() { [ -n "$(sleeper_pid)" ]; }
sql "SELECT pg_sleep(60)" >/dev/null 2>&1 &
sleeper=$!
wait_until 10 sleeping
victim=$(sleeper_pid)
assert_ne "$victim" "" "a backend to kill"
old=$(postmaster_file_pid)
kill -9 $victim
assert_exit 0 ciatteh deliveries --format csv
wait "$sleeper"
assert_eq "$(postmaster_file_pid)" "$old" "the same postmaster"
assert_contains "$(cat "$CIATTEH_HOME/pg/server.log")" "terminated by signal 9" "the server saw the crash"

# ------------------------------------------------------------------ stop
t_begin "db stop, then db status exits 69"
assert_exit 0 ciatteh db stop
assert_exit 69 ciatteh db status
assert_contains "$OUT" "stopped"
assert_eq "$(count "$(postmaster_pids "$DATA")")" 0 "no postmaster left"
assert_no_file "$SOCK"

t_begin "db stop on a stopped cluster succeeds"
assert_exit 0 ciatteh db stop
assert_exit 69 ciatteh db status

t_begin "three commands at once on a stopped cluster: all succeed, one server"
ciatteh db init >"$T/c1.out" 2>&1 &
p1=$!
ciatteh db start >"$T/c2.out" 2>&1 &
p2=$!
ciatteh db init >"$T/c3.out" 2>&1 &
p3=$!
wait $p1; rc1=$?
wait $p2; rc2=$?
wait $p3; rc3=$?
assert_eq "$rc1 $rc2 $rc3" "0 0 0" "exit codes ($(cat "$T"/c[123].out))"
assert_eq "$(count "$(postmaster_pids "$DATA")")" 1 "one postmaster serves $DATA"
assert_exit 0 ciatteh db status

# ------------------------------------------------------------------ which server
# Three databases on our private server, each reached only through libpq's
# own ways: --db CONNINFO, CIATTEH_DB, PGHOST/PGDATABASE/PGUSER.  Whichever
# gets migrated by `db init` is the one that was used.
PGD=$CIATTEH_HOME/pg
for d in cia_opt cia_env cia_pg; do
    createdb -h "$PGD" -U ciatteh "$d" || _fail "createdb $d"
done
CI_OPT="host=$PGD dbname=cia_opt user=ciatteh"
CI_ENV="host=$PGD dbname=cia_env user=ciatteh"
migrated() { sql "SELECT to_regclass('ciatteh_migration') IS NOT NULL" "$1"; }
# ciatteh_env NAME=VALUE... -- ARGS: ciatteh with those variables set.
ciatteh_env() {
    (
        while [ $# -gt 0 ] && [ "$1" != -- ]; do export "$1"; shift; done
        shift
        ciatteh "$@"
    )
}

t_begin "--db CONNINFO wins over CIATTEH_DB and PG* variables"
assert_exit 0 ciatteh_env CIATTEH_DB="$CI_ENV" PGHOST="$PGD" PGDATABASE=cia_pg PGUSER=ciatteh \
    -- --db "$CI_OPT" db init
assert_eq "$(migrated cia_opt) $(migrated cia_env) $(migrated cia_pg)" "t f f" \
    "only cia_opt was migrated"
assert_exit 0 ciatteh_env CIATTEH_DB="$CI_ENV" PGHOST="$PGD" PGDATABASE=cia_pg PGUSER=ciatteh \
    -- --db "$CI_OPT" db status
assert_contains "$OUT" "database cia_opt"

t_begin "CIATTEH_DB wins over PG* variables"
assert_exit 0 ciatteh_env CIATTEH_DB="$CI_ENV" PGHOST="$PGD" PGDATABASE=cia_pg PGUSER=ciatteh -- db init
assert_eq "$(migrated cia_env) $(migrated cia_pg)" "t f" "cia_env was migrated, cia_pg not"
assert_exit 0 ciatteh_env CIATTEH_DB="$CI_ENV" PGHOST="$PGD" PGDATABASE=cia_pg PGUSER=ciatteh -- db status
assert_contains "$OUT" "database cia_env"

t_begin "PGHOST/PGDATABASE/PGUSER reach their server through libpq"
assert_exit 0 ciatteh_env PGHOST="$PGD" PGDATABASE=cia_pg PGUSER=ciatteh -- db init
assert_eq "$(migrated cia_pg)" t "cia_pg was migrated"
assert_exit 0 ciatteh_env PGHOST="$PGD" PGDATABASE=cia_pg PGUSER=ciatteh -- db status
assert_contains "$OUT" "database cia_pg"

t_begin "db start and db stop refuse a configured server (64)"
assert_exit 64 ciatteh --db "$CI_OPT" db start
assert_exit 64 ciatteh_env CIATTEH_DB="$CI_ENV" -- db stop
assert_exit 64 ciatteh_env PGHOST="$PGD" -- db stop
assert_exit 0 ciatteh db status
assert_contains "$OUT" "running" "the private server still runs"

t_begin "a configured server that is down exits 69 and is not started for it"
assert_exit 0 ciatteh db stop
assert_exit 69 ciatteh --db "$CI_OPT" db init
assert_contains "$ERR" "ciatteh: "
assert_exit 69 ciatteh_env CIATTEH_DB="$CI_ENV" -- db init
assert_exit 69 ciatteh_env PGHOST="$PGD" PGDATABASE=cia_pg PGUSER=ciatteh -- db init
assert_exit 69 ciatteh --db "host=$T/nowhere dbname=x user=ciatteh" db init
assert_eq "$(count "$(postmaster_pids "$DATA")")" 0 "the private cluster stayed down"

# ------------------------------------------------------------------ non-root
t_begin "an ordinary user runs a private cluster of its own"
if [ "$(id -u)" != 0 ]; then
    # The whole script already ran as an ordinary user.
    assert_exit 0 ciatteh db start
    assert_eq "$(stat -c %U "$DATA")" "$(id -un)" "our own user owns the data directory"
elif ! command -v useradd >/dev/null || ! command -v runuser >/dev/null; then
    skip "useradd or runuser missing: cannot run as an ordinary user here"
else
    u=ciat$$
    if ! useradd -M -N -s /bin/sh -d /nonexistent "$u" 2>"$T/useradd.err"; then
        skip "cannot create a throwaway user: $(cat "$T/useradd.err")"
    else
        on_teardown "userdel '$u'"
        UD=$T/user
        mkdir -m 755 "$UD"
        # ciatteh runs ciatteh-query, ciatteh-data or ciatteh-full from its own folder.
        cp "$CIA" "${CIA%/*}/ciatteh-query" "${CIA%/*}/ciatteh-data" "${CIA%/*}/ciatteh-full" "$UD/"
        cp "$ROOT/tests/lsan.supp" "$UD/lsan.supp"
        chmod 755 "$UD/ciatteh" "$UD/ciatteh-query" "$UD/ciatteh-data" "$UD/ciatteh-full"
        chmod 644 "$UD/lsan.supp"
        chown "$u" "$UD"
        as_user() {
            runuser -u "$u" -- env CIATTEH_HOME="$UD/home" \
                LSAN_OPTIONS="suppressions=$UD/lsan.supp:print_suppressions=0" \
                $_lib_timeout "$UD/ciatteh" "$@"
        }
        assert_exit 0 as_user db start
        assert_match "$OUT" "^started"
        assert_exit 0 as_user db status
        assert_contains "$OUT" "running"
        assert_contains "$OUT" "$UD/home/pg"
        upid=$(head -n 1 "$UD/home/pg/data/postmaster.pid" 2>/dev/null)
        assert_eq "$(ps -o user= -p "$upid" | tr -d ' ')" "$u" "the server runs as $u"
        assert_eq "$(stat -c %U "$UD/home/pg/data")" "$u" "$u owns the data directory"
        assert_exit 0 as_user db init
        assert_contains "$OUT" "database ready"
        assert_exit 0 as_user db stop
        assert_exit 69 as_user db status
    fi
fi
