/* cmd_report.c — `ciatteh report NAME ...`: parse the options, build the
 * report from its definition (reports/tables/report.c), render it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/cli.h"
#include "ciatteh/release.h"
#include "ciatteh/render.h"
#include "ciatteh/report.h"
#include "ciatteh/text.h"

static int report_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    /* The biennial pack is a report too; `ciatteh pack` does the work. */
    if (argc > 1 && !strcmp(argv[1], "biennial")) return cia_cmd_pack.fn(argc - 1, argv + 1, ctx, e);
    static const struct option opts[] = {
        {"years", required_argument, NULL, 'Y'},
        {"items", required_argument, NULL, 'i'},
        {"by", required_argument, NULL, 'b'},
        {"where", required_argument, NULL, 'w'},
        {"lang", required_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"as-of", required_argument, NULL, 'a'},
        {"localized", no_argument, NULL, 'L'},
        {"trace", required_argument, NULL, 't'},
        {"offence", required_argument, NULL, 'O'},
        {"release", required_argument, NULL, 'r'},
        {"flags", required_argument, NULL, 'F'},
        {NULL, 0, NULL, 0},
    };
    struct cia_report_req req;
    memset(&req, 0, sizeof req);
    req.lang = "en";
    const char *format = NULL, *out = NULL, *trace = NULL, *release = NULL, *flags = "columns";
    int localized = 0, years = 0, c, rc = CIA_OK;
    cia_strv items = {0}, where = {0};
    struct cia_rd *def = NULL;
    cia_report_build b = {0};
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'Y':
            if ((rc = cia_cmd_parse_years(optarg, &req.year_from, &req.year_to, "report", e))) goto out;
            years = 1;
            break;
        case 'i': cia_strv_split(&items, optarg, ','); break;
        case 'b':
            if (req.by) { rc = cia_cmd_usage_error(e, "report", "give --by once"); goto out; }
            req.by = optarg;
            break;
        case 'w': cia_strv_push(&where, optarg); break;
        case 'l': req.lang = optarg; break;
        case 'f': format = optarg; break;
        case 'o': out = optarg; break;
        case 'a': req.as_of = optarg; break;
        case 'L': localized = 1; break;
        case 't': trace = optarg; break;
        case 'O': req.offence = optarg; break;
        case 'r': release = optarg; break;
        case 'F': flags = optarg; break;
        default: rc = cia_cmd_usage_error(e, "report", "unknown option"); goto out;
        }
    }
    if (argc - optind != 1) {
        char *names = cia_rd_names();
        rc = cia_cmd_usage_error(e, "report", "expected one report name (%s)", names);
        free(names);
        goto out;
    }
    if (!years) { rc = cia_cmd_usage_error(e, "report", "--years A-B is required"); goto out; }
    if (strcmp(req.lang, "en") && strcmp(req.lang, "fr") && strcmp(req.lang, "nl")) {
        rc = cia_cmd_usage_error(e, "report", "--lang must be en, fr or nl");
        goto out;
    }
    /* -o report.xlsx is enough to ask for a workbook. */
    if (!format) format = out && cia_ends_with(out, ".xlsx") ? "xlsx" : out && cia_ends_with(out, ".csv") ? "csv" : "table";
    if (strcmp(format, "table") && strcmp(format, "text") && strcmp(format, "csv") && strcmp(format, "xlsx")) {
        rc = cia_cmd_usage_error(e, "report", "--format must be table, csv or xlsx");
        goto out;
    }
    if (strcmp(flags, "columns") && strcmp(flags, "marks")) {
        rc = cia_cmd_usage_error(e, "report", "--flags must be columns or marks");
        goto out;
    }
    if ((rc = cia_render_check_path(format, out, e))) goto out;
    if (!strcmp(format, "xlsx") && !out) {
        rc = cia_cmd_usage_error(e, "report", "xlsx output needs -o FILE.xlsx (or -o - for standard output)");
        goto out;
    }
    if ((rc = cia_cmd_parse_where(&where, req.where_dim, req.where_codes, &req.nwhere, CIA_MAX_BY,
                                  "report", e))) goto out;
    if ((rc = cia_cmd_offence_from_where(req.where_dim, req.where_codes, &req.nwhere, &req.offence,
                                         "report", e))) goto out;
    req.items = (const char *const *)items.v;
    req.nitems = items.n;
    if ((rc = cia_check_as_of(req.as_of, e))) goto out;
    if ((rc = cia_rd_load(argv[optind], &def, e))) goto out;
    cia_db db;
    if ((rc = cia_db_open_pooled(&db, ctx->db, e))) goto out;
    /* One snapshot for every query of the report: a load committing
     * meanwhile must not mix two states of the data in one table. */
    rc = cia_db_begin_snapshot(&db, 1, e);
    cia_release_set rs = {0};
    if (!rc && release) rc = cia_release_set_load(&db, release, req.as_of, &rs, e);
    if (!rc) rc = cia_report_make(&db, def, &req, &b, e);
    if (!rc && release) rc = cia_release_set_figures(&rs, &b, e);
    cia_release_set_free(&rs);
    if (!rc) rc = cia_db_commit(&db, e);
    else cia_db_rollback(&db);
    cia_db_close(&db);
    if (rc) goto out;
    b.report->flag_marks = !strcmp(flags, "marks");
    if ((rc = cia_render(format, out, b.report, localized, e))) goto out;
    if (trace) {
        cia_outfile o;
        if ((rc = cia_outfile_open(&o, trace, e))) goto out;
        rc = cia_report_write_trace(o.fp, &b, e);
        if (rc == CIA_OK) rc = cia_outfile_commit(&o, e);
        if (rc) cia_outfile_abort(&o);
    }
