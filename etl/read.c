/* read.c — owns the bytes of an extract: opening it once, safely (no
 * symlink, FIFO or device), the scan pass (SHA-256, size, encoding,
 * binary check) and the record pass (encoding conversion, BOM, CRLF,
 * quoting via libcsv, line numbers, original text for rejects), both over
 * the one descriptor, the second proving it read the bytes the first
 * hashed. */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/reader.h"
#include "ciatteh/text.h"
#include "ciatteh/util.h"

#define CHUNK (256 * 1024)

static int input_check(cia_input *in, int fd, const char *display, cia_err *e)
{
    memset(in, 0, sizeof *in);
    in->fd = -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        return cia_fail(e, CIA_ENOINPUT, "%s: cannot read: %s", display, strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return cia_fail(e, CIA_ENOINPUT, "%s: refused: %s, not a regular file", display, cia_file_kind(st.st_mode));
    }
    /* Regular files never block: back to ordinary reads. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    in->fd = fd;
    in->path = cia_xstrdup(display);
    in->size = (long long)st.st_size;
    in->mtime = st.st_mtim;
    in->dev = (unsigned long long)st.st_dev;
    in->ino = (unsigned long long)st.st_ino;
    return CIA_OK;
}

int cia_input_open(cia_input *in, int dirfd, const char *name, const char *display, cia_err *e)
{
    memset(in, 0, sizeof *in);
    in->fd = -1;
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
     * writer; O_NOFOLLOW: a symbolic link fails (ELOOP) instead of being
     * followed to whatever it names. */
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int err = errno;
        struct stat st;
        if (err == ELOOP && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
            return cia_fail(e, CIA_ENOINPUT, "%s: refused: a symbolic link, not a regular file "
                            "(give the file it names)", display);
        return cia_fail(e, CIA_ENOINPUT, "%s: cannot open: %s", display, strerror(err));
    }
    return input_check(in, fd, display, e);
}

int cia_input_adopt(cia_input *in, int fd, const char *display, cia_err *e)
{
    return input_check(in, fd, display, e);
}

int cia_input_unchanged(const cia_input *in, cia_err *e)
{
    struct stat st;
    if (fstat(in->fd, &st) != 0)
        return cia_fail(e, CIA_ENOINPUT, "%s: cannot read: %s", in->path, strerror(errno));
    if ((long long)st.st_size != in->size || st.st_mtim.tv_sec != in->mtime.tv_sec ||
        st.st_mtim.tv_nsec != in->mtime.tv_nsec)
        return cia_fail_at(e, CIA_EDATA, in->path, 0, NULL,
                           CIA_CHANGED_MSG " (%lld bytes when opened, now %lld, or modified since): "
                           "nothing was loaded; load it again once it is complete",
                           in->size, (long long)st.st_size);
    return CIA_OK;
}

void cia_input_close(cia_input *in)
{
    if (in->fd >= 0) close(in->fd);
    free(in->path);
    memset(in, 0, sizeof *in);
    in->fd = -1;
}

/* read() all of n bytes at off unless the file ends first. */
static size_t read_at(int fd, void *buf, size_t n, long long off, int *err)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(fd, (char *)buf + got, n - got, (off_t)(off + (long long)got));
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) { *err = errno; break; }
        if (k == 0) break;
        got += (size_t)k;
    }
    return got;
}

/* Line number of the first invalid UTF-8 sequence.  Only called on the
 * rare path of a damaged file. */
