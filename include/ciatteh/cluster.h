/* cluster.h — the private PostgreSQL cluster under $CIATTEH_HOME: created
 * with initdb on first use, started with pg_ctl on a Unix socket inside
 * that directory (no TCP), run as an unprivileged user when we are root. */
#ifndef CIATTEH_CLUSTER_H
#define CIATTEH_CLUSTER_H

#include "ciatteh/err.h"

#include "ciatteh/home.h"      /* cia_home(): the cluster lives under it */

/* libpq conninfo for the private cluster's database. Static storage. */
const char *cia_cluster_conninfo(void);
const char *cia_cluster_socket_dir(void);

int cia_cluster_init(cia_err *e);                 /* create if missing */
int cia_cluster_start(int *started, cia_err *e);  /* init + start if down */
int cia_cluster_stop(cia_err *e);
/* *running = 1 when the server answers; pid of the postmaster or 0. */
int cia_cluster_status(int *running, long *pid, cia_err *e);

#endif
