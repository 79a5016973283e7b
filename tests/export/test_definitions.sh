#!/bin/sh
# test_definitions.sh — questionnaires are data: the compiled-in ones are
# listed; a new questionnaire is a definition file (no C); a broken one is
# refused with file:line and nothing is recorded; usage errors.
. "$(dirname "$0")/../lib.sh"
. "$HERE/fixtures.sh"

t_begin "export --list names the questionnaires, their formats and thresholds"
assert_exit 0 ciatteh export --list
assert_match "$OUT" '^eurostat +3 +xlsx, csv, sdmx-csv, text +Eurostat data collection'
assert_match "$OUT" '^greta +3 +xlsx, csv, text '
assert_match "$OUT" '^tip +3 +xlsx, csv, text '
assert_exit 0 ciatteh --help
assert_contains "$OUT" "export"
assert_contains "$OUT" "answers"

t_begin "an unknown questionnaire: exit 64, naming those there are"
assert_exit 64 ciatteh export nosuch --year 2021
assert_contains "$ERR" "unknown questionnaire 'nosuch'; questionnaires: eurostat, greta, tip"

t_begin "the fixture extracts load"
load_fixtures

t_begin "a new questionnaire is a definition file: no C"
cat >"$T/centres.q" <<'QEOF'
# centres.q — victims by specialised centre and sex
questionnaire centres
title "Victims taken into care, by centre"
suppress 0
table centres "Victims taken into care by centre and sex"
  use item=shelter.victims_admitted
  row PAGASA "Pag-Asa" centre=PAGASA
  row PAYOKE "Payoke"  centre=PAYOKE
  row SURYA  "Sürya"   centre=SURYA
  row T      "Total"
  col F "Women" sex=F
  col M "Men"   sex=M
  col T "Total"
QEOF
# Written to a file: only a written export records an answer set (issue 14).
assert_exit 0 ciatteh export "$T/centres.q" --year 2021 --format csv -o "$T/centres.csv"
OUT=$(cat "$T/centres.csv")
# Counted straight from the centres' files, independently of the warehouse.
for c in pagasa payoke surya; do
    n=$(awk -F';' '$9 == "yes" && substr($10, 1, 4) == "2021"' "$FIX/shelter_${c}_2021.csv" | wc -l | tr -d ' ')
    f=$(awk -F';' '$9 == "yes" && substr($10, 1, 4) == "2021" && $5 == "F"' "$FIX/shelter_${c}_2021.csv" | wc -l | tr -d ' ')
    assert_match "$OUT" "^[^,]+,$f,,[0-9]+,,$n,\$"
done
assert_contains "$OUT" "Sürya,"
assert_exit 0 ciatteh answers centres --format csv
assert_match "$OUT" "^[0-9]+,centres,2021,current,"

t_begin "a broken definition: file:line:column: message (also what is found after reading: at the word), exit 65, nothing recorded"
n=$(sql 'SELECT count(*) FROM answer_set')
printf 'questionnaire bad\ntitle "x"\ntabel t "T"\n' >"$T/bad.q"
assert_exit 65 ciatteh export "$T/bad.q" --year 2021
assert_contains "$ERR" "$T/bad.q:3:1: unknown line 'tabel'"
printf 'questionnaire bad\ntitle "x"\ntable t "T"\n  use item=police.facts\n  row A "A" offence=THB\n  col F "F" sex=F\n' >"$T/bad.q"
assert_exit 65 ciatteh export "$T/bad.q" --year 2021
assert_contains "$ERR" "$T/bad.q:6:13: cell t.A.F: item police.facts has no dimension 'sex'"
printf 'questionnaire bad\ntitle "x"\ntable t "T"\n  use item=police.facts\n  row A "A"\n  col v "V"\ntext d "D"\n  sentence "{nope} facts"\n' >"$T/bad.q"
assert_exit 65 ciatteh export "$T/bad.q" --year 2021
assert_contains "$ERR" "$T/bad.q:8:14: sentence: no answer 'nope'"
printf 'questionnaire bad\ntitle "x"\ntable t "T"\n  use item=police.facts\n  row A "A"\n  col v "V"\n  na B v\n' >"$T/bad.q"
assert_exit 65 ciatteh export "$T/bad.q" --year 2021
assert_contains "$ERR" "$T/bad.q:7:6: na: table t has no row 'B'"
printf 'questionnaire other\ntitle "x"\ntable t "T"\n  use item=police.facts\n  row A "A"\n  col v "V"\n' >"$T/bad.q"
assert_exit 65 ciatteh export "$T/bad.q" --year 2021
assert_contains "$ERR" "$T/bad.q:1:15: questionnaire 'other' in a file named bad.q: name the file other.q"
printf 'questionnaire bad\ntitle "x"\ntable t "T"\n  use item=police.nothing\n  row A "A"\n  col v "V"\n' >"$T/bad.q"
assert_exit 65 ciatteh export "$T/bad.q" --year 2021
assert_contains "$ERR" "$T/bad.q:4:12: table t: unknown item 'police.nothing'"
assert_eq "$(sql 'SELECT count(*) FROM answer_set')" "$n" "nothing recorded"

t_begin "usage errors"
assert_exit 64 ciatteh export eurostat
assert_contains "$ERR" "--year is required"
assert_exit 64 ciatteh export eurostat --year 2021 --format xlsx
assert_contains "$ERR" "xlsx output needs a file name (-o FILE)"
assert_exit 64 ciatteh export eurostat --year 2021 --format pdf
assert_exit 64 ciatteh export eurostat --year 2021 --as-of 2021-13-01
assert_exit 64 ciatteh export eurostat --year 2021 --suppress many
assert_exit 64 ciatteh answers --show 1 --diff
