/* report.c — owns the report builder: one piece of code that turns any
 * report definition (struct cia_rd, parsed by report_def.c) into the
 * neutral table model, reading figures only through cia_query_run().
 *
 * What it adds to the figures, and why:
 *  - nothing about a cell's state: the figure layer (query.h, figures()
 *    in schema/0009) gives every year asked its state, and a code the
 *    layer leaves out takes its year's (0 when delivered, else not
 *    delivered or incomplete; provisional like the year);
 *  - shares and changes are computed here from the figures, carrying the
 *    flags of what they were computed from; a share of 0 or a change in %
 *    from 0 has no figure at all (an empty cell, explained in a note);
 *  - labels come from the catalogue (items, dimensions, codes, services),
 *    from iso-codes for nationalities and from reports/words.c for the
 *    rest; nothing here chooses words by language;
 *  - provenance lists the deliveries current at the as-of moment for the
 *    services the report reads, with the data's own load times only;
 *  - every number cell is traced to the `ciatteh query` that gives it
 *    (cia_report_write_trace), so an analyst or a test can check it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/catalogue.h"
#include "ciatteh/country.h"
#include "ciatteh/render.h"
#include "ciatteh/report.h"
#include "ciatteh/util.h"

#define ENDASH "\xe2\x80\x93"
#define MIDDOT " \xc2\xb7 "

/* ---- arithmetic on figures with flags --------------------------------- */

void cia_rv_flags_union(char *dst, const char *a, const char *b)
{
    /* dst may be a or b (a union in place): built apart, then copied */
    char out[6];
    size_t n = 0;
    for (const char *f = "upnic"; *f; f++)
        if ((a && strchr(a, *f)) || (b && strchr(b, *f))) out[n++] = *f;
    out[n] = '\0';
    memcpy(dst, out, n + 1);
}

/* A derived figure carries the flags of its parts; one that cannot be
 * computed keeps only p (its year is still moving): "lower bound" means
 * nothing for a figure that is not there. */
static struct cia_rv rv_nk(const char *f1, const char *f2)
{
    struct cia_rv r = { 0 };
    cia_rv_flags_union(r.flags, f1, f2);
    return r;
}

static struct cia_rv rv_done(struct cia_rv r)
{
    if (!r.known) {
        char *u = strchr(r.flags, 'u');
        if (u) memmove(u, u + 1, strlen(u));
    }
    return r;
}

struct cia_rv cia_rv_sum(struct cia_rv a, struct cia_rv b)
{
    struct cia_rv r = rv_nk(a.flags, b.flags);
    if (a.known && b.known) { r.known = 1; r.v = a.v + b.v; r.n_unknown = a.n_unknown + b.n_unknown; }
    return rv_done(r);
}

struct cia_rv cia_rv_diff(struct cia_rv later, struct cia_rv earlier)
{
    struct cia_rv r = rv_nk(later.flags, earlier.flags);
    if (later.known && earlier.known) { r.known = 1; r.v = later.v - earlier.v; }
    return rv_done(r);
}

struct cia_rv cia_rv_ratio_change(struct cia_rv later, struct cia_rv earlier)
{
    struct cia_rv r = rv_nk(later.flags, earlier.flags);
    if (!later.known || !earlier.known) return rv_done(r);
    if (earlier.v == 0) { r.undefined = 1; return r; }
    r.known = 1;
    r.v = (later.v - earlier.v) / earlier.v;
    return r;
}

struct cia_rv cia_rv_share(struct cia_rv num, struct cia_rv den)
{
    struct cia_rv r = rv_nk(num.flags, den.flags);
    if (!num.known || !den.known) return rv_done(r);
    if (den.v == 0) { r.undefined = 1; return r; }
    r.known = 1;
    r.v = num.v / den.v;
    return r;
}

/* ---- the catalogue ----------------------------------------------------- */

/* The catalogue is the figure layer's (catalogue.h); a report only marks
 * which items and services it used. */

/* One query's figures, asked once per report whatever the number of
 * cells reading it. */
struct qentry {
    char *key;
    struct cia_query q;
    char *owned[2 + 2 * CIA_MAX_BY];
    int nowned;
    struct cia_qresult res;
};

struct ctx {
    cia_db *db;
    const struct cia_report_req *req;
    const char *lang;
    cia_err *e;
    int y0, y1, ny;
    cia_catalogue *cat;
    int li;                        /* the language's index in the catalogue's labels */
    int *item_used;                /* per catalogue item: order of first use, 0 unused */
    char *svc_used;                /* per catalogue service */
    cia_strv covered;              /* "service|year" delivered at the as-of moment */
    cia_strv scopes;               /* "service|scope|year" */
    cia_countries *countries;
    int countries_tried;
    struct qentry **qc; size_t nqc;    /* entries never move: cells keep pointers */
    cia_report_build *out;
    int used_changes, used_shares, any_nk, any_nd, any_inc;
    const char *offence;           /* THB or SMUG: the offence every figure counts */
    struct cia_rd_where offence_w; /* offence=SMUG, added where the layer's THB default would apply */
    int use_seq;
};

/* The moment the as-of date means: the end of that day in Brussels, as in
 * query.c, so coverage and figures agree. */
#define ASOF_TS "as_of_moment($%d::date)"

static int load_catalogue(struct ctx *c)
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

static const cia_cat_item *find_item(struct ctx *c, const char *code)
{
    return cia_cat_item_get(c->cat, code);
}

static const cia_cat_dim *find_dim(struct ctx *c, const char *code)
{
    return cia_cat_dim_get(c->cat, code);
}

static const cia_cat_service *find_svc(struct ctx *c, const char *code)
{
    return cia_cat_svc_get(c->cat, code);
}

#define item_has_dim cia_cat_item_has_dim

static int unknown_item(struct ctx *c, const char *code)
{
    return cia_cat_unknown_item(c->cat, code, c->e);
}

/* The label of a code of a dimension in the report's language: the code
 * list, else (nationalities) the country's name from iso-codes, else the
 * code itself. */
