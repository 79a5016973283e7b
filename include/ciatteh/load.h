/* load.h — loading one service's extract files: validate every record,
 * COPY them into the delivery's partition of the service's record table,
 * register the delivery and write its item groups (counted while reading:
 * etl/group.c), all in one transaction — or, on any error, nothing at all
 * (unless --keep-going, which loads the valid records and writes the rest
 * to a rejects file, marking the delivery partial). */
#ifndef CIATTEH_LOAD_H
#define CIATTEH_LOAD_H

#include "ciatteh/db.h"
#include "ciatteh/util.h"

struct cia_load_opts {
    const char *service;
    int dry_run;             /* validate and report, load nothing */
    int keep_going;          /* load valid records, reject the others */
    const char *rejects;     /* rejects file (keep_going); NULL = FILE.rejects.csv in cwd */
    int rejects_in_dir;      /* 1: rejects is a name in the open folder rejects_dirfd */
    int rejects_dirfd;
    const char *loaded_at;   /* record the delivery at this time (history back-fill) */
    int max_messages;        /* errors listed (the rest are counted); default 50 */
    int progress;            /* progress line on stderr */
};

struct cia_load_result {
    long long delivery_id;   /* new delivery, or the identical earlier one */
    int identical;           /* the same bytes were already loaded: nothing changed */
    long long rows, rejected;
    long nerrors;            /* problems found (all listed or counted) */
    cia_strv messages;       /* "file:line:column: message", at most max_messages */
    cia_strv notices;        /* ignored columns etc. */
    char years[256];         /* "2020,2021" */
    char replaced[512];      /* "#3 for 2021; #5 for 2020" */
    char encoding[16];
    char sha256[65];
    char rejects_path[1024];
    double seconds;
};

typedef struct cia_loader cia_loader;

/* Prepare for a service (spec, code lists, countries, pseudonym key). */
int cia_loader_new(cia_loader **out, cia_db *db, const struct cia_load_opts *o, cia_err *e);
/* The same without a database, for dry runs only (o->dry_run; the fuzzing
 * harness, tests/fuzz): the code lists are given (the loader takes them
 * over: *codes is left empty) and so is the key. */
struct cia_codes;
int cia_loader_new_offline(cia_loader **out, const struct cia_load_opts *o, struct cia_codes *codes,
                           const unsigned char *key, cia_err *e);
void cia_loader_free(cia_loader *l);

/* Load one file.  CIA_EDATA with res->messages on invalid input (and
 * on a file that changed while it was read); CIA_ENOINPUT for a symbolic
 * link, FIFO, device or directory (reader.h, cia_input_open). */
int cia_load_file(cia_loader *l, const char *path, struct cia_load_result *res, cia_err *e);
/* The same for a file already open (the unattended run opens it in its
 * folder's descriptor). */
struct cia_input;
int cia_load_input(cia_loader *l, struct cia_input *in, struct cia_load_result *res, cia_err *e);
void cia_load_result_free(struct cia_load_result *res);

#endif
