/* report_years.c — the years layout of the report builder (report_int.h):
 * one row per line (and per code of its breakdown: listed, the N largest
 * then the rest, or every code in the data; not known last), one column
 * per year, then the changes between the last two years and over the
 * period.  The rows are planned first (which items, which codes), then
 * filled year by year; a share reads the figures of rows above it. */
#include <stdlib.h>
#include <string.h>
#include "report_int.h"

/* ---- the rows, planned before the table exists ------------------------- */

struct yrow {                     /* one row to be, before the table exists */
    const struct cia_rd_line *l;
    const char *item;
    int with_req;
    const char *by;
    char *code;                   /* NULL: total; "\x01other": the rest */
    cia_strv excluded;            /* for the rest: codes shown above */
};

struct yplan { struct yrow *v; size_t n, cap; };

#define OTHER_CODE "\x01other"

static struct yrow *add_row(struct yplan *p, const struct cia_rd_line *l, const char *item, const char *by,
                            const char *code)
{
    if (p->n == p->cap) p->v = cia_xrealloc(p->v, (p->cap = p->cap ? p->cap * 2 : 16) * sizeof *p->v);
    struct yrow *r = &p->v[p->n++];
    memset(r, 0, sizeof *r);
    r->l = l;
    r->item = item;
    r->with_req = l->all;
    r->by = by;
    r->code = code ? cia_xstrdup(code) : NULL;
    return r;
}

static void yplan_free(struct yplan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].code);
        cia_strv_free(&p->v[i].excluded);
    }
    free(p->v);
}

/* `row all` without --items: every item, grouped by service (in the
 * services' order), skipping those that cannot take the request's
 * breakdown, conditions or offence. */
static int all_items(struct rb_ctx *c, cia_strv *items)
{
    for (size_t s = 0; s < c->cat->nsvcs; s++)
        for (size_t i = 0; i < c->cat->nitems; i++) {
            const cia_cat_item *it = &c->cat->items[i];
            if (strcmp(it->service, c->cat->svcs[s].code)) continue;
            int ok = !c->req->by || cia_cat_item_has_dim(it, c->req->by);
            if (c->offence_w.dim) ok = ok && cia_cat_item_has_dim(it, "offence");
            for (int w = 0; w < c->req->nwhere && ok; w++)
                ok = cia_cat_item_has_dim(it, c->req->where_dim[w]);
            if (ok) cia_strv_push(items, it->code);
        }
    if (items->n) return CIA_OK;
    return cia_fail(c->e, CIA_EUSAGE, "no item has the dimension%s asked for (see `ciatteh items`)",
                    c->req->nwhere + (c->req->by != NULL) > 1 ? "s" : "");
}

/* The items of a line: one, or (row all) the request's or the whole
 * catalogue. */
static int line_items(struct rb_ctx *c, const struct cia_rd_line *l, cia_strv *items)
{
    if (!l->all) {
        if (l->item && !rb_item(c, l->item)) return rb_unknown_item(c, l->item);
        cia_strv_push(items, l->item ? l->item : "");
        return CIA_OK;
    }
    if (!c->req->nitems) return all_items(c, items);
    for (size_t i = 0; i < c->req->nitems; i++) {
        if (!rb_item(c, c->req->items[i])) return rb_unknown_item(c, c->req->items[i]);
        cia_strv_push(items, c->req->items[i]);
    }
    return CIA_OK;
}

/* top=N: the N largest codes over the period, then the rest, then not
 * known (left in show). */
static void plan_top(struct yplan *p, const struct cia_rd_line *l, const char *item, const char *by,
                     const struct rb_code_tot *present, size_t npresent, cia_strv *show)
{
    struct rb_code_tot *byt = cia_xcalloc(npresent + 1, sizeof *byt);
    size_t nb = 0;
    for (size_t k = 0; k < npresent; k++)
        if (strcmp(present[k].code, "UNK")) { byt[nb] = present[k]; byt[nb].sort = 0; nb++; }
    if (nb) qsort(byt, nb, sizeof *byt, rb_cmp_code_tot);
    cia_strv top = {0};
    for (size_t k = 0; k < nb && k < (size_t)l->top; k++) cia_strv_push(&top, byt[k].code);
    int rest = nb > (size_t)l->top;
    free(byt);
    for (size_t k = 0; k < top.n; k++) add_row(p, l, item, by, top.v[k]);
    if (rest) {
        struct yrow *r = add_row(p, l, item, by, OTHER_CODE);
        for (size_t k = 0; k < top.n; k++) cia_strv_push(&r->excluded, top.v[k]);
    }
    cia_strv_free(&top);
    for (size_t k = 0; k < npresent; k++)
        if (!strcmp(present[k].code, "UNK")) cia_strv_push(show, "UNK");
}

