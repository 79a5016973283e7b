/* questionnaire.c — owns the questionnaire engine: from a parsed
 * definition and a reference year to answers (every cell resolved, its
 * figure read through cia_query_run, disclosure control applied), and
 * from answers to the table model, the TIP-style draft text and plain
 * text.  SDMX-CSV is in sdmx.c, storing and comparing answers in
 * questionnaire_store.c.
 *
 * Each answer is exactly what `ciatteh query ITEM --year Y --where ...`
 * prints for the same filters, so a reader can check any cell by hand;
 * but it is not asked one cell at a time (thousands of statements per
 * export, most of an export's time): one query per item and year, broken
 * down by every dimension its cells filter, and each cell is the sum of
 * the rows its codes select.  That is the figure layer's own rule
 * (figures() sums value, records and unknowns over the facts a filter
 * keeps; the year's state is the year's), so the two cannot differ; the
 * export tests compare every cell with `ciatteh query`.  All queries of
 * one export run in one REPEATABLE READ transaction: a load committing
 * meanwhile cannot make two tables of the same export disagree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/catalogue.h"
#include "ciatteh/country.h"
#include "ciatteh/disclosure.h"
#include "ciatteh/map.h"
#include "ciatteh/questionnaire.h"
#include "ciatteh/render.h"

#define lang_ix cia_cat_lang

static const char *L(char *const *labels, const char *lang)
{
    int i = lang_ix(lang);
    return labels[i] ? labels[i] : labels[0] ? labels[0] : "";
}

/* Note k of a text block in a language (English when not translated). */
static const char *text_note(const cia_qtext *x, size_t k, const char *lang)
{
    const char *s = x->notes.v[k * CIA_Q_LANGS + (size_t)lang_ix(lang)];
    return *s ? s : x->notes.v[k * CIA_Q_LANGS];
}

/* Labels may name years relative to the reference year: {year}, {year-1}. */
static char *subst_year(const char *s, int year)
{
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, "");
    while (s && *s) {
        const char *p = strstr(s, "{year");
        if (!p) { cia_buf_adds(&b, s); break; }
        const char *end = strchr(p, '}');
        int off = 0, ok = end != NULL;
        if (ok && end > p + 5) {
            char *x;
            long v = strtol(p + 5, &x, 10);
            ok = x == end && (p[5] == '-' || p[5] == '+');
            off = (int)v;
        }
        if (!ok) { cia_buf_add(&b, s, (size_t)(p - s) + 1); s = p + 1; continue; }
        cia_buf_add(&b, s, (size_t)(p - s));
        cia_buf_printf(&b, "%d", year + off);
        s = end + 1;
    }
    return cia_buf_steal(&b);
}

/* ---- the catalogue: items and code lists -------------------------------- */

struct ctx {
    cia_db *db;
    const cia_qdef *q;
    cia_qanswers *a;
    cia_err *e;
    const char *as_of;
    cia_catalogue *cat;              /* the figure layer's (catalogue.h) */
    cia_countries *countries;
    int countries_tried;
    cia_map fine;                    /* "item|year" → struct fine * (fill_figures) */
};

/* One item and year broken down by every dimension its cells filter. */
struct fine {
    int nby;
    char *by[CIA_MAX_BY];
    int thb_only;                    /* offence in `by` only for the THB rule */
    int too_many;                    /* cells filter more dimensions than `by` holds */
    int fetched;
    struct cia_qresult res;
};

static void ctx_free(struct ctx *c)
{
    cia_catalogue_free(c->cat);
    if (c->countries) cia_countries_free(c->countries);
    for (size_t i = 0; i < c->fine.cap; i++)
        if (c->fine.keys[i]) {
            struct fine *f = c->fine.vals[i];
            for (int d = 0; d < f->nby; d++) free(f->by[d]);
            if (f->fetched) cia_qresult_free(&f->res);
            free(f);
        }
    cia_map_free(&c->fine);
}

/* The label of a code: the code list's, a country's name, or the code. */
static const char *code_label(struct ctx *c, const char *dim, const char *code, const char *lang)
{
    const cia_cat_dim *d = cia_cat_dim_get(c->cat, dim);
    const cia_cat_code *k = d ? cia_cat_code_get(c->cat, d->list, code) : NULL;
    if (k) return L(k->label, lang);
    if (!strcmp(dim, "nationality")) {
        if (!strcmp(code, "UNK")) return cia_word("not_known_long", lang);
        if (!c->countries_tried) {
            cia_err e2;
            c->countries_tried = 1;
            if (cia_countries_load(&c->countries, &e2)) c->countries = NULL;
        }
        const char *n = c->countries ? cia_country_name(c->countries, code, lang) : NULL;
        if (n) return n;
    }
    return code;
}

/* ---- figures through the query layer ------------------------------------ */

static void fill_query(struct cia_query *qq, const char *item, int year, const cia_qkv *f, int nf,
                       const char *as_of)
{
    memset(qq, 0, sizeof *qq);
    qq->item = item;
    qq->year_from = qq->year_to = year;
    qq->as_of = as_of;
    for (int i = 0; i < nf && i < CIA_MAX_BY; i++) {
        qq->where_dim[qq->nwhere] = f[i].k;
        qq->where_codes[qq->nwhere++] = f[i].v;
    }
}

static int one_figure(struct ctx *c, cia_qcell *cell);

/* An error about a cell, at WORD on the line of its row or column, else
 * the first line from its table's on (its `use` line): file:line:column. */
static int cell_line(const struct ctx *c, const cia_qcell *cell, const char *word)
{
    int col, l = word ? cia_qdef_locate(c->q, cell->table_line, -1, word, &col) : 0;
    return l ? l : cell->table_line;
}
/* (a typed null: cppcheck counts the compound literal's commas as
 * arguments and would take a bare NULL for a variadic one) */
#define NO_WORD ((const char *)NULL)
#define CELL_FAIL(c, cell, word, ...)                                                            \
    cia_qdef_fail((c)->q, (c)->e, (const int[]){(cell)->line, (cell)->col_line, cell_line(c, cell, word)}, \
                  3, (word), __VA_ARGS__)

/* A cell may add up several items ("item=A+B": identified and presumed
 * victims, counted by different dates): known when every part is, with
 * the flags of all the parts.  The disclosure control publishes such a
 * sum only when its parts are published beside it (protect()). */
static int cell_figure(struct ctx *c, cia_qcell *cell)
{
    if (!strchr(cell->item, '+')) return one_figure(c, cell);
    cia_strv parts = {0};
    cia_strv_split(&parts, cell->item, '+');
    char *whole = cell->item;
    int rc = CIA_OK, known = 1;
    long long sum = 0, unknown = 0;
    char flags[8] = "";
    for (size_t i = 0; i < parts.n && !rc; i++) {
        cell->item = parts.v[i];
        if ((rc = one_figure(c, cell))) break;
        known = known && cell->known;
        sum += cell->known ? cell->value : 0;
        unknown += cell->n_unknown;
        for (const char *f = cell->flags; *f; f++) {
            size_t len = strlen(flags);
            if (!strchr(flags, *f) && len + 1 < sizeof flags) {
                flags[len] = *f;
                flags[len + 1] = '\0';
            }
        }
    }
    cell->item = whole;
    cell->known = known;
    cell->value = known ? sum : 0;
    cell->n_unknown = unknown;
    size_t n = 0;
    for (const char *f = "upnic"; *f; f++)
        if (strchr(flags, *f) && n + 1 < sizeof cell->flags) cell->flags[n++] = *f;
    cell->flags[n] = '\0';
    cia_strv_free(&parts);
    return rc;
}

