/* release.c — owns releases (release.h): one disclosure-control pattern
 * over the figures of every questionnaire of a reference year, fixed by
 * the earlier releases of the same years, stored, reused, applied to each
 * output and audited before anything is written. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/catalogue.h"
#include "ciatteh/release.h"

/* ---- the figures' source: code lists and finest counts ----------------- */

struct rsrc {
    cia_sdc_source s;
    cia_db *db;
    char *as_of;
    cia_catalogue *cat;              /* the figure layer's: code lists */
};

static const cia_strv *rsrc_codes(void *arg, const char *dim)
{
    struct rsrc *x = arg;
    return cia_cat_dim_codes(x->cat, dim);
}

static int rsrc_fine(void *arg, const char *item, int year, const char *const *dims, int nd,
                     const char *const *wdims, const char *const *wcodes, int nw,
                     cia_sdc_fine *out, cia_err *e)
{
    struct rsrc *x = arg;
    return cia_q_sdc_fine(x->db, x->as_of, item, year, dims, nd, wdims, wcodes, nw, out, e);
}

static int rsrc_new(cia_db *db, const char *as_of, struct rsrc **out, cia_err *e)
{
    struct rsrc *x = cia_xcalloc(1, sizeof *x);
    x->s.arg = x;
    x->s.codes = rsrc_codes;
    x->s.fine = rsrc_fine;
    x->db = db;
    x->as_of = as_of ? cia_xstrdup(as_of) : NULL;
    *out = x;
    return cia_catalogue_load(db, &x->cat, e);
}

static void rsrc_free(struct rsrc *x)
{
    if (!x) return;
    cia_catalogue_free(x->cat);
    free(x->as_of);
    free(x);
}

void cia_release_free(cia_release *r)
{
    if (!r) return;
    cia_sdc_free(&r->sdc);
    rsrc_free(r->src);
    free(r->as_of);
    free(r->data_as_of);
    free(r->deliveries);
    free(r->outputs);
    free(r);
}

static cia_release *release_new(cia_db *db, int year, const char *as_of, int threshold,
                                cia_err *e, int *rc)
{
    cia_release *r = cia_xcalloc(1, sizeof *r);
    r->year = year;
    r->threshold = threshold;
    r->as_of = as_of ? cia_xstrdup(as_of) : NULL;
    *rc = rsrc_new(db, as_of, &r->src, e);
    cia_sdc_init(&r->sdc, &r->src->s);
    return r;
}

/* ---- a figure read alone (a box an earlier release published) ---------- */

static int box_value(cia_db *db, const char *as_of, const char *item, int year,
                     const char *filters, int *known, long long *value, cia_err *e)
{
    cia_strv f = {0};
    cia_strv_split(&f, filters, ' ');
    struct cia_query q;
    memset(&q, 0, sizeof q);
    q.item = item;
    q.year_from = q.year_to = year;
    q.as_of = as_of;
    char *eq[CIA_MAX_BY];
    for (size_t i = 0; i < f.n && q.nwhere < CIA_MAX_BY; i++) {
        eq[q.nwhere] = strchr(f.v[i], '=');
        if (!eq[q.nwhere]) continue;
        *eq[q.nwhere] = '\0';
        q.where_dim[q.nwhere] = f.v[i];
        q.where_codes[q.nwhere] = eq[q.nwhere] + 1;
        q.nwhere++;
    }
    struct cia_qresult res;
    int rc = cia_query_run(db, &q, &res, e);
    cia_strv_free(&f);
    if (rc) return rc;
    *known = res.n ? res.rows[0].known : 1;     /* no row: a count of 0 */
    *value = res.n && res.rows[0].known ? res.rows[0].value : 0;
    cia_qresult_free(&res);
    return CIA_OK;
}

/* The values of the boxes rows[i] (item, year, filters in columns 0-2)
 * that are in neither r nor *known, added to *known: one breakdown per
 * item and year by every dimension those boxes filter, summed per box
 * (a box read alone when that breakdown cannot give it: a figure without
 * an offence among figures by offence is THB alone). */
