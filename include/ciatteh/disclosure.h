/* disclosure.h — statistical disclosure control for anything sent out:
 * small counts of persons withheld (primary suppression) and enough other
 * figures withheld that none of them can be recomputed from what is
 * published (secondary suppression).  docs/QUESTIONNAIRES.md,
 * "Disclosure control", describes the algorithm; in short:
 *
 *  - every published figure is a *variable*: an item, a year and a box of
 *    codes (dimension → set of codes, no entry = all codes).  Figures with
 *    the same box are one variable, whatever table they appear in;
 *  - primary: a sensitive variable whose value is 1..threshold;
 *  - secondary, classic part: for a withheld variable w and each published
 *    "parent" P (the same box but a wider code set in one dimension), if
 *    no other part of P is withheld, the smallest non-zero part of P (or
 *    P itself) is withheld too; repeated to a fixed point over all tables;
 *  - secondary, audit: the boxes are cut into atoms (the coarsest cells
 *    every box is a union of); each withheld variable's atom vector must
 *    not lie in the span of the published ones (exact linear algebra over
 *    GF(2^61-1)), taking as known zero the atoms of every published zero
 *    and of codes no figure names whose count is zero; and no row or
 *    column may have withheld parts that add up to their number (each
 *    would then be 1, since zeros are shown).  Each failure withholds one
 *    more figure and the whole check runs again.
 *
 * The module knows nothing of questionnaires or the database: the caller
 * passes the code lists and the finest counts through cia_sdc_source. */
#ifndef CIATTEH_DISCLOSURE_H
#define CIATTEH_DISCLOSURE_H

#include <stddef.h>
#include "ciatteh/err.h"
#include "ciatteh/map.h"
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
    int rounds;                      /* audit rounds run */
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

/* Withhold: primary (sensitive, 1 <= value <= threshold), then secondary
 * until no withheld figure can be recomputed.  threshold 0: nothing. */
int cia_sdc_protect(cia_sdc *s, int threshold, cia_err *e);

/* After cia_sdc_protect: is variable i's value determined by the published
 * ones (linear equations)?  For tests and the audit itself. */
int cia_sdc_determined(cia_sdc *s, size_t i, int *determined, cia_err *e);

#endif
