/* pdf.c — owns the A4 PDF annex: a title page, the contents with page
 * numbers, then headings, tables (drawn from the cia_table model, the
 * same one the workbook and the terminal render), figures and text, each
 * page numbered "Page N / M".
 *
 * Layout runs twice over the same code: pass 1 lays out into a PDF that
 * is thrown away (clipped to nothing: measuring, not drawing), to learn
 * on which page every block lands and how many pages there are; pass 2
 * draws the real file with those numbers in the contents and the footers.
 * Both passes use a PDF surface so that pango measures text identically
 * (font metrics depend on the surface).
 *
 * Tables: columns sized from their contents; the type shrinks (8 → 6 pt)
 * before a table turns the page to landscape, and only a table too wide
 * even then is split into column groups, repeating the label columns.
 * Long tables continue on the next page under their repeated header.
 * Figures are charts drawn in the page as vectors (cia_chart_draw), or
 * PNG files.
 * The creation date written into the file is the document's date, never
 * the clock, so the same annex is the same bytes.
 *
 * The annex is a tagged PDF (pass 2 only): a Document of Sect per chapter,
 * H1/H2 headings, P paragraphs and notes, a TOC of TOCI links, each table
 * a Table with its Caption, TR rows, TH header cells (the heading row and
 * the row labels) and TD values, each chart a Figure with its Caption;
 * bookmarks per chapter and per table and figure.  What cairo cannot
 * write (the document language, a Figure's alternative text, a header
 * cell's scope) is added afterwards by pdf_tags.c. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/map.h"
#include "ciatteh/pdf.h"
#include "ciatteh/render.h"

#define A4_W 595.276
#define A4_H 841.890
#define MARGIN 56.693           /* 20 mm */
#define FOOT_Y 28.346           /* footer baseline area, 10 mm above the bottom edge */
#define FONT "DejaVu Sans"
#define PAD 3.0                 /* cell padding, left/right */
#define VPAD 1.8                /* cell padding, top/bottom */
#define KEEP_ROWS 2             /* a table's last rows that go with its notes to a new page */

struct pdf {
    const struct cia_pdf_doc *doc;
    const char *lang;
    cairo_surface_t *surf;
    cairo_t *cr;
    int pass;                   /* 1: measure, 2: draw the real file */
    int page;                   /* current page, 1-based; 0 before the first */
    int landscape;
    double pw, ph;              /* current page size */
    double y;                   /* cursor, from the top */
    int fresh;                  /* nothing drawn on this page yet (below a heading is not fresh) */
    int total;                  /* pages, known in pass 2 */
    int *bpage;                 /* page of each block */
    int *bnum;                  /* number of each table / figure */
    int ncontents;              /* contents pages */
    int outline_parent;         /* pass 2: the current heading's outline entry */
    int in_sect;                /* pass 2: a chapter's Sect tag is open */
    cia_strv alts;              /* pass 2: alternative text of each Figure, in order */
    cia_map measured;           /* text sizes already measured, both passes (memo) */
};

/* ---- structure tags (pass 2 only: pass 1 writes nothing) ------------------ */

static void tag_begin(struct pdf *p, const char *tag)
{
    if (p->pass == 2) cairo_tag_begin(p->cr, tag, NULL);
}

static void tag_end(struct pdf *p, const char *tag)
{
    if (p->pass == 2) cairo_tag_end(p->cr, tag);
}

/* ---- text --------------------------------------------------------------- */

static PangoLayout *layout(struct pdf *p, const char *text, double size, int bold, int italic,
                           double width, PangoAlignment align)
{
    PangoLayout *l = pango_cairo_create_layout(p->cr);
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    if (bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    if (italic) pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(l, align);
    pango_layout_set_text(l, text ? text : "", -1);   /* plain text: never markup */
    return l;
}

static void lsize(PangoLayout *l, double *w, double *h)
{
    int iw, ih;
    pango_layout_get_size(l, &iw, &ih);
    if (w) *w = (double)iw / PANGO_SCALE;
    if (h) *h = (double)ih / PANGO_SCALE;
}

/* Sizing a table measures every cell's words at up to eight sizes, twice
 * (two passes): the sizes are remembered by text, type and width, which
 * makes the same numbers as measuring again (every measure is on the same
 * kind of surface) at a fraction of the cost. */
static double *memo(struct pdf *p, char kind, const char *text, double size, int bold, int italic, double width,
                    char **key)
{
    *key = cia_xasprintf("%c%a/%d%d/%a/%s", kind, size, bold, italic, width, text ? text : "");
    return cia_map_get(&p->measured, *key);
}

static double remember(struct pdf *p, char *key, double v)
{
    double *x = cia_xmalloc(sizeof *x);
    *x = v;
    cia_map_put(&p->measured, key, x);
    free(key);
    return v;
}

/* Width of the text on one line. */
static double text_w(struct pdf *p, const char *text, double size, int bold)
{
    char *key;
    double *known = memo(p, 'w', text, size, bold, 0, -1, &key);
    if (known) {
        free(key);
        return *known;
    }
    PangoLayout *l = layout(p, text, size, bold, 0, -1, PANGO_ALIGN_LEFT);
    double w;
    lsize(l, &w, NULL);
    g_object_unref(l);
    return remember(p, key, w);
}

/* Width of the longest word: a column can never be narrower. */
static double word_w(struct pdf *p, const char *text, double size, int bold)
{
    double best = 0;
    const char *s = text ? text : "";
    while (*s) {
        while (*s == ' ') s++;
        const char *e = s;
        while (*e && *e != ' ') e++;
        if (e > s) {
            char *w = cia_xstrndup(s, (size_t)(e - s));
            double x = text_w(p, w, size, bold);
            if (x > best) best = x;
            free(w);
        }
        s = e;
    }
    return best;
}

static void show(struct pdf *p, PangoLayout *l, double x, double y, double gray)
{
    cairo_set_source_rgb(p->cr, gray, gray, gray);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, l);
}

