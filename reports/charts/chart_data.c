/* chart_data.c — owns which figures each named chart shows and how they
 * become the one table a chart is drawn from (the charts themselves are
 * data: reports/data/charts/charts.def, read by chart_defs.c), their
 * titles and source notes, the JSON account of a drawn chart, and a
 * report's workbook with its charts.
 *
 * How a chart gets its figures: it makes a small report definition (a
 * struct cia_rd, in memory) and has the report builder make it, so
 * every figure comes from cia_query_run with the reports' rules — a year
 * the service did not deliver is "not known", never 0; provisional years
 * and lower bounds carry their marks; labels come from the catalogue.
 * Nothing here computes a figure but the sum over the years of the
 * `victims` bars, done as the reports sum (cia_rv_sum: not known when a
 * year is not known).  The builder's table is then reshaped into the
 * chart's table — series × categories, labels as the chart shows them —
 * and that table is what the chart, the workbook and the dump show. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <json-c/json.h>
#include "ciatteh/catalogue.h"
#include "ciatteh/chart_data.h"
#include "ciatteh/render.h"
#include "ciatteh/report.h"
#include "ciatteh/text.h"
#include "ciatteh/util.h"

#define MIDDOT " \xc2\xb7 "
#define ENDASH "\xe2\x80\x93"
#define MAX_SERIES 12             /* lines or bar colours a reader can tell apart */
#define MAX_CATEGORIES 40

static int is_code_list(const char *s)
{
    cia_strv v = {0};
    cia_strv_split(&v, s ? s : "", ',');
    int ok = v.n > 0;
    for (size_t i = 0; i < v.n && ok; i++) ok = cia_is_ident(v.v[i]);
    cia_strv_free(&v);
    return ok && !strchr(s, ' ');
}

/* ---- the catalogue ------------------------------------------------------- */

struct prep {
    cia_db *db;
    const cia_chart_request *req;
    const struct cia_chart_def *def;
    const char *lang;
    cia_err *e;
    cia_strv items;
    cia_catalogue *cat;           /* the figure layer's (catalogue.h) */
    int li;                       /* the language's index in its labels */
    const cia_cat_item **meta;    /* one per item */
    const char *by, *split;       /* the breakdowns used (by: categories/segments/lines) */
    char *by_label, *split_label; /* dimension labels */
    int defaults;                 /* items and breakdowns are the chart's own */
};

static void prep_free(struct prep *p)
{
    free(p->meta);
    cia_catalogue_free(p->cat);
    cia_strv_free(&p->items);
    free(p->by_label);
    free(p->split_label);
}

static int load_items(struct prep *p)
{
    int rc = cia_catalogue_load(p->db, &p->cat, p->e);
    if (rc) return rc;
    p->li = cia_cat_lang(p->lang);
    p->meta = cia_xcalloc(p->items.n + 1, sizeof *p->meta);
    for (size_t i = 0; i < p->items.n; i++)
        if (!(p->meta[i] = cia_cat_item_get(p->cat, p->items.v[i])))
            return cia_cat_unknown_item(p->cat, p->items.v[i], p->e);
    return CIA_OK;
}

/* The dimension's label (and its code list) after checking every item has it. */
static int check_dim(struct prep *p, const char *dim, const char *what, char **label, char **list)
{
    if (!cia_is_ident(dim)) return cia_fail(p->e, CIA_EUSAGE, "%s '%s' is not a dimension code", what, dim);
    for (size_t i = 0; i < p->items.n; i++)
        if (!cia_cat_item_has_dim(p->meta[i], dim))
            return cia_fail(p->e, CIA_EUSAGE, "item %s has no dimension '%s'; its dimensions: %s",
                            p->meta[i]->code, dim, p->meta[i]->dims);
    const cia_cat_dim *d = cia_cat_dim_get(p->cat, dim);
    if (!d) return cia_fail(p->e, CIA_EUSAGE, "unknown dimension '%s' (see `ciatteh items`)", dim);
    if (label) *label = cia_xstrdup(d->label[p->li]);
    if (list) *list = cia_xstrdup(d->list);
    return CIA_OK;
}

/* The codes of a dimension's list, in the list's order. */
static void list_codes(struct prep *p, const char *list, cia_strv *out)
{
    for (size_t k = 0; k < p->cat->ncodes; k++)
        if (!strcmp(p->cat->codes[k].list, list)) cia_strv_push(out, p->cat->codes[k].code);
}

/* "Federal Police, Specialised shelters": the services of the items. */
static int services_text(struct prep *p, char **out)
{
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, "");
    for (size_t k = 0; k < p->cat->nsvcs; k++)
        for (size_t i = 0; i < p->items.n; i++)
            if (!strcmp(p->meta[i]->service, p->cat->svcs[k].code)) {
                cia_buf_printf(&b, "%s%s", b.len ? ", " : "", p->cat->svcs[k].label[p->li]);
                break;
            }
    *out = cia_buf_steal(&b);
    return CIA_OK;
}

/* ---- the definition the report builder makes ----------------------------- *
 * A chart's figures are a one-table report definition (struct cia_rd,
 * report.h) made here in memory, never written as text: the builder
 * reads it as it reads the report definition files. */

static const char *stack_codes_of(const char *dim)
{
    const cia_chart_defs *d;
    return cia_chart_defs_get(&d, NULL) ? NULL : cia_chart_stack_codes(d, dim);
}

/* A new line of t for item: the given where first, then the request's. */
static struct cia_rd_line *rd_line(struct cia_rd_table *t, const cia_chart_request *req, const char *item,
                                   const char *dim, const char *code)
{
    t->lines = cia_xrealloc(t->lines, (t->nlines + 1) * sizeof *t->lines);
    struct cia_rd_line *l = &t->lines[t->nlines++];
    memset(l, 0, sizeof *l);
    l->item = cia_xstrdup(item);
    l->total = 1;
    if (dim) {
        l->where[l->nwhere].dim = cia_xstrdup(dim);
        l->where[l->nwhere++].codes = cia_xstrdup(code);
    }
    for (int i = 0; i < req->nwhere && l->nwhere < CIA_MAX_BY; i++) {
        l->where[l->nwhere].dim = cia_xstrdup(req->where_dim[i]);
        l->where[l->nwhere++].codes = cia_xstrdup(req->where_codes[i]);
    }
    return l;
}

