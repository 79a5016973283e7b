#!/bin/sh
# test_eurostat.sh — the Eurostat answer from the fixture extracts.
# SDMX-CSV 1.0 and 2.0 are read back by an independent reader
# (sdmx_read.py: RFC 4180 CRLF records, the field guides' header and
# columns, every code in the definition's code lists, the EU composition
# of each year, OBS_STATUS / CONF_STATUS / COMMENT_OBS); every cell is what
# `ciatteh query` gives for the same item and filters (check.py, key →
# item/filter mapping written out independently of eurostat.q); known
# counts — identified and presumed victims, convicted persons by sex and
# citizenship — are counted straight from the extracts with awk.
. "$(dirname "$0")/../lib.sh"
. "$HERE/fixtures.sh"
DEF=$HERE/../../reports/data/questionnaires/eurostat.q

t_begin "the fixture extracts load"
load_fixtures

for v in 1.0 2.0; do
    t_begin "SDMX-CSV $v: the standard's rules and the definition's code lists (independent reader)"
    assert_exit 0 ciatteh export eurostat --year 2021 --sdmx $v -o "$T/e$v.csv"
    assert_exit 0 "$PY" "$HERE/sdmx_read.py" "$T/e$v.csv" "$DEF" $v
    assert_contains "$OUT" "read 204 observations, 0 problems"
    # and as the recipient's validator would, against a structure message
    # (the fixture that test_structure.sh checks the definition against)
    assert_exit 0 "$PY" "$HERE/sdmx_read.py" "$T/e$v.csv" "$DEF" $v "$HERE/data/eurostat_structure.xml"
    assert_contains "$OUT" "read 204 observations, 0 problems"
    assert_eq "$(head -c 200 "$T/e$v.csv" | od -c | grep -c '\\r  \\n')" 1 "the header ends in CRLF"

    t_begin "SDMX-CSV $v: exactly the expected keys, every cell as ciatteh query says"
    check sdmx "$T/e$v.csv" 2021 3
    assert_match "$OUT" "^checked 2[0-9][0-9] SDMX cells, 0 problems$"
done
assert_eq "$(head -n 1 "$T/e1.0.csv" | tr -d '\r')" "DATAFLOW,FREQ,LEG_STAT,SEX,AGE,CITIZEN,EXPL,UNIT,GEO,TIME_PERIOD,OBS_VALUE,OBS_STATUS,CONF_STATUS,COMMENT_OBS"
assert_eq "$(head -n 1 "$T/e2.0.csv" | tr -d '\r')" "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,LEG_STAT,SEX,AGE,CITIZEN,EXPL,UNIT,GEO,TIME_PERIOD,OBS_VALUE,OBS_STATUS,CONF_STATUS,COMMENT_OBS"
assert_eq "$(tail -n +2 "$T/e1.0.csv" | cut -d, -f2-13)" "$(tail -n +2 "$T/e2.0.csv" | cut -d, -f4-15)" "1.0 and 2.0: the same observations"

t_begin "the reader fails on what breaks the standard (it can fail)"
tr -d '\r' <"$T/e1.0.csv" >"$T/lf.csv"
assert_exit 1 "$PY" "$HERE/sdmx_read.py" "$T/lf.csv" "$DEF" 1.0
assert_contains "$OUT" "bare LF"
sed 's/,EU27_2020_FOR,/,EU28_FOR,/' "$T/e1.0.csv" >"$T/bad.csv"
assert_exit 1 "$PY" "$HERE/sdmx_read.py" "$T/bad.csv" "$DEF" 1.0
assert_contains "$OUT" "CITIZEN=EU28_FOR is not the code for 2021"
sed '/<str:Code id="PER_CNV">/d' "$HERE/data/eurostat_structure.xml" >"$T/s.xml"
assert_exit 1 "$PY" "$HERE/sdmx_read.py" "$T/e1.0.csv" "$DEF" 1.0 "$T/s.xml"
assert_contains "$OUT" "LEG_STAT='PER_CNV' is not in the structure's code list"
sed 's/<str:Dimension id="EXPL"/<str:Dimension id="ICCS"/' "$HERE/data/eurostat_structure.xml" >"$T/s.xml"
assert_exit 1 "$PY" "$HERE/sdmx_read.py" "$T/e2.0.csv" "$DEF" 2.0 "$T/s.xml"
assert_contains "$OUT" "column EXPL is not a component of the data structure"
assert_contains "$OUT" "the data structure's Dimension ICCS is not a column"
sed 's/,SEX_EXP,/,SEXUAL,/' "$T/e1.0.csv" >"$T/bad.csv"
assert_exit 1 "$PY" "$HERE/sdmx_read.py" "$T/bad.csv" "$DEF" 1.0
assert_contains "$OUT" "EXPL='SEXUAL' is not in its code list"
assert_exit 1 "$PY" "$HERE/sdmx_read.py" "$T/e2.0.csv" "$DEF" 1.0
assert_contains "$OUT" "header"

