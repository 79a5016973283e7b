/* biennial.c — owns the biennial report pack: which reports, tables,
 * charts and checks go into it, the PDF annex's structure, the MANIFEST,
 * and building the directory so that it appears complete or not at all.
 *
 * Nothing here computes a figure: the tables come from the report
 * builders (report.h, every figure through cia_query_run), the charts
 * draw those same tables (chart.h), the workbook, CSV and PDF render
 * them, the checks come from check.h.  Everything is read "as of" one
 * date, written with that date, so the same data and as-of date give the
 * same bytes.
 *
 * The data-quality checks and the reports' queries are mostly server
 * work, the charts, PDF and workbook mostly client work, and the machine
 * has more than one core: the checks and the list of deliveries run on a
 * second connection in a thread of their own (touching nothing but that
 * connection, p->checks and p->deliveries/deliv_table, which the main
 * thread reads only after joining it), and the
 * chart files are drawn in another thread from the moment their figures
 * are read (see render_jobs).  The files are the same, byte for byte, as
 * when everything ran in turn. */
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ciatteh/biennial.h"
#include "ciatteh/catalogue.h"
#include "ciatteh/chart.h"
#include "ciatteh/chart_data.h"
#include "ciatteh/check.h"
#include "ciatteh/date.h"
#include "ciatteh/outdir.h"
#include "ciatteh/pdf.h"
#include "ciatteh/query.h"
#include "ciatteh/release.h"
#include "ciatteh/render.h"
#include "ciatteh/report.h"
#include "ciatteh/testpoint.h"

/* ---- small helpers -------------------------------------------------------- */

int cia_pack_parse_period(const char *s, int *from, int *to)
{
    if (!s || cia_parse_years(s, from, to)) return -1;
    if (*to - *from > 9) return -1;
    return 0;
}

