/* backup.c — owns what keeps the private cluster's history when its disk
 * is lost: continuous WAL archiving, base backups, point-in-time restore
 * and a streaming hot standby, all done by PostgreSQL's own tools
 * (archive_command, pg_basebackup, archive recovery, streaming
 * replication) run as the server's user, as cluster.c runs the server.
 *
 * Why PostgreSQL's tools and not a dump: a base backup plus the archived
 * WAL restores the warehouse to any moment (an --as-of answer published
 * last week can be rebuilt as it was), and a standby is a second copy kept
 * up to date within a second, readable by query, reports and packs. */
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "ciatteh/cluster.h"
#include "ciatteh/util.h"

/* Paths go into the server's configuration and into shell commands run
 * by the server: absolute, and none of the characters those would need
 * quoted (a path is ours to choose: refuse rather than quote). */
#define ARCHIVE_NOTE "ciatteh_archive_dir"

static int clean_path(const char *in, const char *what, char *out, size_t outsz, cia_err *e)
{
    if (!in || !*in) return cia_fail(e, CIA_EUSAGE, "%s: no folder given", what);
    if (in[0] == '/') snprintf(out, outsz, "%s", in);
    else {
        char cwd[2048];
        if (!getcwd(cwd, sizeof cwd)) return cia_fail(e, CIA_EUNAVAIL, "getcwd: %s", strerror(errno));
        snprintf(out, outsz, "%s/%s", cwd, in);
    }
    size_t n = strlen(out);
    while (n > 1 && out[n - 1] == '/') out[--n] = '\0';
    if (n >= 1024) return cia_fail(e, CIA_EUSAGE, "%s: folder name too long", what);
    for (const char *c = out; *c; c++)
        if (*c == '\'' || *c == '"' || *c == '%' || *c == '\\' || *c == '$' || *c == '`' ||
            (unsigned char)*c < 0x20)
            return cia_fail(e, CIA_EUSAGE, "%s: the folder name may not contain quotes, %%, \\, $, ` "
                            "or control characters", what);
    return CIA_OK;
}

/* A folder of the server's user, 0700 (created when missing). */
static int server_dir(const char *dir, cia_err *e)
{
    int rc = cia_mkdirs(dir, 0700, e);
    if (rc) return rc;
    if (chmod(dir, 0700) != 0) return cia_fail(e, CIA_EUNAVAIL, "%s: %s", dir, strerror(errno));
    return cia_cluster_give(dir, e);
}

static int empty_or_missing(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0) return errno == ENOENT;
    if (!S_ISDIR(st.st_mode)) return 0;
    /* rmdir succeeds on an empty folder only; server_dir makes it again */
    return rmdir(dir) == 0;
}

static int owner_conn(PGconn **c, cia_err *e)
{
    char ci[1400];
    snprintf(ci, sizeof ci, "host=%s dbname=postgres user=ciatteh connect_timeout=10",
             cia_cluster_socket_dir());
    *c = PQconnectdb(ci);
    if (PQstatus(*c) != CONNECTION_OK) {
        int rc = cia_fail(e, CIA_EUNAVAIL, "private cluster: %s", PQerrorMessage(*c));
        PQfinish(*c);
        *c = NULL;
        return rc;
    }
    return CIA_OK;
}

static int exec_ok(PGconn *c, const char *sql, cia_err *e)
{
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    int rc = ok ? CIA_OK : cia_fail(e, CIA_EUNAVAIL, "%s", PQresultErrorMessage(r));
    PQclear(r);
    return rc;
}

static char *one_value(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    char *v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)
                  ? cia_xstrdup(PQgetvalue(r, 0, 0)) : NULL;
    PQclear(r);
    return v;
}

static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- archiving ----------------------------------------------------------- */

