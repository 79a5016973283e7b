/* pseudonym.c — owns the pseudonym key file and the keyed hash (HMAC)
 * of record references. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/hmac.h>
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

void cia_pseudonym(const unsigned char key[CIA_KEY_LEN], const char *const *parts,
                   const size_t *lens, size_t nparts, unsigned char out[CIA_PSEUDO_LEN])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    /* One buffer and one HMAC call: cheaper than HMAC_CTX per row. */
    unsigned char stackbuf[1024];
    size_t total = nparts;
    for (size_t i = 0; i < nparts; i++) total += lens[i];
    unsigned char *buf = total <= sizeof stackbuf ? stackbuf : cia_xmalloc(total);
    size_t off = 0;
    for (size_t i = 0; i < nparts; i++) {
        memcpy(buf + off, parts[i], lens[i]);
        off += lens[i];
        buf[off++] = 0x1F;
    }
    HMAC(EVP_sha256(), key, CIA_KEY_LEN, buf, off, md, &mdlen);
    if (buf != stackbuf) free(buf);
    memcpy(out, md, CIA_PSEUDO_LEN);
}
