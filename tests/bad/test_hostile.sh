#!/bin/sh
# test_hostile.sh — hostile extracts (tests/bad/data/, described in
# tests/bad/EXPECT, made by gen_files.py; the biggest are made here): each
# is rejected with a located message (file:line[:column]: ...), the
# documented exit code, no crash or sanitizer report, bounded output, and
# the database exactly as it was.  Then what reaches an output — a rejects
# file, `deliveries --format csv`, a report's CSV/XLSX, the terminal —
# never turns extract text into a formula or a terminal escape.
. "$(dirname "$0")/../lib.sh"

need_gen
BAD=$HERE/data
SERVICES="police prosecution inspectorates shelters convictions immigration"

# Everything a load could change, in one line.
state() {
    sql "SELECT (SELECT count(*) || '/' || coalesce(max(id), 0) FROM delivery)
             || ' ' || (SELECT count(*) FROM delivery_year)
             || ' ' || (SELECT count(*) || '/' || coalesce(sum(value), 0) || '/' || coalesce(sum(n_records), 0) FROM item_fact)
             || ' ' || (SELECT count(*) FROM police_record) || ' ' || (SELECT count(*) FROM prosecution_record)
             || ' ' || (SELECT count(*) FROM inspectorates_record) || ' ' || (SELECT count(*) FROM shelters_record)
             || ' ' || (SELECT count(*) FROM convictions_record) || ' ' || (SELECT count(*) FROM immigration_record)"
}

# cells_defused CSVFILE — no cell of a CSV file is a live formula: neither
# a cell of the file as a CSV reader sees it, nor any piece that Excel may
# make a cell of when it splits the lines on the separator of its language
# (',' in English, ';' in French and Dutch; a quote counts only at a cell's
# start).  Prints the offending cells.
cells_defused() {
    "$PY" - "$1" <<'EOF'
import csv, io, sys
data = open(sys.argv[1], encoding="utf-8-sig", newline="").read()
def formula(cell):
    c = cell.lstrip('"')
    if not c or c[0] not in "=+-@\t\r":
        return False
    rest = c[1:]
    if c[0] in "+-" and (rest == "" and c[0] == "-" or
                         rest and all(ch.isdigit() or ch == "." for ch in rest) and any(ch.isdigit() for ch in rest)):
        return False    # a plain number, or the "not known" marker
    return True
bad = [cell for row in csv.reader(io.StringIO(data)) for cell in row if formula(cell)]
bad += [cell for line in data.splitlines() for sep in ",;" for cell in line.split(sep) if formula(cell)]
print("\n".join(bad[:10]))
sys.exit(1 if bad else 0)
EOF
}

t_begin "a database with a delivery of every service"
if [ -z "$GEN" ]; then _fail "no ciatteh-gen (make all; or set CIATTEH_GEN)"; exit 1; fi
mkdir -m 755 "$T/good"
for s in $SERVICES; do
    "$GEN" "$s" --rows 30 --years 2019-2021 -o "$T/good/$s.csv" || _fail "ciatteh-gen $s"
    assert_exit 0 ciatteh load "$s" "$T/good/$s.csv"
done
BEFORE=$(state)
assert_match "$BEFORE" "^6/6 " "six deliveries"

