/* util.c — allocation, buffers, string lists, files written atomically,
 * messages by verbosity, access to the embedded data files, SHA-256. */
/* SHA-256 through OpenSSL's direct calls (deprecated in OpenSSL 3, still
 * provided, the same SHA-NI code): the EVP interface's first use loads
 * the configuration and providers, 1.5 to 8 ms of every command that
 * checks the embedded seeds' hashes (measured). */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <errno.h>
#include <fcntl.h>
#include <openssl/sha.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ciatteh/util.h"
#include "embedded.h"

int cia_verbosity = 1;

static void oom(void)
{
    fputs("ciatteh: out of memory\n", stderr);
    abort();
}

void *cia_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *cia_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *cia_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) oom();
    return p;
}

void *cia_grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return p;
    size_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > SIZE_MAX / 2) oom();
        c *= 2;
    }
    if (size && c > SIZE_MAX / size) oom();
    p = cia_xrealloc(p, c * size);
    *cap = c;
    return p;
}

char *cia_xstrdup(const char *s)
{
    return cia_xstrndup(s, strlen(s));
}

char *cia_xstrndup(const char *s, size_t n)
{
    char *p = cia_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *cia_xasprintf(const char *fmt, ...)
{
    cia_buf b;
    va_list ap;
    cia_buf_init(&b);
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    b.cap = (size_t)n + 1;
    b.data = cia_xmalloc(b.cap);
    va_start(ap, fmt);
    vsnprintf(b.data, b.cap, fmt, ap);
    va_end(ap);
    return b.data;
}

void cia_buf_init(cia_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void cia_buf_free(cia_buf *b)
{
    free(b->data);
    cia_buf_init(b);
}

void cia_buf_reset(cia_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

static void buf_grow(cia_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    /* A size that wraps around is a bug, never data: stop there. */
    if (extra > SIZE_MAX / 4 - b->len) abort();
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) cap *= 2;
    b->data = cia_xrealloc(b->data, cap);
    b->cap = cap;
}

void cia_buf_add(cia_buf *b, const void *p, size_t n)
{
    buf_grow(b, n);
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void cia_buf_adds(cia_buf *b, const char *s)
{
    cia_buf_add(b, s, strlen(s));
}

void cia_buf_addc(cia_buf *b, char c)
{
    cia_buf_add(b, &c, 1);
}

void cia_buf_printf(cia_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    buf_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void cia_buf_add_csv(cia_buf *b, const char *s, char delim)
{
    if (!s) return;
    if (!strchr(s, delim) && !strchr(s, '"') && !strchr(s, '\n') && !strchr(s, '\r')) {
        cia_buf_adds(b, s);
        return;
    }
    cia_buf_addc(b, '"');
    for (; *s; s++) {
        if (*s == '"') cia_buf_addc(b, '"');
        cia_buf_addc(b, *s);
    }
    cia_buf_addc(b, '"');
}

/* Would a spreadsheet take the cell text s..end for a formula?  A plain
 * number ("-2", "+32", "-1.5") or a lone "-" (the "not known" marker) is
 * not one; anything else starting with = + - @ TAB or CR is, quoted
 * or not. */
static int formula_cell(const char *s, const char *end)
{
    while (s < end && *s == '"') s++;
    if (s >= end || !strchr("=+-@\t\r", *s)) return 0;
    if (*s == '-' || *s == '+') {
        const char *p = s + 1;
        int digits = 0;
        while (p < end && ((*p >= '0' && *p <= '9') || *p == '.')) digits += *p++ != '.';
        if (p == end && (digits || (*s == '-' && end == s + 1))) return 0;
    }
    return 1;
}

void cia_buf_add_xml(cia_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '&': cia_buf_adds(b, "&amp;"); break;
        case '<': cia_buf_adds(b, "&lt;"); break;
        case '>': cia_buf_adds(b, "&gt;"); break;
        case '"': cia_buf_adds(b, "&quot;"); break;
        case '\'': cia_buf_adds(b, "&#39;"); break;
        default:
            if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r') cia_buf_addc(b, (char)*p);
        }
    }
}

void cia_buf_add_csv_text(cia_buf *b, const char *s, char delim)
{
    if (!s) s = "";
    /* Excel splits a CSV on the list separator of its language (',' in
     * English, ';' in French and Dutch) whatever the file meant, and a
     * quote only counts at the start of a cell: so every piece that
     * follows a ',' ';' or line break may become a cell of its own, and
     * each is defused, not just the first. */
    cia_buf out;
    cia_buf_init(&out);
    int changed = 0;
    const char *seg = s;
    for (const char *p = s;; p++) {
        if (*p && !strchr(",;\n\r", *p) && *p != delim) continue;
        if (formula_cell(seg, p)) { cia_buf_addc(&out, '\''); changed = 1; }
        cia_buf_add(&out, seg, (size_t)(p - seg) + (*p ? 1 : 0));
        if (!*p) break;
        seg = p + 1;
    }
    const char *t = out.data ? out.data : "";
    if (!changed && !strchr(t, delim) && !strpbrk(t, ",;\"\n\r")) {
        cia_buf_adds(b, t);
    } else {
        cia_buf_addc(b, '"');
        for (; *t; t++) {
            if (*t == '"') cia_buf_addc(b, '"');
            cia_buf_addc(b, *t);
        }
        cia_buf_addc(b, '"');
    }
    cia_buf_free(&out);
}

void cia_buf_add_printable(cia_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7F) {
            cia_buf_printf(b, "\\x%02X", *p);
        } else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
            cia_buf_printf(b, "\\x%02X", p[1]);
            p++;
        } else {
            cia_buf_addc(b, (char)*p);
        }
    }
}

