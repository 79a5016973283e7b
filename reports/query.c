/* query.c — item facts → figures: the query contract of ITEMS.md.
 * Dimension names are checked against the catalogue before they are
 * used as column names; every value from the command line is a
 * parameter.  The figures statement runs with hash join and hash
 * aggregation imposed, in a transaction (or savepoint) of its own so the
 * settings end with it: see run_figures(). */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/query.h"
#include "ciatteh/date.h"

int cia_check_as_of(const char *as_of, cia_err *e)
{
    int ymd;
    char why[80];
    if (!as_of) return CIA_OK;
    if (!cia_parse_date(as_of, strlen(as_of), &ymd, why, sizeof why) || as_of[4] != '-')
        return cia_fail(e, CIA_EUSAGE, "--as-of '%s': expected a date YYYY-MM-DD%s%s", as_of,
                        why[0] ? ": " : "", why);
    return CIA_OK;
}

void cia_qresult_free(struct cia_qresult *r)
{
    for (size_t i = 0; i < r->n; i++)
        for (int d = 0; d < r->nby; d++) free(r->rows[i].dims[d]);
    free(r->rows);
    memset(r, 0, sizeof *r);
}

static int check_item(cia_db *db, const struct cia_query *q, char *dims, size_t dimslen,
                      char *provisional, size_t provlen, cia_err *e)
{
    PGresult *r;
    const char *p[1] = {q->item};
    int rc = cia_db_query(db, e, &r, "SELECT dims, provisional, service FROM item WHERE code = $1", 1, p);
    if (rc) return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        if ((rc = cia_db_query(db, e, &r, "SELECT string_agg(code, ', ' ORDER BY sort) FROM item", 0, NULL)))
            return rc;
        rc = cia_fail(e, CIA_EUSAGE, "unknown item '%s'; items: %s", q->item, PQgetvalue(r, 0, 0));
        PQclear(r);
        return rc;
    }
    snprintf(dims, dimslen, ",%s,", PQgetvalue(r, 0, 0));
    snprintf(provisional, provlen, "%s", PQgetvalue(r, 0, 1));
    PQclear(r);
    const char *all[2 * CIA_MAX_BY];
    int n = 0;
    for (int i = 0; i < q->nby; i++) all[n++] = q->by[i];
    for (int i = 0; i < q->nwhere; i++) all[n++] = q->where_dim[i];
    for (int i = 0; i < n; i++) {
        char needle[80];
        snprintf(needle, sizeof needle, ",%s,", all[i]);
        if (strlen(all[i]) > 40 || !strstr(dims, needle)) {
            dims[strlen(dims) - 1] = '\0';
            return cia_fail(e, CIA_EUSAGE, "item %s has no dimension '%s'; its dimensions: %s",
                            q->item, all[i], dims + 1);
        }
        for (int j = 0; j < i && j < q->nby; j++)
            if (!strcmp(all[i], all[j]) && i < q->nby)
                return cia_fail(e, CIA_EUSAGE, "--by names '%s' twice", all[i]);
    }
    /* --where codes must exist in the dimension's list (nationality: any
     * two-letter code). */
    for (int i = 0; i < q->nwhere; i++) {
        const char *pp[2] = {q->where_dim[i], q->where_codes[i]};
        if ((rc = cia_db_query(db, e, &r,
                "SELECT c, EXISTS (SELECT 1 FROM dimension d JOIN code k ON k.list = d.list "
                "                  WHERE d.code = $1 AND k.code = c) "
                "          OR ($1 = 'nationality' AND c ~ '^([A-Z]{2}|UNK)$'), "
                "       (SELECT string_agg(k.code, ', ' ORDER BY k.sort) FROM dimension d "
                "          JOIN code k ON k.list = d.list WHERE d.code = $1) "
                "FROM unnest(string_to_array($2, ',')) c", 2, pp)))
            return rc;
        for (int k = 0; k < PQntuples(r); k++)
            if (PQgetvalue(r, k, 1)[0] != 't') {
                rc = cia_fail(e, CIA_EUSAGE, "--where %s=%s: unknown code '%s'; codes: %s", q->where_dim[i],
                              q->where_codes[i], PQgetvalue(r, k, 0),
                              PQgetisnull(r, k, 2) ? "ISO 3166-1 alpha-2 or UNK" : PQgetvalue(r, k, 2));
                break;
            }
        PQclear(r);
        if (rc) return rc;
    }
    return CIA_OK;
}

