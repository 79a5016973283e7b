/* term.c — owns what the terminal needs that files do not: its width (for
 * tables split into blocks of columns instead of 260-character lines) and
 * an ASCII rendering when the terminal's locale cannot show UTF-8.
 *
 * Files and pipes always get the bytes as written (UTF-8, whole lines):
 * only a terminal's standard output and standard error are transliterated,
 * and only when the locale's character set is not UTF-8 (LC_ALL=C on an
 * old console).  The transliteration is glibc's iconv ASCII//TRANSLIT
 * under the C.UTF-8 locale's tables, set for this thread alone with
 * uselocale() so the program's own locale (and its number formatting) is
 * never changed: "é" becomes "e", "–" "-", "≥" ">=", "«" "<<". */
#include <errno.h>
#include <iconv.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "ciatteh/term.h"

int cia_term_width(void)
{
    const char *c = getenv("COLUMNS");
    if (c && *c) {
        char *end;
        long v = strtol(c, &end, 10);
        if (!*end && v >= 20 && v <= 10000) return (int)v;
    }
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 0;
}

int cia_term_utf8(void)
{
    /* The environment's character set, read without touching the
     * program's locale (which stays "C" for numbers). */
    locale_t l = newlocale(LC_CTYPE_MASK, "", (locale_t)0);
    if (!l) return 0;   /* an unknown locale name: assume the worst */
    const char *cs = nl_langinfo_l(CODESET, l);
    int utf8 = cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
    freelocale(l);
    return utf8;
}

/* ---- the ASCII stream ---------------------------------------------- */

struct ascii {
    int fd;
    iconv_t cd;
    locale_t loc;
    char pend[8];            /* an incomplete UTF-8 sequence left by the last write */
    size_t npend;
};

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Transliterate IN (n bytes) to the fd, keeping a trailing incomplete
 * sequence for the next call; bytes iconv cannot take become '?'. */
static int emit(struct ascii *a, const char *in, size_t n)
{
    locale_t old = uselocale(a->loc);
    char out[4096];
    int rc = 0;
    char *ip = (char *)in;
    size_t il = n;
    while (il && !rc) {
        char *op = out;
        size_t ol = sizeof out;
        size_t r = iconv(a->cd, &ip, &il, &op, &ol);
        int err = r == (size_t)-1 ? errno : 0;
        rc = write_all(a->fd, out, (size_t)(op - out));
        if (err == EINVAL) {   /* incomplete sequence at the end: keep it */
            if (il <= sizeof a->pend) memcpy(a->pend, ip, il), a->npend = il;
            il = 0;
        } else if (err == EILSEQ) {
            rc = rc ? rc : write_all(a->fd, "?", 1);
            ip++;
            il--;
        }
    }
    uselocale(old);
    return rc;
}

static ssize_t ascii_write(void *cookie, const char *buf, size_t size)
{
    struct ascii *a = cookie;
    size_t used = 0;
    if (a->npend) {
        /* complete the pending sequence byte by byte */
        char tmp[16];
        memcpy(tmp, a->pend, a->npend);
        size_t k = a->npend;
        a->npend = 0;
        while (used < size && k < sizeof tmp && (buf[used] & 0xC0) == 0x80) tmp[k++] = buf[used++];
        if (emit(a, tmp, k)) return -1;
    }
    if (emit(a, buf + used, size - used)) return -1;
    return (ssize_t)size;
}

static int ascii_close(void *cookie)
{
    struct ascii *a = cookie;
    if (a->npend) write_all(a->fd, "?", 1);
    iconv_close(a->cd);
    freelocale(a->loc);
    free(a);
    return 0;
}

static FILE *ascii_stream(int fd)
{
    locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (!loc) return NULL;
    iconv_t cd = iconv_open("ASCII//TRANSLIT", "UTF-8");
    if (cd == (iconv_t)-1) {
        freelocale(loc);
        return NULL;
    }
    struct ascii *a = calloc(1, sizeof *a);
    if (!a) {
        iconv_close(cd);
        freelocale(loc);
        return NULL;
    }
    a->fd = fd;
    a->cd = cd;
    a->loc = loc;
    cookie_io_functions_t io = {NULL, ascii_write, NULL, ascii_close};
    FILE *f = fopencookie(a, "w", io);
    if (!f) ascii_close(a);
    return f;
}

static FILE *orig_out, *orig_err;

/* Put the ASCII stream on fd in place of *stream, keeping the original. */
static void swap_in(int fd, FILE **stream, FILE **orig, int mode)
{
    FILE *f = ascii_stream(fd);
    if (!f) return;
    fflush(*stream);
    setvbuf(f, NULL, mode, 0);
    *orig = *stream;
    *stream = f;
}

/* ...and back, flushing and closing the ASCII stream (freeing its state). */
static void swap_out(FILE **stream, FILE **orig)
{
    if (!*orig) return;
    FILE *f = *stream;
    *stream = *orig;
    *orig = NULL;
    fclose(f);
}

/* At exit: give the process its own streams back for whatever runs after. */
static void term_restore(void)
{
    swap_out(&stdout, &orig_out);
    swap_out(&stderr, &orig_err);
}

void cia_term_setup(void)
{
    int out = isatty(STDOUT_FILENO), err = isatty(STDERR_FILENO);
    if ((!out && !err) || cia_term_utf8()) return;
    /* Everything already written went out as is; from here on the
     * terminal gets ASCII, line-buffered as a terminal expects. */
    if (out) swap_in(STDOUT_FILENO, &stdout, &orig_out, _IOLBF);
    if (err) swap_in(STDERR_FILENO, &stderr, &orig_err, _IONBF);
    if (orig_out || orig_err) atexit(term_restore);
}
