/* run.c — owns the unattended run (`ciatteh run --config FILE`, from
 * cron) and the configuration file format it shares with `check`.
 *
 * Crash safety rests on three facts, so that a run killed at any point
 * loses nothing and counts nothing twice when the next one starts:
 *  - a delivery is one transaction (etl/load.c): committed or absent;
 *  - a file leaves the incoming folder only after its delivery committed,
 *    by link() into archive/ then unlink() — a crash between the two
 *    leaves it in both places, and the next run, finding its SHA-256
 *    already a delivery, archives it without loading (the loader reports
 *    `identical`) and sees the copy already in archive/;
 *  - reports, checks and the pack are derived: the next run builds them
 *    again from what committed, each output written under a temporary
 *    name and renamed.
 * Two runs never overlap: each holds the run lock (a row lock only
 * administrators may take, schema/0008) in a transaction kept open on a
 * connection of its own for its whole life; the lock goes with the
 * session, so a killed run never leaves it behind. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <libgen.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "ciatteh/biennial.h"
#include "ciatteh/check.h"
#include "ciatteh/db.h"
#include "ciatteh/defread.h"
#include "ciatteh/load.h"
#include "ciatteh/query.h"
#include "ciatteh/reader.h"
#include "ciatteh/run.h"
#include "ciatteh/spec.h"
#include "ciatteh/text.h"


/* ==== configuration ===================================================== */

void cia_conf_free(cia_conf *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].section);
        free(c->v[i].key);
        free(c->v[i].value);
    }
    free(c->v);
    free(c->path);
    memset(c, 0, sizeof *c);
}

/* One line of the configuration, read by the one reader (defread.h):
 * [section], or key = value, the value as written to the end of the line
 * (or in quotes). */
static int conf_line(cia_conf *c, const cia_defline *l, char **section, cia_err *e)
{
    char *text = cia_def_rest(l, 0);
    char *eq = strchr(text, '=');
    int rc = CIA_OK;
    if (l->w[0][0] == '[') {
        size_t n = strlen(text);
        if (text[n - 1] != ']') {
            rc = cia_def_fail(e, CIA_EUSAGE, l, l->n, "expected [section]");
        } else {
            text[n - 1] = '\0';
            char *sec = cia_trim(text + 1);
            if (!*sec) rc = cia_def_fail(e, CIA_EUSAGE, l, 0, "empty section name");
            else { free(*section); *section = cia_xstrdup(sec); }
        }
    } else if (!eq) {
        rc = cia_def_fail(e, CIA_EUSAGE, l, l->n > 1 ? 1 : 0, "expected `key = value`");
    } else if (!*section) {
        rc = cia_def_fail(e, CIA_EUSAGE, l, 0, "`%s` before any [section]", text);
    } else {
        *eq = '\0';
        char *k = cia_trim(text);
        if (!*k) {
            rc = cia_def_fail(e, CIA_EUSAGE, l, 0, "empty key");
        } else {
            c->v = cia_xrealloc(c->v, (c->n + 1) * sizeof *c->v);
            c->v[c->n].section = cia_xstrdup(*section);
            c->v[c->n].key = cia_xstrdup(k);
            c->v[c->n].value = cia_def_value(eq + 1);
            c->v[c->n].line = l->line;
            c->v[c->n].col = l->col[0];
            c->n++;
        }
    }
    free(text);
    return rc;
}

int cia_conf_parse(cia_conf *c, const char *name, const char *text, size_t len, cia_err *e)
{
    memset(c, 0, sizeof *c);
    c->path = cia_xstrdup(name);
    char *section = NULL;
    cia_defreader rd;
    const cia_defline *l;
    cia_def_open(&rd, c->path, text, len);
    int rc;
    while (!(rc = cia_def_next(&rd, &l, CIA_EUSAGE, e)) && l && !(rc = conf_line(c, l, &section, e)))
        ;
    cia_def_close(&rd);
    free(section);
    return rc;
}

int cia_conf_read(cia_conf *c, const char *path, cia_err *e)
{
    char *data;
    size_t len;
    memset(c, 0, sizeof *c);
    int rc = cia_read_file(path, &data, &len, e);
    if (rc) return rc;
    rc = cia_conf_parse(c, path, data, len, e);
    free(data);
    return rc;
}

const struct cia_conf_entry *cia_conf_find(const cia_conf *c, const char *section, const char *key)
{
    for (size_t i = c->n; i-- > 0;)
        if (!strcmp(c->v[i].section, section) && !strcmp(c->v[i].key, key)) return &c->v[i];
    return NULL;
}

const char *cia_conf_get(const cia_conf *c, const char *section, const char *key)
{
    const struct cia_conf_entry *x = cia_conf_find(c, section, key);
    return x ? x->value : NULL;
}

int cia_conf_bool(const cia_conf *c, const char *section, const char *key, int dflt)
{
    const char *v = cia_conf_get(c, section, key);
    if (!v || !*v) return dflt;
    if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcasecmp(v, "on") || !strcmp(v, "1")) return 1;
    if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcasecmp(v, "off") || !strcmp(v, "0")) return 0;
    return -1;
}

int cia_conf_check_settings(const cia_conf *c, cia_strv *settings, cia_err *e)
{
    for (size_t i = 0; i < c->n; i++) {
        const struct cia_conf_entry *x = &c->v[i];
        if (strcmp(x->section, "check")) continue;
        char *s = cia_xasprintf("%s=%s", x->key, x->value);
        /* validate this one setting against the rules compiled in */
        cia_strv one = {0};
        cia_strv_push(&one, s);
        struct cia_check_opts o;
        memset(&o, 0, sizeof o);
        o.settings = &one;
        struct cia_check_result r;
        int rc = cia_check_load_rules(&o, &r, e);
        cia_check_result_free(&r);
        cia_strv_free(&one);
        if (rc) {
            char msg[sizeof e->msg];
            snprintf(msg, sizeof msg, "%s", e->msg);
            free(s);
            return cia_def_fail_col(e, rc, c->path, x->line, x->col, "[check] %s", msg);
        }
        cia_strv_push(settings, s);
        free(s);
    }
    return CIA_OK;
}