static const char *code_label(struct ctx *c, const char *dim, const char *code)
{
    const cia_cat_dim *d = find_dim(c, dim);
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

static const char *dim_label(struct ctx *c, const char *dim)
{
    const cia_cat_dim *d = find_dim(c, dim);
    return d ? d->label[c->li] : dim;
}

/* ---- figures ---------------------------------------------------------- */

static int covered(struct ctx *c, const char *service, int year)
{
    char k[128];
    snprintf(k, sizeof k, "%s|%d", service, year);
    return cia_strv_find(&c->covered, k) >= 0;
}

struct wlist { const struct cia_rd_where *w[2 * CIA_MAX_BY]; int n; };

static void where_str(cia_buf *b, const struct wlist *wl)
{
    for (int i = 0; i < wl->n; i++)
        cia_buf_printf(b, "%s%s=%s", i ? ";" : "", wl->w[i]->dim, wl->w[i]->codes);
    if (!b->data) cia_buf_adds(b, "");
}

/* The where list of item with the report's offence: the figure layer
 * counts THB when an item with an offence dimension is asked without it,
 * so only another offence is added, and only where neither the line nor
 * the breakdown names the offence already. */
static const struct wlist *scoped(struct ctx *c, const char *item, const char *by, const struct wlist *wl,
                                  struct wlist *buf)
{
    if (!c->offence_w.dim || !item || (by && !strcmp(by, "offence"))) return wl;
    for (int i = 0; wl && i < wl->n; i++)
        if (!strcmp(wl->w[i]->dim, "offence")) return wl;
    const cia_cat_item *it = find_item(c, item);
    if (!it || !item_has_dim(it, "offence") || (wl && wl->n >= 2 * CIA_MAX_BY)) return wl;
    *buf = wl ? *wl : (struct wlist){ .n = 0 };
    buf->w[buf->n++] = &c->offence_w;
    return buf;
}

/* The figures of item by one dimension (or none) under the where list,
 * for the report's years; asked once. */
static int fetch(struct ctx *c, const char *item, const char *by, const struct wlist *wl0,
                 const struct cia_qresult **res)
{
    struct wlist wbuf;
    const struct wlist *wl = scoped(c, item, by, wl0, &wbuf);
    cia_buf k;
    cia_buf_init(&k);
    cia_buf_printf(&k, "%s|%s|", item, by ? by : "");
    where_str(&k, wl);
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
    struct qentry *q = cia_xcalloc(1, sizeof *q);
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
    c->qc = cia_xrealloc(c->qc, (c->nqc + 1) * sizeof *c->qc);
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
static int absent(struct ctx *c, const char *item, int year, struct cia_rv *out)
{
    const struct cia_qresult *res;
    struct wlist none = { .n = 0 };
    int rc = fetch(c, item, NULL, &none, &res);
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
static int figure(struct ctx *c, const char *item, const char *by, const char *code,
                  const struct wlist *wl, int year, struct cia_rv *out)
{
    const struct cia_qresult *res;
    int rc = fetch(c, item, by, wl, &res);
    if (rc) return rc;
    for (size_t i = 0; i < res->n; i++) {
        const struct cia_qrow *row = &res->rows[i];
        if (row->year != year || (by && strcmp(row->dims[0], code) != 0)) continue;
        *out = from_row(row);
        return CIA_OK;
    }
    return absent(c, item, year, out);
}

/* ---- tables under construction --------------------------------------- */

struct tb {
    struct ctx *c;
    const struct cia_rd_table *def;
    cia_table *t;
    size_t tindex;
    size_t nhead, nval;          /* value columns after the head columns */
    struct cia_rv *rv;           /* rows x nval, grown with the rows */
    cia_strv row_ids;            /* line id of each row ("" if none) */
    int any_u_derived, any_pct_undefined, any_share_undefined;
    char prov[256];              /* per year of the report: a figure marked p */
};


static void tb_row(struct tb *b, const char *key, const char *id)
{
    cia_table_add_row(b->t, key);
    b->rv = cia_xrealloc(b->rv, b->t->nrows * (b->nval ? b->nval : 1) * sizeof *b->rv);
    memset(b->rv + (b->t->nrows - 1) * b->nval, 0, b->nval * sizeof *b->rv);
    cia_strv_push(&b->row_ids, id ? id : "");
}

static struct cia_rv *tb_rv(struct tb *b, size_t row, size_t vcol)
{
    return &b->rv[row * b->nval + vcol];
}

static void push_trace(struct tb *b, size_t row, size_t col, const char *kind, const char *item,
                       int year, const char *by, const char *code, const struct wlist *wl,
                       const char *refs)
{
    cia_report_build *o = b->c->out;
    const cia_cell *cell = cia_table_cell_c(b->t, row, col);
    if (year >= b->c->y0 && year - b->c->y0 < (int)sizeof b->prov && cia_cell_has_flag(cell, 'p'))
        b->prov[year - b->c->y0] = 1;
    o->trace = cia_xrealloc(o->trace, (o->ntrace + 1) * sizeof *o->trace);
    struct cia_report_trace *tr = &o->trace[o->ntrace++];
    memset(tr, 0, sizeof *tr);
    tr->table = b->tindex;
    tr->row = row;
    tr->col = col;
    tr->kind = kind;
    tr->item = cia_xstrdup(item ? item : "");
    tr->year = year;
    tr->by = cia_xstrdup(by ? by : "");
    tr->code = cia_xstrdup(code ? code : "");
    cia_buf w;
    cia_buf_init(&w);
    struct wlist wbuf;
    if (item && *item) wl = scoped(b->c, item, by, wl, &wbuf);
    if (wl) where_str(&w, wl);
    else cia_buf_adds(&w, "");
    tr->where = cia_buf_steal(&w);
    tr->refs = cia_xstrdup(refs ? refs : "");
}

/* Put a figure in a cell; a figure that cannot exist stays an empty cell. */
static void put(struct tb *b, size_t row, size_t vcol, enum cia_cell_type type, struct cia_rv v)
{
    size_t col = b->nhead + vcol;
    *tb_rv(b, row, vcol) = v;
    if (v.undefined) return;
    if (type == CIA_CELL_PERCENT) cia_table_set_percent(b->t, row, col, v.v, v.known, v.flags);
    else if (type == CIA_CELL_DELTA) cia_table_set_delta(b->t, row, col, v.v, v.known, v.flags);
    else cia_table_set_count(b->t, row, col, v.v, v.known, v.flags);
    /* A lower bound says how many records left it unknown, in its cell. */
    if (type == CIA_CELL_COUNT && strchr(v.flags, 'u')) cia_table_set_n_unknown(b->t, row, col, v.n_unknown);
}

static void mark_used(struct ctx *c, const char *item)
{
    const cia_cat_item *it = find_item(c, item);
    if (!it || c->item_used[it - c->cat->items]) return;
    c->item_used[it - c->cat->items] = ++c->use_seq;   /* definitions in order of first use */
    const cia_cat_service *s = find_svc(c, it->service);
    if (s) c->svc_used[s - c->cat->svcs] = 1;
}

/* The where list of a line: its own conditions, then the request's (yoy
 * --where) for lines that take them. */
static void line_where(struct ctx *c, const struct cia_rd_line *l, int with_req, struct wlist *wl,
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
static char *where_label(struct ctx *c, const struct cia_rd_where *w)
{
    cia_strv v = {0};
    cia_strv_split(&v, w->codes, ',');
    cia_buf b;
    cia_buf_init(&b);
    for (size_t i = 0; i < v.n; i++)
        cia_buf_printf(&b, "%s%s", i ? " + " : "", code_label(c, w->dim, v.v[i]));
    cia_strv_free(&v);
    if (!b.data) cia_buf_adds(&b, "");
    return cia_buf_steal(&b);
}

static char *line_label(struct ctx *c, const struct cia_rd_line *l, const char *item)
{
    if (l->label && !strcmp(l->label, "code")) return where_label(c, &l->where[0]);
    if (l->label) return cia_xstrdup(cia_word(l->label, c->lang));
    const cia_cat_item *it = find_item(c, item);
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, it ? it->label[c->li] : item);
    for (int i = 0; i < l->nwhere; i++) {
        char *wlab = where_label(c, &l->where[i]);
        cia_buf_printf(&b, "%s%s", i ? ", " : " (", wlab);
        free(wlab);
    }
    if (l->nwhere) cia_buf_addc(&b, ')');
    return cia_buf_steal(&b);
}

/* ---- which codes a breakdown shows ------------------------------------ */

struct code_tot { char *code; double total; int sort; };

static int cmp_code_tot(const void *a, const void *b)
{
    const struct code_tot *x = a, *y = b;
    int ux = !strcmp(x->code, "UNK"), uy = !strcmp(y->code, "UNK");
    if (ux != uy) return ux - uy;                  /* not known last */
    if (x->sort != y->sort) return x->sort < y->sort ? -1 : 1;
    if (x->total != y->total) return x->total > y->total ? -1 : 1;
    return strcmp(x->code, y->code);
}

/* Codes of dim present in the data of the given results (any year), with
 * their totals over the period; ordered by the code list, or by total
 * where the list has no order (nationalities), not known last. */
static void data_codes(struct ctx *c, const char *dim, const struct cia_qresult *const *res, size_t nres,
                       struct code_tot **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const cia_cat_dim *d = find_dim(c, dim);
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
    if (*n) qsort(*out, *n, sizeof **out, cmp_code_tot);
}

static void free_code_tot(struct code_tot *v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i].code);
    free(v);
}

/* Resolve a codes= / rowcodes= list against the data: "X?" only when
 * present. */
static void listed_codes(const char *spec, const struct code_tot *present, size_t npresent, cia_strv *out)
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

/* ---- years layout ----------------------------------------------------- */

struct yrow {                     /* one row to be, before the table exists */
    const struct cia_rd_line *l;
    const char *item;
    int with_req;
    const char *by;
    char *code;                   /* NULL: total; "\x01other": the rest */
    cia_strv excluded;            /* for the rest: codes shown above */
};

static void yrow_free(struct yrow *r)
{
    free(r->code);
    cia_strv_free(&r->excluded);
}

#define OTHER_CODE "\x01other"

static int plan_years(struct ctx *c, const struct cia_rd_table *td, struct yrow **rows, size_t *nrows)
{
    *rows = NULL;
    *nrows = 0;
    size_t cap = 0;
#define ADD_ROW() (*nrows == cap ? (*rows = cia_xrealloc(*rows, (cap = cap ? cap * 2 : 16) * sizeof **rows)) : 0, \
                   memset(&(*rows)[*nrows], 0, sizeof **rows), &(*rows)[(*nrows)++])
    for (size_t li = 0; li < td->nlines; li++) {
        const struct cia_rd_line *l = &td->lines[li];
        /* The items of this line: one, or (row all) the request's or the
         * whole catalogue, skipping items that cannot take the request's
         * breakdown when the items were not named. */
        cia_strv items = {0};
        if (!l->all) {
            if (l->item && !find_item(c, l->item)) { cia_strv_free(&items); return unknown_item(c, l->item); }
            cia_strv_push(&items, l->item ? l->item : "");
        } else if (c->req->nitems) {
            for (size_t i = 0; i < c->req->nitems; i++) {
                if (!find_item(c, c->req->items[i])) { cia_strv_free(&items); return unknown_item(c, c->req->items[i]); }
                cia_strv_push(&items, c->req->items[i]);
            }
        } else {
            /* every item, grouped by service (in the services' order) */
            for (size_t s = 0; s < c->cat->nsvcs; s++)
                for (size_t i = 0; i < c->cat->nitems; i++) {
                    const cia_cat_item *it = &c->cat->items[i];
                    if (strcmp(it->service, c->cat->svcs[s].code)) continue;
                    int ok = !c->req->by || item_has_dim(it, c->req->by);
                    if (c->offence_w.dim) ok = ok && item_has_dim(it, "offence");
                    for (int w = 0; w < c->req->nwhere && ok; w++)
                        ok = item_has_dim(it, c->req->where_dim[w]);
                    if (ok) cia_strv_push(&items, it->code);
                }
            if (!items.n) {
                cia_strv_free(&items);
                return cia_fail(c->e, CIA_EUSAGE, "no item has the dimension%s asked for (see `ciatteh items`)",
                                c->req->nwhere + (c->req->by != NULL) > 1 ? "s" : "");
            }
        }
        for (size_t i = 0; i < items.n; i++) {
            const char *item = l->item || l->all ? items.v[i] : NULL;
            /* keep a pointer valid for the table's life */
            if (item) item = find_item(c, item)->code;
            const char *by = l->all ? c->req->by : l->by;
            if (item) mark_used(c, item);
            if (!by || !item) {
                struct yrow *r = ADD_ROW();
                r->l = l; r->item = item; r->with_req = l->all;
                continue;
            }
            struct cia_rd_where req_w[CIA_MAX_BY];
            struct wlist wl;
            line_where(c, l, l->all, &wl, req_w);
            const struct cia_qresult *res;
            int rc = fetch(c, item, by, &wl, &res);
            if (rc) { cia_strv_free(&items); return rc; }
            struct code_tot *present;
            size_t npresent;
            data_codes(c, by, &res, 1, &present, &npresent);
            if (l->total) {
                struct yrow *r = ADD_ROW();
                r->l = l; r->item = item; r->with_req = l->all; r->by = by;
            }
            cia_strv show = {0};
            if (l->codes) {
                listed_codes(l->codes, present, npresent, &show);
            } else if (l->top) {
                /* the N largest over the period, then the rest, then not known */
                struct code_tot *byt = cia_xcalloc(npresent + 1, sizeof *byt);
                size_t nb = 0;
                for (size_t k = 0; k < npresent; k++)
                    if (strcmp(present[k].code, "UNK")) { byt[nb] = present[k]; byt[nb].sort = 0; nb++; }
                if (nb) qsort(byt, nb, sizeof *byt, cmp_code_tot);
                for (size_t k = 0; k < nb && k < (size_t)l->top; k++) cia_strv_push(&show, byt[k].code);
                int rest = nb > (size_t)l->top;
                free(byt);
                for (size_t k = 0; k < show.n; k++) {
                    struct yrow *r = ADD_ROW();
                    r->l = l; r->item = item; r->with_req = l->all; r->by = by;
                    r->code = cia_xstrdup(show.v[k]);
                }
                if (rest) {
                    struct yrow *r = ADD_ROW();
                    r->l = l; r->item = item; r->with_req = l->all; r->by = by;
                    r->code = cia_xstrdup(OTHER_CODE);
                    for (size_t k = 0; k < show.n; k++) cia_strv_push(&r->excluded, show.v[k]);
                }
                cia_strv_free(&show);
                for (size_t k = 0; k < npresent; k++)
                    if (!strcmp(present[k].code, "UNK")) cia_strv_push(&show, "UNK");
            } else {
                for (size_t k = 0; k < npresent; k++) cia_strv_push(&show, present[k].code);
            }
            for (size_t k = 0; k < show.n; k++) {
                struct yrow *r = ADD_ROW();
                r->l = l; r->item = item; r->with_req = l->all; r->by = by;
                r->code = cia_xstrdup(show.v[k]);
            }
            cia_strv_free(&show);
            free_code_tot(present, npresent);
        }
        cia_strv_free(&items);
    }
#undef ADD_ROW
    return CIA_OK;
}

