#!/bin/sh
# test_victims.sh — `ciatteh report victims` built from the fixture
# extracts (see common.sh): shelter referrals and victims taken into care
# by form, sex, age group, citizenship, the ten most frequent nationalities
# (named in the report's language) and referrer; residence documents;
# inspectorates' referrals by sector; police and prosecution beside them.
# Every figure equals `ciatteh query` in three languages and all formats;
# a centre that sent nothing for a year is named.
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"

t_begin "fixtures load"
run load_fixtures
assert_eq "$RC" 0 "every fixture loads" || echo "$OUT$ERR"

V=$T/victims
t_begin "victims: every figure, every language, every format = ciatteh query"
build_all victims 2018-2023 "$V"
check_all "$V"

t_begin "victims: one sheet per table, in the definition's order, then the definitions"
assert_exit 0 $PY -c "
import sys, openpyxl
sys.path.insert(0, '$ROOT/tests/tools')
from xlsx_tables import sheet, table_ids
for lang, defs, first in (('en', 'Definitions', 'Victims overview'),
                          ('fr', 'Définitions', \"Victimes, vue d'ensemble\"),
                          ('nl', 'Definities', 'Slachtoffers, overzicht')):
    wb = openpyxl.load_workbook('$V/%s.xlsx' % lang)
    want = ['overview', 'by_form', 'by_sex', 'by_age', 'by_citizenship', 'by_nationality',
            'by_referrer', 'documents', 'sectors']
    assert table_ids(wb) == want, table_ids(wb)
    # sheets named in the workbook's language, the definitions last
    assert wb.sheetnames[0] == first and wb.sheetnames[-1] == defs, wb.sheetnames
    ws = sheet(wb, 'overview')
    assert ws.freeze_panes == 'B4', ws.freeze_panes
    d = wb[defs]
    labels = [c.value for c in d['A'] if c.value]
    assert len(labels) >= 10, labels
"

t_begin "victims: the ten most frequent nationalities, by name, then the rest and not known"
for item in shelter.referrals shelter.victims_admitted; do
    n=$(awk -F, -v i="$item" '$1 == "by_nationality" && $7 == i && $8 == 2019 && $6 == "query" && $10 ~ /^[A-Z][A-Z]$/' \
        "$V/en.trace.csv" | wc -l | tr -d ' ')
    assert_eq "$n" 10 "$item: ten countries"
    # The rest = total - the ten - not known, year by year.
    for y in 2019 2023; do
        tot=$(cell "$V" en by_nationality "$item" $y | cut -d'|' -f1)
        rest=$(cell "$V" en by_nationality "$item|_other" $y | cut -d'|' -f1)
        unk=$(cell "$V" en by_nationality "$item|UNK" $y | cut -d'|' -f1)
        ten=$(awk -F, -v i="$item" -v y=$y '$1 == "by_nationality" && $7 == i && $8 == y && $6 == "query" &&
              $10 ~ /^[A-Z][A-Z]$/ { s += $13 } END { print s }' "$V/en.trace.csv")
        assert_eq "$((ten + rest + unk))" "$tot" "$item $y: ten + rest + not known = total"
    done
done
# Ranked by the total over the period: the first is the largest.
first=$(awk -F, '$1 == "by_nationality" && $7 == "shelter.referrals" && $8 == 2019 && $6 == "query" && $10 != "" { print $10; exit }' "$V/en.trace.csv")
assert_eq "$first" "RO" "fixture: Romania first"
assert_match "$(cat "$V/en.txt")" '^Persons referred to a specialised centre +Romania '
assert_match "$(cat "$V/fr.txt")" '^Personnes orientées vers un centre spécialisé +Roumanie '
assert_match "$(cat "$V/nl.txt")" '^Personen doorverwezen naar een gespecialiseerd centrum +Roemenië '
assert_match "$(cat "$V/fr.txt")" 'toutes les autres nationalités'
assert_match "$(cat "$V/nl.txt")" 'Nationaliteit +2018'

t_begin "victims: breakdowns labelled from the code lists in three languages"
en=$(cat "$V/en.txt") fr=$(cat "$V/fr.txt") nl=$(cat "$V/nl.txt")
for s in "sexual exploitation" "minor (under 18)" "other EU" "self-referral" "Agriculture, forestry and fishing" \
         "order to leave, 45-day reflection period" "Form of exploitation" "Referred by" "Sector (NACE)"; do
    assert_contains "$en" "$s"
done
for s in "exploitation sexuelle" "mineur (moins de 18 ans)" "autre UE" "de sa propre initiative" \
         "Agriculture, sylviculture et pêche" "Orienté par" "Groupe d'âge"; do
    assert_contains "$fr" "$s"
done
for s in "seksuele uitbuiting" "minderjarig (jonger dan 18)" "andere EU" "eigen initiatief" \
         "Landbouw, bosbouw en visserij" "Doorverwezen door" "Leeftijdsgroep"; do
    assert_contains "$nl" "$s"
done

t_begin "victims: police and prosecution beside the shelters, trafficking only"
assert_match "$en" '^Victims registered by the police \(trafficking in human beings\) '
assert_match "$en" '^Cases entering prosecution \(trafficking in human beings\) '
assert_match "$fr" '^Victimes enregistrées par la police \(traite des êtres humains\) '
assert_eq "$(cell "$V" en overview 'police.victims[offence=THB]' 2021 | cut -d'|' -f1)" \
    "$(ciatteh query police.victims --year 2021 --where offence=THB | tail -n 1 | cut -d, -f3)"
assert_eq "$(cell "$V" en overview 'conviction.persons[offence=THB]' 2023 | cut -d'|' -f2)" "p" "convictions 2023 provisional"

t_begin "victims: a centre that sent nothing for a year is named under the tables"
assert_match "$en" '^2022: no data received from Pag-Asa \(that year.s figures cover the others only\)$'
assert_match "$en" '^2023: no data received from Pag-Asa'
assert_not_contains "$en" "2021: no data received" "every centre delivered 2021"
assert_match "$fr" '^2022.: aucune donnée reçue de Pag-Asa'
assert_match "$nl" '^2023: geen gegevens ontvangen van Pag-Asa'

t_begin "victims: 2018 is not known, never 0; the deliveries and as-of are named"
assert_eq "$(awk -F, '$5 == 2018 && $13 != ""' "$V/en.trace.csv" | wc -l | tr -d ' ')" 0 "no 2018 figure"
assert_match "$en" '^Persons referred to a specialised centre +n\.d\. '
for f in shelters_payoke_2019_2023.csv shelters_surya_2019_2023.csv shelters_pagasa_2019_2021.csv \
         immigration_2019_2023.csv inspectorates_2019_2023.csv police_2019_2023.csv prosecution_2019_2023.csv; do
    assert_match "$en" "^Source: .* — $f \\(delivery #[0-9]+, SHA-256 [0-9a-f]{12}, loaded on 1.March.2024 at "
done
assert_match "$nl" '^Bron: Gespecialiseerde opvangcentra — shelters_pagasa_2019_2021.csv \(levering #15, SHA-256 [0-9a-f]{12}, geladen op 1.maart.2024 om 10:30; gebruikte jaren 2019–2021\)$'
assert_contains "$nl" "Stand van de gegevens: laatste leveringen"

t_begin "victims: the same --as-of gives the same bytes"
assert_exit 0 ciatteh report victims --years 2019-2023 --as-of 2024-03-31 --lang fr --format csv --localized -o "$T/a.csv"
assert_exit 0 ciatteh report victims --years 2019-2023 --as-of 2024-03-31 --lang fr --format csv --localized -o "$T/b.csv"
assert_exit 0 cmp "$T/a.csv" "$T/b.csv"
assert_exit 0 ciatteh report victims --years 2019-2023 --as-of 2024-03-31 --lang nl -o "$T/a.xlsx"
assert_exit 0 ciatteh report victims --years 2019-2023 --as-of 2024-03-31 --lang nl -o "$T/b.xlsx"
assert_exit 0 $PY "$HERE/same_cells.py" "$T/a.xlsx" "$T/b.xlsx"

t_begin "victims: the checks can fail (a wrong figure is caught)"
# A number changed in the French workbook: read back, it must not match.
assert_exit 0 $PY -c "
import sys, openpyxl
sys.path.insert(0, '$ROOT/tests/tools')
from xlsx_tables import sheet
wb = openpyxl.load_workbook('$V/fr.xlsx')
ws = sheet(wb, 'by_sex')
c = next(c for row in ws.iter_rows(min_row=4) for c in row if isinstance(c.value, (int, float)))
c.value += 1
print(c.coordinate)
wb.save('$T/bad.xlsx')"
cell=$OUT
assert_exit 1 $PY "$CHECK" --trace "$V/fr.trace.csv" --lang fr --xlsx "$T/bad.xlsx"
assert_contains "$OUT" "by_sex!$cell"