# ------------------------------------------------------------ one per file
# check_bad FILE SERVICE EXIT LINE COLUMN TEXT [PATH]
check_bad() {
    local f s code line col text path prefix found size
    f=$1 s=$2 code=$3 line=$4 col=$5 text=$6 path=${7:-$BAD/$1}
    t_begin "hostile $f ($s)"
    assert_exit "$code" ciatteh load "$s" "$path"
    case $RC in 86|124|13[0-9]) _fail "crashed or hung (exit $RC)" ;; esac
    size=$(printf '%s' "$ERR" | wc -c)
    [ "$size" -lt 65536 ] && _pass "bounded output" || _fail "stderr of $size bytes"
    prefix="$path:"
    case $line in
    -) ;;
    \*) prefix="$prefix[0-9]+:" ;;
    *) prefix="$prefix$line:" ;;
    esac
    case $col in
    -) ;;
    \*) prefix="$prefix[^:]+:" ;;
    *) prefix="$prefix$col:" ;;
    esac
    # A located line: the path (as a fixed prefix), the line, the column, then the text.
    found=$(printf '%s\n' "$ERR" | while IFS= read -r l; do
        case $l in "$path:"*) ;; *) continue ;; esac
        rest=${l#"$path:"}
        printf '%s\n' "$rest"
    done | grep -E "^${prefix#"$path:"} " | grep -F -- "$text" | head -n 1)
    [ -n "$found" ] && _pass "located: $found" || _fail "no message '$prefix $text'" "$ERR"
    assert_contains "$ERR" "nothing was loaded" "says nothing was loaded"
    case $ERR in *"$(printf '\033')"*) _fail "a raw escape character reached the terminal" ;; esac
    assert_eq "$(state)" "$BEFORE" "database unchanged"
}

n=0
while IFS='|' read -r f s code line col text; do
    case $f in ''|\#*) continue ;; esac
    check_bad "$f" "$s" "$code" "$line" "$col" "$text"
    n=$((n + 1))
done <"$HERE/EXPECT"
t_begin "at least 40 hostile files, every service"
[ "$n" -ge 40 ] && _pass "$n files" || _fail "only $n files"
for s in $SERVICES; do
    assert_match "$(cut -d'|' -f2 "$HERE/EXPECT")" "^$s\$" "hostile files for $s"
done

# ------------------------------------------------------------ big ones, made here
BIG=$T/big
mkdir -m 755 "$BIG"
HEAD_POLICE="registration_date;fact_ref;district;offence;exploitation_form;suspects;victims"
MB=$(head -c 1048576 /dev/zero | tr '\0' 'x')
{ echo "$HEAD_POLICE"; echo "2019-03-01;PV-1;ANT;THB;SEX;2;1"; echo "2019-03-01;PV-$MB;ANT;THB;SEX;2;1"; } >"$BIG/police_1mb_ref.csv"
check_bad police_1mb_ref.csv police 65 3 fact_ref "reference longer than 200 characters" "$BIG/police_1mb_ref.csv"
{ echo "$HEAD_POLICE"; echo "2019-03-01;PV-1;$MB;THB;SEX;2;1"; } >"$BIG/police_1mb_district.csv"
check_bad police_1mb_district.csv police 65 2 district "unknown district 'xxxxxxxxxx" "$BIG/police_1mb_district.csv"
{ echo "$HEAD_POLICE"; printf '2019-03-01;"PV-1\n%s\n%s";ANT;THB;SEX;2;1\n' "$MB" "$MB"; echo "2019-03-01;PV-2;ANT;THB;SEX;2;-1"; } \
    >"$BIG/police_1mb_multiline.csv"
check_bad police_1mb_multiline.csv police 65 2 fact_ref "reference longer than 200 characters" "$BIG/police_1mb_multiline.csv"
assert_match "$ERR" "police_1mb_multiline.csv:5:victims: " "the next record's line is still right after a multi-line field"
# A record longer than the 16 MiB limit: an unterminated quote near the top.
{ echo "$HEAD_POLICE"; printf '2019-03-01;"PV-1;ANT;THB;SEX;2;1\n'; i=0; while [ $i -lt 17 ]; do echo "$MB"; i=$((i + 1)); done; } \
    >"$BIG/police_17mb_record.csv"
check_bad police_17mb_record.csv police 65 2 - "record longer than 16 MiB" "$BIG/police_17mb_record.csv"
# 10,000 columns, none known: the missing columns, once each.
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "%scol%d", (i ? ";" : ""), i; print ""; print "1;2;3" }' \
    >"$BIG/police_10000_unknown.csv"
check_bad police_10000_unknown.csv police 65 1 - "missing required column registration_date" "$BIG/police_10000_unknown.csv"
assert_eq "$(printf '%s\n' "$ERR" | grep -c 'unknown column ignored')" 20 "twenty unknown columns named..."
assert_contains "$ERR" "and 9980 more unknown columns ignored" "...and the rest counted"
rm -rf "$BIG"

