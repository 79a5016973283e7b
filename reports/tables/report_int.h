/* report_int.h — the report builder's insides, shared by its files and by
 * nothing else (report.h is the builder's door):
 *
 *   report.c         a report: the request checked, one table per
 *                    definition table, provenance, definitions, the trace
 *   report_source.c  what every layout reads: the catalogue and coverage
 *                    at the as-of moment, labels, figures through
 *                    cia_query_run (each query asked once), breakdown codes
 *   report_cells.c   figures with flags (cia_rv arithmetic) and a table
 *                    under construction: rows, cells, their trace
 *   report_years.c   the years layout (a row per line and code, a column
 *                    per year, changes)
 *   report_cross.c   the cross layout (a row per year and code, a column
 *                    per line)
 *   report_notes.c   a table's notes, headings and subtitle
 *
 * A new layout is one more file over report_source.c and report_cells.c. */
#ifndef CIATTEH_REPORT_INT_H
#define CIATTEH_REPORT_INT_H

#include "ciatteh/catalogue.h"
#include "ciatteh/country.h"
#include "ciatteh/render.h"
#include "ciatteh/report.h"
#include "ciatteh/util.h"

#define ENDASH "\xe2\x80\x93"
#define MIDDOT " \xc2\xb7 "

/* The catalogue is the figure layer's (catalogue.h); a report only marks
 * which items and services it used. */

/* One query's figures, asked once per report whatever the number of
 * cells reading it. */
struct rb_qentry {
    char *key;
    struct cia_query q;
    char *owned[2 + 2 * CIA_MAX_BY];
    int nowned;
    struct cia_qresult res;
};

struct rb_ctx {
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
    struct rb_qentry **qc; size_t nqc, qc_cap; /* entries never move: cells keep pointers */
    cia_report_build *out;
    int used_changes, used_shares, any_nk, any_nd, any_inc;
    const char *offence;           /* THB or SMUG: the offence every figure counts */
    struct cia_rd_where offence_w; /* offence=SMUG, added where the layer's THB default would apply */
    int use_seq;
};

/* The moment the as-of date means: the end of that day in Brussels, as in
 * query.c, so coverage and figures agree. */
#define ASOF_TS "as_of_moment($%d::date)"

/* A line's conditions: its own, the request's, the report's offence. */
struct rb_wlist { const struct cia_rd_where *w[2 * CIA_MAX_BY]; int n; };

/* A table under construction. */
struct rb_table {
    struct rb_ctx *c;
    const struct cia_rd_table *def;
    cia_table *t;
    size_t tindex;
    size_t nhead, nval;          /* value columns after the head columns */
    struct cia_rv *rv;           /* rows x nval, grown with the rows */
    size_t rv_cap;               /* elements of rv allocated */
    cia_strv row_ids;            /* line id of each row ("" if none) */
    int any_u_derived, any_pct_undefined, any_share_undefined;
    char prov[256];              /* per year of the report: a figure marked p */
};


/* A code of a breakdown with its total over the period. */
struct rb_code_tot { char *code; double total; int sort; };

/* ---- report_source.c --------------------------------------------------- */

int rb_load_catalogue(struct rb_ctx *c);
const cia_cat_item *rb_item(struct rb_ctx *c, const char *code);
const cia_cat_dim *rb_dim(struct rb_ctx *c, const char *code);
const cia_cat_service *rb_svc(struct rb_ctx *c, const char *code);
int rb_unknown_item(struct rb_ctx *c, const char *code);
const char *rb_code_label(struct rb_ctx *c, const char *dim, const char *code);
const char *rb_dim_label(struct rb_ctx *c, const char *dim);
char *rb_where_label(struct rb_ctx *c, const struct cia_rd_where *w);
char *rb_line_label(struct rb_ctx *c, const struct cia_rd_line *l, const char *item);
char *rb_years_text(int y0, int y1);
int rb_covered(struct rb_ctx *c, const char *service, int year);
void rb_where_str(cia_buf *b, const struct rb_wlist *wl);
const struct rb_wlist *rb_scoped(struct rb_ctx *c, const char *item, const char *by,
                                 const struct rb_wlist *wl, struct rb_wlist *buf);
void rb_line_where(struct rb_ctx *c, const struct cia_rd_line *l, int with_req, struct rb_wlist *wl,
                   struct cia_rd_where *req_w);
void rb_mark_used(struct rb_ctx *c, const char *item);
int rb_fetch(struct rb_ctx *c, const char *item, const char *by, const struct rb_wlist *wl0,
             const struct cia_qresult **res);
int rb_absent(struct rb_ctx *c, const char *item, int year, struct cia_rv *out);
int rb_figure(struct rb_ctx *c, const char *item, const char *by, const char *code,
              const struct rb_wlist *wl, int year, struct cia_rv *out);
int rb_cmp_code_tot(const void *a, const void *b);
void rb_data_codes(struct rb_ctx *c, const char *dim, const struct cia_qresult *const *res, size_t nres,
                   struct rb_code_tot **out, size_t *n);
void rb_free_code_tot(struct rb_code_tot *v, size_t n);
void rb_listed_codes(const char *spec, const struct rb_code_tot *present, size_t npresent, cia_strv *out);

/* ---- report_cells.c ---------------------------------------------------- */

void rb_row(struct rb_table *b, const char *key, const char *id);
struct cia_rv *rb_rv(struct rb_table *b, size_t row, size_t vcol);
void rb_trace(struct rb_table *b, size_t row, size_t col, const char *kind, const char *item,
              int year, const char *by, const char *code, const struct rb_wlist *wl,
              const char *refs);
void rb_put(struct rb_table *b, size_t row, size_t vcol, enum cia_cell_type type, struct cia_rv v);
void rb_put_share(struct rb_table *b, size_t row, size_t vcol, int year, struct cia_rv num,
                  struct cia_rv den, const char *refs);

/* ---- the layouts and what follows them --------------------------------- */

int rb_build_years(struct rb_table *b);     /* report_years.c */
int rb_build_cross(struct rb_table *b);     /* report_cross.c */
void rb_finish_table(struct rb_table *b);   /* report_notes.c */
int rb_add_provenance(struct rb_ctx *c, cia_report *r);
void rb_add_definitions(struct rb_ctx *c, cia_report *r);

#endif
