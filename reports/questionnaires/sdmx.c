/* sdmx.c — owns the SDMX-CSV rendering of questionnaire answers, as the
 * sdmx-twg field guides define the two versions:
 *
 *   1.0  DATAFLOW,<dimensions>,TIME_PERIOD,OBS_VALUE,<attributes>
 *   2.0  STRUCTURE,STRUCTURE_ID,ACTION,<dimensions>,TIME_PERIOD,OBS_VALUE,<attributes>
 *        with "dataflow", the dataflow reference and I (information) on
 *        every row;
 *
 * RFC 4180 records: comma-separated, CRLF line ends, fields quoted only
 * when they hold a comma, a quote or a line break.  Everything specific to
 * the recipient is the definition's (`sdmx ...` lines): the dataflow, the
 * dimension columns and their code lists, the attribute columns and the
 * codes our states map to.
 *
 * One observation per distinct key (a figure shown in two tables is sent
 * once), in the order the tables give them.  OBS_VALUE 0 means known to be
 * none; an empty OBS_VALUE means no figure, and the status attribute
 * says why (not delivered, not collected by these sources, withheld).
 * Confidentiality is its own attribute: a withheld figure keeps its
 * provisional status. */
#include <stdint.h>
#include <string.h>
#include "ciatteh/disclosure.h"
#include "ciatteh/map.h"
#include "ciatteh/questionnaire.h"

/* The status code of an observation: the first of the definition's
 * `sdmx status` states that applies to it. */
static const char *obs_status(const cia_qdef *q, const cia_qcell *c)
{
    for (int i = 0; i < q->nstatus; i++) {
        char s = q->status_map[i].k[0];
        int applies = s == 'p' ? strchr(c->pub_flags, 'p') != NULL
                    : s == 'u' ? strchr(c->pub_flags, 'u') != NULL && c->item && c->known
                    : s == 'n' ? c->item && !c->known
                    : s == 'x' ? !c->item
                    : s == 'd' ? c->defdiff == 'd' && c->item : 0;
        if (applies) return q->status_map[i].v;
    }
    return "";
}

static const char *conf_status(const cia_qdef *q, const cia_qcell *c)
{
    if (c->sdc == CIA_SDC_PRIMARY) return q->conf_primary;
    if (c->sdc == CIA_SDC_SECONDARY) return q->conf_secondary;
    return q->conf_free ? q->conf_free : "";
}

int cia_q_write_sdmx(FILE *out, const cia_qanswers *a, int version, cia_err *e)
{
    const cia_qdef *q = a->def;
    if (!q->has_sdmx)
        return cia_fail(e, CIA_EUSAGE, "questionnaire %s has no SDMX mapping (formats: xlsx, csv, text)", q->id);
    if (version != 1 && version != 2) return cia_fail(e, CIA_EUSAGE, "SDMX-CSV version 1.0 or 2.0");
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, version == 2 ? "STRUCTURE,STRUCTURE_ID,ACTION" : "DATAFLOW");
    for (int i = 0; i < q->nsdmx; i++) cia_buf_printf(&b, ",%s", q->sdmx[i].k);
    cia_buf_adds(&b, ",TIME_PERIOD,OBS_VALUE");
    const char *att[3] = {q->att_status, q->att_conf, q->att_comment};
    for (int i = 0; i < 3; i++)
        if (att[i]) cia_buf_printf(&b, ",%s", att[i]);
    cia_buf_adds(&b, "\r\n");
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
        if (version == 2) cia_buf_adds(&b, "dataflow,");
        cia_buf_add_csv(&b, q->dataflow, ',');
        if (version == 2) cia_buf_adds(&b, ",I");
        for (int k = 0; k < q->nsdmx; k++) {
            cia_buf_addc(&b, ',');
            cia_buf_add_csv(&b, c->key[k], ',');
        }
        cia_buf_printf(&b, ",%d,", c->year);
        if (c->item && c->pub_known && !strchr(c->pub_flags, 'c')) cia_buf_printf(&b, "%lld", c->pub_value);
        if (q->att_status) {
            cia_buf_addc(&b, ',');
            cia_buf_add_csv(&b, obs_status(q, c), ',');
        }
        if (q->att_conf) {
            cia_buf_addc(&b, ',');
            /* no figure (not collected, not delivered): nothing to keep confidential */
            int figure = c->item && (c->known || c->sdc != CIA_SDC_SHOWN);
            cia_buf_add_csv(&b, figure ? conf_status(q, c) : "", ',');
        }
        if (q->att_comment) {
            cia_buf_addc(&b, ',');
            cia_buf_add_csv(&b, c->comment ? c->comment : "", ',');
        }
        cia_buf_adds(&b, "\r\n");
    }
    cia_buf_free(&key);
    cia_map_free(&seen);
    int rc = CIA_OK;
    if (fwrite(b.data, 1, b.len, out) != b.len || fflush(out) != 0)
        rc = cia_fail(e, CIA_ECANTCREAT, "cannot write the SDMX-CSV");
    cia_buf_free(&b);
    return rc;
}