/* Draw text wrapped to width at (x, y); returns its height. */
static double para(struct pdf *p, const char *text, double x, double y, double width, double size, int bold,
                   int italic, double gray)
{
    PangoLayout *l = layout(p, text, size, bold, italic, width, PANGO_ALIGN_LEFT);
    double h;
    lsize(l, NULL, &h);
    show(p, l, x, y, gray);
    g_object_unref(l);
    return h;
}

static double para_h(struct pdf *p, const char *text, double width, double size, int bold, int italic)
{
    char *key;
    double *known = memo(p, 'h', text, size, bold, italic, width, &key);
    if (known) {
        free(key);
        return *known;
    }
    PangoLayout *l = layout(p, text, size, bold, italic, width, PANGO_ALIGN_LEFT);
    double h;
    lsize(l, NULL, &h);
    g_object_unref(l);
    return remember(p, key, h);
}

/* ---- pages --------------------------------------------------------------- */

static double content_w(const struct pdf *p) { return p->pw - 2 * MARGIN; }
static double bottom(const struct pdf *p) { return p->ph - MARGIN; }

static void footer(struct pdf *p)
{
    if (p->doc->watermark) {            /* every page, the title page too */
        PangoLayout *wl = layout(p, p->doc->watermark, 9, 1, 0, content_w(p), PANGO_ALIGN_CENTER);
        cairo_set_source_rgb(p->cr, 0.75, 0.1, 0.1);
        pango_cairo_update_layout(p->cr, wl);
        cairo_move_to(p->cr, MARGIN, MARGIN / 2 - 6);
        pango_cairo_show_layout(p->cr, wl);
        g_object_unref(wl);
    }
    if (p->page == 1) return;           /* the title page carries none */
    char num[64];
    snprintf(num, sizeof num, "%s %d / %d", cia_word("pdf_page", p->lang), p->page, p->total ? p->total : p->page);
    double fy = p->ph - FOOT_Y - 8;
    cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(p->cr, 0.4);
    cairo_move_to(p->cr, MARGIN, fy - 3);
    cairo_line_to(p->cr, p->pw - MARGIN, fy - 3);
    cairo_stroke(p->cr);
    PangoLayout *l = layout(p, num, 7.5, 0, 0, -1, PANGO_ALIGN_LEFT);
    double w;
    lsize(l, &w, NULL);
    show(p, l, p->pw - MARGIN - w, fy, 0.35);
    g_object_unref(l);
    if (p->doc->footer) {
        l = layout(p, p->doc->footer, 7.5, 0, 0, content_w(p) - w - 20, PANGO_ALIGN_LEFT);
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        pango_layout_set_wrap(l, PANGO_WRAP_WORD);
        pango_layout_set_height(l, 0);   /* one line */
        show(p, l, MARGIN, fy, 0.35);
        g_object_unref(l);
    }
}

static void end_page(struct pdf *p)
{
    if (!p->page) return;
    footer(p);
    cairo_show_page(p->cr);
}

static void new_page(struct pdf *p, int landscape)
{
    end_page(p);
    p->page++;
    p->landscape = landscape;
    p->pw = landscape ? A4_H : A4_W;
    p->ph = landscape ? A4_W : A4_H;
    cairo_pdf_surface_set_size(p->surf, p->pw, p->ph);
    if (p->pass == 1) {
        /* Pass 1 only measures: with nothing inside the clip, cairo skips
         * the drawing (and writing) that pass 2 does for real. */
        cairo_reset_clip(p->cr);
        cairo_rectangle(p->cr, 0, 0, 0, 0);
        cairo_clip(p->cr);
    }
    p->y = MARGIN;
    p->fresh = 1;
}

/* Room for h points more on this page (orientation as wanted), else a new
 * page. */
static void need(struct pdf *p, double h, int landscape)
{
    if (p->landscape != landscape || (!p->fresh && p->y + h > bottom(p))) new_page(p, landscape);
}

static void link_attrs(char *buf, size_t n, int page, double y)
{
    snprintf(buf, n, "page=%d pos=[%.1f %.1f]", page, MARGIN, y);
}

/* ---- title page and contents -------------------------------------------- */

static void title_page(struct pdf *p)
{
    new_page(p, 0);
    double w = content_w(p);
    double y = A4_H * 0.28;
    cairo_set_source_rgb(p->cr, 0.12, 0.25, 0.45);
    cairo_rectangle(p->cr, MARGIN, y - 18, 60, 4);
    cairo_fill(p->cr);
    tag_begin(p, "H1");
    y += para(p, p->doc->title, MARGIN, y, w, 24, 1, 0, 0.1) + 12;
    tag_end(p, "H1");
    if (p->doc->subtitle) {
        tag_begin(p, "P");
        y += para(p, p->doc->subtitle, MARGIN, y, w, 14, 0, 0, 0.25) + 30;
        tag_end(p, "P");
    }
    for (size_t i = 0; i < p->doc->ncover; i++) {
        tag_begin(p, "P");
        y += para(p, p->doc->cover_lines[i], MARGIN, y, w, 10, 0, 0, 0.3) + 4;
        tag_end(p, "P");
    }
    p->fresh = 0;
}

