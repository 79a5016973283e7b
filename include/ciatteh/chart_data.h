/* chart_data.h — charts of the warehouse's figures: which figures each named
 * chart shows, read through the report builder (report.h, so every figure
 * comes from cia_query_run and "not known" means what it means in every
 * report), shaped into one cia_table and drawn by the chart engine
 * (chart.h).  `ciatteh chart NAME` (src/cmd_chart.c) and the biennial pack
 * call the same functions, so a chart cannot differ between the two.
 *
 * The charts, by name (docs/CHARTS.md shows each):
 *   trend            items over the years as lines; --by: one line per code
 *   sentences        stacked bars per year of judgment: prison terms by
 *                    suspension (effective / partial / full)
 *   sentences-bands  the same by length of the prison term
 *   victims          bars: victims taken into care by form of exploitation,
 *                    split by sex (or --by), total over the years
 *   referrals        bars: persons referred to the centres by referrer,
 *                    one bar per year
 *   documents        residence documents by type, one bar per year
 *   sectors          inspectorates' referrals by sector, one bar per year
 *   nationalities    victims taken into care, the ten most frequent
 *                    nationalities, one bar per year
 *   bars             any item (--items) by any dimension (--by), one bar
 *                    per year
 */
#ifndef CIATTEH_CHART_DATA_H
#define CIATTEH_CHART_DATA_H

#include <stdio.h>
#include "ciatteh/chart.h"
#include "ciatteh/db.h"
#include "ciatteh/query.h"
#include "ciatteh/table.h"

struct cia_report_build;

typedef struct cia_chart_request {
    const char *name;                   /* one of the names above */
    int year_from, year_to;             /* the years (1995 <= from <= to) */
    const char *const *items;           /* NULL: the chart's own item(s) */
    size_t nitems;
    /* Breakdowns, NULL: the chart's own.  trend, sentences*, referrals,
     * documents, sectors, nationalities, bars: by[0].  victims: by[0]
     * alone is the split (bars of each form split by by[0]); by[0] and
     * by[1] are the categories and the split. */
    const char *by[2];
    int nby;
    const char *where_dim[CIA_MAX_BY];  /* filters, as `ciatteh query --where` */
    const char *where_codes[CIA_MAX_BY];
    int nwhere;
    const char *offence;                /* THB (NULL) or SMUG: what the chart
                                           counts, said in its title */
    const char *lang;                   /* en (NULL), fr, nl */
    const char *as_of;                  /* YYYY-MM-DD, NULL: latest deliveries */
    const char *path;                   /* .png .svg .pdf; .xlsx: the chart's
                                           table with the chart as a picture */
    enum cia_chart_size size;
    double width_mm, height_mm, dpi;    /* 0: from size */
    const char *title, *subtitle;       /* NULL: composed from the catalogue */
    const char *dump;                   /* write a JSON account of what was
                                           drawn here (figures, keys, colours,
                                           geometry); NULL: none */
    /* Called with the builder's figures before they are shaped into the
     * chart: a release's pattern applied (release.h), or the boxes
     * collected; NULL: the exact figures. */
    int (*figures)(void *arg, struct cia_report_build *b, cia_err *e);
    void *figures_arg;
} cia_chart_request;

/* A chart ready to draw: report->tables[0] holds exactly the figures of
 * the chart (labels in the request's language, flags, the report's notes)
 * and the report its provenance and definitions; spec says how to draw it
 * (everything but path, which the caller sets). */
typedef struct cia_chart_made {
    cia_report *report;
    cia_chart_spec spec;
    char *name;
    /* what was asked of the figures (for the dump and for messages) */
    char *items;                        /* "a,b" */
    char *by, *split;                   /* breakdowns used, or NULL */
    char *where;                        /* "dim=A,B;dim=C" or "" */
    int year_from, year_to;
    char **owned;                       /* strings spec points to */
    size_t nowned;
    cia_table *totals;                  /* stacked: the item's own total per year
                                           (one row), which spec.totals points into */
    const cia_cell **total_cells;
} cia_chart_made;

/* Read the figures and shape the chart.  CIA_EUSAGE for an unknown name,
 * item or dimension, a dimension the item lacks, too many lines or bars
 * to read; database errors as usual. */
