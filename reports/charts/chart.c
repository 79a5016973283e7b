/* chart.c — owns the one drawing core every chart kind is built on:
 * output surfaces (PNG, SVG, PDF by extension) and their sizes, the page
 * frame (title, subtitle, source and as-of note, flag notes), text through
 * pango, the palette and mark styles, the legend, and the axes with nice
 * 1-2-5 ticks and per-language numbers.  The kinds themselves live in
 * chart_kinds.c and only call the functions of chart_int.h.
 *
 * Units: all layout is done in points (1/72 in).  PDF and SVG surfaces are
 * sized in points; the PNG surface is scaled by dpi/72, so one layout
 * serves every format and the three outputs look the same.  The same
 * drawing can also go onto a caller's cairo context (cia_chart_draw: the
 * pack's PDF annex draws its figures as vectors).
 *
 * PNG files are written with libpng directly rather than by cairo:
 * cairo's writer lets libpng try every row filter at zlib's default level,
 * which was a third of the biennial pack's CPU; one fixed filter (Up) at
 * level 1 writes the same pixels about three times faster, in files about
 * 40 % larger.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <time.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>
#include <png.h>
#include "chart_int.h"
#include "ciatteh/render.h"
#include "ciatteh/text.h"
#include "ciatteh/util.h"

/* DejaVu ships in fonts-dejavu-core; the list lets fontconfig fall back
 * to another installed sans face (and per character, for scripts DejaVu
 * lacks) instead of drawing boxes. */
#define CHART_FONT "DejaVu Sans, Liberation Sans, Noto Sans, Sans"

/* U+2265 GREATER-THAN OR EQUAL TO + U+00A0: a lower bound reads "≥ 12". */
#define GE_SIGN "\xe2\x89\xa5\xc2\xa0"
#define GE_MARK "\xe2\x89\xa5"          /* what makes a label a lower bound's: "≥ 12", or "≥" alone on a bar too narrow for its label */

struct cia_chart {
    cairo_t *cr;
    PangoFontMap *fm;
    PangoContext *pc;
    const char *lang;
    const char *value_label;
    enum cia_chart_kind kind;
    enum cia_chart_orient orient;
    double fscale;              /* type and line scale of this page */
    size_t nser;                /* bar colours are spread over the series count */
    const cia_chart_data *data; /* what is being drawn (tick number format) */
    double width;               /* page width, points */
    int drew_lower;             /* a "≥" value label was drawn: explain it */
    cia_buf *svg_text;          /* SVG output: text as <text> elements, not outlines */
    cia_chart_axes axes;        /* last layout, for cia_chart_geom */
    int have_axes;
};

/* ---- small helpers ---------------------------------------------------- */

const char *cia_chart_lang(const cia_chart *ch) { return ch->lang; }
enum cia_chart_orient cia_chart_orient_wanted(const cia_chart *ch) { return ch->orient; }
double cia_chart_pt(const cia_chart *ch, double base) { return base * ch->fscale; }


/* The words of charts live with every other output's in reports/words.c
 * (cia_word): "not known", "provisional", "source", "as of", and the
 * chart's own "chart_gap" (what a break in a line means). */

const char *cia_chart_word(const cia_chart *ch, enum cia_chart_word w)
{
    switch (w) {
    case CIA_CW_NOT_KNOWN: return cia_word("not_known", ch->lang);
    case CIA_CW_PROVISIONAL: return cia_word("flag_p", ch->lang);
    }
    return "";
}

/* ---- kinds, formats, lengths ------------------------------------------ */

static const char *const kind_names[] = { "trend", "stacked", "grouped" };

int cia_chart_kind_parse(const char *name, enum cia_chart_kind *kind)
{
    for (size_t i = 0; name && i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (strcmp(name, kind_names[i]) == 0) { *kind = (enum cia_chart_kind)i; return 0; }
    return -1;
}

const char *cia_chart_kind_name(enum cia_chart_kind kind)
{
    return (size_t)kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[kind] : "?";
}

int cia_chart_format_of(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || strchr(dot, '/')) return -1;
    if (strcasecmp(dot, ".png") == 0) return CIA_CHART_PNG;
    if (strcasecmp(dot, ".svg") == 0) return CIA_CHART_SVG;
    if (strcasecmp(dot, ".pdf") == 0) return CIA_CHART_PDF;
    return -1;
}

int cia_chart_parse_length(const char *s, double dpi, double *mm)
{
    if (!s || !*s) return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || !isfinite(v) || v <= 0) return -1;
    if (!*end || strcmp(end, "mm") == 0) *mm = v;
    else if (strcmp(end, "cm") == 0) *mm = v * 10;
    else if (strcmp(end, "in") == 0) *mm = v * 25.4;
    else if (strcmp(end, "pt") == 0) *mm = v * 25.4 / 72;
    else if (strcmp(end, "px") == 0 && dpi > 0) *mm = v * 25.4 / dpi;
    else return -1;
    return 0;
}

void cia_chart_geom_free(cia_chart_geom *g)
{
    if (!g) return;
    free(g->cat_pos);
    memset(g, 0, sizeof *g);
}

/* ---- palette ---------------------------------------------------------- */

/* Lines: Okabe–Ito colours, distinguishable with every common colour
 * vision deficiency, ordered so the first series differ most in
 * lightness (blue 46, orange 71, near-black 10, vermillion 54 L*) and so
 * stay apart in grayscale; marker shapes differ too. */
static const unsigned okabe[] = {
    0x0072B2, 0xE69F00, 0x1A1A1A, 0xD55E00, 0x56B4E9, 0x009E73, 0xCC79A7,
};

/* Bars: viridis, whose lightness rises monotonically, so stacked and
 * grouped segments keep their order on a grayscale printer. */
static const unsigned viridis[] = {
    0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C,
    0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725,
};

static void hex_rgb(unsigned h, double rgb[3])
{
    rgb[0] = ((h >> 16) & 0xff) / 255.0;
    rgb[1] = ((h >> 8) & 0xff) / 255.0;
    rgb[2] = (h & 0xff) / 255.0;
}

/* A provisional bar: the same hue at 60 % (still its series in the
 * legend), outlined in the full colour, like the dashed line of a trend. */
void cia_chart_provisional_rgb(const double rgb[3], double fill[3])
{
    for (int j = 0; j < 3; j++) fill[j] = rgb[j] + (1 - rgb[j]) * 0.4;
}

void cia_chart_series_rgb(enum cia_chart_kind kind, size_t i, size_t n, double rgb[3])
{
    if (kind == CIA_CHART_TREND) {
        hex_rgb(okabe[i % (sizeof okabe / sizeof okabe[0])], rgb);
        return;
    }
    /* Sample 0..0.95, evenly, so neighbours differ in lightness by the
     * same step, as far apart as the scale allows: adjacent bands must
     * stay apart for readers with red-green colour blindness, lighter
     * provisional bars included (test_chart's colour-blindness check;
     * 0.15..0.85 left two provisional greens almost alike).  Only the
     * palest yellow is left out, too faint on white. */
    double t = n <= 1 ? 0.35 : 0.95 * (double)(i < n ? i : n - 1) / (double)(n - 1);
    double f = t * 10.0;
    size_t k = (size_t)floor(f);
    if (k >= 10) k = 9;
    double a[3], b[3];
    hex_rgb(viridis[k], a);
    hex_rgb(viridis[k + 1], b);
    for (int j = 0; j < 3; j++) rgb[j] = a[j] + (b[j] - a[j]) * (f - (double)k);
}

static double luminance(const double rgb[3])
{
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
}

/* ---- text --------------------------------------------------------------- */

struct text_style { double size, grey; int bold; };

/* Sizes on the 170 mm A4 chart; the page scale multiplies them.  The
 * smallest (notes) stays at 7 pt, the footnote size of the reports. */
static const struct text_style text_styles[] = {
    [CIA_CT_TITLE] = { 11.5, 0.08, 1 },
    [CIA_CT_SUBTITLE] = { 9.0, 0.30, 0 },
    [CIA_CT_LABEL] = { 8.0, 0.22, 0 },
    [CIA_CT_VALUE] = { 7.5, 0.08, 1 },
    [CIA_CT_NOTE] = { 7.0, 0.35, 0 },
};

