# tests/lib.sh — sourced by every integration test script:
#
#     #!/bin/sh
#     . "$(dirname "$0")/../lib.sh"
#     t_begin "db start reports a running server"
#     assert_exit 0 ciatteh db start
#     assert_contains "$OUT" "started"
#
# What sourcing it gives a script:
#   - a throwaway CIATTEH_HOME (mode 755, so the `postgres` user that runs
#     the server when we are root can reach it) under a fresh temporary
#     directory $T, exported; one private cluster per script, started by the
#     first command that needs it (a copy of tests/run's template home, made
#     once by `db init`, when tests/run made one and the script did not set
#     FRESH_CLUSTER=1 before sourcing this file);
#   - a teardown on EXIT/INT/TERM/HUP that stops every cluster under $T
#     (`ciatteh db stop`, then `pg_ctl stop -m immediate`, then SIGKILL for
#     anything left whose working directory or environment is ours), runs
#     the script's on_teardown commands, checks for sanitizer reports,
#     removes $T and prints the summary line "N passed, N failed";
#   - the binary under test: $CIA, and the function `ciatteh` (the
#     instrumented build/asan/bin/ciatteh unless CIATTEH_BIN says otherwise),
#     each run bounded by a timeout;
#   - assertions that count per test (t_begin NAME opens a test; it passes
#     when none of its assertions failed);
#   - `sql "SELECT ..." [DB]`: psql -XAt on the private cluster's socket.
#
# Environment knobs: CIATTEH_BIN, B (build folder, default build),
# TEST_VERBOSE=1 (print every assertion), KEEP_TMP=1 (keep $T after the run;
# the servers are stopped all the same), CIA_TIMEOUT (seconds per command,
# default 120), CIATTEH_PYTHON (the helpers' Python, default /usr/bin/python3).
#
# POSIX sh (plus `local`), so scripts may be sh or bash; safe under set -u.

# ---------------------------------------------------------------- places
HERE=$(cd "$(dirname "$0")" && pwd)          # the test's folder: data files live beside it
ROOT=$HERE
while [ "$ROOT" != / ] && [ ! -f "$ROOT/tests/lib.sh" ]; do ROOT=$(dirname "$ROOT"); done
TEST_NAME=${TEST_NAME:-$(basename "$HERE")/$(basename "$0" .sh)}
B=${B:-build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
CIA=${CIATTEH_BIN:-$B/asan/bin/ciatteh}
case $CIA in /*) ;; */*) CIA=$(pwd)/$CIA ;; esac
PGBIN=${CIATTEH_PGBIN:-/usr/lib/postgresql/15/bin}
# PostgreSQL's own programs first on PATH: Debian's /usr/bin/psql (and
# createdb, pg_dump...) is pg_wrapper, a Perl script that finds the
# cluster's version and then runs the real one; ~37 ms of CPU per call
# (51 against 14 ms), and the suites call psql ~830 times.
PATH=$PGBIN:$PATH
export PATH
# The Python of the test helpers: Debian's, where python3-openpyxl,
# python3-pil and the other python3-* packages of .ci/bootstrap live.  The
# python3 first on PATH may be another one (a pyenv shim: without them,
# and ~0.25 s of CPU per start in its shell wrappers).
PY=${CIATTEH_PYTHON:-/usr/bin/python3}
export B

# ---------------------------------------------------------------- environment
# Nothing from the caller's environment may point the tests at a real server.
unset PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGPASSWORD PGPASSFILE \
      PGSERVICE PGSERVICEFILE PGOPTIONS PGSSLMODE PGCONNECT_TIMEOUT PGAPPNAME \
      PGDATA CIATTEH_DB CIATTEH_HOME COLUMNS 2>/dev/null
# Same sanitizer settings as tests/run, for a script run alone (the
# caller's own options, if any, come after ours and win).
case ${ASAN_OPTIONS:-} in *exitcode=86*) ;; *)
    ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:print_stacktrace=1:detect_leaks=1:check_initialization_order=1:strict_string_checks=1:exitcode=86${ASAN_OPTIONS:+:$ASAN_OPTIONS}" ;;
