/* load_delivery.c — owns a load's bookkeeping in the database: the
 * service's load lock, the delivery row (or the identical earlier one),
 * its partition of the record table, the years (and scopes) it covers and
 * what it replaces, its item groups, its stamp and the commit — or the
 * rollback, with a checkpoint after a big one.  A delivery is one
 * transaction: committed whole or absent. */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/load_run.h"
#include "ciatteh/testpoint.h"

/* The group table must have the columns the spec's group declarations
 * give, in their order: the loader copies its groups in by position. */
int ld_group_columns(cia_loader *l, cia_err *e)
{
    cia_groups *g;
    int rc = cia_groups_new(&g, l->spec, GROUP_MEMORY, e);
    if (rc || !g) return rc;
    l->grouped = 1;
    if (!cia_groups_has_table(g)) {   /* the registration delay only */
        cia_groups_free(g);
        return CIA_OK;
    }
    char table[96];
    snprintf(table, sizeof table, "%s_group", l->spec->service);
    PGresult *q;
    if (!(rc = ld_table_columns(l->db, table, &q, e))) {
        size_t n = cia_groups_ncols(g);
        for (size_t i = 0; i < n && !rc; i++) {
            const char *name = cia_groups_col_name(g, i), *type = cia_groups_col_type(g, i);
            if ((int)i >= PQntuples(q) || strcmp(PQgetvalue(q, (int)i, 0), name) ||
                strcmp(PQgetvalue(q, (int)i, 1), type))
                rc = cia_fail(e, CIA_EINTERNAL, "group table %s: column %zu must be %s %s, as the %s spec's "
                              "group lines declare", table, i + 1, name, type, l->spec->service);
        }
        if (!rc && (size_t)PQntuples(q) != n)
            rc = cia_fail(e, CIA_EINTERNAL, "group table %s has %d columns, the %s spec declares %zu", table,
                          PQntuples(q), l->spec->service, n);
        PQclear(q);
    }
    cia_groups_free(g);
    return rc;
}

void ld_tally_year(struct load_run *r, const char *scope, int year)
{
    if (r->nys && r->ys[r->lastys].year == year && !strcmp(r->ys[r->lastys].scope, scope)) {
        r->ys[r->lastys].rows++;
        return;
    }
    for (size_t i = 0; i < r->nys; i++)
        if (r->ys[i].year == year && !strcmp(r->ys[i].scope, scope)) {
            r->ys[i].rows++;
            r->lastys = i;
            return;
        }
    if (r->nys == r->capys) {
        r->capys = r->capys ? r->capys * 2 : 16;
        r->ys = cia_xrealloc(r->ys, r->capys * sizeof *r->ys);
    }
    snprintf(r->ys[r->nys].scope, sizeof r->ys[r->nys].scope, "%s", scope);
    r->ys[r->nys].year = year;
    r->ys[r->nys].rows = 1;
    r->lastys = r->nys++;
}

static int cmp_year(const void *a, const void *b)
{
    const struct yscope *x = a, *y = b;
    return x->year != y->year ? x->year - y->year : strcmp(x->scope, y->scope);
}

/* res->years: "2020,2021", the years covered, ascending. */
void ld_years_text(struct load_run *r)
{
    if (r->nys) qsort(r->ys, r->nys, sizeof *r->ys, cmp_year);   /* qsort(NULL, 0) is undefined */
    cia_buf yb;
    cia_buf_init(&yb);
    for (size_t i = 0; i < r->nys; i++)
        if (!i || r->ys[i].year != r->ys[i - 1].year) cia_buf_printf(&yb, "%s%d", yb.len ? "," : "", r->ys[i].year);
    snprintf(r->res->years, sizeof r->res->years, "%s", yb.data ? yb.data : "");
    cia_buf_free(&yb);
}

/* The transaction, the lock, the delivery row and its partition, COPY
 * started into it.  An identical earlier delivery: r->done, nothing
 * changed. */