/* The rows of item broken down by by: a total first (unless total=0),
 * then the codes the line shows. */
static int plan_breakdown(struct rb_ctx *c, struct yplan *p, const struct cia_rd_line *l, const char *item,
                          const char *by)
{
    struct cia_rd_where req_w[CIA_MAX_BY];
    struct rb_wlist wl;
    rb_line_where(c, l, l->all, &wl, req_w);
    const struct cia_qresult *res;
    int rc = rb_fetch(c, item, by, &wl, &res);
    if (rc) return rc;
    struct rb_code_tot *present;
    size_t npresent;
    rb_data_codes(c, by, &res, 1, &present, &npresent);
    if (l->total) add_row(p, l, item, by, NULL);
    cia_strv show = {0};
    if (l->codes) rb_listed_codes(l->codes, present, npresent, &show);
    else if (l->top) plan_top(p, l, item, by, present, npresent, &show);
    else for (size_t k = 0; k < npresent; k++) cia_strv_push(&show, present[k].code);
    for (size_t k = 0; k < show.n; k++) add_row(p, l, item, by, show.v[k]);
    cia_strv_free(&show);
    rb_free_code_tot(present, npresent);
    return CIA_OK;
}

static int plan_years(struct rb_ctx *c, const struct cia_rd_table *td, struct yplan *p)
{
    memset(p, 0, sizeof *p);
    for (size_t li = 0; li < td->nlines; li++) {
        const struct cia_rd_line *l = &td->lines[li];
        cia_strv items = {0};
        int rc = line_items(c, l, &items);
        for (size_t i = 0; i < items.n && !rc; i++) {
            const char *item = l->item || l->all ? items.v[i] : NULL;
            /* keep a pointer valid for the table's life */
            if (item) item = rb_item(c, item)->code;
            const char *by = l->all ? c->req->by : l->by;
            if (item) rb_mark_used(c, item);
            if (!by || !item) add_row(p, l, item, NULL, NULL);
            else rc = plan_breakdown(c, p, l, item, by);
        }
        cia_strv_free(&items);
        if (rc) return rc;
    }
    return CIA_OK;
}

/* ---- the table --------------------------------------------------------- */

/* The year columns' heads, and "change A–B" / "change A–B in %" pairs. */
static void change_cols(struct rb_table *b, size_t *col, int y0, int y1, const char *key)
{
    const char *lang = b->c->lang;
    char *yt = rb_years_text(y0, y1);
    char *h = cia_xasprintf("%s %s", cia_word("change", lang), yt);
    char *hp = cia_xasprintf("%s %s", h, cia_word("in_pct", lang));
    char *kp = cia_xasprintf("%s_pct", key);
    cia_table_set_col(b->t, (*col)++, key, h);
    cia_table_set_col(b->t, (*col)++, kp, hp);
    free(yt); free(h); free(hp); free(kp);
}

static void years_columns(struct rb_table *b, const char *code_head, int changes, int period)
{
    struct rb_ctx *c = b->c;
    const struct cia_rd_table *td = b->def;
    char *title = cia_xstrdup(cia_word(td->title, c->lang));
    b->t = cia_table_new(td->id, title, b->nhead + b->nval, b->nhead);
    free(title);
    size_t col = 0;
    if (td->group_service) cia_table_set_col(b->t, col++, "service", cia_word("service", c->lang));
    cia_table_set_col(b->t, col++, "item", cia_word("item", c->lang));
    if (code_head) cia_table_set_col(b->t, col++, "code", code_head);
    for (int y = c->y0; y <= c->y1; y++) {
        char k[16];
        snprintf(k, sizeof k, "%d", y);
        cia_table_set_col(b->t, col++, k, k);
    }
    if (changes) change_cols(b, &col, c->y1 - 1, c->y1, "chg_last");
    if (period) change_cols(b, &col, c->y0, c->y1, "chg_period");
}

