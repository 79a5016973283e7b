#!/bin/sh
# bench/profile.sh — where a load spends its time (BENCHMARKS.md,
# "Profile"), on its own throwaway cluster:
#
#   callgrind   instructions of the client on a 200 k-row dry run (validation,
#               no database): counts do not depend on how busy the machine is,
#               so two builds compare exactly (PROFILE_BIN2: a second build)
#   perf        samples of a 1 M-row `ciatteh load`: the client, and the
#               cluster's processes (the backend: COPY, then derivation,
#               with its parallel workers)
#
#   BIN=bin sh bench/profile.sh [SERVICE]      (default police)
#
# Reports (text) go to bench/results/profile/.  Needs valgrind and
# linux-perf; perf needs kernel.perf_event_paranoid <= 1 for the backend.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-bin}
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
SVC=${1:-police}
OUT=${PROFILE_OUT:-$ROOT/bench/results/profile}
mkdir -p "$OUT"
for c in valgrind perf callgrind_annotate psql; do
    command -v $c >/dev/null 2>&1 || { echo "profile: $c missing (apt-get install valgrind linux-perf postgresql-client)" >&2; exit 69; }
done
unset PGHOST PGDATABASE PGUSER PGSERVICE CIATTEH_DB 2>/dev/null
T=$(mktemp -d "${TMPDIR:-/tmp}/ciatteh-profile.XXXXXX") || exit 70
chmod 755 "$T"
CIATTEH_HOME=$T/home
export CIATTEH_HOME
mkdir -m 755 "$CIATTEH_HOME"
trap '"$BIN/ciatteh" -q db stop >/dev/null 2>&1; rm -rf "$T"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
"$BIN/ciatteh" -q db start >/dev/null || exit 69
H=$CIATTEH_HOME/pg

# ---- callgrind: instructions per record of the client (dry run)
"$BIN/ciatteh-gen" "$SVC" --rows 200000 --seed 2 --years 2004-2023 --style native -o "$T/small.csv"
for b in "$BIN" ${PROFILE_BIN2:-}; do
    tag=$(basename "$(dirname "$b")")
    valgrind --tool=callgrind --callgrind-out-file="$T/cg.$tag" "$b/ciatteh" load --dry-run "$SVC" "$T/small.csv" \
        > /dev/null 2> "$T/cg.$tag.log"
    { grep "refs" "$T/cg.$tag.log"
      callgrind_annotate --inclusive=yes "$T/cg.$tag" 2>/dev/null | sed -n '/file:function/,$p' | head -45
    } > "$OUT/callgrind-$SVC-$tag.txt"
    echo "profile: $OUT/callgrind-$SVC-$tag.txt: $(grep -o 'refs: *[0-9,]*' "$T/cg.$tag.log")" >&2
done

# ---- perf: a 1 M-row load, client and server side by side
"$BIN/ciatteh-gen" "$SVC" --rows 1000000 --seed 1 --years 2004-2023 --style native -o "$T/big.csv"
# The server: the postmaster with inherit, so that the backend forked for
# the load and its parallel workers are sampled, and nothing else.
PM=$(head -1 "$H/data/postmaster.pid")
perf record -g -p "$PM" -o "$T/server.data" > /dev/null 2>&1 &
sampler=$!
sleep 1
perf record -g -o "$T/client.data" -- "$BIN/ciatteh" load "$SVC" "$T/big.csv" > "$T/load.out" 2>&1
sleep 0.5
kill -INT $sampler
wait $sampler
cat "$T/load.out" >&2
perf report -i "$T/client.data" --no-children --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -40 \
    > "$OUT/perf-client-$SVC.txt"
perf report -i "$T/server.data" --no-children --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -40 \
    > "$OUT/perf-server-$SVC.txt"
echo "profile: $OUT/perf-client-$SVC.txt, $OUT/perf-server-$SVC.txt" >&2