/* The cell's figure from its item and year's breakdown (fill_figures):
 * the sum of the rows its codes select.  A year without records has one
 * row without codes, which answers every cell; otherwise the year is
 * delivered, and a cell selecting no row is a delivered zero, one
 * selecting only rows without a value (an empty number in the extract)
 * not known. */
static int from_fine(const struct fine *f, cia_qcell *cell)
{
    const struct cia_qresult *r = &f->res;
    if (r->n == 1 && (!f->nby || !r->rows[0].dims[0][0])) {
        cell->known = r->rows[0].known;
        cell->value = r->rows[0].value;
        cell->n_unknown = r->rows[0].n_unknown;
        snprintf(cell->flags, sizeof cell->flags, "%s", r->rows[0].flags);
        return 1;
    }
    if (!r->n) return 0;
    long long sum = 0, unknown = 0;
    int matched = 0, known = 0;
    int provisional = strchr(r->rows[0].flags, 'p') != NULL;
    for (size_t i = 0; i < r->n; i++) {
        const struct cia_qrow *row = &r->rows[i];
        int in = 1;
        for (int d = 0; d < f->nby && in; d++) {
            const char *codes = NULL;
            for (int k = 0; k < cell->nf; k++)
                if (!strcmp(cell->f[k].k, f->by[d])) codes = cell->f[k].v;
            if (!codes) {
                /* Offences are never added together: without a filter,
                 * THB only (as figures() does). */
                if (!strcmp(f->by[d], "offence") && f->thb_only) in = !strcmp(row->dims[d], "THB");
                continue;
            }
            size_t n = strlen(row->dims[d]);
            in = 0;
            for (const char *p = codes; *p && !in;) {
                const char *end = strchr(p, ',');
                size_t len = end ? (size_t)(end - p) : strlen(p);
                in = len == n && !strncmp(p, row->dims[d], n);
                p += len + (end != NULL);
            }
        }
        if (!in) continue;
        /* SQL's sum: NULL (not known) only when no fact has a value */
        matched = 1;
        known |= row->known;
        sum += row->known ? row->value : 0;
        unknown += row->n_unknown;
    }
    char in[4];
    size_t k = 0;
    if (unknown > 0) in[k++] = 'u';
    if (provisional) in[k++] = 'p';
    in[k] = '\0';
    cell->known = !matched || known;
    cell->value = cell->known ? sum : 0;
    cell->n_unknown = unknown;
    cia_flags_normalise(in, cell->flags);
    return 1;
}

/* One cell's figure from the figure layer, which gives every year asked
 * its row and state: a figure, a delivered zero, not delivered (n) or
 * incomplete (i), provisional (p), a lower bound (u). */
static int one_figure(struct ctx *c, cia_qcell *cell)
{
    char key[256];
    snprintf(key, sizeof key, "%s|%d", cell->item, cell->year);
    const struct fine *f = cia_map_get(&c->fine, key);
    if (f && f->fetched && from_fine(f, cell)) return CIA_OK;
    struct cia_query qq;
    fill_query(&qq, cell->item, cell->year, cell->f, cell->nf, c->as_of);
    struct cia_qresult res;
    int rc = cia_query_run(c->db, &qq, &res, c->e);
    if (rc) return rc;
    cell->known = res.n ? res.rows[0].known : 0;
    cell->value = res.n ? res.rows[0].value : 0;
    cell->n_unknown = res.n ? res.rows[0].n_unknown : 0;
    snprintf(cell->flags, sizeof cell->flags, "%s", res.n ? res.rows[0].flags : "n");
    cia_qresult_free(&res);
    return CIA_OK;
}

/* A filter's codes must be in its dimension's list (nationality: any
 * two-letter code), as `ciatteh query --where` demands. */
static int check_codes(struct ctx *c, const cia_qcell *cell)
{
    for (int i = 0; i < cell->nf; i++) {
        const cia_strv *all = cia_cat_dim_codes(c->cat, cell->f[i].k);
        int nat = !strcmp(cell->f[i].k, "nationality");
        cia_strv v = {0};
        cia_strv_split(&v, cell->f[i].v, ',');
        const char *bad = NULL;
        for (size_t k = 0; k < v.n && !bad; k++) {
            const char *x = v.v[k];
            int ok = all && cia_strv_find(all, x) >= 0;
            if (!ok && nat)
                ok = !strcmp(x, "UNK") || (strlen(x) == 2 && x[0] >= 'A' && x[0] <= 'Z' &&
                                           x[1] >= 'A' && x[1] <= 'Z');
            if (!ok) bad = x;
        }
        int rc = bad ? CELL_FAIL(c, cell, bad, "cell %s: unknown code '%s' of %s", cell->id, bad, cell->f[i].k)
                     : CIA_OK;
        cia_strv_free(&v);
        if (rc) return rc;
    }
    return CIA_OK;
}

/* Every cell's figure: one breakdown per item and year (see the top of
 * the file), then each cell from it.  An item and year filtered by more
 * dimensions than a query breaks down by is asked cell by cell. */
static int fill_figures(struct ctx *c)
{
    cia_qanswers *a = c->a;
    int rc = CIA_OK;
    char key[256];
    for (size_t i = 0; i < a->ncells && !rc; i++) {
        cia_qcell *cell = &a->cells[i];
        if (!cell->item) continue;
        if ((rc = check_codes(c, cell))) break;
        cia_strv parts = {0};
        cia_strv_split(&parts, cell->item, '+');
        for (size_t pi = 0; pi < parts.n; pi++) {
            snprintf(key, sizeof key, "%s|%d", parts.v[pi], cell->year);
            struct fine *f = cia_map_get(&c->fine, key);
            if (!f) {
                f = cia_xcalloc(1, sizeof *f);
                const cia_cat_item *it = cia_cat_item_get(c->cat, parts.v[pi]);
                if (it && cia_cat_item_has_dim(it, "offence")) {
                    f->by[f->nby++] = cia_xstrdup("offence");
                    f->thb_only = 1;
                }
                cia_map_put(&c->fine, key, f);
            }
            for (int k = 0; k < cell->nf; k++) {
                int d;
                for (d = 0; d < f->nby; d++)
                    if (!strcmp(f->by[d], cell->f[k].k)) break;
                if (d < f->nby) continue;
                if (f->nby < CIA_MAX_BY) f->by[f->nby++] = cia_xstrdup(cell->f[k].k);
                else f->too_many = 1;              /* asked cell by cell */
            }
        }
        cia_strv_free(&parts);
    }
    for (size_t i = 0; i < c->fine.cap && !rc; i++) {
        if (!c->fine.keys[i]) continue;
        struct fine *f = c->fine.vals[i];
        if (f->too_many) continue;
        char *bar = strrchr(c->fine.keys[i], '|');
        char item[256];
        snprintf(item, sizeof item, "%.*s", (int)(bar - c->fine.keys[i]), c->fine.keys[i]);
        struct cia_query qq;
        fill_query(&qq, item, atoi(bar + 1), NULL, 0, c->as_of);
        for (int d = 0; d < f->nby; d++) qq.by[qq.nby++] = f->by[d];
        if ((rc = cia_query_run(c->db, &qq, &f->res, c->e))) {
            cia_err_context(c->e, "%s: %s %d", c->q->path, item, atoi(bar + 1));
            break;
        }
        f->fetched = 1;
    }
    for (size_t i = 0; i < a->ncells && !rc; i++) {
        cia_qcell *cell = &a->cells[i];
        if (cell->item && (rc = cell_figure(c, cell)))
            cia_err_context(c->e, "%s:%d: cell %s", c->q->path, cell->line, cell->id);
    }
    return rc;
}

