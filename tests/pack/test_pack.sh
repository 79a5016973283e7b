#!/bin/sh
# test_pack.sh — `ciatteh pack`: the biennial pack's files, its MANIFEST
# (verified with sha256sum), the PDF annex read back with poppler (pages,
# text on each page, creation date), the same data and --as-of giving the
# same bytes, an earlier --as-of giving the earlier data, the three
# languages, the checks in the pack equal to `ciatteh check`, and the pack
# directory replaced whole.
# A protected pack makes the releases of its years (GLPK over every
# questionnaire and the pack's figures): minutes under the sanitizers on a
# busy machine, so more than the default 120 s per command.
CIA_TIMEOUT=${CIA_TIMEOUT:-400}
. "$(dirname "$0")/../lib.sh"

GEN=""
for g in "${CIATTEH_GEN:-}" "$B/bin/ciatteh-gen" "$ROOT/bin/ciatteh-gen"; do
    [ -n "$g" ] && [ -x "$g" ] && { GEN=$g; break; }
done
if [ -z "$GEN" ]; then
    t_begin "extract generator"
    _fail "no ciatteh-gen (make all builds bin/ciatteh-gen; or set CIATTEH_GEN)"
    exit 1
fi

D=$T/data
mkdir -p "$D"
t_begin "data: every service 2016-2021 loaded on 2024-03-01, a newer police file on 2024-06-01"
for s in police prosecution inspectorates convictions immigration; do
    "$GEN" "$s" --rows 500 --seed 5 --years 2016-2021 -o "$D/$s.csv" || _fail "generator $s"
    assert_exit 0 ciatteh -q load --loaded-at '2024-03-01 09:00:00' "$s" "$D/$s.csv"
done
for c in PAYOKE SURYA PAGASA; do
    "$GEN" shelters --centre $c --rows 150 --seed 5 --years 2016-2021 -o "$D/sh_$c.csv" || _fail "generator $c"
    assert_exit 0 ciatteh -q load --loaded-at '2024-03-01 09:30:00' shelters "$D/sh_$c.csv"
done
"$GEN" police --rows 90 --seed 6 --years 2021-2021 -o "$D/police_2021.csv" || _fail "generator"
assert_exit 0 ciatteh -q load --loaded-at '2024-06-01 09:00:00' police "$D/police_2021.csv"

t_begin "usage errors"
assert_exit 64 ciatteh pack --lang fr -o "$T/x"
assert_contains "$ERR" "--period A-B is required"
assert_exit 64 ciatteh pack --period 2021-2020 -o "$T/x"
assert_exit 64 ciatteh pack --period 2020-2021 --lang de -o "$T/x"
assert_exit 64 ciatteh pack --period 2020-2021
assert_exit 64 ciatteh pack --period 2020-2021 -o "$T/x" --as-of 2024-02-30
assert_exit 64 ciatteh pack --period 2020-2021 -o "$T/x" --set jump_ratio=much --internal
assert_no_file "$T/x"
mkdir -p "$T/ro" && chmod 555 "$T/ro"
if [ "$(id -u)" != 0 ]; then
    assert_exit 73 ciatteh pack --period 2020-2021 -o "$T/ro/p"
fi

# ------------------------------------------------------------ one pack
P=$T/p1
t_begin "the pack: every file listed in MANIFEST with its SHA-256"
assert_exit 0 ciatteh pack --period 2020-2021 --lang fr -o "$P" --as-of 2024-07-01 --no-charts
assert_exit 0 ciatteh pack --period 2020-2021 --lang fr -o "$P" --as-of 2024-07-01
assert_match "$OUT" "^$P: [0-9]+ files \([0-9]+ tables, [0-9]+ charts, [0-9]+ PDF pages\), data as of 2024-07-01"
assert_file "$P/annex-2020-2021-fr.xlsx" "$P/annex-2020-2021-fr.pdf" "$P/checks.csv" "$P/checks.json" "$P/MANIFEST"
run sh -c "cd '$P' && sha256sum -c --strict MANIFEST"
assert_eq "$RC" 0 "sha256sum -c MANIFEST" 
assert_eq "$(grep -c '^[0-9a-f]\{64\}  ' "$P/MANIFEST")" "$(cd "$P" && find . -type f ! -name MANIFEST | wc -l)" \
    "every file and only them"
