/* test_readfile.c — cia_read_file (src/core/util.c): a file read whole is
 * capped (CIA_READ_FILE_MAX), so a definition or configuration file from
 * outside cannot make the buffer grow without bound. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "ciatteh/util.h"
#include "unit.h"

static void cap(void)
{
    char path[4096];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/ciatteh-readfile-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    cia_err e;
    char *data = NULL;
    size_t len = 0;
    /* at the cap: read */
    CHECK_INT(ftruncate(fd, CIA_READ_FILE_MAX), 0);
    cia_err_clear(&e);
    CHECK_INT(cia_read_file(path, &data, &len, &e), CIA_OK);
    CHECK_INT(len, CIA_READ_FILE_MAX);
    free(data);
    data = NULL;
    /* one byte more (sparse: no disk used): refused, naming the file */
    CHECK_INT(ftruncate(fd, CIA_READ_FILE_MAX + 1), 0);
    cia_err_clear(&e);
    CHECK_INT(cia_read_file(path, &data, &len, &e), CIA_EDATA);
    CHECK(data == NULL);
    CHECK(strstr(e.msg, path) != NULL);
    close(fd);
    unlink(path);
}

UNIT_MAIN(T(cap))
