/* report_cross.c — the cross layout of the report builder (report_int.h):
 * one row per year and code of the table's row dimension (listed, or
 * every code any column has data for; a total row per year unless
 * rowtotal=0), one column per line; a share column reads the columns of
 * the same row. */
#include <stdlib.h>
#include <string.h>
#include "report_int.h"

/* The codes of the rows: listed, or every code any column has data for. */
static int cross_codes(struct rb_table *b, cia_strv *codes)
{
    struct rb_ctx *c = b->c;
    const struct cia_rd_table *td = b->def;
    int rc = CIA_OK;
    const struct cia_qresult **res = cia_xcalloc(td->nlines + 1, sizeof *res);
    size_t nres = 0;
    for (size_t li = 0; li < td->nlines && rc == CIA_OK; li++) {
        const struct cia_rd_line *l = &td->lines[li];
        if (!l->item) continue;
        if (!rb_item(c, l->item)) { rc = rb_unknown_item(c, l->item); break; }
        rb_mark_used(c, l->item);
        struct rb_wlist wl;
        rb_line_where(c, l, 0, &wl, NULL);
        rc = rb_fetch(c, l->item, td->rowdim, &wl, &res[nres]);
        if (!rc) nres++;
    }
    if (rc) { free(res); return rc; }
    struct rb_code_tot *present;
    size_t npresent;
    rb_data_codes(c, td->rowdim, res, nres, &present, &npresent);
    free(res);
    if (td->rowcodes) rb_listed_codes(td->rowcodes, present, npresent, codes);
    else for (size_t k = 0; k < npresent; k++) cia_strv_push(codes, present[k].code);
    rb_free_code_tot(present, npresent);
    return CIA_OK;
}

/* The column of the line with this id. */
static size_t line_col(const struct cia_rd_table *td, const char *id)
{
    size_t ci;
    for (ci = 0; ci < td->nlines && !(td->lines[ci].id && !strcmp(td->lines[ci].id, id)); ci++) {}
    return ci;
}

/* A share: the figures of the columns the line refers to, in this row. */
static void cross_share(struct rb_table *b, const struct cia_rd_line *l, size_t row, size_t li, int y)
{
    struct cia_rv num = { 0 }, den;
    char refs[256] = "";
    for (int n = 0; n < l->nnum; n++) {
        size_t ci = line_col(b->def, l->num[n]);
        num = n ? cia_rv_sum(num, *rb_rv(b, row, ci)) : *rb_rv(b, row, ci);
        snprintf(refs + strlen(refs), sizeof refs - strlen(refs), "%s%zu.%zu", n ? "+" : "", row, b->nhead + ci);
    }
    size_t di = line_col(b->def, l->den);
    den = *rb_rv(b, row, di);
    snprintf(refs + strlen(refs), sizeof refs - strlen(refs), "/%zu.%zu", row, b->nhead + di);
    rb_put_share(b, row, li, y, num, den, refs);
}

/* The row of year y and code (NULL: the year's total). */
static int cross_row(struct rb_table *b, int y, const char *code)
{
    struct rb_ctx *c = b->c;
    const struct cia_rd_table *td = b->def;
    char *key = cia_xasprintf("%d|%s", y, code ? code : "total");
    rb_row(b, key, NULL);
    free(key);
    size_t row = b->t->nrows - 1;
    char ys[16];
    snprintf(ys, sizeof ys, "%d", y);
    cia_table_set_text(b->t, row, 0, ys);
    cia_table_set_text(b->t, row, 1, code ? rb_code_label(c, td->rowdim, code) : cia_word("total", c->lang));
    for (size_t li = 0; li < td->nlines; li++) {
        const struct cia_rd_line *l = &td->lines[li];
        if (!l->item) { cross_share(b, l, row, li, y); continue; }
        struct cia_rv v;
        struct rb_wlist wl;
        rb_line_where(c, l, 0, &wl, NULL);
        int rc = rb_figure(c, l->item, code ? td->rowdim : NULL, code, &wl, y, &v);
        if (rc) return rc;
        rb_put(b, row, li, CIA_CELL_COUNT, v);
        rb_trace(b, row, b->nhead + li, "query", l->item, y, code ? td->rowdim : NULL, code, &wl, NULL);
    }
    return CIA_OK;
}

int rb_build_cross(struct rb_table *b)
{
    struct rb_ctx *c = b->c;
    const struct cia_rd_table *td = b->def;
    b->nhead = 2;
    b->nval = td->nlines;
    char *title = cia_xstrdup(cia_word(td->title, c->lang));
    b->t = cia_table_new(td->id, title, b->nhead + b->nval, b->nhead);
    free(title);
    cia_table_set_col(b->t, 0, "year", cia_word("year", c->lang));
    cia_table_set_col(b->t, 1, td->rowdim, rb_dim_label(c, td->rowdim));
    cia_strv codes = {0};
    int rc = cross_codes(b, &codes);
    if (rc) return rc;
    for (size_t li = 0; li < td->nlines; li++) {
        const struct cia_rd_line *l = &td->lines[li];
        char *lab = rb_line_label(c, l, l->item);
        cia_table_set_col(b->t, b->nhead + li, l->id ? l->id : l->item, lab);
        free(lab);
    }
    size_t nr = codes.n + (td->rowtotal ? 1 : 0);
    for (int y = c->y0; y <= c->y1 && rc == CIA_OK; y++)
        for (size_t k = 0; k < nr && rc == CIA_OK; k++) rc = cross_row(b, y, k < codes.n ? codes.v[k] : NULL);
    cia_strv_free(&codes);
    return rc;
}
