#!/bin/sh
# test_hooks.sh — test hooks (include/ciatteh/testpoint.h) are compiled
# into the test build only: the instrumented binary the suites run reads
# CIATTEH_TEST_* variables, the release programs (bin/ciatteh-full,
# bin/ciatteh-query and bin/ciatteh-data that bin/ciatteh runs, built by
# `make all` before `make test` runs the suites) hold none of them.
. "$(dirname "$0")/../lib.sh"

REL=${CIATTEH_REL_BIN:-$ROOT/bin/ciatteh}
t_begin "the release programs hold no test hook, the test build does"
for p in ciatteh-full ciatteh-query ciatteh-data; do
    assert_file "${REL%/*}/$p"
    run grep -c "CIATTEH_TEST_" "${REL%/*}/$p"
    assert_eq "$OUT" 0 "CIATTEH_TEST_ strings in ${REL%/*}/$p"
done
# (the query path has no hook: ciatteh-query holds none in either build)
run grep -c "CIATTEH_TEST_" "${CIA%/*}/ciatteh-full"
assert_eq "$RC" 0 "the test build ${CIA%/*}/ciatteh-full has its hooks"