esac
case ${UBSAN_OPTIONS:-} in *exitcode=86*) ;; *)
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=86${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}" ;;
esac
# Frames are named only when a report fails the suite (teardown, step 6,
# tests/tools/symbolize.sh): naming them in the process starts
# llvm-symbolizer on the instrumented binary, ~0.17 s of CPU at the exit of
# every drawing command for the fontconfig leaks that lsan.supp drops.
case ${ASAN_OPTIONS:-} in *symbolize=*) ;; *) ASAN_OPTIONS="$ASAN_OPTIONS:symbolize=0" ;; esac
# A freed block waits in quarantine before reuse, so that a use after free
# hits poisoned memory.  256 MB (the default) is more than any of our
# processes allocates in its life, so every allocation was fresh memory: a
# page fault each, a third of the suites' CPU in system time.  16 MB still
# holds the last several thousand frees of a pack (the instrumented pack:
# 3.9 s of CPU with 256 MB, 3.1 s with 16 MB).
case ${ASAN_OPTIONS:-} in *quarantine_size_mb=*) ;; *) ASAN_OPTIONS="$ASAN_OPTIONS:quarantine_size_mb=16" ;; esac
case ${UBSAN_OPTIONS:-} in *symbolize=*) ;; *) UBSAN_OPTIONS="$UBSAN_OPTIONS:symbolize=0" ;; esac
case ${LSAN_OPTIONS:-} in *lsan.supp*) ;; *)
    LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}" ;;
esac
LC_ALL=C.UTF-8
export LC_ALL

# ---------------------------------------------------------------- counters
_t_pass=0 _t_fail=0 _t_skip=0 _t_asserts=0
_t_active=0 _t_cur="" _t_cur_fail=0 _t_cur_skip=""
_lib_cleanups="" _lib_interrupted=""
OUT="" ERR="" RC=0

# t_begin NAME — open a test (and close the previous one).
t_begin() {
    _t_end
    _t_cur=$1 _t_active=1 _t_cur_fail=0 _t_cur_skip=""
    _lib_ms; _t_cur_t0=$_lib_now
    [ -n "${TEST_VERBOSE:-}" ] && echo "-- $1"
    return 0
}

# _lib_ms — _lib_now = milliseconds since boot (to 10 ms), read with the
# shell's own `read`: a `$(date ...)` was a fork and an exec, twice a
# test (~4 ms of CPU each on the CI guests, where a page fault costs
# ~13 µs; docs/TESTING.md).
_lib_ms() {
    local up _
    read -r up _ </proc/uptime
    _lib_now=$(( ${up%.*} * 1000 + 1${up#*.}0 - 1000 ))
}

_t_end() {
    local secs
    [ "$_t_active" = 1 ] || return 0
    _t_active=0
    _lib_ms
    secs=$(( _lib_now - _t_cur_t0 ))
    secs=$((secs / 1000)).$(( (secs % 1000) / 100 ))s
    if [ "$_t_cur_fail" -gt 0 ]; then
        _t_fail=$((_t_fail + 1)); echo "FAIL $_t_cur ($secs)"
    elif [ -n "$_t_cur_skip" ]; then
        _t_skip=$((_t_skip + 1)); echo "skip $_t_cur: $_t_cur_skip"
    else
        _t_pass=$((_t_pass + 1)); echo "ok   $_t_cur ($secs)"
    fi
}

# skip MESSAGE — the current test could not run here (counted apart).
skip() {
    [ "$_t_active" = 1 ] || t_begin "$TEST_NAME"
    _t_cur_skip=${1:-skipped}
}

_pass() {
    _t_asserts=$((_t_asserts + 1))
    [ "$_t_active" = 1 ] || t_begin "$TEST_NAME"
    [ -n "${TEST_VERBOSE:-}" ] && echo "   ok: $1"
    return 0
}

# _fail WHAT [DETAIL] — record a failed assertion, naming the test.
_fail() {
    _t_asserts=$((_t_asserts + 1))
    [ "$_t_active" = 1 ] || t_begin "$TEST_NAME"
    _t_cur_fail=$((_t_cur_fail + 1))
    echo "FAIL [$TEST_NAME: $_t_cur] $1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | head -n 60 | sed 's/^/     | /'
    return 1
}

_show_run() {
    printf 'stdout:\n%s\nstderr:\n%s' "$OUT" "$ERR"
}

# ---------------------------------------------------------------- running things
_lib_timeout=""
# --foreground: a Ctrl-C reaches the command too.
command -v timeout >/dev/null && _lib_timeout="timeout --foreground -k 10 ${CIA_TIMEOUT:-120}"

# ciatteh ARGS — the binary under test, bounded in time (exit 124 on timeout).
ciatteh() {
    $_lib_timeout "$CIA" "$@"
}

_lib_nl='
'
# _lib_slurp VAR FILE — VAR=$(cat FILE), without a process for a small
# file: `run` reads two files per command, and each `$(cat ...)` was a
# fork and an exec (~4 ms of CPU here).  The shell's `read` takes one
# system call per byte, so past 1 KB `cat` is cheaper and takes over.
# Trailing newlines go, as in a command substitution.
_lib_slurp() {
    local _s _l
    _s=
    if [ -s "$2" ]; then
        while IFS= read -r _l || [ -n "$_l" ]; do
            _s=$_s$_l$_lib_nl
            if [ ${#_s} -gt 1024 ]; then _s=$(cat "$2"); break; fi
        done <"$2"
        while :; do
            case $_s in *"$_lib_nl") _s=${_s%"$_lib_nl"} ;; *) break ;; esac
        done
    fi
    eval "$1=\$_s"
}

# run CMD... — run with stdin from /dev/null; sets RC, OUT, ERR.
run() {
    "$@" >"$T/.out" 2>"$T/.err" </dev/null
    RC=$?
    _lib_slurp OUT "$T/.out"
    _lib_slurp ERR "$T/.err"
    return 0
}

# sql QUERY [DB] — one query on the private cluster of $CIATTEH_HOME
# (user ciatteh, database ciatteh unless DB), unaligned, tuples only.
sql() {
    psql -h "$CIATTEH_HOME/pg" -U ciatteh -d "${2:-ciatteh}" -XAtq \
         -v ON_ERROR_STOP=1 -c "$1"
}

# wait_until SECONDS CMD... — poll CMD every 0.1 s; 1 when it never succeeded.
wait_until() {
    local n
    n=$(($1 * 10)); shift
    while [ "$n" -gt 0 ]; do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
        n=$((n - 1))
    done
    return 1
}

# postmaster_pids DATADIR — pids of running postmasters serving DATADIR
# (postgres processes have their data directory as working directory; the
# postmaster is the one whose parent is not one of them).
postmaster_pids() {
    local d pids p pp
    d=$(cd "$1" 2>/dev/null && pwd -P) || return 0
    pids=$(find /proc -mindepth 2 -maxdepth 2 -name cwd -lname "$d" 2>/dev/null |
           sed 's,^/proc/,,; s,/cwd$,,')
    for p in $pids; do
        pp=$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null) || continue
        case " $(echo $pids) " in *" $pp "*) ;; *) echo "$p" ;; esac
    done
}

