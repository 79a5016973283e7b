/* pseudonym.h — the installation's secret key and the keyed hash that
 * replaces the services' references: references are never stored in
 * clear, and without the key a hash cannot be tested against a guessed
 * reference.  The hash only serves to find duplicates within a delivery. */
#ifndef CIATTEH_PSEUDONYM_H
#define CIATTEH_PSEUDONYM_H

#include <stddef.h>
#include "ciatteh/err.h"

#define CIA_KEY_LEN 32
#define CIA_PSEUDO_LEN 16

/* $CIATTEH_KEY_FILE, else $CIATTEH_HOME/secret/pseudonym.key: created once
 * (directory 0700, file 0600); refused if readable by others. */
int cia_pseudonym_key(unsigned char key[CIA_KEY_LEN], cia_err *e);
const char *cia_pseudonym_key_path(void);

/* HMAC-SHA-256 of the parts joined by 0x1F, truncated to 16 bytes.  The
 * hasher keeps the key's inner and outer SHA-256 states ready (plain
 * structures), so each record costs two struct copies and two short
 * digests.  Stored hashes depend on this exact construction. */
typedef struct cia_hasher cia_hasher;
cia_hasher *cia_hasher_new(const unsigned char key[CIA_KEY_LEN]);
void cia_hasher_free(cia_hasher *h);
void cia_pseudonym(cia_hasher *h, const char *const *parts, const size_t *lens, size_t nparts,
                   unsigned char out[CIA_PSEUDO_LEN]);

#endif