/* The planner sees one item's facts joined to the coverage (a few hundred
 * (delivery, scope, year) rows) but, multiplying the selectivities of the
 * three join columns as if independent, expects a few dozen rows where
 * there are tens of thousands (50 000 for a conviction item over 20
 * years).  It then picks a nested loop over item_fact_delivery or a merge
 * join, and a sort + GroupAggregate that spills at work_mem 4 MB: 100+ ms.
 * Hash join + hash aggregation is right at every size these queries have
 * (the coverage is small, the groups are at most years × codes), so the
 * statement runs with the other join and grouping methods turned off, and
 * without JIT (those settings add disable_cost to the estimate, which would
 * otherwise cross jit_above_cost and compile for seconds).  The settings
 * are transaction-local: in our own transaction, or in a savepoint rolled
 * back afterwards when the caller has one open (reports read in one
 * REPEATABLE READ transaction), so nothing leaks to the caller's
 * statements.  The statement only reads: rolling back changes nothing. */
#define PLAN_SETTINGS "SELECT set_config('enable_nestloop', 'off', true), " \
    "set_config('enable_mergejoin', 'off', true), set_config('enable_sort', 'off', true), " \
    "set_config('jit', 'off', true)"

static int run_figures(cia_db *db, const char *sql, int np, const char *const *params, PGresult **r,
                       cia_err *e)
{
    int own = PQtransactionStatus(db->conn) == PQTRANS_IDLE;
    int rc = cia_db_exec(db, e, own ? "BEGIN; " PLAN_SETTINGS : "SAVEPOINT cia_query; " PLAN_SETTINGS);
    if (rc) {
        if (own) cia_db_rollback(db);
        else PQclear(PQexec(db->conn, "ROLLBACK TO SAVEPOINT cia_query; RELEASE SAVEPOINT cia_query"));
        return rc;
    }
    rc = cia_db_query(db, e, r, sql, np, params);
    cia_err ignored;
    cia_err_clear(&ignored);
    int rc2 = own ? cia_db_exec(db, rc ? &ignored : e, rc ? "ROLLBACK" : "COMMIT")
                  : cia_db_exec(db, rc ? &ignored : e,
                                "ROLLBACK TO SAVEPOINT cia_query; RELEASE SAVEPOINT cia_query");
    if (!rc && rc2) {
        PQclear(*r);
        *r = NULL;
        rc = rc2;
    }
    return rc;
}

