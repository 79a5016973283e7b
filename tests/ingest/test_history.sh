#!/bin/sh
# test_history.sh — deliveries and history (FORMATS.md "One file = one
# service, a full snapshot"): the same bytes twice change nothing; a newer
# delivery replaces only the years it holds (shelters: only its centre);
# nothing is destroyed, so `query --as-of` answers as the data stood; the
# provisional flag follows schema provisional_years(); `deliveries` shows
# what replaced what; --dry-run loads nothing; --keep-going loads the valid
# records, writes the rejects and marks the delivery partial.  Delivery
# times are set with --loaded-at rather than by sleeping.  One cluster.
. "$(dirname "$0")/../lib.sh"

# The services' samples as shared beside the clone, else the bundled copies
# (etl/samples/ holds the same bytes).
S=${CIATTEH_SAMPLES:-$ROOT/../shared/extracts/samples}
[ -d "$S" ] || S=$ROOT/etl/samples
cd "$HERE/data" || exit 1
H=history

lines() { printf '%s\n' "$@"; }
q() {   # q EXPECTED ARGS... — `ciatteh query ARGS` prints exactly EXPECTED
    local want
    want=$1; shift
    run ciatteh query "$@"
    if [ "$RC" != 0 ]; then _fail "query $*: exit $RC" "$(_show_run)"; return 1; fi
    assert_eq "$OUT" "$want" "query $*"
}
has_line() {
    if printf '%s\n' "$1" | grep -Fxq -- "$2"; then _pass "line: $2"
    else _fail "missing line: $2" "$1"; fi
}
state() {
    sql "SELECT 'delivery ' || count(*) FROM delivery
         UNION ALL SELECT 'delivery_year ' || count(*) FROM delivery_year
         UNION ALL SELECT 'item_fact ' || count(*) || ' ' || coalesce(md5(string_agg(f::text, '|' ORDER BY f::text)), '') FROM item_fact f
         UNION ALL SELECT 'police ' || count(*) FROM police_record"
    $CIA deliveries --format csv 2>&1
}
# deliveries SERVICE — `ciatteh deliveries --format csv` for one service,
# columns id, file, rows, rejected, partial, years, scope, replaces,
# replaced_by; lists inside quotes joined with '+'.
deliveries() {
    $CIA deliveries --service "$1" --format csv | sed -E ':a
s/("[^",]*),([^"]*")/\1+\2/
ta
s/"//g' | cut -d, -f1,3,5,6,7,8,9,12,13
}
id_of() { sql "SELECT id FROM delivery WHERE file_name = '$1'"; }
# csv_fields < FILE — RFC 4180 CSV to one line per record, fields joined by
# " | ", line breaks inside fields shown as \n (so the check does not depend
# on which fields the writer chose to quote).
csv_fields() {
    awk '{ s = s $0 "\n" }
    END {
        n = length(s); out = ""; f = ""; inq = 0
        for (i = 1; i <= n; i++) {
            c = substr(s, i, 1)
            if (inq) {
                if (c == "\"") { if (substr(s, i + 1, 1) == "\"") { f = f "\""; i++ } else inq = 0 }
                else if (c == "\n") f = f "\\n"
                else if (c != "\r") f = f c
            } else if (c == "\"") inq = 1
            else if (c == ",") { out = out f " | "; f = "" }
            else if (c == "\n") { print out f; out = ""; f = "" }
            else if (c != "\r") f = f c
        }
    }'
}

# ------------------------------------------------------------------ same bytes
t_begin "first delivery of police (2019 and 2020)"
# police_2019_2020.csv: 2019 P19-1..3 (suspects 1 2 3), 2020 P20-1..2;
# P19-3 and P20-2 are smuggling, left out of every figure below that does
# not ask for the offence (THB only by default, ITEMS.md).
assert_exit 0 ciatteh load police $H/police_2019_2020.csv
assert_contains "$OUT" "police: 5 records loaded from $H/police_2019_2020.csv as delivery #"
assert_contains "$OUT" "years 2019,2020, replaces nothing"
P1=$(id_of police_2019_2020.csv)
q "$(lines item,year,value,flag police.facts,2019,2, police.facts,2020,1,)" police.facts   # P19-1 P19-2; P20-1
q "$(lines item,year,value,flag police.suspects,2019,3,)" police.suspects --year 2019   # 1+2

t_begin "the same bytes twice: nothing changed, exit 0, one delivery"
before=$(state)
assert_exit 0 ciatteh load police $H/police_2019_2020.csv
has_line "$OUT" "police: $H/police_2019_2020.csv already loaded as delivery #$P1: nothing changed"
assert_eq "$(state)" "$before" "database unchanged"
# the same bytes under another name are the same delivery
cp $H/police_2019_2020.csv "$T/renamed.csv"
assert_exit 0 ciatteh load police "$T/renamed.csv"
assert_contains "$OUT" "already loaded as delivery #$P1: nothing changed"
assert_eq "$(state)" "$before" "database unchanged"
assert_eq "$(sql "SELECT count(*) FROM delivery WHERE sha256 = '$(sha256sum $H/police_2019_2020.csv | cut -c1-64)'")" 1

