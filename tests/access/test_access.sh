#!/bin/sh
# test_access.sh — who may see or change what (schema/0003_access.sql):
# `db init` and `admin roles` create one loader role per service, an
# analyst and an admin; each role connects with --db "... user=ROLE" and
# every action it may not take is refused (exit 69 from ciatteh, an error
# from psql) with the database unchanged.  Also: no password on a command
# line, in a message or in the server log; the pseudonym key is 0600, on
# the loader's side, in no table, and out of the analyst's reach.
FRESH_CLUSTER=1   # this suite makes its cluster itself (not the template home)
. "$(dirname "$0")/../lib.sh"

need_gen
PGH=$CIATTEH_HOME/pg
SERVICES="police prosecution inspectorates shelters convictions immigration"

# as ROLE CIATTEH-ARGS... — ciatteh connected as a role.
as() {
    local role
    role=$1; shift
    ciatteh --db "host=$PGH user=$role dbname=ciatteh" "$@"
}
# psql_as ROLE SQL — one statement as a role; sets RC, OUT, ERR.
psql_as() {
    run psql -h "$PGH" -U "$1" -d ciatteh -XAtq -v ON_ERROR_STOP=1 -c "$2"
}
# refused ROLE SQL [WHAT] — the statement fails with a privilege error.
refused() {
    psql_as "$1" "$2"
    if [ "$RC" -ne 0 ] && printf '%s' "$ERR" | grep -Eqi 'permission denied|must be superuser|may not|may change|may add|may derive|may create|row-level security'; then
        _pass "refused for $1: $2"
    else
        _fail "${3:-not refused} for $1 (exit $RC): $2" "$(_show_run)"
    fi
}
# A fingerprint of everything a load or an attack could change.
state() {
    sql "SELECT (SELECT count(*) FROM delivery) || ' ' || (SELECT count(*) FROM delivery_year)
             || ' ' || (SELECT count(*) FROM item_fact)
             || ' ' || (SELECT coalesce(sum(rows), 0) || '/' || coalesce(max(loaded_at)::text, '') FROM delivery)
             || ' ' || (SELECT count(*) FROM police_record) || ' ' || (SELECT count(*) FROM prosecution_record)
             || ' ' || (SELECT count(*) FROM shelters_record) || ' ' || (SELECT count(*) FROM convictions_record)
             || ' ' || (SELECT md5(string_agg(id || service || rows || rejected_rows || partial || loaded_at, ',' ORDER BY id)) FROM delivery)"
}

t_begin "db init creates a loader per service, an analyst and an admin"
assert_exit 0 ciatteh db init
roles=$(sql "SELECT string_agg(rolname, ' ' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'ciatteh\_%'")
for s in $SERVICES; do assert_contains " $roles " " ciatteh_loader_$s " "role ciatteh_loader_$s"; done
assert_contains " $roles " " ciatteh_analyst " "role ciatteh_analyst"
assert_contains " $roles " " ciatteh_admin " "role ciatteh_admin"
assert_eq "$(sql "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'ciatteh\_%'
                    AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication)")" 0 \
    "no role of ours is superuser, creates roles or databases, or bypasses row-level security"
assert_eq "$(sql "SELECT count(*) FROM pg_authid WHERE rolname LIKE 'ciatteh\_%' AND rolpassword IS NOT NULL")" 0 \
    "no password was set for them (none was ever on a command line)"
assert_eq "$(sql "SELECT count(*) FROM pg_class WHERE relname LIKE '%\_record' AND relrowsecurity")" 0 \
    "record tables: guarded by privileges and triggers (COPY refuses row-level security)"
assert_eq "$(sql "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class
                  WHERE relname IN ('delivery', 'delivery_year') AND relrowsecurity")" \
    "delivery,delivery_year" "row-level security on delivery, delivery_year"
assert_eq "$(sql "SELECT count(*) FROM pg_class WHERE relname LIKE '%\_group' AND relrowsecurity")" 0 \
    "group tables: guarded by privileges and triggers, as record tables"
