/* test_pseudonym.c — etl/pseudonym.c: the keyed hash is HMAC-SHA-256 of
 * the parts joined by 0x1F (each part followed by one), cut to 16 bytes,
 * bit for bit: stored hashes must never change with the implementation.
 * Fixed vectors (computed with Python's hmac module) and random inputs
 * against OpenSSL's one-shot HMAC(). */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/pseudonym.h"
#include "ciatteh/util.h"
#include "unit.h"

static void hex(const unsigned char *h, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", h[i]);
}

static void fixed_vectors(void)
{
    unsigned char key[CIA_KEY_LEN], out[CIA_PSEUDO_LEN];
    char x[2 * CIA_PSEUDO_LEN + 1];
    for (int i = 0; i < CIA_KEY_LEN; i++) key[i] = (unsigned char)i;
    cia_hasher *h = cia_hasher_new(key);
    CHECK(h != NULL);
    const char *parts[2] = {"police", "AB-123"};
    size_t lens[2] = {6, 6};
    cia_pseudonym(h, parts, lens, 2, out);
    hex(out, sizeof out, x);
    CHECK_STR(x, "1db287413fd0a99cc97e436802f2f420");
    const char *empty[1] = {""};
    size_t zero[1] = {0};
    cia_pseudonym(h, empty, zero, 1, out);
    hex(out, sizeof out, x);
    CHECK_STR(x, "62cd4db5ebfa50fc81b99a0b9e334590");
    cia_hasher_free(h);
}

/* Random keys, part counts and lengths (up to several SHA-256 blocks, so
 * that block boundaries fall anywhere), against HMAC(). */
static void matches_openssl_hmac(void)
{
    srand(12345);
    unsigned char key[CIA_KEY_LEN], out[CIA_PSEUDO_LEN], want[EVP_MAX_MD_SIZE];
    static char data[9][300];
    unsigned char joined[9 * 301];
    for (int t = 0; t < 2000; t++) {
        for (int i = 0; i < CIA_KEY_LEN; i++) key[i] = (unsigned char)rand();
        cia_hasher *h = cia_hasher_new(key);
        size_t nparts = 1 + (size_t)rand() % 9, len = 0;
        const char *parts[9];
        size_t lens[9];
        for (size_t p = 0; p < nparts; p++) {
            lens[p] = (size_t)rand() % 300;
            for (size_t i = 0; i < lens[p]; i++) data[p][i] = (char)rand();
            parts[p] = data[p];
            memcpy(joined + len, data[p], lens[p]);
            len += lens[p];
            joined[len++] = 0x1F;
        }
        cia_pseudonym(h, parts, lens, nparts, out);
        unsigned int n = 0;
        CHECK(HMAC(EVP_sha256(), key, CIA_KEY_LEN, joined, len, want, &n) != NULL);
        CHECK_INT(n, 32);
        CHECK(memcmp(out, want, CIA_PSEUDO_LEN) == 0);
        /* the hasher is reusable: the same input again gives the same */
        unsigned char again[CIA_PSEUDO_LEN];
        cia_pseudonym(h, parts, lens, nparts, again);
        CHECK(memcmp(out, again, CIA_PSEUDO_LEN) == 0);
        cia_hasher_free(h);
    }
}

UNIT_MAIN({"fixed_vectors", fixed_vectors}, {"matches_openssl_hmac", matches_openssl_hmac})