static int prefetch_values(cia_db *db, cia_release *r, PGresult *rows, cia_sdc *known, cia_err *e)
{
    cia_map groups;
    cia_map_init(&groups);
    cia_strv keys = {0};
    for (int i = 0; i < PQntuples(rows); i++) {
        size_t k;
        const char *item = PQgetvalue(rows, i, 0), *filters = PQgetvalue(rows, i, 2);
        int year = atoi(PQgetvalue(rows, i, 1));
        if (cia_sdc_find(&r->sdc, item, year, filters, &k) == CIA_OK ||
            cia_sdc_find(known, item, year, filters, &k) == CIA_OK)
            continue;
        char *key = cia_xasprintf("%s|%d", item, year);
        cia_strv *v = cia_map_get(&groups, key);
        if (!v) {
            v = cia_xcalloc(1, sizeof *v);
            cia_map_put(&groups, key, v);
            cia_strv_push(&keys, key);
        }
        cia_strv_push(v, filters);
        free(key);
    }
    int rc = CIA_OK;
    for (size_t g = 0; g < keys.n && !rc; g++) {
        cia_strv *boxes = cia_map_get(&groups, keys.v[g]);
        char *item = cia_xstrdup(keys.v[g]);
        char *bar = strrchr(item, '|');
        *bar = '\0';
        int year = atoi(bar + 1);
        /* the dimensions filtered, and each box's filters parsed */
        cia_strv dims = {0};
        cia_strv *fl = cia_xcalloc(boxes->n + 1, sizeof *fl);
        for (size_t b = 0; b < boxes->n; b++) {
            cia_strv_split(&fl[b], boxes->v[b], ' ');
            for (size_t f = 0; f < fl[b].n; f++) {
                char *eq = strchr(fl[b].v[f], '=');
                if (!eq) continue;
                *eq = '\0';
                if (cia_strv_find(&dims, fl[b].v[f]) < 0) cia_strv_push(&dims, fl[b].v[f]);
            }
        }
        int by_offence = cia_strv_find(&dims, "offence") >= 0;
        struct cia_query q;
        memset(&q, 0, sizeof q);
        q.item = item;
        q.year_from = q.year_to = year;
        q.as_of = r->as_of;
        for (size_t d = 0; d < dims.n && q.nby < CIA_MAX_BY; d++) q.by[q.nby++] = dims.v[d];
        struct cia_qresult res;
        memset(&res, 0, sizeof res);
        if (dims.n <= CIA_MAX_BY) rc = cia_query_run(db, &q, &res, e);
        for (size_t b = 0; b < boxes->n && !rc; b++) {
            int kn = 1, alone = dims.n > CIA_MAX_BY;
            long long value = 0;
            int has_off = 0, seen = 0, unseen = 0;
            for (size_t f = 0; f < fl[b].n; f++) has_off |= !strcmp(fl[b].v[f], "offence");
            if (by_offence && !has_off) alone = 1;
            for (size_t i = 0; i < res.n && !alone; i++) {
                const struct cia_qrow *row = &res.rows[i];
                int any = 0;
                for (int d = 0; d < q.nby; d++) any |= row->dims[d] && *row->dims[d];
                if (!any && !row->known) kn = 0;   /* the year not delivered, or incomplete */
                int match = 1;
                for (size_t f = 0; f < fl[b].n && match; f++) {
                    int d = cia_strv_find(&dims, fl[b].v[f]);
                    cia_strv codes = {0};
                    cia_strv_split(&codes, fl[b].v[f] + strlen(fl[b].v[f]) + 1, ',');
                    match = d >= 0 && row->dims[d] && cia_strv_find(&codes, row->dims[d]) >= 0;
                    cia_strv_free(&codes);
                }
                if (match && row->known) { value += row->value; seen = 1; }
                if (match && !row->known) unseen = 1;
            }
            if (unseen && !seen) kn = 0;      /* a centre that sent nothing: not known */
            if (alone) rc = box_value(db, r->as_of, item, year, boxes->v[b], &kn, &value, e);
            if (!rc) rc = cia_sdc_add_stored(known, item, year, boxes->v[b], kn, kn ? value : 0, NULL, e);
        }
        if (dims.n <= CIA_MAX_BY) cia_qresult_free(&res);
        for (size_t b = 0; b < boxes->n; b++) cia_strv_free(&fl[b]);
        free(fl);
        cia_strv_free(&dims);
        free(item);
    }
    for (size_t g = 0; g < keys.n; g++) {
        cia_strv *v = cia_map_get(&groups, keys.v[g]);
        cia_strv_free(v);
        free(v);
    }
    cia_strv_free(&keys);
    cia_map_free(&groups);
    return rc;
}

/* ---- earlier releases ---------------------------------------------------- */

/* The years of the release's figures, as a PostgreSQL array literal. */
static char *years_array(const cia_sdc *s)
{
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_addc(&b, '{');
    int seen[64] = {0}, base = 0, n = 0;
    if (s->n) base = s->v[0].year - 32;
    for (size_t i = 0; i < s->n; i++) {
        int k = s->v[i].year - base;
        if (k < 0 || k >= 64 || seen[k]) continue;
        seen[k] = 1;
        cia_buf_printf(&b, "%s%d", n++ ? "," : "", s->v[i].year);
    }
    cia_buf_addc(&b, '}');
    return cia_buf_steal(&b);
}

