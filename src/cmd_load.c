/* cmd_load.c — `ciatteh load SERVICE FILE...`: one delivery per file. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ciatteh/cli.h"
#include "ciatteh/load.h"
#include "ciatteh/spec.h"

static int load_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    struct cia_load_opts o = {0};
    static const struct option opts[] = {
        {"dry-run", no_argument, NULL, 'n'},
        {"keep-going", no_argument, NULL, 'k'},
        {"rejects", required_argument, NULL, 'r'},
        {"loaded-at", required_argument, NULL, 'a'},
        {"max-errors", required_argument, NULL, 'm'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "nkr:", opts, NULL)) != -1) {
        switch (c) {
        case 'n': o.dry_run = 1; break;
        case 'k': o.keep_going = 1; break;
        case 'r': o.rejects = optarg; break;
        case 'a': o.loaded_at = optarg; break;
        case 'm': o.max_messages = atoi(optarg); break;
        default: return cia_cmd_usage_error(e, "load", "unknown option");
        }
    }
    if (argc - optind < 2) return cia_cmd_usage_error(e, "load", "expected SERVICE and at least one FILE");
    if (o.rejects && argc - optind > 2)
        return cia_cmd_usage_error(e, "load", "--rejects names one file: load one extract at a time");
    o.service = argv[optind];
    o.progress = isatty(2) && cia_verbosity > 0;
    cia_db db;
    int rc = cia_db_open(&db, ctx->db, e);
    if (rc) return rc;
    cia_loader *l;
    if ((rc = cia_loader_new(&l, &db, &o, e))) { cia_db_close(&db); return rc; }
    int worst = CIA_OK;
    for (int i = optind + 1; i < argc; i++) {
        struct cia_load_result res;
        cia_err fe;
        cia_err_clear(&fe);
        rc = cia_load_file(l, argv[i], &res, &fe);
        char name[1024], rej[1024];   /* the names as printed: control characters escaped */
        cia_printable(name, sizeof name, argv[i]);
        cia_printable(rej, sizeof rej, res.rejects_path);
        for (size_t k = 0; k < res.notices.n; k++) cia_info("%s", res.notices.v[k]);
        for (size_t k = 0; k < res.messages.n; k++) fprintf(stderr, "%s\n", res.messages.v[k]);
        if (res.nerrors > (long)res.messages.n)
            fprintf(stderr, "%s: ... and %ld more problems not listed\n", name, res.nerrors - (long)res.messages.n);
        if (rc == CIA_OK && !res.identical) {
            if (o.dry_run)
                printf("%s: %s: valid, %lld records, years %s, %s\n", o.service, name, res.rows, res.years,
                       res.encoding);
            else {
                printf("%s: %lld records loaded from %s as delivery #%lld, years %s", o.service, res.rows,
                       name, res.delivery_id, res.years);
                if (res.rejected) printf(", %lld rejected (see %s), partial", res.rejected, rej);
                printf(", %s%s, %.2f s\n", res.replaced[0] ? "replaces " : "replaces nothing",
                       res.replaced, res.seconds);
            }
        } else if (rc == CIA_OK) {
            printf("%s: %s already loaded as delivery #%lld: nothing changed\n", o.service, name,
                   res.delivery_id);
        } else if (rc == CIA_EDATA && res.nerrors == 0) {
            char buf[4096];
            fprintf(stderr, "ciatteh: %s: rejected by the database, nothing was loaded: %s\n", name,
                    cia_err_format(&fe, buf, sizeof buf));
        } else if (rc == CIA_EDATA) {
            fprintf(stderr, "ciatteh: %s: rejected, %ld problem%s: nothing %s\n", name, res.nerrors,
                    res.nerrors == 1 ? "" : "s", o.dry_run ? "would be loaded" : "was loaded");
        } else {
            char buf[4096];
            fprintf(stderr, "ciatteh: %s\n", cia_err_format(&fe, buf, sizeof buf));
        }
        if (rc > worst) worst = rc;
        cia_load_result_free(&res);
    }
    cia_loader_free(l);
    cia_db_close(&db);
    cia_err_clear(e);
    return worst;
}

const struct cia_cmd cia_cmd_load = {
    "load", load_main, "load service extracts (validated, versioned)",
    "usage: ciatteh load [--dry-run] [--keep-going [--rejects FILE]] [--loaded-at TIME]\n"
    "                    SERVICE FILE...\n"
    "\n"
    "Loads each FILE as one delivery of SERVICE (police, prosecution,\n"
    "inspectorates, shelters, convictions, immigration) and derives its items.\n"
    "A delivery replaces the service's records for the years it holds (for\n"
    "shelters: per centre) and leaves other years alone; older deliveries are\n"
    "kept as history.  The same file twice changes nothing.\n"
    "\n"
    "By default a file with any problem is rejected whole: every problem is\n"
    "listed as file:line:column: message, nothing is loaded, exit 65.\n"
    "\n"
    "  -n, --dry-run       validate and report, load nothing\n"
    "  -k, --keep-going    load the valid records; write the others (line,\n"
    "                      reason, original text) to the rejects file and mark\n"
    "                      the delivery partial\n"
    "  -r, --rejects FILE  rejects file (default: FILE.rejects.csv here)\n"
    "  --loaded-at TIME    record the delivery as loaded at TIME (back-filling\n"
    "                      history); default now\n"
    "  --max-errors N      list at most N problems (default 50; all are counted)\n",
};