int cia_query_run(cia_db *db, const struct cia_query *q, struct cia_qresult *out, cia_err *e)
{
    memset(out, 0, sizeof *out);
    char dims[512], prov[64];
    int rc;
    if ((rc = cia_check_as_of(q->as_of, e))) return rc;
    if ((rc = check_item(db, q, dims, sizeof dims, prov, sizeof prov, e))) return rc;
    /* Column names come from the catalogue check above, never raw input. */
    cia_buf sel, grp, ord, sql;
    cia_buf_init(&ord);
    cia_buf_init(&sel);
    cia_buf_init(&grp);
    cia_buf_init(&sql);
    for (int i = 0; i < q->nby; i++) {
        cia_buf_printf(&sel, ", coalesce(f.%s, 'UNK') AS d%d", q->by[i], i);
        cia_buf_printf(&grp, ", %d", i + 2);
        cia_buf_printf(&ord, ", d%d COLLATE \"C\"", i);
    }
    char y0[16], y1[16];
    snprintf(y0, sizeof y0, "%d", q->year_from ? q->year_from : 0);
    snprintf(y1, sizeof y1, "%d", q->year_to ? q->year_to : 9999);
    const char *params[4 + CIA_MAX_BY];
    int np = 0;
    params[np++] = q->item;
    params[np++] = q->as_of;
    params[np++] = y0;
    params[np++] = y1;
    /* The end of the --as-of day as an expression of the parameter, not a
     * sub-select: coverage_as_of() and provisional_years() are then
     * inlined into the statement and planned with the rest. */
#define ASOF_T "CASE WHEN $2::date IS NULL THEN 'infinity'::timestamptz " \
        "ELSE (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Brussels') - interval '1 microsecond' END"
    /* The item's own view (schema/0007): the union of all items,
     * item_fact, costs ~10 ms of planning.  The code is the catalogue's
     * (check_item above), quoted all the same. */
    char view[128];
    snprintf(view, sizeof view, "item_fact_%s", q->item);
    for (char *c = view; *c; c++)
        if (*c == '.') *c = '_';
    char *rel = PQescapeIdentifier(db->conn, view, strlen(view));
    if (!rel) {
        cia_buf_free(&sel);
        cia_buf_free(&grp);
        cia_buf_free(&ord);
        return cia_db_fail(db, e, NULL, "quoting an item's view");
    }
    cia_buf_printf(&sql,
        "WITH facts AS (SELECT f.year%s, sum(f.value) AS v, sum(f.n_records) AS n, sum(f.n_unknown) AS u "
        "  FROM %s f JOIN coverage_as_of(" ASOF_T ") c "
        "    ON c.delivery_id = f.delivery_id AND c.scope = f.scope AND c.year = f.dyear "
        "  WHERE f.item = $1 AND f.year BETWEEN $3::int AND $4::int", sel.data ? sel.data : "", rel);
    PQfreemem(rel);
    for (int i = 0; i < q->nwhere; i++) {
        params[np] = q->where_codes[i];
        cia_buf_printf(&sql, " AND coalesce(f.%s, 'UNK') = ANY(string_to_array($%d, ','))", q->where_dim[i], np + 1);
        np++;
    }

    cia_buf_printf(&sql, " GROUP BY f.year%s) "
        "SELECT facts.*, facts.year IN (SELECT p.year FROM item i, "
        "    LATERAL provisional_years(i.service, " ASOF_T ") p "
        "    WHERE i.code = $1 AND i.provisional = 'registration_lag') "
        /* An item counted by a later date (decision, admission) reaches
         * into years the service has not delivered yet: cases entering
         * that year are still to come, so the figure is provisional. */
        "  OR facts.year > (SELECT max(c.year) FROM coverage_as_of(" ASOF_T ") c "
        "    JOIN item i ON i.service = c.service WHERE i.code = $1) AS prov "
        "FROM facts WHERE n > 0 ORDER BY year%s", grp.data ? grp.data : "", ord.data ? ord.data : "");
#undef ASOF_T
    PGresult *r = NULL;
    rc = run_figures(db, sql.data, np, params, &r, e);
    cia_buf_free(&sel);
    cia_buf_free(&grp);
    cia_buf_free(&ord);
    cia_buf_free(&sql);
    if (rc) return rc;
    out->nby = q->nby;
    out->n = (size_t)PQntuples(r);
    out->rows = cia_xcalloc(out->n ? out->n : 1, sizeof *out->rows);
    for (size_t i = 0; i < out->n; i++) {
        struct cia_qrow *row = &out->rows[i];
        int c = 0;
        row->year = atoi(PQgetvalue(r, (int)i, c++));
        for (int d = 0; d < q->nby; d++) row->dims[d] = cia_xstrdup(PQgetvalue(r, (int)i, c++));
        row->known = !PQgetisnull(r, (int)i, c);
        row->value = row->known ? atoll(PQgetvalue(r, (int)i, c)) : 0;
        c++;
        row->n_records = atoll(PQgetvalue(r, (int)i, c++));
        row->n_unknown = atoll(PQgetvalue(r, (int)i, c++));
        int p = PQgetvalue(r, (int)i, c)[0] == 't';
        size_t k = 0;
        if (row->n_unknown > 0) row->flags[k++] = 'u';
        if (p) row->flags[k++] = 'p';
        row->flags[k] = '\0';
    }
    PQclear(r);
    return CIA_OK;
}

int cia_query_write_csv(FILE *fp, const struct cia_query *q, const struct cia_qresult *r, cia_err *e)
{
    fputs("item,year", fp);
    for (int d = 0; d < q->nby; d++) fprintf(fp, ",%s", q->by[d]);
    fputs(",value,flag\n", fp);
    for (size_t i = 0; i < r->n; i++) {
        const struct cia_qrow *row = &r->rows[i];
        fprintf(fp, "%s,%d", q->item, row->year);
        for (int d = 0; d < q->nby; d++) fprintf(fp, ",%s", row->dims[d]);
        if (row->known) fprintf(fp, ",%lld,%s\n", row->value, row->flags);
        else fprintf(fp, ",,%s\n", row->flags);
    }
    if (fflush(fp) != 0 || ferror(fp)) return cia_fail(e, CIA_ECANTCREAT, "cannot write the output");
    return CIA_OK;
}