assert_eq "$(sql "SELECT relkind::text || ':' || array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'item_fact'")" \
    "v:security_invoker=true" "item_fact: a view read with the reader's rights"

t_begin "admin roles: idempotent for the owner, refused to others (exit 69)"
assert_exit 0 ciatteh admin roles
for s in $SERVICES; do assert_match "$OUT" "^ciatteh_loader_$s +adds deliveries of $s" "admin roles describes the $s loader"; done
assert_match "$OUT" "^ciatteh_analyst +reads items"
assert_exit 0 ciatteh admin roles
assert_exit 69 as ciatteh_analyst admin roles
assert_contains "$ERR" "permission denied"
assert_exit 69 as ciatteh_loader_police admin roles
assert_exit 64 ciatteh admin frobnicate

if [ -z "$GEN" ]; then
    t_begin "extracts"
    _fail "no ciatteh-gen (make all; or set CIATTEH_GEN)"
    exit 1
fi
D=$T/data
mkdir -m 755 "$D"
for s in $SERVICES; do
    for seed in 1 2 3 4; do
        "$GEN" "$s" --rows 40 --seed $seed --years 2019-2021 -o "$D/$s$seed.csv" || _fail "ciatteh-gen $s"
    done
done

# ------------------------------------------------------------ loaders
t_begin "each loader loads its own service"
for s in $SERVICES; do
    assert_exit 0 as "ciatteh_loader_$s" load "$s" "$D/${s}1.csv"
    assert_match "$OUT" "^$s: 40 records loaded"
done
assert_eq "$(sql "SELECT string_agg(DISTINCT (loaded_by = 'ciatteh_loader_' || service)::text, ',') FROM delivery")" \
    "true" "each delivery records the loader that added it"
assert_eq "$(sql "SELECT count(DISTINCT delivery_id) FROM item_fact")" 6 "items derived for the six deliveries"

t_begin "a loader cannot load another service's extract (exit 69, nothing changed)"
before=$(state)
for s in prosecution shelters convictions; do
    assert_exit 69 as ciatteh_loader_police load "$s" "$D/${s}2.csv"
    assert_contains "$ERR" "may not add deliveries of $s"
done
assert_exit 69 as ciatteh_loader_shelters load police "$D/police2.csv"
assert_eq "$(state)" "$before" "database unchanged"

t_begin "a loader cannot back-date a delivery (--loaded-at is for ciatteh_admin)"
before=$(state)
assert_exit 69 as ciatteh_loader_police load police --loaded-at 2020-01-01 "$D/police2.csv"
assert_contains "$ERR" "another time than now"
assert_eq "$(state)" "$before" "database unchanged"

t_begin "a loader sees only its own deliveries, and no items"
assert_exit 0 as ciatteh_loader_police deliveries --format csv
assert_eq "$(printf '%s\n' "$OUT" | tail -n +2 | cut -d, -f2 | sort -u)" "police" "deliveries: police only"
psql_as ciatteh_loader_police "SELECT count(*) FROM delivery"
assert_eq "$OUT" 1 "SELECT on delivery: its one delivery"
psql_as ciatteh_loader_police "SELECT count(*) FROM delivery_year WHERE service <> 'police'"
assert_eq "$OUT" 0 "SELECT on delivery_year: its own years only"
assert_exit 69 as ciatteh_loader_police query police.facts
refused ciatteh_loader_police "SELECT count(*) FROM item_fact"
# Conviction figures are summed from the bulletins with the owner's rights
# (schema/0016): the calling role is checked, directly or through figures().
refused ciatteh_loader_police "SELECT count(*) FROM figures_rows('conviction.persons', 'infinity', 2019, 2021, '', '', '')"
refused ciatteh_loader_police "SELECT count(*) FROM figures('conviction.persons', 'infinity', 2019, 2021)"
refused ciatteh_loader_convictions "SELECT count(*) FROM figures('conviction.persons', 'infinity', 2019, 2021)"