void cia_pack_today(char out[16])
{
    /* The calendar day in Brussels, whatever the machine's zone: the zone
     * passed explicitly (no setenv("TZ") once threads may run). */
    int d = cia_date_in(time(NULL), &cia_zone_brussels);
    snprintf(out, 16, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
}

static const char *W(const char *key, const char *lang) { return cia_word(key, lang); }

/* ---- the pack being built ------------------------------------------------- */

/* A chart of the chart module (chart_data.h), drawn for the pack. */
struct pchart {
    char *name;
    cia_chart_made made;           /* its table (made.report->tables[0]) and spec */
    char *png, *pdf;               /* absolute paths in the pack being built */
    size_t section;                /* the report it goes with; nreports = its own section */
    int rc;                        /* drawing its files (see render_jobs) */
    cia_err err;
    char *subtitle;                /* the spec's, marked (mark_table) */
};

struct pack {
    cia_db *db;
    char snapshot[64];             /* pg_export_snapshot() of the first connection */
    int own_tx;                    /* the pack opened that transaction */
    int provisional;               /* a period with years not every service delivered,
                                      built on request: every page and sheet says so */
    const struct cia_pack_opts *o;
    const char *lang;
    const char *offence;           /* THB, SMUG or both (cia_pack_opts) */
    char as_of[16];
    cia_outdir dir;                /* the pack directory, built beside its place (outdir.h) */
    const char *tmp;               /* dir.tmp: the directory being built */
    cia_report_build *builds;
    struct cia_rd **defs;
    char **report_ids;
    size_t nreports;
    struct cia_check_result checks;
    int have_checks;
    /* the checks' thread (see the top of the file) */
    struct cia_check_opts check_opts;
    cia_db check_db;
    cia_err check_err;
    int check_rc;
    pthread_t check_thread;
    int check_running;
    /* the chart files' thread */
    pthread_mutex_t render_lock;
    size_t render_next;            /* the next chart to draw */
    int render_stop;
    pthread_t render_thread;
    int render_running, render_init;
    cia_table *check_table, *rules_table;
    struct pchart *charts;
    size_t ncharts;
    cia_strv files;                /* relative paths, in MANIFEST order */
    cia_strv deliveries;           /* MANIFEST lines */
    cia_strv sources;              /* the same in the reader's words, under the workbook's tables */
    cia_table *deliv_table;        /* the same, for the workbook and the PDF */
    cia_strv skipped;              /* charts left out: "name: why" */
    size_t npages;
    /* disclosure control (see protect_pack): the pack's figures join the
     * releases of their years */
    cia_rtables *rt;
    cia_rboxes boxes;              /* every figure of the pack's tables and charts */
    int collecting;                /* the charts' figures: collected (1) or protected (0) */
    const char *chart_label;
    cia_release **rel;             /* one per year the pack shows */
    size_t nrel;
    size_t nwithheld;              /* cells withheld, derived ones included */
};

static void add_file(struct pack *p, const char *rel)
{
    cia_strv_push(&p->files, rel);
}

/* What every page, sheet, chart and file of the pack says before the
 * figures: provisional (a year not every service delivered), internal
 * (no disclosure control: not for publication); NULL when neither. */
static char *pack_mark(const struct pack *p)
{
    if (!p->provisional && !p->o->internal) return NULL;
    return cia_xasprintf("%s%s%s", p->o->internal ? W("pack_internal", p->lang) : "",
                         p->o->internal && p->provisional ? " \xc2\xb7 " : "",
                         p->provisional ? W("pack_provisional", p->lang) : "");
}

/* The mark as the first words of the table's subtitle: the top line of
 * its sheet, its caption in the annex, its CSV. */
static void mark_table(const struct pack *p, cia_table *tb)
{
    char *m = pack_mark(p);
    if (!m) return;
    char *sub = cia_xasprintf("%s%s%s", m, tb->subtitle ? " \xc2\xb7 " : "", tb->subtitle ? tb->subtitle : "");
    cia_table_set_subtitle(tb, sub);
    free(sub);
    free(m);
}

/* Report ids in the pack's order: yoy (the overview) first, then the
 * others as the definitions name them. */
static void report_order(cia_strv *out)
{
    char *names = cia_rd_names();
    cia_strv all = {0};
    cia_strv_split(&all, names, ',');
    free(names);
    if (cia_strv_find(&all, "yoy") >= 0) cia_strv_push(out, "yoy");
    for (size_t i = 0; i < all.n; i++)
        if (strcmp(all.v[i], "yoy")) cia_strv_push(out, all.v[i]);
    cia_strv_free(&all);
}

/* The years of [a, b] that not every service has delivered at the
 * moment as_of means, as "2025 (police, shelters)"; NULL when none. */
static int missing_years(cia_db *db, const char *as_of, int a, int b, char **out, cia_err *e)
{
    char y0[16], y1[16];
    snprintf(y0, sizeof y0, "%d", a);
    snprintf(y1, sizeof y1, "%d", b);
    const char *params[3] = {as_of, y0, y1};
    PGresult *r;
    *out = NULL;
    int rc = cia_db_query(db, e, &r,
        "WITH cov AS (SELECT DISTINCT service, year FROM coverage_as_of(as_of_moment($1::date))) "
        "SELECT string_agg(y::text || ' (' || m || ')', '; ' ORDER BY y) FROM ( "
        "  SELECT y, string_agg(s.code, ', ' ORDER BY s.sort) AS m "
        "  FROM generate_series($2::int, $3::int) y CROSS JOIN service s "
        "  WHERE NOT EXISTS (SELECT 1 FROM cov WHERE cov.service = s.code AND cov.year = y) GROUP BY y) x",
        3, params);
    if (rc) return rc;
    if (!PQgetisnull(r, 0, 0)) *out = cia_xstrdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    return CIA_OK;
}

int cia_pack_auto_period(cia_db *db, const char *as_of, int *from, int *to, cia_err *e)
{
    const char *params[1] = {as_of};
    PGresult *r;
    int rc = cia_db_query(db, e, &r,
        "WITH full_years AS (SELECT year FROM coverage_as_of(as_of_moment($1::date)) "
        "    GROUP BY year HAVING count(DISTINCT service) = (SELECT count(*) FROM service)) "
        "SELECT max(f.year) FROM full_years f WHERE f.year - 1 IN (SELECT year FROM full_years)", 1, params);
    if (rc) return rc;
    if (PQgetisnull(r, 0, 0)) {
        PQclear(r);
        return cia_fail(e, CIA_EUSAGE, "period auto: no two consecutive years that every service has "
                        "delivered%s%s", as_of ? " as of " : "", as_of ? as_of : "");
    }
    *to = atoi(PQgetvalue(r, 0, 0));
    *from = *to - 1;
    PQclear(r);
    return CIA_OK;
}

/* A period whose years not every service has delivered is refused unless
 * asked for (then provisional on every page and sheet): its figures
 * would compare a year with part of one. */
static int check_period(struct pack *p, cia_err *e)
{
    char *miss = NULL;
    int rc = missing_years(p->db, p->as_of, p->o->year_from, p->o->year_to, &miss, e);
    if (rc || !miss) return rc;
    if (!p->o->incomplete) {
        rc = cia_fail(e, CIA_EUSAGE, "period %d-%d as of %s: not every service has delivered %s; "
                      "choose a period every service has delivered (run: period = auto), or ask for a "
                      "provisional pack with --incomplete", p->o->year_from, p->o->year_to, p->as_of, miss);
        free(miss);
        return rc;
    }
    p->provisional = 1;
    free(miss);
    return CIA_OK;
}

static int build_reports(struct pack *p, cia_err *e)
{
    cia_strv order = {0}, ids = {0};
    report_order(&order);
    /* The trafficking chapters, then the smuggling chapter: the reports
     * whose items carry the offence, counted for SMUG (as the national
     * rapporteur's reports do; never added to the trafficking figures);
     * --offence keeps one of the two. */
    if (strcmp(p->offence, "SMUG"))
        for (size_t i = 0; i < order.n; i++) cia_strv_push(&ids, order.v[i]);
    size_t nthb = ids.n;
    for (size_t i = 0; i < order.n && strcmp(p->offence, "THB"); i++)
        if (!strcmp(order.v[i], "yoy") || !strcmp(order.v[i], "sentences")) {
            char *sid = cia_xasprintf("smug_%s", order.v[i]);
            cia_strv_push(&ids, sid);
            free(sid);
        }
    cia_strv_free(&order);
    p->builds = cia_xcalloc(ids.n + 1, sizeof *p->builds);
    p->defs = cia_xcalloc(ids.n + 1, sizeof *p->defs);
    p->report_ids = cia_xcalloc(ids.n + 1, sizeof *p->report_ids);
    int rc = CIA_OK;
    for (size_t i = 0; i < ids.n && !rc; i++) {
        struct cia_report_req req;
        memset(&req, 0, sizeof req);
        req.lang = p->lang;
        req.year_from = p->o->year_from;
        req.year_to = p->o->year_to;
        req.as_of = p->as_of;
        int smug = i >= nthb;
        req.offence = smug ? "SMUG" : "THB";
        if ((rc = cia_rd_load(smug ? ids.v[i] + 5 : ids.v[i], &p->defs[i], e))) break;
        rc = cia_report_make(p->db, p->defs[i], &req, &p->builds[i], e);
        p->report_ids[i] = cia_xstrdup(ids.v[i]);
        if (!rc) {
            /* every sheet and table says the pack is provisional, internal */
            cia_report *pr = p->builds[i].report;
            for (size_t t = 0; t < pr->ntables; t++) mark_table(p, pr->tables[t]);
        }
        p->nreports = i + 1;
        if (rc) { cia_err_context(e, "report %s", ids.v[i]); break; }
        /* Table ids become sheet and file names: make them unique across
         * the reports ("sentences_by_form", "victims_by_form"). */
        cia_report *r = p->builds[i].report;
        const char *base = smug ? ids.v[i] + 5 : ids.v[i];
        for (size_t t = 0; t < r->ntables; t++) {
            cia_table *tb = r->tables[t];
            int named = !strncmp(tb->id, base, strlen(base));
            if (named && !smug) continue;
            if (smug) cia_table_set_sheet_smug(tb, base, p->lang);
            char *id = named ? cia_xasprintf("smug_%s", tb->id) : cia_xasprintf("%s_%s", ids.v[i], tb->id);
            free(tb->id);
            tb->id = id;
        }
    }
    cia_strv_free(&ids);
    return rc;
}

/* Which report a chart goes with in the annex (its section); a chart not
 * named here gets a section of its own at the end. */
static const struct { const char *chart, *report; } chart_home[] = {
    {"trend", "yoy"}, {"sentences", "sentences"}, {"sentences-bands", "sentences"},
    {"victims", "victims"}, {"referrals", "victims"}, {"nationalities", "victims"},
    {"documents", "victims"}, {"sectors", "victims"},
};

/* The tables of section i, in order: the report's own, then those of its
 * charts (the figures each chart draws). */
static size_t section_tables(const struct pack *p, size_t i, cia_table **out, size_t max)
{
    size_t n = 0;
    if (i < p->nreports) {
        const cia_report *r = p->builds[i].report;
        for (size_t t = 0; t < r->ntables && n < max; t++) out[n++] = r->tables[t];
    }
    for (size_t c = 0; c < p->ncharts && n < max; c++)
        if (p->charts[c].section == i) out[n++] = p->charts[c].made.report->tables[0];
    return n;
}

static const struct pchart *chart_of_table(const struct pack *p, const cia_table *t)
{
    for (size_t c = 0; c < p->ncharts; c++)
        if (p->charts[c].made.report->tables[0] == t) return &p->charts[c];
    return NULL;
}

static int list_deliveries(struct pack *p, cia_db *db, cia_err *e);

/* The checks' thread also lists the deliveries used (p->deliveries,
 * p->deliv_table): a query of its own the main thread need not wait for. */
static void *checks_main(void *arg)
{
    struct pack *p = arg;
    p->check_rc = list_deliveries(p, &p->check_db, &p->check_err);
    if (!p->check_rc) p->check_rc = cia_check_run(&p->check_db, &p->check_opts, &p->checks, &p->check_err);
    return NULL;
}

/* Start the checks in their thread; without a second connection or a
 * thread they run later on the main connection (run_checks). */
static void start_checks(struct pack *p)
{
    memset(&p->check_opts, 0, sizeof p->check_opts);
    p->check_opts.year_from = p->o->year_from;
    p->check_opts.year_to = p->o->year_to;
    p->check_opts.as_of = p->as_of;
    p->check_opts.settings = p->o->check_settings;
    p->check_opts.offence = p->offence;
    p->check_opts.public_only = !p->o->internal;   /* findings name no figure the releases withhold */
    cia_err ignored;   /* without a second connection the checks run later, on the first */
    cia_err_clear(&ignored);
    if (cia_db_open_another(p->db, &p->check_db, &ignored)) return;
    /* The pack's snapshot, or no second connection at all: the checks
     * then run later on the first (run_checks). */
    char *lit = PQescapeLiteral(p->check_db.conn, p->snapshot, strlen(p->snapshot));
    char *sql = lit ? cia_xasprintf("BEGIN ISOLATION LEVEL REPEATABLE READ; SET TRANSACTION SNAPSHOT %s", lit) : NULL;
    int bad = !sql || cia_db_exec(&p->check_db, &ignored, sql);
    if (lit) PQfreemem(lit);
    free(sql);
    if (bad) {
        cia_db_close(&p->check_db);
        return;
    }
    p->have_checks = 1;
    if (pthread_create(&p->check_thread, NULL, checks_main, p) != 0) {
        p->have_checks = 0;
        cia_db_close(&p->check_db);
        return;
    }
    p->check_running = 1;
}

static void join_checks(struct pack *p)
{
    if (!p->check_running) return;
    pthread_join(p->check_thread, NULL);
    p->check_running = 0;
    cia_db_close(&p->check_db);
}

/* The findings table of the annex in the pack's language: each service
 * by its name in the catalogue (schema/seed/service.csv), not its code
 * (rules are named by their titles and items by their labels in
 * cia_check_table already). */
static int localise_findings(struct pack *p, cia_err *e)
{
    cia_catalogue *cat = NULL;
    int rc = cia_catalogue_load(p->db, &cat, e);
    if (rc) return rc;
    int cl = cia_cat_lang(p->lang);
    cia_table *t = p->check_table;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *svc = cia_table_cell_c(t, r, 3)->text;
        const cia_cat_service *s = svc && *svc ? cia_cat_svc_get(cat, svc) : NULL;
        if (s && s->label[cl]) cia_table_set_text(t, r, 3, s->label[cl]);
    }
    cia_catalogue_free(cat);
    return CIA_OK;
}

