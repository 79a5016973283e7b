/* report_cells.c — figures with their flags and the table they go into
 * (report_int.h): the arithmetic of derived figures (a sum, a change, a
 * share carries the flags of its parts; one that cannot exist is no
 * figure at all), and a table under construction: its rows, its cells and
 * the trace of every number cell to the `ciatteh query` that gives it. */
#include <string.h>
#include "report_int.h"

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

/* ---- a table under construction -------------------------------------- */

void rb_row(struct rb_table *b, const char *key, const char *id)
{
    cia_table_add_row(b->t, key);
    b->rv = cia_grow(b->rv, &b->rv_cap, b->t->nrows * (b->nval ? b->nval : 1), sizeof *b->rv);
    memset(b->rv + (b->t->nrows - 1) * b->nval, 0, b->nval * sizeof *b->rv);
    cia_strv_push(&b->row_ids, id ? id : "");
}

struct cia_rv *rb_rv(struct rb_table *b, size_t row, size_t vcol)
{
    return &b->rv[row * b->nval + vcol];
}

void rb_trace(struct rb_table *b, size_t row, size_t col, const char *kind, const char *item,
              int year, const char *by, const char *code, const struct rb_wlist *wl,
              const char *refs)
{
    cia_report_build *o = b->c->out;
    const cia_cell *cell = cia_table_cell_c(b->t, row, col);
    if (year >= b->c->y0 && year - b->c->y0 < (int)sizeof b->prov && cia_cell_has_flag(cell, 'p'))
        b->prov[year - b->c->y0] = 1;
    o->trace = cia_grow(o->trace, &o->trace_cap, o->ntrace + 1, sizeof *o->trace);
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
    struct rb_wlist wbuf;
    if (item && *item) wl = rb_scoped(b->c, item, by, wl, &wbuf);
    if (wl) rb_where_str(&w, wl);
    else cia_buf_adds(&w, "");
    tr->where = cia_buf_steal(&w);
    tr->refs = cia_xstrdup(refs ? refs : "");
}

/* Put a figure in a cell; a figure that cannot exist stays an empty cell. */
void rb_put(struct rb_table *b, size_t row, size_t vcol, enum cia_cell_type type, struct cia_rv v)
{
    size_t col = b->nhead + vcol;
    *rb_rv(b, row, vcol) = v;
    if (v.undefined) return;
    if (type == CIA_CELL_PERCENT) cia_table_set_percent(b->t, row, col, v.v, v.known, v.flags);
    else if (type == CIA_CELL_DELTA) cia_table_set_delta(b->t, row, col, v.v, v.known, v.flags);
    else cia_table_set_count(b->t, row, col, v.v, v.known, v.flags);
    /* A lower bound says how many records left it unknown, in its cell. */
    if (type == CIA_CELL_COUNT && strchr(v.flags, 'u')) cia_table_set_n_unknown(b->t, row, col, v.n_unknown);
}

/* A share of this row's year: num / den, with their flags; a share of 0
 * stays an empty cell, explained in a note. */
void rb_put_share(struct rb_table *b, size_t row, size_t vcol, int year, struct cia_rv num,
                  struct cia_rv den, const char *refs)
{
    struct cia_rv v = cia_rv_share(num, den);
    if (v.undefined) b->any_share_undefined = 1;
    if (strchr(v.flags, 'u')) b->any_u_derived = 1;
    b->c->used_shares = 1;
    rb_put(b, row, vcol, CIA_CELL_PERCENT, v);
    if (!v.undefined) rb_trace(b, row, b->nhead + vcol, "share", NULL, year, NULL, NULL, NULL, refs);
}
