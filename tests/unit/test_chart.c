/* test_chart.c — charts (reports/charts/chart.c, reports/charts/chart_kinds.c): every
 * kind in every format from hand-built tables; the PNG decodes at the
 * requested size and carries its resolution, the SVG parses as XML, the
 * PDF has one page whose text shows the title with its accents, numbers
 * and dates per language; and pixel tests prove what a reader relies on:
 * bar lengths proportional to the values, nothing at all drawn for an
 * unknown year (no bar, no line, no zero), provisional segments dashed.
 * Set CHART_KEEP=1 to keep the rendered files (the path is printed). */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cairo.h>
#include "unit.h"
#include "ciatteh/chart.h"
#include "ciatteh/table.h"
#include "ciatteh/util.h"

static char tmpdir[256];

static void cleanup_tmp(void)
{
    if (!tmpdir[0]) return;
    if (getenv("CHART_KEEP")) { fprintf(stderr, "charts kept in %s\n", tmpdir); return; }
    DIR *d = opendir(tmpdir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char p[600];
        snprintf(p, sizeof p, "%s/%s", tmpdir, de->d_name);
        unlink(p);
    }
    if (d) closedir(d);
    rmdir(tmpdir);
}

static const char *tmp_path(const char *name)
{
    static char buf[8][512];
    static int i;
    i = (i + 1) % 8;
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/test_chart.XXXXXX");
        if (!mkdtemp(tmpdir)) { perror("mkdtemp"); exit(2); }
        atexit(cleanup_tmp);
    }
    snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
    return buf[i];
}

/* ---- fixtures ----------------------------------------------------------- */

#define NY 6
static const char *const years[NY] = { "2018", "2019", "2020", "2021", "2022", "2023" };

/* Items × years, as the query layer builds them: label column, then one
 * column per year.  2020 unknown for police, 2023 provisional. */
static cia_table *trend_table(const char *title)
{
    cia_table *t = cia_table_new("trend", title, 1 + NY, 1);
    cia_table_set_col(t, 0, "item", "Item");
    for (int y = 0; y < NY; y++) cia_table_set_col(t, 1 + (size_t)y, years[y], years[y]);
    static const double v[3][NY] = {
        { 412, 455, -1, 388, 402, 431 },
        { 1180, 1320, 1250, 1402, 1511, 1608 },
        { 152, 149, 171, 160, 158, 166 },
    };
    static const char *const names[3] = { "Victims registered by the police",
        "Suspects registered", "Victims taken into care" };
    for (size_t r = 0; r < 3; r++) {
        size_t row = cia_table_add_row(t, names[r]);
        cia_table_set_text(t, row, 0, names[r]);
        for (int y = 0; y < NY; y++)
            cia_table_set_count(t, row, 1 + (size_t)y, v[r][y] < 0 ? 0 : v[r][y], v[r][y] >= 0,
                                y == NY - 1 ? "p" : "");
    }
    return t;
}

/* Prison terms by suspension × judgment year; 2020 not known. */
static cia_table *stacked_table(const char *title)
{
    cia_table *t = cia_table_new("sentences", title, 1 + NY, 1);
    cia_table_set_col(t, 0, "suspension", "Suspension");
    for (int y = 0; y < NY; y++) cia_table_set_col(t, 1 + (size_t)y, years[y], years[y]);
    static const double v[3][NY] = {
        { 61, 70, -1, 58, 66, 49 }, { 22, 25, -1, 30, 27, 20 }, { 40, 38, -1, 44, 35, 31 },
    };
    static const char *const names[3] = { "effective", "partly suspended", "fully suspended" };
    for (size_t r = 0; r < 3; r++) {
        size_t row = cia_table_add_row(t, names[r]);
        cia_table_set_text(t, row, 0, names[r]);
        for (int y = 0; y < NY; y++)
            cia_table_set_count(t, row, 1 + (size_t)y, v[r][y] < 0 ? 0 : v[r][y], v[r][y] >= 0,
                                y == NY - 1 ? "p" : "");
    }
    return t;
}

/* Victims taken into care: form of exploitation × sex. */
static cia_table *grouped_table(const char *title)
{
    cia_table *t = cia_table_new("victims", title, 4, 1);
    cia_table_set_col(t, 0, "form", "Form of exploitation");
    cia_table_set_col(t, 1, "F", "female");
    cia_table_set_col(t, 2, "M", "male");
    cia_table_set_col(t, 3, "UNK", "not known");
    static const double v[4][3] = { { 48, 6, 0 }, { 21, 87, 2 }, { 3, 11, -1 }, { 5, 4, 0 } };
    static const char *const names[4] = { "sexual exploitation", "labour exploitation",
        "forced criminality", "forced begging" };
    for (size_t r = 0; r < 4; r++) {
        size_t row = cia_table_add_row(t, names[r]);
        cia_table_set_text(t, row, 0, names[r]);
        for (size_t c = 0; c < 3; c++)
            cia_table_set_count(t, row, 1 + c, v[r][c] < 0 ? 0 : v[r][c], v[r][c] >= 0, "");
    }
    return t;
}

/* One series over years with given values; <0 = unknown; flags per year. */
static cia_table *series_table(const double *v, const char *const *flags, size_t n)
{
    cia_table *t = cia_table_new("one", "One series", 1 + n, 1);
    cia_table_set_col(t, 0, "item", "Item");
    for (size_t c = 0; c < n; c++) {
        char k[8];
        snprintf(k, sizeof k, "%zu", 2020 + c);
        cia_table_set_col(t, 1 + c, k, k);
    }
    size_t row = cia_table_add_row(t, "x");
    cia_table_set_text(t, row, 0, "x");
    for (size_t c = 0; c < n; c++)
        cia_table_set_count(t, row, 1 + c, v[c] < 0 ? 0 : v[c], v[c] >= 0,
                            flags ? flags[c] : "");
    return t;
}

