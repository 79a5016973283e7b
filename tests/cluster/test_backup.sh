#!/bin/sh
# test_backup.sh — issue 18, point 9: no data lost with the disk.  `db init
# --archive` archives the WAL, `db backup` takes a base backup; after
# several loads the data directory is destroyed, and `db restore --until`
# brings back `deliveries` and every figure exactly as they were at a
# moment between two loads; without --until, as far as the archive goes.
FRESH_CLUSTER=1   # this suite makes its cluster itself (not the template home)
. "$(dirname "$0")/../lib.sh"

need_gen
PGH=$CIATTEH_HOME/pg
A=$T/archive
"$GEN" police --rows 800 --seed 1 --years 2017-2019 -o "$T/police1.csv" &&
"$GEN" convictions --rows 900 --seed 2 --years 2017-2019 -o "$T/conv1.csv" &&
"$GEN" police --rows 500 --seed 3 --years 2019-2020 -o "$T/police2.csv" &&
"$GEN" shelters --centre PAYOKE --rows 200 --seed 4 --years 2017-2020 -o "$T/payoke.csv" ||
    _fail "cannot generate the extracts"

# state — the delivery history and every item's figures, as users see them.
state() {
    ciatteh deliveries 2>&1
    for it in $(ciatteh items --format csv 2>/dev/null | sed 1d | cut -d, -f1); do
        ciatteh query "$it" --years 2016-2021 2>&1 || echo "query $it failed"
    done
}
# archived — the WAL written so far has reached the archive.
archived() {
    local seg
    seg=$(sql "SELECT pg_walfile_name(pg_switch_wal())")
    wait_until 30 sh -c "[ \"\$(psql -h '$PGH' -U ciatteh -d ciatteh -XAtq -c \"SELECT last_archived_wal >= '$seg' FROM pg_stat_archiver\")\" = t ]"
}

t_begin "db init --archive: WAL archiving on, segments in the archive"
assert_exit 0 ciatteh db init --archive "$A"
assert_contains "$OUT" "WAL archived into $A"
assert_eq "$(sql "SHOW archive_mode")" on
assert_eq "$(cat "$PGH/data/ciatteh_archive_dir")" "$A" "the data directory (and so every backup) says where the archive is"
assert_match "$(ls "$A")" "^[0-9A-F]{24}$" "a segment is in the archive"
assert_eq "$(stat -c %a "$A")" 700 "the archive is 0700"
assert_exit 0 ciatteh db init --archive "$A"
assert_contains "$OUT" "WAL archived into $A" "again: nothing to change, still archiving"

t_begin "db backup: a base backup, refused into a folder that is not empty"
assert_exit 0 ciatteh db backup "$T/base"
assert_file "$T/base/backup_label" "$T/base/PG_VERSION" "$T/base/backup_manifest"
assert_exit 73 ciatteh db backup "$T/base"
assert_contains "$ERR" "exists and is not empty"

t_begin "loads after the backup; the moment between two of them"
assert_exit 0 ciatteh load police "$T/police1.csv"
assert_exit 0 ciatteh load convictions "$T/conv1.csv"
state >"$T/at_moment"
moment=$(sql "SELECT clock_timestamp()")
assert_exit 0 ciatteh load police "$T/police2.csv"
assert_exit 0 ciatteh load shelters "$T/payoke.csv"
state >"$T/at_end"
assert_ne "$(cat "$T/at_end")" "$(cat "$T/at_moment")" "the later loads changed the figures"
archived && _pass "the last loads are in the archive" || _fail "the WAL never reached the archive"

t_begin "the data directory is destroyed; restore --until brings back that moment"
postmaster=$(head -n 1 "$PGH/data/postmaster.pid")
kill -9 "$postmaster"
wait_until 10 sh -c "! kill -0 $postmaster 2>/dev/null" || _fail "the postmaster survived"
rm -rf "$PGH/data"
assert_exit 0 ciatteh db restore "$T/base" --until "$moment"
assert_contains "$OUT" "restored from $T/base up to $moment"
state >"$T/restored"
assert_eq "$(cat "$T/restored")" "$(cat "$T/at_moment")" "deliveries and every figure as at the moment"
assert_eq "$(sql "SELECT string_agg(file_name, ',' ORDER BY id) FROM delivery")" "police1.csv,conv1.csv" \
    "the two deliveries before the moment, not the two after"
assert_eq "$(sql "SELECT pg_is_in_recovery()")" f "the restored server takes writes again"
assert_not_contains "$(cat "$PGH/data/postgresql.auto.conf")" "recovery_target" \
    "the recovery settings are gone from the configuration"

t_begin "restore without --until: as far as the archive goes; the replaced data kept aside"
# The restored warehouse goes on (a new timeline, archived too); a load on
# it, then the disk is lost again: the restore follows the newest timeline
# to its end, the load included.
assert_exit 0 ciatteh load shelters "$T/payoke.csv"
state >"$T/latest"
archived && _pass "the new load is in the archive" || _fail "the WAL never reached the archive"
assert_exit 0 ciatteh db restore "$T/base"
state >"$T/restored_end"
assert_eq "$(cat "$T/restored_end")" "$(cat "$T/latest")" "deliveries and every figure as at the end"
assert_eq "$(sql "SELECT string_agg(file_name, ',' ORDER BY id) FROM delivery")" "police1.csv,conv1.csv,payoke.csv" \
    "the deliveries of the timeline restored last, and the load made on it"
assert_match "$(ls "$PGH")" "^data\.before-restore-" "the replaced data directory is kept"
assert_exit 0 ciatteh load police "$T/police1.csv"
assert_contains "$OUT" "already loaded" "and the warehouse goes on"

t_begin "restore refuses what is not a backup, and --until without an archive"
mkdir "$T/notabackup"
assert_exit 66 ciatteh db restore "$T/notabackup"
assert_contains "$ERR" "not a base backup"
assert_exit 64 ciatteh db restore "$T/base" --until "2020-01-01 00:00:00+00" --archive "$T/it's"
assert_exit 64 ciatteh --db "host=$PGH dbname=ciatteh user=ciatteh" db backup "$T/other"
assert_contains "$ERR" "manages only the private cluster"