# on_teardown 'SHELL COMMAND' — run at teardown, after the servers are gone.
on_teardown() {
    _lib_cleanups="$_lib_cleanups
$1"
}

# ---------------------------------------------------------------- assertions
# Each returns 0 on success, 1 on failure, so `assert_x ... || return` works.

# need_gen — sets GEN, the extract generator: $CIATTEH_GEN, else the
# build's or the tree's bin/ciatteh-gen; without one the test fails at once.
need_gen() {
    GEN=${CIATTEH_GEN:-}
    for g in "$B/bin/ciatteh-gen" "$ROOT/bin/ciatteh-gen"; do
        [ -z "$GEN" ] && [ -x "$g" ] && GEN=$g
    done
    [ -n "$GEN" ] || { t_begin "extract generator"; _fail "no ciatteh-gen (make all; or set CIATTEH_GEN)"; exit 1; }
}

# load_samples — the bundled samples (etl/samples/multi-year, 2016-2024),
# every service loaded on 2025-01-15 (the shelters' three centres at 10:00),
# as the golden, figures, publish and annex tests read them.
load_samples() {
    _ls=$ROOT/etl/samples/multi-year
    for s in police prosecution inspectorates convictions immigration; do
        assert_exit 0 ciatteh -q load --loaded-at '2025-01-15 09:00:00' "$s" "$_ls/${s}_2016-2024.csv"
    done
    assert_exit 0 ciatteh -q load --loaded-at '2025-01-15 10:00:00' shelters \
        "$_ls/shelter_pagasa_2016-2024.csv" "$_ls/shelter_payoke_2016-2024.csv" "$_ls/shelter_surya_2016-2024.csv"
}

# assert_eq ACTUAL EXPECTED [WHAT]
assert_eq() {
    if [ "$1" = "$2" ]; then _pass "${3:-equal: $2}"
    else _fail "${3:-values differ}: expected '$2', got '$1'"; fi
}

# assert_ne ACTUAL UNEXPECTED [WHAT]
assert_ne() {
    if [ "$1" != "$2" ]; then _pass "${3:-differs from: $2}"
    else _fail "${3:-values equal}: did not expect '$2'"; fi
}

# assert_contains HAYSTACK NEEDLE [WHAT] — NEEDLE as a fixed string.
assert_contains() {
    case $1 in
    *"$2"*) _pass "${3:-contains: $2}" ;;
    *) _fail "${3:-missing text}: expected to contain '$2'" "$1" ;;
    esac
}

