#!/bin/sh
# test_pack_release.sh — the biennial pack goes through the release of each
# year it shows (reports/pack/biennial.c, reports/release/release_tables.c): its tables
# are `report --release` of those releases, a figure derived from a
# withheld one is withheld too, and an outsider holding the pack's tables,
# the Eurostat SDMX-CSV and the GRETA and TIP answers of the same release
# together narrows nothing and finds no figure published by one and
# withheld by another (check.py attack).  `pack --internal` is exact and
# says INTERNAL - NOT FOR PUBLICATION on every PDF page, sheet, chart and
# CSV; `query`, `report` and `chart` are exact unless --release is given.
# A protected pack makes the releases of its years (GLPK over every
# questionnaire and the pack's figures): minutes under the sanitizers on a
# busy machine, so more than the default 120 s per command.
CIA_TIMEOUT=${CIA_TIMEOUT:-400}
. "$(dirname "$0")/../lib.sh"
HERE=$ROOT/tests/export
. "$HERE/fixtures.sh"
ASOF=2022-06-30

t_begin "the fixture extracts load"
load_fixtures

t_begin "the pack is protected: the releases of its years, named in MANIFEST"
assert_exit 0 ciatteh pack --period 2020-2021 --incomplete --no-charts --as-of $ASOF -o "$T/pack"
assert_contains "$OUT" "withheld for confidentiality"
assert_match "$(cat "$T/pack/MANIFEST")" "^# release 2021: #[0-9]+ \(eurostat,greta,pack,tip; "
IDS=$(sed -n 's/^# release [0-9]*: #\([0-9]*\) .*/\1/p' "$T/pack/MANIFEST" | paste -sd, -)
assert_match "$IDS" "^[0-9]+,[0-9]+$"
assert_eq "$(sql "SELECT string_agg(ref_year::text, ',' ORDER BY ref_year) FROM release")" "2020,2021"
# some figures are withheld, with no value and flag c, in the tables
assert_match "$(cat "$T"/pack/tables/*.csv)" ",,[a-z]*c[a-z]*(,|$)"

t_begin "the pack's tables are the reports with --release of its releases"
for r in yoy sentences victims; do
    assert_exit 0 ciatteh report $r --years 2020-2021 --as-of $ASOF --release "$IDS" --format csv \
        -o "$T/r-$r.csv" --trace "$T/tr-$r.csv"
done
for r in yoy sentences; do
    assert_exit 0 ciatteh report $r --years 2020-2021 --as-of $ASOF --release "$IDS" --offence SMUG \
        --format csv -o "$T/r-smug-$r.csv" --trace "$T/tr-smug-$r.csv"
done
cat >"$T/s1.py" <<'EOF'
import glob, os, sys
t = sys.argv[1]
reports = "".join(open(f, encoding="utf-8").read() for f in glob.glob(os.path.join(t, "r-*.csv")))
n = 0
for f in sorted(glob.glob(os.path.join(t, "pack", "tables", "*.csv"))):
    block = open(f, encoding="utf-8").read().split("\n\n")[0]
    if block not in reports:
        sys.exit("pack table %s is not a table of the reports with --release" % os.path.basename(f))
    n += 1
print("%d pack tables found in the reports" % n)
EOF
assert_exit 0 "$PY" "$T/s1.py" "$T"
assert_match "$OUT" "^2[0-9] pack tables found"

t_begin "a change or share of a withheld figure is withheld too"
cat >"$T/s2.py" <<'EOF'
import csv, re, sys
bad = held = 0
for f in sys.argv[1:]:
    rows = list(csv.DictReader(open(f, encoding="utf-8")))
    cell = {(r["table"], r["row"], r["col"]): r for r in rows}
    for r in rows:
        if r["kind"] not in ("change", "change_pct", "share"):
            continue
        refs = re.findall(r"(\d+)\.(\d+)", r["refs"])
        if any("c" in cell.get((r["table"], a, b), {}).get("flags", "") for a, b in refs):
            held += 1
            if "c" not in r["flags"] or r["value"] != "":
                bad += 1
                print("published beside a withheld figure:", f, r["table"], r["row_key"], r["col_key"], r["value"])
print("derived from withheld: %d, published: %d" % (held, bad))
sys.exit(1 if bad or not held else 0)
EOF
assert_exit 0 "$PY" "$T/s2.py" "$T"/tr-*.csv

t_begin "pack, Eurostat, GRETA and TIP of one release, attacked together: nothing narrowed"
assert_exit 0 ciatteh export eurostat --year 2021 --as-of $ASOF --format sdmx-csv -o "$T/e.csv"
assert_exit 0 ciatteh export greta --year 2021 --as-of $ASOF --format csv -o "$T/g.csv"
assert_exit 0 ciatteh export tip --year 2021 --as-of $ASOF --format csv -o "$T/t.csv"
for q in greta tip; do
    id=$(sql "SELECT max(id) FROM answer_set WHERE questionnaire = '$q'")
    assert_exit 0 ciatteh answers --show "$id" --format csv
    printf '%s\n' "$OUT" >"$T/$q-answers.csv"
