/* fuzz_ingest.c — libFuzzer harness for everything an extract's bytes go
 * through before the database: the reader (etl/read.c: scan, encodings,
 * libcsv, line numbers), header matching, validation and cross-field rules
 * (etl/validate.c), code and country mapping (etl/codes.c, etl/country.c,
 * src/core/text.c), duplicate detection and the messages (etl/load.c, in
 * a dry run, which never touches a database), and the defused CSV text of
 * rejects files (cia_buf_add_csv_text).
 *
 * Input: first byte = the service (modulo the six), the rest = the file.
 * The file goes to a memfd and is read by path (/proc/self/fd/N), exactly
 * as `ciatteh load --dry-run` reads a file.  The code lists come from the
 * same seeds (schema/seed/code.csv, code_alias.csv) the database is filled
 * from, so no server is needed.
 *
 *   make fuzz                        build and run for FUZZ_SECONDS (600)
 *   $B/fuzz/fuzz_ingest -runs=0 tests/fuzz/regress/FILE   replay a crash fixed
 */
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "ciatteh/codes.h"
#include "ciatteh/load.h"
#include "ciatteh/pseudonym.h"
#include "ciatteh/reader.h"
#include "ciatteh/text.h"
#include "ciatteh/util.h"
#include "ciatteh/validate.h"

static const char *const services[] = {"police", "prosecution", "inspectorates",
                                       "shelters", "convictions", "immigration"};
#define NSERVICES 6

static cia_loader *loaders[NSERVICES];
static cia_codes direct;          /* for calling the code mapping directly */
static int memfd = -1;
static char mempath[64];

/* ---- the code lists from the seeds (as cia_codes_load reads them from
 * the tables the seeds fill) ----------------------------------------------- */

struct rows { cia_strv cells; size_t ncols; size_t nrows; size_t col; };

static void on_cell(void *s, size_t n, void *arg)
{
    struct rows *r = arg;
    char *c = cia_xstrndup(s ? s : "", s ? n : 0);
    cia_strv_push(&r->cells, c);
    free(c);
    r->col++;
}

static void on_row(int c, void *arg)
{
    (void)c;
    struct rows *r = arg;
    if (!r->ncols) r->ncols = r->col;
    r->nrows++;
    r->col = 0;
}

static void read_seed(const char *path, struct rows *r)
{
    size_t len;
    const char *data = cia_embedded(path, &len);
    struct csv_parser p;
    memset(r, 0, sizeof *r);
    if (!data || csv_init(&p, CSV_STRICT) != 0) abort();
    csv_parse(&p, data, len, on_cell, on_row, r);
    csv_fini(&p, on_cell, on_row, r);
    csv_free(&p);
}

static const char *cell(const struct rows *r, size_t row, const char *col)
{
    for (size_t c = 0; c < r->ncols; c++)
        if (!strcmp(r->cells.v[c], col)) return r->cells.v[row * r->ncols + c];
    abort();
}

static void put_owned(cia_map *m, const char *key, const char *val)
{
    free(cia_map_get(m, key));
    cia_map_put(m, key, cia_xstrdup(val));
}

static void codes_from_seeds(cia_codes *c)
{
    memset(c, 0, sizeof *c);
    struct rows code, alias;
    read_seed("schema/seed/code.csv", &code);
    read_seed("schema/seed/code_alias.csv", &alias);
    cia_buf key, fold, acc;
    cia_buf_init(&key);
    cia_buf_init(&fold);
    cia_buf_init(&acc);
    static const char *const langs[] = {"en", "fr", "nl"};
    for (size_t i = 1; i < code.nrows; i++) {
        const char *list = cell(&code, i, "list"), *cd = cell(&code, i, "code");
        for (int l = 0; l < 3; l++) {
            char col[16];
            snprintf(col, sizeof col, "label_%s", langs[l]);
            cia_buf_reset(&key);
            cia_buf_printf(&key, "%s\x1f%s\x1f%s", list, cd, langs[l]);
            put_owned(&c->labels, key.data, cell(&code, i, col));
        }
        if (strcmp(cell(&code, i, "input"), "t")) continue;
        const char *spell[4] = {cd, cell(&code, i, "label_en"), cell(&code, i, "label_fr"),
                                cell(&code, i, "label_nl")};
        for (int k = 0; k < 4; k++) {
            cia_fold(&fold, spell[k], strlen(spell[k]));
            cia_buf_reset(&key);
            cia_buf_printf(&key, "%s\x1f%s", list, fold.data);
            put_owned(&c->match, key.data, cd);
        }
        const char *prev = cia_map_get(&c->accepted, list);
        cia_buf_reset(&acc);
        if (prev) cia_buf_printf(&acc, "%s, ", prev);
        cia_buf_printf(&acc, "%s (%s)", cd, spell[1]);
        put_owned(&c->accepted, list, acc.data);
    }
    for (size_t i = 1; i < alias.nrows; i++) {
        const char *a = cell(&alias, i, "alias");
        cia_fold(&fold, a, strlen(a));
        cia_buf_reset(&key);
        cia_buf_printf(&key, "%s\x1f%s", cell(&alias, i, "list"), fold.data);
        put_owned(&c->match, key.data, cell(&alias, i, "code"));
    }
    cia_buf_free(&key);
    cia_buf_free(&fold);
    cia_buf_free(&acc);
    cia_strv_free(&code.cells);
    cia_strv_free(&alias.cells);
}