struct entry { int level; const char *label; char num[64]; size_t block; };

static const char *block_title(const struct cia_pdf_block *b)
{
    if (b->title) return b->title;
    if (b->table) return b->table->title;
    return "";
}

static size_t entries(const struct pdf *p, struct entry **out)
{
    const struct cia_pdf_doc *d = p->doc;
    struct entry *v = cia_xcalloc(d->nblocks + 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        const struct cia_pdf_block *b = &d->blocks[i];
        if (b->kind == CIA_PDF_HEADING) {
            v[n].level = 0;
        } else if (b->kind == CIA_PDF_TABLE || b->kind == CIA_PDF_IMAGE) {
            v[n].level = 1;
            snprintf(v[n].num, sizeof v[n].num, "%s %d", cia_word(b->kind == CIA_PDF_TABLE ? "pdf_table" : "pdf_figure",
                                                                  p->lang), p->bnum[i]);
        } else {
            continue;
        }
        v[n].label = block_title(b);
        v[n].block = i;
        n++;
    }
    *out = v;
    return n;
}

#define TOC_LINE 13.0

static int toc_per_page(void)
{
    return (int)((A4_H - 2 * MARGIN - 40) / TOC_LINE);
}

static void contents(struct pdf *p)
{
    struct entry *v;
    size_t n = entries(p, &v);
    int per = toc_per_page();
    p->ncontents = n ? (int)((n + (size_t)per - 1) / (size_t)per) : 0;
    for (size_t i = 0; i < n; i++) {
        if (i % (size_t)per == 0) {
            if (i) tag_end(p, "TOC");
            new_page(p, 0);
            tag_begin(p, "H1");
            para(p, cia_word("pdf_contents", p->lang), MARGIN, p->y, content_w(p), 16, 1, 0, 0.1);
            tag_end(p, "H1");
            tag_begin(p, "TOC");
            p->y += 32;
        }
        tag_begin(p, "TOCI");
        const struct entry *x = &v[i];
        int page = p->bpage[x->block];
        char pg[32], attrs[96];
        snprintf(pg, sizeof pg, "%d", page);
        double indent = x->level ? 14 : 0;
        double pgw = text_w(p, pg, 9, !x->level);
        cia_buf lab;
        cia_buf_init(&lab);
        if (x->num[0]) cia_buf_printf(&lab, "%s%s", x->num, ". ");
        cia_buf_adds(&lab, x->label);
        PangoLayout *l = layout(p, lab.data, 9, !x->level, 0, content_w(p) - indent - pgw - 24, PANGO_ALIGN_LEFT);
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        pango_layout_set_height(l, 0);
        double lw;
        lsize(l, &lw, NULL);
        if (p->pass == 2 && page > 0) {
            snprintf(attrs, sizeof attrs, "page=%d", page);
            cairo_tag_begin(p->cr, CAIRO_TAG_LINK, attrs);
        }
        show(p, l, MARGIN + indent, p->y, 0.1);
        /* dot leader */
        cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
        double x0 = MARGIN + indent + lw + 4, x1 = p->pw - MARGIN - pgw - 4;
        for (double dx = x0; dx < x1; dx += 3.5) cairo_rectangle(p->cr, dx, p->y + 8.2, 0.7, 0.7);
        cairo_fill(p->cr);
        PangoLayout *pl = layout(p, pg, 9, !x->level, 0, -1, PANGO_ALIGN_LEFT);
        show(p, pl, p->pw - MARGIN - pgw, p->y, 0.1);
        if (p->pass == 2 && page > 0) cairo_tag_end(p->cr, CAIRO_TAG_LINK);
        g_object_unref(pl);
        g_object_unref(l);
        cia_buf_free(&lab);
        tag_end(p, "TOCI");
        p->y += TOC_LINE;
        p->fresh = 0;
    }
    if (n) tag_end(p, "TOC");
    free(v);
}

/* ---- tables -------------------------------------------------------------- */

struct tcell { char *text; int number; };

/* What a cell shows: the formatted value and its flag marks. */
static char *cell_text(const cia_table *t, size_t r, size_t c, const char *lang, int *number)
{
    const cia_cell *cell = cia_table_cell_c(t, r, c);
    char buf[512];
    cia_format_cell(cell, lang, buf, sizeof buf);
    *number = cell && cell->type != CIA_CELL_TEXT && cell->type != CIA_CELL_NONE;
    if (!*number || !cell->flags[0]) return cia_xstrdup(buf);
    cia_buf b;
    cia_buf_init(&b);
    /* a lower bound reads "≥ 12 (u; 3 n.k.)": at least, and how many records left it unknown */
    int lower = cia_cell_state(cell) == CIA_ST_LOWER && cell->known && cell->type == CIA_CELL_COUNT;
    cia_buf_printf(&b, "%s%s%s (", lower ? cia_state_mark(CIA_ST_LOWER, lang) : "", lower ? " " : "", buf);
    for (const char *f = cell->flags; *f; f++) cia_buf_printf(&b, "%s%c", f == cell->flags ? "" : ",", *f);
    char gap[64];
    cia_format_gap(cell, lang, gap, sizeof gap);
    if (gap[0]) cia_buf_printf(&b, "%s%s", cia_word("semicolon", lang), gap);
    cia_buf_addc(&b, ')');
    return cia_buf_steal(&b);
}