int ld_delivery_begin(struct load_run *r, cia_err *e)
{
    cia_loader *l = r->l;
    cia_db *db = l->db;
    const cia_spec *s = l->spec;
    struct cia_load_result *res = r->res;
    const char *path = r->path, *loaded_at = l->o.loaded_at;
    int rc;
    char stmt[128];
    const char *lt = getenv("CIATTEH_LOCK_TIMEOUT");
    int lock_secs = lt && atoi(lt) > 0 ? atoi(lt) : 30;
    if ((rc = cia_db_begin(db, e))) return rc;
    r->in_tx = 1;
    snprintf(stmt, sizeof stmt, "SET LOCAL lock_timeout = '%ds'", lock_secs);
    if ((rc = cia_db_exec(db, e, stmt))) return rc;
    const char *p1[1] = {s->service};
    /* The service's load lock: a row lock only its loader and
     * administrators may take (schema/0008), waited for up to the
     * lock timeout. */
    rc = cia_db_query(db, e, NULL, "SELECT ciatteh_lock('load.' || $1)", 1, p1);
    if (rc == CIA_EBUSY) return cia_fail(e, CIA_EBUSY, "another load of %s holds the lock; try again later", s->service);
    if (rc) return rc;
    const char *p2[2] = {s->service, r->scan.sha256};
    PGresult *q;
    if ((rc = cia_db_query(db, e, &q,
            "SELECT id FROM delivery "
            "WHERE service = $1 AND sha256 = $2", 2, p2))) return rc;
    if (PQntuples(q) == 1) {
        res->identical = 1;
        res->delivery_id = atoll(PQgetvalue(q, 0, 0));
        PQclear(q);
        cia_db_rollback(db);
        r->in_tx = 0;
        r->done = 1;
        return CIA_OK;
    }
    PQclear(q);
    char size[32];
    snprintf(size, sizeof size, "%lld", r->scan.size);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const char *user = getenv("USER") ? getenv("USER") : "";
    const char *p3[7] = {s->service, base, r->scan.sha256, size, res->encoding, loaded_at, user};
    if ((rc = cia_db_query(db, e, &q,
            "INSERT INTO delivery (service, file_name, sha256, size_bytes, encoding, loaded_at, os_user) "
            "VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()), $7) RETURNING id", 7, p3)))
        return rc;
    r->delivery_id = atoll(PQgetvalue(q, 0, 0));
    PQclear(q);
    /* Tests shrink the memory to make the groups spill in a small file. */
    size_t mem = cia_test_size("GROUP_MEMORY", GROUP_MEMORY);
    if (l->grouped && (rc = cia_groups_new(&r->groups, s, mem, e))) return rc;
    /* The delivery's own partition of the record table, written
     * directly (schema/0007). */
    char id[32];
    snprintf(id, sizeof id, "%lld", r->delivery_id);
    const char *p4[1] = {id};
    rc = cia_db_query(db, e, &q, "SELECT ciatteh_record_partition($1)", 1, p4);
    if (rc == CIA_EBUSY) {
        /* Attaching needs SHARE UPDATE EXCLUSIVE on the record table:
         * readers never hold anything stronger than ACCESS SHARE, but
         * an administrator's LOCK TABLE or schema change might. */
        return cia_fail(e, CIA_EBUSY, "another session holds a lock on %s for more than the lock "
                        "timeout (%d s, CIATTEH_LOCK_TIMEOUT): nothing was loaded; try again later",
                        s->table, lock_secs);
    }
    if (rc) return rc;
    rc = ld_copy_begin(r, PQgetvalue(q, 0, 0), e);
    PQclear(q);
    return rc;
}

struct group_sink { cia_db *db; cia_err *e; };

static int put_groups(const void *buf, size_t len, void *arg)
{
    struct group_sink *k = arg;
    if (PQputCopyData(k->db->conn, buf, (int)len) != 1) return cia_db_fail(k->db, k->e, NULL, "COPY");
    return CIA_OK;
}

/* The delivery's groups into its service's group table, and the
 * registration delay (convictions) into its delivery row. */
static int copy_groups(struct load_run *r, cia_err *e)
{
    cia_db *db = r->l->db;
    if (r->group_failed) {
        *e = r->group_err;
        return e->code;
    }
    int rc = CIA_OK;
    if (cia_groups_has_table(r->groups)) {
        char *sql = cia_groups_copy_sql(r->groups);
        PGresult *q = PQexec(db->conn, sql);
        free(sql);
        rc = PQresultStatus(q) == PGRES_COPY_IN ? CIA_OK : cia_db_fail(db, e, q, "COPY");
        PQclear(q);
        if (rc) return rc;
        struct group_sink k = {db, e};
        rc = cia_groups_copy_out(r->groups, r->delivery_id, put_groups, &k, e);
        if (PQputCopyEnd(db->conn, rc ? "aborted" : NULL) != 1 && !rc) rc = cia_db_fail(db, e, NULL, "COPY");
        while ((q = PQgetResult(db->conn))) {
            if (!rc && PQresultStatus(q) != PGRES_COMMAND_OK) rc = cia_db_fail(db, e, q, "COPY");
            PQclear(q);
        }
        cia_debug("%s: groups: %lld rows, %lld of them spilled", r->path, cia_groups_rows(r->groups),
                  cia_groups_spilled(r->groups));
    }
    int newest, p95;
    if (!rc && cia_groups_lag(r->groups, &newest, &p95)) {
        char id[32], ref[16], lag[16];
        snprintf(id, sizeof id, "%lld", r->delivery_id);
        snprintf(ref, sizeof ref, "%04d-%02d-%02d", newest / 10000, newest / 100 % 100, newest % 100);
        snprintf(lag, sizeof lag, "%d", p95);
        const char *p[3] = {id, ref, lag};
        rc = cia_db_query(db, e, NULL, "UPDATE delivery SET reference_date = $2, lag_p95_days = $3 WHERE id = $1",
                          3, p);
    }
    return rc;
}

