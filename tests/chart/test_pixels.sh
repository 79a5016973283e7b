#!/bin/sh
# test_pixels.sh — what a reader relies on, measured in the PNG with the
# geometry the chart reports (--dump): a year not known draws nothing (no
# line through it, no bar, no zero), and bar lengths are the values times
# the scale — per segment of a stack, per bar of a group.
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"

t_begin "fixtures load"
assert_exit 0 load_fixtures

t_begin "trend: the year the police did not deliver is a gap"
assert_exit 0 ciatteh chart trend --years 2019-2023 --items police.facts --dpi 100 -o "$T/t.png" --dump "$T/t.json"
check gap "$T/t.json" "$T/t.png" 2021
# the check can fail: a known year has a line through it
run $PY "$CHECK" gap "$T/t.json" "$T/t.png" 2020
assert_eq "$RC" 1 "a known year is not taken for a gap"

t_begin "trend, as of 2024-04-30: 2021 to 2023 not known, nothing drawn there"
assert_exit 0 ciatteh chart trend --years 2019-2023 --items police.facts,police.victims --as-of 2024-04-30 \
    --dpi 100 -o "$T/ta.png" --dump "$T/ta.json"
for y in 2021 2022 2023; do check gap "$T/ta.json" "$T/ta.png" $y; done

t_begin "stacked bars: segments proportional, a year nobody delivered left empty"
assert_exit 0 ciatteh chart sentences --years 2018-2023 --dpi 100 -o "$T/s.png" --dump "$T/s.json"
check bars "$T/s.json" "$T/s.png"
check gap "$T/s.json" "$T/s.png" 2018
assert_exit 0 ciatteh chart sentences-bands --years 2019-2023 --dpi 100 -o "$T/sb.png" --dump "$T/sb.json"
check bars "$T/sb.json" "$T/sb.png"

t_begin "bars: heights proportional to the values"
assert_exit 0 ciatteh chart referrals --years 2023 --dpi 100 -o "$T/r.png" --dump "$T/r.json"
check bars "$T/r.json" "$T/r.png"
assert_exit 0 ciatteh chart documents --years 2022 --dpi 100 -o "$T/d.png" --dump "$T/d.json"
check bars "$T/d.json" "$T/d.png"

t_begin "bars of a year nobody delivered: no chart rather than zeros"
assert_exit 65 ciatteh chart bars --items police.facts --by form --years 2021 -o "$T/p.png"
assert_contains "$ERR" "nothing to draw"
assert_no_file "$T/p.png"
