/* chart_kinds.c — owns the chart kinds: what each one draws from the
 * series × category matrix (trend lines, stacked bars, grouped bars).
 * Each is a short function over the drawing core in chart.c (legend,
 * axes, marks, text); none touches cairo or pango, so every kind shares
 * the same axes, type and palette, and a fix to the core fixes them all.
 *
 * The rules shared by all kinds: a value that is not a figure (not known,
 * not delivered, incomplete year, withheld) is never drawn, neither as
 * zero nor as a point: a line breaks around it, a bar is left out and its
 * place carries the state's mark ("n.k.", "n.d.", "incompl."); a year with
 * no figure at all in a trend carries it at the foot of its column.  A
 * lower bound's label starts with "≥" (a stack's total too, when one of
 * its segments is one); a provisional bar is lighter and outlined, a
 * provisional line dashed with open markers, and the legend says so.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "chart_int.h"
#include "ciatteh/util.h"

static double label_height(cia_chart *ch, enum cia_chart_text style)
{
    double h;
    cia_chart_measure(ch, style, "0", 0, NULL, &h);
    return h;
}

static void legend_of_series(cia_chart *ch, const cia_chart_data *d, enum cia_chart_swatch sw,
                             int provisional_entry, cia_rect *area)
{
    provisional_entry = provisional_entry && d->any_provisional;
    cia_chart_legend_item *it = cia_xcalloc(d->nser + 1, sizeof *it);
    size_t n = 0;
    /* One series needs no legend: the title names it. */
    if (d->nser > 1)
        for (size_t s = 0; s < d->nser; s++)
            it[n++] = (cia_chart_legend_item){ d->ser_label[s], sw, (int)s };
    if (provisional_entry)
        it[n++] = (cia_chart_legend_item){ cia_chart_word(ch, CIA_CW_PROVISIONAL),
                                           sw == CIA_SW_LINE ? CIA_SW_DASHED : CIA_SW_BOX_PROVISIONAL, -1 };
    cia_chart_legend(ch, it, n, area);
    free(it);
}

/* ---- trend ----------------------------------------------------------- */

struct end_label {
    size_t s, c;
    double v, y, want;     /* placed and wanted centre */
    char text[64];
};

static int by_cat_then_y(const void *pa, const void *pb)
{
    const struct end_label *a = pa, *b = pb;
    if (a->c != b->c) return a->c < b->c ? -1 : 1;
    return a->want < b->want ? -1 : a->want > b->want;
}

/* Push labels ending in the same category apart so none overlap, keeping
 * them inside [top, bottom]. */
static void spread_labels(struct end_label *l, size_t n, double h, double top, double bottom)
{
    qsort(l, n, sizeof *l, by_cat_then_y);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && l[j].c == l[i].c) j++;
        for (size_t k = i; k < j; k++) {
            l[k].y = l[k].want;
            if (k > i && l[k].y < l[k - 1].y + h) l[k].y = l[k - 1].y + h;
        }
        if (j > i && l[j - 1].y > bottom) {
            l[j - 1].y = bottom;
            for (size_t k = j - 1; k > i; k--)
                if (l[k - 1].y > l[k].y - h) l[k - 1].y = l[k].y - h;
        }
        if (l[i].y < top) {
            l[i].y = top;
            for (size_t k = i + 1; k < j; k++)
                if (l[k].y < l[k - 1].y + h) l[k].y = l[k - 1].y + h;
        }
        i = j;
    }
}

