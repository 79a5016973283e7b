/* defread.h — the one reader of every definition and configuration file:
 * service specs (etl/specs/), report, questionnaire and check definitions
 * (reports/data/), the unattended run's configuration.  Each format says
 * what its lines mean; how a file is cut into lines and words, what a
 * comment is and how a quote works is decided here, once:
 *
 *  - a UTF-8 byte order mark at the start is skipped; a line ends at '\n'
 *    (a '\r' before it is dropped);
 *  - '#' at the start of a line or after a blank, outside double quotes,
 *    begins a comment to the end of the line;
 *  - words are separated by blanks (spaces, tabs); a double-quoted part
 *    of a word may hold blanks and '#', "" in it is one quote, and the
 *    quotes are not part of the word (fr="Femmes" is the word fr=Femmes);
 *  - a value that runs to the end of the line (a title, a message, a
 *    configuration value) is the text as written from its first word,
 *    blanks around it removed; written entirely in quotes, it is unquoted;
 *  - errors point at the word concerned: `file:line:column: message`,
 *    the column counted in characters from 1.
 *
 * Caps: a line of at most CIA_DEF_MAXLINE bytes, CIA_DEF_MAXWORDS words. */
#ifndef CIATTEH_DEFREAD_H
#define CIATTEH_DEFREAD_H

#include <stddef.h>
#include "ciatteh/err.h"

#define CIA_DEF_MAXLINE 65536
#define CIA_DEF_MAXWORDS 256

typedef struct cia_defline {
    const char *file;
    long line;                 /* 1-based */
    size_t n;                  /* words (at least one) */
    char **w;                  /* the words, quotes removed */
    unsigned char *quoted;     /* the word starts with a quote */
    int *col;                  /* 1-based column of each word */
    size_t *off;               /* byte offset of each word in raw */
    char *raw;                 /* the line as written, comment and '\r' cut */
} cia_defline;

typedef struct cia_defreader {
    const char *file;
    const char *p, *end;       /* what is left to read */
    long line;
    cia_defline cur;
    char *words;               /* storage of cur.w */
    size_t cap;                /* allocated words in cur's arrays */
} cia_defreader;

/* Read text[0..len) named file (kept by pointer, not copied). */
void cia_def_open(cia_defreader *r, const char *file, const char *text, size_t len);
void cia_def_close(cia_defreader *r);

/* The next line holding a word: *l points at it (valid until the next
 * call), NULL at the end of the text.  Blank and comment lines are
 * skipped but counted.  Fails (code) on an unterminated quote or a line
 * over the caps. */
int cia_def_next(cia_defreader *r, const cia_defline **l, int code, cia_err *e);

/* The value from word k to the end of the line (see above), in a new
 * string; "" when k is past the last word. */
char *cia_def_rest(const cia_defline *l, size_t k);

/* text as a value: blanks around it removed and, written entirely in
 * quotes, unquoted ("" is one quote); a new string. */
char *cia_def_value(const char *text);

/* What follows the current line, untouched (a check's SQL). */
const char *cia_def_remainder(const cia_defreader *r, size_t *len);

/* Fail at word k of l (k past the last word: the end of the line):
 * `file:line:column: message`. */
int cia_def_fail(cia_err *e, int code, const cia_defline *l, size_t k, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The same at a column given directly (0: no column). */
int cia_def_fail_col(cia_err *e, int code, const char *file, long line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#endif
