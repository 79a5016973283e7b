/* codes.h — the code lists as the ETL matches them: every accepted label
 * (the code, its English/French/Dutch labels, and the aliases of
 * FORMATS.md), folded, mapped to the standard code.  Read from the
 * database's reference tables (seeded from schema/seed/), so the lists
 * have one source. */
#ifndef CIATTEH_CODES_H
#define CIATTEH_CODES_H

#include "ciatteh/db.h"
#include "ciatteh/map.h"

typedef struct cia_codes {
    cia_map match;        /* "list\x1ffolded label" → code (owned strings) */
    cia_map accepted;     /* list → "CODE (label), ..." for messages */
    cia_map labels;       /* "list\x1fCODE\x1flang" → label */
    cia_map seen;         /* "list\x1fraw value" → code or "" (a cache: extracts
                             repeat the same few spellings millions of times) */
} cia_codes;

int cia_codes_load(cia_db *db, cia_codes *c, cia_err *e);
void cia_codes_free(cia_codes *c);
/* Standard code for a raw value (any case/spaces), or NULL. */
const char *cia_codes_match(const cia_codes *c, const char *list, const char *raw, size_t n);
const char *cia_codes_accepted(const cia_codes *c, const char *list);
/* Label of a code in a language (en/fr/nl); the code itself if none. */
const char *cia_codes_label(const cia_codes *c, const char *list, const char *code, const char *lang);

#endif
