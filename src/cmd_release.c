/* cmd_release.c — `ciatteh release list|show|audit`: what each release
 * (release.h) contains and withholds, and the outsider's attack on it.
 * For the admin role only: which figures are small counts is internal. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/cli.h"
#include "ciatteh/release.h"

static int release_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    static const struct option opts[] = {
        {"year", required_argument, NULL, 'y'},
        {"as-of", required_argument, NULL, 'a'},
        {"suppress", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    int c, year = 0, y1, threshold = -1;
    const char *as_of = NULL;
    long long n;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'y':
            if (cia_parse_years(optarg, &year, &y1) || year != y1)
                return cia_cmd_usage_error(e, "release", "--year '%s': expected a year such as 2021", optarg);
            break;
        case 'a': as_of = optarg; break;
        case 's':
            if (cia_parse_uint(optarg, &n) || n > 1000)
                return cia_cmd_usage_error(e, "release", "--suppress '%s': expected a count", optarg);
            threshold = (int)n;
            break;
        default: return cia_cmd_usage_error(e, "release", "unknown option");
        }
    }
    if (optind >= argc) return cia_cmd_usage_error(e, "release", "expected list, show ID or audit");
    const char *what = argv[optind];
    long long id = 0;
    if (optind + 1 < argc && (cia_parse_uint(argv[optind + 1], &id) || !id))
        return cia_cmd_usage_error(e, "release", "'%s': expected a release id", argv[optind + 1]);
    if (optind + 2 < argc) return cia_cmd_usage_error(e, "release", "unexpected '%s'", argv[optind + 2]);
    if (!strcmp(what, "show") && !id) return cia_cmd_usage_error(e, "release", "show needs a release id");
    if (!strcmp(what, "audit") && !id && !year)
        return cia_cmd_usage_error(e, "release", "audit needs a release id or --year");
    if (strcmp(what, "list") && strcmp(what, "show") && strcmp(what, "audit"))
        return cia_cmd_usage_error(e, "release", "'%s': expected list, show or audit", what);
    int rc = cia_check_as_of(as_of, e);
    if (rc) return rc;
    cia_db db;
    if ((rc = cia_db_open(&db, ctx->db, e))) return rc;
    int admin = 0;
    rc = cia_release_is_admin(&db, &admin, e);
    if (!rc && !admin)
        rc = cia_fail(e, CIA_EUNAVAIL, "`ciatteh release` is for the admin role (ciatteh_admin): "
                      "which figures are withheld, and why, is not published");
    if (!rc && !strcmp(what, "list")) rc = cia_release_list(&db, stdout, year, e);
    else if (!rc && !strcmp(what, "show")) rc = cia_release_show(&db, stdout, id, e);
    else if (!rc) {
        cia_release *r = NULL;
        struct cia_release_opts o = {year, as_of, threshold, 0, NULL, NULL, NULL, 0};
        rc = id ? cia_release_load(&db, id, &r, e) : cia_release_make(&db, &o, &r, e);
        if (!rc) rc = cia_sdc_audit(&r->sdc, e);
        if (!rc) rc = cia_release_print_audit(stdout, r, e);
        cia_release_free(r);
    }
    cia_db_close(&db);
    return rc;
}

const struct cia_cmd cia_cmd_release = {
    "release", release_main, "releases: what each one publishes and withholds, and its audit (admin)",
    "usage: ciatteh release list [--year Y]\n"
    "       ciatteh release show ID\n"
    "       ciatteh release audit ID\n"
    "       ciatteh release audit --year Y [--as-of YYYY-MM-DD] [--suppress N]\n"
    "\n"
    "A release is everything sent out for a reference year at one moment: the\n"
    "answers to every questionnaire (eurostat, greta, tip), under one pattern\n"
    "of withheld figures chosen over all of them together.  `ciatteh export`\n"
    "builds it, or reuses the last one when the data have not changed; a new\n"
    "release of a year already published keeps every figure published before\n"
    "and withholds again every figure withheld before.\n"
    "\n"
    "  list        every release: year, threshold, data moment, outputs, counts\n"
    "  show ID     every figure of release ID: published (value) or withheld\n"
    "              (small count or complement) with the interval an outsider\n"
    "              could compute when it was made\n"
    "  audit ID    run the attack again on what release ID publishes: for each\n"
    "              withheld figure the smallest and largest value an integer\n"
    "              program finds (GLPK); exit 65 if any holds fewer than 3\n"
    "  audit --year Y   the same for the release the next export would build\n"
    "\n"
    "Only the admin role (ciatteh_admin, the owner) may run it (exit 69).\n",
};