# assert_not_contains HAYSTACK NEEDLE [WHAT]
assert_not_contains() {
    case $1 in
    *"$2"*) _fail "${3:-unexpected text}: expected not to contain '$2'" "$1" ;;
    *) _pass "${3:-does not contain: $2}" ;;
    esac
}

# assert_match HAYSTACK ERE [WHAT] — some line matches the extended regex.
assert_match() {
    if printf '%s\n' "$1" | grep -Eq -- "$2"; then _pass "${3:-matches: $2}"
    else _fail "${3:-no match}: expected a line matching /$2/" "$1"; fi
}

# assert_exit CODE CMD... — run CMD (see run: sets RC, OUT, ERR).
assert_exit() {
    local want
    want=$1; shift
    run "$@"
    if [ "$RC" = "$want" ]; then _pass "exit $want: $*"
    else _fail "exit $RC, expected $want: $*" "$(_show_run)"; fi
}

# assert_file PATH... — each path exists (any type: file, dir, socket).
assert_file() {
    local p ok
    ok=0
    for p; do
        if [ ! -e "$p" ] && [ ! -S "$p" ]; then _fail "missing: $p"; ok=1; fi
    done
    [ "$ok" = 0 ] && _pass "exists: $*"
    return $ok
}

# assert_no_file PATH... — none of the paths exists.
assert_no_file() {
    local p ok
    ok=0
    for p; do
        if [ -e "$p" ] || [ -L "$p" ]; then _fail "should not exist: $p"; ok=1; fi
    done
    [ "$ok" = 0 ] && _pass "absent: $*"
    return $ok
}