int ld_years_and_derive(struct load_run *r, const char *loaded_at, cia_err *e)
{
    cia_loader *l = r->l;
    char id[32], rows[32], year[16], rejected[32];
    snprintf(id, sizeof id, "%lld", r->delivery_id);
    int rc;
    cia_buf repl;
    cia_buf_init(&repl);
    for (size_t i = 0; i < r->nys; i++) {
        snprintf(year, sizeof year, "%d", r->ys[i].year);
        snprintf(rows, sizeof rows, "%lld", r->ys[i].rows);
        const char *p[6] = {id, l->spec->service, r->ys[i].scope, year, rows, loaded_at};
        PGresult *res;
        rc = cia_db_query(l->db, e, &res,
            "INSERT INTO delivery_year (delivery_id, service, scope, year, rows, replaces) "
            "SELECT $1, $2, $3, $4, $5, (SELECT c.delivery_id FROM "
            "  coverage_as_of(coalesce($6::timestamptz, now())) c "
            "  WHERE c.service = $2 AND c.scope = $3 AND c.year = $4 AND c.delivery_id <> $1) "
            "RETURNING replaces", 6, p);
        if (rc) { cia_buf_free(&repl); return rc; }
        if (!PQgetisnull(res, 0, 0))
            cia_buf_printf(&repl, "%s#%s for %d%s%s", repl.len ? "; " : "", PQgetvalue(res, 0, 0),
                           r->ys[i].year, r->ys[i].scope[0] ? " " : "", r->ys[i].scope);
        PQclear(res);
    }
    snprintf(r->res->replaced, sizeof r->res->replaced, "%s", repl.data ? repl.data : "");
    cia_buf_free(&repl);
    snprintf(rows, sizeof rows, "%lld", r->rows_ok);
    snprintf(rejected, sizeof rejected, "%lld", r->rows_bad);
    const char *p[4] = {id, rows, rejected, r->rows_bad ? "t" : "f"};
    if ((rc = cia_db_query(l->db, e, NULL,
            "UPDATE delivery SET rows = $2, rejected_rows = $3, partial = $4 WHERE id = $1", 4, p)))
        return rc;
    /* Duplicates taken back out (--keep-going) were counted: the server
     * counts the records that stay instead. */
    if (r->groups && !r->ndups) return copy_groups(r, e);
    return cia_db_query(l->db, e, NULL, "SELECT derive_items($1)", 1, p);
}

/* Dated at its commit, not at its transaction's start: an as-of answer
 * for a moment before this never changes (schema/0013). */
int ld_delivery_stamp(struct load_run *r, cia_err *e)
{
    if (r->l->o.loaded_at) return CIA_OK;
    char id[32];
    snprintf(id, sizeof id, "%lld", r->delivery_id);
    const char *p[1] = {id};
    return cia_db_query(r->l->db, e, NULL, "SELECT ciatteh_stamp_delivery($1)", 1, p);
}

int ld_delivery_commit(struct load_run *r, cia_err *e)
{
    r->in_tx = 0;
    int rc = cia_db_commit(r->l->db, e);
    if (!rc) r->res->delivery_id = r->delivery_id;
    return rc;
}

/* A big load rolled back leaves its WAL behind until the next checkpoint
 * (max_wal_size, or checkpoint_timeout): a few failed gigabyte loads in a
 * row filled a small disk until the server stopped.  A checkpoint now lets
 * the server recycle that WAL at once.  Only the cluster's owner (or
 * pg_checkpoint) may: for a loader role it fails, quietly — a server run by
 * others is theirs to size (docs/RELIABILITY.md). */
#define CHECKPOINT_AFTER (64LL * 1024 * 1024)
static void checkpoint_after(struct load_run *r)
{
    if (r->l->o.dry_run || r->scan.size < CHECKPOINT_AFTER || PQstatus(r->l->db->conn) != CONNECTION_OK) return;
    cia_err e2;
    cia_err_clear(&e2);
    if (cia_db_exec(r->l->db, &e2, "CHECKPOINT") == CIA_OK)
        cia_debug("%s: checkpoint after the failed load (its WAL can be recycled)", r->path);
}


/* Nothing of the delivery stays. */
void ld_delivery_abort(struct load_run *r, cia_err *e)
{
    if (r->copying) ld_end_copy(r, "aborted", e);
    cia_db_rollback(r->l->db);
    r->in_tx = 0;
    checkpoint_after(r);
}
