/* test_charts.c — the parts of reports/charts/chart_data.c that need no
 * database: which report tables chart well and how
 * (cia_chart_plan_table), and a report's workbook with its charts
 * (cia_chart_report_xlsx, cia_render_xlsx_charts in render_xlsx.c): one
 * picture per chartable table, none for the others, no workbook at all
 * when a picture cannot be read; the chart catalogue
 * (reports/data/charts/charts.def, chart_defs.c) as read and as refused.
 * The figures behind the named charts are tested against `ciatteh query`
 * in tests/chart/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "ciatteh/chart_data.h"
#include "ciatteh/table.h"
#include "ciatteh/util.h"

static char dir[64];

static const char *path(const char *name)
{
    static char buf[4][256];
    static int i;
    i = (i + 1) % 4;
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/test_charts.XXXXXX");
        if (!mkdtemp(dir)) { perror("mkdtemp"); exit(2); }
    }
    snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
    return buf[i];
}

/* item | 2019..2023 | change | change % — as the yoy report builds it */
static cia_table *years_table(const char *id, size_t nrows, int ny)
{
    size_t ncols = 1 + (size_t)ny + 2;
    cia_table *t = cia_table_new(id, "Facts by year", ncols, 1);
    cia_table_set_col(t, 0, "item", "Indicator");
    for (int y = 0; y < ny; y++) {
        char k[8];
        snprintf(k, sizeof k, "%d", 2019 + y);
        cia_table_set_col(t, 1 + (size_t)y, k, k);
    }
    cia_table_set_col(t, 1 + (size_t)ny, "chg_last", "Change");
    cia_table_set_col(t, 2 + (size_t)ny, "chg_last_pct", "Change (%)");
    for (size_t r = 0; r < nrows; r++) {
        char k[16];
        snprintf(k, sizeof k, "item%zu", r);
        size_t row = cia_table_add_row(t, k);
        cia_table_set_text(t, row, 0, k);
        for (int y = 0; y < ny; y++)
            cia_table_set_count(t, row, 1 + (size_t)y, 10.0 * (double)(r + 1) + y, y != 1, "");
        cia_table_set_delta(t, row, 1 + (size_t)ny, 1, 1, "");
        cia_table_set_percent(t, row, 2 + (size_t)ny, 0.1, 1, "");
    }
    return t;
}

static void plan_years(void)
{
    cia_table *t = years_table("y", 3, 5);
    /* a share row is no line of counts */
    size_t row = cia_table_add_row(t, "share");
    for (size_t c = 1; c < 6; c++) cia_table_set_percent(t, row, c, 0.5, 1, "");
    size_t rows[8], cols[16];
    cia_chart_spec s;
    memset(&s, 0, sizeof s);
    CHECK_INT(cia_chart_plan_table(t, &s, rows, cols), 1);
    CHECK_INT(s.kind, CIA_CHART_TREND);
    CHECK_INT(s.series, CIA_CHART_SERIES_ROWS);
    CHECK_INT(s.nrows, 3);
    CHECK_INT(s.ncols, 5);           /* the years, not the change columns */
    CHECK_INT(cols[0], 1);
    CHECK_INT(cols[4], 5);
    cia_table_free(t);

    t = years_table("two", 2, 2);
    memset(&s, 0, sizeof s);
    CHECK_INT(cia_chart_plan_table(t, &s, rows, cols), 1);
    CHECK_INT(s.kind, CIA_CHART_GROUPED);
    CHECK_INT(s.series, CIA_CHART_SERIES_COLS);
    cia_table_free(t);
}

static void plan_refuses(void)
{
    size_t rows[16], cols[16];
    cia_chart_spec s;
    cia_table *t = years_table("many", 9, 3);     /* more rows than lines a reader follows */
    memset(&s, 0, sizeof s);
    CHECK_INT(cia_chart_plan_table(t, &s, rows, cols), 0);
    cia_table_free(t);
    /* no year columns: a cross table */
    t = cia_table_new("cross", "Cross", 3, 1);
    cia_table_set_col(t, 0, "form", "Form");
    cia_table_set_col(t, 1, "F", "female");
    cia_table_set_col(t, 2, "M", "male");
    size_t r = cia_table_add_row(t, "SEX");
    cia_table_set_count(t, r, 1, 3, 1, "");
    cia_table_set_count(t, r, 2, 4, 1, "");
    memset(&s, 0, sizeof s);
    CHECK_INT(cia_chart_plan_table(t, &s, rows, cols), 0);
    cia_table_free(t);
    /* nothing known: nothing to draw */
    t = years_table("nk", 2, 3);
    for (size_t rr = 0; rr < t->nrows; rr++)
        for (size_t c = 1; c <= 3; c++) cia_table_set_count(t, rr, c, 0, 0, "");
    memset(&s, 0, sizeof s);
    CHECK_INT(cia_chart_plan_table(t, &s, rows, cols), 0);
    cia_table_free(t);
}