# ------------------------------------------------------------------ dry run
t_begin "--dry-run validates and loads nothing"
before=$(state)
assert_exit 0 ciatteh load --dry-run police $H/police_2020_v2.csv
has_line "$OUT" "police: $H/police_2020_v2.csv: valid, 4 records, years 2020, utf-8"
assert_eq "$(state)" "$before" "database unchanged"
q "$(lines item,year,value,flag police.facts,2019,2, police.facts,2020,1,)" police.facts

# ------------------------------------------------------------------ replacement by year
t_begin "a newer delivery replaces only the years it contains"
# police_2020_v2.csv: 2020 only, P20-1..4 (P20-2 smuggling)
assert_exit 0 ciatteh load police $H/police_2020_v2.csv
P2=$(id_of police_2020_v2.csv)
assert_contains "$OUT" "police: 4 records loaded from $H/police_2020_v2.csv as delivery #$P2, years 2020, replaces #$P1 for 2020"
q "$(lines item,year,value,flag police.facts,2019,2, police.facts,2020,3,)" police.facts   # 2019 kept; P20-1 3 4
q "$(lines item,year,district,offence,value,flag police.facts,2020,ANT,THB,1, police.facts,2020,EUP,THB,1, \
           police.facts,2020,LUX,THB,1, police.facts,2020,NAM,SMUG,1,)" \
    police.facts --by district,offence --year 2020                              # P20-1 P20-4 P20-3 P20-2
# nothing destroyed: the old records are still there
assert_eq "$(sql "SELECT count(*) FROM police_record WHERE delivery_id = $P1")" 5 "old records kept"

t_begin "deliveries shows what replaced what"
assert_eq "$(deliveries police)" "$(lines "id,file,rows,rejected,partial,years,scope,replaces,replaced_by" \
    "$P1,police_2019_2020.csv,5,0,f,2019+2020,,,$P2" "$P2,police_2020_v2.csv,4,0,f,2020,,$P1,")"
run ciatteh deliveries --service police
assert_match "$OUT" "^$P1 +police +police_2019_2020\.csv .* 2019,2020 .*replaced by #$P2"
assert_match "$OUT" "^$P2 +police +police_2020_v2\.csv .* 2020 .*replaces #$P1"

t_begin "the same bytes as an older, superseded delivery change nothing either"
before=$(state)
assert_exit 0 ciatteh load police $H/police_2019_2020.csv
assert_contains "$OUT" "already loaded as delivery #$P1: nothing changed"
assert_eq "$(state)" "$before" "database unchanged"
q "$(lines item,year,value,flag police.facts,2019,2, police.facts,2020,3,)" police.facts

# ------------------------------------------------------------------ keep going
t_begin "--keep-going loads the valid records, writes the rejects, marks the delivery partial"
# police_keepgoing.csv, 2021: line 2 K-1 ok (victims 2); 3 unknown district;
# 4 K-3 ok (victims 5); 5-6 two-line reference, THB without form; 7 K-5 ok
# (smuggling, victims empty); 8 K-1 again (duplicate of line 2)
assert_exit 0 ciatteh load --keep-going --rejects "$T/rejects.csv" police $H/police_keepgoing.csv
K=$(id_of police_keepgoing.csv)
assert_contains "$OUT" "police: 3 records loaded from $H/police_keepgoing.csv as delivery #$K, years 2021, 3 rejected (see $T/rejects.csv), partial"
has_line "$ERR" "$H/police_keepgoing.csv:3:district: unknown district 'Nowhere'; accepted: ANT (Antwerp), LIM (Limburg), OVL (East Flanders), WVL (West Flanders), LEU (Leuven), BRU (Brussels), HVV (Halle-Vilvoorde), BRW (Walloon Brabant), HAI (Hainaut), LIE (Liège), NAM (Namur), LUX (Luxembourg), EUP (Eupen), or their labels in English, French or Dutch"
has_line "$ERR" "$H/police_keepgoing.csv:5:exploitation_form: value missing: exploitation_form is required when offence is THB"
has_line "$ERR" "$H/police_keepgoing.csv:8:fact_ref: duplicate record: the same fact_ref as line 2"
assert_file "$T/rejects.csv"
assert_eq "$(head -n 1 "$T/rejects.csv")" "line,reason,original" "rejects header"
assert_eq "$(csv_fields <"$T/rejects.csv")" "$(lines 'line | reason | original' \
    "3 | district: unknown district 'Nowhere'; accepted: ANT (Antwerp), LIM (Limburg), OVL (East Flanders), WVL (West Flanders), LEU (Leuven), BRU (Brussels), HVV (Halle-Vilvoorde), BRW (Walloon Brabant), HAI (Hainaut), LIE (Liège), NAM (Namur), LUX (Luxembourg), EUP (Eupen), or their labels in English, French or Dutch | 2021-01-05;K-2;Nowhere;THB;SEX;1;1" \
    '5 | exploitation_form: value missing: exploitation_form is required when offence is THB | 2021-01-07;"K-4\nbis";ANT;THB;;1;1' \
    '8 | fact_ref: duplicate record: the same fact_ref as line 2 | 2021-01-09;K-1;HAI;THB;SEX;1;1')" \
    "rejects: line, reason, original text (two physical lines for line 5)"