static int run_checks(struct pack *p, cia_err *e)
{
    int rc;
    if (p->check_running) {
        join_checks(p);
        if ((rc = p->check_rc)) {
            *e = p->check_err;
            return rc;
        }
    } else {
        if ((rc = list_deliveries(p, p->db, e))) return rc;
        rc = cia_check_run(p->db, &p->check_opts, &p->checks, e);
        p->have_checks = 1;
        if (rc) return rc;
    }
    p->check_table = cia_check_table(&p->checks, p->lang);
    p->rules_table = cia_check_rules_table(&p->checks, p->lang);
    if ((rc = localise_findings(p, e))) return rc;
    mark_table(p, p->check_table);
    mark_table(p, p->rules_table);
    mark_table(p, p->deliv_table);
    for (int k = 0; k < 2 && !rc; k++) {
        char *rel = cia_xstrdup(k ? "checks.json" : "checks.csv");
        char *path = cia_xasprintf("%s/%s", p->tmp, rel);
        cia_outfile f;
        if ((rc = cia_outfile_open(&f, path, e)) == CIA_OK) {
            rc = cia_check_write(f.fp, &p->checks, k ? "json" : "csv", p->lang, e);
            if (!rc) rc = cia_outfile_commit(&f, e);
            else cia_outfile_abort(&f);
        }
        if (!rc) add_file(p, rel);
        free(rel);
        free(path);
    }
    return rc;
}

/* A report made of borrowed tables (not freed with it). */
static cia_report *shallow(const char *id, const char *title, const char *lang, const char *as_of)
{
    return cia_report_new(id, title, lang, as_of);
}

static void shallow_free(cia_report *r)
{
    r->ntables = 0;   /* the tables belong to their builds */
    cia_report_free(r);
}

static char *pack_title(const struct pack *p)
{
    /* One offence only: the title says which; then provisional, internal. */
    int one = strcmp(p->offence, "both") != 0;
    char *mk = pack_mark(p);
    char *t = cia_xasprintf("%s %d\xe2\x80\x93%d%s%s%s%s", W("pack_annex", p->lang), p->o->year_from, p->o->year_to,
                            one ? " \xc2\xb7 " : "", one ? W(!strcmp(p->offence, "SMUG") ? "off_SMUG" : "off_THB", p->lang) : "",
                            mk ? " \xc2\xb7 " : "", mk ? mk : "");
    free(mk);
    return t;
}

static int write_workbook(struct pack *p, cia_err *e)
{
    char *title = pack_title(p);
    cia_report *wb = shallow("biennial", title, p->lang, p->as_of);
    free(title);
    if (p->o->internal) cia_report_set_watermark(wb, W("pack_internal", p->lang));
    struct cia_xlsx_chart *pics = cia_xcalloc(p->ncharts + 1, sizeof *pics);
    size_t npics = 0;
    for (size_t i = 0; i <= p->nreports; i++) {
        cia_table *tabs[256];
        size_t nt = section_tables(p, i, tabs, 256);
        for (size_t t = 0; t < nt; t++) {
            const struct pchart *c = chart_of_table(p, tabs[t]);
            if (c) {   /* the chart beside its figures */
                pics[npics].table = wb->ntables;
                pics[npics].png = c->png;
                pics[npics].alt = tabs[t]->title;
                npics++;
            }
            cia_report_add_table(wb, tabs[t]);
        }
        if (i == p->nreports) break;
        cia_report *r = p->builds[i].report;
        for (size_t d = 0; d < r->ndefs; d++) {
            int dup = 0;
            for (size_t k = 0; k < wb->ndefs && !dup; k++) dup = !strcmp(wb->definitions[k], r->definitions[d]);
            if (!dup) cia_report_add_definition(wb, r->definitions[d]);
        }
    }
    cia_report_add_table(wb, p->rules_table);
    cia_report_add_table(wb, p->check_table);
    cia_report_add_table(wb, p->deliv_table);
    for (size_t i = 0; i < p->sources.n; i++) cia_report_add_provenance(wb, p->sources.v[i]);
    char *rel = cia_xasprintf("annex-%d-%d-%s.xlsx", p->o->year_from, p->o->year_to, p->lang);
    char *path = cia_xasprintf("%s/%s", p->tmp, rel);
    int rc = cia_render_xlsx_charts(path, wb, pics, npics, e);
    if (!rc) add_file(p, rel);
    free(rel);
    free(path);
    free(pics);
    shallow_free(wb);
    return rc;
}

