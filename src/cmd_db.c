/* cmd_db.c — `ciatteh db init|start|stop|status|psql`: the database's life. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ciatteh/cli.h"
#include "ciatteh/cluster.h"
#include "ciatteh/db.h"
#include "ciatteh/util.h"

static int db_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    if (argc != 2) return cia_cmd_usage_error(e, "db", "expected one action");
    const char *act = argv[1];
    int priv, rc;
    char *target = cia_db_target(ctx->db, &priv);
    cia_db db;
    if (!strcmp(act, "init")) {
        if ((rc = cia_db_open(&db, ctx->db, e)) == CIA_OK) {
            int v;
            if ((rc = cia_schema_version_db(&db, &v, e)) == CIA_OK)
                printf("database ready, schema version %d%s%s\n", v,
                       priv ? ", private cluster in " : "", priv ? cia_cluster_socket_dir() : "");
            cia_db_close(&db);
        }
    } else if (!strcmp(act, "start")) {
        if (!priv) rc = cia_fail(e, CIA_EUSAGE, "db start: a server is configured (--db, CIATTEH_DB "
                                 "or PG* variables); start/stop manage only the private cluster");
        else {
            int started = 0;
            rc = cia_cluster_start(&started, e);
            if (!rc) printf("%s: private cluster in %s\n", started ? "started" : "already running",
                            cia_cluster_socket_dir());
        }
    } else if (!strcmp(act, "stop")) {
        if (!priv) rc = cia_fail(e, CIA_EUSAGE, "db stop: manages only the private cluster");
        else if (!(rc = cia_cluster_stop(e))) printf("stopped\n");
    } else if (!strcmp(act, "status")) {
        if (priv) {
            int running;
            long pid;
            rc = cia_cluster_status(&running, &pid, e);
            if (!rc && running)
                printf("running: private cluster, pid %ld, socket in %s\n", pid, cia_cluster_socket_dir());
            else if (!rc) {
                printf("stopped: private cluster in %s\n", cia_cluster_socket_dir());
                rc = CIA_EUNAVAIL;
                cia_err_clear(e);
            }
        } else if ((rc = cia_db_open_nomigrate(&db, ctx->db, e)) == CIA_OK) {
            int v = 0;
            rc = cia_schema_version_db(&db, &v, e);
            if (!rc) printf("running: %s, database %s, schema version %d\n",
                            PQhost(db.conn), PQdb(db.conn), v);
            cia_db_close(&db);
        }
    } else if (!strcmp(act, "psql")) {
        if (priv && (rc = cia_cluster_start(NULL, e))) goto out;
        free(target);
        target = cia_db_target(ctx->db, &priv);
        fflush(stdout);
        execlp("psql", "psql", target, (char *)NULL);
        rc = cia_fail(e, CIA_EUNAVAIL, "cannot run psql (is postgresql-client installed?)");
    } else {
        rc = cia_cmd_usage_error(e, "db", "unknown action '%s'", act);
    }
out:
    free(target);
    return rc;
}

const struct cia_cmd cia_cmd_db = {
    "db", db_main, "manage the database (init, start, stop, status, psql)",
    "usage: ciatteh db init|start|stop|status|psql\n"
    "\n"
    "  init    create the private cluster if needed, start it, apply migrations\n"
    "  start   start the private cluster (every command does this when needed)\n"
    "  stop    stop the private cluster\n"
    "  status  say whether the server runs (exit 69 when it does not)\n"
    "  psql    open an interactive psql on the database\n"
    "\n"
    "With no connection configured, the private cluster lives in $CIATTEH_HOME\n"
    "(default ~/.local/share/ciatteh; /var/lib/ciatteh as root), listens only on\n"
    "a Unix socket in $CIATTEH_HOME/pg and, when run as root, runs as `postgres`.\n",
};
