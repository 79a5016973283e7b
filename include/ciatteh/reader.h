/* reader.h — bytes → UTF-8 records with line numbers.  A file is opened
 * once (cia_input); two passes over that one descriptor: scan (SHA-256,
 * size, encoding, binary check) then read (libcsv, one physical line at a
 * time so every record knows the line it starts on).  Memory stays flat
 * whatever the file size. */
#ifndef CIATTEH_READER_H
#define CIATTEH_READER_H

#include <stddef.h>
#include <time.h>
#include "ciatteh/err.h"

/* An input file, opened once: both passes read this descriptor, so the
 * hash and the records come from the same file even when its name is
 * given to another one meanwhile. */
typedef struct cia_input {
    int fd;
    char *path;               /* as given, for messages */
    long long size;           /* at open: the passes read this many bytes */
    struct timespec mtime;    /* at open */
    unsigned long long dev, ino;  /* which file it is */
} cia_input;

/* Open name (relative to dirfd; AT_FDCWD for the current directory) with
 * O_NOFOLLOW|O_NONBLOCK: a symbolic link, FIFO, device or directory is
 * refused (CIA_ENOINPUT) without ever blocking or reading it.  display is
 * the name used in messages. */
int cia_input_open(cia_input *in, int dirfd, const char *name, const char *display, cia_err *e);
/* The same checks on a descriptor already open (the fuzzer's memfd); the
 * input takes it over. */
int cia_input_adopt(cia_input *in, int fd, const char *display, cia_err *e);
/* CIA_EDATA "the file changed while it was read" when its size or
 * modification time are no longer those seen at open. */
int cia_input_unchanged(const cia_input *in, cia_err *e);
void cia_input_close(cia_input *in);

enum cia_encoding { CIA_ENC_UTF8 = 0, CIA_ENC_CP1252 = 1 };

typedef struct cia_scan {
    char sha256[65];          /* hex */
    long long size;
    enum cia_encoding encoding;
    int bom;                  /* UTF-8 byte-order mark present */
    long lines;               /* physical lines */
    int cr_only;              /* lines end in CR alone (old Mac Excel): no LF at all */
} cia_scan;

/* Pass 1.  Fails (CIA_EDATA, located) on NUL bytes — at the first block
 * that holds one, without reading on — and on invalid UTF-8 in a file
 * that otherwise reads as UTF-8 (BOM or valid multi-byte sequences): such
 * a file is damaged, not Windows-1252. */
int cia_scan_file(cia_input *in, cia_scan *out, cia_err *e);

typedef struct cia_record {
    long line;                /* physical line the record starts on */
    size_t nfields;
    char **fields;            /* UTF-8, NUL-terminated, unquoted */
    size_t *lens;
    const char *raw;          /* the record's original lines, as UTF-8 */
    size_t rawlen;
    const char *error;        /* non-NULL: the record could not be parsed */
    long long offset;         /* bytes of the file consumed so far */
    int unended;              /* its last line is the file's last, with no line ending */
    size_t at_field;          /* error at the end of the file: fields read before it */
} cia_record;

/* Return non-zero from the callback to stop reading (that value is
 * returned by cia_read_records). */
typedef int (*cia_record_fn)(const cia_record *rec, void *arg);

/* Pass 2: every record, the header first.  Reads the scan's bytes again
 * and hashes them: CIA_EDATA "the file changed while it was read" when
 * they are not the bytes the scan hashed (checked at the end, when the
 * whole file was read). */
int cia_read_records(cia_input *in, const cia_scan *scan, char delim,
                     cia_record_fn fn, void *arg, cia_err *e);

#define CIA_CHANGED_MSG "the file changed while it was read"

#define CIA_MAX_RECORD (16 * 1024 * 1024)

#endif