static int write_csvs(struct pack *p, cia_err *e)
{
    char *dir = cia_xasprintf("%s/tables", p->tmp);
    int rc = cia_mkdirs(dir, 0755, e);
    free(dir);
    size_t n = 0;
    for (size_t i = 0; i <= p->nreports && !rc; i++) {
        cia_table *tabs[256];
        size_t nt = section_tables(p, i, tabs, 256);
        for (size_t t = 0; t < nt && !rc; t++) {
            cia_report *one = shallow(tabs[t]->id, tabs[t]->title, p->lang, p->as_of);
            cia_report_add_table(one, tabs[t]);
            if (p->o->internal) cia_report_set_watermark(one, W("pack_internal", p->lang));
            char *rel = cia_xasprintf("tables/%02zu-%s.csv", ++n, tabs[t]->id);
            char *path = cia_xasprintf("%s/%s", p->tmp, rel);
            rc = cia_render("csv", path, one, 0, e);
            if (!rc) add_file(p, rel);
            free(rel);
            free(path);
            shallow_free(one);
        }
    }
    return rc;
}

/* ---- charts ----------------------------------------------------------------- */

/* The builder's figures of a chart: collected as figures of the releases,
 * then withheld as their pattern says (see protect_pack). */
static int chart_figures(void *arg, struct cia_report_build *b, cia_err *e)
{
    struct pack *p = arg;
    if (p->collecting) return cia_rtables_collect(p->rt, b, p->chart_label, &p->boxes, e);
    size_t n = 0;
    int rc = cia_rtables_apply(p->rt, b, p->rel, p->nrel, 1, &n, e);
    p->nwithheld += n;
    return rc;
}

/* The pack's request for chart `name`. */
static void chart_request(struct pack *p, const char *name, cia_chart_request *req)
{
    memset(req, 0, sizeof *req);
    req->name = name;
    req->year_from = !strcmp(name, "trend") ? p->o->year_to - 5 : p->o->year_from;
    req->year_to = p->o->year_to;
    req->lang = p->lang;
    req->as_of = p->as_of;
    req->size = CIA_CHART_A4;
    /* A smuggling pack's charts count smuggling; those of items that
     * count trafficking only (no offence dimension) are left out. */
    if (!strcmp(p->offence, "SMUG")) req->offence = "SMUG";
    if (p->rt) {
        req->figures = chart_figures;
        req->figures_arg = p;
    }
}

/* Every chart the chart module knows (chart_data.h) but `bars`, which needs
 * items named: the trend over the six years up to the period's end, the
 * others over the period.  A chart with nothing to draw (no data for its
 * items) is left out and named in the annex and the MANIFEST. */
static int draw_charts(struct pack *p, cia_err *e)
{
    if (p->o->no_charts) return CIA_OK;
    char *dir = cia_xasprintf("%s/charts", p->tmp);
    int rc = cia_mkdirs(dir, 0755, e);
    free(dir);
    cia_strv names = {0};
    cia_strv_split(&names, cia_chart_names(), ',');
    size_t n = 0;
    for (size_t k = 0; k < names.n && !rc; k++) {
        const char *name = names.v[k];
        if (!strcmp(name, "bars") || !*name) continue;
        cia_chart_request req;
        chart_request(p, name, &req);
        struct pchart pc;
        memset(&pc, 0, sizeof pc);
        rc = cia_chart_prepare(p->db, &req, &pc.made, e);
        if (rc == CIA_EUSAGE || rc == CIA_EDATA) {
            char *why = cia_xasprintf("%s: %s", name, e->msg);
            cia_strv_push(&p->skipped, why);
            free(why);
            cia_err_clear(e);
            rc = CIA_OK;
            continue;
        }
        if (rc) { cia_err_context(e, "chart %s", name); break; }
        pc.name = cia_xstrdup(name);
        cia_table *t = pc.made.report->tables[0];
        mark_table(p, t);
        /* the chart itself says it too, under its title */
        char *m = pack_mark(p);
        if (m) {
            const char *s0 = pc.made.spec.subtitle;
            pc.subtitle = cia_xasprintf("%s%s%s", m, s0 && *s0 ? " \xc2\xb7 " : "", s0 ? s0 : "");
            pc.made.spec.subtitle = pc.subtitle;
            free(m);
        }
        /* a sheet and file name of its own: chart_NAME */
        free(t->id);
        t->id = cia_xasprintf("chart_%s", name);
        for (char *c = t->id; *c; c++)
            if (*c == '-') *c = '_';
        /* Nothing to draw: left out, named in the annex (as the render
         * itself would say). */
        if ((rc = cia_chart_check(&pc.made.spec, t, e)) == CIA_EDATA) {
            char *why = cia_xasprintf("%s: %s", name, e->msg);
            cia_strv_push(&p->skipped, why);
            free(why);
            cia_err_clear(e);
            rc = CIA_OK;
            free(pc.name);
            free(pc.subtitle);
            cia_chart_made_free(&pc.made);
            continue;
        }
        if (rc) {
            cia_err_context(e, "chart %s", name);
            free(pc.name);
            free(pc.subtitle);
            cia_chart_made_free(&pc.made);
            break;
        }
        n++;
        for (int f = 0; f < 2; f++) {
            char *rel = cia_xasprintf("charts/%02zu-%s.%s", n, name, f ? "pdf" : "png");
            add_file(p, rel);
            if (f) pc.pdf = cia_xasprintf("%s/%s", p->tmp, rel);
            else pc.png = cia_xasprintf("%s/%s", p->tmp, rel);
            free(rel);
        }
        p->charts = cia_xrealloc(p->charts, (p->ncharts + 1) * sizeof *p->charts);
        p->charts[p->ncharts++] = pc;
    }
    cia_strv_free(&names);
    return rc;
}

/* Which section each chart goes in (chart_home), once the reports are
 * known. */
static void chart_sections(struct pack *p)
{
    for (size_t c = 0; c < p->ncharts; c++) {
        struct pchart *pc = &p->charts[c];
        pc->section = p->nreports;
        for (size_t h = 0; h < sizeof chart_home / sizeof chart_home[0]; h++)
            if (!strcmp(chart_home[h].chart, pc->name))
                for (size_t i = 0; i < p->nreports; i++)
                    if (!strcmp(p->report_ids[i], chart_home[h].report)) pc->section = i;
    }
}

/* The chart files (PNG and PDF), drawn in a thread of their own while the
 * main thread reads the reports and writes the CSVs and the PDF annex
 * (which draws the charts itself, as vectors); the main thread then
 * helps with what is left, and the workbook, which embeds the PNGs, comes
 * after both.  The thread starts as soon as the charts' figures are read,
 * before the reports: drawing fills the client's time while the server
 * answers the reports' queries.  A chart is taken under render_lock; its
 * drawer writes only its files and its rc/err; meanwhile the main thread
 * changes nothing of p->charts but their section numbers. */
static void render_jobs(struct pack *p)
{
    for (;;) {
        pthread_mutex_lock(&p->render_lock);
        size_t i = p->render_stop ? p->ncharts : p->render_next++;
        pthread_mutex_unlock(&p->render_lock);
        if (i >= p->ncharts) return;
        struct pchart *c = &p->charts[i];
        for (int f = 0; f < 2 && !c->rc; f++) {
            cia_chart_spec spec = c->made.spec;
            spec.path = f ? c->pdf : c->png;
            spec.geom = NULL;
            if ((c->rc = cia_chart_render(&spec, c->made.report->tables[0], &c->err)))
                cia_err_context(&c->err, "chart %s", c->name);
        }
    }
}