struct tlay {
    double fs;                  /* font size */
    int *numeric;               /* column holds numbers: heading right-aligned */
    int landscape;
    double *w;                  /* column widths */
    size_t *chunk_start;        /* value-column groups: [start, end) in value columns */
    size_t nchunks;
};

/* Column widths for font size fs within avail; 1 when the table fits
 * without splitting. */
static int fit(struct pdf *p, const cia_table *t, struct tcell *cells, double fs, double avail, double *w,
               double *minw, double *natw)
{
    size_t nc = t->ncols;
    for (size_t c = 0; c < nc; c++) {
        const char *h = t->col_heads[c] ? t->col_heads[c] : "";
        double nat = text_w(p, h, fs, 1), mn = word_w(p, h, fs, 1);
        for (size_t r = 0; r < t->nrows; r++) {
            struct tcell *x = &cells[r * nc + c];
            double tw = text_w(p, x->text, fs, 0);
            if (tw > nat) nat = tw;
            double m = x->number ? tw : word_w(p, x->text, fs, 0);
            if (m > mn) mn = m;
        }
        /* label columns wrap rather than take half the page */
        if (c < t->nhead && nat > avail * 0.38) nat = fmax(mn, avail * 0.38);
        natw[c] = nat + 2 * PAD;
        minw[c] = mn + 2 * PAD;
    }
    double sn = 0, sm = 0;
    for (size_t c = 0; c < nc; c++) { sn += natw[c]; sm += minw[c]; }
    if (sn <= avail) {
        memcpy(w, natw, nc * sizeof *w);
        return 1;
    }
    if (sm > avail) return 0;
    double extra = avail - sm, want = sn - sm;
    for (size_t c = 0; c < nc; c++) w[c] = minw[c] + (want > 0 ? extra * (natw[c] - minw[c]) / want : 0);
    return 1;
}

static void plan_table(struct pdf *p, const cia_table *t, struct tcell *cells, struct tlay *L)
{
    size_t nc = t->ncols;
    double *minw = cia_xcalloc(nc ? nc : 1, sizeof *minw), *natw = cia_xcalloc(nc ? nc : 1, sizeof *natw);
    L->w = cia_xcalloc(nc ? nc : 1, sizeof *L->w);
    L->chunk_start = cia_xcalloc(nc + 2, sizeof *L->chunk_start);
    static const double sizes[] = {8, 7.5, 7, 6.5};
    int done = 0;
    for (int orient = 0; orient < 2 && !done; orient++)
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0] && !done; k++) {
            double avail = (orient ? A4_H : A4_W) - 2 * MARGIN;
            if (fit(p, t, cells, sizes[k], avail, L->w, minw, natw)) {
                L->fs = sizes[k];
                L->landscape = orient;
                done = 1;
            }
        }
    if (done) {
        L->nchunks = 1;
        L->chunk_start[0] = t->nhead;
        L->chunk_start[1] = nc;
    } else {
        /* landscape, 6 pt, value columns in groups that fit beside the
         * label columns */
        L->fs = 6;
        L->landscape = 1;
        double avail = A4_H - 2 * MARGIN;
        fit(p, t, cells, L->fs, 1e9, L->w, minw, natw);
        double head = 0;
        for (size_t c = 0; c < t->nhead; c++) {
            L->w[c] = fmin(natw[c], fmax(minw[c], avail * 0.3));
            head += L->w[c];
        }
        size_t n = 0;
        L->chunk_start[n] = t->nhead;
        double used = head;
        for (size_t c = t->nhead; c < nc; c++) {
            L->w[c] = minw[c];
            if (used + L->w[c] > avail && c > L->chunk_start[n]) {
                L->chunk_start[++n] = c;
                used = head;
            }
            used += L->w[c];
        }
        L->chunk_start[++n] = nc;
        L->nchunks = n;
    }
    free(minw);
    free(natw);
}

/* A row label that repeats the one above it (and every label left of it
 * does too): printed once for consecutive rows, as a reader expects of a
 * grouped table; the first row of a page shows it again. */
static int repeats_above(const cia_table *t, struct tcell *cells, size_t r, size_t c)
{
    if (r == (size_t)-1 || r == 0 || c >= t->nhead) return 0;
    for (size_t k = 0; k <= c; k++) {
        const char *a = cells[r * t->ncols + k].text, *b = cells[(r - 1) * t->ncols + k].text;
        if (!a || !b || !*a || strcmp(a, b)) return 0;
    }
    return 1;
}

/* merge: the row's repeated labels are not printed (repeats_above), so
 * they do not make it taller. */
