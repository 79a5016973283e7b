#!/bin/sh
# test_yoy.sh — `ciatteh report yoy` built from the fixture extracts (see
# common.sh): every item by service, one column per year, the changes;
# --items, --by, --where; every figure equals `ciatteh query` in three
# languages and every format; not known is never 0; a year only partly
# reachable (decisions of a year no delivery covers) is said so; usage
# errors exit 64.
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"

t_begin "fixtures load"
run load_fixtures
assert_eq "$RC" 0 "every fixture loads" || echo "$OUT$ERR"

Y=$T/yoy
t_begin "yoy: every item, every figure, every language, every format = ciatteh query"
build_all yoy 2018-2024 "$Y"
check_all "$Y"

t_begin "yoy: one row per item, grouped by service, in catalogue order"
ciatteh items --format csv | tail -n +2 | cut -d, -f1 >"$T/items.txt"
awk -F, 'NR > 1 && $3 == 2 { print $4 }' "$Y/en.trace.csv" >"$T/rows.txt"
assert_exit 0 cmp "$T/items.txt" "$T/rows.txt"
en=$(cat "$Y/en.txt")
assert_match "$en" '^Federal Police +Registered facts '
assert_match "$en" '^Central Criminal Record +Persons convicted '
assert_match "$(cat "$Y/fr.txt")" '^Police fédérale +Faits enregistrés '
assert_match "$(cat "$Y/nl.txt")" '^Federale Politie +Geregistreerde feiten '

t_begin "yoy: change columns for the last two years and the period"
assert_contains "$en" "Change 2023–2024"
assert_contains "$en" "Change 2023–2024 (%)"
assert_contains "$en" "Change 2018–2024"
assert_contains "$(cat "$Y/fr.txt")" "Variation 2023–2024 (%)"
assert_contains "$(cat "$Y/nl.txt")" "Verschil 2018–2024"
assert_exit 0 ciatteh report yoy --years 2022-2023 --items police.facts --trace "$T/two.trace.csv" -o "$T/two.txt"
a=$(cell "$T" two yoy police.facts 2022 | cut -d'|' -f1)
b=$(cell "$T" two yoy police.facts 2023 | cut -d'|' -f1)
assert_eq "$(cell "$T" two yoy police.facts chg_last | cut -d'|' -f1)" "$((b - a))" "change = 2023 - 2022"
assert_not_contains "$(cat "$T/two.txt")" "Change 2022–2023 (%)  Change" "two years: no period columns"
assert_exit 0 ciatteh report yoy --years 2021 --items police.facts -o "$T/one.txt"
assert_not_contains "$(cat "$T/one.txt")" "Change" "one year: no change columns"

t_begin "yoy: not known is never 0"
# 2018 nobody delivered; 2024 neither, but decisions and admissions of
# 2024 come from cases and referrals of 2023: an incomplete year (i), not
# a figure.
assert_eq "$(awk -F, '$5 == 2018 && $13 != ""' "$Y/en.trace.csv" | wc -l | tr -d ' ')" 0 "no 2018 figure"
assert_eq "$(cell "$Y" en yoy police.facts 2024)" "|n" "police 2024 not delivered"
assert_eq "$(cell "$Y" en yoy police.facts chg_last)" "|n" "so is its change"
assert_eq "$(cell "$Y" en yoy prosecution.cases_prosecuted 2024)" "|i" "decisions of 2024: an incomplete year"
assert_match "$en" '^Federal Police +Registered facts +n\.d\. '
assert_contains "$(sed -n 2p "$Y/en.csv")" "Registered facts,,n n.d.,"
assert_match "$en" '^Legend: .*n\.d\. not delivered'
assert_contains "$en" "n.d. (not delivered): no delivery of the service covers that year"
assert_contains "$en" "incompl. (incomplete year)"

t_begin "yoy: flags: lower bounds and provisional years"
assert_eq "$(cell "$Y" en yoy police.suspects 2021 | cut -d'|' -f2)" "u" "suspects not always known: lower bound"
assert_eq "$(cell "$Y" en yoy conviction.persons 2023 | cut -d'|' -f2)" "p"
assert_eq "$(cell "$Y" en yoy police.facts 2023 | cut -d'|' -f2)" "" "police is never provisional"
assert_match "$en" '^Central Criminal Record +Persons convicted .* [0-9]+ \(p\) '
assert_not_contains "$en" "2023 (p)" "mixed table: the heading is not marked"
assert_exit 0 ciatteh report yoy --years 2021-2023 --items conviction.persons,conviction.prison -o "$T/conv.txt"
assert_contains "$(cat "$T/conv.txt")" "2023 (p)" "all provisional: the heading is marked"