static void *render_main(void *arg)
{
    render_jobs(arg);
    return NULL;
}

static void start_render(struct pack *p)
{
    pthread_mutex_init(&p->render_lock, NULL);
    p->render_init = 1;
    if (p->ncharts && pthread_create(&p->render_thread, NULL, render_main, p) == 0) p->render_running = 1;
}

/* Every chart drawn (here if need be), the thread joined; the first
 * failure in chart order.  With e NULL (the pack failed) nothing more is
 * drawn. */
static int join_render(struct pack *p, cia_err *e)
{
    if (!p->render_init) return CIA_OK;
    if (e) {
        render_jobs(p);
    } else {
        pthread_mutex_lock(&p->render_lock);
        p->render_stop = 1;
        pthread_mutex_unlock(&p->render_lock);
    }
    if (p->render_running) pthread_join(p->render_thread, NULL);
    p->render_running = 0;
    pthread_mutex_destroy(&p->render_lock);
    p->render_init = 0;
    for (size_t i = 0; i < p->ncharts && e; i++)
        if (p->charts[i].rc) {
            *e = p->charts[i].err;
            return p->charts[i].rc;
        }
    return CIA_OK;
}

/* ---- deliveries --------------------------------------------------------------- */

/* The deliveries behind the pack: current at the as-of moment and
 * holding figures of the period, or covering its years (their "0"s). */
static int list_deliveries(struct pack *p, cia_db *db, cia_err *e)
{
    char y0[16], y1[16];
    snprintf(y0, sizeof y0, "%d", p->o->year_from);
    snprintf(y1, sizeof y1, "%d", p->o->year_to);
    const char *params[4] = {p->as_of, y0, y1, p->lang};
    PGresult *r;
    int rc = cia_db_query(db, e, &r,
        "WITH t AS (SELECT as_of_moment($1::date) AS t), "
        "cov AS (SELECT c.* FROM t, LATERAL coverage_as_of(t.t) c), "
        "used AS (SELECT delivery_id, string_agg(DISTINCT year::text, ',' ORDER BY year::text) AS years FROM ( "
        "    SELECT c.delivery_id, c.year FROM cov c WHERE c.year BETWEEN $2::int AND $3::int "
        "    UNION "
        "    SELECT DISTINCT f.delivery_id, f.dyear FROM t, LATERAL facts_as_of(t.t, $2::int, $3::int) f "
        "    WHERE NOT item_in_delivery_year(f.item)) u GROUP BY delivery_id) "   /* the others: the years above */
        "SELECT d.id, d.service, coalesce((SELECT string_agg(DISTINCT y.scope, ',') FROM delivery_year y "
        "         WHERE y.delivery_id = d.id AND y.scope <> ''), ''), "
        "       u.years, d.sha256, d.file_name, "
        "       to_char(d.loaded_at AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD HH24:MI:SS'), d.rows, "
        "       coalesce(CASE $4 WHEN 'fr' THEN s.label_fr WHEN 'nl' THEN s.label_nl ELSE s.label_en END, d.service), "
        /* the centres by their names for the reader (the MANIFEST keeps the codes) */
        "       coalesce((SELECT string_agg(DISTINCT coalesce(CASE $4 WHEN 'fr' THEN c.label_fr "
        "                 WHEN 'nl' THEN c.label_nl ELSE c.label_en END, y.scope), ', ') "
        "         FROM delivery_year y LEFT JOIN code c ON c.list = 'centre' AND c.code = y.scope "
        "         WHERE y.delivery_id = d.id AND y.scope <> ''), '') "
        "FROM used u JOIN delivery d ON d.id = u.delivery_id LEFT JOIN service s ON s.code = d.service "
        "ORDER BY s.sort, d.service, d.id", 4, params);
    if (rc) return rc;
    static const char *const keys[8] = {"delivery", "service", "scope", "years", "file", "loaded_at", "sha256", "rows"};
    static const char *const words[8] = {"pack_col_delivery", "pack_col_service", "pack_col_centre", "pack_col_years",
                                         "pack_col_file", "pack_col_loaded", "pack_col_sha", "pack_col_rows"};
    cia_table *t = cia_table_new("deliveries", W("deliveries", p->lang), 8, 7);
    for (int k = 0; k < 8; k++) cia_table_set_col(t, (size_t)k, keys[k], W(words[k], p->lang));
    char date[64];
    cia_format_date(p->lang, p->as_of, date, sizeof date);
    char *sub = cia_xasprintf("%s%s%s (%s)", W("as_of", p->lang), W("colon", p->lang), date,
                              W("pack_as_of_note", p->lang));
    cia_table_set_subtitle(t, sub);
    free(sub);
    for (int i = 0; i < PQntuples(r); i++) {
        /* file names come from outside: no line breaks in the manifest */
        char *file = cia_xstrdup(PQgetvalue(r, i, 5));
        for (char *c = file; *c; c++)
            if (*c == '\n' || *c == '\r' || (unsigned char)*c < 0x20) *c = ' ';
        char *line = cia_xasprintf("delivery %s %s%s%s years %s rows %s sha256 %s loaded %s file %s",
                                   PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), *PQgetvalue(r, i, 2) ? "/" : "",
                                   PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 7),
                                   PQgetvalue(r, i, 4), PQgetvalue(r, i, 6), file);
        cia_strv_push(&p->deliveries, line);
        free(line);
        /* the workbook's source lines, in the reader's words (the MANIFEST keeps the line above) */
        char *label = cia_xasprintf("%s%s%s", PQgetvalue(r, i, 8), *PQgetvalue(r, i, 9) ? " / " : "",
                                    PQgetvalue(r, i, 9));
        line = cia_delivery_source(p->lang, label, file, PQgetvalue(r, i, 0), PQgetvalue(r, i, 4),
                                   PQgetvalue(r, i, 6), PQgetvalue(r, i, 3));
        char *typeset = cia_typo(line, p->lang);    /* « 09:00:00 ; années » */
        cia_strv_push(&p->sources, typeset);
        free(typeset);
        free(line);
        free(label);
        size_t row = cia_table_add_row(t, PQgetvalue(r, i, 0));
        char sha[24];
        snprintf(sha, sizeof sha, "%.16s", PQgetvalue(r, i, 4));
        cia_table_set_text(t, row, 0, PQgetvalue(r, i, 0));
        cia_table_set_text(t, row, 1, PQgetvalue(r, i, 8));
        cia_table_set_text(t, row, 2, PQgetvalue(r, i, 9));
        char *years = cia_years_text(PQgetvalue(r, i, 3));    /* "2020–2024", as the source lines */
        cia_table_set_text(t, row, 3, years);
        free(years);
        cia_table_set_text(t, row, 4, file);
        char when[96];
        cia_format_moment(p->lang, PQgetvalue(r, i, 6), when, sizeof when);
        cia_table_set_text(t, row, 5, when);
        cia_table_set_text(t, row, 6, sha);
        cia_table_set_count(t, row, 7, atof(PQgetvalue(r, i, 7)), 1, "");
        free(file);
    }
    PQclear(r);
    p->deliv_table = t;
    return CIA_OK;
}