static double row_h(struct pdf *p, const cia_table *t, struct tcell *cells, const struct tlay *L, size_t r,
                    size_t c0, size_t c1, int merge)
{
    double h = L->fs * 1.3;
    for (size_t c = 0; c < t->ncols; c++) {
        if (c >= t->nhead && (c < c0 || c >= c1)) continue;
        if (merge && repeats_above(t, cells, r, c)) continue;
        const char *txt = r == (size_t)-1 ? t->col_heads[c] : cells[r * t->ncols + c].text;
        double x = para_h(p, txt ? txt : "", L->w[c] - 2 * PAD, L->fs, r == (size_t)-1, 0);
        if (x > h) h = x;
    }
    return h + 2 * VPAD;
}

/* tagged: a row of the table's structure (TR); the header repeated on a
 * continuation page is drawn untagged into the Table, read once. */
static void draw_row(struct pdf *p, const cia_table *t, struct tcell *cells, const struct tlay *L, size_t r,
                     size_t c0, size_t c1, double h, int shade, int tagged, int page_top)
{
    if (tagged) tag_begin(p, "TR");
    double x = MARGIN, total = 0;
    for (size_t c = 0; c < t->ncols; c++)
        if (c < t->nhead || (c >= c0 && c < c1)) total += L->w[c];
    if (shade) {
        cairo_set_source_rgb(p->cr, 0.95, 0.96, 0.97);
        cairo_rectangle(p->cr, MARGIN, p->y, total, h);
        cairo_fill(p->cr);
    }
    for (size_t c = 0; c < t->ncols; c++) {
        if (c >= t->nhead && (c < c0 || c >= c1)) continue;
        int head = r == (size_t)-1;
        const char *txt = head ? t->col_heads[c] : cells[r * t->ncols + c].text;
        int right = head ? L->numeric[c] : cells[r * t->ncols + c].number;
        PangoLayout *l = layout(p, txt ? txt : "", L->fs, head, 0, L->w[c] - 2 * PAD,
                                right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
        /* Header cells: the heading row and the row labels (pdf_tags.c
         * gives them their scope, column or row). */
        const char *tag = tagged ? (head || c < t->nhead ? "TH" : "TD") : NULL;
        if (tag) tag_begin(p, tag);
        if (page_top || !repeats_above(t, cells, r, c)) show(p, l, x + PAD, p->y + VPAD, 0.1);
        if (tag) tag_end(p, tag);
        g_object_unref(l);
        x += L->w[c];
    }
    if (tagged) tag_end(p, "TR");
}

static void rule(struct pdf *p, double w, double width)
{
    cairo_set_source_rgb(p->cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(p->cr, width);
    cairo_move_to(p->cr, MARGIN, p->y);
    cairo_line_to(p->cr, MARGIN + w, p->y);
    cairo_stroke(p->cr);
}

static void add_outline(struct pdf *p, const char *label, int level)
{
    if (p->pass != 2) return;
    char attrs[96];
    link_attrs(attrs, sizeof attrs, p->page, p->y);
    int id = cairo_pdf_surface_add_outline(p->surf, level ? p->outline_parent : CAIRO_PDF_OUTLINE_ROOT, label, attrs,
                                           0);
    if (!level) p->outline_parent = id;
}

static double caption(struct pdf *p, const char *num, const char *title, const char *subtitle, int cont, int draw)
{
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_printf(&b, "%s. %s", num, title ? title : "");
    if (cont) cia_buf_printf(&b, " %s", cia_word("pdf_continued", p->lang));
    double w = content_w(p), h = 0;
    if (draw) h += para(p, b.data, MARGIN, p->y, w, 10.5, 1, 0, 0.1);
    else h += para_h(p, b.data, w, 10.5, 1, 0);
    if (subtitle && *subtitle && !cont) {
        h += 1;
        if (draw) h += para(p, subtitle, MARGIN, p->y + h, w, 8.5, 0, 1, 0.3);
        else h += para_h(p, subtitle, w, 8.5, 0, 1);
    }
    cia_buf_free(&b);
    return h + 5;
}

/* The height of notes (as notes() draws them). */
static double notes_h(struct pdf *p, const char *const *lines, size_t n)
{
    double h = 0;
    for (size_t i = 0; i < n; i++)
        if (lines[i] && *lines[i]) h += para_h(p, lines[i], content_w(p), 7.5, 0, 0) + 2;
    return h;
}

/* Notes under a table or a figure. */
static void notes(struct pdf *p, const char *const *lines, size_t n, int landscape)
{
    for (size_t i = 0; i < n; i++) {
        if (!lines[i] || !*lines[i]) continue;
        double h = para_h(p, lines[i], content_w(p), 7.5, 0, 0);
        need(p, h + 2, landscape);
        tag_begin(p, "P");
        p->y += para(p, lines[i], MARGIN, p->y, content_w(p), 7.5, 0, 0, 0.25) + 2;
        tag_end(p, "P");
    }
}

/* What each cell of t shows (cell_text), row-major. */
static struct tcell *table_cells(struct pdf *p, const cia_table *t)
{
    size_t nc = t->ncols;
    struct tcell *cells = cia_xcalloc(t->nrows * nc + 1, sizeof *cells);
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < nc; c++)
            cells[r * nc + c].text = cell_text(t, r, c, p->lang, &cells[r * nc + c].number);
    return cells;
}

static void free_cells(const cia_table *t, struct tcell *cells)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++) free(cells[i].text);
    free(cells);
}