/* A new row for yr: its key, service, label and code label. */
static size_t years_row(struct rb_table *b, const struct yrow *yr, int has_code)
{
    struct rb_ctx *c = b->c;
    const struct cia_rd_line *l = yr->l;
    cia_buf key;
    cia_buf_init(&key);
    if (!yr->item) cia_buf_printf(&key, "share:%s", l->id ? l->id : "");
    else {
        cia_buf_adds(&key, yr->item);
        for (int w = 0; w < l->nwhere; w++) cia_buf_printf(&key, "[%s=%s]", l->where[w].dim, l->where[w].codes);
        if (yr->code) cia_buf_printf(&key, "|%s", !strcmp(yr->code, OTHER_CODE) ? "_other" : yr->code);
    }
    rb_row(b, key.data, l->id && !yr->by ? l->id : NULL);
    cia_buf_free(&key);
    size_t row = b->t->nrows - 1, col = 0;
    if (b->def->group_service) {
        const cia_cat_item *it = yr->item ? rb_item(c, yr->item) : NULL;
        const cia_cat_service *s = it ? rb_svc(c, it->service) : NULL;
        cia_table_set_text(b->t, row, col++, s ? s->label[c->li] : "");
    }
    char *lab = rb_line_label(c, l, yr->item);
    cia_table_set_text(b->t, row, col++, lab);
    free(lab);
    if (has_code) {
        const char *cl = !yr->by ? "" : !yr->code ? cia_word("total", c->lang)
                       : !strcmp(yr->code, OTHER_CODE) ? cia_word(!strcmp(yr->by, "nationality")
                                                                  ? "other_nationalities" : "other_codes", c->lang)
                       : rb_code_label(c, yr->by, yr->code);
        cia_table_set_text(b->t, row, col++, cl);
    }
    return row;
}

/* A share: this year's figures of the rows the line refers to. */
static void years_share(struct rb_table *b, const struct cia_rd_line *l, size_t row, size_t vc, int y)
{
    struct cia_rv num = { 0 }, den = { 0 };
    int have_num = 0;
    char refs[256] = "";
    for (int k = 0; k < l->nnum; k++) {
        int r = cia_strv_find(&b->row_ids, l->num[k]);
        struct cia_rv part = r >= 0 ? *rb_rv(b, (size_t)r, vc) : (struct cia_rv){ 0 };
        num = have_num ? cia_rv_sum(num, part) : part;
        have_num = 1;
        snprintf(refs + strlen(refs), sizeof refs - strlen(refs), "%s%d.%zu", k ? "+" : "", r, b->nhead + vc);
    }
    int d = cia_strv_find(&b->row_ids, l->den);
    den = d >= 0 ? *rb_rv(b, (size_t)d, vc) : (struct cia_rv){ 0 };
    snprintf(refs + strlen(refs), sizeof refs - strlen(refs), "/%d.%zu", d, b->nhead + vc);
    rb_put_share(b, row, vc, y, num, den, refs);
}

/* The rest of a top=N breakdown: every code not shown above but not
 * known, summed as the query sums (the known values, a lower bound (u)
 * when some are not known, not known when none is). */
static int rest_figure(struct rb_ctx *c, const struct yrow *yr, const struct rb_wlist *wl, int year,
                       struct cia_rv *out)
{
    const struct cia_qresult *res;
    int rc = rb_fetch(c, yr->item, yr->by, wl, &res);
    if (rc) return rc;
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
    if (!any) return rb_absent(c, yr->item, year, out);
    if (unknown) cia_rv_flags_union(sum.flags, sum.flags, "u");
    *out = sum;
    return CIA_OK;
}