/* ---- the PDF annex ------------------------------------------------------------- */

struct blocks {
    struct cia_pdf_block *v;
    size_t n;
    char ***arrays;                /* line arrays to free */
    size_t narrays;
};

static struct cia_pdf_block *blk(struct blocks *b, enum cia_pdf_kind kind)
{
    b->v = cia_xrealloc(b->v, (b->n + 1) * sizeof *b->v);
    struct cia_pdf_block *x = &b->v[b->n++];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    return x;
}

static const char *const *lines_of(struct blocks *b, char *const *src, size_t n)
{
    char **v = cia_xcalloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = cia_xstrdup(src[i]);
    b->arrays = cia_xrealloc(b->arrays, (b->narrays + 1) * sizeof *b->arrays);
    b->arrays[b->narrays++] = v;
    return (const char *const *)v;
}

static void blocks_free(struct blocks *b)
{
    for (size_t i = 0; i < b->narrays; i++) {
        for (char **s = b->arrays[i]; *s; s++) free(*s);
        free(b->arrays[i]);
    }
    free(b->arrays);
    free(b->v);
}

static int write_pdf(struct pack *p, cia_err *e)
{
    struct blocks b;
    memset(&b, 0, sizeof b);
    const char *lang = p->lang;
    for (size_t i = 0; i <= p->nreports; i++) {
        cia_table *tabs[256];
        size_t nt = section_tables(p, i, tabs, 256);
        if (i == p->nreports && !nt && !p->skipped.n) break;
        struct cia_pdf_block *h = blk(&b, CIA_PDF_HEADING);
        h->title = i < p->nreports ? p->builds[i].report->title : W("pack_charts", lang);
        /* the report's tables, then its charts with their notes */
        for (size_t t = 0; t < nt; t++) {
            if (chart_of_table(p, tabs[t])) continue;
            struct cia_pdf_block *x = blk(&b, CIA_PDF_TABLE);
            x->table = tabs[t];
        }
        for (size_t t = 0; t < nt; t++) {
            const struct pchart *c = chart_of_table(p, tabs[t]);
            if (!c) continue;
            cia_strv notes = {0};
            char *legend = cia_legend(tabs[t], lang);
            if (legend) cia_strv_push(&notes, legend);
            free(legend);
            for (size_t k = 0; k < tabs[t]->nnotes; k++) cia_strv_push(&notes, tabs[t]->notes[k]);
            struct cia_pdf_block *x = blk(&b, CIA_PDF_IMAGE);
            x->title = tabs[t]->title;
            x->image_png = c->png;
            x->chart = &c->made.spec;      /* drawn as vectors, from the same table */
            x->chart_table = tabs[t];
            x->lines = lines_of(&b, notes.v, notes.n);
            x->nlines = notes.n;
            cia_strv_free(&notes);
        }
        if (i == p->nreports && p->skipped.n) {
            struct cia_pdf_block *x = blk(&b, CIA_PDF_TEXT);
            x->title = W("pack_charts_skipped", lang);
            x->lines = lines_of(&b, p->skipped.v, p->skipped.n);
            x->nlines = p->skipped.n;
        }
        if (i < p->nreports && p->builds[i].report->ndefs) {
            cia_report *r = p->builds[i].report;
            struct cia_pdf_block *x = blk(&b, CIA_PDF_TEXT);
            x->title = W("definitions", lang);
            x->lines = lines_of(&b, r->definitions, r->ndefs);
            x->nlines = r->ndefs;
        }
    }
    /* checks */
    struct cia_pdf_block *h = blk(&b, CIA_PDF_HEADING);
    h->title = W("pack_checks", lang);
    char *intro[1] = {(char *)W("pack_checks_intro", lang)};
    h->lines = lines_of(&b, intro, 1);
    h->nlines = 1;
    struct cia_pdf_block *x = blk(&b, CIA_PDF_TABLE);
    x->table = p->rules_table;
    x = blk(&b, CIA_PDF_TABLE);
    x->table = p->check_table;
    /* sources */
    h = blk(&b, CIA_PDF_HEADING);
    h->title = W("deliveries", lang);
    x = blk(&b, CIA_PDF_TABLE);
    x->table = p->deliv_table;

    struct cia_pdf_doc doc;
    memset(&doc, 0, sizeof doc);
    doc.lang = lang;
    char *title = pack_title(p);
    doc.title = W(!strcmp(p->offence, "SMUG") ? "pack_title_smug" : "pack_title", lang);
    doc.subtitle = title;
    char *cover[4];
    char date[64];                   /* the charts' date format, one per language */
    cia_format_date(lang, p->as_of, date, sizeof date);
    cover[0] = cia_xasprintf("%s%s%s", W("as_of", lang), W("colon", lang), date);
    cover[1] = cia_xasprintf("%s%s%zu", W("pack_deliveries_used", lang), W("colon", lang), p->deliveries.n);
    cover[2] = cia_xasprintf("%s%s%zu %s, %zu %s", W("pack_checks", lang), W("colon", lang), p->checks.errors,
                             W(p->checks.errors == 1 ? "check_error" : "check_errors", lang), p->checks.warnings,
                             W(p->checks.warnings == 1 ? "check_warning" : "check_warnings", lang));
    cover[3] = cia_xasprintf("ciatteh %s", CIATTEH_VERSION);
    doc.cover_lines = (const char *const *)cover;
    doc.ncover = 4;
    char *footer = cia_xasprintf("%s \xc2\xb7 %s%s%s", title, W("as_of", lang), W("colon", lang), date);
    doc.footer = footer;
    doc.create_date = p->as_of;
    doc.watermark = p->o->internal ? W("pack_internal", lang) : NULL;
    doc.blocks = b.v;
    doc.nblocks = b.n;
    char *rel = cia_xasprintf("annex-%d-%d-%s.pdf", p->o->year_from, p->o->year_to, lang);
    char *path = cia_xasprintf("%s/%s", p->tmp, rel);
    int rc = cia_pdf_annex(path, &doc, &p->npages, e);
    if (!rc) add_file(p, rel);
    free(rel);
    free(path);
    free(footer);
    for (int i = 0; i < 4; i++) free(cover[i]);
    free(title);
    blocks_free(&b);
    return rc;
}

/* ---- disclosure control ----------------------------------------------------------- */

/* The pack is published: its figures belong to the releases of their
 * years (release.h) together with the Eurostat, GRETA and TIP answers of
 * those years, under one pattern computed over all of them.  Every box
 * of every table and chart is collected (the charts' figures by
 * preparing each chart once, its builder's figures handed to
 * chart_figures), the release of each year is made (or will be reused
 * when stored), and the pattern is applied to the reports' tables here
 * and to the charts as they are prepared for drawing.  The attack runs
 * over each release before anything is written. */
