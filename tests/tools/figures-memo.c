/* figures-memo.c — drives reports/figures/memo.c for
 * tests/figures/test_memo.sh: within one snapshot a figure asked twice is
 * answered from the memo, and the same even after another session
 * changed the facts; once the snapshot ends, nothing of it is used again.
 *   figures-memo ITEM YEAR CHANGE
 * on the private cluster under $CIATTEH_HOME; CHANGE is SQL that lowers
 * ITEM's figure of YEAR each time it runs (committed by another session).
 * Prints one line per step; exits 1 at the first step that fails. */
#include <stdio.h>
#include <stdlib.h>
#include "ciatteh/query.h"

static long long value_of(cia_db *db, const char *item, int year)
{
    struct cia_query q = {0};
    struct cia_qresult r;
    cia_err e;
    cia_err_clear(&e);
    q.item = item;
    q.year_from = q.year_to = year;
    if (cia_query_run(db, &q, &r, &e)) {
        fprintf(stderr, "figures-memo: %s\n", e.msg);
        exit(2);
    }
    long long v = r.n == 1 && r.rows[0].known ? r.rows[0].value : -1;
    cia_qresult_free(&r);
    return v;
}

static int step(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    return ok;
}

static void run(cia_db *db, const char *sql, const char *param)
{
    cia_err e;
    cia_err_clear(&e);
    const char *p[1] = {param};
    if (cia_db_query(db, &e, NULL, sql, param ? 1 : 0, param ? p : NULL)) {
        fprintf(stderr, "figures-memo: %s\n", e.msg);
        exit(2);
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: figures-memo ITEM YEAR CHANGE\n", stderr);
        return 64;
    }
    const char *item = argv[1], *change = argv[3];
    int year = atoi(argv[2]);
    cia_db db, other;
    cia_err e;
    cia_err_clear(&e);
    if (cia_db_open(&db, NULL, &e) || cia_db_open_another(&db, &other, &e)) {
        fprintf(stderr, "figures-memo: %s\n", e.msg);
        return 2;
    }
    int ok = 1;
    long long v0 = value_of(&db, item, year);
    ok &= step(!db.memo, "outside a snapshot nothing is kept");
    if (cia_db_begin_snapshot(&db, 0, &e)) return 2;
    long long v1 = value_of(&db, item, year);
    ok &= step(v1 == v0 && db.memo != NULL, "in a snapshot the answer is kept");
    /* Another session changes the facts: this snapshot must not see it,
     * from the memo or from the server. */
    run(&other, change, NULL);
    ok &= step(value_of(&db, item, year) == v1, "the same snapshot answers the same");
    run(&db, "COMMIT", NULL);
    ok &= step(!db.memo && !db.snapshot, "the memo ends with its snapshot");
    long long v2 = value_of(&db, item, year);
    ok &= step(v2 < v1, "after it, the change is seen");
    /* A snapshot ended behind the wrappers' back (ROLLBACK by hand) and
     * a new one begun without cia_db_begin_snapshot: no memo is used. */
    if (cia_db_begin_snapshot(&db, 0, &e)) return 2;
    ok &= step(value_of(&db, item, year) == v2, "a new snapshot reads afresh");
    PQclear(PQexec(db.conn, "ROLLBACK"));
    run(&db, "BEGIN ISOLATION LEVEL REPEATABLE READ", NULL);
    ok &= step(!db.memo, "a snapshot ended by hand leaves no memo");
    run(&other, change, NULL);
    ok &= step(value_of(&db, item, year) < v2, "a snapshot begun by hand reads the server");
    run(&db, "ROLLBACK", NULL);
    cia_db_close(&other);
    cia_db_close(&db);
    return ok ? 0 : 1;
}