t_begin "a loader's forbidden statements are refused, the database unchanged"
before=$(state)
pid=$(sql "SELECT id FROM delivery WHERE service = 'police'")
prid=$(sql "SELECT id FROM delivery WHERE service = 'prosecution'")
for s in prosecution shelters convictions immigration inspectorates; do
    refused ciatteh_loader_police "SELECT count(*) FROM ${s}_record"
    refused ciatteh_loader_police "INSERT INTO ${s}_record SELECT * FROM ${s}_record LIMIT 0"
done
refused ciatteh_loader_police "INSERT INTO police_record (delivery_id, line_no, ref_hash, registration_date, district, offence)
                               VALUES ($pid, 999, '\\x00', '2020-01-01', 'ANT', 'THB')" \
    "adding a record to an earlier delivery"
refused ciatteh_loader_police "DELETE FROM police_record WHERE delivery_id = $pid" "taking records out of an earlier delivery"
refused ciatteh_loader_police "UPDATE police_record SET district = 'BRU'"
refused ciatteh_loader_police "TRUNCATE police_record"
refused ciatteh_loader_police "DELETE FROM delivery"
refused ciatteh_loader_police "UPDATE delivery SET loaded_at = now() - interval '1 year'"
refused ciatteh_loader_police "UPDATE delivery SET service = 'prosecution'"
psql_as ciatteh_loader_police "UPDATE delivery SET rows = 0 WHERE id IN ($pid, $prid)"
assert_eq "$ERR" "" "UPDATE of row counts: no error..."
assert_eq "$(sql "SELECT count(*) FROM delivery WHERE rows = 0")" 0 "...but no delivery changed (not being added now)"
refused ciatteh_loader_police "INSERT INTO delivery (service, file_name, sha256, size_bytes, encoding)
                               VALUES ('prosecution', 'x.csv', 'x', 1, 'utf-8')"
refused ciatteh_loader_police "INSERT INTO delivery (service, file_name, sha256, size_bytes, encoding, loaded_by)
                               VALUES ('police', 'x.csv', 'x', 1, 'utf-8', 'someone else')"
refused ciatteh_loader_police "INSERT INTO delivery_year (delivery_id, service, scope, year, rows)
                               VALUES ($pid, 'police', '', 2030, 1)"
refused ciatteh_loader_police "INSERT INTO delivery_year (delivery_id, service, scope, year, rows)
                               VALUES ($prid, 'prosecution', '', 2030, 1)"
refused ciatteh_loader_police "SELECT derive_items($pid)"
refused ciatteh_loader_police "SELECT derive_items($prid)"
refused ciatteh_loader_police "SELECT derive_items_unchecked($pid)"
refused ciatteh_loader_police "SELECT group_police($pid)"
refused ciatteh_loader_police "SELECT ciatteh_record_partition($prid)"
refused ciatteh_loader_police "INSERT INTO police_record_$pid (delivery_id, line_no, ref_hash, registration_date, district, offence)
                               VALUES ($pid, 99999, '\\x00', '2020-01-01', 'BRU', 'THB')"
refused ciatteh_loader_police "SELECT rederive_all()"
refused ciatteh_loader_police "INSERT INTO police_group (delivery_id, scope, dyear, n, suspects_known, victims_known)
                               VALUES ($pid, '', 2020, 1000, 0, 0)"
refused ciatteh_loader_police "INSERT INTO prosecution_group (delivery_id, scope, dyear, n, defendants_known)
                               VALUES ($prid, '', 2020, 1000, 0)"
refused ciatteh_loader_police "DELETE FROM police_group"
refused ciatteh_loader_police "SELECT setval('delivery_id_seq', $pid)"
refused ciatteh_loader_police "DELETE FROM code"
refused ciatteh_loader_police "SELECT ciatteh_setup_roles()"
refused ciatteh_loader_police "CREATE TABLE police_record_copy (x int)"
# The session's newest delivery must be one being added now: a delivery
# made in an earlier transaction of the same session does not open the door.
psql_as ciatteh_loader_police "INSERT INTO delivery (service, file_name, sha256, size_bytes, encoding)
    VALUES ('police', 'probe.csv', 'probe', 1, 'utf-8') RETURNING id"