int cia_cluster_archive(const char *dir_in, cia_err *e)
{
    char dir[1100];
    int rc = clean_path(dir_in, "--archive", dir, sizeof dir, e);
    if (rc) return rc;
    if ((rc = server_dir(dir, e))) return rc;
    if ((rc = cia_cluster_start(NULL, e))) return rc;
    PGconn *c;
    if ((rc = owner_conn(&c, e))) return rc;
    /* Each segment copied under a temporary name, flushed, then renamed:
     * the archive never holds half a segment.  A segment already there
     * with the same bytes (archived again after a crash) is success. */
    char cmd[4000];
    snprintf(cmd, sizeof cmd,
             "test ! -f '%s/%%f' && cp %%p '%s/.%%f.part' && sync '%s/.%%f.part' && "
             "mv '%s/.%%f.part' '%s/%%f' || cmp -s %%p '%s/%%f'", dir, dir, dir, dir, dir, dir);
    char *lit_cmd = PQescapeLiteral(c, cmd, strlen(cmd));
    char *was = one_value(c, "SHOW archive_mode");
    char *set_cmd = cia_xasprintf("ALTER SYSTEM SET archive_command = %s", lit_cmd);
    PQfreemem(lit_cmd);
    /* one statement each: ALTER SYSTEM refuses a transaction block */
    const char *stmts[] = {set_cmd, "ALTER SYSTEM SET archive_mode = 'on'",
                           /* a quiet day's last changes reach the archive within 5 min */
                           "ALTER SYSTEM SET archive_timeout = '5min'", "SELECT pg_reload_conf()"};
    for (size_t i = 0; !rc && i < sizeof stmts / sizeof *stmts; i++) rc = exec_ok(c, stmts[i], e);
    free(set_cmd);
    /* Where the archive is, in a file of the data directory, which every
     * base backup then carries to `db restore`. */
    if (!rc) {
        char path[1400];
        snprintf(path, sizeof path, "%s/" ARCHIVE_NOTE, cia_cluster_data_dir());
        FILE *fp = fopen(path, "w");
        if (!fp || fprintf(fp, "%s\n", dir) < 0 || fclose(fp) != 0)
            rc = cia_fail(e, CIA_EUNAVAIL, "%s: %s", path, strerror(errno));
        else rc = cia_cluster_give(path, e);
    }
    PQfinish(c);
    if (!rc && (!was || strcmp(was, "on") != 0)) {
        /* archive_mode takes a restart */
        cia_info("restarting the private cluster to turn WAL archiving on");
        if (!(rc = cia_cluster_stop(e))) rc = cia_cluster_start(NULL, e);
    }
    free(was);
    if (rc) return rc;
    /* See one segment archived, so that a wrong folder shows now. */
    if ((rc = owner_conn(&c, e))) return rc;
    char *before = one_value(c, "SELECT archived_count || ',' || failed_count FROM pg_stat_archiver");
    exec_ok(c, "SELECT pg_switch_wal()", e);
    cia_err_clear(e);
    int seen = 0;
    for (int i = 0; i < 3000 && !seen; i++) {
        char *cur = one_value(c, "SELECT archived_count || ',' || failed_count FROM pg_stat_archiver");
        if (cur && before && strcmp(cur, before) != 0) {
            int a0 = atoi(before), f0 = atoi(strchr(before, ',') + 1);
            int a1 = atoi(cur), f1 = atoi(strchr(cur, ',') + 1);
            if (a1 > a0) seen = 1;
            else if (f1 > f0) {
                free(cur);
                free(before);
                PQfinish(c);
                return cia_fail(e, CIA_EUNAVAIL, "WAL archiving into %s fails (see %s/server.log)", dir,
                                cia_cluster_socket_dir());
            }
        }
        free(cur);
        if (!seen) nap_ms(10);
    }
    free(before);
    PQfinish(c);
    if (!seen) cia_warn("WAL archiving into %s: no segment archived yet", dir);
    return CIA_OK;
}

/* ---- base backup --------------------------------------------------------- */

static int basebackup(const char *target, int standby, const char *logp, cia_err *e)
{
    char prog[1200];
    snprintf(prog, sizeof prog, "%s/pg_basebackup", cia_cluster_pgbin());
    char *argv[] = {prog, "-h", (char *)cia_cluster_socket_dir(), "-U", "ciatteh", "-D", (char *)target,
                    "-X", "stream", "-c", "fast", "-w", "-l", "ciatteh", standby ? "-R" : NULL, NULL};
    int st, rc = cia_cluster_exec(argv, logp, &st, e);
    if (rc) return rc;
    if (st != 0) return cia_fail(e, CIA_EUNAVAIL, "pg_basebackup failed (exit %d); see %s", st, logp);
    return CIA_OK;
}

