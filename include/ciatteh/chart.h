/* chart.h — charts drawn from the neutral table model (table.h) with
 * cairo and pango, written as PNG, SVG or PDF by the output's extension.
 *
 * The entry point: a cia_chart_spec (kind, texts, size, output) plus a
 * cia_table → one file, written atomically.  The drawing core the chart
 * kinds are built on (text, palette, legend, axes, marks) is private to
 * reports/charts/ (chart_int.h).
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
    /* Stacked bars: per value column of the table, the figure its stack
     * stands for (NULL: the sum of its segments says all).  Records whose
     * code is not known belong to no segment, so a total can be a lower
     * bound though every segment is known: its label then reads "≥" and
     * the note counts its records left unknown. */
    const cia_cell *const *totals;
    size_t ntotals;
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

#endif