nt=$(ls "$P/tables" | wc -l)
nc=$(ls "$P/charts" | grep -c '\.png$')
assert_eq "$(ls "$P/charts" | grep -c '\.pdf$')" "$nc" "each chart as PNG and PDF"
[ "$nt" -ge 15 ] && _pass "$nt tables" || _fail "only $nt tables"
[ "$nc" -ge 4 ] && _pass "$nc charts" || _fail "only $nc charts"
assert_eq "$(ls "$P"/tables/ | grep -c -- "-chart_trend.csv$")" 1 "the trend chart's table"
m=$(cat "$P/MANIFEST")
assert_contains "$m" "# as-of: 2024-07-01"
assert_contains "$m" "# period: 2020-2021"
assert_match "$m" "^#   delivery [0-9]+ police years 2021 rows 90 sha256 $(sha256sum "$D/police_2021.csv" | cut -d' ' -f1) loaded 2024-06-01 09:00:00 file police_2021.csv$"
assert_match "$m" "^#   delivery [0-9]+ police years 2020 rows 500 .* loaded 2024-03-01 09:00:00 file police.csv$"
assert_contains "$m" "# deliveries used: 9"
for f in "$P"/charts/*.png; do
    [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] || _fail "$f is not a PNG"
done
for f in "$P"/charts/*.pdf; do
    run pdfinfo "$f"
    assert_match "$OUT" "^CreationDate: +.*Jul +1 00:00:00 2024" "$(basename "$f") dated with the as-of day"
done

t_begin "the PDF annex read back: pages, title, contents, numbers, every table"
PDF=$P/annex-2020-2021-fr.pdf
run pdfinfo "$PDF"
pages=$(echo "$OUT" | awk '/^Pages:/ { print $2 }')
assert_match "$OUT" "^CreationDate: +.*Jul +1 00:00:00 2024" "dated with the as-of day, not the clock"
assert_match "$OUT" "^Creator: +ciatteh "
[ "${pages:-0}" -ge 12 ] && _pass "$pages pages" || _fail "only ${pages:-0} pages"
run pdfinfo -f 1 -l "$pages" "$PDF"
n_a4=$(echo "$OUT" | grep -c '^Page *[0-9]* size: *\(595.2[0-9]* x 841.8[0-9]*\|841.8[0-9]* x 595.2[0-9]*\) pts')
assert_eq "$n_a4" "$pages" "every page A4, portrait or landscape"
all=$(pdftotext -layout "$PDF" -)
echo "$all" >"$T/annex.txt"
cat >"$T/pdfcheck.py" <<'EOF'
import csv, glob, os, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
pack, npages = sys.argv[2], int(sys.argv[3])
pages = text.split("\f")
if pages and not pages[-1].strip():
    pages = pages[:-1]
assert len(pages) == npages, (len(pages), npages)
assert "Traite des êtres humains" in pages[0] and "Rapport bisannuel 2020–2021" in pages[0], pages[0]
assert "Situation des données : 1er juillet 2024" in pages[0].replace("\u00a0", " "), pages[0]
assert "Table des matières" in pages[1], pages[1]
for k in range(2, npages + 1):
    assert re.search(r"Page %d / %d\b" % (k, npages), pages[k - 1]), ("page number", k)
# contents entries point at the page where the table/figure is
toc = "\n".join(p for p in pages if "Table des matières" in p)
entries = re.findall(r"^\s*((?:Tableau|Graphique) \d+)\. (.*?)\s*\.*\s(\d+)\s*$", toc, re.M)
assert len(entries) >= 15, entries
for label, title, page in entries:
    assert label + "." in pages[int(page) - 1], (label, page)
# every table of the pack is in the PDF: the reports' as tables (and the
# checks' and the deliveries'), the charts' as figures
tables = sorted(glob.glob(os.path.join(pack, "tables", "*.csv")))
charts = [t for t in tables if "-chart_" in t]
ntab = len([e for e in entries if e[0].startswith("Tableau")])
nfig = len([e for e in entries if e[0].startswith("Graphique")])
assert ntab == len(tables) - len(charts) + 3, (ntab, len(tables), len(charts))
assert nfig == len(charts) == len(glob.glob(os.path.join(pack, "charts", "*.png"))), (nfig, len(charts))
# the figures of a table are on its page: the trend table's first data row
rows = list(csv.reader(open(glob.glob(os.path.join(pack, "tables", "*-yoy.csv"))[0], encoding="utf-8")))
label = rows[1][1]
assert label in text, label
# checks and deliveries sections
assert "Contrôles de qualité des données" in text
assert "Livraisons utilisées" in text and "police_2021.csv" in text
EOF
why=$($PY "$T/pdfcheck.py" "$T/annex.txt" "$P" "$pages" 2>&1) || _fail "PDF text checks" "$why"

t_begin "the annex is a tagged PDF: language, structure, bookmarks, alternative text of every chart"
assert_match "$(pdfinfo "$PDF")" "^Tagged: +yes"
run $PY "$HERE/check_tags.py" "$PDF" fr "$(ls "$P/charts" | grep -c '\.png$')"
assert_eq "$RC" 0 "check_tags.py: $OUT"

t_begin "the pack's checks are \`ciatteh check --public\` for the period, as of the same day"
# (the pack's default offence is both: its trafficking and smuggling chapters)
run ciatteh check --years 2020-2021 --as-of 2024-07-01 --lang fr --offence both --public --format json -o "$T/check.json"
case $RC in 0|1) _pass "check ran (exit $RC)" ;; *) _fail "check exit $RC" "$ERR" ;; esac
cmp -s "$T/check.json" "$P/checks.json" && _pass "checks.json identical" || _fail "checks.json differs"
run ciatteh check --years 2020-2021 --as-of 2024-07-01 --lang fr --offence both --public --format csv
assert_eq "$OUT" "$(cat "$P/checks.csv")" "checks.csv identical"

t_begin "the pack's tables are the reports' tables"
# (read through the pack's releases, named in its MANIFEST: a protected
# pack gives no count of unknown records where its release withholds a
# figure of the item and year, and neither does a report through them)
RELS=$(sed -n 's/^# release [0-9]*: #\([0-9]*\) .*/\1/p' "$P/MANIFEST" | paste -sd, -)
assert_ne "$RELS" "" "the MANIFEST names the pack's releases"
run ciatteh report sentences --years 2020-2021 --lang fr --format csv --as-of 2024-07-01 --release "$RELS"
# (the first block of each: after it come the trace lines, which name the
# report's deliveries where the pack's MANIFEST names the pack's)
first_block() { $PY -c 'import sys; print(sys.stdin.read().split("\n\n")[0].rstrip("\n"))'; }
assert_eq "$(first_block < "$(ls "$P"/tables/*-sentences_summary.csv)")" "$(echo "$OUT" | $PY -c '
import sys
print(sys.stdin.read().split("\n\n")[0].rstrip("\n"))')" "sentences summary"

# ------------------------------------------------------------ determinism
t_begin "same data and --as-of: the same tables, charts, PDF, checks and MANIFEST"
assert_exit 0 ciatteh pack --period 2020-2021 --lang fr -o "$T/p2" --as-of 2024-07-01
for f in $(cd "$P" && find . -type f ! -name '*.xlsx' ! -name MANIFEST | sort); do
    cmp -s "$P/$f" "$T/p2/$f" || _fail "$f differs between two builds"
done
_pass "every file but the workbook compared"
assert_eq "$(grep -v 'xlsx$' "$T/p2/MANIFEST")" "$(grep -v 'xlsx$' "$P/MANIFEST")" "MANIFEST (workbook line aside)"

t_begin "same data and --as-of: the workbook and the whole MANIFEST byte for byte"
cmp -s "$P/annex-2020-2021-fr.xlsx" "$T/p2/annex-2020-2021-fr.xlsx" && _pass "same workbook bytes" ||
    _fail "the workbook differs (render_xlsx.c writes the clock as its creation date)"
cmp -s "$P/MANIFEST" "$T/p2/MANIFEST" && _pass "same MANIFEST" || _fail "MANIFEST differs" "$(diff "$P/MANIFEST" "$T/p2/MANIFEST")"

t_begin "an earlier --as-of gives the data as it was then"
# --internal: the data as of a day, not their protection (tests/release), is the point here
assert_exit 0 ciatteh pack --period 2020-2021 --lang fr -o "$T/p3" --as-of 2024-04-30 --no-charts --internal
m3=$(cat "$T/p3/MANIFEST")
assert_contains "$m3" "# as-of: 2024-04-30"
assert_not_contains "$m3" "police_2021.csv"
assert_match "$m3" "^#   delivery [0-9]+ police years 2020,2021 rows 500 "
old=$(ciatteh query police.facts --year 2021 --as-of 2024-04-30 | sed -n 2p | cut -d, -f3)
new=$(ciatteh query police.facts --year 2021 | sed -n 2p | cut -d, -f3)
assert_ne "$old" "$new" "the newer file changed police.facts 2021"
assert_match "$(cat "$T"/p3/tables/01-yoy.csv)" "^Police fédérale,Faits enregistrés,[0-9]+,[^,]*,$old,"
assert_match "$(cat "$P"/tables/01-yoy.csv)" "^Police fédérale,Faits enregistrés,[0-9]+,[^,]*,$new,"
assert_exit 0 ciatteh pack --period 2020-2021 --lang fr -o "$T/p4" --as-of 2024-04-30 --no-charts --internal
for f in $(cd "$T/p3" && find . -type f ! -name '*.xlsx' | sort); do
    cmp -s "$T/p3/$f" "$T/p4/$f" || _fail "$f differs between two builds as of 2024-04-30"
done

t_begin "three languages"
for l in en nl; do
    assert_exit 0 ciatteh pack --period 2020-2021 --lang $l -o "$T/p-$l" --as-of 2024-07-01 --no-charts
    assert_file "$T/p-$l/annex-2020-2021-$l.pdf" "$T/p-$l/annex-2020-2021-$l.xlsx"
done
assert_contains "$(pdftotext -f 2 -l 2 "$T/p-en/annex-2020-2021-en.pdf" -)" "Contents"
assert_contains "$(pdftotext -f 1 -l 1 "$T/p-en/annex-2020-2021-en.pdf" -)" "Trafficking in human beings"
assert_contains "$(pdftotext -f 2 -l 2 "$T/p-nl/annex-2020-2021-nl.pdf" -)" "Inhoud"
assert_contains "$(pdftotext -f 1 -l 1 "$T/p-nl/annex-2020-2021-nl.pdf" -)" "Tweejaarlijks verslag 2020–2021"
assert_contains "$(pdftotext -f 3 -l 3 "$T/p-nl/annex-2020-2021-nl.pdf" -)" "Pagina 3 /"
assert_contains "$(cat "$T/p-en/MANIFEST")" "# language: en"
run $PY "$HERE/check_tags.py" "$T/p-nl/annex-2020-2021-nl.pdf" nl 0
assert_eq "$RC" 0 "nl annex tagged: $OUT"

t_begin "the annex in Dutch: findings with the rules' titles and the services' names, one date format"
nl=$(pdftotext -layout "$T/p-nl/annex-2020-2021-nl.pdf" -)
# the as-of date as the charts write it, on the cover and in every footer
assert_contains "$(pdftotext -f 1 -l 1 "$T/p-nl/annex-2020-2021-nl.pdf" -)" "1 juli 2024"
assert_not_contains "$nl" "2024-07-01"
cat >"$T/findings.py" <<'EOF'
import sys, openpyxl
sys.path.insert(0, sys.argv[2])
from xlsx_tables import sheet
ws = sheet(openpyxl.load_workbook(sys.argv[1]), "checks")
rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] and r[1]]
codes = {"police", "prosecution", "inspectorates", "shelters", "convictions", "immigration"}
bad = [r for r in rows if r[3] in codes or "_" in (r[1] or "")]
print("%d findings, %d with a code: %r" % (len(rows), len(bad), bad[:2]))
sys.exit(1 if bad or not rows else 0)
EOF
assert_exit 0 $PY "$T/findings.py" "$T/p-nl/annex-2020-2021-nl.xlsx" "$ROOT/tests/tools"
# the last chapter's heading on the page of its table (heading and caption)
n=$(pdfinfo "$T/p-nl/annex-2020-2021-nl.pdf" | awk '/^Pages:/ { print $2 }')
assert_eq "$(pdftotext -f "$n" -l "$n" "$T/p-nl/annex-2020-2021-nl.pdf" - | grep -c 'Gebruikte leveringen')" 2 \
    "'Gebruikte leveringen': heading and table on the last page"
# a figure's title printed once: in the contents and its caption, not in the chart too
assert_eq "$(pdftotext "$P/annex-2020-2021-fr.pdf" - | grep -c 'Chiffres clés par année')" 2 \
    "the trend chart's title: contents and caption only"

t_begin "the pack directory is replaced whole; a stale half-built one is cleaned up"
echo stale >"$P/leftover.txt"
mkdir -p "$T/.p1.tmp.999999" && echo x >"$T/.p1.tmp.999999/junk"
assert_exit 0 ciatteh pack --period 2020-2021 --lang fr -o "$P" --as-of 2024-07-01 --no-charts
assert_no_file "$P/leftover.txt" "$P/charts" "$T/.p1.tmp.999999"
run sh -c "cd '$P' && sha256sum -c --strict --quiet MANIFEST"
assert_eq "$RC" 0
assert_eq "$(ls -a "$T" | grep -c '^\.p1\.')" 0 "nothing left beside it"
