/* run.h — the unattended run (`ciatteh run --config FILE`, from cron) and
 * the configuration file it reads, also used by `ciatteh check --config`.
 *
 * Configuration file: UTF-8 text, `[section]` headers and `key = value`
 * lines, read by the one reader of definition files (defread.h: '#'
 * comments, quotes, file:line:column messages); keys are case-sensitive; a key given twice keeps the last value
 * except where a section is a list (incoming, patterns).  The commented
 * sample is docs/ciatteh.conf.sample; docs/UNATTENDED.md explains the run.
 */
#ifndef CIATTEH_RUN_H
#define CIATTEH_RUN_H

#include "ciatteh/err.h"
#include "ciatteh/util.h"

struct cia_conf_entry {
    char *section, *key, *value;
    long line;
    int col;                   /* of the key, for file:line:column */
};

typedef struct cia_conf {
    char *path;
    struct cia_conf_entry *v;
    size_t n;
} cia_conf;

/* Read and parse FILE.  Syntax errors are CIA_EUSAGE at file:line:column; a
 * missing file CIA_ENOINPUT. */
int cia_conf_read(cia_conf *c, const char *path, cia_err *e);
/* Parse text already in memory (tests, embedded defaults). */
int cia_conf_parse(cia_conf *c, const char *name, const char *text, size_t len, cia_err *e);
void cia_conf_free(cia_conf *c);
/* The last value of section.key, or NULL. */
const char *cia_conf_get(const cia_conf *c, const char *section, const char *key);
const struct cia_conf_entry *cia_conf_find(const cia_conf *c, const char *section, const char *key);
/* yes/no/true/false/on/off/1/0 → 1/0; dflt when absent; -1 when invalid. */
int cia_conf_bool(const cia_conf *c, const char *section, const char *key, int dflt);

/* The [check] section as `ciatteh check` settings ("key=value" each,
 * fail_on included), each validated against the rules compiled in: an
 * unknown key or a bad value is CIA_EUSAGE at file:line. */
int cia_conf_check_settings(const cia_conf *c, cia_strv *settings, cia_err *e);

/* ---- the run ------------------------------------------------------------ */

struct cia_run_opts {
    const char *config;        /* path of the configuration file */
    const char *db;            /* --db (overrides [database] conninfo) */
    int no_pack;               /* skip the pack this time */
};

/* One unattended run:
 *   1. take the run lock (pg_try_advisory_lock on a session of its own);
 *      held by another run → CIA_EBUSY at once;
 *   2. pick up every settled file in the incoming directories, find its
 *      service (by directory, or by the [patterns] of an `auto` folder),
 *      load it (one transaction per file), then move it to archive/ — only
 *      after its delivery committed — or to rejected/ with FILE.errors.txt
 *      beside it; a file already loaded (same SHA-256) is archived without
 *      loading;
 *   3. run the checks;
 *   4. build the biennial pack(s) of [pack].
 * Logs to [run] log and to stderr.  Returns the exit status: 0, or the
 * worst failure (65 a file rejected or the checks failed per fail_on; 69
 * database; 73 outputs; 75 locked...).  Safe to re-run after a crash at
 * any point. */
int cia_run(const struct cia_run_opts *o, cia_err *e);

#include "ciatteh/testpoint.h"

#endif