int cia_cluster_backup(const char *dir_in, cia_err *e)
{
    char dir[1100], logp[1400];
    int rc = clean_path(dir_in, "db backup", dir, sizeof dir, e);
    if (rc) return rc;
    if (!empty_or_missing(dir))
        return cia_fail(e, CIA_ECANTCREAT, "%s: exists and is not empty (a backup goes into a new folder)", dir);
    if ((rc = cia_cluster_start(NULL, e))) return rc;
    if ((rc = server_dir(dir, e))) return rc;
    snprintf(logp, sizeof logp, "%s/backup.log", cia_cluster_socket_dir());
    return basebackup(dir, 0, logp, e);
}

/* ---- restore --------------------------------------------------------------- */

/* The archive folder a backup names (db init --archive wrote it in the
 * data directory); 0 when none. */
static int archive_of(const char *backup, char *out, size_t outsz)
{
    char path[1200], *data = NULL;
    size_t len;
    cia_err ignored;
    snprintf(path, sizeof path, "%s/" ARCHIVE_NOTE, backup);
    if (cia_read_file(path, &data, &len, &ignored) != CIA_OK) return 0;
    data[strcspn(data, "\n")] = '\0';
    snprintf(out, outsz, "%s", data);
    free(data);
    return out[0] != '\0';
}

int cia_cluster_restore(const char *dir_in, const char *until, const char *archive_in, cia_err *e)
{
    char dir[1100], arch[1100] = "", path[1400], logp[1400];
    int rc = clean_path(dir_in, "db restore", dir, sizeof dir, e);
    if (rc) return rc;
    struct stat st;
    snprintf(path, sizeof path, "%s/backup_label", dir);
    if (stat(path, &st) != 0)
        return cia_fail(e, CIA_ENOINPUT, "%s: not a base backup (no backup_label; made by `ciatteh db backup`?)", dir);
    if (archive_in && (rc = clean_path(archive_in, "--archive", arch, sizeof arch, e))) return rc;
    if (!arch[0] && archive_of(dir, path, sizeof path) &&
        (rc = clean_path(path, "the backup's archive folder", arch, sizeof arch, e))) return rc;
    if (until) {
        for (const char *c = until; *c; c++)
            if (*c == '\'' || *c == '\\' || (unsigned char)*c < 0x20)
                return cia_fail(e, CIA_EUSAGE, "--until '%s': expected a time such as '2026-05-04 17:30:00+02'", until);
        if (!arch[0])
            return cia_fail(e, CIA_EUSAGE, "--until needs the WAL archive (db init --archive DIR; "
                            "or give it with --archive DIR)");
    }
    snprintf(logp, sizeof logp, "%s/setup.log", cia_cluster_socket_dir());
    /* A copy of the backup (the backup itself stays as it is, for the
     * next restore), with the recovery settings. */
    char staging[1400];
    snprintf(staging, sizeof staging, "%s/data.restoring", cia_cluster_socket_dir());
    if ((rc = cia_mkdirs(cia_cluster_socket_dir(), 0700, e)) || (rc = cia_cluster_give(cia_cluster_socket_dir(), e)))
        return rc;
    char *rm[] = {"/bin/rm", "-rf", staging, NULL};
    char *cp[] = {"/bin/cp", "-a", dir, staging, NULL};
    int status;
    if ((rc = cia_cluster_exec(rm, logp, &status, e))) return rc;
    if ((rc = cia_cluster_exec(cp, logp, &status, e))) return rc;
    if (status != 0) return cia_fail(e, CIA_EUNAVAIL, "copying %s failed; see %s", dir, logp);
    snprintf(path, sizeof path, "%s/standby.signal", staging);
    unlink(path);
    if (arch[0]) {
        snprintf(path, sizeof path, "%s/postgresql.auto.conf", staging);
        FILE *fp = fopen(path, "a");
        if (!fp) return cia_fail(e, CIA_EUNAVAIL, "%s: %s", path, strerror(errno));
        fprintf(fp, "restore_command = 'cp ''%s/%%f'' ''%%p'''\n", arch);
        if (until) fprintf(fp, "recovery_target_time = '%s'\nrecovery_target_action = 'promote'\n", until);
        else fprintf(fp, "recovery_target_timeline = 'latest'\n");
        int bad = fclose(fp) != 0;
        snprintf(path, sizeof path, "%s/recovery.signal", staging);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (bad || fd < 0) return cia_fail(e, CIA_EUNAVAIL, "%s: %s", path, strerror(errno));
        close(fd);
        if ((rc = cia_cluster_give(path, e))) return rc;
    }
    char aside[1400];
    if ((rc = cia_cluster_swap_data(staging, aside, sizeof aside, e))) return rc;
    if (aside[0]) cia_info("the former data directory is kept in %s", aside);
    if ((rc = cia_cluster_start(NULL, e))) return rc;
    /* Archive recovery runs until the target, then promotes. */
    PGconn *c = NULL;
    int done = 0;
    for (int i = 0; i < 60000 && !done; i++) {
        if (!c && owner_conn(&c, e) != CIA_OK) {
            cia_err_clear(e);
            if (i > 100 && !cia_cluster_running())
                return cia_fail(e, CIA_EUNAVAIL, "the restored server stopped during recovery "
                                "(a target past the archive's end?); see %s/server.log", cia_cluster_socket_dir());
        }
        if (c) {
            char *v = one_value(c, "SELECT pg_is_in_recovery()");
            done = v && v[0] == 'f';
            if (!v) { PQfinish(c); c = NULL; }
            free(v);
        }
        if (!done) nap_ms(10);
    }
    if (!done) {
        if (c) PQfinish(c);
        return cia_fail(e, CIA_EUNAVAIL, "the restored server is still recovering; see %s/server.log",
                        cia_cluster_socket_dir());
    }
    /* The recovery settings served once: gone from the configuration. */
    const char *stmts[] = {"ALTER SYSTEM RESET restore_command", "ALTER SYSTEM RESET recovery_target_time",
                           "ALTER SYSTEM RESET recovery_target_action",
                           "ALTER SYSTEM RESET recovery_target_timeline", "SELECT pg_reload_conf()"};
    for (size_t i = 0; !rc && i < sizeof stmts / sizeof *stmts; i++) rc = exec_ok(c, stmts[i], e);
    PQfinish(c);
    return rc;
}