static int rest_figure(struct ctx *c, const struct yrow *yr, const struct wlist *wl, int year,
                       struct cia_rv *out)
{
    const struct cia_qresult *res;
    int rc = fetch(c, yr->item, yr->by, wl, &res);
    if (rc) return rc;
    /* Summed as the query sums: the known values, a lower bound (u) when
     * some are not known, not known when none is. */
    struct cia_rv sum = { 0 };
    int any = 0, unknown = 0;
    for (size_t i = 0; i < res->n; i++) {
        const struct cia_qrow *row = &res->rows[i];
        if (row->year != year || !*row->dims[0] || !strcmp(row->dims[0], "UNK") ||
            cia_strv_find(&yr->excluded, row->dims[0]) >= 0)
            continue;
        cia_rv_flags_union(sum.flags, sum.flags, row->flags);
        sum.n_unknown += row->n_unknown;
        if (row->known) { sum.known = 1; sum.v += (double)row->value; }
        else unknown = 1;
        any = 1;
    }
    if (!any) return absent(c, yr->item, year, out);
    if (unknown) cia_rv_flags_union(sum.flags, sum.flags, "u");
    *out = sum;
    return CIA_OK;
}

static char *years_text(int y0, int y1)
{
    return y0 == y1 ? cia_xasprintf("%d", y0) : cia_xasprintf("%d" ENDASH "%d", y0, y1);
}

