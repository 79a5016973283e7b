/* db.c — choosing the server, connecting, and the checked libpq wrappers
 * that turn server errors into our error type and exit codes. */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/cluster.h"
#include "ciatteh/db.h"
#include "ciatteh/pooler.h"
#include "ciatteh/util.h"

static int libpq_env_set(void)
{
    static const char *vars[] = {"PGHOST", "PGHOSTADDR", "PGDATABASE", "PGSERVICE",
                                 "PGPORT", "PGUSER", NULL};
    for (int i = 0; vars[i]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) return 1;
    }
    return 0;
}

char *cia_db_target(const char *conninfo_opt, int *is_private)
{
    *is_private = 0;
    if (conninfo_opt && *conninfo_opt) return cia_xstrdup(conninfo_opt);
    const char *env = getenv("CIATTEH_DB");
    if (env && *env) return cia_xstrdup(env);
    if (libpq_env_set()) return cia_xstrdup("");
    *is_private = 1;
    return cia_xstrdup(cia_cluster_conninfo());
}

/* What every connection of ours is set to; 1 when the settings took. */
static int session_setup(PGconn *c)
{
    /* UTF8 is asked for in the startup packet (open_common); a round
     * trip here only if it did not take. */
    if (strcmp(pg_encoding_to_char(PQclientEncoding(c)), "UTF8")) PQsetClientEncoding(c, "UTF8");
    /* Quiet NOTICEs (e.g. "relation exists, skipping"): they are not ours. */
    /* Times typed by users (--loaded-at) and shown to them (deliveries)
     * are Belgian times, like the end of day that --as-of means. */
    PGresult *r = PQexec(c, "SET client_min_messages = warning; SET TimeZone = 'Europe/Brussels'");
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok;
}

static int open_common(cia_db *db, const char *conninfo_opt, int migrate, int pooled, cia_err *e)
{
    memset(db, 0, sizeof *db);
    int priv, rc;
    char *ci = cia_db_target(conninfo_opt, &priv);
    if (priv) {
        if ((rc = cia_cluster_start(&db->started_cluster, e))) {
            free(ci);
            return rc;
        }
        db->private_cluster = 1;
    }
    /* A migration or a load never goes through the pooler: they are
     * rare, and what they lock is theirs alone. */
    if (pooled && (db->conn = cia_pooler_connect(ci)) && session_setup(db->conn) &&
        (!migrate || cia_migrate_current(db))) {
        free(ci);
        rc = migrate && db->private_cluster ? cia_cluster_sync_auth(db->conn, e) : CIA_OK;
        if (rc) cia_db_close(db);
        return rc;
    }
    cia_db_close(db);
    /* The conninfo given (or "" for libpq's environment) expanded as
     * PQconnectdb would, plus the client encoding in the startup packet:
     * one round trip less than setting it after (a query is mostly round
     * trips and a new backend's first statements). */
    const char *kw[] = {"dbname", "client_encoding", NULL}, *val[] = {ci, "UTF8", NULL};
    db->conn = PQconnectdbParams(kw, val, 1);
    if (PQstatus(db->conn) != CONNECTION_OK && priv && !cia_cluster_running()) {
        /* cia_cluster_start trusted the server's pid file, which says
         * "ready" through a crash recovery too, and the server does not
         * take connections (a refused login is not that): wait for it as
         * a start does, and connect once more. */
        int again = 0;
        if ((rc = cia_cluster_start_asking(&again, e))) {
            free(ci);
            cia_db_close(db);
            return rc;
        }
        db->started_cluster |= again;
        PQfinish(db->conn);
        db->conn = PQconnectdbParams(kw, val, 1);
    }
    free(ci);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(db->conn));
        msg[strcspn(msg, "\n")] = '\0';
        cia_db_close(db);
        return cia_fail(e, CIA_EUNAVAIL, "cannot connect to the database: %s", msg);
    }
    session_setup(db->conn);
    if (migrate && ((rc = cia_migrate(db, e)) ||
                    (db->private_cluster && (rc = cia_cluster_sync_auth(db->conn, e))))) {
        cia_db_close(db);
        return rc;
    }
    return CIA_OK;
}

int cia_db_open(cia_db *db, const char *conninfo_opt, cia_err *e)
{
    return open_common(db, conninfo_opt, 1, 0, e);
}

int cia_db_open_pooled(cia_db *db, const char *conninfo_opt, cia_err *e)
{
    return open_common(db, conninfo_opt, 1, 1, e);
}

int cia_db_open_nomigrate(cia_db *db, const char *conninfo_opt, cia_err *e)
{
    return open_common(db, conninfo_opt, 0, 0, e);
}

