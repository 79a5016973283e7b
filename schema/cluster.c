/* cluster.c — owns the private PostgreSQL cluster: where it lives, creating
 * it (initdb into a temporary directory renamed into place, so a crash
 * never leaves half a cluster), starting it on demand, stopping it.
 *
 * Why fork/exec and not system(): no shell between us and the paths, and
 * when we run as root the children drop to the server user (initdb and
 * postgres refuse root).  Start/stop are serialised by an flock on
 * $CIATTEH_HOME/cluster.lock so that two commands starting it at once
 * leave exactly one server. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "ciatteh/cluster.h"
#include "ciatteh/home.h"
#include "ciatteh/pooler.h"
#include "ciatteh/util.h"

#define DBNAME "ciatteh"
#define DBUSER "ciatteh"

static char pg_dir[4200], data_dir[4300], conninfo_buf[4400];

/* The cluster's places under cia_home() (src/core/home.c). */
static void places(void)
{
    if (pg_dir[0]) return;
    const char *h = cia_home();
    snprintf(pg_dir, sizeof pg_dir, "%s/pg", h);
    snprintf(data_dir, sizeof data_dir, "%s/data", pg_dir);
    snprintf(conninfo_buf, sizeof conninfo_buf, "host=%s dbname=" DBNAME " user=" DBUSER
             " application_name=ciatteh connect_timeout=10", pg_dir);
}

/* cia_home(), with the places above set from it. */
static const char *home(void)
{
    places();
    return cia_home();
}

const char *cia_cluster_conninfo(void)
{
    places();
    return conninfo_buf;
}

const char *cia_cluster_socket_dir(void)
{
    places();
    return pg_dir;
}

static const char *pg_bindir(void)
{
    const char *b = getenv("CIATTEH_PGBIN");
    return b && *b ? b : "/usr/lib/postgresql/15/bin";
}

/* The account the server runs as: ourselves, or `postgres` when root. */
static int server_user(uid_t *uid, gid_t *gid, const char **name, cia_err *e)
{
    if (geteuid() != 0) {
        *uid = geteuid();
        *gid = getegid();
        *name = NULL;
        return CIA_OK;
    }
    const char *u = getenv("CIATTEH_PGUSER");
    if (!u || !*u) u = "postgres";
    struct passwd *pw = getpwnam(u);
    if (!pw)
        return cia_fail(e, CIA_EUNAVAIL, "running as root, the private cluster needs the "
                        "unprivileged system user '%s' (install postgresql, or set CIATTEH_PGUSER)", u);
    *uid = pw->pw_uid;
    *gid = pw->pw_gid;
    *name = u;
    return CIA_OK;
}

/* The environment of the PostgreSQL programs: ours, made before the fork
 * (a child of a process with threads may only exec), with
 *  - LC_ALL=C.UTF-8: the locale initdb needs, the rest left alone;
 *  - no PGDATA: every program is told its data directory;
 *  - glibc's malloc told to let the server's backends keep the memory
 *    they free.  By default a freed heap top over 128 KB goes back to the
 *    kernel, and a backend's memory contexts free and grow such blocks
 *    for each statement, so each figures() call of a report or a pack
 *    page-faulted its memory in again: 6.2 ms a call instead of 1.9 in
 *    one session, a report or a pack 10-15 % slower (BENCHMARKS.md,
 *    tenth round).  Up to 16 MB of freed memory stays with each
 *    backend.  The MALLOC_*_ variables, not GLIBC_TUNABLES: glibc 2.36
 *    cuts a GLIBC_TUNABLES of several settings to its first one in every
 *    process it passes through (pg_ctl, then the shell it starts
 *    postgres with).  Whoever set either keeps theirs. */
static const char *const server_malloc[] = {"MALLOC_TRIM_THRESHOLD_=16777216",
                                            "MALLOC_MMAP_THRESHOLD_=8388608"};
extern char **environ;

