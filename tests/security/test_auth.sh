#!/bin/sh
# test_auth.sh — issue 18, attack 8: the private cluster authenticates by
# the kernel's word (peer, through the map "ciatteh" of pg_ident.conf),
# not `trust`: a local user who reaches the socket is no database role
# unless an administrator maps it to one, and never the superuser; an
# existing cluster set up with `trust` is brought to peer by the next
# command.  And the analyst reads convictions in groups, never one row per
# bulletin.
. "$(dirname "$0")/../lib.sh"

need_gen
PGH=$CIATTEH_HOME/pg
HBA=$PGH/data/pg_hba.conf
IDENT=$PGH/data/pg_ident.conf

t_begin "a new cluster: peer on the socket, no trust, files mode 0600"
assert_exit 0 ciatteh db init
assert_eq "$(grep -v '^#' "$HBA" | grep -v '^$')" "local   all          all   peer map=ciatteh
local   replication  all   peer map=ciatteh" "pg_hba.conf: peer through the map, Unix socket only"
assert_eq "$(stat -c %a "$HBA")" 600 "pg_hba.conf is 0600"
assert_eq "$(stat -c %a "$IDENT")" 600 "pg_ident.conf is 0600"
assert_eq "$(sql "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method = 'trust' OR type <> 'local'")" 0 \
    "the server's own reading: no trust, no TCP"
# the owner (root here: it runs ciatteh; the server runs as postgres) may use every role
for r in ciatteh ciatteh_analyst ciatteh_admin ciatteh_loader_police; do
    assert_eq "$(psql -h "$PGH" -U "$r" -d ciatteh -XAtq -c 'SELECT current_user' 2>&1)" "$r" "the owner connects as $r"
done

t_begin "a local user who reaches the socket is no role unless mapped, never the superuser"
u=cia_auth_$$
if [ "$(id -u)" != 0 ]; then
    skip "not root: cannot create a throwaway user"
elif ! command -v useradd >/dev/null || ! command -v runuser >/dev/null; then
    skip "useradd or runuser missing"
elif ! useradd -M -N -s /bin/sh -d /nonexistent "$u" 2>"$T/useradd.err"; then
    skip "cannot create a throwaway user: $(cat "$T/useradd.err")"
else
    on_teardown "userdel $u 2>/dev/null"
    # Open the socket's folder to everyone, as an administrator sharing
    # the server with analysts on the same machine would.
    chmod 755 "$PGH"
    for r in ciatteh ciatteh_admin ciatteh_analyst postgres "$u"; do
        run runuser -u "$u" -- psql -h "$PGH" -U "$r" -d ciatteh -XAtq -c 'SELECT 1'
        assert_ne "$RC" 0 "$u may not connect as $r"
        assert_contains "$ERR" "Peer authentication failed for user \"$r\"" "refused by peer authentication ($r)"
    done
    assert_exit 0 runuser -u "$u" -- sh -c "PGHOST=$PGH PGUSER=ciatteh PGDATABASE=ciatteh $CIA query police.facts 2>&1; exit 0"
    assert_contains "$OUT" "Peer authentication failed" "ciatteh as that user: refused too"
    # An administrator maps the user to the analyst role, outside our block.
    printf 'ciatteh   %s   ciatteh_analyst\n' "$u" >>"$IDENT"
    sql "SELECT pg_reload_conf()" >/dev/null
    assert_exit 0 ciatteh admin roles
    assert_contains "$(cat "$IDENT")" "ciatteh   $u   ciatteh_analyst" "ciatteh keeps the administrator's line"
    wait_until 10 runuser -u "$u" -- psql -h "$PGH" -U ciatteh_analyst -d ciatteh -XAtq -c 'SELECT 1' ||
        _fail "the mapped user never got in as the analyst"
    assert_eq "$(runuser -u "$u" -- psql -h "$PGH" -U ciatteh_analyst -d ciatteh -XAtq -c 'SELECT current_user' 2>&1)" \
        ciatteh_analyst "mapped: the user reads as the analyst"
    run runuser -u "$u" -- psql -h "$PGH" -U ciatteh -d ciatteh -XAtq -c 'SELECT 1'
    assert_contains "$ERR" "Peer authentication failed" "and still not as the superuser"
    chmod 700 "$PGH"
