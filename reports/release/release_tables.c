/* release_tables.c — owns report tables (and the charts and query rows
 * read the same way) as figures of releases (release.h): the box behind
 * each number cell of a report build, read from its trace; collecting
 * those boxes for a release (the biennial pack's tables join the
 * questionnaires' answers of the same year); and applying a release's
 * pattern back: flag c on a cell whose box is withheld and on every
 * change, share or sum derived from a withheld cell. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/catalogue.h"
#include "ciatteh/query.h"
#include "ciatteh/questionnaire.h"
#include "ciatteh/release.h"
#include "ciatteh/render.h"
#include "ciatteh/report.h"

struct iteminfo {
    int sensitive;                   /* its unit is one CIA_RELEASE_PROTECT names */
    int has_offence;                 /* the figure layer counts THB unless told */
};

struct cia_rtables {
    cia_db *db;
    char *as_of;
    cia_map items;                   /* code → struct iteminfo * */
    cia_map rest;                    /* "item|year|by|where" → cia_strv * (codes with counts) */
    cia_qdef **qdefs;                /* the questionnaires: their `same` lines */
    size_t nq;
};

static void box_free(cia_rbox *b)
{
    free(b->item);
    free(b->label);
    for (int d = 0; d < b->nd; d++) {
        free(b->dim[d]);
        free(b->codes[d]);
    }
    memset(b, 0, sizeof *b);
}

void cia_rboxes_free(cia_rboxes *b)
{
    for (size_t i = 0; i < b->n; i++) box_free(&b->v[i]);
    free(b->v);
    memset(b, 0, sizeof *b);
}

int cia_rtables_new(cia_db *db, const char *as_of, cia_rtables **out, cia_err *e)
{
    cia_rtables *t = cia_xcalloc(1, sizeof *t);
    t->db = db;
    t->as_of = as_of ? cia_xstrdup(as_of) : NULL;
    cia_map_init(&t->items);
    cia_map_init(&t->rest);
    *out = t;
    cia_catalogue *cat;
    int rc = cia_catalogue_load(db, &cat, e);
    if (rc) return rc;
    cia_strv prot = {0};
    cia_strv_split(&prot, CIA_RELEASE_PROTECT, ',');
    for (size_t i = 0; i < cat->nitems; i++) {
        struct iteminfo *it = cia_xcalloc(1, sizeof *it);
        it->sensitive = cia_strv_find(&prot, cat->items[i].unit) >= 0;
        it->has_offence = cia_cat_item_has_dim(&cat->items[i], "offence");
        cia_map_put(&t->items, cat->items[i].code, it);
    }
    cia_strv_free(&prot);
    cia_catalogue_free(cat);
    /* A figure the questionnaires read as a figure of another item (their
     * `same` lines) is that figure here too: one box, one status. */
    cia_strv ids = {0};
    cia_qdef_list(&ids);
    t->qdefs = cia_xcalloc(ids.n + 1, sizeof *t->qdefs);
    for (size_t i = 0; i < ids.n && !rc; i++)
        if (!(rc = cia_qdef_load(ids.v[i], &t->qdefs[t->nq], e))) t->nq++;
    cia_strv_free(&ids);
    return rc;
}

/* The questionnaires' `same` lines applied to b. */
static void box_same(cia_rtables *t, cia_rbox *b)
{
    for (size_t q = 0; q < t->nq; q++) {
        const char *dims[CIA_SDC_MAXD], *codes[CIA_SDC_MAXD];
        char *own[CIA_SDC_MAXD];
        int nd = b->nd, nown = 0;
        for (int d = 0; d < nd; d++) {
            dims[d] = b->dim[d];
            codes[d] = b->codes[d];
        }
        const char *item = cia_q_same(t->qdefs[q]->same, t->qdefs[q]->nsame, b->item, dims, codes, &nd, own, &nown);
        if (item == b->item && nd == b->nd && !nown) continue;
        cia_rbox n;
        memset(&n, 0, sizeof n);
        n.item = cia_xstrdup(item);
        n.year = b->year;
        n.nd = nd;
        for (int d = 0; d < nd; d++) {
            n.dim[d] = cia_xstrdup(dims[d]);
            n.codes[d] = cia_xstrdup(codes[d]);
        }
        n.sensitive = b->sensitive;
        for (int k = 0; k < nown; k++) free(own[k]);
        free(b->item);
        for (int d = 0; d < b->nd; d++) {
            free(b->dim[d]);
            free(b->codes[d]);
        }
        *b = n;
        return;
    }
}