probe=$OUT
assert_eq "$RC" 0 "a loader may add a delivery row of its own service"
run psql -h "$PGH" -U ciatteh_loader_police -d ciatteh -XAtq -v ON_ERROR_STOP=1 \
    -c "BEGIN; INSERT INTO delivery (service, file_name, sha256, size_bytes, encoding) VALUES ('police', 'p2.csv', 'p2', 1, 'utf-8'); COMMIT;" \
    -c "INSERT INTO police_record (delivery_id, line_no, ref_hash, registration_date, district, offence)
        VALUES (currval('delivery_id_seq'), 1, '\\x00', '2020-01-01', 'ANT', 'THB')"
assert_ne "$RC" 0 "rows into a delivery committed earlier in the session: refused"
assert_contains "$ERR" "only while adding a police delivery"
# A temporary table named like ours does not fool the checks.
run psql -h "$PGH" -U ciatteh_loader_police -d ciatteh -XAtq -v ON_ERROR_STOP=1 \
    -c "CREATE TEMP TABLE delivery AS SELECT * FROM public.delivery WHERE false" \
    -c "BEGIN" \
    -c "INSERT INTO public.delivery (service, file_name, sha256, size_bytes, encoding)
        VALUES ('police', 'probe.csv', 'probe3', 1, 'utf-8')" \
    -c "INSERT INTO delivery (id, service, file_name, sha256, size_bytes, encoding)
        VALUES ($pid, 'police', 'f', 's', 1, 'utf-8')" \
    -c "INSERT INTO police_record (delivery_id, line_no, ref_hash, registration_date, district, offence)
        VALUES ($pid, 998, '\\x00', '2020-01-01', 'ANT', 'THB')" \
    -c "COMMIT"
assert_ne "$RC" 0 "a temporary 'delivery' table does not open an earlier delivery"
assert_contains "$ERR" "only for a police delivery it is adding"
sql "DELETE FROM delivery_year WHERE delivery_id IN (SELECT id FROM delivery WHERE file_name IN ('probe.csv', 'p2.csv'));
     DELETE FROM delivery WHERE file_name IN ('probe.csv', 'p2.csv')" >/dev/null
assert_eq "$(state)" "$before" "database unchanged"

# ------------------------------------------------------------ analyst
t_begin "the analyst reads items, coverage, catalogue and history"
assert_exit 0 as ciatteh_analyst query police.facts --by district
assert_match "$OUT" "^police.facts,2019,[A-Z]+,[0-9]+,"
assert_exit 0 as ciatteh_analyst query conviction.persons --years 2019-2021
# summed from the bulletins for the analyst as for the owner: the same figures
ana=$OUT
assert_exit 0 ciatteh query conviction.persons --years 2019-2021
assert_eq "$ana" "$OUT" "the analyst's conviction figures are the owner's"
assert_match "$ana" "^conviction.persons,2019,[0-9]+," "conviction figures"
assert_exit 0 as ciatteh_analyst items
assert_exit 0 as ciatteh_analyst deliveries --format csv
assert_eq "$(printf '%s\n' "$OUT" | tail -n +2 | wc -l | tr -d ' ')" 6 "every service's deliveries"
for rel in item_fact coverage_current delivery_history item dimension code service; do
    psql_as ciatteh_analyst "SELECT count(*) > 0 FROM $rel"
    assert_eq "$OUT" t "the analyst reads $rel"
done

t_begin "the analyst reaches no record table and changes nothing"
before=$(state)
for s in $SERVICES; do
    refused ciatteh_analyst "SELECT count(*) FROM ${s}_record"
    refused ciatteh_analyst "SELECT ref_hash FROM ${s}_record LIMIT 1"
    refused ciatteh_analyst "COPY ${s}_record TO STDOUT"