/* ---- resolving tables --------------------------------------------------- */

/* Entries of an axis with `each DIM` expanded from the data. */
struct rentry {
    char *key, *label;
    const cia_qentry *def;
    char *code;                      /* for `each`: the code */
};

static int cmp_code(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static int expand_axis(struct ctx *c, const cia_qtable *t, const cia_qaxis *x,
                       struct rentry **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    const char *lang = c->a->lang;
    for (size_t i = 0; i < x->n; i++) {
        const cia_qentry *en = &x->v[i];
        if (!en->each) {
            *out = cia_xrealloc(*out, (*nout + 1) * sizeof **out);
            (*out)[*nout] = (struct rentry){cia_xstrdup(en->key), subst_year(L(en->label, lang), c->a->year),
                                            en, NULL};
            (*nout)++;
            continue;
        }
        /* The codes in the data (of every item of a sum), sorted, UNK last. */
        cia_strv parts = {0}, codes = {0};
        cia_strv_split(&parts, t->use.item, '+');
        for (size_t pi = 0; pi < parts.n; pi++) {
            struct cia_query qq;
            fill_query(&qq, parts.v[pi], c->a->year + t->use.year_off, t->use.f, t->use.nf, c->as_of);
            qq.by[0] = en->each;
            qq.nby = 1;
            struct cia_qresult res;
            int rc = cia_query_run(c->db, &qq, &res, c->e);
            if (rc) {
                cia_strv_free(&parts);
                cia_strv_free(&codes);
                cia_err_context(c->e, "%s:%d: table %s", c->q->path, en->line, t->id);
                return rc;
            }
            for (size_t k = 0; k < res.n; k++)
                if (res.rows[k].dims[0][0] && cia_strv_find(&codes, res.rows[k].dims[0]) < 0)
                    cia_strv_push(&codes, res.rows[k].dims[0]);
            cia_qresult_free(&res);
        }
        cia_strv_free(&parts);
        if (codes.n) qsort(codes.v, codes.n, sizeof *codes.v, cmp_code);
        for (int pass = 0; pass < 2; pass++)
            for (size_t k = 0; k < codes.n; k++) {
                const char *code = codes.v[k];
                if ((pass == 0) == (strcmp(code, "UNK") == 0)) continue;
                *out = cia_xrealloc(*out, (*nout + 1) * sizeof **out);
                (*out)[*nout] = (struct rentry){cia_xstrdup(code),
                                                cia_xstrdup(code_label(c, en->each, code, lang)), en,
                                                cia_xstrdup(code)};
                (*nout)++;
            }
        cia_strv_free(&codes);
    }
    return CIA_OK;
}

static void rentries_free(struct rentry *v, size_t n)
{
    for (size_t i = 0; i < n; i++) { free(v[i].key); free(v[i].label); free(v[i].code); }
    free(v);
}

static int is_na(const cia_qtable *t, const char *row, const char *col)
{
    for (size_t k = 0; k < t->nna; k++)
        if ((!strcmp(t->na[k].row, "*") || !strcmp(t->na[k].row, row)) &&
            (!strcmp(t->na[k].col, "*") || !strcmp(t->na[k].col, col)))
            return 1;
    return 0;
}

/* The footnotes on a cell: its SDMX comment (English, one sentence
 * each) and whether one says the definition differs. */
static void footnotes(const cia_qtable *t, const char *row, const char *col, cia_qcell *cell)
{
    cia_buf b;
    cia_buf_init(&b);
    for (size_t k = 0; k < t->nfoot; k++) {
        const cia_qfoot *f = &t->foot[k];
        if ((strcmp(f->row, "*") && strcmp(f->row, row)) || (strcmp(f->col, "*") && strcmp(f->col, col))) continue;
        cia_buf_printf(&b, "%s%s", b.len ? " " : "", f->text[0]);
        if (f->status) cell->defdiff = f->status;
    }
    cell->comment = b.len ? cia_buf_steal(&b) : NULL;
    cia_buf_free(&b);
}

/* Set a filter; "-" removes one a table's `use` line set. */
static void put_filter(cia_qcell *cell, const char *k, const char *v)
{
    for (int i = 0; i < cell->nf; i++)
        if (!strcmp(cell->f[i].k, k)) {
            free(cell->f[i].v);
            if (!strcmp(v, "-")) {
                free(cell->f[i].k);
                cell->f[i] = cell->f[--cell->nf];
                return;
            }
            cell->f[i].v = cia_xstrdup(v);
            return;
        }
    if (!strcmp(v, "-")) return;
    if (cell->nf < CIA_MAX_BY) {
        cell->f[cell->nf].k = cia_xstrdup(k);
        cell->f[cell->nf++].v = cia_xstrdup(v);
    }
}

static void put_key(const cia_qdef *q, cia_qcell *cell, const char *col, const char *code)
{
    for (int i = 0; i < q->nsdmx; i++)
        if (!strcmp(q->sdmx[i].k, col)) {
            free(cell->key[i]);
            cell->key[i] = cia_xstrdup(code);
        }
}

static void apply_attrs(const cia_qdef *q, cia_qcell *cell, const cia_qattrs *a, int *year_off)
{
    if (a->item) { free(cell->item); cell->item = cia_xstrdup(a->item); }
    if (a->year_set) *year_off = a->year_off;
    for (int i = 0; i < a->nf; i++) put_filter(cell, a->f[i].k, a->f[i].v);
    for (int i = 0; i < a->nkey; i++) put_key(q, cell, a->key[i].k, a->key[i].v);
}

static cia_qcell *new_cell(cia_qanswers *a)
{
    a->cells = cia_grow(a->cells, &a->cells_cap, a->ncells + 1, sizeof *a->cells);
    cia_qcell *cell = &a->cells[a->ncells++];
    memset(cell, 0, sizeof *cell);
    return cell;
}

static int resolve_table(struct ctx *c, size_t ti)
{
    const cia_qdef *q = c->q;
    const cia_qtable *t = &q->tables[ti];
    cia_qanswers *a = c->a;
    struct rentry *rows, *cols;
    size_t nr, nc;
    int rc = expand_axis(c, t, &t->rows, &rows, &nr);
    if (rc) return rc;
    if ((rc = expand_axis(c, t, &t->cols, &cols, &nc))) {
        rentries_free(rows, nr);
        return rc;
    }
    cia_qrtable *rt = &a->tables[ti];
    rt->def = t;
    rt->nrows = nr;
    rt->ncols = nc;
    rt->row_keys = cia_xcalloc(nr + 1, sizeof *rt->row_keys);
    rt->row_labels = cia_xcalloc(nr + 1, sizeof *rt->row_labels);
    rt->col_keys = cia_xcalloc(nc + 1, sizeof *rt->col_keys);
    rt->col_labels = cia_xcalloc(nc + 1, sizeof *rt->col_labels);
    rt->cell = cia_xcalloc(nr * nc + 1, sizeof *rt->cell);
    for (size_t r = 0; r < nr; r++) {
        rt->row_keys[r] = cia_xstrdup(rows[r].key);
        rt->row_labels[r] = cia_xstrdup(rows[r].label);
    }
    for (size_t k = 0; k < nc; k++) {
        rt->col_keys[k] = cia_xstrdup(cols[k].key);
        rt->col_labels[k] = cia_xstrdup(cols[k].label);
    }
    for (size_t r = 0; r < nr && !rc; r++)
        for (size_t k = 0; k < nc && !rc; k++) {
            cia_qcell *cell = new_cell(a);
            rt->cell[r * nc + k] = a->ncells - 1;
            cell->id = cia_xasprintf("%s.%s.%s", t->id, rows[r].key, cols[k].key);
            cell->table = ti;
            cell->row = r;
            cell->col = k;
            cell->line = rows[r].def->line;
            cell->col_line = cols[k].def->line;
            cell->table_line = t->line;
            for (int i = 0; i < q->nsdmx; i++) cell->key[i] = cia_xstrdup(q->sdmx[i].v);
            int off = 0;
            apply_attrs(q, cell, &t->use, &off);
            apply_attrs(q, cell, &rows[r].def->a, &off);
            apply_attrs(q, cell, &cols[k].def->a, &off);
            for (int pass = 0; pass < 2; pass++) {
                const struct rentry *en = pass ? &cols[k] : &rows[r];
                if (!en->code) continue;
                put_filter(cell, en->def->each, en->code);
                if (en->def->each_key) put_key(q, cell, en->def->each_key, en->code);
            }
            cell->year = a->year + off;
            for (int i = 0; i < q->nsdmx && !rc; i++) {
                const char *code = cia_qdef_sdmx_code(q, q->sdmx[i].k, cell->key[i], cell->year);
                if (!code)
                    rc = CELL_FAIL(c, cell, cell->key[i],
                                     "cell %s: SDMX code '%s' of %s is not in its code list for %d "
                                     "(sdmx codes / sdmx period)", cell->id, cell->key[i], q->sdmx[i].k, cell->year);
                else if (code != cell->key[i]) {
                    free(cell->key[i]);
                    cell->key[i] = cia_xstrdup(code);
                }
            }
            if (rc) break;
            footnotes(t, rows[r].key, cols[k].key, cell);
            if (is_na(t, rows[r].key, cols[k].key) || (cell->item && !strcmp(cell->item, "-"))) {
                free(cell->item);
                cell->item = NULL;
            }
            /* filters in a stable order: by dimension */
            for (int i = 1; i < cell->nf; i++)
                for (int j = i; j > 0 && strcmp(cell->f[j - 1].k, cell->f[j].k) > 0; j--) {
                    cia_qkv tmp = cell->f[j];
                    cell->f[j] = cell->f[j - 1];
                    cell->f[j - 1] = tmp;
                }
            cia_buf fb;
            cia_buf_init(&fb);
            cia_buf_adds(&fb, "");
            for (int i = 0; i < cell->nf; i++)
                cia_buf_printf(&fb, "%s%s=%s", i ? " " : "", cell->f[i].k, cell->f[i].v);
            cell->filters = cia_buf_steal(&fb);
            if (!cell->item) continue;
            cia_strv parts = {0};
            cia_strv_split(&parts, cell->item, '+');
            for (size_t pi = 0; pi < parts.n && !rc; pi++) {
                const cia_cat_item *it = cia_cat_item_get(c->cat, parts.v[pi]);
                if (!it) {
                    rc = CELL_FAIL(c, cell, parts.v[pi], "table %s: unknown item '%s' (see `ciatteh items`)", t->id,
                                   parts.v[pi]);
                    break;
                }
                if (!cell->unit) cell->unit = cia_xstrdup(it->unit);
                else if (strcmp(cell->unit, it->unit))
                    rc = CELL_FAIL(c, cell, parts.v[pi], "cell %s: %s adds %s to %s", cell->id, cell->item, it->unit,
                                   cell->unit);
                for (int i = 0; i < cell->nf && !rc; i++) {
                    if (!cia_cat_item_has_dim(it, cell->f[i].k))
                        rc = CELL_FAIL(c, cell, cell->f[i].k,
                                         "cell %s: item %s has no dimension '%s' (its dimensions: %s); "
                                         "mark the cell `na` if the figure does not exist", cell->id,
                                         it->code, cell->f[i].k, it->dims);
                }
            }
            cia_strv_free(&parts);
            if (rc) break;
        }
    rentries_free(rows, nr);
    rentries_free(cols, nc);
    return rc;
}

/* Two cells with one SDMX key must be the same figure. */
static int check_keys(struct ctx *c)
{
    const cia_qdef *q = c->q;
    if (!q->has_sdmx) return CIA_OK;
    cia_map seen;
    cia_map_init(&seen);
    cia_buf k;
    cia_buf_init(&k);
    int rc = CIA_OK;
    for (size_t i = 0; i < c->a->ncells && !rc; i++) {
        cia_qcell *cell = &c->a->cells[i];
        cia_buf_reset(&k);
        cia_buf_printf(&k, "%d", cell->year);
        for (int j = 0; j < q->nsdmx; j++) cia_buf_printf(&k, ",%s", cell->key[j]);
        size_t o = (size_t)(uintptr_t)cia_map_get(&seen, k.data);
        if (!o) {
            cia_map_put(&seen, k.data, (void *)(uintptr_t)(i + 1));
            continue;
        }
        const cia_qcell *other = &c->a->cells[o - 1];
        int same = (!cell->item && !other->item) ||
                   (cell->item && other->item && !strcmp(cell->item, other->item) &&
                    !strcmp(cell->filters, other->filters));
        if (!same)
            rc = CELL_FAIL(c, cell, NO_WORD,
                             "cells %s and %s have the same SDMX key (%s) but are different figures",
                             other->id, cell->id, k.data);
    }
    cia_buf_free(&k);
    cia_map_free(&seen);
    return rc;
}

/* ---- disclosure control ------------------------------------------------- */

static const cia_strv *sdc_codes(void *arg, const char *dim)
{
    struct ctx *c = arg;
    return cia_cat_dim_codes(c->cat, dim);
}

int cia_q_sdc_fine(cia_db *db, const char *as_of, const char *item, int year, const char *const *dims,
                   int nd, const char *const *wdims, const char *const *wcodes, int nw,
                   struct cia_sdc_fine *out, cia_err *e)
{
    struct cia_query qq;
    memset(&qq, 0, sizeof qq);
    qq.item = item;
    qq.year_from = qq.year_to = year;
    qq.as_of = as_of;
    for (int i = 0; i < nd && i < CIA_MAX_BY; i++) qq.by[qq.nby++] = dims[i];
    for (int i = 0; i < nw && i < CIA_MAX_BY; i++) {
        /* Several offences are never summed by the figure layer; broken
         * down by offence they stand side by side, and the caller keeps
         * the codes it named. */
        int by_it = 0;
        for (int d = 0; d < nd; d++) by_it |= !strcmp(dims[d], wdims[i]);
        if (by_it && !strcmp(wdims[i], "offence") && strchr(wcodes[i], ',')) continue;
        qq.where_dim[qq.nwhere] = wdims[i];
        qq.where_codes[qq.nwhere++] = wcodes[i];
    }
    struct cia_qresult res;
    int rc = cia_query_run(db, &qq, &res, e);
    if (rc) return rc;
    out->nd = nd;
    for (size_t i = 0; i < res.n; i++)
        cia_sdc_fine_add(out, (const char *const *)res.rows[i].dims,
                         res.rows[i].known ? res.rows[i].value : 0);
    cia_qresult_free(&res);
    return CIA_OK;
}

static int sdc_fine(void *arg, const char *item, int year, const char *const *dims, int nd,
                    const char *const *wdims, const char *const *wcodes, int nw,
                    cia_sdc_fine *out, cia_err *e)
{
    struct ctx *c = arg;
    return cia_q_sdc_fine(c->db, c->as_of, item, year, dims, nd, wdims, wcodes, nw, out, e);
}

static void canonical_flags(char *dst, const char *src, int add_c)
{
    size_t n = 0;
    for (const char *f = "upnic"; *f; f++)
        if (strchr(src, *f) || (*f == 'c' && add_c)) dst[n++] = *f;
    dst[n] = '\0';
}

const char *cia_q_same(const cia_qsame *same, size_t nsame, const char *item, const char **dims,
                       const char **codes, int *nd, char **own, int *nown)
{
    for (size_t k = 0; k < nsame; k++) {
        if (strcmp(same[k].from, item)) continue;
        item = same[k].to;
        for (int x = 0; x < same[k].nextra; x++) {
            int j;
            for (j = 0; j < *nd; j++)
                if (!strcmp(dims[j], same[k].extra[x].k)) break;
            if (j < *nd) {      /* both filter: the codes in both */
                cia_strv a1 = {0}, a2 = {0};
                cia_strv_split(&a1, codes[j], ',');
                cia_strv_split(&a2, same[k].extra[x].v, ',');
                cia_buf b;
                cia_buf_init(&b);
                cia_buf_adds(&b, "");
                for (size_t m = 0; m < a1.n; m++)
                    if (cia_strv_find(&a2, a1.v[m]) >= 0) cia_buf_printf(&b, "%s%s", b.len ? "," : "", a1.v[m]);
                own[*nown] = cia_buf_steal(&b);
                codes[j] = own[(*nown)++];
                cia_strv_free(&a1);
                cia_strv_free(&a2);
            } else if (*nd < CIA_SDC_MAXD) {
                dims[*nd] = same[k].extra[x].k;
                codes[(*nd)++] = same[k].extra[x].v;
            }
        }
        break;
    }
    return item;
}

/* The box of every cell as the disclosure control must see it (the
 * `same` lines applied), added to s; var[i] = variable of cell i, or
 * SIZE_MAX for a cell not available. */
int cia_q_boxes(const cia_qanswers *a, cia_sdc *s, size_t *var, cia_err *e)
{
    const cia_qdef *q = a->def;
    int rc = CIA_OK;
    for (size_t i = 0; i < a->ncells && !rc; i++) {
        const cia_qcell *cell = &a->cells[i];
        var[i] = SIZE_MAX;
        /* a sum of items (item=A+B) is no box: cia_q_publish decides it */
        if (!cell->item || strchr(cell->item, '+')) continue;
        /* `same`: the figure as the disclosure control must see it. */
        const char *dims[CIA_SDC_MAXD], *codes[CIA_SDC_MAXD];
        char *own[CIA_SDC_MAXD];
        int nd = 0, nown = 0;
        for (int k = 0; k < cell->nf && nd < CIA_SDC_MAXD; k++) {
            dims[nd] = cell->f[k].k;
            codes[nd++] = cell->f[k].v;
        }
        const char *item = cia_q_same(q->same, q->nsame, cell->item, dims, codes, &nd, own, &nown);
        int sensitive = cell->unit && cia_strv_find(&q->protect, cell->unit) >= 0;
        rc = cia_sdc_add(s, item, cell->year, nd, dims, codes, cell->known, cell->value, sensitive,
                         &var[i], e);
        for (int k = 0; k < nown; k++) free(own[k]);
        if (rc) cia_err_context(e, "%s: cell %s (check the `same` lines)", q->path, cell->id);
        else {
            char *l = cia_xasprintf("%s %s", q->id, cell->id);
            cia_sdc_label(s, var[i], l);
            free(l);
        }
    }
    return rc;
}

/* A sum of items (item=A+B) is not a figure of its own for the
 * disclosure control: it is published when each part, with the same
 * filters and year, is published in this export (it then tells nothing
 * the parts do not), and withheld otherwise (also when a part is not in
 * the export: the sum could not be protected). */
static void publish_sums(cia_qanswers *a)
{
    for (size_t i = 0; i < a->ncells; i++) {
        cia_qcell *cell = &a->cells[i];
        if (!cell->item || !strchr(cell->item, '+')) continue;
        cia_strv parts = {0};
        cia_strv_split(&parts, cell->item, '+');
        int shown = 1;
        for (size_t pi = 0; pi < parts.n; pi++) {
            const cia_qcell *part = NULL;
            for (size_t k = 0; k < a->ncells && !part; k++) {
                const cia_qcell *o = &a->cells[k];
                if (o->item && !strcmp(o->item, parts.v[pi]) && o->year == cell->year &&
                    !strcmp(o->filters, cell->filters))
                    part = o;
            }
            shown = shown && part && part->sdc == CIA_SDC_SHOWN;
        }
        cia_strv_free(&parts);
        if (shown) continue;
        cell->sdc = CIA_SDC_SECONDARY;
        a->n_secondary++;
        cell->pub_known = 0;
        cell->pub_value = 0;
        cell->pub_n_unknown = 0;
        canonical_flags(cell->pub_flags, cell->flags, 1);
    }
}

static void make_drafts(cia_qanswers *a);

/* Whether a cell's count of records left unknown may be published
 * beside s's pattern: not when the pattern withholds a figure of its item
 * (each item of a sum, as the pattern counts it: `same` lines applied)
 * and year (cia_sdc_item_withheld says why). */
static int gap_safe(const cia_qanswers *a, const cia_qcell *cell, const cia_sdc *s, size_t var)
{
    if (!s) return 1;
    if (var != SIZE_MAX) return !cia_sdc_item_withheld(s, s->v[var].item, cell->year);
    cia_strv parts = {0};
    cia_strv_split(&parts, cell->item, '+');
    int safe = 1;
    for (size_t pi = 0; pi < parts.n && safe; pi++) {
        const char *dims[CIA_SDC_MAXD], *codes[CIA_SDC_MAXD];
        char *own[CIA_SDC_MAXD];
        int nd = 0, nown = 0;
        const char *item = cia_q_same(a->def->same, a->def->nsame, parts.v[pi], dims, codes, &nd, own, &nown);
        safe = !cia_sdc_item_withheld(s, item, cell->year);
        for (int k = 0; k < nown; k++) free(own[k]);
    }
    cia_strv_free(&parts);
    return safe;
}

/* The counts of records left unknown where they are safe (gap_safe); a
 * lower bound whose count is not published keeps its mark, and a note
 * under its table says why (gaps_withheld). */
static void publish_gaps(cia_qanswers *a, const cia_sdc *s, const size_t *var)
{
    a->gaps_withheld = 0;
    for (size_t i = 0; i < a->ncells; i++) {
        cia_qcell *cell = &a->cells[i];
        int gap = cell->item && cell->pub_known && strchr(cell->pub_flags, 'u') && cell->n_unknown > 0;
        int safe = gap && gap_safe(a, cell, s, var ? var[i] : SIZE_MAX);
        cell->pub_n_unknown = safe ? cell->n_unknown : 0;
        if (gap && !safe) a->gaps_withheld = 1;
    }
}

void cia_q_publish(cia_qanswers *a, const cia_sdc *s, const size_t *var)
{
    a->n_primary = a->n_secondary = 0;
    for (size_t i = 0; i < a->ncells; i++) {
        cia_qcell *cell = &a->cells[i];
        cell->sdc = !s || var[i] == SIZE_MAX ? CIA_SDC_SHOWN : s->v[var[i]].status;
        int held = cell->sdc != CIA_SDC_SHOWN;
        cell->pub_known = held ? 0 : cell->known;
        cell->pub_value = held ? 0 : cell->value;
        canonical_flags(cell->pub_flags, cell->flags, held);
        if (cell->sdc == CIA_SDC_PRIMARY) a->n_primary++;
        if (cell->sdc == CIA_SDC_SECONDARY) a->n_secondary++;
    }
    if (s) publish_sums(a);
    publish_gaps(a, s, var);
    /* The draft text says the published figures: written again when a
     * release's pattern replaces the one it was written with. */
    if (a->drafts) make_drafts(a);
}

/* This questionnaire on its own (no release): for `raw`, nothing withheld. */
static int protect(struct ctx *c, int raw)
{
    cia_qanswers *a = c->a;
    if (raw) {
        cia_q_publish(a, NULL, NULL);
        return CIA_OK;
    }
    cia_sdc_source src = {c, sdc_codes, sdc_fine};
    cia_sdc s;
    cia_sdc_init(&s, &src);
    size_t *var = cia_xcalloc(a->ncells + 1, sizeof *var);
    int rc = cia_q_boxes(a, &s, var, c->e);
    if (!rc) rc = cia_sdc_protect(&s, a->threshold, c->e);
    if (!rc) cia_q_publish(a, &s, var);
    free(var);
    cia_sdc_free(&s);
    return rc;
}

/* ---- the draft text ------------------------------------------------------ */

static const cia_qcell *answer(const cia_qanswers *a, const char *name)
{
    const cia_qcell *hit = NULL;
    for (size_t i = 0; i < a->ncells; i++)
        if (!strcmp(a->cells[i].id, name)) return &a->cells[i];
    for (size_t i = 0; i < a->ncells; i++) {
        const cia_qcell *c = &a->cells[i];
        const cia_qrtable *t = &a->tables[c->table];
        if (t->ncols == 1 && !strcmp(t->row_keys[c->row], name)) {
            if (hit) return NULL;
            hit = c;
        }
    }
    return hit;
}

/* The TIP report writes numbers under ten in words ("nine (19 in 2019)"). */
static const char *const SMALL[10] = {"zero", "one", "two", "three", "four", "five", "six", "seven",
                                      "eight", "nine"};

static void say_value(cia_buf *b, const cia_qcell *c, int shrt, const char *lang)
{
    char num[64];
    if (strchr(c->pub_flags, 'c')) {
        cia_buf_adds(b, cia_word(shrt ? "q_withheld" : "q_withheld_number", lang));
        return;
    }
    if (!c->item || !c->pub_known) {
        cia_buf_adds(b, cia_word(shrt ? "q_unknown" : "q_unknown_number", lang));
        return;
    }
    if (c->pub_value >= 0 && c->pub_value < 10 && !strcmp(lang, "en")) snprintf(num, sizeof num, "%s", SMALL[c->pub_value]);
    else cia_format_count((double)c->pub_value, lang, num, sizeof num);
    if (strchr(c->pub_flags, 'u')) cia_buf_printf(b, "%s %s", cia_word("q_at_least", lang), num);
    else cia_buf_adds(b, num);
}

/* The draft is English whatever the export's language: the TIP report
 * is, and a sentence never mixes two languages (the tables and notes
 * follow --lang). */
/* The English label of a cell's row (the draft names provisional figures). */
static char *english_label(const cia_qanswers *a, const cia_qcell *c)
{
    const cia_qtable *d = a->tables[c->table].def;
    const char *key = a->tables[c->table].row_keys[c->row];
    for (size_t r = 0; r < d->rows.n; r++)
        if (!d->rows.v[r].each && !strcmp(d->rows.v[r].key, key))
            return subst_year(d->rows.v[r].label[0], a->year);
    return cia_xstrdup(a->tables[c->table].row_labels[c->row]);
}

static char *draft(const cia_qanswers *a, const cia_qtext *x)
{
    const char *lang = "en";
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, "");
    cia_strv prov = {0};
    for (size_t i = 0; i < x->sentences.n; i++) {
        if (i) cia_buf_addc(&b, ' ');
        const char *s = x->sentences.v[i], *p;
        while ((p = strchr(s, '{'))) {
            cia_buf_add(&b, s, (size_t)(p - s));
            const char *end = strchr(p, '}');
            char *ph = cia_xstrndup(p + 1, (size_t)(end - p - 1));
            if (!strncmp(ph, "year", 4)) {
                cia_buf_printf(&b, "%d", a->year + (ph[4] ? atoi(ph + 4) : 0));
            } else if (!strncmp(ph, "cmp:", 4)) {
                char *comma = strchr(ph, ',');
                *comma = '\0';
                const cia_qcell *x1 = answer(a, ph + 4), *x2 = answer(a, comma + 1);
                const char *w = "q_compared_with";
                if (x1 && x2 && x1->item && x2->item && x1->pub_known && x2->pub_known &&
                    !strchr(x1->pub_flags, 'u') && !strchr(x2->pub_flags, 'u'))
                    w = x1->pub_value > x2->pub_value ? "q_increase_from"
                      : x1->pub_value < x2->pub_value ? "q_decrease_from" : "q_same_as";
                cia_buf_adds(&b, cia_word(w, lang));
            } else {
                char *colon = strchr(ph, ':');
                if (colon) *colon++ = '\0';
                const cia_qcell *c = answer(a, ph);
                if (!c) cia_buf_printf(&b, "{%s}", ph);
                else if (colon && !strcmp(colon, "year")) cia_buf_printf(&b, "%d", c->year);
                else {
                    say_value(&b, c, colon != NULL, lang);
                    if (strchr(c->pub_flags, 'p')) {
                        char *label = english_label(a, c);
                        char ys[16];
                        snprintf(ys, sizeof ys, "%d", c->year);
                        char *n = strstr(label, ys) ? cia_xstrdup(label) : cia_xasprintf("%s (%d)", label, c->year);
                        free(label);
                        if (cia_strv_find(&prov, n) < 0) cia_strv_push(&prov, n);
                        free(n);
                    }
                }
            }
            free(ph);
            s = end + 1;
        }
        cia_buf_adds(&b, s);
    }
    if (prov.n) {
        cia_buf_printf(&b, "\n\n%s", cia_word("q_provisional", lang));
        for (size_t i = 0; i < prov.n; i++) cia_buf_printf(&b, "%s%s", i ? "; " : " ", prov.v[i]);
        cia_buf_addc(&b, '.');
    }
    cia_strv_free(&prov);
    return cia_buf_steal(&b);
}