/* The figure of row yr for year y: the rest of a breakdown, or one query's. */
static int years_figure(struct rb_table *b, const struct yrow *yr, const struct rb_wlist *wl, size_t row, int y)
{
    size_t vc = (size_t)(y - b->c->y0);
    struct cia_rv v;
    int rc;
    if (yr->code && !strcmp(yr->code, OTHER_CODE)) {
        if ((rc = rest_figure(b->c, yr, wl, y, &v))) return rc;
        cia_buf ex;
        cia_buf_init(&ex);
        for (size_t k = 0; k < yr->excluded.n; k++) cia_buf_printf(&ex, "%s%s", k ? "|" : "", yr->excluded.v[k]);
        rb_put(b, row, vc, CIA_CELL_COUNT, v);
        rb_trace(b, row, b->nhead + vc, "rest", yr->item, y, yr->by, ex.data, wl, NULL);
        cia_buf_free(&ex);
        return CIA_OK;
    }
    if ((rc = rb_figure(b->c, yr->item, yr->code ? yr->by : NULL, yr->code, wl, y, &v))) return rc;
    rb_put(b, row, vc, CIA_CELL_COUNT, v);
    rb_trace(b, row, b->nhead + vc, "query", yr->item, y, yr->code ? yr->by : NULL, yr->code, wl, NULL);
    return CIA_OK;
}

/* Changes between the last two years, and over the period. */
static void years_changes(struct rb_table *b, size_t row, int period)
{
    struct rb_ctx *c = b->c;
    size_t last = (size_t)c->ny - 1;
    struct { size_t a, b; } pairs[2] = { { last, last - 1 }, { last, 0 } };
    for (int p = 0; p < (period ? 2 : 1); p++) {
        struct cia_rv later = *rb_rv(b, row, pairs[p].a), earlier = *rb_rv(b, row, pairs[p].b);
        size_t vc = (size_t)c->ny + 2 * (size_t)p;
        char refs[64];
        snprintf(refs, sizeof refs, "%zu.%zu %zu.%zu", row, b->nhead + pairs[p].a, row, b->nhead + pairs[p].b);
        struct cia_rv d = cia_rv_diff(later, earlier), q = cia_rv_ratio_change(later, earlier);
        rb_put(b, row, vc, CIA_CELL_DELTA, d);
        rb_trace(b, row, b->nhead + vc, "change", NULL, 0, NULL, NULL, NULL, refs);
        rb_put(b, row, vc + 1, CIA_CELL_PERCENT, q);
        if (!q.undefined) rb_trace(b, row, b->nhead + vc + 1, "change_pct", NULL, 0, NULL, NULL, NULL, refs);
        else b->any_pct_undefined = 1;
        if (strchr(d.flags, 'u')) b->any_u_derived = 1;
        c->used_changes = 1;
    }
}

static int years_fill(struct rb_table *b, const struct yrow *yr, int has_code, int changes, int period)
{
    struct rb_ctx *c = b->c;
    size_t row = years_row(b, yr, has_code);
    struct cia_rd_where req_w[CIA_MAX_BY];
    struct rb_wlist wl;
    rb_line_where(c, yr->l, yr->with_req, &wl, req_w);
    for (int y = c->y0; y <= c->y1; y++) {
        if (!yr->item) { years_share(b, yr->l, row, (size_t)(y - c->y0), y); continue; }
        int rc = years_figure(b, yr, &wl, row, y);
        if (rc) return rc;
    }
    if (yr->item && changes) years_changes(b, row, period);
    return CIA_OK;
}

int rb_build_years(struct rb_table *b)
{
    struct rb_ctx *c = b->c;
    const struct cia_rd_table *td = b->def;
    struct yplan p;
    int rc = plan_years(c, td, &p);
    /* One dimension's codes are headed by its name, several by "breakdown". */
    int has_code = 0, one_dim = 1;
    const char *code_dim = NULL;
    for (size_t i = 0; i < p.n && !rc; i++)
        if (p.v[i].by) {
            if (code_dim && strcmp(code_dim, p.v[i].by)) one_dim = 0;
            code_dim = p.v[i].by;
            has_code = 1;
        }
    if (rc) { yplan_free(&p); return rc; }
    b->nhead = (size_t)td->group_service + 1 + (size_t)has_code;
    int changes = td->changes && c->ny >= 2, period = changes && c->ny >= 3;
    b->nval = (size_t)c->ny + (changes ? 2 : 0) + (period ? 2 : 0);
    years_columns(b, !has_code ? NULL : one_dim ? rb_dim_label(c, code_dim) : cia_word("breakdown", c->lang),
                  changes, period);
    for (size_t ri = 0; ri < p.n && rc == CIA_OK; ri++) rc = years_fill(b, &p.v[ri], has_code, changes, period);
    yplan_free(&p);
    return rc;
}
