#!/bin/sh
# test_eurostat.sh — the Eurostat answer from the fixture extracts: the
# SDMX-CSV read with Python's csv module has exactly the expected header
# and keys, and every cell is what `ciatteh query` gives for the same item
# and filters (check.py holds the key → item/filter mapping, written out
# independently of eurostat.q); "not known" is empty, never 0; our flags
# map to Eurostat's; the XLSX holds the same figures.
. "$(dirname "$0")/../lib.sh"
. "$HERE/fixtures.sh"

t_begin "the fixture extracts load"
load_fixtures

t_begin "SDMX-CSV: the header, exactly the expected keys, every cell as ciatteh query says"
assert_exit 0 ciatteh export eurostat --year 2021 --format sdmx-csv -o "$T/e.csv"
assert_file "$T/e.csv"
check sdmx "$T/e.csv" 2021 3
assert_contains "$OUT" "checked 74 SDMX cells"
assert_eq "$(head -n 1 "$T/e.csv")" "DATAFLOW,freq,leg_stat,sex,age,citizen,expl,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"
assert_eq "$(tail -n +2 "$T/e.csv" | wc -l | tr -d ' ')" 72 "72 observations (a total shown in two tables is sent once)"

t_begin "SDMX-CSV: what the extracts say, spot-checked by hand"
row() { grep "^ESTAT:THB_BE(1.0),A,$1,NR,BE,2021," "$T/e.csv"; }
# Victims taken into care in 2021, counted straight from the centres' files.
nv=$(cat "$FIX"/shelter_*_2021.csv | awk -F';' '$9 == "yes" && substr($10, 1, 4) == "2021"' | wc -l | tr -d ' ')
assert_match "$nv" '^[1-9][0-9]+$' "the fixtures have victims in 2021"
assert_eq "$(row VICT,T,TOTAL,TOTAL,TOTAL)" "ESTAT:THB_BE(1.0),A,VICT,T,TOTAL,TOTAL,TOTAL,NR,BE,2021,$nv,"
# Defendants of 2021: the extract leaves them all empty: not known (empty), flagged u, never 0.
assert_eq "$(row PER_PRSC,T,TOTAL,TOTAL,TOTAL)" "ESTAT:THB_BE(1.0),A,PER_PRSC,T,TOTAL,TOTAL,TOTAL,NR,BE,2021,,u"
# Police extracts give no sex: not available, empty, no flag.
assert_eq "$(row PER_SUSP,F,TOTAL,TOTAL,TOTAL)" "ESTAT:THB_BE(1.0),A,PER_SUSP,F,TOTAL,TOTAL,TOTAL,NR,BE,2021,,"
# Convictions of 2021: 110, provisional (bulletins still arriving) → p.
assert_eq "$(row PER_CNV,T,TOTAL,TOTAL,TOTAL)" "ESTAT:THB_BE(1.0),A,PER_CNV,T,TOTAL,TOTAL,TOTAL,NR,BE,2021,110,p"
# A zero is shown as 0: no Belgian victim in 2021; every THB fact has a form.
[ "$(awk -F';' '$7 == "BE" && $9 == "yes" && substr($10, 1, 4) == "2021"' "$FIX"/shelter_*_2021.csv | wc -l)" -eq 0 ] &&
    _pass "no Belgian victim in the fixtures" || _fail "the fixtures have Belgian victims in 2021"
assert_eq "$(row VICT,T,TOTAL,NAT,TOTAL)" "ESTAT:THB_BE(1.0),A,VICT,T,TOTAL,NAT,TOTAL,NR,BE,2021,0,"
assert_eq "$(row PER_SUSP,T,TOTAL,TOTAL,UNK)" "ESTAT:THB_BE(1.0),A,PER_SUSP,T,TOTAL,TOTAL,UNK,NR,BE,2021,0,"
# Two persons of unknown sex convicted in 2021: withheld, value empty, flag c.
assert_eq "$(row PER_CNV,UNK,TOTAL,TOTAL,TOTAL)" "ESTAT:THB_BE(1.0),A,PER_CNV,UNK,TOTAL,TOTAL,TOTAL,NR,BE,2021,,c"

t_begin "the check fails on a wrong figure (it can fail)"
sed "s/^\(ESTAT:THB_BE(1.0),A,VICT,T,TOTAL,TOTAL,TOTAL,NR,BE,2021,\)$nv,/\1$((nv + 1)),/" "$T/e.csv" >"$T/bad.csv"
assert_ne "$(cat "$T/bad.csv")" "$(cat "$T/e.csv")" "the doctored copy differs"
assert_exit 1 "$PY" "$HERE/check.py" sdmx "$T/bad.csv" 2021 3
assert_contains "$OUT" "VICT,T,TOTAL,TOTAL,TOTAL: published $((nv + 1)), ciatteh query says $nv"
grep -v 'PER_CNV,F,' "$T/e.csv" >"$T/bad.csv"
assert_exit 1 "$PY" "$HERE/check.py" sdmx "$T/bad.csv" 2021 3
assert_contains "$OUT" "missing [('PER_CNV', 'F'"

t_begin "SDMX-CSV without -o goes to standard output"
assert_exit 0 ciatteh export eurostat --year 2021 --format sdmx-csv
assert_eq "$OUT" "$(cat "$T/e.csv")" "the same bytes"

t_begin "XLSX: the same tables, every cell as ciatteh query says"
assert_exit 0 ciatteh export eurostat --year 2021 -o "$T/e.xlsx"
check xlsx eurostat "$T/e.xlsx" 2021 3
assert_contains "$OUT" "checked 88 XLSX cells"

t_begin "another year: 2020, with the convictions of the first delivery"
assert_exit 0 ciatteh export eurostat --year 2020 --format sdmx-csv -o "$T/e20.csv"
check sdmx "$T/e20.csv" 2020 3
# Police and shelters delivered nothing for 2020 suspects: not known, empty.
assert_match "$(cat "$T/e20.csv")" '^ESTAT:THB_BE\(1\.0\),A,PER_SUSP,T,TOTAL,TOTAL,TOTAL,NR,BE,2020,,$'
assert_match "$(cat "$T/e20.csv")" '^ESTAT:THB_BE\(1\.0\),A,PER_CNV,T,TOTAL,TOTAL,TOTAL,NR,BE,2020,120,$'

t_begin "--suppress: 0 withholds nothing, a higher threshold withholds more"
assert_exit 0 ciatteh export eurostat --year 2021 --format sdmx-csv --suppress 0
assert_eq "$(printf '%s\n' "$OUT" | grep -c ',c$')" 0 "no withheld cell"
printf '%s\n' "$OUT" >"$T/e0.csv"
check sdmx "$T/e0.csv" 2021 0
n3=$(grep -c ',c$' "$T/e.csv")
assert_exit 0 ciatteh export eurostat --year 2021 --format sdmx-csv --suppress 6 -o "$T/e6.csv"
n6=$(grep -c ',c$' "$T/e6.csv")
assert_match "$n3 $n6" '^[1-9][0-9]* [1-9][0-9]*$' "cells withheld at 3 and 6"
[ "$n6" -gt "$n3" ] && _pass "more withheld at 6 ($n6) than at 3 ($n3)" || _fail "withheld at 6: $n6, at 3: $n3"
check sdmx "$T/e6.csv" 2021 6