/* ---- compute ------------------------------------------------------------- */

void cia_qanswers_free(cia_qanswers *a)
{
    if (!a) return;
    free(a->as_of);
    free(a->as_of_ts);
    free(a->as_of_local);
    free(a->lang);
    for (size_t i = 0; i < a->ntables; i++) {
        cia_qrtable *t = &a->tables[i];
        for (size_t r = 0; r < t->nrows; r++) { free(t->row_keys[r]); free(t->row_labels[r]); }
        for (size_t k = 0; k < t->ncols; k++) { free(t->col_keys[k]); free(t->col_labels[k]); }
        free(t->row_keys);
        free(t->row_labels);
        free(t->col_keys);
        free(t->col_labels);
        free(t->cell);
    }
    free(a->tables);
    for (size_t i = 0; i < a->ncells; i++) {
        cia_qcell *c = &a->cells[i];
        free(c->id);
        free(c->item);
        free(c->filters);
        free(c->unit);
        free(c->comment);
        for (int k = 0; k < c->nf; k++) { free(c->f[k].k); free(c->f[k].v); }
        for (int k = 0; k < CIA_Q_MAXKEY; k++) free(c->key[k]);
    }
    free(a->cells);
    cia_strv_free(&a->deliveries);
    cia_strv_free(&a->delivery_ids);
    cia_strv_free(&a->definitions);
    if (a->drafts) {
        for (size_t i = 0; i < a->def->ntexts; i++) free(a->drafts[i]);
        free(a->drafts);
    }
    free(a);
}

