/* chart.h — charts drawn from the neutral table model (table.h) with
 * cairo and pango, written as PNG, SVG or PDF by the output's extension.
 *
 * Two layers live here:
 *  1. the public entry point: a cia_chart_spec (kind, texts, size, output)
 *     plus a cia_table → one file, written atomically;
 *  2. the drawing core the chart kinds (reports/charts/chart_kinds.c) are built
 *     on: text, palette, legend, axes with nice ticks, marks.  Kinds never
 *     touch cairo or pango themselves, so every chart shares one look and
 *     no axis code is copied between kinds.  Other modules use layer 1.
 *
 * The chart reads the same cia_table that goes to the terminal, CSV and
 * XLSX, so a figure cannot differ between the workbook and its chart.
 * Values not known (known == 0, or withheld 'c') are never drawn as zero:
 * lines break, bars are left out and marked with the "not known" word.
 */
#ifndef CIATTEH_CHART_H
#define CIATTEH_CHART_H

#include <stddef.h>
#include "ciatteh/err.h"
#include "ciatteh/table.h"

/* ==== 1. Public entry point ========================================== */

enum cia_chart_kind {
    CIA_CHART_TREND = 0,   /* lines over the categories (years), one per series */
    CIA_CHART_STACKED,     /* one bar per category (year), segments = series */
    CIA_CHART_GROUPED,     /* per category, one bar per series side by side */
};

enum cia_chart_format { CIA_CHART_PNG = 0, CIA_CHART_SVG, CIA_CHART_PDF };

/* Preset sizes; width_mm/height_mm/dpi in the spec override them. */
enum cia_chart_size {
    CIA_CHART_A4 = 0,      /* 170 × 110 mm: the text width of an A4 page; PNG 300 dpi */
    CIA_CHART_SLIDE,       /* 16:9, 254 × 142.875 mm (10 × 5.625 in); PNG 192 dpi =
                              1920 × 1080 px; larger type for a projector */
};

/* Which way the table is read.  AUTO: trend and stacked take rows as
 * series and value columns as categories (the usual items × years table);
 * grouped takes rows as categories and value columns as series (the
 * usual cross table, e.g. forms of exploitation × sex). */
enum cia_chart_series { CIA_CHART_SERIES_AUTO = 0, CIA_CHART_SERIES_ROWS, CIA_CHART_SERIES_COLS };

/* Bar direction.  AUTO: vertical, unless the category labels would not
 * fit under the bars even wrapped (long names of forms of exploitation),
 * then horizontal.  Trends are always drawn left to right. */
enum cia_chart_orient { CIA_CHART_ORIENT_AUTO = 0, CIA_CHART_VERTICAL, CIA_CHART_HORIZONTAL };

/* Where the drawing landed, in output units (pixels for PNG, points for
 * SVG and PDF), for tests and for anyone placing marks over the image. */
typedef struct cia_chart_geom {
    double width, height;           /* the whole image */
    double plot_x, plot_y, plot_w, plot_h;
    int horizontal;                 /* categories run down the left side */
    size_t ncat;
    double *cat_pos;                /* centre of each category along its axis */
    double zero_pos;                /* value 0 along the value axis */
    double unit;                    /* length of one value unit along the value axis */
} cia_chart_geom;
void cia_chart_geom_free(cia_chart_geom *g);

typedef struct cia_chart_spec {
    enum cia_chart_kind kind;
    const char *path;               /* output; .png .svg or .pdf (any case) */
    const char *lang;               /* "en", "fr", "nl" (NULL → en) */
    const char *title, *subtitle;   /* NULL → the table's */
    const char *source;             /* e.g. "Police (BNG), Myria" (NULL: no source line) */
    const char *as_of;              /* "YYYY-MM-DD", "current" or NULL (= current) */
    const char *value_label;        /* unit over the value axis, e.g. "persons" (may be NULL) */
    enum cia_chart_size size;
    double width_mm, height_mm;     /* 0 → from size */
    double dpi;                     /* PNG resolution; 0 → from size */
    double text_scale;              /* type and line widths, 1 = the A4 chart's;
                                       0 → from the page (grows with its area) */
    enum cia_chart_series series;
    enum cia_chart_orient orient;
    /* Which rows and value columns to draw (indexes into the table; NULL
     * → all rows; all value columns whose key is a year, else all value
     * columns).  Label columns are the table's first nhead columns. */
    const size_t *rows;
    size_t nrows;
    const size_t *cols;
    size_t ncols;
    cia_chart_geom *geom;           /* filled when not NULL; free with cia_chart_geom_free */
} cia_chart_spec;

/* Draw t as spec says and write spec->path (via a temporary name renamed
 * into place, so a failure never leaves a half-written chart).
 *   CIA_EUSAGE     unknown extension, impossible size or selection;
 *   CIA_EDATA      nothing drawable (no series, no categories);
 *   CIA_ECANTCREAT the output cannot be created or written (incl. any
 *                  cairo surface/writing failure). */
