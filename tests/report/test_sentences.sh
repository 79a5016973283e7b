#!/bin/sh
# test_sentences.sh — `ciatteh report sentences` built from the fixture
# extracts (see common.sh): every figure of every table equals `ciatteh
# query`, in English, French and Dutch, on the terminal, in CSV (plain and
# for Excel) and in XLSX; the counts international reviews quote add up;
# not known is never 0; provisional years are marked; deliveries and the
# as-of date are named; the same --as-of gives the same bytes.
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"

t_begin "fixtures load"
run load_fixtures
assert_eq "$RC" 0 "every fixture loads" || echo "$OUT$ERR"

S=$T/sentences
t_begin "sentences: every figure, every language, every format = ciatteh query"
build_all sentences 2018-2023 "$S"
check_all "$S"

t_begin "sentences: the summary holds the figures reviews quote, and they add up"
for y in 2019 2020 2021 2022 2023; do
    prison=$(cell "$S" en summary conviction.prison "$y" | cut -d'|' -f1)
    eff=$(cell "$S" en summary 'conviction.prison[suspension=NONE]' "$y" | cut -d'|' -f1)
    part=$(cell "$S" en summary 'conviction.prison[suspension=PARTIAL]' "$y" | cut -d'|' -f1)
    full=$(cell "$S" en summary 'conviction.prison[suspension=FULL]' "$y" | cut -d'|' -f1)
    susp=$(cell "$S" en summary conviction.prison_suspended "$y" | cut -d'|' -f1)
    assert_ne "$prison" "" "$y: prison terms known"
    # Every prison term has a suspension (the extract requires it), so the
    # three kinds make up the known total, and the suspended item is the
    # partial plus the full ones.
    assert_eq "$((eff + part + full))" "$prison" "$y: effective + partial + full = prison terms"
    assert_eq "$((part + full))" "$susp" "$y: partial + full = suspended in part or in full"
    # Bands x suspension: the bands of a year add up to its total row.
    sum=0
    for b in LT12 12_36 36_60 60_120 GE120; do
        v=$(cell "$S" en bands "$y|$b" prison | cut -d'|' -f1)
        sum=$((sum + ${v:-0}))
    done
    assert_eq "$sum" "$(cell "$S" en bands "$y|total" prison | cut -d'|' -f1)" "$y: bands add up to the total"
done
assert_contains "$(cat "$S/en.txt")" "of which partially suspended"
assert_contains "$(cat "$S/en.txt")" "suspended in part or in full, % of prison terms"
assert_contains "$(cat "$S/en.txt")" "12 to under 36 months"

t_begin "sentences: a year nobody delivered is not known, never 0"
# 2018: no conviction delivery covers it.
n=$(awk -F, '$8 == 2018' "$S/en.trace.csv" | wc -l)
assert_ne "$n" 0 "2018 has cells"
assert_eq "$(awk -F, '$8 == 2018 && $13 != ""' "$S/en.trace.csv" | wc -l | tr -d ' ')" 0 "no 2018 figure has a value"
assert_match "$(cat "$S/en.txt")" '^Persons convicted +n\.d\. '
assert_match "$(cat "$S/fr.txt")" '^Personnes condamnées +n\.l\. '
assert_match "$(cat "$S/nl.txt")" '^Veroordeelde personen +n\.g\. '
assert_contains "$(head -n 2 "$S/en.csv")" "Persons convicted,,n n.d.," "CSV: empty value, the state in the flags column"
assert_contains "$(cat "$S/fr.loc.csv")" "Personnes condamnées;;n n.l.;" "localised CSV too"
# A band nobody was sentenced in, in a delivered year, is a real 0.
assert_eq "$(cell "$S" en bands '2019|GE120' full)" "0|" "a delivered year's empty cell is 0"

t_begin "sentences: provisional years are marked and named"
assert_match "$(cat "$S/en.txt")" '2023 \(p\)' "heading of a provisional year"
assert_match "$(cat "$S/en.txt")" '^Provisional .*: 2023$' "note naming the year"
assert_match "$(cat "$S/fr.txt")" '^Provisoire .* ?: 2023$'
assert_match "$(cat "$S/nl.txt")" '^Voorlopig .*: 2023$'
assert_match "$(cat "$S/en.txt")" '^Legend: .*\(p\) provisional'
assert_eq "$(cell "$S" en summary conviction.persons 2023 | cut -d'|' -f2)" "p" "2023 figures carry p"
assert_eq "$(cell "$S" en summary conviction.persons 2021 | cut -d'|' -f2)" "" "2021 is final"

t_begin "sentences: labels from the catalogue and words in three languages"
fr=$(cat "$S/fr.txt") nl=$(cat "$S/nl.txt")
for s in "Peines prononcées · traite des êtres humains" "Personnes condamnées à une peine de prison" \
         "dont avec sursis partiel" "Forme d'exploitation" "exploitation économique" "Sursis total" \
         "Peine de prison" "12 à moins de 36 mois" "Définitions" "Situation des données"; do
    assert_contains "$fr" "$s"
done
for s in "Straffen · mensenhandel" "Personen veroordeeld tot een gevangenisstraf" \
         "waarvan gedeeltelijk met uitstel" "Uitbuitingsvorm" "economische uitbuiting" "Volledig uitstel" \
         "minder dan 12 maanden" "Definities" "Stand van de gegevens"; do
    assert_contains "$nl" "$s"
done
# French and Dutch number formatting on the terminal (a 4-digit figure
# does not occur here; shares do).
NNBSP=$(printf '\342\200\257')
assert_match "$fr" "[0-9],[0-9]$NNBSP%" "French percentages: decimal comma, narrow space before %"
assert_match "$nl" '[0-9],[0-9]%' "Dutch percentages: decimal comma"