static PangoLayout *make_layout(cia_chart *ch, enum cia_chart_text style, const char *text,
                                double wrap, int anchor)
{
    PangoLayout *l = pango_layout_new(ch->pc);
    PangoFontDescription *fd = pango_font_description_from_string(CHART_FONT);
    /* Absolute size: user units are points whatever the surface. */
    pango_font_description_set_absolute_size(fd, text_styles[style].size * ch->fscale * PANGO_SCALE);
    if (text_styles[style].bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(l, text ? text : "", -1);
    if (wrap > 0) {
        pango_layout_set_width(l, (int)(wrap * PANGO_SCALE));
        /* Words only: "2015" must never become "201" over "5"; the axis
         * thins labels out instead when a word does not fit. */
        pango_layout_set_wrap(l, PANGO_WRAP_WORD);
        int h = anchor & 3;
        pango_layout_set_alignment(l, h == CIA_AN_CENTER ? PANGO_ALIGN_CENTER
                                      : h == CIA_AN_RIGHT ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    }
    return l;
}

static void layout_box(PangoLayout *l, double *x, double *y, double *w, double *h)
{
    PangoRectangle log;
    pango_layout_get_extents(l, NULL, &log);
    *x = log.x / (double)PANGO_SCALE;
    *y = log.y / (double)PANGO_SCALE;
    *w = log.width / (double)PANGO_SCALE;
    *h = log.height / (double)PANGO_SCALE;
}

void cia_chart_measure(cia_chart *ch, enum cia_chart_text style, const char *text,
                       double wrap, double *w, double *h)
{
    PangoLayout *l = make_layout(ch, style, text, wrap, CIA_AN_LEFT);
    double lx, ly, lw, lh;
    layout_box(l, &lx, &ly, &lw, &lh);
    if (w) *w = lw;
    if (h) *h = lh;
    g_object_unref(l);
}

/* cairo's SVG surface writes text as glyph outlines: nothing to search,
 * select or read aloud.  So on an SVG, each line of a layout becomes a
 * <text> element instead, at pango's own line position and baseline, in
 * the same family and size (referenced, not embedded: DejaVu Sans or the
 * reader's sans), under the current transformation (rotated labels).
 * The elements are collected here and spliced into cairo's file at the
 * end (svg_finish), above the marks, where text was drawn anyway. */
static void svg_layout(cia_chart *ch, PangoLayout *l, const double rgb[3], double ox, double oy)
{
    cia_buf *b = ch->svg_text;
    cairo_matrix_t m;
    cairo_get_matrix(ch->cr, &m);
    const PangoFontDescription *fd = pango_layout_get_font_description(l);
    double size = pango_font_description_get_size(fd) / (double)PANGO_SCALE;
    int bold = pango_font_description_get_weight(fd) >= PANGO_WEIGHT_BOLD;
    const char *text = pango_layout_get_text(l);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        size_t n = (size_t)line->length;
        const char *s = text + line->start_index;
        while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r')) n--;
        if (!n) continue;
        PangoRectangle log;
        pango_layout_iter_get_line_extents(it, NULL, &log);
        double lx = ox + log.x / (double)PANGO_SCALE;
        double by = oy + pango_layout_iter_get_baseline(it) / (double)PANGO_SCALE;
        cia_buf_adds(b, "<text");
        if (m.xx != 1 || m.yx != 0 || m.xy != 0 || m.yy != 1 || m.x0 != 0 || m.y0 != 0)
            cia_buf_printf(b, " transform=\"matrix(%.4g %.4g %.4g %.4g %.3f %.3f)\"",
                           m.xx, m.yx, m.xy, m.yy, m.x0, m.y0);
        cia_buf_printf(b, " x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\"%s fill=\"#%02x%02x%02x\">",
                       lx, by, size, bold ? " font-weight=\"bold\"" : "",
                       (unsigned)lround(rgb[0] * 255), (unsigned)lround(rgb[1] * 255),
                       (unsigned)lround(rgb[2] * 255));
        char *piece = cia_xstrndup(s, n);
        cia_buf_add_xml(b, piece);
        free(piece);
        cia_buf_adds(b, "</text>\n");
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

/* Draw l with its logical box anchored at (x, y) in the current frame. */
static void show_anchored(cia_chart *ch, PangoLayout *l, const double rgb[3],
                          double x, double y, int anchor)
{
    double lx, ly, w, h;
    layout_box(l, &lx, &ly, &w, &h);
    double ax = (anchor & 3) == CIA_AN_CENTER ? 0.5 : (anchor & 3) == CIA_AN_RIGHT ? 1 : 0;
    double ay = (anchor & 12) == CIA_AN_MIDDLE ? 0.5 : (anchor & 12) == CIA_AN_BOTTOM ? 1 : 0;
    if (ch->svg_text) {
        svg_layout(ch, l, rgb, x - ax * w - lx, y - ay * h - ly);
        return;
    }
    cairo_set_source_rgb(ch->cr, rgb[0], rgb[1], rgb[2]);
    cairo_move_to(ch->cr, x - ax * w - lx, y - ay * h - ly);
    pango_cairo_update_layout(ch->cr, l);
    pango_cairo_show_layout(ch->cr, l);
}

void cia_chart_text(cia_chart *ch, enum cia_chart_text style, const char *text,
                    double x, double y, double wrap, int anchor)
{
    if (!text || !*text) return;
    if (style == CIA_CT_VALUE && strncmp(text, GE_MARK, strlen(GE_MARK)) == 0) ch->drew_lower = 1;
    PangoLayout *l = make_layout(ch, style, text, wrap, anchor);
    double g = text_styles[style].grey, rgb[3] = { g, g, g };
    show_anchored(ch, l, rgb, x, y, anchor);
    g_object_unref(l);
}

void cia_chart_text_up(cia_chart *ch, enum cia_chart_text style, const char *text,
                       double x, double y, int anchor)
{
    if (!text || !*text) return;
    PangoLayout *l = make_layout(ch, style, text, 0, anchor);
    cairo_save(ch->cr);
    cairo_translate(ch->cr, x, y);
    cairo_rotate(ch->cr, -M_PI / 2);
    double g = text_styles[style].grey, rgb[3] = { g, g, g };
    show_anchored(ch, l, rgb, 0, 0, anchor);
    cairo_restore(ch->cr);
    g_object_unref(l);
}

/* ---- values --------------------------------------------------------------- */

static int drawable(const cia_cell *c, double *v)
{
    if (!c || !c->known || cia_cell_has_flag(c, 'c')) return 0;
    if (c->type != CIA_CELL_COUNT && c->type != CIA_CELL_PERCENT && c->type != CIA_CELL_DELTA)
        return 0;
    if (!isfinite(c->value)) return 0;
    if (v) *v = c->value;
    return 1;
}

int cia_chart_value(const cia_chart_data *d, size_t s, size_t c, double *v)
{
    if (s >= d->nser || c >= d->ncat) return 0;
    return drawable(d->cells[s * d->ncat + c], v);
}

int cia_chart_provisional(const cia_chart_data *d, size_t s, size_t c)
{
    return cia_chart_value(d, s, c, NULL) && cia_cell_has_flag(d->cells[s * d->ncat + c], 'p');
}

int cia_chart_lower(const cia_chart_data *d, size_t s, size_t c)
{
    return cia_chart_value(d, s, c, NULL) && cia_cell_has_flag(d->cells[s * d->ncat + c], 'u');
}

/* A text or empty cell in a value column is "not known" too. */
static enum cia_state gap_state(const cia_cell *cell)
{
    enum cia_state st = cia_cell_state(cell);
    return st == CIA_ST_KNOWN || st == CIA_ST_ZERO || st == CIA_ST_LOWER ? CIA_ST_NOT_KNOWN : st;
}

const char *cia_chart_gap_mark(cia_chart *ch, const cia_chart_data *d, size_t s, size_t c)
{
    if (s >= d->nser || c >= d->ncat) return "";
    return cia_state_mark(gap_state(d->cells[s * d->ncat + c]), ch->lang);
}

void cia_chart_value_text(cia_chart *ch, const cia_chart_data *d, double v, int lower,
                          char *buf, size_t n)
{
    char num[64];
    /* One decimal, as in every other output of the same share. */
    if (d->percent) cia_format_percent(v, 1, ch->lang, num, sizeof num);
    else if (d->delta) cia_format_delta(v, ch->lang, num, sizeof num);
    else cia_format_count(v, ch->lang, num, sizeof num);
    snprintf(buf, n, "%s%s", lower ? GE_SIGN : "", num);
}

/* Tick labels need as many decimals as the step has (percent ticks of
 * 2.5 % need one, of 10 % none). */
static void tick_text(cia_chart *ch, const cia_chart_data *d, double v, double step,
                      char *buf, size_t n)
{
    if (d->percent) {
        int dec = 0;
        for (double s = step * 100; dec < 4 && fabs(s - round(s)) > 1e-9; s *= 10) dec++;
        cia_format_percent(v, dec, ch->lang, buf, n);
    } else {
        cia_format_count(v, ch->lang, buf, n);
    }
}

/* ---- marks ------------------------------------------------------------- */

static void series_rgb(const cia_chart *ch, int s, double rgb[3])
{
    if (s < 0) { rgb[0] = rgb[1] = rgb[2] = 0.55; return; }
    cia_chart_series_rgb(ch->kind, (size_t)s, ch->nser, rgb);
}

/* WCAG relative luminance (linear light), for text contrast. */
static double rel_luminance(const double rgb[3])
{
    double lin[3];
    for (int j = 0; j < 3; j++)
        lin[j] = rgb[j] <= 0.04045 ? rgb[j] / 12.92 : pow((rgb[j] + 0.055) / 1.055, 2.4);
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

void cia_chart_text_in_bar(cia_chart *ch, int s, int provisional, const char *text, double x, double y)
{
    if (!text || !*text) return;
    if (strncmp(text, GE_MARK, strlen(GE_MARK)) == 0) ch->drew_lower = 1;
    double rgb[3], fill[3];
    series_rgb(ch, s, rgb);
    if (provisional) cia_chart_provisional_rgb(rgb, fill);
    else memcpy(fill, rgb, sizeof fill);
    /* white on a dark fill, near-black on a light one: the larger contrast */
    double L = rel_luminance(fill), ink = (L + 0.05) / 0.05 > 1.05 / (L + 0.05) ? 0.1 : 1.0;
    double c[3] = { ink, ink, ink };
    PangoLayout *l = make_layout(ch, CIA_CT_VALUE, text, 0, CIA_AN_CENTER | CIA_AN_MIDDLE);
    show_anchored(ch, l, c, x, y, CIA_AN_CENTER | CIA_AN_MIDDLE);
    g_object_unref(l);
}

void cia_chart_text_series(cia_chart *ch, enum cia_chart_text style, int s, const char *text,
                           double x, double y, int anchor)
{
    if (!text || !*text) return;
    if (style == CIA_CT_VALUE && strncmp(text, GE_MARK, strlen(GE_MARK)) == 0) ch->drew_lower = 1;
    double rgb[3];
    series_rgb(ch, s, rgb);
    /* Darken until the text reaches 4.5:1 contrast on white (WCAG AA):
     * the hue still ties the label to its line, and orange stays legible. */
    for (int i = 0; i < 30 && rel_luminance(rgb) > 0.18; i++)
        for (int j = 0; j < 3; j++) rgb[j] *= 0.93;
    PangoLayout *l = make_layout(ch, style, text, 0, anchor);
    show_anchored(ch, l, rgb, x, y, anchor);
    g_object_unref(l);
}

/* Hatching for every second series of side-by-side bars: neighbours then
 * differ in texture as well as lightness, which survives a photocopier.
 * Stacked segments are separated by white rules instead (texture on a
 * stack is noise). */
static void hatch(cia_chart *ch, double x, double y, double w, double h, const double rgb[3])
{
    cairo_t *cr = ch->cr;
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    if (luminance(rgb) < 0.35) cairo_set_source_rgba(cr, 1, 1, 1, 0.55);
    else cairo_set_source_rgba(cr, 0, 0, 0, 0.35);
    cairo_set_line_width(cr, cia_chart_pt(ch, 0.7));
    double sp = cia_chart_pt(ch, 3.2);
    for (double o = -h; o < w + h; o += sp) {
        cairo_move_to(cr, x + o, y + h);
        cairo_line_to(cr, x + o + h, y);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

void cia_chart_bar(cia_chart *ch, int s, double x, double y, double w, double h, int provisional)
{
    if (w < 0) { x += w; w = -w; }
    if (h < 0) { y += h; h = -h; }
    if (w <= 0 || h <= 0) return;
    double rgb[3], fill[3];
    series_rgb(ch, s, rgb);
    if (provisional) cia_chart_provisional_rgb(rgb, fill);
    else memcpy(fill, rgb, sizeof fill);
    cairo_set_source_rgb(ch->cr, fill[0], fill[1], fill[2]);
    cairo_rectangle(ch->cr, x, y, w, h);
    cairo_fill(ch->cr);
    if (ch->kind == CIA_CHART_GROUPED && s >= 0 && s % 2 == 1) hatch(ch, x, y, w, h, fill);
    if (provisional) {
        double lw = cia_chart_pt(ch, 0.9);
        cairo_save(ch->cr);
        cairo_set_source_rgb(ch->cr, rgb[0], rgb[1], rgb[2]);
        cairo_set_line_width(ch->cr, lw);
        cairo_rectangle(ch->cr, x + lw / 2, y + lw / 2, w > lw ? w - lw : 0, h > lw ? h - lw : 0);
        cairo_stroke(ch->cr);
        cairo_restore(ch->cr);
    }
}

void cia_chart_separator(cia_chart *ch, double x0, double y0, double x1, double y1)
{
    cairo_set_source_rgb(ch->cr, 1, 1, 1);
    cairo_set_line_width(ch->cr, cia_chart_pt(ch, 0.75));
    cairo_set_line_cap(ch->cr, CAIRO_LINE_CAP_BUTT);
    cairo_move_to(ch->cr, x0, y0);
    cairo_line_to(ch->cr, x1, y1);
    cairo_stroke(ch->cr);
}

void cia_chart_segment(cia_chart *ch, int s, double x0, double y0, double x1, double y1,
                       int dashed)
{
    cairo_t *cr = ch->cr;
    double rgb[3];
    series_rgb(ch, s, rgb);
    cairo_save(cr);
    cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
    cairo_set_line_width(cr, cia_chart_pt(ch, 1.8));
    if (dashed) {
        /* Provisional: dashes long enough to read as a line, clearly
         * broken; butt caps so the gaps stay open. */
        double dash[2] = { cia_chart_pt(ch, 4.0), cia_chart_pt(ch, 2.6) };
        cairo_set_dash(cr, dash, 2, 0);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    } else {
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    }
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* Marker shapes differ per series so lines stay apart without colour. */
static void marker_path(cairo_t *cr, int shape, double x, double y, double r)
{
    switch (shape % 5) {
    case 0: cairo_arc(cr, x, y, r, 0, 2 * M_PI); break;
    case 1: cairo_rectangle(cr, x - r * 0.88, y - r * 0.88, r * 1.76, r * 1.76); break;
    case 2:
        cairo_move_to(cr, x, y - r * 1.15);
        cairo_line_to(cr, x + r * 1.05, y + r * 0.7);
        cairo_line_to(cr, x - r * 1.05, y + r * 0.7);
        cairo_close_path(cr);
        break;
    case 3:
        cairo_move_to(cr, x, y - r * 1.2);
        cairo_line_to(cr, x + r * 1.2, y);
        cairo_line_to(cr, x, y + r * 1.2);
        cairo_line_to(cr, x - r * 1.2, y);
        cairo_close_path(cr);
        break;
    default:
        cairo_move_to(cr, x, y + r * 1.15);
        cairo_line_to(cr, x + r * 1.05, y - r * 0.7);
        cairo_line_to(cr, x - r * 1.05, y - r * 0.7);
        cairo_close_path(cr);
        break;
    }
}

void cia_chart_marker(cia_chart *ch, int s, double x, double y, int hollow)
{
    cairo_t *cr = ch->cr;
    double rgb[3];
    series_rgb(ch, s, rgb);
    double r = cia_chart_pt(ch, 2.5);
    marker_path(cr, s < 0 ? 0 : s, x, y, r);
    if (hollow) {
        /* Provisional point: open marker, like the dashed line into it. */
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
        cairo_set_line_width(cr, cia_chart_pt(ch, 1.2));
        cairo_stroke(cr);
    } else {
        cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
        cairo_fill(cr);
    }
}

void cia_chart_leader(cia_chart *ch, double x0, double y0, double x1, double y1)
{
    cairo_set_source_rgb(ch->cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(ch->cr, cia_chart_pt(ch, 0.5));
    cairo_move_to(ch->cr, x0, y0);
    cairo_line_to(ch->cr, x1, y1);
    cairo_stroke(ch->cr);
}

/* ---- legend ------------------------------------------------------------- */

void cia_chart_legend(cia_chart *ch, const cia_chart_legend_item *items, size_t n,
                      cia_rect *area)
{
    if (!n) return;
    double lab_h, em;
    cia_chart_measure(ch, CIA_CT_LABEL, "Ag", 0, NULL, &lab_h);
    em = text_styles[CIA_CT_LABEL].size * ch->fscale;
    double box = em * 0.95, line_w = em * 2.2, sw_gap = em * 0.45, item_gap = em * 1.5;
    double row_h = lab_h > box ? lab_h : box, row_gap = em * 0.35;
    double x = area->x, y = area->y;
    for (size_t i = 0; i < n; i++) {
        double sw = items[i].swatch == CIA_SW_BOX || items[i].swatch == CIA_SW_BOX_PROVISIONAL ? box : line_w;
        double tw;
        cia_chart_measure(ch, CIA_CT_LABEL, items[i].label, 0, &tw, NULL);
        double iw = sw + sw_gap + tw;
        if (x > area->x && x + iw > area->x + area->w) {   /* wrap the row */
            x = area->x;
            y += row_h + row_gap;
        }
        double cy = y + row_h / 2;
        if (items[i].swatch == CIA_SW_BOX || items[i].swatch == CIA_SW_BOX_PROVISIONAL) {
            cia_chart_bar(ch, items[i].series, x, cy - box / 2, box, box,
                          items[i].swatch == CIA_SW_BOX_PROVISIONAL);
        } else {
            cia_chart_segment(ch, items[i].series, x, cy, x + sw, cy, items[i].swatch == CIA_SW_DASHED);
            if (items[i].swatch == CIA_SW_LINE && items[i].series >= 0)
                cia_chart_marker(ch, items[i].series, x + sw / 2, cy, 0);
        }
        cia_chart_text(ch, CIA_CT_LABEL, items[i].label, x + sw + sw_gap, cy, 0,
                       CIA_AN_LEFT | CIA_AN_MIDDLE);
        x += iw + item_gap;
    }
    double used = y + row_h - area->y + em * 0.9;
    area->y += used;
    area->h -= used;
}

/* ---- axes ---------------------------------------------------------------- */

/* Nice scale: a step of 1, 2 or 5 × 10^k giving about `target` ticks,
 * bounds on whole steps.  Counts never get fractional ticks. */
static void nice_scale(double vmin, double vmax, int target, int integer,
                       double *lo, double *hi, double *step)
{
    if (target < 2) target = 2;
    if (!(vmax > vmin)) vmax = vmin + (integer ? 1 : (fabs(vmin) > 0 ? fabs(vmin) : 1));
    double raw = (vmax - vmin) / target;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double m = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
    double st = m * mag;
    if (integer && st < 1) st = 1;
    *step = st;
    *lo = floor(vmin / st + 1e-9) * st;
    *hi = ceil(vmax / st - 1e-9) * st;
    if (*hi <= *lo) *hi = *lo + st;
}

static double tick_width(cia_chart *ch, const cia_chart_data *d, const cia_chart_axes *a)
{
    double wmax = 0;
    char buf[64];
    for (double v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step) {
        double w;
        tick_text(ch, d, round(v / a->step) * a->step, a->step, buf, sizeof buf);
        cia_chart_measure(ch, CIA_CT_LABEL, buf, 0, &w, NULL);
        if (w > wmax) wmax = w;
    }
    return wmax;
}

static int all_years(const cia_chart_axes *a)
{
    for (size_t c = 0; c < a->ncat; c++)
        if (!a->cat_label[c] || !isdigit((unsigned char)a->cat_label[c][0])) return 0;
    return 1;
}

/* Width of the widest space-separated word of s (U+00A0 and U+202F
 * join words, as they do in print). */
static double longest_word(cia_chart *ch, const char *s)
{
    double best = 0;
    while (s && *s) {
        size_t n = strcspn(s, " ");
        if (n) {
            char *w = cia_xstrndup(s, n);
            double ww;
            cia_chart_measure(ch, CIA_CT_LABEL, w, 0, &ww, NULL);
            if (ww > best) best = ww;
            free(w);
        }
        s += n;
        while (*s == ' ') s++;
    }
    return best;
}

/* Fit category labels under bands of width `band`: one line if they fit,
 * else wrapped (at most three lines), else every k-th label. */
static void fit_categories(cia_chart *ch, cia_chart_axes *a, double band, double *height)
{
    double lab_h, maxw = 0, maxh = 0, room = band * 0.92;
    cia_chart_measure(ch, CIA_CT_LABEL, "Ag", 0, NULL, &lab_h);
    for (size_t c = 0; c < a->ncat; c++) {
        double w;
        cia_chart_measure(ch, CIA_CT_LABEL, a->cat_label[c], 0, &w, NULL);
        if (w > maxw) maxw = w;
    }
    a->wrapped = 0;
    a->label_every = 1;
    *height = lab_h;
    if (maxw <= room) return;
    int ok = 1;
    for (size_t c = 0; c < a->ncat && ok; c++) ok = longest_word(ch, a->cat_label[c]) <= room;
    for (size_t c = 0; c < a->ncat && ok; c++) {
        double w, h;
        cia_chart_measure(ch, CIA_CT_LABEL, a->cat_label[c], room, &w, &h);
        if (w > room + 0.5 || h > lab_h * 3.2) ok = 0;
        if (h > maxh) maxh = h;
    }
    if (ok) { a->wrapped = 1; *height = maxh; return; }
    a->label_every = (size_t)ceil(maxw / room);
    if (a->label_every < 2) a->label_every = 2;
}

int cia_chart_axes_layout(cia_chart *ch, cia_chart_axes *a, cia_rect area,
                          const cia_chart_data *d)
{
    double lab_h, gap = cia_chart_pt(ch, 4);
    cia_chart_measure(ch, CIA_CT_LABEL, "Ag", 0, NULL, &lab_h);
    double vmin = a->vmin < 0 ? a->vmin : 0, vmax = a->vmax > 0 ? a->vmax : 0;
    int integer = !d->percent;
    double unit_h = ch->value_label && *ch->value_label ? lab_h + gap * 0.5 : 0;
    a->area = area;
    if (a->ncat == 0) return -1;

    /* Orientation: bars turn horizontal only when their labels would
     * have to be thinned out; years may be thinned, names may not. */
    a->horizontal = a->orient == CIA_CHART_HORIZONTAL;
    if (a->orient == CIA_CHART_ORIENT_AUTO) {
        double est_band = (area.w * 0.9 - a->cat_pad) / (double)a->ncat, hh;
        fit_categories(ch, a, est_band, &hh);
        a->horizontal = a->label_every > 1 && !all_years(a);
    }

    /* Tick labels, plot size and scale depend on each other; a few
     * passes settle them (the widest tick label rarely changes twice). */
    if (!a->horizontal) {
        double left = cia_chart_pt(ch, 20), bottom;
        double top = (a->value_pad > lab_h / 2 ? a->value_pad : lab_h / 2) + unit_h;
        /* Negative values get their labels below the bars: room there too. */
        double neg_pad = vmin < 0 ? a->value_pad : 0;
        for (int pass = 0; pass < 4; pass++) {
            a->plot.w = area.w - left - a->cat_pad;
            a->band = a->plot.w / (double)a->ncat;
            double cat_h;
            fit_categories(ch, a, a->band, &cat_h);
            bottom = cat_h + gap + neg_pad;
            a->plot.h = area.h - top - bottom;
            if (a->plot.w < 10 || a->plot.h < 10) return -1;
            int target = (int)(a->plot.h / (lab_h * 2.6));
            nice_scale(vmin, vmax, target > 8 ? 8 : target, integer, &a->lo, &a->hi, &a->step);
            a->tick_w = tick_width(ch, d, a);
            double nl = a->tick_w + gap * 1.5;
            if (fabs(nl - left) < 0.5) break;
            left = nl;
        }
        a->plot.x = area.x + left;
        a->plot.y = area.y + top;
    } else {
        double maxlab = area.w * 0.32, catw = 0, cat_hmax = 0;
        for (size_t c = 0; c < a->ncat; c++) {
            double w, h;
            cia_chart_measure(ch, CIA_CT_LABEL, a->cat_label[c], maxlab, &w, &h);
            if (w > catw) catw = w;
            if (h > cat_hmax) cat_hmax = h;
        }
        double left = catw + gap * 1.5 + (vmin < 0 ? a->value_pad : 0), right = a->value_pad;
        double bottom = lab_h + gap + unit_h, top = cia_chart_pt(ch, 2);
        a->plot.h = area.h - top - bottom;
        a->band = a->plot.h / (double)a->ncat;
        a->wrapped = 1;
        a->label_every = cat_hmax > a->band * 1.05 ? (size_t)ceil(cat_hmax / a->band) : 1;
        a->tick_w = cia_chart_pt(ch, 24);
        for (int pass = 0; pass < 4; pass++) {
            a->plot.w = area.w - left - right;
            if (a->plot.w < 10 || a->plot.h < 10) return -1;
            int target = (int)(a->plot.w / (a->tick_w + lab_h * 3));
            nice_scale(vmin, vmax, target > 8 ? 8 : target, integer, &a->lo, &a->hi, &a->step);
            a->tick_w = tick_width(ch, d, a);
            /* the last tick label is centred on the plot's end */
            double nr = a->value_pad > a->tick_w / 2 ? a->value_pad : a->tick_w / 2;
            if (fabs(nr - right) < 0.5) break;
            right = nr;
        }
        a->plot.x = area.x + left;
        a->plot.y = area.y + top;
    }
    ch->axes = *a;
    ch->have_axes = 1;
    return 0;
}

double cia_chart_vpos(const cia_chart_axes *a, double v)
{
    double f = (v - a->lo) / (a->hi - a->lo);
    return a->horizontal ? a->plot.x + f * a->plot.w : a->plot.y + a->plot.h - f * a->plot.h;
}

double cia_chart_cpos(const cia_chart_axes *a, size_t c)
{
    double o = a->band * ((double)c + 0.5);
    return a->horizontal ? a->plot.y + o : a->plot.x + o;
}

static int label_shown(const cia_chart_axes *a, size_t c)
{
    /* Thinned labels count back from the last category: the newest year
     * is the one readers look for. */
    return a->label_every <= 1 || (a->ncat - 1 - c) % a->label_every == 0;
}

/* The path of a line across the plot at value position p (a grid line,
 * the zero line): vertical bars' values run up, horizontal ones' across. */
static void value_line(cairo_t *cr, const cia_chart_axes *a, double p)
{
    if (a->horizontal) {
        cairo_move_to(cr, p, a->plot.y);
        cairo_line_to(cr, p, a->plot.y + a->plot.h);
    } else {
        cairo_move_to(cr, a->plot.x, p);
        cairo_line_to(cr, a->plot.x + a->plot.w, p);
    }
}

void cia_chart_axes_draw(cia_chart *ch, const cia_chart_axes *a)
{
    cairo_t *cr = ch->cr;
    const cia_chart_data *d = ch->data;
    double gap = cia_chart_pt(ch, 4), lab_h;
    cia_chart_measure(ch, CIA_CT_LABEL, "Ag", 0, NULL, &lab_h);
    char buf[64];

    /* Grid: light, thin, value lines only — it helps read values off
     * without competing with the marks. */
    cairo_save(cr);
    cairo_set_line_width(cr, cia_chart_pt(ch, 0.45));
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
    for (double v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step)
        value_line(cr, a, cia_chart_vpos(a, round(v / a->step) * a->step));
    cairo_stroke(cr);
    cairo_restore(cr);

    for (double v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step) {
        double tv = round(v / a->step) * a->step, p = cia_chart_vpos(a, tv);
        tick_text(ch, d, tv, a->step, buf, sizeof buf);
        if (a->horizontal)
            cia_chart_text(ch, CIA_CT_LABEL, buf, p, a->plot.y + a->plot.h + gap, 0,
                           CIA_AN_CENTER | CIA_AN_TOP);
        else
            cia_chart_text(ch, CIA_CT_LABEL, buf, a->plot.x - gap * 1.5, p, 0,
                           CIA_AN_RIGHT | CIA_AN_MIDDLE);
    }

    /* Category labels keep clear of the labels of negative bars. */
    double neg_pad = a->lo < 0 ? a->value_pad : 0;
    for (size_t c = 0; c < a->ncat; c++) {
        if (!label_shown(a, c)) continue;
        double p = cia_chart_cpos(a, c);
        if (a->horizontal)
            cia_chart_text(ch, CIA_CT_LABEL, a->cat_label[c], a->plot.x - gap * 1.5 - neg_pad, p,
                           a->area.w * 0.32, CIA_AN_RIGHT | CIA_AN_MIDDLE);
        else {
            /* Keep the first and last labels ("2023 (p)") inside the page. */
            double wrap = a->wrapped ? a->band * 0.92 : 0, w;
            cia_chart_measure(ch, CIA_CT_LABEL, a->cat_label[c], wrap, &w, NULL);
            double right = ch->width - cia_chart_pt(ch, 2);
            if (p + w / 2 > right) p = right - w / 2;
            if (p - w / 2 < a->area.x) p = a->area.x + w / 2;
            cia_chart_text(ch, CIA_CT_LABEL, a->cat_label[c], p,
                           a->plot.y + a->plot.h + gap + neg_pad, wrap, CIA_AN_CENTER | CIA_AN_TOP);
        }
    }

    /* The unit sits where the eye starts reading the value axis: above
     * it (vertical) or after the tick labels (horizontal). */
    if (ch->value_label && *ch->value_label) {
        if (a->horizontal)
            cia_chart_text(ch, CIA_CT_LABEL, ch->value_label, a->plot.x + a->plot.w,
                           a->plot.y + a->plot.h + gap + lab_h + gap * 0.5, 0,
                           CIA_AN_RIGHT | CIA_AN_TOP);
        else
            cia_chart_text(ch, CIA_CT_LABEL, ch->value_label, a->area.x, a->area.y, 0,
                           CIA_AN_LEFT | CIA_AN_TOP);
    }
}

void cia_chart_axes_baseline(cia_chart *ch, const cia_chart_axes *a)
{
    cairo_t *cr = ch->cr;
    double p = cia_chart_vpos(a, 0);
    cairo_save(cr);
    cairo_set_line_width(cr, cia_chart_pt(ch, 0.8));
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    value_line(cr, a, p);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* ---- the table → series × categories -------------------------------- */

/* A row's label: its non-empty label cells joined ("Police – female"). */
static char *row_label(const cia_table *t, size_t r)
{
    cia_buf b;
    cia_buf_init(&b);
    for (size_t c = 0; c < t->nhead; c++) {
        const cia_cell *cell = cia_table_cell_c(t, r, c);
        if (!cell || cell->type != CIA_CELL_TEXT || !cell->text || !*cell->text) continue;
        if (b.len) cia_buf_adds(&b, " \xe2\x80\x93 ");
        cia_buf_adds(&b, cell->text);
    }
    if (!b.len) cia_buf_adds(&b, t->row_keys[r] ? t->row_keys[r] : "");
    return cia_buf_steal(&b);
}

static void data_free(cia_chart_data *d)
{
    for (size_t i = 0; d->ser_label && i < d->nser; i++) free(d->ser_label[i]);
    for (size_t i = 0; d->cat_label && i < d->ncat; i++) free(d->cat_label[i]);
    free(d->ser_label);
    free(d->cat_label);
    free((void *)d->cells);
    free((void *)d->totals);
    memset(d, 0, sizeof *d);
}

static int build_data(const cia_chart_spec *sp, const cia_table *t, cia_chart_data *d,
                      cia_err *e)
{
    memset(d, 0, sizeof *d);
    size_t nr = sp->rows ? sp->nrows : t->nrows, nc = 0;
    size_t *rows = cia_xcalloc(nr ? nr : 1, sizeof *rows);
    size_t *cols = cia_xcalloc(t->ncols ? t->ncols + sp->ncols : 1 + sp->ncols, sizeof *cols);
    int rc = CIA_OK;
    for (size_t i = 0; i < nr; i++) {
        rows[i] = sp->rows ? sp->rows[i] : i;
        if (rows[i] >= t->nrows) {
            rc = cia_fail(e, CIA_EUSAGE, "chart: row %zu not in table %s (%zu rows)",
                          rows[i], t->id, t->nrows);
            goto out;
        }
    }
    if (sp->cols) {
        for (size_t i = 0; i < sp->ncols; i++) {
            if (sp->cols[i] < t->nhead || sp->cols[i] >= t->ncols) {
                rc = cia_fail(e, CIA_EUSAGE, "chart: column %zu is not a value column of table %s",
                              sp->cols[i], t->id);
                goto out;
            }
            cols[nc++] = sp->cols[i];
        }
    } else {
        /* Default: the year columns, so a year-on-year table's change
         * columns stay out of a trend. */
        for (size_t c = t->nhead; c < t->ncols; c++)
            if (cia_is_year_key(t->col_keys[c])) cols[nc++] = c;
        if (!nc)
            for (size_t c = t->nhead; c < t->ncols; c++) cols[nc++] = c;
    }
    int by_rows = sp->series == CIA_CHART_SERIES_ROWS
        || (sp->series == CIA_CHART_SERIES_AUTO && sp->kind != CIA_CHART_GROUPED);
    d->nser = by_rows ? nr : nc;
    d->ncat = by_rows ? nc : nr;
    if (!d->nser || !d->ncat) {
        rc = cia_fail(e, CIA_EDATA, "chart: table %s has nothing to draw (%zu rows, %zu value columns)",
                      t->id, nr, nc);
        goto out;
    }
    d->ser_label = cia_xcalloc(d->nser, sizeof *d->ser_label);
    d->cat_label = cia_xcalloc(d->ncat, sizeof *d->cat_label);
    d->cells = cia_xcalloc(d->nser * d->ncat, sizeof *d->cells);
    for (size_t s = 0; s < d->nser; s++)
        for (size_t c = 0; c < d->ncat; c++) {
            size_t r = rows[by_rows ? s : c], col = cols[by_rows ? c : s];
            const cia_cell *cell = cia_table_cell_c(t, r, col);
            d->cells[s * d->ncat + c] = cell;
            double v;
            if (drawable(cell, &v)) {
                if (cell->type == CIA_CELL_PERCENT) d->percent = 1;
                if (cell->type == CIA_CELL_DELTA) d->delta = 1;
                if (cia_cell_has_flag(cell, 'p')) d->any_provisional = 1;
                if (cia_cell_has_flag(cell, 'u')) {
                    d->any_lower = 1;
                    d->n_unknown += cell->n_unknown;
                }
            } else {
                d->any_unknown = 1;
                d->missing[gap_state(cell)] = 1;
            }
        }
    /* A stack's own total (spec totals): a lower bound though its parts
     * are known when records of an unknown code belong to no part. */
    if (sp->totals && by_rows) {
        d->totals = cia_xcalloc(d->ncat, sizeof *d->totals);
        for (size_t c = 0; c < d->ncat; c++) {
            size_t k = cols[c] - t->nhead;
            const cia_cell *tot = k < sp->ntotals ? sp->totals[k] : NULL;
            double v;
            if (!tot || !drawable(tot, &v)) continue;
            d->totals[c] = tot;
            if (!cia_cell_has_flag(tot, 'u')) continue;
            int parts_lower = 0;
            for (size_t s = 0; s < d->nser; s++) parts_lower |= cia_cell_has_flag(d->cells[s * d->ncat + c], 'u');
            d->any_lower = 1;
            if (!parts_lower) d->n_unknown += tot->n_unknown;   /* else counted with its parts */
        }
    }
    /* "2023 (p)": the mark every other output uses, on the year only —
     * the categories when the columns (years) are categories, the legend
     * when they are the series (bars by nationality, one per year). */
    for (size_t s = 0; s < d->nser; s++) {
        char *lab = by_rows ? row_label(t, rows[s])
                            : cia_xstrdup(t->col_heads[cols[s]] ? t->col_heads[cols[s]] : "");
        int prov = 0;
        for (size_t c = 0; !by_rows && cia_is_year_key(t->col_keys[cols[s]]) && c < d->ncat; c++)
            prov |= cia_chart_provisional(d, s, c);
        d->ser_label[s] = prov ? cia_xasprintf("%s (p)", lab) : cia_xstrdup(lab);
        free(lab);
    }
    for (size_t c = 0; c < d->ncat; c++) {
        const char *base = by_rows ? (t->col_heads[cols[c]] ? t->col_heads[cols[c]] : "") : NULL;
        char *lab = base ? cia_xstrdup(base) : row_label(t, rows[c]);
        int prov = 0;
        for (size_t s = 0; by_rows && cia_is_year_key(t->col_keys[cols[c]]) && s < d->nser; s++)
            prov |= cia_chart_provisional(d, s, c);
        d->cat_label[c] = prov ? cia_xasprintf("%s (p)", lab) : cia_xstrdup(lab);
        free(lab);
    }
out:
    free(rows);
    free(cols);
    if (rc) data_free(d);
    return rc;
}

/* ---- page frame ------------------------------------------------------- */


/* "Source: X · Data as of: 1 May 2024" and, on a second line, what the
 * marks mean — only the marks this chart shows.  Whether a "≥" label was
 * drawn is known only after drawing: the frame keeps room for the note
 * and the footer is drawn last. */
static char *footer_text(const cia_chart_spec *sp, const cia_chart_data *d, int lower)
{
    const char *lang = sp->lang;
    cia_buf b;
    cia_buf_init(&b);
    if (sp->source && *sp->source)
        cia_buf_printf(&b, "%s%s%s", cia_word("source", lang), cia_word("colon", lang), sp->source);
    char date[64];
    if (!sp->as_of || strcmp(sp->as_of, "current") == 0) {
        /* "current" means the newest deliveries at drawing time; a printed
         * chart must still say when that was. */
        char iso[16];
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(iso, sizeof iso, "%Y-%m-%d", &tm);
        cia_format_date(lang, iso, date, sizeof date);
        cia_buf_printf(&b, "%s%s%s%s (%s)", b.len ? " \xc2\xb7 " : "", cia_word("as_of", lang),
                       cia_word("colon", lang), cia_word("current", lang), date);
    } else {
        cia_format_date(lang, sp->as_of, date, sizeof date);
        cia_buf_printf(&b, "%s%s%s%s", b.len ? " \xc2\xb7 " : "", cia_word("as_of", lang),
                       cia_word("colon", lang), date);
    }
    const char *colon = cia_word("colon", lang);
    int first = 1;
#define NOTE(...) do { cia_buf_adds(&b, first ? "\n" : " \xc2\xb7 "); first = 0; \
                       cia_buf_printf(&b, __VA_ARGS__); } while (0)
    if (d->any_provisional)
        NOTE("(p) %s%s", cia_word("flag_p", lang), sp->kind == CIA_CHART_TREND ? "" : cia_word("chart_p_bars", lang));
    if (d->any_unknown && sp->kind == CIA_CHART_TREND) NOTE("%s", cia_word("chart_gap", lang));
    /* Each kind of gap by its mark: a year nobody delivered, a year no
     * delivery covers yet and a value delivered as unknown are different
     * things, and none of them is drawn. */
    static const enum cia_state gaps[] = { CIA_ST_NOT_DELIVERED, CIA_ST_INCOMPLETE, CIA_ST_NOT_KNOWN,
                                           CIA_ST_WITHHELD };
    for (size_t k = 0; k < sizeof gaps / sizeof gaps[0]; k++)
        if (d->missing[gaps[k]])
            NOTE("%s%s%s", cia_state_mark(gaps[k], lang), colon, cia_state_word(gaps[k], lang));
    if (lower) {
        NOTE("\xe2\x89\xa5%s%s", colon, cia_word("flag_u", lang));
        if (d->n_unknown > 0)
            cia_buf_printf(&b, " (%lld %s)", d->n_unknown,
                           cia_word(d->n_unknown == 1 ? "records_unknown_1" : "records_unknown", lang));
    }
#undef NOTE
    return cia_buf_steal(&b);
}


/* ---- the text alternative --------------------------------------------- */

/* What the chart shows, in words: its title, then each series with its
 * values in category order, as every other output writes them ("n.k.",
 * "≥ 12", "(p)").  A screen reader, a search engine and the tagged PDF
 * read this instead of the picture. */
static char *alt_text(const cia_chart_spec *sp, const cia_table *t, const cia_chart_data *d)
{
    const char *lang = sp->lang ? sp->lang : "en";
    const char *title = sp->title ? sp->title : t->title;
    const char *sub = sp->subtitle ? sp->subtitle : t->subtitle;
    cia_buf b;
    cia_buf_init(&b);
    if (title && *title) cia_buf_printf(&b, "%s", title);
    if (sub && *sub) cia_buf_printf(&b, "%s%s", b.len ? ", " : "", sub);
    if (b.len) cia_buf_adds(&b, ". ");
    for (size_t s = 0; s < d->nser; s++) {
        cia_buf_printf(&b, "%s%s", d->ser_label[s], cia_word("colon", lang));
        for (size_t c = 0; c < d->ncat; c++) {
            const cia_cell *cell = d->cells[s * d->ncat + c];
            char num[128];
            if (cia_cell_has_flag(cell, 'c')) snprintf(num, sizeof num, "%s", cia_word("flag_c", lang));
            else cia_format_cell(cell, lang, num, sizeof num);
            cia_buf_printf(&b, "%s%s %s%s", c ? ", " : "", d->cat_label[c],
                           cia_chart_lower(d, s, c) ? GE_SIGN : "", num[0] ? num : cia_word("not_known", lang));
        }
        if (s + 1 < d->nser) cia_buf_adds(&b, "; ");
        else if (b.len && b.data[b.len - 1] != '.') cia_buf_addc(&b, '.');
    }
    return cia_buf_steal(&b);
}

char *cia_chart_alt_text(const cia_chart_spec *sp, const cia_table *t)
{
    cia_chart_data d;
    cia_err e = {0};
    if (!sp || !t || build_data(sp, t, &d, &e)) return NULL;
    char *a = alt_text(sp, t, &d);
    data_free(&d);
    return a;
}

/* cairo's SVG with the collected <text> elements and the text
 * alternative spliced in: role="img" and the document language on the
 * root, <title> (the chart's title) and <desc> (alt_text) as its first
 * children, the text above the marks.  -1 when cairo's file is not the
 * shape expected. */
static int svg_finish(cia_buf *out, const char *svg, size_t len, const cia_buf *text,
                      const char *title, const char *desc, const char *lang)
{
    const char *root = strstr(svg, "<svg");
    const char *open_end = root ? strchr(root, '>') : NULL;
    const char *close = NULL;
    for (const char *p = svg; (p = strstr(p, "</svg>")); p++) close = p;
    if (!root || !open_end || !close || close < open_end || (size_t)(close - svg) > len) return -1;
    cia_buf_add(out, svg, (size_t)(open_end - svg));
    cia_buf_printf(out, " role=\"img\" xml:lang=\"%s\">\n<title>", lang);
    cia_buf_add_xml(out, title);
    cia_buf_adds(out, "</title>\n<desc>");
    cia_buf_add_xml(out, desc);
    cia_buf_adds(out, "</desc>");
    cia_buf_add(out, open_end + 1, (size_t)(close - open_end - 1));
    cia_buf_printf(out, "<g font-family=\"%s, sans-serif\" xml:space=\"preserve\">\n", CHART_FONT);
    cia_buf_add(out, text->data ? text->data : "", text->len);
    cia_buf_adds(out, "</g>\n</svg>\n");
    return 0;
}

/* ---- surfaces and the entry point ------------------------------------- */

/* cairo (SVG, PDF) and the PNG encoder write through this into the
 * cia_outfile. */
struct sink {
    FILE *fp;
    int err;                    /* errno of the first failed write */
};

static int sink_put(struct sink *s, const void *p, size_t n)
{
    if (s->err) return -1;
    if (n && fwrite(p, 1, n, s->fp) != n) {
        s->err = errno ? errno : EIO;
        return -1;
    }
    return 0;
}

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
    return sink_put(closure, data, len) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static cairo_status_t mem_write(void *closure, const unsigned char *data, unsigned int len)
{
    cia_buf_add(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* ---- PNG ------------------------------------------------------------------ */

static void png_sink_write(png_structp png, png_bytep data, size_t n)
{
    if (sink_put(png_get_io_ptr(png), data, n)) png_error(png, "write failed");
}

static void png_sink_flush(png_structp png) { (void)png; }

/* An RGB24 image surface as an 8-bit RGB PNG with a white bKGD (as cairo's
 * writer gave) and a pHYs chunk: cairo does not record the resolution, and
 * without it a word processor places a 300 dpi chart at 96 dpi, three
 * times too large.  One row filter (Up) at zlib level 1, see the top of
 * the file; the pixels are those of the surface. */
static int write_png(struct sink *s, cairo_surface_t *surf, unsigned long ppm)
{
    cairo_surface_flush(surf);
    unsigned char *px = cairo_image_surface_get_data(surf);
    int w = cairo_image_surface_get_width(surf), h = cairo_image_surface_get_height(surf);
    int stride = cairo_image_surface_get_stride(surf);
    if (!px || w <= 0 || h <= 0) return -1;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {   /* libpng's errors (a failed write) land here */
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, s, png_sink_write, png_sink_flush);
    png_set_compression_level(png, 1);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    png_color_16 white = {.red = 0xff, .green = 0xff, .blue = 0xff};
    png_set_bKGD(png, info, &white);
    png_set_pHYs(png, info, (png_uint_32)ppm, (png_uint_32)ppm, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    /* CAIRO_FORMAT_RGB24 is 0x00RRGGBB in a native 32-bit word: libpng
     * drops the unused byte and puts the channels in order. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    png_set_bgr(png);
    png_set_filler(png, 0, PNG_FILLER_AFTER);
#else
    png_set_filler(png, 0, PNG_FILLER_BEFORE);
#endif
    for (int y = 0; y < h; y++) png_write_row(png, px + (size_t)y * (size_t)stride);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 0;
}

struct page { double w_mm, h_mm, dpi, fscale; };

static int page_of(const cia_chart_spec *sp, int fmt, struct page *pg, cia_err *e)
{
    if (sp->size == CIA_CHART_SLIDE) *pg = (struct page){ 254.0, 142.875, 192, 1.5 };
    else if (sp->size == CIA_CHART_A4) *pg = (struct page){ 170.0, 110.0, 300, 1.0 };
    else return cia_fail(e, CIA_EUSAGE, "chart: unknown size preset %d", (int)sp->size);
    if (sp->width_mm > 0 || sp->height_mm > 0) {
        if (sp->width_mm > 0) pg->w_mm = sp->width_mm;
        if (sp->height_mm > 0) pg->h_mm = sp->height_mm;
        /* Type grows with the page (by area, so a wide strip does not get
         * giant letters), within what still reads and still fits. */
        double f = sqrt(pg->w_mm * pg->h_mm / (170.0 * 110.0));
        pg->fscale = f < 0.75 ? 0.75 : f > 3 ? 3 : f;
    }
    if (sp->dpi > 0) pg->dpi = sp->dpi;
    /* A page made taller for a long list keeps the type of the report. */
    if (sp->text_scale > 0) pg->fscale = sp->text_scale < 0.5 ? 0.5 : sp->text_scale > 3 ? 3 : sp->text_scale;
    if (pg->w_mm < 40 || pg->h_mm < 30 || pg->w_mm > 2000 || pg->h_mm > 2000)
        return cia_fail(e, CIA_EUSAGE, "chart: size %.0f x %.0f mm is outside 40x30 to 2000x2000 mm",
                        pg->w_mm, pg->h_mm);
    if (pg->dpi < 50 || pg->dpi > 1200)
        return cia_fail(e, CIA_EUSAGE, "chart: resolution %.0f dpi is outside 50 to 1200", pg->dpi);
    if (fmt == CIA_CHART_PNG && (pg->w_mm / 25.4 * pg->dpi > 20000 || pg->h_mm / 25.4 * pg->dpi > 20000))
        return cia_fail(e, CIA_EUSAGE, "chart: %.0f x %.0f mm at %.0f dpi exceeds 20000 pixels",
                        pg->w_mm, pg->h_mm, pg->dpi);
    return CIA_OK;
}

static int cairo_fail(cia_err *e, const char *path, cairo_status_t st, const struct sink *s)
{
    if (st == CAIRO_STATUS_WRITE_ERROR && s && s->err)
        return cia_fail(e, CIA_ECANTCREAT, "%s: cannot write chart: %s", path, strerror(s->err));
    return cia_fail(e, CIA_ECANTCREAT, "%s: cannot draw chart: %s", path,
                    cairo_status_to_string(st));
}

/* Title and subtitle at the top; room for the footer at the bottom.
 * Returns the area left for the kind. */
static cia_rect draw_frame(cia_chart *ch, const cia_chart_spec *sp, const cia_table *t,
                           const cia_chart_data *d, double w, double h)
{
    double m = cia_chart_pt(ch, 7), gap = cia_chart_pt(ch, 3);
    const char *title = sp->title ? sp->title : t->title;
    const char *sub = sp->subtitle ? sp->subtitle : t->subtitle;
    double y = m, th;
    if (title && *title) {
        cia_chart_measure(ch, CIA_CT_TITLE, title, w - 2 * m, NULL, &th);
        cia_chart_text(ch, CIA_CT_TITLE, title, m, y, w - 2 * m, CIA_AN_LEFT | CIA_AN_TOP);
        y += th + gap * 0.5;
    }
    if (sub && *sub) {
        cia_chart_measure(ch, CIA_CT_SUBTITLE, sub, w - 2 * m, NULL, &th);
        cia_chart_text(ch, CIA_CT_SUBTITLE, sub, m, y, w - 2 * m, CIA_AN_LEFT | CIA_AN_TOP);
        y += th;
    }
    y += gap * 2.5;
    char *foot = footer_text(sp, d, d->any_lower);
    double fh;
    cia_chart_measure(ch, CIA_CT_NOTE, foot, w - 2 * m, NULL, &fh);
    free(foot);
    return (cia_rect){ m, y, w - 2 * m, h - m - fh - gap * 3 - y };
}

static void draw_footer(cia_chart *ch, const cia_chart_spec *sp, const cia_chart_data *d,
                        double w, double h)
{
    double m = cia_chart_pt(ch, 7);
    char *foot = footer_text(sp, d, ch->drew_lower);
    cia_chart_text(ch, CIA_CT_NOTE, foot, m, h - m, w - 2 * m, CIA_AN_LEFT | CIA_AN_BOTTOM);
    free(foot);
}

/* The chart itself on cr, w × h points from the origin: fonts, white
 * ground, frame, the kind, the footer.  ch is set up by the caller;
 * ch->pc and ch->fm are made here and freed by the caller.  0, or -1 when
 * the area is too small for the kind. */
static int draw_on(cia_chart *ch, const cia_chart_spec *sp, const cia_table *t, cia_chart_data *d,
                   cairo_t *cr, double w, double h)
{
    ch->cr = cr;
    /* A private font map, released with the chart, so a batch of charts
     * does not grow a process-wide cache; metrics unhinted so text is laid
     * out the same in PNG, SVG and PDF. */
    ch->fm = pango_cairo_font_map_new();
    ch->pc = pango_font_map_create_context(ch->fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(ch->pc, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_language(ch->pc, pango_language_from_string(ch->lang));
    pango_cairo_update_context(cr, ch->pc);

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cia_rect area = draw_frame(ch, sp, t, d, w, h);
    int krc = -1;
    if (area.w > 20 && area.h > 20) {
        switch (sp->kind) {
        case CIA_CHART_TREND: krc = cia_chart_draw_trend(ch, d, area); break;
        case CIA_CHART_STACKED: krc = cia_chart_draw_stacked(ch, d, area); break;
        case CIA_CHART_GROUPED: krc = cia_chart_draw_grouped(ch, d, area); break;
        }
    }
    if (krc == 0) draw_footer(ch, sp, d, w, h);
    return krc;
}

static int check_spec(const cia_chart_spec *sp, const cia_table *t, int fmt, cia_err *e)
{
    if (!sp || !t) return cia_fail(e, CIA_EINTERNAL, "chart: no spec or table");
    if (fmt < 0)
        return cia_fail(e, CIA_EUSAGE, "%s: chart output must end in .png, .svg or .pdf",
                        sp->path ? sp->path : "(no path)");
    if ((unsigned)sp->kind > CIA_CHART_GROUPED)
        return cia_fail(e, CIA_EUSAGE, "chart: unknown kind %d", (int)sp->kind);
    return CIA_OK;
}

/* What drawing a chart on a PDF page needs, checked: its page and its
 * data (the caller frees d).  cia_chart_check is this without drawing. */
static int pdf_chart(const cia_chart_spec *sp, const cia_table *t, struct page *pg,
                     cia_chart_data *d, cia_err *e)
{
    int rc = check_spec(sp, t, CIA_CHART_PDF, e);
    if (rc) return rc;
    memset(pg, 0, sizeof *pg);
    if ((rc = page_of(sp, CIA_CHART_PDF, pg, e))) return rc;
    return build_data(sp, t, d, e);
}

int cia_chart_check(const cia_chart_spec *sp, const cia_table *t, cia_err *e)
{
    struct page pg;
    cia_chart_data d;
    int rc = pdf_chart(sp, t, &pg, &d, e);
    if (rc) return rc;
    data_free(&d);
    return CIA_OK;
}

int cia_chart_size_pt(const cia_chart_spec *sp, double *w, double *h, cia_err *e)
{
    struct page pg = {0};
    int rc = page_of(sp, CIA_CHART_PDF, &pg, e);
    if (rc) return rc;
    *w = pg.w_mm / 25.4 * 72;
    *h = pg.h_mm / 25.4 * 72;
    return CIA_OK;
}

int cia_chart_draw(const cia_chart_spec *sp, const cia_table *t, struct _cairo *cr, cia_err *e)
{
    if (!cr) return cia_fail(e, CIA_EINTERNAL, "chart: no cairo context");
    struct page pg;
    cia_chart_data d;
    int rc = pdf_chart(sp, t, &pg, &d, e);
    if (rc) return rc;
    double w = pg.w_mm / 25.4 * 72, h = pg.h_mm / 25.4 * 72;
    cia_chart ch = { .lang = sp->lang ? sp->lang : "en", .value_label = sp->value_label,
                     .kind = sp->kind, .orient = sp->orient, .fscale = pg.fscale,
                     .nser = d.nser, .data = &d, .width = w };
    cairo_save(cr);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_clip(cr);   /* the white ground stays inside the chart */
    int krc = draw_on(&ch, sp, t, &d, cr, w, h);
    cairo_status_t st = cairo_status(cr);
    cairo_restore(cr);
    if (krc != 0)
        rc = cia_fail(e, CIA_EUSAGE, "chart: %.0f x %.0f mm is too small for this chart "
                      "(%zu series, %zu categories)", pg.w_mm, pg.h_mm, d.nser, d.ncat);
    else if (st != CAIRO_STATUS_SUCCESS)
        rc = cia_fail(e, CIA_ECANTCREAT, "chart: cannot draw: %s", cairo_status_to_string(st));
    if (ch.pc) g_object_unref(ch.pc);
    if (ch.fm) g_object_unref(ch.fm);
    data_free(&d);
    return rc;
}

/* The PNG canvas, mapped with its pages in at once (MAP_POPULATE) rather
 * than one page fault at a time as cairo first paints it: a 2000 x 1300
 * chart is 2,600 pages, and a fault costs ~13 us on the virtual machines
 * this runs on against ~0.6 us a page populated in one call
 * (docs/TESTING.md).  Zero-filled, as cairo's own would be.  NULL when it
 * cannot be mapped: cairo then allocates its own. */
struct canvas { unsigned char *px; size_t len; };

static cairo_surface_t *canvas_surface(struct canvas *cv, int pw, int ph)
{
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, pw);
    cv->px = NULL;
    if (stride > 0 && ph > 0) {
        cv->len = (size_t)stride * (size_t)ph;
        void *p = mmap(NULL, cv->len, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if (p != MAP_FAILED) {
            cv->px = p;
            return cairo_image_surface_create_for_data(cv->px, CAIRO_FORMAT_RGB24, pw, ph, stride);
        }
    }
    return cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
}

int cia_chart_render(const cia_chart_spec *sp, const cia_table *t, cia_err *e)
{
    if (!sp || !t) return cia_fail(e, CIA_EINTERNAL, "chart: no spec or table");
    if (sp->geom) memset(sp->geom, 0, sizeof *sp->geom);
    int fmt = cia_chart_format_of(sp->path);
    int rc = check_spec(sp, t, fmt, e);
    if (rc) return rc;
    struct page pg = {0};   /* set by page_setup; zeroed for the compiler */
    if ((rc = page_of(sp, fmt, &pg, e))) return rc;
    cia_chart_data d;
    if ((rc = build_data(sp, t, &d, e))) return rc;

    cia_outfile out;
    if ((rc = cia_outfile_open(&out, sp->path, e))) { data_free(&d); return rc; }
    struct sink sink = { .fp = out.fp };
    unsigned long ppm = (unsigned long)lround(pg.dpi / 0.0254);   /* pixels per metre */
    double w = pg.w_mm / 25.4 * 72, h = pg.h_mm / 25.4 * 72;   /* points */
    int pw = (int)lround(pg.w_mm / 25.4 * pg.dpi), ph = (int)lround(pg.h_mm / 25.4 * pg.dpi);
    cairo_surface_t *surf = NULL;
    struct canvas cv = {0};
    cairo_t *cr = NULL;
    cia_chart ch = { .lang = sp->lang ? sp->lang : "en", .value_label = sp->value_label,
                     .kind = sp->kind, .orient = sp->orient, .fscale = pg.fscale,
                     .nser = d.nser, .data = &d, .width = w };
    cairo_status_t st;
    cia_buf svg, svg_text;   /* SVG: cairo's file and our <text> elements, spliced at the end */
    cia_buf_init(&svg);
    cia_buf_init(&svg_text);
    if (fmt == CIA_CHART_SVG) ch.svg_text = &svg_text;

    if (fmt == CIA_CHART_PNG) surf = canvas_surface(&cv, pw, ph);
    else if (fmt == CIA_CHART_SVG) surf = cairo_svg_surface_create_for_stream(mem_write, &svg, w, h);
    else surf = cairo_pdf_surface_create_for_stream(sink_write, &sink, w, h);
    if ((st = cairo_surface_status(surf)) != CAIRO_STATUS_SUCCESS) {
        rc = cairo_fail(e, sp->path, st, &sink);
        goto done;
    }
    if (fmt == CIA_CHART_PDF) {
        const char *title = sp->title ? sp->title : t->title;
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title ? title : "");
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "ciatteh " CIATTEH_VERSION);
        /* Dated with the data, not the clock: the same data and as-of
         * date give the same PDF bytes (the biennial pack relies on it). */
        int ay, am, ad;
        char tail;
        if (sp->as_of && sscanf(sp->as_of, "%4d-%2d-%2d%c", &ay, &am, &ad, &tail) == 3) {
            char when[32];
            snprintf(when, sizeof when, "%04d-%02d-%02dT00:00:00Z", ay, am, ad);
            cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, when);
        }
    }
    cr = cairo_create(surf);
    if ((st = cairo_status(cr)) != CAIRO_STATUS_SUCCESS) {
        rc = cairo_fail(e, sp->path, st, &sink);
        goto done;
    }
    if (fmt == CIA_CHART_PNG) cairo_scale(cr, pg.dpi / 72.0, pg.dpi / 72.0);
    if (draw_on(&ch, sp, t, &d, cr, w, h) != 0) {
        rc = cia_fail(e, CIA_EUSAGE, "%s: %.0f x %.0f mm is too small for this chart "
                      "(%zu series, %zu categories)", sp->path, pg.w_mm, pg.h_mm, d.nser, d.ncat);
        goto done;
    }
    if ((st = cairo_status(cr)) != CAIRO_STATUS_SUCCESS) {
        rc = cairo_fail(e, sp->path, st, &sink);
        goto done;
    }
    if (fmt == CIA_CHART_PNG) {
        st = write_png(&sink, surf, ppm) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
    } else {
        /* Vector surfaces write through the sink while finishing. */
        cairo_surface_finish(surf);
        st = cairo_surface_status(surf);
        if (st == CAIRO_STATUS_SUCCESS && fmt == CIA_CHART_SVG) {
            const char *title = sp->title ? sp->title : t->title;
            char *desc = alt_text(sp, t, &d);
            cia_buf doc;
            cia_buf_init(&doc);
            if (svg_finish(&doc, svg.data ? svg.data : "", svg.len, &svg_text, title ? title : "",
                           desc, ch.lang))
                st = CAIRO_STATUS_INVALID_FORMAT;
            else
                sink_put(&sink, doc.data, doc.len);
            cia_buf_free(&doc);
            free(desc);
        }
    }
    if (st != CAIRO_STATUS_SUCCESS || sink.err) {
        rc = cairo_fail(e, sp->path, st != CAIRO_STATUS_SUCCESS ? st : CAIRO_STATUS_WRITE_ERROR, &sink);
        goto done;
    }

    if (sp->geom && ch.have_axes) {
        const cia_chart_axes *a = &ch.axes;
        double k = fmt == CIA_CHART_PNG ? pg.dpi / 72.0 : 1.0;
        cia_chart_geom *g = sp->geom;
        g->width = fmt == CIA_CHART_PNG ? pw : w;
        g->height = fmt == CIA_CHART_PNG ? ph : h;
        g->plot_x = a->plot.x * k;
        g->plot_y = a->plot.y * k;
        g->plot_w = a->plot.w * k;
        g->plot_h = a->plot.h * k;
        g->horizontal = a->horizontal;
        g->ncat = a->ncat;
        g->cat_pos = cia_xcalloc(a->ncat ? a->ncat : 1, sizeof *g->cat_pos);
        for (size_t c = 0; c < a->ncat; c++) g->cat_pos[c] = cia_chart_cpos(a, c) * k;
        g->zero_pos = cia_chart_vpos(a, 0) * k;
        g->unit = fabs(cia_chart_vpos(a, 1) - cia_chart_vpos(a, 0)) * k;
    }

done:
    if (ch.pc) g_object_unref(ch.pc);
    if (ch.fm) g_object_unref(ch.fm);
    if (cr) cairo_destroy(cr);
    if (surf) {
        /* Finishing an abandoned vector surface would still write to the
         * sink; the file is discarded below anyway. */
        cairo_surface_destroy(surf);
    }
    if (cv.px) munmap(cv.px, cv.len);
    data_free(&d);
    cia_buf_free(&svg);
    cia_buf_free(&svg_text);
    if (rc == CIA_OK) rc = cia_outfile_commit(&out, e);
    if (rc != CIA_OK) cia_outfile_abort(&out);   /* also frees after a failed commit */
    if (rc != CIA_OK && sp->geom) cia_chart_geom_free(sp->geom);
    return rc;
}
