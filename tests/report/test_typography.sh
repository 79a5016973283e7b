#!/bin/sh
# test_typography.sh — French outputs follow French typography (a no-break
# space before ; : ! ? » and after «), whoever wrote the words: the words
# catalogue, item labels, questionnaire definitions, check rules, composed
# source lines.  Checked from outside by typography.py on the terminal
# text, the localized CSV, the checks and the questionnaire answers; the
# English and Dutch outputs keep their own rules (no space before a colon).
. "$(dirname "$0")/../lib.sh"
. "$HERE/common.sh"

t_begin "fixtures load"
run load_fixtures
assert_eq "$RC" 0 "every fixture loads" || echo "$OUT$ERR"

t_begin "the checker finds what breaks the rules (it can fail)"
printf 'L\303\251gende: (u) borne; (p) provisoire\nles \302\253enqu\303\252tes\302\273 ?\n' >"$T/bad.text"
assert_exit 1 "$PY" "$HERE/typography.py" "$T/bad.text"
assert_contains "$OUT" "checked 1 files, 5 problems"

t_begin "French: reports (text, localized CSV), checks, questionnaire answers"
for r in yoy sentences victims; do
    assert_exit 0 ciatteh report "$r" --years 2019-2023 --lang fr -o "$T/$r.txt"
    assert_exit 0 ciatteh report "$r" --years 2019-2023 --lang fr --format csv --localized -o "$T/$r.csv"
done
run ciatteh check --years 2019-2023 --lang fr
printf '%s\n' "$OUT" >"$T/check.txt"
assert_contains "$OUT" "avertissement"
for q in greta eurostat; do
    assert_exit 0 ciatteh export "$q" --year 2021 --lang fr --format text -o "$T/$q.txt"
done
assert_exit 0 "$PY" "$HERE/typography.py" "$T"/*.txt "$T"/*.csv
assert_contains "$OUT" "checked 9 files, 0 problems"

t_begin "English and Dutch keep their own punctuation"
assert_exit 0 ciatteh report yoy --years 2019-2023 --lang en
assert_contains "$OUT" "Legend: "
assert_exit 0 ciatteh report yoy --years 2019-2023 --lang nl
assert_contains "$OUT" "Legenda: "
