#!/bin/sh
# test_annex_look.sh — the annex as a reader sees it, in French, Dutch and
# English, from the bundled samples (whose tables fill pages to the foot,
# where a layout slip shows): no page starts with notes alone (a table's
# last rows go over with its legend and notes; a list of definitions stays
# whole), and the data-quality chapter speaks the reader's language — rules
# by their titles (no column of rule ids), items and services by their
# names (no item code), French spacing in its summary line; one date format
# per language (deliveries' dates in words too, no ISO day in the annex or
# the workbook).  And the French workbook and a 22-column yoy workbook
# converted to PDF by LibreOffice headless (check_lo.py): A4, headings on
# every page, wide sheets in column blocks of readable type, no heading
# row printed over a chart.
# Internal packs: the layout is the same as a protected pack's, without
# its GLPK programs (minutes under the sanitizers).
CIA_TIMEOUT=${CIA_TIMEOUT:-300}
. "$(dirname "$0")/../lib.sh"

t_begin "the bundled samples loaded"
load_samples

for l in fr nl en; do
    t_begin "$l: the internal pack of 2023-2024"
    assert_exit 0 ciatteh pack --period 2023-2024 --lang $l --internal --as-of 2025-06-30 -o "$T/p-$l"
    assert_file "$T/p-$l/annex-2023-2024-$l.pdf" "$T/p-$l/annex-2023-2024-$l.xlsx"

    t_begin "$l: every page opens with a heading or a caption, never with notes alone"
    run $PY "$HERE/check_pages.py" "$T/p-$l/annex-2023-2024-$l.pdf" $l
    assert_eq "$RC" 0 "check_pages.py: $OUT"
done

t_begin "the data-quality chapter: rules by title, items and services by name, in the workbook and the PDF"
cat >"$T/findings.py" <<'EOF'
import re, subprocess, sys, openpyxl
sys.path.insert(0, sys.argv[3])
from xlsx_tables import sheet
xlsx, pdf = sys.argv[1], sys.argv[2]
CODE = re.compile(r"\b(police|prosecution|inspection|shelter|conviction|immigration)\.[a-z_]+\b")
RULE_ID = re.compile(r"^[a-z]+(_[a-z]+)+$")
wb = openpyxl.load_workbook(xlsx)
bad = []
findings = [r for r in sheet(wb, "checks").iter_rows(min_row=4, values_only=True) if r[0] and r[1]]
if not findings:
    bad.append("no findings (the samples have some)")
for r in findings:
    if any(isinstance(v, str) and CODE.search(v) for v in r):
        bad.append("a finding names an item code: %r" % (r,))
rules = list(sheet(wb, "check_rules").iter_rows(min_row=3, values_only=True))
comma = not xlsx.endswith("-en.xlsx")      # French and Dutch write 0,2
for r in rules:
    if any(isinstance(v, str) and RULE_ID.match(v) for v in r):
        bad.append("the rules table shows a rule id: %r" % (r,))
    if comma and any(isinstance(v, str) and re.search(r"= [0-9]+\.[0-9]", v) for v in r):
        bad.append("a threshold with a decimal point: %r" % (r,))
if comma and not any(isinstance(v, str) and "unknown_share = 0,2" in v for r in rules for v in r):
    bad.append("no 'unknown_share = 0,2' in the rules table")
text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
m = CODE.search(text)
if m:
    bad.append("the PDF names an item code: %r" % m.group(0))
for w in ("breakdown_total", "unknown_value", "yoy_jump", "missing_year"):
    if w in text:
        bad.append("the PDF names the rule id %s" % w)
# one date format per language: no ISO day (a delivery's loading date
# included) in the annex's text or in any cell of the workbook
ISO = re.compile(r"\b(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}\b")
m = ISO.search(text)
if m:
    bad.append("the PDF writes an ISO date: %r" % text[max(0, m.start() - 60):m.end() + 10])
for ws in wb:
    for r in ws.iter_rows(values_only=True):
        for v in r:
            if isinstance(v, str) and ISO.search(v):
                bad.append("sheet %r writes an ISO date: %r" % (ws.title, v[:120]))
