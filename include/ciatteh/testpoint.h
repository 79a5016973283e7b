/* testpoint.h — test hooks at named points of a load or a run. */
#ifndef CIATTEH_TESTPOINT_H
#define CIATTEH_TESTPOINT_H

/* Test hooks at named points of a run (lock, load, commit, archive,
 * reject, check, pack, pack_swap) and of a load (scanned: between its two
 * passes): when CIATTEH_TEST_CRASH_AT names this point ("NAME", or
 * "NAME@N" for its N-th passage) the process kills itself with SIGKILL
 * there, as a power cut would; CIATTEH_TEST_SLEEP_AT=NAME:SECONDS makes
 * it wait there (and creates the file CIATTEH_TEST_PAUSED names, if set,
 * as the pause starts; the pause then ends early when that file is
 * removed).  Unset in production: no effect. */
void cia_crash_point(const char *name);

#endif
