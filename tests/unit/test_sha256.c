/* test_sha256.c — src/core/util.c's SHA-256 helpers: the hashes name
 * deliveries and seeds in the database, so they must stay the standard
 * digest whatever OpenSSL interface computes them.  FIPS 180-2 vectors,
 * and the file helper against the buffer helper across buffer sizes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ciatteh/util.h"
#include "unit.h"

static void fips_vectors(void)
{
    char x[65];
    cia_sha256_hex("abc", 3, x);
    CHECK_STR(x, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    cia_sha256_hex("", 0, x);
    CHECK_STR(x, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    cia_sha256_hex(two, strlen(two), x);
    CHECK_STR(x, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* A file of n bytes hashes as the same bytes in memory; sizes around the
 * file helper's 64 KiB read buffer. */
static void file_equals_buffer(void)
{
    static const size_t sizes[] = {0, 1, 65535, 65536, 65537, 200000};
    char path[] = "/tmp/ciatteh-sha256-XXXXXX";
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        unsigned char *b = malloc(n ? n : 1);
        for (size_t k = 0; k < n; k++) b[k] = (unsigned char)(k * 131 + 7);
        strcpy(path, "/tmp/ciatteh-sha256-XXXXXX");
        int fd = mkstemp(path);
        CHECK(fd >= 0);
        FILE *fp = fdopen(fd, "wb");
        CHECK(fp && fwrite(b, 1, n, fp) == n);
        fclose(fp);
        char a[65], c[65];
        CHECK_INT(cia_sha256_file(path, a), 0);
        cia_sha256_hex(b, n, c);
        CHECK_STR(a, c);
        unlink(path);
        free(b);
    }
    char x[65];
    CHECK_INT(cia_sha256_file("/nonexistent/ciatteh-no-such-file", x), -1);
}

UNIT_MAIN({"fips_vectors", fips_vectors}, {"file_equals_buffer", file_equals_buffer})
