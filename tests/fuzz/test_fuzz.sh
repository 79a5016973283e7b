#!/bin/sh
# test_fuzz.sh — the libFuzzer harness (fuzz_ingest.c, built by `make test`
# as $B/fuzz/fuzz_ingest) in a bounded run: the inputs of every crash found
# so far (regress/) and the seed corpus (corpus/) replay clean, then 20 s
# of fuzzing (FUZZ_TEST_SECONDS) from the seeds, so that every run of
# `make test` explores anew (~7,000 inputs on the 2-core machine; 45 s
# gave 16,669 and held one of the two test jobs for 46 s of the run's
# twelve minutes).  No database: the harness loads in dry-run mode.
# `make fuzz` is the long run (FUZZ_SECONDS, default 600).
. "$(dirname "$0")/../lib.sh"

FZ=$B/fuzz/fuzz_ingest
SECS=${FUZZ_TEST_SECONDS:-20}

if [ ! -x "$FZ" ]; then
    t_begin "fuzzer built"
    if command -v clang >/dev/null 2>&1; then
        _fail "no $FZ: build it with \`make fuzz-build\` (make test does)"
    else
        skip "no clang here: the fuzzer cannot be built"
    fi
    exit 0
fi
# libFuzzer's own messages and the sanitizers' go to our log.
ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=1"

t_begin "every crash found so far replays clean (tests/fuzz/regress)"
set -- $(ls "$HERE"/regress/* 2>/dev/null | grep -v '/README$')
if [ $# -gt 0 ]; then
    assert_exit 0 "$FZ" -runs=1 "$@"
    assert_contains "$ERR" "Executed" "libFuzzer ran them"
    echo "     $# regression inputs"
else
    skip "no regression inputs yet"
fi

t_begin "the seed corpus replays clean"
assert_exit 0 "$FZ" -runs=0 -rss_limit_mb=2048 "$HERE/corpus"
assert_match "$ERR" "INITED|DONE" "libFuzzer read the corpus"

t_begin "fuzzing for ${SECS}s finds nothing"
mkdir -m 755 "$T/corpus"
run "$FZ" -max_total_time="$SECS" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="$HERE/ingest.dict" -artifact_prefix="$T/" "$T/corpus" "$HERE/corpus"
assert_eq "$RC" 0 "libFuzzer exits 0"
runs=$(printf '%s\n' "$ERR" | sed -n 's/^stat::number_of_executed_units: *//p')
echo "     $runs inputs in ${SECS}s; $(ls "$T/corpus" | wc -l) new corpus entries"
assert_match "$runs" "^[0-9]+$" "a number of runs is reported"
for c in "$T"/crash-* "$T"/leak-* "$T"/timeout-* "$T"/oom-*; do
    [ -e "$c" ] || continue
    _fail "libFuzzer found $(basename "$c") (keep it in tests/fuzz/regress/ once fixed)" \
        "$(od -An -c "$c" | head -n 20)"
done