t_begin "known counts straight from the extracts: identified, presumed and registered victims"
row() { grep "^ESTAT:CRIM_THB(1.0),A,$1,NR,BE,$2," "$T/e$3.csv" | tr -d '\r'; }
S="$FIX/shelter_pagasa_2021.csv $FIX/shelter_payoke_2021.csv $FIX/shelter_surya_2021.csv"
nid=$(cat $S | awk -F';' '$9 == "yes" && substr($10, 1, 4) == "2021"' | wc -l | tr -d ' ')
npre=$(cat $S | awk -F';' '$9 == "no" && substr($3, 1, 4) == "2021"' | wc -l | tr -d ' ')
assert_match "$nid $npre" '^[1-9][0-9]+ [4-9][0-9]*$' "the fixtures have identified and presumed victims in 2021"
assert_match "$(row VICT_ID,T,TOTAL,TOTAL,TOTAL 2021 1.0)" ",2021,$nid,,F,\"?Identified victims: taken into care"
assert_match "$(row VICT_PRE,T,TOTAL,TOTAL,TOTAL 2021 1.0)" ",2021,$npre,,F,"
assert_match "$(row VICT,T,TOTAL,TOTAL,TOTAL 2021 1.0)" ",2021,$((nid + npre)),,F,"
# No Belgian victim in 2021: a zero, never withheld as small (A).
assert_match "$(row VICT_ID,T,TOTAL,NAT,TOTAL 2021 1.0)" ',2021,(0,,F|,,D),'

