/* render_xlsx.c — owns the Excel rendering of a cia_report: one sheet per
 * table, named in the report's language (the words catalogue's
 * sheet_REPORT_TABLE, else the table id) and found by programs through
 * the workbook name "table.ID" over its headings and rows (title, subtitle, frozen header row, numbers with Excel number
 * formats, a flags column beside each flagged value column, legend, notes,
 * sources and as-of under the table) and a localised "Definitions" sheet.
 *
 * Why it looks the way it does:
 *  - values are written with worksheet_write_number / _string only, never
 *    as formulas, so what the analyst sees is the figure we computed;
 *  - a value not known is the marker text "n.k."/"inc."/"onb." in the
 *    value cell, and a withheld value the text "c": an empty cell would
 *    count as 0 in =B4+C4, text makes it #VALUE! (SUM skips it, as Excel
 *    documents).  The legend under the table explains both;
 *  - flags go in a narrow column right of the value column, only for value
 *    columns that have any flag: a column can be filtered, a cell comment
 *    cannot and does not print.  Or, with cia_report.flag_marks, after the
 *    value in its own cell through the number format ("1,234 p"): the cell
 *    stays a number, and a table pastes without columns to delete;
 *  - the workbook is written under a temporary name and renamed into place
 *    (cia_outfile), so a full disk never leaves a half-written .xlsx. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>
#include "ciatteh/chart_data.h"
#include "ciatteh/render.h"
#include "ciatteh/util.h"

#define SHEETNAME_MAX 31          /* Excel's limit, in characters */
#define HEAD_ROW 2                /* title, subtitle, then the headings */

#define MAX_BREAKS 1023          /* page breaks of a sheet (Excel's limit) */

struct xl {
    lxw_workbook *wb;
    const cia_report *r;
    const char *lang;
    cia_err *e;
    cia_strv used;                /* sheet names taken, lower-cased */
    lxw_format *title, *subtitle, *head, *head_r, *head_flag, *count, *delta,
               *pct, *marker, *flag, *note, *bold, *wrap, *year, *bold_wrap;
    cia_strv mark_keys;           /* the marks layout's number formats */
    lxw_format **mark_fmts;
    const struct cia_xlsx_chart *charts;   /* pictures under tables (chart_data.h) */
    size_t ncharts;
    lxw_row_t breaks[MAX_BREAKS + 1];      /* the current sheet's page breaks, 0-ended:
                                              set once, when the sheet is done */
    size_t nbreaks;
    int has_chart;                         /* the current sheet holds a chart picture */
};

static int put_charts(struct xl *x, lxw_worksheet *ws, size_t table, lxw_row_t row);

/* A page break before row r of the current sheet (set by set_breaks). */
static void add_break(struct xl *x, lxw_row_t r)
{
    if (x->nbreaks < MAX_BREAKS) x->breaks[x->nbreaks++] = r;
    x->breaks[x->nbreaks] = 0;
}

static int lxw_fail(struct xl *x, lxw_error err, const char *what)
{
    return cia_fail(x->e, CIA_ECANTCREAT, "xlsx: %s: %s", what, lxw_strerror(err));
}

/* Every libxlsxwriter call is checked; the first failure ends the run. */
#define TRY(x, call, what) do { lxw_error err_ = (call); \
    if (err_ != LXW_NO_ERROR) return lxw_fail((x), err_, (what)); } while (0)

/* ---- strings -------------------------------------------------------- */

/* The XML inside an .xlsx must be valid UTF-8 or Excel offers to "repair"
 * the file and drops content; replace broken bytes with U+FFFD and
 * control characters (but newline and tab) with a space. */
static char *xml_safe(const char *s)
{
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, "");
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        int n = p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3
              : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
        int ok = n > 0;
        for (int i = 1; ok && i < n; i++) ok = (p[i] & 0xC0) == 0x80;
        if (ok && n == 2) ok = p[0] >= 0xC2;
        if (!ok) { cia_buf_adds(&b, "\xEF\xBF\xBD"); p++; continue; }
        if (n == 1 && p[0] < 0x20 && p[0] != '\n' && p[0] != '\t') cia_buf_addc(&b, ' ');
        else cia_buf_add(&b, p, (size_t)n);
        p += n;
    }
    return cia_buf_steal(&b);
}

static lxw_error put_str(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                         lxw_format *f)
{
    if (!s || !*s) return LXW_NO_ERROR;
    char *clean = xml_safe(s);
    lxw_error err = worksheet_write_string(ws, row, col, clean, f);
    free(clean);
    return err;
}

/* ---- sheet names ---------------------------------------------------- */

/* Keep the first max characters of s (in place). */
static void cut_chars(char *s, size_t max)
{
    size_t n = 0;
    for (char *p = s; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && n++ == max) { *p = '\0'; return; }
    }
}

static char *lower(const char *s)
{
    char *l = cia_xstrdup(s);
    for (char *p = l; *p; p++) if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return l;
}

/* A valid, unused sheet name from a wish: Excel forbids []:*?/\, a
 * leading or trailing apostrophe, more than 31 characters, the name
 * "History", and two names differing only in case. */
