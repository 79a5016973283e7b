/* codes.c — loads the code lists from the reference tables and matches
 * raw extract values against them (ignoring case, accented capitals
 * included, and surrounding spaces). */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/codes.h"
#include "ciatteh/text.h"
#include "ciatteh/util.h"

static void put_owned(cia_map *m, const char *key, const char *val)
{
    char *old = cia_map_get(m, key);
    free(old);
    cia_map_put(m, key, cia_xstrdup(val));
}

static void free_vals(cia_map *m)
{
    for (size_t i = 0; i < m->cap; i++) if (m->keys[i]) free(m->vals[i]);
    cia_map_free(m);
}

void cia_codes_free(cia_codes *c)
{
    free_vals(&c->match);
    free_vals(&c->accepted);
    free_vals(&c->labels);
    free_vals(&c->seen);
}

int cia_codes_load(cia_db *db, cia_codes *c, cia_err *e)
{
    memset(c, 0, sizeof *c);
    PGresult *r;
    /* Every spelling: the code, its three labels, and the aliases. */
    int rc = cia_db_query(db, e, &r,
        "SELECT list, code, s FROM code, LATERAL unnest(ARRAY[code, label_en, label_fr, label_nl]) s "
        " WHERE input "
        "UNION SELECT list, code, alias FROM code_alias", 0, NULL);
    if (rc) return rc;
    cia_buf key, fold;
    cia_buf_init(&key);
    cia_buf_init(&fold);
    for (int i = 0; i < PQntuples(r); i++) {
        const char *v = PQgetvalue(r, i, 2);
        cia_fold(&fold, v, strlen(v));
        cia_buf_reset(&key);
        cia_buf_printf(&key, "%s\x1f%s", PQgetvalue(r, i, 0), fold.data);
        put_owned(&c->match, key.data, PQgetvalue(r, i, 1));
    }
    PQclear(r);
    rc = cia_db_query(db, e, &r,
        "SELECT list, code, label_en, label_fr, label_nl, input FROM code ORDER BY list, sort", 0, NULL);
    if (rc) goto out;
    cia_buf acc;
    cia_buf_init(&acc);
    const char *langs[3] = {"en", "fr", "nl"};
    for (int i = 0; i < PQntuples(r); i++) {
        const char *list = PQgetvalue(r, i, 0), *code = PQgetvalue(r, i, 1);
        for (int l = 0; l < 3; l++) {
            cia_buf_reset(&key);
            cia_buf_printf(&key, "%s\x1f%s\x1f%s", list, code, langs[l]);
            put_owned(&c->labels, key.data, PQgetvalue(r, i, 2 + l));
        }
        if (PQgetvalue(r, i, 5)[0] != 't') continue;
        const char *prev = cia_map_get(&c->accepted, list);
        cia_buf_reset(&acc);
        if (prev) cia_buf_printf(&acc, "%s, ", prev);
        cia_buf_printf(&acc, "%s (%s)", code, PQgetvalue(r, i, 2));
        put_owned(&c->accepted, list, acc.data);
    }
    cia_buf_free(&acc);
    PQclear(r);
out:
    cia_buf_free(&key);
    cia_buf_free(&fold);
    return rc;
}

const char *cia_codes_match(const cia_codes *c, const char *list, const char *raw, size_t n)
{
    char key[512];
    size_t ll = strlen(list);
    if (ll + n + 2 > sizeof key) return NULL;   /* no label is that long */
    memcpy(key, list, ll);
    key[ll] = '\x1f';
    memcpy(key + ll + 1, raw, n);
    key[ll + 1 + n] = '\0';
    if (memchr(raw, '\0', n)) return NULL;
    cia_codes *m = (cia_codes *)c;   /* the cache is not part of the value */
    const char *hit = cia_map_get(&m->seen, key);
    if (hit) return *hit ? hit : NULL;
    cia_buf fold;
    cia_buf_init(&fold);
    cia_fold(&fold, raw, n);
    char fkey[512];
    hit = NULL;
    if (ll + fold.len + 2 <= sizeof fkey) {
        memcpy(fkey, list, ll);
        fkey[ll] = '\x1f';
        memcpy(fkey + ll + 1, fold.data, fold.len + 1);
        hit = cia_map_get(&c->match, fkey);
    }
    cia_buf_free(&fold);
    /* Bound the cache so a file of random junk cannot grow it forever. */
    if (m->seen.n < 100000) cia_map_put(&m->seen, key, cia_xstrdup(hit ? hit : ""));
    return hit;
}

const char *cia_codes_accepted(const cia_codes *c, const char *list)
{
    const char *s = cia_map_get(&c->accepted, list);
    return s ? s : "";
}

const char *cia_codes_label(const cia_codes *c, const char *list, const char *code, const char *lang)
{
    char key[256];
    snprintf(key, sizeof key, "%s\x1f%s\x1f%s", list, code, lang);
    const char *s = cia_map_get(&c->labels, key);
    return s ? s : code;
}