int cia_chart_render(const cia_chart_spec *spec, const cia_table *t, cia_err *e);

/* What cia_chart_render would say of spec and t before drawing (CIA_EDATA:
 * nothing to draw...), without drawing or writing anything. */
int cia_chart_check(const cia_chart_spec *spec, const cia_table *t, cia_err *e);

/* The same drawing onto a caller's cairo context (a cairo_t), at its
 * current transformation, in points from (0, 0) to the chart's size
 * (cia_chart_size_pt, from the spec's size, width_mm and height_mm;
 * spec->path, dpi and geom are not used).  The pack's PDF annex draws its
 * figures so, as vectors.  Errors as cia_chart_render, but no file. */
struct _cairo;
int cia_chart_size_pt(const cia_chart_spec *spec, double *w, double *h, cia_err *e);
int cia_chart_draw(const cia_chart_spec *spec, const cia_table *t, struct _cairo *cr, cia_err *e);

/* The chart in words (its title, then every series with its values as
 * the other outputs write them): the text alternative of the SVG's
 * <desc>, the PDF annex's figures and the website.  Malloc'd; NULL when
 * the spec and table give nothing to draw. */
char *cia_chart_alt_text(const cia_chart_spec *spec, const cia_table *t);

/* The format chosen by the extension of path; -1 when not one of ours. */
int cia_chart_format_of(const char *path);
/* "trend", "stacked", "grouped" ↔ kind.  0 on success, -1 unknown. */
int cia_chart_kind_parse(const char *name, enum cia_chart_kind *kind);
const char *cia_chart_kind_name(enum cia_chart_kind kind);
/* A length for --width/--height: "170mm", "17cm", "6.5in", "480pt",
 * "1920px" (needs dpi > 0) or a bare number of millimetres.  0 on success. */
int cia_chart_parse_length(const char *s, double dpi, double *mm);

/* Fill colour of series i of n for a kind, as 0..1 RGB: tests use it to
 * find marks in the pixels; the XLSX writer can reuse it. */
void cia_chart_series_rgb(enum cia_chart_kind kind, size_t i, size_t n, double rgb[3]);
/* The lighter fill of a provisional bar of colour rgb. */
void cia_chart_provisional_rgb(const double rgb[3], double fill[3]);

/* ==== 2. The drawing core, for the chart kinds ======================== */

typedef struct cia_chart cia_chart;           /* one drawing in progress */
typedef struct cia_rect { double x, y, w, h; } cia_rect;   /* points */

/* The values a kind draws: a series × category matrix taken from the
 * table, with labels already localised. */
typedef struct cia_chart_data {
    size_t nser, ncat;
    char **ser_label, **cat_label;  /* the year with a provisional figure carries
                                       " (p)", whether years are the categories or
                                       the series; other labels never do */
    const cia_cell **cells;         /* [s * ncat + c], never NULL */
    int percent;                    /* values are shares: ticks and labels as % */
    int delta;                      /* values are changes: labels signed (+12) */
    int any_provisional, any_unknown, any_lower;   /* what the notes must explain */
    int missing[CIA_ST_COUNT];      /* states of the values not drawn (gaps), to explain */
    long long n_unknown;            /* records that left the drawn lower bounds unknown */
} cia_chart_data;

/* Value of series s in category c when it may be drawn: 1 and *v, else 0
 * (not known, withheld, text or empty). */
int cia_chart_value(const cia_chart_data *d, size_t s, size_t c, double *v);
int cia_chart_provisional(const cia_chart_data *d, size_t s, size_t c);
int cia_chart_lower(const cia_chart_data *d, size_t s, size_t c);
/* The mark written where a value is not drawn ("n.k.", "n.d.",
 * "incompl.", "conf."): the state's own mark, never a bar or a point. */
const char *cia_chart_gap_mark(cia_chart *ch, const cia_chart_data *d, size_t s, size_t c);
/* A value as a label: localised number (signed for deltas, one decimal
 * for shares), "≥ " before a lower bound.  Drawing such a "≥" label in
 * the CIA_CT_VALUE style is what makes the footer explain the sign. */
void cia_chart_value_text(cia_chart *ch, const cia_chart_data *d, double v, int lower,
                          char *buf, size_t n);

/* Text.  Sizes scale with the page (see the size presets). */
enum cia_chart_text {
    CIA_CT_TITLE = 0, CIA_CT_SUBTITLE, CIA_CT_LABEL, CIA_CT_VALUE, CIA_CT_NOTE,
};
enum {                                          /* anchor: where (x, y) is on the text */
    CIA_AN_LEFT = 0, CIA_AN_CENTER = 1, CIA_AN_RIGHT = 2,
    CIA_AN_TOP = 0, CIA_AN_MIDDLE = 4, CIA_AN_BOTTOM = 8,
};
/* wrap <= 0: one line.  Sizes in points. */
void cia_chart_measure(cia_chart *ch, enum cia_chart_text style, const char *text,
                       double wrap, double *w, double *h);
