#!/bin/sh
# test_answers.sh — standard answers: every export is recorded (who, when,
# questionnaire, year, as-of, every value and flag, the bytes sent);
# `answers --show` gives back exactly what was sent; after a revision of
# the conviction data `answers --diff` names exactly the changed cells; an
# export with the recorded as-of reproduces the old answer exactly.
. "$(dirname "$0")/../lib.sh"
. "$HERE/fixtures.sh"

t_begin "the fixture extracts load"
load_fixtures

t_begin "every export is recorded: questionnaire, year, as-of, who, when, every cell"
assert_exit 0 ciatteh export eurostat --year 2020 --as-of 2022-02-15 -o "$T/first.sdmx.csv"
assert_exit 0 ciatteh export eurostat --year 2020 --as-of 2022-02-15 -o "$T/first.xlsx"
assert_exit 0 ciatteh answers --format csv
assert_eq "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" 3 "a header and two answer sets"
assert_match "$OUT" "^1,eurostat,2020,2022-02-15,2022-02-15 23:59:59,[0-9-]+ [0-9:]+,ciatteh.*,sdmx-csv,$T/first.sdmx.csv,250,[0-9]+,"
assert_match "$OUT" "^2,eurostat,2020,2022-02-15,.*,xlsx,$T/first.xlsx,250,"
assert_eq "$(sql 'SELECT count(*) FROM answer_value WHERE set_id = 1')" 250 "every cell kept"
# Convictions #1 and #8, prosecution #2, police #3, the centres #5-7; not
# immigration (#4): Eurostat's questionnaire reads nothing of it.
assert_eq "$(sql "SELECT deliveries FROM answer_set WHERE id = 1")" "1,2,3,5,6,7,8" "the deliveries read"
assert_eq "$(sql "SELECT value || '/' || flags FROM answer_value WHERE set_id = 1 AND answer = 'offenders_sex.CONV.M'")" "100/"
assert_eq "$(sql "SELECT coalesce(value::text, '-') || '/' || flags || '/' || raw_value FROM answer_value
                  WHERE set_id = 1 AND answer = 'offenders_sex.CONV.UNK'")" "-/c/2" "withheld: no value published, the true one kept"
assert_exit 0 ciatteh answers
assert_contains "$OUT" "exported_by"

t_begin "answers --show ID -o FILE gives back the exact bytes sent"
assert_exit 0 ciatteh answers --show 1 -o "$T/back.csv"
assert_exit 0 cmp "$T/first.sdmx.csv" "$T/back.csv"
assert_exit 0 ciatteh answers --show 2 -o "$T/back.xlsx"
assert_exit 0 cmp "$T/first.xlsx" "$T/back.xlsx"

t_begin "answers --show ID: the values and flags as published"
assert_exit 0 ciatteh answers --show 1 --format csv
printf '%s\n' "$OUT" >"$T/show1.csv"
cat >"$T/cmp.py" <<'PYEOF'
import csv, sys
shown = {r["sdmx_key"]: (r["value"], r["flags"]) for r in csv.DictReader(open(sys.argv[1]))}
sdmx = list(csv.reader(open(sys.argv[2])))
bad = 0
for r in sdmx[1:]:
    key = ",".join(r[1:9])
    v, f = shown[key]
    if v != r[10] or ("c" in f) != (r[12] in ("A", "D")):
        print("differs", key, (v, f), r[10:]); bad += 1
print("compared", len(sdmx) - 1, "bad", bad)
sys.exit(1 if bad else 0)
PYEOF
assert_exit 0 "$PY" "$T/cmp.py" "$T/show1.csv" "$T/first.sdmx.csv"
assert_contains "$OUT" "compared 204 bad 0"

t_begin "revised conviction data: answers --diff names exactly the changed cells"
load_revision
assert_exit 0 ciatteh query conviction.persons --year 2020 --where offence=THB
assert_contains "$OUT" "conviction.persons,2020,123," "three more persons convicted in 2020"
assert_exit 0 ciatteh answers --diff eurostat --year 2020 --format csv
# Which cells are published depends on the release's suppression; these
# the three bulletins (men, sexual exploitation, Romanian) change whatever it withholds.
DIFF=$(printf '%s\n' "$OUT" | tail -n +2 | cut -d, -f5,6,10,11,12,13 | sort)
assert_contains "$DIFF" "offenders_sex.CONV.M,changed,100,,103,"
assert_contains "$DIFF" "convicted_form_sex.SEX.M,changed,41,,44,"
assert_contains "$DIFF" "convicted_citizenship_sex.EU.M,changed,54,,57,"
assert_not_contains "$DIFF" ".F,changed" "no woman's cell changes"
assert_exit 0 ciatteh answers --diff eurostat --year 2020
assert_contains "$OUT" "eurostat 2020: answer set #2"
assert_match "$OUT" ": [0-9]+ cells changed"
assert_match "$OUT" "changed +offenders_sex.CONV.M +conviction.persons 2020 offence=THB sex=M: 100 → 103"

t_begin "the diff can fail: nothing changed, nothing named"
assert_exit 0 ciatteh answers --diff tip
assert_contains "$OUT" "no answers recorded for tip"
assert_exit 0 ciatteh export eurostat --year 2020 --format sdmx-csv -o "$T/now.csv"
assert_exit 0 ciatteh answers --diff eurostat --year 2020 --format csv
assert_eq "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" 1 "the header only: the last submission is the data now"

t_begin "re-exporting with the recorded as-of reproduces the old answer exactly"
assert_exit 0 ciatteh export eurostat --year 2020 --as-of 2022-02-15 -o "$T/again.sdmx.csv"
assert_exit 0 cmp "$T/first.sdmx.csv" "$T/again.sdmx.csv"
assert_exit 1 cmp -s "$T/first.sdmx.csv" "$T/now.csv"
set_id=$(ciatteh answers --format csv | tail -n 1 | cut -d, -f1)
assert_exit 0 ciatteh answers --show "$set_id" --format csv
assert_eq "$OUT" "$(cat "$T/show1.csv")" "the same values and flags, cell by cell"

t_begin "two recorded answer sets compared"
assert_exit 0 ciatteh answers --diff 1 3 --format csv
assert_eq "$(printf '%s\n' "$OUT" | tail -n +2 | cut -d, -f5 | sort | tr '\n' ' ')" \
    "$(printf '%s\n' "$DIFF" | cut -d, -f1 | tr '\n' ' ')"

t_begin "answers are kept as sent: no update, no delete"
run sql "UPDATE answer_set SET threshold = 9 WHERE id = 1"
assert_ne "$RC" 0 "update refused"
assert_contains "$ERR" "standard answers are kept as sent"
run sql "DELETE FROM answer_value WHERE set_id = 1"
assert_ne "$RC" 0 "delete refused"
assert_eq "$(sql 'SELECT count(*) FROM answer_value WHERE set_id = 1')" 250

t_begin "an export that cannot be written is not recorded"
n=$(sql 'SELECT count(*) FROM answer_set')
assert_exit 73 ciatteh export eurostat --year 2020 -o "$T/no/such/dir/e.xlsx"
assert_exit 73 ciatteh export eurostat --year 2020 --format csv -o "$T/no/such/dir/e.csv"
assert_eq "$(sql 'SELECT count(*) FROM answer_set')" "$n" "nothing recorded"
assert_exit 64 ciatteh answers --show 999
assert_contains "$ERR" "no answer set #999"
