#!/bin/sh
# test_crash.sh — a run killed with SIGKILL at any point loses nothing and
# counts nothing twice: the next run completes, and its final figures, the
# place of every extract and the pack's tables are those of a run that was
# never interrupted.
#
# Points (CIATTEH_TEST_CRASH_AT, see run.h): right after taking the lock;
# before a load; after a delivery committed but before its file moved;
# between the link into archive/ and the removal from incoming/; after an
# error report was written but before the bad file moved; after the
# checks; in the middle of the pack; with the pack complete but not yet
# swapped in.  And one by timing, with no hook at all: kill -9 while a big
# file is being copied into the database.
#
# Each scenario has a database of its own on the script's cluster
# ([database] conninfo) and a copy of the same extracts.  The runs build
# internal packs ([pack] internal = yes: exact, no release), except the two
# scenarios killed inside the pack, whose protected pack (releases stored
# in the pack's transaction) is compared with a protected reference: a
# protected pack costs the integer programs of disclosure control, which
# the other scenarios do not exercise.
# A run builds a pack (protected in three runs: GLPK) under the sanitizers:
# more than the default 120 s per command on a busy machine.
CIA_TIMEOUT=${CIA_TIMEOUT:-400}
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"

X=$T/extracts
t_begin "extracts, and a big one loaded last"
make_extracts "$X" || _fail "cannot generate the extracts"
"$GEN" police --rows 50000 --seed 21 --years 2014-2016 -o "$X/police/police_2014_2016_big.csv" ||
    _fail "cannot generate the big extract"
touch -d '2024-01-12 08:00' "$X/police/police_2014_2016_big.csv"
assert_exit 0 ciatteh db start

# site NAME — a database NAME and a site $T/NAME using it.
site() {
    sql "CREATE DATABASE $1" >/dev/null || _fail "create database $1"
    make_site "$T/$1" "$X" "charts = ${CHARTS:-no}
internal = ${INTERNAL:-yes}
[database]
conninfo = host=$CIATTEH_HOME/pg dbname=$1 user=ciatteh"
}

