/* country.h — nationalities: names in English, French or Dutch and ISO
 * 3166-1 alpha-2/alpha-3 codes resolved to alpha-2, and names of a country
 * in the three languages, from Debian's iso-codes data (the JSON list and
 * its gettext translations), never from a hand-typed list. */
#ifndef CIATTEH_COUNTRY_H
#define CIATTEH_COUNTRY_H

#include "ciatteh/err.h"

typedef struct cia_countries cia_countries;

/* Load from $CIATTEH_ISO_CODES (default /usr/share/iso-codes/json) and the
 * translations in $CIATTEH_LOCALEDIR (default /usr/share/locale). */
int cia_countries_load(cia_countries **out, cia_err *e);
void cia_countries_free(cia_countries *c);

/* alpha-2 code (static storage in c) for a name or code as a service wrote
 * it, ignoring case, accents and surrounding spaces; NULL if unknown. */
const char *cia_country_resolve(const cia_countries *c, const char *text);

/* Add a reviewed spelling of an existing country; it outranks the ISO
 * names.  -1 if alpha2 is not a country. */
int cia_countries_add_alias(cia_countries *c, const char *alias, const char *alpha2);

/* Name of an alpha-2 country in "en", "fr" or "nl"; NULL if unknown. */
const char *cia_country_name(const cia_countries *c, const char *alpha2, const char *lang);

#endif