static void table_block(struct pdf *p, size_t bi, const struct cia_pdf_block *b)
{
    const cia_table *t = b->table;
    size_t nc = t->ncols;
    struct tcell *cells = table_cells(p, t);
    struct tlay L;
    memset(&L, 0, sizeof L);
    plan_table(p, t, cells, &L);
    L.numeric = cia_xcalloc(nc + 1, sizeof *L.numeric);
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < nc; c++)
            if (cells[r * nc + c].number) L.numeric[c] = 1;
    char num[64];
    snprintf(num, sizeof num, "%s %d", cia_word("pdf_table", p->lang), p->bnum[bi]);
    const char *title = block_title(b);
    /* The legend and notes of a table stay together, and with the table's
     * last rows (KEEP_ROWS of them): no page starts with notes alone,
     * unless the notes fill a page by themselves. */
    char *legend = cia_legend(t, p->lang);
    const char *l1[1] = {legend};
    double nh = notes_h(p, l1, legend ? 1 : 0) + notes_h(p, (const char *const *)t->notes, t->nnotes)
              + notes_h(p, b->lines, b->nlines);
    int keep_notes = nh > 0 && nh < bottom(p) - MARGIN;
    size_t tail = t->nrows < KEEP_ROWS ? t->nrows : KEEP_ROWS, tail0 = t->nrows - tail;
    for (size_t k = 0; k < L.nchunks; k++) {
        size_t c0 = L.chunk_start[k], c1 = L.chunk_start[k + 1];
        double tw = 0;
        for (size_t c = 0; c < nc; c++)
            if (c < t->nhead || (c >= c0 && c < c1)) tw += L.w[c];
        double hh = row_h(p, t, cells, &L, (size_t)-1, c0, c1, 0);
        double first = t->nrows ? row_h(p, t, cells, &L, 0, c0, c1, 0) : 0;
        double cap = caption(p, num, title, t->subtitle, k > 0, 0);
        int last = k + 1 == L.nchunks;
        /* the tail rows from tail0 on, each under the one before (labels merged) */
        double tail_h = 0;
        for (size_t r = tail0; last && keep_notes && r < t->nrows; r++)
            tail_h += row_h(p, t, cells, &L, r, c0, c1, r > tail0);
        if (last && keep_notes && tail0 == 0 && cap + hh + tail_h + 4 + nh < bottom(p) - MARGIN)
            need(p, cap + hh + tail_h + 4 + nh, L.landscape);     /* a short table whole with its notes */
        else
            need(p, cap + hh + first + 4, L.landscape);
        if (k == 0) {
            p->bpage[bi] = p->page;
            cia_buf lab;
            cia_buf_init(&lab);
            cia_buf_printf(&lab, "%s. %s", num, title);
            add_outline(p, lab.data, 1);
            cia_buf_free(&lab);
        }
        tag_begin(p, "Table");
        tag_begin(p, "Caption");
        p->y += caption(p, num, title, t->subtitle, k > 0, 1);
        tag_end(p, "Caption");
        rule(p, tw, 0.9);
        draw_row(p, t, cells, &L, (size_t)-1, c0, c1, hh, 0, 1, 1);
        p->y += hh;
        rule(p, tw, 0.5);
        for (size_t r = 0; r < t->nrows; r++) {
            int top = r == 0;
            double h = row_h(p, t, cells, &L, r, c0, c1, !top);
            int carry = last && keep_notes && r == tail0 && r > 0 && p->y + tail_h + 4 + nh > bottom(p);
            if (carry || p->y + h > bottom(p)) {
                rule(p, tw, 0.9);
                new_page(p, L.landscape);
                p->y += caption(p, num, title, NULL, 1, 1);
                rule(p, tw, 0.9);
                draw_row(p, t, cells, &L, (size_t)-1, c0, c1, hh, 0, 0, 1);
                p->y += hh;
                rule(p, tw, 0.5);
                top = 1;
                h = row_h(p, t, cells, &L, r, c0, c1, 0);     /* its labels printed again */
            }
            draw_row(p, t, cells, &L, r, c0, c1, h, r % 2 == 1, 1, top);
            p->y += h;
        }
        if (!t->nrows) {
            double h = L.fs * 1.3 + 2 * VPAD;
            para(p, cia_word("no_rows", p->lang), MARGIN + PAD, p->y + VPAD, tw, L.fs, 0, 1, 0.3);
            p->y += h;
        }
        rule(p, tw, 0.9);
        tag_end(p, "Table");
        p->y += 4;
        p->fresh = 0;
    }
    if (keep_notes) need(p, nh, L.landscape);
    if (legend) {
        notes(p, l1, 1, L.landscape);
        free(legend);
    }
    notes(p, (const char *const *)t->notes, t->nnotes, L.landscape);
    notes(p, b->lines, b->nlines, L.landscape);
    p->y += 14;
    free_cells(t, cells);
    free(L.w);
    free(L.chunk_start);
    free(L.numeric);
}

/* ---- figures, headings, text --------------------------------------------- */

/* A figure: a chart drawn in place as vectors (sharp at any zoom, and
 * cheap: a 300 dpi picture would be decoded and compressed again on each
 * of the two passes), or a PNG file scaled to the text width. */
