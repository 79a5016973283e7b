/* suppress.h — the solver behind disclosure control, over GLPK.  One
 * group of counts (one item and one year) is a set of *atoms*, the finest
 * cells every published figure is a sum of, whose values an outsider sees
 * as unknown non-negative integers, and a set of *cells*, each a 0/1 sum
 * of atoms.  Two operations:
 *
 *  - the attack (cia_sup_audit): for every withheld cell, the smallest and
 *    largest value it can take given every published cell, by integer
 *    programming (glp_intopt) — what sdcTable's attack() does;
 *  - the choice of complementary cells (cia_sup_protect): while some
 *    withheld cell's interval holds fewer than `width` values, a
 *    mixed-integer program picks the cheapest set of further cells to
 *    withhold so that two data sets agreeing on every published cell give
 *    that cell values `width - 1` apart; then the attack runs again.
 *
 * The module knows nothing of items, boxes or the database: disclosure.c
 * turns figures into this matrix form. */
#ifndef CIATTEH_SUPPRESS_H
#define CIATTEH_SUPPRESS_H

#include <stddef.h>
#include "ciatteh/err.h"

/* A cell's freedom: an earlier release of the same year fixes it. */
enum cia_sup_fixed {
    CIA_SUP_FREE = 0,
    CIA_SUP_KEEP_SHOWN = 1,      /* published before: an outsider knows it */
    CIA_SUP_KEEP_WITHHELD = 2,   /* withheld before: stays withheld */
};

#define CIA_SUP_UNBOUNDED ((long long)1 << 62)
#define CIA_SUP_MIP_NODES 2000

typedef struct cia_sup {
    size_t natoms;
    const long long *atom;       /* true value of each atom (>= 0) */
    size_t ncells;
    const unsigned char *member; /* ncells * natoms: cell holds atom */
    const signed char *link;     /* nlinks * natoms: coefficients of equations
                                    (= 0) an outsider knows besides the cells */
    size_t nlinks;
    const long long *value;      /* true value of each cell (sum of its atoms) */
    const unsigned char *can_hide;  /* 0: never withheld (a figure not known) */
    const unsigned char *fixed;  /* enum cia_sup_fixed, per cell (NULL: all free) */
    const double *cost;          /* cost of withholding each cell */
    unsigned char *withheld;     /* in/out: 1 = withheld */
    long long *lo, *hi;          /* out (audit): interval of each withheld cell;
                                    hi = CIA_SUP_UNBOUNDED when no upper bound */
    const char *(*name)(void *arg, size_t cell);   /* for messages */
    void *arg;
    int mip_nodes;               /* branch-and-bound nodes one choice MIP may
                                    explore (0: CIA_SUP_MIP_NODES); a count,
                                    not a time, so that the pattern does not
                                    depend on how busy the machine is */
    size_t n_mip, n_ilp;         /* out: programs solved */
} cia_sup;

/* Fill lo/hi of every withheld cell; *narrow = how many hold fewer than
 * width values (hi - lo < width - 1). */
int cia_sup_audit(cia_sup *g, int width, size_t *narrow, cia_err *e);

/* Withhold further cells until the audit finds no narrow interval; ends
 * with lo/hi filled.  CIA_EDATA naming the cell when a withheld cell
 * cannot be protected (its value is pinned by cells that must stay
 * published). */
int cia_sup_protect(cia_sup *g, int width, cia_err *e);

#endif