static struct cia_rd *definition(struct prep *p, const cia_strv *split_codes)
{
    const cia_chart_request *req = p->req;
    struct cia_rd *d = cia_xcalloc(1, sizeof *d);
    d->id = cia_xstrdup("chart");
    d->title = cia_xstrdup("ch_report");
    d->tables = cia_xcalloc(1, sizeof *d->tables);
    d->ntables = 1;
    struct cia_rd_table *t = &d->tables[0];
    t->id = cia_xstrdup("chart");
    t->title = cia_xstrdup("ch_report");
    t->rowtotal = 1;
    /* The shelters deliver per centre: name a centre that sent nothing. */
    for (size_t i = 0; i < p->items.n; i++)
        if (!strcmp(p->meta[i]->service, "shelters")) { t->scope_note = cia_xstrdup("shelters:centre"); break; }
    if (p->def->fam == CIA_CF_CROSS) {
        t->layout = CIA_RD_CROSS;
        t->rowdim = cia_xstrdup(p->by);
        t->rowtotal = 0;
        /* label=code names the column after its first where: the split */
        for (size_t k = 0; k < split_codes->n; k++)
            rd_line(t, req, p->items.v[0], p->split, split_codes->v[k])->label = cia_xstrdup("code");
        return d;
    }
    t->layout = CIA_RD_YEARS;
    for (size_t i = 0; i < p->items.n; i++) {
        struct cia_rd_line *l = rd_line(t, req, p->items.v[i], NULL, NULL);
        if (!p->by) continue;
        l->by = cia_xstrdup(p->by);
        const char *codes = p->def->fam == CIA_CF_STACK ? stack_codes_of(p->by) : NULL;
        /* a stack of the listed codes keeps its item's total: records of
         * another code (not known) are in no segment (reshape_years) */
        l->total = codes != NULL;
        if (codes) l->codes = cia_xstrdup(codes);
        int top = p->def->top;
        /* Lines and bars by nationality: the most frequent, the rest summed. */
        if (!top && !strcmp(p->by, "nationality")) top = p->def->fam == CIA_CF_TREND ? 6 : 10;
        if (top && p->def->fam != CIA_CF_STACK) l->top = top;
    }
    return d;
}

/* ---- reshaping the builder's table into the chart's ----------------------- */

static void copy_value(cia_table *t, size_t r, size_t c, const cia_cell *s)
{
    if (!s) return;
    switch (s->type) {
    case CIA_CELL_COUNT: cia_table_set_count(t, r, c, s->value, s->known, s->flags); break;
    case CIA_CELL_PERCENT: cia_table_set_percent(t, r, c, s->value, s->known, s->flags); break;
    case CIA_CELL_DELTA: cia_table_set_delta(t, r, c, s->value, s->known, s->flags); break;
    default: return;
    }
    /* a lower bound's records left unknown: the chart's note counts them */
    cia_table_set_n_unknown(t, r, c, s->n_unknown);
}

static const char *cell_text(const cia_table *t, size_t r, size_t c)
{
    const cia_cell *cell = cia_table_cell_c(t, r, c);
    return cell && cell->type == CIA_CELL_TEXT && cell->text ? cell->text : "";
}

/* The item of a row key "ITEM[dim=codes]|CODE" (the builder's keys). */
static size_t row_item(const struct prep *p, const char *key)
{
    size_t n = strcspn(key, "[|");
    for (size_t i = 0; i < p->items.n; i++)
        if (strlen(p->items.v[i]) == n && !strncmp(key, p->items.v[i], n)) return i;
    return 0;
}

static const char *row_code(const char *key)
{
    const char *bar = strchr(key, '|');
    return bar ? bar + 1 : NULL;
}

static void set_year_cols(cia_table *t, size_t first, int y0, int y1)
{
    for (int y = y0; y <= y1; y++) {
        char k[16];
        snprintf(k, sizeof k, "%d", y);
        /* the plain year: the chart adds "(p)" itself where a year is provisional */
        cia_table_set_col(t, first + (size_t)(y - y0), k, k);
    }
}

/* Years layout (trend, stacks, bars by code): one row per builder row;
 * a stack's total row (no code) goes to *totals instead, not a segment. */
static cia_table *reshape_years(const struct prep *p, const cia_table *src, const char *title, cia_table **totals)
{
    int y0 = p->req->year_from, y1 = p->req->year_to, ny = y1 - y0 + 1;
    size_t nhead = src->nhead;
    cia_table *t = cia_table_new(p->def->name, title, 1 + (size_t)ny, 1);
    cia_table_set_col(t, 0, p->def->fam == CIA_CF_TREND && !p->by ? "item" : "code",
                      p->def->fam == CIA_CF_TREND && !p->by ? cia_word("item", p->lang)
                      : p->by_label ? p->by_label : "");
    set_year_cols(t, 1, y0, y1);
    for (size_t r = 0; r < src->nrows; r++) {
        const char *key = src->row_keys[r];
        size_t it = row_item(p, key);
        const char *code = row_code(key);
        const char *code_label = code && nhead >= 2 ? cell_text(src, r, nhead - 1) : NULL;
        if (!code && p->by && p->def->fam == CIA_CF_STACK) {
            if (!*totals) {
                *totals = cia_table_new("totals", title, 1 + (size_t)ny, 1);
                set_year_cols(*totals, 1, y0, y1);
                cia_table_add_row(*totals, key);
                for (int y = 0; y < ny; y++)
                    copy_value(*totals, 0, 1 + (size_t)y, cia_table_cell_c(src, r, nhead + (size_t)y));
            }
            continue;
        }
        char *k, *label;
        if (p->def->fam == CIA_CF_TREND && p->items.n > 1) {
            k = code ? cia_xasprintf("%s|%s", p->items.v[it], code) : cia_xstrdup(p->items.v[it]);
            label = code ? cia_xasprintf("%s " ENDASH " %s", p->meta[it]->label[p->li], code_label)
                         : cia_xstrdup(p->meta[it]->label[p->li]);
        } else if (code) {
            k = cia_xstrdup(code);
            /* the rest of a top-N: "all other sectors" rather than "other",
             * which reads like a code of the list ("Other service activities") */
            char wkey[96];
            snprintf(wkey, sizeof wkey, "ch_other_%s", p->by ? p->by : "");
            const char *w = !strcmp(code, "_other") ? cia_word(wkey, p->lang) : NULL;
            label = cia_xstrdup(w && strcmp(w, wkey) ? w : code_label);
        } else {
            k = cia_xstrdup(p->items.v[it]);
            label = cia_xstrdup(p->meta[it]->label[p->li]);
        }
        size_t row = cia_table_add_row(t, k);
        cia_table_set_text(t, row, 0, label);
        free(k);
        free(label);
        for (int y = 0; y < ny; y++)
            copy_value(t, row, 1 + (size_t)y, cia_table_cell_c(src, r, nhead + (size_t)y));
    }
    return t;
}