const char *cia_printable(char *dst, size_t size, const char *src)
{
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_add_printable(&b, src);
    snprintf(dst, size, "%s", b.data ? b.data : "");
    cia_buf_free(&b);
    return dst;
}

char *cia_buf_steal(cia_buf *b)
{
    char *p = b->data ? b->data : cia_xstrdup("");
    cia_buf_init(b);
    return p;
}

void cia_strv_push(cia_strv *s, const char *str)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->v = cia_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = cia_xstrdup(str);
}

void cia_strv_free(cia_strv *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

void cia_strv_split(cia_strv *s, const char *str, char sep)
{
    const char *p = str;
    for (;;) {
        const char *q = strchr(p, sep);
        size_t n = q ? (size_t)(q - p) : strlen(p);
        while (n && (*p == ' ' || *p == '\t')) { p++; n--; }
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
        char *t = cia_xstrndup(p, n);
        if (*t) cia_strv_push(s, t);
        free(t);
        if (!q) break;
        p = q + 1;
    }
}

int cia_strv_find(const cia_strv *s, const char *str)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], str) == 0) return (int)i;
    return -1;
}

int cia_read_file(const char *path, char **data, size_t *len, cia_err *e)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return cia_fail(e, errno == ENOENT ? CIA_ENOINPUT : CIA_ENOINPUT,
                        "%s: cannot open: %s", path, strerror(errno));
    cia_buf b;
    cia_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (b.len + n > CIA_READ_FILE_MAX) {
            fclose(fp);
            cia_buf_free(&b);
            return cia_fail(e, CIA_EDATA, "%s: larger than %d MiB: not a file ciatteh reads whole "
                            "(a definition or configuration file)", path, CIA_READ_FILE_MAX >> 20);
        }
        cia_buf_add(&b, chunk, n);
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        cia_buf_free(&b);
        return cia_fail(e, CIA_ENOINPUT, "%s: read error", path);
    }
    if (!b.data) cia_buf_add(&b, "", 0);
    *len = b.len;
    *data = cia_buf_steal(&b);
    return CIA_OK;
}

const char *cia_file_kind(unsigned mode)
{
    mode_t m = (mode_t)mode;
    return S_ISREG(m) ? "a regular file" : S_ISLNK(m) ? "a symbolic link" : S_ISFIFO(m) ? "a FIFO (named pipe)"
         : S_ISDIR(m) ? "a directory" : S_ISCHR(m) || S_ISBLK(m) ? "a device" : S_ISSOCK(m) ? "a socket"
         : "not a regular file";
}

/* What sits at a destination we refuse to replace, or NULL for a
 * regular file or nothing. */
static const char *not_a_file(int dirfd, const char *name)
{
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISREG(st.st_mode)) return NULL;
    return cia_file_kind(st.st_mode);
}

/* Standard output: the bytes go to an anonymous file first (writers such
 * as libxlsxwriter need a file they can seek in and reopen), copied out
 * at commit. */
static int outfile_stdout(cia_outfile *o, cia_err *e)
{
    o->path = cia_xstrdup("-");
    o->to_stdout = 1;
    o->dirfd = -1;
    o->fp = tmpfile();
    if (!o->fp) {
        int rc = cia_fail(e, CIA_ECANTCREAT, "standard output: cannot make a temporary file: %s", strerror(errno));
        free(o->path);
        memset(o, 0, sizeof *o);
        o->dirfd = -1;
        return rc;
    }
    snprintf(o->fdpath, sizeof o->fdpath, "/proc/self/fd/%d", fileno(o->fp));
    return CIA_OK;
}