print("%d findings, %d rules; %s" % (len(findings), len(rules), "; ".join(bad[:3]) or "names only"))
sys.exit(1 if bad else 0)
EOF
for l in fr nl en; do
    run $PY "$T/findings.py" "$T/p-$l/annex-2023-2024-$l.xlsx" "$T/p-$l/annex-2023-2024-$l.pdf" "$ROOT/tests/tools"
    assert_eq "$RC" 0 "$l findings: $OUT $ERR"
done
fr=$(pdftotext "$T/p-fr/annex-2023-2024-fr.pdf" -)
assert_contains "$fr" "Prévenus poursuivis 2023"
nl=$(pdftotext "$T/p-nl/annex-2023-2024-nl.pdf" -)
assert_contains "$nl" "Vervolgde verdachten 2024"
# « 11 règles exécutées ; années » — a no-break space before the semicolon
assert_match "$fr" "règles exécutées ; années"
# the workbook's source lines under each table: the services' names and
# the pack's words, not the MANIFEST's English lines; the day written out
cat >"$T/sources.py" <<'EOF'
import sys, openpyxl
sys.path.insert(0, sys.argv[2])
from xlsx_tables import sheet
ws = sheet(openpyxl.load_workbook(sys.argv[1]), "yoy")
lines = [r[0] for r in ws.iter_rows(values_only=True) if isinstance(r[0], str)]
src = [l for l in lines if l.startswith("Source") and l != "Source"]   # not the column heading
asof = [l for l in lines if l.startswith("Situation des données")]
print(" | ".join(src[:2] + asof))
ok = src and all(" — " in l and "(livraison #" in l and " sha256 " not in l for l in src) \
     and any(l.startswith("Source\u00a0: Police fédérale — ") for l in src) \
     and asof == ["Situation des données\u00a0: 30 juin 2025"]
sys.exit(0 if ok else 1)
EOF
run $PY "$T/sources.py" "$T/p-fr/annex-2023-2024-fr.xlsx" "$ROOT/tests/tools"
assert_eq "$RC" 0 "fr workbook's source lines: $OUT $ERR"
# `ciatteh check` itself keeps the codes, beside its item column
run ciatteh check --years 2023-2024 --as-of 2025-06-30 --format csv
assert_contains "$OUT" "prosecution.defendants_prosecuted 2023: the value is not known"

t_begin "the French workbooks as LibreOffice prints them: A4, headings on every page, readable type"
# LibreOffice Calc (libreoffice-calc-nogui, .ci/bootstrap) converts them as a
# reader's office suite would, with Carlito for Excel's Calibri
# (fonts-crosextra-carlito); a private profile, so no desktop session's
# LibreOffice is disturbed.  About 20 s.  The yoy report over six years
# with its flags columns: 22 columns, printed in two blocks beside its
# repeated row labels (fitted to one page, it printed at 48 %).
assert_exit 0 ciatteh report yoy --years 2019-2024 --lang fr -o "$T/yoy-fr.xlsx"
if ! command -v soffice >/dev/null 2>&1; then
    _fail "soffice not found (apt-get install libreoffice-calc-nogui; .ci/bootstrap does)"
else
    mkdir -p "$T/lo"
    run env HOME="$T/lo/home" timeout 300 soffice --headless --norestore \
        -env:UserInstallation=file://"$T/lo/profile" \
        --convert-to pdf --outdir "$T/lo" "$T/p-fr/annex-2023-2024-fr.xlsx" "$T/yoy-fr.xlsx"
    assert_file "$T/lo/annex-2023-2024-fr.pdf" "$T/lo/yoy-fr.pdf"
    run $PY "$HERE/check_lo.py" "$T/p-fr/annex-2023-2024-fr.xlsx" "$T/lo/annex-2023-2024-fr.pdf" "$ROOT/tests/tools"
    assert_eq "$RC" 0 "check_lo.py: $OUT $ERR"
    run $PY "$HERE/check_lo.py" "$T/yoy-fr.xlsx" "$T/lo/yoy-fr.pdf" "$ROOT/tests/tools"
    assert_eq "$RC" 0 "check_lo.py yoy: $OUT $ERR"
    assert_contains "$(pdffonts "$T/lo/yoy-fr.pdf")" "Carlito" "Calibri's metrics (fonts-crosextra-carlito)"
fi