/* ==== the run ============================================================ */

/* An incoming folder and the archive and rejected folders of its files,
 * each held open (a descriptor) from the start of the run: what the run
 * reads, links and writes is in the folders it checked, whatever is
 * renamed or linked in their place meanwhile. */
struct incoming {
    char *dir, *service;                 /* service NULL = by [patterns] */
    char *arch_path, *rej_path;          /* for messages */
    int fd, arch_fd, rej_fd;             /* -1: not usable this run */
};

static void close_folders(struct incoming *in)
{
    int *fds[3] = {&in->fd, &in->arch_fd, &in->rej_fd};
    for (int i = 0; i < 3; i++) {
        if (*fds[i] >= 0) close(*fds[i]);
        *fds[i] = -1;
    }
}

struct pattern { char *service, *glob; };
struct file { char *dir, *name, *path, *service; time_t mtime; size_t in; };

struct unattended_run {
    const struct cia_run_opts *o;
    cia_conf conf;
    char *confdir;
    FILE *log;
    char *log_path;
    struct incoming *in;
    size_t nin;
    struct pattern *pat;
    size_t npat;
    char *archive, *rejected;       /* NULL: INCOMING/archive, INCOMING/rejected */
    long settle;
    int keep_going;
    cia_strv check_settings;
    enum cia_check_fail_on fail_on;
    cia_db lockdb, db;
    int have_lock, have_db;
    int worst;
    size_t loaded, identical, rejected_n, left;
};

static void worse(struct unattended_run *r, int rc)
{
    if (rc > r->worst) r->worst = rc;
}

/* ---- log ---------------------------------------------------------------- */