/* ---- standby --------------------------------------------------------------- */

int cia_cluster_standby(const char *dir_in, cia_err *e)
{
    char dir[1100], data[1200], path[1400], logp[1400];
    int rc = clean_path(dir_in, "db standby", dir, sizeof dir, e);
    if (rc) return rc;
    if (strlen(dir) + strlen("/.s.PGSQL.5432") > 100)
        return cia_fail(e, CIA_EUSAGE, "%s: too long for a socket's folder (at most 85 bytes)", dir);
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(logp, sizeof logp, "%s/server.log", dir);
    snprintf(path, sizeof path, "%s/PG_VERSION", data);
    struct stat st;
    if (stat(path, &st) != 0) {
        if ((rc = cia_cluster_start(NULL, e))) return rc;
        if ((rc = server_dir(dir, e))) return rc;
        if ((rc = basebackup(data, 1, logp, e))) return rc;
        snprintf(path, sizeof path, "%s/postgresql.auto.conf", data);
        FILE *fp = fopen(path, "a");
        if (!fp) return cia_fail(e, CIA_EUNAVAIL, "%s: %s", path, strerror(errno));
        fprintf(fp, "# the standby's own socket (db standby)\nunix_socket_directories = '%s'\n"
                "hot_standby = on\n", dir);
        if (fclose(fp) != 0) return cia_fail(e, CIA_EUNAVAIL, "%s: %s", path, strerror(errno));
    }
    char ping[1300];
    snprintf(ping, sizeof ping, "host=%s dbname=postgres user=ciatteh connect_timeout=5", dir);
    if (PQping(ping) == PQPING_OK) return CIA_OK;
    char pgctl[1200], opts[1200];
    snprintf(pgctl, sizeof pgctl, "%s/pg_ctl", cia_cluster_pgbin());
    snprintf(opts, sizeof opts, "-k %s", dir);
    char *argv[] = {pgctl, "start", "-w", "-t", "120", "-D", data, "-l", logp, "-o", opts, NULL};
    int status;
    if ((rc = cia_cluster_exec(argv, logp, &status, e))) return rc;
    if (status != 0 && PQping(ping) != PQPING_OK)
        return cia_fail(e, CIA_EUNAVAIL, "could not start the standby; see %s", logp);
    return CIA_OK;
}