t_begin "known counts: convicted persons by sex and citizenship (2020, final)"
assert_exit 0 ciatteh export eurostat --year 2020 --sdmx 1.0 -o "$T/e2020.csv"
assert_exit 0 "$PY" "$HERE/sdmx_read.py" "$T/e2020.csv" "$DEF" 1.0
C20=$FIX/convictions_2020.csv
# cnv SEX NATIONALITIES: THB convictions of 2020 (nationalities: a list, or * for any)
cnv() { awk -F';' -v s="$1" -v n="$2" 'substr($2, 1, 4) == "2020" && $5 == "THB" && $7 == s &&
        (n == "*" || index("," n ",", "," $8 ",") > 0)' "$C20" | wc -l | tr -d ' '; }
nm=$(cnv M '*')
nmeu=$(cnv M RO,BG,PL,HU,SK,FR,NL,PT)
assert_match "$nm $nmeu" '^[1-9][0-9]* [1-9][0-9]*$' "the fixtures have men convicted, EU citizens among them"
assert_match "$(row PER_CNV,M,TOTAL,TOTAL,TOTAL 2020 2020)" ",2020,$nm,,F,\"?Convicted persons:"
# 2020: the United Kingdom was a member; the code says EU28.
assert_match "$(row PER_CNV,M,TOTAL,EU28_FOR,TOTAL 2020 2020)" ",2020,$nmeu,,F,"
assert_not_contains "$(cat "$T/e2020.csv")" "EU27_2020_FOR" "2020 is sent as EU28"
assert_contains "$(cat "$T/e1.0.csv")" ",EU27_2020_FOR," "2021 is sent as EU27_2020"

t_begin "suspects: flagged (definition differs) and footnoted; sex and citizenship not collected"
assert_match "$(row PER_SUSP,T,TOTAL,TOTAL,SEX_EXP 2021 1.0)" ',2021,[0-9]+,D,F,"?Suspects are added up per registered fact'
assert_match "$(row PER_SUSP,F,TOTAL,TOTAL,TOTAL 2021 1.0)" ',2021,,L,,.*Not collected by these sources'
assert_match "$(row PER_PRSC,T,TOTAL,NEU27_2020_FOR,TOTAL 2021 1.0)" ',2021,,L,,'
# Defendants of 2021: all left empty in the extract: no figure (O), never 0.
assert_match "$(row PER_PRSC,T,TOTAL,TOTAL,TOTAL 2021 1.0)" ',2021,,O,,'
# Convictions of 2021: provisional (P); withheld small counts keep it, CONF_STATUS apart.
assert_match "$(row PER_CNV,T,TOTAL,TOTAL,TOTAL 2021 1.0)" ',2021,110,P,F,'
assert_match "$(row PER_CNV,UNK,TOTAL,TOTAL,TOTAL 2021 1.0)" ',2021,,P,A,'

t_begin "the check fails on a wrong figure (it can fail)"
sed "s/^\(ESTAT:CRIM_THB(1.0),A,VICT,T,TOTAL,TOTAL,TOTAL,NR,BE,2021,\)$((nid + npre)),/\1$((nid + npre + 1)),/" "$T/e1.0.csv" >"$T/bad.csv"
assert_ne "$(cat "$T/bad.csv")" "$(cat "$T/e1.0.csv")" "the doctored copy differs"
assert_exit 1 "$PY" "$HERE/check.py" sdmx "$T/bad.csv" 2021 3
assert_contains "$OUT" "VICT,T,TOTAL,TOTAL,TOTAL: published $((nid + npre + 1)), ciatteh query says $((nid + npre))"
grep -v 'PER_CNV,F,' "$T/e1.0.csv" >"$T/bad.csv"
assert_exit 1 "$PY" "$HERE/check.py" sdmx "$T/bad.csv" 2021 3
assert_contains "$OUT" "missing [('PER_CNV', 'F'"

t_begin "SDMX-CSV without -o goes to standard output"
assert_exit 0 ciatteh export eurostat --year 2021 --format sdmx-csv
assert_eq "$OUT" "$(cat "$T/e1.0.csv")" "the same bytes"

t_begin "XLSX: the same tables, every cell as ciatteh query says"
assert_exit 0 ciatteh export eurostat --year 2021 -o "$T/e.xlsx"
check xlsx eurostat "$T/e.xlsx" 2021 3
assert_contains "$OUT" "checked 258 XLSX cells"

t_begin "another year: 2020, with the convictions of the first delivery"
# Police delivered nothing for 2020: no figure (O), empty.
assert_match "$(row PER_SUSP,T,TOTAL,TOTAL,TOTAL 2020 2020)" ',2020,,O,,'

t_begin "--suppress: 0 withholds nothing, a higher threshold withholds more"
assert_exit 0 ciatteh export eurostat --year 2021 --format sdmx-csv --suppress 0 -o "$T/e0.csv"
held() { awk -F, '$13 == "A" || $13 == "D"' "$1" | wc -l | tr -d ' '; }
assert_eq "$(held "$T/e0.csv")" 0 "no withheld cell"
check sdmx "$T/e0.csv" 2021 0
n3=$(held "$T/e1.0.csv")
assert_exit 0 ciatteh export eurostat --year 2021 --format sdmx-csv --suppress 6 -o "$T/e6.csv"
n6=$(held "$T/e6.csv")
assert_match "$n3 $n6" '^[1-9][0-9]* [1-9][0-9]*$' "cells withheld at 3 and 6"
[ "$n6" -gt "$n3" ] && _pass "more withheld at 6 ($n6) than at 3 ($n3)" || _fail "withheld at 6: $n6, at 3: $n3"
check sdmx "$T/e6.csv" 2021 6

t_begin "--sdmx: 1.0 or 2.0 only"
assert_exit 64 ciatteh export eurostat --year 2021 --sdmx 3.0
assert_contains "$ERR" "--sdmx: 1.0 or 2.0"