/* Every figure an earlier release of these years published stays
 * published (an outsider holds it), every one withheld stays withheld.
 * Releases of another threshold are another series (docs/QUESTIONNAIRES.md
 * says why only one should be sent). */
static int fix_from_earlier(cia_db *db, cia_release *r, const cia_rboxes *have, cia_err *e)
{
    /* Figures of other years the caller read already (the pack's): their
     * values without a query each. */
    cia_sdc known;
    cia_sdc_init(&known, r->sdc.src);
    for (size_t i = 0; have && i < have->n; i++) {
        const cia_rbox *b = &have->v[i];
        if (b->year != r->year &&
            cia_sdc_add(&known, b->item, b->year, b->nd, (const char *const *)b->dim,
                        (const char *const *)b->codes, b->known, b->value, 0, NULL, e) != CIA_OK) {
            cia_sdc_free(&known);
            return CIA_EINTERNAL;
        }
    }
    char *years = years_array(&r->sdc);
    char ts[16];
    snprintf(ts, sizeof ts, "%d", r->threshold);
    const char *p[3] = {years, ts, r->data_as_of};
    PGresult *res;
    /* Releases of data up to this one's moment: an --as-of export
     * rebuilds what could be published then. */
    int rc = cia_db_query(db, e, &res,
        "SELECT c.item, c.year, c.filters, bool_or(c.status = 0 AND c.known), min(c.label), "
        "bool_or(c.status <> 0), "
        /* what they agree on: one published value, or one interval */
        "count(DISTINCT c.value) FILTER (WHERE c.status = 0 AND c.known), "
        "min(c.value) FILTER (WHERE c.status = 0 AND c.known), "
        "count(DISTINCT (c.lo, coalesce(c.hi, -1))) FILTER (WHERE c.status <> 0), "
        "min(c.lo) FILTER (WHERE c.status <> 0), min(coalesce(c.hi, -1)) FILTER (WHERE c.status <> 0) "
        "FROM release_cell c JOIN release r ON r.id = c.release_id "
        "WHERE c.year = ANY ($1::int[]) AND r.threshold = $2::int "
        "AND r.data_as_of <= $3::timestamptz GROUP BY 1, 2, 3 ORDER BY 1, 2, 3", 3, p);
    free(years);
    if (!rc && (rc = prefetch_values(db, r, res, &known, e))) PQclear(res);
    if (rc) {
        cia_sdc_free(&known);
        return rc;
    }
    for (int i = 0; i < PQntuples(res) && !rc; i++) {
        const char *item = PQgetvalue(res, i, 0), *filters = PQgetvalue(res, i, 2);
        int year = atoi(PQgetvalue(res, i, 1));
        int shown = PQgetvalue(res, i, 3)[0] == 't';
        /* Published only as "not known": nothing of its value is out. */
        if (!shown && PQgetvalue(res, i, 5)[0] != 't') continue;
        size_t k;
        if (cia_sdc_find(&r->sdc, item, year, filters, &k) != CIA_OK) {
            /* Not in this release's outputs, but known to an outsider. */
            int kn;
            long long value;
            size_t h;
            if (cia_sdc_find(&known, item, year, filters, &h) == CIA_OK) {
                kn = known.v[h].known;
                value = known.v[h].value;
            } else if ((rc = box_value(db, r->as_of, item, year, filters, &kn, &value, e))) {
                break;
            }
            if ((rc = cia_sdc_add_stored(&r->sdc, item, year, filters, kn, value, &k, e))) break;
            cia_sdc_label(&r->sdc, k, PQgetvalue(res, i, 4));
        }
        cia_sdc_var *v = &r->sdc.v[k];
        v->fixed = shown ? CIA_SUP_KEEP_SHOWN : CIA_SUP_KEEP_WITHHELD;
        if (shown) {
            v->prev = atoi(PQgetvalue(res, i, 6)) == 1;
            v->prev_value = atoll(PQgetvalue(res, i, 7));
        } else {
            v->prev = atoi(PQgetvalue(res, i, 8)) == 1;
            v->prev_lo = atoll(PQgetvalue(res, i, 9));
            long long hi = atoll(PQgetvalue(res, i, 10));
            v->prev_hi = hi < 0 ? CIA_SUP_UNBOUNDED : hi;
        }
        r->n_fixed++;
    }
    PQclear(res);
    cia_sdc_free(&known);
    return rc;
}

