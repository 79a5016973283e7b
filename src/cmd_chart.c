/* cmd_chart.c — `ciatteh chart NAME ...`: parse the options, build the
 * chart from the figures (reports/charts/chart_data.c), write it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/chart_data.h"
#include "ciatteh/cli.h"
#include "ciatteh/release.h"

static int chart_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    static const struct option opts[] = {
        {"years", required_argument, NULL, 'Y'},
        {"items", required_argument, NULL, 'i'},
        {"by", required_argument, NULL, 'b'},
        {"where", required_argument, NULL, 'w'},
        {"offence", required_argument, NULL, 'O'},
        {"lang", required_argument, NULL, 'l'},
        {"output", required_argument, NULL, 'o'},
        {"size", required_argument, NULL, 's'},
        {"width", required_argument, NULL, 'W'},
        {"height", required_argument, NULL, 'H'},
        {"dpi", required_argument, NULL, 'd'},
        {"as-of", required_argument, NULL, 'a'},
        {"title", required_argument, NULL, 't'},
        {"subtitle", required_argument, NULL, 'T'},
        {"dump", required_argument, NULL, 'D'},
        {"release", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    cia_chart_request req;
    memset(&req, 0, sizeof req);
    req.lang = "en";
    req.size = CIA_CHART_A4;
    const char *width = NULL, *height = NULL, *release = NULL;
    cia_strv items = {0}, by = {0}, where = {0};
    int years = 0, c, rc = CIA_OK;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'Y':
            if ((rc = cia_cmd_parse_years(optarg, &req.year_from, &req.year_to, "chart", e))) goto out;
            years = 1;
            break;
        case 'i': cia_strv_split(&items, optarg, ','); break;
        case 'b':
            if (by.n) { rc = cia_cmd_usage_error(e, "chart", "give --by once (DIM or DIM,DIM)"); goto out; }
            cia_strv_split(&by, optarg, ',');
            break;
        case 'w': cia_strv_push(&where, optarg); break;
        case 'O': req.offence = optarg; break;
        case 'l': req.lang = optarg; break;
        case 'o': req.path = optarg; break;
        case 's':
            if (!strcmp(optarg, "a4")) req.size = CIA_CHART_A4;
            else if (!strcmp(optarg, "slide")) req.size = CIA_CHART_SLIDE;
            else { rc = cia_cmd_usage_error(e, "chart", "--size must be a4 or slide"); goto out; }
            break;
        case 'W': width = optarg; break;
        case 'H': height = optarg; break;
        case 'd': {
            char *end;
            req.dpi = strtod(optarg, &end);
            if (end == optarg || *end || !(req.dpi >= 50 && req.dpi <= 1200)) {
                rc = cia_cmd_usage_error(e, "chart", "--dpi '%s': expected a number from 50 to 1200", optarg);
                goto out;
            }
            break;
        }
        case 'a': req.as_of = optarg; break;
        case 't': req.title = optarg; break;
        case 'T': req.subtitle = optarg; break;
        case 'D': req.dump = optarg; break;
        case 'r': release = optarg; break;
        default: rc = cia_cmd_usage_error(e, "chart", "unknown option"); goto out;
        }
    }
    if (argc - optind != 1) {
        rc = cia_cmd_usage_error(e, "chart", "expected one chart name (%s)", cia_chart_names());
        goto out;
    }
    req.name = argv[optind];
    if (!years) { rc = cia_cmd_usage_error(e, "chart", "--years A-B is required"); goto out; }
    if (!req.path) { rc = cia_cmd_usage_error(e, "chart", "-o FILE.png|.svg|.pdf|.xlsx is required"); goto out; }
    /* Pixels are counted at the resolution that will be used. */
    double dpi = req.dpi > 0 ? req.dpi : req.size == CIA_CHART_SLIDE ? 192 : 300;
    if (width && cia_chart_parse_length(width, dpi, &req.width_mm)) {
        rc = cia_cmd_usage_error(e, "chart", "--width '%s': expected a length such as 170mm, 17cm, 6.5in, "
                                 "480pt or 1200px", width);
        goto out;
    }
    if (height && cia_chart_parse_length(height, dpi, &req.height_mm)) {
        rc = cia_cmd_usage_error(e, "chart", "--height '%s': expected a length such as 110mm, 11cm, 4in, "
                                 "300pt or 800px", height);
        goto out;
    }
    if (by.n > 2) { rc = cia_cmd_usage_error(e, "chart", "--by: at most two dimensions"); goto out; }
    for (size_t i = 0; i < by.n; i++) req.by[req.nby++] = by.v[i];
    if ((rc = cia_cmd_parse_where(&where, req.where_dim, req.where_codes, &req.nwhere, CIA_MAX_BY - 1,
                                  "chart", e))) goto out;
    if ((rc = cia_cmd_offence_from_where(req.where_dim, req.where_codes, &req.nwhere, &req.offence,
                                         "chart", e))) goto out;
    if (req.offence && !strcmp(req.offence, "both")) {
        /* The two offences side by side: offence as a breakdown, never a sum. */
        int has = 0;
        for (int i = 0; i < req.nby; i++) has |= !strcmp(req.by[i], "offence");
        if (!has && req.nby >= 2) {
            rc = cia_cmd_usage_error(e, "chart", "--offence both shows the offences as a breakdown: "
                                     "give at most one --by dimension with it");
            goto out;
        }
        if (!has) req.by[req.nby++] = "offence";
        req.offence = NULL;
    }
    if (req.offence && strcmp(req.offence, "THB") && strcmp(req.offence, "SMUG")) {
        rc = cia_cmd_usage_error(e, "chart", "--offence %s: expected THB, SMUG or both (never the two "
                                 "added together)", req.offence);
        goto out;
    }
    req.items = (const char *const *)items.v;
    req.nitems = items.n;
    if ((rc = cia_check_as_of(req.as_of, e))) goto out;
    cia_db db;
    if ((rc = cia_db_open_pooled(&db, ctx->db, e))) goto out;
    cia_release_set rs = {0};
    if (release && !(rc = cia_release_set_load(&db, release, req.as_of, &rs, e))) {
        req.figures = cia_release_set_figures;
        req.figures_arg = &rs;
    }
    if (!rc) rc = cia_chart_build(&db, &req, e);
    cia_release_set_free(&rs);
    cia_db_close(&db);