void cia_rtables_free(cia_rtables *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->items.cap; i++)
        if (t->items.keys[i]) free(t->items.vals[i]);
    for (size_t i = 0; i < t->rest.cap; i++)
        if (t->rest.keys[i]) { cia_strv_free(t->rest.vals[i]); free(t->rest.vals[i]); }
    cia_map_free(&t->items);
    cia_map_free(&t->rest);
    for (size_t i = 0; i < t->nq; i++) cia_qdef_free(t->qdefs[i]);
    free(t->qdefs);
    free(t->as_of);
    free(t);
}

/* ---- the box of a cell ---------------------------------------------------- */

static void box_filter(cia_rbox *b, const char *dim, const char *codes)
{
    for (int d = 0; d < b->nd; d++)
        if (!strcmp(b->dim[d], dim)) return;     /* the line's own filter stays */
    if (b->nd >= CIA_SDC_MAXD) return;
    b->dim[b->nd] = cia_xstrdup(dim);
    b->codes[b->nd++] = cia_xstrdup(codes);
}

/* "the rest" of a breakdown (report.c's rest_figure): the codes with
 * counts, not UNK, not among the rows shown. */
static int rest_codes(cia_rtables *t, const struct cia_report_trace *tr, char **out, cia_err *e)
{
    *out = NULL;
    char *key = cia_xasprintf("%s|%d|%s|%s", tr->item, tr->year, tr->by, tr->where);
    cia_strv *have = cia_map_get(&t->rest, key);
    if (!have) {
        cia_strv w = {0};
        cia_strv_split(&w, tr->where, ';');
        const char *wd[CIA_MAX_BY], *wc[CIA_MAX_BY];
        int nw = 0;
        for (size_t i = 0; i < w.n && nw < CIA_MAX_BY; i++) {
            char *eq = strchr(w.v[i], '=');
            if (!eq) continue;
            *eq = '\0';
            wd[nw] = w.v[i];
            wc[nw++] = eq + 1;
        }
        const char *dims[1] = {tr->by};
        cia_sdc_fine f;
        memset(&f, 0, sizeof f);
        int rc = cia_q_sdc_fine(t->db, t->as_of, tr->item, tr->year, dims, 1, wd, wc, nw, &f, e);
        cia_strv_free(&w);
        if (rc) {
            free(key);
            return rc;
        }
        have = cia_xcalloc(1, sizeof *have);
        for (size_t i = 0; i < f.n; i++)
            if (f.value[i] && *f.codes[i]) cia_strv_push(have, f.codes[i]);
        cia_sdc_fine_free(&f);
        cia_map_put(&t->rest, key, have);
    }
    free(key);
    cia_strv ex = {0};
    cia_strv_split(&ex, tr->code, '|');
    cia_buf b;
    cia_buf_init(&b);
    for (size_t i = 0; i < have->n; i++)
        if (strcmp(have->v[i], "UNK") && cia_strv_find(&ex, have->v[i]) < 0)
            cia_buf_printf(&b, "%s%s", b.len ? "," : "", have->v[i]);
    cia_strv_free(&ex);
    if (b.len) *out = cia_buf_steal(&b);
    else cia_buf_free(&b);
    return CIA_OK;
}

/* The box of a traced figure; *has = 0 for a cell that is no box (a
 * derived one, or a rest with no count in it: 0, nothing to protect). */