/* ---- storing ------------------------------------------------------------- */

/* Does the last release of the year have these data and this pattern? */
static int find_same(cia_db *db, cia_release *r, long long *id, cia_err *e)
{
    *id = 0;
    char ys[16], ts[16];
    snprintf(ys, sizeof ys, "%d", r->year);
    snprintf(ts, sizeof ts, "%d", r->threshold);
    const char *p[4] = {ys, ts, r->deliveries, r->outputs};
    PGresult *res;
    int rc = cia_db_query(db, e, &res,
        "SELECT id FROM release WHERE ref_year = $1::int AND threshold = $2::int "
        "AND deliveries = $3 AND outputs = $4 ORDER BY id DESC LIMIT 1", 4, p);
    if (rc) return rc;
    if (!PQntuples(res)) {
        PQclear(res);
        return CIA_OK;
    }
    char *cand = cia_xstrdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    const char *p2[1] = {cand};
    rc = cia_db_query(db, e, &res,
        "SELECT item, year, filters, status FROM release_cell WHERE release_id = $1::bigint", 1, p2);
    if (rc) {
        free(cand);
        return rc;
    }
    int same = (size_t)PQntuples(res) == r->sdc.n;
    for (int i = 0; i < PQntuples(res) && same; i++) {
        size_t k;
        same = cia_sdc_find(&r->sdc, PQgetvalue(res, i, 0), atoi(PQgetvalue(res, i, 1)),
                            PQgetvalue(res, i, 2), &k) == CIA_OK &&
               r->sdc.v[k].status == atoi(PQgetvalue(res, i, 3));
    }
    PQclear(res);
    if (same) *id = atoll(cand);
    free(cand);
    return CIA_OK;
}

static int store(cia_db *db, cia_release *r, cia_err *e)
{
    /* In the caller's transaction when it has one (the biennial pack
     * stores its releases with the snapshot it read them in). */
    int own = PQtransactionStatus(db->conn) == PQTRANS_IDLE;
    int rc = own ? cia_db_begin(db, e) : CIA_OK;
    if (rc) return rc;
    char ys[16], ts[16], ws[16], nc[24], nw[24];
    snprintf(ys, sizeof ys, "%d", r->year);
    snprintf(ts, sizeof ts, "%d", r->threshold);
    snprintf(ws, sizeof ws, "%d", r->sdc.width);
    snprintf(nc, sizeof nc, "%zu", r->sdc.n);
    snprintf(nw, sizeof nw, "%zu", r->n_withheld);
    const char *p[10] = {ys, ts, ws, r->as_of, r->data_as_of, r->deliveries, r->outputs, nc, nw,
                         CIATTEH_VERSION};
    PGresult *res;
    if ((rc = cia_db_query(db, e, &res,
            "INSERT INTO release (ref_year, threshold, width, as_of, data_as_of, deliveries, outputs, "
            "n_cells, n_withheld, program_version) VALUES ($1::int, $2::int, $3::int, $4::date, "
            "$5::timestamptz, $6, $7, $8::int, $9::int, $10) RETURNING id", 10, p))) {
        if (own) cia_db_rollback(db);
        return rc;
    }
    r->id = atoll(PQgetvalue(res, 0, 0));
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", r->id);
    PQclear(res);
    /* One statement for every figure: arrays in, unnest. */
    cia_buf a[10];
    for (int i = 0; i < 10; i++) {
        cia_buf_init(&a[i]);
        cia_buf_addc(&a[i], '{');
    }
    for (size_t i = 0; i < r->sdc.n; i++) {
        const cia_sdc_var *v = &r->sdc.v[i];
        char *f = cia_sdc_filters(&r->sdc, i);
        const char *texts[4] = {v->item, f, v->label ? v->label : ""};
        for (int k = 0; k < 3; k++) {
            if (i) cia_buf_addc(&a[k], ',');
            cia_buf_addc(&a[k], '"');
            for (const char *c = k == 0 ? texts[0] : k == 1 ? texts[1] : texts[2]; *c; c++) {
                if (*c == '"' || *c == '\\') cia_buf_addc(&a[k], '\\');
                cia_buf_addc(&a[k], *c);
            }
            cia_buf_addc(&a[k], '"');
        }
        free(f);
        int held = v->status != CIA_SDC_SHOWN;
        cia_buf_printf(&a[3], "%s%d", i ? "," : "", v->year);
        cia_buf_printf(&a[4], "%s%d", i ? "," : "", v->status);
        cia_buf_printf(&a[5], "%s%d", i ? "," : "", v->fixed);
        cia_buf_printf(&a[6], "%s%s", i ? "," : "", v->known ? "t" : "f");
        if (!held && v->known) cia_buf_printf(&a[7], "%s%lld", i ? "," : "", v->value);
        else cia_buf_printf(&a[7], "%sNULL", i ? "," : "");
        if (held) cia_buf_printf(&a[8], "%s%lld", i ? "," : "", v->lo);
        else cia_buf_printf(&a[8], "%sNULL", i ? "," : "");
        if (held && v->hi < CIA_SUP_UNBOUNDED) cia_buf_printf(&a[9], "%s%lld", i ? "," : "", v->hi);
        else cia_buf_printf(&a[9], "%sNULL", i ? "," : "");
    }
    for (int i = 0; i < 10; i++) cia_buf_addc(&a[i], '}');
    const char *q[11] = {ids, a[0].data, a[3].data, a[1].data, a[2].data, a[4].data, a[5].data,
                         a[6].data, a[7].data, a[8].data, a[9].data};
    rc = cia_db_query(db, e, &res,
        "INSERT INTO release_cell (release_id, item, year, filters, label, status, fixed, known, "
        "value, lo, hi) SELECT $1::bigint, * FROM unnest($2::text[], $3::int[], $4::text[], "
        "$5::text[], $6::smallint[], $7::smallint[], $8::boolean[], $9::bigint[], $10::bigint[], "
        "$11::bigint[])", 11, q);
    for (int i = 0; i < 10; i++) cia_buf_free(&a[i]);
    if (rc) {
        if (own) cia_db_rollback(db);
        r->id = 0;
        return rc;
    }
    PQclear(res);
    return own ? cia_db_commit(db, e) : CIA_OK;
}