int cia_outfile_openat(cia_outfile *o, int dirfd, const char *name, const char *display, cia_err *e)
{
    memset(o, 0, sizeof *o);
    o->dirfd = -1;
    const char *what = not_a_file(dirfd, name);
    if (what)
        return cia_fail(e, CIA_ECANTCREAT, "%s: refusing to replace it: %s, not a regular file", display, what);
    o->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
    if (o->dirfd < 0) return cia_fail(e, CIA_ECANTCREAT, "%s: cannot create: %s", display, strerror(errno));
    o->path = cia_xstrdup(display);
    o->name = cia_xstrdup(name);
    /* A name of our own beside the destination, created new (O_EXCL):
     * never a file, link or FIFO somebody prepared there.  The mode is
     * the umask's, as fopen would give. */
    int fd = -1, err = 0;
    for (int k = 0; k < 100 && fd < 0; k++) {
        free(o->tmp);
        o->tmp = k ? cia_xasprintf("%s.tmp.%ld%02d", name, (long)getpid(), k)
                   : cia_xasprintf("%s.tmp.%ld", name, (long)getpid());
        fd = openat(o->dirfd, o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0666);
        err = errno;
        if (fd < 0 && err != EEXIST) break;
    }
    if (fd >= 0 && !(o->fp = fdopen(fd, "wb"))) {
        err = errno;
        unlinkat(o->dirfd, o->tmp, 0);
        close(fd);
    }
    if (!o->fp) {
        int rc = cia_fail(e, CIA_ECANTCREAT, "%s: cannot create: %s", display, strerror(err));
        cia_outfile_abort(o);
        return rc;
    }
    snprintf(o->fdpath, sizeof o->fdpath, "/proc/self/fd/%d", fd);
    return CIA_OK;
}

int cia_outfile_open(cia_outfile *o, const char *path, cia_err *e)
{
    memset(o, 0, sizeof *o);
    o->dirfd = -1;
    if (!strcmp(path, "-")) return outfile_stdout(o, e);
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    if (!*name) return cia_fail(e, CIA_ECANTCREAT, "%s: cannot create: a folder name, not a file name", path);
    char *dir = slash ? cia_xstrndup(path, (size_t)(slash - path) + (slash == path)) : cia_xstrdup(".");
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (dfd < 0) return cia_fail(e, CIA_ECANTCREAT, "%s: cannot create: %s", path, strerror(errno));
    int rc = cia_outfile_openat(o, dfd, name, path, e);
    close(dfd);
    return rc;
}

/* Standard output's commit: the anonymous file copied out. */
static int stdout_commit(cia_outfile *o, cia_err *e)
{
    int bad = fflush(o->fp) != 0 || ferror(o->fp) || fseek(o->fp, 0, SEEK_SET) != 0;
    char buf[65536];
    size_t k;
    while (!bad && (k = fread(buf, 1, sizeof buf, o->fp)) > 0)
        if (fwrite(buf, 1, k, stdout) != k) bad = 1;
    if (ferror(o->fp) || fflush(stdout) != 0) bad = 1;
    int err = errno;
    cia_outfile_abort(o);
    return bad ? cia_fail(e, CIA_ECANTCREAT, "standard output: write failed: %s", strerror(err ? err : EIO)) : CIA_OK;
}

int cia_outfile_commit(cia_outfile *o, cia_err *e)
{
    if (!o->fp) return cia_fail(e, CIA_EINTERNAL, "output file not open");
    if (o->to_stdout) return stdout_commit(o, e);
    int bad = fflush(o->fp) != 0 || ferror(o->fp);
    int err = errno;
    if (!bad && fsync(fileno(o->fp)) != 0) { bad = 1; err = errno; }
    if (fclose(o->fp) != 0 && !bad) { bad = 1; err = errno; }
    o->fp = NULL;
    int rc = CIA_OK;
    const char *what;
    if (bad) {
        rc = cia_fail(e, CIA_ECANTCREAT, "%s: write failed: %s", o->path, strerror(err ? err : EIO));
    } else if ((what = not_a_file(o->dirfd, o->name))) {
        /* Looked at again just before the rename, which would replace a
         * link or FIFO planted meanwhile (never what it points to). */
        rc = cia_fail(e, CIA_ECANTCREAT, "%s: refusing to replace it: %s, not a regular file", o->path, what);
    } else if (renameat(o->dirfd, o->tmp, o->dirfd, o->name) != 0) {
        rc = cia_fail(e, CIA_ECANTCREAT, "%s: cannot rename into place: %s", o->path, strerror(errno));
    } else {
        fsync(o->dirfd);   /* the rename itself survives a crash */
        free(o->tmp);
        o->tmp = NULL;
    }
    cia_outfile_abort(o);
    return rc;
}