PGconn *cia_db_connect_opts(const PQconninfoOption *opts, const char *const over[])
{
    size_t n = 0;
    for (const PQconninfoOption *o = opts; o->keyword; o++) n++;
    const char **kw = cia_xcalloc(n + 1, sizeof *kw), **val = cia_xcalloc(n + 1, sizeof *val);
    size_t k = 0;
    for (const PQconninfoOption *o = opts; o->keyword; o++) {
        const char *v = o->val;
        for (size_t i = 0; over && over[i]; i += 2)
            if (!strcmp(over[i], o->keyword)) v = over[i + 1];
        if (v && *v) {
            kw[k] = o->keyword;
            val[k++] = v;
        }
    }
    PGconn *c = PQconnectdbParams(kw, val, 0);
    free(kw);
    free(val);
    return c;
}

int cia_db_open_another(const cia_db *db, cia_db *out, cia_err *e)
{
    memset(out, 0, sizeof *out);
    PQconninfoOption *opts = PQconninfo(db->conn);
    if (!opts) return cia_fail(e, CIA_EUNAVAIL, "cannot read the connection's parameters");
    out->conn = cia_db_connect_opts(opts, NULL);
    PQconninfoFree(opts);
    if (PQstatus(out->conn) != CONNECTION_OK || !session_setup(out->conn)) {
        int rc = cia_db_fail(out, e, NULL, "a second connection");
        cia_db_close(out);
        return rc;
    }
    return CIA_OK;
}

/* The snapshot is over: forget it and what was kept from it. */
static void end_snapshot(cia_db *db)
{
    if (db->memo && db->memo_free) db->memo_free(db->memo);
    db->memo = NULL;
    db->memo_free = NULL;
    db->snapshot = 0;
}

/* Called around every statement: a connection outside any transaction
 * block has left its snapshot, whoever ended it. */
static void track_snapshot(cia_db *db)
{
    if (db->snapshot && (!db->conn || PQtransactionStatus(db->conn) != PQTRANS_INTRANS))
        end_snapshot(db);
}

int cia_db_in_snapshot(const cia_db *db)
{
    return db->snapshot && db->conn && PQtransactionStatus(db->conn) == PQTRANS_INTRANS;
}

void cia_db_close(cia_db *db)
{
    end_snapshot(db);
    if (db->conn) PQfinish(db->conn);
    db->conn = NULL;
}

int cia_db_fail(cia_db *db, cia_err *e, const PGresult *res, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : "";
    if (!msg || !*msg) msg = PQerrorMessage(db->conn);
    char clean[1500];
    snprintf(clean, sizeof clean, "%s", msg ? msg : "");
    size_t n = strlen(clean);
    while (n && (clean[n - 1] == '\n' || clean[n - 1] == ' ')) clean[--n] = '\0';
    int code = CIA_EINTERNAL;
    if (PQstatus(db->conn) != CONNECTION_OK) code = CIA_EUNAVAIL;
    else if (state) {
        if (!strcmp(state, "55P03") || !strcmp(state, "40001") || !strcmp(state, "40P01") ||
            !strcmp(state, "57014"))
            code = CIA_EBUSY;            /* lock timeout, serialization, deadlock, cancel */
        else if (!strncmp(state, "08", 2) || !strncmp(state, "57P", 3) || !strncmp(state, "53", 2))
            code = CIA_EUNAVAIL;         /* connection, shutdown, resources */
        else if (!strncmp(state, "22", 2) || !strncmp(state, "23", 2))
            code = CIA_EDATA;
        else if (!strcmp(state, "42501"))
            code = CIA_EUNAVAIL;         /* insufficient privilege */
    }
    return cia_fail(e, code, "%s: %s", what, clean);
}

int cia_db_query(cia_db *db, cia_err *e, PGresult **res, const char *sql,
                 int nparams, const char *const *params)
{
    track_snapshot(db);
    PGresult *r = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
    track_snapshot(db);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        int rc = cia_db_fail(db, e, r, "database");
        PQclear(r);
        if (res) *res = NULL;
        return rc;
    }
    if (res) *res = r;
    else PQclear(r);
    return CIA_OK;
}

int cia_db_exec(cia_db *db, cia_err *e, const char *sql)
{
    track_snapshot(db);
    PGresult *r = PQexec(db->conn, sql);
    track_snapshot(db);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        int rc = cia_db_fail(db, e, r, "database");
        PQclear(r);
        return rc;
    }
    PQclear(r);
    return CIA_OK;
}

int cia_db_begin_snapshot(cia_db *db, int read_only, cia_err *e)
{
    end_snapshot(db);
    int rc = cia_db_exec(db, e, read_only ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                          : "BEGIN ISOLATION LEVEL REPEATABLE READ");
    if (rc == CIA_OK) db->snapshot = 1;
    return rc;
}

int cia_db_begin(cia_db *db, cia_err *e)
{
    return cia_db_exec(db, e, "BEGIN");
}

int cia_db_commit(cia_db *db, cia_err *e)
{
    return cia_db_exec(db, e, "COMMIT");
}

void cia_db_rollback(cia_db *db)
{
    if (!db->conn) return;
    PGresult *r = PQexec(db->conn, "ROLLBACK");
    PQclear(r);
    track_snapshot(db);
}