/* ---- building ------------------------------------------------------------ */

static int cmp_num(const void *a, const void *b)
{
    long long x = atoll(*(char *const *)a), y = atoll(*(char *const *)b);
    return x < y ? -1 : x > y;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(cia_strv *v, int numeric)
{
    if (v->n) qsort(v->v, v->n, sizeof *v->v, numeric ? cmp_num : cmp_str);
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, "");
    for (size_t i = 0; i < v->n; i++) cia_buf_printf(&b, "%s%s", i ? "," : "", v->v[i]);
    return cia_buf_steal(&b);
}

/* Every questionnaire's figures, read raw, as figures of the release. */
static int add_outputs(cia_db *db, cia_release *r, const cia_qdef *extra, const cia_rboxes *o_boxes,
                       const char *boxes_output, int boxes_only, cia_err *e)
{
    cia_strv ids = {0}, deliv = {0};
    if (!boxes_only) cia_qdef_list(&ids);
    else {
        /* the data moment and the deliveries of the year, as the
         * questionnaires would have read them */
        char ys[16];
        snprintf(ys, sizeof ys, "%d", r->year);
        const char *p[2] = {r->as_of, ys};
        PGresult *res;
        int rc = cia_db_query(db, e, &res,
            "WITH m AS (SELECT CASE WHEN $1::date IS NULL THEN now() ELSE "
            "  (($1::date + 1)::timestamp AT TIME ZONE 'Europe/Brussels') - interval '1 microsecond' END AS t) "
            "SELECT (SELECT t FROM m), c.delivery_id FROM m LEFT JOIN coverage_as_of((SELECT t FROM m)) c "
            "ON c.year = $2::int", 2, p);
        if (rc) return rc;
        for (int i = 0; i < PQntuples(res); i++) {
            if (!r->data_as_of) r->data_as_of = cia_xstrdup(PQgetvalue(res, i, 0));
            if (!PQgetisnull(res, i, 1) && cia_strv_find(&deliv, PQgetvalue(res, i, 1)) < 0)
                cia_strv_push(&deliv, PQgetvalue(res, i, 1));
        }
        PQclear(res);
    }
    size_t nbuiltin = ids.n;
    if (extra && cia_strv_find(&ids, extra->id) < 0) cia_strv_push(&ids, extra->id);
    int rc = CIA_OK;
    for (size_t i = 0; i < ids.n && !rc; i++) {
        cia_qdef *q = NULL;
        if (i < nbuiltin && (rc = cia_qdef_load(ids.v[i], &q, e))) break;
        const cia_qdef *qq = i < nbuiltin ? q : extra;
        struct cia_qopts o = {r->year, r->as_of, r->threshold, NULL, 1};
        cia_qanswers *a;
        if ((rc = cia_q_compute(db, qq, &o, &a, e)) == CIA_OK) {
            size_t *var = cia_xcalloc(a->ncells + 1, sizeof *var);
            rc = cia_q_boxes(a, &r->sdc, var, e);
            free(var);
            for (size_t k = 0; k < a->delivery_ids.n; k++)
                if (cia_strv_find(&deliv, a->delivery_ids.v[k]) < 0)
                    cia_strv_push(&deliv, a->delivery_ids.v[k]);
            if (!r->data_as_of) r->data_as_of = cia_xstrdup(a->as_of_ts);
            cia_qanswers_free(a);
        }
        if (rc) cia_err_context(e, "release %d, %s", r->year, qq->id);
        cia_qdef_free(q);
    }
    /* Another output's figures of this year (the pack's tables). */
    for (size_t i = 0; o_boxes && i < o_boxes->n && !rc; i++) {
        const cia_rbox *b = &o_boxes->v[i];
        if (b->year != r->year) continue;
        size_t k;
        rc = cia_sdc_add(&r->sdc, b->item, b->year, b->nd, (const char *const *)b->dim,
                         (const char *const *)b->codes, b->known, b->value, b->sensitive, &k, e);
        if (rc) cia_err_context(e, "release %d, %s", r->year, b->label ? b->label : boxes_output);
        else cia_sdc_label(&r->sdc, k, b->label);
    }
    if (o_boxes && boxes_output) cia_strv_push(&ids, boxes_output);
    r->outputs = join(&ids, 0);
    r->deliveries = join(&deliv, 1);
    cia_strv_free(&ids);
    cia_strv_free(&deliv);
    return rc;
}