static struct cia_rv rv_of(const cia_cell *c)
{
    struct cia_rv v = { 0 };
    if (!c || c->type == CIA_CELL_NONE || c->type == CIA_CELL_TEXT) return v;
    v.known = c->known;
    v.v = c->value;
    cia_rv_flags_union(v.flags, c->flags, NULL);
    return v;
}

/* Cross layout (victims): builder rows "YEAR|CODE", summed over the years
 * as the query sums records and the reports sum "the rest": the known
 * figures, a lower bound (u) when a year is not known, not known when no
 * year is.  A year not known at all is named in a note. */
static cia_table *reshape_cross(const struct prep *p, const cia_table *src, const char *title)
{
    int y0 = p->req->year_from, ny = p->req->year_to - y0 + 1;
    size_t nval = src->ncols - src->nhead;
    cia_table *t = cia_table_new(p->def->name, title, 1 + nval, 1);
    cia_table_set_col(t, 0, p->by, p->by_label ? p->by_label : "");
    /* the builder keys a column by its item; ours get the split's codes
     * (cia_chart_prepare), in the order of the definition's columns */
    for (size_t c = 0; c < nval; c++) cia_table_set_col(t, 1 + c, "", src->col_heads[src->nhead + c]);
    cia_strv codes = {0};
    struct acc { double v; int known, unknown; char flags[6]; } *sum = NULL;
    int *year_known = cia_xcalloc((size_t)ny + 1, sizeof *year_known);
    for (size_t r = 0; r < src->nrows; r++) {
        const char *code = row_code(src->row_keys[r]);
        int y = atoi(src->row_keys[r]);
        if (!code || y < y0 || y >= y0 + ny) continue;
        int k = cia_strv_find(&codes, code);
        if (k < 0) {
            cia_strv_push(&codes, code);
            k = (int)codes.n - 1;
            size_t row = cia_table_add_row(t, code);
            cia_table_set_text(t, row, 0, cell_text(src, r, 1));
            sum = cia_xrealloc(sum, codes.n * nval * sizeof *sum);
            memset(sum + (size_t)k * nval, 0, nval * sizeof *sum);
        }
        for (size_t c = 0; c < nval; c++) {
            struct cia_rv v = rv_of(cia_table_cell_c(src, r, src->nhead + c));
            struct acc *a = &sum[(size_t)k * nval + c];
            /* a year not delivered (n) or incomplete (i) makes the total a
             * lower bound (below), not "not delivered": the other years
             * were; a withheld part (c) withholds the total */
            for (char *f = v.flags; (f = strpbrk(f, "ni"));) memmove(f, f + 1, strlen(f));
            cia_rv_flags_union(a->flags, a->flags, v.flags);
            if (v.known) { a->known = 1; a->v += v.v; year_known[y - y0] = 1; }
            else a->unknown = 1;
        }
    }
    for (size_t k = 0; k < codes.n; k++)
        for (size_t c = 0; c < nval; c++) {
            struct acc *a = &sum[k * nval + c];
            if (a->known && a->unknown) cia_rv_flags_union(a->flags, a->flags, "u");
            if (!a->known) {             /* "lower bound" means nothing without a figure */
                char *u = strchr(a->flags, 'u');
                if (u) memmove(u, u + 1, strlen(u));
            }
            cia_table_set_count(t, k, 1 + c, a->v, a->known, a->flags);
        }
    cia_buf miss;
    cia_buf_init(&miss);
    for (int y = 0; y < ny && codes.n; y++)
        if (!year_known[y]) cia_buf_printf(&miss, "%s%d", miss.len ? ", " : "", y0 + y);
    if (miss.len && miss.len < (size_t)ny * 6 - 2) {
        char *n = cia_xasprintf("%s%s%s", cia_word("ch_note_years_missing", p->lang),
                                cia_word("colon", p->lang), miss.data);
        cia_table_add_note(t, n);
        free(n);
    }
    cia_buf_free(&miss);
    free(sum);
    free(year_known);
    cia_strv_free(&codes);
    return t;
}

/* Keep rows (or value columns) that have something to draw.  A code line
 * or segment never known draws nothing and would only sit in the legend;
 * a stack with a segment never known could draw no bar at all; a "not
 * known" code whose figures are all 0 says nothing.  Items and years stay:
 * a year nobody delivered must be seen as not known. */
static int drawable(const cia_cell *c)
{
    return c && (c->type == CIA_CELL_COUNT || c->type == CIA_CELL_PERCENT || c->type == CIA_CELL_DELTA)
        && c->known && !cia_cell_has_flag(c, 'c') && isfinite(c->value);
}

static cia_table *drop_empty(cia_table *t, int by_cols, int code_keys)
{
    size_t nrow = t->nrows, nval = t->ncols - t->nhead;
    size_t nser = by_cols ? nval : nrow, nother = by_cols ? nrow : nval;
    int *keep = cia_xcalloc(nser + 1, sizeof *keep);
    size_t kept = 0;
    for (size_t s = 0; s < nser; s++) {
        int any = 0, nonzero = 0;
        for (size_t o = 0; o < nother; o++) {
            const cia_cell *c = by_cols ? cia_table_cell_c(t, o, t->nhead + s) : cia_table_cell_c(t, s, t->nhead + o);
            if (drawable(c)) { any = 1; if (c->value != 0) nonzero = 1; }
        }
        const char *key = by_cols ? t->col_keys[t->nhead + s] : t->row_keys[s];
        const char *code = key ? (strchr(key, '|') ? strchr(key, '|') + 1 : key) : "";
        keep[s] = !code_keys || (any && (nonzero || strcmp(code, "UNK")));
        kept += (size_t)keep[s];
    }
    if (kept == nser || kept == 0) { free(keep); return t; }
    cia_table *n = cia_table_new(t->id, t->title, t->nhead + (by_cols ? kept : nval), t->nhead);
    cia_table_set_subtitle(n, t->subtitle);
    for (size_t c = 0, nc = 0; c < t->ncols; c++) {
        if (by_cols && c >= t->nhead && !keep[c - t->nhead]) continue;
        cia_table_set_col(n, nc++, t->col_keys[c], t->col_heads[c]);
    }
    for (size_t r = 0; r < nrow; r++) {
        if (!by_cols && !keep[r]) continue;
        size_t row = cia_table_add_row(n, t->row_keys[r]);
        for (size_t c = 0, nc = 0; c < t->ncols; c++) {
            if (by_cols && c >= t->nhead && !keep[c - t->nhead]) continue;
            const cia_cell *cell = cia_table_cell_c(t, r, c);
            if (cell->type == CIA_CELL_TEXT) cia_table_set_text(n, row, nc, cell->text);
            else copy_value(n, row, nc, cell);
            nc++;
        }
    }
    for (size_t i = 0; i < t->nnotes; i++) cia_table_add_note(n, t->notes[i]);
    free(keep);
    cia_table_free(t);
    return n;
}

