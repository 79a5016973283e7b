/* defread.c — the one reader of the definition and configuration files:
 * lines, comments, quotes, words and their columns (rules in
 * include/ciatteh/defread.h).  The formats themselves (spec.c,
 * report_def.c, questionnaire_def.c, check.c, the run's configuration)
 * only say what the words mean, so that every file of the project is
 * commented, quoted and located in its messages the same way. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/defread.h"
#include "ciatteh/util.h"

void cia_def_open(cia_defreader *r, const char *file, const char *text, size_t len)
{
    memset(r, 0, sizeof *r);
    r->file = file ? file : "definition";
    r->p = text;
    r->end = text + len;
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) r->p += 3;   /* a BOM from a Windows editor */
    r->cur.file = r->file;
}

void cia_def_close(cia_defreader *r)
{
    free(r->cur.w);
    free(r->cur.quoted);
    free(r->cur.col);
    free(r->cur.off);
    free(r->cur.raw);
    free(r->words);
    memset(r, 0, sizeof *r);
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Characters (UTF-8 lead bytes) in s[0..n), plus one: the column of s[n]. */
static int column_of(const char *s, size_t n)
{
    int col = 1;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) col++;
    return col;
}

int cia_def_fail_col(cia_err *e, int code, const char *file, long line, int col, const char *fmt, ...)
{
    char msg[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char c[16] = "";
    if (col > 0) snprintf(c, sizeof c, "%d", col);
    return cia_fail_at(e, code, file, line, c, "%s", msg);
}

int cia_def_fail(cia_err *e, int code, const cia_defline *l, size_t k, const char *fmt, ...)
{
    char msg[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int col = k < l->n ? l->col[k] : column_of(l->raw, strlen(l->raw));
    return cia_def_fail_col(e, code, l->file, l->line, col, "%s", msg);
}

/* Cut raw into words (into r->words), cutting raw at its comment. */
static int split(cia_defreader *r, int code, cia_err *e)
{
    cia_defline *l = &r->cur;
    char *s = l->raw;
    size_t n = strlen(s);
    r->words = cia_xrealloc(r->words, n + 1);
    char *out = r->words;
    size_t i = 0;
    l->n = 0;
    for (;;) {
        while (i < n && is_blank(s[i])) i++;
        if (i >= n || s[i] == '#') { s[i < n ? i : n] = '\0'; break; }
        if (l->n == CIA_DEF_MAXWORDS)
            return cia_def_fail_col(e, code, l->file, l->line, column_of(s, i),
                                    "more than %d words on a line", CIA_DEF_MAXWORDS);
        if (l->n == r->cap) {
            r->cap = r->cap ? 2 * r->cap : 16;
            l->w = cia_xrealloc(l->w, r->cap * sizeof *l->w);
            l->quoted = cia_xrealloc(l->quoted, r->cap * sizeof *l->quoted);
            l->col = cia_xrealloc(l->col, r->cap * sizeof *l->col);
            l->off = cia_xrealloc(l->off, r->cap * sizeof *l->off);
        }
        l->w[l->n] = out;
        l->quoted[l->n] = s[i] == '"';
        l->off[l->n] = i;
        l->col[l->n] = column_of(s, i);
        while (i < n && !is_blank(s[i])) {
            if (s[i] != '"') { *out++ = s[i++]; continue; }
            size_t open = i++;
            for (;;) {
                if (i >= n)
                    return cia_def_fail_col(e, code, l->file, l->line, column_of(s, open),
                                            "a quote opened here is not closed on this line");
                if (s[i] == '"') {
                    if (i + 1 < n && s[i + 1] == '"') { *out++ = '"'; i += 2; continue; }
                    i++;
                    break;
                }
                *out++ = s[i++];
            }
        }
        *out++ = '\0';
        l->n++;
    }
    return CIA_OK;
}

int cia_def_next(cia_defreader *r, const cia_defline **out, int code, cia_err *e)
{
    *out = NULL;
    while (r->p && r->p < r->end) {
        const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
        size_t n = nl ? (size_t)(nl - r->p) : (size_t)(r->end - r->p);
        const char *start = r->p;
        r->p = nl ? nl + 1 : r->end;
        r->line++;
        r->cur.line = r->line;
        if (n && start[n - 1] == '\r') n--;
        if (n > CIA_DEF_MAXLINE)
            return cia_def_fail_col(e, code, r->file, r->line, 0, "line longer than %d bytes", CIA_DEF_MAXLINE);
        free(r->cur.raw);
        r->cur.raw = cia_xstrndup(start, n);
        if (memchr(start, '\0', n))
            return cia_def_fail_col(e, code, r->file, r->line, 0, "NUL byte: not a text file");
        int rc = split(r, code, e);
        if (rc) return rc;
        if (r->cur.n) { *out = &r->cur; return CIA_OK; }
    }
    return CIA_OK;
}

char *cia_def_value(const char *text)
{
    while (is_blank(*text)) text++;
    size_t n = strlen(text);
    while (n && is_blank(text[n - 1])) n--;
    if (n >= 2 && text[0] == '"') {
        /* entirely in quotes: the closing quote is the last character */
        char *v = cia_xmalloc(n), *o = v;
        size_t i = 1;
        while (i < n - 1) {
            if (text[i] == '"' && text[i + 1] == '"') { *o++ = '"'; i += 2; }
            else if (text[i] == '"') break;
            else *o++ = text[i++];
        }
        if (i == n - 1 && text[i] == '"') { *o = '\0'; return v; }
        free(v);
    }
    return cia_xstrndup(text, n);
}

char *cia_def_rest(const cia_defline *l, size_t k)
{
    return cia_def_value(k < l->n ? l->raw + l->off[k] : "");
}

const char *cia_def_remainder(const cia_defreader *r, size_t *len)
{
    *len = r->p && r->p < r->end ? (size_t)(r->end - r->p) : 0;
    return *len ? r->p : "";
}