int cia_release_store(cia_db *db, cia_release *r, cia_err *e)
{
    long long same = 0;
    int rc = find_same(db, r, &same, e);
    if (!rc && same) {
        r->id = same;
        r->reused = 1;
    } else if (!rc) {
        rc = store(db, r, e);
    }
    return rc;
}

int cia_release_make(cia_db *db, const struct cia_release_opts *o, cia_release **out, cia_err *e)
{
    *out = NULL;
    int rc = cia_check_as_of(o->as_of, e);
    if (rc) return rc;
    cia_release *r = release_new(db, o->year, o->as_of,
                                 o->threshold >= 0 ? o->threshold : CIA_RELEASE_THRESHOLD, e, &rc);
    if (!rc) rc = add_outputs(db, r, o->extra, o->boxes, o->boxes_output ? o->boxes_output : "other",
                              o->boxes_only, e);
    if (!rc) rc = fix_from_earlier(db, r, o->boxes, e);
    r->sdc.reuse_fixed = 1;
    if (!rc) rc = cia_sdc_protect(&r->sdc, r->threshold, e);
    if (!rc) {
        for (size_t i = 0; i < r->sdc.n; i++) r->n_withheld += r->sdc.v[i].status != CIA_SDC_SHOWN;
        if (o->store) rc = cia_release_store(db, r, e);
    }
    if (rc) {
        cia_release_free(r);
        return rc;
    }
    *out = r;
    return CIA_OK;
}

int cia_release_load(cia_db *db, long long id, cia_release **out, cia_err *e)
{
    *out = NULL;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", id);
    const char *p[1] = {ids};
    PGresult *res;
    int rc = cia_db_query(db, e, &res,
        "SELECT ref_year, threshold, width, to_char(as_of, 'YYYY-MM-DD'), data_as_of, deliveries, "
        "outputs FROM release WHERE id = $1::bigint", 1, p);
    if (rc) return rc;
    if (!PQntuples(res)) {
        PQclear(res);
        return cia_fail(e, CIA_EUSAGE, "no release #%lld (see `ciatteh release list`)", id);
    }
    const char *as_of = PQgetisnull(res, 0, 3) ? NULL : PQgetvalue(res, 0, 3);
    cia_release *r = release_new(db, atoi(PQgetvalue(res, 0, 0)), as_of, atoi(PQgetvalue(res, 0, 1)),
                                 e, &rc);
    r->id = id;
    r->sdc.width = atoi(PQgetvalue(res, 0, 2));
    r->data_as_of = cia_xstrdup(PQgetvalue(res, 0, 4));
    r->deliveries = cia_xstrdup(PQgetvalue(res, 0, 5));
    r->outputs = cia_xstrdup(PQgetvalue(res, 0, 6));
    PQclear(res);
    res = NULL;
    if (!rc) rc = cia_db_query(db, e, &res,
        "SELECT item, year, filters, label, status, fixed, known, value, lo FROM release_cell "
        "WHERE release_id = $1::bigint ORDER BY item, year, filters", 1, p);
    for (int i = 0; !rc && i < PQntuples(res); i++) {
        int status = atoi(PQgetvalue(res, i, 4));
        /* The attack reads only published values; a withheld one stands
         * at its interval's low end (a value it can have). */
        int known = status ? 1 : PQgetvalue(res, i, 6)[0] == 't';
        long long value = status ? atoll(PQgetvalue(res, i, 8)) : atoll(PQgetvalue(res, i, 7));
        size_t k;
        rc = cia_sdc_add_stored(&r->sdc, PQgetvalue(res, i, 0), atoi(PQgetvalue(res, i, 1)),
                                PQgetvalue(res, i, 2), known, value, &k, e);
        if (rc) break;
        cia_sdc_label(&r->sdc, k, PQgetvalue(res, i, 3));
        r->sdc.v[k].status = status;
        r->sdc.v[k].fixed = atoi(PQgetvalue(res, i, 5));
        if (status) r->n_withheld++;
        if (r->sdc.v[k].fixed) r->n_fixed++;
    }
    if (res) PQclear(res);
    if (rc) {
        cia_release_free(r);
        return rc;
    }
    *out = r;
    return CIA_OK;
}

