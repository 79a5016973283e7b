/* cmd_publish.c — `ciatteh publish`: the pack of a period as a static,
 * trilingual, accessible website (site.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "ciatteh/cli.h"
#include "ciatteh/query.h"
#include "ciatteh/site.h"

static int publish_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'},
        {"lang", required_argument, NULL, 'l'},
        {"output", required_argument, NULL, 'o'},
        {"as-of", required_argument, NULL, 'a'},
        {"set", required_argument, NULL, 's'},
        {"no-charts", no_argument, NULL, 'n'},
        {"incomplete", no_argument, NULL, 'I'},
        {NULL, 0, NULL, 0},
    };
    struct cia_site_opts o;
    memset(&o, 0, sizeof o);
    const char *period = NULL;
    cia_strv settings = {0}, langs = {0};
    int c, rc = CIA_OK;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'p': period = optarg; break;
        case 'l': cia_strv_free(&langs); cia_strv_split(&langs, optarg, ','); break;
        case 'o': o.out_dir = optarg; break;
        case 'a': o.as_of = optarg; break;
        case 's': cia_strv_push(&settings, optarg); break;
        case 'n': o.no_charts = 1; break;
        case 'I': o.incomplete = 1; break;
        default: rc = cia_cmd_usage_error(e, "publish", "unknown option"); goto out;
        }
    }
    if (optind != argc) { rc = cia_cmd_usage_error(e, "publish", "unexpected argument '%s'", argv[optind]); goto out; }
    if (!o.out_dir) { rc = cia_cmd_usage_error(e, "publish", "-o DIR is required"); goto out; }
    if (period && strcmp(period, "auto") && cia_pack_parse_period(period, &o.year_from, &o.year_to)) {
        rc = cia_cmd_usage_error(e, "publish", "--period '%s': expected A-B such as 2023-2024, or auto", period);
        goto out;
    }
    if (langs.n > CIA_SITE_LANGS_MAX) {
        rc = cia_cmd_usage_error(e, "publish", "--lang: at most %d languages (en, fr, nl)", CIA_SITE_LANGS_MAX);
        goto out;
    }
    for (size_t i = 0; i < langs.n; i++) o.langs[i] = langs.v[i];
    o.nlangs = langs.n;
    if ((rc = cia_check_as_of(o.as_of, e))) goto out;
    o.check_settings = &settings;
    cia_db db;
    if ((rc = cia_db_open(&db, ctx->db, e))) goto out;
    if (!o.year_from) rc = cia_pack_auto_period(&db, o.as_of, &o.year_from, &o.year_to, e);
    struct cia_site_result res = {0};
    if (!rc) rc = cia_site_build(&db, &o, &res, e);
    cia_db_close(&db);
    if (rc == CIA_OK)
        printf("%s: %zu pages in %zu languages (%zu tables, %zu charts), period %d-%d, data as of %s\n", o.out_dir,
               res.npages, res.nlangs, res.ntables, res.ncharts, o.year_from, o.year_to, res.as_of);
    else if (rc == CIA_EUSAGE)
        cia_err_context(e, "publish");
out:
    cia_strv_free(&settings);
    cia_strv_free(&langs);
    return rc;
}

const struct cia_cmd cia_cmd_publish = {
    "publish", publish_main, "the pack as a static website in French, Dutch and English (HTML, no script)",
    "usage: ciatteh publish -o DIR [--period A-B|auto] [--lang fr,nl,en] [--as-of YYYY-MM-DD]\n"
    "                       [--set NAME=VALUE ...] [--incomplete] [--no-charts]\n"
    "\n"
    "Builds the biennial pack of the period (default: auto, the latest two years\n"
    "every service has delivered) once per language and publishes it as a\n"
    "website in DIR, readable from the files alone (no server, no JavaScript):\n"
    "  index.html              the language choice\n"
    "  LANG/index.html         period, as-of date, chapters, checks, deliveries,\n"
    "                          downloads\n"
    "  LANG/CHAPTER.html       one page per chapter (trafficking, smuggling):\n"
    "                          every table as an HTML table with its legend and\n"
    "                          notes, every chart as SVG with its figures\n"
    "  LANG/checks.html, LANG/deliveries.html\n"
    "  LANG/pack/              that language's pack (workbook, PDF annex, CSV,\n"
    "                          charts, MANIFEST): the downloads\n"
    "The pages show the pack's own tables, so the figures are the pack's.\n"
    "Every language reads one snapshot of the data, as of the end of --as-of\n"
    "(default today, Brussels).  DIR is built beside its place and swapped in\n"
    "when complete.  Check thresholds: --set (see `ciatteh check`).\n",
};