static int build_years(struct tb *b)
{
    struct ctx *c = b->c;
    const struct cia_rd_table *td = b->def;
    struct yrow *rows;
    size_t nrows;
    int rc = plan_years(c, td, &rows, &nrows);
    if (rc) return rc;
    int has_code = 0;
    const char *code_dim = NULL;
    int one_dim = 1;
    for (size_t i = 0; i < nrows; i++)
        if (rows[i].by) {
            if (code_dim && strcmp(code_dim, rows[i].by)) one_dim = 0;
            code_dim = rows[i].by;
            has_code = 1;
        }
    b->nhead = (size_t)td->group_service + 1 + (size_t)has_code;
    int changes = td->changes && c->ny >= 2, period = changes && c->ny >= 3;
    b->nval = (size_t)c->ny + (changes ? 2 : 0) + (period ? 2 : 0);
    char *title = cia_xstrdup(cia_word(td->title, c->lang));
    b->t = cia_table_new(td->id, title, b->nhead + b->nval, b->nhead);
    free(title);
    size_t col = 0;
    if (td->group_service) cia_table_set_col(b->t, col++, "service", cia_word("service", c->lang));
    cia_table_set_col(b->t, col++, "item", cia_word("item", c->lang));
    if (has_code)
        cia_table_set_col(b->t, col++, "code",
                          one_dim ? dim_label(c, code_dim) : cia_word("breakdown", c->lang));
    for (int y = c->y0; y <= c->y1; y++) {
        char k[16];
        snprintf(k, sizeof k, "%d", y);
        cia_table_set_col(b->t, col++, k, k);
    }
    if (changes) {
        char *yt = years_text(c->y1 - 1, c->y1);
        char *h = cia_xasprintf("%s %s", cia_word("change", c->lang), yt);
        char *hp = cia_xasprintf("%s %s", h, cia_word("in_pct", c->lang));
        cia_table_set_col(b->t, col++, "chg_last", h);
        cia_table_set_col(b->t, col++, "chg_last_pct", hp);
        free(yt); free(h); free(hp);
    }
    if (period) {
        char *yt = years_text(c->y0, c->y1);
        char *h = cia_xasprintf("%s %s", cia_word("change", c->lang), yt);
        char *hp = cia_xasprintf("%s %s", h, cia_word("in_pct", c->lang));
        cia_table_set_col(b->t, col++, "chg_period", h);
        cia_table_set_col(b->t, col++, "chg_period_pct", hp);
        free(yt); free(h); free(hp);
    }

    for (size_t ri = 0; ri < nrows && rc == CIA_OK; ri++) {
        struct yrow *yr = &rows[ri];
        const struct cia_rd_line *l = yr->l;
        int share = !yr->item;
        /* key and labels */
        cia_buf key;
        cia_buf_init(&key);
        if (share) cia_buf_printf(&key, "share:%s", l->id ? l->id : "");
        else {
            cia_buf_adds(&key, yr->item);
            for (int w = 0; w < l->nwhere; w++) cia_buf_printf(&key, "[%s=%s]", l->where[w].dim, l->where[w].codes);
            if (yr->code) cia_buf_printf(&key, "|%s", !strcmp(yr->code, OTHER_CODE) ? "_other" : yr->code);
        }
        tb_row(b, key.data, l->id && !yr->by ? l->id : NULL);
        cia_buf_free(&key);
        size_t row = b->t->nrows - 1;
        col = 0;
        if (td->group_service) {
            const cia_cat_item *it = yr->item ? find_item(c, yr->item) : NULL;
            const cia_cat_service *s = it ? find_svc(c, it->service) : NULL;
            cia_table_set_text(b->t, row, col++, s ? s->label[c->li] : "");
        }
        char *lab = line_label(c, l, yr->item);
        cia_table_set_text(b->t, row, col++, lab);
        free(lab);
        if (has_code) {
            const char *cl = !yr->by ? "" : !yr->code ? cia_word("total", c->lang)
                           : !strcmp(yr->code, OTHER_CODE) ? cia_word(!strcmp(yr->by, "nationality")
                                                                      ? "other_nationalities" : "other_codes", c->lang)
                           : code_label(c, yr->by, yr->code);
            cia_table_set_text(b->t, row, col++, cl);
        }
        struct cia_rd_where req_w[CIA_MAX_BY];
        struct wlist wl;
        line_where(c, l, yr->with_req, &wl, req_w);
        for (int y = c->y0; y <= c->y1 && rc == CIA_OK; y++) {
            size_t vc = (size_t)(y - c->y0);
            struct cia_rv v;
            if (share) {
                /* this year's figures of the rows the share refers to */
                struct cia_rv num = { 0 }, den = { 0 };
                int have_num = 0;
                char refs[256] = "";
                for (int k = 0; k < l->nnum; k++) {
                    int r = cia_strv_find(&b->row_ids, l->num[k]);
                    struct cia_rv part = r >= 0 ? *tb_rv(b, (size_t)r, vc) : (struct cia_rv){ 0 };
                    num = have_num ? cia_rv_sum(num, part) : part;
                    have_num = 1;
                    snprintf(refs + strlen(refs), sizeof refs - strlen(refs), "%s%d.%zu", k ? "+" : "", r,
                             b->nhead + vc);
                }
                int d = cia_strv_find(&b->row_ids, l->den);
                den = d >= 0 ? *tb_rv(b, (size_t)d, vc) : (struct cia_rv){ 0 };
                snprintf(refs + strlen(refs), sizeof refs - strlen(refs), "/%d.%zu", d, b->nhead + vc);
                v = cia_rv_share(num, den);
                if (v.undefined) b->any_share_undefined = 1;
                if (strchr(v.flags, 'u')) b->any_u_derived = 1;
                c->used_shares = 1;
                put(b, row, vc, CIA_CELL_PERCENT, v);
                if (!v.undefined) push_trace(b, row, b->nhead + vc, "share", NULL, y, NULL, NULL, NULL, refs);
                continue;
            }
            if (yr->code && !strcmp(yr->code, OTHER_CODE)) {
                rc = rest_figure(c, yr, &wl, y, &v);
                if (rc) break;
                cia_buf ex;
                cia_buf_init(&ex);
                for (size_t k = 0; k < yr->excluded.n; k++) cia_buf_printf(&ex, "%s%s", k ? "|" : "", yr->excluded.v[k]);
                put(b, row, vc, CIA_CELL_COUNT, v);
                push_trace(b, row, b->nhead + vc, "rest", yr->item, y, yr->by, ex.data, &wl, NULL);
                cia_buf_free(&ex);
                continue;
            }
            rc = figure(c, yr->item, yr->code ? yr->by : NULL, yr->code, &wl, y, &v);
            if (rc) break;
            put(b, row, vc, CIA_CELL_COUNT, v);
            push_trace(b, row, b->nhead + vc, "query", yr->item, y, yr->code ? yr->by : NULL, yr->code, &wl, NULL);
        }
        if (rc || share || !changes) continue;
        /* changes between the last two years, and over the period */
        size_t last = (size_t)c->ny - 1;
        struct { size_t a, b; } pairs[2] = { { last, last - 1 }, { last, 0 } };
        for (int p = 0; p < (period ? 2 : 1); p++) {
            struct cia_rv later = *tb_rv(b, row, pairs[p].a), earlier = *tb_rv(b, row, pairs[p].b);
            size_t vc = (size_t)c->ny + 2 * (size_t)p;
            char refs[64];
            snprintf(refs, sizeof refs, "%zu.%zu %zu.%zu", row, b->nhead + pairs[p].a, row, b->nhead + pairs[p].b);
            struct cia_rv d = cia_rv_diff(later, earlier), q = cia_rv_ratio_change(later, earlier);
            put(b, row, vc, CIA_CELL_DELTA, d);
            push_trace(b, row, b->nhead + vc, "change", NULL, 0, NULL, NULL, NULL, refs);
            put(b, row, vc + 1, CIA_CELL_PERCENT, q);
            if (!q.undefined) push_trace(b, row, b->nhead + vc + 1, "change_pct", NULL, 0, NULL, NULL, NULL, refs);
            else b->any_pct_undefined = 1;
            if (strchr(d.flags, 'u')) b->any_u_derived = 1;
            c->used_changes = 1;
        }
    }
    for (size_t i = 0; i < nrows; i++) yrow_free(&rows[i]);
    free(rows);
    return rc;
}

