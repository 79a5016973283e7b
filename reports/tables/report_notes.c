/* report_notes.c — what the report builder writes around the figures
 * (report_int.h): a table's notes (provisional years, derived lower
 * bounds, shares and changes that cannot exist, centres that sent
 * nothing, the definition's own), headings and subtitle; the report's
 * provenance (the deliveries current at the as-of moment) and
 * definitions (the items used, the states shown). */
#include <stdlib.h>
#include <string.h>
#include "report_int.h"

/* ---- notes and headings ---------------------------------------------- */

static void year_list(cia_buf *b, const char *flags, int y0, int n)
{
    /* "2019, 2021–2023" */
    int first = 1;
    for (int i = 0; i < n; i++) {
        if (!flags[i]) continue;
        int j = i;
        while (j + 1 < n && flags[j + 1]) j++;
        cia_buf_printf(b, "%s%d", first ? "" : ", ", y0 + i);
        if (j > i) cia_buf_printf(b, "%s%d", j == i + 1 ? ", " : ENDASH, y0 + j);
        first = 0;
        i = j;
    }
}

static void add_note_words(cia_table *t, const char *lang, const char *key, const char *tail)
{
    char *n = tail ? cia_xasprintf("%s%s%s", cia_word(key, lang), cia_word("colon", lang), tail)
                   : cia_xstrdup(cia_word(key, lang));
    cia_table_add_note(t, n);
    free(n);
}

/* A year column whose every figure is provisional says so in its
 * heading, as printed tables do; the marks stay on the figures. */
static void provisional_heads(struct rb_table *b)
{
    struct rb_ctx *c = b->c;
    cia_table *t = b->t;
    for (int y = c->y0; y <= c->y1; y++) {
        size_t col = b->nhead + (size_t)(y - c->y0);
        int all = t->nrows > 0;
        for (size_t r = 0; r < t->nrows && all; r++) {
            const cia_cell *cell = cia_table_cell_c(t, r, col);
            if (cell->type != CIA_CELL_NONE && !cia_cell_has_flag(cell, 'p')) all = 0;
        }
        if (all && b->prov[y - c->y0]) {
            char *h = cia_xasprintf("%d (p)", y);
            char *k = cia_xstrdup(t->col_keys[col]);   /* set_col frees the old key first */
            cia_table_set_col(t, col, k, h);
            free(k);
            free(h);
        }
    }
}

/* Which states the report shows, for its definitions. */
static void note_states(struct rb_ctx *c, const cia_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++) {
        const cia_cell *cell = &t->cells[i];
        switch (cia_cell_state(cell)) {
        case CIA_ST_NOT_KNOWN: c->any_nk = 1; break;
        case CIA_ST_NOT_DELIVERED: c->any_nd = 1; break;
        case CIA_ST_INCOMPLETE: c->any_inc = 1; break;
        default: break;
        }
    }
}

/* "2023: no data from Pag-Asa, Surya.": the scopes of year y (the
 * shelters' centres, codes of d's list) that sent nothing for a year the
 * service covers, whose figures are then those of the others. */
static void scope_note_year(struct rb_table *b, const char *svc, const cia_cat_dim *d, int y)
{
    struct rb_ctx *c = b->c;
    const char *lang = c->lang;
    cia_buf miss;
    cia_buf_init(&miss);
    for (size_t k = 0; k < c->cat->ncodes; k++) {
        const cia_cat_code *ck = &c->cat->codes[k];
        if (strcmp(ck->list, d->list) || !strcmp(ck->code, "UNK")) continue;
        char *key = cia_xasprintf("%s|%s|%d", svc, ck->code, y);
        if (cia_strv_find(&c->scopes, key) < 0)
            cia_buf_printf(&miss, "%s%s", miss.len ? ", " : "", ck->label[c->li]);
        free(key);
    }
    if (miss.len) {
        char *n = cia_xasprintf("%d%s%s %s%s", y, cia_word("colon", lang), cia_word("scope_missing", lang),
                                miss.data, cia_word("scope_missing_after", lang));
        cia_table_add_note(b->t, n);
        free(n);
    }
    cia_buf_free(&miss);
}

/* scope_note SERVICE:DIM, only when the table shows an item of that
 * service. */
