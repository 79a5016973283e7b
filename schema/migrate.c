/* migrate.c — applies the embedded migrations (schema/NNNN_name.sql) each
 * exactly once, in order, each in its own transaction, refreshes the
 * reference seeds (schema/seed/TABLE.csv) when their content changed, and
 * applies the group tables made from the specs (schema/groups.sql).
 * A transaction-scoped advisory lock serialises concurrent migrators. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/db.h"
#include "ciatteh/util.h"

#define MIGRATION_LOCK "7310420001"   /* advisory lock key: migrations */

struct mig { int version; const char *path, *sql; size_t len; };
struct migs { struct mig v[256]; int n; };

static int collect(const char *path, const char *data, size_t len, void *arg)
{
    struct migs *m = arg;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (base[0] < '0' || base[0] > '9' || m->n >= 256) return 0;
    m->v[m->n].version = atoi(base);
    m->v[m->n].path = path;
    m->v[m->n].sql = data;
    m->v[m->n].len = len;
    m->n++;
    return 0;
}

static void load_migs(struct migs *m)
{
    m->n = 0;
    cia_embedded_each("schema/", collect, m);  /* embedded list is sorted */
}

int cia_schema_version_known(void)
{
    struct migs m;
    load_migs(&m);
    return m.n ? m.v[m.n - 1].version : 0;
}

int cia_schema_version_db(cia_db *db, int *version, cia_err *e)
{
    PGresult *r;
    int rc = cia_db_query(db, e, &r, "SELECT to_regclass('ciatteh_migration') IS NOT NULL", 0, NULL);
    if (rc) return rc;
    int exists = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    *version = -1;
    if (!exists) return CIA_OK;
    if ((rc = cia_db_query(db, e, &r, "SELECT coalesce(max(version), 0) FROM ciatteh_migration",
                           0, NULL))) return rc;
    *version = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return CIA_OK;
}

static int too_new(int have, int know, cia_err *e)
{
    return cia_fail(e, CIA_EUNAVAIL,
                    "the database has schema version %d, newer than this ciatteh %s "
                    "understands (%d): use a newer ciatteh", have, CIATTEH_VERSION, know);
}

/* COPY one seed CSV into its table, replacing the rows. */
static int seed_table(cia_db *db, const char *path, const char *data, size_t len, cia_err *e)
{
    const char *base = strrchr(path, '/') + 1;
    char table[128];
    snprintf(table, sizeof table, "%.*s", (int)(strcspn(base, ".")), base);
    const char *nl = memchr(data, '\n', len);
    if (!nl) return cia_fail(e, CIA_EINTERNAL, "%s: seed without header", path);
    /* Table and column names come from our own embedded files, never from
     * outside input, and are quoted as identifiers all the same. */
    char *t = PQescapeIdentifier(db->conn, table, strlen(table));
    cia_buf sql;
    cia_buf_init(&sql);
    cia_buf_printf(&sql, "DELETE FROM %s", t);
    int rc = cia_db_exec(db, e, sql.data);
    if (rc) goto out;
    cia_buf_reset(&sql);
    cia_buf_printf(&sql, "COPY %s (%.*s) FROM STDIN (FORMAT csv, HEADER true)", t,
                   (int)(nl - data), data);
    PGresult *r = PQexec(db->conn, sql.data);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = cia_db_fail(db, e, r, path);
        PQclear(r);
        goto out;
    }
    PQclear(r);
    if (PQputCopyData(db->conn, data, (int)len) != 1 || PQputCopyEnd(db->conn, NULL) != 1) {
        rc = cia_db_fail(db, e, NULL, path);
        goto out;
    }
    while ((r = PQgetResult(db->conn))) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && !rc) rc = cia_db_fail(db, e, r, path);
        PQclear(r);
    }
out:
    PQfreemem(t);
    cia_buf_free(&sql);
    return rc;
}

struct seedctx { cia_db *db; cia_err *e; int rc; int loaded; };

