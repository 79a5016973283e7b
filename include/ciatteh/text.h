/* text.h — the text rules of the extracts: encodings (UTF-8 with or
 * without BOM, else Windows-1252), matching that ignores case (accented
 * capitals included) and surrounding spaces, the "not known" markers. */
#ifndef CIATTEH_TEXT_H
#define CIATTEH_TEXT_H

#include <stddef.h>
#include "ciatteh/util.h"

/* Length of the valid UTF-8 prefix of p[0..n); == n when all valid.
 * *incomplete is set when the only fault is a sequence cut at the end. */
size_t cia_utf8_valid_prefix(const unsigned char *p, size_t n, int *incomplete);

/* Append Windows-1252 bytes converted to UTF-8. */
void cia_cp1252_to_utf8(cia_buf *out, const unsigned char *p, size_t n);

/* Fold for matching: trim surrounding white space, lower-case ASCII and
 * Latin-1/Latin Extended-A capitals (É → é), collapse inner runs of
 * spaces.  Result appended to out (reset first). */
void cia_fold(cia_buf *out, const char *s, size_t n);
/* The same, and strip accents too (é → e): a second, looser key. */
void cia_fold_noaccent(cia_buf *out, const char *s, size_t n);

/* Empty, "-", "?", "n/a", "inconnu", "onbekend", "unknown" (any case,
 * surrounding spaces ignored). */
int cia_is_unknown_marker(const char *s, size_t n);

/* Trim in place; returns s. */
char *cia_trim(char *s);

/* s ends with suffix, ASCII case ignored (".XLSX" is ".xlsx"). */
int cia_ends_with(const char *s, const char *suffix);
/* Four ASCII digits: a year's column key in a table. */
int cia_is_year_key(const char *k);
/* An identifier of the catalogue or of a definition file (item, code,
 * dimension, table id): 1 to 64 of [A-Za-z0-9_.-], nothing that could
 * reach SQL or a file name unchecked. */
int cia_is_ident(const char *s);

#endif
