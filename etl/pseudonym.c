/* pseudonym.c — owns the pseudonym key file and the keyed hash (HMAC)
 * of record references. */
/* SHA256_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP,
 * but they are still there, use the same SHA-NI/AVX block functions, and
 * their state is a plain structure that can be copied with an assignment:
 * EVP_MD_CTX_copy_ex costs a malloc, a free and an OPENSSL_cleanse per
 * copy, two copies per record, half the keyed hash's time (profiled). */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ciatteh/home.h"
#include "ciatteh/pseudonym.h"
#include "ciatteh/util.h"

const char *cia_pseudonym_key_path(void)
{
    static char path[4200];
    const char *env = getenv("CIATTEH_KEY_FILE");
    if (env && *env) snprintf(path, sizeof path, "%s", env);
    else snprintf(path, sizeof path, "%s/secret/pseudonym.key", cia_home());
    return path;
}

int cia_pseudonym_key(unsigned char key[CIA_KEY_LEN], cia_err *e)
{
    const char *path = cia_pseudonym_key_path();
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        /* First use: make the key.  O_EXCL so two first loads agree. */
        char *dir = cia_xstrdup(path);
        char *slash = strrchr(dir, '/');
        if (slash) {
            *slash = '\0';
            int rc = cia_mkdirs(dir, 0700, e);
            if (rc) { free(dir); return rc; }
        }
        free(dir);
        unsigned char fresh[CIA_KEY_LEN];
        if (RAND_bytes(fresh, sizeof fresh) != 1)
            return cia_fail(e, CIA_EINTERNAL, "cannot draw a random pseudonym key");
        int wfd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (wfd >= 0) {
            ssize_t w = write(wfd, fresh, sizeof fresh);
            int ok = w == (ssize_t)sizeof fresh && fsync(wfd) == 0;
            close(wfd);
            if (!ok) {
                unlink(path);
                return cia_fail(e, CIA_ECANTCREAT, "%s: cannot write the pseudonym key", path);
            }
        } else if (errno != EEXIST) {
            return cia_fail(e, CIA_ECANTCREAT, "%s: cannot create the pseudonym key: %s", path, strerror(errno));
        }
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) return cia_fail(e, CIA_EUNAVAIL, "%s: cannot read the pseudonym key: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || (st.st_mode & 077)) {
        close(fd);
        return cia_fail(e, CIA_EUNAVAIL, "%s: the pseudonym key must be readable by its owner only "
                        "(chmod 600)", path);
    }
    ssize_t n = read(fd, key, CIA_KEY_LEN);
    close(fd);
    if (n != CIA_KEY_LEN) return cia_fail(e, CIA_EUNAVAIL, "%s: damaged pseudonym key", path);
    return CIA_OK;
}

/* The HMAC's inner and outer SHA-256 states after the padded key's one
 * block (RFC 2104 midstates): each record starts from a copy of them. */
struct cia_hasher {
    SHA256_CTX inner, outer;
};

cia_hasher *cia_hasher_new(const unsigned char key[CIA_KEY_LEN])
{
    /* RFC 2104 with a key shorter than the block: pad, xor, absorb once. */
    unsigned char ipad[64], opad[64];
    memset(ipad, 0x36, sizeof ipad);
    memset(opad, 0x5c, sizeof opad);
    for (int i = 0; i < CIA_KEY_LEN; i++) { ipad[i] ^= key[i]; opad[i] ^= key[i]; }
    cia_hasher *h = cia_xcalloc(1, sizeof *h);
    int ok = SHA256_Init(&h->inner) == 1 && SHA256_Update(&h->inner, ipad, 64) == 1 &&
             SHA256_Init(&h->outer) == 1 && SHA256_Update(&h->outer, opad, 64) == 1;
    OPENSSL_cleanse(ipad, sizeof ipad);
    OPENSSL_cleanse(opad, sizeof opad);
    if (!ok) {
        cia_hasher_free(h);
        return NULL;
    }
    return h;
}

void cia_hasher_free(cia_hasher *h)
{
    if (!h) return;
    OPENSSL_cleanse(h, sizeof *h);
    free(h);
}

void cia_pseudonym(cia_hasher *h, const char *const *parts, const size_t *lens, size_t nparts,
                   unsigned char out[CIA_PSEUDO_LEN])
{
    unsigned char mid[SHA256_DIGEST_LENGTH], md[SHA256_DIGEST_LENGTH];
    static const unsigned char sep = 0x1F;
    SHA256_CTX w = h->inner;
    for (size_t i = 0; i < nparts; i++) {
        SHA256_Update(&w, parts[i], lens[i]);
        SHA256_Update(&w, &sep, 1);
    }
    SHA256_Final(mid, &w);
    w = h->outer;
    SHA256_Update(&w, mid, sizeof mid);
    SHA256_Final(md, &w);
    memcpy(out, md, CIA_PSEUDO_LEN);
}
