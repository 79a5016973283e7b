#!/bin/sh
# test_groups.sh — the groups the loader counts while it reads a file
# (etl/group.c, from the spec's group lines) are the groups the server
# builds from the stored records (group_SERVICE(), schema/groups.sql made
# from the same lines by etl/group_sql.c): for every service, every item,
# year and breakdown, and for the registration delay of convictions.
# Also when the loader's memory for groups is tiny, so that they are
# written to its temporary file many times over (CIATTEH_TEST_GROUP_MEMORY),
# and when --keep-going takes duplicates back out (then the server counts).
. "$(dirname "$0")/../lib.sh"

need_gen
cd "$T" || exit 1

# The items of delivery D, summed per item, year and every dimension.
FIGURES="SELECT item, year, offence, form, sex, age_group, citizenship, nationality, district, centre,
                referrer, sector, inspectorate, decision, sentence_band, suspension, document,
                sum(value) AS v, sum(n_records) AS n, sum(n_unknown) AS u
         FROM item_fact WHERE delivery_id = %s GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17"

# same_as_server SERVICE D — the loader's figures of D equal those of
# the server's re-derivation from the records; prints what differs.
same_as_server() {
    q=$(printf "$FIGURES" "$2")
    sql "CREATE TABLE loaded_$2 AS $q;
         CREATE TABLE loaded_lag_$2 AS SELECT reference_date, lag_p95_days FROM delivery WHERE id = $2;
         SELECT derive_items($2);" > /dev/null || { echo "the server could not re-derive"; return 1; }
    sql "SELECT 'loader only: ' || l::text FROM (TABLE loaded_$2 EXCEPT $q) l
         UNION ALL SELECT 'server only: ' || s::text FROM ($q EXCEPT TABLE loaded_$2) s
         UNION ALL SELECT 'delay: ' || l::text || ' <> ' || d::text
           FROM loaded_lag_$2 l, (SELECT reference_date, lag_p95_days FROM delivery WHERE id = $2) d
           WHERE l IS DISTINCT FROM d
         LIMIT 5" 2>&1
}

for svc in police prosecution inspectorates shelters convictions immigration; do
    t_begin "$svc: the loader's groups are the server's"
    "$GEN" "$svc" --rows 4000 --seed 11 --years 2015-2023 --style quirky -o "$svc.csv" || exit 1
    assert_exit 0 "$CIA" load "$svc" "$svc.csv"
    d=$(sql "SELECT max(id) FROM delivery")
    assert_ne "$(sql "SELECT count(*) FROM item_fact WHERE delivery_id = $d")" 0 "items derived"
    assert_eq "$(same_as_server "$svc" "$d")" "" "no figure differs"
done

t_begin "groups spilled to a temporary file many times: the same figures"
"$GEN" shelters --rows 6000 --seed 12 --years 2010-2023 -o spill.csv || exit 1
assert_exit 0 env CIATTEH_TEST_GROUP_MEMORY=2048 "$CIA" -v load shelters spill.csv
d=$(sql "SELECT max(id) FROM delivery")
assert_match "$ERR" "groups: [0-9]+ rows, [1-9][0-9]* of them spilled"
g=$(sql "SELECT count(*) FROM shelters_group WHERE delivery_id = $d")
k=$(sql "SELECT count(*) FROM (SELECT DISTINCT scope, referral_year, admitted, admission_year, referred_by,
                                sex, age_group, nationality, form FROM shelters_group WHERE delivery_id = $d) x")
[ "$g" -gt "$k" ] && _pass "written in several parts ($g rows for $k groups)" ||
    _fail "expected a key in several rows after spills ($g rows, $k groups)"
assert_eq "$(same_as_server shelters "$d")" "" "no figure differs"

t_begin "--keep-going with a duplicate taken back out: counted by the server"
"$GEN" police --rows 2000 --seed 13 --years 2018-2019 -o kg.csv || exit 1
{ cat kg.csv; sed -n 2p kg.csv; } > kgdup.csv
assert_exit 0 "$CIA" load --keep-going --rejects kgrej.csv police kgdup.csv
d=$(sql "SELECT max(id) FROM delivery")
assert_eq "$(sql "SELECT sum(n_records) FROM item_fact WHERE delivery_id = $d AND item = 'police.facts'")" 2000 \
    "2000 facts, the duplicate not counted"
assert_eq "$(same_as_server police "$d")" "" "no figure differs"
