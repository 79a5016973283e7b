/* sdmx.c — owns the SDMX-CSV rendering of questionnaire answers:
 *
 *   DATAFLOW,freq,<dimensions>,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG
 *
 * one observation per distinct key (a figure shown in two tables of the
 * questionnaire is sent once), in the order the tables give them.  The
 * recipient's rule: OBS_VALUE 0 means known to be none, an empty
 * OBS_VALUE means not known; our flags are mapped with the definition's
 * `sdmx flags` line (u, p, c); a withheld figure has an empty value and
 * the confidentiality flag only. */
#include <stdint.h>
#include <string.h>
#include "ciatteh/map.h"
#include "ciatteh/questionnaire.h"

static void add_flag(char *dst, size_t n, const char *code)
{
    if (!code || !*code) return;
    /* Letters in alphabetical order, each once ("ep", not "pe"). */
    for (const char *c = code; *c; c++) {
        if (strchr(dst, *c)) continue;
        size_t len = strlen(dst);
        if (len + 1 >= n) return;
        size_t i = len;
        while (i > 0 && dst[i - 1] > *c) { dst[i] = dst[i - 1]; i--; }
        dst[i] = *c;
        dst[len + 1] = '\0';
    }
}

int cia_q_write_sdmx(FILE *out, const cia_qanswers *a, cia_err *e)
{
    const cia_qdef *q = a->def;
    if (!q->has_sdmx)
        return cia_fail(e, CIA_EUSAGE, "questionnaire %s has no SDMX mapping (formats: xlsx, csv, text)", q->id);
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, "DATAFLOW");
    for (int i = 0; i < q->nsdmx; i++) cia_buf_printf(&b, ",%s", q->sdmx[i].k);
    cia_buf_adds(&b, ",TIME_PERIOD,OBS_VALUE,OBS_FLAG\n");
    cia_map seen;
    cia_map_init(&seen);
    cia_buf key;
    cia_buf_init(&key);
    for (size_t i = 0; i < a->ncells; i++) {
        const cia_qcell *c = &a->cells[i];
        cia_buf_reset(&key);
        cia_buf_printf(&key, "%d", c->year);
        for (int k = 0; k < q->nsdmx; k++) cia_buf_printf(&key, ",%s", c->key[k]);
        if (cia_map_get(&seen, key.data)) continue;
        cia_map_put(&seen, key.data, (void *)(uintptr_t)1);
        cia_buf_add_csv(&b, q->dataflow, ',');
        for (int k = 0; k < q->nsdmx; k++) {
            cia_buf_addc(&b, ',');
            cia_buf_add_csv(&b, c->key[k], ',');
        }
        cia_buf_printf(&b, ",%d,", c->year);
        char flags[16] = "";
        if (strchr(c->pub_flags, 'c')) {
            add_flag(flags, sizeof flags, q->flag_c);
        } else {
            if (c->item && c->pub_known) cia_buf_printf(&b, "%lld", c->pub_value);
            if (strchr(c->pub_flags, 'u')) add_flag(flags, sizeof flags, q->flag_u);
            if (strchr(c->pub_flags, 'p')) add_flag(flags, sizeof flags, q->flag_p);
        }
        cia_buf_printf(&b, ",%s\n", flags);
    }
    cia_buf_free(&key);
    cia_map_free(&seen);
    int rc = CIA_OK;
    if (fwrite(b.data, 1, b.len, out) != b.len || fflush(out) != 0)
        rc = cia_fail(e, CIA_ECANTCREAT, "cannot write the SDMX-CSV");
    cia_buf_free(&b);
    return rc;
}
