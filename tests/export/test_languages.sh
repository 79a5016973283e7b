#!/bin/sh
# test_languages.sh — no output sentence mixes two languages: every export
# (Eurostat, GRETA, TIP) in French and Dutch, as text and XLSX, read
# sentence by sentence by lang_check.py (English function words beside
# French or Dutch ones); the TIP draft stays wholly English, its table and
# notes follow --lang.
. "$(dirname "$0")/../lib.sh"
. "$HERE/fixtures.sh"

t_begin "the fixture extracts load"
load_fixtures

for l in fr nl; do
    t_begin "--lang $l: no sentence of any export mixes languages"
    # text holds every string the XLSX holds (titles, labels, notes,
    # definitions, the draft); one workbook per language all the same
    for q in eurostat greta tip; do
        assert_exit 0 ciatteh export $q --year 2021 --lang $l --format text -o "$T/$q-$l.txt"
    done
    assert_exit 0 ciatteh export tip --year 2021 --lang $l -o "$T/tip-$l.xlsx"
    assert_exit 0 "$PY" "$HERE/lang_check.py" $l "$T"/*-$l.txt "$T/tip-$l.xlsx"
    assert_match "$OUT" "^checked [0-9]{3,} sentences, 0 mixed$"
done

t_begin "the TIP draft is English, its table and notes are not"
assert_contains "$(cat "$T/tip-fr.txt")" "Authorities investigated 383 cases in 2021"
assert_contains "$(cat "$T/tip-fr.txt")" "The government prosecuted an unknown number of defendants in 95 cases in 2021"
assert_contains "$(cat "$T/tip-fr.txt")" "Affaires instruites, 2021"
assert_contains "$(cat "$T/tip-fr.txt")" "Les chiffres des tribunaux portent sur l'année précédant l'année de rapport"
assert_contains "$(cat "$T/tip-nl.txt")" "Onderzochte zaken, 2021"
assert_contains "$(cat "$T/greta-fr.txt")" "Non collecté par ces sources"
assert_contains "$(cat "$T/eurostat-nl.txt")" "Verdachten worden per geregistreerd feit opgeteld"

t_begin "the check finds a mixed sentence (it can fail)"
printf 'The government prosecuted au moins 170 defendants in 2023, en hausse par rapport à 105 in 2022.\n' >"$T/mixed.txt"
assert_exit 1 "$PY" "$HERE/lang_check.py" fr "$T/mixed.txt"
assert_contains "$OUT" "checked 1 sentences, 1 mixed"
printf 'De overheid vervolgde minstens 170 defendants, an increase from 105.\n' >"$T/mixed.txt"
assert_exit 1 "$PY" "$HERE/lang_check.py" nl "$T/mixed.txt"
