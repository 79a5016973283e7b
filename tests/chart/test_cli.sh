#!/bin/sh
# test_cli.sh — `ciatteh chart` as a command: help, usage errors with the
# accepted values and no file left behind, the workbook with its chart.
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"

t_begin "help"
assert_exit 0 ciatteh help chart
assert_contains "$OUT" "sentences-bands"
assert_exit 0 ciatteh --help
assert_match "$OUT" "^  chart "

t_begin "fixtures load"
assert_exit 0 load_fixtures

t_begin "usage errors: exit 64, a useful message, no output file"
assert_exit 64 ciatteh chart pie --years 2019-2023 -o "$T/x.png"
assert_contains "$ERR" "trend, sentences, sentences-bands, victims"
assert_exit 64 ciatteh chart trend -o "$T/x.png"
assert_contains "$ERR" "--years"
assert_exit 64 ciatteh chart trend --years 2019-2023
assert_contains "$ERR" "-o FILE"
assert_exit 64 ciatteh chart trend --years 2019-2023 -o "$T/x.gif"
assert_contains "$ERR" ".png, .svg, .pdf or .xlsx"
assert_exit 64 ciatteh chart trend --years 2019-2023 --items police.nothing -o "$T/x.png"
assert_contains "$ERR" "unknown item 'police.nothing'; items: police.facts"
assert_exit 64 ciatteh chart sentences --years 2019-2023 --by referrer -o "$T/x.png"
assert_contains "$ERR" "has no dimension 'referrer'"
assert_exit 64 ciatteh chart victims --years 2019-2023 --by nationality -o "$T/x.png"
assert_contains "$ERR" "cannot be split by nationality"
assert_exit 64 ciatteh chart bars --years 2019-2023 -o "$T/x.png"
assert_contains "$ERR" "--items"
assert_exit 64 ciatteh chart trend --years 2019-2023 --lang de -o "$T/x.png"
assert_exit 64 ciatteh chart trend --years 2019-2023 --where 'form=LAB SEX' -o "$T/x.png"
assert_exit 64 ciatteh chart trend --years 2019-2023 --as-of 2024-13-01 -o "$T/x.png"
assert_exit 64 ciatteh chart trend --years 2019-2023 --width 12parsecs -o "$T/x.png"
assert_exit 64 ciatteh chart trend --years 2019-2023 --items police.facts --by district --where district=BRU -o "$T/x.png"
assert_contains "$ERR" "already broken down by district"
assert_exit 64 ciatteh chart trend --years 2019-2023 \
    --items police.facts,police.suspects,police.victims,prosecution.cases_in,prosecution.cases_prosecuted,prosecution.defendants_prosecuted,prosecution.cases_dismissed,inspection.inspections,inspection.thb_reports,inspection.victims_referred,shelter.referrals,shelter.victims_admitted,conviction.persons \
    -o "$T/x.png"
assert_contains "$ERR" "more lines than a reader can tell apart"
assert_no_file "$T/x.png" "$T/x.gif"

t_begin "an output that cannot be written: exit 73, nothing left"
assert_exit 73 ciatteh chart trend --years 2019-2023 -o "$T/no/such/dir/x.png"
assert_no_file "$T/no"
# a directory where the chart should go: the temporary file is written,
# the rename fails, and nothing is left beside it
mkdir -p "$T/out/taken.png"
assert_exit 73 ciatteh chart trend --years 2019-2023 -o "$T/out/taken.png"
assert_eq "$(ls -A "$T/out")" "taken.png" "no temporary file left"
assert_exit 73 ciatteh chart trend --years 2019-2023 -o "$T/out/taken.png/../x.xlsx/y.xlsx"

t_begin "the workbook: the chart's figures as a sheet, the chart beside them"
assert_exit 0 ciatteh chart sentences --years 2019-2023 --lang fr -o "$T/s.xlsx" --dump "$T/s.json"
# (the script goes in a file: `run` gives its command /dev/null as stdin)
cat > "$T/wb.py" <<'PYEOF'
import json, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
d = json.load(open(sys.argv[2]))
names = z.namelist()
assert any(n.startswith("xl/media/image") and n.endswith(".png") for n in names), names
png = [n for n in names if n.startswith("xl/media/")][0]
assert z.read(png)[:8] == b"\x89PNG\r\n\x1a\n"
drawing = [n for n in names if re.match(r"xl/drawings/drawing\d+\.xml$", n)][0]
dx = z.read(drawing).decode()
assert 'descr="' in dx and "Personnes condamn" in dx, dx[:400]
sheet = z.read("xl/worksheets/sheet1.xml").decode()
shared = z.read("xl/sharedStrings.xml").decode()
nums = [float(x) for x in re.findall(r"<v>([0-9.]+)</v>", sheet)]
want = [v["value"] for s in d["values"] for v in s if v["known"]]
missing = [w for w in want if w not in nums]
assert not missing, missing
assert "sans sursis" in shared
print("picture %s, %d figures in the sheet" % (png, len(want)))
PYEOF
run $PY "$T/wb.py" "$T/s.xlsx" "$T/s.json"
if [ "$RC" = 0 ]; then _pass "$OUT"; else _fail "workbook" "$OUT$ERR"; fi
