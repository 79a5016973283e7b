/* memo.c — within one snapshot, a figure request asked twice is answered
 * once.  A pack, a report or a check asks the same item, years and
 * breakdown many times (a table, its chart, its sentences, its checks and
 * its release each ask again: 1,500 requests for 350 distinct ones in a
 * pack), and each is a catalogue check and a figures() call of ~2 ms of
 * server time.  Inside a REPEATABLE READ transaction every read sees the
 * same data, so the second answer can only be the first: the memo hangs
 * on the connection (cia_db.memo) and dies with its snapshot (schema/db.c
 * frees it when the transaction ends).  Outside a snapshot nothing is
 * kept: two reads may then rightly differ. */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/map.h"
#include "memo.h"

/* Distinct requests kept per snapshot; beyond, they are asked again (a
 * pack asks ~350; the cap bounds memory whatever a definition file asks). */
#define MEMO_MAX 8192

struct memo {
    cia_map map;                 /* key → struct cia_qresult * */
};

static void copy_result(struct cia_qresult *to, const struct cia_qresult *from)
{
    to->n = from->n;
    to->nby = from->nby;
    to->rows = cia_xcalloc(from->n ? from->n : 1, sizeof *to->rows);
    for (size_t i = 0; i < from->n; i++) {
        to->rows[i] = from->rows[i];
        for (int d = 0; d < from->nby; d++) to->rows[i].dims[d] = cia_xstrdup(from->rows[i].dims[d]);
    }
}

static void memo_free(void *p)
{
    struct memo *m = p;
    for (size_t i = 0; i < m->map.cap; i++)
        if (m->map.keys[i]) {
            cia_qresult_free(m->map.vals[i]);
            free(m->map.vals[i]);
        }
    cia_map_free(&m->map);
    free(m);
}

/* db's memo for its current snapshot, made when make; NULL outside one.
 * (schema/db.c frees a memo as its snapshot ends, so one that exists is
 * the current snapshot's.) */
static struct memo *memo_of(cia_db *db, int make)
{
    if (!cia_db_in_snapshot(db)) return NULL;
    if (db->memo || !make) return db->memo;
    struct memo *m = cia_xcalloc(1, sizeof *m);
    cia_map_init(&m->map);
    db->memo = m;
    db->memo_free = memo_free;
    return m;
}

int cia_memo_get(cia_db *db, const char *key, struct cia_qresult *out)
{
    struct memo *m = memo_of(db, 0);
    const struct cia_qresult *r = m ? cia_map_get(&m->map, key) : NULL;
    if (!r) return 0;
    copy_result(out, r);
    return 1;
}

void cia_memo_put(cia_db *db, const char *key, const struct cia_qresult *r)
{
    struct memo *m = memo_of(db, 1);
    if (!m || m->map.n >= MEMO_MAX || cia_map_get(&m->map, key)) return;
    struct cia_qresult *c = cia_xcalloc(1, sizeof *c);
    copy_result(c, r);
    cia_map_put(&m->map, key, c);
}