static int protect_pack(struct pack *p, cia_err *e)
{
    int rc = cia_rtables_new(p->db, p->as_of, &p->rt, e);
    for (size_t i = 0; i < p->nreports && !rc; i++)
        rc = cia_rtables_collect(p->rt, &p->builds[i], "pack", &p->boxes, e);
    if (!p->o->no_charts && !rc) {
        cia_strv names = {0};
        cia_strv_split(&names, cia_chart_names(), ',');
        p->collecting = 1;
        p->chart_label = "pack chart";
        for (size_t k = 0; k < names.n && !rc; k++) {
            if (!strcmp(names.v[k], "bars") || !*names.v[k]) continue;
            cia_chart_request req;
            chart_request(p, names.v[k], &req);
            cia_chart_made m;
            memset(&m, 0, sizeof m);
            rc = cia_chart_prepare(p->db, &req, &m, e);
            if (rc == CIA_EUSAGE || rc == CIA_EDATA) {   /* left out when drawn, said there */
                cia_err_clear(e);
                rc = CIA_OK;
            } else if (!rc) {
                cia_chart_made_free(&m);
            }
        }
        p->collecting = 0;
        cia_strv_free(&names);
    }
    /* the years shown, in order */
    int years[64];
    size_t ny = 0;
    for (size_t i = 0; i < p->boxes.n && !rc; i++) {
        size_t k = 0;
        while (k < ny && years[k] != p->boxes.v[i].year) k++;
        if (k == ny && ny < 64) years[ny++] = p->boxes.v[i].year;
    }
    for (size_t i = 1; i < ny; i++)
        for (size_t j = i; j > 0 && years[j - 1] > years[j]; j--) {
            int t = years[j];
            years[j] = years[j - 1];
            years[j - 1] = t;
        }
    p->rel = cia_xcalloc(ny + 1, sizeof *p->rel);
    /* Twice: a questionnaire of one year publishes figures of the years
     * before it (TIP: three years of prosecutions), and a release keeps
     * what the stored releases published of its year.  Releases made in
     * one pass therefore depend on the order of the years; the second
     * pass makes (or reuses) each year's release knowing all the others,
     * so a first pack names the releases the next one will reuse. */
    for (int pass = 0; pass < 2 && !rc; pass++) {
    for (size_t i = 0; pass && i < p->nrel; i++) cia_release_free(p->rel[i]);
    if (pass) p->nrel = 0;
    for (size_t i = 0; i < ny && !rc; i++) {
        struct cia_release_opts ro;
        memset(&ro, 0, sizeof ro);
        ro.year = years[i];
        ro.as_of = p->as_of;
        ro.threshold = -1;
        ro.boxes = &p->boxes;
        ro.boxes_output = "pack";
        ro.boxes_only = years[i] < p->o->year_from || years[i] > p->o->year_to;
        /* Stored at once, in the pack's transaction: the release of the
         * next year keeps what this one publishes of the years they share
         * (a questionnaire asks for earlier years too); committed with
         * the pack (store_releases), gone if it fails. */
        ro.store = 1;
        if ((rc = cia_release_make(p->db, &ro, &p->rel[p->nrel], e))) break;
        p->nrel++;
        rc = cia_release_audit(p->rel[p->nrel - 1], e);
    }
    }
    for (size_t i = 0; i < p->nreports && !rc; i++) {
        size_t n = 0;
        rc = cia_rtables_apply(p->rt, &p->builds[i], p->rel, p->nrel, 1, &n, e);
        p->nwithheld += n;
    }
    return rc;
}

/* The releases made in the pack's transaction are kept once every file
 * is written (a caller's own transaction keeps them when it commits). */
static int store_releases(struct pack *p, cia_err *e)
{
    if (!p->nrel || !p->own_tx) return CIA_OK;
    p->own_tx = 0;
    return cia_db_commit(p->db, e);
}

/* ---- MANIFEST and the swap ------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int write_manifest(struct pack *p, cia_err *e)
{
    char *path = cia_xasprintf("%s/MANIFEST", p->tmp);
    cia_outfile f;
    int rc = cia_outfile_open(&f, path, e);
    free(path);
    if (rc) return rc;
    int schema = cia_schema_version_known();
    fprintf(f.fp,
            "# ciatteh biennial pack - MANIFEST\n"
            "# program: ciatteh %s (schema %d)\n"
            "# period: %d-%d\n"
            "# language: %s\n"
            "# as-of: %s (the deliveries loaded by the end of that day, Europe/Brussels)\n"
            "# offence: %s\n"
            "# checks: %zu error%s, %zu warning%s\n"
            "# deliveries used: %zu\n",
            CIATTEH_VERSION, schema, p->o->year_from, p->o->year_to, p->lang, p->as_of, p->offence, p->checks.errors,
            p->checks.errors == 1 ? "" : "s", p->checks.warnings, p->checks.warnings == 1 ? "" : "s",
            p->deliveries.n);
    for (size_t i = 0; i < p->deliveries.n; i++) fprintf(f.fp, "#   %s\n", p->deliveries.v[i]);
    if (!p->nrel) fprintf(f.fp, "# disclosure control: none (internal pack, not for publication)\n");
    for (size_t i = 0; i < p->nrel; i++)
        fprintf(f.fp, "# release %d: #%lld (%s; %zu figure%s, %zu withheld)\n", p->rel[i]->year, p->rel[i]->id,
                p->rel[i]->outputs, p->rel[i]->sdc.n, p->rel[i]->sdc.n == 1 ? "" : "s", p->rel[i]->n_withheld);
    for (size_t i = 0; i < p->skipped.n; i++) {
        char *l = cia_xstrdup(p->skipped.v[i]);
        for (char *c = l; *c; c++)
            if (*c == '\n' || *c == '\r') *c = ' ';
        fprintf(f.fp, "# chart left out: %s\n", l);
        free(l);
    }
    fprintf(f.fp, "# files (verify with: cd THIS_DIRECTORY && sha256sum -c MANIFEST):\n");
    qsort(p->files.v, p->files.n, sizeof *p->files.v, cmp_str);
    for (size_t i = 0; i < p->files.n && !rc; i++) {
        char *fp = cia_xasprintf("%s/%s", p->tmp, p->files.v[i]);
        char sha[65];
        if (cia_sha256_file(fp, sha)) rc = cia_fail(e, CIA_ECANTCREAT, "%s: cannot read it back", fp);
        else fprintf(f.fp, "%s  %s\n", sha, p->files.v[i]);
        free(fp);
    }
    if (!rc) rc = cia_outfile_commit(&f, e);
    else cia_outfile_abort(&f);
    return rc;
}

/* ---- handing the pack to another renderer (cia_pack_sink) ----------------- */

