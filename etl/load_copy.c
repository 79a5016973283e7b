/* load_copy.c — owns how a load's records reach the server: COPY in
 * binary format into the delivery's partition, the column types it
 * checks when the loader starts, and the sender thread.
 *
 * During COPY a second thread sends: the main thread reads, validates,
 * hashes and encodes records into 256 KB buffers and queues them (at most
 * SENDQ_SLOTS, so memory stays flat); the sender hands them to libpq,
 * which blocks whenever the server has not caught up.  With one thread,
 * the client and the server took turns (measured: the backend waiting in
 * ClientRead ~40 % of the COPY while the client sat in poll).  Only the
 * sender touches the connection between the start and the end of COPY. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/copybin.h"
#include "ciatteh/load_run.h"

/*  * Records go to the server in COPY's binary format, so that it stores each
 * value as sent instead of parsing dates, numbers and escaped text again
 * (a quarter of the server's COPY time, measured).  Each value is already
 * in its standard form (the validator's), so the stored value is the one
 * the text format would give.  The column types are read from the record
 * table when the loader starts, and a field is sent only to a column of
 * the type it validates to. */
enum colkind { COL_TEXT, COL_INT4, COL_INT8, COL_DATE, COL_BOOL, COL_NUMERIC };

/* Longest encoded value: a text of cia_val's size, or a numeric. */
#define COL_MAX (4 + (int)sizeof(((struct cia_val *)0)->text))

size_t ld_copy_row_max(const cia_spec *s)
{
    return 2 + (3 + s->nfields) * COL_MAX + CIA_PSEUDO_LEN;
}

/* One record, in r->row; returns its length. */
size_t ld_copy_row(struct load_run *r, long line, const unsigned char h[CIA_PSEUDO_LEN])
{
    const cia_spec *s = r->l->spec;
    unsigned char *p = r->row, *count = p;
    p += 2;
    uint16_t ncol = 3;
    p = cia_put64(cia_put32(p, 8), (uint64_t)r->delivery_id);
    p = cia_put64(cia_put32(p, 8), (uint64_t)line);
    p = cia_put32(p, CIA_PSEUDO_LEN);
    memcpy(p, h, CIA_PSEUDO_LEN);
    p += CIA_PSEUDO_LEN;
    for (size_t f = 0; f < s->nfields; f++) {
        if (s->fields[f].type == CIA_T_REF) continue;
        ncol++;
        const struct cia_val *v = &r->vals[f];
        if (!v->known) { p = cia_put32(p, UINT32_MAX); continue; }   /* NULL */
        switch ((enum colkind)r->l->col_kind[f]) {
        case COL_TEXT: {
            size_t n = strlen(v->text);
            p = cia_put32(p, (uint32_t)n);
            memcpy(p, v->text, n);
            p += n;
            break;
        }
        case COL_INT4: p = cia_put32(cia_put32(p, 4), (uint32_t)(int32_t)v->num); break;
        case COL_INT8: p = cia_put64(cia_put32(p, 8), (uint64_t)v->num); break;
        case COL_DATE: p = cia_put32(cia_put32(p, 4), (uint32_t)cia_pg_date(v->num)); break;
        case COL_BOOL: p = cia_put32(p, 1); *p++ = v->num ? 1 : 0; break;
        case COL_NUMERIC: p = cia_put_numeric(p, v->text); break;
        }
    }
    cia_put16(count, ncol);
    return (size_t)(p - r->row);
}

