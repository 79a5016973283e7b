/* programs.h — which program runs which command.  `ciatteh`
 * (src/prog/ciatteh.c) hands each command to one of three programs
 * installed beside it; the light ones link only the libraries their
 * commands call, because on a small virtual machine each loaded library
 * costs page faults at every start (~25 ms of CPU for libpq's ~27, ~50 ms
 * for the 78 of every renderer: BENCHMARKS.md, seventh round), and scripts
 * and the tests run `load` and `query` hundreds of times.
 *
 * One list per light program, read by the dispatcher (names) and by the
 * program (its command table), so that the two cannot disagree.  A command
 * in no list runs in ciatteh-full, which has them all. */
#ifndef CIATTEH_PROGRAMS_H
#define CIATTEH_PROGRAMS_H

/* ciatteh-data: the store and the extracts (libpq, libcsv, libcrypto,
 * json-c: no renderer, no PDF, no GLPK). */
#define CIA_DATA_COMMANDS(X) X(db) X(admin) X(load) X(deliveries) X(items)

/* ciatteh-query: `query` (but `query --release`: GLPK's, in ciatteh-full). */
#define CIA_QUERY_COMMANDS(X) X(query)

#endif