static char *sheet_name(struct xl *x, const char *wish, size_t index)
{
    char *base = xml_safe(wish);
    for (char *p = base; *p; p++)
        if (strchr("[]:*?/\\\n\t", *p)) *p = '_';
    char *s = base;
    while (*s == '\'') s++;
    memmove(base, s, strlen(s) + 1);
    for (size_t n = strlen(base); n && base[n - 1] == '\''; n--) base[n - 1] = '\0';
    if (!*base) {
        free(base);
        base = cia_xasprintf("%zu", index + 1);
    }
    cut_chars(base, SHEETNAME_MAX);
    char *l = lower(base);
    if (strcmp(l, "history") == 0) {
        char *h = cia_xasprintf("%s_", base);
        free(base);
        base = h;
    }
    free(l);
    char *name = cia_xstrdup(base);
    for (int k = 2;; k++) {
        l = lower(name);
        int taken = cia_strv_find(&x->used, l) >= 0;
        if (!taken) { cia_strv_push(&x->used, l); free(l); break; }
        free(l);
        free(name);
        char suffix[16];
        snprintf(suffix, sizeof suffix, "~%d", k);
        char *b2 = cia_xstrdup(base);
        cut_chars(b2, SHEETNAME_MAX - strlen(suffix));
        name = cia_xasprintf("%s%s", b2, suffix);
        free(b2);
    }
    free(base);
    return name;
}

static int add_sheet(struct xl *x, const char *name, lxw_worksheet **ws)
{
    TRY(x, workbook_validate_sheet_name(x->wb, name), name);
    *ws = workbook_add_worksheet(x->wb, name);
    if (!*ws) return cia_fail(x->e, CIA_ECANTCREAT, "xlsx: cannot add sheet %s", name);
    /* A4 (paper size 9): without it, a reader falls back on its locale's
     * paper (LibreOffice headless: US Letter) and the widths planned below
     * for A4 no longer hold. */
    worksheet_set_paper(*ws, 9);
    if (x->r->watermark) {
        /* on every printed page of the sheet, top and bottom ('&' is a
         * control character there) */
        char hf[200];
        size_t n = 0;
        n += (size_t)snprintf(hf, sizeof hf, "&C&\"-,Bold\"");
        for (const char *c = x->r->watermark; *c && n + 3 < sizeof hf; c++) {
            if (*c == '&') hf[n++] = '&';
            hf[n++] = *c;
        }
        hf[n] = '\0';
        TRY(x, worksheet_set_header(*ws, hf), "the sheet's header");
        TRY(x, worksheet_set_footer(*ws, hf), "the sheet's footer");
    }
    return CIA_OK;
}

/* ---- formats -------------------------------------------------------- */

static int make_formats(struct xl *x)
{
    lxw_format **all[] = { &x->title, &x->subtitle, &x->head, &x->head_r, &x->head_flag,
                           &x->count, &x->delta, &x->pct, &x->marker, &x->flag,
                           &x->note, &x->bold, &x->wrap, &x->year, &x->bold_wrap };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        *all[i] = workbook_add_format(x->wb);
        if (!*all[i]) return cia_fail(x->e, CIA_ECANTCREAT, "xlsx: out of memory for formats");
    }
    format_set_bold(x->title);
    format_set_font_size(x->title, 14);
    format_set_italic(x->subtitle);
    lxw_format *heads[] = { x->head, x->head_r, x->head_flag };
    for (size_t i = 0; i < 3; i++) {
        format_set_bold(heads[i]);
        format_set_bottom(heads[i], LXW_BORDER_THIN);
        format_set_text_wrap(heads[i]);
        format_set_align(heads[i], LXW_ALIGN_VERTICAL_BOTTOM);
    }
    format_set_align(x->head_r, LXW_ALIGN_RIGHT);
    format_set_font_color(x->head_flag, LXW_COLOR_GRAY);
    format_set_font_size(x->head_flag, 8);
    /* Separators are written by Excel in the reader's own locale. */
    format_set_num_format(x->count, "#,##0");
    format_set_num_format(x->delta, "+#,##0;-#,##0;0");
    format_set_num_format(x->pct, "0.0%");
    format_set_align(x->marker, LXW_ALIGN_RIGHT);
    format_set_font_color(x->marker, LXW_COLOR_GRAY);
    format_set_font_color(x->flag, LXW_COLOR_GRAY);
    format_set_font_size(x->flag, 8);
    format_set_italic(x->note);
    format_set_text_wrap(x->note);
    format_set_align(x->note, LXW_ALIGN_VERTICAL_TOP);
    format_set_bold(x->bold);
    format_set_align(x->bold, LXW_ALIGN_VERTICAL_TOP);
    format_set_text_wrap(x->wrap);
    format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_bold(x->bold_wrap);
    format_set_text_wrap(x->bold_wrap);
    format_set_align(x->bold_wrap, LXW_ALIGN_VERTICAL_TOP);
    /* a year is a number (sorts, filters, looks up) shown without "2,023" */
    format_set_num_format(x->year, "0");
    format_set_align(x->year, LXW_ALIGN_LEFT);
    return CIA_OK;
}

/* ---- one table sheet ------------------------------------------------ */

/* A flags cell: the letters, and a lower bound's records left unknown
 * ("u 3 n.k."). */
static void flag_text(const cia_cell *c, const char *lang, char *buf, size_t n)
{
    char gap[64];
    cia_format_gap(c, lang, gap, sizeof gap);
    snprintf(buf, n, "%s%s%s", c->flags, gap[0] ? " " : "", gap);
}

static int col_has_flags(const cia_table *t, size_t c)
{
    for (size_t r = 0; r < t->nrows; r++) {
        const cia_cell *cell = cia_table_cell_c(t, r, c);
        if (cell->type != CIA_CELL_NONE && cell->type != CIA_CELL_TEXT && cell->flags[0])
            return 1;
    }
    return 0;
}