static int hand_over(struct pack *p, cia_err *e)
{
    struct cia_pack_chapter *ch = cia_xcalloc(p->nreports + 1, sizeof *ch);
    struct cia_pack_figure *figs = cia_xcalloc(p->nreports * 256 + 256, sizeof *figs);
    size_t nch = 0, nf = 0;
    for (size_t i = 0; i <= p->nreports; i++) {
        cia_table *tabs[256];
        size_t nt = section_tables(p, i, tabs, 256);
        if (i == p->nreports && !nt) break;
        struct cia_pack_chapter *c = &ch[nch++];
        c->figures = &figs[nf];
        for (size_t t = 0; t < nt; t++) {
            const struct pchart *pc = chart_of_table(p, tabs[t]);
            figs[nf].table = tabs[t];
            figs[nf].chart = pc ? &pc->made.spec : NULL;
            figs[nf].chart_name = pc ? pc->name : NULL;
            nf++;
        }
        c->nfigures = nt;
        if (i < p->nreports) {
            const cia_report *r = p->builds[i].report;
            c->id = p->report_ids[i];
            c->offence = strncmp(c->id, "smug_", 5) ? "THB" : "SMUG";
            c->title = r->title;
            c->definitions = (const char *const *)r->definitions;
            c->ndefs = r->ndefs;
        } else {
            c->id = "charts";
            c->title = W("pack_charts", p->lang);
        }
    }
    char *title = pack_title(p);
    struct cia_pack_view v;
    memset(&v, 0, sizeof v);
    v.lang = p->lang;
    v.as_of = p->as_of;
    v.dir = p->dir.final;
    v.title = title;
    v.year_from = p->o->year_from;
    v.year_to = p->o->year_to;
    v.provisional = p->provisional;
    v.internal = p->o->internal;
    v.chapters = ch;
    v.nchapters = nch;
    v.rules = p->rules_table;
    v.checks = p->check_table;
    v.deliveries = p->deliv_table;
    v.check_errors = p->checks.errors;
    v.check_warnings = p->checks.warnings;
    v.files = (const char *const *)p->files.v;
    v.nfiles = p->files.n;
    v.skipped = (const char *const *)p->skipped.v;
    v.nskipped = p->skipped.n;
    int rc = p->o->sink(&v, p->o->sink_arg, e);
    free(title);
    free(figs);
    free(ch);
    return rc;
}

static void pack_free(struct pack *p)
{
    join_checks(p);
    join_render(p, NULL);
    for (size_t i = 0; i < p->nreports; i++) {
        cia_report_build_free(&p->builds[i]);
        cia_rd_free(p->defs[i]);
        free(p->report_ids[i]);
    }
    free(p->builds);
    free(p->defs);
    free(p->report_ids);
    if (p->have_checks) cia_check_result_free(&p->checks);
    cia_table_free(p->check_table);
    cia_table_free(p->rules_table);
    for (size_t i = 0; i < p->ncharts; i++) {
        free(p->charts[i].name);
        free(p->charts[i].png);
        free(p->charts[i].pdf);
        free(p->charts[i].subtitle);
        cia_chart_made_free(&p->charts[i].made);
    }
    free(p->charts);
    cia_strv_free(&p->files);
    cia_strv_free(&p->deliveries);
    cia_strv_free(&p->sources);
    cia_table_free(p->deliv_table);
    cia_strv_free(&p->skipped);
    cia_rtables_free(p->rt);
    cia_rboxes_free(&p->boxes);
    for (size_t i = 0; i < p->nrel; i++) cia_release_free(p->rel[i]);
    free(p->rel);
    cia_outdir_free(&p->dir);
}

int cia_pack_build(cia_db *db, const struct cia_pack_opts *o, struct cia_pack_result *res, cia_err *e)
{
    memset(res, 0, sizeof *res);
    if (!o->out_dir || !*o->out_dir) return cia_fail(e, CIA_EUSAGE, "the pack needs an output directory (-o DIR)");
    if (!o->year_from || !o->year_to || o->year_to < o->year_from || o->year_to - o->year_from > 9)
        return cia_fail(e, CIA_EUSAGE, "--period: expected A-B such as 2020-2021");
    const char *lang = o->lang ? o->lang : "en";
    if (strcmp(lang, "en") && strcmp(lang, "fr") && strcmp(lang, "nl"))
        return cia_fail(e, CIA_EUSAGE, "--lang must be en, fr or nl");
    int rc = cia_check_as_of(o->as_of, e);
    if (rc) return rc;
    struct pack p;
    memset(&p, 0, sizeof p);
    p.db = db;
    p.o = o;
    p.lang = lang;
    p.offence = o->offence ? o->offence : "both";
    if (strcmp(p.offence, "THB") && strcmp(p.offence, "SMUG") && strcmp(p.offence, "both"))
        return cia_fail(e, CIA_EUSAGE, "--offence %s: expected THB, SMUG or both (never the two added together)",
                        p.offence);
    if (o->as_of) snprintf(p.as_of, sizeof p.as_of, "%s", o->as_of);
    else cia_pack_today(p.as_of);

    /* Build beside the final place (same file system: the rename is
     * atomic), then swap. */
    if ((rc = cia_outdir_open(&p.dir, o->out_dir, e))) goto out;
    p.tmp = p.dir.tmp;
    /* One snapshot for the whole pack: every table, chart, check and the
     * MANIFEST's deliveries read the data as it stood at this moment,
     * whatever a load commits meanwhile.  The second connection (the
     * checks' thread) imports the same snapshot (start_checks). */
    if (PQtransactionStatus(db->conn) == PQTRANS_IDLE) {
        if ((rc = cia_db_begin_snapshot(db, 0, e))) goto fail;
        p.own_tx = 1;
    }
    {
        PGresult *sr;
        if ((rc = cia_db_query(db, e, &sr, "SELECT pg_export_snapshot()", 0, NULL))) goto fail;
        snprintf(p.snapshot, sizeof p.snapshot, "%s", PQgetvalue(sr, 0, 0));
        PQclear(sr);
    }
    if ((rc = check_period(&p, e))) goto fail;
    /* Tests hold the pack here (CIATTEH_TEST_SLEEP_AT=pack-snapshot:N),
     * after the snapshot is taken and before anything reads it, and
     * commit a delivery meanwhile. */
    cia_crash_point("pack-snapshot");
    start_checks(&p);   /* and the deliveries used */
    if ((rc = build_reports(&p, e))) goto fail;
    if (!o->internal && (rc = protect_pack(&p, e))) goto fail;
    if ((rc = draw_charts(&p, e))) goto fail;
    start_render(&p);
    chart_sections(&p);
    if ((rc = run_checks(&p, e))) goto fail;
    if ((rc = write_csvs(&p, e))) goto fail;
    if ((rc = write_pdf(&p, e))) goto fail;
    if ((rc = join_render(&p, e))) goto fail;
    if ((rc = write_workbook(&p, e))) goto fail;
    if ((rc = store_releases(&p, e))) goto fail;
    cia_crash_point("pack");
    if ((rc = write_manifest(&p, e))) goto fail;
    cia_crash_point("pack_swap");
    if ((rc = cia_outdir_commit(&p.dir, e))) goto fail;
    if (o->sink && (rc = hand_over(&p, e))) goto out;
    snprintf(res->as_of, sizeof res->as_of, "%s", p.as_of);
    res->nfiles = p.files.n;
    for (size_t i = 0; i < p.nreports; i++) res->ntables += p.builds[i].report->ntables;
    res->ntables += p.ncharts;
    res->ncharts = p.ncharts;
    res->npages = p.npages;
    res->check_errors = p.checks.errors;
    res->check_warnings = p.checks.warnings;
    res->nwithheld = p.nwithheld;
    res->nreleases = p.nrel;
    goto out;
fail:
    join_checks(&p);
    join_render(&p, NULL);
    cia_outdir_abort(&p.dir);
out:
    /* Still open only when the pack failed: the releases it made go too. */
    if (p.own_tx) cia_db_rollback(db);
    pack_free(&p);
    return rc;
}
