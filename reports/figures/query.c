/* query.c — the figure layer's door in C: item facts → cells, through the
 * one SQL function figures() (schema/0009_figures.sql), which decides
 * every state (not delivered, incomplete, provisional, lower bound,
 * delivered zero) and the offence scope (THB unless offence is asked).
 * Every report, chart, check, pack table and questionnaire answer reads
 * its figures here; this file only checks the request against the
 * catalogue (for messages that say what is accepted) and turns each row's
 * decisions into the flags of ITEMS.md. */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/query.h"
#include "ciatteh/date.h"
#include "ciatteh/table.h"
#include "memo.h"

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
    /* Offences are never added together: two offences under one
     * condition would be a THB + SMUG sum under one label. */
    for (int i = 0; i < q->nwhere; i++)
        if (!strcmp(q->where_dim[i], "offence") && strchr(q->where_codes[i], ','))
            return cia_fail(e, CIA_EUSAGE, "--where offence=%s: offences are never added together; "
                            "ask --by offence for them side by side", q->where_codes[i]);
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

/* The flags of one row of figures(): its state decisions as letters. */
static void row_flags(struct cia_qrow *row, int delivered, int incomplete, int provisional)
{
    char in[8];
    size_t k = 0;
    if (delivered && row->n_unknown > 0) in[k++] = 'u';
    if (provisional) in[k++] = 'p';
    if (!delivered && !incomplete) in[k++] = 'n';
    if (incomplete) in[k++] = 'i';
    in[k] = '\0';
    cia_flags_normalise(in, row->flags);
}

int cia_query_run(cia_db *db, const struct cia_query *q, struct cia_qresult *out, cia_err *e)
{
    memset(out, 0, sizeof *out);
    char dims[512], prov[64];
    int rc;
    if ((rc = cia_check_as_of(q->as_of, e))) return rc;
    cia_buf by, wdim, wcodes, key;
    cia_buf_init(&by);
    cia_buf_init(&wdim);
    cia_buf_init(&wcodes);
    cia_buf_init(&key);
    cia_buf_adds(&by, "");
    cia_buf_adds(&wdim, "");
    cia_buf_adds(&wcodes, "");
    for (int i = 0; i < q->nby; i++) cia_buf_printf(&by, "%s%s", i ? "," : "", q->by[i]);
    for (int i = 0; i < q->nwhere; i++) {
        cia_buf_printf(&wdim, "%s%s", i ? "," : "", q->where_dim[i]);
        cia_buf_printf(&wcodes, "%s%s", i ? ";" : "", q->where_codes[i]);
    }
    char y0[16], y1[16];
    snprintf(y0, sizeof y0, "%d", q->year_from);
    snprintf(y1, sizeof y1, "%d", q->year_to);
    const char *params[7] = { q->item, q->as_of, q->year_from ? y0 : NULL, q->year_to ? y1 : NULL,
                              by.data, wdim.data, wcodes.data };
    /* The request as figures() gets it, each part length-prefixed (no
     * two requests share a key); asked before in this snapshot, it was
     * checked and answered then. */
    for (int i = 0; i < 7; i++)
        if (params[i]) cia_buf_printf(&key, "%zu:%s", strlen(params[i]), params[i]);
        else cia_buf_adds(&key, "-");
    PGresult *r = NULL;
    if (cia_memo_get(db, key.data, out)) goto done;
    if ((rc = check_item(db, q, dims, sizeof dims, prov, sizeof prov, e))) goto done;
    /* Dimensions and codes are checked against the catalogue above; they
     * reach figures() as parameters all the same. */
    rc = cia_db_query(db, e, &r,
        "SELECT * FROM figures($1, as_of_moment($2::date), $3::int, $4::int, $5, $6, $7)", 7, params);
done:
    cia_buf_free(&by);
    cia_buf_free(&wdim);
    cia_buf_free(&wcodes);
    if (rc || !r) {                /* failed, or answered from the memo */
        cia_buf_free(&key);
        return rc;
    }
    out->nby = q->nby;
    out->n = (size_t)PQntuples(r);
    out->rows = cia_xcalloc(out->n ? out->n : 1, sizeof *out->rows);
    for (size_t i = 0; i < out->n; i++) {
        struct cia_qrow *row = &out->rows[i];
        int t = (int)i;
        row->year = atoi(PQgetvalue(r, t, 0));
        for (int d = 0; d < q->nby; d++) row->dims[d] = cia_xstrdup(PQgetvalue(r, t, 1 + d));
        int delivered = PQgetvalue(r, t, 12)[0] == 't';
        row->known = delivered && !PQgetisnull(r, t, 9);
        row->value = row->known ? atoll(PQgetvalue(r, t, 9)) : 0;
        row->n_records = atoll(PQgetvalue(r, t, 10));
        row->n_unknown = atoll(PQgetvalue(r, t, 11));
        row_flags(row, delivered, PQgetvalue(r, t, 13)[0] == 't', PQgetvalue(r, t, 14)[0] == 't');
    }
    PQclear(r);
    cia_memo_put(db, key.data, out);
    cia_buf_free(&key);
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