/* ---- cross layout ----------------------------------------------------- */

static int build_cross(struct tb *b)
{
    struct ctx *c = b->c;
    const struct cia_rd_table *td = b->def;
    int rc = CIA_OK;
    b->nhead = 2;
    b->nval = td->nlines;
    char *title = cia_xstrdup(cia_word(td->title, c->lang));
    b->t = cia_table_new(td->id, title, b->nhead + b->nval, b->nhead);
    free(title);
    cia_table_set_col(b->t, 0, "year", cia_word("year", c->lang));
    cia_table_set_col(b->t, 1, td->rowdim, dim_label(c, td->rowdim));
    /* The codes of the rows: listed, or every code any column has data for. */
    const struct cia_qresult **res = cia_xcalloc(td->nlines + 1, sizeof *res);
    size_t nres = 0;
    for (size_t li = 0; li < td->nlines && rc == CIA_OK; li++) {
        const struct cia_rd_line *l = &td->lines[li];
        if (!l->item) continue;
        if (!find_item(c, l->item)) { rc = unknown_item(c, l->item); break; }
        mark_used(c, l->item);
        struct wlist wl;
        line_where(c, l, 0, &wl, NULL);
        rc = fetch(c, l->item, td->rowdim, &wl, &res[nres]);
        if (!rc) nres++;
    }
    if (rc) { free(res); return rc; }
    struct code_tot *present;
    size_t npresent;
    data_codes(c, td->rowdim, res, nres, &present, &npresent);
    free(res);
    cia_strv codes = {0};
    if (td->rowcodes) listed_codes(td->rowcodes, present, npresent, &codes);
    else for (size_t k = 0; k < npresent; k++) cia_strv_push(&codes, present[k].code);
    free_code_tot(present, npresent);

    for (size_t li = 0; li < td->nlines; li++) {
        const struct cia_rd_line *l = &td->lines[li];
        char *lab = line_label(c, l, l->item);
        cia_table_set_col(b->t, b->nhead + li, l->id ? l->id : l->item, lab);
        free(lab);
    }
    for (int y = c->y0; y <= c->y1 && rc == CIA_OK; y++) {
        size_t nr = codes.n + (td->rowtotal ? 1 : 0);
        for (size_t k = 0; k < nr && rc == CIA_OK; k++) {
            const char *code = k < codes.n ? codes.v[k] : NULL;
            char *key = cia_xasprintf("%d|%s", y, code ? code : "total");
            tb_row(b, key, NULL);
            free(key);
            size_t row = b->t->nrows - 1;
            char ys[16];
            snprintf(ys, sizeof ys, "%d", y);
            cia_table_set_text(b->t, row, 0, ys);
            cia_table_set_text(b->t, row, 1, code ? code_label(c, td->rowdim, code) : cia_word("total", c->lang));
            for (size_t li = 0; li < td->nlines && rc == CIA_OK; li++) {
                const struct cia_rd_line *l = &td->lines[li];
                struct cia_rv v;
                if (!l->item) {
                    struct cia_rv num = { 0 }, den;
                    char refs[256] = "";
                    for (int n = 0; n < l->nnum; n++) {
                        size_t ci;
                        for (ci = 0; ci < td->nlines && !(td->lines[ci].id && !strcmp(td->lines[ci].id, l->num[n])); ci++) {}
                        num = n ? cia_rv_sum(num, *tb_rv(b, row, ci)) : *tb_rv(b, row, ci);
                        snprintf(refs + strlen(refs), sizeof refs - strlen(refs), "%s%zu.%zu", n ? "+" : "", row,
                                 b->nhead + ci);
                    }
                    size_t di;
                    for (di = 0; di < td->nlines && !(td->lines[di].id && !strcmp(td->lines[di].id, l->den)); di++) {}
                    den = *tb_rv(b, row, di);
                    snprintf(refs + strlen(refs), sizeof refs - strlen(refs), "/%zu.%zu", row, b->nhead + di);
                    v = cia_rv_share(num, den);
                    if (v.undefined) b->any_share_undefined = 1;
                    if (strchr(v.flags, 'u')) b->any_u_derived = 1;
                    c->used_shares = 1;
                    put(b, row, li, CIA_CELL_PERCENT, v);
                    if (!v.undefined) push_trace(b, row, b->nhead + li, "share", NULL, y, NULL, NULL, NULL, refs);
                    continue;
                }
                struct wlist wl;
                line_where(c, l, 0, &wl, NULL);
                rc = figure(c, l->item, code ? td->rowdim : NULL, code, &wl, y, &v);
                if (rc) break;
                put(b, row, li, CIA_CELL_COUNT, v);
                push_trace(b, row, b->nhead + li, "query", l->item, y, code ? td->rowdim : NULL, code, &wl, NULL);
            }
        }
    }
    cia_strv_free(&codes);
    return rc;
}

