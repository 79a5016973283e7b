/* outdir.c — owns building an output directory beside its final place
 * and swapping it in whole (outdir.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ciatteh/outdir.h"
#include "ciatteh/util.h"

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

void cia_rm_rf(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Siblings ".NAME.tmp.PID" / ".NAME.old.PID" left by a build that died:
 * removed when that process is gone. */
static void sweep_siblings(const char *parent, const char *base)
{
    DIR *d = opendir(parent);
    if (!d) return;
    size_t bl = strlen(base);
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *n = de->d_name;
        if (n[0] != '.' || strncmp(n + 1, base, bl) != 0) continue;
        const char *rest = n + 1 + bl;
        long pid;
        if (!strncmp(rest, ".tmp.", 5)) pid = atol(rest + 5);
        else if (!strncmp(rest, ".old.", 5)) pid = atol(rest + 5);
        else continue;
        if (pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) == 0) continue;   /* still building */
        char *p = cia_xasprintf("%s/%s", parent, n);
        cia_rm_rf(p);
        free(p);
    }
    closedir(d);
}

int cia_outdir_open(cia_outdir *d, const char *path, cia_err *e)
{
    memset(d, 0, sizeof *d);
    d->final = cia_xstrdup(path);
    size_t fl = strlen(d->final);
    while (fl > 1 && d->final[fl - 1] == '/') d->final[--fl] = '\0';
    char *slash = strrchr(d->final, '/');
    d->parent = slash ? (slash == d->final ? cia_xstrdup("/") : cia_xstrndup(d->final, (size_t)(slash - d->final)))
                      : cia_xstrdup(".");
    d->base = cia_xstrdup(slash ? slash + 1 : d->final);
    int rc = cia_mkdirs(d->parent, 0755, e);
    if (rc) return rc;
    sweep_siblings(d->parent, d->base);
    d->tmp = cia_xasprintf("%s/.%s.tmp.%ld", d->parent, d->base, (long)getpid());
    cia_rm_rf(d->tmp);
    if (mkdir(d->tmp, 0755) != 0) {
        rc = cia_fail(e, CIA_ECANTCREAT, "%s: cannot create: %s", d->tmp, strerror(errno));
        free(d->tmp);
        d->tmp = NULL;
        return rc;
    }
    return CIA_OK;
}

int cia_outdir_commit(cia_outdir *d, cia_err *e)
{
    struct stat st;
    if (lstat(d->final, &st) != 0) {
        if (rename(d->tmp, d->final) != 0)
            return cia_fail(e, CIA_ECANTCREAT, "%s: cannot rename into place: %s", d->final, strerror(errno));
        return CIA_OK;
    }
    if (!S_ISDIR(st.st_mode)) return cia_fail(e, CIA_ECANTCREAT, "%s exists and is not a directory", d->final);
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, d->tmp, AT_FDCWD, d->final, RENAME_EXCHANGE) == 0) {
        cia_rm_rf(d->tmp);   /* now the old directory */
        return CIA_OK;
    }
#endif
    /* No atomic exchange here: old aside, new in, old away. */
    char *old = cia_xasprintf("%s/.%s.old.%ld", d->parent, d->base, (long)getpid());
    if (rename(d->final, old) != 0) {
        int rc = cia_fail(e, CIA_ECANTCREAT, "%s: cannot move the old one aside: %s", d->final, strerror(errno));
        free(old);
        return rc;
    }
    if (rename(d->tmp, d->final) != 0) {
        int rc = cia_fail(e, CIA_ECANTCREAT, "%s: cannot rename into place: %s", d->final, strerror(errno));
        rename(old, d->final);
        free(old);
        return rc;
    }
    cia_rm_rf(old);
    free(old);
    return CIA_OK;
}

void cia_outdir_abort(cia_outdir *d)
{
    if (d->tmp) cia_rm_rf(d->tmp);
}

void cia_outdir_free(cia_outdir *d)
{
    free(d->final);
    free(d->parent);
    free(d->base);
    free(d->tmp);
    memset(d, 0, sizeof *d);
}