/* ---- titles ----------------------------------------------------------------- */

/* "by form of exploitation": the word ch_by_DIM, else "by" + the label. */
static char *by_text(const struct prep *p, const char *dim, const char *label)
{
    char key[96];
    snprintf(key, sizeof key, "ch_by_%s", dim);
    const char *w = cia_word(key, p->lang);
    if (strcmp(w, key)) return cia_xstrdup(w);
    char *l = cia_xstrdup(label ? label : dim);
    if (l[0] >= 'A' && l[0] <= 'Z' && !(l[1] >= 'A' && l[1] <= 'Z')) l[0] = (char)(l[0] - 'A' + 'a');
    char *s = cia_xasprintf("%s %s", cia_word("ch_by", p->lang), l);
    free(l);
    return s;
}

/* Several items: "Key figures by year" for the chart's own items only;
 * items chosen with --items are named (up to three), else "Selected items
 * by year" -- a title never names figures the chart does not show. */
static void items_title(const struct prep *p, cia_buf *b)
{
    cia_strv def = {0};
    if (p->def->items) cia_strv_split(&def, p->def->items, ',');
    int same = def.n == p->items.n;
    for (size_t i = 0; same && i < def.n; i++) same = !strcmp(def.v[i], p->items.v[i]);
    cia_strv_free(&def);
    if (same) { cia_buf_adds(b, cia_word("ch_t_trend", p->lang)); return; }
    if (p->items.n > 3) { cia_buf_adds(b, cia_word("ch_t_items", p->lang)); return; }
    for (size_t i = 0; i < p->items.n; i++) {
        char *l = cia_xstrdup(p->meta[i]->label[p->li]);
        if (i && l[0] >= 'A' && l[0] <= 'Z' && !(l[1] >= 'A' && l[1] <= 'Z')) l[0] = (char)(l[0] - 'A' + 'a');
        cia_buf_printf(b, "%s%s", i == 0 ? "" : i + 1 == p->items.n ? cia_word("ch_and_sp", p->lang) : ", ", l);
        free(l);
    }
    cia_buf_printf(b, ", %s", cia_word("ch_by_year", p->lang));
}

static char *compose_title(const struct prep *p)
{
    cia_buf b;
    cia_buf_init(&b);
    if (p->items.n == 1) cia_buf_adds(&b, p->meta[0]->label[p->li]);
    else items_title(p, &b);
    if (p->by) {
        char *t = by_text(p, p->by, p->by_label);
        cia_buf_printf(&b, ", %s", t);
        free(t);
    }
    if (p->split) {
        char *t = by_text(p, p->split, p->split_label);
        cia_buf_printf(&b, " %s %s", cia_word("ch_and", p->lang), t);
        free(t);
    }
    return cia_buf_steal(&b);
}

/* "2019–2023 · by year of judgment · Form of exploitation: labour exploitation" */
static int compose_subtitle(struct prep *p, char **out)
{
    const cia_chart_request *req = p->req;
    cia_buf b;
    cia_buf_init(&b);
    if (req->year_from == req->year_to) cia_buf_printf(&b, "%d", req->year_from);
    else cia_buf_printf(&b, "%d" ENDASH "%d", req->year_from, req->year_to);
    if (p->def->sub && (p->def->fam != CIA_CF_CROSS || req->year_from != req->year_to))
        cia_buf_printf(&b, MIDDOT "%s", cia_word(p->def->sub, p->lang));
    for (int i = 0; i < req->nwhere; i++) {
        char *label = NULL, *list = NULL;
        int rc = check_dim(p, req->where_dim[i], "--where", &label, &list);
        cia_strv codes = {0};
        if (!rc) cia_strv_split(&codes, req->where_codes[i], ',');
        cia_buf_printf(&b, MIDDOT "%s%s", label ? label : "", cia_word("colon", p->lang));
        for (size_t k = 0; !rc && k < codes.n; k++) {
            const cia_cat_code *ck = cia_cat_code_get(p->cat, list, codes.v[k]);
            cia_buf_printf(&b, "%s%s", k ? " + " : "", ck ? ck->label[p->li] : codes.v[k]);
        }
        cia_strv_free(&codes);
        free(label);
        free(list);
        if (rc) { cia_buf_free(&b); return rc; }
    }
    *out = cia_buf_steal(&b);
    return CIA_OK;
}

/* ---- prepare ------------------------------------------------------------------ */

static const char *own(cia_chart_made *m, char *s)
{
    m->owned = cia_xrealloc(m->owned, (m->nowned + 1) * sizeof *m->owned);
    m->owned[m->nowned++] = s;
    return s;
}

void cia_chart_made_free(cia_chart_made *m)
{
    if (!m) return;
    cia_report_free(m->report);
    for (size_t i = 0; i < m->nowned; i++) free(m->owned[i]);
    free(m->owned);
    free(m->name);
    free(m->items);
    free(m->by);
    free(m->split);
    free(m->where);
    cia_table_free(m->totals);
    free((void *)m->total_cells);
    memset(m, 0, sizeof *m);
}

static int check_request(const cia_chart_request *req, const struct cia_chart_def **def, cia_err *e)
{
    const cia_chart_defs *defs;
    int rc = cia_chart_defs_get(&defs, e);
    if (rc) return rc;
    if (!req->name || !(*def = cia_chart_def_find(defs, req->name)))
        return cia_fail(e, CIA_EUSAGE, "unknown chart '%s'; charts: %s", req->name ? req->name : "",
                        defs->names);
    const char *lang = req->lang ? req->lang : "en";
    if (strcmp(lang, "en") && strcmp(lang, "fr") && strcmp(lang, "nl"))
        return cia_fail(e, CIA_EUSAGE, "--lang '%s': expected en, fr or nl", lang);
    if (req->year_from < 1995 || req->year_to < req->year_from || req->year_to > 2999 ||
        req->year_to - req->year_from >= 40)
        return cia_fail(e, CIA_EUSAGE, "--years %d-%d: expected A-B with 1995 <= A <= B, at most 40 years",
                        req->year_from, req->year_to);
    for (size_t i = 0; i < req->nitems; i++)
        if (!cia_is_ident(req->items[i]))
            return cia_fail(e, CIA_EUSAGE, "--items: '%s' is not an item code (see `ciatteh items`)", req->items[i]);
    if (req->nby < 0 || req->nby > 2) return cia_fail(e, CIA_EUSAGE, "--by: at most two dimensions");
    for (int i = 0; i < req->nby; i++)
        if (!cia_is_ident(req->by[i]))
            return cia_fail(e, CIA_EUSAGE, "--by: '%s' is not a dimension code", req->by[i] ? req->by[i] : "");
    if (req->nwhere < 0 || req->nwhere > CIA_MAX_BY - 1)
        return cia_fail(e, CIA_EUSAGE, "at most %d --where", CIA_MAX_BY - 1);
    for (int i = 0; i < req->nwhere; i++)
        if (!cia_is_ident(req->where_dim[i]) || !is_code_list(req->where_codes[i]))
            return cia_fail(e, CIA_EUSAGE, "--where %s=%s: expected DIM=CODE[,CODE...]",
                            req->where_dim[i] ? req->where_dim[i] : "", req->where_codes[i] ? req->where_codes[i] : "");
    return cia_check_as_of(req->as_of, e);
}