static int seed_one(const char *path, const char *data, size_t len, void *arg)
{
    struct seedctx *s = arg;
    char hash[65];
    cia_sha256_hex(data, len, hash);
    const char *p[2] = {path, hash};
    PGresult *r;
    s->rc = cia_db_query(s->db, s->e, &r,
                         "SELECT 1 FROM ciatteh_seed WHERE path = $1 AND sha256 = $2", 2, p);
    if (s->rc) return 1;
    int same = PQntuples(r) == 1;
    PQclear(r);
    if (same) return 0;
    cia_debug("seeding %s", path);
    if ((s->rc = seed_table(s->db, path, data, len, s->e))) return 1;
    s->loaded++;
    s->rc = cia_db_query(s->db, s->e, NULL,
        "INSERT INTO ciatteh_seed (path, sha256) VALUES ($1, $2) "
        "ON CONFLICT (path) DO UPDATE SET sha256 = EXCLUDED.sha256, loaded_at = now()", 2, p);
    return s->rc ? 1 : 0;
}

/* The group tables and group_SERVICE() made from the service specs
 * (etl/group_sql.c writes this file): applied after the migrations when
 * anything was migrated or its text changed, recorded as a seed is.  Its
 * statements make what is missing and replace the functions, so applying
 * it again changes nothing. */
#define GROUPS_SQL "schema/groups.sql"

static int apply_groups(cia_db *db, int applied_any, int *loaded, cia_err *e)
{
    size_t len;
    const char *sql = cia_embedded(GROUPS_SQL, &len);
    if (!sql) return CIA_OK;
    char hash[65];
    cia_sha256_hex(sql, len, hash);
    const char *p[2] = {GROUPS_SQL, hash};
    PGresult *r;
    int rc = cia_db_query(db, e, &r, "SELECT 1 FROM ciatteh_seed WHERE path = $1 AND sha256 = $2", 2, p);
    if (rc) return rc;
    int same = PQntuples(r) == 1;
    PQclear(r);
    if (same && !applied_any) return CIA_OK;
    cia_debug("applying %s", GROUPS_SQL);
    if ((rc = cia_db_exec(db, e, sql))) return rc;
    (*loaded)++;
    return cia_db_query(db, e, NULL,
        "INSERT INTO ciatteh_seed (path, sha256) VALUES ($1, $2) "
        "ON CONFLICT (path) DO UPDATE SET sha256 = EXCLUDED.sha256, loaded_at = now()", 2, p);
}

struct seedcheck { PGresult *r; int col; int all_same; };   /* col: path, then hash */

static int seed_check_one(const char *path, const char *data, size_t len, void *arg)
{
    struct seedcheck *c = arg;
    char hash[65];
    cia_sha256_hex(data, len, hash);
    for (int i = 0; i < PQntuples(c->r); i++)
        if (!PQgetisnull(c->r, i, c->col) && !strcmp(PQgetvalue(c->r, i, c->col), path) &&
            !strcmp(PQgetvalue(c->r, i, c->col + 1), hash))
            return 0;
    c->all_same = 0;
    return 1;
}

/* The usual case, in one round trip and without taking any lock: the
 * database has every embedded migration (highest version and count) and
 * every embedded seed as it is.  1: all current; 0: not (or the tables are
 * missing: the full path below finds out what); CIA_EUNAVAIL via *rc when
 * the database is newer than this program. */
static int all_current(cia_db *db, int know, int nmigs, int *rc, cia_err *e)
{
    *rc = CIA_OK;
    PGresult *r = PQexec(db->conn,
        "SELECT m.v, m.n, s.path, s.sha256 FROM "
        "(SELECT coalesce(max(version), 0) AS v, count(*) AS n FROM ciatteh_migration) m "
        "LEFT JOIN ciatteh_seed s ON true");
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1) {
        PQclear(r);
        return 0;
    }
    int have = atoi(PQgetvalue(r, 0, 0)), n = atoi(PQgetvalue(r, 0, 1));
    if (have > know) {
        PQclear(r);
        *rc = too_new(have, know, e);
        return 0;
    }
    int same = have == know && n == nmigs;
    if (same) {
        struct seedcheck c = {r, 2, 1};
        cia_embedded_each("schema/seed/", seed_check_one, &c);
        size_t len;
        const char *groups = cia_embedded(GROUPS_SQL, &len);
        if (groups && c.all_same) seed_check_one(GROUPS_SQL, groups, len, &c);
        same = c.all_same;
    }
    PQclear(r);
    return same;
}