/* ---- notes and headings ---------------------------------------------- */

static void year_list(cia_buf *b, const char *flags, int y0, int n)
{
    /* "2019, 2021–2023" */
    int first = 1;
    for (int i = 0; i < n; i++) {
        if (!flags[i]) continue;
        int j = i;
        while (j + 1 < n && flags[j + 1]) j++;
        cia_buf_printf(b, "%s%d", first ? "" : ", ", y0 + i);
        if (j > i) cia_buf_printf(b, "%s%d", j == i + 1 ? ", " : ENDASH, y0 + j);
        first = 0;
        i = j;
    }
}

static void add_note_words(cia_table *t, const char *lang, const char *key, const char *tail)
{
    char *n = tail ? cia_xasprintf("%s%s%s", cia_word(key, lang), cia_word("colon", lang), tail)
                   : cia_xstrdup(cia_word(key, lang));
    cia_table_add_note(t, n);
    free(n);
}

static void finish_table(struct tb *b)
{
    struct ctx *c = b->c;
    cia_table *t = b->t;
    const char *lang = c->lang;
    /* A year column whose every figure is provisional says so in its
     * heading, as printed tables do; the marks stay on the figures. */
    if (b->def->layout == CIA_RD_YEARS)
        for (int y = c->y0; y <= c->y1; y++) {
            size_t col = b->nhead + (size_t)(y - c->y0);
            int all = t->nrows > 0;
            for (size_t r = 0; r < t->nrows && all; r++) {
                const cia_cell *cell = cia_table_cell_c(t, r, col);
                if (cell->type != CIA_CELL_NONE && !cia_cell_has_flag(cell, 'p')) all = 0;
            }
            if (all && b->prov[y - c->y0]) {
                char *h = cia_xasprintf("%d (p)", y);
                char *k = cia_xstrdup(t->col_keys[col]);   /* set_col frees the old key first */
                cia_table_set_col(t, col, k, h);
                free(k);
                free(h);
            }
        }
    for (size_t i = 0; i < t->nrows * t->ncols; i++) {
        const cia_cell *cell = &t->cells[i];
        switch (cia_cell_state(cell)) {
        case CIA_ST_NOT_KNOWN: c->any_nk = 1; break;
        case CIA_ST_NOT_DELIVERED: c->any_nd = 1; break;
        case CIA_ST_INCOMPLETE: c->any_inc = 1; break;
        default: break;
        }
    }
    cia_buf yrs;
    cia_buf_init(&yrs);
    year_list(&yrs, b->prov, c->y0, c->ny);
    if (yrs.len) add_note_words(t, lang, "note_provisional", yrs.data);
    cia_buf_free(&yrs);
    if (b->any_u_derived) add_note_words(t, lang, "note_derived_u", NULL);
    if (b->any_pct_undefined) add_note_words(t, lang, "note_pct_undefined", NULL);
    if (b->any_share_undefined) add_note_words(t, lang, "note_share_undefined", NULL);
    /* Scopes (the shelters' centres) that sent nothing for a year the
     * service covers: the year's figures are those of the others. */
    if (b->def->scope_note) {
        char *svc = cia_xstrdup(b->def->scope_note);
        char *dim = strchr(svc, ':');
        *dim++ = '\0';
        const cia_cat_dim *d = find_dim(c, dim);
        /* only when the table shows an item of that service */
        int shows = 0;
        for (size_t i = 0; i < c->out->ntrace && !shows; i++) {
            const struct cia_report_trace *tr = &c->out->trace[i];
            const cia_cat_item *it = tr->table == b->tindex && *tr->item ? find_item(c, tr->item) : NULL;
            shows = it && !strcmp(it->service, svc);
        }
        if (!shows) d = NULL;
        for (int y = c->y0; y <= c->y1 && d; y++) {
            if (!covered(c, svc, y)) continue;
            cia_buf miss;
            cia_buf_init(&miss);
            for (size_t k = 0; k < c->cat->ncodes; k++) {
                const cia_cat_code *ck = &c->cat->codes[k];
                if (strcmp(ck->list, d->list) || !strcmp(ck->code, "UNK")) continue;
                char *key = cia_xasprintf("%s|%s|%d", svc, ck->code, y);
                if (cia_strv_find(&c->scopes, key) < 0)
                    cia_buf_printf(&miss, "%s%s", miss.len ? ", " : "", ck->label[c->li]);
                free(key);
            }
            if (miss.len) {
                char *n = cia_xasprintf("%d%s%s %s%s", y, cia_word("colon", lang), cia_word("scope_missing", lang),
                                        miss.data, cia_word("scope_missing_after", lang));
                cia_table_add_note(t, n);
                free(n);
            }
            cia_buf_free(&miss);
        }
        free(svc);
    }
    for (size_t i = 0; i < b->def->nnotes; i++) add_note_words(t, lang, b->def->notes[i], NULL);
    /* Subtitle: the years, the definition's own, the request's filters. */
    cia_buf sub;
    cia_buf_init(&sub);
    char *yt = years_text(c->y0, c->y1);
    cia_buf_adds(&sub, yt);
    free(yt);
    if (b->def->subtitle) cia_buf_printf(&sub, MIDDOT "%s", cia_word(b->def->subtitle, lang));
    cia_buf_printf(&sub, MIDDOT "%s", cia_word(!strcmp(c->offence, "SMUG") ? "off_SMUG" : "off_THB", lang));
    int takes_req = 0;
    for (size_t i = 0; i < b->def->nlines; i++) takes_req |= b->def->lines[i].all;
    for (int i = 0; takes_req && i < c->req->nwhere; i++) {
        struct cia_rd_where w = { (char *)c->req->where_dim[i], (char *)c->req->where_codes[i] };
        char *wl = where_label(c, &w);
        cia_buf_printf(&sub, MIDDOT "%s%s%s", dim_label(c, w.dim), cia_word("colon", lang), wl);
        free(wl);
    }
    cia_table_set_subtitle(t, sub.data);
    cia_buf_free(&sub);
}

/* ---- provenance and definitions -------------------------------------- */