assert_eq "$(deliveries police | grep "^$K,")" "$K,police_keepgoing.csv,3,3,t,2021,,," "partial delivery"
q "$(lines item,year,offence,value,flag police.facts,2021,SMUG,1, police.facts,2021,THB,2,)" \
    police.facts --year 2021 --by offence                                                    # line 7; lines 2 4
q "$(lines item,year,offence,value,flag police.victims,2021,SMUG,,u police.victims,2021,THB,7,)" \
    police.victims --year 2021 --by offence                                                  # line 7 empty; 2 + 5
q "$(lines item,year,district,value,flag police.facts,2021,ANT,1, police.facts,2021,BRU,1,)" \
    police.facts --by district --year 2021     # the duplicate (HAI) is out, the first K-1 (ANT) stays; K-3

t_begin "--keep-going: the rejects file defaults to FILE.rejects.csv in the working directory"
mkdir "$T/wd"
cp $H/police_keepgoing.csv "$T/wd/kg2.csv"
echo "2021-01-10;K-9;NAM;THB;SEX;1;1" >>"$T/wd/kg2.csv"     # other bytes: a new delivery
( cd "$T/wd" && $CIA load --keep-going police kg2.csv >"$T/kg2.out" 2>&1 ); rc=$?
assert_eq "$rc" 0 "exit 0"
assert_contains "$(cat "$T/kg2.out")" "4 records loaded"
assert_file "$T/wd/kg2.csv.rejects.csv"
assert_eq "$(head -n 1 "$T/wd/kg2.csv.rejects.csv")" "line,reason,original"
assert_eq "$(grep -c '^[0-9]' "$T/wd/kg2.csv.rejects.csv")" 3 "three rejected records"

# ------------------------------------------------------------------ shelters: per centre
t_begin "shelters: a centre's file replaces only that centre"
if [ -d "$S" ]; then
    assert_exit 0 ciatteh load shelters "$S/shelter_payoke_2021.csv" "$S/shelter_surya_2021.csv"
    # Pag-Asa sent nothing for 2021: its row says not delivered (schema/0014).
    PAYOKE=$(id_of shelter_payoke_2021.csv)
    SU=$(id_of shelter_surya_2021.csv)
    q "$(lines item,year,centre,value,flag shelter.referrals,2021,PAGASA,,n shelter.referrals,2021,PAYOKE,5, shelter.referrals,2021,SURYA,4,)" \
        shelter.referrals --by centre
    # shelter_payoke_2021_v2.csv: Payoke 2021, three referrals, PY-2021-001 admitted 2021-01-09
    assert_exit 0 ciatteh load shelters $H/shelter_payoke_2021_v2.csv
    PY2=$(id_of shelter_payoke_2021_v2.csv)
    assert_contains "$OUT" "replaces #$PAYOKE for 2021 PAYOKE"
    q "$(lines item,year,centre,value,flag shelter.referrals,2021,PAGASA,,n shelter.referrals,2021,PAYOKE,3, shelter.referrals,2021,SURYA,4,)" \
        shelter.referrals --by centre
    # Sürya's admissions stay (SU1 SU2 SU4); Payoke's 2022 admission (PY-2021-004) is gone with its file
    q "$(lines item,year,centre,value,flag shelter.victims_admitted,2021,PAGASA,,n shelter.victims_admitted,2021,PAYOKE,1, shelter.victims_admitted,2021,SURYA,3,)" \
        shelter.victims_admitted --by centre
    assert_eq "$(deliveries shelters)" "$(lines "id,file,rows,rejected,partial,years,scope,replaces,replaced_by" \
        "$PAYOKE,shelter_payoke_2021.csv,5,0,f,2021,PAYOKE,,$PY2" "$SU,shelter_surya_2021.csv,4,0,f,2021,SURYA,," \
        "$PY2,shelter_payoke_2021_v2.csv,3,0,f,2021,PAYOKE,$PAYOKE,")"
