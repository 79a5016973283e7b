/* cmd_export.c — `ciatteh export QUESTIONNAIRE --year Y ...`: answers a
 * questionnaire (reports/data/questionnaires/) and records the export;
 * `ciatteh export --list` lists the questionnaires; `--check-structure
 * FILE` checks a definition's SDMX codes against the recipient's structure
 * (no database). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/cli.h"
#include "ciatteh/questionnaire.h"
#include "ciatteh/release.h"

static int list(cia_err *e)
{
    cia_strv ids = {0};
    cia_qdef_list(&ids);
    int rc = CIA_OK;
    printf("%-10s %-9s %-28s %s\n", "name", "suppress", "formats", "title");
    for (size_t i = 0; i < ids.n; i++) {
        cia_qdef *q;
        cia_err e2;
        if (cia_qdef_load(ids.v[i], &q, &e2)) {
            char buf[4096];
            fprintf(stderr, "ciatteh: %s\n", cia_err_format(&e2, buf, sizeof buf));
            *e = e2;
            rc = e2.code;
            continue;
        }
        printf("%-10s %-9d %-28s %s\n", q->id, q->threshold,
               q->has_sdmx ? "xlsx, csv, sdmx-csv, text" : "xlsx, csv, text", q->title[0]);
        cia_qdef_free(q);
    }
    cia_strv_free(&ids);
    if (rc) e->msg[0] = '\0';   /* already printed */
    return rc;
}

static const char *format_of(const char *path)
{
    size_t n = path ? strlen(path) : 0;
#define ENDS(s) (n >= sizeof(s) - 1 && !strcmp(path + n - (sizeof(s) - 1), s))
    if (ENDS(".xlsx")) return "xlsx";
    if (ENDS(".sdmx.csv")) return "sdmx-csv";
    if (ENDS(".csv")) return "csv";
#undef ENDS
    return "text";
}

static int check_structure(const char *name, const char *xml, cia_err *e)
{
    cia_qdef *q;
    int rc = cia_qdef_load(name, &q, e);
    if (rc) return rc;
    size_t checked = 0;
    rc = cia_qdef_check_structure(q, xml, stderr, &checked, e);
    if (!rc)
        printf("%s: the SDMX lines agree with %s (dataflow %s; %zu codes and components compared)\n", q->path, xml,
               q->dataflow, checked);
    cia_qdef_free(q);
    return rc;
}

static int export_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    static const struct option opts[] = {
        {"year", required_argument, NULL, 'y'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"as-of", required_argument, NULL, 'a'},
        {"suppress", required_argument, NULL, 's'},
        {"lang", required_argument, NULL, 'l'},
        {"list", no_argument, NULL, 'L'},
        {"sdmx", required_argument, NULL, 'S'},
        {"allow-empty", no_argument, NULL, 'E'},
        {"check-structure", required_argument, NULL, 'C'},
        {NULL, 0, NULL, 0},
    };
    struct cia_qopts o = {0, NULL, -1, NULL, 1};
    const char *format = NULL, *path = NULL, *structure = NULL;
    int c, listing = 0, y1 = 0, allow_empty = 0, sdmx_version = 1;
    long long n;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'y':
            if (cia_parse_years(optarg, &o.year, &y1) || o.year != y1)
                return cia_cmd_usage_error(e, "export", "--year '%s': expected a year such as 2021", optarg);
            break;
        case 'f': format = optarg; break;
        case 'o': path = optarg; break;
        case 'a': o.as_of = optarg; break;
        case 's':
            if (cia_parse_uint(optarg, &n) || n > 1000)
                return cia_cmd_usage_error(e, "export", "--suppress '%s': expected a count (0 = none)", optarg);
            o.threshold = (int)n;
            break;
        case 'l':
            if (strcmp(optarg, "en") && strcmp(optarg, "fr") && strcmp(optarg, "nl"))
                return cia_cmd_usage_error(e, "export", "--lang: en, fr or nl");
            o.lang = optarg;
            break;
        case 'L': listing = 1; break;
        case 'S':
            if (strcmp(optarg, "1.0") && strcmp(optarg, "2.0"))
                return cia_cmd_usage_error(e, "export", "--sdmx: 1.0 or 2.0 (the SDMX-CSV version)");
            sdmx_version = optarg[0] - '0';
            if (!format) format = "sdmx-csv";
            break;
        case 'E': allow_empty = 1; break;
        case 'C': structure = optarg; break;
        default: return cia_cmd_usage_error(e, "export", "unknown option");
        }
    }
    if (listing) {
        if (optind != argc) return cia_cmd_usage_error(e, "export", "--list takes no questionnaire");
        return list(e);
    }
    if (argc - optind != 1) return cia_cmd_usage_error(e, "export", "expected one QUESTIONNAIRE (see --list)");
    if (structure) return check_structure(argv[optind], structure, e);
    if (!o.year) return cia_cmd_usage_error(e, "export", "--year is required");
    if (!format) format = format_of(path);
    int rc = cia_check_as_of(o.as_of, e);
    if (rc) return rc;
    cia_qdef *q;
    if ((rc = cia_qdef_load(argv[optind], &q, e))) return rc;
    cia_db db;
    if ((rc = cia_db_open(&db, ctx->db, e))) {
        cia_qdef_free(q);
        return rc;
    }
    cia_qanswers *a = NULL;
    cia_release *rel = NULL;
    int written = path && strcmp(path, "-");
    struct cia_release_opts ro = {o.year, o.as_of, o.threshold, written, q, NULL, NULL, 0};
    rc = cia_q_compute(&db, q, &o, &a, e);
    size_t known = 0;
    for (size_t i = 0; !rc && i < a->ncells; i++) known += a->cells[i].item && a->cells[i].known;
    if (!rc && !known && !allow_empty)
        rc = cia_fail(e, CIA_EDATA, "%s %d: no figure of the answers is known (no delivery covers "
                      "the years it asks for%s); --allow-empty answers anyway", q->id, o.year,
                      o.as_of ? " at that as-of date" : "");
    if (!rc) rc = cia_release_make(&db, &ro, &rel, e);
    if (!rc) rc = cia_release_apply(rel, a, e);
    if (!rc) rc = cia_release_audit(rel, e);
    if (!rc) a->sdmx_version = sdmx_version;
    if (!rc) rc = cia_q_export(&db, a, format, path, e);
    if (!rc && written)
        cia_info("%s %d: answer set #%lld recorded (%zu cells, %zu withheld for confidentiality; "
                 "release #%lld%s), written to %s", q->id, o.year, a->set_id, a->ncells,
                 a->n_primary + a->n_secondary, rel->id, rel->reused ? ", as before" : "", path);
    cia_qanswers_free(a);
    cia_release_free(rel);
    cia_db_close(&db);
    cia_qdef_free(q);
    return rc;
}

