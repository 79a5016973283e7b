#!/bin/sh
# test_figures.sh — the figure layer (schema/0009 figures(), reports/figures/query.c):
# every state decided once and shown as such by query, reports (three
# languages, CSV and text), charts (--dump) and the pack; THB and SMUG
# never added; a pack reads one snapshot while a load commits.
#
# Data: the bundled samples (etl/samples/multi-year, 2016-2024, loaded
# 2025-01-15) and tests/figures/data/immigration_2025.csv (three 2025
# documents, all for men).  So, as of 2025-06-30:
#   not delivered  every service for 2015; police for 2025
#   incomplete     shelters 2025 (admissions of 2025 inside the 2016-2024
#                  files), prosecution decisions 2025 likewise
#   provisional    convictions 2023-2024 (bulletins still arriving)
#   lower bound    prosecution.defendants_prosecuted (numbers left empty)
#   delivered zero immigration.documents 2025 for women
. "$(dirname "$0")/../lib.sh"

D=$HERE/data
ASOF=2025-06-30

t_begin "the data loads"
load_samples
assert_exit 0 ciatteh -q load --loaded-at '2025-02-01 09:00:00' immigration "$D/immigration_2025.csv"

t_begin "query: a row for every year asked, each with its state"
run ciatteh query shelter.victims_admitted --years 2015-2025 --as-of $ASOF
assert_eq "$RC" 0
assert_contains "$OUT" "shelter.victims_admitted,2015,,n" "2015 not delivered"
assert_contains "$OUT" "shelter.victims_admitted,2025,,i" "2025 incomplete"
assert_eq "$(printf '%s\n' "$OUT" | grep -c '^shelter')" 11 "eleven years, eleven rows"
run ciatteh query police.facts --years 2024-2025 --as-of $ASOF
assert_contains "$OUT" "police.facts,2025,,n" "police 2025 not delivered"
run ciatteh query conviction.persons --year 2024 --as-of $ASOF
assert_match "$OUT" '^conviction\.persons,2024,[0-9]+,p$' "convictions 2024 provisional"
run ciatteh query prosecution.defendants_prosecuted --year 2024 --as-of $ASOF
assert_match "$OUT" '^prosecution\.defendants_prosecuted,2024,[0-9]+,u$' "lower bound"
run ciatteh query immigration.documents --year 2025 --where sex=F --as-of $ASOF
assert_contains "$OUT" "immigration.documents,2025,0," "delivered zero"
run ciatteh query immigration.documents --year 2025 --where sex=F --by offence --as-of $ASOF
assert_contains "$OUT" "immigration.documents,2025,,0," "delivered zero, with --by: no codes"
run ciatteh query immigration.documents --year 2025 --as-of $ASOF
assert_contains "$OUT" "immigration.documents,2025,2," "THB by default (2 of the 3 documents)"
assert_exit 64 ciatteh query police.facts --year 2024 --where offence=THB,SMUG
assert_contains "$ERR" "never added together"
run ciatteh items
assert_contains "$OUT" "counts THB only" "items says THB by default"
run ciatteh help query
assert_contains "$OUT" "n = not delivered" "query's help names every flag of ITEMS.md"
assert_contains "$OUT" "i =" "query's help: incomplete"
assert_contains "$OUT" "counts THB only unless" "query's help: THB by default"

# report yoy as CSV and text in three languages: the states' flags and marks
t_begin "reports show each state, in three languages"
ITEMS=shelter.victims_admitted,police.facts,conviction.persons,prosecution.defendants_prosecuted
for l in en fr nl; do
    run ciatteh report yoy --items $ITEMS --years 2015-2025 --lang $l --format csv --as-of $ASOF
    assert_eq "$RC" 0 "yoy csv $l"
    printf '%s\n' "$OUT" > "$T/yoy-$l.csv"
    run ciatteh report yoy --items $ITEMS --years 2015-2025 --lang $l --as-of $ASOF
    printf '%s\n' "$OUT" > "$T/yoy-$l.txt"
    run ciatteh report yoy --items immigration.documents --where sex=F --years 2024-2025 --lang $l \
        --format csv --as-of $ASOF
    printf '%s\n' "$OUT" > "$T/zero-$l.csv"