static int trace_box(cia_rtables *t, const struct cia_report_trace *tr, cia_rbox *b, int *has, cia_err *e)
{
    memset(b, 0, sizeof *b);
    *has = 0;
    int rest = !strcmp(tr->kind, "rest");
    if ((strcmp(tr->kind, "query") && !rest) || !*tr->item) return CIA_OK;
    char *restc = NULL;
    if (rest) {
        int rc = rest_codes(t, tr, &restc, e);
        if (rc) return rc;
        if (!restc) return CIA_OK;
    }
    b->item = cia_xstrdup(tr->item);
    b->year = tr->year;
    if (rest) box_filter(b, tr->by, restc);
    else if (*tr->by && *tr->code) box_filter(b, tr->by, tr->code);
    free(restc);
    cia_strv w = {0};
    cia_strv_split(&w, tr->where, ';');
    for (size_t i = 0; i < w.n; i++) {
        char *eq = strchr(w.v[i], '=');
        if (!eq) continue;
        *eq = '\0';
        box_filter(b, w.v[i], eq + 1);
    }
    cia_strv_free(&w);
    const struct iteminfo *it = cia_map_get(&t->items, tr->item);
    /* What the figure layer counts when the offence is not named, named:
     * the questionnaires name it, and a box is the same figure only when
     * it reads the same. */
    if (it && it->has_offence) box_filter(b, "offence", "THB");
    b->sensitive = it && it->sensitive;
    box_same(t, b);
    *has = 1;
    return CIA_OK;
}

int cia_rtables_collect(cia_rtables *t, const cia_report_build *bld, const char *label, cia_rboxes *out,
                        cia_err *e)
{
    for (size_t i = 0; i < bld->ntrace; i++) {
        const struct cia_report_trace *tr = &bld->trace[i];
        cia_rbox b;
        int has, rc = trace_box(t, tr, &b, &has, e);
        if (rc) return rc;
        if (!has) continue;
        const cia_table *tb = tr->table < bld->report->ntables ? bld->report->tables[tr->table] : NULL;
        const cia_cell *c = tb ? cia_table_cell_c(tb, tr->row, tr->col) : NULL;
        b.known = c && c->known;
        b.value = b.known ? (long long)(c->value + 0.5) : 0;
        b.label = cia_xasprintf("%s %s", label, tb ? tb->id : "?");
        if (out->n == out->cap) {
            out->cap = out->cap ? 2 * out->cap : 256;
            out->v = cia_xrealloc(out->v, out->cap * sizeof *out->v);
        }
        out->v[out->n++] = b;
    }
    return CIA_OK;
}

/* ---- applying a pattern ---------------------------------------------------- */

static void withhold(cia_table *t, size_t row, size_t col)
{
    cia_cell *c = cia_table_cell(t, row, col);
    if (!c || cia_cell_has_flag(c, 'c')) return;
    char flags[8];
    snprintf(flags, sizeof flags, "%sc", c->flags);
    switch (c->type) {
    case CIA_CELL_COUNT: cia_table_set_count(t, row, col, 0, 0, flags); break;
    case CIA_CELL_PERCENT: cia_table_set_percent(t, row, col, 0, 0, flags); break;
    case CIA_CELL_DELTA: cia_table_set_delta(t, row, col, 0, 0, flags); break;
    default: break;
    }
}

/* Is box b withheld by the releases?  Not covered (no release of its
 * year, or not a figure of it): *covered = 0. */
static int box_withheld(cia_sdc *norm, cia_release *const *rel, size_t nrel, const cia_rbox *b,
                        int *covered, cia_err *e)
{
    *covered = 0;
    cia_release *r = NULL;
    for (size_t i = 0; i < nrel && !r; i++)
        if (rel[i]->year == b->year) r = rel[i];
    if (!r) return 0;
    /* The box as the release keeps it: normalised by the same code lists. */
    if (!norm->src) cia_sdc_init(norm, r->sdc.src);
    size_t k;
    if (cia_sdc_add(norm, b->item, b->year, b->nd, (const char *const *)b->dim, (const char *const *)b->codes,
                    0, 0, 0, &k, e))
        return 0;
    char *f = cia_sdc_filters(norm, k);
    size_t v;
    int found = cia_sdc_find(&r->sdc, b->item, b->year, f, &v) == CIA_OK;
    free(f);
    if (!found) return 0;
    *covered = 1;
    return r->sdc.v[v].status != CIA_SDC_SHOWN;
}

/* "r.c+r.c/r.c" or "r.c r.c": is any of those cells withheld? */
static int refs_withheld(const cia_table *t, const char *refs)
{
    for (const char *p = refs; *p;) {
        if (!isdigit((unsigned char)*p)) { p++; continue; }
        char *end;
        long r = strtol(p, &end, 10);
        if (*end != '.') { p = end; continue; }
        long c = strtol(end + 1, &end, 10);
        p = end;
        if (r < 0 || c < 0) continue;
        if (cia_cell_has_flag(cia_table_cell_c(t, (size_t)r, (size_t)c), 'c')) return 1;
    }
    return 0;
}

