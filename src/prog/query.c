/* query.c — ciatteh-query: `ciatteh query` alone, linked (--as-needed)
 * with only what it uses: libpq, and for --release GLPK, libxlsxwriter and
 * json-c, not cairo, pango, qpdf or libxml2.  Scripts run `query` hundreds
 * of times, and on a small virtual machine a process start costs about
 * 40 µs a page fault: ~25 ms with libpq's ~25 libraries, ~70 ms with the
 * 77 of every renderer (BENCHMARKS.md, seventh round). */
#include <stddef.h>
#include "ciatteh/cli.h"

static const struct cia_cmd *const commands[] = {
    &cia_cmd_query,
    NULL,
};

int main(int argc, char **argv)
{
    return cia_cli_main(argc, argv, commands);
}