static long locate_fault(const cia_input *in)
{
    long ln = 1;
    unsigned char seq[4], buf[65536];
    int need = 0, have = 0, err = 0;
    long long off = 0;
    size_t n;
    while (off < in->size && (n = read_at(in->fd, buf, sizeof buf, off, &err)) > 0) {
        off += (long long)n;
        for (size_t k = 0; k < n; k++) {
            int c = buf[k];
            if (need == 0) {
                if (c < 0x80) { if (c == '\n') ln++; continue; }
                need = c >= 0xF5 ? 0 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
                if (!need) return ln;
                seq[0] = (unsigned char)c;
                have = 1;
                continue;
            }
            seq[have++] = (unsigned char)c;
            if ((c & 0xC0) != 0x80) return ln;
            if (have == need) {
                int inc;
                if (cia_utf8_valid_prefix(seq, (size_t)need, &inc) != (size_t)need) return ln;
                need = have = 0;
            }
        }
    }
    return ln;
}

/* Any byte >= 0x80?  In a valid UTF-8 prefix that means a multi-byte
 * sequence.  Eight bytes at a time: this runs over every byte of a file. */
static int has_high_byte(const unsigned char *p, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ULL) return 1;
    }
    for (; i < n; i++) if (p[i] >= 0x80) return 1;
    return 0;
}

int cia_scan_file(cia_input *in, cia_scan *out, cia_err *e)
{
    memset(out, 0, sizeof *out);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    unsigned char *buf = cia_xmalloc(CHUNK + 4);
    size_t carry = 0, n;
    int multibyte = 0, invalid = 0, last_nl = 1, last_cr = 1, rerr = 0;
    long long total = 0, crs = 0, nul_line = 0;
    /* Only the bytes there at open: a file still growing is caught by
     * cia_input_unchanged before anything commits. */
    while (total < in->size &&
           (n = read_at(in->fd, buf + carry, (size_t)(in->size - total < CHUNK ? in->size - total : CHUNK),
                        total, &rerr)) > 0) {
        unsigned char *nul = memchr(buf + carry, 0, n);
        if (nul) {
            /* Binary: answer now, at the first block holding a NUL (a
             * sparse or endless file is not read to its end). */
            nul_line = out->lines + 1;
            for (unsigned char *q = buf + carry; (q = memchr(q, '\n', (size_t)(nul - q))); q++) nul_line++;
            break;
        }
        EVP_DigestUpdate(md, buf + carry, n);
        if (total == 0 && n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) out->bom = 1;
        total += (long long)n;
        size_t len = carry + n, i = 0;
        for (unsigned char *q = buf + carry; (q = memchr(q, '\n', (size_t)(buf + len - q))); q++)
            out->lines++;
        if (!out->lines)
            for (unsigned char *q = buf + carry; (q = memchr(q, '\r', (size_t)(buf + len - q))); q++)
                crs++;
        last_nl = buf[len - 1] == '\n';
        last_cr = buf[len - 1] == '\r';
        /* UTF-8 validation across chunk borders: keep a cut sequence. */
        while (i < len) {
            int incomplete;
            size_t ok = cia_utf8_valid_prefix(buf + i, len - i, &incomplete);
            if (!multibyte) multibyte = has_high_byte(buf + i, ok);
            i += ok;
            if (i >= len || incomplete) break;
            invalid = 1;
            i++;
        }
        carry = len - i;
        memmove(buf, buf + i, carry);
    }
    free(buf);
    unsigned char digest[32];
    unsigned int dl = 0;
    EVP_DigestFinal_ex(md, digest, &dl);
    EVP_MD_CTX_free(md);
    if (nul_line)
        return cia_fail_at(e, CIA_EDATA, in->path, (long)nul_line, NULL,
                           "NUL byte: this is not a text extract (binary file?)");
    if (rerr) return cia_fail(e, CIA_ENOINPUT, "%s: read error: %s", in->path, strerror(rerr));
    if (total != in->size)
        return cia_fail_at(e, CIA_EDATA, in->path, 0, NULL,
                           CIA_CHANGED_MSG " (%lld bytes when opened, %lld could be read): nothing was loaded",
                           in->size, total);
    if (carry) invalid = 1;   /* a sequence cut by the end of the file */
    cia_hex(digest, 32, out->sha256);
    out->size = total;
    if (out->lines == 0 && crs > 0) {
        /* No LF anywhere but CRs: the lines end in CR alone. */
        out->cr_only = 1;
        out->lines = (long)crs;
        last_nl = last_cr;
    }
    if (total > 0 && !last_nl) out->lines++;
    if (invalid && (out->bom || multibyte))
        return cia_fail_at(e, CIA_EDATA, in->path, locate_fault(in), NULL,
                           "invalid UTF-8 byte sequence in a file that is otherwise UTF-8%s",
                           out->bom ? " (it starts with a UTF-8 byte-order mark)" : "");
    out->encoding = invalid ? CIA_ENC_CP1252 : CIA_ENC_UTF8;
    return CIA_OK;
}