static int has_var(char **env, size_t n, const char *var)
{
    size_t len = strcspn(var, "=") + 1;
    for (size_t i = 0; i < n; i++)
        if (!strncmp(env[i], var, len)) return 1;
    return 0;
}

static char **server_env(void)
{
    size_t n = 0, k = 0;
    while (environ && environ[n]) n++;
    char **env = cia_xcalloc(n + sizeof server_malloc / sizeof *server_malloc + 2, sizeof *env);
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "LC_ALL=", 7) && strncmp(environ[i], "PGDATA=", 7)) env[k++] = environ[i];
    int own = has_var(env, k, "GLIBC_TUNABLES=");
    for (size_t i = 0; i < sizeof server_malloc / sizeof *server_malloc; i++)
        if (!own && !has_var(env, k, server_malloc[i])) env[k++] = (char *)server_malloc[i];
    env[k++] = (char *)"LC_ALL=C.UTF-8";
    env[k] = NULL;
    return env;
}

/* Run a PostgreSQL program as the server user, in cwd (NULL: ours);
 * output goes to logpath. */
static int run_as_server_in(const char *cwd, char *const argv[], const char *logpath, int *status,
                            cia_err *e)
{
    uid_t uid;
    gid_t gid;
    const char *uname;
    int rc = server_user(&uid, &gid, &uname, e);
    if (rc) return rc;
    char **env = server_env();
    pid_t pid = fork();
    if (pid < 0) {
        free(env);
        return cia_fail(e, CIA_EINTERNAL, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int out = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (out < 0) out = open("/dev/null", O_WRONLY);
        if (in >= 0) dup2(in, 0);
        dup2(out, 1);
        dup2(out, 2);
        if (uname) {
            if (fchown(out, uid, gid) != 0) { /* best effort: log ownership */ }
            if (setgid(gid) != 0 || initgroups(uname, gid) != 0 || setuid(uid) != 0) _exit(126);
        }
        if (cwd && chdir(cwd) != 0) _exit(126);
        execve(argv[0], argv, env);
        _exit(127);
    }
    free(env);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return cia_fail(e, CIA_EINTERNAL, "waitpid: %s", strerror(errno));
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return CIA_OK;
}

static int run_as_server(char *const argv[], const char *logpath, int *status, cia_err *e)
{
    return run_as_server_in(NULL, argv, logpath, status, e);
}

static int chown_to_server(const char *path, cia_err *e)
{
    uid_t uid;
    gid_t gid;
    const char *uname;
    int rc = server_user(&uid, &gid, &uname, e);
    if (rc) return rc;
    if (uname && chown(path, uid, gid) != 0)
        return cia_fail(e, CIA_EUNAVAIL, "%s: cannot hand to user %s: %s", path, uname, strerror(errno));
    return CIA_OK;
}

/* Exclusive lock on $CIATTEH_HOME/cluster.lock, waiting up to a minute. */
static int lock_home(int *fd, cia_err *e)
{
    int rc = cia_mkdirs(home(), 0755, e);
    if (rc) return rc;
    char path[4200];
    snprintf(path, sizeof path, "%s/cluster.lock", home());
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (*fd < 0) return cia_fail(e, CIA_EUNAVAIL, "%s: %s", path, strerror(errno));
    for (int i = 0; i < 600; i++) {
        if (flock(*fd, LOCK_EX | LOCK_NB) == 0) return CIA_OK;
        struct timespec ts = {0, 100000000};
        nanosleep(&ts, NULL);
    }
    close(*fd);
    return cia_fail(e, CIA_EBUSY, "%s: another ciatteh holds the cluster lock", path);
}

static void unlock_home(int fd)
{
    flock(fd, LOCK_UN);
    close(fd);
}

static int file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* ---- authentication --------------------------------------------------------
 * The cluster knows who connects from the kernel (peer authentication on
 * its Unix socket; there is no TCP): the operating-system users that run
 * it — the server's user, and root when root runs ciatteh — may use every
 * ciatteh role, and anyone else only what an administrator maps them to in
 * pg_ident.conf (outside our block).  `trust` made any local user who could
 * reach the socket the superuser.  The roles are listed one by one because
 * PostgreSQL 15's maps take no pattern on the database side: the block is
 * brought up to date whenever the roles may have changed (cluster start,
 * migrations, `admin roles`). */

#define IDENT_BEGIN "# BEGIN ciatteh: written by ciatteh, rewritten when its roles change\n"
#define IDENT_END "# END ciatteh\n"

static const char HBA_CONF[] =
    "# pg_hba.conf of ciatteh's private cluster (written by ciatteh; see\n"
    "# docs/RELIABILITY.md): Unix socket only, peer authentication through the\n"
    "# map \"ciatteh\" of pg_ident.conf.\n"
    "local   all          all   peer map=ciatteh\n"
    "local   replication  all   peer map=ciatteh\n";

/* Replace path's content with data (mode 0600, the server user's), through
 * a temporary file renamed over it. */
static int put_conf(const char *path, const char *data, cia_err *e)
{
    /* One fixed name: every writer holds the home lock (lock_home), and
     * the unlink below clears what a killed writer left. */
    char tmp[4500];
    snprintf(tmp, sizeof tmp, "%s.ciatteh-tmp", path);
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return cia_fail(e, CIA_EUNAVAIL, "%s: %s", tmp, strerror(errno));
    size_t n = strlen(data);
    int ok = write(fd, data, n) == (ssize_t)n && fsync(fd) == 0;
    close(fd);
    int rc;
    if (!ok) rc = cia_fail(e, CIA_EUNAVAIL, "%s: %s", tmp, strerror(errno));
    else if ((rc = chown_to_server(tmp, e)) == CIA_OK && rename(tmp, path) != 0)
        rc = cia_fail(e, CIA_EUNAVAIL, "%s: %s", path, strerror(errno));
    if (rc) unlink(tmp);
    return rc;
}

/* pg_ident.conf with our block (one line per OS user and role) in place of
 * the old one; lines outside it are the administrator's and stay. */
static char *ident_conf(const char *dir, const char *const *roles, size_t nroles)
{
    char path[4500], *old = NULL;
    size_t len = 0;
    cia_err ignored;
    snprintf(path, sizeof path, "%s/pg_ident.conf", dir);
    if (cia_read_file(path, &old, &len, &ignored) != CIA_OK) old = NULL;
    cia_buf b;
    cia_buf_init(&b);
    const char *after = NULL;
    if (old) {
        char *s = strstr(old, IDENT_BEGIN), *t = s ? strstr(s, IDENT_END) : NULL;
        if (s && t) {
            cia_buf_add(&b, old, (size_t)(s - old));
            after = t + strlen(IDENT_END);
        } else cia_buf_adds(&b, old);
    }
    if (!old || !after)
        cia_buf_adds(&b, "# pg_ident.conf of ciatteh's private cluster.  Map \"ciatteh\": which\n"
                     "# operating-system user may use which database role.  Add your own lines\n"
                     "# outside the block below, e.g. to let alice read items:\n"
                     "#   ciatteh   alice   ciatteh_analyst\n");
    cia_buf_adds(&b, IDENT_BEGIN);
    uid_t uid;
    gid_t gid;
    const char *server;
    cia_err e2;
    const char *users[2];
    size_t nu = 0;
    if (server_user(&uid, &gid, &server, &e2) == CIA_OK && server) {
        users[nu++] = server;
        users[nu++] = "root";
    } else {
        struct passwd *pw = getpwuid(geteuid());
        if (pw) users[nu++] = pw->pw_name;
    }
    for (size_t u = 0; u < nu; u++)
        for (size_t i = 0; i < nroles; i++)
            cia_buf_printf(&b, "ciatteh   %-16s %s\n", users[u], roles[i]);
    cia_buf_adds(&b, IDENT_END);
    if (after) cia_buf_adds(&b, after);
    free(old);
    return cia_buf_steal(&b);
}

/* Write what differs of pg_hba.conf and pg_ident.conf in dir; *changed
 * says whether anything did. */
static int write_auth(const char *dir, const char *const *roles, size_t nroles, int *changed,
                      cia_err *e)
{
    char path[4500], *cur = NULL;
    size_t len;
    cia_err ignored;
    int rc = CIA_OK;
    *changed = 0;
    snprintf(path, sizeof path, "%s/pg_hba.conf", dir);
    if (cia_read_file(path, &cur, &len, &ignored) != CIA_OK || strcmp(cur, HBA_CONF) != 0) {
        if ((rc = put_conf(path, HBA_CONF, e))) goto out;
        *changed = 1;
    }
    free(cur);
    cur = NULL;
    char *want = ident_conf(dir, roles, nroles);
    snprintf(path, sizeof path, "%s/pg_ident.conf", dir);
    if (cia_read_file(path, &cur, &len, &ignored) != CIA_OK || strcmp(cur, want) != 0) {
        rc = put_conf(path, want, e);
        *changed = 1;
    }
    free(want);
out:
    free(cur);
    return rc;
}

/* The server re-reads its configuration files when signalled, in its own
 * time: wait until a new session says it has (at most 10 s). */
static void wait_reload(const char *before)
{
    char ci[4600];
    snprintf(ci, sizeof ci, "host=%s dbname=postgres user=" DBUSER " connect_timeout=5", pg_dir);
    for (int i = 0; i < 1000; i++) {
        PGconn *c = PQconnectdb(ci);
        int done = 0;
        if (PQstatus(c) == CONNECTION_OK) {
            const char *p[1] = {before};
            PGresult *r = PQexecParams(c, "SELECT pg_conf_load_time() > $1::timestamptz", 1, NULL, p,
                                       NULL, NULL, 0);
            done = PQresultStatus(r) == PGRES_TUPLES_OK && PQgetvalue(r, 0, 0)[0] == 't';
            PQclear(r);
        }
        PQfinish(c);
        if (done) return;
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
}

/* The caller holds the home lock (see cia_cluster_sync_auth). */
static int sync_auth_locked(PGconn *c, cia_err *e)
{
    PGresult *r = PQexec(c, "SELECT rolname, pg_conf_load_time() FROM pg_roles "
                            "WHERE rolname = '" DBUSER "' OR rolname LIKE 'ciatteh\\_%' ORDER BY 1");
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) == 0) {
        int rc = cia_fail(e, CIA_EUNAVAIL, "reading the database roles: %s", PQerrorMessage(c));
        PQclear(r);
        return rc;
    }
    size_t n = (size_t)PQntuples(r);
    const char **roles = cia_xcalloc(n, sizeof *roles);
    for (size_t i = 0; i < n; i++) roles[i] = PQgetvalue(r, (int)i, 0);
    int changed = 0;
    int rc = write_auth(data_dir, roles, n, &changed, e);
    free(roles);
    if (!rc && changed) {
        char before[64];
        snprintf(before, sizeof before, "%s", PQgetvalue(r, 0, 1));
        PGresult *x = PQexec(c, "SELECT pg_reload_conf()");
        if (PQresultStatus(x) != PGRES_TUPLES_OK)
            rc = cia_fail(e, CIA_EUNAVAIL, "reloading the server's configuration: %s", PQerrorMessage(c));
        PQclear(x);
        if (!rc) wait_reload(before);
    }
    PQclear(r);
    return rc;
}

