/* util.h — small allocation, string-buffer and file helpers shared by
 * every layer.  Allocation failure aborts: there is no sensible recovery
 * for a statistics batch tool and it keeps every caller simple. */
#ifndef CIATTEH_UTIL_H
#define CIATTEH_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include "ciatteh/err.h"

void *cia_xmalloc(size_t n);
void *cia_xcalloc(size_t n, size_t size);
void *cia_xrealloc(void *p, size_t n);
/* Room for need elements of size bytes in p, whose capacity is *cap
 * elements: doubled as often as needed, so that adding n elements one by
 * one copies O(n) bytes, not O(n²) (under AddressSanitizer every realloc
 * is a new block and a copy).  Returns the (maybe moved) array. */
void *cia_grow(void *p, size_t *cap, size_t need, size_t size);
char *cia_xstrdup(const char *s);
char *cia_xstrndup(const char *s, size_t n);
char *cia_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable byte buffer, always NUL-terminated. */
typedef struct cia_buf {
    char *data;
    size_t len, cap;
} cia_buf;

void cia_buf_init(cia_buf *b);
void cia_buf_free(cia_buf *b);
void cia_buf_reset(cia_buf *b);
void cia_buf_add(cia_buf *b, const void *p, size_t n);
void cia_buf_adds(cia_buf *b, const char *s);
void cia_buf_addc(cia_buf *b, char c);
void cia_buf_printf(cia_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as one CSV field (RFC 4180 quoting when needed). */
void cia_buf_add_csv(cia_buf *b, const char *s, char delim);
/* The same for text that may come from outside (file names, extract
 * lines), defused against formula injection: wherever a spreadsheet may
 * start a cell (at the start, after ',' ';' or a line break — Excel splits
 * on the separator of its language), a piece starting with = + - @ TAB or
 * CR that is not a plain number gets an apostrophe, so the text is shown
 * and never run.  Quoted when it holds ',' ';' '"' or a line break. */
void cia_buf_add_csv_text(cia_buf *b, const char *s, char delim);
/* Append s escaped for XML/HTML text and attribute values (& < > " '),
 * so no label or code can open markup; control characters other than
 * TAB and line breaks (not allowed in XML 1.0) are left out. */
void cia_buf_add_xml(cia_buf *b, const char *s);
/* Append s with every control character shown as \xNN (C0, DEL, and C1
 * as UTF-8): the one escape for text from outside — file names, extract
 * fields — on its way to a terminal or a log, where an ESC would drive
 * the terminal and a newline forge a line.  Idempotent. */
void cia_buf_add_printable(cia_buf *b, const char *s);
/* The same into dst (cut to size); returns dst. */
const char *cia_printable(char *dst, size_t size, const char *src);
/* Take ownership of the contents; the buffer is left empty. */
char *cia_buf_steal(cia_buf *b);

/* A list of owned strings. */
typedef struct cia_strv {
    char **v;
    size_t n, cap;
} cia_strv;
void cia_strv_push(cia_strv *s, const char *str);
void cia_strv_free(cia_strv *s);
/* Split on a separator character into owned, trimmed strings. */
void cia_strv_split(cia_strv *s, const char *str, char sep);
int cia_strv_find(const cia_strv *s, const char *str);

/* Read a whole (small) file.  CIA_ENOINPUT when missing. */
/* Read a whole file; one larger than CIA_READ_FILE_MAX is refused
 * (CIA_EDATA): the files read whole come from outside (definitions,
 * configuration), and memory is not theirs to exhaust. */
#define CIA_READ_FILE_MAX (64 << 20)
int cia_read_file(const char *path, char **data, size_t *len, cia_err *e);

/* Write a file atomically: write to a temporary name beside it, fsync,
 * rename.  A crash or full disk never leaves a half-written output.  The
 * temporary file is created new (O_EXCL|O_NOFOLLOW: never through a link
 * or into a FIFO planted at its name), mode 0666 less the umask; a
 * destination that is a symbolic link, FIFO, device or directory is
 * refused (CIA_ECANTCREAT), never replaced.  Path "-": standard output. */
typedef struct cia_outfile {
    char *path;              /* as given, for messages */
    char *name, *tmp;        /* in dirfd (NULL for "-") */
    int dirfd;
    int to_stdout;
    char fdpath[32];         /* /proc/self/fd/N: the temporary file, for libraries that want a path */
    FILE *fp;
} cia_outfile;
int cia_outfile_open(cia_outfile *o, const char *path, cia_err *e);
/* The same for name in an open folder (display: its name in messages). */
int cia_outfile_openat(cia_outfile *o, int dirfd, const char *name, const char *display, cia_err *e);
/* Commit (rename into place).  Checks every write error. */
int cia_outfile_commit(cia_outfile *o, cia_err *e);
/* Abandon: remove the temporary file.  Safe to call after commit. */
void cia_outfile_abort(cia_outfile *o);

/* What a file of this st_mode is, for a message refusing it ("a
 * symbolic link", "a FIFO (named pipe)", "a device"...). */
const char *cia_file_kind(unsigned mode);

/* mkdir -p with mode. */
int cia_mkdirs(const char *path, int mode, cia_err *e);

/* 1 when process PID runs (not a zombie), is named COMM (/proc/PID/stat)
 * and works in DIR (/proc/PID/cwd is DIR), 0 when it does not, -1 when
 * that cannot be told (another user's process).  A pid read from a pid
 * file may be stale, given to another process since, or come from a copy
 * of another home: only these three together say it is the server there. */
int cia_process_runs(long pid, const char *comm, const char *dir);

/* SHA-256 of a whole file, as 64 hex digits; -1 if it cannot be read. */
int cia_sha256_file(const char *path, char out[65]);
/* The same for an open file, read from its start. */
int cia_sha256_fd(int fd, char out[65]);
/* SHA-256 of len bytes, as 64 hex digits. */
void cia_sha256_hex(const void *data, size_t len, char out[65]);

/* Hex of bytes into out (2*n+1). */
void cia_hex(const unsigned char *p, size_t n, char *out);

/* Parse a non-negative decimal integer strictly; 0 on success. */
int cia_parse_uint(const char *s, long long *out);

/* "2019-2021" or "2021" → years; 0 on success. */
int cia_parse_years(const char *s, int *from, int *to);

/* Verbosity set by the CLI: 0 quiet, 1 normal, 2 verbose. */
extern int cia_verbosity;
void cia_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cia_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cia_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Embedded data files (migrations, specs, definitions). */
const char *cia_embedded(const char *path, size_t *len);
/* Iterate embedded files whose path starts with prefix (sorted by path). */
typedef int (*cia_embedded_fn)(const char *path, const char *data, size_t len, void *arg);
int cia_embedded_each(const char *prefix, cia_embedded_fn fn, void *arg);

#endif
