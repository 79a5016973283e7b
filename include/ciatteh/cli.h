/* cli.h — the subcommand table shared by src/cli.c, the programs' tables
 * (src/prog/) and src/cmd_*.c.  Each subcommand lives in its own file and
 * is a thin layer: parse options, call library functions, return a
 * status.  Only cia_cli_main() (src/cli.c) prints the error; main()
 * returns its exit code. */
#ifndef CIATTEH_CLI_H
#define CIATTEH_CLI_H

#include "ciatteh/err.h"

struct cia_db;
struct cia_query;
struct cia_qresult;

struct cia_ctx {
    const char *db;        /* --db CONNINFO, or NULL */
    /* `query --release IDS`: stored releases applied to a query's rows
     * (cia_release_set_apply_query).  ciatteh-full sets it; ciatteh-query
     * leaves it NULL, so that it links no GLPK or libxlsxwriter, and
     * `ciatteh` hands it no --release (src/prog/). */
    int (*query_release)(struct cia_db *db, const char *ids, const struct cia_query *q,
                         struct cia_qresult *res, cia_err *e);
};

typedef int (*cia_cmd_fn)(int argc, char **argv, struct cia_ctx *ctx, cia_err *e);

struct cia_cmd {
    const char *name;
    cia_cmd_fn fn;
    const char *summary;   /* one line for `ciatteh --help` */
    const char *usage;     /* full help for `ciatteh help NAME` */
};

/* The command line of a program whose subcommands are commands (ending in
 * NULL), run with ctx (its hooks; --db is filled in): global options,
 * help, the subcommand; returns the exit code.  main() of each program in
 * src/prog/ is this call. */
int cia_cli_main(int argc, char **argv, const struct cia_cmd *const *commands, struct cia_ctx ctx);

/* Print a command's usage to stdout (for --help). */
void cia_cmd_usage(const struct cia_cmd *c);
/* Usage error helper: "unknown option" etc. */
int cia_cmd_usage_error(cia_err *e, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Parse --years A-B into *from and *to; a usage error names cmd. */
int cia_cmd_parse_years(const char *arg, int *from, int *to, const char *cmd, cia_err *e);

/* Split each "DIM=CODE[,CODE]" of where (in place) into dims[] and
 * codes[]; at most max.  A usage error names cmd. */
struct cia_strv;
int cia_cmd_parse_where(struct cia_strv *where, const char **dims, const char **codes, int *n, int max,
                        const char *cmd, cia_err *e);

/* --where offence=X is --offence X (reports and charts): take the offence
 * condition out of dims/codes into *offence; a usage error when both are
 * given and disagree. */
int cia_cmd_offence_from_where(const char **dims, const char **codes, int *n, const char **offence,
                               const char *cmd, cia_err *e);

/* What `query`, `report` and `chart` say of their figures in --help:
 * exact, and how --release protects them. */
#define CIA_HELP_EXACT \
    "The figures are exact: no small count is withheld.  This is for internal\n" \
    "work only; what leaves the warehouse goes through a release (`ciatteh\n" \
    "export`, `ciatteh pack`), which withholds small counts and their\n" \
    "complements.  --release ID[,ID...] applies stored releases' pattern (one\n" \
    "per year, see `ciatteh release list`): a figure they withhold, or one\n" \
    "they do not cover (another year, a breakdown never protected), is\n" \
    "withheld (c) here too.\n"

/* Exit codes, for every --help. */
extern const char cia_exit_codes_help[];

#define CIA_DECLARE_CMD(n) extern const struct cia_cmd cia_cmd_##n
CIA_DECLARE_CMD(db);
CIA_DECLARE_CMD(admin);
CIA_DECLARE_CMD(load);
CIA_DECLARE_CMD(query);
CIA_DECLARE_CMD(items);
CIA_DECLARE_CMD(deliveries);
CIA_DECLARE_CMD(report);
CIA_DECLARE_CMD(chart);
CIA_DECLARE_CMD(export);
CIA_DECLARE_CMD(answers);
CIA_DECLARE_CMD(check);
CIA_DECLARE_CMD(run);
CIA_DECLARE_CMD(pack);
CIA_DECLARE_CMD(release);
CIA_DECLARE_CMD(publish);

#endif
