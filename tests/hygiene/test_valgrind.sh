#!/bin/sh
# test_valgrind.sh — the release binary (not the instrumented one) under
# valgrind memcheck on representative commands: schema set-up, a load, a
# rejected load, a dry run, queries, deliveries, items, roles, a report.
# No invalid read or write, no use of uninitialised memory, no definite
# leak (libraries' own one-off allocations are in valgrind.supp).
FRESH_CLUSTER=1   # this suite makes its cluster itself (not the template home)
. "$(dirname "$0")/../lib.sh"

REL=""
for c in "${CIATTEH_GEN:+$(dirname "${CIATTEH_GEN:-x}")/ciatteh}" "$B/bin/ciatteh" "$ROOT/bin/ciatteh"; do
    [ -n "$c" ] && [ -z "$REL" ] && [ -x "$c" ] && REL=$c
done
GEN=${CIATTEH_GEN:-$(dirname "${REL:-.}")/ciatteh-gen}
if ! command -v valgrind >/dev/null 2>&1 || [ -z "$REL" ]; then
    t_begin "valgrind"
    skip "no valgrind, or no release binary (make all)"
    exit 0
fi
echo "     release binary: $REL"

# programs_commands query|data — the commands ciatteh-query or ciatteh-data
# runs, as include/ciatteh/programs.h lists them (`query --release` is not
# run here).
programs_commands() {
    sed -n "s/^#define CIA_$(echo "$1" | tr a-z A-Z)_COMMANDS(X) //p" "$ROOT/include/ciatteh/programs.h" |
        sed 's/X(\([a-z]*\))/\1/g'
}

# vg NAME EXPECTED-EXIT ARGS... — one command under memcheck.
vg() {
    local name want prog
    name=$1 want=$2
    shift 2
    # The program `ciatteh` runs (src/prog/ciatteh.c, statically linked:
    # memcheck cannot follow the C library's own allocator there).
    prog=${REL%/*}/ciatteh-full
    for p in query data; do
        case " $(programs_commands $p) " in *" $1 "*) prog=${REL%/*}/ciatteh-$p ;; esac
    done
    run $_lib_timeout valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --show-leak-kinds=definite --suppressions="$HERE/valgrind.supp" \
        --log-file="$T/vg.$name.log" "$prog" "$@"
    if [ "$RC" = "$want" ] && [ ! -s "$T/vg.$name.log" ]; then
        _pass "valgrind clean: $name (exit $RC)"
    else
        _fail "valgrind: $name exit $RC (want $want)" "$(cat "$T/vg.$name.log"; _show_run)"
    fi
}

t_begin "valgrind: db init (cluster, migrations, seeds, roles)"
vg init 0 db init

t_begin "valgrind: loads, good and bad; queries, history, roles"
"$GEN" shelters --rows 500 --style quirky --years 2019-2021 -o "$T/shel.csv"
cp "$T/shel.csv" "$T/shel_bad.csv"
printf 'Payoke;PY-X-1;2019-01-27;police;F;-3;Roumanie;SEX;ja;2019-02-01\n' >>"$T/shel_bad.csv"
vg load 0 load shelters "$T/shel.csv"
vg load-again 0 load shelters "$T/shel.csv"
vg rejected 65 load police "$ROOT/tests/bad/data/police_duplicate_refs.csv"
vg keep-going 0 load --keep-going --rejects "$T/rej.csv" shelters "$T/shel_bad.csv"
vg query 0 query shelter.referrals --by citizenship,sex --years 2019-2021
vg deliveries 0 deliveries --format csv
vg admin 0 admin roles

t_begin "valgrind: a report, when this build has them"
if "$CIA" help report >/dev/null 2>&1; then
    vg report-xlsx 0 report victims --years 2019-2021 --format xlsx -o "$T/r.xlsx"
else
    skip "no report command in this build"
fi