# ---------------------------------------------------------------- teardown
# pids (not ours) whose environment says CIATTEH_HOME is under $T, or whose
# working directory is under $T; with "clients", only those whose working
# directory is elsewhere (ciatteh, timeout, psql — not the servers).
_lib_our_pids() {
    local p cwd
    for p in $( (grep -lsF "CIATTEH_HOME=$T/" /proc/[0-9]*/environ;
                 find /proc -mindepth 2 -maxdepth 2 -name cwd -lname "$T/*") 2>/dev/null |
                sed 's,^/proc/,,; s,/.*,,' | sort -un); do
        [ "$p" = "$$" ] && continue
        if [ "${1:-}" = clients ]; then
            cwd=$(readlink "/proc/$p/cwd" 2>/dev/null)
            case $cwd in "$T"/*) continue ;; esac
        fi
        echo "$p"
    done
}

# Run a command as the owner of a path (pg_ctl refuses root).
_lib_as_owner() {
    local owner
    owner=$(stat -c %U "$1"); shift
    if [ "$(id -u)" = 0 ] && [ "$owner" != root ] && command -v runuser >/dev/null; then
        runuser -u "$owner" -- "$@"
    else
        "$@"
    fi
}

_lib_teardown() {
    local rc pidf d p left
    rc=$?
    trap '' INT TERM HUP
    cd / || :
    # From here on the commands we run must not look like ours to the scans.
    unset CIATTEH_HOME
    _t_end
    # 1. clients still running (e.g. a background command of an aborted test)
    left=$(_lib_our_pids clients)
    [ -n "$left" ] && kill -9 $left 2>/dev/null
    # 2. the polite way: our own `db stop`
    if [ -f "$_lib_home/pg/data/postmaster.pid" ]; then
        CIATTEH_HOME=$_lib_home $_lib_timeout "$CIA" -q db stop >/dev/null 2>&1
    fi
    # 3. any cluster still under $T (other homes, or db stop failed)
    for pidf in $(find "$T" -name postmaster.pid 2>/dev/null); do
        d=$(dirname "$pidf")
        _lib_as_owner "$d" $_lib_timeout "$PGBIN/pg_ctl" stop -D "$d" -m immediate -w -t 20 \
            >/dev/null 2>&1
    done
    # 4. whatever is left
    left=$(_lib_our_pids)
    if [ -n "$left" ]; then
        echo "teardown: killing leftover processes: $(echo $left)"
        kill -9 $left 2>/dev/null
        for p in $left; do wait_until 5 sh -c "! kill -0 $p 2>/dev/null || grep -q '^State:.*Z' /proc/$p/status"; done
    fi
    # 5. the script's own clean-ups (e.g. userdel)
    [ -n "$_lib_cleanups" ] && eval "$_lib_cleanups" >/dev/null 2>&1
    # 6. sanitizer reports from any command of the run fail the script
    if ls "$T"/san/* >/dev/null 2>&1; then
        t_begin "no sanitizer reports"
        for p in "$T"/san/*; do
            _fail "sanitizer report $(basename "$p")" "$(head -n 60 "$p" | sh "$ROOT/tests/tools/symbolize.sh")"
        done
        _t_end
    fi
    if [ -n "$_lib_interrupted" ]; then
        t_begin "run to completion"
        _fail "interrupted by $_lib_interrupted"
        _t_end
    elif [ "$rc" -ne 0 ] && [ "$_t_fail" = 0 ]; then
        t_begin "run to completion"
        _fail "the script ended with status $rc (a shell error, or its last command failed)"
        _t_end
    fi
    if [ "$_t_fail" -gt 0 ] && [ -f "$_lib_home/pg/server.log" ]; then
        echo "--- last lines of $_lib_home/pg/server.log:"
        tail -n 20 "$_lib_home/pg/server.log"
    fi
    if [ -n "${KEEP_TMP:-}" ]; then echo "kept $T"; else rm -rf "$T"; fi
    if [ "$_t_skip" -gt 0 ]; then
        echo "$_t_pass passed, $_t_fail failed, $_t_skip skipped"
    else
        echo "$_t_pass passed, $_t_fail failed"
    fi
    [ "$_t_fail" -gt 0 ] && exit 1
    exit 0
}

# ---------------------------------------------------------------- temp dir
_lib_tmpbase=${TMPDIR:-/tmp}
# The socket path ($CIATTEH_HOME/pg/.s.PGSQL.5432) must fit in 107 bytes.
[ ${#_lib_tmpbase} -gt 50 ] && _lib_tmpbase=/tmp
T=$(mktemp -d "$_lib_tmpbase/ciatteh-test.XXXXXX") || {
    echo "FAIL [$TEST_NAME] cannot create a temporary directory in $_lib_tmpbase"
    echo "0 passed, 1 failed"
    exit 1
}
chmod 755 "$T"
# As root the server runs as `postgres`, which must be able to reach $T.
if [ "$(id -u)" = 0 ] && [ "$_lib_tmpbase" != /tmp ] && command -v runuser >/dev/null &&
   ! runuser -u postgres -- test -x "$T" 2>/dev/null; then
    rmdir "$T"
    T=$(mktemp -d /tmp/ciatteh-test.XXXXXX) && chmod 755 "$T"
fi
_lib_home=$T/home
# From here on, whatever happens, the teardown runs.
trap _lib_teardown EXIT
trap '_lib_interrupted=SIGINT; exit 130' INT
trap '_lib_interrupted=SIGTERM; exit 143' TERM
trap '_lib_interrupted=SIGHUP; exit 129' HUP
CIATTEH_HOME=$T/home
mkdir -m 755 "$CIATTEH_HOME"
export CIATTEH_HOME
# A home made once by tests/run (see there): the cluster of a fresh `db
# init`, stopped.  Its configuration names the template's socket folder;
# it is rewritten in place (the file stays the server user's).
if [ -n "${CIATTEH_TEST_TEMPLATE:-}" ] && [ -z "${FRESH_CLUSTER:-}" ] &&
   [ -f "$CIATTEH_TEST_TEMPLATE/pg/data/PG_VERSION" ]; then
    cp -a "$CIATTEH_TEST_TEMPLATE/." "$CIATTEH_HOME/" &&
    _lib_auto=$CIATTEH_HOME/pg/data/postgresql.auto.conf &&
    sed "s|'$CIATTEH_TEST_TEMPLATE/pg'|'$CIATTEH_HOME/pg'|" "$_lib_auto" >"$T/auto.conf" &&
    cat "$T/auto.conf" >"$_lib_auto" && rm -f "$T/auto.conf" || {
        echo "FAIL [$TEST_NAME] cannot copy the template home $CIATTEH_TEST_TEMPLATE"
        echo "0 passed, 1 failed"
        exit 1
    }
fi
# Sanitizer reports go to files that the teardown checks: a report from a
# command whose exit code no assertion looks at still fails the script.
mkdir -m 1777 "$T/san"
ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$T/san/asan"
UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$T/san/ubsan"
G_SLICE=always-malloc   # glib allocations visible to LeakSanitizer
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS G_SLICE

if [ ! -x "$CIA" ] && ! command -v "$CIA" >/dev/null 2>&1; then
    t_begin "binary under test"
    _fail "no executable $CIA (build it with \`make asan\`, or set CIATTEH_BIN)"
    exit 1
fi
