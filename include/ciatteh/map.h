/* map.h — a string-keyed hash map (open addressing), used for code lists,
 * header matching and other small lookups.  Keys are copied; values are
 * the caller's pointers. */
#ifndef CIATTEH_MAP_H
#define CIATTEH_MAP_H

#include <stddef.h>

typedef struct cia_map {
    char **keys;
    void **vals;
    size_t cap, n;
} cia_map;

void cia_map_init(cia_map *m);
void cia_map_free(cia_map *m);                 /* frees keys, not values */
void cia_map_put(cia_map *m, const char *key, void *val);   /* replaces */
void *cia_map_get(const cia_map *m, const char *key);
/* Iterate: for (size_t i = 0; i < m->cap; i++) if (m->keys[i]) ... */

unsigned long long cia_hash64(const void *p, size_t n);

#endif