static cia_table *table_for(enum cia_chart_kind k, const char *title)
{
    return k == CIA_CHART_TREND ? trend_table(title)
         : k == CIA_CHART_STACKED ? stacked_table(title) : grouped_table(title);
}

/* ---- helpers -------------------------------------------------------------- */

static int render(cia_chart_spec *sp, const cia_table *t)
{
    cia_err e;
    cia_err_clear(&e);
    int rc = cia_chart_render(sp, t, &e);
    if (rc) fprintf(stderr, "  render %s: %d %s\n", sp->path, rc, e.msg);
    return rc;
}

static char *run(const char *fmt, const char *arg)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, fmt, arg);
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    cia_buf b;
    cia_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) cia_buf_add(&b, chunk, n);
    int st = pclose(p);
    if (st != 0) { cia_buf_free(&b); return NULL; }
    return cia_buf_steal(&b);
}

/* pdftotext breaks lines where the layout does; compare with all white
 * space (incl. U+202F / U+00A0) squeezed to single spaces. */
static char *squeeze(const char *s)
{
    cia_buf b;
    cia_buf_init(&b);
    int sp = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int white = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\f';
        if (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0xaf) { white = 1; p += 2; }
        else if (p[0] == 0xc2 && p[1] == 0xa0) { white = 1; p += 1; }
        if (white) { sp = 1; continue; }
        if (sp && b.len) cia_buf_addc(&b, ' ');
        sp = 0;
        cia_buf_addc(&b, (char)*p);
    }
    return cia_buf_steal(&b);
}

static char *pdf_text(const char *path)
{
    char *raw = run("pdftotext -enc UTF-8 '%s' - 2>/dev/null", path);
    if (!raw) return NULL;
    char *s = squeeze(raw);
    free(raw);
    return s;
}

/* A field of pdfinfo's output ("Pages", "Page size"), NULL if absent. */
static const char *pdfinfo_field(const char *info, const char *name)
{
    for (const char *p = info; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        size_t n = strlen(name);
        if (strncmp(p, name, n) == 0 && p[n] == ':') {
            p += n + 1;
            while (*p == ' ') p++;
            return p;
        }
    }
    return NULL;
}

struct img { cairo_surface_t *s; int w, h, stride; unsigned char *data; };

static int img_load(struct img *im, const char *path)
{
    im->s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(im->s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(im->s);
        im->s = NULL;
        return -1;
    }
    im->w = cairo_image_surface_get_width(im->s);
    im->h = cairo_image_surface_get_height(im->s);
    im->stride = cairo_image_surface_get_stride(im->s);
    im->data = cairo_image_surface_get_data(im->s);
    return 0;
}

static int img_is(const struct img *im, int x, int y, const double rgb[3])
{
    if (x < 0 || y < 0 || x >= im->w || y >= im->h) return 0;
    uint32_t p = *(const uint32_t *)(im->data + (size_t)y * (size_t)im->stride + (size_t)x * 4);
    int r = (int)((p >> 16) & 0xff), g = (int)((p >> 8) & 0xff), b = (int)(p & 0xff);
    return abs(r - (int)lround(rgb[0] * 255)) <= 1 && abs(g - (int)lround(rgb[1] * 255)) <= 1
        && abs(b - (int)lround(rgb[2] * 255)) <= 1;
}

/* Pixels of colour rgb in column x between rows y0..y1. */
static int count_col(const struct img *im, int x, int y0, int y1, const double rgb[3])
{
    int n = 0;
    for (int y = y0; y <= y1; y++) n += img_is(im, x, y, rgb);
    return n;
}

static int count_row(const struct img *im, int y, int x0, int x1, const double rgb[3])
{
    int n = 0;
    for (int x = x0; x <= x1; x++) n += img_is(im, x, y, rgb);
    return n;
}

/* Length of the bar of colour rgb standing on the zero line at column x
 * (vertical) or row y (horizontal): from the zero line to the farthest
 * pixel of that colour.  Measured to the zero line because the baseline
 * is drawn over the foot of the bars. */
static double bar_length(const struct img *im, const cia_chart_geom *g, double at,
                         const double rgb[3])
{
    int p = (int)lround(at);
    if (!g->horizontal) {
        for (int y = (int)g->plot_y - 10; y < (int)lround(g->zero_pos); y++)
            if (img_is(im, p, y, rgb)) return g->zero_pos - y;
    } else {
        for (int x = (int)(g->plot_x + g->plot_w) + 10; x > (int)lround(g->zero_pos); x--)
            if (img_is(im, x, p, rgb)) return x + 1 - g->zero_pos;
    }
    return 0;
}

/* The 4-byte big-endian pixels-per-metre of the PNG's pHYs chunk, 0 if none. */
static unsigned long png_ppm(const char *path)
{
    char *data;
    size_t len;
    cia_err e;
    if (cia_read_file(path, &data, &len, &e)) return 0;
    unsigned long ppm = 0;
    for (size_t i = 8; i + 12 <= len;) {
        const unsigned char *p = (const unsigned char *)data + i;
        unsigned long n = (unsigned long)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
        if (memcmp(p + 4, "pHYs", 4) == 0 && n == 9 && i + 21 <= len && p[16] == 1)
            ppm = (unsigned long)p[8] << 24 | p[9] << 16 | p[10] << 8 | p[11];
        if (memcmp(p + 4, "IDAT", 4) == 0) break;
        i += 12 + n;
    }
    free(data);
    return ppm;
}

/* ---- tests ------------------------------------------------------------- */

static const enum cia_chart_kind kinds[3] = { CIA_CHART_TREND, CIA_CHART_STACKED, CIA_CHART_GROUPED };

