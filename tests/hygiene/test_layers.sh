#!/bin/sh
# test_layers.sh — includes point down the layers only
# (tests/hygiene/lint_layers.sh): the source tree passes, and a tree with
# one include the wrong way fails, naming the file and both layers.
. "$(dirname "$0")/../lib.sh"

t_begin "the source tree: no include crosses the layers the wrong way"
run sh "$ROOT/tests/hygiene/lint_layers.sh" "$ROOT"
assert_eq "$RC" 0 "lint_layers.sh: $OUT"

t_begin "an include the wrong way fails"
F=$T/tree
mkdir -p "$F/src/core" "$F/etl" "$F/reports/tables" "$F/schema" "$F/include/ciatteh"
for n in util load report; do : > "$F/include/ciatteh/$n.h"; done
printf '#include "ciatteh/util.h"\n' > "$F/src/core/util.c"
printf '#include "ciatteh/util.h"\n#include "ciatteh/load.h"\n' > "$F/etl/load.c"
printf '#include "ciatteh/util.h"\n' > "$F/reports/tables/report.c"
run sh "$ROOT/tests/hygiene/lint_layers.sh" "$F"
assert_eq "$RC" 0 "a clean tree"
printf '#include "ciatteh/report.h"\n' >> "$F/etl/load.c"
run sh "$ROOT/tests/hygiene/lint_layers.sh" "$F"
assert_eq "$RC" 1 "etl including reports"
assert_contains "$OUT" "etl/load.c (etl) includes ciatteh/report.h (reports)"
printf '#include "ciatteh/load.h"\n' >> "$F/src/core/util.c"
run sh "$ROOT/tests/hygiene/lint_layers.sh" "$F"
assert_contains "$OUT" "src/core/util.c (core) includes ciatteh/load.h (etl)"
printf '#include "ciatteh/nowhere.h"\n' >> "$F/reports/tables/report.c"
run sh "$ROOT/tests/hygiene/lint_layers.sh" "$F"
assert_contains "$OUT" "nowhere.h, which belongs to no layer"

t_begin "reading item facts outside the figure layer fails"
G=$T/tree2
mkdir -p "$G/src/core" "$G/reports/tables" "$G/reports/data/checks" "$G/schema" "$G/include/ciatteh"
printf '/* reads item_fact through figures() */\nint x;\n' > "$G/reports/tables/report.c"
printf -- '-- not item_fact\nSELECT 1 FROM facts_as_of(now(), 1, 2);\n' > "$G/reports/data/checks/10_a.rule"
printf 'SELECT * FROM item_fact f;\n' > "$G/schema/0099_x.sql"
run sh "$ROOT/tests/hygiene/lint_layers.sh" "$G"
assert_eq "$RC" 0 "comments and schema/ may name item_fact: $OUT"
printf 'const char *q = "SELECT sum(value) FROM item_fact";\n' >> "$G/reports/tables/report.c"
run sh "$ROOT/tests/hygiene/lint_layers.sh" "$G"
assert_eq "$RC" 1 "a report reading item_fact"
assert_contains "$OUT" "reports/tables/report.c:3: reads item_fact"
printf 'SELECT * FROM item_fact_police_facts\n' > "$G/reports/data/checks/10_a.rule"
printf '/* ok */\n' > "$G/reports/tables/report.c"
run sh "$ROOT/tests/hygiene/lint_layers.sh" "$G"
assert_eq "$RC" 1 "a check rule reading an item's view"
assert_contains "$OUT" "reports/data/checks/10_a.rule:1: reads item_fact"

t_begin "a code list read outside the catalogue (catalogue.h) fails"
K=$T/tree4
mkdir -p "$K/src/core" "$K/schema" "$K/reports/release" "$K/reports/figures" "$K/include/ciatteh"
printf 'const char *q = "SELECT k.code FROM dimension d JOIN code k ON k.list = d.list";\n' > "$K/reports/figures/catalogue.c"
printf '/* ok */\n' > "$K/reports/release/release.c"
run sh "$ROOT/tests/hygiene/lint_layers.sh" "$K"
assert_eq "$RC" 0 "the figure layer may: $OUT"
printf '"SELECT d.code, k.code FROM dimension d JOIN code k ON k.list = d.list"\n' >> "$K/reports/release/release.c"
run sh "$ROOT/tests/hygiene/lint_layers.sh" "$K"
assert_eq "$RC" 1 "a release reading code lists itself"
assert_contains "$OUT" "reports/release/release.c:2: reads a code list itself"

t_begin "a folder's private header is for the files beside it"
H=$T/tree3
mkdir -p "$H/src/core" "$H/schema" "$H/reports/charts" "$H/reports/pack" "$H/include/ciatteh"
printf '/* private */\n' > "$H/reports/charts/chart_int.h"
printf '#include "chart_int.h"\n' > "$H/reports/charts/chart.c"
printf '/* ok */\n' > "$H/reports/pack/biennial.c"
run sh "$ROOT/tests/hygiene/lint_layers.sh" "$H"
assert_eq "$RC" 0 "the files beside it: $OUT"
printf '#include "../charts/chart_int.h"\n' >> "$H/reports/pack/biennial.c"
run sh "$ROOT/tests/hygiene/lint_layers.sh" "$H"
assert_eq "$RC" 1 "another folder reaching for it"
assert_contains "$OUT" "reports/pack/biennial.c:2: includes another folder's private header"
