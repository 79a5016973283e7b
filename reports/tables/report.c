/* report.c — owns the report builder: one piece of code that turns any
 * report definition (struct cia_rd, parsed by report_def.c) into the
 * neutral table model, reading figures only through cia_query_run().
 *
 * What it adds to the figures, and why:
 *  - nothing about a cell's state: the figure layer (query.h, figures()
 *    in schema/0009) gives every year asked its state, and a code the
 *    layer leaves out takes its year's (0 when delivered, else not
 *    delivered or incomplete; provisional like the year);
 *  - shares and changes are computed here from the figures, carrying the
 *    flags of what they were computed from; a share of 0 or a change in %
 *    from 0 has no figure at all (an empty cell, explained in a note);
 *  - labels come from the catalogue (items, dimensions, codes, services),
 *    from iso-codes for nationalities and from reports/render/words.c for
 *    the rest; nothing here chooses words by language;
 *  - provenance lists the deliveries current at the as-of moment for the
 *    services the report reads, with the data's own load times only;
 *  - every number cell is traced to the `ciatteh query` that gives it
 *    (cia_report_write_trace), so an analyst or a test can check it.
 *
 * This file is the report as a whole; the builder's other files are
 * listed in report_int.h. */
#include <stdlib.h>
#include <string.h>
#include "report_int.h"

/* ---- the report ------------------------------------------------------- */

static void rb_ctx_free(struct rb_ctx *c)
{
    cia_catalogue_free(c->cat);
    free(c->item_used);
    free(c->svc_used);
    cia_strv_free(&c->covered);
    cia_strv_free(&c->scopes);
    if (c->countries) cia_countries_free(c->countries);
    for (size_t i = 0; i < c->nqc; i++) {
        cia_qresult_free(&c->qc[i]->res);
        free(c->qc[i]->key);
        for (int k = 0; k < c->qc[i]->nowned; k++) free(c->qc[i]->owned[k]);
        free(c->qc[i]);
    }
    free(c->qc);
}

void cia_report_build_free(cia_report_build *b)
{
    if (!b) return;
    cia_report_free(b->report);
    for (size_t i = 0; i < b->ntrace; i++) {
        free(b->trace[i].item); free(b->trace[i].by); free(b->trace[i].code);
        free(b->trace[i].where); free(b->trace[i].refs);
    }
    free(b->trace);
    memset(b, 0, sizeof *b);
}

#define MAX_YEARS 60

static int make_one(cia_db *db, const struct cia_rd *def, const struct cia_report_req *req,
                    cia_report_build *out, cia_err *e);

/* --offence both: the trafficking report, then the smuggling one's tables
 * after it (ids suffixed _smug), side by side and never summed. */
int cia_report_make(cia_db *db, const struct cia_rd *def, const struct cia_report_req *req,
                    cia_report_build *out, cia_err *e)
{
    if (!req->offence || strcmp(req->offence, "both")) return make_one(db, def, req, out, e);
    struct cia_report_req r1 = *req, r2 = *req;
    r1.offence = "THB";
    r2.offence = "SMUG";
    cia_report_build smug;
    int rc = make_one(db, def, &r1, out, e);
    if (rc) return rc;
    if ((rc = make_one(db, def, &r2, &smug, e))) {
        cia_report_build_free(out);
        return rc;
    }
    size_t base = out->report->ntables;
    for (size_t t = 0; t < smug.report->ntables; t++) {
        cia_table *tb = smug.report->tables[t];
        cia_table_set_sheet_smug(tb, def->id, req->lang);
        char *id = cia_xasprintf("%s_smug", tb->id);
        free(tb->id);
        tb->id = id;
        cia_report_add_table(out->report, tb);
    }
    smug.report->ntables = 0;
    out->trace = cia_grow(out->trace, &out->trace_cap, out->ntrace + smug.ntrace + 1, sizeof *out->trace);
    for (size_t i = 0; i < smug.ntrace; i++) {
        out->trace[out->ntrace] = smug.trace[i];
        out->trace[out->ntrace++].table += base;
    }
    smug.ntrace = 0;
    cia_report_build_free(&smug);
    return CIA_OK;
}

/* What a request may ask of a definition. */
static int check_request(const struct cia_rd *def, const struct cia_report_req *req, cia_err *e)
{
    if (req->year_from < 1995 || req->year_to < req->year_from || req->year_to > 9999 ||
        req->year_to - req->year_from >= MAX_YEARS)
        return cia_fail(e, CIA_EUSAGE, "--years %d-%d: expected A-B with 1995 <= A <= B, at most %d years",
                        req->year_from, req->year_to, MAX_YEARS);
    int rc = cia_check_as_of(req->as_of, e);
    if (rc) return rc;
    /* --items/--by/--where shape `row all` lines only. */
    int takes_req = 0;
    for (size_t t = 0; t < def->ntables; t++)
        for (size_t i = 0; i < def->tables[t].nlines; i++) takes_req |= def->tables[t].lines[i].all;
    if (!takes_req && (req->nitems || req->by || req->nwhere)) {
        return cia_fail(e, CIA_EUSAGE, "report %s has a fixed content: --items, --by and --where apply "
                        "to `report yoy`", def->id);
    }
    const char *offence = req->offence && *req->offence ? req->offence : "THB";
    if (strcmp(offence, "THB") && strcmp(offence, "SMUG"))
        return cia_fail(e, CIA_EUSAGE, "--offence %s: expected THB, SMUG or both", offence);
    return CIA_OK;
}

/* Items without an offence dimension (shelters, inspectorates) count
 * trafficking only: a smuggling report cannot show them, and a definition
 * built around them has nothing to show. */