int cia_chart_prepare(cia_db *db, const cia_chart_request *req, cia_chart_made *out, cia_err *e);
void cia_chart_made_free(cia_chart_made *m);

/* prepare + draw req->path (PNG/SVG/PDF by extension, or an .xlsx
 * workbook) + the optional dump.  The entry point of `ciatteh chart` and
 * of the biennial pack.  Output files are written atomically. */
int cia_chart_build(cia_db *db, const cia_chart_request *req, cia_err *e);

/* Write the JSON account of a drawn chart (see docs/CHARTS.md); geom may
 * be NULL.  Atomically to path. */
int cia_chart_dump(const char *path, const cia_chart_made *m, const cia_chart_geom *geom, cia_err *e);

/* ---- the chart catalogue (reports/charts/chart_defs.c) ---------------- *
 * reports/data/charts/charts.def, compiled in: which charts exist, their
 * family, default items and breakdowns (the format is in the file). */

enum cia_chart_family {
    CIA_CF_TREND = 0,   /* rows: items (or codes), columns: years → lines */
    CIA_CF_STACK,       /* rows: codes, columns: years → stacked bars per year */
    CIA_CF_CODES,       /* rows: codes, columns: years → bars per code, one per year */
    CIA_CF_CROSS,       /* rows: codes, columns: codes of a second dimension, summed
                           over the years → bars per code, split */
};

struct cia_chart_def {
    char *name;
    enum cia_chart_family fam;
    char *items;                  /* default item(s), comma-separated; NULL: --items needed */
    char *by;                     /* default breakdown; NULL: --by needed (bars) */
    char *split;                  /* cross: default split */
    int top;                      /* codes: the N largest codes, then the rest */
    char *sub;                    /* word after the years in the subtitle */
};

typedef struct cia_chart_defs {
    struct cia_chart_def *v;      /* in the file's order */
    size_t n;
    char **stack_dim, **stack_codes;   /* `stack DIM CODES` lines */
    size_t nstack;
    char *names;                  /* "trend, sentences, ..." */
} cia_chart_defs;

/* Read a catalogue (text of len bytes named file).  CIA_EDATA with
 * file:line:column on a line that is not one. */
int cia_chart_defs_parse(const char *file, const char *text, size_t len, cia_chart_defs **out, cia_err *e);
void cia_chart_defs_free(cia_chart_defs *d);
/* The compiled-in catalogue, read once (kept for the process's life);
 * CIA_EINTERNAL when it does not read. */
int cia_chart_defs_get(const cia_chart_defs **out, cia_err *e);
const struct cia_chart_def *cia_chart_def_find(const cia_chart_defs *d, const char *name);
/* The segments of a stack by dim, when the catalogue lists them. */
const char *cia_chart_stack_codes(const cia_chart_defs *d, const char *dim);
/* "trend, sentences, ..." (static; "" when the catalogue does not read). */
const char *cia_chart_names(void);

/* ---- charts in the workbook ------------------------------------------- */

/* A picture placed on the sheet of report table `table`, right of the
 * table, top-aligned with its headings; alt text for screen readers. */
struct cia_xlsx_chart {
    size_t table;
    const char *png;                    /* PNG file, read at once */
    const char *alt;
};

/* cia_render_xlsx (render.h) with pictures beside tables
 * (reports/render/render_xlsx.c).  A picture that cannot be read → CIA_ENOINPUT
 * and no workbook. */
int cia_render_xlsx_charts(const char *path, const cia_report *r, const struct cia_xlsx_chart *charts,
                           size_t ncharts, cia_err *e);

/* A chart for every table of r that reads well as one (counts by year, at
 * most 8 rows: lines over three years or more, bars otherwise), drawn as
 * PNG beside the table: a report's workbook with its charts.  Tables that
 * do not chart well are written as by cia_render_xlsx. */
int cia_chart_report_xlsx(const char *path, const cia_report *r, cia_err *e);

/* Whether table t charts well, and how: fills spec->kind, series, rows
 * and cols (rows/cols point into the arrays given, each with room for
 * t->nrows / t->ncols entries).  1: yes, 0: no. */
int cia_chart_plan_table(const cia_table *t, cia_chart_spec *spec, size_t *rows, size_t *cols);

#endif