/* A lower bound's count of records left unknown is published only where
 * the releases withhold no figure of its item (as a box: `same` lines
 * applied) and year (cia_sdc_item_withheld says why); a cell that is not
 * a figure read (a sum, a change) keeps none when its releases withhold
 * anything.  The lower bound keeps its mark, and a note under the table
 * says why the count is not there. */
static int drop_gaps(cia_rtables *t, cia_report_build *bld, cia_release *const *rel, size_t nrel, cia_err *e)
{
    int any = 0;
    for (size_t i = 0; i < nrel && !any; i++)
        for (size_t k = 0; k < rel[i]->sdc.n && !any; k++) any = rel[i]->sdc.v[k].status != CIA_SDC_SHOWN;
    if (!any) return CIA_OK;
    cia_report *rep = bld->report;
    size_t *off = cia_xcalloc(rep->ntables + 1, sizeof *off), total = 0;
    for (size_t ti = 0; ti < rep->ntables; ti++) {
        off[ti] = total;
        total += rep->tables[ti]->nrows * rep->tables[ti]->ncols;
    }
    char *keep = cia_xcalloc(total + 1, 1);     /* cells whose count may stay */
    int rc = CIA_OK;
    for (size_t i = 0; i < bld->ntrace && !rc; i++) {
        const struct cia_report_trace *tr = &bld->trace[i];
        if (tr->table >= rep->ntables) continue;
        cia_rbox b;
        int has;
        if ((rc = trace_box(t, tr, &b, &has, e)) || !has) continue;
        const cia_release *r = NULL;
        for (size_t k = 0; k < nrel && !r; k++)
            if (rel[k]->year == b.year) r = rel[k];
        keep[off[tr->table] + tr->row * rep->tables[tr->table]->ncols + tr->col] =
            r && !cia_sdc_item_withheld(&r->sdc, b.item, b.year);
        box_free(&b);
    }
    for (size_t ti = 0; ti < rep->ntables && !rc; ti++) {
        cia_table *tb = rep->tables[ti];
        int dropped = 0;
        for (size_t i = 0; i < tb->nrows * tb->ncols; i++)
            if (tb->cells[i].n_unknown > 0 && !keep[off[ti] + i]) {
                tb->cells[i].n_unknown = 0;
                dropped = 1;
            }
        if (dropped) cia_table_add_note(tb, cia_word("gap_withheld", rep->lang));
    }
    free(keep);
    free(off);
    return rc;
}

int cia_rtables_apply(cia_rtables *t, cia_report_build *bld, cia_release *const *rel, size_t nrel, int strict,
                      size_t *nwithheld, cia_err *e)
{
    size_t n = 0;
    cia_sdc norm;
    memset(&norm, 0, sizeof norm);
    int rc = CIA_OK;
    /* the figures read, then what is derived from them */
    for (int pass = 0; pass < 2 && !rc; pass++)
        for (size_t i = 0; i < bld->ntrace && !rc; i++) {
            const struct cia_report_trace *tr = &bld->trace[i];
            if (tr->table >= bld->report->ntables) continue;
            cia_table *tb = bld->report->tables[tr->table];
            int base = !strcmp(tr->kind, "query") || !strcmp(tr->kind, "rest");
            if (base != (pass == 0)) continue;
            int held;
            if (base) {
                cia_rbox b;
                int has;
                if ((rc = trace_box(t, tr, &b, &has, e))) break;
                if (!has) continue;
                int covered;
                held = box_withheld(&norm, rel, nrel, &b, &covered, e);
                if (!covered && strict)
                    rc = cia_fail(e, CIA_EINTERNAL, "%s %d (table %s): a figure of no release", b.item, b.year,
                                  tb->id);
                if (!covered) held = 1;
                box_free(&b);
            } else {
                held = refs_withheld(tb, tr->refs);
            }
            if (held && !cia_cell_has_flag(cia_table_cell_c(tb, tr->row, tr->col), 'c')) {
                withhold(tb, tr->row, tr->col);
                n++;
            }
        }
    if (norm.src) cia_sdc_free(&norm);
    if (!rc) rc = drop_gaps(t, bld, rel, nrel, e);
    if (nwithheld) *nwithheld = n;
    return rc;
}