void cia_outfile_abort(cia_outfile *o)
{
    if (o->fp) fclose(o->fp);
    if (o->tmp && !o->to_stdout && o->dirfd >= 0) unlinkat(o->dirfd, o->tmp, 0);
    if (o->dirfd >= 0) close(o->dirfd);
    free(o->path);
    free(o->name);
    free(o->tmp);
    memset(o, 0, sizeof *o);
    o->dirfd = -1;
}

int cia_mkdirs(const char *path, int mode, cia_err *e)
{
    char *p = cia_xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
            int rc = cia_fail(e, CIA_ECANTCREAT, "%s: cannot create directory: %s", p, strerror(errno));
            free(p);
            return rc;
        }
        *s = '/';
    }
    if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
        int rc = cia_fail(e, CIA_ECANTCREAT, "%s: cannot create directory: %s", p, strerror(errno));
        free(p);
        return rc;
    }
    free(p);
    return CIA_OK;
}

int cia_process_runs(long pid, const char *comm, const char *dir)
{
    if (pid <= 0) return 0;
    char path[64], name[64] = "", state = 0;
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *fp = fopen(path, "r");
    if (!fp) return 0;
    /* "PID (COMM) STATE ..." */
    if (fscanf(fp, "%*d (%63[^)]) %c", name, &state) != 2) name[0] = '\0';
    fclose(fp);
    if (strcmp(name, comm) || state == 'Z') return 0;
    struct stat cwd, ours;
    snprintf(path, sizeof path, "/proc/%ld/cwd", pid);
    if (stat(path, &cwd) != 0) return errno == EACCES || errno == EPERM ? -1 : 0;
    if (stat(dir, &ours) != 0) return 0;
    return cwd.st_dev == ours.st_dev && cwd.st_ino == ours.st_ino;
}

int cia_sha256_fd(int fd, char out[65])
{
    SHA256_CTX c;
    SHA256_Init(&c);
    unsigned char buf[65536], md[SHA256_DIGEST_LENGTH];
    ssize_t k;
    off_t off = 0;
    while ((k = pread(fd, buf, sizeof buf, off)) != 0) {
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return -1;
        SHA256_Update(&c, buf, (size_t)k);
        off += k;
    }
    SHA256_Final(md, &c);
    cia_hex(md, sizeof md, out);
    return 0;
}

int cia_sha256_file(const char *path, char out[65])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = cia_sha256_fd(fd, out);
    close(fd);
    return rc;
}

void cia_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256_CTX c;
    SHA256_Init(&c);
    SHA256_Update(&c, data, len);
    SHA256_Final(md, &c);
    cia_hex(md, sizeof md, out);
}

void cia_hex(const unsigned char *p, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[p[i] >> 4];
        out[2 * i + 1] = hx[p[i] & 15];
    }
    out[2 * n] = '\0';
}

int cia_parse_uint(const char *s, long long *out)
{
    long long v = 0;
    if (!s || !*s) return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        if (v > (9223372036854775807LL - 9) / 10) return -2;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return 0;
}

int cia_parse_years(const char *s, int *from, int *to)
{
    long long a, b;
    const char *dash = strchr(s, '-');
    if (!dash) {
        if (cia_parse_uint(s, &a) || a < 1900 || a > 2999) return -1;
        *from = *to = (int)a;
        return 0;
    }
    char *l = cia_xstrndup(s, (size_t)(dash - s));
    int bad = cia_parse_uint(l, &a) || cia_parse_uint(dash + 1, &b);
    free(l);
    if (bad || a < 1900 || b > 2999 || a > b) return -1;
    *from = (int)a;
    *to = (int)b;
    return 0;
}

static void vmsg(const char *fmt, va_list ap)
{
    char msg[4096], safe[4096];
    vsnprintf(msg, sizeof msg, fmt, ap);
    fprintf(stderr, "ciatteh: %s\n", cia_printable(safe, sizeof safe, msg));
}

void cia_info(const char *fmt, ...)
{
    if (cia_verbosity < 1) return;
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
}

void cia_debug(const char *fmt, ...)
{
    if (cia_verbosity < 2) return;
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
}

void cia_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
}

const char *cia_embedded(const char *path, size_t *len)
{
    for (const struct cia_embedded *f = cia_embedded_files; f->path; f++)
        if (strcmp(f->path, path) == 0) {
            if (len) *len = f->len;
            return f->data;
        }
    return NULL;
}

int cia_embedded_each(const char *prefix, cia_embedded_fn fn, void *arg)
{
    size_t pl = strlen(prefix);
    for (const struct cia_embedded *f = cia_embedded_files; f->path; f++)
        if (strncmp(f->path, prefix, pl) == 0) {
            int rc = fn(f->path, f->data, f->len, arg);
            if (rc) return rc;
        }
    return 0;
}
