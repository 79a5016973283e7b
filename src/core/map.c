/* map.c — string-keyed open-addressing hash map (FNV-1a, linear probing). */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/map.h"
#include "ciatteh/util.h"

unsigned long long cia_hash64(const void *p, size_t n)
{
    const unsigned char *s = p;
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) { h ^= s[i]; h *= 1099511628211ULL; }
    return h;
}

void cia_map_init(cia_map *m)
{
    memset(m, 0, sizeof *m);
}

void cia_map_free(cia_map *m)
{
    for (size_t i = 0; i < m->cap; i++) free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static size_t slot(const cia_map *m, const char *key)
{
    size_t i = (size_t)cia_hash64(key, strlen(key)) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key)) i = (i + 1) & (m->cap - 1);
    return i;
}

static void grow(cia_map *m)
{
    cia_map old = *m;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->keys = cia_xcalloc(m->cap, sizeof *m->keys);
    m->vals = cia_xcalloc(m->cap, sizeof *m->vals);
    m->n = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i]) {
            size_t j = slot(m, old.keys[i]);
            m->keys[j] = old.keys[i];
            m->vals[j] = old.vals[i];
            m->n++;
        }
    free(old.keys);
    free(old.vals);
}

void cia_map_put(cia_map *m, const char *key, void *val)
{
    if ((m->n + 1) * 2 > m->cap) grow(m);
    size_t i = slot(m, key);
    if (!m->keys[i]) { m->keys[i] = cia_xstrdup(key); m->n++; }
    m->vals[i] = val;
}

void *cia_map_get(const cia_map *m, const char *key)
{
    if (!m->cap) return NULL;
    size_t i = slot(m, key);
    return m->keys[i] ? m->vals[i] : NULL;
}