const struct cia_cmd cia_cmd_export = {
    "export", export_main, "answer a questionnaire (Eurostat, GRETA, US TIP), recorded",
    "usage: ciatteh export QUESTIONNAIRE --year Y [--format xlsx|csv|sdmx-csv|text]\n"
    "                      [-o FILE] [--as-of YYYY-MM-DD] [--suppress N] [--lang en|fr|nl]\n"
    "                      [--sdmx 1.0|2.0]\n"
    "                      [--allow-empty]\n"
    "       ciatteh export QUESTIONNAIRE --check-structure STRUCTURE.xml\n"
    "       ciatteh export --list\n"
    "\n"
    "Answers QUESTIONNAIRE (eurostat, greta, tip, ...; or a definition file\n"
    "FILE.q) for reference year Y from the standard items.  Every export of\n"
    "a year belongs to one release (see `ciatteh release`): counts of persons\n"
    "from 1 to N are withheld (flag c, no value), and enough other figures,\n"
    "chosen over all questionnaires together, that an outsider holding every\n"
    "published figure cannot narrow a withheld one to fewer than 3 values.\n"
    "Before anything is written that attack is run; if it succeeds nothing is\n"
    "written.  A figure not known is never 0: empty (SDMX-CSV, CSV) or n.k.\n"
    "(XLSX, text).  Only a written file (-o) records the answer set and the\n"
    "release; answers without one known figure (no delivery covers the years\n"
    "they ask for) are refused (exit 65) unless --allow-empty.\n"
    "\n"
    "  --format F    xlsx (needs -o), csv, sdmx-csv, text; default from the\n"
    "                -o extension (.xlsx, .sdmx.csv, .csv), else text\n"
    "  -o FILE       write to FILE (atomically); text and CSV default to stdout\n"
    "  --as-of DATE  the data as they stood at the end of that day (Brussels):\n"
    "                re-exporting with a recorded as-of gives the same figures\n"
    "  --suppress N  withhold counts of persons from 1 to N (default 3; a\n"
    "                release of another threshold is another release)\n"
    "  --lang L      tables and notes in en, fr or nl (default: the\n"
    "                questionnaire's); the TIP draft stays in English\n"
    "  --sdmx V      SDMX-CSV 1.0 (DATAFLOW column, the default) or 2.0\n"
    "                (STRUCTURE, STRUCTURE_ID, ACTION); implies --format sdmx-csv\n"
    "  --allow-empty answer even when no figure is known\n"
    "  --list        the questionnaires, their formats and thresholds\n"
    "  --check-structure STRUCTURE.xml\n"
    "                check the definition's SDMX dataflow, columns and codes\n"
    "                against the recipient's SDMX-ML 2.1 structure message\n"
    "                (dataflow with its data structure and code lists, as sent\n"
    "                with a data collection round); each disagreement is\n"
    "                named at the definition's line and column (exit 65);\n"
    "                needs no database\n",
};