done
cat > "$T/script1.py" <<'EOF'
import csv, sys
T = sys.argv[1]
bad = []
for lang in ("en", "fr", "nl"):
    rows = list(csv.reader(open(f"{T}/yoy-{lang}.csv", encoding="utf-8")))
    head = rows[0]
    col = {h: i for i, h in enumerate(head)}
    def cell(r, year):
        i = head.index(str(year))
        return r[i], r[i + 1]
    body = [r for r in rows[1:] if len(r) == len(head)]
    # rows in the order --items names them
    shelter, police, conv, defendants = body[0], body[1], body[2], body[3]
    # a missing value's flags column: its flag, then its state's mark
    nd = "n " + {"en": "n.d.", "fr": "n.l.", "nl": "n.g."}[lang]
    inc = "i " + {"en": "incompl.", "fr": "incompl.", "nl": "onvoll."}[lang]
    nk = {"en": "n.k.", "fr": "inc.", "nl": "onb."}[lang]
    want = [(police, 2015, ("", nd)), (police, 2025, ("", nd)), (shelter, 2025, ("", inc)),
            (shelter, 2015, ("", nd))]
    for r, y, w in want:
        if cell(r, y) != w: bad.append(f"{lang} {r[1]} {y}: {cell(r, y)} != {w}")
    if not cell(conv, 2024)[1] == "p" or not cell(conv, 2024)[0]: bad.append(f"{lang} convictions 2024 {cell(conv, 2024)}")
    # a lower bound: u, and how many records left it unknown
    f = cell(defendants, 2024)[1].split(" ")
    if f[0] != "u" or len(f) != 3 or not f[1].isdigit() or f[2] != nk or not cell(defendants, 2024)[0]:
        bad.append(f"{lang} defendants {cell(defendants, 2024)}")
    if shelter[head.index("2024")] == "": bad.append(f"{lang} shelter 2024 empty")
    # no change is computed against a year not delivered or incomplete
    for r in body:
        for i, h in enumerate(head):
            if "2025" in h and i >= 2 and not h.endswith(")") and h != "2025" and r[i] != "":
                bad.append(f"{lang} {r[1]}: a change against 2025: {h} = {r[i]}")
    z = list(csv.reader(open(f"{T}/zero-{lang}.csv", encoding="utf-8")))
    zh = z[0]
    zr = z[1]
    if (zr[zh.index("2025")], zr[zh.index("2025") + 1]) != ("0", ""): bad.append(f"{lang} delivered zero: {zr}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
run $PY "$T/script1.py" "$T"
assert_eq "$RC" 0 "the CSV cells' states: $OUT"
for l in en fr nl; do
    txt=$(cat "$T/yoy-$l.txt")
    case $l in
    en) nd=n.d.; inc=incompl.; def="not delivered" ;;
    fr) nd=n.l.; inc=incompl.; def="non livré" ;;
    nl) nd=n.g.; inc=onvoll.; def="niet geleverd" ;;
    esac
    assert_contains "$txt" "$nd" "$l: the not-delivered mark"
    assert_contains "$txt" "$inc" "$l: the incomplete-year mark"
    assert_contains "$txt" "$def" "$l: the not-delivered definition"
done

t_begin "charts: not delivered and incomplete years are not points"
for l in en fr nl; do
    assert_exit 0 ciatteh chart trend --years 2016-2025 --lang $l --as-of $ASOF -o "$T/trend-$l.svg" \
        --dump "$T/trend-$l.json"
