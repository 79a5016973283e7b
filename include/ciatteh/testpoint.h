/* testpoint.h — test hooks at named points of a load or a run, and the
 * sizes tests shrink.  Compiled only into the test build (the Makefile's
 * instrumented build defines CIATTEH_TEST_HOOKS); in the release binary
 * they are nothing at all, so no environment variable reaches the
 * production path. */
#ifndef CIATTEH_TESTPOINT_H
#define CIATTEH_TESTPOINT_H

#include <stddef.h>

/* Test hooks at named points of a run (lock, load, commit, archive,
 * reject, check, pack, pack_swap) and of a load (scanned: between its two
 * passes): when CIATTEH_TEST_CRASH_AT names this point ("NAME", or
 * "NAME@N" for its N-th passage) the process kills itself with SIGKILL
 * there, as a power cut would; CIATTEH_TEST_SLEEP_AT=NAME:SECONDS makes
 * it wait there (and creates the file CIATTEH_TEST_PAUSED names, if set,
 * as the pause starts; the pause then ends early when that file is
 * removed). */
/* CIATTEH_TEST_<NAME> (a positive whole number) in place of dflt: tests
 * shrink a load's Bloom filter (BLOOM_BLOCKS) or group memory
 * (GROUP_MEMORY) to reach in a small file what a large one does. */
#ifdef CIATTEH_TEST_HOOKS
void cia_crash_point(const char *name);
size_t cia_test_size(const char *name, size_t dflt);
#else
#define cia_crash_point(name) ((void)0)
#define cia_test_size(name, dflt) (dflt)
#endif

#endif
