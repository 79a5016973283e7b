#!/bin/sh
# test_symbolize.sh — the suites run the sanitizers with symbolize=0
# (lib.sh), so a failing report reaches the reader through
# tests/tools/symbolize.sh: each `(OBJECT+0xOFFSET)` frame gets its function
# and file:line, every other line passes through unchanged.
. "$(dirname "$0")/../lib.sh"

FULL=${CIA%/*}/ciatteh-full
t_begin "a frame of ours is named: function and source line"
off=$(nm "$FULL" | awk '$3 == "cia_load_file" { print $1 }')
assert_ne "$off" "" "cia_load_file in $FULL"
frame=$(printf '    #3 0x5555deadbeef  (%s+0x%x)' "$FULL" $((0x$off + 16)))
run sh -c "printf '%s\n' '==1==ERROR: LeakSanitizer: detected memory leaks' '$frame' 'SUMMARY: x' |
           sh '$ROOT/tests/tools/symbolize.sh'"
assert_eq "$RC" 0 "symbolize.sh exits 0"
assert_contains "$OUT" "$frame in cia_load_file at "
assert_contains "$OUT" "etl/load.c:"
assert_contains "$OUT" "==1==ERROR: LeakSanitizer: detected memory leaks"
assert_contains "$OUT" "SUMMARY: x"

t_begin "a frame of a file that is not there stays as it was"
run sh -c "printf '%s\n' '    #0 0x1  (/nonexistent/lib.so+0x10)' | sh '$ROOT/tests/tools/symbolize.sh'"
assert_eq "$OUT" "    #0 0x1  (/nonexistent/lib.so+0x10)"