/* Two commands connecting at once (two runs started by cron) may both find
 * the map out of date: the home lock lets the second see the first's file
 * instead of replacing it under it. */
int cia_cluster_sync_auth(PGconn *c, cia_err *e)
{
    cia_home();
    int fd, rc = lock_home(&fd, e);
    if (rc) return rc;
    rc = sync_auth_locked(c, e);
    unlock_home(fd);
    return rc;
}

static int init_locked(cia_err *e)
{
    char path[4400], logp[4400];
    snprintf(path, sizeof path, "%s/PG_VERSION", data_dir);
    if (file_exists(path)) return CIA_OK;
    int rc;
    if (!file_exists(pg_dir)) {
        if (mkdir(pg_dir, 0700) != 0 && errno != EEXIST)
            return cia_fail(e, CIA_EUNAVAIL, "%s: %s", pg_dir, strerror(errno));
    }
    if ((rc = chown_to_server(pg_dir, e))) return rc;
    snprintf(logp, sizeof logp, "%s/setup.log", pg_dir);
    char tmp[4400];
    snprintf(tmp, sizeof tmp, "%s/data.initdb", pg_dir);
    /* A crash during an earlier initdb leaves this behind: start again. */
    if (file_exists(tmp)) {
        char rm[4400];
        char *argv_rm[] = {"/bin/rm", "-rf", tmp, NULL};
        int st;
        snprintf(rm, sizeof rm, "%s", tmp);
        (void)rm;
        if ((rc = run_as_server(argv_rm, logp, &st, e))) return rc;
    }
    char initdb[1024];
    snprintf(initdb, sizeof initdb, "%s/initdb", pg_bindir());
    char *argv[] = {initdb, "-D", tmp, "-U", DBUSER, "--auth-local=peer", "--auth-host=reject", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-instructions", NULL};
    int st;
    cia_info("creating the private database cluster in %s", pg_dir);
    if ((rc = run_as_server(argv, logp, &st, e))) return rc;
    if (st != 0)
        return cia_fail(e, CIA_EUNAVAIL, "initdb failed (exit %d); see %s "
                        "(the server user must be able to reach %s)", st, logp, pg_dir);
    /* Who may connect: the owner's roles only (above). */
    {
        const char *roles[1] = {DBUSER};
        int changed;
        if ((rc = write_auth(tmp, roles, 1, &changed, e))) return rc;
    }
    /* Our settings: no TCP, socket inside our directory (0700). */
    char conf[4400];
    snprintf(conf, sizeof conf, "%s/postgresql.auto.conf", tmp);
    FILE *fp = fopen(conf, "a");
    if (!fp) return cia_fail(e, CIA_EUNAVAIL, "%s: %s", conf, strerror(errno));
    fprintf(fp, "listen_addresses = ''\nunix_socket_directories = '%s'\n"
            "max_connections = 60\nlog_min_messages = warning\n"
            "lock_timeout = '60s'\n", pg_dir);
    fclose(fp);
    if (rename(tmp, data_dir) != 0)
        return cia_fail(e, CIA_EUNAVAIL, "%s: %s", data_dir, strerror(errno));
    return CIA_OK;
}

/* For schema/backup.c: the same tools, run the same way. */
const char *cia_cluster_pgbin(void) { return pg_bindir(); }
const char *cia_cluster_data_dir(void) { cia_home(); return data_dir; }
int cia_cluster_exec(char *const argv[], const char *logpath, int *status, cia_err *e)
{
    return run_as_server(argv, logpath, status, e);
}
int cia_cluster_exec_in(const char *cwd, char *const argv[], const char *logpath, int *status,
                        cia_err *e)
{
    return run_as_server_in(cwd, argv, logpath, status, e);
}
int cia_cluster_give(const char *path, cia_err *e) { return chown_to_server(path, e); }
int cia_cluster_put_file(const char *path, const char *data, cia_err *e)
{
    return put_conf(path, data, e);
}

int cia_cluster_init(cia_err *e)
{
    int fd, rc = lock_home(&fd, e);
    if (rc) return rc;
    rc = init_locked(e);
    unlock_home(fd);
    return rc;
}

static int ping(void)
{
    char ci[4600];
    snprintf(ci, sizeof ci, "host=%s dbname=postgres user=" DBUSER " connect_timeout=5", pg_dir);
    return PQping(ci) == PQPING_OK;
}

/* postmaster.pid into buf (NUL-terminated, at most n - 1 bytes): its
 * length, 0 when it is empty or cannot be read, -1 when it cannot be
 * opened (errno says why). */
static ssize_t read_pidfile(char *buf, size_t n)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/postmaster.pid", data_dir);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t got = read(fd, buf, n - 1);
    close(fd);
    if (got < 0) got = 0;
    buf[got] = '\0';
    return got;
}