static int provenance(struct ctx *c)
{
    cia_qanswers *a = c->a;
    cia_strv services = {0};
    cia_strv used = {0};
    for (size_t i = 0; i < a->ncells; i++) {
        const cia_qcell *cell = &a->cells[i];
        if (!cell->item) continue;
        cia_strv parts = {0};
        cia_strv_split(&parts, cell->item, '+');
        for (size_t pi = 0; pi < parts.n; pi++) {
            if (cia_strv_find(&used, parts.v[pi]) >= 0) continue;
            cia_strv_push(&used, parts.v[pi]);
            const cia_cat_item *it = cia_cat_item_get(c->cat, parts.v[pi]);
            if (cia_strv_find(&services, it->service) < 0) cia_strv_push(&services, it->service);
            char *d = cia_xasprintf("%s: %s", L(it->label, a->lang), L(it->def, a->lang));
            cia_strv_push(&a->definitions, d);
            free(d);
        }
        cia_strv_free(&parts);
    }
    cia_strv_free(&used);
    cia_buf sv;
    cia_buf_init(&sv);
    cia_buf_adds(&sv, "");
    for (size_t i = 0; i < services.n; i++) cia_buf_printf(&sv, "%s%s", i ? "," : "", services.v[i]);
    cia_strv_free(&services);
    const char *p[2] = {a->as_of_ts, sv.data};
    PGresult *r;
    int rc = cia_db_query(c->db, c->e, &r,
        "SELECT d.id, d.service, d.file_name, "
        "       to_char(d.loaded_at AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD HH24:MI'), "
        "       (SELECT string_agg(DISTINCT v.year::text, ',' ORDER BY v.year::text) "
        "          FROM coverage_as_of($1::timestamptz) v WHERE v.delivery_id = d.id) "
        "FROM delivery d WHERE d.id IN (SELECT delivery_id FROM coverage_as_of($1::timestamptz) "
        "                               WHERE service = ANY (string_to_array($2, ','))) "
        "ORDER BY d.id", 2, p);
    cia_buf_free(&sv);
    if (rc) return rc;
    for (int i = 0; i < PQntuples(r); i++) {
        char *line = cia_xasprintf("#%s %s %s (%s; %s)", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
                                   PQgetvalue(r, i, 2), PQgetvalue(r, i, 4), PQgetvalue(r, i, 3));
        cia_strv_push(&a->deliveries, line);
        cia_strv_push(&a->delivery_ids, PQgetvalue(r, i, 0));
        free(line);
    }
    PQclear(r);
    return CIA_OK;
}