int cia_migrate_current(cia_db *db)
{
    struct migs m;
    load_migs(&m);
    int rc;
    cia_err ignored;
    return all_current(db, m.n ? m.v[m.n - 1].version : 0, m.n, &rc, &ignored);
}

static int is_applied(cia_db *db, int version)
{
    char v[16];
    snprintf(v, sizeof v, "%d", version);
    const char *p[1] = {v};
    PGresult *r = PQexecParams(db->conn, "SELECT 1 FROM ciatteh_migration WHERE version = $1",
                               1, NULL, p, NULL, NULL, 0);
    int yes = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    PQclear(r);
    return yes;
}

int cia_migrate(cia_db *db, cia_err *e)
{
    struct migs m;
    load_migs(&m);
    int know = m.n ? m.v[m.n - 1].version : 0;
    int have, rc;
    if (all_current(db, know, m.n, &rc, e)) return CIA_OK;   /* usual */
    if (rc) return rc;
    if ((rc = cia_schema_version_db(db, &have, e))) return rc;
    if (have > know) return too_new(have, know, e);
    if ((rc = cia_db_begin(db, e))) return rc;
    if ((rc = cia_db_exec(db, e, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")"))) goto fail;
    if ((rc = cia_db_exec(db, e,
        "CREATE TABLE IF NOT EXISTS ciatteh_migration ("
        " version integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now());"
        "CREATE TABLE IF NOT EXISTS ciatteh_seed ("
        " path text PRIMARY KEY, sha256 text NOT NULL,"
        " loaded_at timestamptz NOT NULL DEFAULT now())"))) goto fail;
    if ((rc = cia_schema_version_db(db, &have, e))) goto fail;
    if (have > know) { rc = too_new(have, know, e); goto fail; }
    int applied_any = 0;
    for (int i = 0; i < m.n; i++) {
        /* Every migration not yet recorded, not only those above the
         * highest: a branch that landed a lower number later still runs. */
        if (is_applied(db, m.v[i].version)) continue;
        applied_any = 1;
        cia_info("applying schema migration %s", m.v[i].path);
        PGresult *r = PQexec(db->conn, m.v[i].sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
            rc = cia_db_fail(db, e, r, m.v[i].path);
            PQclear(r);
            goto fail;
        }
        PQclear(r);
        char ver[16], hash[65];
        snprintf(ver, sizeof ver, "%d", m.v[i].version);
        cia_sha256_hex(m.v[i].sql, m.v[i].len, hash);
        const char *p[3] = {ver, m.v[i].path, hash};
        if ((rc = cia_db_query(db, e, NULL,
                 "INSERT INTO ciatteh_migration (version, name, sha256) VALUES ($1, $2, $3)",
                 3, p))) goto fail;
    }
    struct seedctx s = {db, e, 0, 0};
    cia_embedded_each("schema/seed/", seed_one, &s);
    if ((rc = s.rc)) goto fail;
    if ((rc = apply_groups(db, applied_any, &s.loaded, e))) goto fail;
    if (applied_any || s.loaded) {
        /* The items' views are made from their declarations in the item
         * seed (schema/0012_items.sql). */
        if ((rc = cia_db_exec(db, e,
            "DO $$ BEGIN IF to_regproc('ciatteh_build_items') IS NOT NULL THEN "
            "PERFORM ciatteh_build_items(); END IF; END $$"))) goto fail;
    }
    if (applied_any) {
        /* Derivation rules may have changed with the schema: re-derive. */
        if ((rc = cia_db_exec(db, e,
            "DO $$ BEGIN IF to_regproc('rederive_all') IS NOT NULL THEN "
            "PERFORM rederive_all(); END IF; END $$"))) goto fail;
    }
    return cia_db_commit(db, e);
fail:
    cia_db_rollback(db);
    return rc;
}
