/* cmd_admin.c — `ciatteh admin roles`: the PostgreSQL roles of
 * schema/0003_access.sql (one loader per service, an analyst, an admin),
 * created when missing and granted what each may do.  The migration does
 * the same when its user may create roles; this command is for a server
 * where the one who migrates may not, and after a new service's table. */
#include <stdio.h>
#include <string.h>
#include "ciatteh/cli.h"
#include "ciatteh/cluster.h"
#include "ciatteh/db.h"
#include "ciatteh/util.h"

static int admin_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    if (argc != 2 || strcmp(argv[1], "roles"))
        return cia_cmd_usage_error(e, "admin", "expected the action 'roles'");
    cia_db db;
    int rc = cia_db_open(&db, ctx->db, e);
    if (rc) return rc;
    PGresult *r;
    if ((rc = cia_db_begin(&db, e)) == CIA_OK &&
        (rc = cia_db_query(&db, e, &r, "SELECT role, may FROM ciatteh_setup_roles()", 0, NULL)) == CIA_OK) {
        if ((rc = cia_db_commit(&db, e)) == CIA_OK && db.private_cluster)
            rc = cia_cluster_sync_auth(db.conn, e);   /* the new roles' lines of the map */
        if (rc == CIA_OK)
            for (int i = 0; i < PQntuples(r); i++)
                printf("%-30s %s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
        PQclear(r);
    } else {
        cia_db_rollback(&db);
        if (rc == CIA_EUNAVAIL && strstr(e->msg, "permission denied"))
            cia_err_context(e, "admin roles: run it as the owner of the database with CREATEROLE");
    }
    cia_db_close(&db);
    return rc;
}

const struct cia_cmd cia_cmd_admin = {
    "admin", admin_main, "create the PostgreSQL roles (loaders, analyst, admin)",
    "usage: ciatteh admin roles\n"
    "\n"
    "Creates, when missing, the PostgreSQL roles of the warehouse and grants\n"
    "each what it may do (see docs/RELIABILITY.md, \"Who may see or change\n"
    "what\"):\n"
    "  ciatteh_loader_SERVICE  one per service: adds deliveries of that service\n"
    "                          only, reads only its own deliveries\n"
    "  ciatteh_analyst         reads items, coverage, the catalogue and the\n"
    "                          delivery history; no record-level table\n"
    "  ciatteh_admin           an analyst and every loader; reads record tables,\n"
    "                          back-fills history, re-derives items\n"
    "Run it as the owner of the database (a user with CREATEROLE); `db init`\n"
    "does it already when it may.  The roles get no password: set one with\n"
    "psql's \\password (never on a command line), and let each user connect\n"
    "with --db \"host=... user=ciatteh_analyst dbname=ciatteh\" and a\n"
    "~/.pgpass file (mode 0600).\n",
};