/* The postmaster's pid, on the pid file's first line; 0 when none. */
static long read_pid(void)
{
    char buf[1024];
    return read_pidfile(buf, sizeof buf) > 0 ? strtol(buf, NULL, 10) : 0;
}

/* 1 when this home's server is up and takes connections, told from what
 * the postmaster writes for pg_ctl: postmaster.pid, its pid on the first
 * line and its state on the eighth ("ready" once it accepts connections).
 * 0 when it is not up; -1 when the file cannot tell (another user's
 * cluster, unreadable): ask the server then.  Asking (PQping) is a
 * connection, so a backend forked on the server and torn down again:
 * ~30 ms of server CPU per command on the CI guests, before the command
 * did anything. */
static int ready_by_pidfile(void)
{
    char buf[1024];
    ssize_t n = read_pidfile(buf, sizeof buf);
    if (n < 0) return errno == ENOENT ? 0 : -1;
    if (n == 0) return 0;                /* being written: starting */
    const char *line = buf;
    for (int i = 1; i < 8 && line; i++)
        if ((line = strchr(line, '\n'))) line++;
    if (!line || strncmp(line, "ready", 5)) return 0;
    return cia_process_runs(strtol(buf, NULL, 10), "postgres", data_dir);
}

static int ensure_database(cia_err *e)
{
    char ci[4600];
    snprintf(ci, sizeof ci, "host=%s dbname=postgres user=" DBUSER " connect_timeout=10", pg_dir);
    PGconn *c = PQconnectdb(ci);
    if (PQstatus(c) != CONNECTION_OK) {
        int rc = cia_fail(e, CIA_EUNAVAIL, "private cluster: %s", PQerrorMessage(c));
        PQfinish(c);
        return rc;
    }
    PGresult *r = PQexec(c, "SELECT 1 FROM pg_database WHERE datname = '" DBNAME "'");
    int have = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    PQclear(r);
    /* After a start: the roles may have changed since the map was written
     * (or the cluster predates peer authentication). */
    int rc = sync_auth_locked(c, e);
    if (!rc && !have) {
        r = PQexec(c, "CREATE DATABASE " DBNAME " ENCODING 'UTF8' TEMPLATE template0");
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = cia_fail(e, CIA_EUNAVAIL, "creating database: %s", PQerrorMessage(c));
        PQclear(r);
    }
    PQfinish(c);
    return rc;
}

