/* cmd_query.c — `ciatteh query ITEM ...`: the query contract of ITEMS.md. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/cli.h"
#include "ciatteh/query.h"

static int query_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    struct cia_query q;
    memset(&q, 0, sizeof q);
    static const struct option opts[] = {
        {"year", required_argument, NULL, 'y'},
        {"years", required_argument, NULL, 'Y'},
        {"by", required_argument, NULL, 'b'},
        {"where", required_argument, NULL, 'w'},
        {"as-of", required_argument, NULL, 'a'},
        {"release", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    cia_strv by = {0}, where = {0};
    const char *release = NULL;
    int c, rc = CIA_OK, years_given = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'y':
        case 'Y':
            if (years_given++) { rc = cia_cmd_usage_error(e, "query", "give --year or --years once"); goto out; }
            if (cia_parse_years(optarg, &q.year_from, &q.year_to) ||
                (c == 'y' && q.year_from != q.year_to)) {
                rc = cia_cmd_usage_error(e, "query", "--%s '%s': expected %s", c == 'y' ? "year" : "years",
                                         optarg, c == 'y' ? "a year such as 2021" : "A-B such as 2019-2021");
                goto out;
            }
            break;
        case 'b': cia_strv_split(&by, optarg, ','); break;
        case 'w': cia_strv_push(&where, optarg); break;
        case 'a': q.as_of = optarg; break;
        case 'r': release = optarg; break;
        default: rc = cia_cmd_usage_error(e, "query", "unknown option"); goto out;
        }
    }
    if (argc - optind != 1) { rc = cia_cmd_usage_error(e, "query", "expected one ITEM"); goto out; }
    q.item = argv[optind];
    if (by.n > CIA_MAX_BY || where.n > CIA_MAX_BY) {
        rc = cia_cmd_usage_error(e, "query", "at most %d dimensions", CIA_MAX_BY);
        goto out;
    }
    for (size_t i = 0; i < by.n; i++) q.by[q.nby++] = by.v[i];
    if ((rc = cia_cmd_parse_where(&where, q.where_dim, q.where_codes, &q.nwhere, CIA_MAX_BY, "query", e)))
        goto out;
    if ((rc = cia_check_as_of(q.as_of, e))) goto out;
    if (release && !ctx->query_release) {
        rc = cia_cmd_usage_error(e, "query", "--release: run it as `ciatteh query` (this program applies no release)");
        goto out;
    }
    cia_db db;
    /* Through the private cluster's pooler when it runs: a warm backend. */
    if ((rc = cia_db_open_pooled(&db, ctx->db, e))) goto out;
    struct cia_qresult res;
    if ((rc = cia_query_run(&db, &q, &res, e)) == CIA_OK) {
        if (release) rc = ctx->query_release(&db, release, &q, &res, e);
        if (!rc) rc = cia_query_write_csv(stdout, &q, &res, e);
        cia_qresult_free(&res);
    }
    cia_db_close(&db);
out:
    cia_strv_free(&by);
    cia_strv_free(&where);
    return rc;
}

const struct cia_cmd cia_cmd_query = {
    "query", query_main, "figures of a standard item, as CSV",
    "usage: ciatteh query ITEM [--year Y | --years A-B] [--by DIM[,DIM...]]\n"
    "                     [--where DIM=CODE[,CODE...] ...] [--as-of YYYY-MM-DD]\n"
    "                     [--release ID[,ID...]]\n"
    "\n"
    CIA_HELP_EXACT
    "\n"
    "Prints CSV: item,year,<each --by dimension>,value,flag — one row per year\n"
    "and combination of codes that has records, sorted by year then by the\n"
    "dimension columns; a year asked for without records gets one row with\n"
    "its dimension columns empty: value 0 when a delivery covers the year\n"
    "(a delivered zero), else empty and flagged n or i.  value is empty when\n"
    "not known at all.  flag: u = some records left the value unknown (value\n"
    "is a lower bound); p = provisional (the year still receives records);\n"
    "n = not delivered (no delivery of the service covers the year); i =\n"
    "incomplete (records fall in the year, no delivery covers it); c =\n"
    "withheld for confidentiality.  Offences are never added together: an\n"
    "item with an offence dimension counts THB only unless --where offence=\n"
    "or --by offence says otherwise.\n"
    "A record whose dimension is not known counts under UNK.\n"
    "--as-of answers with the data as it stood at the end of that day\n"
    "(Europe/Brussels).  `ciatteh items` lists items and their dimensions.\n",
};
