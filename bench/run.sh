#!/bin/sh
# bench/run.sh — `make bench`: ciatteh measured side by side with the
# alternatives, in one run, on one throwaway PostgreSQL cluster, on the same
# files.  Speed targets live here (BENCHMARKS.md), never in timed tests.
#
#   ingest   police and convictions extracts of 100 k and 1 M rows (10 M
#            with BENCH_FULL=1), each loaded by raw `psql \copy` into an
#            unindexed table of the file's columns, by pgloader into the same
#            table, and by `ciatteh load` (validated, pseudonymised, items
#            derived).  Wall time, client CPU, server CPU, peak RSS
#            (/usr/bin/time's "Maximum resident set size"); the ciatteh load
#            is then checked against the generator's --expect totals.
#   reports  20 years of yearly deliveries of all six services; the biennial
#            pack (`ciatteh pack`) against bench/pandas_pack.py (pandas,
#            matplotlib, openpyxl, psycopg2) building the same tables and
#            charts from the same database; the figures are compared.
#   query    200 `ciatteh query` runs of various items, breakdowns and
#            filters over the 20 years: p50, p95, max; on the reports data
#            (ten times a large Belgian year) and on a tenth of it.
#   release  building the release of 2023 (every questionnaire's figures,
#            primary and secondary suppression by GLPK, the attack on every
#            withheld figure): `ciatteh release audit --year 2023`, which
#            computes and audits without storing, at a Belgian year's volume
#            and at ten times it.
#
# Results: bench/results/{ingest,reports,query}.csv, machine.txt and
# summary.md (the tables of BENCHMARKS.md), printed at the end.
#
# Environment:
#   BIN                    where ciatteh and ciatteh-gen are (default: bin)
#   BENCH_FULL=1           also 10 M rows (police ~2 min, convictions much
#                          longer: see BENCHMARKS.md)
#   BENCH_SIZES            row counts instead of "100000 1000000"
#   BENCH_SERVICES         services instead of "police convictions"
#   BENCH_STYLE            generator style (default native: the services' own
#                          headers, labels, date formats and encodings)
#   BENCH_REPEAT           runs of each tool per file (default 3; the median
#                          is reported)
#   BENCH_PGLOADER_REPEAT  runs of pgloader (default 1: it is slow)
#   BENCH_PGLOADER_MAX     largest file given to pgloader (default 1000000)
#   BENCH_PARTS            "ingest reports query release" (default all)
#   BENCH_OUT              results folder (default bench/results)
#   BENCH_KEEP=1           keep the temporary folder (the cluster is stopped
#                          all the same)
#   BENCH_COMPARE_BIN      another build's bin folder (say, before a change):
#                          measured too, as tool "ciatteh-before", interleaved
#                          with the others on the same files; in the query
#                          part it loads the data and this build reads an
#                          upgraded copy (its schema may be newer), and the
#                          two builds' packs are measured there, at ten
#                          times a Belgian year, each on its own copy
#
# The machine is shared: every row of the results carries the 1-minute load
# average before and after the measurement.  As root the cluster runs as
# Debian's `postgres` user (as ciatteh's private cluster always does).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-bin}
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
CIA=$BIN/ciatteh
GEN=$BIN/ciatteh-gen
PY=/usr/bin/python3             # Debian's python3: the one that sees python3-pandas
OUT=${BENCH_OUT:-$ROOT/bench/results}
REPEAT=${BENCH_REPEAT:-3}
PGL_REPEAT=${BENCH_PGLOADER_REPEAT:-1}
PGL_MAX=${BENCH_PGLOADER_MAX:-1000000}
SIZES=${BENCH_SIZES:-"100000 1000000"}
[ "${BENCH_FULL:-}" = 1 ] && [ -z "${BENCH_SIZES:-}" ] && SIZES="$SIZES 10000000"
SERVICES=${BENCH_SERVICES:-"police convictions"}
STYLE=${BENCH_STYLE:-native}
PARTS=${BENCH_PARTS:-"ingest reports query release"}
CMP=${BENCH_COMPARE_BIN:-}
case $CMP in ""|/*) ;; *) CMP=$ROOT/$CMP ;; esac
PERIOD=2022-2023                # the pack's period, within 20 years of data
ASOF=2024-06-30                 # every delivery below is loaded by then

say() { printf '%s\n' "bench: $*" >&2; }
die() { say "$*"; exit 1; }

# ------------------------------------------------------------ prerequisites
[ -x "$CIA" ] && [ -x "$GEN" ] || die "no $CIA or $GEN: build first (make all)"
missing=""
for c in psql pgloader; do command -v $c >/dev/null 2>&1 || missing="$missing $c"; done
[ -x /usr/bin/time ] || missing="$missing time"
$PY -c 'import pandas, matplotlib, openpyxl, psycopg2' 2>/dev/null ||
    missing="$missing python3-pandas python3-matplotlib python3-openpyxl python3-psycopg2"
if [ -n "$missing" ]; then
    say "missing:$missing"
    say "install with: apt-get install pgloader time python3-pandas python3-matplotlib python3-openpyxl python3-psycopg2"
    exit 69
fi

# ------------------------------------------------------------ the cluster
unset PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGPASSWORD PGSERVICE PGOPTIONS CIATTEH_DB 2>/dev/null
T=$(mktemp -d "${TMPDIR:-/tmp}/ciatteh-bench.XXXXXX") || exit 70
chmod 755 "$T"                  # the postgres user must reach the cluster inside
CIATTEH_HOME=$T/home
export CIATTEH_HOME
mkdir -m 755 "$CIATTEH_HOME" "$T/data" "$T/work"
finish() {
    trap '' INT TERM
    "$CIA" -q db stop >/dev/null 2>&1
    if [ "${BENCH_KEEP:-}" = 1 ]; then say "kept $T"; else rm -rf "$T"; fi
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$CIA" -q db start >/dev/null || die "cannot start the private cluster in $CIATTEH_HOME"
H=$CIATTEH_HOME/pg
PGDATA_DIR=$H/data
PM=$(head -1 "$PGDATA_DIR/postmaster.pid")
PSQL="psql -X -q -At -v ON_ERROR_STOP=1 -h $H -U ciatteh"
# The connection pooler `db start` runs beside the cluster (schema/pooler.c):
# this build's queries go through it (to the same socket folder, as the
# owner role), an older build's directly; its CPU counts as the server's.
POOLPID=$CIATTEH_HOME/pooler/pgbouncer.pid
# Autovacuum off, for every tool alike: its ANALYZE after one load would be
# counted in the next measurement's server CPU.  Nothing else is tuned: the
# cluster is ciatteh's private cluster as `ciatteh db init` makes it.
$PSQL -d postgres -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null
$PSQL -d postgres -c "CREATE DATABASE raw" >/dev/null

mkdir -p "$OUT"
load1() { cut -d' ' -f1 /proc/loadavg; }

# CPU seconds used by the cluster so far: the postmaster, its live children
# and its reaped ones (a backend's time is added to the postmaster's
# cutime/cstime when it exits).
server_cpu() {
    { awk '{ print $14 + $15 + $16 + $17 }' /proc/$PM/stat
      for c in $(cat /proc/$PM/task/*/children 2>/dev/null); do
          awk '{ print $14 + $15 }' /proc/$c/stat 2>/dev/null
      done
    } | awk -v hz="$(getconf CLK_TCK)" '{ t += $1 } END { printf "%.2f\n", t / hz }'
}