t_begin "--dry-run says the same and changes nothing"
assert_exit 65 ciatteh load --dry-run police "$BAD/police_30_february.csv"
assert_contains "$ERR" "police_30_february.csv:4:registration_date: '30/02/2019' is not a date"
assert_contains "$ERR" "nothing would be loaded"
assert_eq "$(state)" "$BEFORE" "database unchanged"

t_begin "a missing or unreadable file: exit 66, nothing changed"
assert_exit 66 ciatteh load police "$T/no-such-file.csv"
assert_contains "$ERR" "no-such-file.csv"
assert_exit 66 ciatteh load police "$T"
assert_eq "$(state)" "$BEFORE" "database unchanged"

# ------------------------------------------------------------ outputs
t_begin "rejects files never hold a live formula"
for f in immigration_formula_fields.csv convictions_formula_ref.csv police_formula_district.csv \
         prosecution_formula_decision.csv shelters_formula_nationality.csv; do
    s=${f%%_*}
    # One valid record beside the hostile ones, so --keep-going loads.
    cp "$BAD/$f" "$T/kg_$f"
    tail -n 1 "$T/good/$s.csv" >>"$T/kg_$f"
    assert_exit 0 ciatteh load --keep-going --rejects "$T/rej_$f" "$s" "$T/kg_$f"
    assert_file "$T/rej_$f"
    out=$(cells_defused "$T/rej_$f") && _pass "no live formula in the rejects of $f" \
        || _fail "live formula cells in the rejects of $f" "$out"
done
assert_contains "$(cat "$T/rej_immigration_formula_fields.csv")" "\"'+cmd|" "the text is kept, defused"
assert_contains "$(cat "$T/rej_immigration_formula_fields.csv")" "\"'@SUM(1+1)" "the text is kept, defused"
assert_no_file "$T"/rej_*.tmp.*

t_begin "deliveries --format csv: a hostile file name is shown, never run"
evil='=HYPERLINK("http:\\evil.example";"x")+1.csv'
cp "$T/good/police.csv" "$T/$evil"
printf '2019-05-05;PV-EVIL-1;ANT;THB;SEX;1;1\n' >>"$T/$evil"
assert_exit 0 ciatteh load police "$T/$evil"
run ciatteh deliveries --format csv
assert_eq "$RC" 0
printf '%s\n' "$OUT" >"$T/deliveries.csv"
out=$(cells_defused "$T/deliveries.csv") && _pass "no live formula in deliveries --format csv" \
    || _fail "live formula in deliveries --format csv" "$out"
assert_contains "$OUT" "'=HYPERLINK(" "the file name is there, defused"

t_begin "reports: CSV cells and XLSX cells are never formulas"
if ciatteh help report >/dev/null 2>&1; then
    run ciatteh report yoy --years 2019-2021 --format csv -o "$T/yoy.csv"
    if [ "$RC" = 0 ]; then
        out=$(cells_defused "$T/yoy.csv") && _pass "no live formula in a report's CSV" || _fail "live formula in CSV" "$out"
    else
        _fail "report yoy --format csv: exit $RC" "$ERR"
    fi
    run ciatteh report yoy --years 2019-2021 --format xlsx -o "$T/yoy.xlsx"
    if [ "$RC" = 0 ]; then
        n=$("$PY" -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(sum(z.read(n).count(b"<f>") + z.read(n).count(b"<f ") for n in z.namelist() if n.startswith("xl/worksheets/")))' "$T/yoy.xlsx")
        assert_eq "$n" 0 "no formula element in any worksheet"
    else
        _fail "report yoy --format xlsx: exit $RC" "$ERR"
    fi
else
    skip "no report command in this build"
fi

t_begin "after all that, a good file still loads"
"$GEN" police --rows 30 --seed 7 --years 2019-2021 -o "$T/good/police7.csv"
assert_exit 0 ciatteh load police "$T/good/police7.csv"
assert_match "$OUT" "^police: 30 records loaded"