static void rlog(struct unattended_run *r, const char *level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void rlog(struct unattended_run *r, const char *level, const char *fmt, ...)
{
    char raw[4096], msg[4096], stamp[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    /* One entry, one line: a file name holding a newline or an ESC must
     * neither forge a line of the log nor drive a terminal. */
    cia_printable(msg, sizeof msg, raw);
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S%z", &tm);
    if (r->log) {
        fprintf(r->log, "%s ciatteh[%ld] %s: %s\n", stamp, (long)getpid(), level, msg);
        fflush(r->log);
    }
    if (cia_verbosity > 0 || strcmp(level, "info")) {
        fprintf(stderr, "%s ciatteh run: %s: %s\n", stamp, level, msg);
        fflush(stderr);
    }
}

/* ---- configuration of the run ------------------------------------------- */

/* A path from the configuration: relative ones are relative to the
 * configuration file's folder (cron starts us anywhere). */
static char *conf_path(const struct unattended_run *r, const char *v)
{
    if (v[0] == '/') return cia_xstrdup(v);
    return cia_xasprintf("%s/%s", r->confdir, v);
}

static int known_service(const char *s)
{
    cia_strv v = {0};
    cia_strv_split(&v, cia_spec_services(), ',');
    int ok = cia_strv_find(&v, s) >= 0;
    cia_strv_free(&v);
    return ok;
}

static int conf_error(struct unattended_run *r, const struct cia_conf_entry *x, cia_err *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int conf_error(struct unattended_run *r, const struct cia_conf_entry *x, cia_err *e, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cia_def_fail_col(e, CIA_EUSAGE, r->conf.path, x ? x->line : 0, x ? x->col : 0, "%s", msg);
}

static int is_key(const char *k, const char *const *keys)
{
    for (; *keys; keys++)
        if (!strcmp(k, *keys)) return 1;
    return 0;
}

static int setup(struct unattended_run *r, cia_err *e)
{
    int rc;
    if ((rc = cia_conf_read(&r->conf, r->o->config, e))) return rc;
    char *tmp = cia_xstrdup(r->o->config);
    char *d = dirname(tmp);
    if (d[0] == '/') r->confdir = cia_xstrdup(d);
    else {
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd)) snprintf(cwd, sizeof cwd, ".");
        r->confdir = !strcmp(d, ".") ? cia_xstrdup(cwd) : cia_xasprintf("%s/%s", cwd, d);
    }
    free(tmp);
    static const char *const run_keys[] = {"log", "archive", "rejected", "settle_seconds", "keep_going", NULL};
    static const char *const db_keys[] = {"conninfo", NULL};
    static const char *const pack_keys[] = {"output", "period", "languages", "as_of", "enabled", "charts",
                                            "internal", NULL};
    r->settle = 60;
    for (size_t i = 0; i < r->conf.n; i++) {
        const struct cia_conf_entry *x = &r->conf.v[i];
        if (!strcmp(x->section, "run")) {
            if (!is_key(x->key, run_keys))
                return conf_error(r, x, e, "[run] has no key '%s' (keys: log, archive, rejected, "
                                  "settle_seconds, keep_going)", x->key);
        } else if (!strcmp(x->section, "database")) {
            if (!is_key(x->key, db_keys)) return conf_error(r, x, e, "[database] has no key '%s' (keys: conninfo)", x->key);
        } else if (!strcmp(x->section, "pack")) {
            if (!is_key(x->key, pack_keys))
                return conf_error(r, x, e, "[pack] has no key '%s' (keys: output, period, languages, as_of, "
                                  "enabled, charts, internal)", x->key);
        } else if (!strcmp(x->section, "incoming")) {
            if (strcmp(x->key, "auto") && !known_service(x->key))
                return conf_error(r, x, e, "[incoming] '%s' is not a service (services: %s; or auto)", x->key,
                                  cia_spec_services());
            if (!*x->value) return conf_error(r, x, e, "[incoming] %s: no directory", x->key);
            r->in = cia_xrealloc(r->in, (r->nin + 1) * sizeof *r->in);
            r->in[r->nin].dir = conf_path(r, x->value);
            r->in[r->nin].service = strcmp(x->key, "auto") ? cia_xstrdup(x->key) : NULL;
            r->in[r->nin].arch_path = r->in[r->nin].rej_path = NULL;
            r->in[r->nin].fd = r->in[r->nin].arch_fd = r->in[r->nin].rej_fd = -1;
            r->nin++;
        } else if (!strcmp(x->section, "patterns")) {
            if (!known_service(x->key))
                return conf_error(r, x, e, "[patterns] '%s' is not a service (services: %s)", x->key,
                                  cia_spec_services());
            cia_strv globs = {0};
            cia_strv_split(&globs, x->value, ',');
            for (size_t k = 0; k < globs.n; k++) {
                if (!*globs.v[k]) continue;
                r->pat = cia_xrealloc(r->pat, (r->npat + 1) * sizeof *r->pat);
                r->pat[r->npat].service = cia_xstrdup(x->key);
                r->pat[r->npat].glob = cia_xstrdup(globs.v[k]);
                r->npat++;
            }
            cia_strv_free(&globs);
        } else if (strcmp(x->section, "check")) {
            return conf_error(r, x, e, "unknown section [%s] (sections: database, run, incoming, patterns, "
                              "check, pack)", x->section);
        }
    }
    if (!r->nin) return conf_error(r, NULL, e, "no [incoming] directory: nothing to pick up");
    const struct cia_conf_entry *x;
    if ((x = cia_conf_find(&r->conf, "run", "settle_seconds"))) {
        long long v;
        if (cia_parse_uint(x->value, &v) || v > 86400 * 7)
            return conf_error(r, x, e, "settle_seconds: expected a number of seconds");
        r->settle = (long)v;
    }
    if ((r->keep_going = cia_conf_bool(&r->conf, "run", "keep_going", 0)) < 0)
        return conf_error(r, cia_conf_find(&r->conf, "run", "keep_going"), e, "keep_going: expected yes or no");
    if ((x = cia_conf_find(&r->conf, "run", "archive")) && *x->value) r->archive = conf_path(r, x->value);
    if ((x = cia_conf_find(&r->conf, "run", "rejected")) && *x->value) r->rejected = conf_path(r, x->value);
    if ((rc = cia_conf_check_settings(&r->conf, &r->check_settings, e))) return rc;
    r->fail_on = CIA_FAIL_DEFAULT;
    if ((x = cia_conf_find(&r->conf, "check", "fail_on"))) cia_check_parse_fail_on(x->value, &r->fail_on);
    if ((x = cia_conf_find(&r->conf, "pack", "period")) && strcmp(x->value, "auto")) {
        int a, b;
        if (cia_pack_parse_period(x->value, &a, &b))
            return conf_error(r, x, e, "period '%s': expected auto or A-B such as 2020-2021", x->value);
    }
    if ((x = cia_conf_find(&r->conf, "pack", "as_of")) && strcmp(x->value, "today") &&
        cia_check_as_of(x->value, e))
        return conf_error(r, x, e, "as_of '%s': expected today or YYYY-MM-DD", x->value);
    if ((x = cia_conf_find(&r->conf, "pack", "languages"))) {
        cia_strv l = {0};
        cia_strv_split(&l, x->value, ',');
        for (size_t k = 0; k < l.n; k++)
            if (strcmp(l.v[k], "en") && strcmp(l.v[k], "fr") && strcmp(l.v[k], "nl")) {
                cia_strv_free(&l);
                return conf_error(r, x, e, "languages: '%s' is not en, fr or nl", x->value);
            }
        cia_strv_free(&l);
    }
    if (cia_conf_bool(&r->conf, "pack", "enabled", 1) < 0)
        return conf_error(r, cia_conf_find(&r->conf, "pack", "enabled"), e, "enabled: expected yes or no");
    if (cia_conf_bool(&r->conf, "pack", "charts", 1) < 0)
        return conf_error(r, cia_conf_find(&r->conf, "pack", "charts"), e, "charts: expected yes or no");
    if (cia_conf_bool(&r->conf, "pack", "internal", 0) < 0)
        return conf_error(r, cia_conf_find(&r->conf, "pack", "internal"), e, "internal: expected yes or no");
    if (cia_conf_bool(&r->conf, "pack", "enabled", 1) && !cia_conf_get(&r->conf, "pack", "output"))
        return conf_error(r, NULL, e, "[pack] output: the folder the pack is written to (or enabled = no)");

    /* The log: [run] log, else $CIATTEH_HOME-independent default beside
     * the configuration. */
    const char *lp = cia_conf_get(&r->conf, "run", "log");
    r->log_path = lp && *lp ? conf_path(r, lp) : cia_xasprintf("%s/ciatteh-run.log", r->confdir);
    char *ld = cia_xstrdup(r->log_path);
    rc = cia_mkdirs(dirname(ld), 0755, e);
    free(ld);
    if (rc) return rc;
    /* Never appended through a link, nor into a FIFO or device. */
    int fd = open(r->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0640);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        return cia_fail(e, CIA_ECANTCREAT, "%s: refused as the log: not a regular file", r->log_path);
    }
    if (fd >= 0) fcntl(fd, F_SETFL, O_APPEND);
    if (fd < 0 || !(r->log = fdopen(fd, "a"))) {
        if (fd >= 0) close(fd);
        return cia_fail(e, CIA_ECANTCREAT, "%s: cannot open the log: %s", r->log_path, strerror(errno));
    }
    return CIA_OK;
}

/* ---- the lock ------------------------------------------------------------ */