done
cat > "$T/script2.py" <<'EOF'
import json, sys
T = sys.argv[1]
bad = []
for lang in ("en", "fr", "nl"):
    d = json.load(open(f"{T}/trend-{lang}.json"))
    years = [c["key"] for c in d["categories"]]
    for s, row in zip(d["series"], d["values"]):
        v = dict(zip(years, row))
        last = v["2025"]
        if last.get("known") or last.get("value") not in (None,):
            bad.append(f"{lang} {s['key']} 2025 is a point: {last}")
        want = "i" if s["key"] == "shelter.victims_admitted" else "n"
        if want not in last["flags"]: bad.append(f"{lang} {s['key']} 2025 flags {last['flags']}, want {want}")
        if s["key"] == "conviction.persons" and "p" not in v["2024"]["flags"]:
            bad.append(f"{lang} convictions 2024 not provisional")
    if lang == "en" and "trafficking" not in d["title"]: bad.append(f"title without the offence: {d['title']}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
run $PY "$T/script2.py" "$T"
assert_eq "$RC" 0 "chart dumps: $OUT"

# Prison terms by suspension: the segments are known, but records whose
# suspension is not known are in none of them, and the item's total is a
# lower bound (the sentences report: "≥ 88 (u; 5 n.k.)").  The stack's
# total says so: "≥" on its label, the records left unknown in the note.
t_begin "a stack's total is a lower bound when its item's is, though every segment is known"
assert_exit 0 ciatteh chart sentences --years 2022-2024 --as-of $ASOF -o "$T/sent.svg" --dump "$T/sent.json"
want=$(sql "SELECT string_agg(year || ':' || n_unknown, ' ' ORDER BY year)
            FROM figures('conviction.prison', as_of_moment('$ASOF'), 2022, 2024)")
got=$($PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(c["key"] + ":" + str(t["unknown"]) for c, t in zip(d["categories"], d.get("totals", [])) if "u" in t["flags"]))' "$T/sent.json")
assert_eq "$got" "$want" "the dump's totals: lower bounds with figures()' n_unknown"
svg=$(cat "$T/sent.svg")
assert_eq "$(printf '%s' "$svg" | grep -o '>≥[^<]*[0-9]</text>' | wc -l)" 3 "three stacks labelled ≥ N"
assert_contains "$svg" "lower bound: the true figure is at least this" "the note explains ≥"

# Every figure shown under THB equals `query --where offence=THB`: the
# traces of the reports name each cell's query, asked again here.
t_begin "no THB + SMUG sum: every report figure equals query --where offence=THB"
assert_exit 0 ciatteh report yoy --years 2022-2024 --as-of $ASOF --format csv --trace "$T/yoy.trace"
assert_exit 0 ciatteh report sentences --years 2022-2024 --as-of $ASOF --format csv --trace "$T/sent.trace"
assert_exit 0 ciatteh report sentences --years 2022-2024 --where offence=THB --as-of $ASOF --format csv
cat > "$T/script3.py" <<'EOF'
import csv, subprocess, sys
cia, T, asof = sys.argv[1:4]
items = {}
for r in csv.DictReader(subprocess.run([cia, "items", "--format", "csv"], capture_output=True, text=True).stdout.splitlines()):
    items[r["item"]] = r["dimensions"].split(",")
bad, n = [], 0
cache = {}
for f in ("yoy.trace", "sent.trace"):
    for r in csv.DictReader(open(f"{T}/{f}", encoding="utf-8")):
        if r["kind"] != "query" or "offence" not in items.get(r["item"], []) or not r["value"]:
            continue
        if "offence=" in r["where"] or r["by"] == "offence":
            continue
        # One query per item, filter and breakdown, over the three years
        # (one process per figure took a minute under ASan).
        args = [cia, "query", r["item"], "--years", "2022-2024", "--as-of", asof, "--where", "offence=THB"]
        for w in filter(None, r["where"].split(";")):
            args += ["--where", w]
        if r["by"]:
            args += ["--by", r["by"]]
        key = tuple(args)
        if key not in cache:
            cache[key] = subprocess.run(args, capture_output=True, text=True).stdout.splitlines()
        want = None
        for line in cache[key][1:]:
            p = line.split(",")
            if p[1] != r["year"] or (r["by"] and p[2] != r["code"]):
                continue
            want = p[-2]
        want = want or "0"
        n += 1
        if float(r["value"]) != float(want):
            bad.append(f"{f}: {r['item']} {r['year']} {r['by']}={r['code']} {r['where']}: {r['value']} != THB {want}")
print(f"{n} figures compared"); print("\n".join(bad[:20]))
sys.exit(1 if bad or n < 50 else 0)
EOF
run $PY "$T/script3.py" "$CIA" "$T" "$ASOF"
assert_eq "$RC" 0 "THB figures: $OUT $ERR"

# A lower bound says in its own cell how many records left it unknown:
# the figure layer's n_unknown, never a legend total over cells.
t_begin "lower bounds: each cell carries its records left unknown (figures() n_unknown)"
assert_exit 0 ciatteh report yoy --years 2022-2024 --as-of $ASOF --format csv --trace "$T/yoyu.trace" -o "$T/yoyu.csv"
want=$(sql "SELECT string_agg(year || ':' || n_unknown, ' ' ORDER BY year)
            FROM figures('prosecution.defendants_prosecuted', as_of_moment('$ASOF'), 2022, 2024)")
got=$($PY -c '
import csv, sys
print(" ".join(r["year"] + ":" + r["unknown"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))
               if r["item"] == "prosecution.defendants_prosecuted" and r["kind"] == "query" and not r["by"]))' "$T/yoyu.trace")
assert_eq "$got" "$want" "the cells' counts are figures()' n_unknown"
n24=${want##*:}
assert_ne "$n24" 0 "2024 is a lower bound"
assert_contains "$(cat "$T/yoyu.csv")" ",u $n24 n.k.," "the CSV's flags column: u $n24 n.k."
run ciatteh report yoy --years 2022-2024 --as-of $ASOF --lang fr
assert_contains "$OUT" "(u ; $n24 inc.)" "the terminal, in French (a no-break space before ;)"
assert_contains "$OUT" "≥ " "a lower bound reads ≥ N"
assert_not_contains "$OUT" "enregistrements ont laissé ces chiffres inconnus" "no total over cells in the legend"

# Questionnaire answers carry the same count, in every language.  Under
# a release, counts add up over the figures of one item and year as their
# values do: a count is published only where the release withholds no
# figure of that item and year (else, beside a total and its other parts,
# it would give a withheld part's), in its answers and in report tables
# read through it; where it is not, a note says why.
t_begin "questionnaire answers and releases: a lower bound's records left unknown, where no figure of its item is withheld"
run ciatteh export tip --year 2024 --as-of $ASOF --format csv --suppress 0
assert_eq "$RC" 0 "$ERR"
assert_match "$OUT" '^"Defendants prosecuted, 2024",[0-9]+,u '"$n24"' n\.k\.$' "the CSV's flags column: u $n24 n.k."
for l in fr nl; do
    run ciatteh export tip --year 2024 --as-of $ASOF --format text --suppress 0 --lang $l
    case $l in fr) nk="inc." ;; nl) nk="onb." ;; esac
    assert_contains "$(printf '%s\n' "$OUT" | grep "2024" | grep "≥")" "$n24 $nk" "$l: ≥ N and its $n24 $nk"
done
assert_exit 0 ciatteh export tip --year 2024 --as-of $ASOF -o "$T/tip.txt"
rel=$(sql "SELECT max(id) FROM release")
held=$(sql "SELECT string_agg(DISTINCT item, ',') FROM release_cell WHERE release_id = $rel AND year = 2024 AND status <> 0")
assert_contains "$(grep "Defendants prosecuted, 2024" "$T/tip.txt")" "(u; $n24 n.k.)" "protected, no defendants figure withheld: the count stays"
assert_exit 0 ciatteh report yoy --years 2024 --as-of $ASOF --release "$rel" --format csv -o "$T/yoyr.csv" --trace "$T/yoyr.trace"
cat > "$T/script_gaps.py" <<'EOF2'
import csv, glob, sys
trace, held, qdir = sys.argv[1], set(sys.argv[2].split(",")), sys.argv[3]
# a figure the questionnaires' `same` lines read as another item's is that item's
same = {}
for q in glob.glob(qdir + "/*.q"):
    for line in open(q, encoding="utf-8"):
        w = line.split()
        if len(w) >= 4 and w[0] == "same" and w[2] == "=":
            same[w[1]] = w[3]
kept = dropped = 0
bad = []
for r in csv.DictReader(open(trace, encoding="utf-8")):
    if r["kind"] != "query" or "u" not in r["flags"] or "c" in r["flags"]:
        continue
    n = int(r["unknown"])
    if same.get(r["item"], r["item"]) in held:
        dropped += 1
        if n: bad.append(f"{r['item']}: a count ({n}) beside withheld figures of the item")
    else:
        kept += 1
        if not n: bad.append(f"{r['item']}: no count though nothing of it is withheld")
print(f"{kept} kept, {dropped} dropped"); print("\n".join(bad))
sys.exit(1 if bad or not kept or not dropped else 0)
EOF2
run $PY "$T/script_gaps.py" "$T/yoyr.trace" "$held" "$ROOT/reports/data/questionnaires"
assert_eq "$RC" 0 "counts under the release: $OUT"
assert_contains "$(cat "$T/yoyr.csv")" "# Where a figure marked u has no “N n.k.” beside it, how many records left it unknown is not given"

# The checks count one offence at a time (facts_as_of): with thresholds
# that make every year-over-year pair a finding, each finding's figures of
# an item with an offence dimension equal `query --where offence=X` of its
# offence; with both, each rule over the facts runs once per offence.
t_begin "check --offence: every figure equals query --where offence=X, never a sum"
for off in THB SMUG both; do
    run ciatteh check --years 2022-2024 --as-of $ASOF --offence $off --format json --only yoy_jump \
        --set jump_ratio=1 --set jump_min=0 -o "$T/check-$off.json"
    case $RC in 0|1) ;; *) _fail "check --offence $off: exit $RC" "$ERR" ;; esac
    # (scripts go in files: `run` gives its command /dev/null as stdin)
    cat > "$T/script4.py" <<'EOF'