int cia_chart_draw_trend(cia_chart *ch, const cia_chart_data *d, cia_rect area)
{
    legend_of_series(ch, d, CIA_SW_LINE, 1, &area);

    double vmin = 0, vmax = 0, v;
    struct end_label *lab = cia_xcalloc(d->nser, sizeof *lab);
    size_t nlab = 0;
    double maxw = 0;
    for (size_t s = 0; s < d->nser; s++) {
        int last = -1;
        for (size_t c = 0; c < d->ncat; c++)
            if (cia_chart_value(d, s, c, &v)) {
                if (v < vmin) vmin = v;
                if (v > vmax) vmax = v;
                last = (int)c;
            }
        if (last < 0) continue;      /* a series never known draws nothing */
        struct end_label *l = &lab[nlab++];
        l->s = s;
        l->c = (size_t)last;
        cia_chart_value(d, s, l->c, &l->v);
        cia_chart_value_text(ch, d, l->v, cia_chart_lower(d, s, l->c), l->text, sizeof l->text);
        double w;
        cia_chart_measure(ch, CIA_CT_VALUE, l->text, 0, &w, NULL);
        if (w > maxw) maxw = w;
    }

    double off = cia_chart_pt(ch, 6);
    cia_chart_axes a = { .orient = CIA_CHART_VERTICAL, .vmin = vmin, .vmax = vmax,
                         .ncat = d->ncat, .cat_label = d->cat_label,
                         .cat_pad = nlab ? maxw + off : 0 };
    if (cia_chart_axes_layout(ch, &a, area, d)) { free(lab); return -1; }
    cia_chart_axes_draw(ch, &a);
    /* Zero line under the lines: a series at zero must stay visible. */
    cia_chart_axes_baseline(ch, &a);

    double x0, y0, x1, y1, v1;
    for (size_t s = 0; s < d->nser; s++)
        for (size_t c = 0; c + 1 < d->ncat; c++) {
            /* Only neighbours both known are joined: a gap stays a gap. */
            if (!cia_chart_value(d, s, c, &v) || !cia_chart_value(d, s, c + 1, &v1)) continue;
            x0 = cia_chart_cpos(&a, c);
            y0 = cia_chart_vpos(&a, v);
            x1 = cia_chart_cpos(&a, c + 1);
            y1 = cia_chart_vpos(&a, v1);
            int dashed = cia_chart_provisional(d, s, c) || cia_chart_provisional(d, s, c + 1);
            cia_chart_segment(ch, (int)s, x0, y0, x1, y1, dashed);
        }
    /* A year without any figure: its mark at the foot of its column, so
     * the gap reads as "not delivered" or "incomplete", not as a fall. */
    for (size_t c = 0; c < d->ncat; c++) {
        size_t s = 0;
        while (s < d->nser && !cia_chart_value(d, s, c, NULL)) s++;
        if (s == d->nser)
            cia_chart_text(ch, CIA_CT_NOTE, cia_chart_gap_mark(ch, d, 0, c), cia_chart_cpos(&a, c),
                           cia_chart_vpos(&a, 0) - cia_chart_pt(ch, 2.5), 0, CIA_AN_CENTER | CIA_AN_BOTTOM);
    }
    /* Markers on every known point: an isolated year between two gaps
     * is still seen, and shapes tell series apart in grayscale. */
    for (size_t s = 0; s < d->nser; s++)
        for (size_t c = 0; c < d->ncat; c++)
            if (cia_chart_value(d, s, c, &v))
                cia_chart_marker(ch, (int)s, cia_chart_cpos(&a, c), cia_chart_vpos(&a, v),
                                 cia_chart_provisional(d, s, c));

    /* A lower bound inside a line says so where it is: "≥ 40" over its
     * point (the last point's label says it at the end). */
    for (size_t s = 0; s < d->nser; s++)
        for (size_t c = 0; c < d->ncat; c++) {
            int is_end = 0;
            for (size_t i = 0; i < nlab; i++) is_end |= lab[i].s == s && lab[i].c == c;
            if (is_end || !cia_chart_lower(d, s, c) || !cia_chart_value(d, s, c, &v)) continue;
            char t[64];
            cia_chart_value_text(ch, d, v, 1, t, sizeof t);
            cia_chart_text_series(ch, CIA_CT_VALUE, (int)s, t, cia_chart_cpos(&a, c),
                                  cia_chart_vpos(&a, v) - cia_chart_pt(ch, 4), CIA_AN_CENTER | CIA_AN_BOTTOM);
        }

    double h = label_height(ch, CIA_CT_VALUE);
    for (size_t i = 0; i < nlab; i++) lab[i].want = cia_chart_vpos(&a, lab[i].v);
    spread_labels(lab, nlab, h, a.plot.y, a.plot.y + a.plot.h);
    for (size_t i = 0; i < nlab; i++) {
        double px = cia_chart_cpos(&a, lab[i].c);
        if (fabs(lab[i].y - lab[i].want) > h * 0.4)
            cia_chart_leader(ch, px + cia_chart_pt(ch, 3), lab[i].want, px + off - cia_chart_pt(ch, 1.5),
                             lab[i].y);
        cia_chart_text_series(ch, CIA_CT_VALUE, (int)lab[i].s, lab[i].text, px + off, lab[i].y,
                              CIA_AN_LEFT | CIA_AN_MIDDLE);
    }
    free(lab);
    return 0;
}

