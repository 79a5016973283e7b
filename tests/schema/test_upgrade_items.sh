#!/bin/sh
# test_upgrade_items.sh — items declared as data (schema/0012_items.sql):
# a warehouse at schema 0007, whose item views were written by hand,
# upgrades to the views generated from schema/seed/item.csv with every
# figure and the year rule as they were; and a new item is added by one
# declaration (one row of `item`, as item.csv's seeding writes it) and
# queried like the others.
FRESH_CLUSTER=1   # this suite makes its cluster itself (not the template home)
. "$(dirname "$0")/../lib.sh"

PGD=$CIATTEH_HOME/pg
need_gen
cd "$T" || exit 1
SERVICES="police prosecution inspectorates shelters convictions immigration"
# Items declared after 0007 (shelter.victims_presumed, issue 15) had no
# figure before the upgrade: the comparison is over 0007's eighteen.
NEW_ITEMS="'shelter.victims_presumed'"
FIGURES="SELECT item, year, offence, form, sex, age_group, citizenship, nationality, district, centre,
                referrer, sector, inspectorate, decision, sentence_band, suspension, document,
                sum(value), sum(n_records), sum(n_unknown)
         FROM item_fact WHERE item NOT IN ($NEW_ITEMS) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17
         ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17"
YEARRULE="SELECT string_agg(code || '=' || item_in_delivery_year(code), ' ' ORDER BY code) FROM item
          WHERE code NOT IN ($NEW_ITEMS)"
OLD="host=$PGD dbname=cia_old user=ciatteh"

t_begin "deliveries loaded by this binary"
for s in $SERVICES; do
    "$GEN" "$s" --rows 1500 --seed 41 --years 2017-2022 --style quirky -o "$s.csv" || exit 1
    assert_exit 0 "$CIA" load "$s" "$s.csv"
done
sql "$FIGURES" > new.txt
assert_ne "$(wc -l < new.txt)" 0 "figures"

t_begin "a warehouse at 0007: migrations by hand, its seeds, the same groups"
createdb -h "$PGD" -U ciatteh cia_old || _fail "createdb cia_old"
sql "CREATE TABLE ciatteh_migration (version integer PRIMARY KEY, name text NOT NULL,
         sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
     CREATE TABLE ciatteh_seed (path text PRIMARY KEY, sha256 text NOT NULL,
         loaded_at timestamptz NOT NULL DEFAULT now())" cia_old >/dev/null
for m in $(cd "$ROOT" && ls schema/000[1-7]_*.sql | sort); do
    psql -h "$PGD" -U ciatteh -d cia_old -Xq -1 -v ON_ERROR_STOP=1 -f "$ROOT/$m" >/dev/null 2>"$T/old.err" ||
        _fail "applying $m by hand" "$(cat "$T/old.err")"
    v=$(basename "$m" | cut -d_ -f1 | sed 's/^0*//')
    sql "INSERT INTO ciatteh_migration (version, name, sha256)
         VALUES ($v, '$m', '$(sha256sum "$ROOT/$m" | cut -d' ' -f1)')" cia_old >/dev/null
