/* pooler.h — PgBouncer in front of the private cluster (schema/pooler.c):
 * a few server connections kept open so that a new `ciatteh query` gets a
 * backend whose caches are already warm (BENCHMARKS.md, ninth round). */
#ifndef CIATTEH_POOLER_H
#define CIATTEH_POOLER_H

#include <libpq-fe.h>
#include "ciatteh/err.h"

/* 1 when a pooler should run beside the private cluster: pgbouncer is
 * installed (CIATTEH_PGBOUNCER, default /usr/sbin/pgbouncer) and
 * CIATTEH_POOLER is not "off". */
int cia_pooler_wanted(void);
/* 1 when the pooler of this home runs. */
int cia_pooler_alive(void);
/* Start it when it does not run (the caller holds the cluster's lock and
 * the cluster is up).  Best effort: a pooler that does not start leaves
 * every connection direct, and says why on stderr. */
void cia_pooler_start(void);
/* Stop it and wait for it to be gone (the caller holds the cluster's
 * lock): its server connections close with it. */
void cia_pooler_stop(void);
/* A connection through the pooler when conninfo names the private
 * cluster's socket, as its owner role, and the pooler answers; else NULL
 * (the caller connects directly).  Encoding asked as cia_db_open does. */
PGconn *cia_pooler_connect(const char *conninfo);

#endif