int cia_rtables_apply_query(cia_rtables *t, const struct cia_query *q, struct cia_qresult *res,
                            cia_release *const *rel, size_t nrel, size_t *nwithheld, cia_err *e)
{
    (void)e;
    size_t n = 0;
    cia_sdc norm;
    memset(&norm, 0, sizeof norm);
    const struct iteminfo *it = cia_map_get(&t->items, q->item);
    for (size_t i = 0; i < res->n; i++) {
        struct cia_qrow *row = &res->rows[i];
        if (!row->known) continue;
        cia_rbox b;
        memset(&b, 0, sizeof b);
        b.item = cia_xstrdup(q->item);
        b.year = row->year;
        for (int d = 0; d < q->nby && d < res->nby; d++)
            if (row->dims[d] && *row->dims[d]) box_filter(&b, q->by[d], row->dims[d]);
        for (int w = 0; w < q->nwhere; w++) box_filter(&b, q->where_dim[w], q->where_codes[w]);
        if (it && it->has_offence) box_filter(&b, "offence", "THB");
        box_same(t, &b);
        int covered, held = box_withheld(&norm, rel, nrel, &b, &covered, e);
        box_free(&b);
        if (!held && covered) continue;
        row->known = 0;
        row->value = 0;
        row->n_unknown = 0;
        char f[8];
        snprintf(f, sizeof f, "%sc", row->flags);
        cia_flags_normalise(f, row->flags);
        n++;
    }
    if (norm.src) cia_sdc_free(&norm);
    if (nwithheld) *nwithheld = n;
    return CIA_OK;
}

/* ---- --release of the analysts' tools ---------------------------------------- */

int cia_release_set_load(cia_db *db, const char *ids, const char *as_of, cia_release_set *out, cia_err *e)
{
    memset(out, 0, sizeof *out);
    cia_strv v = {0};
    cia_strv_split(&v, ids, ',');
    out->rel = cia_xcalloc(v.n + 1, sizeof *out->rel);
    int rc = v.n ? CIA_OK : cia_fail(e, CIA_EUSAGE, "--release: expected a release id (see `ciatteh release list`)");
    for (size_t i = 0; i < v.n && !rc; i++) {
        long long id;
        if (cia_parse_uint(v.v[i], &id) || id <= 0) {
            rc = cia_fail(e, CIA_EUSAGE, "--release '%s': expected release ids such as 12 or 12,13", v.v[i]);
            break;
        }
        if ((rc = cia_release_load(db, id, &out->rel[out->n], e))) break;
        for (size_t k = 0; k < out->n && !rc; k++)
            if (out->rel[k]->year == out->rel[out->n]->year)
                rc = cia_fail(e, CIA_EUSAGE, "--release: #%lld and #%lld are both of %d; give one per year",
                              out->rel[k]->id, out->rel[out->n]->id, out->rel[k]->year);
        out->n++;
    }
    cia_strv_free(&v);
    if (!rc) rc = cia_rtables_new(db, as_of, &out->rt, e);
    if (rc) cia_release_set_free(out);
    return rc;
}

int cia_release_set_apply_query(cia_db *db, const char *ids, const struct cia_query *q,
                                struct cia_qresult *res, cia_err *e)
{
    cia_release_set rs;
    int rc = cia_release_set_load(db, ids, q->as_of, &rs, e);
    if (!rc) rc = cia_rtables_apply_query(rs.rt, q, res, rs.rel, rs.n, NULL, e);
    cia_release_set_free(&rs);
    return rc;
}

void cia_release_set_free(cia_release_set *s)
{
    for (size_t i = 0; i < s->n; i++) cia_release_free(s->rel[i]);
    free(s->rel);
    cia_rtables_free(s->rt);
    memset(s, 0, sizeof *s);
}

int cia_release_set_figures(void *arg, struct cia_report_build *b, cia_err *e)
{
    cia_release_set *s = arg;
    return cia_rtables_apply(s->rt, b, s->rel, s->n, 0, NULL, e);
}
