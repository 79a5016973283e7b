/* cmd_check.c — `ciatteh check`: run the data-quality rules. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/check.h"
#include "ciatteh/cli.h"
#include "ciatteh/query.h"
#include "ciatteh/run.h"

static int check_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    static const struct option opts[] = {
        {"years", required_argument, NULL, 'Y'},
        {"as-of", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'},
        {"lang", required_argument, NULL, 'l'},
        {"fail-on", required_argument, NULL, 'F'},
        {"set", required_argument, NULL, 's'},
        {"config", required_argument, NULL, 'c'},
        {"only", required_argument, NULL, 'O'},
        {"list", no_argument, NULL, 'L'},
        {"output", required_argument, NULL, 'o'},
        {"jump-ratio", required_argument, NULL, 'J'},
        {"max-age-days", required_argument, NULL, 'M'},
        {"unknown-share", required_argument, NULL, 'U'},
        {"offence", required_argument, NULL, 'X'},
        {"public", no_argument, NULL, 'P'},
        {NULL, 0, NULL, 0},
    };
    struct cia_check_opts o;
    memset(&o, 0, sizeof o);
    const char *format = "table", *lang = "en", *fail_on_s = NULL, *config = NULL, *out = NULL;
    int list = 0, c, rc = CIA_OK;
    cia_strv cli_settings = {0}, settings = {0};
    cia_conf conf = {0};
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'Y':
            if ((rc = cia_cmd_parse_years(optarg, &o.year_from, &o.year_to, "check", e))) goto done;
            break;
        case 'a': o.as_of = optarg; break;
        case 'f': format = optarg; break;
        case 'l': lang = optarg; break;
        case 'F': fail_on_s = optarg; break;
        case 's': cia_strv_push(&cli_settings, optarg); break;
        case 'c': config = optarg; break;
        case 'O': o.only = optarg; break;
        case 'X': o.offence = optarg; break;
        case 'P': o.public_only = 1; break;
        case 'L': list = 1; break;
        case 'o': out = optarg; break;
        case 'J': case 'M': case 'U': {
            char *s = cia_xasprintf("%s=%s", c == 'J' ? "jump_ratio" : c == 'M' ? "max_age_days" : "unknown_share",
                                    optarg);
            cia_strv_push(&cli_settings, s);
            free(s);
            break;
        }
        default: rc = cia_cmd_usage_error(e, "check", "unknown option"); goto done;
        }
    }
    if (optind != argc) { rc = cia_cmd_usage_error(e, "check", "unexpected argument '%s'", argv[optind]); goto done; }
    if (strcmp(lang, "en") && strcmp(lang, "fr") && strcmp(lang, "nl")) {
        rc = cia_cmd_usage_error(e, "check", "--lang must be en, fr or nl");
        goto done;
    }
    if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json")) {
        rc = cia_cmd_usage_error(e, "check", "--format must be table, csv or json");
        goto done;
    }
    if ((rc = cia_check_as_of(o.as_of, e))) goto done;
    /* Settings: the configuration's [check] first, the command line after
     * (so it wins). */
    if (config) {
        if ((rc = cia_conf_read(&conf, config, e))) goto done;
        if ((rc = cia_conf_check_settings(&conf, &settings, e))) goto done;
    }
    for (size_t i = 0; i < cli_settings.n; i++) cia_strv_push(&settings, cli_settings.v[i]);
    enum cia_check_fail_on fail_on = CIA_FAIL_DEFAULT;
    for (size_t i = 0; i < settings.n; i++)
        if (!strncmp(settings.v[i], "fail_on=", 8) && cia_check_parse_fail_on(settings.v[i] + 8, &fail_on)) {
            rc = cia_cmd_usage_error(e, "check", "fail_on '%s': expected error, warning, never or default",
                                     settings.v[i] + 8);
            goto done;
        }
    if (fail_on_s && cia_check_parse_fail_on(fail_on_s, &fail_on)) {
        rc = cia_cmd_usage_error(e, "check", "--fail-on '%s': expected error, warning, never or default", fail_on_s);
        goto done;
    }
    o.settings = &settings;

    struct cia_check_result res;
    if (list) {
        if ((rc = cia_check_load_rules(&o, &res, e)) == CIA_OK) rc = cia_check_write_rules(stdout, &res, lang, e);
        cia_check_result_free(&res);
        goto done;
    }
    cia_db db;
    if ((rc = cia_db_open_pooled(&db, ctx->db, e))) goto done;
    rc = cia_check_run(&db, &o, &res, e);
    cia_db_close(&db);
    if (rc == CIA_OK) {
        if (out && strcmp(out, "-")) {
            cia_outfile f;
            if ((rc = cia_outfile_open(&f, out, e)) == CIA_OK) {
                rc = cia_check_write(f.fp, &res, format, lang, e);
                if (rc == CIA_OK) rc = cia_outfile_commit(&f, e);
                else cia_outfile_abort(&f);
            }
        } else {
            rc = cia_check_write(stdout, &res, format, lang, e);
        }
        if (rc == CIA_OK) rc = cia_check_status(&res, fail_on);
    }
    cia_check_result_free(&res);