int cia_q_compute(cia_db *db, const cia_qdef *q, const struct cia_qopts *o,
                  cia_qanswers **out, cia_err *e)
{
    *out = NULL;
    int rc = cia_check_as_of(o->as_of, e);
    if (rc) return rc;
    cia_qanswers *a = cia_xcalloc(1, sizeof *a);
    a->def = q;
    a->year = o->year;
    a->as_of = o->as_of ? cia_xstrdup(o->as_of) : NULL;
    a->lang = cia_xstrdup(o->lang ? o->lang : q->lang);
    a->threshold = o->threshold >= 0 ? o->threshold : q->threshold;
    a->sdmx_version = 1;
    a->ntables = q->ntables;
    a->tables = cia_xcalloc(q->ntables + 1, sizeof *a->tables);
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.db = db;
    c.q = q;
    c.a = a;
    c.e = e;
    c.as_of = o->as_of;
    /* One snapshot for every figure of the export (the caller's, when it
     * reads in one already: the biennial pack's releases). */
    int own = PQtransactionStatus(db->conn) == PQTRANS_IDLE;
    if (own && (rc = cia_db_begin_snapshot(db, 1, e))) goto out;
    PGresult *r;
    const char *p[1] = {o->as_of};
    if ((rc = cia_db_query(db, e, &r,
            "SELECT t, to_char(t AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD HH24:MI:SS') "
            "FROM as_of_reference($1::date) t",
            1, p))) goto rollback;
    a->as_of_ts = cia_xstrdup(PQgetvalue(r, 0, 0));
    a->as_of_local = cia_xstrdup(PQgetvalue(r, 0, 1));
    PQclear(r);
    if ((rc = cia_catalogue_load(db, &c.cat, e))) goto rollback;
    cia_map_init(&c.fine);
    for (size_t t = 0; t < q->ntables && !rc; t++) rc = resolve_table(&c, t);
    if (!rc) rc = fill_figures(&c);
    if (!rc) rc = check_keys(&c);
    if (!rc) rc = protect(&c, o->raw);
    if (!rc) rc = provenance(&c);
    if (rc) goto rollback;
    if (own && (rc = cia_db_exec(db, e, "COMMIT"))) goto out;
    make_drafts(a);
    ctx_free(&c);
    *out = a;
    return CIA_OK;
rollback:
    if (own) cia_db_rollback(db);
out:
    ctx_free(&c);
    cia_qanswers_free(a);
    return rc;
}

