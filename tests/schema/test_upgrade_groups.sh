#!/bin/sh
# test_upgrade_groups.sh — a warehouse with deliveries from before
# schema/0007_groups.sql (records in plain tables, item facts in a table)
# upgrades to record partitions and item groups with every figure as it
# was, and takes new deliveries in partitions of their own.  Items added
# to the catalogue since 0006 (shelter.victims_presumed, by
# schema/seed/item.csv) are new figures, not changed ones: the old
# warehouse is compared on the items it had, and once upgraded it must
# hold exactly what this binary derives from the same records, new items
# included.
#
# The old warehouse is built here the way the old binary built it: the
# migrations up to 0006 applied by hand, the same records (copied from a
# database loaded by this binary), and the old derive_items() writing the
# old item_fact table.
FRESH_CLUSTER=1   # this suite makes its cluster itself (not the template home)
. "$(dirname "$0")/../lib.sh"

PGD=$CIATTEH_HOME/pg
need_gen
cd "$T" || exit 1
SERVICES="police prosecution inspectorates shelters convictions immigration"
# Every item's figures, per year and every dimension.
FIGURES="SELECT item, year, offence, form, sex, age_group, citizenship, nationality, district, centre,
                referrer, sector, inspectorate, decision, sentence_band, suspension, document,
                sum(value), sum(n_records), sum(n_unknown)
         FROM item_fact GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17
         ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17"

t_begin "the same deliveries, loaded by this binary"
for s in $SERVICES; do
    "$GEN" "$s" --rows 2500 --seed 31 --years 2016-2022 --style quirky -o "$s.csv" || exit 1
    assert_exit 0 "$CIA" load "$s" "$s.csv"
done
"$GEN" police --rows 1500 --seed 32 --years 2021-2022 -o police2.csv || exit 1
assert_exit 0 "$CIA" load police police2.csv
sql "$FIGURES" > new.txt
assert_ne "$(wc -l < new.txt)" 0 "figures"

t_begin "an old warehouse: migrations up to 0006, its facts derived the old way"
createdb -h "$PGD" -U ciatteh cia_old || _fail "createdb cia_old"
sql "CREATE TABLE ciatteh_migration (version integer PRIMARY KEY, name text NOT NULL,
         sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
     CREATE TABLE ciatteh_seed (path text PRIMARY KEY, sha256 text NOT NULL,
         loaded_at timestamptz NOT NULL DEFAULT now())" cia_old >/dev/null
for m in $(cd "$ROOT" && ls schema/000[1-6]_*.sql | sort); do
    psql -h "$PGD" -U ciatteh -d cia_old -Xq -1 -v ON_ERROR_STOP=1 -f "$ROOT/$m" >/dev/null 2>"$T/old.err" ||
        _fail "applying $m by hand" "$(cat "$T/old.err")"
    v=$(basename "$m" | cut -d_ -f1 | sed 's/^0*//')
    sql "INSERT INTO ciatteh_migration (version, name, sha256)
         VALUES ($v, '$m', '$(sha256sum "$ROOT/$m" | cut -d' ' -f1)')" cia_old >/dev/null
done
# The same deliveries, years, records and EU membership, row for row.
copy() {   # copy TABLE: from the loaded database into the old one (the old one's columns)
    cols=$(sql "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
                FROM information_schema.columns WHERE table_name = '$1'" cia_old)
    psql -h "$PGD" -U ciatteh -d ciatteh -XAtq -c "COPY (SELECT $cols FROM $1) TO STDOUT" |
        psql -h "$PGD" -U ciatteh -d cia_old -Xq -v ON_ERROR_STOP=1 -c "COPY $1 FROM STDIN" ||
        _fail "copying $1"
}
for t in eu_member delivery delivery_year; do copy "$t"; done
for s in $SERVICES; do copy "${s}_record"; done
sql "SELECT setval('delivery_id_seq', (SELECT max(id) FROM delivery));
     SELECT count(derive_items(id)) FROM delivery" cia_old >/dev/null ||
    _fail "the old derivation"
assert_eq "$(sql "SELECT relkind FROM pg_class WHERE relname = 'item_fact'" cia_old)" r "item_fact: the old table"
sql "$FIGURES" cia_old > old.txt
# old_items < FIGURES — the lines of the items the old warehouse had (its
# derive_items() names each one; its item table was seeded by the binary)
cut -d'|' -f1 old.txt | sort -u > old_items.txt
old_items() { awk -F'|' 'NR == FNR { has[$1] = 1; next } has[$1]' old_items.txt -; }
assert_eq "$(wc -l < old_items.txt)" 18 "the 18 items of ITEMS.md, each with figures"
assert_eq "$(old_items < new.txt | diff old.txt - | head -n 5)" "" \
    "the old derivation gave this binary's figures (the items it had)"

t_begin "this binary upgrades it: every figure as it was"
assert_exit 0 "$CIA" --db "host=$PGD dbname=cia_old user=ciatteh" -v db init
assert_contains "$ERR" "applying schema migration schema/0007_groups.sql"
assert_eq "$(sql "SELECT relkind FROM pg_class WHERE relname = 'item_fact'" cia_old)" v "item_fact: a view"
sql "$FIGURES" cia_old > upgraded.txt
assert_eq "$(old_items < upgraded.txt | diff old.txt - | head -n 5)" "" "the same figures"
assert_eq "$(diff new.txt upgraded.txt | head -n 5)" "" \
    "and every item this binary knows, derived from the old records as from a new load"
assert_eq "$(sql "SELECT count(*) FROM police_record" cia_old)" 4000 "the police records, in the old partition"
assert_eq "$(sql "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits i
                  JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'police_record'::regclass" cia_old)" \
    "police_record_before_8" "one partition for the deliveries before the upgrade"

t_begin "a new delivery after the upgrade: a partition of its own"
"$GEN" police --rows 800 --seed 33 --years 2023-2023 -o police3.csv || exit 1
assert_exit 0 "$CIA" --db "host=$PGD dbname=cia_old user=ciatteh" load police police3.csv
assert_eq "$(sql "SELECT count(*) FROM police_record_8" cia_old)" 800 "police_record_8 holds its 800 records"
assert_eq "$(sql "SELECT sum(n_records) FROM item_fact WHERE item = 'police.facts' AND year = 2023" cia_old)" 800 \
    "its items"
