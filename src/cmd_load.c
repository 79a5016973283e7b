/* cmd_load.c — placeholder while the module is written. */
#include "ciatteh/cli.h"
static int run(int argc, char **argv, struct cia_ctx *ctx, cia_err *e) { (void)argc; (void)argv; (void)ctx; return cia_fail(e, CIA_EINTERNAL, "not yet"); }
const struct cia_cmd cia_cmd_load = { "load", run, "todo", "usage: ciatteh load" };
