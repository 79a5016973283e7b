/* testpoint.c — owns the test hooks at named points of a load or a run
 * (include/ciatteh/testpoint.h): a SIGKILL or a pause where a test asks
 * for one, nothing at all when the environment does not; and the sizes
 * tests shrink.  Only in the test build (CIATTEH_TEST_HOOKS). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ciatteh/testpoint.h"

#ifdef CIATTEH_TEST_HOOKS

static int crash_count(const char *name)
{
    static struct { char name[32]; int n; } seen[16];
    for (int i = 0; i < 16; i++) {
        if (!seen[i].name[0]) { snprintf(seen[i].name, sizeof seen[i].name, "%s", name); }
        if (!strcmp(seen[i].name, name)) return ++seen[i].n;
    }
    return 0;
}

void cia_crash_point(const char *name)
{
    /* CIATTEH_TEST_SLEEP_AT=NAME:SECONDS — hold still there (the lock
     * test keeps a run inside its lock this way); CIATTEH_TEST_PAUSED=FILE
     * is created when the pause starts, so a test acts during it without
     * guessing when it began, and removing it ends the pause: a test
     * releases the process when it is done rather than guessing how long
     * its own steps take on a loaded machine (SECONDS is then a cap). */
    const char *sl = getenv("CIATTEH_TEST_SLEEP_AT");
    size_t nl = strlen(name);
    if (sl && !strncmp(sl, name, nl) && sl[nl] == ':') {
        const char *pf = getenv("CIATTEH_TEST_PAUSED");
        long secs = atol(sl + nl + 1);
        if (pf && *pf) {
            int fd = open(pf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            if (fd >= 0) close(fd);
            const struct timespec step = {0, 20 * 1000 * 1000};
            for (long ms = 0; ms < secs * 1000 && access(pf, F_OK) == 0; ms += 20) nanosleep(&step, NULL);
        } else {
            sleep((unsigned)secs);
        }
    }
    const char *want = getenv("CIATTEH_TEST_CRASH_AT");
    if (!want || !*want) return;
    int n = crash_count(name);
    if (strncmp(want, name, nl) != 0) return;
    if (want[nl] == '\0' || (want[nl] == '@' && atoi(want + nl + 1) == n)) {
        fprintf(stderr, "ciatteh: test crash at %s (passage %d)\n", name, n);
        fflush(NULL);
        raise(SIGKILL);
    }
}

size_t cia_test_size(const char *name, size_t dflt)
{
    char var[64];
    snprintf(var, sizeof var, "CIATTEH_TEST_%s", name);
    const char *v = getenv(var);
    return v && atol(v) > 0 ? (size_t)atol(v) : dflt;
}
#else
/* ISO C wants a translation unit to declare something. */
typedef int cia_testpoint_unused;
#endif