/* A flags column right of value column c: only in the columns layout. */
static int flags_column(const struct xl *x, const cia_table *t, size_t c)
{
    return !x->r->flag_marks && c >= t->nhead && col_has_flags(t, c);
}

/* The marks layout (cia_report.flag_marks): a known value with flags
 * keeps its number and shows the flags after it through its number
 * format ("1,234 up", "12.5% p"), so it pastes, sums and sorts as a
 * number and no flags columns sit between the values.  One format per
 * kind of value and flags text, made once and kept. */
static lxw_format *mark_format(struct xl *x, const cia_cell *c, lxw_format *plain)
{
    char fl[96];
    flag_text(c, x->lang, fl, sizeof fl);
    if (!fl[0]) return plain;
    for (char *p = fl; *p; p++) if (*p == '"') *p = '\'';   /* ends the literal */
    const char *base = c->type == CIA_CELL_PERCENT ? "0.0%" : "#,##0";
    char key[160], num[400];
    snprintf(key, sizeof key, "%d|%s", (int)c->type, fl);
    int i = cia_strv_find(&x->mark_keys, key);
    if (i >= 0) return x->mark_fmts[i];
    if (c->type == CIA_CELL_DELTA)
        snprintf(num, sizeof num, "+#,##0\" %s\";-#,##0\" %s\";0\" %s\"", fl, fl, fl);
    else
        snprintf(num, sizeof num, "%s\" %s\"", base, fl);
    lxw_format *f = workbook_add_format(x->wb);
    if (!f) return plain;
    format_set_num_format(f, num);
    x->mark_fmts = cia_xrealloc(x->mark_fmts, (x->mark_keys.n + 1) * sizeof *x->mark_fmts);
    x->mark_fmts[x->mark_keys.n] = f;
    cia_strv_push(&x->mark_keys, key);
    return f;
}

/* A label that is a year ("2023" in a column keyed "year"). */
static int is_year(const char *key, const char *text)
{
    if (!key || strcmp(key, "year") || !text || strlen(text) != 4) return 0;
    for (int i = 0; i < 4; i++)
        if (text[i] < '0' || text[i] > '9') return 0;
    return 1;
}

static int write_cell(struct xl *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                      const cia_cell *c, const char *key)
{
    switch (c->type) {
    case CIA_CELL_NONE:
        return CIA_OK;
    case CIA_CELL_TEXT:
        if (is_year(key, c->text)) {
            TRY(x, worksheet_write_number(ws, row, col, atof(c->text), x->year), "writing a year");
            return CIA_OK;
        }
        TRY(x, put_str(ws, row, col, c->text, NULL), "writing a label");
        return CIA_OK;
    default:
        break;
    }
    if (cia_cell_has_flag(c, 'c')) {
        TRY(x, put_str(ws, row, col, "c", x->marker), "writing a withheld value");
        return CIA_OK;
    }
    if (!c->known) {   /* n.k., or the mark of a year not delivered or incomplete */
        TRY(x, put_str(ws, row, col, cia_state_mark(cia_cell_state(c), x->lang), x->marker),
            "writing a value not known");
        return CIA_OK;
    }
    lxw_format *f = c->type == CIA_CELL_PERCENT ? x->pct
                  : c->type == CIA_CELL_DELTA ? x->delta : x->count;
    if (x->r->flag_marks) f = mark_format(x, c, f);
    TRY(x, worksheet_write_number(ws, row, col, c->value, f), "writing a value");
    return CIA_OK;
}

/* Lines under a table (legend, notes, sources) and on the Definitions
 * sheet: merged across the table's width and wrapped, so a long legend
 * prints on the page instead of running off its right edge.  Excel does
 * not fit the height of merged cells, so the height is estimated here. */
static int put_note(struct xl *x, lxw_worksheet *ws, lxw_row_t *row, lxw_col_t last,
                    double width, const char *text)
{
    if (!text || !*text) { (*row)++; return CIA_OK; }
    char *clean = xml_safe(text);
    double cap = width > 4 ? width - 2 : 2;
    size_t lines = (size_t)ceil((double)cia_text_width(clean) * 1.1 / cap);
    lxw_error err = last > 0 ? worksheet_merge_range(ws, *row, 0, *row, last, clean, x->note)
                             : worksheet_write_string(ws, *row, 0, clean, x->note);
    free(clean);
    TRY(x, err, "writing a note");
    if (lines > 1)
        TRY(x, worksheet_set_row(ws, *row, 15.0 * (double)lines, NULL), "setting a height");
    (*row)++;
    return CIA_OK;
}

static int put_line(struct xl *x, lxw_worksheet *ws, lxw_row_t *row, lxw_col_t last,
                    double width, const char *a, const char *b)
{
    char *s = cia_xasprintf("%s%s%s", a, cia_word("colon", x->lang), b);
    int rc = put_note(x, ws, row, last, width, s);
    free(s);
    return rc;
}

static int put_sources(struct xl *x, lxw_worksheet *ws, lxw_row_t *row, lxw_col_t last,
                       double width)
{
    const cia_report *r = x->r;
    int rc;
    for (size_t i = 0; i < r->nprov; i++)
        if ((rc = put_line(x, ws, row, last, width, cia_word("source", x->lang),
                           r->provenance[i])))
            return rc;
    char day[64];                       /* "1er mai 2023", as the charts and the annex write it */
    cia_format_date(x->lang, r->as_of, day, sizeof day);
    return put_line(x, ws, row, last, width, cia_word("as_of", x->lang),
                    strcmp(r->as_of, "current") == 0 ? cia_word("current", x->lang) : day);
}