static int take_lock(struct unattended_run *r, const char *conninfo, cia_err *e)
{
    int rc = cia_db_open(&r->lockdb, conninfo, e);
    if (rc) return rc;
    /* A row lock held by this connection's transaction, open for the
     * whole run (schema/0008: administrators only, named by the server). */
    if ((rc = cia_db_begin(&r->lockdb, e)) == CIA_OK)
        rc = cia_db_query(&r->lockdb, e, NULL, "SELECT ciatteh_lock('run', true)", 0, NULL);
    if (rc == CIA_EBUSY) {
        char holder[512] = "another run";
        PGresult *q;
        cia_db_rollback(&r->lockdb);
        if (cia_db_query(&r->lockdb, e, &q, "SELECT ciatteh_lock_holder('run')", 0, NULL) == CIA_OK) {
            if (PQntuples(q) > 0 && !PQgetisnull(q, 0, 0)) snprintf(holder, sizeof holder, "%s", PQgetvalue(q, 0, 0));
            PQclear(q);
        }
        cia_db_close(&r->lockdb);
        cia_err_clear(e);
        return cia_fail(e, CIA_EBUSY, "another run holds the run lock (%s); not starting", holder);
    }
    if (rc) {
        cia_db_close(&r->lockdb);
        return rc;
    }
    char app[128];
    snprintf(app, sizeof app, "ciatteh run pid %ld", (long)getpid());
    const char *p[1] = {app};
    cia_db_query(&r->lockdb, e, NULL, "SELECT set_config('application_name', $1, false)", 1, p);
    cia_err_clear(e);
    r->have_lock = 1;
    return CIA_OK;
}

/* Is the lock session still there?  If the server restarted we lost the
 * lock: stop rather than risk overlapping a newer run. */
static int lock_alive(struct unattended_run *r, cia_err *e)
{
    if (cia_db_query(&r->lockdb, e, NULL, "SELECT 1", 0, NULL) != CIA_OK)
        return cia_fail(e, CIA_EUNAVAIL, "the lock session to the database was lost; stopping");
    return CIA_OK;
}

/* ---- files --------------------------------------------------------------- */

/* Names an uploader or we ourselves use while writing: never picked up. */
static int transient_name(const char *name)
{
    if (name[0] == '.' || name[0] == '~') return 1;
    if (cia_ends_with(name, ".tmp") || cia_ends_with(name, ".part") || cia_ends_with(name, ".partial") ||
        cia_ends_with(name, ".crdownload") || cia_ends_with(name, ".errors.txt") || cia_ends_with(name, ".rejects.csv"))
        return 1;
    const char *t = strstr(name, ".tmp.");
    if (t) {
        t += 5;
        while (isdigit((unsigned char)*t)) t++;
        if (!*t) return 1;
    }
    return 0;
}

static int cmp_file(const void *a, const void *b)
{
    const struct file *x = a, *y = b;
    if (x->mtime != y->mtime) return x->mtime < y->mtime ? -1 : 1;
    int c = strcmp(x->dir, y->dir);
    return c ? c : strcmp(x->name, y->name);
}

static void files_free(struct file *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(f[i].dir);
        free(f[i].name);
        free(f[i].path);
        free(f[i].service);
    }
    free(f);
}

/* ---- folders ------------------------------------------------------------- */

/* Open a folder of the run one component at a time, none followed if it
 * is a symbolic link (an uploader who can write a parent must not send
 * the run elsewhere by a link); create the missing ones when create.
 * Returns the descriptor, or -1 with e set. */
static int open_folder(int base, const char *path, int create, int code, cia_err *e)
{
    int cur = path[0] == '/' ? open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                             : fcntl(base, F_DUPFD_CLOEXEC, 0);
    if (cur < 0) { cia_fail(e, CIA_ENOINPUT, "%s: cannot open: %s", path, strerror(errno)); return -1; }
    char *copy = cia_xstrdup(path), *save = NULL;
    for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        if (!strcmp(c, ".")) continue;
        int fd = openat(cur, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT && create && mkdirat(cur, c, 0750) == 0)
            fd = openat(cur, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            int err = errno;
            struct stat st;
            if ((err == ELOOP || err == ENOTDIR) && fstatat(cur, c, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                S_ISLNK(st.st_mode))
                cia_fail(e, code, "%s: refused: '%s' in it is a symbolic link (the run's folders are "
                         "opened without following links: give their real path)", path, c);
            else
                cia_fail(e, code, "%s: cannot open: %s", path,
                         strerror(err));
            close(cur);
            free(copy);
            return -1;
        }
        close(cur);
        cur = fd;
    }
    free(copy);
    return cur;
}

/* Who may write a folder, checked the way OpenSSH checks the files it
 * trusts (docs/UNATTENDED.md, "Folders and permissions").  An archive or
 * rejected folder (ours) must be owned by the run's user or root and
 * writable by nobody else: anyone else who could write there could put a
 * link where the run writes.  An incoming folder is written by the
 * uploaders (group), never by every local user. */
static int check_folder(int fd, const char *path, int ours, cia_err *e)
{
    struct stat st;
    if (fstat(fd, &st) != 0) return cia_fail(e, CIA_ENOINPUT, "%s: cannot read: %s", path, strerror(errno));
    unsigned mode = (unsigned)st.st_mode & 07777;
    if (ours && st.st_uid != geteuid() && st.st_uid != 0)
        return cia_fail(e, CIA_ECANTCREAT, "%s: refused: owned by uid %u, not by the run's user (uid %u) or root; "
                        "an archive or rejected folder must be the run's own", path, (unsigned)st.st_uid,
                        (unsigned)geteuid());
    if (ours && (mode & 022))
        return cia_fail(e, CIA_ECANTCREAT, "%s: refused: writable by %s (mode %04o): whoever can write it "
                        "could plant links where the run writes; chmod go-w", path,
                        (mode & 020) ? "its group" : "others", mode);
    if (!ours && (mode & 002))
        return cia_fail(e, CIA_ENOINPUT, "%s: refused: writable by every local user (mode %04o): anyone could "
                        "deliver files as this service; give the uploaders a group (chmod o-w)", path, mode);
    return CIA_OK;
}

/* Open and check the folders of every incoming folder; one that fails is
 * left out of this run (its files stay where they are), logged. */