out:
    cia_strv_free(&items);
    cia_strv_free(&by);
    cia_strv_free(&where);
    return rc;
}

const struct cia_cmd cia_cmd_chart = {
    "chart", chart_main, "charts of the figures as PNG, SVG or PDF (trends, sentences, victims...)",
    "usage: ciatteh chart NAME --years A-B -o FILE.png|.svg|.pdf|.xlsx [--lang en|fr|nl]\n"
    "                     [--items CODE,...] [--by DIM[,DIM]] [--where DIM=CODE[,CODE] ...]\n"
    "                     [--size a4|slide] [--width L] [--height L] [--dpi N]\n"
    "                     [--as-of YYYY-MM-DD] [--title T] [--subtitle T] [--dump FILE.json]\n"
    "                     [--release ID[,ID...]]\n"
    "\n"
    CIA_HELP_EXACT
    "\n"
    "  trend            items over the years as lines (default: police facts,\n"
    "                   cases entering prosecution, persons convicted, victims\n"
    "                   taken into care); --items to choose, --by DIM for one\n"
    "                   line per code; provisional years dashed, a year not\n"
    "                   known left as a gap, the last value written at the end\n"
    "  sentences        stacked bars per year of judgment: persons sentenced to\n"
    "                   prison, effective / partially / fully suspended\n"
    "  sentences-bands  the same by length of the prison term\n"
    "  victims          bars of victims taken into care by form of exploitation,\n"
    "                   split by sex, total over the years; --by DIM splits by\n"
    "                   another dimension, --by DIM1,DIM2 chooses both\n"
    "  referrals        persons referred to the specialised centres by referrer,\n"
    "                   one bar per year\n"
    "  documents        residence documents issued to victims by type, per year\n"
    "  sectors          potential victims referred by the inspectorates, by\n"
    "                   sector, per year\n"
    "  nationalities    victims taken into care: the ten most frequent\n"
    "                   nationalities, per year\n"
    "  bars             --items ITEM --by DIM: any item by any dimension, per year\n"
    "\n"
    "Every figure is the one `ciatteh query` and `ciatteh report` give.  A figure\n"
    "not known is never drawn as 0: a line breaks, a bar is replaced by \"n.k.\".\n"
    "Titles, legends and labels are in --lang, from the catalogue; the note under\n"
    "the chart names the services and the date of the data.\n"
    "\n"
    "  --years A-B      the years (required)\n"
    "  -o, --output F   .png, .svg or .pdf by the extension; .xlsx writes the\n"
    "                   chart's figures as a sheet with the chart beside them\n"
    "  --lang L         en (default), fr or nl\n"
    "  --items, --by    other items or breakdowns than the chart's own\n"
    "  --where DIM=C    only the records with these codes (repeatable)\n"
    "  --offence THB|SMUG|both  the offence counted (default THB; both: the two\n"
    "                   side by side as a breakdown, never summed; --where\n"
    "                   offence=X is the same as --offence X)\n"
    "  --size S         a4 (default: 170 x 110 mm, the text width of an A4\n"
    "                   page, PNG at 300 dpi) or slide (16:9, 1920 x 1080 px)\n"
    "  --width, --height  a length: 170mm, 17cm, 6.5in, 480pt or 1200px\n"
    "  --dpi N          PNG resolution (50-1200)\n"
    "  --as-of DATE     the data as it stood at the end of DATE (Brussels)\n"
    "  --title, --subtitle   replace the composed texts\n"
    "  --dump F         also write what was drawn as JSON: figures with their\n"
    "                   flags, series and category keys, colours, geometry\n",
};