/* ---- bars, shared by stacked and grouped ------------------------------ */

/* Lay out bar axes; the room kept for value labels depends on the
 * direction, which AUTO only knows after a first layout. */
static int layout_bars(cia_chart *ch, const cia_chart_data *d, cia_chart_axes *a, cia_rect area,
                       double label_w, double label_h)
{
    double gap = cia_chart_pt(ch, 4);
    enum cia_chart_orient o = cia_chart_orient_wanted(ch);
    a->orient = o;
    a->value_pad = o == CIA_CHART_HORIZONTAL ? label_w + gap : label_h + gap * 0.5;
    if (cia_chart_axes_layout(ch, a, area, d)) return -1;
    if (a->horizontal && o != CIA_CHART_HORIZONTAL) {
        a->orient = CIA_CHART_HORIZONTAL;
        a->value_pad = label_w + gap;
        if (cia_chart_axes_layout(ch, a, area, d)) return -1;
    }
    return 0;
}

/* A bar from value `from` to `to` across [c0, c0 + thick) of the category axis. */
static void bar_between(cia_chart *ch, const cia_chart_axes *a, int s, double c0, double thick,
                        double from, double to, int provisional)
{
    double p0 = cia_chart_vpos(a, from), p1 = cia_chart_vpos(a, to);
    if (a->horizontal) cia_chart_bar(ch, s, p0, c0, p1 - p0, thick, provisional);
    else cia_chart_bar(ch, s, c0, p1, thick, p0 - p1, provisional);
}

/* The value label at the end of a bar, outside it. */
static void end_label(cia_chart *ch, const cia_chart_axes *a, double centre, double value,
                      const char *text)
{
    double gap = cia_chart_pt(ch, 2.5), p = cia_chart_vpos(a, value);
    if (a->horizontal)
        cia_chart_text(ch, CIA_CT_VALUE, text, value < 0 ? p - gap : p + gap, centre, 0,
                       (value < 0 ? CIA_AN_RIGHT : CIA_AN_LEFT) | CIA_AN_MIDDLE);
    else
        cia_chart_text(ch, CIA_CT_VALUE, text, centre, value < 0 ? p + gap : p - gap, 0,
                       CIA_AN_CENTER | (value < 0 ? CIA_AN_TOP : CIA_AN_BOTTOM));
}

/* The state's mark ("n.k.", "n.d.", "incompl.") where a bar would be: the
 * reader must see the difference between "nothing counted" and "no
 * figure".  Turned upright when the bar is too narrow for it. */
static void gap_mark(cia_chart *ch, const cia_chart_axes *a, double centre, double thick, const char *w)
{
    double gap = cia_chart_pt(ch, 2.5), base = cia_chart_vpos(a, 0), tw, th;
    cia_chart_measure(ch, CIA_CT_NOTE, w, 0, &tw, &th);
    if (a->horizontal)
        cia_chart_text(ch, CIA_CT_NOTE, w, base + gap, centre, 0, CIA_AN_LEFT | CIA_AN_MIDDLE);
    else if (tw <= thick * 1.2)
        cia_chart_text(ch, CIA_CT_NOTE, w, centre, base - gap, 0, CIA_AN_CENTER | CIA_AN_BOTTOM);
    else
        cia_chart_text_up(ch, CIA_CT_NOTE, w, centre, base - gap, CIA_AN_LEFT | CIA_AN_MIDDLE);
}

/* ---- stacked ------------------------------------------------------------ */

/* Up to this many categories (years) a stack labels its segments too. */
#define SHORT_SERIES 6