static void open_folders(struct unattended_run *r)
{
    for (size_t i = 0; i < r->nin; i++) {
        struct incoming *in = &r->in[i];
        cia_err e;
        cia_err_clear(&e);
        in->arch_path = r->archive ? cia_xstrdup(r->archive) : cia_xasprintf("%s/archive", in->dir);
        in->rej_path = r->rejected ? cia_xstrdup(r->rejected) : cia_xasprintf("%s/rejected", in->dir);
        int rc = (in->fd = open_folder(AT_FDCWD, in->dir, 0, CIA_ENOINPUT, &e)) < 0 ? e.code : check_folder(in->fd, in->dir, 0, &e);
        /* the default archive/ and rejected/ are opened inside the
         * incoming folder's descriptor, not by their path again */
        if (!rc) rc = (in->arch_fd = open_folder(in->fd, r->archive ? r->archive : "archive", 1, CIA_ECANTCREAT, &e)) < 0
                      ? e.code : check_folder(in->arch_fd, in->arch_path, 1, &e);
        if (!rc) rc = (in->rej_fd = open_folder(in->fd, r->rejected ? r->rejected : "rejected", 1, CIA_ECANTCREAT, &e)) < 0
                      ? e.code : check_folder(in->rej_fd, in->rej_path, 1, &e);
        if (rc) {
            char buf[4096];
            rlog(r, "error", "%s: not read this run: %s", in->dir, cia_err_format(&e, buf, sizeof buf));
            worse(r, rc);
            close_folders(in);
        }
    }
}

static int scan(struct unattended_run *r, struct file **out, size_t *nout, cia_err *e)
{
    struct file *v = NULL;
    size_t n = 0;
    time_t now = time(NULL);
    for (size_t i = 0; i < r->nin; i++) {
        if (r->in[i].fd < 0) continue;
        int dfd = fcntl(r->in[i].fd, F_DUPFD_CLOEXEC, 0);
        DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
        if (!d) {
            rlog(r, "error", "%s: cannot read the incoming directory: %s", r->in[i].dir, strerror(errno));
            if (dfd >= 0) close(dfd);
            worse(r, CIA_ENOINPUT);
            continue;
        }
        struct dirent *de;
        while ((de = readdir(d))) {
            if (transient_name(de->d_name)) continue;
            /* lstat, never stat: a link is looked at, not what it names */
            struct stat st;
            if (fstatat(r->in[i].fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(st.st_mode)) continue;
            char *path = cia_xasprintf("%s/%s", r->in[i].dir, de->d_name);
            if (!S_ISREG(st.st_mode)) {
                rlog(r, "error", "%s: refused: %s, not a regular file; never followed nor read (remove it)",
                     path, cia_file_kind(st.st_mode));
                worse(r, CIA_ENOINPUT);
                r->left++;
                free(path);
                continue;
            }
            if (r->settle > 0 && st.st_mtime > now - r->settle) {
                rlog(r, "info", "%s: changed less than %ld s ago; left for the next run", path, r->settle);
                free(path);
                continue;
            }
            v = cia_xrealloc(v, (n + 1) * sizeof *v);
            v[n].dir = cia_xstrdup(r->in[i].dir);
            v[n].name = cia_xstrdup(de->d_name);
            v[n].path = path;
            v[n].service = r->in[i].service ? cia_xstrdup(r->in[i].service) : NULL;
            v[n].mtime = st.st_mtime;
            v[n].in = i;
            n++;
        }
        closedir(d);
    }
    /* Oldest first: a newer delivery of the same years must come last. */
    if (n) qsort(v, n, sizeof *v, cmp_file);
    *out = v;
    *nout = n;
    (void)e;
    return CIA_OK;
}

/* A name in folder dfd for a file called name with content sha: the name
 * itself, or name.2.ext, name.3.ext... when taken by another content.
 * *same = 1 when that name already holds this very content (an earlier
 * run moved it there and crashed before removing the source). */
static char *choose_dest(int dfd, const char *name, const char *sha, int *same)
{
    *same = 0;
    const char *dot = strrchr(name, '.');
    size_t stem = dot && dot != name ? (size_t)(dot - name) : strlen(name);
    for (int k = 1; k < 10000; k++) {
        char *cand = k == 1 ? cia_xstrdup(name) : cia_xasprintf("%.*s.%d%s", (int)stem, name, k, name + stem);
        struct stat st;
        if (fstatat(dfd, cand, &st, AT_SYMLINK_NOFOLLOW) != 0) return cand;
        char have[65];
        int fd = S_ISREG(st.st_mode) ? openat(dfd, cand, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
        int match = fd >= 0 && cia_sha256_fd(fd, have) == 0 && !strcmp(have, sha);
        if (fd >= 0) close(fd);
        if (match) {
            *same = 1;
            return cand;
        }
        free(cand);
    }
    return NULL;
}

/* A copy of the open input into folder dfd (another file system),
 * written atomically, created new. */
static int copy_file(const cia_input *in, int dfd, const char *dest, const char *shown, cia_err *e)
{
    cia_outfile o;
    int rc = cia_outfile_openat(&o, dfd, dest, shown, e);
    if (rc) return rc;
    char buf[65536];
    ssize_t k;
    off_t off = 0;
    while ((k = pread(in->fd, buf, sizeof buf, off)) > 0) {
        fwrite(buf, 1, (size_t)k, o.fp);
        off += k;
    }
    if (k < 0) {
        int err = errno;
        cia_outfile_abort(&o);
        return cia_fail(e, CIA_ENOINPUT, "%s: read error: %s", in->path, strerror(err));
    }
    return cia_outfile_commit(&o, e);
}

/* Move the file read (in) from its incoming folder to dest in folder dfd
 * without ever having it in neither place: a hard link to the very file
 * that was read (through its descriptor, never by its name again), then
 * the name removed from incoming if it still names that file; across file
 * systems a copy (written atomically) instead of the link. */
static int place(struct unattended_run *r, const struct file *f, const cia_input *in, int dfd, const char *dest,
                 const char *shown, int same, cia_err *e)
{
    int ifd = r->in[f->in].fd;
    if (!same) {
        char self[64];
        snprintf(self, sizeof self, "/proc/self/fd/%d", in->fd);
        if (linkat(AT_FDCWD, self, dfd, dest, AT_SYMLINK_FOLLOW) != 0) {
            if (errno == EXDEV || errno == EPERM || errno == ENOTSUP || errno == EMLINK || errno == ENOENT) {
                int rc = copy_file(in, dfd, dest, shown, e);
                if (rc) return rc;
            } else {
                return cia_fail(e, CIA_ECANTCREAT, "%s: cannot move to %s: %s", f->path, shown, strerror(errno));
            }
        }
        fsync(dfd);
    }
    cia_crash_point("archive");
    struct stat st;
    if (fstatat(ifd, f->name, &st, AT_SYMLINK_NOFOLLOW) != 0) return CIA_OK;   /* gone already */
    if ((unsigned long long)st.st_dev != in->dev || (unsigned long long)st.st_ino != in->ino)
        return cia_fail(e, CIA_ECANTCREAT, "%s: replaced by another file since it was read: that one is left "
                        "for the next run", f->path);
    if (unlinkat(ifd, f->name, 0) != 0 && errno != ENOENT)
        return cia_fail(e, CIA_ECANTCREAT, "%s: moved to %s but cannot remove the original: %s", f->path, shown,
                        strerror(errno));
    fsync(ifd);
    return CIA_OK;
}

/* Remove what a crashed run may have left half-written: temporary files of
 * ours in the archive and rejected folders (we hold the lock: nobody else
 * writes there). */
static void sweep_dir(struct unattended_run *r, int fd, const char *dir)
{
    int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0) close(dfd);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *t = strstr(de->d_name, ".tmp.");
        if (!t) continue;
        t += 5;
        if (!*t) continue;
        while (isdigit((unsigned char)*t)) t++;
        if (*t) continue;
        if (unlinkat(fd, de->d_name, 0) == 0) rlog(r, "info", "removed %s/%s, left by an interrupted run", dir, de->d_name);
    }
    closedir(d);
}