/* ---- applying and auditing ----------------------------------------------- */

int cia_release_apply(cia_release *r, cia_qanswers *a, cia_err *e)
{
    size_t n0 = r->sdc.n;
    size_t *var = cia_xcalloc(a->ncells + 1, sizeof *var);
    int rc = cia_q_boxes(a, &r->sdc, var, e);
    if (!rc && r->sdc.n != n0)
        rc = cia_fail(e, CIA_EINTERNAL, "%s %d: %zu figure(s) of the answers are not in release #%lld",
                      a->def->id, a->year, r->sdc.n - n0, r->id);
    if (!rc) cia_q_publish(a, &r->sdc, var);
    free(var);
    return rc;
}

int cia_release_audit(cia_release *r, cia_err *e)
{
    /* Just made: the last step of the protection was this attack, on
     * these statuses (nothing changes them in between); its intervals
     * stand.  A loaded release is attacked again. */
    int rc = r->sdc.audited ? CIA_OK : cia_sdc_audit(&r->sdc, e);
    if (r->sdc.audited) r->sdc.n_narrow = 0;
    if (rc || !r->sdc.n_narrow) return rc;
    for (size_t i = 0; i < r->sdc.n; i++) {
        const cia_sdc_var *v = &r->sdc.v[i];
        if (v->status == CIA_SDC_SHOWN || v->hi - v->lo >= r->sdc.width - 1) continue;
        char *d = cia_sdc_describe(&r->sdc, i);
        rc = cia_fail(e, CIA_EDATA, "disclosure audit: from what release #%lld and the earlier "
                      "releases of its years publish, an outsider narrows %s to %lld..%lld "
                      "(fewer than %d values); nothing written", r->id, d, v->lo, v->hi,
                      r->sdc.width);
        free(d);
        return rc;
    }
    return CIA_OK;
}

/* ---- listing -------------------------------------------------------------- */

int cia_release_is_admin(cia_db *db, int *admin, cia_err *e)
{
    PGresult *res;
    int rc = cia_db_query(db, e, &res, "SELECT ciatteh_caller_is_admin()", 0, NULL);
    if (rc) return rc;
    *admin = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return CIA_OK;
}

int cia_release_list(cia_db *db, FILE *out, int year, cia_err *e)
{
    char ys[16];
    snprintf(ys, sizeof ys, "%d", year);
    const char *p[1] = {year ? ys : NULL};
    PGresult *res;
    int rc = cia_db_query(db, e, &res,
        "SELECT id, ref_year, threshold, coalesce(to_char(as_of, 'YYYY-MM-DD'), 'current'), "
        "to_char(data_as_of AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD HH24:MI'), outputs, "
        "n_cells, n_withheld, deliveries, "
        "to_char(created_at AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD HH24:MI'), created_by "
        "FROM release WHERE $1::int IS NULL OR ref_year = $1::int ORDER BY id", 1, p);
    if (rc) return rc;
    fprintf(out, "%-5s %-5s %-9s %-10s %-16s %-18s %7s %8s  %s\n", "id", "year", "threshold", "as-of",
            "data as of", "outputs", "figures", "withheld", "created");
    for (int i = 0; i < PQntuples(res); i++)
        fprintf(out, "%-5s %-5s %-9s %-10s %-16s %-18s %7s %8s  %s by %s (deliveries %s)\n",
                PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
                PQgetvalue(res, i, 3), PQgetvalue(res, i, 4), PQgetvalue(res, i, 5),
                PQgetvalue(res, i, 6), PQgetvalue(res, i, 7), PQgetvalue(res, i, 9),
                PQgetvalue(res, i, 10), PQgetvalue(res, i, 8));
    if (!PQntuples(res)) fprintf(out, "(no release%s)\n", year ? " of that year" : "");
    PQclear(res);
    return CIA_OK;
}

