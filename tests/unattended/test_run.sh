#!/bin/sh
# test_run.sh — `ciatteh run --config FILE` end to end: a directory of
# extracts, good and bad, to the biennial pack.  Good files are loaded
# and archived, bad ones rejected with their error report beside them,
# files being uploaded left alone; the log and stderr say what happened;
# the pack's PDF is read back with poppler (page count, text on pages),
# its MANIFEST verified with sha256sum; a second run changes nothing; a
# file dropped again is archived without loading; configuration mistakes
# are reported with their line.
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"

X=$T/extracts
S=$T/site
t_begin "extracts"
make_extracts "$X" || _fail "cannot generate the extracts"
PACK_LANGS="fr, nl" make_site "$S" "$X"

# ------------------------------------------------------------ first run
t_begin "first run: good files loaded and archived, bad ones rejected (exit 65)"
assert_exit 65 ciatteh run --config "$S/ciatteh.conf"
RUN1_ERR=$ERR
for f in $GOOD; do
    assert_file "$S/in/$(dirname "$f")/archive/$(basename "$f")"
    assert_no_file "$S/in/$f"
done
for f in $BAD; do
    assert_file "$S/in/$(dirname "$f")/rejected/$(basename "$f")" \
                "$S/in/$(dirname "$f")/rejected/$(basename "$f").errors.txt"
    assert_no_file "$S/in/$f"
done
for f in $NEVER; do assert_file "$S/in/$f"; done
assert_no_file "$S/in/drop/archive/.hidden.csv" "$S/in/drop/rejected/upload.csv.part"
assert_eq "$(sql 'SELECT count(*) FROM delivery')" 9 "nine deliveries"
assert_eq "$(sql 'SELECT count(DISTINCT sha256) FROM delivery')" 9 "each file once"

t_begin "error reports beside the rejected files"
R=$S/in/police/rejected/police_bad_date.csv.errors.txt
assert_contains "$(cat "$R")" "police_bad_date.csv rejected by ciatteh run"
assert_contains "$(cat "$R")" "as police: nothing of it was loaded"
assert_match "$(cat "$R")" "police_bad_date.csv:3:registration_date: '2021/01/05' is not a date"
assert_match "$(cat "$S/in/drop/rejected/shelter_brugge.csv.errors.txt")" "shelter_brugge.csv:3:centre: .*BRUGGE"
assert_contains "$(cat "$S/in/drop/rejected/notes.txt.errors.txt")" "no [patterns] entry"
assert_contains "$(cat "$S/in/drop/rejected/notes.txt.errors.txt")" "shelters = shelter_*.csv"

