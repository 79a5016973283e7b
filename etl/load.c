/* load.c — owns one delivery's journey: header matching, per-record
 * validation, duplicate detection, COPY into the delivery's own partition
 * of the record table, the delivery's bookkeeping (years covered, what it
 * replaces) and its item groups, in one transaction.
 *
 * Items: while the records stream, etl/group.c counts them in the groups
 * the spec declares; after the records, one more COPY writes the groups
 * (schema/0007: item_fact is a view over them), so the server never reads
 * the records again.  When --keep-going took duplicates back out, the
 * server counts the records that stay instead (derive_items).
 *
 * Memory stays flat: records stream from the reader to COPY; duplicate
 * references are found with a Bloom filter of keyed hashes (a few bits per
 * record) and, only when it reports candidates, confirmed exactly: by
 * one query on the key hashes the delivery stored, and by a second read
 * of the file when a duplicate is real (to name it) or under --keep-going
 * or --dry-run.
 *
 * During COPY a second thread sends: the main thread reads, validates,
 * hashes and encodes records into 256 KB buffers and queues them (at most
 * SENDQ_SLOTS, so memory stays flat); the sender hands them to libpq,
 * which blocks whenever the server has not caught up.  With one thread,
 * the client and the server took turns (measured: the backend waiting in
 * ClientRead ~40 % of the COPY while the client sat in poll).  Only the
 * sender touches the connection between the start and the end of COPY. */
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ciatteh/codes.h"
#include "ciatteh/copybin.h"
#include "ciatteh/country.h"
#include "ciatteh/group.h"
#include "ciatteh/load.h"
#include "ciatteh/map.h"
#include "ciatteh/pseudonym.h"
#include "ciatteh/reader.h"
#include "ciatteh/spec.h"
#include "ciatteh/testpoint.h"
#include "ciatteh/text.h"
#include "ciatteh/validate.h"

struct cia_loader {
    cia_db *db;
    struct cia_load_opts o;
    cia_spec *spec;
    cia_codes codes;
    cia_countries *countries;
    cia_hasher *hasher;
    struct cia_vctx vctx;
    char *copy_cols;              /* " (columns) FROM STDIN ...": COPY into a partition */
    unsigned char *col_kind;      /* field → enum colkind of its column (COPY binary) */
    int grouped;                  /* the spec declares groups: the loader counts them */
};

/* Memory for a delivery's groups before they are written to a temporary
 * file (etl/group.c): with the Bloom filter (at most 32 MiB) the loader
 * stays under 64 MB at any size. */
#define GROUP_MEMORY ((size_t)12 << 20)

struct yscope { char scope[32]; int year; long long rows; };

/* Filled COPY buffers on their way to the server: a ring of SENDQ_SLOTS.
 * A slot stays counted until it is sent, so the main thread never writes
 * into one being sent. */
#define SENDQ_SLOTS 4
struct sendq {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    PGconn *conn;
    cia_buf slot[SENDQ_SLOTS];
    size_t head, count;
    int running;                          /* the main thread's alone */
    int done, discard, failed;            /* under mu */
};

struct cand { long line; unsigned char h[CIA_PSEUDO_LEN]; };

