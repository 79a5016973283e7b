/* cli_options.h — the global options that come before the subcommand,
 * declared once for src/cli.c (which acts on them) and src/prog/ciatteh.c
 * (which only steps over them to find the subcommand, and must not link
 * the rest of the command line). */
#ifndef CIATTEH_CLI_OPTIONS_H
#define CIATTEH_CLI_OPTIONS_H

#include <getopt.h>

/* '+' stops at the first non-option: the subcommand. */
#define CIA_GLOBAL_OPTSTRING "+qvh"
#define CIA_GLOBAL_OPTIONS                          \
    {                                               \
        {"db", required_argument, NULL, 'd'},       \
        {"quiet", no_argument, NULL, 'q'},          \
        {"verbose", no_argument, NULL, 'v'},        \
        {"version", no_argument, NULL, 'V'},        \
        {"help", no_argument, NULL, 'h'},           \
        {NULL, 0, NULL, 0},                         \
    }

#endif
