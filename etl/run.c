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
 * Two runs never overlap: each holds a PostgreSQL session-level advisory
 * lock on a connection of its own for its whole life; the lock goes with
 * the session, so a killed run never leaves it behind. */
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
#include "ciatteh/load.h"
#include "ciatteh/query.h"
#include "ciatteh/run.h"
#include "ciatteh/spec.h"

#define RUN_LOCK "7310420006"   /* advisory lock key (bigint): the unattended run */

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

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
    return s;
}

int cia_conf_parse(cia_conf *c, const char *name, const char *text, size_t len, cia_err *e)
{
    memset(c, 0, sizeof *c);
    c->path = cia_xstrdup(name);
    const char *p = text, *end = text + len;
    char *section = NULL;
    long line = 0;
    int rc = CIA_OK;
    if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) p += 3;   /* a BOM from a Windows editor */
    while (p < end && !rc) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        char *raw = cia_xstrndup(p, (size_t)(le - p));
        p = nl ? nl + 1 : end;
        line++;
        /* comments: '#' first on the line, or after a blank */
        for (char *h = raw; (h = strchr(h, '#')); h++)
            if (h == raw || isspace((unsigned char)h[-1])) { *h = '\0'; break; }
        char *s = trim(raw);
        if (!*s) { free(raw); continue; }
        if (*s == '[') {
            size_t n = strlen(s);
            if (s[n - 1] != ']') {
                rc = cia_fail_at(e, CIA_EUSAGE, name, line, NULL, "expected [section]");
            } else {
                s[n - 1] = '\0';
                char *sec = trim(s + 1);
                if (!*sec) rc = cia_fail_at(e, CIA_EUSAGE, name, line, NULL, "empty section name");
                else { free(section); section = cia_xstrdup(sec); }
            }
            free(raw);
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = cia_fail_at(e, CIA_EUSAGE, name, line, NULL, "expected `key = value`");
        } else if (!section) {
            rc = cia_fail_at(e, CIA_EUSAGE, name, line, NULL, "`%s` before any [section]", s);
        } else {
            *eq = '\0';
            char *k = trim(s), *v = trim(eq + 1);
            if (!*k) {
                rc = cia_fail_at(e, CIA_EUSAGE, name, line, NULL, "empty key");
            } else {
                c->v = cia_xrealloc(c->v, (c->n + 1) * sizeof *c->v);
                c->v[c->n].section = cia_xstrdup(section);
                c->v[c->n].key = cia_xstrdup(k);
                c->v[c->n].value = cia_xstrdup(v);
                c->v[c->n].line = line;
                c->n++;
            }
        }
        free(raw);
    }
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
            return cia_fail_at(e, rc, c->path, x->line, NULL, "[check] %s", msg);
        }
        cia_strv_push(settings, s);
        free(s);
    }
    return CIA_OK;
}

/* ==== test hook ========================================================== */

static int crash_count(const char *name)
{
    static struct { char name[32]; int n; } seen[16];
    for (int i = 0; i < 16; i++) {
        if (!seen[i].name[0]) { snprintf(seen[i].name, sizeof seen[i].name, "%s", name); }
        if (!strcmp(seen[i].name, name)) return ++seen[i].n;
    }
    return 0;
}

void cia_crash_point(const char *name)
{
    /* CIATTEH_TEST_SLEEP_AT=NAME:SECONDS — hold still there (the lock
     * test keeps a run inside its lock this way). */
    const char *sl = getenv("CIATTEH_TEST_SLEEP_AT");
    size_t nl = strlen(name);
    if (sl && !strncmp(sl, name, nl) && sl[nl] == ':') sleep((unsigned)atoi(sl + nl + 1));
    const char *want = getenv("CIATTEH_TEST_CRASH_AT");
    if (!want || !*want) return;
    int n = crash_count(name);
    if (strncmp(want, name, nl) != 0) return;
    if (want[nl] == '\0' || (want[nl] == '@' && atoi(want + nl + 1) == n)) {
        fprintf(stderr, "ciatteh: test crash at %s (passage %d)\n", name, n);
        fflush(NULL);
        raise(SIGKILL);
    }
}

/* ==== the run ============================================================ */