static void test_every_kind_every_format(void)
{
    static const char *const ext[3] = { "png", "svg", "pdf" };
    for (int k = 0; k < 3; k++)
        for (int f = 0; f < 3; f++) {
            char name[64];
            snprintf(name, sizeof name, "all-%s.%s", cia_chart_kind_name(kinds[k]), ext[f]);
            const char *title = "Victimes accueillies \xe2\x80\x94 exploitation \xc3\xa9" "conomique";
            cia_table *t = table_for(kinds[k], title);
            cia_chart_spec sp = { .kind = kinds[k], .path = tmp_path(name), .lang = "fr",
                                  .source = "Myria, centres sp\xc3\xa9" "cialis\xc3\xa9s",
                                  .as_of = "2024-05-01", .value_label = "personnes" };
            CHECK_INT(render(&sp, t), CIA_OK);
            if (f == 0) {
                struct img im;
                CHECK(img_load(&im, sp.path) == 0);
                if (im.s) {
                    /* 170 x 110 mm at 300 dpi */
                    CHECK_INT(im.w, 2008);
                    CHECK_INT(im.h, 1299);
                    cairo_surface_destroy(im.s);
                }
                CHECK_INT(png_ppm(sp.path), 11811);   /* 300 dpi in pixels per metre */
            } else if (f == 1) {
                char *out = run("/usr/bin/python3 -c 'import xml.dom.minidom,sys; "
                                "d=xml.dom.minidom.parse(sys.argv[1]); "
                                "print(d.documentElement.tagName)' '%s'", sp.path);
                CHECK(out != NULL);
                if (out) CHECK_STR(out, "svg\n");
                free(out);
            } else {
                char *info = run("pdfinfo '%s' 2>/dev/null", sp.path);
                CHECK(info != NULL);
                if (info) {
                    const char *pages = pdfinfo_field(info, "Pages");
                    CHECK(pages && atoi(pages) == 1);
                    CHECK(strstr(info, "Victimes accueillies") != NULL);   /* metadata title */
                }
                free(info);
                char *txt = pdf_text(sp.path);
                CHECK(txt != NULL);
                if (txt) {
                    CHECK(strstr(txt, "Victimes accueillies \xe2\x80\x94 exploitation "
                                      "\xc3\xa9" "conomique") != NULL);
                    CHECK(strstr(txt, "1er mai 2024") != NULL);
                    CHECK(strstr(txt, "Myria, centres sp\xc3\xa9" "cialis\xc3\xa9s") != NULL);
                    if (kinds[k] != CIA_CHART_GROUPED) CHECK(strstr(txt, "(p) provisoire") != NULL);
                    if (!strstr(txt, "Victimes accueillies")) fprintf(stderr, "  text: %s\n", txt);
                }
                free(txt);
            }
            cia_table_free(t);
        }
}

/* Numbers and words per language, as they reach a reader of the PDF. */
static void test_languages_in_pdf(void)
{
    static const struct { const char *lang, *number, *date, *source; } L[] = {
        { "en", "1,608", "1 May 2024", "Source: Police" },
        { "nl", "1.608", "1 mei 2024", "Bron: Police" },
        { "fr", "1 608", "1er mai 2024", "Source : Police" },
    };
    for (size_t i = 0; i < 3; i++) {
        cia_table *t = trend_table("Slachtoffers \xe2\x80\x93 overzicht");
        char name[32];
        snprintf(name, sizeof name, "lang-%s.pdf", L[i].lang);
        cia_chart_spec sp = { .kind = CIA_CHART_TREND, .path = tmp_path(name), .lang = L[i].lang,
                              .source = "Police", .as_of = "2024-05-01" };
        CHECK_INT(render(&sp, t), CIA_OK);
        char *txt = pdf_text(sp.path);
        CHECK(txt != NULL);
        if (txt) {
            CHECK(strstr(txt, "Slachtoffers \xe2\x80\x93 overzicht") != NULL);
            CHECK(strstr(txt, L[i].number) != NULL);    /* last-point label 1608 */
            CHECK(strstr(txt, L[i].date) != NULL);
            CHECK(strstr(txt, L[i].source) != NULL);
            CHECK(strstr(txt, "2023 (p)") != NULL);
            if (!strstr(txt, L[i].number)) fprintf(stderr, "  text: %s\n", txt);
        }
        free(txt);
        cia_table_free(t);
    }
}

static void test_sizes(void)
{
    cia_table *t = trend_table("Sizes");
    cia_chart_spec sp = { .kind = CIA_CHART_TREND, .path = tmp_path("slide.png"),
                          .size = CIA_CHART_SLIDE };
    CHECK_INT(render(&sp, t), CIA_OK);
    struct img im;
    if (img_load(&im, sp.path) == 0) {
        CHECK_INT(im.w, 1920);
        CHECK_INT(im.h, 1080);
        cairo_surface_destroy(im.s);
    } else CHECK(!"slide PNG decodes");

    cia_chart_spec sp2 = { .kind = CIA_CHART_STACKED, .path = tmp_path("custom.png"),
                           .width_mm = 120, .height_mm = 80, .dpi = 150 };
    cia_table *t2 = stacked_table("Custom");
    CHECK_INT(render(&sp2, t2), CIA_OK);
    if (img_load(&im, sp2.path) == 0) {
        CHECK_INT(im.w, 709);    /* 120 mm at 150 dpi */
        CHECK_INT(im.h, 472);
        cairo_surface_destroy(im.s);
    } else CHECK(!"custom PNG decodes");
    CHECK_INT(png_ppm(sp2.path), 5906);

    /* A slide PDF is 10 x 5.625 in */
    cia_chart_spec sp3 = { .kind = CIA_CHART_GROUPED, .path = tmp_path("slide.pdf"),
                           .size = CIA_CHART_SLIDE };
    cia_table *t3 = grouped_table("Slide");
    CHECK_INT(render(&sp3, t3), CIA_OK);
    char *info = run("pdfinfo '%s' 2>/dev/null", sp3.path);
    double pw = 0, ph = 0;
    const char *size = info ? pdfinfo_field(info, "Page size") : NULL;
    CHECK(size && sscanf(size, "%lf x %lf", &pw, &ph) == 2);
    CHECK(fabs(pw - 720) < 0.5 && fabs(ph - 405) < 0.5);
    free(info);
    cia_table_free(t);
    cia_table_free(t2);
    cia_table_free(t3);
}

