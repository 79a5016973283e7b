/* query.c — ciatteh-query: `ciatteh query` alone, linked (--as-needed)
 * with only what it uses: libpq, not cairo, pango, qpdf, libxml2, nor (with
 * `query --release`, which `ciatteh` runs in ciatteh-full) GLPK and
 * libxlsxwriter.  Scripts run `query` hundreds
 * of times, and on a small virtual machine a process start costs about
 * 40 µs a page fault: ~25 ms with libpq's ~25 libraries, ~70 ms with the
 * 77 of every renderer (BENCHMARKS.md, seventh round). */
#include <stddef.h>
#include "ciatteh/cli.h"
#include "ciatteh/programs.h"

#define CMD(n) &cia_cmd_##n,
static const struct cia_cmd *const commands[] = {
    CIA_QUERY_COMMANDS(CMD)
    NULL,
};

int main(int argc, char **argv)
{
    return cia_cli_main(argc, argv, commands, (struct cia_ctx){0});
}