else
    skip "no sample folder $S"
fi

# ------------------------------------------------------------------ convictions: as-of and provisional
# A (loaded 2021-03-01 12:00): 2019 A-1 A-2 A-3 (prison 12, none, 24),
#   2020 A-4 A-5 (prison 6, none).  Newest registration R = 2021-02-15,
#   delays 61 61 102 61 76 days: L = 102.  Provisional while
#   Dec 31 of Y + L > R: 2020 (2021-04-12 > R) yes, 2019 (2020-04-11) no.
# B (loaded 2022-03-01 12:00): 2020 again, A-4 A-5 B-1 B-2 (prison 6, none,
#   36, 48).  R = 2022-01-20, L = 467: 2020 yes (2022-04-12), 2019 no.
# C (loaded 2023-03-01 12:00): 2021, C-1..3 (no prison).  R = 2022-02-20,
#   L = max(72, 90) = 90: 2021 yes (2022-03-31), 2020 no (2021-03-31), 2019 no.
# A-5 is smuggling (trafic): it counts in L and R, not in the THB figures.
t_begin "convictions: a re-delivery for a past year; --as-of a day before shows the old figure"
assert_exit 0 ciatteh load --loaded-at '2021-03-01 12:00' convictions $H/convictions_A_2019_2020.csv
A=$(id_of convictions_A_2019_2020.csv)
assert_exit 0 ciatteh load --loaded-at '2022-03-01 12:00' convictions $H/convictions_B_2020.csv
B=$(id_of convictions_B_2020.csv)
assert_contains "$OUT" "years 2020, replaces #$A for 2020"
q "$(lines item,year,value,flag conviction.persons,2019,3, conviction.persons,2020,3,p)" \
    conviction.persons                            # A-1 A-2 A-3; B: A-4 B-1 B-2
q "$(lines item,year,value,flag conviction.persons,2019,3, conviction.persons,2020,1,p)" \
    conviction.persons --as-of 2022-02-28         # A: A-4
q "$(lines item,year,value,flag conviction.persons,2019,3, conviction.persons,2020,3,p)" \
    conviction.persons --as-of 2022-03-01         # the end of the day of B
q "$(lines item,year,value,flag conviction.persons,2019,3, conviction.persons,2020,1,p)" \
    conviction.persons --as-of 2021-03-01         # the end of the day of A
q "$(lines item,year,value,flag)" conviction.persons --as-of 2021-02-28   # before any delivery
q "$(lines item,year,value,flag conviction.prison,2019,2, conviction.prison,2020,3,p)" conviction.prison
q "$(lines item,year,value,flag conviction.prison,2019,2, conviction.prison,2020,1,p)" \
    conviction.prison --as-of 2022-02-28
assert_eq "$(deliveries convictions)" "$(lines "id,file,rows,rejected,partial,years,scope,replaces,replaced_by" \
    "$A,convictions_A_2019_2020.csv,5,0,f,2019+2020,,,$B" "$B,convictions_B_2020.csv,4,0,f,2020,,$A,")"

t_begin "provisional: recent conviction years flagged p, old ones not, by provisional_years()"
assert_exit 0 ciatteh load --loaded-at '2023-03-01 12:00' convictions $H/convictions_C_2021.csv
q "$(lines item,year,value,flag conviction.persons,2019,3, conviction.persons,2020,3, conviction.persons,2021,3,p)" \
    conviction.persons
q "$(lines item,year,value,flag conviction.persons,2019,3, conviction.persons,2020,3,p)" \
    conviction.persons --as-of 2023-02-28         # before C, 2020 was still provisional
q "$(lines item,year,sex,value,flag conviction.persons,2021,F,1,p conviction.persons,2021,M,2,p)" \
    conviction.persons --by sex --year 2021
# items of other services are never provisional
q "$(lines item,year,value,flag police.facts,2021,3,)" police.facts --year 2021   # kg2.csv: K-1 K-3 K-9

# ------------------------------------------------------------------ time zone
t_begin "--loaded-at is read in the time zone deliveries shows and --as-of uses"
if [ -d "$S" ]; then
    assert_exit 0 ciatteh load --loaded-at '2024-02-28 23:30' immigration "$S/immigration_2021.csv"
    run ciatteh deliveries --service immigration --format csv
    assert_contains "$OUT" ",2024-02-28 23:30:00," "shown as given"
    q "$(lines item,year,value,flag immigration.documents,2021,4,)" \
        immigration.documents --as-of 2024-02-28       # the five documents but the AF boy's (SMUG)
    q "$(lines item,year,value,flag)" immigration.documents --as-of 2024-02-27
else
    skip "no sample folder $S"
fi