/* Bars of 10, 20, ?, 40: pixel heights 1:2:4, nothing where 2022 is. */
static void test_bar_pixels(void)
{
    static const double v[4] = { 10, 20, -1, 40 };
    cia_table *t = series_table(v, NULL, 4);
    cia_chart_geom g;
    cia_chart_spec sp = { .kind = CIA_CHART_STACKED, .path = tmp_path("bars.png"), .geom = &g };
    CHECK_INT(render(&sp, t), CIA_OK);
    double rgb[3];
    cia_chart_series_rgb(CIA_CHART_STACKED, 0, 1, rgb);
    struct img im;
    CHECK(img_load(&im, sp.path) == 0);
    CHECK_INT(g.ncat, 4);
    if (im.s && g.ncat == 4) {
        CHECK(!g.horizontal);
        double h[4];
        for (int c = 0; c < 4; c++) h[c] = bar_length(&im, &g, g.cat_pos[c], rgb);
        CHECK(h[0] > 50);
        CHECK(fabs(h[1] - 2 * h[0]) <= 2);
        CHECK(fabs(h[3] - 4 * h[0]) <= 2);
        for (int c = 0; c < 4; c++) if (c != 2) CHECK(fabs(h[c] - v[c] * g.unit) <= 1.5);
        /* solid from top to the zero line's edge: no hole in the bar */
        int top = (int)lround(g.zero_pos - h[3]);
        CHECK(count_col(&im, (int)lround(g.cat_pos[3]), top, (int)g.zero_pos - 3, rgb)
              >= (int)g.zero_pos - 3 - top + 1);
        /* Unknown year: not a single bar pixel in its whole slot. */
        double band = g.cat_pos[1] - g.cat_pos[0];
        int none = 0;
        for (int x = (int)(g.cat_pos[2] - band / 2) + 1; x < (int)(g.cat_pos[2] + band / 2); x++)
            none += count_col(&im, x, 0, im.h - 1, rgb);
        CHECK_INT(none, 0);
        if (fabs(h[1] - 2 * h[0]) > 2 || fabs(h[3] - 4 * h[0]) > 2)
            fprintf(stderr, "  heights %.1f %.1f %.1f %.1f unit %.2f\n", h[0], h[1], h[2], h[3], g.unit);
        cairo_surface_destroy(im.s);
    }
    cia_chart_geom_free(&g);
    cia_table_free(t);
}

/* The same with horizontal bars (the grouped kind, one series). */
static void test_horizontal_bar_pixels(void)
{
    static const double v[4] = { 10, 20, -1, 40 };
    cia_table *t = series_table(v, NULL, 4);
    cia_chart_geom g;
    cia_chart_spec sp = { .kind = CIA_CHART_GROUPED, .path = tmp_path("hbars.png"), .geom = &g,
                          .series = CIA_CHART_SERIES_ROWS, .orient = CIA_CHART_HORIZONTAL };
    CHECK_INT(render(&sp, t), CIA_OK);
    double rgb[3];
    cia_chart_series_rgb(CIA_CHART_GROUPED, 0, 1, rgb);
    struct img im;
    CHECK(img_load(&im, sp.path) == 0);
    if (im.s && g.ncat == 4) {
        CHECK(g.horizontal);
        double w[4];
        for (int c = 0; c < 4; c++) w[c] = bar_length(&im, &g, g.cat_pos[c], rgb);
        CHECK(w[0] > 50);
        CHECK(fabs(w[1] - 2 * w[0]) <= 2);
        CHECK(fabs(w[3] - 4 * w[0]) <= 2);
        CHECK(w[2] == 0);
        CHECK_INT(count_row(&im, (int)lround(g.cat_pos[2]), 0, im.w - 1, rgb), 0);
        cairo_surface_destroy(im.s);
    }
    cia_chart_geom_free(&g);
    cia_table_free(t);
}

/* A stacked bar's segments are proportional too, and a year with one
 * segment not known is not drawn at all. */
static void test_stacked_segments(void)
{
    cia_table *t = cia_table_new("s", "Stack", 4, 1);
    cia_table_set_col(t, 0, "k", "k");
    cia_table_set_col(t, 1, "2021", "2021");
    cia_table_set_col(t, 2, "2022", "2022");
    cia_table_set_col(t, 3, "2023", "2023");
    size_t a = cia_table_add_row(t, "a"), b = cia_table_add_row(t, "b");
    cia_table_set_text(t, a, 0, "effective");
    cia_table_set_text(t, b, 0, "suspended");
    cia_table_set_count(t, a, 1, 30, 1, "");
    cia_table_set_count(t, b, 1, 60, 1, "");
    cia_table_set_count(t, a, 2, 30, 1, "");
    cia_table_set_count(t, b, 2, 0, 0, "");      /* not known */
    cia_table_set_count(t, a, 3, 15, 1, "");
    cia_table_set_count(t, b, 3, 15, 1, "");
    cia_chart_geom g;
    cia_chart_spec sp = { .kind = CIA_CHART_STACKED, .path = tmp_path("stack.png"), .geom = &g };
    CHECK_INT(render(&sp, t), CIA_OK);
    double c0[3], c1[3];
    cia_chart_series_rgb(CIA_CHART_STACKED, 0, 2, c0);
    cia_chart_series_rgb(CIA_CHART_STACKED, 1, 2, c1);
    CHECK(fabs(c0[0] - c1[0]) + fabs(c0[1] - c1[1]) + fabs(c0[2] - c1[2]) > 0.3);
    struct img im;
    CHECK(img_load(&im, sp.path) == 0);
    if (im.s && g.ncat == 3) {
        /* 2021: 30 below, 60 above.  The white rule between segments
         * (0.75 pt = 3 px at 300 dpi) covers up to 1.6 px of each. */
        double all = bar_length(&im, &g, g.cat_pos[0], c1);
        double low = bar_length(&im, &g, g.cat_pos[0], c0);
        CHECK(fabs(all - 90 * g.unit) <= 1.5);
        CHECK(fabs(low - 30 * g.unit) <= 2.5);
        CHECK(fabs((all - low) - 60 * g.unit) <= 2.5);
        int x = (int)lround(g.cat_pos[1]);
        CHECK_INT(count_col(&im, x, 0, im.h - 1, c0) + count_col(&im, x, 0, im.h - 1, c1), 0);
        all = bar_length(&im, &g, g.cat_pos[2], c1);
        low = bar_length(&im, &g, g.cat_pos[2], c0);
        CHECK(fabs(all - 30 * g.unit) <= 1.5);
        CHECK(fabs(low - 15 * g.unit) <= 2.5);
        cairo_surface_destroy(im.s);
    }
    cia_chart_geom_free(&g);
    cia_table_free(t);
}