import csv, json, subprocess, sys
cia, path, asof, off = sys.argv[1:5]
items = {r["item"]: r["dimensions"].split(",") for r in csv.DictReader(
    subprocess.run([cia, "items", "--format", "csv"], capture_output=True, text=True).stdout.splitlines())}
d = json.load(open(path))
bad, n, seen, cache = [], 0, set(), {}
if d["offence"] != off: bad.append(f"offence {d['offence']}")
for f in d["findings"]:
    o = f["offence"]
    seen.add(o)
    if o not in ("THB", "SMUG") or (off != "both" and o != off): bad.append(f"finding of {o}")
    if "offence" not in items[f["item"]]: continue
    if (f["item"], o) not in cache:   # one query per item and offence, every year
        q = subprocess.run([cia, "query", f["item"], "--years", "2021-2024", "--as-of", asof, "--where", "offence=" + o],
                           capture_output=True, text=True).stdout.splitlines()
        cache[f["item"], o] = {l.split(",")[1]: l.split(",")[2] for l in q[1:]}
    for y, k in ((f["year"], "value"), (f["year"] - 1, "previous")):
        want = cache[f["item"], o].get(str(y), "")
        n += 1
        if float(want or "nan") != float(f["values"][k]):
            bad.append(f"{o} {f['item']} {y}: check {f['values'][k]}, query {want!r}")
