/* query.h — the figure layer, the only door to the figures: item facts,
 * summed over the deliveries current at a moment, by year and any of the
 * item's dimensions, with the state of each (flags u p n i, table.h).  A
 * row for every year asked: a delivered year without records is a row
 * with no codes and value 0, a year not delivered (n) or incomplete (i)
 * one row with no codes and no value.  Items with an offence dimension
 * count THB unless offence is in --by or --where.  The `ciatteh query`
 * contract of ITEMS.md, and what every report, chart, check, pack table
 * and questionnaire answer reads. */
#ifndef CIATTEH_QUERY_H
#define CIATTEH_QUERY_H

#include "ciatteh/db.h"
#include "ciatteh/util.h"

#define CIA_MAX_BY 8

struct cia_query {
    const char *item;
    int year_from, year_to;        /* 0 = no bound */
    const char *by[CIA_MAX_BY];    /* dimension codes, in output order */
    int nby;
    const char *where_dim[CIA_MAX_BY];
    const char *where_codes[CIA_MAX_BY];   /* "SEX" or "SEX,LAB" */
    int nwhere;
    const char *as_of;             /* "YYYY-MM-DD" (end of that day, Brussels) or NULL */
};

struct cia_qrow {
    int year;
    char *dims[CIA_MAX_BY];
    int known;                     /* 0: no value (not known, or flag n/i) */
    long long value;
    long long n_records, n_unknown;
    char flags[6];                 /* subset of "upni" (table.h): u lower
                                      bound, p provisional, n not
                                      delivered, i incomplete year */
};

struct cia_qresult {
    struct cia_qrow *rows;
    size_t n;
    int nby;
};

/* Checks the item and dimensions against the catalogue (CIA_EUSAGE with
 * what is accepted), then runs one parameterised statement. */
int cia_query_run(cia_db *db, const struct cia_query *q, struct cia_qresult *out, cia_err *e);
void cia_qresult_free(struct cia_qresult *r);

/* Write the contract's CSV (header, rows) to fp. */
int cia_query_write_csv(FILE *fp, const struct cia_query *q, const struct cia_qresult *r, cia_err *e);

/* Validate an --as-of value: a real date written YYYY-MM-DD (a future
 * date simply means "current"); CIA_EUSAGE if malformed. */
int cia_check_as_of(const char *as_of, cia_err *e);

#endif