static void *sender_main(void *arg)
{
    struct sendq *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (!q->count && !q->done) pthread_cond_wait(&q->cv, &q->mu);
        if (!q->count) break;
        cia_buf *b = &q->slot[q->head];
        int skip = q->failed || q->discard;
        pthread_mutex_unlock(&q->mu);
        int bad = !skip && PQputCopyData(q->conn, b->data, (int)b->len) != 1;
        pthread_mutex_lock(&q->mu);
        if (bad) q->failed = 1;
        cia_buf_reset(b);
        q->head = (q->head + 1) % SENDQ_SLOTS;
        q->count--;
        pthread_cond_broadcast(&q->cv);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

/* 0, or an internal error when the thread cannot be started. */
static int sender_start(struct load_run *r, cia_err *e)
{
    struct sendq *q = &r->sq;
    q->conn = r->l->db->conn;
    q->head = q->count = 0;
    q->done = q->discard = q->failed = 0;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    /* Signals stay with the main thread: the sender starts with all
     * blocked (it inherits the mask). */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int err = pthread_create(&q->th, NULL, sender_main, q);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (err) {
        pthread_mutex_destroy(&q->mu);
        pthread_cond_destroy(&q->cv);
        return cia_fail(e, CIA_EINTERNAL, "cannot start the COPY sender thread");
    }
    q->running = 1;
    return CIA_OK;
}

/* Waits until everything queued is sent (or, with discard, dropped) and
 * the thread has ended; the connection is the main thread's again. */
void ld_sender_stop(struct load_run *r, int discard)
{
    struct sendq *q = &r->sq;
    if (!q->running) return;
    pthread_mutex_lock(&q->mu);
    q->done = 1;
    if (discard) q->discard = 1;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    pthread_join(q->th, NULL);
    q->running = 0;
    if (q->failed) r->copy_failed = 1;
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
    for (int i = 0; i < SENDQ_SLOTS; i++) cia_buf_free(&q->slot[i]);
}

/* Queues r->copybuf for the sender (waiting while the queue is full) and
 * takes an empty buffer in its place. */
int ld_flush_copy(struct load_run *r)
{
    if (!r->copybuf.len || !r->copying || r->copy_failed || !r->sq.running) {
        cia_buf_reset(&r->copybuf);
        return r->copy_failed;
    }
    struct sendq *q = &r->sq;
    pthread_mutex_lock(&q->mu);
    while (q->count == SENDQ_SLOTS && !q->failed) pthread_cond_wait(&q->cv, &q->mu);
    if (q->failed) {
        r->copy_failed = 1;
        cia_buf_reset(&r->copybuf);
    } else {
        size_t i = (q->head + q->count) % SENDQ_SLOTS;
        cia_buf empty = q->slot[i];   /* reset by the sender; keeps its capacity */
        q->slot[i] = r->copybuf;
        r->copybuf = empty;
        q->count++;
        pthread_cond_broadcast(&q->cv);
    }
    pthread_mutex_unlock(&q->mu);
    return r->copy_failed;
}

int ld_end_copy(struct load_run *r, const char *abort_msg, cia_err *e)
{
    if (!r->copying) return CIA_OK;
    cia_db *db = r->l->db;
    if (!abort_msg) {
        unsigned char trailer[CIA_COPY_TRAILER_LEN];
        cia_buf_add(&r->copybuf, trailer, (size_t)(cia_copy_trailer(trailer) - trailer));
        ld_flush_copy(r);
    }
    ld_sender_stop(r, abort_msg != NULL);
    r->copying = 0;
    int rc = CIA_OK;
    if (PQputCopyEnd(db->conn, abort_msg) != 1) rc = cia_db_fail(db, e, NULL, "COPY");
    PGresult *res;
    while ((res = PQgetResult(db->conn))) {
        if (!abort_msg && !rc && PQresultStatus(res) != PGRES_COMMAND_OK) rc = cia_db_fail(db, e, res, "COPY");
        PQclear(res);
    }
    if (!rc && r->copy_failed && !abort_msg) rc = cia_db_fail(db, e, NULL, "COPY");
    return rc;
}

/* COPY into the delivery's partition (its name as the server gave it),
 * the binary header queued, the sender started. */
int ld_copy_begin(struct load_run *r, const char *partition, cia_err *e)
{
    cia_db *db = r->l->db;
    char *part = PQescapeIdentifier(db->conn, partition, strlen(partition));
    char *copy = cia_xasprintf("COPY %s%s", part, r->l->copy_cols);
    PQfreemem(part);
    PGresult *q = PQexec(db->conn, copy);
    free(copy);
    if (PQresultStatus(q) != PGRES_COPY_IN) {
        int rc = cia_db_fail(db, e, q, "COPY");
        PQclear(q);
        return rc;
    }
    PQclear(q);
    r->copying = 1;
    unsigned char head[CIA_COPY_HEADER_LEN];
    cia_buf_add(&r->copybuf, head, (size_t)(cia_copy_header(head) - head));
    return sender_start(r, e);
}

/* The record table's column types → how each field is sent (COPY
 * binary); a column of a type its field does not validate to is refused
 * here, before any file is read. */
/* A table's columns and their types (format_type), in order. */
int ld_table_columns(cia_db *db, const char *table, PGresult **q, cia_err *e)
{
    const char *p[1] = {table};
    return cia_db_query(db, e, q,
        "SELECT a.attname, pg_catalog.format_type(a.atttypid, NULL) FROM pg_catalog.pg_attribute a "
        "WHERE a.attrelid = pg_catalog.to_regclass(pg_catalog.quote_ident($1)) "
        "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum", 1, p);
}

int ld_copy_columns(cia_loader *l, cia_err *e)
{
    const cia_spec *s = l->spec;
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, " (delivery_id, line_no, ref_hash");
    for (size_t f = 0; f < s->nfields; f++) {
        if (s->fields[f].type == CIA_T_REF) continue;
        char *c = PQescapeIdentifier(l->db->conn, s->fields[f].name, strlen(s->fields[f].name));
        cia_buf_printf(&b, ", %s", c);
        PQfreemem(c);
    }
    cia_buf_adds(&b, ") FROM STDIN (FORMAT binary)");
    l->copy_cols = cia_buf_steal(&b);
    PGresult *q;
    int rc = ld_table_columns(l->db, s->table, &q, e);
    if (rc) return rc;
    l->col_kind = cia_xcalloc(s->nfields ? s->nfields : 1, 1);
    static const char *const fixed[3][2] = {{"delivery_id", "bigint"}, {"line_no", "bigint"}, {"ref_hash", "bytea"}};
    for (int k = 0; k < 3 && !rc; k++) {
        int i = 0;
        while (i < PQntuples(q) && strcmp(PQgetvalue(q, i, 0), fixed[k][0])) i++;
        if (i == PQntuples(q) || strcmp(PQgetvalue(q, i, 1), fixed[k][1]))
            rc = cia_fail(e, CIA_EINTERNAL, "record table %s: column %s must be %s", s->table, fixed[k][0],
                          fixed[k][1]);
    }
    for (size_t f = 0; f < s->nfields && !rc; f++) {
        enum cia_ftype t = s->fields[f].type;
        if (t == CIA_T_REF) continue;
        int i = 0;
        while (i < PQntuples(q) && strcmp(PQgetvalue(q, i, 0), s->fields[f].name)) i++;
        const char *type = i < PQntuples(q) ? PQgetvalue(q, i, 1) : "missing";
        int kind = -1;
        if (!strcmp(type, "text") && (t == CIA_T_CODE || t == CIA_T_COUNTRY || t == CIA_T_ISO2)) kind = COL_TEXT;
        else if (!strcmp(type, "integer") && (t == CIA_T_INT || t == CIA_T_YEAR)) kind = COL_INT4;
        else if (!strcmp(type, "bigint") && (t == CIA_T_INT || t == CIA_T_YEAR || t == CIA_T_COUNT)) kind = COL_INT8;
        else if (!strcmp(type, "date") && t == CIA_T_DATE) kind = COL_DATE;
        else if (!strcmp(type, "boolean") && t == CIA_T_BOOL) kind = COL_BOOL;
        else if (!strcmp(type, "numeric") && t == CIA_T_AMOUNT) kind = COL_NUMERIC;
        if (kind < 0)
            rc = cia_fail(e, CIA_EINTERNAL, "record table %s: column %s is %s, which does not suit the field's type "
                          "in the %s spec", s->table, s->fields[f].name, type, s->service);
        else l->col_kind[f] = (unsigned char)kind;
    }
    PQclear(q);
    return rc;
}