t_begin "sentences: the deliveries behind the report and the as-of date are named"
en=$(cat "$S/en.txt")
ciatteh deliveries --format csv >"$T/deliv.csv"
for id in 11 16; do
    file=$(awk -F, -v i=$id '$1 == i { print $3 }' "$T/deliv.csv")
    sha=$(awk -F, -v i=$id '$1 == i { print substr($4, 1, 12) }' "$T/deliv.csv")
    assert_contains "$en" "Central Criminal Record — $file (delivery #$id, SHA-256 $sha, loaded "
done
assert_match "$en" 'convictions_2019_2023.csv .*years used 2019–2021\)'
assert_match "$en" 'convictions_2022_2023_update.csv .*loaded on 1.June.2024 at 11:00; years used 2022, 2023\)'
assert_not_contains "$en" "police_2019_2023.csv" "only the services the report reads"
assert_contains "$en" "Data as of: latest deliveries"
# The CSVs carry the same trace (issue 13): comment lines after the tables
# in the plain CSV, which a reader told about comments skips; one-cell
# rows in the CSV for Excel, in its language.
for id in 11 16; do
    assert_match "$(cat "$S/en.csv")" "^# Source: Central Criminal Record — .*\(delivery #$id, SHA-256 "
done
assert_match "$(cat "$S/en.csv")" "^# Data as of: latest deliveries$"
assert_match "$(cat "$S/en.csv")" "^# Legend: .*\(p\) provisional"
run $PY -c "
import csv, sys
rows = [r for r in csv.reader(l for l in open(sys.argv[1], encoding='utf-8') if not l.startswith('#'))]
heads = [r for r in rows if r and r[0] == 'Indicator']
assert heads, 'no table left once the comments are skipped'
assert all(r[0] != '' or len(r) > 1 for r in rows if r), rows
print(len(rows), 'rows')" "$S/en.csv"
assert_eq "$RC" 0 "without its comment lines the plain CSV is the tables alone: $OUT$ERR"
assert_match "$(cat "$S/fr.loc.csv")" '^"?Source.{1,2}: Casier judiciaire central — .*\(livraison #16, SHA-256 '
assert_match "$(cat "$S/fr.loc.csv")" "^Situation des données.{1,2}: dernières livraisons"

t_begin "sentences: --as-of gives the data as it stood, checked against ciatteh query --as-of"
A=$T/asof
build_all sentences 2018-2023 "$A" --as-of 2024-04-30
check_all "$A" --as-of 2024-04-30
assert_ne "$(cell "$A" en summary conviction.persons 2022)" "$(cell "$S" en summary conviction.persons 2022)" \
    "before the update, 2022 differs"
assert_eq "$(cell "$A" en summary conviction.persons 2022 | cut -d'|' -f2)" "p" "and was provisional then"
assert_contains "$(cat "$A/en.txt")" "Data as of: 2024-04-30"
assert_not_contains "$(cat "$A/en.txt")" "convictions_2022_2023_update.csv" "a later delivery is not named"
# Before the multi-year deliveries, only the 2020 sample existed.
assert_exit 0 ciatteh report sentences --years 2019-2021 --as-of 2024-02-01 --trace "$T/early.csv" -o "$T/early.txt"
assert_eq "$(awk -F, '$1 == "summary" && $4 == "conviction.persons" { print $8 "=" $13 }' "$T/early.csv" | tr '\n' ' ')" \
    "2019= 2020=4 2021= " "2024-02-01: only the sample's 2020 is known (THB: 4 of its 5)"

t_begin "sentences: same data and --as-of, same bytes (CSV) and same cells (XLSX)"
for l in en fr; do
    assert_exit 0 ciatteh report sentences --years 2018-2023 --lang $l --as-of 2024-04-30 --format csv -o "$T/again.csv"
    assert_exit 0 cmp "$T/again.csv" "$A/$l.csv"
    assert_exit 0 ciatteh report sentences --years 2018-2023 --lang $l --as-of 2024-04-30 --format csv --localized -o "$T/again.csv"
    assert_exit 0 cmp "$T/again.csv" "$A/$l.loc.csv"
    assert_exit 0 ciatteh report sentences --years 2018-2023 --lang $l --as-of 2024-04-30 -o "$T/again.xlsx"
    assert_exit 0 $PY "$HERE/same_cells.py" "$T/again.xlsx" "$A/$l.xlsx"
done
assert_exit 0 ciatteh report sentences --years 2018-2023 --format csv -o "$T/again.csv"
assert_exit 0 cmp "$T/again.csv" "$S/en.csv"

t_begin "sentences: the checks can fail (a wrong figure is caught)"
# One figure changed in each output, and one in the trace: each check
# must notice, or the checks above prove nothing.
sed '2s/,\([0-9][0-9]*\),,/,9\1,,/' "$S/en.csv" >"$T/bad.csv"
assert_exit 1 cmp -s "$T/bad.csv" "$S/en.csv"
assert_exit 1 $PY "$CHECK" --trace "$S/en.trace.csv" --csv "$T/bad.csv"
assert_contains "$OUT" "FAIL"
awk -F, 'BEGIN { OFS = "," } $4 == "conviction.persons" && $8 == 2021 { $13 = $13 + 1 } 1' "$S/en.trace.csv" >"$T/bad.trace.csv"
assert_exit 1 $PY "$CHECK" --cia "$CIA" --trace "$T/bad.trace.csv" --queries
assert_contains "$OUT" "conviction.persons 2021"
assert_exit 1 $PY "$CHECK" --trace "$T/bad.trace.csv" --lang en --xlsx "$S/en.xlsx" --text "$S/en.txt"