fi

t_begin "a cluster made with trust is switched to peer by the next command"
printf 'local all all trust\n' >"$HBA"
sql "SELECT pg_reload_conf()" >/dev/null
wait_until 10 sh -c "[ \"\$(psql -h '$PGH' -U ciatteh -d ciatteh -XAtq -c \"SELECT count(*) FROM pg_hba_file_rules WHERE auth_method = 'trust'\")\" = 1 ]" ||
    _fail "the trust line was not read"
assert_exit 0 ciatteh deliveries
assert_eq "$(sql "SELECT string_agg(auth_method, ',') FROM pg_hba_file_rules")" "peer,peer" "back to peer"
assert_not_contains "$(cat "$HBA")" "trust"

t_begin "the analyst reads convictions in groups, never one row per bulletin"
"$GEN" convictions --rows 1500 --seed 3 --years 2016-2019 -o "$T/conv.csv" || _fail "cannot generate"
assert_exit 0 ciatteh load convictions "$T/conv.csv"
as_analyst() { psql -h "$PGH" -U ciatteh_analyst -d ciatteh -XAtq -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
KEY="delivery_id, scope, dyear, year, offence, form, sex, nationality, district, band, suspension"
assert_eq "$(as_analyst "SELECT sum(n) FROM convictions_fact")" 1500 "every bulletin counted"
assert_eq "$(as_analyst "SELECT count(*) = count(DISTINCT ($KEY)) AND count(*) < 1500 FROM convictions_fact")" t \
    "one row per group: fewer rows than bulletins, no two rows of one combination"
for rel in convictions_bulletin convictions_record; do
    assert_contains "$(as_analyst "SELECT count(*) FROM $rel")" "permission denied" "the analyst may not read $rel"
done
ngroups=$(as_analyst "SELECT count(*) FROM convictions_fact")
for v in item_fact_conviction_persons item_fact_conviction_fines; do
    assert_eq "$(as_analyst "SELECT count(*) FROM $v")" "$ngroups" "$v: one row per group"
done
assert_eq "$(as_analyst "SELECT count(*) FROM item_fact WHERE item = 'conviction.prison'")" "$ngroups" \
    "item_fact: one row per group"
# The figures are those of the bulletins (counted by the owner straight
# from the records).
want=$(sql "SELECT string_agg(y || ':' || n || ':' || fined, ' ' ORDER BY y) FROM (
              SELECT yr(judgment_date) y, count(*) n, count(*) FILTER (WHERE fine_eur > 0) fined
              FROM convictions_record GROUP BY 1) s")
got=$(as_analyst "SELECT string_agg(year || ':' || n || ':' || v, ' ' ORDER BY year) FROM (
              SELECT p.year, sum(p.value) n, (SELECT sum(value) FROM item_fact_conviction_fines f WHERE f.year = p.year) v
              FROM item_fact_conviction_persons p GROUP BY 1) s")
assert_eq "$got" "$want" "persons and fines per year as counted from the bulletins"
# query counts trafficking alone unless the offence is asked (ITEMS.md):
# asked by offence, it is set beside the bulletins counted per offence.
q=$(ciatteh --db "host=$PGH user=ciatteh_analyst dbname=ciatteh" query conviction.persons --years 2016-2019 --by offence)
assert_eq "$(printf '%s\n' "$q" | sed 1d | cut -d, -f2-4 | tr '\n' ' ')" \
    "$(sql "SELECT string_agg(y || ',' || offence || ',' || n, ' ' ORDER BY y, offence COLLATE \"C\") || ' '
            FROM (SELECT yr(judgment_date) y, offence, count(*) n FROM convictions_record GROUP BY 1, 2) s")" \
    "ciatteh query as the analyst: the same figures, per offence"
