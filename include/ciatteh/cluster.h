/* cluster.h — the private PostgreSQL cluster under $CIATTEH_HOME: created
 * with initdb on first use, started with pg_ctl on a Unix socket inside
 * that directory (no TCP), run as an unprivileged user when we are root. */
#ifndef CIATTEH_CLUSTER_H
#define CIATTEH_CLUSTER_H

#include <libpq-fe.h>
#include "ciatteh/err.h"

#include "ciatteh/home.h"      /* cia_home(): the cluster lives under it */

/* libpq conninfo for the private cluster's database. Static storage. */
const char *cia_cluster_conninfo(void);
const char *cia_cluster_socket_dir(void);

int cia_cluster_init(cia_err *e);                 /* create if missing */
int cia_cluster_start(int *started, cia_err *e);  /* init + start if down */
/* The same, asking the server whether it is up rather than reading its
 * pid file: when a connection failed although the file said "ready" (a
 * server in crash recovery says so too), this waits for it. */
int cia_cluster_start_asking(int *started, cia_err *e);
int cia_cluster_stop(cia_err *e);
/* Bring pg_hba.conf (peer authentication on the socket) and the map of
 * pg_ident.conf (the cluster's own users may use every ciatteh role) up to
 * date with the roles of the server c is connected to (as the owner), and
 * reload the server when they changed. */
int cia_cluster_sync_auth(PGconn *c, cia_err *e);
/* *running = 1 when the server answers; pid of the postmaster or 0. */
int cia_cluster_status(int *running, long *pid, cia_err *e);

/* The tools of the cluster, for backups and standbys (schema/backup.c):
 * PostgreSQL's programs' folder, the data directory, running a program as
 * the server's user (output appended to logpath; *status its exit
 * status), handing a path to that user. */
const char *cia_cluster_pgbin(void);
const char *cia_cluster_data_dir(void);
int cia_cluster_exec(char *const argv[], const char *logpath, int *status, cia_err *e);
int cia_cluster_give(const char *path, cia_err *e);
/* The same, for the connection pooler (schema/pooler.c): a program run in
 * the folder cwd; a file of the server's user, mode 0600, replaced whole. */
int cia_cluster_exec_in(const char *cwd, char *const argv[], const char *logpath, int *status,
                        cia_err *e);
int cia_cluster_put_file(const char *path, const char *data, cia_err *e);
/* Does the private cluster answer? */
int cia_cluster_running(void);
/* Under the cluster's lock: stop it, move its data directory aside (its
 * new name in aside, "" when there was none) and put staging in its place. */
int cia_cluster_swap_data(const char *staging, char *aside, size_t asidesz, cia_err *e);

/* schema/backup.c — no data lost with the disk (see docs/RELIABILITY.md).
 * archive: continuous WAL archiving of the private cluster into dir
 * (restarts the server when archiving was off).  backup: a base backup
 * (pg_basebackup, WAL included) into dir, which must be new or empty.
 * restore: the private cluster replaced by the backup in dir (the old data
 * directory kept aside), replayed from the archive up to `until` (a
 * timestamp; NULL: as far as the archive goes).  standby: a streaming hot
 * standby of the private cluster in dir (created on first use), started;
 * its socket is in dir. */
int cia_cluster_archive(const char *dir, cia_err *e);
int cia_cluster_backup(const char *dir, cia_err *e);
int cia_cluster_restore(const char *dir, const char *until, const char *archive, cia_err *e);
int cia_cluster_standby(const char *dir, cia_err *e);

#endif
