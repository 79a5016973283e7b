/* load_run.h — the inside of one load (etl/load*.c), shared by the files
 * of its phases and by nothing else: the loader, the run of one file,
 * and the functions each phase's file gives the others.
 *
 *   load.c           the sequence of phases; records: validation, the
 *                    value cache, rejects, progress, messages
 *   load_header.c    the header line: columns to fields, the other
 *                    service a wrong file looks like
 *   load_dups.c      duplicate detection: the Bloom filter of key hashes,
 *                    confirmation in the database and by a second read
 *   load_copy.c      COPY in binary format and its sender thread
 *   load_delivery.c  the delivery's bookkeeping: lock, delivery row,
 *                    partition, years covered, groups, stamp, commit */
#ifndef CIATTEH_LOAD_RUN_H
#define CIATTEH_LOAD_RUN_H

#include <pthread.h>
#include <stdint.h>
#include "ciatteh/codes.h"
#include "ciatteh/country.h"
#include "ciatteh/group.h"
#include "ciatteh/load.h"
#include "ciatteh/map.h"
#include "ciatteh/pseudonym.h"
#include "ciatteh/reader.h"
#include "ciatteh/spec.h"
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

struct vcache;

/* One file's load (the loader holds what all files of a service share). */
struct load_run {
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
    int in_tx;                    /* the delivery's transaction is open */
    int done;                     /* nothing more to do (identical file, dry run) */
};

/* load.c */
double ld_now(void);
/* A problem of the file: counted, listed as file:line:column (at most
 * max_messages), and added to the record's reasons (rejects file). */
void ld_msg(struct load_run *r, long line, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* load_header.c: the header record; the columns forgotten for a new pass. */
void ld_header(struct load_run *r, const cia_record *rec);
void ld_reset_header(struct load_run *r);

/* load_dups.c */
void ld_bloom_alloc(struct load_run *r);
void ld_key_hash(struct load_run *r, const cia_record *rec, unsigned char out[CIA_PSEUDO_LEN]);
void ld_bloom_defer(struct load_run *r, const unsigned char *h, long line);
void ld_bloom_flush(struct load_run *r);
int ld_any_duplicate(struct load_run *r, int *dup, cia_err *e);
void ld_dups_prepare(struct load_run *r);
/* Pass 2: a valid record whose key is a candidate; 1 when it repeats an
 * earlier one (named, counted, rejected). */
int ld_dup_record(struct load_run *r, const cia_record *rec, const char *hex);
int ld_dups_remove(struct load_run *r, cia_err *e);

/* load_copy.c */
size_t ld_copy_row_max(const cia_spec *s);
size_t ld_copy_row(struct load_run *r, long line, const unsigned char h[CIA_PSEUDO_LEN]);
int ld_table_columns(cia_db *db, const char *table, PGresult **q, cia_err *e);
int ld_copy_columns(cia_loader *l, cia_err *e);
int ld_copy_begin(struct load_run *r, const char *partition, cia_err *e);
int ld_flush_copy(struct load_run *r);
void ld_sender_stop(struct load_run *r, int discard);
int ld_end_copy(struct load_run *r, const char *abort_msg, cia_err *e);

/* load_delivery.c */
int ld_group_columns(cia_loader *l, cia_err *e);
void ld_tally_year(struct load_run *r, const char *scope, int year);
void ld_years_text(struct load_run *r);
int ld_delivery_begin(struct load_run *r, cia_err *e);
int ld_years_and_derive(struct load_run *r, const char *loaded_at, cia_err *e);
int ld_delivery_stamp(struct load_run *r, cia_err *e);
int ld_delivery_commit(struct load_run *r, cia_err *e);
void ld_delivery_abort(struct load_run *r, cia_err *e);

#endif