static double clampw(size_t w, double lo, double hi)
{
    double d = (double)w;
    return d < lo ? lo : d > hi ? hi : d;
}

#define HEAD_LINES 3              /* a heading's lines at most, unless a word is longer */

/* The widest word of s, in characters. */
static size_t longest_word(const char *s)
{
    size_t best = 0;
    while (*s) {
        size_t n = strcspn(s, " ");
        char *w = cia_xstrndup(s, n);
        size_t tw = cia_text_width(w);
        free(w);
        if (tw > best) best = tw;
        s += n;
        s += strspn(s, " ");
    }
    return best;
}

/* How many lines s takes wrapped at word boundaries to cap characters. */
static size_t wrapped_lines(const char *s, size_t cap)
{
    size_t lines = 1, used = 0;
    if (cap < 1) cap = 1;
    while (*s) {
        size_t n = strcspn(s, " ");
        char *w = cia_xstrndup(s, n);
        size_t tw = cia_text_width(w);
        free(w);
        if (used && used + 1 + tw > cap) {
            lines++;
            used = tw;
        } else {
            used += (used ? 1 : 0) + tw;
        }
        s += n;
        s += strspn(s, " ");
    }
    return lines;
}

/* Printed page sizes in Excel's units (characters of the standard font,
 * rows of 15 pt) on A4 with the default margins: a sheet wider than a
 * portrait page prints in landscape, and fitting the width scales the
 * rows a page holds by the same factor. */
#define PORTRAIT_W 95.0
#define LANDSCAPE_W 135.0
#define PORTRAIT_ROWS 50.0
#define LANDSCAPE_ROWS 34.0
/* The smallest scale a table prints at: 70 % of the standard 11 pt font is
 * under 8 pt, the least a reader of a printed report can take in.  A
 * table wider than that on a landscape page (yoy over six years: 22
 * columns, 48 % fitted to one page) is printed in column blocks instead. */
#define MIN_SCALE 0.7
#define PAD_W (5.0 / 7.0)         /* Excel's padding of a column, in characters */

/* A table too wide for one landscape page at MIN_SCALE: blocks of its
 * value columns (a value never apart from its flags column), each printed
 * beside the row labels (repeated on each page), pages taken across
 * before down, at the one scale that fits the widest block.  The blocks
 * are balanced (three of eight columns rather than eight and one).
 * Returns the scale and the breaks before the blocks (0-ended), or 0 when
 * the table fits to the page's width (or when its row labels alone leave
 * no room for a value column).  Widths here count the padding Excel adds
 * to each column (5 pixels of 7: libxlsxwriter writes 8.71 for 8) and
 * leave 4 % to spare: LibreOffice lays a column out a little wider than
 * Excel, and a block that overflows its page makes a page of one column. */
#define MAX_VBREAKS 64

static double column_blocks(const cia_table *t, const lxw_col_t *xcol, const double *colw,
                            double total_w, lxw_col_t vb[MAX_VBREAKS + 1])
{
    size_t nc = t->ncols, nh = t->nhead;
    if (total_w * MIN_SCALE <= LANDSCAPE_W || !nh || nh >= nc) return 0;
    double head_w = 0, values_w = 0, widest_col = 0, page_w = LANDSCAPE_W * 0.96;
    for (size_t c = 0; c < nc; c++) {
        if (c < nh) head_w += colw[c];
        else values_w += colw[c];
        if (c >= nh && colw[c] > widest_col) widest_col = colw[c];
    }
    double cap = page_w / MIN_SCALE - head_w;
    if (widest_col > cap) return 0;
    size_t blocks = 1;
    double used = 0;
    for (size_t c = nh; c < nc; c++) {
        if (used > 0 && used + colw[c] > cap) { blocks++; used = 0; }
        used += colw[c];
    }
    /* balanced: a block ends where the next column's middle passes its
     * share of the width, unless the block would be too wide */
    size_t nvb = 0, k = 1;
    double acc = 0, widest = 0;
    used = 0;
    for (size_t c = nh; c < nc; c++) {
        int cut = used > 0 && (used + colw[c] > cap || acc + colw[c] / 2 > values_w * (double)k / (double)blocks);
        if (cut && nvb < MAX_VBREAKS) {
            vb[nvb++] = xcol[c];
            if (used > widest) widest = used;
            used = 0;
            k++;
        }
        used += colw[c];
        acc += colw[c];
    }
    if (used > widest) widest = used;
    vb[nvb] = 0;
    double scale = page_w / (head_w + widest);
    if (scale > 1) scale = 1;
    return floor(scale * 100) / 100;
}

/* A table whose rows run over years (first column "year") and do not fit
 * one printed page: page breaks go between two years only, and only where
 * the next year's rows no longer fit the page, so a year is never split
 * over two pages unless it is longer than a page itself. */
