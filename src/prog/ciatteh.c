/* ciatteh.c — `ciatteh`, the program users and scripts run: it finds the
 * subcommand and replaces itself (execv) with the program that runs it,
 * beside it in the same folder (include/ciatteh/programs.h):
 * ciatteh-query for `query`, ciatteh-data for the store and the extracts
 * (db, admin, load, deliveries, items), ciatteh-full for everything else.
 * Linked with the C library alone (statically in the release build) so
 * that it starts in about a millisecond: what it saves is the loading of
 * ~50 libraries those commands never call (cairo, pango, qpdf, libxml2,
 * GLPK).  Options, help, messages and exit codes are those of the program
 * it runs (src/cli.c). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "ciatteh/cli_options.h"
#include "ciatteh/err.h"
#include "ciatteh/programs.h"

#define NAME(n) #n,
static const char *const data_commands[] = {CIA_DATA_COMMANDS(NAME) NULL};
static const char *const query_commands[] = {CIA_QUERY_COMMANDS(NAME) NULL};

static int listed(const char *const *names, const char *cmd)
{
    for (; *names; names++)
        if (!strcmp(*names, cmd)) return 1;
    return 0;
}

int main(int argc, char **argv)
{
    /* The global options of src/cli.c, only to find the subcommand. */
    static const struct option opts[] = CIA_GLOBAL_OPTIONS;
    opterr = 0;   /* the program run below reports bad options */
    int c, other = 0;
    while ((c = getopt_long(argc, argv, CIA_GLOBAL_OPTSTRING, opts, NULL)) != -1)
        if (c != 'd' && c != 'q' && c != 'v') other = 1;   /* --version, --help, a bad option */
    /* `query --release` (or an abbreviation: every --r... of query's
     * options is --release) applies releases: GLPK's, in ciatteh-full.
     * An argument that only looks like one costs a slower start, never a
     * different answer: ciatteh-full runs every command. */
    const char *cmd = !other && optind < argc ? argv[optind] : "";
    const char *prog = "ciatteh-full";
    if (listed(data_commands, cmd)) prog = "ciatteh-data";
    if (listed(query_commands, cmd)) {
        prog = "ciatteh-query";
        for (int i = optind + 1; i < argc && strcmp(argv[i], "--"); i++)
            if (!strncmp(argv[i], "--r", 3)) prog = "ciatteh-full";
    }

    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0 || (size_t)n >= sizeof path - 1) {
        fprintf(stderr, "ciatteh: cannot find where ciatteh is installed (/proc/self/exe): %s\n",
                n < 0 ? strerror(errno) : "path too long");
        return CIA_EINTERNAL;
    }
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    if (!slash || (size_t)(slash + 1 - path) + strlen(prog) >= sizeof path) {
        fprintf(stderr, "ciatteh: cannot make the path of %s from %s\n", prog, path);
        return CIA_EINTERNAL;
    }
    strcpy(slash + 1, prog);
    argv[0] = path;
    execv(path, argv);
    fprintf(stderr, "ciatteh: cannot run %s: %s (ciatteh, ciatteh-query, ciatteh-data and "
            "ciatteh-full are installed together, in one folder)\n", path, strerror(errno));
    return CIA_EINTERNAL;
}