/* ---- the table model ---------------------------------------------------- */

/* The draft texts from the cells as published. */
static void make_drafts(cia_qanswers *a)
{
    const cia_qdef *q = a->def;
    if (a->drafts)
        for (size_t i = 0; i < q->ntexts; i++) free(a->drafts[i]);
    else
        a->drafts = cia_xcalloc(q->ntexts + 1, sizeof *a->drafts);
    for (size_t i = 0; i < q->ntexts; i++) a->drafts[i] = draft(a, &q->texts[i]);
}

static cia_report *build_report(const cia_qanswers *a, int with_drafts)
{
    const cia_qdef *q = a->def;
    const char *lang = a->lang;
    char *title = cia_xasprintf("%s — %d", L(q->title, lang), a->year);
    cia_report *rep = cia_report_new(q->id, title, lang, a->as_of ? a->as_of : "current");
    free(title);
    for (size_t i = 0; with_drafts && i < q->ntexts; i++) {
        const cia_qtext *x = &q->texts[i];
        cia_table *t = cia_table_new(x->id, L(x->title, lang), 1, 1);
        cia_table_set_col(t, 0, "text", cia_word("q_draft", lang));
        /* One paragraph per row, so a spreadsheet shows it readably. */
        const char *s = a->drafts[i];
        while (s && *s) {
            const char *nl = strstr(s, "\n\n");
            size_t n = nl ? (size_t)(nl - s) : strlen(s);
            char *para = cia_xstrndup(s, n);
            size_t r = cia_table_add_row(t, "p");
            cia_table_set_text(t, r, 0, para);
            free(para);
            s = nl ? nl + 2 : s + n;
        }
        for (size_t k = 0; k < x->notes.n / CIA_Q_LANGS; k++) cia_table_add_note(t, text_note(x, k, lang));
        cia_report_add_table(rep, t);
    }
    for (size_t ti = 0; ti < a->ntables; ti++) {
        const cia_qrtable *rt = &a->tables[ti];
        const cia_qtable *d = rt->def;
        char *tt = subst_year(L(d->title, lang), a->year);
        cia_table *t = cia_table_new(d->id, tt, rt->ncols + 1, 1);
        free(tt);
        if (d->subtitle[0]) {
            char *st = subst_year(L(d->subtitle, lang), a->year);
            cia_table_set_subtitle(t, st);
            free(st);
        }
        cia_table_set_col(t, 0, "label", "");
        for (size_t k = 0; k < rt->ncols; k++)
            cia_table_set_col(t, k + 1, rt->col_keys[k], rt->col_labels[k]);
        for (size_t r = 0; r < rt->nrows; r++) {
            size_t row = cia_table_add_row(t, rt->row_keys[r]);
            cia_table_set_text(t, row, 0, rt->row_labels[r]);
            for (size_t k = 0; k < rt->ncols; k++) {
                const cia_qcell *c = &a->cells[rt->cell[r * rt->ncols + k]];
                if (!c->item) cia_table_set_text(t, row, k + 1, cia_word("q_not_collected", lang));
                else {
                    cia_table_set_count(t, row, k + 1, (double)c->pub_value, c->pub_known, c->pub_flags);
                    cia_table_set_n_unknown(t, row, k + 1, c->pub_n_unknown);
                }
            }
        }
        for (size_t k = 0; k < d->nnotes; k++) {
            char *n = subst_year(L(d->notes + k * CIA_Q_LANGS, lang), a->year);
            cia_table_add_note(t, n);
            free(n);
        }
        for (size_t k = 0; k < d->nfoot; k++) {
            int dup = 0;
            for (size_t j = 0; j < k && !dup; j++) dup = !strcmp(d->foot[j].text[0], d->foot[k].text[0]);
            if (dup) continue;
            char *n = subst_year(L(d->foot[k].text, lang), a->year);
            cia_table_add_note(t, n);
            free(n);
        }
        int any_na = 0;
        for (size_t i = 0; i < a->ncells && !any_na; i++)
            any_na = a->cells[i].table == ti && !a->cells[i].item;
        if (any_na) cia_table_add_note(t, cia_word("q_na_note", lang));
        int gap_held = 0;
        for (size_t i = 0; i < a->ncells && a->gaps_withheld && !gap_held; i++) {
            const cia_qcell *c = &a->cells[i];
            gap_held = c->table == ti && c->pub_known && strchr(c->pub_flags, 'u') && c->n_unknown > 0 &&
                       !c->pub_n_unknown;
        }
        if (gap_held) cia_table_add_note(t, cia_word("gap_withheld", lang));
        cia_report_add_table(rep, t);
    }
    for (size_t i = 0; i < q->notes.n; i++) cia_report_add_definition(rep, q->notes.v[i]);
    for (size_t i = 0; i < a->definitions.n; i++) cia_report_add_definition(rep, a->definitions.v[i]);
    cia_buf pb;
    cia_buf_init(&pb);
    /* How many are withheld, never which are small counts: that would
     * tell which cells hold 1 to 3 persons. */
    cia_buf_printf(&pb, "%s %s (%s %.12s), %s %d; %s %d: %zu %s",
                   cia_word("q_questionnaire", lang), q->id, cia_word("q_definition", lang), q->sha256,
                   cia_word("q_ref_year", lang), a->year, cia_word("q_threshold", lang), a->threshold,
                   a->n_primary + a->n_secondary, cia_word("q_withheld_conf", lang));
    if (a->set_id) cia_buf_printf(&pb, "; %s #%lld", cia_word("q_answer_set", lang), a->set_id);
    char *line = cia_buf_steal(&pb);
    cia_report_add_provenance(rep, line);
    free(line);
    for (size_t i = 0; i < a->deliveries.n; i++) cia_report_add_provenance(rep, a->deliveries.v[i]);
    rep->csv_rows_only = 1;
    cia_report_typeset(rep);
    return rep;
}

