/* outdir.h — an output directory that appears complete or not at all:
 * built beside its final place (same file system) under ".NAME.tmp.PID",
 * then swapped in whole (renameat2 RENAME_EXCHANGE where the kernel has
 * it, else old aside, new in, old away).  Used by the biennial pack and
 * the website, so a crash never leaves half of either. */
#ifndef CIATTEH_OUTDIR_H
#define CIATTEH_OUTDIR_H

#include "ciatteh/err.h"

typedef struct cia_outdir {
    char *final;                 /* the path asked for, without trailing '/' */
    char *parent, *base;         /* its folder and name */
    char *tmp;                   /* the directory being built */
} cia_outdir;

/* Create the parent folders, remove what a build that died left beside
 * the final place (".NAME.tmp.PID"/".NAME.old.PID" of a process that is
 * gone), and make an empty d->tmp.  CIA_ECANTCREAT when it cannot. */
int cia_outdir_open(cia_outdir *d, const char *path, cia_err *e);
/* Put d->tmp in place of d->final (a directory or nothing; anything else
 * is refused with CIA_ECANTCREAT). */
int cia_outdir_commit(cia_outdir *d, cia_err *e);
/* Remove d->tmp (after a failure; harmless after commit). */
void cia_outdir_abort(cia_outdir *d);
void cia_outdir_free(cia_outdir *d);
/* rm -rf path, never following a symbolic link. */
void cia_rm_rf(const char *path);

#endif