int cia_chart_draw_stacked(cia_chart *ch, const cia_chart_data *d, cia_rect area)
{
    legend_of_series(ch, d, CIA_SW_BOX, 1, &area);

    /* A stack with a missing segment would read as a smaller total, so a
     * category is drawn only when every segment is known. */
    int *complete = cia_xcalloc(d->ncat, sizeof *complete);
    size_t *missing = cia_xcalloc(d->ncat, sizeof *missing);   /* the first segment not drawn */
    double *pos = cia_xcalloc(d->ncat, sizeof *pos), *neg = cia_xcalloc(d->ncat, sizeof *neg);
    char (*text)[64] = cia_xcalloc(d->ncat, sizeof *text);
    double vmin = 0, vmax = 0, maxw = 0, v;
    for (size_t c = 0; c < d->ncat; c++) {
        int lower = 0;
        complete[c] = 1;
        for (size_t s = 0; s < d->nser; s++) {
            if (!cia_chart_value(d, s, c, &v)) { complete[c] = 0; missing[c] = s; break; }
            if (v >= 0) pos[c] += v;
            else neg[c] += v;
            lower |= cia_chart_lower(d, s, c);
        }
        if (d->totals && d->totals[c]) lower |= cia_cell_has_flag(d->totals[c], 'u');
        if (!complete[c]) continue;
        if (pos[c] > vmax) vmax = pos[c];
        if (neg[c] < vmin) vmin = neg[c];
        cia_chart_value_text(ch, d, pos[c] + neg[c], lower, text[c], sizeof text[c]);
        double w;
        cia_chart_measure(ch, CIA_CT_VALUE, text[c], 0, &w, NULL);
        if (w > maxw) maxw = w;
    }

    cia_chart_axes a = { .vmin = vmin, .vmax = vmax, .ncat = d->ncat, .cat_label = d->cat_label };
    int rc = layout_bars(ch, d, &a, area, maxw, label_height(ch, CIA_CT_VALUE));
    if (rc == 0) {
        cia_chart_axes_draw(ch, &a);
        double thick = a.band * 0.62, cap = cia_chart_pt(ch, 60);
        if (thick > cap) thick = cap;
        /* Totals all or none: when they would run into each other (many
         * years on a narrow page) the axis has to do. */
        int labels = a.horizontal ? label_height(ch, CIA_CT_VALUE) <= a.band * 0.95
                                  : maxw <= a.band * 0.95;
        int segment_labels = d->ncat <= SHORT_SERIES && d->nser > 1;
        for (size_t c = 0; c < d->ncat; c++) {
            double centre = cia_chart_cpos(&a, c), c0 = centre - thick / 2;
            if (!complete[c]) {
                gap_mark(ch, &a, centre, thick, cia_chart_gap_mark(ch, d, missing[c], c));
                continue;
            }
            double up = 0, down = 0;
            for (size_t s = 0; s < d->nser; s++) {
                cia_chart_value(d, s, c, &v);
                double *acc = v >= 0 ? &up : &down;
                bar_between(ch, &a, (int)s, c0, thick, *acc, *acc + v, cia_chart_provisional(d, s, c));
                *acc += v;
            }
            /* White rules between segments, drawn after all of them so no
             * segment paints over its neighbour's edge. */
            up = down = 0;
            for (size_t s = 0; s + 1 < d->nser; s++) {
                cia_chart_value(d, s, c, &v);
                double *acc = v >= 0 ? &up : &down;
                *acc += v;
                if (v == 0 || *acc == (v >= 0 ? pos[c] : neg[c])) continue;
                double p = cia_chart_vpos(&a, *acc);
                if (a.horizontal) cia_chart_separator(ch, p, c0, p, c0 + thick);
                else cia_chart_separator(ch, c0, p, c0 + thick, p);
            }
            if (labels)
                end_label(ch, &a, centre, pos[c] > 0 || neg[c] == 0 ? pos[c] : neg[c], text[c]);
            if (segment_labels) {
                /* A short series (a few years): each segment's value inside
                 * it, where it fits, so the bands can be read, not guessed. */
                up = down = 0;
                for (size_t s = 0; s < d->nser; s++) {
                    cia_chart_value(d, s, c, &v);
                    double *acc = v >= 0 ? &up : &down;
                    double p0 = cia_chart_vpos(&a, *acc), p1 = cia_chart_vpos(&a, *acc + v);
                    *acc += v;
                    if (v == 0) continue;
                    char t[64];
                    double tw, th;
                    cia_chart_value_text(ch, d, v, cia_chart_lower(d, s, c), t, sizeof t);
                    cia_chart_measure(ch, CIA_CT_VALUE, t, 0, &tw, &th);
                    double len = fabs(p1 - p0), across = thick * 0.9;
                    if (a.horizontal ? (tw * 1.15 > len || th > across) : (th * 1.1 > len || tw > across))
                        continue;
                    double mid = (p0 + p1) / 2;
                    cia_chart_text_in_bar(ch, (int)s, cia_chart_provisional(d, s, c), t,
                                          a.horizontal ? mid : centre, a.horizontal ? centre : mid);
                }
            }
        }
        cia_chart_axes_baseline(ch, &a);
    }
    free(complete);
    free(missing);
    free(pos);
    free(neg);
    free(text);
    return rc;
}