static void sweep(struct unattended_run *r)
{
    for (size_t i = 0; i < r->nin; i++) {
        if (r->in[i].fd < 0) continue;
        sweep_dir(r, r->in[i].arch_fd, r->in[i].arch_path);
        sweep_dir(r, r->in[i].rej_fd, r->in[i].rej_path);
    }
}

static const char *service_of(const struct unattended_run *r, const struct file *f)
{
    if (f->service) return f->service;
    for (size_t i = 0; i < r->npat; i++)
        if (fnmatch(r->pat[i].glob, f->name, FNM_CASEFOLD) == 0) return r->pat[i].service;
    return NULL;
}

static int write_errors(int dfd, const char *name, const char *shown, const struct file *f, const char *service,
                        const struct cia_load_result *res, const char *why, cia_err *e)
{
    cia_outfile o;
    int rc = cia_outfile_openat(&o, dfd, name, shown, e);
    if (rc) return rc;
    time_t now = time(NULL);
    struct tm tm;
    char stamp[64];
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S%z", &tm);
    cia_buf t;
    cia_buf_init(&t);
    cia_buf_add_printable(&t, f->name);
    fprintf(o.fp, "# %s rejected by ciatteh run on %s%s%s: nothing of it was loaded.\n", t.data, stamp,
            service ? " as " : "", service ? service : "");
    if (why) fprintf(o.fp, "%s\n", why);
    if (res) {
        fprintf(o.fp, "# %ld problem%s\n", res->nerrors, res->nerrors == 1 ? "" : "s");
        for (size_t k = 0; k < res->messages.n; k++) fprintf(o.fp, "%s\n", res->messages.v[k]);
        if (res->nerrors > (long)res->messages.n)
            fprintf(o.fp, "... and %ld more problems not listed\n", res->nerrors - (long)res->messages.n);
    }
    cia_buf_free(&t);
    return cia_outfile_commit(&o, e);
}

static int reject(struct unattended_run *r, const struct file *f, const cia_input *in, const char *service,
                  const struct cia_load_result *res, const char *why, const char *sha)
{
    cia_err e;
    cia_err_clear(&e);
    char shabuf[65];
    if (!sha || !*sha) {
        if (cia_sha256_fd(in->fd, shabuf) != 0) {
            rlog(r, "error", "%s: cannot read it: %s", f->path, strerror(errno));
            worse(r, CIA_ENOINPUT);
            r->left++;
            return CIA_ENOINPUT;
        }
        sha = shabuf;
    }
    const struct incoming *ic = &r->in[f->in];
    int rc = CIA_OK, same = 0;
    char *dest = choose_dest(ic->rej_fd, f->name, sha, &same);
    char *shown = dest ? cia_xasprintf("%s/%s", ic->rej_path, dest) : NULL;
    if (!dest) rc = cia_fail(&e, CIA_ECANTCREAT, "%s: no free name for %s", ic->rej_path, f->name);
    if (!rc) {
        char *en = cia_xasprintf("%s.errors.txt", dest), *es = cia_xasprintf("%s.errors.txt", shown);
        rc = write_errors(ic->rej_fd, en, es, f, service, res, why, &e);
        free(en);
        free(es);
    }
    if (!rc) cia_crash_point("reject");
    if (!rc) rc = place(r, f, in, ic->rej_fd, dest, shown, same, &e);
    if (rc) {
        char buf[4096];
        rlog(r, "error", "%s: %s", f->path, cia_err_format(&e, buf, sizeof buf));
        worse(r, rc);
        r->left++;
    } else {
        rlog(r, "error", "%s: rejected%s%s: moved to %s, problems in %s.errors.txt", f->path,
             service ? " as " : "", service ? service : "", shown, shown);
        r->rejected_n++;
        worse(r, CIA_EDATA);
    }
    free(dest);
    free(shown);
    return rc;
}