done
refused ciatteh_analyst "INSERT INTO police_group (delivery_id, scope, dyear, n, suspects_known, victims_known)
                         VALUES ($pid, '', 2020, 1000, 0, 0)"
refused ciatteh_analyst "UPDATE police_group SET n = n + 1"
refused ciatteh_analyst "DELETE FROM police_group"
refused ciatteh_analyst "SELECT ciatteh_record_partition($pid)"
# The bulletins' twin of an item view is the owner's (figures_rows() reads it).
refused ciatteh_analyst "SELECT count(*) FROM item_rows_conviction_persons"
refused ciatteh_analyst "SELECT count(*) FROM convictions_bulletin"
# Conviction items read the records through convictions_fact (owner's
# rights): it shows no reference, no date, no exact term or amount.
assert_eq "$(sql "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns
                  WHERE table_name = 'convictions_fact'")" \
    "delivery_id,scope,dyear,year,offence,form,sex,nationality,district,band,suspension,n,fined,fined_known,confiscations,confiscations_known" \
    "convictions_fact: the columns of a group, no more"
refused ciatteh_analyst "DELETE FROM delivery"
refused ciatteh_analyst "INSERT INTO delivery (service, file_name, sha256, size_bytes, encoding)
                         VALUES ('police', 'x.csv', 'x', 1, 'utf-8')"
refused ciatteh_analyst "UPDATE code SET label_en = 'x'"
refused ciatteh_analyst "SELECT derive_items($pid)"
refused ciatteh_analyst "SELECT rederive_all()"
refused ciatteh_analyst "SELECT ciatteh_setup_roles()"
assert_exit 69 as ciatteh_analyst load police "$D/police3.csv"
assert_exit 69 as ciatteh_analyst load convictions "$D/convictions3.csv"
assert_eq "$(state)" "$before" "database unchanged"

t_begin "the pseudonym key: 0600 on the loader's side, in no table, out of the analyst's reach"
KEY=$CIATTEH_HOME/secret/pseudonym.key
assert_file "$KEY"
assert_eq "$(stat -c %a "$KEY")" 600 "key file mode 0600"
assert_eq "$(stat -c %a "$(dirname "$KEY")")" 700 "key directory mode 0700"
assert_eq "$(stat -c %U "$KEY")" "$(id -un)" "owned by the loading user, not by the server's"
keyhex=$(od -An -tx1 -v "$KEY" | tr -d ' \n')
assert_eq "${#keyhex}" 64 "a 32-byte key"
pg_dump -h "$PGH" -U ciatteh -d ciatteh --data-only >"$T/dump.sql" 2>"$T/dump.err" || _fail "pg_dump" "$(cat "$T/dump.err")"
if grep -qi "$keyhex" "$T/dump.sql"; then _fail "the key appears in the database"; else _pass "the key is in no table"; fi
ref=$(sed -n '2p' "$D/police1.csv" | tr ';' '\n' | grep -E '^PV-' | head -n 1)
assert_match "$ref" "^PV-" "a reference of the police extract"
if grep -qF "$ref" "$T/dump.sql"; then _fail "a reference is stored in clear: $ref"; else _pass "references are not stored in clear"; fi
refused ciatteh_analyst "SELECT pg_read_binary_file('$KEY')"
refused ciatteh_analyst "SELECT pg_read_file('$KEY')"
refused ciatteh_analyst "CREATE TEMP TABLE k (b text); COPY k FROM '$KEY'"
refused ciatteh_analyst "SELECT pg_ls_dir('$(dirname "$KEY")')"
refused ciatteh_analyst "SELECT lo_import('$KEY')"
refused ciatteh_loader_police "SELECT pg_read_binary_file('$KEY')"
if [ "$(id -u)" = 0 ]; then
    # The server's own account cannot read it either (it lives in the
    # loading user's 0700 directory).
    if runuser -u postgres -- cat "$KEY" >/dev/null 2>&1; then
        _fail "the server's account can read the key"
    else
        _pass "the server's account cannot read the key"
    fi
