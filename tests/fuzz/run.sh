#!/bin/sh
# tests/fuzz/run.sh FUZZER SECONDS — `make fuzz`: a long libFuzzer run.
# The working corpus lives beside the binary ($B/fuzz/corpus) and grows
# from run to run, seeded from tests/fuzz/corpus.  A crash leaves
# $B/fuzz/crash-*: fix the bug, then keep the input as a regression file
# in tests/fuzz/regress/ (replayed by every `make test`).
set -u
cd "$(dirname "$0")/../.." || exit 70
FZ=$1
SECS=${2:-600}
if [ ! -x "$FZ" ]; then
    echo "fuzz: no $FZ (clang and libclang-rt-14-dev are needed: make bootstrap)" >&2
    exit 69
fi
D=$(dirname "$FZ")
mkdir -p "$D/corpus"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
echo "fuzz: $FZ for ${SECS}s, corpus $D/corpus (+ tests/fuzz/corpus), jobs 1"
"$FZ" -max_total_time="$SECS" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
      -dict=tests/fuzz/ingest.dict -artifact_prefix="$D/" \
      "$D/corpus" tests/fuzz/corpus 2>&1 | tee "$D/last-run.log" | grep -E '^#[0-9]+ +(pulse|DONE)|^Done|stat::|ERROR|SUMMARY|Test unit written'
rc=$?
rc=$(tail -n 40 "$D/last-run.log" | grep -q 'Test unit written' && echo 1 || echo 0)
if [ "$rc" != 0 ]; then
    echo "fuzz: a crash: see $D/last-run.log; keep the input in tests/fuzz/regress/ once fixed" >&2
    exit 1
fi
echo "fuzz: no crash in ${SECS}s"
