#!/bin/sh
# test_migrations.sh — schema/NNNN_*.sql are applied automatically, each
# exactly once, in order, recorded in ciatteh_migration; concurrent first
# runs migrate once; a newer binary migrates an older database; an older
# binary refuses a newer database (exit 69, naming both versions) and leaves
# it untouched.  One private cluster in a throwaway CIATTEH_HOME.
FRESH_CLUSTER=1   # this suite makes its cluster itself (not the template home)
. "$(dirname "$0")/../lib.sh"

PGD=$CIATTEH_HOME/pg

# What the binary embeds: the numbered migrations of this tree.
MIGS=$(cd "$ROOT" && ls schema/[0-9]*.sql | sort)
VERSIONS=$(for m in $MIGS; do b=${m#schema/}; echo "${b%%_*}" | sed 's/^0*//'; done)
KNOWN=$(echo "$VERSIONS" | tail -n 1)
NMIG=$(echo "$MIGS" | wc -l | tr -d ' ')
# "version name sha256" per migration, as ciatteh_migration should hold them.
EXPECTED_ROWS=$(for m in $MIGS; do
    b=${m#schema/}
    echo "$(echo "${b%%_*}" | sed 's/^0*//') $m $(sha256sum "$ROOT/$m" | cut -d' ' -f1)"
done)

rows() {   # rows [DB]: the migrations table, applied_at included
    sql "SELECT version || ' ' || name || ' ' || sha256 || ' ' || applied_at
         FROM ciatteh_migration ORDER BY version" "${1:-ciatteh}"
}
applied() {   # applied TEXT: the migration files a run says it applied
    printf '%s\n' "$1" | grep 'applying schema migration' | grep -o 'schema/[0-9][^ ]*\.sql'
}
dump() {   # dump DB FILE [OPTIONS]: the database, schema and rows
    local db out
    db=$1 out=$2; shift 2
    # \restrict lines carry a random key per run (pg_dump >= 15.14).
    pg_dump -h "$PGD" -U ciatteh --no-owner "$@" "$db" 2>"$T/pg_dump.err" |
        grep -v '^\\\(un\)\{0,1\}restrict ' >"$out"
    [ -s "$out" ] || _fail "pg_dump $db: $(cat "$T/pg_dump.err")"
}

t_begin "the tree has numbered migrations"
assert_ne "$NMIG" 0 "schema/[0-9]*.sql"
assert_match "$KNOWN" '^[1-9][0-9]*$' "the newest version is a number"

t_begin "the first db init applies every migration once, in order"
assert_exit 0 ciatteh db init
assert_eq "$(applied "$ERR")" "$MIGS" "applied, in this order"
assert_contains "$OUT" "schema version $KNOWN"
assert_eq "$(sql "SELECT version || ' ' || name || ' ' || sha256
                  FROM ciatteh_migration ORDER BY version")" "$EXPECTED_ROWS" \
    "ciatteh_migration: one row per migration, with its file and SHA-256"
assert_eq "$(sql 'SELECT count(*) FROM ciatteh_migration')" "$NMIG" "one row per migration"
BEFORE=$(rows)
SEEDS=$(sql "SELECT path || ' ' || sha256 || ' ' || loaded_at FROM ciatteh_seed ORDER BY path")
assert_ne "$SEEDS" "" "the seeds were loaded"

t_begin "a second db init applies nothing and changes no applied_at"
assert_exit 0 ciatteh --verbose db init
assert_eq "$(applied "$ERR")" "" "nothing applied"
assert_not_contains "$ERR" "seeding" "no seed reloaded"
assert_eq "$(rows)" "$BEFORE" "ciatteh_migration unchanged"
assert_eq "$(sql "SELECT path || ' ' || sha256 || ' ' || loaded_at FROM ciatteh_seed ORDER BY path")" \
    "$SEEDS" "ciatteh_seed unchanged"

t_begin "after a restart of the server, still nothing to apply"
assert_exit 0 ciatteh db stop
assert_exit 0 ciatteh db init
assert_eq "$(applied "$ERR")" "" "nothing applied"
assert_eq "$(rows)" "$BEFORE" "ciatteh_migration unchanged"

t_begin "three first runs at once on an empty database migrate it once"
createdb -h "$PGD" -U ciatteh cia_race || _fail "createdb cia_race"
RACE="host=$PGD dbname=cia_race user=ciatteh"
for i in 1 2 3; do
    ciatteh --db "$RACE" db init >"$T/race$i.out" 2>"$T/race$i.err" &
    eval "p$i=\$!"
done
wait $p1; r1=$?
wait $p2; r2=$?
wait $p3; r3=$?
assert_eq "$r1 $r2 $r3" "0 0 0" "all three succeed ($(cat "$T"/race?.err))"
all=$(cat "$T"/race?.err)
assert_eq "$(applied "$all")" "$MIGS" "each migration applied by exactly one of them"
assert_eq "$(sql 'SELECT count(*) FROM ciatteh_migration' cia_race)" "$NMIG" "one row per migration"

t_begin "a newer binary migrates an older database"
if [ "$NMIG" -lt 2 ]; then
    skip "needs two migrations"
else
    # An "older database": only the first migration applied, recorded the
    # way ciatteh records it.
    first=$(echo "$MIGS" | head -n 1)
    createdb -h "$PGD" -U ciatteh cia_old || _fail "createdb cia_old"
    psql -h "$PGD" -U ciatteh -d cia_old -Xq -1 -v ON_ERROR_STOP=1 -f "$ROOT/$first" \
        >/dev/null 2>"$T/old.err" || _fail "applying $first by hand" "$(cat "$T/old.err")"
    sql "CREATE TABLE ciatteh_migration (version integer PRIMARY KEY, name text NOT NULL,
             sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
         INSERT INTO ciatteh_migration (version, name, sha256)
             VALUES ($(echo "$VERSIONS" | head -n 1), '$first',
                     '$(sha256sum "$ROOT/$first" | cut -d' ' -f1)')" cia_old
    first_row=$(rows cia_old)
    assert_exit 0 ciatteh --db "host=$PGD dbname=cia_old user=ciatteh" db init
    assert_eq "$(applied "$ERR")" "$(echo "$MIGS" | tail -n +2)" "applies all but the first"
    assert_contains "$OUT" "schema version $KNOWN"
    assert_eq "$(rows cia_old | head -n 1)" "$first_row" "the first migration's row is untouched"
    assert_eq "$(sql "SELECT version || ' ' || name || ' ' || sha256
                      FROM ciatteh_migration ORDER BY version" cia_old)" "$EXPECTED_ROWS" \
        "one row per migration"
    # Same schema as a database migrated in one go (bar the migrations table).
    dump cia_old "$T/old.sql" -s -T ciatteh_migration
    dump cia_race "$T/race.sql" -s -T ciatteh_migration
    if cmp -s "$T/old.sql" "$T/race.sql"; then _pass "same schema"
    else _fail "the upgraded schema differs from a fresh one" "$(diff "$T/race.sql" "$T/old.sql" | head -n 40)"; fi
fi

t_begin "an older binary refuses a newer database: exit 69, both versions named"
sql "INSERT INTO ciatteh_migration (version, name, sha256)
     VALUES (9999, 'schema/9999_future.sql', 'from a newer ciatteh')"
dump ciatteh "$T/newer.sql"
# The message must name 9999 and our newest version (as a number of its own).
names_both() {
    assert_contains "$ERR" 9999 "message names the database's version"
    if printf '%s\n' "$ERR" | sed 's/9999//g' | grep -Eq "(^|[^0-9])$KNOWN([^0-9]|\$)"; then
        _pass "message names this binary's version $KNOWN"
    else
        _fail "message does not name this binary's version $KNOWN" "$ERR"
    fi
    assert_match "$ERR" "^ciatteh: " "message on stderr, prefixed"
}
assert_exit 69 ciatteh db init
names_both
assert_exit 69 ciatteh --db "host=$PGD dbname=ciatteh user=ciatteh" db init
names_both
assert_exit 69 env CIATTEH_DB="host=$PGD dbname=ciatteh user=ciatteh" $CIA db init
names_both

t_begin "no command succeeds on a newer database, and none changes it"
cmds=$(ciatteh --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF > 1 { print $1 }' |
       grep -vx -e help -e db)
for c in $cmds; do
    run ciatteh "$c"
    assert_ne "$RC" 0 "ciatteh $c exits non-zero ($RC): $(printf '%s' "$ERR" | head -n 1)"
done
dump ciatteh "$T/after.sql"
if cmp -s "$T/newer.sql" "$T/after.sql"; then _pass "database untouched"
else _fail "the newer database was changed" "$(diff "$T/newer.sql" "$T/after.sql" | head -n 40)"; fi
assert_eq "$(sql 'SELECT max(version) FROM ciatteh_migration')" 9999 "still version 9999"

t_begin "without the newer row, the same database works again, nothing applied"
sql "DELETE FROM ciatteh_migration WHERE version = 9999"
assert_exit 0 ciatteh db init
assert_eq "$(applied "$ERR")" "" "nothing applied"
assert_eq "$(rows)" "$BEFORE" "ciatteh_migration as it was"