static int archive(struct unattended_run *r, const struct file *f, const cia_input *in, const struct cia_load_result *res)
{
    cia_err e;
    cia_err_clear(&e);
    const struct incoming *ic = &r->in[f->in];
    int rc = CIA_OK, same = 0;
    char *dest = choose_dest(ic->arch_fd, f->name, res->sha256, &same);
    char *shown = dest ? cia_xasprintf("%s/%s", ic->arch_path, dest) : NULL;
    if (!dest) rc = cia_fail(&e, CIA_ECANTCREAT, "%s: no free name for %s", ic->arch_path, f->name);
    if (!rc) rc = place(r, f, in, ic->arch_fd, dest, shown, same, &e);
    if (rc) {
        char buf[4096];
        rlog(r, "error", "%s: loaded, but %s (the next run will archive it)", f->path,
             cia_err_format(&e, buf, sizeof buf));
        worse(r, rc);
    } else {
        rlog(r, "info", "%s: archived as %s", f->path, shown);
    }
    free(dest);
    free(shown);
    return rc;
}

static void load_one(struct unattended_run *r, const struct file *f)
{
    cia_err e;
    cia_err_clear(&e);
    cia_input in;
    /* Opened once, in the folder's descriptor, without following a link
     * or waiting on a FIFO put there since the scan. */
    int rc = cia_input_open(&in, r->in[f->in].fd, f->name, f->path, &e);
    if (rc) {
        char buf[4096];
        rlog(r, "error", "%s: left in place: %s", f->path, cia_err_format(&e, buf, sizeof buf));
        worse(r, rc);
        r->left++;
        return;
    }
    const char *service = service_of(r, f);
    if (!service) {
        cia_buf why;
        cia_buf_init(&why);
        cia_buf_add_printable(&why, f->name);
        cia_buf_printf(&why, ": no [patterns] entry of %s matches this file name, so its service is not known.",
                       r->conf.path);
        if (r->npat) {
            cia_buf_adds(&why, "\nPatterns:");
            for (size_t i = 0; i < r->npat; i++)
                cia_buf_printf(&why, "\n  %s = %s", r->pat[i].service, r->pat[i].glob);
        }
        reject(r, f, &in, NULL, NULL, why.data, NULL);
        cia_buf_free(&why);
        cia_input_close(&in);
        return;
    }
    struct cia_load_opts lo;
    memset(&lo, 0, sizeof lo);
    lo.service = service;
    lo.keep_going = r->keep_going;
    char *rejects = NULL;
    if (r->keep_going) {
        /* the rows left out go beside the archived file */
        rejects = cia_xasprintf("%s.rejects.csv", f->name);
        lo.rejects = rejects;
        lo.rejects_in_dir = 1;
        lo.rejects_dirfd = r->in[f->in].arch_fd;
    }
    cia_loader *l;
    rc = cia_loader_new(&l, &r->db, &lo, &e);
    if (rc) {
        char buf[4096];
        rlog(r, "error", "%s: cannot prepare the %s loader: %s", f->path, service, cia_err_format(&e, buf, sizeof buf));
        worse(r, rc);
        r->left++;
        free(rejects);
        cia_input_close(&in);
        return;
    }
    cia_crash_point("load");
    struct cia_load_result res;
    rc = cia_load_input(l, &in, &res, &e);
    cia_loader_free(l);
    for (size_t k = 0; k < res.notices.n; k++) rlog(r, "info", "%s", res.notices.v[k]);
    if (rc == CIA_OK) {
        if (res.identical) {
            rlog(r, "info", "%s: already loaded as %s delivery #%lld (same SHA-256): archived without loading",
                 f->path, service, res.delivery_id);
            r->identical++;
        } else {
            rlog(r, "info", "%s: loaded as %s delivery #%lld, %lld records, years %s%s%s", f->path, service,
                 res.delivery_id, res.rows, res.years, res.replaced[0] ? ", replaces " : "", res.replaced);
            if (res.rejected) {
                rlog(r, "error", "%s: %lld records rejected and left out (see %s/%s); the delivery is partial",
                     f->path, res.rejected, r->in[f->in].arch_path, res.rejects_path);
                worse(r, CIA_EDATA);
            }
            r->loaded++;
        }
        cia_crash_point("commit");
        archive(r, f, &in, &res);
    } else if (rc == CIA_EDATA) {
        rlog(r, "error", "%s: %ld problem%s as %s; first: %s", f->path, res.nerrors, res.nerrors == 1 ? "" : "s",
             service, res.messages.n ? res.messages.v[0] : "(none listed)");
        reject(r, f, &in, service, &res, NULL, res.sha256);
    } else {
        char buf[4096];
        rlog(r, "error", "%s: not loaded, left in place for the next run: %s", f->path,
             cia_err_format(&e, buf, sizeof buf));
        worse(r, rc);
        r->left++;
    }
    cia_load_result_free(&res);
    free(rejects);
    cia_input_close(&in);
}

/* ---- checks and pack ------------------------------------------------------ */

static void run_checks(struct unattended_run *r)
{
    struct cia_check_opts o;
    memset(&o, 0, sizeof o);
    o.settings = &r->check_settings;
    struct cia_check_result res;
    cia_err e;
    cia_err_clear(&e);
    int rc = cia_check_run(&r->db, &o, &res, &e);
    if (rc) {
        char buf[4096];
        rlog(r, "error", "check: %s", cia_err_format(&e, buf, sizeof buf));
        worse(r, rc);
    } else {
        for (size_t i = 0; i < res.nfindings; i++)
            rlog(r, res.findings[i].severity == CIA_SEV_ERROR ? "error" : "warning", "check %s: %s",
                 res.rules[res.findings[i].rule].id, res.findings[i].message[0]);
        rlog(r, "info", "check: %zu error%s, %zu warning%s (%zu rule%s)", res.errors, res.errors == 1 ? "" : "s",
             res.warnings, res.warnings == 1 ? "" : "s", res.rules_run, res.rules_run == 1 ? "" : "s");
        /* In a run, warnings alone do not fail unless fail_on = warning. */
        enum cia_check_fail_on f = r->fail_on == CIA_FAIL_DEFAULT ? CIA_FAIL_ERROR : r->fail_on;
        worse(r, cia_check_status(&res, f));
    }
    cia_check_result_free(&res);
}