static int start(int *started, int trust_pidfile, cia_err *e)
{
    if (started) *started = 0;
    places();
    int ready = trust_pidfile ? ready_by_pidfile() : -1;
    if (ready == 1 || (ready < 0 && ping())) {   /* the common case: up, no lock */
        /* ...and its pooler too, unless it was killed or never started
         * (a cluster started by an older ciatteh). */
        if (!cia_pooler_wanted() || cia_pooler_alive()) return CIA_OK;
        int fd, rc = lock_home(&fd, e);
        if (rc) return rc;
        cia_pooler_start();
        unlock_home(fd);
        return CIA_OK;
    }
    int fd, rc = lock_home(&fd, e);
    if (rc) return rc;
    if ((rc = init_locked(e))) goto out;
    if (ping()) goto db;
    char pgctl[1024], logp[4400], opts[4600];
    snprintf(pgctl, sizeof pgctl, "%s/pg_ctl", pg_bindir());
    snprintf(logp, sizeof logp, "%s/server.log", pg_dir);
    /* PL/pgSQL loaded once by the postmaster, not by every backend: each
     * `ciatteh query` is a new backend whose first figures() call loaded it
     * (~5 ms of server CPU, BENCHMARKS.md eighth round).  On the command
     * line rather than in postgresql.auto.conf so that clusters made
     * before this get it too. */
    snprintf(opts, sizeof opts, "-k %s -c shared_preload_libraries=plpgsql", pg_dir);
    char *argv[] = {pgctl, "start", "-w", "-t", "60", "-D", data_dir, "-l", logp,
                    "-o", opts, NULL};
    /* After a kill -9 of the postmaster its orphaned backends may still
     * hold shared memory for a moment: retry for a few seconds. */
    int st = 1;
    for (int attempt = 0; attempt < 20; attempt++) {
        if ((rc = run_as_server(argv, logp, &st, e))) goto out;
        if (st == 0 || ping()) break;
        struct timespec ts = {0, 500000000};
        nanosleep(&ts, NULL);
    }
    if (st != 0 && !ping()) {
        rc = cia_fail(e, CIA_EUNAVAIL, "could not start the private cluster; see %s", logp);
        goto out;
    }
    if (started) *started = 1;
    cia_debug("started the private cluster in %s", pg_dir);
db:
    rc = ensure_database(e);
    if (!rc) cia_pooler_start();
out:
    unlock_home(fd);
    return rc;
}

