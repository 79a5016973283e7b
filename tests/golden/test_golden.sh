#!/bin/sh
# test_golden.sh — every byte-deterministic output from the bundled samples
# (etl/samples/multi-year) compared with the files kept in
# tests/golden/expected/: report CSVs, chart --dump JSON, SDMX-CSV, TIP and
# GRETA answers, the checks, and the biennial pack (its tables, checks and
# MANIFEST; the MANIFEST's SHA-256 lines pin the workbook, the PDF annex and
# every chart too).  A refactor must leave them all equal; a change of a
# figure on purpose regenerates them with `make golden` (GOLDEN_UPDATE=1),
# and the diff of tests/golden/expected/ is then reviewed like code.
. "$(dirname "$0")/../lib.sh"

EXP=$HERE/expected
G=$T/got
ASOF=2025-06-30
mkdir -p "$G/pack"

t_begin "the bundled samples load"
load_samples

# out NAME COMMAND...: run a ciatteh command that must succeed, its output
# written by the command itself (-o) or taken from stdout into $G/NAME.
out() {
    local name=$1; shift
    run "$CIA" "$@"
    [ "$RC" = 0 ] || _fail "ciatteh $* exited $RC: $ERR"
    case " $* " in *" -o "*) ;; *) printf '%s\n' "$OUT" > "$G/$name" ;; esac
}

t_begin "reports, charts, answers and checks produced"
for r in yoy sentences victims; do
    out "report-$r-en.csv" report "$r" --years 2019-2024 --lang en --format csv --as-of $ASOF
done
out report-yoy-fr-localized.csv report yoy --years 2019-2024 --lang fr --format csv --localized --as-of $ASOF
out report-yoy-by-form.csv report yoy --years 2016-2024 --items shelter.victims_admitted,police.victims \
    --by form --format csv --as-of $ASOF
for c in trend sentences victims; do
    out "chart-$c.txt" chart "$c" --years 2016-2024 --lang en --as-of $ASOF \
        -o "$T/chart-$c.svg" --dump "$G/chart-$c.json"
done
out eurostat-2023.sdmx.csv export eurostat --year 2023 --format sdmx-csv --as-of $ASOF -o "$G/eurostat-2023.sdmx.csv"
out greta-2023.csv export greta --year 2023 --format csv --as-of $ASOF -o "$G/greta-2023.csv"
out tip-2024.txt export tip --year 2024 --format text --as-of $ASOF -o "$G/tip-2024.txt"
run "$CIA" check --years 2016-2024 --as-of $ASOF --format csv
[ "$RC" = 0 ] || [ "$RC" = 1 ] || _fail "check exited $RC: $ERR"
printf '%s\n' "$OUT" > "$G/check.csv"
out query-prison.txt query conviction.prison --years 2022-2024 --by suspension --as-of $ASOF

t_begin "the biennial pack produced"
run "$CIA" pack --period 2023-2024 --lang fr --as-of $ASOF -o "$T/pack"
[ "$RC" = 0 ] || _fail "pack exited $RC: $ERR"
cp -R "$T/pack/tables" "$G/pack/" && cp "$T/pack/checks.csv" "$T/pack/checks.json" "$G/pack/"
# The program line names the schema version, which every new migration
# raises; nothing else in the pack depends on it.
sed 's/^# program: .*/# program: (version and schema left out by test_golden)/' "$T/pack/MANIFEST" > "$G/pack/MANIFEST"

if [ -n "${GOLDEN_UPDATE:-}" ]; then
    t_begin "golden files regenerated"
    rm -rf "$EXP" && cp -R "$G" "$EXP" && _pass "$(find "$EXP" -type f | wc -l) files in $EXP"
else
    t_begin "every output equals its golden file"
    run diff -r "$EXP" "$G"
    assert_eq "$RC" 0 "tests/golden/expected/ vs this build (after a change on purpose: make golden, and review the diff)"
    [ "$RC" = 0 ] || printf '%s\n' "$OUT" | head -60
fi