void cia_chart_text(cia_chart *ch, enum cia_chart_text style, const char *text,
                    double x, double y, double wrap, int anchor);
/* One line in the colour of series s, darkened to read on white (end
 * labels of trend lines). */
void cia_chart_text_series(cia_chart *ch, enum cia_chart_text style, int s, const char *text,
                           double x, double y, int anchor);
/* Same, turned a quarter to read bottom-up (labels in narrow bars). */
/* A value label inside a bar of series s (its provisional tint or not),
 * centred on (x, y), in white or near-black, whichever contrasts more. */
void cia_chart_text_in_bar(cia_chart *ch, int s, int provisional, const char *text, double x, double y);
void cia_chart_text_up(cia_chart *ch, enum cia_chart_text style, const char *text,
                       double x, double y, int anchor);
/* A length in points at this page's scale (line widths, gaps). */
double cia_chart_pt(const cia_chart *ch, double base);
const char *cia_chart_lang(const cia_chart *ch);
/* The bar direction the spec asked for (kinds pass it to the axes). */
enum cia_chart_orient cia_chart_orient_wanted(const cia_chart *ch);
/* Localised fixed words of charts. */
enum cia_chart_word { CIA_CW_NOT_KNOWN = 0, CIA_CW_PROVISIONAL };
const char *cia_chart_word(const cia_chart *ch, enum cia_chart_word w);

/* Legend: one row (wrapping when needed) at the top of *area, which is
 * then shrunk to what is left below it. */
enum cia_chart_swatch { CIA_SW_BOX = 0, CIA_SW_LINE, CIA_SW_DASHED, CIA_SW_BOX_PROVISIONAL };
typedef struct cia_chart_legend_item {
    const char *label;
    enum cia_chart_swatch swatch;
    int series;                      /* style of that series; -1 = neutral grey */
} cia_chart_legend_item;
void cia_chart_legend(cia_chart *ch, const cia_chart_legend_item *items, size_t n,
                      cia_rect *area);

/* Axes: a value axis with nice 1-2-5 ticks and a category axis.  The kind
 * fills the inputs, cia_chart_axes_layout fits them into an area (tick
 * and category labels included) and decides orientation; draw paints
 * grid and labels under the marks, baseline the zero line over them. */
typedef struct cia_chart_axes {
    /* inputs */
    enum cia_chart_orient orient;
    double vmin, vmax;               /* data range; 0 is always included */
    size_t ncat;
    char *const *cat_label;
    double value_pad;                /* room beyond the value end (labels on bars), points */
    double cat_pad;                  /* room after the last category (end labels), points */
    /* outputs */
    int horizontal;
    cia_rect plot;
    double lo, hi, step;             /* the scale */
    double band;                     /* space per category */
    size_t label_every;              /* category labels shown every k (thinned when crowded) */
    int wrapped;                     /* category labels wrapped to the band */
    cia_rect area;                   /* the area given to the layout */
    double tick_w;                   /* widest tick label */
} cia_chart_axes;
int cia_chart_axes_layout(cia_chart *ch, cia_chart_axes *a, cia_rect area,
                          const cia_chart_data *d);
void cia_chart_axes_draw(cia_chart *ch, const cia_chart_axes *a);
void cia_chart_axes_baseline(cia_chart *ch, const cia_chart_axes *a);
double cia_chart_vpos(const cia_chart_axes *a, double v);    /* value → coordinate */
double cia_chart_cpos(const cia_chart_axes *a, size_t c);    /* category centre */

/* Marks in the style of series s (colour, hatching, marker shape).  A
 * provisional bar is filled lighter and outlined in the series colour. */
void cia_chart_bar(cia_chart *ch, int s, double x, double y, double w, double h, int provisional);
/* A thin white rule between stacked segments. */
void cia_chart_separator(cia_chart *ch, double x0, double y0, double x1, double y1);
void cia_chart_segment(cia_chart *ch, int s, double x0, double y0, double x1, double y1,
                       int dashed);
void cia_chart_marker(cia_chart *ch, int s, double x, double y, int hollow);
/* A thin grey line from a label back to its point when labels were moved. */
void cia_chart_leader(cia_chart *ch, double x0, double y0, double x1, double y1);

/* The kinds.  Each draws its legend, axes and marks inside area. */
int cia_chart_draw_trend(cia_chart *ch, const cia_chart_data *d, cia_rect area);
int cia_chart_draw_stacked(cia_chart *ch, const cia_chart_data *d, cia_rect area);
int cia_chart_draw_grouped(cia_chart *ch, const cia_chart_data *d, cia_rect area);

#endif
