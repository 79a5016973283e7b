#!/bin/sh
# test_shelters.sh — one stray row must not replace another centre's year
# (issue 18, attack 6): a Payoke file with a row labelled "Surya" is
# refused (65, file:line:column), and Sürya's figures stay as they were.
. "$(dirname "$0")/../lib.sh"
need_gen

D=$T/sh
mkdir -p "$D"
"$GEN" shelters --centre SURYA --rows 23 --seed 2 --years 2016-2016 --style plain -o "$D/surya_2016.csv"
"$GEN" shelters --centre PAYOKE --rows 40 --seed 3 --years 2016-2016 --style plain -o "$D/payoke_2016.csv"
# the Payoke file's last row, its centre written "Surya"
n=$(wc -l <"$D/payoke_2016.csv")
sed "${n}s/^PAYOKE;/Surya;/" "$D/payoke_2016.csv" >"$D/payoke_stray.csv"
ref() { ciatteh query shelter.referrals --by centre --year 2016 | sort; }

t_begin "Sürya's 2016 loads"
assert_exit 0 ciatteh load shelters "$D/surya_2016.csv"
BEFORE=$(ref)
assert_match "$BEFORE" "^shelter.referrals,2016,SURYA,23," "23 referrals at Sürya"

t_begin "a Payoke file with one Surya row: refused (65), located"
assert_exit 65 ciatteh load shelters "$D/payoke_stray.csv"
assert_contains "$ERR" "payoke_stray.csv:$n:centre: SURYA where the file's first record (line 2) says PAYOKE: one file holds one centre's data"
assert_eq "$(sql "SELECT count(*) FROM delivery WHERE file_name = 'payoke_stray.csv'")" 0 "nothing loaded"

t_begin "with --keep-going the stray row is left out (a partial delivery), never a replacement of Sürya's year"
assert_exit 0 ciatteh load --keep-going --rejects "$D/stray.rejects.csv" shelters "$D/payoke_stray.csv"
assert_contains "$(cat "$D/stray.rejects.csv")" "one file holds one centre's data"
assert_eq "$(sql "SELECT string_agg(DISTINCT scope, ',') FROM delivery_year y JOIN delivery d ON d.id = y.delivery_id WHERE d.file_name = 'payoke_stray.csv'")" \
          PAYOKE "the delivery covers Payoke alone"
assert_eq "$(ref | grep SURYA)" "$(printf '%s\n' "$BEFORE" | grep SURYA)" "Sürya's referrals unchanged"