static int add_provenance(struct ctx *c, cia_report *r)
{
    cia_buf svcs, items;
    cia_buf_init(&svcs);
    cia_buf_init(&items);
    cia_buf_addc(&svcs, '{');
    cia_buf_addc(&items, '{');
    for (size_t i = 0; i < c->cat->nsvcs; i++)
        if (c->svc_used[i]) cia_buf_printf(&svcs, "%s%s", svcs.len > 1 ? "," : "", c->cat->svcs[i].code);
    for (size_t i = 0; i < c->cat->nitems; i++)
        if (c->item_used[i]) cia_buf_printf(&items, "%s%s", items.len > 1 ? "," : "", c->cat->items[i].code);
    cia_buf_addc(&svcs, '}');
    cia_buf_addc(&items, '}');
    char y0[16], y1[16];
    snprintf(y0, sizeof y0, "%d", c->y0);
    snprintf(y1, sizeof y1, "%d", c->y1);
    const char *p[5] = { c->req->as_of, items.data, svcs.data, y0, y1 };
    char sql[2048];
    /* A delivery counts when it is current for a year of the report, or
     * for an earlier year when an item read counts its records by a later
     * date than the service's primary one (decisions, admissions). */
    snprintf(sql, sizeof sql,
        "WITH f AS (SELECT DISTINCT ON (service) service, year_rule FROM item ORDER BY service, sort), "
        "lag AS (SELECT DISTINCT i.service FROM item i JOIN f ON f.service = i.service "
        "        WHERE i.year_rule <> f.year_rule AND i.code = ANY($2::text[])) "
        "SELECT d.id, d.file_name, left(d.sha256, 12), "
        "       to_char(d.loaded_at AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD HH24:MI:SS'), "
        "       string_agg(DISTINCT c.year::text, ',' ORDER BY c.year::text), d.service "
        "FROM coverage_as_of(" ASOF_TS ") c JOIN delivery_history d ON d.id = c.delivery_id "
        "JOIN service s ON s.code = d.service "
        "WHERE c.service = ANY($3::text[]) AND (c.year BETWEEN $4::int AND $5::int "
        "      OR (c.year < $4::int AND c.service IN (SELECT service FROM lag))) "
        "GROUP BY d.id, d.file_name, d.sha256, d.loaded_at, d.service, s.sort ORDER BY s.sort, d.id",
        1);
    PGresult *res;
    int rc = cia_db_query(c->db, c->e, &res, sql, 5, p);
    cia_buf_free(&svcs);
    cia_buf_free(&items);
    if (rc) return rc;
    for (int i = 0; i < PQntuples(res); i++) {
        /* years as ranges */
        cia_strv ys = {0};
        cia_strv_split(&ys, PQgetvalue(res, i, 4), ',');
        int lo = 9999, hi = 0;
        for (size_t k = 0; k < ys.n; k++) {
            int y = atoi(ys.v[k]);
            if (y < lo) lo = y;
            if (y > hi) hi = y;
        }
        char flags[512] = { 0 };
        if (hi - lo < (int)sizeof flags)
            for (size_t k = 0; k < ys.n; k++) flags[atoi(ys.v[k]) - lo] = 1;
        cia_strv_free(&ys);
        cia_buf yl;
        cia_buf_init(&yl);
        if (hi >= lo && hi - lo < (int)sizeof flags) year_list(&yl, flags, lo, hi - lo + 1);
        const cia_cat_service *s = find_svc(c, PQgetvalue(res, i, 5));
        char *line = cia_xasprintf("%s " "\xe2\x80\x94" " %s (%s #%s, SHA-256 %s, %s %s; %s %s)",
                                   s ? s->label[c->li] : PQgetvalue(res, i, 5), PQgetvalue(res, i, 1),
                                   cia_word("delivery", c->lang), PQgetvalue(res, i, 0),
                                   PQgetvalue(res, i, 2), cia_word("loaded", c->lang), PQgetvalue(res, i, 3),
                                   cia_word("years_used", c->lang), yl.data ? yl.data : "");
        cia_report_add_provenance(r, line);
        free(line);
        cia_buf_free(&yl);
    }
    if (PQntuples(res) == 0) cia_report_add_provenance(r, cia_word("no_deliveries", c->lang));
    PQclear(res);
    return CIA_OK;
}

static void add_definitions(struct ctx *c, cia_report *r)
{
    for (int seq = 1; seq <= c->use_seq; seq++)
        for (size_t i = 0; i < c->cat->nitems; i++)
            if (c->item_used[i] == seq) {
                const cia_cat_item *it = &c->cat->items[i];
                char *d = cia_xasprintf("%s%s%s", it->label[c->li], cia_word("def_sep", c->lang), it->def[c->li]);
                cia_report_add_definition(r, d);
                free(d);
            }
    if (c->any_nk) cia_report_add_definition(r, cia_word("def_not_known", c->lang));
    if (c->any_nd) cia_report_add_definition(r, cia_word("def_not_delivered", c->lang));
    if (c->any_inc) cia_report_add_definition(r, cia_word("def_incomplete", c->lang));
    cia_report_add_definition(r, cia_word("def_zero", c->lang));
    if (c->used_changes) cia_report_add_definition(r, cia_word("def_change", c->lang));
    if (c->used_shares) cia_report_add_definition(r, cia_word("def_share", c->lang));
}

/* ---- the report ------------------------------------------------------- */

static void ctx_free(struct ctx *c)
{
    cia_catalogue_free(c->cat);
    free(c->item_used);
    free(c->svc_used);
    cia_strv_free(&c->covered);
    cia_strv_free(&c->scopes);
    if (c->countries) cia_countries_free(c->countries);
    for (size_t i = 0; i < c->nqc; i++) {
        cia_qresult_free(&c->qc[i]->res);
        free(c->qc[i]->key);
        for (int k = 0; k < c->qc[i]->nowned; k++) free(c->qc[i]->owned[k]);
        free(c->qc[i]);
    }
    free(c->qc);
}

void cia_report_build_free(cia_report_build *b)
{
    if (!b) return;
    cia_report_free(b->report);
    for (size_t i = 0; i < b->ntrace; i++) {
        free(b->trace[i].item); free(b->trace[i].by); free(b->trace[i].code);
        free(b->trace[i].where); free(b->trace[i].refs);
    }
    free(b->trace);
    memset(b, 0, sizeof *b);
}

#define MAX_YEARS 60

static int make_one(cia_db *db, const struct cia_rd *def, const struct cia_report_req *req,
                    cia_report_build *out, cia_err *e);

/* --offence both: the trafficking report, then the smuggling one's tables
 * after it (ids suffixed _smug), side by side and never summed. */
