/* chart_int.h — the drawing core of reports/charts/, for the chart kinds
 * only: chart.c implements it, chart_kinds.c draws with it, nothing else
 * includes it (chart.h is the charts' door).  Kinds never touch cairo or
 * pango themselves, so every chart shares one look (text, palette,
 * legend, axes with nice 1-2-5 ticks, marks) and no axis code is copied
 * between kinds. */
#ifndef CIATTEH_CHART_INT_H
#define CIATTEH_CHART_INT_H

#include "ciatteh/chart.h"

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
    const cia_cell **totals;        /* stacked: per category, the figure the stack
                                       stands for (spec totals), or NULL */
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
