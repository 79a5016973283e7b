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
 * This file holds the sequence of phases (cia_load_input) and the records:
 * validation, the value cache, rejects, progress and messages.  The other
 * phases have files of their own (include/ciatteh/load_run.h lists them):
 * the header (load_header.c), duplicates (load_dups.c), COPY and its
 * sender thread (load_copy.c), the delivery's bookkeeping
 * (load_delivery.c). */
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ciatteh/load_run.h"
#include "ciatteh/testpoint.h"
#include "ciatteh/text.h"

double ld_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Messages quote extract text and name files, and go to a terminal:
 * control characters are shown as \xNN (cia_printable), never sent as
 * they are (an escape sequence in a field or a file name must not drive
 * the analyst's terminal). */
void ld_msg(struct load_run *r, long line, const char *column, const char *fmt, ...)
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

/* ---- records ---------------------------------------------------------- */

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
static struct vcache_ent *vcache_slot(struct load_run *r, size_t f, const char *raw, size_t len)
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

static void rule_bad(int field, const char *msg, void *arg)
{
    struct load_run *r = arg;
    int c = r->field_col[field];
    r->row_bad = 1;
    ld_msg(r, r->rec_line, c >= 0 ? r->col_names[c] : r->l->spec->fields[field].name, "%s", msg);
}

static void write_reject(struct load_run *r, const cia_record *rec)
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

static void progress(struct load_run *r, long long offset, int final)
{
    if (!r->l->o.progress) return;
    double t = ld_now();
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
static int check_record(struct load_run *r, const cia_record *rec, int report)
{
    const cia_spec *s = r->l->spec;
    cia_buf_reset(&r->reasons);
    r->row_bad = 0;
    r->rec_line = rec->line;
    if (rec->error) {
        if (rec->unended) r->fatal = 1;   /* cut inside a quoted field: refused whole */
        if (report) ld_msg(r, rec->line, rec->unended && rec->at_field < r->ncols ? r->col_names[rec->at_field] : NULL,
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
            if (report) ld_msg(r, rec->line, r->col_names[rec->nfields ? rec->nfields - 1 : 0],
                                "the file was cut inside its last record: %zu fields where the header has %zu, "
                                "and no line ending", rec->nfields, r->ncols);
            return 1;
        }
        if (report) ld_msg(r, rec->line, NULL, "%zu fields where the header has %zu (a stray delimiter or quote?)",
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
            if (report) ld_msg(r, rec->line, r->col_names[c], "%s", msg);
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
                ld_msg(r, rec->line, r->col_names[r->field_col[s->scope]],
                        "%s where the file's first record (line %ld) says %s: one file holds one %s's data; "
                        "a record of another would replace that %s's whole year", v, r->file_scope_line,
                        r->file_scope, s->fields[s->scope].name, s->fields[s->scope].name);
        }
    }
    return r->row_bad;
}

static int on_record(const cia_record *rec, void *arg)
{
    struct load_run *r = arg;
    const cia_spec *s = r->l->spec;
    if (!r->header_done) {
        if (rec->error) {
            ld_msg(r, rec->line, NULL, "the header line cannot be read: %s", rec->error);
            r->fatal = 1;
            return 1;
        }
        ld_header(r, rec);
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
            ld_key_hash(r, rec, h);
            cia_hex(h, CIA_PSEUDO_LEN, hex);
            if (!cia_map_get(&r->cand_set, hex)) return 0;
            if (check_record(r, rec, 0)) return 0;
        } else {
            if (check_record(r, rec, 0)) return 0;
            ld_key_hash(r, rec, h);
            cia_hex(h, CIA_PSEUDO_LEN, hex);
            if (!cia_map_get(&r->cand_set, hex)) return 0;
        }
        if (ld_dup_record(r, rec, hex) && r->l->o.keep_going) write_reject(r, rec);
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
    ld_key_hash(r, rec, h);
    ld_bloom_defer(r, h, rec->line);
    int year = (int)(s->fields[s->primary].type == CIA_T_DATE ? r->vals[s->primary].num / 10000
                                                               : r->vals[s->primary].num);
    ld_tally_year(r, s->scope >= 0 ? r->vals[s->scope].text : "", year);
    /* Stop feeding COPY once the file is known to be rejected. */
    if (r->copying && !r->copy_failed && (r->l->o.keep_going || r->res->nerrors == 0)) {
        cia_buf_add(&r->copybuf, r->row, ld_copy_row(r, rec->line, h));
        if (r->copybuf.len >= 256 * 1024) ld_flush_copy(r);
        if (r->groups && !r->group_failed && cia_groups_add(r->groups, r->vals, &r->group_err))
            r->group_failed = 1;
    }
    if ((r->rows_ok + r->rows_bad) % 4096 == 0) progress(r, rec->offset, 0);
    return 0;
}

/* ---- loader ----------------------------------------------------------- */

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
    if ((rc = ld_copy_columns(l, e)) || (rc = ld_group_columns(l, e))) { cia_loader_free(l); return rc; }
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

static void run_free(struct load_run *r)
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
    ld_sender_stop(r, 1);
    cia_map_free(&r->cand_set);
    cia_map_free(&r->first_line);
    cia_buf_free(&r->copybuf);
    cia_buf_free(&r->reasons);
    if (r->rej_open) cia_outfile_abort(&r->rej);
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

/* A failure of the file itself (changed while read, unreadable): listed
 * like any other problem of the file when it is about its data. */
static int file_problem(struct load_run *r, int rc, cia_err *e)
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


/* ---- the phases of a load --------------------------------------------- */

/* The file scanned (size, hash, encoding) and the run sized for it; an
 * empty file ends here. */
static int load_open(struct load_run *r, cia_input *in, cia_err *e)
{
    const cia_spec *s = r->l->spec;
    struct cia_load_result *res = r->res;
    int rc = cia_scan_file(in, &r->scan, e);
    if (rc) return file_problem(r, rc, e);
    cia_crash_point("scanned");   /* tests change the file here */
    snprintf(res->sha256, sizeof res->sha256, "%s", r->scan.sha256);
    snprintf(res->encoding, sizeof res->encoding, "%s",
             r->scan.encoding == CIA_ENC_CP1252 ? "windows-1252" : r->scan.bom ? "utf-8-bom" : "utf-8");
    if (r->scan.size == 0) {
        ld_msg(r, 0, NULL, "empty file: no header, no records");
        return CIA_EDATA;
    }
    r->field_col = cia_xcalloc(s->nfields, sizeof *r->field_col);
    r->vals = cia_xcalloc(s->nfields, sizeof *r->vals);
    r->vcache = cia_xcalloc(s->nfields ? s->nfields : 1, sizeof *r->vcache);
    r->row = cia_xmalloc(ld_copy_row_max(s));
    r->key_raw_only = 1;
    for (size_t k = 0; k < s->nunique; k++)
        if (s->fields[s->unique[k]].type != CIA_T_REF) r->key_raw_only = 0;
    ld_reset_header(r);
    ld_bloom_alloc(r);
    return CIA_OK;
}

/* --keep-going: the rejects file, committed with the delivery. */
static int open_rejects(struct load_run *r, cia_err *e)
{
    const struct cia_load_opts *o = &r->l->o;
    struct cia_load_result *res = r->res;
    const char *base = strrchr(r->path, '/') ? strrchr(r->path, '/') + 1 : r->path;
    const char *rp = o->rejects;
    if (!rp || !*rp) {
        snprintf(res->rejects_path, sizeof res->rejects_path, "%s.rejects.csv", base);
        rp = res->rejects_path;
    } else snprintf(res->rejects_path, sizeof res->rejects_path, "%s", rp);
    int rc = o->rejects_in_dir ? cia_outfile_openat(&r->rej, o->rejects_dirfd, rp, rp, e)
                               : cia_outfile_open(&r->rej, rp, e);
    if (rc) return rc;
    r->rej_open = 1;
    fputs("line,reason,original\n", r->rej.fp);
    return CIA_OK;
}

/* The first read: header, records validated, hashed, tallied, sent. */
static int read_pass(struct load_run *r, cia_input *in, cia_err *e)
{
    int rc = cia_read_records(in, &r->scan, r->l->spec->delimiter, on_record, r, e);
    if (rc < 0 || rc > 1) {   /* a read error, or changed (1 = stopped on a fatal header) */
        file_problem(r, rc, e);
        return rc;
    }
    progress(r, 0, 1);
    if (!r->header_done && !r->fatal) {
        ld_msg(r, 1, NULL, "no header line");
        r->fatal = 1;
    }
    if (!r->fatal && r->rows_ok + r->rows_bad == 0) {
        ld_msg(r, 1, NULL, "header only: the file holds no records, so it cannot say which years it covers");
        r->fatal = 1;
    }
    ld_bloom_flush(r);
    return CIA_OK;
}

/* Confirm duplicate candidates exactly.  When every record went into COPY
 * (no problem so far, not --keep-going, not --dry-run), the server holds
 * every record's key hash: one query says whether any candidate is a
 * real duplicate, and only then is the file read a second time, to name
 * them (the file is then rejected).  The few dozen false candidates of a
 * 10 M-row file used to cost a second read: ~6 s of client CPU
 * (BENCHMARKS.md). */
static int confirm_pass(struct load_run *r, cia_input *in, cia_err *e)
{
    int rc, reread = !r->fatal && r->ncands;
    if (reread && r->copying && !r->copy_failed && !r->l->o.keep_going && r->res->nerrors == 0) {
        if ((rc = ld_end_copy(r, NULL, e)) || (rc = ld_any_duplicate(r, &reread, e))) return rc;
        cia_debug("%s: %zu duplicate candidates of the Bloom filter, %s", r->path, r->ncands,
                  reread ? "duplicates among them: reading the file again to name them"
                         : "none a duplicate (checked in the database)");
    }
    if (!reread) return CIA_OK;
    ld_dups_prepare(r);
    r->pass = 2;
    ld_reset_header(r);
    rc = cia_read_records(in, &r->scan, r->l->spec->delimiter, on_record, r, e);
    return rc < 0 || rc > 1 ? file_problem(r, rc, e) : CIA_OK;
}

/* Loaded or rejected: the result's figures, and CIA_EDATA when the file
 * is refused (COPY told so).  A dry run ends here. */
static int verdict(struct load_run *r, cia_err *e)
{
    const struct cia_load_opts *o = &r->l->o;
    struct cia_load_result *res = r->res;
    res->rows = r->rows_ok;
    res->rejected = r->rows_bad;
    ld_years_text(r);
    int rejected = r->fatal || (res->nerrors && !o->keep_going) || (o->keep_going && r->rows_ok == 0);
    if (o->keep_going && !r->fatal && r->rows_ok == 0) ld_msg(r, 0, NULL, "no valid record: nothing to load");
    if (o->dry_run) {
        r->done = 1;
        return rejected || res->nerrors ? CIA_EDATA : CIA_OK;
    }
    if (rejected) {
        ld_end_copy(r, "rejected by validation", e);
        return CIA_EDATA;
    }
    return CIA_OK;
}

/* COPY ended, duplicates out (--keep-going), years and groups written,
 * the file unchanged since it was opened, the rejects file and the
 * delivery committed. */
static int finish(struct load_run *r, cia_input *in, cia_err *e)
{
    int rc;
    if ((rc = ld_end_copy(r, NULL, e)) || (rc = ld_dups_remove(r, e)) ||
        (rc = ld_years_and_derive(r, r->l->o.loaded_at, e)))
        return rc;
    /* Last look before COMMIT: still the size and time seen at open (a
     * file being appended to is not committed half-read). */
    if ((rc = cia_input_unchanged(in, e))) return file_problem(r, rc, e);
    cia_crash_point("stamp");   /* tests look at --as-of answers here */
    if ((rc = ld_delivery_stamp(r, e))) return rc;
    if (r->rej_open) {
        if ((rc = cia_outfile_commit(&r->rej, e))) return rc;
        r->rej_open = 0;
    }
    return ld_delivery_commit(r, e);
}

int cia_load_input(cia_loader *l, cia_input *in, struct cia_load_result *res, cia_err *e)
{
    struct load_run r;
    memset(res, 0, sizeof *res);
    memset(&r, 0, sizeof r);
    r.l = l;
    r.path = in->path;
    r.res = res;
    r.pass = 1;
    r.t0 = r.tlast = ld_now();
    int rc = load_open(&r, in, e);
    if (!rc && !l->o.dry_run) rc = ld_delivery_begin(&r, e);
    if (!rc && !r.done && l->o.keep_going && !l->o.dry_run) rc = open_rejects(&r, e);
    if (!rc && !r.done) rc = read_pass(&r, in, e);
    if (!rc && !r.done) rc = confirm_pass(&r, in, e);
    if (!rc && !r.done) rc = verdict(&r, e);
    if (!rc && !r.done) rc = finish(&r, in, e);
    if (rc && r.in_tx) ld_delivery_abort(&r, e);
    res->seconds = ld_now() - r.t0;
    sort_messages(&res->messages, r.path);
    run_free(&r);
    return rc;
}