int cia_report_make(cia_db *db, const struct cia_rd *def, const struct cia_report_req *req,
                    cia_report_build *out, cia_err *e)
{
    if (!req->offence || strcmp(req->offence, "both")) return make_one(db, def, req, out, e);
    struct cia_report_req r1 = *req, r2 = *req;
    r1.offence = "THB";
    r2.offence = "SMUG";
    cia_report_build smug;
    int rc = make_one(db, def, &r1, out, e);
    if (rc) return rc;
    if ((rc = make_one(db, def, &r2, &smug, e))) {
        cia_report_build_free(out);
        return rc;
    }
    size_t base = out->report->ntables;
    for (size_t t = 0; t < smug.report->ntables; t++) {
        cia_table *tb = smug.report->tables[t];
        cia_table_set_sheet_smug(tb, def->id, req->lang);
        char *id = cia_xasprintf("%s_smug", tb->id);
        free(tb->id);
        tb->id = id;
        cia_report_add_table(out->report, tb);
    }
    smug.report->ntables = 0;
    out->trace = cia_xrealloc(out->trace, (out->ntrace + smug.ntrace + 1) * sizeof *out->trace);
    for (size_t i = 0; i < smug.ntrace; i++) {
        out->trace[out->ntrace] = smug.trace[i];
        out->trace[out->ntrace++].table += base;
    }
    smug.ntrace = 0;
    cia_report_build_free(&smug);
    return CIA_OK;
}

static int make_one(cia_db *db, const struct cia_rd *def, const struct cia_report_req *req,
                    cia_report_build *out, cia_err *e)
{
    memset(out, 0, sizeof *out);
    if (req->year_from < 1995 || req->year_to < req->year_from || req->year_to > 9999 ||
        req->year_to - req->year_from >= MAX_YEARS)
        return cia_fail(e, CIA_EUSAGE, "--years %d-%d: expected A-B with 1995 <= A <= B, at most %d years",
                        req->year_from, req->year_to, MAX_YEARS);
    int rc = cia_check_as_of(req->as_of, e);
    if (rc) return rc;
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.db = db;
    c.req = req;
    c.lang = req->lang && *req->lang ? req->lang : "en";
    c.e = e;
    c.y0 = req->year_from;
    c.y1 = req->year_to;
    c.ny = c.y1 - c.y0 + 1;
    c.out = out;
    /* --items/--by/--where shape `row all` lines only. */
    int takes_req = 0;
    for (size_t t = 0; t < def->ntables; t++)
        for (size_t i = 0; i < def->tables[t].nlines; i++) takes_req |= def->tables[t].lines[i].all;
    if (!takes_req && (req->nitems || req->by || req->nwhere)) {
        return cia_fail(e, CIA_EUSAGE, "report %s has a fixed content: --items, --by and --where apply "
                        "to `report yoy`", def->id);
    }
    c.offence = req->offence && *req->offence ? req->offence : "THB";
    if (strcmp(c.offence, "THB") && strcmp(c.offence, "SMUG"))
        return cia_fail(e, CIA_EUSAGE, "--offence %s: expected THB, SMUG or both", c.offence);
    if (!strcmp(c.offence, "SMUG")) c.offence_w = (struct cia_rd_where){ (char *)"offence", (char *)"SMUG" };
    if ((rc = load_catalogue(&c))) goto done;
    if (!strcmp(c.offence, "SMUG")) {
        /* Items without an offence dimension (shelters, inspectorates)
         * count trafficking only: a smuggling report cannot show them,
         * and a definition built around them has nothing to show. */
        int any = 0;
        for (size_t t = 0; t < def->ntables; t++)
            for (size_t i = 0; i < def->tables[t].nlines; i++) {
                const struct cia_rd_line *l = &def->tables[t].lines[i];
                const cia_cat_item *it = l->item ? find_item(&c, l->item) : NULL;
                for (int w = 0; it && w < l->nwhere; w++)
                    if (!strcmp(l->where[w].dim, "offence")) it = NULL;
                if (l->all || (it && item_has_dim(it, "offence"))) any = 1;
                else if (it) { any = -1; break; }
            }
        if (any != 1) {
            rc = cia_fail(e, CIA_EUSAGE, "report %s counts trafficking only; --offence SMUG applies to "
                          "yoy and sentences", def->id);
            goto done;
        }
    }
    char *yt = years_text(c.y0, c.y1);
    char *title = cia_xasprintf("%s" MIDDOT "%s, %s", cia_word(def->title, c.lang),
                                cia_word(!strcmp(c.offence, "SMUG") ? "off_SMUG" : "off_THB", c.lang), yt);
    free(yt);
    out->report = cia_report_new(def->id, title, c.lang, req->as_of);
    free(title);
    for (size_t t = 0; t < def->ntables && rc == CIA_OK; t++) {
        struct tb b;
        memset(&b, 0, sizeof b);
        b.c = &c;
        b.def = &def->tables[t];
        b.tindex = t;
        rc = b.def->layout == CIA_RD_CROSS ? build_cross(&b) : build_years(&b);
        if (rc == CIA_OK) {
            finish_table(&b);
            cia_report_add_table(out->report, b.t);
        } else {
            cia_table_free(b.t);
        }
        free(b.rv);
        cia_strv_free(&b.row_ids);
    }
    if (rc == CIA_OK) rc = add_provenance(&c, out->report);
    if (rc == CIA_OK) add_definitions(&c, out->report);
    if (rc == CIA_OK) cia_report_typeset(out->report);
done:
    ctx_free(&c);
    if (rc) cia_report_build_free(out);
    return rc;
}

/* ---- the trace -------------------------------------------------------- */

int cia_report_write_trace(FILE *fp, const cia_report_build *b, cia_err *e)
{
    cia_buf o;
    cia_buf_init(&o);
    cia_buf_adds(&o, "table,row,col,row_key,col_key,kind,item,year,by,code,where,refs,value,flags,unknown\n");
    for (size_t i = 0; i < b->ntrace; i++) {
        const struct cia_report_trace *tr = &b->trace[i];
        const cia_table *t = b->report->tables[tr->table];
        const cia_cell *cell = cia_table_cell_c(t, tr->row, tr->col);
        cia_buf_add_csv(&o, t->id, ',');
        cia_buf_printf(&o, ",%zu,%zu,", tr->row, tr->col);
        cia_buf_add_csv(&o, t->row_keys[tr->row], ',');
        cia_buf_addc(&o, ',');
        cia_buf_add_csv(&o, t->col_keys[tr->col], ',');
        cia_buf_printf(&o, ",%s,", tr->kind);
        cia_buf_add_csv(&o, tr->item, ',');
        if (tr->year) cia_buf_printf(&o, ",%d,", tr->year);
        else cia_buf_adds(&o, ",,");
        cia_buf_add_csv(&o, tr->by, ',');
        cia_buf_addc(&o, ',');
        cia_buf_add_csv(&o, tr->code, ',');
        cia_buf_addc(&o, ',');
        cia_buf_add_csv(&o, tr->where, ',');
        cia_buf_addc(&o, ',');
        cia_buf_add_csv(&o, tr->refs, ',');
        if (cell && cell->known) cia_buf_printf(&o, ",%.10g,", cell->value);
        else cia_buf_adds(&o, ",,");
        cia_buf_adds(&o, cell ? cell->flags : "");
        cia_buf_printf(&o, ",%lld\n", cell ? cell->n_unknown : 0);
    }
    int rc = CIA_OK;
    if (fwrite(o.data, 1, o.len, fp) != o.len || fflush(fp) != 0)
        rc = cia_fail(e, CIA_ECANTCREAT, "cannot write the trace");
    cia_buf_free(&o);
    return rc;
}
