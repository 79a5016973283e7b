/* cmd_run.c — `ciatteh run --config FILE`: the unattended run (cron). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "ciatteh/cli.h"
#include "ciatteh/run.h"

static int run_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"no-pack", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    struct cia_run_opts o;
    memset(&o, 0, sizeof o);
    int c;
    while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
        switch (c) {
        case 'c': o.config = optarg; break;
        case 'n': o.no_pack = 1; break;
        default: return cia_cmd_usage_error(e, "run", "unknown option");
        }
    }
    if (optind != argc) return cia_cmd_usage_error(e, "run", "unexpected argument '%s'", argv[optind]);
    if (!o.config) return cia_cmd_usage_error(e, "run", "--config FILE is required");
    o.db = ctx->db;
    return cia_run(&o, e);
}

const struct cia_cmd cia_cmd_run = {
    "run", run_main, "unattended run: load new extracts, check, build the pack",
    "usage: ciatteh run --config FILE [--no-pack]\n"
    "\n"
    "For cron: no prompts, one line per event in the log ([run] log) and on\n"
    "stderr.  Picks up every file in the [incoming] directories (the service\n"
    "by directory, or by [patterns] for an `auto` one), loads each as one\n"
    "delivery and moves it to archive/ once its delivery committed, or to\n"
    "rejected/ with FILE.errors.txt beside it.  A file already loaded (same\n"
    "SHA-256) is archived without loading.  Then runs `check` ([check]) and\n"
    "builds the biennial pack ([pack]).\n"
    "\n"
    "Only one run at a time: a second one exits 75 at once.  Safe to re-run\n"
    "after a crash at any point: nothing is lost, nothing counted twice.\n"
    "\n"
    "Exit status: 0 all went well (check warnings are logged, not failed);\n"
    "65 a file was rejected (or partly) or the checks failed per fail_on;\n"
    "69 database unavailable; 73 an output could not be written; 75 another\n"
    "run holds the lock.  Sample configuration: docs/ciatteh.conf.sample;\n"
    "crontab line and details: docs/UNATTENDED.md.\n"
    "\n"
    "  -c, --config FILE  the configuration\n"
    "  --no-pack          load and check only\n",
};