done
# "published two ways" (one output publishes what another withholds) is a problem too
check attack "$T/e.csv" "$T/greta-answers.csv" "$T/tip-answers.csv" "$T"/tr-*.csv
assert_match "$OUT" "^withheld cells: [1-9][0-9]* .*narrowed: 0$"

t_begin "the same pack again reuses its releases"
assert_exit 0 ciatteh pack --period 2020-2021 --incomplete --no-charts --as-of $ASOF --lang fr -o "$T/pack-fr"
assert_eq "$(grep '^# release' "$T/pack-fr/MANIFEST")" "$(grep '^# release' "$T/pack/MANIFEST")"

t_begin "query, report and chart are exact unless --release, and say so"
for c in query report chart; do
    assert_exit 0 ciatteh $c --help
    assert_contains "$OUT" "The figures are exact"
    assert_contains "$OUT" "--release ID"
done
# a breakdown the pack withholds part of: exact without, c with --release
cat >"$T/s3.py" <<'EOF'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    if r["kind"] == "query" and "c" in r["flags"] and r["by"] and not r["where"] and r["year"] == "2021":
        print(r["item"], r["by"], r["code"])
        break
EOF
assert_exit 0 "$PY" "$T/s3.py" "$T"/tr-victims.csv
set -- $OUT
assert_exit 0 ciatteh query "$1" --year 2021 --by "$2" --as-of $ASOF
assert_match "$OUT" "^$1,2021,$3,[0-9]+,"
assert_exit 0 ciatteh query "$1" --year 2021 --by "$2" --as-of $ASOF --release "$IDS"
assert_match "$OUT" "^$1,2021,$3,,c$"
# a year no release covers: withheld, never published unprotected
assert_exit 0 ciatteh query "$1" --years 2019-2021 --by "$2" --as-of $ASOF --release "$IDS"
assert_eq "$(printf '%s\n' "$OUT" | grep -cE "^$1,2019,[^,]*,[0-9]")" 0 "2019 figures published"
assert_exit 64 ciatteh query "$1" --year 2021 --release x
# a chart with --release draws the pack's pattern: a gap (c), no value
assert_exit 0 ciatteh chart victims --years 2020-2021 --as-of $ASOF -o "$T/v.svg" --dump "$T/v0.json"
assert_exit 0 ciatteh chart victims --years 2020-2021 --as-of $ASOF --release "$IDS" -o "$T/v.svg" --dump "$T/v1.json"
cat >"$T/s4.py" <<'EOF'
import json, sys
n = [sum(1 for s in json.load(open(f))["values"] for v in s if "c" in v["flags"]) for f in sys.argv[1:]]
leaked = [v for s in json.load(open(sys.argv[2]))["values"] for v in s if "c" in v["flags"] and v["value"] is not None]
print("withheld without --release: %d, with: %d, with a value: %d" % (n[0], n[1], len(leaked)))
sys.exit(0 if n[0] == 0 and n[1] > 0 and not leaked else 1)
EOF
assert_exit 0 "$PY" "$T/s4.py" "$T/v0.json" "$T/v1.json"

t_begin "pack --internal: exact, INTERNAL - NOT FOR PUBLICATION on every page, sheet, chart and CSV"
assert_exit 0 ciatteh pack --period 2020-2021 --incomplete --internal --as-of $ASOF --lang fr -o "$T/int"
assert_contains "$OUT" "INTERNAL"
assert_contains "$(cat "$T/int/MANIFEST")" "disclosure control: none"
assert_not_contains "$(cat "$T/int/MANIFEST")" "# release "
assert_eq "$(cat "$T"/int/tables/*.csv | grep -cE ",,[a-z]*c[a-z]*(,|$)")" 0 "withheld cells in the internal pack"
MARK="INTERNE — NE PAS PUBLIER"
pages=$(pdfinfo "$T"/int/annex-*.pdf | awk '/^Pages:/ {print $2}')
marked=0
for i in $(seq 1 "$pages"); do
    pdftotext -f "$i" -l "$i" "$T"/int/annex-*.pdf - | grep -q "$MARK" && marked=$((marked + 1))
done
assert_eq "$marked" "$pages" "pages of the annex that say $MARK"
n=0
for f in "$T"/int/charts/*.pdf; do
    pdftotext "$f" - | tr '\n' ' ' | grep -q "$MARK" || _fail "chart $f says nothing"
    n=$((n + 1))
done
assert_match "$n" "^[1-9]"
for f in "$T"/int/tables/*.csv; do
    grep -q "^# $MARK" "$f" || _fail "$f says nothing"
done
cat >"$T/s5.py" <<'EOF'
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
mark, bad = sys.argv[2], []
for ws in wb:
    top = " ".join(str(c.value) for row in ws.iter_rows(max_row=3) for c in row if c.value)
    head, foot = ws.oddHeader.center.text or "", ws.oddFooter.center.text or ""
    if mark not in head or mark not in foot or mark not in top:
        bad.append(ws.title)
print("%d sheets, unmarked: %s" % (len(wb.worksheets), bad))
sys.exit(1 if bad else 0)
EOF
assert_exit 0 "$PY" "$T/s5.py" "$T"/int/annex-*.xlsx "$MARK"
# the protected pack says nothing of the kind
assert_not_contains "$(cat "$T"/pack/tables/*.csv)" "NOT FOR PUBLICATION"