static void year_breaks(struct xl *x, const cia_table *t, int landscape, double scale)
{
    if (!t->ncols || !t->col_keys[0] || strcmp(t->col_keys[0], "year") || t->nrows < 2)
        return;
    size_t page = (size_t)((landscape ? LANDSCAPE_ROWS : PORTRAIT_ROWS) / scale) - HEAD_ROW - 1;
    if (t->nrows <= page) return;
    size_t start = 0, used = 0;               /* rows on the current page */
    for (size_t r = 0; r <= t->nrows; r++) {
        const char *y = r < t->nrows ? cia_table_cell_c(t, r, 0)->text : NULL;
        const char *y0 = cia_table_cell_c(t, start, 0)->text;
        if (r < t->nrows && (!y || !y0 || !strcmp(y, y0))) continue;
        size_t len = r - start;                  /* the year's rows */
        if (used && used + len > page) {
            add_break(x, (lxw_row_t)(HEAD_ROW + 1 + start));
            used = 0;
        }
        used += len;
        start = r;
    }
}

static int write_table(struct xl *x, lxw_worksheet *ws, const cia_table *t,
                       lxw_row_t *end_row, lxw_col_t *end_col, lxw_row_t *next_row)
{
    size_t nc = t->ncols;
    lxw_col_t *xcol = cia_xcalloc(nc + 1, sizeof *xcol);
    double *colw = cia_xcalloc(nc + 1, sizeof *colw);      /* with its flags column */
    double *cellw = cia_xcalloc(nc + 1, sizeof *cellw);    /* the value's own column */
    int *flagged = cia_xcalloc(nc + 1, sizeof *flagged);
    int rc = CIA_OK;
    lxw_error err;
    char buf[256];

    /* Where each model column lands, leaving room for flags columns. */
    lxw_col_t next = 0;
    for (size_t c = 0; c < nc; c++) {
        xcol[c] = next++;
        flagged[c] = flags_column(x, t, c);
        if (flagged[c]) next++;
    }
    xcol[nc] = next;

#define CHECK_LXW(call, what) do { if ((err = (call)) != LXW_NO_ERROR) { \
        rc = lxw_fail(x, err, (what)); goto out; } } while (0)

    CHECK_LXW(put_str(ws, 0, 0, t->title, x->title), "writing the title");
    CHECK_LXW(put_str(ws, 1, 0, t->subtitle, x->subtitle), "writing the subtitle");

    /* Headings, and column widths estimated from what each column shows
     * (Excel has no auto-fit in the file format). */
    size_t head_lines = 1;
    double total_w = 0;
    for (size_t c = 0; c < nc; c++) {
        const char *h = t->col_heads[c] ? t->col_heads[c] : "";
        CHECK_LXW(put_str(ws, HEAD_ROW, xcol[c], h, c < t->nhead ? x->head : x->head_r),
                  "writing a heading");
        size_t content = 0, fw = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            const cia_cell *cell = cia_table_cell_c(t, r, c);
            cia_format_cell(cell, x->lang, buf, sizeof buf);
            size_t w = cia_text_width(buf);
            if (x->r->flag_marks && c >= t->nhead && cell->known && cell->type != CIA_CELL_TEXT) {
                char fl[96];
                flag_text(cell, x->lang, fl, sizeof fl);
                if (fl[0]) w += 1 + cia_text_width(fl);
            }
            if (w > content) content = w;
            if (flagged[c]) {
                char fl[96];
                flag_text(cell, x->lang, fl, sizeof fl);
                if (cia_text_width(fl) > fw) fw = cia_text_width(fl);
            }
        }
        double lo = c < t->nhead ? 10 : 8, hi = c < t->nhead ? 60 : 30;
        /* A long heading wraps over up to HEAD_LINES lines rather than
         * widening its column: every column's width counts in the
         * scale the sheet prints at (one page wide). */
        size_t hlen = cia_text_width(h), hword = longest_word(h);
        size_t hmin = (hlen + HEAD_LINES - 1) / HEAD_LINES;
        double hw = clampw((hword > hmin ? hword : hmin) + 2, 0, hi);
        double width = clampw(content + 2, lo, hi);
        if (hw > width) width = hw;
        size_t lines = wrapped_lines(h, (size_t)width - 2);
        if (lines > head_lines) head_lines = lines;
        CHECK_LXW(worksheet_set_column(ws, xcol[c], xcol[c], width, NULL), "setting a width");
        total_w += width;
        colw[c] = width + PAD_W;
        cellw[c] = width;
        if (flagged[c]) {
            const char *fh = cia_word("flags", x->lang);
            CHECK_LXW(put_str(ws, HEAD_ROW, xcol[c] + 1, fh, x->head_flag), "writing a heading");
            /* The heading is in 8 pt, about 8/11 of a standard character. */
            size_t fhw = (cia_text_width(fh) * 8 + 10) / 11 + 1;
            double fwid = clampw(fw + 1 > fhw ? fw + 1 : fhw, 4, 12);
            total_w += fwid;
            colw[c] += fwid + PAD_W;
            CHECK_LXW(worksheet_set_column(ws, xcol[c] + 1, xcol[c] + 1, fwid, NULL),
                      "setting a width");
        }
    }
    if (head_lines > 1)
        CHECK_LXW(worksheet_set_row(ws, HEAD_ROW, 15.0 * (double)head_lines, NULL),
                  "setting the heading height");
    /* Headings and row labels stay in view while scrolling. */
    worksheet_freeze_panes(ws, HEAD_ROW + 1, xcol[t->nhead < nc ? t->nhead : nc]);
    /* Printed: one page wide (landscape when wider than a portrait page),
     * or in column blocks when that would print too small; headings
     * repeated on every page, pages broken between years. */
    lxw_col_t vb[MAX_VBREAKS + 1] = {0};
    double scale = column_blocks(t, xcol, colw, total_w, vb);
    int landscape = scale > 0 || total_w > PORTRAIT_W;
    if (scale > 0) {
        worksheet_set_landscape(ws);
        worksheet_set_print_scale(ws, (uint16_t)(scale * 100));
        worksheet_print_across(ws);
        CHECK_LXW(worksheet_repeat_columns(ws, 0, xcol[t->nhead] - 1), "setting print titles");
        if (vb[0]) CHECK_LXW(worksheet_set_v_pagebreaks(ws, vb), "setting page breaks");
    } else {
        double w = landscape ? LANDSCAPE_W : PORTRAIT_W;
        scale = total_w > w ? w / total_w : 1.0;
        worksheet_fit_to_pages(ws, 1, 0);
        if (landscape) worksheet_set_landscape(ws);
    }
    /* Not on a sheet whose table fits its first page and whose chart
     * picture has the next page (put_charts): the heading row printed
     * over the picture would head nothing. */
    double page_rows = (landscape ? LANDSCAPE_ROWS : PORTRAIT_ROWS) / scale;
    if (!x->has_chart || (double)(HEAD_ROW + head_lines + t->nrows) > page_rows)
        CHECK_LXW(worksheet_repeat_rows(ws, HEAD_ROW, HEAD_ROW), "setting print titles");
    year_breaks(x, t, landscape, scale);
    lxw_col_t last = xcol[nc] ? xcol[nc] - 1 : 0;
    /* Legend and notes of a table printed in blocks: across the row
     * labels' columns, which every page repeats, so that each page has
     * them whole (merged across the table, the next pages would print
     * their first columns only, cut off mid-line). */
    lxw_col_t note_last = last;
    double note_w = total_w;
    if (vb[0]) {
        note_last = xcol[t->nhead] - 1;
        note_w = 0;
        for (size_t c = 0; c < t->nhead; c++) note_w += colw[c] - PAD_W;
    } else if (x->has_chart && total_w < PORTRAIT_W - 10) {
        /* a narrow table over its chart: the picture is a portrait page
         * wide, so its notes may be too (over the columns of Excel's
         * default width, 8.43) without printing the sheet smaller; in the
         * table's width, they would wrap to a page of their own */
        note_last = (lxw_col_t)(last + (PORTRAIT_W - 10 - total_w) / (8.43 + PAD_W));
        note_w = PORTRAIT_W - 10;
    }

    *end_row = (lxw_row_t)(HEAD_ROW + t->nrows);
    *end_col = last;
    lxw_row_t row = HEAD_ROW + 1;
    for (size_t r = 0; r < t->nrows; r++, row++) {
        size_t lines = 1;
        for (size_t c = 0; c < nc; c++) {
            const cia_cell *cell = cia_table_cell_c(t, r, c);
            /* A label longer than its column (a finding's message) wraps
             * in it: running over the next cells, it would widen what
             * LibreOffice fits to the page, and print the sheet small. */
            size_t cap = cellw[c] > 3 ? (size_t)cellw[c] - 2 : 1;
            if (cell->type == CIA_CELL_TEXT && cell->text && cia_text_width(cell->text) > cap
                && !is_year(t->col_keys[c], cell->text)) {
                size_t l = wrapped_lines(cell->text, cap);
                if (l > lines) lines = l;
                CHECK_LXW(put_str(ws, row, xcol[c], cell->text, x->wrap), "writing a label");
            } else if ((rc = write_cell(x, ws, row, xcol[c], cell, t->col_keys[c]))) goto out;
            if (flagged[c] && cell->type != CIA_CELL_TEXT && cell->flags[0]) {
                char fl[96];
                flag_text(cell, x->lang, fl, sizeof fl);
                CHECK_LXW(put_str(ws, row, xcol[c] + 1, fl, x->flag), "writing flags");
            }
        }
        if (lines > 1) CHECK_LXW(worksheet_set_row(ws, row, 15.0 * (double)lines, NULL), "setting a height");
    }
    if (!t->nrows && (rc = put_note(x, ws, &row, note_last, note_w, cia_word("no_rows", x->lang))))
        goto out;

    row++;
    char *legend = cia_legend(t, x->lang);
    rc = legend ? put_note(x, ws, &row, note_last, note_w, legend) : CIA_OK;
    free(legend);
    for (size_t i = 0; i < t->nnotes && !rc; i++)
        rc = put_note(x, ws, &row, note_last, note_w, t->notes[i]);
    if (!rc) rc = put_sources(x, ws, &row, note_last, note_w);
    *next_row = row;