static int image_block(struct pdf *p, size_t bi, const struct cia_pdf_block *b, cia_err *e)
{
    cairo_surface_t *img = NULL;
    double iw, ih;
    int rc;
    if (b->chart) {
        if ((rc = cia_chart_size_pt(b->chart, &iw, &ih, e))) return rc;
    } else {
        img = cairo_image_surface_create_from_png(b->image_png);
        if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
            cairo_surface_destroy(img);
            return cia_fail(e, CIA_ENOINPUT, "%s: cannot read the chart image", b->image_png);
        }
        iw = cairo_image_surface_get_width(img);
        ih = cairo_image_surface_get_height(img);
    }
    double w = A4_W - 2 * MARGIN, h = w * ih / iw;
    double maxh = (A4_H - 2 * MARGIN) * 0.62;
    if (h > maxh) { w = w * maxh / h; h = maxh; }
    char num[64];
    snprintf(num, sizeof num, "%s %d", cia_word("pdf_figure", p->lang), p->bnum[bi]);
    double cap = caption(p, num, block_title(b), NULL, 0, 0);
    /* the figure with its notes on one page, when they fit one */
    double nh = notes_h(p, b->lines, b->nlines);
    need(p, cap + h + 16 + (cap + h + 16 + nh < bottom(p) - MARGIN ? nh : 0), 0);
    p->bpage[bi] = p->page;
    cia_buf lab;
    cia_buf_init(&lab);
    cia_buf_printf(&lab, "%s. %s", num, block_title(b));
    add_outline(p, lab.data, 1);
    cia_buf_free(&lab);
    tag_begin(p, "Figure");
    tag_begin(p, "Caption");
    p->y += caption(p, num, block_title(b), NULL, 0, 1);
    tag_end(p, "Caption");
    if (p->pass == 2) {
        char *alt = b->chart ? cia_chart_alt_text(b->chart, b->chart_table) : NULL;
        cia_strv_push(&p->alts, alt ? alt : block_title(b));
        free(alt);
    }
    cairo_save(p->cr);
    cairo_translate(p->cr, MARGIN, p->y);
    cairo_scale(p->cr, w / iw, h / ih);
    if (img) {
        cairo_set_source_surface(p->cr, img, 0, 0);
        cairo_pattern_set_filter(cairo_get_source(p->cr), CAIRO_FILTER_GOOD);
        cairo_paint(p->cr);
        cairo_surface_destroy(img);
        rc = CIA_OK;
    } else {
        /* The caption above says the title ("Figure 3. ..."): the chart
         * is drawn without its own, so it is not printed twice. */
        cia_chart_spec untitled = *b->chart;
        untitled.title = "";
        rc = p->pass == 1 ? CIA_OK : cia_chart_draw(&untitled, b->chart_table, p->cr, e);   /* size known */
    }
    cairo_restore(p->cr);
    tag_end(p, "Figure");
    if (rc) return rc;
    p->y += h + 6;
    p->fresh = 0;
    notes(p, b->lines, b->nlines, 0);
    p->y += 14;
    return CIA_OK;
}

/* Whether a table block will be laid out in landscape. */
static int table_landscape(struct pdf *p, const cia_table *t)
{
    struct tcell *cells = table_cells(p, t);
    struct tlay L;
    memset(&L, 0, sizeof L);
    plan_table(p, t, cells, &L);
    free_cells(t, cells);
    free(L.w);
    free(L.chunk_start);
    return L.landscape;
}

/* A chapter heading opens a page in the orientation of what follows it,
 * so a heading is never left alone on a portrait page before a landscape
 * table ("Deliveries used" at the foot of a page, its table overleaf). */
static void heading_block(struct pdf *p, size_t bi, const struct cia_pdf_block *b,
                          const struct cia_pdf_block *next)
{
    int landscape = next && next->kind == CIA_PDF_TABLE && next->table
                    && table_landscape(p, next->table);
    if (!p->fresh || p->landscape != landscape) new_page(p, landscape);
    p->bpage[bi] = p->page;
    add_outline(p, b->title, 0);
    if (p->in_sect) tag_end(p, "Sect");
    tag_begin(p, "Sect");
    p->in_sect = 1;
    tag_begin(p, "H1");
    p->y += para(p, b->title, MARGIN, p->y, content_w(p), 16, 1, 0, 0.12) + 4;
    tag_end(p, "H1");
    cairo_set_source_rgb(p->cr, 0.12, 0.25, 0.45);
    cairo_rectangle(p->cr, MARGIN, p->y, 40, 2.5);
    cairo_fill(p->cr);
    p->y += 14;
    p->fresh = 0;
    notes(p, b->lines, b->nlines, 0);
    if (b->nlines) p->y += 8;
}

static void text_block(struct pdf *p, size_t bi, const struct cia_pdf_block *b)
{
    if (b->title) {
        /* the heading with its paragraphs when they fit a page (a list of
         * definitions is not left with its last lines alone overleaf),
         * with its first one at least */
        double h = para_h(p, b->title, content_w(p), 10.5, 1, 0);
        double first = b->nlines && b->lines[0] ? para_h(p, b->lines[0], content_w(p), 8.5, 0, 0) + 3 : 0;
        double all = 0;
        for (size_t i = 0; i < b->nlines; i++)
            if (b->lines[i]) all += para_h(p, b->lines[i], content_w(p), 8.5, 0, 0) + 3;
        need(p, h + 4 + (h + 4 + all < bottom(p) - MARGIN ? all : first + 4), 0);
        p->bpage[bi] = p->page;
        tag_begin(p, "H2");
        p->y += para(p, b->title, MARGIN, p->y, content_w(p), 10.5, 1, 0, 0.1) + 4;
        tag_end(p, "H2");
    } else {
        p->bpage[bi] = p->page;
    }
    for (size_t i = 0; i < b->nlines; i++) {
        if (!b->lines[i]) continue;
        double h = para_h(p, b->lines[i], content_w(p), 8.5, 0, 0);
        need(p, h + 3, 0);
        tag_begin(p, "P");
        p->y += para(p, b->lines[i], MARGIN, p->y, content_w(p), 8.5, 0, 0, 0.15) + 3;
        tag_end(p, "P");
        p->fresh = 0;
    }
    p->y += 10;
}

