/* err.c — the cia_err error type: recording, context, formatting. */
#include <stdio.h>
#include <string.h>
#include "ciatteh/err.h"
#include "ciatteh/util.h"

void cia_err_clear(cia_err *e)
{
    if (!e) return;
    e->code = CIA_OK;
    e->msg[0] = e->file[0] = e->column[0] = '\0';
    e->line = 0;
}

int cia_vfail(cia_err *e, int code, const char *fmt, va_list ap)
{
    if (!e) return code;
    cia_err_clear(e);
    e->code = code;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    return code;
}

int cia_fail(cia_err *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cia_vfail(e, code, fmt, ap);
    va_end(ap);
    return code;
}

int cia_fail_at(cia_err *e, int code, const char *file, long line,
                const char *column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cia_vfail(e, code, fmt, ap);
    va_end(ap);
    if (e) {
        snprintf(e->file, sizeof e->file, "%s", file ? file : "");
        e->line = line;
        snprintf(e->column, sizeof e->column, "%s", column ? column : "");
    }
    return code;
}

int cia_err_context(cia_err *e, const char *fmt, ...)
{
    char pre[512], old[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof old);
    snprintf(e->msg, sizeof e->msg, "%s: %s", pre, old);
    return e->code;
}

const char *cia_err_format(const cia_err *e, char *buf, unsigned long size)
{
    char raw[sizeof e->file + sizeof e->column + sizeof e->msg + 32];
    if (e->file[0] && e->line > 0 && e->column[0])
        snprintf(raw, sizeof raw, "%s:%ld:%s: %s", e->file, e->line, e->column, e->msg);
    else if (e->file[0] && e->line > 0)
        snprintf(raw, sizeof raw, "%s:%ld: %s", e->file, e->line, e->msg);
    else if (e->file[0])
        snprintf(raw, sizeof raw, "%s: %s", e->file, e->msg);
    else
        snprintf(raw, sizeof raw, "%s", e->msg);
    /* A message names files and quotes their text: one line, printable,
     * whatever the names hold. */
    return cia_printable(buf, size, raw);
}

const char *cia_status_name(int code)
{
    switch (code) {
    case CIA_OK: return "ok";
    case CIA_WARN: return "warnings";
    case CIA_EUSAGE: return "usage error";
    case CIA_EDATA: return "bad input data";
    case CIA_ENOINPUT: return "input file missing";
    case CIA_EUNAVAIL: return "database unavailable";
    case CIA_EINTERNAL: return "internal error";
    case CIA_ECANTCREAT: return "cannot create output";
    case CIA_EBUSY: return "busy, try again";
    default: return "error";
    }
}