#undef CHECK_LXW
out:
    free(xcol);
    free(colw);
    free(cellw);
    free(flagged);
    return rc;
}

/* ---- the Definitions sheet ------------------------------------------ */

static int write_definitions(struct xl *x, lxw_worksheet *ws)
{
    const cia_report *r = x->r;
    lxw_row_t row = 0;
    TRY(x, put_str(ws, row++, 0, r->title, x->title), "writing the title");
    TRY(x, put_str(ws, row++, 0, cia_word("definitions", x->lang), x->bold), "writing a heading");
    /* Column A as wide as its longest label (up to 40), both columns
     * wrapped, and each row as tall as its longer cell needs: Excel does
     * not fit wrapped rows written by a program, so they would overlap. */
    double wa = 14, wb = 90;
    for (size_t i = 0; i < r->ndefs; i++) {
        const char *colon = strchr(r->definitions[i], ':');
        double l = colon ? (double)(colon - r->definitions[i]) + 3 : 0;
        if (l > wa) wa = l > 40 ? 40 : l;
    }
    TRY(x, worksheet_set_column(ws, 0, 0, wa, NULL), "setting a width");
    TRY(x, worksheet_set_column(ws, 1, 1, wb, NULL), "setting a width");
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_landscape(ws);
    /* "label: definition" → label in A, definition in B, so the sheet can
     * be filtered or looked up by label. */
    for (size_t i = 0; i < r->ndefs; i++, row++) {
        const char *d = r->definitions[i];
        const char *colon = strchr(d, ':');
        if (!colon) {
            TRY(x, put_str(ws, row, 1, d, x->wrap), "writing a definition");
            continue;
        }
        size_t ll = (size_t)(colon - d);
        while (ll && d[ll - 1] == ' ') ll--;
        char *label = cia_xstrndup(d, ll);
        const char *def = colon + 1;
        while (*def == ' ') def++;
        double la = ceil((double)cia_text_width(label) * 1.1 / (wa - 1)), lb = ceil((double)cia_text_width(def) * 1.1 / (wb - 2));
        lxw_error err = put_str(ws, row, 0, label, x->bold_wrap);
        free(label);
        TRY(x, err, "writing a definition");
        TRY(x, put_str(ws, row, 1, def, x->wrap), "writing a definition");
        double lines = la > lb ? la : lb;
        if (lines > 1) TRY(x, worksheet_set_row(ws, row, 15.0 * lines, NULL), "setting a height");
    }
    row++;
    if (r->nprov)
        TRY(x, put_str(ws, row++, 0, cia_word("deliveries", x->lang), x->bold), "writing a heading");
    return put_sources(x, ws, &row, 1, 120);
}