int cia_cluster_start(int *started, cia_err *e)
{
    return start(started, 1, e);
}

int cia_cluster_start_asking(int *started, cia_err *e)
{
    return start(started, 0, e);
}

/* The pooler, then the server if one runs on the data directory; the
 * caller holds the home lock. */
static int stop_locked(cia_err *e)
{
    cia_pooler_stop();           /* first: it holds server connections */
    char path[4400];
    snprintf(path, sizeof path, "%s/PG_VERSION", data_dir);
    if (!file_exists(path) || read_pid() <= 0) return CIA_OK;
    char pgctl[1024], logp[4400];
    snprintf(pgctl, sizeof pgctl, "%s/pg_ctl", pg_bindir());
    snprintf(logp, sizeof logp, "%s/server.log", pg_dir);
    char *argv[] = {pgctl, "stop", "-w", "-t", "60", "-m", "fast", "-D", data_dir, NULL};
    int st, rc = run_as_server(argv, logp, &st, e);
    if (rc == CIA_OK && st != 0 && ping())
        rc = cia_fail(e, CIA_EUNAVAIL, "could not stop the private cluster; see %s", logp);
    return rc;
}

int cia_cluster_stop(cia_err *e)
{
    places();
    int fd, rc = lock_home(&fd, e);
    if (rc) return rc;
    rc = stop_locked(e);
    unlock_home(fd);
    return rc;
}

int cia_cluster_running(void)
{
    places();
    return ping();
}

int cia_cluster_swap_data(const char *staging, char *aside, size_t asidesz, cia_err *e)
{
    aside[0] = '\0';
    int fd, rc = lock_home(&fd, e);
    if (rc) return rc;
    if ((rc = stop_locked(e))) goto out;
    struct stat st;
    if (lstat(data_dir, &st) == 0) {
        char stamp[32];
        time_t now = time(NULL);
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", gmtime(&now));
        snprintf(aside, asidesz, "%s.before-restore-%s-%ld", data_dir, stamp, (long)getpid());
        if (rename(data_dir, aside) != 0) {
            rc = cia_fail(e, CIA_EUNAVAIL, "%s: %s", data_dir, strerror(errno));
            goto out;
        }
    }
    if (rename(staging, data_dir) != 0)
        rc = cia_fail(e, CIA_EUNAVAIL, "%s: %s", data_dir, strerror(errno));
out:
    unlock_home(fd);
    return rc;
}

int cia_cluster_status(int *running, long *pid, cia_err *e)
{
    (void)e;
    places();
    *running = ping();
    *pid = *running ? read_pid() : 0;
    return CIA_OK;
}
