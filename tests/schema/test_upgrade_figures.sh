#!/bin/sh
# test_upgrade_figures.sh — schema/0015 replaces figures() (cheaper keys,
# issue 13's speed), schema/0016 sums conviction items straight from
# the bulletins instead of from convictions_fact's groups (the same
# speed) and schema/0017 reads only the deliveries current for the years
# asked (their partitions pruned when planned); none may change a figure
# or a state: a warehouse whose
# figures() is still 0014's, with none of 0015's and 0016's functions and
# views, and whose ciatteh_migration stops at 14, is upgraded by `db init`,
# and every item's figures() rows are compared
# before and after — by nothing, by each dimension, by centre and each other
# dimension, --where offence and centre, the years the deliveries cover, a
# span reaching undelivered years, two years inside the deliveries,
# current and at an as-of before Sürya's file and before the corrected
# re-delivery of convictions and police for 2019.
# The data has every state: centres that sent nothing for some years
# (n), a year no delivery covers (n, i where admissions spill over), late
# conviction bulletins (p at the earlier as-of), unknown values (u) and
# delivered zeros.
FRESH_CLUSTER=1   # this suite makes its cluster itself (not the template home)
. "$(dirname "$0")/../lib.sh"

need_gen
cd "$T" || exit 1

t_begin "deliveries with every state"
for s in police prosecution inspectorates immigration; do
    "$GEN" "$s" --rows 400 --seed 15 --years 2018-2021 --style quirky -o "$s.csv" || exit 1
    assert_exit 0 ciatteh -q load --loaded-at '2022-04-15 10:00:00' "$s" "$s.csv"
done
"$GEN" convictions --rows 400 --seed 15 --years 2018-2021 -o convictions.csv || exit 1
assert_exit 0 ciatteh -q load --loaded-at '2022-04-15 10:00:00' convictions convictions.csv
"$GEN" shelters --rows 60 --seed 15 --centre PAYOKE --years 2018-2019 -o payoke.csv || exit 1
"$GEN" shelters --rows 60 --seed 16 --centre SURYA --years 2019-2021 -o surya.csv || exit 1
assert_exit 0 ciatteh -q load --loaded-at '2022-04-15 10:00:00' shelters payoke.csv
assert_exit 0 ciatteh -q load --loaded-at '2023-02-01 10:00:00' shelters surya.csv
# Corrections of one year, sent later: the first deliveries stay current
# for their other years (what 0017's list of deliveries must keep); and
# prosecution's cases of 2016-2017, whose decisions reach into 2018 (an
# item counted by a later date: facts of 2018 from a delivery of 2016-2017).
"$GEN" convictions --rows 120 --seed 25 --years 2019-2019 -o convictions_fix.csv || exit 1
assert_exit 0 ciatteh -q load --loaded-at '2023-03-01 10:00:00' convictions convictions_fix.csv
"$GEN" police --rows 120 --seed 25 --years 2019-2019 --style quirky -o police_fix.csv || exit 1
assert_exit 0 ciatteh -q load --loaded-at '2023-03-01 10:00:00' police police_fix.csv
"$GEN" prosecution --rows 200 --seed 17 --years 2016-2017 --style quirky -o prosecution_old.csv || exit 1
assert_exit 0 ciatteh -q load --loaded-at '2022-05-01 10:00:00' prosecution prosecution_old.csv

# Every item's figures() rows for many requests, one line each.
FIGURES="WITH req AS (
    SELECT i.code, b.by, w.wd, w.wc
    FROM item i
    CROSS JOIN LATERAL (SELECT '' UNION ALL SELECT unnest(string_to_array(i.dims, ','))
                        UNION ALL SELECT 'centre,' || d FROM unnest(string_to_array(i.dims, ',')) d
                        WHERE i.dims ~ '(^|,)centre(,|$)' AND d <> 'centre') b(by)
    CROSS JOIN LATERAL (SELECT '', '' UNION ALL
                        SELECT 'offence', 'SMUG' WHERE i.dims ~ '(^|,)offence(,|$)' UNION ALL
                        SELECT 'centre', 'PAYOKE' WHERE i.dims ~ '(^|,)centre(,|$)' UNION ALL
                        SELECT 'centre', 'SURYA,PAGASA' WHERE i.dims ~ '(^|,)centre(,|$)') w(wd, wc)
    WHERE b.by !~ ('(^|,)' || nullif(w.wd, '') || '(,|$)') OR w.wd = '')