int cia_chart_prepare(cia_db *db, const cia_chart_request *req, cia_chart_made *out, cia_err *e)
{
    memset(out, 0, sizeof *out);
    const struct cia_chart_def *def = NULL;
    int rc = check_request(req, &def, e);
    if (rc) return rc;
    struct prep p;
    memset(&p, 0, sizeof p);
    p.db = db;
    p.req = req;
    p.def = def;
    p.lang = req->lang ? req->lang : "en";
    p.e = e;
    p.defaults = !req->nitems && !req->nby;
    char *title = NULL, *subtitle = NULL, *source = NULL, *list = NULL;
    cia_strv split_codes = {0};
    struct cia_rd *rd = NULL;
    cia_report_build b = {0};
    cia_table *t = NULL;

    /* items */
    if (req->nitems) for (size_t i = 0; i < req->nitems; i++) cia_strv_push(&p.items, req->items[i]);
    else if (def->items) cia_strv_split(&p.items, def->items, ',');
    if (!p.items.n) { rc = cia_fail(e, CIA_EUSAGE, "chart %s needs --items ITEM", def->name); goto out; }
    if (def->fam != CIA_CF_TREND && p.items.n > 1) {
        rc = cia_fail(e, CIA_EUSAGE, "chart %s shows one item; --items names %zu", def->name, p.items.n);
        goto out;
    }
    if (p.items.n > MAX_SERIES) {
        rc = cia_fail(e, CIA_EUSAGE, "%zu items are more lines than a reader can tell apart (at most %d)",
                      p.items.n, MAX_SERIES);
        goto out;
    }
    if ((rc = load_items(&p))) goto out;

    /* breakdowns */
    if (def->fam == CIA_CF_CROSS) {
        p.by = req->nby == 2 ? req->by[0] : def->by;
        p.split = req->nby == 2 ? req->by[1] : req->nby == 1 ? req->by[0] : def->split;
        if (!strcmp(p.by, p.split)) {
            rc = cia_fail(e, CIA_EUSAGE, "chart %s: the bars and their split need two dimensions (both are %s)",
                          def->name, p.by);
            goto out;
        }
    } else {
        if (req->nby > 1) {
            rc = cia_fail(e, CIA_EUSAGE, "chart %s takes one --by dimension", def->name);
            goto out;
        }
        p.by = req->nby ? req->by[0] : def->by;
        if (!p.by && def->fam == CIA_CF_CODES) {
            rc = cia_fail(e, CIA_EUSAGE, "chart %s needs --by DIM", def->name);
            goto out;
        }
    }
    if (p.by && (rc = check_dim(&p, p.by, "--by", &p.by_label, NULL))) goto out;
    if (p.split) {
        if ((rc = check_dim(&p, p.split, "--by", &p.split_label, &list))) goto out;
        list_codes(&p, list, &split_codes);
        if (!split_codes.n || split_codes.n > MAX_SERIES) {
            rc = cia_fail(e, CIA_EUSAGE, "chart %s: bars cannot be split by %s (%s); choose a dimension "
                          "with a short code list such as sex or age_group", def->name, p.split,
                          split_codes.n ? "too many codes" : "no code list");
            goto out;
        }
    }
    for (int i = 0; i < req->nwhere; i++) {
        if ((p.by && !strcmp(req->where_dim[i], p.by)) || (p.split && !strcmp(req->where_dim[i], p.split))) {
            rc = cia_fail(e, CIA_EUSAGE, "--where %s: the chart is already broken down by %s",
                          req->where_dim[i], req->where_dim[i]);
            goto out;
        }
        if ((rc = check_dim(&p, req->where_dim[i], "--where", NULL, NULL))) goto out;
    }

    /* the figures, through the report builder */
    rd = definition(&p, &split_codes);
    struct cia_report_req rr;
    memset(&rr, 0, sizeof rr);
    rr.lang = p.lang;
    rr.year_from = req->year_from;
    rr.year_to = req->year_to;
    rr.as_of = req->as_of;
    rr.offence = req->offence;
    if ((rc = cia_report_make(db, rd, &rr, &b, e))) goto out;
    if (req->figures && (rc = req->figures(req->figures_arg, &b, e))) goto out;
    if (!b.report || b.report->ntables != 1) {
        rc = cia_fail(e, CIA_EINTERNAL, "chart %s: the builder made no table", def->name);
        goto out;
    }
    const cia_table *src = b.report->tables[0];

    if (req->title) title = cia_xstrdup(req->title);
    else {
        /* The offence counted, in every composed title. */
        char *ct0 = compose_title(&p);
        int both = 0;
        for (int i = 0; i < req->nby; i++) both |= !strcmp(req->by[i], "offence");
        title = cia_xasprintf("%s" MIDDOT "%s", ct0,
                              cia_word(both ? "off_both" : req->offence && !strcmp(req->offence, "SMUG")
                                       ? "off_SMUG" : "off_THB", p.lang));
        free(ct0);
    }
    if (req->subtitle) subtitle = cia_xstrdup(req->subtitle);
    else if ((rc = compose_subtitle(&p, &subtitle))) goto out;
    t = def->fam == CIA_CF_CROSS ? reshape_cross(&p, src, title) : reshape_years(&p, src, title, &out->totals);
    if (def->fam == CIA_CF_CROSS)
        for (size_t c = 0; c < split_codes.n && c + 1 < t->ncols; c++) {
            char *h = cia_xstrdup(t->col_heads[1 + c]);   /* set_col frees the old heading */
            cia_table_set_col(t, 1 + c, split_codes.v[c], h);
            free(h);
        }
    cia_table_set_subtitle(t, subtitle);
    for (size_t i = 0; i < src->nnotes; i++) cia_table_add_note(t, src->notes[i]);
    t = drop_empty(t, def->fam == CIA_CF_CROSS, def->fam != CIA_CF_CODES && (def->fam != CIA_CF_TREND || p.by));

    size_t nser = def->fam == CIA_CF_CROSS || def->fam == CIA_CF_CODES ? t->ncols - t->nhead : t->nrows;
    size_t ncat = def->fam == CIA_CF_CROSS || def->fam == CIA_CF_CODES ? t->nrows : t->ncols - t->nhead;
    if (nser > MAX_SERIES) {
        rc = cia_fail(e, CIA_EUSAGE, "chart %s: %zu %s are more than a reader can tell apart (at most %d); "
                      "narrow it with --years, --items, --by or --where", def->name, nser,
                      def->fam == CIA_CF_TREND ? "lines" : def->fam == CIA_CF_STACK ? "segments" : "bars per group",
                      MAX_SERIES);
        goto out;
    }
    if (ncat > MAX_CATEGORIES) {
        rc = cia_fail(e, CIA_EUSAGE, "chart %s: %zu categories are too many to draw (at most %d); "
                      "narrow it with --years or --where", def->name, ncat, MAX_CATEGORIES);
        goto out;
    }

    /* the report that goes with the chart: its one table, sources, definitions */
    out->report = cia_report_new(def->name, title, p.lang, req->as_of ? req->as_of : "current");
    for (size_t i = 0; i < b.report->nprov; i++) cia_report_add_provenance(out->report, b.report->provenance[i]);
    for (size_t i = 0; i < b.report->ndefs; i++) cia_report_add_definition(out->report, b.report->definitions[i]);
    cia_report_add_table(out->report, t);
    cia_report_typeset(out->report);
    t = NULL;
    const cia_table *ct = out->report->tables[0];

    /* Source: the services, then what the reader must know that the marks
     * do not say (a centre that sent nothing, partial years). */
    if ((rc = services_text(&p, &source))) goto out;
    {
        cia_buf s;
        cia_buf_init(&s);
        cia_buf_adds(&s, source);
        const char *prov = cia_word("note_provisional", p.lang), *colon = cia_word("colon", p.lang);
        /* "2022: no data from X" and "2023: no data from X" read as
         * "2022, 2023: no data from X" */
        int *done = cia_xcalloc(ct->nnotes + 1, sizeof *done);
        for (size_t i = 0; i < ct->nnotes; i++) {
            const char *n = ct->notes[i];
            if (done[i] || !strncmp(n, prov, strlen(prov))) continue;
            const char *rest = isdigit((unsigned char)n[0]) && strlen(n) > 4 && !strncmp(n + 4, colon, strlen(colon))
                             ? n + 4 : NULL;
            if (!rest) {
                cia_buf_printf(&s, MIDDOT "%s", n);
                continue;
            }
            /* the years of the same note, as ranges: "2019–2021, 2023" */
            int years[64], ny = 0;
            for (size_t j = i; j < ct->nnotes && ny < 64; j++)
                if (!done[j] && isdigit((unsigned char)ct->notes[j][0]) && strlen(ct->notes[j]) > 4
                    && !strcmp(ct->notes[j] + 4, rest)) {
                    years[ny++] = atoi(ct->notes[j]);
                    done[j] = 1;
                }
            cia_buf_adds(&s, MIDDOT);
            for (int k = 0; k < ny;) {
                int l = k;
                while (l + 1 < ny && years[l + 1] == years[l] + 1) l++;
                cia_buf_printf(&s, "%s%d", k ? ", " : "", years[k]);
                if (l > k) cia_buf_printf(&s, "%s%d", l == k + 1 ? ", " : ENDASH, years[l]);
                k = l + 1;
            }
            cia_buf_adds(&s, rest);
        }
        free(done);
        free(source);
        source = cia_buf_steal(&s);
    }

    cia_chart_spec *sp = &out->spec;
    sp->kind = def->fam == CIA_CF_TREND ? CIA_CHART_TREND : def->fam == CIA_CF_STACK ? CIA_CHART_STACKED : CIA_CHART_GROUPED;
    /* Stacked offences would be a THB + SMUG total on every bar: the two
     * stand side by side instead (issue 13). */
    if (sp->kind == CIA_CHART_STACKED && p.by && !strcmp(p.by, "offence")) sp->kind = CIA_CHART_GROUPED;
    sp->series = def->fam == CIA_CF_TREND || def->fam == CIA_CF_STACK ? CIA_CHART_SERIES_ROWS : CIA_CHART_SERIES_COLS;
    sp->orient = CIA_CHART_ORIENT_AUTO;
    sp->lang = own(out, cia_xstrdup(p.lang));
    sp->title = own(out, title);
    title = NULL;
    sp->subtitle = own(out, subtitle);
    subtitle = NULL;
    sp->source = own(out, source);
    source = NULL;
    sp->as_of = req->as_of ? own(out, cia_xstrdup(req->as_of)) : NULL;
    /* the unit over the value axis, when every item counts the same thing */
    const char *unit = p.meta[0]->unit;
    for (size_t i = 1; i < p.items.n && unit; i++) if (strcmp(unit, p.meta[i]->unit)) unit = NULL;
    if (unit) {
        char key[64];
        snprintf(key, sizeof key, "unit_%s", unit);
        const char *w = cia_word(key, p.lang);
        sp->value_label = own(out, cia_xstrdup(strcmp(w, key) ? w : unit));
    }
    if (out->totals) {
        size_t nv = out->totals->ncols - out->totals->nhead;
        out->total_cells = cia_xcalloc(nv + 1, sizeof *out->total_cells);
        for (size_t k = 0; k < nv; k++) out->total_cells[k] = cia_table_cell_c(out->totals, 0, out->totals->nhead + k);
        sp->totals = out->total_cells;
        sp->ntotals = nv;
    }
    sp->size = req->size;
    sp->width_mm = req->width_mm;
    sp->height_mm = req->height_mm;
    sp->dpi = req->dpi;
    /* Many named categories (sectors, nationalities) read as horizontal
     * bars; on a page of the report's width the chart grows taller so each
     * keeps a label of two lines and its bars, rather than labels being
     * thinned out.  A slide keeps its 16:9. */
    if ((def->fam == CIA_CF_CODES || def->fam == CIA_CF_CROSS) && ncat > 10) {
        sp->orient = CIA_CHART_HORIZONTAL;
        if (req->size == CIA_CHART_A4 && req->height_mm <= 0) {
            /* a category: three lines of label (9 mm) or its bars, whichever
             * is more; the title, legend and notes take about 65 mm; at most
             * the text height of an A4 page */
            double band = (double)nser * 2.2 + 2.5;
            if (band < 9) band = 9;
            double h = 60 + (double)ncat * band;
            sp->height_mm = h < 110 ? 110 : h > 245 ? 245 : h;
            sp->text_scale = req->width_mm > 0 ? 0 : 1;    /* the report's type, not larger */
        }
    }
    out->name = cia_xstrdup(def->name);
    {
        cia_buf w;
        cia_buf_init(&w);
        for (size_t i = 0; i < p.items.n; i++) cia_buf_printf(&w, "%s%s", i ? "," : "", p.items.v[i]);
        out->items = cia_buf_steal(&w);
        cia_buf_init(&w);
        cia_buf_adds(&w, "");
        for (int i = 0; i < req->nwhere; i++)
            cia_buf_printf(&w, "%s%s=%s", i ? ";" : "", req->where_dim[i], req->where_codes[i]);
        out->where = cia_buf_steal(&w);
    }
    out->by = p.by ? cia_xstrdup(p.by) : NULL;
    out->split = p.split ? cia_xstrdup(p.split) : NULL;
    out->year_from = req->year_from;
    out->year_to = req->year_to;

out:
    if (rc) cia_chart_made_free(out);
    cia_table_free(t);
    cia_report_build_free(&b);
    cia_rd_free(rd);
    free(title);
    free(subtitle);
    free(source);
    free(list);
    cia_strv_free(&split_codes);
    prep_free(&p);
    return rc;
}

