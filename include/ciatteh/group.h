/* group.h — the item groups of a delivery, counted on the client while
 * the loader streams the records (etl/group.c), so that the server never
 * reads the records again to derive the items.
 *
 * The spec's group, sum and lag lines (see spec.h) say what a group is.
 * The group table of a service is SERVICE_group, with the columns, in
 * this order:
 *   delivery_id bigint, scope text, dyear integer,
 *   each group COLUMN in spec order (text, boolean or integer),
 *   n bigint,
 *   each sum: COLUMN bigint, COLUMN_known bigint.
 * scope is the value of the spec's scope field ('' when the spec has no
 * scope or the value is not known, never NULL); dyear is the year of the
 * primary field (a date's yyyymmdd / 10000, or a year field's value), the
 * delivery year of the record.  A sum is NULL when no value of the group
 * was known; COLUMN_known counts the known ones.
 *
 * Memory stays flat: when the groups pass the memory budget they are
 * written, already in COPY binary form, to a temporary file and counting
 * starts again.  One combination may therefore appear in several rows of
 * one delivery; readers of the table always sum(n) and sum the sums.
 *
 * Errors: temporary-file trouble (cannot create, write or read back; disk
 * full) is CIA_ECANTCREAT; a sum past bigint is CIA_EDATA; a non-zero
 * return of the output callback is returned as is. */
#ifndef CIATTEH_GROUP_H
#define CIATTEH_GROUP_H

#include <stddef.h>
#include "ciatteh/err.h"
#include "ciatteh/spec.h"
#include "ciatteh/util.h"

struct cia_val;
typedef struct cia_groups cia_groups;

/* *out = NULL and CIA_OK when the spec declares no group, sum or lag;
 * with a lag line alone, the object counts the delay and has no table
 * (cia_groups_has_table).
 * mem_budget: bytes the group table may use before it spills (the
 * largest power-of-two table that fits, 2 entries at least; the text
 * dictionaries, about 4 KB per text column plus its distinct values, come
 * on top).  A text column may hold 65535 distinct values (CIA_EDATA
 * beyond: code lists and countries are far below). */
int cia_groups_new(cia_groups **out, const cia_spec *s, size_t mem_budget, cia_err *e);
void cia_groups_free(cia_groups *g);

/* One valid record: vals indexed by spec field, as the validator left them
 * (known, text, num).  May spill to the temporary file. */
int cia_groups_add(cia_groups *g, const struct cia_val *vals, cia_err *e);

/* COPY "SERVICE_group" (delivery_id, scope, dyear, "col"..., n, "sum",
 * "sum_known"...) FROM STDIN (FORMAT binary); malloc'd. */
char *cia_groups_copy_sql(const cia_groups *g);

/* Every column of the table, delivery_id first, with its type as
 * PostgreSQL's format_type() names it: bigint, text, integer, boolean. */
size_t cia_groups_ncols(const cia_groups *g);
const char *cia_groups_col_name(const cia_groups *g, size_t i);
const char *cia_groups_col_type(const cia_groups *g, size_t i);

/* The whole COPY binary stream: header, the spilled rows, then one row
 * per group in memory, trailer.  out() gets chunks of about 256 KB; a
 * non-zero return stops the copy and is returned.  May be called again
 * (the groups are not consumed). */
typedef int (*cia_groups_out_fn)(const void *buf, size_t len, void *arg);
int cia_groups_copy_out(cia_groups *g, long long delivery_id, cia_groups_out_fn out, void *arg, cia_err *e);

/* Rows copy_out writes (spilled + in memory), and of them the spilled. */
long long cia_groups_rows(const cia_groups *g);
/* 1 when the spec declares group or sum lines: a SERVICE_group table. */
int cia_groups_has_table(const cia_groups *g);
long long cia_groups_spilled(const cia_groups *g);

/* 1 when the spec has a lag line and at least one record had both dates:
 * *newest_ymd = the newest lag FIELD date (yyyymmdd) among those records,
 * *p95_days = percentile_disc(0.95) of the days from FROM_FIELD to FIELD
 * (the smallest day count whose cumulative count reaches
 * ceil(0.95 * N)).  0 otherwise, outputs untouched. */
int cia_groups_lag(const cia_groups *g, int *newest_ymd, int *p95_days);

/* etl/group_sql.c: the spec's group table (CREATE TABLE IF NOT EXISTS)
 * and group_SERVICE(d) (CREATE OR REPLACE FUNCTION), appended to out;
 * nothing for a spec without a group table.  _all: every embedded spec,
 * the text of schema/groups.sql. */
int cia_groups_sql(const cia_spec *s, cia_buf *out, cia_err *e);
int cia_groups_sql_all(cia_buf *out, cia_err *e);

#endif