static int file_has(const char *p, const char *needle)
{
    char *data;
    size_t len;
    cia_err e;
    if (cia_read_file(p, &data, &len, &e)) return -1;
    int yes = memmem(data, len, needle, strlen(needle)) != NULL;
    free(data);
    return yes;
}

static void workbook_with_charts(void)
{
    cia_report *r = cia_report_new("rep", "Report", "fr", "2024-04-30");
    cia_report_add_table(r, years_table("trend", 3, 5));
    cia_report_add_table(r, years_table("many", 9, 5));
    cia_report_add_provenance(r, "Police f\xc3\xa9" "d\xc3\xa9rale \xe2\x80\x94 police.csv (livraison #1)");
    cia_err e;
    cia_err_clear(&e);
    const char *x = path("rep.xlsx");
    CHECK_INT(cia_chart_report_xlsx(x, r, &e), CIA_OK);
    /* zip member names are stored as they are: one picture, one drawing */
    CHECK_INT(file_has(x, "xl/media/image1.png"), 1);
    CHECK_INT(file_has(x, "xl/media/image2.png"), 0);
    CHECK_INT(file_has(x, "xl/drawings/drawing1.xml"), 1);
    CHECK_INT(file_has(x, "xl/drawings/drawing2.xml"), 0);
    unlink(x);
    cia_report_free(r);
}

static void unreadable_picture(void)
{
    cia_report *r = cia_report_new("rep", "Report", "en", "current");
    cia_report_add_table(r, years_table("trend", 3, 5));
    struct cia_xlsx_chart c = { 0, path("missing.png"), "A chart" };
    cia_err e;
    cia_err_clear(&e);
    const char *x = path("bad.xlsx");
    CHECK_INT(cia_render_xlsx_charts(x, r, &c, 1, &e), CIA_ENOINPUT);
    CHECK(access(x, F_OK) != 0);
    cia_report_free(r);
    /* and the directory holds nothing left behind */
    CHECK_INT(rmdir(dir), 0);
    dir[0] = '\0';
}

/* The compiled-in catalogue: every chart, in the file's order, with what
 * the pack and `ciatteh chart` rely on. */
static void catalogue(void)
{
    const cia_chart_defs *d;
    cia_err e;
    CHECK_INT(cia_chart_defs_get(&d, &e), CIA_OK);
    CHECK_STR(cia_chart_names(),
              "trend, sentences, sentences-bands, victims, referrals, documents, sectors, nationalities, bars");
    const struct cia_chart_def *v = cia_chart_def_find(d, "victims");
    CHECK(v && v->fam == CIA_CF_CROSS);
    CHECK_STR(v->by, "form");
    CHECK_STR(v->split, "sex");
    const struct cia_chart_def *s = cia_chart_def_find(d, "sectors");
    CHECK(s && s->fam == CIA_CF_CODES && s->top == 10);
    CHECK_STR(s->sub, "ch_s_top_sectors");
    const struct cia_chart_def *b = cia_chart_def_find(d, "bars");
    CHECK(b && !b->items && !b->by);
    CHECK(!cia_chart_def_find(d, "pie"));
    CHECK_STR(cia_chart_stack_codes(d, "sentence_band"), "LT12,12_36,36_60,60_120,GE120,UNK?");
    CHECK(!cia_chart_stack_codes(d, "sex"));
}

/* A catalogue line that is not one: file:line:column and why. */
static void catalogue_refused(void)
{
    static const struct { const char *text; long line; const char *col, *msg; } bad[] = {
        { "chart a family=trend\nchart b family=pie\n", 2, "9", "family=pie: trend, stack, codes or cross" },
        { "chart a family=trend colour=red\n", 1, "22", "unknown key 'colour'" },
        { "# none\nchart a by=sex\n", 2, "7", "family= is missing" },
        { "chart v family=cross items=x by=form\n", 1, "7", "needs items=, by= and split=" },
        { "chart a family=trend\nchart a family=codes\n", 2, "7", "chart 'a' defined twice" },
        { "chart a family=codes top=0\n", 1, "22", "top=0: 1 to 1000" },
        { "stack sex\n", 1, "7", "expected stack DIM CODE,CODE" },
        { "pie a\n", 1, "1", "unknown directive 'pie'" },
        { "# nothing\n", 0, "", "no chart defined" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cia_chart_defs *d = NULL;
        cia_err e;
        memset(&e, 0, sizeof e);
        int rc = cia_chart_defs_parse("c.def", bad[i].text, strlen(bad[i].text), &d, &e);
        CHECK_INT(rc, CIA_EDATA);
        CHECK(d == NULL);
        CHECK_STR(e.file, "c.def");
        CHECK_INT(e.line, bad[i].line);
        CHECK_STR(e.column, bad[i].col);
        if (!strstr(e.msg, bad[i].msg)) fprintf(stderr, "  case %zu: '%s' lacks '%s'\n", i, e.msg, bad[i].msg);
        CHECK(strstr(e.msg, bad[i].msg) != NULL);
    }
}

UNIT_MAIN(T(plan_years), T(plan_refuses), T(workbook_with_charts), T(unreadable_picture), T(catalogue),
          T(catalogue_refused))
