/* full.c — ciatteh-full: every subcommand, linked with every library
 * (renderers, PDF, GLPK...).  `ciatteh` (src/prog/ciatteh.c) runs it for
 * every command but `query`. */
#include <stddef.h>
#include "ciatteh/cli.h"
#include "ciatteh/release.h"

/* The table of subcommands; one file each in src/cmd_*.c. */
static const struct cia_cmd *const commands[] = {
    &cia_cmd_db,
    &cia_cmd_admin,
    &cia_cmd_load,
    &cia_cmd_deliveries,
    &cia_cmd_items,
    &cia_cmd_query,
    &cia_cmd_report,
    &cia_cmd_chart,
    &cia_cmd_export,
    &cia_cmd_answers,
    &cia_cmd_check,
    &cia_cmd_run,
    &cia_cmd_pack,
    &cia_cmd_release,
    &cia_cmd_publish,
    NULL,
};

int main(int argc, char **argv)
{
    return cia_cli_main(argc, argv, commands, (struct cia_ctx){.query_release = cia_release_set_apply_query});
}