/* ---- the JSON account ---------------------------------------------------------- */

static json_object *jstr(const char *s) { return json_object_new_string(s ? s : ""); }

int cia_chart_dump(const char *path, const cia_chart_made *m, const cia_chart_geom *g, cia_err *e)
{
    const cia_table *t = m->report->tables[0];
    const cia_chart_spec *sp = &m->spec;
    int by_rows = sp->series == CIA_CHART_SERIES_ROWS;
    size_t nval = t->ncols - t->nhead, nser = by_rows ? t->nrows : nval, ncat = by_rows ? nval : t->nrows;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "chart", jstr(m->name));
    json_object_object_add(o, "kind", jstr(cia_chart_kind_name(sp->kind)));
    json_object_object_add(o, "lang", jstr(sp->lang));
    json_object_object_add(o, "as_of", jstr(sp->as_of ? sp->as_of : "current"));
    json_object_object_add(o, "title", jstr(sp->title));
    json_object_object_add(o, "subtitle", jstr(sp->subtitle));
    json_object_object_add(o, "source", jstr(sp->source));
    json_object_object_add(o, "value_label", jstr(sp->value_label));
    json_object *yrs = json_object_new_array();
    json_object_array_add(yrs, json_object_new_int(m->year_from));
    json_object_array_add(yrs, json_object_new_int(m->year_to));
    json_object_object_add(o, "years", yrs);
    json_object_object_add(o, "items", jstr(m->items));
    json_object_object_add(o, "by", m->by ? jstr(m->by) : NULL);
    json_object_object_add(o, "split", m->split ? jstr(m->split) : NULL);
    json_object_object_add(o, "where", jstr(m->where));
    json_object *ser = json_object_new_array(), *cat = json_object_new_array(), *val = json_object_new_array();
    for (size_t s = 0; s < nser; s++) {
        json_object *x = json_object_new_object();
        json_object_object_add(x, "key", jstr(by_rows ? t->row_keys[s] : t->col_keys[t->nhead + s]));
        json_object_object_add(x, "label", jstr(by_rows ? cell_text(t, s, 0) : t->col_heads[t->nhead + s]));
        double rgb[3];
        cia_chart_series_rgb(sp->kind, s, nser, rgb);
        json_object *c = json_object_new_array();
        for (int k = 0; k < 3; k++) json_object_array_add(c, json_object_new_int((int)lround(rgb[k] * 255)));
        json_object_object_add(x, "rgb", c);
        json_object_array_add(ser, x);
        json_object *row = json_object_new_array();
        for (size_t k = 0; k < ncat; k++) {
            const cia_cell *cell = by_rows ? cia_table_cell_c(t, s, t->nhead + k) : cia_table_cell_c(t, k, t->nhead + s);
            json_object *v = json_object_new_object();
            int known = drawable(cell);
            json_object_object_add(v, "known", json_object_new_boolean(known));
            json_object_object_add(v, "value", known ? json_object_new_double(cell->value) : NULL);
            json_object_object_add(v, "flags", jstr(cell ? cell->flags : ""));
            json_object_array_add(row, v);
        }
        json_object_array_add(val, row);
    }
    for (size_t k = 0; k < ncat; k++) {
        json_object *x = json_object_new_object();
        json_object_object_add(x, "key", jstr(by_rows ? t->col_keys[t->nhead + k] : t->row_keys[k]));
        json_object_object_add(x, "label", jstr(by_rows ? t->col_heads[t->nhead + k] : cell_text(t, k, 0)));
        json_object_array_add(cat, x);
    }
    json_object_object_add(o, "series", ser);
    json_object_object_add(o, "categories", cat);
    json_object_object_add(o, "values", val);
    if (sp->totals) {           /* a stack's own totals, when its parts may not add up to it */
        json_object *tot = json_object_new_array();
        for (size_t k = 0; k < ncat && k < sp->ntotals; k++) {
            const cia_cell *cell = sp->totals[k];
            json_object *v = json_object_new_object();
            int known = drawable(cell);
            json_object_object_add(v, "known", json_object_new_boolean(known));
            json_object_object_add(v, "value", known ? json_object_new_double(cell->value) : NULL);
            json_object_object_add(v, "flags", jstr(cell ? cell->flags : ""));
            json_object_object_add(v, "unknown", json_object_new_int64(cell ? cell->n_unknown : 0));
            json_object_array_add(tot, v);
        }
        json_object_object_add(o, "totals", tot);
    }
    json_object *notes = json_object_new_array();
    for (size_t i = 0; i < t->nnotes; i++) json_object_array_add(notes, jstr(t->notes[i]));
    json_object_object_add(o, "notes", notes);
    if (g && g->ncat) {
        json_object *x = json_object_new_object();
        json_object_object_add(x, "width", json_object_new_double(g->width));
        json_object_object_add(x, "height", json_object_new_double(g->height));
        json_object *plot = json_object_new_array();
        double pl[4] = { g->plot_x, g->plot_y, g->plot_w, g->plot_h };
        for (int k = 0; k < 4; k++) json_object_array_add(plot, json_object_new_double(pl[k]));
        json_object_object_add(x, "plot", plot);
        json_object_object_add(x, "horizontal", json_object_new_boolean(g->horizontal));
        json_object *cp = json_object_new_array();
        for (size_t k = 0; k < g->ncat; k++) json_object_array_add(cp, json_object_new_double(g->cat_pos[k]));
        json_object_object_add(x, "cat_pos", cp);
        json_object_object_add(x, "zero", json_object_new_double(g->zero_pos));
        json_object_object_add(x, "unit", json_object_new_double(g->unit));
        json_object_object_add(o, "geom", x);
    }
    const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
    cia_outfile f;
    int rc = cia_outfile_open(&f, path, e);
    if (rc == CIA_OK) {
        fputs(text, f.fp);
        fputc('\n', f.fp);
        rc = cia_outfile_commit(&f, e);
        if (rc) cia_outfile_abort(&f);
    }
    json_object_put(o);
    return rc;
}