fi
chmod 640 "$KEY"
assert_exit 69 as ciatteh_loader_police load police "$D/police3.csv"
assert_contains "$ERR" "chmod 600"
chmod 600 "$KEY"

# ------------------------------------------------------------ admin
t_begin "the admin loads any service, back-fills history, re-derives, deletes nothing"
assert_exit 0 as ciatteh_admin load prosecution --loaded-at "2021-06-01 12:00" "$D/prosecution3.csv"
assert_match "$OUT" "^prosecution: 40 records loaded"
assert_exit 0 as ciatteh_admin load immigration "$D/immigration3.csv"
psql_as ciatteh_admin "SELECT count(*) > 0 FROM convictions_record"
assert_eq "$OUT" t "the admin reads record tables"
psql_as ciatteh_admin "SELECT rederive_all()"
assert_eq "$RC" 0 "the admin re-derives items ($ERR)"
before=$(state)
refused ciatteh_admin "DELETE FROM delivery"
refused ciatteh_admin "DELETE FROM police_record WHERE delivery_id = $pid"
psql_as ciatteh_admin "UPDATE delivery SET rows = 0"
assert_eq "$OUT$ERR" "" "the admin's UPDATE of row counts touches no earlier delivery"
assert_eq "$(state)" "$before" "database unchanged"

# ------------------------------------------------------------ passwords
t_begin "passwords: from ~/.pgpass, never in argv, messages or the server log"
PW=S3cret-$$-pw
BADPW=Wr0ng-$$-pw
printf "ALTER ROLE ciatteh_analyst PASSWORD '%s';\n" "$PW" >"$T/pw.sql"
psql -h "$PGH" -U ciatteh -d ciatteh -Xq -v ON_ERROR_STOP=1 -f "$T/pw.sql" >/dev/null || _fail "setting a password"
rm -f "$T/pw.sql"
HBA=$PGH/data/pg_hba.conf
cp "$HBA" "$T/hba.orig"
{ echo "local all ciatteh_analyst scram-sha-256"; cat "$T/hba.orig"; } >"$T/hba.new"
cat "$T/hba.new" >"$HBA"
sql "SELECT pg_reload_conf()" >/dev/null
sleep 1
assert_exit 69 as ciatteh_analyst query police.facts
assert_match "$ERR" "password|authentication" "without a password: refused, says why"
printf '*:*:*:ciatteh_analyst:%s\n' "$PW" >"$T/pgpass"
chmod 600 "$T/pgpass"
PGPASSFILE=$T/pgpass
export PGPASSFILE
assert_exit 0 as ciatteh_analyst query police.facts
assert_match "$OUT" "^police.facts,"
printf '*:*:*:ciatteh_analyst:%s\n' "$BADPW" >"$T/pgpass"
assert_exit 69 as ciatteh_analyst query police.facts
assert_not_contains "$ERR" "$BADPW" "a wrong password is not echoed"
assert_exit 69 ciatteh --db "host=$PGH user=ciatteh_analyst dbname=ciatteh password=$BADPW" query police.facts
assert_not_contains "$ERR" "$BADPW" "a password in the conninfo is not echoed"
unset PGPASSFILE
# While a load runs, no process of ours carries a password in its argv.
printf '*:*:*:ciatteh_analyst:%s\n' "$PW" >"$T/pgpass"
PGPASSFILE=$T/pgpass ciatteh --db "host=$PGH user=ciatteh_analyst dbname=ciatteh" query police.facts >/dev/null 2>&1 &
qp=$!
args=$(cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\0' ' ')
wait $qp
assert_not_contains "$args" "$PW" "no command line holds the password"
cat "$T/hba.orig" >"$HBA"
sql "SELECT pg_reload_conf()" >/dev/null
logs=$(cat "$PGH"/*.log "$PGH"/data/log/* 2>/dev/null)
assert_not_contains "$logs" "$PW" "the server log does not hold the password"
assert_not_contains "$logs" "$BADPW" "nor the wrong one"
rm -f "$T/pgpass"
