/* report.h — analysts' reports built from item figures (query.h) into the
 * neutral table model (table.h), rendered by any renderer (render.h).
 *
 * A report's structure is data: a definition file under
 * reports/data/reports/NAME.def (compiled into the binary) says which
 * tables it has, which items, breakdowns and shares each table shows and
 * which words label them; one builder (reports/tables/report.c) turns any
 * definition into a cia_report.  A new table is a new definition, not new
 * C.  The definition format is described in reports/data/reports/README
 * and docs/REPORTS.md.
 *
 * Every figure comes from cia_query_run(); a figure the query leaves out
 * is 0 when the item's service delivered that year (coverage_as_of) and
 * "not known" otherwise — never 0 for a year nobody delivered.  Each cell
 * can be traced back to the `ciatteh query` command that gives it
 * (cia_report_trace). */
#ifndef CIATTEH_REPORT_H
#define CIATTEH_REPORT_H

#include <stdio.h>
#include "ciatteh/db.h"
#include "ciatteh/query.h"
#include "ciatteh/table.h"

/* ---- definitions ------------------------------------------------------ */

enum cia_rd_layout {
    CIA_RD_YEARS = 0,   /* one row per line (and breakdown code), one column per year */
    CIA_RD_CROSS,       /* one row per year and code of a dimension, one column per line */
};

struct cia_rd_where {
    char *dim;
    char *codes;        /* "NONE" or "PARTIAL,FULL" */
};

/* A `row` (years layout) or a `col` (cross layout). */
struct cia_rd_line {
    char *id;           /* for share references; may be NULL */
    char *item;         /* NULL for a share */
    struct cia_rd_where where[CIA_MAX_BY];
    int nwhere;
    char *by;           /* years layout: one row per code of this dimension */
    char *codes;        /* with by: the codes, in order ("X?" = only if in the data) */
    int top;            /* with by: the N largest codes, then "other" and UNK */
    int total;          /* with by: a total row first (default 1) */
    char *label;        /* word key, "code" (label of the where code) or NULL */
    char *num[4];       /* share: numerator line ids (summed) */
    int nnum;
    char *den;          /* share: denominator line id */
    int all;            /* `row all`: every item of the catalogue (yoy) */
    int line_no;        /* in the definition file, for messages */
};

struct cia_rd_table {
    char *id;           /* sheet name, stable ASCII */
    char *title;        /* word key */
    char *subtitle;     /* word key or NULL */
    enum cia_rd_layout layout;
    int changes;        /* years layout: change columns (last two years, period) */
    int group_service;  /* years layout: a service column first */
    char *rowdim;       /* cross layout: the dimension of the rows */
    char *rowcodes;     /* cross layout: its codes ("X?" = only if in the data) */
    int rowtotal;       /* cross layout: a total row per year (default 1) */
    char *scope_note;   /* "SERVICE:DIM": note which scopes (centres) sent no data */
    char **notes;       /* word keys of notes under the table */
    size_t nnotes;
    struct cia_rd_line *lines;
    size_t nlines;
};

struct cia_rd {
    char *id;
    char *title;        /* word key */
    struct cia_rd_table *tables;
    size_t ntables;
};

/* Parse a definition (text of len bytes; name for messages).  Errors are
 * CIA_EDATA with the line number. */
int cia_rd_parse(const char *name, const char *text, size_t len, struct cia_rd **out, cia_err *e);
void cia_rd_free(struct cia_rd *d);
/* Load the embedded definition reports/data/reports/ID.def; CIA_EUSAGE
 * listing the reports there are when there is no such report. */
int cia_rd_load(const char *id, struct cia_rd **out, cia_err *e);
/* "sentences, victims, yoy" — the embedded reports (caller frees). */
char *cia_rd_names(void);

/* ---- building --------------------------------------------------------- */

struct cia_report_req {
    const char *lang;              /* en, fr, nl */
    int year_from, year_to;
    const char *as_of;             /* YYYY-MM-DD or NULL = current */
    const char *offence;           /* THB (NULL: THB) or SMUG: what every figure
                                      of an item with an offence dimension
                                      counts, said in the title and subtitles;
                                      never the two summed (both: see
                                      cia_report_make_scoped) */
    /* For definitions with `row all` (yoy): */
    const char *const *items;      /* NULL = every item of the catalogue */
    size_t nitems;
    const char *by;                /* NULL or a dimension */
    const char *where_dim[CIA_MAX_BY];
    const char *where_codes[CIA_MAX_BY];
    int nwhere;
};

/* Where a cell's figure comes from (one per number cell). */
struct cia_report_trace {
    size_t table, row, col;
    const char *kind;              /* query, rest, share, change, change_pct */
    char *item, *by, *code, *where;/* query/rest: the query and the code looked up */
    int year;
    char *refs;                    /* derived: "r.c r.c" or "r.c+r.c/r.c" */
};

typedef struct cia_report_build {
    cia_report *report;
    struct cia_report_trace *trace;
    size_t ntrace, trace_cap;
} cia_report_build;

int cia_report_make(cia_db *db, const struct cia_rd *def, const struct cia_report_req *req,
                    cia_report_build *out, cia_err *e);
void cia_report_build_free(cia_report_build *b);

/* The trace as CSV: table,row,col,row_key,col_key,kind,item,year,by,code,
 * where,refs,value,flags (value plain, empty when not known). */
int cia_report_write_trace(FILE *fp, const cia_report_build *b, cia_err *e);

/* One delivery as the source line under a report's tables, in LANG:
 * "Police fédérale — police.csv (livraison #1, SHA-256 5f6d6b4f44b6,
 * chargée le 15 janvier 2025 à 09:00 ; années utilisées 2023–2024)";
 * loaded "2025-01-15 09:00:00", years_csv "2023,2024".  Newly allocated. */
/* "2016–2019, 2021" from "2016,2017,2018,2019,2021"; newly allocated. */
char *cia_years_text(const char *years_csv);

char *cia_delivery_source(const char *lang, const char *service, const char *file, const char *id,
                          const char *sha, const char *loaded, const char *years_csv);

/* ---- arithmetic shared by the builder (exposed for unit tests) -------- */

struct cia_rv {
    int known;          /* 0: not known */
    int undefined;      /* 1: no figure can exist (share of 0, change from 0) */
    double v;
    char flags[6];      /* subset of "upnic" (table.h) */
    long long n_unknown;  /* a lower bound's records left unknown (figures(),
                             summed with the figure); 0 for a derived one */
};

void cia_rv_flags_union(char *dst, const char *a, const char *b);
struct cia_rv cia_rv_diff(struct cia_rv later, struct cia_rv earlier);
struct cia_rv cia_rv_ratio_change(struct cia_rv later, struct cia_rv earlier);
struct cia_rv cia_rv_share(struct cia_rv num, struct cia_rv den);
struct cia_rv cia_rv_sum(struct cia_rv a, struct cia_rv b);

#endif
