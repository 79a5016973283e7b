/* read.c — owns the bytes of an extract: the scan pass (SHA-256, size,
 * encoding, binary check) and the record pass (encoding conversion, BOM,
 * CRLF, quoting via libcsv, line numbers, original text for rejects). */
#include <csv.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/reader.h"
#include "ciatteh/text.h"
#include "ciatteh/util.h"

#define CHUNK (256 * 1024)

/* Line number of the first NUL byte (find_nul) or of the first invalid
 * UTF-8 sequence.  Only called on the rare path of a damaged file. */
static long locate_fault(const char *path, int find_nul)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return 0;
    long ln = 1;
    unsigned char seq[4];
    int c, need = 0, have = 0;
    while ((c = fgetc(fp)) != EOF) {
        if (find_nul) {
            if (c == 0) break;
            if (c == '\n') ln++;
            continue;
        }
        if (need == 0) {
            if (c < 0x80) { if (c == '\n') ln++; continue; }
            need = c >= 0xF5 ? 0 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
            if (!need) break;
            seq[0] = (unsigned char)c;
            have = 1;
            continue;
        }
        seq[have++] = (unsigned char)c;
        if ((c & 0xC0) != 0x80) break;
        if (have == need) {
            int inc;
            if (cia_utf8_valid_prefix(seq, (size_t)need, &inc) != (size_t)need) break;
            need = have = 0;
        }
    }
    fclose(fp);
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

int cia_scan_file(const char *path, cia_scan *out, cia_err *e)
{
    memset(out, 0, sizeof *out);
    FILE *fp = fopen(path, "rb");
    if (!fp) return cia_fail(e, CIA_ENOINPUT, "%s: cannot open: %s", path, strerror(errno));
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    unsigned char *buf = cia_xmalloc(CHUNK + 4);
    size_t carry = 0, n;
    int multibyte = 0, invalid = 0, nul = 0, last_nl = 1, last_cr = 1;
    long long total = 0, crs = 0;
    while ((n = fread(buf + carry, 1, CHUNK, fp)) > 0) {
        EVP_DigestUpdate(md, buf + carry, n);
        if (total == 0 && n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) out->bom = 1;
        total += (long long)n;
        size_t len = carry + n, i = 0;
        if (memchr(buf + carry, 0, n)) nul = 1;
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
    int rerr = ferror(fp);
    fclose(fp);
    free(buf);
    unsigned char digest[32];
    unsigned int dl = 0;
    EVP_DigestFinal_ex(md, digest, &dl);
    EVP_MD_CTX_free(md);
    if (rerr) return cia_fail(e, CIA_ENOINPUT, "%s: read error", path);
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
    if (nul)
        return cia_fail_at(e, CIA_EDATA, path, locate_fault(path, 1), NULL,
                           "NUL byte: this is not a text extract (binary file?)");
    if (invalid && (out->bom || multibyte))
        return cia_fail_at(e, CIA_EDATA, path, locate_fault(path, 0), NULL,
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

/* libcsv grows a field's buffer by a fixed block (128 bytes by default):
 * a multi-megabyte field would cost tens of thousands of reallocs, each a
 * full copy under AddressSanitizer.  Blocks of 64 KiB keep it linear. */
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
    size_t done = csv_parse(&r->p, s, n, on_field, on_record, r);
    if (done != n) {
        /* Malformed quoting: report the record, restart at the next line. */
        parser_reset(r, opts);
        emit(r, "malformed quoting: a quote inside an unquoted field, or text after a closing quote");
        cia_buf_reset(&r->raw);
    }
}

int cia_read_records(const char *path, const cia_scan *scan, char delim,
                     cia_record_fn fn, void *arg, cia_err *e)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return cia_fail(e, CIA_ENOINPUT, "%s: cannot open: %s", path, strerror(errno));
    struct rd r;
    memset(&r, 0, sizeof r);
    unsigned char opts = CSV_STRICT | CSV_STRICT_FINI;
    if (csv_init(&r.p, opts) != 0) {
        fclose(fp);
        return cia_fail(e, CIA_EINTERNAL, "libcsv: cannot initialise");
    }
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
    int first = 1;
    const int eol = scan->cr_only ? '\r' : '\n';
    while (!r.stop && (n = fread(buf, 1, CHUNK, fp)) > 0) {
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
            const char *s = line.data;
            size_t len = line.len;
            if (first && scan->bom && len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) { s += 3; len -= 3; }
            first = 0;
            if (scan->encoding == CIA_ENC_CP1252) {
                cia_buf_reset(&conv);
                cia_cp1252_to_utf8(&conv, (const unsigned char *)s, len);
                s = conv.data;
                len = conv.len;
            }
            r.rec.offset = consumed;
            feed(&r, s, len, lineno, opts);
            cia_buf_reset(&line);
        }
    }
    int rerr = ferror(fp);
    fclose(fp);
    if (!r.stop && line.len) {   /* last line without a line ending */
        lineno++;
        const char *s = line.data;
        size_t len = line.len;
        if (first && scan->bom && len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) { s += 3; len -= 3; }
        if (scan->encoding == CIA_ENC_CP1252) {
            cia_buf_reset(&conv);
            cia_cp1252_to_utf8(&conv, (const unsigned char *)s, len);
            s = conv.data;
            len = conv.len;
        }
        r.rec.offset = consumed;
        feed(&r, s, len, lineno, opts);
    }
    if (!r.stop && csv_fini(&r.p, on_field, on_record, &r) != 0) {
        r.noffs = 0;
        cia_buf_reset(&r.field_store);
        emit(&r, "unterminated quoted field at the end of the file (file truncated?)");
    }
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
    if (rerr) return cia_fail(e, CIA_ENOINPUT, "%s: read error", path);
    return stop;
}