# thb FILE — sets n to the trafficking facts of a generated police
# extract, counted in the file: its 4th column (misdrijf) read with the
# offence labels of FORMATS.md ("Code lists"); every record must be one or
# the other (checked).  `query` counts THB alone.
thb() {
    local c
    c=$(awk -F';' 'BEGIN {
            split("trafficking in human beings;thb;traite des êtres humains;teh;mensenhandel;mh;433quinquies", a, ";")
            for (i in a) T[a[i]] = 1
            split("smuggling of human beings;trafic des êtres humains;trafic d'"'"'êtres humains;mensensmokkel;77bis", a, ";")
            for (i in a) S[a[i]] = 1
        }
        NR > 1 { o = tolower($4); gsub(/^[ "]+|[ "]+$/, "", o)
                 if (o in T) t++; else if (o in S) s++; else x++ }
        END { printf "%d %d %d %d", t, s, x, NR - 1 }' "$1")
    set -- "$1" $c
    n=$2
    [ "$4" = 0 ] && [ "$5" = $(($(wc -l <"$1") - 1)) ] || _fail "$1: $4 records with another offence spelling"
    [ "$2" -gt 0 ] && [ "$3" -gt 0 ] || _fail "$1: both offences expected ($2 THB, $3 SMUG)"
}

t_begin "the newer police file replaced the older one for 2021 (loading order by mtime)"
thb "$X/police/police_2021_update.csv"
run ciatteh query police.facts --year 2021
assert_eq "$(echo "$OUT" | sed -n 2p)" "police.facts,2021,$n," "police.facts 2021 = the update's $n THB records"
run ciatteh query police.facts --year 2020
assert_match "$OUT" "^police.facts,2020,[0-9]+,$"

t_begin "the log file and stderr tell the same story"
L=$S/log/run.log
assert_file "$L"
log=$(cat "$L")
assert_match "$log" "info: run started \(ciatteh [0-9.]+, configuration $S/ciatteh.conf\)"
assert_match "$log" "info: 12 new files in 2 incoming directories"
assert_match "$log" "in/police/police_2018_2021.csv: loaded as police delivery #[0-9]+, [0-9]+ records, years 2018,2019,2020,2021"
assert_match "$log" "in/police/police_2021_update.csv: loaded as police delivery #[0-9]+, 150 records, years 2021, replaces #[0-9]+ for 2021"
assert_match "$log" "in/drop/parquet_2018_2021.csv: loaded as prosecution delivery"
assert_match "$log" "error: .*in/police/police_bad_date.csv: rejected as police: moved to .*rejected/police_bad_date.csv"
assert_match "$log" "error: .*in/drop/notes.txt: rejected: moved to"
assert_match "$log" "info: check: 0 errors, [0-9]+ warnings"
assert_match "$log" "info: pack $S/out/biennial-2020-2021-fr: [0-9]+ files"
assert_match "$log" "info: pack $S/out/biennial-2020-2021-nl: [0-9]+ files"
assert_match "$log" "error: run finished: 9 loaded, 0 already loaded, 3 rejected, 0 left for the next run; exit 65"
assert_match "$RUN1_ERR" "run finished: 9 loaded, 0 already loaded, 3 rejected"
assert_match "$RUN1_ERR" "police_2021_update.csv: loaded as police delivery"
assert_eq "$(echo "$RUN1_ERR" | grep -c ' ciatteh run: ')" "$(grep -c ' ciatteh\[[0-9]*\] ' "$L")" "as many lines on stderr as in the log"

# ------------------------------------------------------------ the pack
P=$S/out/biennial-2020-2021-fr
t_begin "the pack: workbook, PDF, tables, charts, checks, MANIFEST verified"
assert_file "$P/annex-2020-2021-fr.xlsx" "$P/annex-2020-2021-fr.pdf" "$P/MANIFEST" "$P/checks.csv" \
            "$P/checks.json" "$P/tables/01-yoy.csv" "$S/out/biennial-2020-2021-nl/annex-2020-2021-nl.pdf"
run sh -c "cd '$P' && sha256sum -c --strict MANIFEST"
assert_eq "$RC" 0 "sha256sum -c MANIFEST"
nfiles=$(cd "$P" && find . -type f ! -name MANIFEST | wc -l)
assert_eq "$(grep -c '^[0-9a-f]\{64\}  ' "$P/MANIFEST")" "$nfiles" "MANIFEST lists every file of the pack"
m=$(cat "$P/MANIFEST")
assert_match "$m" "^# program: ciatteh [0-9.]+ \(schema [0-9]+\)$"
assert_contains "$m" "# period: 2020-2021"
assert_contains "$m" "# language: fr"
assert_match "$m" "^# as-of: $(TZ=Europe/Brussels date +%F) "
assert_contains "$m" "# deliveries used: 9"
sha=$(sha256sum "$X/police/police_2021_update.csv" | cut -d' ' -f1)
assert_match "$m" "^#   delivery [0-9]+ police years 2021 rows 150 sha256 $sha loaded .* file police_2021_update.csv$"
assert_match "$m" "^#   delivery [0-9]+ shelters/SURYA years "
assert_match "$m" '^[0-9a-f]{64}  charts/[0-9]+-trend.png$'
assert_match "$m" '^[0-9a-f]{64}  charts/[0-9]+-trend.pdf$'
assert_match "$m" '^[0-9a-f]{64}  annex-2020-2021-fr.pdf$'

t_begin "the PDF annex: A4 pages, title, contents, tables, figures, page numbers"
PDF=$P/annex-2020-2021-fr.pdf
run pdfinfo "$PDF"
assert_eq "$RC" 0 "pdfinfo reads it"
pages=$(echo "$OUT" | awk '/^Pages:/ { print $2 }')
assert_match "$OUT" "^Page size: +595.2.* x 841.8.* pts \(A4\)"
assert_match "$OUT" "^Title: +Traite des êtres humains.*annexe statistique"
assert_match "$OUT" "^CreationDate: .*$(TZ=Europe/Brussels date +%Y)"
[ "${pages:-0}" -ge 10 ] && _pass "$pages pages" || _fail "only ${pages:-0} pages"
p1=$(pdftotext -f 1 -l 1 "$PDF" -)
assert_contains "$p1" "Traite des êtres humains"
assert_contains "$p1" "Rapport bisannuel 2020–2021"
assert_contains "$p1" "Livraisons utilisées : 9"
assert_not_contains "$p1" "Page 1 /"
p2=$(pdftotext -layout -f 2 -l 2 "$PDF" -)
assert_contains "$p2" "Table des matières"
assert_match "$p2" "Tableau 1\. .* [0-9]+$"
assert_match "$p2" "Graphique 1\. .* [0-9]+$"
assert_contains "$p2" "Page 2 / $pages"
k=2
while [ "$k" -le "$pages" ]; do
    pk=$(pdftotext -f $k -l $k "$PDF" -)
    assert_contains "$pk" "Page $k / $pages" "page $k carries its number"
    k=$((k + 1))
done
all=$(pdftotext -layout "$PDF" -)
assert_contains "$all" "Peines de prison par durée et sursis"
assert_contains "$all" "Contrôles de qualité des données : constats"
assert_contains "$all" "Définitions"
assert_contains "$all" "police_2021_update.csv"
# every table and figure the contents announce is on the page it says
echo "$all" | $PY -c '
import re, sys
text = sys.stdin.read()
pages = text.split("\f")
toc = "\n".join(p for p in pages[1:4] if "Table des matières" in p)
entries = re.findall(r"^\s*((?:Tableau|Graphique) \d+)\. .*?\s(\d+)\s*$", toc, re.M)
assert len(entries) >= 10, entries
for label, page in entries:
    p = pages[int(page) - 1]
    assert label + "." in p, (label, page)
print(len(entries))
' >/dev/null || _fail "contents entries and their pages disagree"

t_begin "the pack's figures are the query's figures"
t=$(grep -l "^Source,Indicateur" "$P"/tables/*-yoy.csv)
want=$(ciatteh query police.facts --year 2021 | sed -n 2p | cut -d, -f3)
assert_match "$(cat "$t")" "^Police fédérale,Faits enregistrés,[0-9]+,,$want,"
want=$(ciatteh query conviction.persons --year 2020 | sed -n 2p | cut -d, -f3)
assert_match "$(cat "$t")" "^Casier judiciaire central,Personnes condamnées,$want,"

# ------------------------------------------------------------ second run
t_begin "a second run finds nothing new, rebuilds the same pack (exit 0)"
cp "$P/MANIFEST" "$T/manifest.1"
cp "$PDF" "$T/annex.1.pdf"
assert_exit 0 ciatteh run --config "$S/ciatteh.conf"
assert_match "$ERR" "info: 0 new files in 2 incoming directories"
assert_match "$ERR" "run finished: 0 loaded, 0 already loaded, 0 rejected, 0 left for the next run; exit 0"
assert_eq "$(sql 'SELECT count(*) FROM delivery')" 9 "still nine deliveries"
cmp -s "$PDF" "$T/annex.1.pdf" && _pass "same PDF bytes" || _fail "the PDF annex changed"
for f in "$P"/tables/*.csv "$P"/charts/*.png "$P"/charts/*.pdf "$P/checks.csv" "$P/checks.json"; do
    r=${f#$P/}
    grep -q "  $r\$" "$T/manifest.1" || { _fail "$r not in the first MANIFEST"; continue; }
    assert_eq "$(sha256sum "$f" | cut -d' ' -f1)" "$(grep "  $r\$" "$T/manifest.1" | cut -d' ' -f1)" "$r unchanged"
done

t_begin "a file dropped again is archived without loading; a new file of the same name gets its own"
cp "$S/in/police/archive/police_2018_2021.csv" "$S/in/police/"
"$GEN" police --rows 120 --seed 13 --years 2021-2021 -o "$S/in/police/police_2021_update.csv"
touch -d '2024-02-01 08:00' "$S/in/police/police_2021_update.csv"
thb "$S/in/police/police_2021_update.csv"
assert_exit 0 ciatteh run --config "$S/ciatteh.conf" --no-pack
assert_match "$ERR" "police_2018_2021.csv: already loaded as police delivery #[0-9]+ \(same SHA-256\): archived without loading"
assert_match "$ERR" "police_2021_update.csv: archived as $S/in/police/archive/police_2021_update.2.csv"
assert_eq "$(sql 'SELECT count(*) FROM delivery')" 10 "one new delivery"
assert_eq "$(ls "$S/in/police/archive" | grep -c police_2018_2021)" 1 "one archived copy of the same file"
assert_no_file "$S/in/police/police_2018_2021.csv" "$S/in/police/police_2021_update.csv"
run ciatteh query police.facts --year 2021
assert_eq "$(echo "$OUT" | sed -n 2p)" "police.facts,2021,$n," "the newest 2021 file counts (its $n THB records)"

t_begin "a file still being written (changed within settle_seconds) waits"
cp "$S/in/drop/archive/shelter_surya.csv" "$S/in/drop/shelter_surya_again.csv"
sed 's/^settle_seconds = 0/settle_seconds = 3600/' "$S/ciatteh.conf" >"$S/settle.conf"
assert_exit 0 ciatteh run --config "$S/settle.conf" --no-pack
assert_match "$ERR" "shelter_surya_again.csv: changed less than 3600 s ago; left for the next run"
assert_file "$S/in/drop/shelter_surya_again.csv"
assert_exit 0 ciatteh run --config "$S/ciatteh.conf" --no-pack
assert_match "$ERR" "shelter_surya_again.csv: already loaded as shelters delivery"
assert_no_file "$S/in/drop/shelter_surya_again.csv"
assert_file "$S/in/drop/archive/shelter_surya.csv" "$S/in/drop/archive/shelter_surya_again.csv"

t_begin "a site with its archive and rejected folders set in [run]"
mkdir -p "$T/other/in"
cp "$X/drop/ovo_2018_2021.csv" "$X/drop/notes.txt" "$T/other/in/"
cat >"$T/other/c.conf" <<EOF
[run]
log = $T/other/log.txt
archive = $T/other/done
rejected = $T/other/bad
settle_seconds = 0
[incoming]
auto = in
[patterns]
immigration = ovo_*
[pack]
enabled = no
EOF
assert_exit 65 ciatteh run --config "$T/other/c.conf"
assert_file "$T/other/done/ovo_2018_2021.csv" "$T/other/bad/notes.txt" "$T/other/bad/notes.txt.errors.txt" \
            "$T/other/log.txt"
assert_match "$ERR" "ovo_2018_2021.csv: already loaded as immigration delivery"

# ------------------------------------------------------------ configuration mistakes
t_begin "configuration mistakes: exit 64 with file:line:column, nothing touched"
bad() {   # bad NAME TEXT EXPECTED-MESSAGE
    printf '%b' "$2" >"$T/$1.conf"
    assert_exit 64 ciatteh run --config "$T/$1.conf"
    assert_contains "$ERR" "$3"
}
bad nosection 'log = x\n' "nosection.conf:1:1: \`log = x\` before any [section]"
bad section '[incoming]\npolice = in\n[runn]\nlog = x\n' "section.conf:4:1: unknown section [runn]"
bad service '[incoming]\npolis = in\n' "service.conf:2:1: [incoming] 'polis' is not a service"
bad key '[run]\nlogfile = x\n[incoming]\npolice = in\n' "key.conf:2:1: [run] has no key 'logfile'"
bad noin '[run]\nlog = x\n' "no [incoming] directory"
bad nopack '[incoming]\npolice = in\n' "[pack] output"
bad period '[incoming]\npolice = in\n[pack]\noutput = o\nperiod = 2021-2020\n' "period.conf:5:1: period '2021-2020'"
bad check '[incoming]\npolice = in\n[check]\njump = 2\n' "check.conf:4:1: [check] unknown check setting 'jump'"
bad eq '[incoming]\npolice in\n' "eq.conf:2:8: expected \`key = value\`"
assert_exit 66 ciatteh run --config "$T/nosuch.conf"
assert_exit 64 ciatteh run
assert_contains "$ERR" "--config FILE is required"
