/* disclosure.h — statistical disclosure control for anything that leaves
 * the warehouse: small counts of persons withheld (primary suppression),
 * and enough other figures withheld that an outsider holding every
 * published figure cannot narrow any withheld one to fewer than `width`
 * (3) possible values (secondary suppression).  docs/QUESTIONNAIRES.md,
 * "Disclosure control", describes the model; in short:
 *
 *  - every published figure is a *variable*: an item, a year and a box of
 *    codes (dimension → set of codes, no entry = all codes).  Figures with
 *    the same box are one variable, whatever output they appear in;
 *  - the boxes of one item and year are cut into *atoms*, the coarsest
 *    cells every box is a union of, valued from the finest counts; an
 *    outsider sees each atom as an unknown non-negative integer;
 *  - primary: a sensitive variable whose value is 1..threshold;
 *  - secondary: integer programs (GLPK, suppress.h) choose the cheapest
 *    further variables to withhold, and attack the result (min and max of
 *    each withheld variable over all published ones), until every interval
 *    holds `width` values.  A zero may be withheld as a complement; the
 *    attacker is told so (a withheld figure is only known to be >= 0).
 *
 * A variable may be fixed by an earlier release of the same year (kept
 * published, kept withheld): see release.h.
 *
 * The module knows nothing of questionnaires or the database: the caller
 * passes the code lists and the finest counts through cia_sdc_source. */
#ifndef CIATTEH_DISCLOSURE_H
#define CIATTEH_DISCLOSURE_H

#include <stddef.h>
#include "ciatteh/err.h"
#include "ciatteh/map.h"
#include "ciatteh/suppress.h"
#include "ciatteh/util.h"

#define CIA_SDC_MAXD 8

enum cia_sdc_status { CIA_SDC_SHOWN = 0, CIA_SDC_PRIMARY = 1, CIA_SDC_SECONDARY = 2 };

typedef struct cia_sdc_var {
    char *item;
    int year;
    int nd;                          /* filters, sorted by dimension */
    char *dim[CIA_SDC_MAXD];
    char *codes[CIA_SDC_MAXD];       /* "F" or "BEG,CRIM,OTH" (sorted) */
    int known;                       /* 0: not known (never withheld) */
    long long value;
    int sensitive;                   /* counts persons: subject to the threshold */
    int status;                      /* enum cia_sdc_status, set by cia_sdc_protect */
    int fixed;                       /* enum cia_sup_fixed: set by an earlier release */
    long long lo, hi;                /* withheld: the outsider's interval (audit);
                                        hi = CIA_SUP_UNBOUNDED when unbounded */
    char *label;                     /* for messages: where the figure appears */
    /* fixed by earlier releases that agree on it (release.c): the value
     * they published (KEEP_SHOWN), or the interval their attack found
     * (KEEP_WITHHELD) */
    int prev;
    long long prev_value, prev_lo, prev_hi;
    int revised;                     /* published before with another value
                                        (cia_sdc_protect): may be withheld now */
} cia_sdc_var;

/* The finest counts of one item and year, by the dimensions asked. */
typedef struct cia_sdc_fine {
    size_t n, cap;
    int nd;
    char **codes;                    /* n * nd codes, row-major */
    long long *value;                /* known part of each count */
} cia_sdc_fine;
void cia_sdc_fine_add(cia_sdc_fine *f, const char *const *codes, long long value);
void cia_sdc_fine_free(cia_sdc_fine *f);

typedef struct cia_sdc_source {
    void *arg;
    /* Every code of a dimension (UNK included); NULL when the list is open
     * (nationality: any country). */
    const cia_strv *(*codes)(void *arg, const char *dim);
    /* Counts of item in year by dims (codes as the records have them),
     * restricted to the codes in wcodes[i] ("A,B") for wdims[i]. */
    int (*fine)(void *arg, const char *item, int year, const char *const *dims, int nd,
                const char *const *wdims, const char *const *wcodes, int nw,
                cia_sdc_fine *out, cia_err *e);
} cia_sdc_source;

typedef struct cia_sdc {
    cia_sdc_var *v;
    size_t n, cap;
    const cia_sdc_source *src;
    cia_map byspec;                  /* normalised box → index + 1 */
    size_t n_primary, n_secondary;
    int width;                       /* values an interval must hold (default 3) */
    size_t n_ilp, n_mip;             /* integer programs solved */
    size_t n_narrow;                 /* after cia_sdc_audit: intervals too narrow */
    int reuse_fixed;                 /* a group every figure of which is fixed as
                                        before, with the values published before,
                                        is the group the earlier release audited:
                                        its intervals are taken, not recomputed */
    int audited;                     /* set by cia_sdc_protect: the statuses are
                                        those its last attack found safe */
} cia_sdc;

void cia_sdc_init(cia_sdc *s, const cia_sdc_source *src);
void cia_sdc_free(cia_sdc *s);

/* Add a figure; returns its variable index.  Filters are normalised
 * (sorted, duplicates dropped, a filter naming every code of a closed list
 * dropped), so the same box added twice gives the same index.  A second
 * figure of the same box with another value is a bug in the caller:
 * CIA_EINTERNAL. */
int cia_sdc_add(cia_sdc *s, const char *item, int year, int nd, const char *const *dims,
                const char *const *codes, int known, long long value, int sensitive,
                size_t *index, cia_err *e);

/* Where the figure appears, for messages (the first label given stays). */
void cia_sdc_label(cia_sdc *s, size_t index, const char *label);

/* Withhold: primary (sensitive, 1 <= value <= threshold, or fixed
 * withheld), then secondary until the attack finds no interval narrower
 * than s->width values; ends with every withheld variable's lo/hi set.
 * threshold 0 and nothing fixed: nothing withheld.  A figure published by
 * an earlier release that is now a small count is withheld (and no longer
 * fixed).  CIA_EDATA naming the figure when one cannot be protected. */
int cia_sdc_protect(cia_sdc *s, int threshold, cia_err *e);

/* The attack alone, on the statuses as they are: lo/hi of every withheld
 * variable, s->n_narrow set. */
int cia_sdc_audit(cia_sdc *s, cia_err *e);

/* Variable i's filters as text, "dim=CODE,CODE dim=CODE" (sorted by
 * dimension; "" for none), and the variable of a stored box (item, year,
 * that text): CIA_OK and *index, or -1 when the box is not there. */
char *cia_sdc_filters(const cia_sdc *s, size_t i);
int cia_sdc_find(const cia_sdc *s, const char *item, int year, const char *filters, size_t *index);
/* Whether s (NULL: no pattern) withholds any figure of item in year.  A
 * lower bound's count of records left unknown adds up over the figures
 * of one item and year as their values do; where one of them is
 * withheld, the counts beside the others would uncover its count (that
 * it holds records at all), so outputs publish them only where this is
 * 0 (questionnaire.c, release_tables.c). */
int cia_sdc_item_withheld(const cia_sdc *s, const char *item, int year);
/* cia_sdc_add for a stored box: its filters as that text. */
int cia_sdc_add_stored(cia_sdc *s, const char *item, int year, const char *filters, int known,
                       long long value, size_t *index, cia_err *e);

/* "item year dim=codes ..." of variable i (caller frees). */
char *cia_sdc_describe(const cia_sdc *s, size_t i);

#endif