/* ---- the workbook --------------------------------------------------- */

/* The table's stable id as a workbook name, "table.ID", over its headings
 * and rows: sheet names are localised and may be renamed by the analyst,
 * the name follows the sheet (Excel's Name box and Go To list it, and
 * programs reading the workbook look tables up by it). */
static int name_table(struct xl *x, cia_strv *used, const char *sheet, const char *id,
                      size_t index, lxw_row_t end_row, lxw_col_t end_col)
{
    /* Excel's names: letters, digits, '_' and '.', unique ignoring case */
    char *base = *id ? cia_xasprintf("table.%s", id) : cia_xasprintf("table.%zu", index + 1);
    for (char *p = base + 6; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
              || *p == '_' || *p == '.'))
            *p = '_';
    char *name = cia_xstrdup(base), *l = lower(name);
    for (int k = 2; cia_strv_find(used, l) >= 0; k++) {
        free(name);
        free(l);
        name = cia_xasprintf("%s_%d", base, k);
        l = lower(name);
    }
    free(base);
    cia_strv_push(used, l);
    free(l);
    /* the sheet name quoted, its apostrophes doubled */
    cia_buf f;
    cia_buf_init(&f);
    cia_buf_adds(&f, "='");
    for (const char *c = sheet; *c; c++) {
        if (*c == '\'') cia_buf_addc(&f, '\'');
        cia_buf_addc(&f, *c);
    }
    char range[LXW_MAX_CELL_RANGE_LENGTH + 8];
    lxw_rowcol_to_range_abs(range, HEAD_ROW, 0, end_row, end_col);
    cia_buf_adds(&f, "'!");
    cia_buf_adds(&f, range);
    char *formula = cia_buf_steal(&f);
    lxw_error err = workbook_define_name(x->wb, name, formula);
    free(formula);
    free(name);
    TRY(x, err, "naming a table");
    return CIA_OK;
}

static int build(struct xl *x)
{
    int rc = make_formats(x);
    if (rc) return rc;
    lxw_doc_properties props = { 0 };
    char *title = xml_safe(x->r->title);
    props.title = title;
    props.comments = "ciatteh";
    /* The same data and --as-of must give the same bytes: stamp the
     * workbook with the as-of date (noon UTC), never with "now".  Without
     * an as-of, a fixed date: the provenance sheet says what the data is. */
    struct tm tm = {0};
    tm.tm_year = 100;
    tm.tm_mday = 1;
    tm.tm_hour = 12;
    if (x->r->as_of && strlen(x->r->as_of) == 10 && x->r->as_of[4] == '-') {
        tm.tm_year = atoi(x->r->as_of) - 1900;
        tm.tm_mon = atoi(x->r->as_of + 5) - 1;
        tm.tm_mday = atoi(x->r->as_of + 8);
    }
    props.created = timegm(&tm);
    lxw_error err = workbook_set_properties(x->wb, &props);
    free(title);                     /* libxlsxwriter keeps its own copy */
    TRY(x, err, "setting properties");
    /* The language of the workbook (the file format has no core property
     * for it): a custom property a reader's program or a search can use. */
    TRY(x, workbook_set_custom_property_string(x->wb, "Language", x->lang ? x->lang : "en"), "setting the language");

    /* The Definitions sheet keeps its plain localised name; a table that
     * wants the same name gets a suffix instead. */
    char *defs_name = sheet_name(x, cia_word("definitions", x->lang), 0);
    char **names = cia_xcalloc(x->r->ntables + 1, sizeof *names);
    for (size_t i = 0; i < x->r->ntables; i++) {
        const cia_table *t = x->r->tables[i];
        const char *wish = t->sheet ? t->sheet : cia_sheet_word(x->r->id, t->id, x->lang);
        names[i] = sheet_name(x, wish ? wish : t->id, i);
    }
    cia_strv ids = {0};
    for (size_t i = 0; i < x->r->ntables && !rc; i++) {
        lxw_worksheet *ws;
        lxw_row_t end_row = 0;
        lxw_col_t end_col = 0;
        lxw_row_t next_row = 0;
        x->nbreaks = 0;
        x->breaks[0] = 0;
        x->has_chart = 0;
        for (size_t k = 0; k < x->ncharts; k++) x->has_chart |= x->charts[k].table == i;
        rc = add_sheet(x, names[i], &ws);
        if (!rc) rc = write_table(x, ws, x->r->tables[i], &end_row, &end_col, &next_row);
        if (!rc) rc = put_charts(x, ws, i, next_row + 1);
        if (!rc && x->nbreaks) {   /* once: a second call would leak the first list */
            lxw_error berr = worksheet_set_h_pagebreaks(ws, x->breaks);
            if (berr) rc = lxw_fail(x, berr, "setting page breaks");
        }
        if (!rc) rc = name_table(x, &ids, names[i], x->r->tables[i]->id, i, end_row, end_col);
    }
    cia_strv_free(&ids);
    if (!rc) {
        lxw_worksheet *ws;
        rc = add_sheet(x, defs_name, &ws);
        if (!rc) rc = write_definitions(x, ws);
    }
    for (size_t i = 0; i < x->r->ntables; i++) free(names[i]);
    free(names);
    free(defs_name);
    return rc;
}