static const char *status_word(int status, int fixed)
{
    if (status == CIA_SDC_PRIMARY) return "withheld (small count)";
    if (status == CIA_SDC_SECONDARY)
        return fixed == CIA_SUP_KEEP_WITHHELD ? "withheld (as before)" : "withheld (complement)";
    return fixed == CIA_SUP_KEEP_SHOWN ? "published (before)" : "published";
}

int cia_release_show(cia_db *db, FILE *out, long long id, cia_err *e)
{
    cia_release *r;
    int rc = cia_release_load(db, id, &r, e);
    if (rc) return rc;
    cia_release_free(r);
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", id);
    const char *p[1] = {ids};
    PGresult *res;
    if ((rc = cia_db_query(db, e, &res,
            "SELECT r.ref_year, r.threshold, coalesce(to_char(r.as_of, 'YYYY-MM-DD'), 'current'), "
            "to_char(r.data_as_of AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD HH24:MI:SS'), r.outputs, "
            "r.deliveries, r.n_cells, r.n_withheld, c.label, c.item, c.year, c.filters, c.status, "
            "c.fixed, c.known, c.value, c.lo, c.hi FROM release r JOIN release_cell c ON c.release_id = r.id "
            "WHERE r.id = $1::bigint ORDER BY c.status = 0, c.label, c.item, c.year, c.filters", 1, p)))
        return rc;
    if (PQntuples(res))
        fprintf(out, "release #%s: reference year %s, threshold %s, as of %s (data at %s)\n"
                "outputs: %s; deliveries: %s\n%s figures, %s withheld\n\n",
                ids, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
                PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 4), PQgetvalue(res, 0, 5),
                PQgetvalue(res, 0, 6), PQgetvalue(res, 0, 7));
    for (int i = 0; i < PQntuples(res); i++) {
        int st = atoi(PQgetvalue(res, i, 12)), fx = atoi(PQgetvalue(res, i, 13));
        fprintf(out, "%-24s %s %s %s%s", status_word(st, fx), PQgetvalue(res, i, 9),
                PQgetvalue(res, i, 10), PQgetvalue(res, i, 11), *PQgetvalue(res, i, 11) ? " " : "");
        if (st) fprintf(out, "interval %s..%s", PQgetvalue(res, i, 16),
                        PQgetisnull(res, i, 17) ? "unbounded" : PQgetvalue(res, i, 17));
        else if (PQgetvalue(res, i, 14)[0] != 't') fprintf(out, "= not known");
        else fprintf(out, "= %s", PQgetvalue(res, i, 15));
        fprintf(out, "  [%s]\n", PQgetvalue(res, i, 8));
    }
    PQclear(res);
    return CIA_OK;
}

int cia_release_print_audit(FILE *out, const cia_release *r, cia_err *e)
{
    size_t narrow = 0, n = 0;
    for (size_t i = 0; i < r->sdc.n; i++) {
        const cia_sdc_var *v = &r->sdc.v[i];
        if (v->status == CIA_SDC_SHOWN) continue;
        n++;
        int bad = v->hi - v->lo < r->sdc.width - 1;
        narrow += bad;
        char *d = cia_sdc_describe(&r->sdc, i);
        if (v->hi >= CIA_SUP_UNBOUNDED) fprintf(out, "%s  %lld..unbounded  %s\n", bad ? "NARROW" : "ok", v->lo, d);
        else fprintf(out, "%s  %lld..%lld  %s\n", bad ? "NARROW" : "ok", v->lo, v->hi, d);
        free(d);
    }
    fprintf(out, "release %s%lld, year %d: %zu withheld figures, %zu narrower than %d values "
            "(%zu figures published, %zu of them fixed by earlier releases)\n",
            r->id ? "#" : "(not stored) ", r->id, r->year, n, narrow, r->sdc.width, r->sdc.n - n,
            r->n_fixed);
    return narrow ? cia_fail(e, CIA_EDATA, "disclosure audit: %zu withheld figure(s) can be narrowed "
                             "to fewer than %d values", narrow, r->sdc.width) : CIA_OK;
}