/* ---- grouped ------------------------------------------------------------ */

int cia_chart_draw_grouped(cia_chart *ch, const cia_chart_data *d, cia_rect area)
{
    legend_of_series(ch, d, CIA_SW_BOX, 1, &area);

    double vmin = 0, vmax = 0, maxw = 0, v;
    char (*text)[64] = cia_xcalloc(d->nser * d->ncat, sizeof *text);
    for (size_t s = 0; s < d->nser; s++)
        for (size_t c = 0; c < d->ncat; c++) {
            if (!cia_chart_value(d, s, c, &v)) continue;
            if (v < vmin) vmin = v;
            if (v > vmax) vmax = v;
            char *t = text[s * d->ncat + c];
            cia_chart_value_text(ch, d, v, cia_chart_lower(d, s, c), t, sizeof text[0]);
            double w;
            cia_chart_measure(ch, CIA_CT_VALUE, t, 0, &w, NULL);
            if (w > maxw) maxw = w;
        }

    double lab_h = label_height(ch, CIA_CT_VALUE);
    cia_chart_axes a = { .vmin = vmin, .vmax = vmax, .ncat = d->ncat, .cat_label = d->cat_label };
    int rc = layout_bars(ch, d, &a, area, maxw, lab_h);
    if (rc == 0) {
        cia_chart_axes_draw(ch, &a);
        double group = a.band * 0.8, cap = cia_chart_pt(ch, 34) * (double)d->nser;
        if (group > cap) group = cap;
        double slot = group / (double)d->nser;
        /* A hairline between neighbouring bars keeps them apart in print. */
        double thick = slot - (slot * 0.08 > cia_chart_pt(ch, 0.8) ? slot * 0.08 : cia_chart_pt(ch, 0.8));
        if (thick < slot * 0.5) thick = slot * 0.5;
        /* Value labels all or none: a few missing would look like gaps; each
         * within its own slot, or two neighbours of equal height run together. */
        int labels = a.horizontal ? lab_h <= slot * 1.25 : maxw <= slot * 0.95;
        for (size_t c = 0; c < d->ncat; c++)
            for (size_t s = 0; s < d->nser; s++) {
                double centre = cia_chart_cpos(&a, c) - group / 2 + ((double)s + 0.5) * slot;
                if (!cia_chart_value(d, s, c, &v)) {
                    gap_mark(ch, &a, centre, thick, cia_chart_gap_mark(ch, d, s, c));
                    continue;
                }
                bar_between(ch, &a, (int)s, centre - thick / 2, thick, 0, v, cia_chart_provisional(d, s, c));
                /* Without value labels a lower bound still says so: "≥"
                 * at its end (and the note explains it). */
                if (labels) end_label(ch, &a, centre, v, text[s * d->ncat + c]);
                else if (cia_chart_lower(d, s, c)) end_label(ch, &a, centre, v, "\xe2\x89\xa5");
            }
        cia_chart_axes_baseline(ch, &a);
    }
    free(text);
    return rc;
}
