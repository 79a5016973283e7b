/* pooler.c — owns PgBouncer beside the private cluster: its configuration
 * (written under $CIATTEH_HOME/pooler at each start), starting it with the
 * cluster, stopping it before the cluster, and connecting through it.
 *
 * Why: every `ciatteh query` is a new process and, direct, a new backend
 * whose first figures() fills the catalogue and relation caches and reads
 * the partitions' statistics again (~20 ms to start, then 2-4 times the
 * warm statement's time; BENCHMARKS.md, eighth and ninth rounds).  In
 * session pooling a client gets one server connection to itself for its
 * whole session — exported snapshots, SET, advisory locks all behave as
 * direct — and at its end PgBouncer runs DISCARD ALL and keeps the backend
 * for the next client, caches warm.
 *
 * Who may connect: PgBouncer 1.18 has no user-name map for peer
 * authentication, so the pooler trusts whoever reaches its socket, and
 * only as the owner role (auth_file lists it alone).  The socket is in its
 * own directory, mode 0700, of the server's user: the OS users who can
 * reach it are those the cluster's pg_ident.conf block maps to every role
 * anyway (the server's user, and root).  Analysts' roles, mapped by an
 * administrator, always connect directly, with the server's own peer
 * authentication; so does every connection not to the private cluster. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "ciatteh/cluster.h"
#include "ciatteh/db.h"
#include "ciatteh/pooler.h"
#include "ciatteh/util.h"

#define POOLER_PORT "6432"
#define OWNER_ROLE "ciatteh"

static char dir[4200], ini[4300], pidfile[4300], sockfile[4300];

static void places(void)
{
    if (dir[0]) return;
    snprintf(dir, sizeof dir, "%s/pooler", cia_home());
    snprintf(ini, sizeof ini, "%s/pgbouncer.ini", dir);
    snprintf(pidfile, sizeof pidfile, "%s/pgbouncer.pid", dir);
    snprintf(sockfile, sizeof sockfile, "%s/.s.PGSQL." POOLER_PORT, dir);
}

static const char *pgbouncer_bin(void)
{
    const char *b = getenv("CIATTEH_PGBOUNCER");
    return b && *b ? b : "/usr/sbin/pgbouncer";
}

int cia_pooler_wanted(void)
{
    const char *off = getenv("CIATTEH_POOLER");
    if (off && !strcmp(off, "off")) return 0;
    places();
    /* A home whose path leaves the server's socket just room enough
     * (sun_path: 108 bytes) has none for the pooler's, 4 longer. */
    if (strlen(sockfile) >= sizeof ((struct sockaddr_un *)0)->sun_path) return 0;
    return access(pgbouncer_bin(), X_OK) == 0;
}

static long pidfile_pid(void)
{
    places();
    FILE *fp = fopen(pidfile, "r");
    if (!fp) return 0;
    long pid = 0;
    if (fscanf(fp, "%ld", &pid) != 1 || pid < 0) pid = 0;
    fclose(fp);
    return pid;
}

/* The pid in the pidfile when that process is a pgbouncer running in this
 * home's pooler folder, else 0: a pid left by a killed pooler may have
 * been given to another process, and a home copied whole (a template, a
 * backup) carries the pidfile of another home's pooler. */
static long running_pid(void)
{
    long pid = pidfile_pid();
    return cia_process_runs(pid, "pgbouncer", dir) == 1 ? pid : 0;
}

int cia_pooler_alive(void)
{
    return running_pid() != 0;
}

static void pause_10ms(void)
{
    struct timespec ts = {0, 10000000};
    nanosleep(&ts, NULL);
}

/* 1 once the pooler pid no longer runs, waiting up to ms for it. */
static int gone_within(long pid, int ms)
{
    for (int waited = 0; running_pid() == pid; waited += 10) {
        if (waited >= ms) return 0;
        pause_10ms();
    }
    return 1;
}

static int write_config(cia_err *e)
{
    cia_buf b;
    cia_buf_init(&b);
    /* server_idle_timeout: warm backends for a script's or an analyst's
     * run of queries, gone two minutes later (an idle one still counts in
     * max_connections and would keep a DROP DATABASE waiting).  Loads and
     * migrations never come through here (schema/db.c). */
    cia_buf_printf(&b,
        ";; pgbouncer.ini of ciatteh's private cluster: written by ciatteh at each\n"
        ";; start of the pooler (schema/pooler.c); edits here are lost.\n"
        "[databases]\n"
        "* = host=%s port=5432\n"
        "\n"
        "[pgbouncer]\n"
        "listen_addr =\n"
        "listen_port = " POOLER_PORT "\n"
        "unix_socket_dir = %s\n"
        "unix_socket_mode = 0600\n"
        "auth_type = trust\n"
        "auth_file = %s/users.txt\n"
        "pool_mode = session\n"
        "server_reset_query = DISCARD ALL\n"
        "default_pool_size = 8\n"
        "max_client_conn = 100\n"
        "server_idle_timeout = 120\n"
        "server_login_retry = 1\n"
        "query_wait_timeout = 60\n"
        "log_connections = 0\n"
        "log_disconnections = 0\n"
        "logfile = %s/pgbouncer.log\n"
        "pidfile = %s\n",
        cia_cluster_socket_dir(), dir, dir, dir, pidfile);
    char users[4400];
    snprintf(users, sizeof users, "%s/users.txt", dir);
    int rc = cia_cluster_put_file(ini, b.data, e);
    if (!rc) rc = cia_cluster_put_file(users, "\"" OWNER_ROLE "\" \"\"\n", e);
    cia_buf_free(&b);
    return rc;
}

