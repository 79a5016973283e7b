/* cluster.h — the private PostgreSQL cluster under $CIATTEH_HOME: created
 * with initdb on first use, started with pg_ctl on a Unix socket inside
 * that directory (no TCP), run as an unprivileged user when we are root. */
#ifndef CIATTEH_CLUSTER_H
#define CIATTEH_CLUSTER_H

#include <libpq-fe.h>
#include "ciatteh/err.h"

/* $CIATTEH_HOME, else /var/lib/ciatteh for root, else
 * $XDG_DATA_HOME/ciatteh or ~/.local/share/ciatteh.  Static storage. */
const char *cia_home(void);

/* libpq conninfo for the private cluster's database. Static storage. */
const char *cia_cluster_conninfo(void);
const char *cia_cluster_socket_dir(void);

int cia_cluster_init(cia_err *e);                 /* create if missing */
int cia_cluster_start(int *started, cia_err *e);  /* init + start if down */
int cia_cluster_stop(cia_err *e);
/* Bring pg_hba.conf (peer authentication on the socket) and the map of
 * pg_ident.conf (the cluster's own users may use every ciatteh role) up to
 * date with the roles of the server c is connected to (as the owner), and
 * reload the server when they changed. */
int cia_cluster_sync_auth(PGconn *c, cia_err *e);
/* *running = 1 when the server answers; pid of the postmaster or 0. */
int cia_cluster_status(int *running, long *pid, cia_err *e);

#endif