/* State of the record pass. */
struct rd {
    struct csv_parser p;
    cia_record rec;
    size_t cap;
    cia_buf field_store;       /* fields of the current record, back to back */
    size_t *offs;              /* offsets of fields in field_store */
    size_t *flens;             /* their lengths */
    size_t noffs, offcap;
    cia_buf raw;
    long row_start;
    int too_long;
    cia_record_fn fn;
    void *arg;
    int stop;
};

static void push_field(struct rd *r, size_t off, size_t len)
{
    if (r->noffs == r->offcap) {
        r->offcap = r->offcap ? r->offcap * 2 : 32;
        r->offs = cia_xrealloc(r->offs, r->offcap * sizeof *r->offs);
        r->flens = cia_xrealloc(r->flens, r->offcap * sizeof *r->flens);
    }
    r->offs[r->noffs] = off;
    r->flens[r->noffs++] = len;
}

static void on_field(void *s, size_t len, void *data)
{
    struct rd *r = data;
    push_field(r, r->field_store.len, s ? len : 0);
    cia_buf_add(&r->field_store, s ? s : "", s ? len : 0);
    cia_buf_addc(&r->field_store, '\0');
}

static void emit(struct rd *r, const char *error)
{
    if (r->stop) return;
    if (r->noffs > r->cap) {
        r->cap = r->noffs;
        r->rec.fields = cia_xrealloc(r->rec.fields, r->cap * sizeof *r->rec.fields);
        r->rec.lens = cia_xrealloc(r->rec.lens, r->cap * sizeof *r->rec.lens);
    }
    for (size_t i = 0; i < r->noffs; i++) {
        r->rec.fields[i] = r->field_store.data + r->offs[i];
        r->rec.lens[i] = r->flens[i];
    }
    r->rec.nfields = error ? 0 : r->noffs;
    r->rec.line = r->row_start;
    r->rec.raw = r->raw.data ? r->raw.data : "";
    r->rec.rawlen = r->raw.len;
    r->rec.error = error;
    r->stop = r->fn(&r->rec, r->arg);
    r->noffs = 0;
    cia_buf_reset(&r->field_store);
}

static void on_record(int c, void *data)
{
    (void)c;
    emit((struct rd *)data, NULL);
}

/* libcsv's blanks: trimmed around unquoted fields, unless the delimiter. */
static int csv_blank(char c, char delim)
{
    return (c == ' ' || c == '\t') && c != delim;
}

/* The common line is split here rather than by libcsv: a whole record on
 * one line, no quote character, no CR or LF before its line ending.  For
 * such a line libcsv gives the fields between delimiters, blanks trimmed at
 * both ends, and nothing for a line of blanks; so does this, in place,
 * without libcsv's byte-at-a-time state machine and per-field callbacks
 * (together the largest cost of a load, when profiled).  Every other line
 * (quotes, a record running over several lines, a stray CR, the last line
 * without an ending) goes through libcsv.  Returns 1 when it handled the
 * line. */