static int start(cia_err *e)
{
    int rc;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return cia_fail(e, CIA_EUNAVAIL, "%s: %s", dir, strerror(errno));
    if ((rc = cia_cluster_give(dir, e))) return rc;
    if (chmod(dir, 0700) != 0) return cia_fail(e, CIA_EUNAVAIL, "%s: %s", dir, strerror(errno));
    if ((rc = write_config(e))) return rc;
    /* What a killed pooler left: PgBouncer would take a pidfile naming a
     * live process (its pid reused) for another pooler. */
    unlink(pidfile);
    unlink(sockfile);
    char logp[4400], bin[1024];
    snprintf(logp, sizeof logp, "%s/pgbouncer.log", dir);
    snprintf(bin, sizeof bin, "%s", pgbouncer_bin());
    /* -d: it forks into the background once its configuration is read;
     * its working directory is the pooler's, under the home, where the
     * tests' teardown looks for what a home left running. */
    char *argv[] = {bin, "-d", "-q", ini, NULL};
    int st;
    if ((rc = cia_cluster_exec_in(dir, argv, logp, &st, e))) return rc;
    if (st != 0) return cia_fail(e, CIA_EUNAVAIL, "pgbouncer exited with %d; see %s", st, logp);
    for (int i = 0; i < 500; i++) {          /* listening within 5 s */
        struct stat s;
        if (stat(sockfile, &s) == 0) return CIA_OK;
        /* The daemon writes its pidfile, then listens: gone before, it
         * failed (the reason is in its log). */
        long pid = pidfile_pid();
        if (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH) break;
        pause_10ms();
    }
    return cia_fail(e, CIA_EUNAVAIL, "pgbouncer did not open %s; see %s", sockfile, logp);
}

void cia_pooler_start(void)
{
    places();
    if (!cia_pooler_wanted() || cia_pooler_alive()) return;
    cia_err e;
    if (start(&e)) {
        cia_info("connection pooler not started (queries connect directly): %s", e.msg);
        cia_pooler_stop();
    } else cia_debug("started the connection pooler in %s", dir);
}

void cia_pooler_stop(void)
{
    long pid = running_pid();
    if (!pid) return;
    /* SIGTERM: immediate shutdown (SIGINT would wait for its clients). */
    kill((pid_t)pid, SIGTERM);
    if (!gone_within(pid, 5000)) kill((pid_t)pid, SIGKILL);
    gone_within(pid, 2000);
    unlink(pidfile);
    unlink(sockfile);
}

/* The value of keyword kw in parsed options, "" when unset. */
static const char *opt(const PQconninfoOption *o, const char *kw)
{
    for (; o->keyword; o++)
        if (!strcmp(o->keyword, kw)) return o->val ? o->val : "";
    return "";
}

PGconn *cia_pooler_connect(const char *conninfo)
{
    if (!cia_pooler_wanted()) return NULL;
    PQconninfoOption *o = PQconninfoParse(conninfo, NULL);
    if (!o) return NULL;
    PGconn *c = NULL;
    const char *port = opt(o, "port");
    struct stat s;
    if (!strcmp(opt(o, "host"), cia_cluster_socket_dir()) && !*opt(o, "hostaddr") &&
        (!*port || !strcmp(port, "5432")) && !strcmp(opt(o, "user"), OWNER_ROLE) &&
        stat(sockfile, &s) == 0) {
        const char *const over[] = {"host", dir, "port", POOLER_PORT, "client_encoding", "UTF8", NULL};
        c = cia_db_connect_opts(o, over);
        if (PQstatus(c) != CONNECTION_OK) {
            char msg[512];
            snprintf(msg, sizeof msg, "%s", PQerrorMessage(c));
            msg[strcspn(msg, "\n")] = '\0';
            cia_debug("connection pooler: %s; connecting directly", msg);
            PQfinish(c);
            c = NULL;
        }
    }
    PQconninfoFree(o);
    return c;
}