cia_report *cia_q_report(const cia_qanswers *a)
{
    return build_report(a, 1);
}

/* Wrap a paragraph at 78 columns (UTF-8 aware through cia_text_width). */
static void wrap(cia_buf *b, const char *s)
{
    size_t col = 0;
    while (*s) {
        size_t n = strcspn(s, " ");
        char *word = cia_xstrndup(s, n);
        size_t w = cia_text_width(word);
        if (col && col + 1 + w > 78) { cia_buf_addc(b, '\n'); col = 0; }
        else if (col) { cia_buf_addc(b, ' '); col++; }
        cia_buf_adds(b, word);
        col += w;
        free(word);
        s += n;
        while (*s == ' ') s++;
    }
    cia_buf_addc(b, '\n');
}

int cia_q_write_text(FILE *out, const cia_qanswers *a, cia_err *e)
{
    const cia_qdef *q = a->def;
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, "");
    for (size_t i = 0; i < q->ntexts; i++) {
        cia_buf_printf(&b, "%s\n\n", L(q->texts[i].title, a->lang));
        const char *s = a->drafts[i];
        while (s && *s) {
            const char *nl = strstr(s, "\n\n");
            size_t n = nl ? (size_t)(nl - s) : strlen(s);
            char *para = cia_xstrndup(s, n);
            wrap(&b, para);
            cia_buf_addc(&b, '\n');
            free(para);
            s = nl ? nl + 2 : s + n;
        }
        for (size_t k = 0; k < q->texts[i].notes.n / CIA_Q_LANGS; k++) {
            wrap(&b, text_note(&q->texts[i], k, a->lang));
            cia_buf_addc(&b, '\n');
        }
    }
    if (b.len && fwrite(b.data, 1, b.len, out) != b.len) {
        cia_buf_free(&b);
        return cia_fail(e, CIA_ECANTCREAT, "cannot write the text");
    }
    cia_buf_free(&b);
    cia_report *rep = build_report(a, 0);
    int rc = cia_render_text(out, rep, e);
    cia_report_free(rep);
    return rc;
}