# Wait until no client backend is left (a backend's CPU is counted once it
# has exited), at most 5 s.
wait_backends() {
    i=0
    while [ $i -lt 100 ]; do
        busy=0
        for c in $(cat /proc/$PM/task/*/children 2>/dev/null); do
            case $( (tr '\0' ' ' < /proc/$c/cmdline) 2>/dev/null) in
            *"[local]"*|*"parallel worker"*) busy=1 ;;
            esac
        done
        [ $busy = 0 ] && return 0
        sleep 0.05
        i=$((i + 1))
    done
}

checkpoint() { $PSQL -d postgres -c CHECKPOINT >/dev/null; wait_backends; }

# measure CSV PREFIX CMD... — run CMD under /usr/bin/time; append
# "PREFIX,wall,user,sys,rss_kb,server_cpu,load_before,load_after" to CSV.
measure() {
    csv=$1 prefix=$2
    shift 2
    la0=$(load1)
    s0=$(server_cpu)
    if ! /usr/bin/time -f "%e,%U,%S,%M" -o "$T/time.out" "$@" > "$T/cmd.out" 2> "$T/cmd.err"; then
        say "failed: $*"
        tail -n 20 "$T/cmd.err" >&2
        tail -n 5 "$T/cmd.out" >&2
        return 1
    fi
    wait_backends
    s1=$(server_cpu)
    la1=$(load1)
    echo "$prefix,$(tail -n 1 "$T/time.out"),$(awk "BEGIN { printf \"%.2f\", $s1 - $s0 }"),$la0,$la1" >> "$csv"
}

# ------------------------------------------------------------ machine
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "nproc: $(nproc)"
    echo "cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
    echo "memory: $(free -m | awk '/^Mem:/ { print $2 " MiB" }')"
    echo "kernel: $(uname -r)"
    echo "postgresql: $($PSQL -d postgres -c 'SHOW server_version')"
    echo "settings: $($PSQL -d postgres -c "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ' ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'max_wal_size', 'max_parallel_workers_per_gather', 'work_mem', 'synchronous_commit', 'autovacuum')")"
    echo "pgloader: $(pgloader --version 2>/dev/null | head -1)"
    echo "pandas: $($PY -c 'import pandas, matplotlib, openpyxl; print(pandas.__version__, "matplotlib", matplotlib.__version__, "openpyxl", openpyxl.__version__)')"
    echo "ciatteh: $("$CIA" --version)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "sizes: $SIZES; services: $SERVICES; style: $STYLE; repeat: $REPEAT (pgloader $PGL_REPEAT, up to $PGL_MAX rows)"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

# ------------------------------------------------------------ ingest
ingest() {
    csv=$OUT/ingest.csv
    echo "service,rows,bytes,tool,rep,wall_s,user_s,sys_s,rss_kb,server_cpu_s,load_before,load_after" > "$csv"
    : > "$OUT/ingest-checks.txt"
    for n in $SIZES; do
        for svc in $SERVICES; do
            f=$T/data/${svc}_$n.csv
            say "generating $svc, $n rows ($STYLE)"
            "$GEN" "$svc" --rows "$n" --seed 7 --years 2004-2023 --style "$STYLE" -o "$f" --expect "$f.expect" ||
                die "ciatteh-gen failed"
            bytes=$(stat -c %s "$f")
            # The file's own encoding, for \copy and pgloader (ciatteh finds out by itself).
            if iconv -f UTF-8 -t UTF-8 "$f" > /dev/null 2>&1; then enc=UTF8 pglenc=utf-8; else enc=WIN1252 pglenc=windows-1252; fi
            # An unindexed table of the file's columns, all text.
            cols=$(head -n 1 "$f" | sed 's/^\xEF\xBB\xBF//; s/\r$//' | $PY -c '
import re, sys
seen = set()
for i, c in enumerate(sys.stdin.read().strip().split(";")):
    c = re.sub(r"[^a-z0-9]+", "_", c.strip().lower()).strip("_") or "col"
    while c in seen: c += "_%d" % i
    seen.add(c)
    print(c)')
            tbl=raw_$svc
            $PSQL -d raw -c "DROP TABLE IF EXISTS $tbl" \
                  -c "CREATE TABLE $tbl ($(echo "$cols" | sed 's/$/ text/' | paste -sd, -))" >/dev/null
            pgl=$T/work/$svc.load
            cat > "$pgl" <<EOF
LOAD CSV
     FROM '$f' WITH ENCODING $pglenc
     INTO postgresql://ciatteh@unix:$H:5432/raw
     TARGET TABLE $tbl
     WITH skip header = 1,
          fields optionally enclosed by '"',
          fields escaped by double-quote,
          fields terminated by ';';
EOF
            rep=1
            while [ $rep -le "$REPEAT" ]; do
                say "$svc $n rows, run $rep: psql \\copy"
                $PSQL -d raw -c "TRUNCATE $tbl" >/dev/null; checkpoint
                measure "$csv" "$svc,$n,$bytes,copy,$rep" \
                    psql -X -q -h "$H" -U ciatteh -d raw \
                         -c "\\copy $tbl FROM '$f' WITH (FORMAT csv, HEADER true, DELIMITER ';', ENCODING '$enc')"
                got=$($PSQL -d raw -c "SELECT count(*) FROM $tbl")
                [ "$got" = "$n" ] || say "WARNING: \\copy loaded $got rows of $n"
                if [ $rep -le "$PGL_REPEAT" ] && [ "$n" -le "$PGL_MAX" ]; then
                    say "$svc $n rows, run $rep: pgloader"
                    $PSQL -d raw -c "TRUNCATE $tbl" >/dev/null; checkpoint
                    measure "$csv" "$svc,$n,$bytes,pgloader,$rep" pgloader --no-ssl-cert-verification "$pgl"
                    got=$($PSQL -d raw -c "SELECT count(*) FROM $tbl")
                    [ "$got" = "$n" ] || say "WARNING: pgloader loaded $got rows of $n"
                fi
                for tool in ciatteh ${CMP:+ciatteh-before}; do
                    bin=$CIA
                    [ $tool = ciatteh-before ] && bin=$CMP/ciatteh
                    say "$svc $n rows, run $rep: $tool load"
                    $PSQL -d postgres -c "DROP DATABASE IF EXISTS bench_load WITH (FORCE)" -c "CREATE DATABASE bench_load" >/dev/null
                    db="host=$H dbname=bench_load user=ciatteh"
                    "$bin" --db "$db" -q items > /dev/null || die "cannot prepare the ciatteh database"
                    checkpoint
                    measure "$csv" "$svc,$n,$bytes,$tool,$rep" "$bin" --db "$db" load "$svc" "$f"
                done
                # (the oracle check below reads the last load: this build's)
                if [ -n "$CMP" ] && [ $rep = 1 ]; then
                    $PSQL -d postgres -c "DROP DATABASE IF EXISTS bench_load WITH (FORCE)" -c "CREATE DATABASE bench_load" >/dev/null
                    "$CIA" --db "$db" -q items > /dev/null && "$CIA" --db "$db" -q load "$svc" "$f" > /dev/null
                fi
                if [ $rep = 1 ]; then
                    # The generator's oracle: every item total, every year.
                    if $PY "$ROOT/bench/check_expect.py" "$CIA" "$db" "$f.expect" >> "$OUT/ingest-checks.txt" 2>&1; then
                        say "ciatteh totals match the generator's oracle"
                    else
                        say "WARNING: ciatteh totals differ from the oracle (see $OUT/ingest-checks.txt)"
                    fi
                fi
                rep=$((rep + 1))
            done
            rm -f "$f"
        done
    done
}

# ------------------------------------------------------------ reports
# Twenty years of yearly deliveries of every service (each loaded in April
# of the next year, as the services send them), and corrected deliveries
# of the last three years: the history the pack reads through coverage.
# Records per year and service: ten times a large Belgian year (divided
# by the second argument of reports_data: 10 gives a Belgian year).
rows_of() {
    case $1 in
    police) n=20000 ;; prosecution) n=10000 ;; convictions) n=3000 ;;
    immigration) n=3000 ;; inspectorates) n=100 ;; shelters) n=500 ;;
    esac
    n=$((n / ${2:-1}))
    [ $n -lt 10 ] && [ "$1" != inspectorates ] && n=10
    echo $n
}

# reports_data DATABASE DIVISOR — twenty years of yearly deliveries of every
# service (each loaded in April of the next year, as the services send
# them), and corrected deliveries of 2021 and 2022 sent over a year later:
# the history the pack and the queries read through coverage_as_of.
reports_data() {
    db=$1 div=$2
    d=$T/data/years
    mkdir -p "$d"
    [ "$db" = ciatteh ] || $PSQL -d postgres -c "CREATE DATABASE $db" > /dev/null
    conn="host=$H dbname=$db user=ciatteh"
    for y in $(seq 2004 2023); do
        at="$((y + 1))-04-15 10:00:00+02"
        for s in police prosecution convictions immigration inspectorates; do
            "$GEN" "$s" --rows "$(rows_of "$s" "$div")" --seed "$y" --years "$y-$y" -o "$d/${s}_$y.csv" &&
            "${LOADER:-$CIA}" --db "$conn" -q load --loaded-at "$at" "$s" "$d/${s}_$y.csv" > /dev/null || die "loading $s $y failed"
        done
        for c in PAYOKE PAGASA SURYA; do
            "$GEN" shelters --rows "$(rows_of shelters "$div")" --seed "$y" --centre "$c" --years "$y-$y" \
                -o "$d/shelters_${c}_$y.csv" || die "generating shelters $y failed"
        done
        "${LOADER:-$CIA}" --db "$conn" -q load --loaded-at "$at" shelters "$d"/shelters_*_"$y".csv > /dev/null ||
            die "loading shelters $y failed"
    done
    for y in 2021 2022; do
        at="$((y + 2))-05-20 10:00:00+02"
        for s in police prosecution convictions; do
            "$GEN" "$s" --rows "$(rows_of "$s" "$div")" --seed "$((y + 100))" --years "$y-$y" -o "$d/${s}_fix_$y.csv" &&
            "${LOADER:-$CIA}" --db "$conn" -q load --loaded-at "$at" "$s" "$d/${s}_fix_$y.csv" > /dev/null ||
                die "loading $s correction $y failed"
        done
    done
    rm -rf "$d"
    # What autovacuum (off in this cluster, see above) would have done by
    # the time anyone reads the figures: statistics for the planner.
    $PSQL -d "$db" -c "VACUUM ANALYZE" > /dev/null
    $PSQL -d "$db" -c "SELECT 'item facts: ' || count(*) || ' (' || pg_size_pretty(pg_total_relation_size('item_fact')) || '), deliveries: ' || (SELECT count(*) FROM delivery) FROM item_fact"
}

reports() {
    csv=$OUT/reports.csv
    echo "what,tool,rep,wall_s,user_s,sys_s,rss_kb,server_cpu_s,load_before,load_after" > "$csv"
    say "loading 20 years of deliveries of every service"
    t0=$(date +%s)
    reports_data ciatteh 1 > "$OUT/reports-data.txt"
    DATA_LOADED=1
    t1=$(date +%s)
    echo "loaded in $((t1 - t0)) s" >> "$OUT/reports-data.txt"
    cat "$OUT/reports-data.txt" >&2
    db="host=$H dbname=ciatteh user=ciatteh"
    rep=1
    while [ $rep -le "$REPEAT" ]; do
        say "pack, run $rep: ciatteh"
        rm -rf "$T/work/pack-ciatteh"; checkpoint
        measure "$csv" "pack,ciatteh,$rep" "$CIA" pack --period "$PERIOD" --as-of "$ASOF" -o "$T/work/pack-ciatteh"
        say "pack, run $rep: pandas"
        rm -rf "$T/work/pack-pandas"; checkpoint
        measure "$csv" "pack,pandas,$rep" $PY "$ROOT/bench/pandas_pack.py" --db "$db" \
            --period "$PERIOD" --as-of "$ASOF" -o "$T/work/pack-pandas"
        rep=$((rep + 1))
    done
    say "comparing the figures of the two packs"
    $PY "$ROOT/bench/compare_pack.py" "$T/work/pack-ciatteh" "$T/work/pack-pandas" > "$OUT/reports-compare.txt" 2>&1 ||
        say "WARNING: the packs' figures differ (see $OUT/reports-compare.txt)"
    tail -n 3 "$OUT/reports-compare.txt" >&2
    ls -R "$T/work/pack-ciatteh" > "$OUT/pack-ciatteh-files.txt"
    ls -R "$T/work/pack-pandas" > "$OUT/pack-pandas-files.txt"
}

query() {
    [ -n "$CMP" ] && { query_compare; return; }
    if [ $DATA_LOADED = 0 ]; then
        say "loading the reports part's 20 years first"
        reports_data ciatteh 1 > "$OUT/reports-data.txt"
        DATA_LOADED=1
    fi
    say "200 ciatteh query runs over 20 years, ten times a Belgian year's records"
    $PY "$ROOT/bench/query_bench.py" --ciatteh "$CIA" --db "host=$H dbname=ciatteh user=ciatteh" \
        --runs 200 --server-pid "$PM" --pooler-pidfile "$POOLPID" --csv "$OUT/query.csv" >&2
    say "the same at a Belgian year's volume"
    reports_data belgium 10 > "$OUT/query-1x-data.txt"
    $PY "$ROOT/bench/query_bench.py" --ciatteh "$CIA" --db "host=$H dbname=belgium user=ciatteh" \
        --runs 200 --server-pid "$PM" --pooler-pidfile "$POOLPID" --csv "$OUT/query-1x.csv" >&2
}

# query_compare — with BENCH_COMPARE_BIN: each volume's data loaded by the
# build before (its schema), and a copy of that database upgraded by this
# build (`db init`: its migrations, as an installation upgrades), so that
# each build reads the same facts through its own schema; the 200 queries
# run interleaved, query by query, and their outputs must be equal.
query_compare() {
    for vol in 10x:1:query:reports-data 1x:10:query-1x:query-1x-data; do
        v=$(echo "$vol" | cut -d: -f1) div=$(echo "$vol" | cut -d: -f2)
        csv=$(echo "$vol" | cut -d: -f3) txt=$(echo "$vol" | cut -d: -f4)
        say "loading $v a Belgian year with the build before ($CMP)"
        LOADER=$CMP/ciatteh reports_data "before_$v" "$div" > "$OUT/$txt.txt"
        $PSQL -d postgres -c "CREATE DATABASE after_$v TEMPLATE before_$v" > /dev/null || die "copying before_$v"
        "$CIA" --db "host=$H dbname=after_$v user=ciatteh" -q db init > /dev/null || die "upgrading after_$v"
        # An upgrade re-derives every delivery (rederive_all after the
        # migrations: each group table deleted and written again in one
        # transaction), which leaves the group tables twice their size, half
        # of it dead, until VACUUM FULL: police queries read twice the pages
        # (measured: police SQL p50 8.8 -> 20 ms).  Compacted here, both
        # copies alike, so that the builds' reading is what is compared.
        $PSQL -d "after_$v" -c "VACUUM FULL ANALYZE" > /dev/null
        $PSQL -d "before_$v" -c "VACUUM FULL ANALYZE" > /dev/null
        say "200 ciatteh query runs at $v a Belgian year, this build and the one before interleaved"
        $PY "$ROOT/bench/query_bench.py" --ciatteh "$CIA" --db "host=$H dbname=after_$v user=ciatteh" \
            --compare "$CMP/ciatteh" --compare-db "host=$H dbname=before_$v user=ciatteh" \
            --runs 200 --server-pid "$PM" --pooler-pidfile "$POOLPID" --csv "$OUT/$csv.csv" >&2 || die "query comparison at $v failed"
        [ "$v" = 10x ] && pack_compare
    done
}

# pack_compare — the biennial pack of the reports part, by each build on
# its own copy of the same facts (before_10x, after_10x), interleaved run
# by run (the first run of each makes the releases the next ones reuse).
pack_compare() {
    csv=$OUT/reports.csv
    [ -s "$csv" ] || echo "what,tool,rep,wall_s,user_s,sys_s,rss_kb,server_cpu_s,load_before,load_after" > "$csv"
    rep=1
    while [ $rep -le "$REPEAT" ]; do
        for tool in ciatteh-before ciatteh; do
            bin=$CIA db=after_10x
            [ $tool = ciatteh-before ] && bin=$CMP/ciatteh db=before_10x
            say "pack, run $rep: $tool"
            rm -rf "$T/work/pack-$tool"; checkpoint
            measure "$csv" "pack,$tool,$rep" "$bin" --db "host=$H dbname=$db user=ciatteh" \
                pack --period "$PERIOD" --as-of "$ASOF" -o "$T/work/pack-$tool" || die "pack by $tool failed"
        done
        rep=$((rep + 1))
    done
    # The same tables, the same figures.
    $PY "$ROOT/bench/compare_pack.py" "$T/work/pack-ciatteh" "$T/work/pack-ciatteh-before" \
        > "$OUT/reports-compare.txt" 2>&1 || say "WARNING: the two builds' packs differ (see $OUT/reports-compare.txt)"
    tail -n 3 "$OUT/reports-compare.txt" >&2
}

# The release of 2023 (pattern + audit), REPEAT times, at both volumes.
release() {
    csv=$OUT/release.csv
    echo "what,tool,rep,wall_s,user_s,sys_s,rss_kb,server_cpu_s,load_before,load_after" > "$csv"
    if [ $DATA_LOADED = 0 ]; then
        say "loading the reports part's 20 years first"
        reports_data ciatteh 1 > "$OUT/reports-data.txt"
        DATA_LOADED=1
    fi
    if [ "$($PSQL -d postgres -XAtc "SELECT count(*) FROM pg_database WHERE datname = 'belgium'")" = 0 ]; then
        say "loading a Belgian year's volume"
        reports_data belgium 10 > "$OUT/query-1x-data.txt"
    fi
    for vol in belgium:1x ciatteh:10x; do
        rep=1
        while [ $rep -le "$REPEAT" ]; do
            say "release of 2023, ${vol#*:} a Belgian year, run $rep"
            measure "$csv" "release-${vol#*:},ciatteh,$rep" "$CIA" --db "host=$H dbname=${vol%%:*} user=ciatteh" \
                release audit --year 2023
            [ -n "$CMP" ] && measure "$csv" "release-${vol#*:},ciatteh-before,$rep" "$CMP/ciatteh" \
                --db "host=$H dbname=${vol%%:*} user=ciatteh" release audit --year 2023
            rep=$((rep + 1))
        done
        tail -n 1 "$T/cmd.out" > "$OUT/release-${vol#*:}.txt"
    done
}

DATA_LOADED=0
for part in $PARTS; do
    case $part in
    ingest) ingest ;;
    reports) reports ;;
    query) query ;;
    release) release ;;
    *) die "unknown part $part (ingest, reports, query, release)" ;;
    esac
done

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
$PY "$ROOT/bench/summarize.py" "$OUT" > "$OUT/summary.md" || die "summarize failed"
cat "$OUT/summary.md"