/* ---- drawing ------------------------------------------------------------------- */

/* A private temporary PNG name (the engine writes it atomically). */
static char *temp_png(cia_err *e)
{
    const char *dir = getenv("TMPDIR");
    char *tmpl = cia_xasprintf("%s/ciatteh-chart-XXXXXX.png", dir && *dir ? dir : "/tmp");
    int fd = mkstemps(tmpl, 4);
    if (fd < 0) {
        cia_fail(e, CIA_ECANTCREAT, "%s: cannot create a temporary file: %s", tmpl, strerror(errno));
        free(tmpl);
        return NULL;
    }
    close(fd);
    return tmpl;
}

int cia_chart_build(cia_db *db, const cia_chart_request *req, cia_err *e)
{
    if (!req->path || !*req->path)
        return cia_fail(e, CIA_EUSAGE, "a chart needs an output file (-o FILE.png|.svg|.pdf|.xlsx)");
    int xlsx = cia_ends_with(req->path, ".xlsx");
    if (!xlsx && cia_chart_format_of(req->path) < 0)
        return cia_fail(e, CIA_EUSAGE, "%s: a chart is written as .png, .svg, .pdf or .xlsx", req->path);
    cia_chart_made m;
    int rc = cia_chart_prepare(db, req, &m, e);
    if (rc) return rc;
    cia_chart_geom geom;
    memset(&geom, 0, sizeof geom);
    char *png = NULL;
    if (xlsx && !(png = temp_png(e))) { rc = CIA_ECANTCREAT; goto out; }
    m.spec.path = xlsx ? png : req->path;
    m.spec.geom = req->dump ? &geom : NULL;
    if ((rc = cia_chart_render(&m.spec, m.report->tables[0], e))) goto out;
    if (xlsx) {
        struct cia_xlsx_chart c = { 0, png, m.spec.title };
        if ((rc = cia_render_xlsx_charts(req->path, m.report, &c, 1, e))) goto out;
    }
    if (req->dump) rc = cia_chart_dump(req->dump, &m, &geom, e);
out:
    if (png) { unlink(png); free(png); }
    cia_chart_geom_free(&geom);
    cia_chart_made_free(&m);
    return rc;
}