/* Trend 10, ?, 30, 40: no line pixel from 2020 to 2022 except around the
 * isolated 2020 marker; a line between 2022 and 2023. */
static void test_trend_gap_pixels(void)
{
    static const double v[4] = { 10, -1, 30, 40 };
    cia_table *t = series_table(v, NULL, 4);
    cia_chart_geom g;
    cia_chart_spec sp = { .kind = CIA_CHART_TREND, .path = tmp_path("gap.png"), .geom = &g };
    CHECK_INT(render(&sp, t), CIA_OK);
    double rgb[3];
    cia_chart_series_rgb(CIA_CHART_TREND, 0, 1, rgb);
    struct img im;
    CHECK(img_load(&im, sp.path) == 0);
    if (im.s && g.ncat == 4) {
        double band = g.cat_pos[1] - g.cat_pos[0];
        int top = (int)g.plot_y - 5, bottom = (int)(g.plot_y + g.plot_h) + 5, n = 0;
        /* from just right of the 2020 marker to just left of the 2022 one */
        for (int x = (int)(g.cat_pos[0] + band * 0.25); x < (int)(g.cat_pos[2] - band * 0.25); x++)
            n += count_col(&im, x, top, bottom, rgb);
        CHECK_INT(n, 0);
        /* the isolated 2020 point is still shown (its marker) */
        CHECK(count_col(&im, (int)lround(g.cat_pos[0]), top, bottom, rgb) > 5);
        /* the line 2022-2023 is there, at the right height halfway */
        int xm = (int)lround((g.cat_pos[2] + g.cat_pos[3]) / 2);
        int ym = (int)lround(g.zero_pos - 35 * g.unit);
        CHECK(count_col(&im, xm, ym - 8, ym + 8, rgb) > 3);
        /* and nothing drawn at zero under 2021 (baseline is grey, not line colour) */
        CHECK_INT(count_col(&im, (int)lround(g.cat_pos[1]), 0, im.h - 1, rgb), 0);
        cairo_surface_destroy(im.s);
    }
    cia_chart_geom_free(&g);
    cia_table_free(t);
}

/* Fraction of samples along (x0,y0)-(x1,y1) that hit colour rgb (±1 px
 * across the line). */
static double hit_fraction(const struct img *im, double x0, double y0, double x1, double y1,
                           const double rgb[3], int *runs_missing)
{
    int hits = 0, n = 0, misses_run = 0, prev = 1;
    for (double t = 0; t <= 1.0; t += 0.005) {
        int x = (int)lround(x0 + (x1 - x0) * t), y = (int)lround(y0 + (y1 - y0) * t);
        int hit = img_is(im, x, y, rgb) || img_is(im, x, y - 1, rgb) || img_is(im, x, y + 1, rgb);
        hits += hit;
        n++;
        if (!hit && prev) misses_run++;
        prev = hit;
    }
    *runs_missing = misses_run;
    return (double)hits / n;
}

/* Provisional 2023: the segment into it is dashed, the others solid. */
static void test_provisional_dashed(void)
{
    static const double v[4] = { 10, 20, 30, 40 };
    static const char *const fl[4] = { "", "", "", "p" };
    cia_table *t = series_table(v, fl, 4);
    cia_chart_geom g;
    cia_chart_spec sp = { .kind = CIA_CHART_TREND, .path = tmp_path("dash.png"), .geom = &g };
    CHECK_INT(render(&sp, t), CIA_OK);
    double rgb[3];
    cia_chart_series_rgb(CIA_CHART_TREND, 0, 1, rgb);
    struct img im;
    CHECK(img_load(&im, sp.path) == 0);
    if (im.s && g.ncat == 4) {
        double band = g.cat_pos[1] - g.cat_pos[0], m = band * 0.12;
        double slope = -10 * g.unit / band;   /* 10 more per category */
        int gaps_solid, gaps_dash;
        double solid = hit_fraction(&im, g.cat_pos[1] + m, g.zero_pos - 20 * g.unit + slope * m,
                                    g.cat_pos[2] - m, g.zero_pos - 30 * g.unit - slope * m, rgb,
                                    &gaps_solid);
        double dash = hit_fraction(&im, g.cat_pos[2] + m, g.zero_pos - 30 * g.unit + slope * m,
                                   g.cat_pos[3] - m, g.zero_pos - 40 * g.unit - slope * m, rgb,
                                   &gaps_dash);
        CHECK(solid > 0.97);
        CHECK_INT(gaps_solid, 0);
        CHECK(dash > 0.3 && dash < 0.85);
        CHECK(gaps_dash >= 3);
        if (!(solid > 0.97) || !(dash > 0.3 && dash < 0.85))
            fprintf(stderr, "  solid %.2f dash %.2f gaps %d\n", solid, dash, gaps_dash);
        cairo_surface_destroy(im.s);
    }
    cia_chart_geom_free(&g);
    cia_table_free(t);
}