static void scope_notes(struct rb_table *b)
{
    struct rb_ctx *c = b->c;
    char *svc = cia_xstrdup(b->def->scope_note);
    char *dim = strchr(svc, ':');
    *dim++ = '\0';
    const cia_cat_dim *d = rb_dim(c, dim);
    int shows = 0;
    for (size_t i = 0; i < c->out->ntrace && !shows; i++) {
        const struct cia_report_trace *tr = &c->out->trace[i];
        const cia_cat_item *it = tr->table == b->tindex && *tr->item ? rb_item(c, tr->item) : NULL;
        shows = it && !strcmp(it->service, svc);
    }
    if (!shows) d = NULL;
    for (int y = c->y0; y <= c->y1 && d; y++)
        if (rb_covered(c, svc, y)) scope_note_year(b, svc, d, y);
    free(svc);
}

/* Subtitle: the years, the definition's own, the offence, the request's
 * filters (on tables that take them). */
static void subtitle(struct rb_table *b)
{
    struct rb_ctx *c = b->c;
    const char *lang = c->lang;
    cia_buf sub;
    cia_buf_init(&sub);
    char *yt = rb_years_text(c->y0, c->y1);
    cia_buf_adds(&sub, yt);
    free(yt);
    if (b->def->subtitle) cia_buf_printf(&sub, MIDDOT "%s", cia_word(b->def->subtitle, lang));
    cia_buf_printf(&sub, MIDDOT "%s", cia_word(!strcmp(c->offence, "SMUG") ? "off_SMUG" : "off_THB", lang));
    int takes_req = 0;
    for (size_t i = 0; i < b->def->nlines; i++) takes_req |= b->def->lines[i].all;
    for (int i = 0; takes_req && i < c->req->nwhere; i++) {
        struct cia_rd_where w = { (char *)c->req->where_dim[i], (char *)c->req->where_codes[i] };
        char *wl = rb_where_label(c, &w);
        cia_buf_printf(&sub, MIDDOT "%s%s%s", rb_dim_label(c, w.dim), cia_word("colon", lang), wl);
        free(wl);
    }
    cia_table_set_subtitle(b->t, sub.data);
    cia_buf_free(&sub);
}

void rb_finish_table(struct rb_table *b)
{
    struct rb_ctx *c = b->c;
    cia_table *t = b->t;
    const char *lang = c->lang;
    if (b->def->layout == CIA_RD_YEARS) provisional_heads(b);
    note_states(c, t);
    cia_buf yrs;
    cia_buf_init(&yrs);
    year_list(&yrs, b->prov, c->y0, c->ny);
    if (yrs.len) add_note_words(t, lang, "note_provisional", yrs.data);
    cia_buf_free(&yrs);
    if (b->any_u_derived) add_note_words(t, lang, "note_derived_u", NULL);
    if (b->any_pct_undefined) add_note_words(t, lang, "note_pct_undefined", NULL);
    if (b->any_share_undefined) add_note_words(t, lang, "note_share_undefined", NULL);
    if (b->def->scope_note) scope_notes(b);
    for (size_t i = 0; i < b->def->nnotes; i++) add_note_words(t, lang, b->def->notes[i], NULL);
    subtitle(b);
}

/* ---- provenance and definitions -------------------------------------- */

/* "2016–2019, 2021" from "2016,2017,2018,2019,2021". */
static void used_years(cia_buf *yl, const char *csv)
{
    cia_strv ys = {0};
    cia_strv_split(&ys, csv, ',');
    int lo = 9999, hi = 0;
    for (size_t k = 0; k < ys.n; k++) {
        int y = atoi(ys.v[k]);
        if (y < lo) lo = y;
        if (y > hi) hi = y;
    }
    char flags[512] = { 0 };
    if (hi - lo < (int)sizeof flags)
        for (size_t k = 0; k < ys.n; k++) flags[atoi(ys.v[k]) - lo] = 1;
    cia_strv_free(&ys);
    if (hi >= lo && hi - lo < (int)sizeof flags) year_list(yl, flags, lo, hi - lo + 1);
}

char *cia_years_text(const char *years_csv)
{
    cia_buf yl;
    cia_buf_init(&yl);
    cia_buf_adds(&yl, "");
    used_years(&yl, years_csv);
    return cia_buf_steal(&yl);
}

char *cia_delivery_source(const char *lang, const char *service, const char *file, const char *id,
                          const char *sha, const char *loaded, const char *years_csv)
{
    cia_buf yl;
    cia_buf_init(&yl);
    used_years(&yl, years_csv);
    char when[96];                      /* the day in words, as everywhere else on the page */
    cia_format_moment(lang, loaded, when, sizeof when);
    char *line = cia_xasprintf("%s " "\xe2\x80\x94" " %s (%s #%s, SHA-256 %.12s, %s %s; %s %s)",
                               service, file, cia_word("delivery", lang), id, sha, cia_word("loaded", lang),
                               when, cia_word("years_used", lang), yl.data ? yl.data : "");
    cia_buf_free(&yl);
    return line;
}