static int check_smuggling(struct rb_ctx *c, const struct cia_rd *def)
{
    int any = 0;
    for (size_t t = 0; t < def->ntables; t++)
        for (size_t i = 0; i < def->tables[t].nlines; i++) {
            const struct cia_rd_line *l = &def->tables[t].lines[i];
            const cia_cat_item *it = l->item ? rb_item(c, l->item) : NULL;
            for (int w = 0; it && w < l->nwhere; w++)
                if (!strcmp(l->where[w].dim, "offence")) it = NULL;
            if (l->all || (it && cia_cat_item_has_dim(it, "offence"))) any = 1;
            else if (it) { any = -1; break; }
        }
    if (any == 1) return CIA_OK;
    return cia_fail(c->e, CIA_EUSAGE, "report %s counts trafficking only; --offence SMUG applies to "
                    "yoy and sentences", def->id);
}

/* The report's tables, each built by its layout, then finished. */
static int build_tables(struct rb_ctx *c, const struct cia_rd *def)
{
    int rc = CIA_OK;
    for (size_t t = 0; t < def->ntables && rc == CIA_OK; t++) {
        struct rb_table b;
        memset(&b, 0, sizeof b);
        b.c = c;
        b.def = &def->tables[t];
        b.tindex = t;
        rc = b.def->layout == CIA_RD_CROSS ? rb_build_cross(&b) : rb_build_years(&b);
        if (rc == CIA_OK) {
            rb_finish_table(&b);
            cia_report_add_table(c->out->report, b.t);
        } else {
            cia_table_free(b.t);
        }
        free(b.rv);
        cia_strv_free(&b.row_ids);
    }
    return rc;
}

static int make_one(cia_db *db, const struct cia_rd *def, const struct cia_report_req *req,
                    cia_report_build *out, cia_err *e)
{
    memset(out, 0, sizeof *out);
    int rc = check_request(def, req, e);
    if (rc) return rc;
    struct rb_ctx c;
    memset(&c, 0, sizeof c);
    c.db = db;
    c.req = req;
    c.lang = req->lang && *req->lang ? req->lang : "en";
    c.e = e;
    c.y0 = req->year_from;
    c.y1 = req->year_to;
    c.ny = c.y1 - c.y0 + 1;
    c.out = out;
    c.offence = req->offence && *req->offence ? req->offence : "THB";
    if (!strcmp(c.offence, "SMUG")) c.offence_w = (struct cia_rd_where){ (char *)"offence", (char *)"SMUG" };
    if ((rc = rb_load_catalogue(&c)) || (!strcmp(c.offence, "SMUG") && (rc = check_smuggling(&c, def))))
        goto done;
    char *yt = rb_years_text(c.y0, c.y1);
    char *title = cia_xasprintf("%s" MIDDOT "%s, %s", cia_word(def->title, c.lang),
                                cia_word(!strcmp(c.offence, "SMUG") ? "off_SMUG" : "off_THB", c.lang), yt);
    free(yt);
    out->report = cia_report_new(def->id, title, c.lang, req->as_of);
    free(title);
    rc = build_tables(&c, def);
    if (rc == CIA_OK) rc = rb_add_provenance(&c, out->report);
    if (rc == CIA_OK) rb_add_definitions(&c, out->report);
    if (rc == CIA_OK) cia_report_typeset(out->report);
done:
    rb_ctx_free(&c);
    if (rc) cia_report_build_free(out);
    return rc;
}

/* ---- the trace -------------------------------------------------------- */

int cia_report_write_trace(FILE *fp, const cia_report_build *b, cia_err *e)
{
    cia_buf o;
    cia_buf_init(&o);
    cia_buf_adds(&o, "table,row,col,row_key,col_key,kind,item,year,by,code,where,refs,value,flags,unknown\n");
    for (size_t i = 0; i < b->ntrace; i++) {
        const struct cia_report_trace *tr = &b->trace[i];
        const cia_table *t = b->report->tables[tr->table];
        const cia_cell *cell = cia_table_cell_c(t, tr->row, tr->col);
        cia_buf_add_csv(&o, t->id, ',');
        cia_buf_printf(&o, ",%zu,%zu,", tr->row, tr->col);
        cia_buf_add_csv(&o, t->row_keys[tr->row], ',');
        cia_buf_addc(&o, ',');
        cia_buf_add_csv(&o, t->col_keys[tr->col], ',');
        cia_buf_printf(&o, ",%s,", tr->kind);
        cia_buf_add_csv(&o, tr->item, ',');
        if (tr->year) cia_buf_printf(&o, ",%d,", tr->year);
        else cia_buf_adds(&o, ",,");
        cia_buf_add_csv(&o, tr->by, ',');
        cia_buf_addc(&o, ',');
        cia_buf_add_csv(&o, tr->code, ',');
        cia_buf_addc(&o, ',');
        cia_buf_add_csv(&o, tr->where, ',');
        cia_buf_addc(&o, ',');
        cia_buf_add_csv(&o, tr->refs, ',');
        if (cell && cell->known) cia_buf_printf(&o, ",%.10g,", cell->value);
        else cia_buf_adds(&o, ",,");
        cia_buf_adds(&o, cell ? cell->flags : "");
        cia_buf_printf(&o, ",%lld\n", cell ? cell->n_unknown : 0);
    }
    int rc = CIA_OK;
    if (fwrite(o.data, 1, o.len, fp) != o.len || fflush(fp) != 0)
        rc = cia_fail(e, CIA_ECANTCREAT, "cannot write the trace");
    cia_buf_free(&o);
    return rc;
}
