/* report_source.c — what every layout of the report builder reads
 * (report_int.h): the catalogue and which services delivered which years
 * at the as-of moment, the labels of items, dimensions and codes in the
 * report's language, the figures of a line through cia_query_run (each
 * query asked once per report, the report's offence added where the
 * figure layer's THB default would apply), and which codes a breakdown
 * shows. */
#include <stdlib.h>
#include <string.h>
#include "report_int.h"

/* ---- the catalogue ----------------------------------------------------- */

int rb_load_catalogue(struct rb_ctx *c)
{
    int rc = cia_catalogue_load(c->db, &c->cat, c->e);
    if (rc) return rc;
    c->li = cia_cat_lang(c->lang);
    c->item_used = cia_xcalloc(c->cat->nitems + 1, sizeof *c->item_used);
    c->svc_used = cia_xcalloc(c->cat->nsvcs + 1, 1);
    PGresult *r;
    /* Which service delivered which year (and, for shelters, which
     * centre), as it stood at the as-of moment. */
    const char *pa[1] = { c->req->as_of };
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT service, scope, year FROM coverage_as_of(" ASOF_TS ") "
             "ORDER BY service, scope, year", 1);
    if ((rc = cia_db_query(c->db, c->e, &r, sql, 1, pa))) return rc;
    for (int i = 0; i < PQntuples(r); i++) {
        char *k = cia_xasprintf("%s|%s", PQgetvalue(r, i, 0), PQgetvalue(r, i, 2));
        if (cia_strv_find(&c->covered, k) < 0) cia_strv_push(&c->covered, k);
        free(k);
        if (*PQgetvalue(r, i, 1)) {
            k = cia_xasprintf("%s|%s|%s", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2));
            cia_strv_push(&c->scopes, k);
            free(k);
        }
    }
    PQclear(r);
    return CIA_OK;
}

const cia_cat_item *rb_item(struct rb_ctx *c, const char *code)
{
    return cia_cat_item_get(c->cat, code);
}

const cia_cat_dim *rb_dim(struct rb_ctx *c, const char *code)
{
    return cia_cat_dim_get(c->cat, code);
}

const cia_cat_service *rb_svc(struct rb_ctx *c, const char *code)
{
    return cia_cat_svc_get(c->cat, code);
}

int rb_unknown_item(struct rb_ctx *c, const char *code)
{
    return cia_cat_unknown_item(c->cat, code, c->e);
}

/* The label of a code of a dimension in the report's language: the code
 * list, else (nationalities) the country's name from iso-codes, else the
 * code itself. */
const char *rb_code_label(struct rb_ctx *c, const char *dim, const char *code)
{
    const cia_cat_dim *d = rb_dim(c, dim);
    const char *list = d ? d->list : dim;
    const cia_cat_code *ci = cia_cat_code_get(c->cat, list, code);
    if (ci) return ci->label[c->li];
    if (!strcmp(code, "UNK")) return cia_word("not_known_long", c->lang);
    if (strlen(code) == 2) {
        if (!c->countries_tried) {
            c->countries_tried = 1;
            cia_err ignored;
            if (cia_countries_load(&c->countries, &ignored) != CIA_OK) c->countries = NULL;
        }
        const char *n = cia_country_name(c->countries, code, c->lang);
        if (n) return n;
    }
    return code;
}

const char *rb_dim_label(struct rb_ctx *c, const char *dim)
{
    const cia_cat_dim *d = rb_dim(c, dim);
    return d ? d->label[c->li] : dim;
}

/* ---- figures ---------------------------------------------------------- */

int rb_covered(struct rb_ctx *c, const char *service, int year)
{
    char k[128];
    snprintf(k, sizeof k, "%s|%d", service, year);
    return cia_strv_find(&c->covered, k) >= 0;
}

void rb_where_str(cia_buf *b, const struct rb_wlist *wl)
{
    for (int i = 0; i < wl->n; i++)
        cia_buf_printf(b, "%s%s=%s", i ? ";" : "", wl->w[i]->dim, wl->w[i]->codes);
    if (!b->data) cia_buf_adds(b, "");
}

/* The where list of item with the report's offence: the figure layer
 * counts THB when an item with an offence dimension is asked without it,
 * so only another offence is added, and only where neither the line nor
 * the breakdown names the offence already. */
const struct rb_wlist *rb_scoped(struct rb_ctx *c, const char *item, const char *by, const struct rb_wlist *wl,
                                 struct rb_wlist *buf)
{
    if (!c->offence_w.dim || !item || (by && !strcmp(by, "offence"))) return wl;
    for (int i = 0; wl && i < wl->n; i++)
        if (!strcmp(wl->w[i]->dim, "offence")) return wl;
    const cia_cat_item *it = rb_item(c, item);
    if (!it || !cia_cat_item_has_dim(it, "offence") || (wl && wl->n >= 2 * CIA_MAX_BY)) return wl;
    *buf = wl ? *wl : (struct rb_wlist){ .n = 0 };
    buf->w[buf->n++] = &c->offence_w;
    return buf;
}