static int dir_entries(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (de->d_name[0] != '.') n++;
    if (d) closedir(d);
    return n;
}

static void test_errors(void)
{
    cia_err e;
    cia_table *t = trend_table("Errors");
    cia_chart_spec sp = { .kind = CIA_CHART_TREND, .path = tmp_path("x.jpg") };
    CHECK_INT(cia_chart_render(&sp, t, &e), CIA_EUSAGE);
    sp.path = tmp_path("no/such/dir/x.png");
    CHECK_INT(cia_chart_render(&sp, t, &e), CIA_ECANTCREAT);
    sp.path = tmp_path("tiny.png");
    sp.width_mm = 10;
    CHECK_INT(cia_chart_render(&sp, t, &e), CIA_EUSAGE);
    sp.width_mm = 0;
    size_t bad_row = 7;
    sp.rows = &bad_row;
    sp.nrows = 1;
    CHECK_INT(cia_chart_render(&sp, t, &e), CIA_EUSAGE);
    size_t label_col = 0;
    sp.rows = NULL;
    sp.cols = &label_col;
    sp.ncols = 1;
    CHECK_INT(cia_chart_render(&sp, t, &e), CIA_EUSAGE);
    sp.cols = NULL;
    cia_table *empty = cia_table_new("empty", "Empty", 3, 1);
    CHECK_INT(cia_chart_render(&sp, empty, &e), CIA_EDATA);
    CHECK(access(sp.path, F_OK) != 0);
    /* A directory where the file should go: cannot rename into place. */
    mkdir(tmp_path("isdir.svg"), 0700);
    sp.path = tmp_path("isdir.svg");
    CHECK_INT(cia_chart_render(&sp, t, &e), CIA_ECANTCREAT);
    rmdir(tmp_path("isdir.svg"));
    /* Failures leave nothing behind, not even a temporary file. */
    int before = dir_entries(tmpdir);
    sp.path = tmp_path("x.txt");
    cia_chart_render(&sp, t, &e);
    CHECK_INT(dir_entries(tmpdir), before);
    DIR *d = opendir(tmpdir);
    struct dirent *de;
    while (d && (de = readdir(d))) CHECK(strstr(de->d_name, ".tmp.") == NULL);
    if (d) closedir(d);
    cia_table_free(empty);
    cia_table_free(t);
}

/* A directory the chart may not be written to → CIA_ECANTCREAT, no file.
 * (Root writes anywhere, so the check is skipped there.) */
static void test_unwritable_dir(void)
{
    if (geteuid() == 0) return;
    char *dir = cia_xstrdup(tmp_path("ro"));
    mkdir(dir, 0500);
    char *path = cia_xasprintf("%s/chart.pdf", dir);
    cia_table *t = grouped_table("RO");
    cia_chart_spec sp = { .kind = CIA_CHART_GROUPED, .path = path };
    cia_err e;
    CHECK_INT(cia_chart_render(&sp, t, &e), CIA_ECANTCREAT);
    CHECK(access(path, F_OK) != 0);
    CHECK_INT(dir_entries(dir), 0);
    rmdir(dir);
    free(dir);
    free(path);
    cia_table_free(t);
}

static void test_helpers(void)
{
    double mm;
    CHECK(cia_chart_parse_length("170mm", 0, &mm) == 0 && fabs(mm - 170) < 1e-9);
    CHECK(cia_chart_parse_length("17cm", 0, &mm) == 0 && fabs(mm - 170) < 1e-9);
    CHECK(cia_chart_parse_length("10in", 0, &mm) == 0 && fabs(mm - 254) < 1e-9);
    CHECK(cia_chart_parse_length("72pt", 0, &mm) == 0 && fabs(mm - 25.4) < 1e-9);
    CHECK(cia_chart_parse_length("1920px", 192, &mm) == 0 && fabs(mm - 254) < 1e-9);
    CHECK(cia_chart_parse_length("120", 0, &mm) == 0 && fabs(mm - 120) < 1e-9);
    CHECK(cia_chart_parse_length("1920px", 0, &mm) != 0);
    CHECK(cia_chart_parse_length("-3mm", 0, &mm) != 0);
    CHECK(cia_chart_parse_length("3furlongs", 0, &mm) != 0);
    CHECK(cia_chart_parse_length("", 0, &mm) != 0);
    CHECK_INT(cia_chart_format_of("a/b.PNG"), CIA_CHART_PNG);
    CHECK_INT(cia_chart_format_of("x.svg"), CIA_CHART_SVG);
    CHECK_INT(cia_chart_format_of("x.pdf"), CIA_CHART_PDF);
    CHECK_INT(cia_chart_format_of("x.pdf.gz"), -1);
    CHECK_INT(cia_chart_format_of("a.png/x"), -1);
    enum cia_chart_kind k;
    CHECK(cia_chart_kind_parse("grouped", &k) == 0 && k == CIA_CHART_GROUPED);
    CHECK(cia_chart_kind_parse("pie", &k) != 0);
    CHECK_STR(cia_chart_kind_name(CIA_CHART_STACKED), "stacked");
    /* Bar colours of a series keep their order in grayscale: lightness
     * rises with the series, in steps a photocopier keeps apart. */
    for (size_t n = 2; n <= 5; n++) {
        double prev = -1;
        for (size_t i = 0; i < n; i++) {
            double c[3];
            cia_chart_series_rgb(CIA_CHART_STACKED, i, n, c);
            double y = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
            CHECK(y > prev + 0.08);
            prev = y;
        }
    }
}

