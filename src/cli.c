/* cli.c — the ciatteh command line of each program (src/prog/): global
 * options, help, finding the subcommand in the program's table, and turning
 * a returned status into a message and an exit code. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/cli.h"
#include "ciatteh/cli_options.h"
#include "ciatteh/term.h"
#include "ciatteh/util.h"

const char cia_exit_codes_help[] =
    "Exit codes:\n"
    "  0   success\n"
    "  1   check: warnings only\n"
    "  64  usage error (bad command line)\n"
    "  65  bad input data (nothing was loaded)\n"
    "  66  input file missing or unreadable\n"
    "  69  database unavailable, or its schema is newer than this program\n"
    "  70  internal error\n"
    "  73  cannot create an output file\n"
    "  75  busy or locked: try again later\n";

static void main_usage(FILE *fp, const struct cia_cmd *const *commands)
{
    fprintf(fp,
        "usage: ciatteh [--db CONNINFO] [--quiet|--verbose] COMMAND [ARGS]\n"
        "\n"
        "ciatteh — the THB statistics warehouse: loads the Belgian services'\n"
        "extracts into PostgreSQL and answers with standard items.\n"
        "\nCommands:\n");
    for (int i = 0; commands[i]; i++)
        fprintf(fp, "  %-12s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(fp,
        "  %-12s %s\n"
        "\nGlobal options:\n"
        "  --db CONNINFO  PostgreSQL connection (else CIATTEH_DB, else the libpq\n"
        "                 environment PGHOST/PGDATABASE/PGSERVICE..., else the\n"
        "                 private cluster under $CIATTEH_HOME)\n"
        "  -q, --quiet    only errors on stderr\n"
        "  -v, --verbose  more detail on stderr\n"
        "  --version      print the version\n"
        "  -h, --help     this help; `ciatteh help COMMAND` for a command\n\n%s",
        "help", "show help for a command", cia_exit_codes_help);
}

static const struct cia_cmd *find_cmd(const struct cia_cmd *const *commands, const char *name)
{
    for (int i = 0; commands[i]; i++)
        if (!strcmp(commands[i]->name, name)) return commands[i];
    return NULL;
}

void cia_cmd_usage(const struct cia_cmd *c)
{
    printf("%s\n%s", c->usage, cia_exit_codes_help);
}

int cia_cmd_usage_error(cia_err *e, const char *cmd, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return cia_fail(e, CIA_EUSAGE, "%s: %s (see `ciatteh help %s`)", cmd, buf, cmd);
}

int cia_cmd_parse_years(const char *arg, int *from, int *to, const char *cmd, cia_err *e)
{
    if (cia_parse_years(arg, from, to))
        return cia_cmd_usage_error(e, cmd, "--years '%s': expected A-B such as 2019-2023", arg);
    return CIA_OK;
}

int cia_cmd_parse_where(struct cia_strv *where, const char **dims, const char **codes, int *n, int max,
                        const char *cmd, cia_err *e)
{
    if (where->n > (size_t)max) return cia_cmd_usage_error(e, cmd, "at most %d --where", max);
    for (size_t i = 0; i < where->n; i++) {
        char *eq = strchr(where->v[i], '=');
        if (!eq || eq == where->v[i] || !eq[1])
            return cia_cmd_usage_error(e, cmd, "--where '%s': expected DIM=CODE[,CODE]", where->v[i]);
        *eq = '\0';
        const char *dim = where->v[i];
        if (strchr(dim, ','))
            return cia_cmd_usage_error(e, cmd, "--where '%s=%s': one dimension per --where (e.g. --where %.*s=CODE "
                                       "--where %s=CODE)", dim, eq + 1, (int)strcspn(dim, ","), dim,
                                       strrchr(dim, ',') + 1);
        if (strspn(dim, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(dim))
            return cia_cmd_usage_error(e, cmd, "--where '%s=%s': '%s' is not a dimension name (see `ciatteh items`)",
                                       dim, eq + 1, dim);
        dims[*n] = where->v[i];
        codes[(*n)++] = eq + 1;
    }
    return CIA_OK;
}

int cia_cmd_offence_from_where(const char **dims, const char **codes, int *n, const char **offence,
                               const char *cmd, cia_err *e)
{
    for (int i = 0; i < *n; i++) {
        if (strcmp(dims[i], "offence")) continue;
        if (*offence && strcmp(*offence, codes[i]))
            return cia_cmd_usage_error(e, cmd, "--offence and --where offence= disagree");
        *offence = codes[i];
        for (int j = i; j + 1 < *n; j++) {
            dims[j] = dims[j + 1];
            codes[j] = codes[j + 1];
        }
        (*n)--;
        i--;
    }
    return CIA_OK;
}

int cia_cli_main(int argc, char **argv, const struct cia_cmd *const *commands, struct cia_ctx ctx)
{
    cia_term_setup();   /* ASCII for a terminal that cannot show UTF-8 */
    static const struct option opts[] = CIA_GLOBAL_OPTIONS;
    int c;
    while ((c = getopt_long(argc, argv, CIA_GLOBAL_OPTSTRING, opts, NULL)) != -1) {
        switch (c) {
        case 'd': ctx.db = optarg; break;
        case 'q': cia_verbosity = 0; break;
        case 'v': cia_verbosity = 2; break;
        case 'V': printf("ciatteh %s\n", CIATTEH_VERSION); return 0;
        case 'h': main_usage(stdout, commands); return 0;
        default: main_usage(stderr, commands); return CIA_EUSAGE;
        }
    }
    if (optind >= argc) {
        main_usage(stderr, commands);
        return CIA_EUSAGE;
    }
    const char *name = argv[optind];
    if (!strcmp(name, "help")) {
        if (optind + 1 >= argc) { main_usage(stdout, commands); return 0; }
        const struct cia_cmd *cmd = find_cmd(commands, argv[optind + 1]);
        if (!cmd) {
            fprintf(stderr, "ciatteh: no such command '%s'\n", argv[optind + 1]);
            return CIA_EUSAGE;
        }
        cia_cmd_usage(cmd);
        return 0;
    }
    const struct cia_cmd *cmd = find_cmd(commands, name);
    if (!cmd) {
        fprintf(stderr, "ciatteh: no such command '%s' (see `ciatteh --help`)\n", name);
        return CIA_EUSAGE;
    }
    cia_err e;
    cia_err_clear(&e);
    int sub_argc = argc - optind;
    char **sub_argv = argv + optind;
    for (int i = 1; i < sub_argc; i++) {
        if (!strcmp(sub_argv[i], "--")) break;
        if (!strcmp(sub_argv[i], "--help") || !strcmp(sub_argv[i], "-h")) {
            cia_cmd_usage(cmd);
            return 0;
        }
    }
    optind = 0;   /* re-initialise getopt for the subcommand */
    int rc = cmd->fn(sub_argc, sub_argv, &ctx, &e);
    if (rc != CIA_OK && rc != CIA_WARN && e.msg[0]) {
        char buf[4096];
        fprintf(stderr, "ciatteh: %s\n", cia_err_format(&e, buf, sizeof buf));
    }
    fflush(stdout);
    if (ferror(stdout)) {
        fprintf(stderr, "ciatteh: error writing to standard output\n");
        return rc ? rc : CIA_ECANTCREAT;
    }
    return rc;
}
