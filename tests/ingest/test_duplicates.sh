#!/bin/sh
# test_duplicates.sh — duplicate records are found exactly, whatever the
# Bloom filter says.  CIATTEH_TEST_BLOOM_BLOCKS=1 shrinks the filter to one
# block, so that nearly every record of a small file is a false candidate
# (as a few dozen are in a 10 M-row file): the database must clear them
# (no second read), a true duplicate must still be named with its line and
# the line it repeats, and nothing may load; --keep-going and --dry-run,
# which confirm by reading the file again, must agree.
. "$(dirname "$0")/../lib.sh"

need_gen

cd "$T" || exit 1
"$GEN" police --rows 3000 --seed 5 --years 2019-2020 -o clean.csv || exit 1
{ cat clean.csv; sed -n 2p clean.csv; } > dup.csv          # line 3002 repeats line 2
ref=$(sed -n 2p clean.csv | cut -d';' -f2)
deliveries() { sql "SELECT count(*) || '/' || (SELECT count(*) FROM police_record) FROM delivery"; }

t_begin "false candidates only: cleared in the database, the file loads"
assert_exit 0 env CIATTEH_TEST_BLOOM_BLOCKS=1 "$CIA" -v load police clean.csv
assert_match "$ERR" "clean.csv: [0-9]+ duplicate candidates of the Bloom filter, none a duplicate \(checked in the database\)"
assert_eq "$(deliveries)" "1/3000" "one delivery, every record"

t_begin "a true duplicate among them: named, nothing loaded"
before=$(deliveries)
assert_exit 65 env CIATTEH_TEST_BLOOM_BLOCKS=1 "$CIA" -v load police dup.csv
assert_contains "$ERR" "duplicates among them: reading the file again to name them"
assert_contains "$ERR" "dup.csv:3002:feit_ref: duplicate record: the same feit_ref as line 2"
assert_contains "$ERR" "rejected, 1 problem: nothing was loaded"
assert_eq "$(deliveries)" "$before" "the database is as before"

t_begin "the same without shrinking the filter"
assert_exit 65 "$CIA" load police dup.csv
assert_contains "$ERR" "dup.csv:3002:feit_ref: duplicate record: the same feit_ref as line 2"
assert_eq "$(deliveries)" "$before" "the database is as before"

t_begin "--dry-run confirms by reading again: the same message"
assert_exit 65 env CIATTEH_TEST_BLOOM_BLOCKS=1 "$CIA" load --dry-run police dup.csv
assert_contains "$ERR" "dup.csv:3002:feit_ref: duplicate record: the same feit_ref as line 2"

t_begin "--keep-going: the later duplicate is rejected, the rest loads"
assert_exit 0 env CIATTEH_TEST_BLOOM_BLOCKS=1 "$CIA" load --keep-going --rejects rej.csv police dup.csv
assert_eq "$(sql "SELECT rows FROM delivery WHERE file_name = 'dup.csv'")" 3000 "3000 records of 3001"
assert_contains "$(cat rej.csv)" "$ref" "the duplicate is in the rejects file"
