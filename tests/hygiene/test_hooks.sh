#!/bin/sh
# test_hooks.sh — test hooks (include/ciatteh/testpoint.h) are compiled
# into the test build only: the instrumented binary the suites run reads
# CIATTEH_TEST_* variables, the release binary (bin/ciatteh, built by
# `make all` before `make test` runs the suites) holds none of them.
. "$(dirname "$0")/../lib.sh"

REL=${CIATTEH_REL_BIN:-$ROOT/bin/ciatteh}
t_begin "the release binary holds no test hook, the test build does"
assert_file "$REL"
run grep -c "CIATTEH_TEST_" "$REL"
assert_eq "$OUT" 0 "CIATTEH_TEST_ strings in $REL"
run grep -c "CIATTEH_TEST_" "$CIA"
assert_eq "$RC" 0 "the test build $CIA has its hooks"