/* The figures of item by one dimension (or none) under the where list,
 * for the report's years; asked once. */
int rb_fetch(struct rb_ctx *c, const char *item, const char *by, const struct rb_wlist *wl0,
             const struct cia_qresult **res)
{
    struct rb_wlist wbuf;
    const struct rb_wlist *wl = rb_scoped(c, item, by, wl0, &wbuf);
    cia_buf k;
    cia_buf_init(&k);
    cia_buf_printf(&k, "%s|%s|", item, by ? by : "");
    rb_where_str(&k, wl);
    for (size_t i = 0; i < c->nqc; i++)
        if (!strcmp(c->qc[i]->key, k.data)) {
            cia_buf_free(&k);
            *res = &c->qc[i]->res;
            return CIA_OK;
        }
    if (wl->n > CIA_MAX_BY) {
        cia_buf_free(&k);
        return cia_fail(c->e, CIA_EUSAGE, "%s: at most %d conditions", item, CIA_MAX_BY);
    }
    struct rb_qentry *q = cia_xcalloc(1, sizeof *q);
    q->key = cia_buf_steal(&k);
    q->q.item = q->owned[q->nowned++] = cia_xstrdup(item);
    q->q.year_from = c->y0;
    q->q.year_to = c->y1;
    q->q.as_of = c->req->as_of;
    if (by) q->q.by[q->q.nby++] = q->owned[q->nowned++] = cia_xstrdup(by);
    for (int i = 0; i < wl->n; i++) {
        q->q.where_dim[q->q.nwhere] = q->owned[q->nowned++] = cia_xstrdup(wl->w[i]->dim);
        q->q.where_codes[q->q.nwhere++] = q->owned[q->nowned++] = cia_xstrdup(wl->w[i]->codes);
    }
    int rc = cia_query_run(c->db, &q->q, &q->res, c->e);
    if (rc) {
        cia_qresult_free(&q->res);
        free(q->key);
        for (int i = 0; i < q->nowned; i++) free(q->owned[i]);
        free(q);
        return rc;
    }
    c->qc = cia_grow(c->qc, &c->qc_cap, c->nqc + 1, sizeof *c->qc);
    c->qc[c->nqc++] = q;
    *res = &q->res;
    return CIA_OK;
}

static struct cia_rv from_row(const struct cia_qrow *row)
{
    struct cia_rv r = { 0 };
    r.known = row->known;
    r.v = row->known ? (double)row->value : 0;
    r.n_unknown = row->n_unknown;
    cia_rv_flags_union(r.flags, row->flags, NULL);
    return r;
}

/* A figure the figure layer did not return for a code: the year's own
 * state, which the layer gives on every row of that year (every year asked
 * has one): 0 when the year is delivered, else not delivered (n) or
 * incomplete (i); provisional like the year.  A lower bound is a property
 * of figures that exist, so u does not carry over. */
int rb_absent(struct rb_ctx *c, const char *item, int year, struct cia_rv *out)
{
    const struct cia_qresult *res;
    struct rb_wlist none = { .n = 0 };
    int rc = rb_fetch(c, item, NULL, &none, &res);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    out->known = 1;
    for (size_t i = 0; i < res->n; i++) {
        const struct cia_qrow *row = &res->rows[i];
        if (row->year != year) continue;
        for (const char *f = "pni"; *f; f++)
            if (strchr(row->flags, *f)) cia_rv_flags_union(out->flags, out->flags, (char[]){ *f, 0 });
    }
    if (strpbrk(out->flags, "ni")) out->known = 0;
    return CIA_OK;
}

/* The figure of (item, where, year) for one code of by (or the total). */
int rb_figure(struct rb_ctx *c, const char *item, const char *by, const char *code,
              const struct rb_wlist *wl, int year, struct cia_rv *out)
{
    const struct cia_qresult *res;
    int rc = rb_fetch(c, item, by, wl, &res);
    if (rc) return rc;
    for (size_t i = 0; i < res->n; i++) {
        const struct cia_qrow *row = &res->rows[i];
        if (row->year != year || (by && strcmp(row->dims[0], code) != 0)) continue;
        *out = from_row(row);
        return CIA_OK;
    }
    return rb_absent(c, item, year, out);
}

/* ---- lines: conditions and labels ------------------------------------ */

void rb_mark_used(struct rb_ctx *c, const char *item)
{
    const cia_cat_item *it = rb_item(c, item);
    if (!it || c->item_used[it - c->cat->items]) return;
    c->item_used[it - c->cat->items] = ++c->use_seq;   /* definitions in order of first use */
    const cia_cat_service *s = rb_svc(c, it->service);
    if (s) c->svc_used[s - c->cat->svcs] = 1;
}

/* The where list of a line: its own conditions, then the request's (yoy
 * --where) for lines that take them. */