/* ---- the document ---------------------------------------------------------- */

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int length)
{
    (void)closure;
    (void)data;
    (void)length;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int length)
{
    cia_buf_add(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* Pass 1 into nothing, pass 2 into mem (tagged afterwards, see pdf_tags.c). */
static int render(struct pdf *p, cia_buf *mem, cia_err *e)
{
    p->surf = mem ? cairo_pdf_surface_create_for_stream(to_buf, mem, A4_W, A4_H)
                 : cairo_pdf_surface_create_for_stream(discard, NULL, A4_W, A4_H);
    cairo_pdf_surface_restrict_to_version(p->surf, CAIRO_PDF_VERSION_1_5);
    if (p->doc->create_date && strlen(p->doc->create_date) == 10) {
        /* the document's own date, never the clock (cairo would write now) */
        char iso[32];
        snprintf(iso, sizeof iso, "%sT00:00:00Z", p->doc->create_date);
        cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_CREATE_DATE, iso);
    }
    cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_TITLE, p->doc->title ? p->doc->title : "");
    cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_CREATOR, "ciatteh " CIATTEH_VERSION);
    p->cr = cairo_create(p->surf);
    p->page = 0;
    p->landscape = 0;
    p->in_sect = 0;
    int rc = CIA_OK;
    title_page(p);
    contents(p);
    for (size_t i = 0; i < p->doc->nblocks && !rc; i++) {
        const struct cia_pdf_block *b = &p->doc->blocks[i];
        switch (b->kind) {
        case CIA_PDF_HEADING:
            heading_block(p, i, b, i + 1 < p->doc->nblocks ? &p->doc->blocks[i + 1] : NULL);
            break;
        case CIA_PDF_TABLE: table_block(p, i, b); break;
        case CIA_PDF_IMAGE: rc = image_block(p, i, b, e); break;
        case CIA_PDF_TEXT: text_block(p, i, b); break;
        }
    }
    if (p->in_sect) tag_end(p, "Sect");
    end_page(p);
    int pages = p->page;
    cairo_destroy(p->cr);
    cairo_surface_finish(p->surf);
    cairo_status_t st = cairo_surface_status(p->surf);
    cairo_surface_destroy(p->surf);
    p->cr = NULL;
    p->surf = NULL;
    if (!rc && st != CAIRO_STATUS_SUCCESS)
        rc = cia_fail(e, CIA_ECANTCREAT, "writing the PDF: %s", cairo_status_to_string(st));
    if (!rc) p->total = pages;
    return rc;
}

int cia_pdf_annex(const char *path, const struct cia_pdf_doc *doc, size_t *pages, cia_err *e)
{
    struct pdf p;
    memset(&p, 0, sizeof p);
    p.doc = doc;
    p.lang = doc->lang ? doc->lang : "en";
    p.bpage = cia_xcalloc(doc->nblocks + 1, sizeof *p.bpage);
    p.bnum = cia_xcalloc(doc->nblocks + 1, sizeof *p.bnum);
    int nt = 0, nf = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        if (doc->blocks[i].kind == CIA_PDF_TABLE) p.bnum[i] = ++nt;
        if (doc->blocks[i].kind == CIA_PDF_IMAGE) p.bnum[i] = ++nf;
    }
    cia_map_init(&p.measured);
    p.pass = 1;
    int rc = render(&p, NULL, e);
    int total = p.total;
    cia_buf mem, tagged;
    cia_buf_init(&mem);
    cia_buf_init(&tagged);
    if (!rc) {
        p.pass = 2;
        p.total = total;
        rc = render(&p, &mem, e);
        if (!rc && p.total != total)
            rc = cia_fail(e, CIA_EINTERNAL, "PDF layout differs between passes (%d and %d pages)", total, p.total);
    }
    if (!rc)
        rc = cia_pdf_tags_finish(mem.data, mem.len, p.lang, (const char *const *)p.alts.v, p.alts.n, &tagged, e);
    cia_outfile o = {0};
    if (!rc) rc = cia_outfile_open(&o, path, e);
    if (!rc) {
        fwrite(tagged.data, 1, tagged.len, o.fp);   /* a failed write fails the commit */
        rc = cia_outfile_commit(&o, e);
    }
    cia_buf_free(&mem);
    cia_buf_free(&tagged);
    cia_strv_free(&p.alts);
    if (pages) *pages = (size_t)total;
    for (size_t i = 0; i < p.measured.cap; i++)
        if (p.measured.keys[i]) free(p.measured.vals[i]);
    cia_map_free(&p.measured);
    free(p.bpage);
    free(p.bnum);
    return rc;
}
