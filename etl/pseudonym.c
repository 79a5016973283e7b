/* pseudonym.c — owns the pseudonym key file and the keyed hash (HMAC)
 * of record references. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ciatteh/cluster.h"
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

struct cia_hasher {
    EVP_MD *md;
    EVP_MD_CTX *inner, *outer, *work;
};

cia_hasher *cia_hasher_new(const unsigned char key[CIA_KEY_LEN])
{
    /* RFC 2104 with a key shorter than the block: pad, xor, absorb once. */
    unsigned char ipad[64], opad[64];
    memset(ipad, 0x36, sizeof ipad);
    memset(opad, 0x5c, sizeof opad);
    for (int i = 0; i < CIA_KEY_LEN; i++) { ipad[i] ^= key[i]; opad[i] ^= key[i]; }
    cia_hasher *h = cia_xcalloc(1, sizeof *h);
    h->md = EVP_MD_fetch(NULL, "SHA256", NULL);
    h->inner = EVP_MD_CTX_new();
    h->outer = EVP_MD_CTX_new();
    h->work = EVP_MD_CTX_new();
    if (!h->md || !h->inner || !h->outer || !h->work ||
        EVP_DigestInit_ex(h->inner, h->md, NULL) != 1 || EVP_DigestUpdate(h->inner, ipad, 64) != 1 ||
        EVP_DigestInit_ex(h->outer, h->md, NULL) != 1 || EVP_DigestUpdate(h->outer, opad, 64) != 1) {
        cia_hasher_free(h);
        return NULL;
    }
    OPENSSL_cleanse(ipad, sizeof ipad);
    OPENSSL_cleanse(opad, sizeof opad);
    return h;
}

void cia_hasher_free(cia_hasher *h)
{
    if (!h) return;
    EVP_MD_CTX_free(h->inner);
    EVP_MD_CTX_free(h->outer);
    EVP_MD_CTX_free(h->work);
    EVP_MD_free(h->md);
    free(h);
}

void cia_pseudonym(cia_hasher *h, const char *const *parts, const size_t *lens, size_t nparts,
                   unsigned char out[CIA_PSEUDO_LEN])
{
    unsigned char mid[32], md[32];
    unsigned int n = 0;
    static const unsigned char sep = 0x1F;
    EVP_MD_CTX_copy_ex(h->work, h->inner);
    for (size_t i = 0; i < nparts; i++) {
        EVP_DigestUpdate(h->work, parts[i], lens[i]);
        EVP_DigestUpdate(h->work, &sep, 1);
    }
    EVP_DigestFinal_ex(h->work, mid, &n);
    EVP_MD_CTX_copy_ex(h->work, h->outer);
    EVP_DigestUpdate(h->work, mid, sizeof mid);
    EVP_DigestFinal_ex(h->work, md, &n);
    memcpy(out, md, CIA_PSEUDO_LEN);
}