struct run {
    cia_loader *l;
    cia_groups *groups;           /* the delivery's item groups (NULL: derived by the server) */
    int group_failed;             /* counting failed (a spill could not be written) */
    cia_err group_err;
    const char *path;
    struct cia_load_result *res;
    cia_scan scan;
    int pass;                     /* 1: load; 2: confirm duplicates */
    int header_done, fatal;
    char file_scope[48];       /* the scope (centre) of the file's first valid record */
    long file_scope_line;
    size_t ncols;
    int *col_field;               /* file column → field, -1 = ignored */
    int *field_col;               /* field → file column, -1 = absent */
    char **col_names;             /* header names as written */
    struct cia_val *vals;
    cia_buf reasons;              /* this record's problems (rejects file) */
    int row_bad;
    long long delivery_id;
    int copying;
    cia_buf copybuf;
    struct sendq sq;
    unsigned char *row;           /* one record in COPY binary format */
    struct vcache *vcache;        /* per field: recent raw values → validated */
    uint64_t *bloom, *bloom_mem;  /* bloom: bloom_mem aligned to a cache line */
    size_t bloom_blocks;          /* of BLOOM_WORDS words */
    int key_raw_only;             /* the unique key is references only */
    int pending;                  /* a key waiting for its Bloom block */
    unsigned char pend_h[CIA_PSEUDO_LEN];
    long pend_line;
    struct cand *cands;
    size_t ncands, capcands;
    cia_map cand_set, first_line; /* pass 2 */
    long *dup_lines;
    size_t ndups, capdups;
    struct yscope *ys;
    size_t nys, capys, lastys;
    cia_outfile rej;
    int rej_open;
    long long rows_ok, rows_bad;
    double t0, tlast;
    int copy_failed;              /* seen by the main thread (from sq.failed) */
    long rec_line;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void add_msg(struct run *r, long line, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Messages quote extract text and name files, and go to a terminal:
 * control characters are shown as \xNN (cia_printable), never sent as
 * they are (an escape sequence in a field or a file name must not drive
 * the analyst's terminal). */
static void add_msg(struct run *r, long line, const char *column, const char *fmt, ...)
{
    char raw[1024], msg[1024], full[2600], col[256] = "", path[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    cia_printable(msg, sizeof msg, raw);
    if (column) cia_printable(col, sizeof col, column);
    column = col;
    r->res->nerrors++;
    if (r->reasons.len) cia_buf_adds(&r->reasons, "; ");
    if (*column) cia_buf_printf(&r->reasons, "%s: %s", column, msg);
    else cia_buf_adds(&r->reasons, msg);
    int max = r->l->o.max_messages > 0 ? r->l->o.max_messages : 50;
    if ((int)r->res->messages.n >= max) return;
    cia_printable(path, sizeof path, r->path);
    if (line > 0 && *column) snprintf(full, sizeof full, "%s:%ld:%s: %s", path, line, column, msg);
    else if (line > 0) snprintf(full, sizeof full, "%s:%ld: %s", path, line, msg);
    else snprintf(full, sizeof full, "%s: %s", path, msg);
    cia_strv_push(&r->res->messages, full);
}

/* ---- header ----------------------------------------------------------- */

static int match_header(const cia_spec *s, const char *folded)
{
    for (size_t f = 0; f < s->nfields; f++)
        for (size_t h = 0; h < s->fields[f].nheaders; h++)
            if (!strcmp(s->fields[f].headers[h], folded)) return (int)f;
    return -1;
}

/* Which service's extract does this header look like?  For the message
 * when someone loads, say, a police file as convictions. */
struct guess { char **folded; size_t n; const char *self; char best[64]; int best_hits, self_hits; };

static int guess_one(const char *path, const char *data, size_t len, void *arg)
{
    struct guess *g = arg;
    cia_spec *s;
    cia_err e;
    if (cia_spec_parse(&s, path, data, len, &e)) return 0;
    int hits = 0;
    for (size_t i = 0; i < g->n; i++) if (match_header(s, g->folded[i]) >= 0) hits++;
    if (!strcmp(s->service, g->self)) g->self_hits = hits;
    else if (hits > g->best_hits && hits * 2 >= (int)g->n) {
        g->best_hits = hits;
        snprintf(g->best, sizeof g->best, "%s", s->service);
    }
    cia_spec_free(s);
    return 0;
}

static void do_header(struct run *r, const cia_record *rec)
{
    const cia_spec *s = r->l->spec;
    r->header_done = 1;
    r->ncols = rec->nfields;
    r->col_field = cia_xcalloc(r->ncols ? r->ncols : 1, sizeof *r->col_field);
    r->col_names = cia_xcalloc(r->ncols ? r->ncols : 1, sizeof *r->col_names);
    cia_buf fold;
    cia_buf_init(&fold);
    char **folded = cia_xcalloc(r->ncols ? r->ncols : 1, sizeof *folded);
    size_t unknown = 0;
    for (size_t i = 0; i < r->ncols; i++) {
        char *name = cia_xstrndup(rec->fields[i], rec->lens[i]);
        r->col_names[i] = cia_trim(name);
        cia_fold(&fold, rec->fields[i], rec->lens[i]);
        folded[i] = cia_xstrdup(fold.data);
        int f = match_header(s, fold.data);
        r->col_field[i] = f;
        if (f >= 0 && r->field_col[f] >= 0) {
            add_msg(r, rec->line, r->col_names[i], "column for %s given twice (also '%s')",
                    s->fields[f].name, r->col_names[r->field_col[f]]);
            r->fatal = 1;
        } else if (f >= 0) {
            r->field_col[f] = (int)i;
        } else if (r->pass == 1 && ++unknown <= 20) {
            char note[600], shown[256];
            cia_printable(shown, sizeof shown, r->col_names[i][0] ? r->col_names[i] : "(empty header)");
            snprintf(note, sizeof note, "%s:%ld:%s: unknown column ignored", r->path, rec->line, shown);
            cia_strv_push(&r->res->notices, note);
        }
    }
    if (unknown > 20) {   /* a file of 10,000 columns: one line, not 10,000 */
        char note[600];
        snprintf(note, sizeof note, "%s:%ld: ... and %zu more unknown columns ignored", r->path, rec->line,
                 unknown - 20);
        cia_strv_push(&r->res->notices, note);
    }
    int missing = 0;
    for (size_t f = 0; f < s->nfields; f++) {
        if (r->field_col[f] >= 0 || !s->fields[f].required) continue;
        cia_buf acc;
        cia_buf_init(&acc);
        for (size_t h = 0; h < s->fields[f].nheaders; h++)
            cia_buf_printf(&acc, "%s%s", h ? ", " : "", s->fields[f].headers[h]);
        add_msg(r, rec->line, NULL, "missing required column %s (accepted headers: %s)",
                s->fields[f].name, acc.data);
        cia_buf_free(&acc);
        missing++;
    }
    if (missing) {
        r->fatal = 1;
        struct guess g = {folded, r->ncols, s->service, "", 0, 0};
        cia_embedded_each("etl/specs/", guess_one, &g);
        /* another service is named only when it fits better than this one */
        if (g.best[0] && g.best_hits > g.self_hits)
            add_msg(r, rec->line, NULL, "this looks like a %s extract, not %s", g.best, s->service);
    }
    for (size_t i = 0; i < r->ncols; i++) free(folded[i]);
    free(folded);
    cia_buf_free(&fold);
}

/* ---- duplicates ------------------------------------------------------- */

/* Blocked Bloom filter: all BLOOM_K bits of a key lie in one 64-byte
 * block (one cache line), chosen by the high bits of the key's first 8
 * bytes; the bits within it are 9-bit slices of its next 8 bytes and of
 * the low bits of the first (independent slices: with one start and one
 * step, two keys of a block would share all their bits once in 2^17).  A
 * plain filter spreads its bits over the whole array, and its ten cache
 * misses per record were, profiled, the largest cost of a load outside the
 * parser.  Blocking costs a few more false candidates at the same size;
 * those are only checked exactly afterwards. */
#define BLOOM_WORDS 8
#define BLOOM_K 12

static uint64_t *bloom_block(const struct run *r, const unsigned char *h)
{
    uint64_t a;
    memcpy(&a, h, 8);
    return r->bloom + (size_t)(((unsigned __int128)a * r->bloom_blocks) >> 64) * BLOOM_WORDS;
}

/* Sets the key's bits; 1 if they were all set already (a candidate). */
static int bloom_add(struct run *r, const unsigned char *h)
{
    uint64_t *blk = bloom_block(r, h), slices[2];
    memcpy(&slices[0], h + 8, 8);
    memcpy(&slices[1], h, 8);
    int present = 1;
    for (int k = 0; k < BLOOM_K; k++) {
        unsigned bit = (unsigned)(slices[k / 7] >> (9 * (k % 7))) & (BLOOM_WORDS * 64 - 1);
        uint64_t mask = 1ULL << (bit & 63);
        if (!(blk[bit >> 6] & mask)) { present = 0; blk[bit >> 6] |= mask; }
    }
    return present;
}

/* The filter is far larger than the caches: a record's block is fetched
 * ahead (prefetch) and its bits are set when the next record comes, by
 * which time the block has arrived.  Keys go in in the same order, so the
 * candidates are the same.  bloom_flush() adds the last one. */
static void bloom_flush(struct run *r)
{
    if (!r->pending) return;
    r->pending = 0;
    if (!bloom_add(r, r->pend_h)) return;
    if (r->ncands == r->capcands) {
        r->capcands = r->capcands ? r->capcands * 2 : 64;
        r->cands = cia_xrealloc(r->cands, r->capcands * sizeof *r->cands);
    }
    r->cands[r->ncands].line = r->pend_line;
    memcpy(r->cands[r->ncands].h, r->pend_h, CIA_PSEUDO_LEN);
    r->ncands++;
}

static void bloom_defer(struct run *r, const unsigned char *h, long line)
{
    __builtin_prefetch(bloom_block(r, h), 1);
    bloom_flush(r);
    memcpy(r->pend_h, h, CIA_PSEUDO_LEN);
    r->pend_line = line;
    r->pending = 1;
}

/* ---- validated-value cache -------------------------------------------- */

/* Per field, the last raw values of the lookup types (codes, yes/no,
 * countries) and what they validated to, direct-mapped by a hash of the
 * raw bytes.  Extracts repeat the same few spellings millions of times;
 * comparing a few bytes costs far less than folding the value and probing
 * the code or country tables again.  The result of those types depends on
 * the raw bytes alone, so a hit is exactly what validation would give.
 * Only valid values are kept: a bad one goes the long way, to its message. */
#define VCACHE_SLOTS 64
#define VCACHE_RAW 40

struct vcache_ent { size_t len; char raw[VCACHE_RAW]; struct cia_val val; };
struct vcache { struct vcache_ent e[VCACHE_SLOTS]; };

static int cacheable(enum cia_ftype t)
{
    return t == CIA_T_CODE || t == CIA_T_BOOL || t == CIA_T_COUNTRY || t == CIA_T_ISO2;
}

/* The slot: a multiplicative hash of the raw bytes, eight at a time. */
static struct vcache_ent *vcache_slot(struct run *r, size_t f, const char *raw, size_t len)
{
    uint64_t h = (uint64_t)len * 0x9E3779B97F4A7C15ULL, w;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        memcpy(&w, raw + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
    }
    w = 0;
    for (size_t j = 0; i + j < len; j++) w |= (uint64_t)(unsigned char)raw[i + j] << (8 * j);
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
    return &r->vcache[f].e[h >> 58];
}

static void key_hash(struct run *r, const cia_record *rec, unsigned char out[CIA_PSEUDO_LEN])
{
    const cia_spec *s = r->l->spec;
    const char *parts[9];
    size_t lens[9];
    parts[0] = s->service;
    lens[0] = strlen(s->service);
    for (size_t k = 0; k < s->nunique && k < 8; k++) {
        int f = s->unique[k];
        if (s->fields[f].type == CIA_T_REF) {
            /* the reference as written, trimmed (and cut at 255 bytes) */
            int c = r->field_col[f];
            const char *v = rec->fields[c];
            size_t n = rec->lens[c];
            while (n && (*v == ' ' || *v == '\t')) { v++; n--; }
            while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
            if (n > 255) n = 255;
            parts[k + 1] = v;
            lens[k + 1] = n;
        } else {
            parts[k + 1] = r->vals[f].text;
            lens[k + 1] = strlen(r->vals[f].text);
        }
    }
    cia_pseudonym(r->l->hasher, parts, lens, s->nunique + 1, out);
}

/* ---- records ---------------------------------------------------------- */

static void rule_bad(int field, const char *msg, void *arg)
{
    struct run *r = arg;
    int c = r->field_col[field];
    r->row_bad = 1;
    add_msg(r, r->rec_line, c >= 0 ? r->col_names[c] : r->l->spec->fields[field].name, "%s", msg);
}

/* ---- COPY in binary format -------------------------------------------
 * Records go to the server in COPY's binary format, so that it stores each
 * value as sent instead of parsing dates, numbers and escaped text again
 * (a quarter of the server's COPY time, measured).  Each value is already
 * in its standard form (the validator's), so the stored value is the one
 * the text format would give.  The column types are read from the record
 * table when the loader starts, and a field is sent only to a column of
 * the type it validates to. */
enum colkind { COL_TEXT, COL_INT4, COL_INT8, COL_DATE, COL_BOOL, COL_NUMERIC };

/* Longest encoded value: a text of cia_val's size, or a numeric. */
#define COL_MAX (4 + (int)sizeof(((struct cia_val *)0)->text))

/* One record, in r->row; returns its length. */
static size_t copy_row(struct run *r, long line, const unsigned char h[CIA_PSEUDO_LEN])
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
static int sender_start(struct run *r, cia_err *e)
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
static void sender_stop(struct run *r, int discard)
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
static int flush_copy(struct run *r)
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

static void tally_year(struct run *r, const char *scope, int year)
{
    if (r->nys && r->ys[r->lastys].year == year && !strcmp(r->ys[r->lastys].scope, scope)) {
        r->ys[r->lastys].rows++;
        return;
    }
    for (size_t i = 0; i < r->nys; i++)
        if (r->ys[i].year == year && !strcmp(r->ys[i].scope, scope)) {
            r->ys[i].rows++;
            r->lastys = i;
            return;
        }
    if (r->nys == r->capys) {
        r->capys = r->capys ? r->capys * 2 : 16;
        r->ys = cia_xrealloc(r->ys, r->capys * sizeof *r->ys);
    }
    snprintf(r->ys[r->nys].scope, sizeof r->ys[r->nys].scope, "%s", scope);
    r->ys[r->nys].year = year;
    r->ys[r->nys].rows = 1;
    r->lastys = r->nys++;
}

static void write_reject(struct run *r, const cia_record *rec)
{
    if (!r->rej_open) return;
    cia_buf b;
    cia_buf_init(&b);
    size_t n = rec->rawlen;
    while (n && (rec->raw[n - 1] == '\n' || rec->raw[n - 1] == '\r')) n--;
    char *orig = cia_xstrndup(rec->raw, n);
    cia_buf_printf(&b, "%ld,", rec->line);
    /* Extract text, opened in a spreadsheet: never a formula. */
    cia_buf_add_csv_text(&b, r->reasons.data ? r->reasons.data : "", ',');
    cia_buf_addc(&b, ',');
    cia_buf_add_csv_text(&b, orig, ',');
    cia_buf_addc(&b, '\n');
    fwrite(b.data, 1, b.len, r->rej.fp);
    free(orig);
    cia_buf_free(&b);
}

static void progress(struct run *r, long long offset, int final)
{
    if (!r->l->o.progress) return;
    double t = now_s();
    if (!final && t - r->tlast < 0.5) return;
    r->tlast = t;
    long long rows = r->rows_ok + r->rows_bad;
    double rate = t > r->t0 ? rows / (t - r->t0) : 0;
    if (final) { fprintf(stderr, "\r\033[K"); return; }
    char path[512];
    fprintf(stderr, "\r\033[K%s: %lld rows, %.0f rows/s, %d%%", cia_printable(path, sizeof path, r->path), rows, rate,
            r->scan.size ? (int)(100.0 * (double)offset / (double)r->scan.size) : 100);
}

/* Validate one data record into r->vals; 0 when valid. */
static int check_record(struct run *r, const cia_record *rec, int report)
{
    const cia_spec *s = r->l->spec;
    cia_buf_reset(&r->reasons);
    r->row_bad = 0;
    r->rec_line = rec->line;
    if (rec->error) {
        if (rec->unended) r->fatal = 1;   /* cut inside a quoted field: refused whole */
        if (report) add_msg(r, rec->line, rec->unended && rec->at_field < r->ncols ? r->col_names[rec->at_field] : NULL,
                            "%s", rec->error);
        return 1;
    }
    if (rec->nfields != r->ncols) {
        if (rec->unended && rec->nfields < r->ncols) {
            /* The last line, without a line ending, short of fields: the
             * file was cut (an upload stopped, a full disk), and what
             * is missing may be any number of records.  The whole file
             * is refused, even with --keep-going. */
            r->fatal = 1;
            if (report) add_msg(r, rec->line, r->col_names[rec->nfields ? rec->nfields - 1 : 0],
                                "the file was cut inside its last record: %zu fields where the header has %zu, "
                                "and no line ending", rec->nfields, r->ncols);
            return 1;
        }
        if (report) add_msg(r, rec->line, NULL, "%zu fields where the header has %zu (a stray delimiter or quote?)",
                            rec->nfields, r->ncols);
        return 1;
    }
    char err[1200];
    for (size_t f = 0; f < s->nfields; f++) {
        int c = r->field_col[f];
        const char *msg;
        if (c < 0) { r->vals[f].known = 0; r->vals[f].text[0] = '\0'; continue; }
        struct vcache_ent *ce = NULL;
        if (cacheable(s->fields[f].type) && rec->lens[c] <= VCACHE_RAW) {
            ce = vcache_slot(r, f, rec->fields[c], rec->lens[c]);
            if (ce->len == rec->lens[c] + 1 && !memcmp(ce->raw, rec->fields[c], rec->lens[c])) {
                r->vals[f] = ce->val;
                continue;
            }
        }
        msg = cia_validate_value(&s->fields[f], rec->fields[c], rec->lens[c], &r->l->vctx, &r->vals[f],
                                 err, sizeof err);
        if (!msg && ce) {
            ce->len = rec->lens[c] + 1;   /* + 1: 0 marks an empty slot */
            memcpy(ce->raw, rec->fields[c], rec->lens[c]);
            ce->val = r->vals[f];
        }
        if (msg) {
            r->row_bad = 1;
            if (report) add_msg(r, rec->line, r->col_names[c], "%s", msg);
            else r->res->nerrors += 0;
        }
    }
    if (!r->row_bad) {
        if (report) cia_validate_rules(s, r->vals, rule_bad, r);
        else {
            /* pass 2: same verdict, no messages */
            long before = r->res->nerrors;
            size_t nm = r->res->messages.n;
            cia_validate_rules(s, r->vals, rule_bad, r);
            r->res->nerrors = before;
            while (r->res->messages.n > nm) free(r->res->messages.v[--r->res->messages.n]);
        }
    }
    if (!r->row_bad && s->scope >= 0 && r->vals[s->scope].known) {
        /* One scope per file (a shelter's file is its centre's): the
         * file's scope is its first valid record's, and a record of
         * another would replace that other's whole year. */
        const char *v = r->vals[s->scope].text;
        if (!r->file_scope_line) {
            snprintf(r->file_scope, sizeof r->file_scope, "%s", v);
            r->file_scope_line = rec->line;
        } else if (strcmp(v, r->file_scope)) {
            r->row_bad = 1;
            if (report)
                add_msg(r, rec->line, r->col_names[r->field_col[s->scope]],
                        "%s where the file's first record (line %ld) says %s: one file holds one %s's data; "
                        "a record of another would replace that %s's whole year", v, r->file_scope_line,
                        r->file_scope, s->fields[s->scope].name, s->fields[s->scope].name);
        }
    }
    return r->row_bad;
}

static int on_record(const cia_record *rec, void *arg)
{
    struct run *r = arg;
    const cia_spec *s = r->l->spec;
    if (!r->header_done) {
        if (rec->error) {
            add_msg(r, rec->line, NULL, "the header line cannot be read: %s", rec->error);
            r->fatal = 1;
            return 1;
        }
        do_header(r, rec);
        return r->fatal;
    }
    if (r->pass == 2) {
        unsigned char h[CIA_PSEUDO_LEN];
        char hex[2 * CIA_PSEUDO_LEN + 1];
        if (r->key_raw_only) {
            /* The key is the references as written: hash first and skip
             * the records that are not candidates without validating
             * them; the candidates are checked below as before. */
            if (rec->error || rec->nfields != r->ncols) return 0;
            key_hash(r, rec, h);
            cia_hex(h, CIA_PSEUDO_LEN, hex);
            if (!cia_map_get(&r->cand_set, hex)) return 0;
            if (check_record(r, rec, 0)) return 0;
        } else {
            if (check_record(r, rec, 0)) return 0;
            key_hash(r, rec, h);
            cia_hex(h, CIA_PSEUDO_LEN, hex);
            if (!cia_map_get(&r->cand_set, hex)) return 0;
        }
        long first = (long)(intptr_t)cia_map_get(&r->first_line, hex);
        if (!first) {
            cia_map_put(&r->first_line, hex, (void *)(intptr_t)rec->line);
            return 0;
        }
        cia_buf_reset(&r->reasons);
        char cols[256] = "";
        for (size_t k = 0; k < s->nunique; k++) {
            int c = r->field_col[s->unique[k]];
            snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s%s", k ? ", " : "", r->col_names[c]);
        }
        add_msg(r, rec->line, r->col_names[r->field_col[s->unique[s->nunique - 1]]],
                "duplicate record: the same %s as line %ld", cols, first);
        r->rows_bad++;
        r->rows_ok--;
        if (r->ndups == r->capdups) {
            r->capdups = r->capdups ? r->capdups * 2 : 16;
            r->dup_lines = cia_xrealloc(r->dup_lines, r->capdups * sizeof *r->dup_lines);
        }
        r->dup_lines[r->ndups++] = rec->line;
        if (r->l->o.keep_going) write_reject(r, rec);
        return 0;
    }
    if (check_record(r, rec, 1)) {
        r->rows_bad++;
        if (r->l->o.keep_going) write_reject(r, rec);
        if ((r->rows_ok + r->rows_bad) % 4096 == 0) progress(r, rec->offset, 0);
        return 0;
    }
    r->rows_ok++;
    unsigned char h[CIA_PSEUDO_LEN];
    key_hash(r, rec, h);
    bloom_defer(r, h, rec->line);
    int year = (int)(s->fields[s->primary].type == CIA_T_DATE ? r->vals[s->primary].num / 10000
                                                               : r->vals[s->primary].num);
    tally_year(r, s->scope >= 0 ? r->vals[s->scope].text : "", year);
    /* Stop feeding COPY once the file is known to be rejected. */
    if (r->copying && !r->copy_failed && (r->l->o.keep_going || r->res->nerrors == 0)) {
        cia_buf_add(&r->copybuf, r->row, copy_row(r, rec->line, h));
        if (r->copybuf.len >= 256 * 1024) flush_copy(r);
        if (r->groups && !r->group_failed && cia_groups_add(r->groups, r->vals, &r->group_err))
            r->group_failed = 1;
    }
    if ((r->rows_ok + r->rows_bad) % 4096 == 0) progress(r, rec->offset, 0);
    return 0;
}

/* ---- loader ----------------------------------------------------------- */

/* The record table's column types → how each field is sent (COPY
 * binary); a column of a type its field does not validate to is refused
 * here, before any file is read. */
/* A table's columns and their types (format_type), in order. */
static int table_columns(cia_db *db, const char *table, PGresult **q, cia_err *e)
{
    const char *p[1] = {table};
    return cia_db_query(db, e, q,
        "SELECT a.attname, pg_catalog.format_type(a.atttypid, NULL) FROM pg_catalog.pg_attribute a "
        "WHERE a.attrelid = pg_catalog.to_regclass(pg_catalog.quote_ident($1)) "
        "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum", 1, p);
}

static int copy_columns(cia_loader *l, cia_err *e)
{
    const cia_spec *s = l->spec;
    PGresult *q;
    int rc = table_columns(l->db, s->table, &q, e);
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

/* The group table must have the columns the spec's group declarations
 * give, in their order: the loader copies its groups in by position. */
static int group_columns(cia_loader *l, cia_err *e)
{
    cia_groups *g;
    int rc = cia_groups_new(&g, l->spec, GROUP_MEMORY, e);
    if (rc || !g) return rc;
    l->grouped = 1;
    if (!cia_groups_has_table(g)) {   /* the registration delay only */
        cia_groups_free(g);
        return CIA_OK;
    }
    char table[96];
    snprintf(table, sizeof table, "%s_group", l->spec->service);
    PGresult *q;
    if (!(rc = table_columns(l->db, table, &q, e))) {
        size_t n = cia_groups_ncols(g);
        for (size_t i = 0; i < n && !rc; i++) {
            const char *name = cia_groups_col_name(g, i), *type = cia_groups_col_type(g, i);
            if ((int)i >= PQntuples(q) || strcmp(PQgetvalue(q, (int)i, 0), name) ||
                strcmp(PQgetvalue(q, (int)i, 1), type))
                rc = cia_fail(e, CIA_EINTERNAL, "group table %s: column %zu must be %s %s, as the %s spec's "
                              "group lines declare", table, i + 1, name, type, l->spec->service);
        }
        if (!rc && (size_t)PQntuples(q) != n)
            rc = cia_fail(e, CIA_EINTERNAL, "group table %s has %d columns, the %s spec declares %zu", table,
                          PQntuples(q), l->spec->service, n);
        PQclear(q);
    }
    cia_groups_free(g);
    return rc;
}

int cia_loader_new(cia_loader **out, cia_db *db, const struct cia_load_opts *o, cia_err *e)
{
    cia_loader *l = cia_xcalloc(1, sizeof *l);
    l->db = db;
    l->o = *o;
    int rc = cia_spec_load(&l->spec, o->service, e);
    if (!rc) rc = cia_codes_load(db, &l->codes, e);
    if (!rc) rc = cia_countries_load(&l->countries, e);
    if (!rc) {
        PGresult *q;
        if ((rc = cia_db_query(db, e, &q, "SELECT alias, country FROM country_alias", 0, NULL)) == CIA_OK) {
            for (int i = 0; i < PQntuples(q); i++)
                if (cia_countries_add_alias(l->countries, PQgetvalue(q, i, 0), PQgetvalue(q, i, 1)))
                    cia_warn("country alias '%s': %s is not a country", PQgetvalue(q, i, 0), PQgetvalue(q, i, 1));
            PQclear(q);
        }
    }
    unsigned char key[CIA_KEY_LEN];
    if (!rc) rc = cia_pseudonym_key(key, e);
    if (!rc && !(l->hasher = cia_hasher_new(key))) rc = cia_fail(e, CIA_EINTERNAL, "cannot set up SHA-256");
    memset(key, 0, sizeof key);
    if (rc) { cia_loader_free(l); return rc; }
    l->vctx.codes = &l->codes;
    l->vctx.countries = l->countries;
    l->vctx.today = cia_today();
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, " (delivery_id, line_no, ref_hash");
    for (size_t f = 0; f < l->spec->nfields; f++) {
        if (l->spec->fields[f].type == CIA_T_REF) continue;
        char *c = PQescapeIdentifier(db->conn, l->spec->fields[f].name, strlen(l->spec->fields[f].name));
        cia_buf_printf(&b, ", %s", c);
        PQfreemem(c);
    }
    cia_buf_adds(&b, ") FROM STDIN (FORMAT binary)");
    l->copy_cols = cia_buf_steal(&b);
    if ((rc = copy_columns(l, e)) || (rc = group_columns(l, e))) { cia_loader_free(l); return rc; }
    *out = l;
    return CIA_OK;
}

int cia_loader_new_offline(cia_loader **out, const struct cia_load_opts *o, struct cia_codes *codes,
                           const unsigned char *key, cia_err *e)
{
    if (!o->dry_run) return cia_fail(e, CIA_EINTERNAL, "a loader without a database only validates (dry run)");
    cia_loader *l = cia_xcalloc(1, sizeof *l);
    l->o = *o;
    l->codes = *codes;
    memset(codes, 0, sizeof *codes);
    int rc = cia_spec_load(&l->spec, o->service, e);
    if (!rc) rc = cia_countries_load(&l->countries, e);
    if (!rc && !(l->hasher = cia_hasher_new(key))) rc = cia_fail(e, CIA_EINTERNAL, "cannot set up SHA-256");
    if (rc) { cia_loader_free(l); return rc; }
    l->vctx.codes = &l->codes;
    l->vctx.countries = l->countries;
    l->vctx.today = cia_today();
    *out = l;
    return CIA_OK;
}

void cia_loader_free(cia_loader *l)
{
    if (!l) return;
    cia_spec_free(l->spec);
    cia_codes_free(&l->codes);
    cia_countries_free(l->countries);
    free(l->copy_cols);
    free(l->col_kind);
    cia_hasher_free(l->hasher);
    free(l);
}

void cia_load_result_free(struct cia_load_result *res)
{
    cia_strv_free(&res->messages);
    cia_strv_free(&res->notices);
}

static void run_free(struct run *r)
{
    if (r->col_names) for (size_t i = 0; i < r->ncols; i++) free(r->col_names[i]);
    free(r->col_names);
    free(r->col_field);
    free(r->field_col);
    free(r->vals);
    free(r->bloom_mem);
    free(r->vcache);
    free(r->row);
    free(r->cands);
    free(r->dup_lines);
    free(r->ys);
    cia_groups_free(r->groups);
    sender_stop(r, 1);
    cia_map_free(&r->cand_set);
    cia_map_free(&r->first_line);
    cia_buf_free(&r->copybuf);
    cia_buf_free(&r->reasons);
    if (r->rej_open) cia_outfile_abort(&r->rej);
}

static void reset_header(struct run *r)
{
    if (r->col_names) for (size_t i = 0; i < r->ncols; i++) free(r->col_names[i]);
    free(r->col_names);
    free(r->col_field);
    r->col_names = NULL;
    r->col_field = NULL;
    r->header_done = 0;
    for (size_t f = 0; f < r->l->spec->nfields; f++) r->field_col[f] = -1;
}

static int end_copy(struct run *r, const char *abort_msg, cia_err *e)
{
    if (!r->copying) return CIA_OK;
    cia_db *db = r->l->db;
    if (!abort_msg) {
        unsigned char trailer[CIA_COPY_TRAILER_LEN];
        cia_buf_add(&r->copybuf, trailer, (size_t)(cia_copy_trailer(trailer) - trailer));
        flush_copy(r);
    }
    sender_stop(r, abort_msg != NULL);
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

/* *dup = 1 when two records of this delivery share one of the candidates'
 * key hashes (the records are all in the table, COPY has ended). */
static int any_duplicate(struct run *r, int *dup, cia_err *e)
{
    cia_db *db = r->l->db;
    /* bytea[] in text form: {"\\x...","\\x..."} */
    cia_buf arr;
    cia_buf_init(&arr);
    cia_buf_addc(&arr, '{');
    char hex[2 * CIA_PSEUDO_LEN + 1];
    for (size_t i = 0; i < r->ncands; i++) {
        cia_hex(r->cands[i].h, CIA_PSEUDO_LEN, hex);
        cia_buf_printf(&arr, "%s\"\\\\x%s\"", i ? "," : "", hex);
    }
    cia_buf_addc(&arr, '}');
    char id[32];
    snprintf(id, sizeof id, "%lld", r->delivery_id);
    char *t = PQescapeIdentifier(db->conn, r->l->spec->table, strlen(r->l->spec->table));
    /* One table, one pass: the candidates are a constant array when the
     * statement is planned, which PostgreSQL tests with a hash table; a
     * join here could be planned as one scan of the delivery per
     * candidate (the table's statistics do not know the new rows yet). */
    char *sql = cia_xasprintf("SELECT EXISTS (SELECT 1 FROM %s WHERE delivery_id = $1 AND ref_hash = ANY($2::bytea[]) "
                              "GROUP BY ref_hash HAVING count(*) > 1)", t);
    PQfreemem(t);
    const char *p[2] = {id, arr.data};
    PGresult *q;
    int rc = cia_db_query(db, e, &q, sql, 2, p);
    free(sql);
    cia_buf_free(&arr);
    if (rc) return rc;
    *dup = PQgetvalue(q, 0, 0)[0] == 't';
    PQclear(q);
    return CIA_OK;
}

struct group_sink { cia_db *db; cia_err *e; };

static int put_groups(const void *buf, size_t len, void *arg)
{
    struct group_sink *k = arg;
    if (PQputCopyData(k->db->conn, buf, (int)len) != 1) return cia_db_fail(k->db, k->e, NULL, "COPY");
    return CIA_OK;
}

/* The delivery's groups into its service's group table, and the
 * registration delay (convictions) into its delivery row. */
static int copy_groups(struct run *r, cia_err *e)
{
    cia_db *db = r->l->db;
    if (r->group_failed) {
        *e = r->group_err;
        return e->code;
    }
    int rc = CIA_OK;
    if (cia_groups_has_table(r->groups)) {
        char *sql = cia_groups_copy_sql(r->groups);
        PGresult *q = PQexec(db->conn, sql);
        free(sql);
        rc = PQresultStatus(q) == PGRES_COPY_IN ? CIA_OK : cia_db_fail(db, e, q, "COPY");
        PQclear(q);
        if (rc) return rc;
        struct group_sink k = {db, e};
        rc = cia_groups_copy_out(r->groups, r->delivery_id, put_groups, &k, e);
        if (PQputCopyEnd(db->conn, rc ? "aborted" : NULL) != 1 && !rc) rc = cia_db_fail(db, e, NULL, "COPY");
        while ((q = PQgetResult(db->conn))) {
            if (!rc && PQresultStatus(q) != PGRES_COMMAND_OK) rc = cia_db_fail(db, e, q, "COPY");
            PQclear(q);
        }
        cia_debug("%s: groups: %lld rows, %lld of them spilled", r->path, cia_groups_rows(r->groups),
                  cia_groups_spilled(r->groups));
    }
    int newest, p95;
    if (!rc && cia_groups_lag(r->groups, &newest, &p95)) {
        char id[32], ref[16], lag[16];
        snprintf(id, sizeof id, "%lld", r->delivery_id);
        snprintf(ref, sizeof ref, "%04d-%02d-%02d", newest / 10000, newest / 100 % 100, newest % 100);
        snprintf(lag, sizeof lag, "%d", p95);
        const char *p[3] = {id, ref, lag};
        rc = cia_db_query(db, e, NULL, "UPDATE delivery SET reference_date = $2, lag_p95_days = $3 WHERE id = $1",
                          3, p);
    }
    return rc;
}

static int years_and_derive(struct run *r, const char *loaded_at, cia_err *e)
{
    cia_loader *l = r->l;
    char id[32], rows[32], year[16], rejected[32];
    snprintf(id, sizeof id, "%lld", r->delivery_id);
    int rc;
    cia_buf repl;
    cia_buf_init(&repl);
    for (size_t i = 0; i < r->nys; i++) {
        snprintf(year, sizeof year, "%d", r->ys[i].year);
        snprintf(rows, sizeof rows, "%lld", r->ys[i].rows);
        const char *p[6] = {id, l->spec->service, r->ys[i].scope, year, rows, loaded_at};
        PGresult *res;
        rc = cia_db_query(l->db, e, &res,
            "INSERT INTO delivery_year (delivery_id, service, scope, year, rows, replaces) "
            "SELECT $1, $2, $3, $4, $5, (SELECT c.delivery_id FROM "
            "  coverage_as_of(coalesce($6::timestamptz, now())) c "
            "  WHERE c.service = $2 AND c.scope = $3 AND c.year = $4 AND c.delivery_id <> $1) "
            "RETURNING replaces", 6, p);
        if (rc) { cia_buf_free(&repl); return rc; }
        if (!PQgetisnull(res, 0, 0))
            cia_buf_printf(&repl, "%s#%s for %d%s%s", repl.len ? "; " : "", PQgetvalue(res, 0, 0),
                           r->ys[i].year, r->ys[i].scope[0] ? " " : "", r->ys[i].scope);
        PQclear(res);
    }
    snprintf(r->res->replaced, sizeof r->res->replaced, "%s", repl.data ? repl.data : "");
    cia_buf_free(&repl);
    snprintf(rows, sizeof rows, "%lld", r->rows_ok);
    snprintf(rejected, sizeof rejected, "%lld", r->rows_bad);
    const char *p[4] = {id, rows, rejected, r->rows_bad ? "t" : "f"};
    if ((rc = cia_db_query(l->db, e, NULL,
            "UPDATE delivery SET rows = $2, rejected_rows = $3, partial = $4 WHERE id = $1", 4, p)))
        return rc;
    /* Duplicates taken back out (--keep-going) were counted: the server
     * counts the records that stay instead. */
    if (r->groups && !r->ndups) return copy_groups(r, e);
    return cia_db_query(l->db, e, NULL, "SELECT derive_items($1)", 1, p);
}

/* Line number of a "path:line:..." message, 0 if none. */
static long msg_line(const char *msg, size_t pathlen)
{
    return strlen(msg) > pathlen && msg[pathlen] == ':' ? atol(msg + pathlen + 1) : 0;
}

/* Problems found by the duplicate pass come last: list all by line
 * (insertion sort: stable, and the list is short). */
static void sort_messages(cia_strv *m, const char *path)
{
    size_t pl = strlen(path);
    for (size_t i = 1; i < m->n; i++) {
        char *x = m->v[i];
        long lx = msg_line(x, pl);
        size_t j = i;
        while (j > 0 && msg_line(m->v[j - 1], pl) > lx) { m->v[j] = m->v[j - 1]; j--; }
        m->v[j] = x;
    }
}

static int cmp_year(const void *a, const void *b)
{
    const struct yscope *x = a, *y = b;
    return x->year != y->year ? x->year - y->year : strcmp(x->scope, y->scope);
}

/* A big load rolled back leaves its WAL behind until the next checkpoint
 * (max_wal_size, or checkpoint_timeout): a few failed gigabyte loads in a
 * row filled a small disk until the server stopped.  A checkpoint now lets
 * the server recycle that WAL at once.  Only the cluster's owner (or
 * pg_checkpoint) may: for a loader role it fails, quietly — a server run by
 * others is theirs to size (docs/RELIABILITY.md). */
#define CHECKPOINT_AFTER (64LL * 1024 * 1024)
static void checkpoint_after(struct run *r)
{
    if (r->l->o.dry_run || r->scan.size < CHECKPOINT_AFTER || PQstatus(r->l->db->conn) != CONNECTION_OK) return;
    cia_err e2;
    cia_err_clear(&e2);
    if (cia_db_exec(r->l->db, &e2, "CHECKPOINT") == CIA_OK)
        cia_debug("%s: checkpoint after the failed load (its WAL can be recycled)", r->path);
}

/* A failure of the file itself (changed while read, unreadable): listed
 * like any other problem of the file when it is about its data. */
static int file_problem(struct run *r, int rc, cia_err *e)
{
    if (rc == CIA_EDATA) {
        char buf[3000];
        cia_strv_push(&r->res->messages, cia_err_format(e, buf, sizeof buf));
        r->res->nerrors++;
    }
    return rc;
}

int cia_load_file(cia_loader *l, const char *path, struct cia_load_result *res, cia_err *e)
{
    cia_input in;
    int rc = cia_input_open(&in, AT_FDCWD, path, path, e);
    if (rc) {
        memset(res, 0, sizeof *res);
        return rc;
    }
    rc = cia_load_input(l, &in, res, e);
    cia_input_close(&in);
    return rc;
}

int cia_load_input(cia_loader *l, cia_input *in, struct cia_load_result *res, cia_err *e)
{
    const char *path = in->path;
    memset(res, 0, sizeof *res);
    struct run r;
    memset(&r, 0, sizeof r);
    r.l = l;
    r.path = path;
    r.res = res;
    r.pass = 1;
    r.t0 = r.tlast = now_s();
    cia_db *db = l->db;
    const cia_spec *s = l->spec;
    int rc = cia_scan_file(in, &r.scan, e);
    if (rc) return file_problem(&r, rc, e);
    cia_crash_point("scanned");   /* tests change the file here */
    snprintf(res->sha256, sizeof res->sha256, "%s", r.scan.sha256);
    snprintf(res->encoding, sizeof res->encoding, "%s",
             r.scan.encoding == CIA_ENC_CP1252 ? "windows-1252" : r.scan.bom ? "utf-8-bom" : "utf-8");
    if (r.scan.size == 0) {
        add_msg(&r, 0, NULL, "empty file: no header, no records");
        cia_buf_free(&r.reasons);
        return CIA_EDATA;
    }
    r.field_col = cia_xcalloc(s->nfields, sizeof *r.field_col);
    r.vals = cia_xcalloc(s->nfields, sizeof *r.vals);
    r.vcache = cia_xcalloc(s->nfields ? s->nfields : 1, sizeof *r.vcache);
    r.row = cia_xmalloc(2 + (3 + s->nfields) * COL_MAX + CIA_PSEUDO_LEN);
    r.key_raw_only = 1;
    for (size_t k = 0; k < s->nunique; k++)
        if (s->fields[s->unique[k]].type != CIA_T_REF) r.key_raw_only = 0;
    reset_header(&r);
    /* Bloom filter: ~24 bits per expected record (records of at least 24
     * bytes), at least 1 Mbit, at most 256 Mbit (32 MiB). */
    double expect = (double)r.scan.size / 24.0 + 1024;
    double bits = expect * 24.0;
    if (bits < 1 << 20) bits = 1 << 20;
    if (bits > 256.0 * 1024 * 1024) bits = 256.0 * 1024 * 1024;
    r.bloom_blocks = (size_t)bits / (BLOOM_WORDS * 64);
    /* Tests shrink the filter to make false candidates in a small file. */
    r.bloom_blocks = cia_test_size("BLOOM_BLOCKS", r.bloom_blocks);
    r.bloom_mem = cia_xcalloc(r.bloom_blocks * BLOOM_WORDS + BLOOM_WORDS, sizeof *r.bloom);
    r.bloom = (uint64_t *)(((uintptr_t)r.bloom_mem + 63) & ~(uintptr_t)63);
    const char *loaded_at = l->o.loaded_at;

    if (!l->o.dry_run) {
        char stmt[128];
        const char *lt = getenv("CIATTEH_LOCK_TIMEOUT");
        int lock_secs = lt && atoi(lt) > 0 ? atoi(lt) : 30;
        if ((rc = cia_db_begin(db, e))) goto out;
        snprintf(stmt, sizeof stmt, "SET LOCAL lock_timeout = '%ds'", lock_secs);
        if ((rc = cia_db_exec(db, e, stmt))) goto fail;
        const char *p1[1] = {s->service};
        /* The service's load lock: a row lock only its loader and
         * administrators may take (schema/0008), waited for up to the
         * lock timeout. */
        rc = cia_db_query(db, e, NULL, "SELECT ciatteh_lock('load.' || $1)", 1, p1);
        if (rc == CIA_EBUSY) {
            cia_fail(e, CIA_EBUSY, "another load of %s holds the lock; try again later", s->service);
            goto fail;
        }
        if (rc) goto fail;
        const char *p2[2] = {s->service, r.scan.sha256};
        PGresult *q;
        if ((rc = cia_db_query(db, e, &q,
                "SELECT id FROM delivery "
                "WHERE service = $1 AND sha256 = $2", 2, p2))) goto fail;
        if (PQntuples(q) == 1) {
            res->identical = 1;
            res->delivery_id = atoll(PQgetvalue(q, 0, 0));
            PQclear(q);
            cia_db_rollback(db);
            goto out;
        }
        PQclear(q);
        char size[32];
        snprintf(size, sizeof size, "%lld", r.scan.size);
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        const char *user = getenv("USER") ? getenv("USER") : "";
        const char *p3[7] = {s->service, base, r.scan.sha256, size, res->encoding, loaded_at, user};
        if ((rc = cia_db_query(db, e, &q,
                "INSERT INTO delivery (service, file_name, sha256, size_bytes, encoding, loaded_at, os_user) "
                "VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()), $7) RETURNING id", 7, p3)))
            goto fail;
        r.delivery_id = atoll(PQgetvalue(q, 0, 0));
        PQclear(q);
        /* Tests shrink the memory to make the groups spill in a small file. */
        size_t mem = cia_test_size("GROUP_MEMORY", GROUP_MEMORY);
        if (l->grouped && (rc = cia_groups_new(&r.groups, s, mem, e))) goto fail;
        /* The delivery's own partition of the record table, written
         * directly (schema/0007). */
        char id[32];
        snprintf(id, sizeof id, "%lld", r.delivery_id);
        const char *p4[1] = {id};
        rc = cia_db_query(db, e, &q, "SELECT ciatteh_record_partition($1)", 1, p4);
        if (rc == CIA_EBUSY) {
            /* Attaching needs SHARE UPDATE EXCLUSIVE on the record table:
             * readers never hold anything stronger than ACCESS SHARE, but
             * an administrator's LOCK TABLE or schema change might. */
            cia_fail(e, CIA_EBUSY, "another session holds a lock on %s for more than the lock "
                     "timeout (%d s, CIATTEH_LOCK_TIMEOUT): nothing was loaded; try again later",
                     s->table, lock_secs);
            goto fail;
        }
        if (rc) goto fail;
        char *part = PQescapeIdentifier(db->conn, PQgetvalue(q, 0, 0), strlen(PQgetvalue(q, 0, 0)));
        PQclear(q);
        char *copy = cia_xasprintf("COPY %s%s", part, l->copy_cols);
        PQfreemem(part);
        q = PQexec(db->conn, copy);
        free(copy);
        if (PQresultStatus(q) != PGRES_COPY_IN) {
            rc = cia_db_fail(db, e, q, "COPY");
            PQclear(q);
            goto fail;
        }
        PQclear(q);
        r.copying = 1;
        unsigned char head[CIA_COPY_HEADER_LEN];
        cia_buf_add(&r.copybuf, head, (size_t)(cia_copy_header(head) - head));
        if ((rc = sender_start(&r, e))) goto fail;
        if (l->o.keep_going) {
            const char *rp = l->o.rejects;
            if (!rp || !*rp) {
                snprintf(res->rejects_path, sizeof res->rejects_path, "%s.rejects.csv", base);
                rp = res->rejects_path;
            } else snprintf(res->rejects_path, sizeof res->rejects_path, "%s", rp);
            rc = l->o.rejects_in_dir ? cia_outfile_openat(&r.rej, l->o.rejects_dirfd, rp, rp, e)
                                     : cia_outfile_open(&r.rej, rp, e);
            if (rc) goto fail;
            r.rej_open = 1;
            fputs("line,reason,original\n", r.rej.fp);
        }
    }

    rc = cia_read_records(in, &r.scan, s->delimiter, on_record, &r, e);
    if (rc < 0 || rc > 1) {   /* a read error, or changed (1 = stopped on a fatal header) */
        file_problem(&r, rc, e);
        goto fail;
    }
    rc = CIA_OK;
    progress(&r, 0, 1);
    if (!r.header_done && !r.fatal) {
        add_msg(&r, 1, NULL, "no header line");
        r.fatal = 1;
    }
    if (!r.fatal && r.rows_ok + r.rows_bad == 0) {
        add_msg(&r, 1, NULL, "header only: the file holds no records, so it cannot say which years it covers");
        r.fatal = 1;
    }
    bloom_flush(&r);
    /* Confirm duplicate candidates exactly.  When every record went into
     * COPY (no problem so far, not --keep-going, not --dry-run), the
     * server holds every record's key hash: one query says whether any
     * candidate is a real duplicate, and only then is the file read a
     * second time, to name them (the file is then rejected).  The few
     * dozen false candidates of a 10 M-row file used to cost a second
     * read: ~6 s of client CPU (BENCHMARKS.md). */
    int reread = !r.fatal && r.ncands;
    if (reread && r.copying && !r.copy_failed && !l->o.keep_going && res->nerrors == 0) {
        if ((rc = end_copy(&r, NULL, e))) goto fail;
        if ((rc = any_duplicate(&r, &reread, e))) goto fail;
        cia_debug("%s: %zu duplicate candidates of the Bloom filter, %s", path, r.ncands,
                 reread ? "duplicates among them: reading the file again to name them"
                        : "none a duplicate (checked in the database)");
    }
    if (reread) {
        char hex[2 * CIA_PSEUDO_LEN + 1];
        for (size_t i = 0; i < r.ncands; i++) {
            cia_hex(r.cands[i].h, CIA_PSEUDO_LEN, hex);
            cia_map_put(&r.cand_set, hex, (void *)1);
        }
        r.pass = 2;
        reset_header(&r);
        int rc2 = cia_read_records(in, &r.scan, s->delimiter, on_record, &r, e);
        if (rc2 < 0 || rc2 > 1) { rc = file_problem(&r, rc2, e); goto fail; }
    }
    res->rows = r.rows_ok;
    res->rejected = r.rows_bad;
    if (r.nys) qsort(r.ys, r.nys, sizeof *r.ys, cmp_year);   /* qsort(NULL, 0) is undefined */
    cia_buf yb;
    cia_buf_init(&yb);
    for (size_t i = 0; i < r.nys; i++)
        if (!i || r.ys[i].year != r.ys[i - 1].year) cia_buf_printf(&yb, "%s%d", yb.len ? "," : "", r.ys[i].year);
    snprintf(res->years, sizeof res->years, "%s", yb.data ? yb.data : "");
    cia_buf_free(&yb);

    int rejected = r.fatal || (res->nerrors && !l->o.keep_going) || (l->o.keep_going && r.rows_ok == 0);
    if (l->o.keep_going && !r.fatal && r.rows_ok == 0)
        add_msg(&r, 0, NULL, "no valid record: nothing to load");
    if (l->o.dry_run) {
        rc = rejected || res->nerrors ? CIA_EDATA : CIA_OK;
        goto out;
    }
    if (rejected) {
        end_copy(&r, "rejected by validation", e);
        rc = CIA_EDATA;
        goto fail;
    }
    if ((rc = end_copy(&r, NULL, e))) goto fail;
    if (r.ndups) {
        /* keep-going: take the later duplicates back out */
        cia_buf arr;
        cia_buf_init(&arr);
        cia_buf_addc(&arr, '{');
        for (size_t i = 0; i < r.ndups; i++) cia_buf_printf(&arr, "%s%ld", i ? "," : "", r.dup_lines[i]);
        cia_buf_addc(&arr, '}');
        char id[32];
        snprintf(id, sizeof id, "%lld", r.delivery_id);
        char *t = PQescapeIdentifier(db->conn, s->table, strlen(s->table));
        char *sql = cia_xasprintf("DELETE FROM %s WHERE delivery_id = $1 AND line_no = ANY($2::bigint[])", t);
        PQfreemem(t);
        const char *p[2] = {id, arr.data};
        rc = cia_db_query(db, e, NULL, sql, 2, p);
        free(sql);
        cia_buf_free(&arr);
        if (rc) goto fail;
        /* the tallies counted them: recount years from what stays */
        r.nys = 0;
        t = PQescapeIdentifier(db->conn, s->table, strlen(s->table));
        char *prim = PQescapeIdentifier(db->conn, s->fields[s->primary].name, strlen(s->fields[s->primary].name));
        char *scope = s->scope >= 0 ? PQescapeIdentifier(db->conn, s->fields[s->scope].name,
                                                         strlen(s->fields[s->scope].name)) : NULL;
        int is_date = s->fields[s->primary].type == CIA_T_DATE;
        sql = cia_xasprintf("SELECT %s, %s%s%s, count(*) FROM %s WHERE delivery_id = $1 GROUP BY 1, 2",
                            scope ? scope : "''", is_date ? "yr(" : "", prim, is_date ? ")" : "", t);
        PQfreemem(t);
        PQfreemem(prim);
        if (scope) PQfreemem(scope);
        PGresult *q;
        const char *p1[1] = {id};
        rc = cia_db_query(db, e, &q, sql, 1, p1);
        free(sql);
        if (rc) goto fail;
        for (int i = 0; i < PQntuples(q); i++) {
            tally_year(&r, PQgetvalue(q, i, 0), atoi(PQgetvalue(q, i, 1)));
            r.ys[r.nys - 1].rows = atoll(PQgetvalue(q, i, 2));
        }
        PQclear(q);
    }
    if ((rc = years_and_derive(&r, loaded_at, e))) goto fail;
    /* Last look before COMMIT: still the size and time seen at open (a
     * file being appended to is not committed half-read). */
    if ((rc = cia_input_unchanged(in, e))) { file_problem(&r, rc, e); goto fail; }
    cia_crash_point("stamp");   /* tests look at --as-of answers here */
    if (!loaded_at) {
        /* Dated at its commit, not at its transaction's start: an as-of
         * answer for a moment before this never changes (schema/0013). */
        char id[32];
        snprintf(id, sizeof id, "%lld", r.delivery_id);
        const char *p[1] = {id};
        if ((rc = cia_db_query(db, e, NULL, "SELECT ciatteh_stamp_delivery($1)", 1, p))) goto fail;
    }
    if (r.rej_open) {
        if ((rc = cia_outfile_commit(&r.rej, e))) goto fail;
        r.rej_open = 0;
    }
    if ((rc = cia_db_commit(db, e))) goto out;
    res->delivery_id = r.delivery_id;
    res->seconds = now_s() - r.t0;
    goto out;
fail:
    if (r.copying) end_copy(&r, "aborted", e);
    cia_db_rollback(db);
    checkpoint_after(&r);
out:
    res->seconds = now_s() - r.t0;
    sort_messages(&res->messages, path);
    run_free(&r);
    return rc;
}