struct incoming { char *dir, *service; };          /* service NULL = by [patterns] */
struct pattern { char *service, *glob; };
struct file { char *dir, *name, *path, *service; time_t mtime; size_t in; };

struct run {
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

static void worse(struct run *r, int rc)
{
    if (rc > r->worst) r->worst = rc;
}

/* ---- log ---------------------------------------------------------------- */

static void rlog(struct run *r, const char *level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void rlog(struct run *r, const char *level, const char *fmt, ...)
{
    char msg[4096], stamp[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
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
static char *conf_path(const struct run *r, const char *v)
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

static int conf_error(struct run *r, const struct cia_conf_entry *x, cia_err *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int conf_error(struct run *r, const struct cia_conf_entry *x, cia_err *e, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cia_fail_at(e, CIA_EUSAGE, r->conf.path, x ? x->line : 0, NULL, "%s", msg);
}

static int is_key(const char *k, const char *const *keys)
{
    for (; *keys; keys++)
        if (!strcmp(k, *keys)) return 1;
    return 0;
}

static int setup(struct run *r, cia_err *e)
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
    static const char *const pack_keys[] = {"output", "period", "languages", "as_of", "enabled", "charts", NULL};
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
                                  "enabled, charts)", x->key);
        } else if (!strcmp(x->section, "incoming")) {
            if (strcmp(x->key, "auto") && !known_service(x->key))
                return conf_error(r, x, e, "[incoming] '%s' is not a service (services: %s; or auto)", x->key,
                                  cia_spec_services());
            if (!*x->value) return conf_error(r, x, e, "[incoming] %s: no directory", x->key);
            r->in = cia_xrealloc(r->in, (r->nin + 1) * sizeof *r->in);
            r->in[r->nin].dir = conf_path(r, x->value);
            r->in[r->nin].service = strcmp(x->key, "auto") ? cia_xstrdup(x->key) : NULL;
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
    int fd = open(r->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0 || !(r->log = fdopen(fd, "a"))) {
        if (fd >= 0) close(fd);
        return cia_fail(e, CIA_ECANTCREAT, "%s: cannot open the log: %s", r->log_path, strerror(errno));
    }
    return CIA_OK;
}

/* ---- the lock ------------------------------------------------------------ */

static int take_lock(struct run *r, const char *conninfo, cia_err *e)
{
    int rc = cia_db_open(&r->lockdb, conninfo, e);
    if (rc) return rc;
    PGresult *q;
    if ((rc = cia_db_query(&r->lockdb, e, &q, "SELECT pg_try_advisory_lock(" RUN_LOCK ")", 0, NULL))) {
        cia_db_close(&r->lockdb);
        return rc;
    }
    int got = PQgetvalue(q, 0, 0)[0] == 't';
    PQclear(q);
    if (!got) {
        char holder[512] = "another run";
        if (cia_db_query(&r->lockdb, e, &q,
                "SELECT a.application_name || ', since ' || "
                "       to_char(a.backend_start AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD HH24:MI:SS') "
                "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
                "  AND ((l.classid::bigint << 32) | l.objid::bigint) = " RUN_LOCK, 0, NULL) == CIA_OK) {
            if (PQntuples(q) > 0 && *PQgetvalue(q, 0, 0)) snprintf(holder, sizeof holder, "%s", PQgetvalue(q, 0, 0));
            PQclear(q);
        }
        cia_db_close(&r->lockdb);
        return cia_fail(e, CIA_EBUSY, "another run holds the run lock (%s); not starting", holder);
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
static int lock_alive(struct run *r, cia_err *e)
{
    if (cia_db_query(&r->lockdb, e, NULL, "SELECT 1", 0, NULL) != CIA_OK)
        return cia_fail(e, CIA_EUNAVAIL, "the lock session to the database was lost; stopping");
    return CIA_OK;
}

/* ---- files --------------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcasecmp(s + n - m, suffix);
}

/* Names an uploader or we ourselves use while writing: never picked up. */
static int transient_name(const char *name)
{
    if (name[0] == '.' || name[0] == '~') return 1;
    if (ends_with(name, ".tmp") || ends_with(name, ".part") || ends_with(name, ".partial") ||
        ends_with(name, ".crdownload") || ends_with(name, ".errors.txt") || ends_with(name, ".rejects.csv"))
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

static int scan(struct run *r, struct file **out, size_t *nout, cia_err *e)
{
    struct file *v = NULL;
    size_t n = 0;
    time_t now = time(NULL);
    for (size_t i = 0; i < r->nin; i++) {
        DIR *d = opendir(r->in[i].dir);
        if (!d) {
            rlog(r, "error", "%s: cannot read the incoming directory: %s", r->in[i].dir, strerror(errno));
            worse(r, CIA_ENOINPUT);
            continue;
        }
        struct dirent *de;
        while ((de = readdir(d))) {
            if (transient_name(de->d_name)) continue;
            char *path = cia_xasprintf("%s/%s", r->in[i].dir, de->d_name);
            struct stat st;
            if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) { free(path); continue; }
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

static void fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* A destination in dir for a file called name with content sha: the name
 * itself, or name.2.ext, name.3.ext... when taken by another content.
 * *same = 1 when that destination already holds this very content (an
 * earlier run moved it there and crashed before removing the source). */
static char *choose_dest(const char *dir, const char *name, const char *sha, int *same)
{
    *same = 0;
    const char *dot = strrchr(name, '.');
    size_t stem = dot && dot != name ? (size_t)(dot - name) : strlen(name);
    for (int k = 1; k < 10000; k++) {
        char *cand = k == 1 ? cia_xasprintf("%s/%s", dir, name)
                            : cia_xasprintf("%s/%.*s.%d%s", dir, (int)stem, name, k, name + stem);
        struct stat st;
        if (lstat(cand, &st) != 0) return cand;
        char have[65];
        if (S_ISREG(st.st_mode) && cia_sha256_file(cand, have) == 0 && !strcmp(have, sha)) {
            *same = 1;
            return cand;
        }
        free(cand);
    }
    return NULL;
}

static int copy_file(const char *src, const char *dst, cia_err *e)
{
    cia_outfile o;
    int rc = cia_outfile_open(&o, dst, e);
    if (rc) return rc;
    FILE *in = fopen(src, "rb");
    if (!in) {
        cia_outfile_abort(&o);
        return cia_fail(e, CIA_ENOINPUT, "%s: cannot open: %s", src, strerror(errno));
    }
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, k, o.fp);
    int bad = ferror(in);
    fclose(in);
    if (bad) {
        cia_outfile_abort(&o);
        return cia_fail(e, CIA_ENOINPUT, "%s: read error", src);
    }
    return cia_outfile_commit(&o, e);
}

/* Move src to dest (chosen by choose_dest) without ever having it in
 * neither place: link, then unlink; across file systems copy (written
 * atomically), then unlink. */
static int place(struct run *r, const char *src, const char *dest, int same, cia_err *e)
{
    char *dd = cia_xstrdup(dest);
    char *ddir = dirname(dd);
    if (!same) {
        if (link(src, dest) != 0) {
            if (errno == EXDEV || errno == EPERM || errno == ENOTSUP || errno == EMLINK) {
                int rc = copy_file(src, dest, e);
                if (rc) { free(dd); return rc; }
            } else {
                int rc = cia_fail(e, CIA_ECANTCREAT, "%s: cannot move to %s: %s", src, dest, strerror(errno));
                free(dd);
                return rc;
            }
        }
        fsync_dir(ddir);
    }
    cia_crash_point("archive");
    free(dd);
    if (unlink(src) != 0 && errno != ENOENT)
        return cia_fail(e, CIA_ECANTCREAT, "%s: moved to %s but cannot remove the original: %s", src, dest,
                        strerror(errno));
    char *sd = cia_xstrdup(src);
    fsync_dir(dirname(sd));
    free(sd);
    (void)r;
    return CIA_OK;
}

static char *dest_dir(const struct run *r, const struct file *f, int archive)
{
    const char *set = archive ? r->archive : r->rejected;
    if (set) return cia_xstrdup(set);
    return cia_xasprintf("%s/%s", r->in[f->in].dir, archive ? "archive" : "rejected");
}

/* Remove what a crashed run may have left half-written: temporary files of
 * ours in the archive and rejected folders (we hold the lock: nobody else
 * writes there). */
static void sweep_dir(struct run *r, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *t = strstr(de->d_name, ".tmp.");
        if (!t) continue;
        t += 5;
        if (!*t) continue;
        while (isdigit((unsigned char)*t)) t++;
        if (*t) continue;
        char *p = cia_xasprintf("%s/%s", dir, de->d_name);
        if (unlink(p) == 0) rlog(r, "info", "removed %s, left by an interrupted run", p);
        free(p);
    }
    closedir(d);
}

static void sweep(struct run *r)
{
    for (size_t i = 0; i < r->nin; i++) {
        struct file f = {.in = i};
        for (int a = 0; a < 2; a++) {
            char *d = dest_dir(r, &f, a);
            sweep_dir(r, d);
            free(d);
        }
    }
}

static const char *service_of(const struct run *r, const struct file *f)
{
    if (f->service) return f->service;
    for (size_t i = 0; i < r->npat; i++)
        if (fnmatch(r->pat[i].glob, f->name, FNM_CASEFOLD) == 0) return r->pat[i].service;
    return NULL;
}

static int write_errors(const char *path, const char *file, const char *service, const struct cia_load_result *res,
                        const char *why, cia_err *e)
{
    cia_outfile o;
    int rc = cia_outfile_open(&o, path, e);
    if (rc) return rc;
    time_t now = time(NULL);
    struct tm tm;
    char stamp[64];
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S%z", &tm);
    fprintf(o.fp, "# %s rejected by ciatteh run on %s%s%s: nothing of it was loaded.\n", file, stamp,
            service ? " as " : "", service ? service : "");
    if (why) fprintf(o.fp, "%s\n", why);
    if (res) {
        fprintf(o.fp, "# %ld problem%s\n", res->nerrors, res->nerrors == 1 ? "" : "s");
        for (size_t k = 0; k < res->messages.n; k++) fprintf(o.fp, "%s\n", res->messages.v[k]);
        if (res->nerrors > (long)res->messages.n)
            fprintf(o.fp, "... and %ld more problems not listed\n", res->nerrors - (long)res->messages.n);
    }
    return cia_outfile_commit(&o, e);
}

static int reject(struct run *r, const struct file *f, const char *service, const struct cia_load_result *res,
                  const char *why, const char *sha)
{
    cia_err e;
    cia_err_clear(&e);
    char shabuf[65];
    if (!sha || !*sha) {
        if (cia_sha256_file(f->path, shabuf) != 0) {
            rlog(r, "error", "%s: cannot read it: %s", f->path, strerror(errno));
            worse(r, CIA_ENOINPUT);
            r->left++;
            return CIA_ENOINPUT;
        }
        sha = shabuf;
    }
    char *dir = dest_dir(r, f, 0);
    int rc = cia_mkdirs(dir, 0755, &e), same = 0;
    char *dest = rc ? NULL : choose_dest(dir, f->name, sha, &same);
    if (!rc && !dest) rc = cia_fail(&e, CIA_ECANTCREAT, "%s: no free name for %s", dir, f->name);
    if (!rc) {
        char *ep = cia_xasprintf("%s.errors.txt", dest);
        rc = write_errors(ep, f->name, service, res, why, &e);
        free(ep);
    }
    if (!rc) cia_crash_point("reject");
    if (!rc) rc = place(r, f->path, dest, same, &e);
    if (rc) {
        char buf[4096];
        rlog(r, "error", "%s: %s", f->path, cia_err_format(&e, buf, sizeof buf));
        worse(r, rc);
        r->left++;
    } else {
        rlog(r, "error", "%s: rejected%s%s: moved to %s, problems in %s.errors.txt", f->path,
             service ? " as " : "", service ? service : "", dest, dest);
        r->rejected_n++;
        worse(r, CIA_EDATA);
    }
    free(dest);
    free(dir);
    return rc;
}

static int archive(struct run *r, const struct file *f, const struct cia_load_result *res)
{
    cia_err e;
    cia_err_clear(&e);
    char *dir = dest_dir(r, f, 1);
    int rc = cia_mkdirs(dir, 0755, &e), same = 0;
    char *dest = rc ? NULL : choose_dest(dir, f->name, res->sha256, &same);
    if (!rc && !dest) rc = cia_fail(&e, CIA_ECANTCREAT, "%s: no free name for %s", dir, f->name);
    if (!rc) rc = place(r, f->path, dest, same, &e);
    if (rc) {
        char buf[4096];
        rlog(r, "error", "%s: loaded, but %s (the next run will archive it)", f->path,
             cia_err_format(&e, buf, sizeof buf));
        worse(r, rc);
    } else {
        rlog(r, "info", "%s: archived as %s", f->path, dest);
    }
    free(dest);
    free(dir);
    return rc;
}

static void load_one(struct run *r, const struct file *f)
{
    const char *service = service_of(r, f);
    if (!service) {
        cia_buf why;
        cia_buf_init(&why);
        cia_buf_printf(&why, "%s: no [patterns] entry of %s matches this file name, so its service is not known.",
                       f->name, r->conf.path);
        if (r->npat) {
            cia_buf_adds(&why, "\nPatterns:");
            for (size_t i = 0; i < r->npat; i++)
                cia_buf_printf(&why, "\n  %s = %s", r->pat[i].service, r->pat[i].glob);
        }
        reject(r, f, NULL, NULL, why.data, NULL);
        cia_buf_free(&why);
        return;
    }
    struct cia_load_opts lo;
    memset(&lo, 0, sizeof lo);
    lo.service = service;
    lo.keep_going = r->keep_going;
    char *rejects = NULL;
    if (r->keep_going) {
        /* the rows left out go beside the archived file */
        char *dir = dest_dir(r, f, 1);
        cia_err e2;
        cia_mkdirs(dir, 0755, &e2);
        rejects = cia_xasprintf("%s/%s.rejects.csv", dir, f->name);
        lo.rejects = rejects;
        free(dir);
    }
    cia_err e;
    cia_err_clear(&e);
    cia_loader *l;
    int rc = cia_loader_new(&l, &r->db, &lo, &e);
    if (rc) {
        char buf[4096];
        rlog(r, "error", "%s: cannot prepare the %s loader: %s", f->path, service, cia_err_format(&e, buf, sizeof buf));
        worse(r, rc);
        r->left++;
        free(rejects);
        return;
    }
    cia_crash_point("load");
    struct cia_load_result res;
    rc = cia_load_file(l, f->path, &res, &e);
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
                rlog(r, "error", "%s: %lld records rejected and left out (see %s); the delivery is partial",
                     f->path, res.rejected, res.rejects_path);
                worse(r, CIA_EDATA);
            }
            r->loaded++;
        }
        cia_crash_point("commit");
        archive(r, f, &res);
    } else if (rc == CIA_EDATA) {
        rlog(r, "error", "%s: %ld problem%s as %s; first: %s", f->path, res.nerrors, res.nerrors == 1 ? "" : "s",
             service, res.messages.n ? res.messages.v[0] : "(none listed)");
        reject(r, f, service, &res, NULL, res.sha256);
    } else {
        char buf[4096];
        rlog(r, "error", "%s: not loaded, left in place for the next run: %s", f->path,
             cia_err_format(&e, buf, sizeof buf));
        worse(r, rc);
        r->left++;
    }
    cia_load_result_free(&res);
    free(rejects);
}

/* ---- checks and pack ------------------------------------------------------ */

static void run_checks(struct run *r)
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
        rlog(r, "info", "check: %zu errors, %zu warnings (%zu rules)", res.errors, res.warnings, res.rules_run);
        /* In a run, warnings alone do not fail unless fail_on = warning. */
        enum cia_check_fail_on f = r->fail_on == CIA_FAIL_DEFAULT ? CIA_FAIL_ERROR : r->fail_on;
        worse(r, cia_check_status(&res, f));
    }
    cia_check_result_free(&res);
}

static void build_packs(struct run *r)
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

static void run_free(struct run *r)
{
    if (r->have_db) cia_db_close(&r->db);
    if (r->have_lock) cia_db_close(&r->lockdb);
    for (size_t i = 0; i < r->nin; i++) {
        free(r->in[i].dir);
        free(r->in[i].service);
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
    struct run r;
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