/* A stack over a few years labels its segments inside them (white on the
 * dark first band, near-black on the light last one); over many years
 * only the totals.  Values 31 and 62 (total 93) are nowhere else. */
static void test_segment_labels(void)
{
    for (int many = 0; many < 2; many++) {
        size_t ny = many ? 9 : 3;
        cia_table *t = cia_table_new("seg", "Segments", 1 + ny, 1);
        cia_table_set_col(t, 0, "code", "Band");
        for (size_t y = 0; y < ny; y++) {
            char k[8];
            snprintf(k, sizeof k, "%zu", 2015 + y);
            cia_table_set_col(t, 1 + y, k, k);
        }
        size_t a = cia_table_add_row(t, "A"), b = cia_table_add_row(t, "B");
        cia_table_set_text(t, a, 0, "short");
        cia_table_set_text(t, b, 0, "long");
        for (size_t y = 0; y < ny; y++) {
            cia_table_set_count(t, a, 1 + y, 31, 1, "");
            cia_table_set_count(t, b, 1 + y, 62, 1, "");
        }
        cia_chart_spec sp = { .kind = CIA_CHART_STACKED, .path = tmp_path(many ? "seg9.svg" : "seg3.svg") };
        CHECK_INT(render(&sp, t), CIA_OK);
        char *svg;
        size_t len;
        cia_err e;
        if (cia_read_file(sp.path, &svg, &len, &e) == CIA_OK) {
            CHECK(strstr(svg, ">93</text>") != NULL);                       /* totals: always */
            CHECK((strstr(svg, "fill=\"#ffffff\">31</text>") != NULL) == !many);   /* dark band: white */
            CHECK((strstr(svg, "fill=\"#1a1a1a\">62</text>") != NULL) == !many);   /* light band: dark */
            free(svg);
        } else {
            CHECK(0);
        }
        cia_table_free(t);
    }
}

/* ---- colour blindness ------------------------------------------------------ */

/* sRGB → linear, and back (clamped). */
static double lin(double c) { return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4); }
static double delin(double c)
{
    c = c < 0 ? 0 : c > 1 ? 1 : c;
    return c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055;
}

/* How a reader with deuteranopia (cvd 0) or protanopia (1) sees rgb:
 * Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB. */
static void cvd_sim(int cvd, const double in[3], double out[3])
{
    static const double m[2][3][3] = {
        { { 0.367322, 0.860646, -0.227968 }, { 0.280085, 0.672501, 0.047413 },
          { -0.011820, 0.042940, 0.968881 } },
        { { 0.152286, 1.052583, -0.204868 }, { 0.114503, 0.786281, 0.099216 },
          { -0.003882, -0.048116, 1.051998 } },
    };
    double l[3] = { lin(in[0]), lin(in[1]), lin(in[2]) };
    for (int i = 0; i < 3; i++)
        out[i] = delin(m[cvd][i][0] * l[0] + m[cvd][i][1] * l[1] + m[cvd][i][2] * l[2]);
}

static double lab_f(double t) { return t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116; }

/* CIE76 colour difference (ΔE*ab, D65) of two sRGB colours. */
static double delta_e(const double a[3], const double b[3])
{
    double lab[2][3];
    const double *c[2] = { a, b };
    for (int k = 0; k < 2; k++) {
        double r = lin(c[k][0]), g = lin(c[k][1]), bl = lin(c[k][2]);
        double x = (0.4124 * r + 0.3576 * g + 0.1805 * bl) / 0.95047;
        double y = 0.2126 * r + 0.7152 * g + 0.0722 * bl;
        double z = (0.0193 * r + 0.1192 * g + 0.9505 * bl) / 1.08883;
        lab[k][0] = 116 * lab_f(y) - 16;
        lab[k][1] = 500 * (lab_f(x) - lab_f(y));
        lab[k][2] = 200 * (lab_f(y) - lab_f(z));
    }
    return sqrt(pow(lab[0][0] - lab[1][0], 2) + pow(lab[0][1] - lab[1][1], 2) + pow(lab[0][2] - lab[1][2], 2));
}

/* Adjacent bands of a stack (the prison-term lengths: five or six) stay
 * apart for readers with red-green colour blindness, full and lighter
 * provisional bars alike: simulated deuteranopia and protanopia, at
 * least 15 ΔE between neighbours in full colour and 9 in the provisional
 * tint (the earlier palette: 4, two pale greens). */
static void test_colour_blind_neighbours(void)
{
    for (size_t n = 2; n <= 6; n++)
        for (int cvd = 0; cvd < 2; cvd++)
            for (int prov = 0; prov < 2; prov++) {
                double worst = 1e9;
                for (size_t i = 0; i + 1 < n; i++) {
                    double a[3], b[3], sa[3], sb[3];
                    cia_chart_series_rgb(CIA_CHART_STACKED, i, n, a);
                    cia_chart_series_rgb(CIA_CHART_STACKED, i + 1, n, b);
                    if (prov) {
                        double ta[3], tb[3];
                        cia_chart_provisional_rgb(a, ta);
                        cia_chart_provisional_rgb(b, tb);
                        memcpy(a, ta, sizeof a);
                        memcpy(b, tb, sizeof b);
                    }
                    cvd_sim(cvd, a, sa);
                    cvd_sim(cvd, b, sb);
                    double d = delta_e(sa, sb);
                    if (d < worst) worst = d;
                }
                if (worst < (prov ? 9 : 15))
                    fprintf(stderr, "  %zu bands, %s, %s: neighbours %.1f dE apart\n", n,
                            cvd ? "protanopia" : "deuteranopia", prov ? "provisional" : "full", worst);
                CHECK(worst >= (prov ? 9 : 15));
            }
}

