/* err.h — the one error type every library function returns.
 *
 * A function that can fail returns an int status (CIA_OK or one of the
 * sysexits-style codes below) and fills the caller's cia_err.  Only the CLI
 * prints errors and turns them into exit codes, so library code is testable
 * and never exits.  Input errors carry their location (file, line, column
 * header name) so messages read `file:line:column: message`.
 */
#ifndef CIATTEH_ERR_H
#define CIATTEH_ERR_H

#include <stdarg.h>

enum cia_status {
    CIA_OK = 0,
    CIA_WARN = 1,          /* check: warnings only */
    CIA_EUSAGE = 64,       /* EX_USAGE: bad command line */
    CIA_EDATA = 65,        /* EX_DATAERR: bad input data */
    CIA_ENOINPUT = 66,     /* EX_NOINPUT: input file missing/unreadable */
    CIA_EUNAVAIL = 69,     /* EX_UNAVAILABLE: database unavailable/too new */
    CIA_EINTERNAL = 70,    /* EX_SOFTWARE: internal error */
    CIA_ECANTCREAT = 73,   /* EX_CANTCREAT: cannot create output */
    CIA_EBUSY = 75,        /* EX_TEMPFAIL: busy or locked, try again */
};

typedef struct cia_err {
    int code;              /* enum cia_status */
    char msg[2048];
    char file[512];        /* input file, "" when not about a file */
    long line;             /* 1-based, 0 when unknown */
    char column[128];      /* column header name, "" when not about a field */
} cia_err;

/* Reset to "no error". */
void cia_err_clear(cia_err *e);

/* Record an error and return its code, so callers can write
 * `return cia_fail(e, CIA_EDATA, "...")`. */
int cia_fail(cia_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int cia_vfail(cia_err *e, int code, const char *fmt, va_list ap);

/* Same with a location in an input file. */
int cia_fail_at(cia_err *e, int code, const char *file, long line,
                const char *column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Prefix the existing message with context ("loading x: <old message>"). */
int cia_err_context(cia_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Format as `file:line:column: message` (or just message). */
const char *cia_err_format(const cia_err *e, char *buf, unsigned long size);

/* Human name of a status, e.g. "bad input data". */
const char *cia_status_name(int code);

#endif