int cia_render_xlsx(const char *path, const cia_report *r, cia_err *e)
{
    return cia_render_xlsx_charts(path, r, NULL, 0, e);
}

int cia_render_xlsx_charts(const char *path, const cia_report *r, const struct cia_xlsx_chart *charts,
                           size_t ncharts, cia_err *e)
{
    if (!path || !*path || !r)
        return cia_fail(e, CIA_EUSAGE, "xlsx output needs a file name (-o FILE)");
    cia_outfile o;
    int rc = cia_outfile_open(&o, path, e);
    if (rc) return rc;
    /* libxlsxwriter writes the zip itself at workbook_close, to the
     * temporary file through its /proc/self/fd name (the file we created,
     * never whatever might be put at its name meanwhile); o.fp refers to
     * that same file, so the commit's fsync covers what the library wrote
     * before the rename. */
    struct xl x = { 0 };
    x.r = r;
    x.lang = r->lang;
    x.e = e;
    x.charts = charts;
    x.ncharts = ncharts;
    x.wb = workbook_new(o.fdpath);
    if (!x.wb) {
        cia_outfile_abort(&o);
        return cia_fail(e, CIA_ECANTCREAT, "%s: cannot start a workbook", path);
    }
    rc = build(&x);
    cia_strv_free(&x.used);
    cia_strv_free(&x.mark_keys);
    free(x.mark_fmts);
    if (rc) {
        lxw_workbook_free(x.wb);          /* discard without writing */
        cia_outfile_abort(&o);
        return cia_err_context(e, "%s", path);
    }
    lxw_error err = workbook_close(x.wb);  /* writes and frees */
    if (err != LXW_NO_ERROR) {
        cia_outfile_abort(&o);
        return cia_fail(e, CIA_ECANTCREAT, "%s: cannot write the workbook: %s", path,
                        lxw_strerror(err));
    }
    rc = cia_outfile_commit(&o, e);
    if (rc) cia_outfile_abort(&o);
    return rc;
}

/* ---- charts beside the tables (chart_data.h, reports/chart_data.c) ------- *
 *
 * A chart goes into the workbook as the PNG the chart engine drew, not as
 * a native Excel chart.  Why: a native chart would plot the "n.k." text of
 * a year not known as 0 (Excel draws text cells in a series as zero) and
 * the value columns are interleaved with flags columns, so it would need a
 * second, hidden copy of the figures that an analyst could edit apart from
 * the visible ones.  The picture is the very chart of the PDF and the
 * slides: gaps for unknown years, dashed provisional years, "≥" lower
 * bounds, the language's numbers, the source and as-of note.  Analysts
 * who want their own chart make it from the cells beside it. */

static int put_charts(struct xl *x, lxw_worksheet *ws, size_t table, lxw_row_t row)
{
    const cia_table *t = x->r->tables[table];
    for (size_t i = 0; i < x->ncharts; i++) {
        if (x->charts[i].table != table) continue;
        char *data;
        size_t len;
        int rc = cia_read_file(x->charts[i].png, &data, &len, x->e);
        if (rc) return cia_err_context(x->e, "chart picture");
        /* Under the table and its notes, from column A: beside it, the
         * picture's width would count in the page width the sheet is
         * fitted to, and the table would print at a third of its size.
         * The PNG's own resolution (300 dpi) gives its size, a portrait
         * page's width. */
        /* on a page of its own: LibreOffice would cut it at a page's foot */
        add_break(x, row);
        char *alt = xml_safe(x->charts[i].alt ? x->charts[i].alt : t->title);
        lxw_image_options opt = { 0 };
        opt.description = alt;
        opt.object_position = LXW_OBJECT_MOVE_DONT_SIZE;
        lxw_error err = worksheet_insert_image_buffer_opt(ws, row, 0,
                                                          (const unsigned char *)data, len, &opt);
        free(alt);
        free(data);     /* libxlsxwriter keeps its own copy of the buffer */
        TRY(x, err, "inserting a chart");
    }
    return CIA_OK;
}
