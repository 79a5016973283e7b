/* reader.h — bytes → UTF-8 records with line numbers.  Two passes over a
 * file: scan (SHA-256, size, encoding, binary check) then read (libcsv,
 * one physical line at a time so every record knows the line it starts
 * on).  Memory stays flat whatever the file size. */
#ifndef CIATTEH_READER_H
#define CIATTEH_READER_H

#include <stddef.h>
#include "ciatteh/err.h"

enum cia_encoding { CIA_ENC_UTF8 = 0, CIA_ENC_CP1252 = 1 };

typedef struct cia_scan {
    char sha256[65];          /* hex */
    long long size;
    enum cia_encoding encoding;
    int bom;                  /* UTF-8 byte-order mark present */
    long lines;               /* physical lines */
    int cr_only;              /* lines end in CR alone (old Mac Excel): no LF at all */
} cia_scan;

/* Pass 1.  Fails (CIA_EDATA, located) on NUL bytes and on invalid UTF-8
 * in a file that otherwise reads as UTF-8 (BOM or valid multi-byte
 * sequences): such a file is damaged, not Windows-1252. */
int cia_scan_file(const char *path, cia_scan *out, cia_err *e);

typedef struct cia_record {
    long line;                /* physical line the record starts on */
    size_t nfields;
    char **fields;            /* UTF-8, NUL-terminated, unquoted */
    size_t *lens;
    const char *raw;          /* the record's original lines, as UTF-8 */
    size_t rawlen;
    const char *error;        /* non-NULL: the record could not be parsed */
    long long offset;         /* bytes of the file consumed so far */
} cia_record;

/* Return non-zero from the callback to stop reading (that value is
 * returned by cia_read_records). */
typedef int (*cia_record_fn)(const cia_record *rec, void *arg);

/* Pass 2: every record, the header first. */
int cia_read_records(const char *path, const cia_scan *scan, char delim,
                     cia_record_fn fn, void *arg, cia_err *e);

#define CIA_MAX_RECORD (16 * 1024 * 1024)

#endif