SELECT r.code, r.by, r.wd, r.wc, a.d, s.y0, s.y1, f.*
FROM req r,
     (VALUES (NULL::date), ('2022-06-30'::date)) a(d),
     (VALUES (NULL::int, NULL::int), (2016, 2023), (2018, 2019)) s(y0, y1),
     LATERAL figures(r.code, as_of_moment(a.d), s.y0, s.y1, r.by, r.wd, r.wc) f
ORDER BY 1, 2, 3, 4, 5, 6, 7"

t_begin "a warehouse at 0014: figures() as 0014 wrote it"
sql "SELECT max(version) FROM ciatteh_migration" > v.txt
assert_eq "$(cat v.txt)" 17 "this binary's schema"
assert_eq "$(sql "SELECT count(*) FROM pg_views WHERE viewname LIKE 'item\_rows\_%'")" 5 "the conviction items' twins"
sql "$FIGURES" > new.txt
assert_ne "$(wc -l < new.txt)" 0 "figures"
psql -h "$CIATTEH_HOME/pg" -U ciatteh -d ciatteh -Xq -1 -v ON_ERROR_STOP=1 \
    -f "$ROOT/schema/0014_centre_figures.sql" >/dev/null 2>err.txt || _fail "0014 by hand" "$(cat err.txt)"
# (and without what else 0015 adds)
sql "DROP FUNCTION as_of_reference(date); DROP FUNCTION facts_as_of(timestamptz, int, int, text);
     DELETE FROM ciatteh_migration WHERE version = 15" >/dev/null
# (and without 0016: no twin views, figures() reads the items' views only)
sql "DROP FUNCTION figures_rows(text, timestamptz, int, int, text, text, text);
     DROP FUNCTION ciatteh_figures(text, timestamptz, int, int, text, text, text, boolean);
     DO \$\$ DECLARE v text; BEGIN
         FOR v IN SELECT viewname FROM pg_views WHERE viewname LIKE 'item\_rows\_%' LOOP
             EXECUTE format('DROP VIEW %I', v);
         END LOOP; END \$\$;
     DROP TABLE item_source_rows;
     DELETE FROM ciatteh_migration WHERE version IN (16, 17)" >/dev/null
sql "$FIGURES" > old.txt
assert_eq "$(sql "SELECT max(version) FROM ciatteh_migration")" 14 "the warehouse says 0014"
assert_eq "$(sql "SELECT to_regproc('figures_rows')")" "" "no figures_rows()"
# Every state is in the comparison: lower bound, provisional, not
# delivered, incomplete, delivered zero.
assert_ne "$(awk -F'|' '$20 == "t" && $19 > 0' old.txt | head -n 1)" "" "a lower bound"
assert_ne "$(awk -F'|' '$22 == "t"' old.txt | head -n 1)" "" "a provisional year"
assert_ne "$(awk -F'|' '$20 == "f" && $21 == "f"' old.txt | head -n 1)" "" "a year not delivered"
assert_ne "$(awk -F'|' '$21 == "t"' old.txt | head -n 1)" "" "an incomplete year"
assert_ne "$(awk -F'|' '$20 == "t" && $17 == "0"' old.txt | head -n 1)" "" "a delivered zero"

t_begin "this binary upgrades it: every figure and state as they were"
assert_exit 0 ciatteh -v db init
assert_contains "$ERR" "applying schema migration schema/0015_figures_keys.sql"
assert_contains "$ERR" "applying schema migration schema/0016_conviction_rows.sql"
assert_contains "$ERR" "applying schema migration schema/0017_figures_pruned.sql"
assert_eq "$(sql "SELECT count(*) FROM pg_views WHERE viewname LIKE 'item\_rows\_%'")" 5 "the twins made again"
sql "$FIGURES" > upgraded.txt
assert_eq "$(wc -l < upgraded.txt)" "$(wc -l < old.txt)" "as many rows"
assert_eq "$(diff old.txt upgraded.txt | head -n 5)" "" "the same figures() rows"
assert_eq "$(diff new.txt upgraded.txt | head -n 5)" "" "those of a warehouse made at 0017"
