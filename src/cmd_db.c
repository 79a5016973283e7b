/* cmd_db.c — `ciatteh db init|start|stop|status|psql|backup|restore|standby`:
 * the database's life. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ciatteh/cli.h"
#include "ciatteh/cluster.h"
#include "ciatteh/pooler.h"
#include "ciatteh/db.h"
#include "ciatteh/util.h"

/* Backups, restores and standbys: the private cluster's (a configured
 * server has its own administrator and tools). */
static int backup_action(const char *act, int argc, char **argv, int priv, cia_err *e)
{
    static const struct option opts[] = {
        {"until", required_argument, NULL, 'u'},
        {"archive", required_argument, NULL, 'a'},
        {NULL, 0, NULL, 0},
    };
    const char *until = NULL, *archive = NULL;
    int c;
    argc--;     /* from the action on */
    argv++;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'u' && !strcmp(act, "restore")) until = optarg;
        else if (c == 'a' && !strcmp(act, "restore")) archive = optarg;
        else return cia_cmd_usage_error(e, "db", "%s: unknown option", act);
    }
    if (argc - optind != 1) return cia_cmd_usage_error(e, "db", "%s: expected one folder", act);
    const char *dir = argv[optind];
    if (!priv)
        return cia_fail(e, CIA_EUSAGE, "db %s: a server is configured (--db, CIATTEH_DB or PG* "
                        "variables); this manages only the private cluster (use pg_basebackup there)", act);
    int rc;
    if (!strcmp(act, "backup")) {
        if (!(rc = cia_cluster_backup(dir, e))) printf("base backup in %s\n", dir);
    } else if (!strcmp(act, "restore")) {
        if (!(rc = cia_cluster_restore(dir, until, archive, e)))
            printf("restored from %s%s%s; private cluster in %s\n", dir, until ? " up to " : "",
                   until ? until : "", cia_cluster_socket_dir());
    } else {
        if (!(rc = cia_cluster_standby(dir, e)))
            printf("standby running in %s; read from it with --db \"host=%s dbname=ciatteh\"\n", dir, dir);
    }
    return rc;
}

static int db_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    if (argc < 2) return cia_cmd_usage_error(e, "db", "expected one action");
    const char *act = argv[1];
    int priv, rc;
    char *target = cia_db_target(ctx->db, &priv);
    if (!strcmp(act, "backup") || !strcmp(act, "restore") || !strcmp(act, "standby")) {
        rc = backup_action(act, argc, argv, priv, e);
        free(target);
        return rc;
    }
    const char *archive = NULL;
    if (argc == 4 && !strcmp(act, "init") && !strcmp(argv[2], "--archive")) archive = argv[3];
    else if (argc == 3 && !strcmp(act, "init") && !strncmp(argv[2], "--archive=", 10)) archive = argv[2] + 10;
    else if (argc != 2) {
        free(target);
        return cia_cmd_usage_error(e, "db", "expected one action");
    }
    if (archive && !priv) {
        free(target);
        return cia_fail(e, CIA_EUSAGE, "db init --archive: a server is configured; archiving is "
                        "set up for the private cluster only");
    }
    cia_db db;
    if (!strcmp(act, "init")) {
        if ((rc = cia_db_open(&db, ctx->db, e)) == CIA_OK && archive) {
            cia_db_close(&db);
            if ((rc = cia_cluster_archive(archive, e)) == CIA_OK)
                rc = cia_db_open(&db, ctx->db, e);
            if (rc == CIA_OK) printf("WAL archived into %s\n", archive);
        }
        if (rc == CIA_OK) {
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
            if (!rc && running) {
                printf("running: private cluster, pid %ld, socket in %s\n", pid, cia_cluster_socket_dir());
                printf("pooler: %s\n", cia_pooler_alive() ? "running (query, report, chart and check connect through it)"
                                      : "not running (every connection is direct)");
            } else if (!rc) {
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
    "db", db_main, "manage the database (init, start, stop, status, psql, backup, restore, standby)",
    "usage: ciatteh db init [--archive DIR] | start | stop | status | psql\n"
    "       ciatteh db backup DIR | restore DIR [--until TIME] [--archive DIR] | standby DIR\n"
    "\n"
    "  init    create the private cluster if needed, start it, apply migrations;\n"
    "          with --archive DIR, also archive its WAL continuously into DIR\n"
    "  start   start the private cluster and its connection pooler, PgBouncer\n"
    "          (every command does this when needed)\n"
    "  stop    stop the private cluster and its connection pooler\n"
    "  status  say whether the server and the pooler run (exit 69 when the\n"
    "          server does not)\n"
    "  psql    open an interactive psql on the database\n"
    "  backup  a base backup of the private cluster (pg_basebackup) into DIR,\n"
    "          a new or empty folder\n"
    "  restore replace the private cluster by the backup in DIR, replayed from\n"
    "          the WAL archive up to TIME (e.g. '2026-05-04 17:30:00+02'; without\n"
    "          --until, as far as the archive goes); the former data directory\n"
    "          is kept aside, never deleted\n"
    "  standby start (creating it the first time) a streaming hot standby of the\n"
    "          private cluster in DIR; query, report and pack read from it with\n"
    "          --db \"host=DIR dbname=ciatteh\", or from whichever answers with\n"
    "          --db \"host=PRIMARY,DIR dbname=ciatteh target_session_attrs=prefer-standby\"\n"
    "  See docs/RELIABILITY.md for a daily schedule.\n"
    "\n"
    "With no connection configured, the private cluster lives in $CIATTEH_HOME\n"
    "(default ~/.local/share/ciatteh; /var/lib/ciatteh as root), listens only on\n"
    "a Unix socket in $CIATTEH_HOME/pg and, when run as root, runs as `postgres`.\n",
};
