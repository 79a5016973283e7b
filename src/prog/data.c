/* data.c — ciatteh-data: the commands that work on the store and the
 * extracts alone (include/ciatteh/programs.h: db, admin, load, deliveries,
 * items), linked (--as-needed) with what they call: libpq, libcsv,
 * libcrypto and json-c, not cairo, pango, qpdf, libxml2, GLPK or
 * libxlsxwriter.  The unattended run loads through ciatteh-full's `run`;
 * an analyst's or a script's `ciatteh load` starts here. */
#include <stddef.h>
#include "ciatteh/cli.h"
#include "ciatteh/programs.h"

#define CMD(n) &cia_cmd_##n,
static const struct cia_cmd *const commands[] = {
    CIA_DATA_COMMANDS(CMD)
    NULL,
};

int main(int argc, char **argv)
{
    return cia_cli_main(argc, argv, commands, (struct cia_ctx){0});
}