void rb_line_where(struct rb_ctx *c, const struct cia_rd_line *l, int with_req, struct rb_wlist *wl,
                   struct cia_rd_where *req_w)
{
    wl->n = 0;
    for (int i = 0; i < l->nwhere; i++) wl->w[wl->n++] = &l->where[i];
    if (!with_req) return;
    for (int i = 0; i < c->req->nwhere; i++) {
        req_w[i].dim = (char *)c->req->where_dim[i];
        req_w[i].codes = (char *)c->req->where_codes[i];
        wl->w[wl->n++] = &req_w[i];
    }
}

/* "effective (no suspension)" or "a + b" for label=code. */
char *rb_where_label(struct rb_ctx *c, const struct cia_rd_where *w)
{
    cia_strv v = {0};
    cia_strv_split(&v, w->codes, ',');
    cia_buf b;
    cia_buf_init(&b);
    for (size_t i = 0; i < v.n; i++)
        cia_buf_printf(&b, "%s%s", i ? " + " : "", rb_code_label(c, w->dim, v.v[i]));
    cia_strv_free(&v);
    if (!b.data) cia_buf_adds(&b, "");
    return cia_buf_steal(&b);
}

char *rb_line_label(struct rb_ctx *c, const struct cia_rd_line *l, const char *item)
{
    if (l->label && !strcmp(l->label, "code")) return rb_where_label(c, &l->where[0]);
    if (l->label) return cia_xstrdup(cia_word(l->label, c->lang));
    const cia_cat_item *it = rb_item(c, item);
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, it ? it->label[c->li] : item);
    for (int i = 0; i < l->nwhere; i++) {
        char *wlab = rb_where_label(c, &l->where[i]);
        cia_buf_printf(&b, "%s%s", i ? ", " : " (", wlab);
        free(wlab);
    }
    if (l->nwhere) cia_buf_addc(&b, ')');
    return cia_buf_steal(&b);
}

/* ---- which codes a breakdown shows ------------------------------------ */

int rb_cmp_code_tot(const void *a, const void *b)
{
    const struct rb_code_tot *x = a, *y = b;
    int ux = !strcmp(x->code, "UNK"), uy = !strcmp(y->code, "UNK");
    if (ux != uy) return ux - uy;                  /* not known last */
    if (x->sort != y->sort) return x->sort < y->sort ? -1 : 1;
    if (x->total != y->total) return x->total > y->total ? -1 : 1;
    return strcmp(x->code, y->code);
}

/* Codes of dim present in the data of the given results (any year), with
 * their totals over the period; ordered by the code list, or by total
 * where the list has no order (nationalities), not known last. */
void rb_data_codes(struct rb_ctx *c, const char *dim, const struct cia_qresult *const *res, size_t nres,
                   struct rb_code_tot **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const cia_cat_dim *d = rb_dim(c, dim);
    for (size_t r = 0; r < nres; r++)
        for (size_t i = 0; i < res[r]->n; i++) {
            const struct cia_qrow *row = &res[r]->rows[i];
            size_t k;
            if (!*row->dims[0]) continue;   /* a year's own row: no code */
            for (k = 0; k < *n && strcmp((*out)[k].code, row->dims[0]); k++) {}
            if (k == *n) {
                *out = cia_xrealloc(*out, (*n + 1) * sizeof **out);
                (*out)[k].code = cia_xstrdup(row->dims[0]);
                (*out)[k].total = 0;
                const cia_cat_code *ci = d ? cia_cat_code_get(c->cat, d->list, row->dims[0]) : NULL;
                (*out)[k].sort = ci ? ci->sort : 1000000;
                (*n)++;
            }
            if (row->known) (*out)[k].total += (double)row->value;
        }
    if (*n) qsort(*out, *n, sizeof **out, rb_cmp_code_tot);
}

void rb_free_code_tot(struct rb_code_tot *v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i].code);
    free(v);
}

/* Resolve a codes= / rowcodes= list against the data: "X?" only when
 * present. */
void rb_listed_codes(const char *spec, const struct rb_code_tot *present, size_t npresent, cia_strv *out)
{
    cia_strv v = {0};
    cia_strv_split(&v, spec, ',');
    for (size_t i = 0; i < v.n; i++) {
        size_t len = strlen(v.v[i]);
        if (len && v.v[i][len - 1] == '?') {
            v.v[i][len - 1] = '\0';
            int found = 0;
            for (size_t k = 0; k < npresent; k++) if (!strcmp(present[k].code, v.v[i])) found = 1;
            if (!found) continue;
        }
        cia_strv_push(out, v.v[i]);
    }
    cia_strv_free(&v);
}

/* "2019" or "2016–2023" */
char *rb_years_text(int y0, int y1)
{
    return y0 == y1 ? cia_xasprintf("%d", y0) : cia_xasprintf("%d" ENDASH "%d", y0, y1);
}