if off == "both" and seen != {"THB", "SMUG"}: bad.append(f"both: findings of {seen}")
print(f"{n} figures compared"); print("\n".join(bad[:20]))
sys.exit(1 if bad or n < 10 else 0)
EOF
    run $PY "$T/script4.py" "$CIA" "$T/check-$off.json" "$ASOF" "$off"
    assert_eq "$RC" 0 "check --offence $off: $OUT"
done
run ciatteh check --years 2022-2024 --as-of $ASOF --offence both --only yoy_jump --set jump_ratio=1 --set jump_min=0
assert_contains "$OUT" "Smuggling of human beings: " "both: a smuggling finding says so"
assert_contains "$OUT" "trafficking and smuggling of human beings, side by side" "the summary says both"
assert_exit 64 ciatteh check --offence THB+SMUG

# The pack's chapters: --offence THB the trafficking chapters, SMUG the
# smuggling chapter, each table the report of that offence (whose every
# figure equals query --where offence=X, above), its checks `check
# --offence X`, the title naming the offence.  Internal packs: this is
# about the offence's scope; what a protected pack withholds is tested in
# tests/release (and protected packs cost GLPK time under ASan).
t_begin "pack --offence THB|SMUG: the chapters of one offence, the checks of that offence"
first_block() { $PY -c 'import sys; print(sys.stdin.read().split("\n\n")[0].rstrip("\n"))'; }
for off in THB SMUG; do
    assert_exit 0 ciatteh pack --internal --period 2023-2024 --as-of $ASOF --no-charts --offence $off -o "$T/po-$off"
    assert_contains "$(cat "$T/po-$off/MANIFEST")" "# offence: $off"
    run ciatteh check --years 2023-2024 --as-of $ASOF --offence $off --format json
    cmp -s "$T/po-$off/checks.json" /dev/stdin <<EOF2 && _pass "checks.json is check --offence $off" || _fail "$off: checks.json differs"