out:
    cia_report_build_free(&b);
    cia_rd_free(def);
    cia_strv_free(&items);
    cia_strv_free(&where);
    return rc;
}

const struct cia_cmd cia_cmd_report = {
    "report", report_main, "year-on-year, sentences and victims reports (table, CSV, XLSX)",
    "usage: ciatteh report yoy|sentences|victims --years A-B [--lang en|fr|nl]\n"
    "                      [--format table|csv|xlsx] [-o FILE] [--as-of YYYY-MM-DD]\n"
    "                      [--localized] [--trace FILE] [--release ID[,ID...]]\n"
    "                      [--flags columns|marks]\n"
    "       ciatteh report biennial --period A-B --lang fr|nl|en -o DIR [--as-of DATE]\n"
    "                      (the government report pack: see `ciatteh help pack`)\n"
    "       ciatteh report yoy --years A-B [--items CODE,...] [--by DIM]\n"
    "                      [--where DIM=CODE[,CODE] ...] ...\n"
    "\n"
    CIA_HELP_EXACT
    "\n"
    "  yoy        one row per item (and per code of --by), one column per year,\n"
    "             then the change between the last two years and over the\n"
    "             period (absolute and %); default: every item, by service\n"
    "  sentences  convictions by year of judgment: prison terms, effective,\n"
    "             partially and fully suspended (counts and shares), by length,\n"
    "             by form of exploitation and by sex; fines and confiscations\n"
    "  victims    shelter referrals and victims taken into care by form, sex,\n"
    "             age group, citizenship, the ten most frequent nationalities\n"
    "             and referrer; residence documents; inspectorates' referrals\n"
    "             by sector; police and prosecution figures beside them\n"
    "\n"
    "Every figure comes from the items (`ciatteh query`).  A year the service\n"
    "did not deliver is \"n.k.\" (inc./onb.), never 0.  Marks: (u) lower bound,\n"
    "some records left it unknown; (p) provisional year; explained under each\n"
    "table.  The deliveries behind the report and the as-of date are named.\n"
    "\n"
    "  --years A-B      years, one column each (required)\n"
    "  --lang L         en (default), fr or nl: labels, headings, numbers\n"
    "  --format F       table (terminal, default), csv or xlsx; -o x.xlsx or\n"
    "                   -o x.csv choose the format too\n"
    "  -o, --output F   write to F (atomically) instead of standard output\n"
    "  --as-of DATE     the data as it stood at the end of DATE (Brussels)\n"
    "  --localized      CSV for Excel in the report's language (BOM, fr/nl ';'\n"
    "                   and decimal comma); default: plain CSV for programs\n"
    "  --trace F        also write, for every figure, the `ciatteh query` it\n"
    "                   comes from (CSV)\n"
    "  --flags columns|marks  XLSX: a flags column beside each value column\n"
    "                   (default), or the flags shown after each value in its\n"
    "                   own cell (\"1,234 p\"), the cell still a number\n"
    "  --items, --by, --where   (yoy) which items, one breakdown, filters\n"
    "  --offence THB|SMUG|both  the offence counted (default THB; both: side by side,\n"
    "                           never summed); --where offence=X is the same\n",
};
