/* memo.h — the figures already read in a snapshot (memo.c), for
 * query.c only. */
#ifndef CIATTEH_FIGURES_MEMO_H
#define CIATTEH_FIGURES_MEMO_H

#include "ciatteh/query.h"

/* Copies into *out what db's current snapshot answered for key; 0 when
 * it was not asked yet (or db is in no snapshot: nothing is kept). */
int cia_memo_get(cia_db *db, const char *key, struct cia_qresult *out);
/* Keeps a copy of r under key for the rest of db's snapshot. */
void cia_memo_put(cia_db *db, const char *key, const struct cia_qresult *r);

#endif
