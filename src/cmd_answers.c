/* cmd_answers.c — `ciatteh answers`: the standard answers recorded by
 * `ciatteh export`; one shown again exactly; what changed since. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/cli.h"
#include "ciatteh/questionnaire.h"

static int answers_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    static const struct option opts[] = {
        {"year", required_argument, NULL, 'y'},
        {"show", required_argument, NULL, 's'},
        {"diff", no_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    int c, year = 0, y1, diff = 0, csv = 0;
    long long show = 0, ids[2] = {0, 0};
    const char *path = NULL, *q = NULL;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'y':
            if (cia_parse_years(optarg, &year, &y1) || year != y1)
                return cia_cmd_usage_error(e, "answers", "--year '%s': expected a year such as 2021", optarg);
            break;
        case 's':
            if (cia_parse_uint(optarg, &show) || !show)
                return cia_cmd_usage_error(e, "answers", "--show '%s': expected an answer set id", optarg);
            break;
        case 'd': diff = 1; break;
        case 'f':
            if (strcmp(optarg, "csv") && strcmp(optarg, "table"))
                return cia_cmd_usage_error(e, "answers", "--format: table or csv");
            csv = !strcmp(optarg, "csv");
            break;
        case 'o': path = optarg; break;
        default: return cia_cmd_usage_error(e, "answers", "unknown option");
        }
    }
    int nids = 0;
    for (int i = optind; i < argc; i++) {
        long long id;
        if (!cia_parse_uint(argv[i], &id) && id > 0) {
            if (!diff || nids == 2) return cia_cmd_usage_error(e, "answers", "unexpected '%s'", argv[i]);
            ids[nids++] = id;
        } else {
            if (q) return cia_cmd_usage_error(e, "answers", "one QUESTIONNAIRE at most");
            q = argv[i];
        }
    }
    if (show && diff) return cia_cmd_usage_error(e, "answers", "--show or --diff, not both");
    if (path && !show) return cia_cmd_usage_error(e, "answers", "-o goes with --show ID");
    if (nids && (q || year)) return cia_cmd_usage_error(e, "answers", "--diff ID [ID] takes no questionnaire or year");
    cia_db db;
    int rc = cia_db_open(&db, ctx->db, e);
    if (rc) return rc;
    if (show) rc = cia_q_answers_show(&db, stdout, show, path, csv, e);
    else if (diff) {
        int changes = 0;
        rc = cia_q_answers_diff(&db, stdout, q, year, ids[0], ids[1], csv, &changes, e);
    } else rc = cia_q_answers_list(&db, stdout, q, year, csv, e);
    cia_db_close(&db);
    return rc;
}

const struct cia_cmd cia_cmd_answers = {
    "answers", answers_main, "standard answers sent: list, show, what changed since",
    "usage: ciatteh answers [QUESTIONNAIRE] [--year Y] [--format table|csv]\n"
    "       ciatteh answers --show ID [-o FILE]\n"
    "       ciatteh answers --diff [QUESTIONNAIRE] [--year Y] | --diff ID [ID]\n"
    "\n"
    "Every `ciatteh export` is recorded: questionnaire, reference year, as-of,\n"
    "the deliveries read, every value and flag, the bytes sent, who and when.\n"
    "\n"
    "  (no option)    list the answer sets (of QUESTIONNAIRE, of year Y)\n"
    "  --show ID      the values and flags of answer set ID; with -o FILE (or\n"
    "                 -o -) the exact file that was sent\n"
    "  --diff         for the last answer set of each questionnaire and year\n"
    "                 (of QUESTIONNAIRE, of year Y): the cells whose value or\n"
    "                 flags differ in the data now, one line per cell\n"
    "  --diff ID      the same for answer set ID; --diff ID1 ID2: two sets\n"
    "  --format csv   machine-readable output\n",
};