done:
    cia_strv_free(&cli_settings);
    cia_strv_free(&settings);
    cia_conf_free(&conf);
    return rc;
}

const struct cia_cmd cia_cmd_check = {
    "check", check_main, "data-quality checks over the current figures",
    "usage: ciatteh check [--years A-B] [--as-of YYYY-MM-DD] [--format table|csv|json]\n"
    "                     [--lang en|fr|nl] [--fail-on error|warning|never]\n"
    "                     [--config FILE] [--set NAME=VALUE ...] [--only RULE,...]\n"
    "                     [--offence THB|SMUG|both] [--public] [-o FILE] [--list]\n"
    "\n"
    "Runs the data-quality rules (reports/data/checks/*.rule, compiled in) over\n"
    "the item facts current at --as-of (default: now) and lists what each\n"
    "found: breakdowns that do not add up to totals, more prison terms than\n"
    "persons convicted, more suspended terms than prison terms, more victims\n"
    "taken into care than referrals (year and year before), a service missing\n"
    "a year the others have, year-over-year jumps, stale or missing\n"
    "deliveries, and high shares of unknown values.  --years limits the years\n"
    "reported on.  Nothing in the database changes.\n"
    "\n"
    "--offence THB (default), SMUG or both: the offence the rules over item\n"
    "figures count (the two are never added together); with both, each such\n"
    "rule runs once per offence and its findings say which.  Rules over\n"
    "deliveries (missing years, stale deliveries) run once.\n"
    "\n"
    "--public: the findings as a published (protected) pack lists them: each\n"
    "says what is wrong without a figure (\"does not add up to the total\",\n"
    "\"not known for more than 20 % of the records\"), since a figure in a\n"
    "finding could republish one the release withholds; the JSON keeps no\n"
    "number but years and thresholds.  Without it the findings are exact.\n"
    "\n"
    "Exit status: 0 no finding; 1 warnings only; 65 at least one error.\n"
    "  --fail-on error    warnings do not fail (exit 0 unless errors)\n"
    "  --fail-on warning  any finding fails (65)\n"
    "  --fail-on never    report only (0)\n"
    "\n"
    "Thresholds (defaults in --list), from the [check] section of --config FILE\n"
    "and then --set (later wins):\n"
    "  --set jump_ratio=2.5       year-over-year change factor (also --jump-ratio)\n"
    "  --set jump_min=20          totals below this on both sides are not compared\n"
    "  --set max_age_days=400     newest delivery older than this (--max-age-days)\n"
    "  --set unknown_share=0.2    share of unknown values / UNK codes (--unknown-share)\n"
    "  --set unknown_min=20       fewer records than this are not measured\n"
    "  --set RULE.PARAM=V         for one rule only\n"
    "  --set severity.RULE=error|warning|off\n"
    "\n"
    "  --format table|csv|json  table (default) for people; csv: rule,severity,\n"
    "                      service,item,year,subject,message; json: every value\n"
    "  --lang en|fr|nl     language of messages and headings\n"
    "  --only RULE,...     run these rules only\n"
    "  -o FILE             write the results to FILE (atomically)\n"
    "  --list              the rules, their severity and thresholds; no database\n",
};
