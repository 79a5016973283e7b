/* cmd_pack.c — `ciatteh pack`: the biennial report pack in one directory.
 * `ciatteh report biennial ARGS` is meant to reach the same function
 * (cia_cmd_pack.fn) from src/cmd_report.c. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "ciatteh/biennial.h"
#include "ciatteh/cli.h"
#include "ciatteh/query.h"
#include "ciatteh/run.h"

static int pack_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'},
        {"years", required_argument, NULL, 'p'},
        {"lang", required_argument, NULL, 'l'},
        {"output", required_argument, NULL, 'o'},
        {"as-of", required_argument, NULL, 'a'},
        {"config", required_argument, NULL, 'c'},
        {"set", required_argument, NULL, 's'},
        {"no-charts", no_argument, NULL, 'n'},
        {"incomplete", no_argument, NULL, 'I'},
        {"internal", no_argument, NULL, 'N'},
        {"offence", required_argument, NULL, 'O'},
        {NULL, 0, NULL, 0},
    };
    struct cia_pack_opts o;
    memset(&o, 0, sizeof o);
    o.lang = "en";
    const char *period = NULL, *config = NULL;
    cia_strv settings = {0}, cli = {0};
    cia_conf conf = {0};
    int c, rc = CIA_OK;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'p': period = optarg; break;
        case 'l': o.lang = optarg; break;
        case 'o': o.out_dir = optarg; break;
        case 'a': o.as_of = optarg; break;
        case 'c': config = optarg; break;
        case 's': cia_strv_push(&cli, optarg); break;
        case 'n': o.no_charts = 1; break;
        case 'I': o.incomplete = 1; break;
        case 'N': o.internal = 1; break;
        case 'O': o.offence = optarg; break;
        default: rc = cia_cmd_usage_error(e, "pack", "unknown option"); goto out;
        }
    }
    if (optind != argc) { rc = cia_cmd_usage_error(e, "pack", "unexpected argument '%s'", argv[optind]); goto out; }
    if (!period || cia_pack_parse_period(period, &o.year_from, &o.year_to)) {
        rc = cia_cmd_usage_error(e, "pack", "--period A-B is required, e.g. --period 2020-2021");
        goto out;
    }
    if (!o.out_dir) { rc = cia_cmd_usage_error(e, "pack", "-o DIR is required"); goto out; }
    if (strcmp(o.lang, "en") && strcmp(o.lang, "fr") && strcmp(o.lang, "nl")) {
        rc = cia_cmd_usage_error(e, "pack", "--lang must be en, fr or nl");
        goto out;
    }
    if ((rc = cia_check_as_of(o.as_of, e))) goto out;
    if (config) {
        if ((rc = cia_conf_read(&conf, config, e))) goto out;
        if ((rc = cia_conf_check_settings(&conf, &settings, e))) goto out;
    }
    for (size_t i = 0; i < cli.n; i++) cia_strv_push(&settings, cli.v[i]);
    o.check_settings = &settings;
    cia_db db;
    if ((rc = cia_db_open(&db, ctx->db, e))) goto out;
    struct cia_pack_result res;
    rc = cia_pack_build(&db, &o, &res, e);
    cia_db_close(&db);
    if (rc == CIA_OK)
        printf("%s: %zu files (%zu tables, %zu charts, %zu PDF pages), data as of %s, checks: %zu error%s, "
               "%zu warning%s%s\n",
               o.out_dir, res.nfiles, res.ntables, res.ncharts, res.npages, res.as_of, res.check_errors,
               res.check_errors == 1 ? "" : "s", res.check_warnings, res.check_warnings == 1 ? "" : "s",
               o.internal ? "; INTERNAL, not for publication: nothing withheld" : "");
    if (rc == CIA_OK && !o.internal)
        printf("%s: %zu figures withheld for confidentiality (releases of %zu years, see MANIFEST)\n",
               o.out_dir, res.nwithheld, res.nreleases);
out:
    cia_strv_free(&settings);
    cia_strv_free(&cli);
    cia_conf_free(&conf);
    return rc;
}

const struct cia_cmd cia_cmd_pack = {
    "pack", pack_main, "the biennial report pack (workbook, charts, PDF annex, checks, MANIFEST)",
    "usage: ciatteh pack --period A-B [--lang en|fr|nl] -o DIR [--as-of YYYY-MM-DD]\n"
    "                    [--config FILE] [--set NAME=VALUE ...] [--no-charts]\n"
    "                    [--incomplete] [--internal] [--offence THB|SMUG|both]\n"
    "\n"
    "Builds the statistical annex of the biennial government report in DIR:\n"
    "  annex-A-B-LANG.xlsx   every table of every report, the check results\n"
    "  annex-A-B-LANG.pdf    A4 annex: title page, contents, each table and chart\n"
    "                        with its notes and definitions, the checks, the\n"
    "                        deliveries used, page numbers\n"
    "  tables/*.csv          each table as CSV\n"
    "  charts/*.png, *.pdf   every chart\n"
    "  checks.csv, .json     the data-quality findings for the period\n"
    "  MANIFEST              version, period, language, as-of date, deliveries\n"
    "                        used, releases, and each file's SHA-256\n"
    "                        (sha256sum -c MANIFEST)\n"
    "A period with a year not every service has delivered is refused unless\n"
    "--incomplete is given; that pack then says PROVISIONAL on every page and\n"
    "sheet.  The whole pack is read from one snapshot of the data.\n"
    "\n"
    "The pack is published, so it is protected: its figures belong to the\n"
    "releases of their years together with the Eurostat, GRETA and TIP answers\n"
    "(see `ciatteh export`, `ciatteh release`), one pattern over all of them;\n"
    "withheld figures read \"withheld for confidentiality\" (c) in every table,\n"
    "and charts leave a gap.  Before anything is written the outsider's attack\n"
    "is run; if it narrows a withheld figure to fewer than 3 values, nothing is\n"
    "written.  The releases are stored and named in MANIFEST.\n"
    "--internal builds the exact pack for internal use instead: nothing\n"
    "withheld, no release, \"INTERNAL - NOT FOR PUBLICATION\" (in the pack's\n"
    "language) on every PDF page, sheet (header, footer, first line), chart\n"
    "and CSV.\n"
    "\n"
    "--offence both (default): the trafficking chapters, then a smuggling\n"
    "chapter, as the national rapporteur's reports are laid out; THB or SMUG:\n"
    "one of the two, its offence in the title.  The two offences are never\n"
    "added together; the checks count the same offences.\n"
    "\n"
    "Everything is read as of the end of --as-of (default: today, Brussels) and\n"
    "dated with it: the same data and --as-of give the same files, byte for\n"
    "byte.  DIR is built beside its place and swapped in when complete.\n"
    "Check thresholds: [check] of --config, then --set (see `ciatteh check`).\n",
};