/* Every state in every kind, from one table: 2018 a lower bound (7
 * records unknown) for the first series, 2019 a delivered zero, 2020 not
 * delivered, 2021 known, 2022 provisional, 2023 an incomplete year.  The
 * SVG's text says what the reader must see: the marks of the gaps (never
 * a value there), "≥" on the lower bound, "(p)" on the year only, and
 * notes explaining each mark and how many records are unknown. */
static cia_table *states_table(void)
{
    static const char *const ser[3] = { "Sexual", "Labour", "Other" };
    cia_table *t = cia_table_new("states", "States", 1 + NY, 1);
    cia_table_set_col(t, 0, "item", "Item");
    for (int y = 0; y < NY; y++) cia_table_set_col(t, 1 + (size_t)y, years[y], years[y]);
    for (size_t r = 0; r < 3; r++) {
        size_t row = cia_table_add_row(t, ser[r]);
        cia_table_set_text(t, row, 0, ser[r]);
        for (int y = 0; y < NY; y++) {
            static const char *const fl[NY] = { "", "", "n", "", "p", "i" };
            double v = y == 1 ? 0 : 40 + 10 * (double)r + 3 * y;
            const char *f = y == 0 && r == 0 ? "u" : fl[y];
            cia_table_set_count(t, row, 1 + (size_t)y, v, 1, f);
            if (y == 0 && r == 0) cia_table_set_n_unknown(t, row, 1, 7);
        }
    }
    return t;
}

static void test_states_every_kind(void)
{
    for (int k = 0; k < 3; k++)
        for (int f = 0; f < 2; f++) {
            char name[64];
            snprintf(name, sizeof name, "states-%s.%s", cia_chart_kind_name(kinds[k]), f ? "svg" : "png");
            cia_table *t = states_table();
            /* grouped: years as the bars' categories too */
            cia_chart_spec sp = { .kind = kinds[k], .path = tmp_path(name), .lang = "en",
                                  .as_of = "2024-05-01", .series = CIA_CHART_SERIES_ROWS };
            CHECK_INT(render(&sp, t), CIA_OK);
            if (f == 1) {
                char *svg = NULL;
                size_t len;
                cia_err e;
                CHECK(cia_read_file(sp.path, &svg, &len, &e) == 0);
                if (svg) {
                    CHECK(strstr(svg, ">n.d.</text>") || kinds[k] == CIA_CHART_TREND);
                    CHECK(strstr(svg, ">n.d.: not delivered") || strstr(svg, "n.d.: not delivered"));
                    CHECK(strstr(svg, "incompl.: incomplete year") != NULL);
                    CHECK(strstr(svg, ">2022 (p)</text>") != NULL);
                    CHECK(strstr(svg, ">2021 (p)</text>") == NULL);
                    CHECK(strstr(svg, "(7 records left") != NULL);
                    CHECK(strstr(svg, ">\xe2\x89\xa5\xc2\xa0") != NULL);          /* a "≥ " label */
                    /* nothing drawn as a value for the years without figures */
                    CHECK(strstr(svg, "2020 n.d.") != NULL);                     /* the desc */
                    if (kinds[k] != CIA_CHART_TREND) CHECK(strstr(svg, ">provisional</text>") != NULL);
                    if (kinds[k] == CIA_CHART_TREND) CHECK(strstr(svg, ">incompl.</text>") != NULL);
                }
                free(svg);
            }
            cia_table_free(t);
        }
    /* Years as the series (bars by category, one bar per year): "(p)"
     * marks the year in the legend, never the categories. */
    cia_table *t = states_table();
    cia_chart_spec sp = { .kind = CIA_CHART_GROUPED, .path = tmp_path("states-by-cat.svg"), .lang = "en",
                          .series = CIA_CHART_SERIES_COLS };
    CHECK_INT(render(&sp, t), CIA_OK);
    char *svg = NULL;
    size_t len;
    cia_err e;
    CHECK(cia_read_file(sp.path, &svg, &len, &e) == 0);
    if (svg) {
        CHECK(strstr(svg, ">2022 (p)</text>") != NULL);
        CHECK(strstr(svg, "Sexual (p)") == NULL);
        CHECK(strstr(svg, "Labour (p)") == NULL);
    }
    free(svg);
    cia_table_free(t);
    /* Too narrow for value labels (18 bars on 45 mm): a lower bound still
     * reads "≥" at its end, and the note explains it with its count. */
    t = states_table();
    cia_chart_spec sn = { .kind = CIA_CHART_GROUPED, .path = tmp_path("states-narrow.svg"), .lang = "en",
                          .series = CIA_CHART_SERIES_COLS, .width_mm = 45, .height_mm = 80 };
    CHECK_INT(render(&sn, t), CIA_OK);
    svg = NULL;
    CHECK(cia_read_file(sn.path, &svg, &len, &e) == 0);
    if (svg) {
        CHECK(strstr(svg, ">\xe2\x89\xa5\xc2\xa0") == NULL);                /* no value labels */
        CHECK(strstr(svg, ">\xe2\x89\xa5</text>") != NULL);                   /* "≥" on the bar */
        CHECK(strstr(svg, "lower bound: the true figure is at least this") != NULL);   /* the note */
        CHECK(strstr(svg, "records left these figures unknown") != NULL);       /* (7 …: it wraps) */
    }
    free(svg);
    cia_table_free(t);
}

UNIT_MAIN(T(test_helpers), T(test_every_kind_every_format), T(test_languages_in_pdf),
          T(test_sizes), T(test_bar_pixels), T(test_horizontal_bar_pixels),
          T(test_stacked_segments), T(test_trend_gap_pixels), T(test_provisional_dashed),
          T(test_errors), T(test_unwritable_dir), T(test_states_every_kind),
          T(test_colour_blind_neighbours), T(test_segment_labels))