int rb_add_provenance(struct rb_ctx *c, cia_report *r)
{
    cia_buf svcs, items;
    cia_buf_init(&svcs);
    cia_buf_init(&items);
    cia_buf_addc(&svcs, '{');
    cia_buf_addc(&items, '{');
    for (size_t i = 0; i < c->cat->nsvcs; i++)
        if (c->svc_used[i]) cia_buf_printf(&svcs, "%s%s", svcs.len > 1 ? "," : "", c->cat->svcs[i].code);
    for (size_t i = 0; i < c->cat->nitems; i++)
        if (c->item_used[i]) cia_buf_printf(&items, "%s%s", items.len > 1 ? "," : "", c->cat->items[i].code);
    cia_buf_addc(&svcs, '}');
    cia_buf_addc(&items, '}');
    char y0[16], y1[16];
    snprintf(y0, sizeof y0, "%d", c->y0);
    snprintf(y1, sizeof y1, "%d", c->y1);
    const char *p[5] = { c->req->as_of, items.data, svcs.data, y0, y1 };
    char sql[2048];
    /* A delivery counts when it is current for a year of the report, or
     * for an earlier year when an item read counts its records by a later
     * date than the service's primary one (decisions, admissions). */
    snprintf(sql, sizeof sql,
        "WITH f AS (SELECT DISTINCT ON (service) service, year_rule FROM item ORDER BY service, sort), "
        "lag AS (SELECT DISTINCT i.service FROM item i JOIN f ON f.service = i.service "
        "        WHERE i.year_rule <> f.year_rule AND i.code = ANY($2::text[])) "
        "SELECT d.id, d.file_name, left(d.sha256, 12), "
        "       to_char(d.loaded_at AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD HH24:MI:SS'), "
        "       string_agg(DISTINCT c.year::text, ',' ORDER BY c.year::text), d.service "
        "FROM coverage_as_of(" ASOF_TS ") c JOIN delivery_history d ON d.id = c.delivery_id "
        "JOIN service s ON s.code = d.service "
        "WHERE c.service = ANY($3::text[]) AND (c.year BETWEEN $4::int AND $5::int "
        "      OR (c.year < $4::int AND c.service IN (SELECT service FROM lag))) "
        "GROUP BY d.id, d.file_name, d.sha256, d.loaded_at, d.service, s.sort ORDER BY s.sort, d.id",
        1);
    PGresult *res;
    int rc = cia_db_query(c->db, c->e, &res, sql, 5, p);
    cia_buf_free(&svcs);
    cia_buf_free(&items);
    if (rc) return rc;
    for (int i = 0; i < PQntuples(res); i++) {
        const cia_cat_service *s = rb_svc(c, PQgetvalue(res, i, 5));
        char *line = cia_delivery_source(c->lang, s ? s->label[c->li] : PQgetvalue(res, i, 5),
                                         PQgetvalue(res, i, 1), PQgetvalue(res, i, 0), PQgetvalue(res, i, 2),
                                         PQgetvalue(res, i, 3), PQgetvalue(res, i, 4));
        cia_report_add_provenance(r, line);
        free(line);
    }
    if (PQntuples(res) == 0) cia_report_add_provenance(r, cia_word("no_deliveries", c->lang));
    PQclear(res);
    return CIA_OK;
}

void rb_add_definitions(struct rb_ctx *c, cia_report *r)
{
    for (int seq = 1; seq <= c->use_seq; seq++)
        for (size_t i = 0; i < c->cat->nitems; i++)
            if (c->item_used[i] == seq) {
                const cia_cat_item *it = &c->cat->items[i];
                char *d = cia_xasprintf("%s%s%s", it->label[c->li], cia_word("def_sep", c->lang), it->def[c->li]);
                cia_report_add_definition(r, d);
                free(d);
            }
    if (c->any_nk) cia_report_add_definition(r, cia_word("def_not_known", c->lang));
    if (c->any_nd) cia_report_add_definition(r, cia_word("def_not_delivered", c->lang));
    if (c->any_inc) cia_report_add_definition(r, cia_word("def_incomplete", c->lang));
    cia_report_add_definition(r, cia_word("def_zero", c->lang));
    if (c->used_changes) cia_report_add_definition(r, cia_word("def_change", c->lang));
    if (c->used_shares) cia_report_add_definition(r, cia_word("def_share", c->lang));
}
