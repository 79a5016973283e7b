/* db.h — the connection to the store: which server (an explicit conninfo,
 * CIATTEH_DB, the libpq environment, or the private cluster), schema
 * migrations on connect, and small checked wrappers over libpq.
 * Every statement with outside data goes through cia_db_query() with
 * parameters, or through COPY: values are never pasted into SQL. */
#ifndef CIATTEH_DB_H
#define CIATTEH_DB_H

#include <libpq-fe.h>
#include "ciatteh/err.h"

typedef struct cia_db {
    PGconn *conn;
    int private_cluster;      /* 1 when we connected to our own cluster */
    int started_cluster;      /* 1 when this process started it */
    /* 1 while a snapshot transaction opened by cia_db_begin_snapshot()
     * is open: every read sees the same data, so what was read once may
     * be kept (reports/figures/memo.c).  Back to 0 when the transaction
     * ends, and memo_free(memo) called: a memo is always the current
     * snapshot's. */
    int snapshot;
    void *memo;
    void (*memo_free)(void *memo);
} cia_db;

/* Where to connect, in the documented order.  conninfo_opt is --db (may be
 * NULL).  Starts (and on first use creates) the private cluster when no
 * connection is configured, then migrates the schema. */
int cia_db_open(cia_db *db, const char *conninfo_opt, cia_err *e);
/* Same, through the private cluster's connection pooler when it runs
 * and the target is the private cluster as its owner (schema/pooler.c),
 * for the read-only commands scripts and analysts run many times
 * (query, report, chart, check); directly when not,
 * and whenever the schema is to be migrated. */
int cia_db_open_pooled(cia_db *db, const char *conninfo_opt, cia_err *e);
/* Same, without migrating (for `db status`, `db psql`). */
int cia_db_open_nomigrate(cia_db *db, const char *conninfo_opt, cia_err *e);
/* A second connection to db's server, as the same user, set up as
 * cia_db_open sets its own (no migration: db's was done). */
int cia_db_open_another(const cia_db *db, cia_db *out, cia_err *e);
/* A connection with every option set in opts (PQconninfo,
 * PQconninfoParse), those named in over (keyword, value pairs, NULL-ended;
 * NULL for none) given that value instead. */
PGconn *cia_db_connect_opts(const PQconninfoOption *opts, const char *const over[]);
void cia_db_close(cia_db *db);

/* Describe the chosen target without connecting: "private cluster at X",
 * or "conninfo from --db" etc.  Returns an allocated conninfo string
 * ("" means libpq environment) and sets *is_private. */
char *cia_db_target(const char *conninfo_opt, int *is_private);

/* Run SQL with text parameters (NULL entries are SQL NULL).  On success
 * *res holds the result (caller PQclear()s) unless res is NULL. */
int cia_db_query(cia_db *db, cia_err *e, PGresult **res, const char *sql,
                 int nparams, const char *const *params);
/* Run SQL without parameters (may hold several statements). */
int cia_db_exec(cia_db *db, cia_err *e, const char *sql);
int cia_db_begin(cia_db *db, cia_err *e);
/* BEGIN ISOLATION LEVEL REPEATABLE READ, read-only when read_only, and
 * db->snapshot set: one snapshot of the data for every statement until
 * the transaction ends (COMMIT, ROLLBACK, or an error that ends it, seen
 * by the wrappers here at their next call). */
int cia_db_begin_snapshot(cia_db *db, int read_only, cia_err *e);
/* 1 while the snapshot's transaction is still the connection's. */
int cia_db_in_snapshot(const cia_db *db);
int cia_db_commit(cia_db *db, cia_err *e);
void cia_db_rollback(cia_db *db);

/* Map a libpq/server failure to our status: connection loss → 69,
 * lock/serialization timeouts → 75, data errors → 65, else 70. */
int cia_db_fail(cia_db *db, cia_err *e, const PGresult *res, const char *what);

/* Schema migrations (schema/NNNN_*.sql, embedded) and reference seeds
 * (schema/seed/TABLE.csv).  Each migration runs once, in a transaction,
 * recorded in ciatteh_migration.  A database newer than this binary is
 * refused with CIA_EUNAVAIL. */
int cia_migrate(cia_db *db, cia_err *e);
/* 1 when db's schema and seeds are this build's: nothing to migrate. */
int cia_migrate_current(cia_db *db);
int cia_schema_version_known(void);   /* highest migration in this binary */
int cia_schema_version_db(cia_db *db, int *version, cia_err *e);

#endif