/* ---- libFuzzer ----------------------------------------------------------- */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* Dates are judged against a fixed day, so a run is repeatable. */
    setenv("CIATTEH_TODAY", "2024-06-30", 1);
    cia_verbosity = 0;
    unsigned char key[CIA_KEY_LEN] = {0};
    for (int i = 0; i < NSERVICES; i++) {
        struct cia_load_opts o = {0};
        o.service = services[i];
        o.dry_run = 1;
        o.max_messages = 20;
        cia_codes c;
        codes_from_seeds(&c);
        cia_err e;
        cia_err_clear(&e);
        if (cia_loader_new_offline(&loaders[i], &o, &c, key, &e)) {
            fprintf(stderr, "fuzz_ingest: %s\n", e.msg);
            abort();
        }
    }
    codes_from_seeds(&direct);
    memfd = memfd_create("extract", 0);
    if (memfd < 0) abort();
    snprintf(mempath, sizeof mempath, "/proc/self/fd/%d", memfd);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int svc = data[0] % NSERVICES;
    data++;
    size--;
    /* The file, as the loader reads it. */
    if (ftruncate(memfd, 0) != 0 || pwrite(memfd, data, size, 0) != (ssize_t)size) abort();
    struct cia_load_result res;
    cia_err e;
    cia_err_clear(&e);
    cia_input in;
    if (cia_input_adopt(&in, dup(memfd), mempath, &e)) abort();
    int rc = cia_load_input(loaders[svc], &in, &res, &e);
    cia_input_close(&in);
    /* Whatever the bytes: a verdict, never another status. */
    if (rc != CIA_OK && rc != CIA_EDATA) {
        fprintf(stderr, "fuzz_ingest: unexpected status %d: %s\n", rc, e.msg);
        abort();
    }
    if (rc == CIA_EDATA && res.nerrors == 0) {
        fprintf(stderr, "fuzz_ingest: rejected without a message\n");
        abort();
    }
    for (size_t i = 0; i < res.messages.n; i++)
        for (const unsigned char *p = (const unsigned char *)res.messages.v[i]; *p; p++)
            if (*p < 0x20 || *p == 0x7F) {
                fprintf(stderr, "fuzz_ingest: a control character in a message\n");
                abort();
            }
    cia_load_result_free(&res);

    /* The pieces on their own, on the raw bytes (up to the first NUL). */
    size_t n = strnlen((const char *)data, size);
    const char *s = (const char *)data;
    static const char *const lists[] = {"district", "offence", "form", "sex", "decision", "yesno",
                                        "inspectorate", "sector", "centre", "referrer", "suspension",
                                        "document", "no such list"};
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
        const char *code = cia_codes_match(&direct, lists[i], s, n);
        if (code && !*code) abort();
    }
    cia_buf b;
    cia_buf_init(&b);
    cia_fold(&b, s, n);
    cia_fold_noaccent(&b, s, n);
    cia_buf_reset(&b);
    cia_cp1252_to_utf8(&b, data, size);
    int inc;
    if (cia_utf8_valid_prefix((const unsigned char *)b.data, b.len, &inc) != b.len) abort();
    int ymd;
    char why[80];
    cia_parse_date(s, n, &ymd, why, sizeof why);
    char *z = cia_xstrndup(s, n);
    cia_buf_reset(&b);
    cia_buf_add_csv_text(&b, z, ',');
    /* Defused: no piece a spreadsheet may take for a cell starts a formula. */
    for (size_t i = 0; i < b.len; i++) {
        int start = i == 0 || strchr(",;\n\r", b.data[i - 1]);
        if (!start) continue;
        size_t k = i;
        while (k < b.len && b.data[k] == '"') k++;
        if (k < b.len && strchr("=@", b.data[k]) && b.data[k]) {
            fprintf(stderr, "fuzz_ingest: a live formula in defused CSV text\n");
            abort();
        }
    }
    free(z);
    cia_buf_free(&b);
    return 0;
}
