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

struct cia_release_opts {
    int year;                    /* reference year */
    const char *as_of;           /* YYYY-MM-DD or NULL (current data) */
    int threshold;               /* < 0: CIA_RELEASE_THRESHOLD */
    int store;                   /* 1: store (or reuse) it; 0: compute only */
    const cia_qdef *extra;       /* a definition file being exported (not
                                    compiled in): one more output, or NULL */
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

/* `ciatteh release list|show|audit` (the caller checks the role). */
int cia_release_list(cia_db *db, FILE *out, int year, cia_err *e);
int cia_release_show(cia_db *db, FILE *out, long long id, cia_err *e);
/* The intervals of every withheld figure, one line each. */
int cia_release_print_audit(FILE *out, const cia_release *r, cia_err *e);
/* Is the connected role an administrator (0003's access model)? */
int cia_release_is_admin(cia_db *db, int *admin, cia_err *e);

#endif