static int split_plain(struct rd *r, const char *s, size_t n)
{
    if (r->p.pstate != 0 /* ROW_NOT_BEGUN */) return 0;
    size_t body = n;
    while (body && (s[body - 1] == '\n' || s[body - 1] == '\r')) body--;
    if (body == n || memchr(s, '"', body) || memchr(s, '\r', body) || memchr(s, '\n', body)) return 0;
    const char delim = (char)csv_get_delim(&r->p);
    size_t k = 0;
    while (k < body && csv_blank(s[k], delim)) k++;
    if (k == body) return 1;                    /* blanks only: no record */
    r->noffs = 0;
    cia_buf_reset(&r->field_store);
    cia_buf_add(&r->field_store, s, body);      /* NUL-terminated by cia_buf */
    char *base = r->field_store.data, *p = base, *end = base + body;
    for (;;) {
        char *q = memchr(p, delim, (size_t)(end - p));
        if (!q) q = end;
        char *a = p, *b = q;
        while (a < b && csv_blank(*a, delim)) a++;
        while (b > a && csv_blank(b[-1], delim)) b--;
        *b = '\0';
        push_field(r, (size_t)(a - base), (size_t)(b - a));
        if (q == end) break;
        p = q + 1;
    }
    emit(r, NULL);
    return 1;
}

/* libcsv grows a field's buffer by a fixed block (128 bytes by default),
 * each time a realloc that copies the whole field.  The block starts at
 * 64 KiB and, before each line is fed, is raised to the size the buffer
 * has reached (see feed): a field that keeps growing doubles it, so a
 * 16 MiB field costs ~9 copies instead of 256 (under AddressSanitizer
 * each of those in fresh pages: 600,000 page faults and 7 s of CPU for
 * one such file). */
#define CSV_BLOCK (64 * 1024)

/* Start the parser afresh (after a damaged record), same delimiter. */
static void parser_reset(struct rd *r, unsigned char opts)
{
    unsigned char d = csv_get_delim(&r->p);
    csv_free(&r->p);
    csv_init(&r->p, opts);
    csv_set_delim(&r->p, d);
    csv_set_blk_size(&r->p, CSV_BLOCK);
    r->noffs = 0;
    cia_buf_reset(&r->field_store);
}

/* Feed one physical line (UTF-8, with its line ending) to libcsv. */
static void feed(struct rd *r, const char *s, size_t n, long lineno, unsigned char opts)
{
    if (r->p.pstate == 0 /* ROW_NOT_BEGUN */) {
        r->row_start = lineno;
        cia_buf_reset(&r->raw);
        r->too_long = 0;
        /* Blank lines between records carry nothing. */
        size_t k = 0;
        while (k < n && (s[k] == '\r' || s[k] == '\n')) k++;
        if (k == n) return;
    }
    if (r->raw.len + n > CIA_MAX_RECORD) {
        if (!r->too_long) {
            r->too_long = 1;
            parser_reset(r, opts);   /* (it used to fall back to ',' here) */
            cia_buf_reset(&r->raw);
            emit(r, "record longer than 16 MiB (unterminated quote?)");
        }
        return;
    }
    cia_buf_add(&r->raw, s, n);
    if (split_plain(r, s, n)) return;
    size_t blk = r->p.entry_size > CSV_BLOCK ? r->p.entry_size : CSV_BLOCK;
    csv_set_blk_size(&r->p, blk > n ? blk : n);
    size_t done = csv_parse(&r->p, s, n, on_field, on_record, r);
    if (done != n) {
        /* Malformed quoting: report the record, restart at the next line. */
        parser_reset(r, opts);
        emit(r, "malformed quoting: a quote inside an unquoted field, or text after a closing quote");
        cia_buf_reset(&r->raw);
    }
}

/* One physical line, BOM stripped and converted to UTF-8, to the parser. */
static void feed_line(struct rd *r, const cia_scan *scan, cia_buf *conv, const char *s, size_t len, long lineno,
                      int *first, unsigned char opts)
{
    if (*first && scan->bom && len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) { s += 3; len -= 3; }
    *first = 0;
    if (scan->encoding == CIA_ENC_CP1252) {
        cia_buf_reset(conv);
        cia_cp1252_to_utf8(conv, (const unsigned char *)s, len);
        s = conv->data;
        len = conv->len;
    }
    feed(r, s, len, lineno, opts);
}