t_begin "yoy: --by and --where"
B2=$T/by
build_all yoy 2019-2023 "$B2" --by form --where offence=THB
check_all "$B2"
by=$(cat "$B2/en.txt")
assert_contains "$by" "2019–2023 · trafficking in human beings" "subtitle names the offence"
assert_match "$(cat "$B2/fr.txt")" "· traite des êtres humains"
assert_match "$by" '^Federal Police +Registered facts +Total '
assert_match "$by" '^Federal Police +Registered facts +labour exploitation '
assert_match "$(cat "$B2/nl.txt")" '^Federale Politie +Geregistreerde feiten +economische uitbuiting '
# The total row of an item is the item under the filter.
assert_eq "$(cell "$B2" en yoy 'police.facts' 2021 | cut -d'|' -f1)" \
    "$(ciatteh query police.facts --year 2021 --where offence=THB | tail -n 1 | cut -d, -f3)"

t_begin "yoy: nationalities by name in the report's language"
assert_exit 0 ciatteh report yoy --years 2021-2023 --items shelter.victims_admitted --by nationality --lang fr -o "$T/nat.txt"
assert_contains "$(cat "$T/nat.txt")" "Roumanie"
assert_exit 0 ciatteh report yoy --years 2021-2023 --items shelter.victims_admitted --by nationality --lang nl -o "$T/nat.txt"
assert_contains "$(cat "$T/nat.txt")" "Roemenië"

t_begin "yoy: usage errors exit 64 and say what is accepted"
assert_exit 64 ciatteh report yoy
assert_contains "$ERR" "--years"
assert_exit 64 ciatteh report yoy --years 2021 --items police.nothing
assert_contains "$ERR" "unknown item 'police.nothing'; items: police.facts"
assert_exit 64 ciatteh report yoy --years 2021 --items shelter.referrals --by offence
assert_contains "$ERR" "has no dimension 'offence'"
assert_exit 64 ciatteh report yoy --years 2021 --where form=NOPE
assert_contains "$ERR" "unknown code 'NOPE'"
assert_exit 64 ciatteh report yoy --years 2021 --lang de
assert_exit 64 ciatteh report yoy --years 2021 --format xlsx
assert_contains "$ERR" "-o FILE.xlsx"
assert_exit 64 ciatteh report yoy --years 2021 -o "$T/out.docx"
assert_contains "$ERR" "a report is written as .txt (table), .csv or .xlsx, not .docx"
assert_exit 64 ciatteh report yoy --years 2021 --format csv -o "$T/out.xlsx"
assert_contains "$ERR" "the extension says xlsx but the format is csv"
assert_no_file "$T/out.docx" "$T/out.xlsx"
assert_exit 64 ciatteh report yoy --years 2023-2021
assert_exit 64 ciatteh report yoy --years 2021 --as-of 2024-13-01
assert_exit 64 ciatteh report nothing --years 2021
assert_contains "$ERR" "reports: sentences, victims, yoy"
assert_exit 64 ciatteh report sentences --years 2021 --by form
assert_contains "$ERR" "apply to \`report yoy\`"

t_begin "yoy: -o FILE.xlsx chooses the format; the same --as-of gives the same bytes"
assert_exit 0 ciatteh report yoy --years 2019-2023 --as-of 2024-05-01 -o "$T/a.xlsx"
assert_exit 0 $PY -c "import openpyxl; openpyxl.load_workbook('$T/a.xlsx')"
assert_exit 0 ciatteh report yoy --years 2019-2023 --as-of 2024-05-01 -o "$T/a.csv"
assert_exit 0 ciatteh report yoy --years 2019-2023 --as-of 2024-05-01 --format csv
assert_eq "$OUT" "$(cat "$T/a.csv")" "-o x.csv is CSV, identical to standard output"
assert_exit 0 ciatteh report yoy --years 2019-2023 --as-of 2024-05-01 --lang nl --localized -o "$T/b.csv"
assert_exit 0 ciatteh report yoy --years 2019-2023 --as-of 2024-05-01 --lang nl --localized -o "$T/c.csv"
assert_exit 0 cmp "$T/b.csv" "$T/c.csv"

t_begin "yoy: the checks can fail (a wrong figure is caught)"
# In the text output: one digit changed in the police row.
sed 's/^\(Federal Police *Registered facts *n\.d\. *(n) *\)\([0-9]\)/\19\2/' "$Y/en.txt" >"$T/bad.txt"
assert_exit 1 cmp -s "$T/bad.txt" "$Y/en.txt"
assert_exit 1 $PY "$CHECK" --trace "$Y/en.trace.csv" --lang en --text "$T/bad.txt"
assert_contains "$OUT" "FAIL"
# In the localised Dutch CSV: a value changed.
sed '2s/;\([0-9][0-9]*\);/;9\1;/' "$Y/nl.loc.csv" >"$T/bad.csv"
assert_exit 1 cmp -s "$T/bad.csv" "$Y/nl.loc.csv"
assert_exit 1 $PY "$CHECK" --trace "$Y/nl.trace.csv" --lang nl --loc-csv "$T/bad.csv"