# pack_figures NAME — the pack's report tables and check results (figures
# only: no delivery ids or load times in them; the charts' tables only
# exist in the scenarios that draw charts).
pack_figures() {
    local p
    p=$T/$1/out/biennial-2020-2021-fr
    (cd "$p" 2>/dev/null && cat $(ls tables/*.csv | grep -v -- '-chart_') checks.csv) || echo "no pack in $1"
}

# lock_gone NAME — no session holds an advisory lock on database NAME.
lock_gone() {
    [ "$(sql "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
              WHERE l.locktype = 'advisory' AND d.datname = '$1'")" = 0 ]
}

# ------------------------------------------------------------ the reference
t_begin "reference: an uninterrupted run"
site ref
assert_exit 65 ciatteh run --config "$T/ref/ciatteh.conf"
REF_FIG=$(figures_of ref)
REF_STATE=$(site_state "$T/ref")
REF_PACK=$(pack_figures ref)
assert_match "$REF_FIG" "^police.facts \(2015,"
assert_contains "$REF_PACK" "Faits enregistrés"
assert_eq "$(sql 'SELECT count(*) FROM delivery' ref)" 10 "ten deliveries"
assert_contains "$REF_STATE" "./police/archive/police_2014_2016_big.csv"
assert_contains "$(cat "$T/ref/out/biennial-2020-2021-fr/MANIFEST")" "disclosure control: none (internal pack"

t_begin "reference: an uninterrupted run with a protected pack"
INTERNAL=no
site refp
INTERNAL=yes
assert_exit 65 ciatteh run --config "$T/refp/ciatteh.conf"
REF_PPACK=$(pack_figures refp)
assert_match "$(cat "$T/refp/out/biennial-2020-2021-fr/MANIFEST")" "^# release 2021: #[0-9]+ "
assert_ne "$REF_PPACK" "$REF_PACK" "the protected pack withholds figures"

# same_as_reference NAME — final state of scenario NAME equals the reference.
same_as_reference() {
    local n
    n=$1
    assert_eq "$(figures_of "$n")" "$REF_FIG" "$n: the same figures as the uninterrupted run"
    assert_eq "$(site_state "$T/$n")" "$REF_STATE" "$n: every extract where the uninterrupted run put it"
    assert_eq "$(pack_figures "$n")" "$(if [ "${INTERNAL:-yes}" = no ]; then echo "$REF_PPACK"; else echo "$REF_PACK"; fi)" \
        "$n: the same pack tables and checks"
    assert_eq "$(sql 'SELECT count(*) || '"'/'"' || count(DISTINCT sha256) FROM delivery' "$n")" "10/10" \
        "$n: ten deliveries, each file once"
    assert_eq "$(cd "$T/$n" && find . -name '*.tmp.*' -o -name '.biennial-*' | wc -l)" 0 \
        "$n: no temporary file or directory left"
    run sh -c "cd '$T/$n/out/biennial-2020-2021-fr' && sha256sum -c --strict --quiet MANIFEST"
    assert_eq "$RC" 0 "$n: the pack's MANIFEST verifies"
}

# crash NAME POINT [CHARTS] — run until POINT kills it, then run again.
crash() {
    local n point
    n=$1 point=$2
    CHARTS=${3:-no} site "$n"
    CIATTEH_TEST_CRASH_AT=$point
    export CIATTEH_TEST_CRASH_AT
    run ciatteh run --config "$T/$n/ciatteh.conf"
    unset CIATTEH_TEST_CRASH_AT
    assert_eq "$RC" 137 "$n: killed at $point (SIGKILL)"
    assert_contains "$ERR" "test crash at ${point%@*}"
}

# rerun NAME [EXIT] — the next run, once the killed one's session is gone:
# 65 while bad files are still to reject, 0 once the killed run had
# already dealt with every file.
rerun() {
    wait_until 20 lock_gone "$1" || _fail "$1: the killed run's lock is still held"
    assert_exit "${2:-65}" ciatteh run --config "$T/$1/ciatteh.conf"
    RERUN_ERR=$ERR
    same_as_reference "$1"
}

t_begin "killed right after taking the lock"
crash c_lock lock
assert_eq "$(sql 'SELECT count(*) FROM delivery' c_lock)" 0 "nothing loaded"
assert_file "$T/c_lock/in/police/police_2018_2021.csv"
rerun c_lock

t_begin "killed before the first load"
crash c_load1 load@1
rerun c_load1

t_begin "killed before the fifth load"
crash c_load5 load@5
assert_eq "$(sql 'SELECT count(*) FROM delivery' c_load5)" 4 "four loaded"
rerun c_load5

t_begin "killed after the first delivery committed, its file not yet archived"
crash c_commit1 commit@1
assert_eq "$(sql 'SELECT count(*) FROM delivery' c_commit1)" 1 "one delivery committed"
assert_file "$T/c_commit1/in/police/police_2018_2021.csv"
assert_no_file "$T/c_commit1/in/police/archive/police_2018_2021.csv"
rerun c_commit1
assert_match "$RERUN_ERR" "police_2018_2021.csv: already loaded as police delivery #[0-9]+ \(same SHA-256\): archived without loading"

t_begin "killed after the seventh delivery committed"
crash c_commit7 commit@7
assert_eq "$(sql 'SELECT count(*) FROM delivery' c_commit7)" 7
rerun c_commit7

t_begin "killed between the link into archive/ and the removal from incoming/"
crash c_archive2 archive@2
f=$(ls "$T/c_archive2/in/drop/archive" "$T/c_archive2/in/police/archive" 2>/dev/null | grep -v : | grep -c .)
assert_eq "$f" 2 "two files in archive/"
both=0
for p in $GOOD; do
    [ -f "$T/c_archive2/in/$p" ] && [ -f "$T/c_archive2/in/$(dirname "$p")/archive/$(basename "$p")" ] && both=$((both + 1))
done
assert_eq "$both" 1 "one file in both places"
rerun c_archive2

t_begin "killed after writing an error report, before moving the bad file"
crash c_reject reject@1
n=$(find "$T/c_reject/in" -name '*.errors.txt' | wc -l)
assert_eq "$n" 1 "one error report"
rerun c_reject
assert_eq "$(find "$T/c_reject/in" -name '*.errors.txt' | wc -l)" 3 "three error reports, none twice"

t_begin "killed after the checks, before the pack"
crash c_check check
assert_no_file "$T/c_check/out/biennial-2020-2021-fr"
rerun c_check 0

t_begin "killed in the middle of building the (protected) pack"
INTERNAL=no
crash c_pack pack yes
assert_no_file "$T/c_pack/out/biennial-2020-2021-fr"
assert_eq "$(ls -a "$T/c_pack/out" | grep -c '^\.biennial-2020-2021-fr\.tmp\.')" 1 "a half-built pack beside"
rerun c_pack 0
assert_file "$T/c_pack/out/biennial-2020-2021-fr/charts"

t_begin "killed with the pack complete but not swapped in: the old pack stays whole"
crash c_swap pack_swap
assert_no_file "$T/c_swap/out/biennial-2020-2021-fr"
rerun c_swap 0
# now with an old pack in place: killed again before the swap
cp "$T/c_swap/out/biennial-2020-2021-fr/MANIFEST" "$T/c_swap.manifest"
CIATTEH_TEST_CRASH_AT=pack_swap
export CIATTEH_TEST_CRASH_AT
run ciatteh run --config "$T/c_swap/ciatteh.conf"
unset CIATTEH_TEST_CRASH_AT
assert_eq "$RC" 137
run sh -c "cd '$T/c_swap/out/biennial-2020-2021-fr' && sha256sum -c --strict --quiet MANIFEST"
assert_eq "$RC" 0 "the old pack is still complete and verifies"
wait_until 20 lock_gone c_swap
assert_exit 0 ciatteh run --config "$T/c_swap/ciatteh.conf"
same_as_reference c_swap
INTERNAL=yes

t_begin "killed (kill -9, no hook) while the big file is being copied in"
site c_copy
"$CIA" run --config "$T/c_copy/ciatteh.conf" >"$T/c_copy.out" 2>"$T/c_copy.err" </dev/null &
pid=$!
# copying — true once the big file's COPY has sent its first rows and is
# still running.  The poll runs inside the server (every 10 ms, no new
# psql per try): binary COPY of 50 000 rows lasts a fraction of a second
# here, which a shell loop starting psql ten times a second can miss.
copying() {
    [ "$(sql "DO \$\$ BEGIN
        FOR i IN 1..12000 LOOP
            PERFORM pg_stat_clear_snapshot();
            IF EXISTS (SELECT 1 FROM pg_stat_progress_copy p JOIN pg_stat_activity a USING (pid)
                        WHERE p.datname = 'c_copy' AND a.query LIKE 'COPY \"police_record_%'
                          AND p.tuples_processed > 5000) THEN
                RAISE NOTICE 'copying';
                RETURN;
            END IF;
            PERFORM pg_sleep(0.01);
        END LOOP;
    END \$\$" 2>&1)" = "NOTICE:  copying" ]
}
if copying; then
    _pass "the big file is being copied"
    kill -9 "$pid"
    wait "$pid"
    assert_eq "$?" 137 "killed"
    assert_eq "$(sql "SELECT count(*) FROM delivery WHERE file_name = 'police_2014_2016_big.csv'" c_copy)" 0 \
        "the big delivery did not commit"
    assert_file "$T/c_copy/in/police/police_2014_2016_big.csv"
    rerun c_copy 0
else
    kill -9 "$pid" 2>/dev/null
    wait "$pid"
    _fail "never saw the big COPY running" "$(cat "$T/c_copy.err")"
fi