/* ---- a report's workbook with its charts --------------------------------------- */

int cia_chart_plan_table(const cia_table *t, cia_chart_spec *spec, size_t *rows, size_t *cols)
{
    size_t nr = 0, nc = 0;
    for (size_t c = t->nhead; c < t->ncols; c++)
        if (cia_is_year_key(t->col_keys[c])) cols[nc++] = c;
    if (!nc) return 0;
    for (size_t r = 0; r < t->nrows; r++) {
        int counts = 1, any = 0;
        for (size_t k = 0; k < nc; k++) {
            const cia_cell *cell = cia_table_cell_c(t, r, cols[k]);
            if (!cell || cell->type != CIA_CELL_COUNT) counts = 0;
            else if (drawable(cell)) any = 1;
        }
        if (counts && any) rows[nr++] = r;
    }
    if (nr < 1 || nr > 8) return 0;
    spec->kind = nc >= 3 ? CIA_CHART_TREND : CIA_CHART_GROUPED;
    spec->series = nc >= 3 ? CIA_CHART_SERIES_ROWS : CIA_CHART_SERIES_COLS;
    spec->rows = rows;
    spec->nrows = nr;
    spec->cols = cols;
    spec->ncols = nc;
    return 1;
}

/* The service names of a report's provenance lines ("Federal Police — file
 * (...)"), for the source line of its charts. */
static char *report_sources(const cia_report *r)
{
    cia_strv names = {0};
    for (size_t i = 0; i < r->nprov; i++) {
        const char *dash = strstr(r->provenance[i], " \xe2\x80\x94 ");
        if (!dash) continue;
        char *n = cia_xstrndup(r->provenance[i], (size_t)(dash - r->provenance[i]));
        if (cia_strv_find(&names, n) < 0) cia_strv_push(&names, n);
        free(n);
    }
    cia_buf b;
    cia_buf_init(&b);
    for (size_t i = 0; i < names.n; i++) cia_buf_printf(&b, "%s%s", i ? ", " : "", names.v[i]);
    cia_strv_free(&names);
    return b.len ? cia_buf_steal(&b) : (cia_buf_free(&b), NULL);
}

int cia_chart_report_xlsx(const char *path, const cia_report *r, cia_err *e)
{
    struct cia_xlsx_chart *charts = cia_xcalloc(r->ntables + 1, sizeof *charts);
    char **pngs = cia_xcalloc(r->ntables + 1, sizeof *pngs);
    size_t n = 0;
    int rc = CIA_OK;
    char *source = report_sources(r);
    for (size_t i = 0; i < r->ntables && !rc; i++) {
        const cia_table *t = r->tables[i];
        size_t *rows = cia_xcalloc(t->nrows + 1, sizeof *rows), *cols = cia_xcalloc(t->ncols + 1, sizeof *cols);
        cia_chart_spec s;
        memset(&s, 0, sizeof s);
        if (cia_chart_plan_table(t, &s, rows, cols)) {
            char *png = temp_png(e);
            if (!png) rc = CIA_ECANTCREAT;
            else {
                s.path = png;
                s.lang = r->lang;
                s.as_of = r->as_of && strcmp(r->as_of, "current") ? r->as_of : NULL;
                s.source = source;
                s.size = CIA_CHART_A4;
                s.dpi = 200;
                int drc = cia_chart_render(&s, t, e);
                if (drc == CIA_OK) {
                    charts[n].table = i;
                    charts[n].png = png;
                    charts[n].alt = t->title;
                    pngs[n++] = png;
                } else if (drc == CIA_EDATA || drc == CIA_EUSAGE) {
                    /* nothing drawable, or too much for one page: the table alone */
                    cia_err_clear(e);
                    unlink(png);
                    free(png);
                } else {
                    rc = drc;
                    unlink(png);
                    free(png);
                }
            }
        }
        free(rows);
        free(cols);
    }
    if (!rc) rc = cia_render_xlsx_charts(path, r, charts, n, e);
    for (size_t i = 0; i < n; i++) { unlink(pngs[i]); free(pngs[i]); }
    free(pngs);
    free(charts);
    free(source);
    return rc;
}