done
# Every table from the loaded database, in the old one's columns (the
# seeds' new columns are left behind: item had none of them at 0007).
copy() {
    cols=$(sql "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
                FROM information_schema.columns WHERE table_name = '$1'" cia_old)
    psql -h "$PGD" -U ciatteh -d ciatteh -XAtq -c "COPY (SELECT $cols FROM $1) TO STDOUT" |
        psql -h "$PGD" -U ciatteh -d cia_old -Xq -v ON_ERROR_STOP=1 -c "COPY $1 ($cols) FROM STDIN" ||
        _fail "copying $1"
}
for t in service item dimension code code_alias country_alias eu_member delivery delivery_year \
         police_group prosecution_group inspectorates_group shelters_group immigration_group; do
    copy "$t"
done
# The records too: the upgrade re-derives every delivery's groups from them.
for s in $SERVICES; do
    sql "CREATE TABLE ${s}_record_all PARTITION OF ${s}_record FOR VALUES FROM (1) TO (MAXVALUE)" cia_old >/dev/null
    copy "${s}_record"
done
assert_eq "$(sql "SELECT count(*) FROM pg_views WHERE viewname LIKE 'item_fact%'" cia_old)" 19 "0007's 18 views and their union"
sql "$FIGURES" cia_old > old.txt
assert_eq "$(diff old.txt new.txt | head -n 5)" "" "0007's hand-written views give the generated views' figures"
sql "$YEARRULE" cia_old > old_rule.txt
assert_contains "$(cat old_rule.txt)" "shelter.victims_admitted=false"

t_begin "this binary upgrades it: every figure and the year rule as they were"
assert_exit 0 "$CIA" --db "$OLD" -v db init
assert_contains "$ERR" "applying schema migration schema/0012_items.sql"
sql "$FIGURES" cia_old > upgraded.txt
assert_eq "$(diff old.txt upgraded.txt | head -n 5)" "" "the same figures"
assert_eq "$(sql "$YEARRULE" cia_old)" "$(cat old_rule.txt)" "item_in_delivery_year"
assert_eq "$(sql "SELECT count(*) FROM pg_class WHERE relname IN ('convictions_group_c', 'immigration_group_c')
                  OR relname LIKE 'item\_fact\_%' AND relkind = 'v' AND NOT reloptions @> '{security_invoker=true}'" cia_old)" 0 \
    "dead views gone, every item view with its reader's rights"
assert_eq "$(sql "SELECT count(*) FROM pg_proc WHERE proname IN ('citizenship', 'age_group')" cia_old)" 0 "dead functions gone"
assert_exit 0 "$CIA" --db "$OLD" query conviction.prison --year 2020 --by suspension
assert_contains "$OUT" "PARTIAL"

t_begin "a new item by one declaration: shelter victims admitted, minors only"
sql "INSERT INTO item (code, sort, service, unit, year_rule, dims, kind, provisional,
                       source, year, value, unknown, filter, columns,
                       label_en, label_fr, label_nl, def_en, def_fr, def_nl)
     VALUES ('shelter.minors_admitted', 19, 'shelters', 'persons', 'admission_date',
             'centre,referrer,sex,citizenship,nationality,form', 'count', 'none',
             'shelters_group', 'admission_year', 'n', '0', 'admitted AND age_group = ''MINOR''',
             'centre=scope; referrer=coalesce(referred_by, ''UNK'')',
             'Minors taken into care', 'Mineurs accueillis', 'Opgenomen minderjarigen', 'd', 'd', 'd');
     SELECT ciatteh_build_items()" > /dev/null || _fail "declaring the item"
want=$(sql "SELECT sum(value) FROM item_fact_shelter_victims_admitted WHERE year = 2021 AND age_group = 'MINOR'")
assert_ne "$want" "" "minors admitted in 2021"
assert_exit 0 ciatteh query shelter.minors_admitted --year 2021
assert_match "$OUT" "^shelter.minors_admitted,2021,$want,"
assert_exit 0 ciatteh query shelter.minors_admitted --year 2021 --by sex
assert_match "$OUT" "^shelter.minors_admitted,2021,F,"
assert_eq "$(sql "SELECT sum(value) FROM item_fact WHERE item = 'shelter.minors_admitted' AND year = 2021")" "$want" "in item_fact too"
assert_eq "$(sql "SELECT item_in_delivery_year('shelter.minors_admitted')")" f "counted by the admission year: not always in the delivery's"
assert_exit 64 ciatteh query shelter.minors_admitted --year 2021 --by age_group
assert_contains "$ERR" "has no dimension 'age_group'"

t_begin "a police item by district, declared the same way"
sql "INSERT INTO item (code, sort, service, unit, year_rule, dims, kind, provisional,
                       source, year, value, unknown, label_en, label_fr, label_nl, def_en, def_fr, def_nl)
     VALUES ('police.facts_by_district', 20, 'police', 'facts', 'registration_date', 'district', 'count', 'none',
             'police_group', 'dyear', 'n', '0', 'Facts', 'Faits', 'Feiten', 'd', 'd', 'd');
     SELECT ciatteh_build_items()" > /dev/null || _fail "declaring the item"
assert_exit 0 ciatteh query police.facts_by_district --year 2020
assert_eq "$(printf '%s\n' "$OUT" | sed -n 2p | cut -d, -f3)" \
    "$(sql "SELECT sum(value) FROM item_fact_police_facts WHERE year = 2020")" "the same total as police.facts"
assert_eq "$(sql "SELECT item_in_delivery_year('police.facts_by_district')")" t "counted by the delivery's year"

t_begin "a declaration with a mistake is refused, naming the item"
run sql "UPDATE item SET columns = 'nonsense' WHERE code = 'police.facts_by_district'; SELECT ciatteh_build_items()"
assert_contains "$ERR$OUT" "police.facts_by_district"