int cia_read_records(cia_input *in, const cia_scan *scan, char delim,
                     cia_record_fn fn, void *arg, cia_err *e)
{
    struct rd r;
    memset(&r, 0, sizeof r);
    unsigned char opts = CSV_STRICT | CSV_STRICT_FINI;
    if (csv_init(&r.p, opts) != 0) return cia_fail(e, CIA_EINTERNAL, "libcsv: cannot initialise");
    csv_set_delim(&r.p, (unsigned char)delim);
    csv_set_blk_size(&r.p, CSV_BLOCK);
    r.fn = fn;
    r.arg = arg;
    cia_buf_init(&r.field_store);
    cia_buf_init(&r.raw);
    cia_buf line, conv;
    cia_buf_init(&line);
    cia_buf_init(&conv);
    char *buf = cia_xmalloc(CHUNK);
    size_t n;
    long lineno = 0;
    long long consumed = 0;
    int first = 1, rerr = 0;
    const int eol = scan->cr_only ? '\r' : '\n';
    /* The bytes loaded are hashed again: the SHA-256 recorded must be
     * theirs, whatever happened to the file between the passes. */
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    while (!r.stop && consumed < scan->size &&
           (n = read_at(in->fd, buf, (size_t)(scan->size - consumed < CHUNK ? scan->size - consumed : CHUNK),
                        consumed, &rerr)) > 0) {
        EVP_DigestUpdate(md, buf, n);
        size_t i = 0;
        while (i < n && !r.stop) {
            char *nl = memchr(buf + i, eol, n - i);
            size_t take = nl ? (size_t)(nl - (buf + i)) + 1 : n - i;
            /* A line longer than the record limit is cut short here. */
            if (line.len < CIA_MAX_RECORD + 1) cia_buf_add(&line, buf + i, take);
            i += take;
            consumed += (long long)take;
            if (!nl) break;
            lineno++;
            r.rec.offset = consumed;
            feed_line(&r, scan, &conv, line.data, line.len, lineno, &first, opts);
            cia_buf_reset(&line);
        }
    }
    int whole = !r.stop;   /* read to the end: the hash covers every byte */
    if (!r.stop && line.len) {   /* last line without a line ending */
        lineno++;
        r.rec.offset = consumed;
        r.rec.unended = 1;
        feed_line(&r, scan, &conv, line.data, line.len, lineno, &first, opts);
    }
    if (!r.stop && csv_fini(&r.p, on_field, on_record, &r) != 0) {
        r.rec.at_field = r.noffs;   /* the fields before the open quote */
        r.noffs = 0;
        cia_buf_reset(&r.field_store);
        r.rec.unended = 1;
        emit(&r, "unterminated quoted field at the end of the file (file truncated?)");
    }
    unsigned char digest[32];
    unsigned int dl = 0;
    char hex[65];
    EVP_DigestFinal_ex(md, digest, &dl);
    EVP_MD_CTX_free(md);
    cia_hex(digest, 32, hex);
    int stop = r.stop;
    csv_free(&r.p);
    free(buf);
    free(r.offs);
    free(r.flens);
    free(r.rec.fields);
    free(r.rec.lens);
    cia_buf_free(&r.field_store);
    cia_buf_free(&r.raw);
    cia_buf_free(&line);
    cia_buf_free(&conv);
    if (rerr) return cia_fail(e, CIA_ENOINPUT, "%s: read error: %s", in->path, strerror(rerr));
    if (whole && (consumed != scan->size || strcmp(hex, scan->sha256)))
        return cia_fail_at(e, CIA_EDATA, in->path, 0, NULL,
                           CIA_CHANGED_MSG " (its bytes are no longer those hashed when it was opened): "
                           "nothing was loaded; load it again once it is complete");
    return stop;
}
