/* release.h — a release: everything that leaves the warehouse for one
 * reference year at one moment (the answers to every compiled-in
 * questionnaire: Eurostat, GRETA, TIP) under ONE disclosure-control
 * pattern, computed over all of their figures together (a figure in two
 * outputs is one figure) and stored (schema/0010_release.sql), so that no
 * output reveals what another withholds.
 *
 * Building a release reads every questionnaire's figures through the
 * query layer, adds what earlier releases of the same years published (an
 * outsider knows it; it stays published) or withheld (it stays withheld),
 * runs primary and secondary suppression (disclosure.h) and stores the
 * pattern — or reuses the last release when the data and the pattern are
 * the same.  Before any output is written the caller runs the attack
 * (cia_release_audit): every withheld figure's interval must hold `width`
 * (3) values, or nothing is written. */
#ifndef CIATTEH_RELEASE_H
#define CIATTEH_RELEASE_H

#include <stdio.h>
#include "ciatteh/db.h"
#include "ciatteh/disclosure.h"
#include "ciatteh/questionnaire.h"

#define CIA_RELEASE_THRESHOLD 3

/* One figure of an output that is not a questionnaire (the biennial
 * pack's tables and charts): its box, as disclosure.h describes boxes. */
typedef struct cia_rbox {
    char *item;
    int year;
    int nd;
    char *dim[CIA_SDC_MAXD], *codes[CIA_SDC_MAXD];
    int known;
    long long value;
    int sensitive;               /* counts persons or documents */
    char *label;                 /* where it appears: "pack victims_by_sex" */
} cia_rbox;

typedef struct cia_rboxes {
    cia_rbox *v;
    size_t n, cap;
} cia_rboxes;
void cia_rboxes_free(cia_rboxes *b);

struct cia_release_opts {
    int year;                    /* reference year */
    const char *as_of;           /* YYYY-MM-DD or NULL (current data) */
    int threshold;               /* < 0: CIA_RELEASE_THRESHOLD */
    int store;                   /* 1: store (or reuse) it; 0: compute only */
    const cia_qdef *extra;       /* a definition file being exported (not
                                    compiled in): one more output, or NULL */
    const cia_rboxes *boxes;     /* figures of another output (those of
                                    o->year count), or NULL */
    const char *boxes_output;    /* its name in the release ("pack") */
    int boxes_only;              /* the questionnaires left out: a year the
                                    pack shows only in its trend chart (an
                                    export of that year later keeps what
                                    this release publishes) */
};

struct rsrc;

typedef struct cia_release {
    long long id;                /* stored id; 0 when not stored */
    int reused;                  /* the pattern of an existing release */
    int year, threshold;
    char *as_of;                 /* or NULL */
    char *data_as_of;            /* timestamptz text */
    char *deliveries;            /* "1,4,7" */
    char *outputs;               /* "eurostat,greta,tip" */
    cia_sdc sdc;                 /* every figure; statuses = the pattern */
    struct rsrc *src;
    size_t n_fixed;              /* figures fixed by earlier releases */
    size_t n_withheld;
} cia_release;

/* Build (and with o->store, store or reuse) the release for o->year. */
int cia_release_make(cia_db *db, const struct cia_release_opts *o, cia_release **out, cia_err *e);
/* Store r, or take the id of the last release of its year with the same
 * deliveries, outputs and pattern (r->reused).  cia_release_make does it
 * with o->store; the pack stores its releases only once its snapshot's
 * transaction is over. */
int cia_release_store(cia_db *db, cia_release *r, cia_err *e);
/* A stored release as it was: its figures, pattern and published values
 * (the values withheld read again as of its data moment, for the attack
 * only the published ones matter). */
int cia_release_load(cia_db *db, long long id, cia_release **out, cia_err *e);
void cia_release_free(cia_release *r);

/* Publish a's cells by the release's pattern (a computed raw, for the
 * release's year and as-of).  CIA_EINTERNAL when a cell is not a figure
 * of the release. */
int cia_release_apply(cia_release *r, cia_qanswers *a, cia_err *e);

/* The attack over every figure the release and the earlier ones publish;
 * CIA_EDATA naming the first withheld figure an outsider can narrow to
 * fewer than `width` values. */
int cia_release_audit(cia_release *r, cia_err *e);

/* ---- report tables, charts and query rows (reports/release/release_tables.c) ----
 *
 * Every number cell of a report build is read from one box (its trace,
 * report.h) or derived from such cells (changes, shares).  The boxes are
 * collected as figures of a release (the pack's tables join the
 * questionnaires'), and a release's pattern is applied back: a cell
 * whose box is withheld gets flag c (no value), and so does every cell
 * derived from a withheld one.  Counts of persons and documents are
 * subject to the threshold (CIA_RELEASE_PROTECT). */
#define CIA_RELEASE_PROTECT "persons,documents"

struct cia_report_build;
struct cia_query;
struct cia_qresult;
typedef struct cia_rtables cia_rtables;
int cia_rtables_new(cia_db *db, const char *as_of, cia_rtables **out, cia_err *e);
void cia_rtables_free(cia_rtables *t);
/* The boxes of b's cells, labelled "LABEL TABLE_ID", appended to out. */
int cia_rtables_collect(cia_rtables *t, const struct cia_report_build *b, const char *label,
                        cia_rboxes *out, cia_err *e);
/* Apply the releases rel[0..nrel) (their years) to b's tables.  strict:
 * a cell of a release's year whose box is not in it is CIA_EINTERNAL (the
 * pack: every box was collected); otherwise such a cell, and every cell
 * of a year no release covers, is withheld (it was never protected).
 * *nwithheld (may be NULL): cells withheld. */
int cia_rtables_apply(cia_rtables *t, struct cia_report_build *b, cia_release *const *rel, size_t nrel,
                      int strict, size_t *nwithheld, cia_err *e);
/* The same for the rows of a query (flag c, no value). */
int cia_rtables_apply_query(cia_rtables *t, const struct cia_query *q, struct cia_qresult *res,
                            cia_release *const *rel, size_t nrel, size_t *nwithheld, cia_err *e);

/* --release ID[,ID...] of `query`, `report` and `chart`: stored releases
 * (one per year) whose pattern the figures get; a figure of a year none
 * of them covers, or not among their figures, is withheld too (it was
 * never protected). */
typedef struct cia_release_set {
    cia_release **rel;
    size_t n;
    cia_rtables *rt;
} cia_release_set;
int cia_release_set_load(cia_db *db, const char *ids, const char *as_of, cia_release_set *out, cia_err *e);
void cia_release_set_free(cia_release_set *s);
/* `query --release IDS`: the set loaded (as of q->as_of), applied to the
 * query's rows, freed. */
int cia_release_set_apply_query(cia_db *db, const char *ids, const struct cia_query *q,
                                struct cia_qresult *res, cia_err *e);
/* Apply the set to a report build (arg: the set): the `figures` hook of a
 * chart request (chart_data.h), and what `report --release` does. */
int cia_release_set_figures(void *arg, struct cia_report_build *b, cia_err *e);

/* `ciatteh release list|show|audit` (the caller checks the role). */
int cia_release_list(cia_db *db, FILE *out, int year, cia_err *e);
int cia_release_show(cia_db *db, FILE *out, long long id, cia_err *e);
/* The intervals of every withheld figure, one line each. */
int cia_release_print_audit(FILE *out, const cia_release *r, cia_err *e);
/* Is the connected role an administrator (0003's access model)? */
int cia_release_is_admin(cia_db *db, int *admin, cia_err *e);

#endif