static void build_packs(struct unattended_run *r)
{
    const char *out = cia_conf_get(&r->conf, "pack", "output");
    const char *period = cia_conf_get(&r->conf, "pack", "period");
    const char *langs = cia_conf_get(&r->conf, "pack", "languages");
    const char *as_of = cia_conf_get(&r->conf, "pack", "as_of");
    char today[16];
    cia_pack_today(today);
    if (!as_of || !strcmp(as_of, "today")) as_of = today;
    int a, b;
    if (!period || !strcmp(period, "auto")) {
        /* the latest two years every service has delivered */
        cia_err e;
        cia_err_clear(&e);
        if (cia_pack_auto_period(&r->db, as_of, &a, &b, &e)) {
            char buf[4096];
            rlog(r, "error", "pack: %s", cia_err_format(&e, buf, sizeof buf));
            worse(r, e.code);
            return;
        }
    } else {
        cia_pack_parse_period(period, &a, &b);
    }
    cia_strv l = {0};
    cia_strv_split(&l, langs && *langs ? langs : "fr,nl,en", ',');
    char *outdir = conf_path(r, out);
    for (size_t i = 0; i < l.n; i++) {
        cia_err e;
        cia_err_clear(&e);
        if (lock_alive(r, &e)) {
            rlog(r, "error", "%s", e.msg);
            worse(r, CIA_EUNAVAIL);
            break;
        }
        struct cia_pack_opts po;
        memset(&po, 0, sizeof po);
        po.year_from = a;
        po.year_to = b;
        po.lang = l.v[i];
        po.as_of = as_of;
        po.check_settings = &r->check_settings;
        po.no_charts = !cia_conf_bool(&r->conf, "pack", "charts", 1);
        po.internal = cia_conf_bool(&r->conf, "pack", "internal", 0) == 1;
        char *dir = cia_xasprintf("%s/biennial-%d-%d-%s", outdir, a, b, l.v[i]);
        po.out_dir = dir;
        struct cia_pack_result pr;
        int rc = cia_pack_build(&r->db, &po, &pr, &e);
        if (rc) {
            char buf[4096];
            rlog(r, "error", "pack %s: %s", dir, cia_err_format(&e, buf, sizeof buf));
            worse(r, rc);
        } else {
            rlog(r, "info", "pack %s: %zu files, %zu tables, %zu charts, %zu PDF pages, as of %s", dir, pr.nfiles,
                 pr.ntables, pr.ncharts, pr.npages, pr.as_of);
        }
        free(dir);
    }
    free(outdir);
    cia_strv_free(&l);
}

static void run_free(struct unattended_run *r)
{
    if (r->have_db) cia_db_close(&r->db);
    if (r->have_lock) cia_db_close(&r->lockdb);
    for (size_t i = 0; i < r->nin; i++) {
        free(r->in[i].dir);
        free(r->in[i].service);
        free(r->in[i].arch_path);
        free(r->in[i].rej_path);
        close_folders(&r->in[i]);
    }
    free(r->in);
    for (size_t i = 0; i < r->npat; i++) {
        free(r->pat[i].service);
        free(r->pat[i].glob);
    }
    free(r->pat);
    free(r->archive);
    free(r->rejected);
    free(r->confdir);
    free(r->log_path);
    cia_strv_free(&r->check_settings);
    cia_conf_free(&r->conf);
    if (r->log) fclose(r->log);
}

int cia_run(const struct cia_run_opts *o, cia_err *e)
{
    struct unattended_run r;
    memset(&r, 0, sizeof r);
    r.o = o;
    int rc = setup(&r, e);
    if (rc) { run_free(&r); return rc; }
    const char *conninfo = o->db ? o->db : cia_conf_get(&r.conf, "database", "conninfo");
    if (conninfo && !*conninfo) conninfo = NULL;
    rc = take_lock(&r, conninfo, e);
    if (rc) {
        char buf[4096];
        rlog(&r, "error", "%s", cia_err_format(e, buf, sizeof buf));
        run_free(&r);
        return rc;
    }
    rlog(&r, "info", "run started (ciatteh %s, configuration %s)", CIATTEH_VERSION, r.conf.path);
    cia_crash_point("lock");
    if ((rc = cia_db_open(&r.db, conninfo, e))) {
        char buf[4096];
        rlog(&r, "error", "%s", cia_err_format(e, buf, sizeof buf));
        run_free(&r);
        return rc;
    }
    r.have_db = 1;
    open_folders(&r);
    sweep(&r);

    struct file *files;
    size_t nfiles;
    scan(&r, &files, &nfiles, e);
    rlog(&r, "info", "%zu new file%s in %zu incoming director%s", nfiles, nfiles == 1 ? "" : "s", r.nin,
         r.nin == 1 ? "y" : "ies");
    for (size_t i = 0; i < nfiles; i++) {
        cia_err le;
        cia_err_clear(&le);
        if (lock_alive(&r, &le)) {
            rlog(&r, "error", "%s", le.msg);
            worse(&r, CIA_EUNAVAIL);
            r.left += nfiles - i;
            break;
        }
        load_one(&r, &files[i]);
        if (PQstatus(r.db.conn) != CONNECTION_OK) {
            rlog(&r, "error", "the database connection was lost; %zu file(s) left for the next run", nfiles - i - 1);
            r.left += nfiles - i - 1;
            worse(&r, CIA_EUNAVAIL);
            break;
        }
    }
    files_free(files, nfiles);

    if (PQstatus(r.db.conn) == CONNECTION_OK) {
        run_checks(&r);
        cia_crash_point("check");
        if (!o->no_pack && cia_conf_bool(&r.conf, "pack", "enabled", 1)) build_packs(&r);
    }
    rlog(&r, r.worst ? "error" : "info",
         "run finished: %zu loaded, %zu already loaded, %zu rejected, %zu left for the next run; exit %d",
         r.loaded, r.identical, r.rejected_n, r.left, r.worst);
    rc = r.worst;
    run_free(&r);
    cia_err_clear(e);
    if (rc) cia_fail(e, rc, "run finished with failures (exit %d); see the log", rc);
    return rc;
}