$OUT
EOF2
    run ciatteh report yoy --years 2023-2024 --as-of $ASOF --offence $off --format csv
    yoy=$(ls "$T/po-$off"/tables/*yoy.csv)
    assert_eq "$(first_block < "$yoy")" "$(echo "$OUT" | first_block)" "$off: the yoy table is report yoy --offence $off"
done
assert_eq "$(ls "$T/po-THB/tables" | grep -c smug_)" 0 "THB: no smuggling table"
assert_eq "$(ls "$T/po-SMUG/tables" | grep -vc smug_)" 0 "SMUG: only smuggling tables"
run pdftotext "$T/po-SMUG/annex-2023-2024-en.pdf" -
assert_contains "$(echo "$OUT" | tr '\n' ' ')" "Smuggling of human beings: statistical annex"
assert_exit 64 ciatteh pack --period 2023-2024 --as-of $ASOF --no-charts --offence all -o "$T/po-x"

# --offence both: the two offences side by side, each its own query's
# figure, never stacked into one bar with a total.
t_begin "charts --offence both: THB and SMUG side by side, never summed"
for c in "sentences" "trend --items police.facts"; do
    assert_exit 0 ciatteh chart $c --offence both --years 2022-2024 --as-of $ASOF -o "$T/both.svg" --dump "$T/both.json"
    cat > "$T/script5.py" <<'EOF'
import json, subprocess, sys
cia, path, asof = sys.argv[1:4]
d = json.load(open(path))
bad = []
if d["kind"] == "stacked": bad.append("stacked: each bar would be a THB + SMUG total")
keys = [s["key"] for s in d["series"]]
if keys != ["THB", "SMUG"]: bad.append(f"series {keys}")
if "smuggling" not in d["title"] or "trafficking" not in d["title"]: bad.append(f"title {d['title']}")
item = d["items"].split(",")[0]
years = [c["key"] for c in d["categories"]]
for s, row in zip(keys, d["values"]):
    q = subprocess.run([cia, "query", item, "--years", "2022-2024", "--as-of", asof, "--where", "offence=" + s],
                       capture_output=True, text=True).stdout.splitlines()
    want = {l.split(",")[1]: l.split(",")[2] for l in q[1:]}
    for y, v in zip(years, row):
        w = want.get(y, "")
        got = "" if v["value"] is None else "%g" % v["value"]
        if (w and got != "%g" % float(w)) or (not w and v["known"]): bad.append(f"{s} {y}: chart {got}, query {w!r}")
print("\n".join(bad)); sys.exit(1 if bad else 0)
EOF
    run $PY "$T/script5.py" "$CIA" "$T/both.json" "$ASOF"
    assert_eq "$RC" 0 "chart $c --offence both: $OUT"
done
assert_exit 64 ciatteh chart bars --items conviction.persons --by sex,form --offence both --years 2022-2024 -o "$T/x.png"

t_begin "the pack: a period not every service delivered is refused, or provisional"
assert_exit 64 ciatteh pack --period 2024-2025 --as-of $ASOF --no-charts -o "$T/p1"
assert_contains "$ERR" "not every service has delivered 2025"
assert_exit 0 ciatteh pack --internal --period 2024-2025 --as-of $ASOF --no-charts --incomplete --lang nl -o "$T/p1"
run pdftotext "$T/p1/annex-2024-2025-nl.pdf" -
assert_contains "$OUT" "VOORLOPIG" "the annex says provisional"
nv=$(printf '%s' "$OUT" | grep -o VOORLOPIG | wc -l)
np=$(printf '%s' "$OUT" | tr -cd '\f' | wc -c)
[ "$nv" -ge "$np" ] && [ "$np" -gt 0 ] && _pass "VOORLOPIG on every page ($nv, $np pages)" ||
    _fail "VOORLOPIG $nv times on $np pages"
assert_file "$T/p1/tables/"*smug_yoy*.csv

# A load commits while the pack is held after taking its snapshot (40
# police records for 2024 replacing the year): every table and the
# MANIFEST still show the state before it.  Internal packs: this is about
# snapshots; releases and their revisions are tested in tests/release
# (test_revision.sh: a protected pack after this same correction).
t_begin "a pack reads one snapshot while a delivery is loaded"
before=$(ciatteh query police.facts --year 2024 --as-of $ASOF | sed -n 2p | cut -d, -f3)
CIATTEH_TEST_SLEEP_AT=pack-snapshot:4 "$CIA" pack --internal --period 2023-2024 --as-of $ASOF --no-charts \
    -o "$T/p2" >"$T/p2.out" 2>&1 &
pack=$!
sleep 2
assert_exit 0 ciatteh -q load --loaded-at '2025-03-01 09:00:00' police "$D/police_2024.csv"
new=$(sql "SELECT max(id) FROM delivery")
wait $pack
assert_eq "$?" 0 "the pack ends well ($(cat "$T/p2.out"))"
after=$(ciatteh query police.facts --year 2024 --as-of $ASOF | sed -n 2p | cut -d, -f3)
assert_ne "$after" "$before" "the load changed police 2024"
assert_not_contains "$(cat "$T/p2/MANIFEST")" "delivery $new " "the MANIFEST names the deliveries before the load"
for f in "$T"/p2/tables/01-yoy.csv; do
    got=$($PY -c "
import csv
r=list(csv.reader(open('$f',encoding='utf-8')))
h=[x for x in r if len(x)>3][0]
print([x for x in r if len(x)==len(h) and x is not h][0][h.index('2024')])")
    assert_eq "$got" "$before" "$(basename "$f"): police 2024 as before the load"
done
assert_exit 0 ciatteh pack --internal --period 2023-2024 --as-of $ASOF --no-charts -o "$T/p3"
assert_contains "$(cat "$T/p3/MANIFEST")" "delivery $new " "a pack after the load names it"
