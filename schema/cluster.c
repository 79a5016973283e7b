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

/* Run a PostgreSQL program as the server user; output goes to logpath. */
static int run_as_server(char *const argv[], const char *logpath, int *status, cia_err *e)
{
    uid_t uid;
    gid_t gid;
    const char *uname;
    int rc = server_user(&uid, &gid, &uname, e);
    if (rc) return rc;
    pid_t pid = fork();
    if (pid < 0) return cia_fail(e, CIA_EINTERNAL, "fork: %s", strerror(errno));
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
        /* Leave the environment's locale alone except what initdb needs. */
        setenv("LC_ALL", "C.UTF-8", 1);
        unsetenv("PGDATA");
        execv(argv[0], argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return cia_fail(e, CIA_EINTERNAL, "waitpid: %s", strerror(errno));
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return CIA_OK;
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
    char *argv[] = {initdb, "-D", tmp, "-U", DBUSER, "--auth=trust", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-instructions", NULL};
    int st;
    cia_info("creating the private database cluster in %s", pg_dir);
    if ((rc = run_as_server(argv, logp, &st, e))) return rc;
    if (st != 0)
        return cia_fail(e, CIA_EUNAVAIL, "initdb failed (exit %d); see %s "
                        "(the server user must be able to reach %s)", st, logp, pg_dir);
    /* Our settings: no TCP, socket inside our directory (which is 0700, so
     * trust authentication reaches only its owner and root). */
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

static long read_pid(void)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/postmaster.pid", data_dir);
    FILE *fp = fopen(path, "r");
    if (!fp) return 0;
    long pid = 0;
    if (fscanf(fp, "%ld", &pid) != 1) pid = 0;
    fclose(fp);
    return pid;
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
    int rc = CIA_OK;
    if (!have) {
        r = PQexec(c, "CREATE DATABASE " DBNAME " ENCODING 'UTF8' TEMPLATE template0");
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = cia_fail(e, CIA_EUNAVAIL, "creating database: %s", PQerrorMessage(c));
        PQclear(r);
    }
    PQfinish(c);
    return rc;
}

int cia_cluster_start(int *started, cia_err *e)
{
    if (started) *started = 0;
    places();
    if (ping()) return CIA_OK;   /* the common case: already up, no lock */
    int fd, rc = lock_home(&fd, e);
    if (rc) return rc;
    if ((rc = init_locked(e))) goto out;
    if (ping()) goto db;
    char pgctl[1024], logp[4400], opts[4600];
    snprintf(pgctl, sizeof pgctl, "%s/pg_ctl", pg_bindir());
    snprintf(logp, sizeof logp, "%s/server.log", pg_dir);
    snprintf(opts, sizeof opts, "-k %s", pg_dir);
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
out:
    unlock_home(fd);
    return rc;
}

int cia_cluster_stop(cia_err *e)
{
    places();
    int fd, rc = lock_home(&fd, e);
    if (rc) return rc;
    char path[4400];
    snprintf(path, sizeof path, "%s/PG_VERSION", data_dir);
    if (file_exists(path) && read_pid() > 0) {
        char pgctl[1024], logp[4400];
        snprintf(pgctl, sizeof pgctl, "%s/pg_ctl", pg_bindir());
        snprintf(logp, sizeof logp, "%s/server.log", pg_dir);
        char *argv[] = {pgctl, "stop", "-w", "-t", "60", "-m", "fast", "-D", data_dir, NULL};
        int st;
        if ((rc = run_as_server(argv, logp, &st, e)) == CIA_OK && st != 0 && ping())
            rc = cia_fail(e, CIA_EUNAVAIL, "could not stop the private cluster; see %s", logp);
    }
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
