/* render_text.c — owns the terminal rendering of a cia_report: aligned
 * columns measured in display width (so "Catégorie" or a CJK name does not
 * push a column out of line), flag marks after the number with a legend
 * in the report's language, and the not-known marker in place of a number
 * that nobody knows.  Also home of cia_render, which picks a renderer by
 * format name and writes files atomically. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ciatteh/render.h"
#include "ciatteh/term.h"
#include "ciatteh/util.h"

/* ---- display width ---------------------------------------------------- */

/* Decode one UTF-8 sequence; invalid bytes come back as themselves with
 * length 1 so broken input still gets a width instead of a loop. */
static unsigned decode(const unsigned char *p, size_t *len)
{
    unsigned c = p[0];
    int n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
          : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n <= 1) { *len = 1; return c; }
    unsigned v = c & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) { *len = 1; return c; }
        v = (v << 6) | (p[i] & 0x3F);
    }
    *len = (size_t)n;
    return v;
}

static int cp_width(unsigned c)
{
    if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return 0;
    if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
        (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
        (c >= 0xFE20 && c <= 0xFE2F) || (c >= 0x200B && c <= 0x200F) ||
        (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) ||
        c == 0xFEFF)
        return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
        (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
        (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
        (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

size_t cia_text_width(const char *s)
{
    size_t w = 0, len;
    if (!s) return 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        w += (size_t)cp_width(decode(p, &len));
        p += len;
    }
    return w;
}

/* Control characters from the data (newlines in a label, an ESC sequence
 * in a hostile extract) would break the alignment or drive the terminal;
 * they are shown as spaces. */
char *cia_text_oneline(const char *s)
{
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, "");
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        size_t len;
        unsigned c = decode(p, &len);
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0 && len == 2))
            cia_buf_addc(&b, ' ');
        else
            cia_buf_add(&b, p, len);
        p += len;
    }
    return cia_buf_steal(&b);
}

static void pad(cia_buf *b, size_t n)
{
    while (n--) cia_buf_addc(b, ' ');
}

/* End a line without trailing blanks, which only make diffs and mail
 * noisier. */
static void end_line(cia_buf *b)
{
    while (b->len && b->data[b->len - 1] == ' ') b->data[--b->len] = '\0';
    cia_buf_addc(b, '\n');
}

/* ---- one table -------------------------------------------------------- */

struct tcell { char *val, *mark; size_t vw, mw; };

/* "(u,p)" from the flags of a number cell, "" when none. */
static char *mark_of(const cia_cell *c, const char *lang)
{
    if (!c || c->type == CIA_CELL_NONE || c->type == CIA_CELL_TEXT || !c->flags[0])
        return cia_xstrdup("");
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_addc(&b, '(');
    for (const char *f = c->flags; *f; f++) {
        if (f != c->flags) cia_buf_addc(&b, ',');
        cia_buf_addc(&b, *f);
    }
    char gap[64];
    cia_format_gap(c, lang, gap, sizeof gap);
    if (gap[0]) cia_buf_printf(&b, "%s%s", cia_word("semicolon", lang), gap);
    cia_buf_addc(&b, ')');
    return cia_buf_steal(&b);
}

char *cia_legend(const cia_table *t, const char *lang)
{
    /* Each flag letter found, and each mark a missing value shows (n.k.,
     * n.d., incompl.), once; the lower bounds say how many records left
     * them unknown, so the reader sees how large the gap is. */
    int has[5] = { 0 }, shown[CIA_ST_COUNT] = { 0 }, any = 0;
    int gaps = 0;
    for (size_t i = 0; t && i < t->nrows * t->ncols; i++) {
        const cia_cell *c = &t->cells[i];
        if (c->type == CIA_CELL_NONE || c->type == CIA_CELL_TEXT) continue;
        for (int k = 0; k < 5; k++)
            if (cia_cell_has_flag(c, "upnic"[k])) has[k] = any = 1;
        if (cia_cell_has_flag(c, 'u') && c->n_unknown > 0) gaps = 1;
        enum cia_state st = cia_cell_state(c);
        if (st == CIA_ST_NOT_KNOWN || st == CIA_ST_NOT_DELIVERED || st == CIA_ST_INCOMPLETE)
            shown[st] = any = 1;
    }
    if (!any) return NULL;
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, cia_word("legend", lang));
    cia_buf_adds(&b, cia_word("colon", lang));
    int first = 1;
    static const char *const keys[5] = { "flag_u", "flag_p", "st_not_delivered", "st_incomplete", "flag_c" };
    for (int k = 0; k < 5; k++) {
        if (!has[k]) continue;
        cia_buf_printf(&b, "%s(%c) %s", first ? "" : "; ", "upnic"[k], cia_word(keys[k], lang));
        /* each lower bound carries its own count: a total over cells
         * would count the same records in a figure and its breakdown */
        if (k == 0 && gaps) cia_buf_printf(&b, " (%s)", cia_word("records_unknown_cell", lang));
        first = 0;
    }
    static const enum cia_state marks[] = { CIA_ST_NOT_KNOWN, CIA_ST_NOT_DELIVERED, CIA_ST_INCOMPLETE };
    for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++) {
        if (!shown[marks[k]]) continue;
        cia_buf_printf(&b, "%s%s %s", first ? "" : "; ", cia_state_mark(marks[k], lang),
                       cia_state_word(marks[k], lang));
        first = 0;
    }
    char *plain = cia_buf_steal(&b);
    char *typeset = cia_typo(plain, lang);
    free(plain);
    return typeset;
}

static void add_text(cia_buf *b, const char *text, size_t width, size_t indent);

static void add_legend(cia_buf *b, const cia_table *t, const char *lang, size_t width)
{
    char *l = cia_legend(t, lang);
    if (!l) return;
    add_text(b, l, width, 2);
    free(l);
}

/* Header, rule and rows of the row-label columns and value columns
 * [from, to). */
/* The first line of S within CAP display columns, broken at the last
 * space that fits (or inside a word longer than CAP): its byte length;
 * *next is where the rest starts (the space skipped). */
static size_t wrap_at(const char *s, size_t cap, const char **next)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0, len, brk = 0, i = 0;
    while (p[i]) {
        size_t cw = (size_t)cp_width(decode(p + i, &len));
        if (w + cw > cap && i) break;
        if (p[i] == ' ') brk = i;
        w += cw;
        i += len;
    }
    if (!p[i] || !brk) { *next = s + i + (p[i] == ' '); return i; }
    *next = s + brk + 1;
    return brk;
}

/* A line of running text (a legend, a note, a definition) within WIDTH
 * (0: as it is), continuation lines indented by INDENT spaces. */
static void add_text(cia_buf *b, const char *text, size_t width, size_t indent)
{
    if (!width || cia_text_width(text) <= width || width <= indent + 10) {
        cia_buf_adds(b, text);
        end_line(b);
        return;
    }
    const char *s = text;
    for (int first = 1; *s; first = 0) {
        if (!first) pad(b, indent);
        const char *next;
        size_t len = wrap_at(s, width - (first ? 0 : indent), &next);
        cia_buf_add(b, s, len);
        end_line(b);
        s = next;
    }
}

static void add_block(cia_buf *b, const cia_table *t, const struct tcell *tc, char **heads, const size_t *vw,
                      const size_t *mw, const size_t *colw, size_t from, size_t to)
{
    size_t nc = t->ncols, nr = t->nrows, nh = t->nhead < nc ? t->nhead : nc;
    size_t *cols = cia_xcalloc(nh + (to - from) + 1, sizeof *cols), n = 0;
    for (size_t c = 0; c < nh; c++) cols[n++] = c;
    for (size_t c = from; c < to; c++) cols[n++] = c;
    for (size_t k = 0; k < n; k++) {
        size_t c = cols[k], hw = cia_text_width(heads[c]);
        if (k) pad(b, 2);
        if (c < t->nhead) { cia_buf_adds(b, heads[c]); pad(b, colw[c] - hw); }
        else { pad(b, vw[c] - hw); cia_buf_adds(b, heads[c]); pad(b, colw[c] - vw[c]); }
    }
    end_line(b);
    for (size_t k = 0; k < n; k++) {
        if (k) pad(b, 2);
        for (size_t i = 0; i < colw[cols[k]]; i++) cia_buf_addc(b, '-');
    }
    end_line(b);
    for (size_t r = 0; r < nr; r++) {
        /* a row label longer than its column goes on as many lines as it
         * needs; the numbers stay on the first */
        const char **rest = cia_xcalloc(n, sizeof *rest);
        int more = 1;
        for (int line = 0; more; line++) {
            more = 0;
            for (size_t k = 0; k < n; k++) {
                size_t c = cols[k];
                const struct tcell *x = &tc[r * nc + c];
                if (k) pad(b, 2);
                if (c < t->nhead) {
                    const char *text = line ? rest[k] : x->val;
                    if (!text) text = "";
                    size_t used;
                    if (!line && x->vw + (x->mw ? 1 + x->mw : 0) <= colw[c]) {
                        cia_buf_adds(b, x->val);
                        used = x->vw;
                        if (x->mw) { cia_buf_addc(b, ' '); cia_buf_adds(b, x->mark); used += 1 + x->mw; }
                        rest[k] = NULL;
                    } else {
                        const char *next;
                        size_t len = wrap_at(text, colw[c], &next);
                        cia_buf_add(b, text, len);
                        char *part = cia_xstrndup(text, len);
                        used = cia_text_width(part);
                        free(part);
                        if (!*next && x->mw && used + 1 + x->mw <= colw[c]) {
                            cia_buf_addc(b, ' ');
                            cia_buf_adds(b, x->mark);
                            used += 1 + x->mw;
                        } else if (!*next && x->mw) {
                            next = x->mark;   /* the mark on a line of its own */
                        }
                        rest[k] = *next && next != text ? next : NULL;
                        if (rest[k]) more = 1;
                    }
                    pad(b, colw[c] - (used < colw[c] ? used : colw[c]));
                    continue;
                }
                if (line) continue;
                pad(b, vw[c] - x->vw);
                cia_buf_adds(b, x->val);
                if (!mw[c]) continue;
                if (x->mw) { cia_buf_addc(b, ' '); cia_buf_adds(b, x->mark); }
                else pad(b, 1);
                pad(b, mw[c] - x->mw);
            }
            end_line(b);
        }
        free(rest);
    }
    free(cols);
}

static void add_table(cia_buf *b, const cia_table *t, const char *lang, size_t width)
{
    size_t nc = t->ncols, nr = t->nrows;
    struct tcell *tc = cia_xcalloc(nr * nc, sizeof *tc);
    char **heads = cia_xcalloc(nc, sizeof *heads);
    size_t *vw = cia_xcalloc(nc, sizeof *vw), *mw = cia_xcalloc(nc, sizeof *mw);
    size_t *colw = cia_xcalloc(nc, sizeof *colw);
    char num[256];

    for (size_t r = 0; r < nr; r++)
        for (size_t c = 0; c < nc; c++) {
            const cia_cell *cell = cia_table_cell_c(t, r, c);
            struct tcell *x = &tc[r * nc + c];
            cia_format_cell(cell, lang, num, sizeof num);
            /* a lower bound reads "≥ 12" */
            x->val = cia_cell_state(cell) == CIA_ST_LOWER && cell->known && cell->type == CIA_CELL_COUNT
                         ? cia_xasprintf("%s %s", cia_state_mark(CIA_ST_LOWER, lang), num)
                         : cia_text_oneline(num);
            x->mark = mark_of(cell, lang);
            x->vw = cia_text_width(x->val);
            x->mw = cia_text_width(x->mark);
            if (x->vw > vw[c]) vw[c] = x->vw;
            if (x->mw > mw[c]) mw[c] = x->mw;
        }
    /* A value column is its numbers, right-aligned under a heading that
     * ends where the digits end, plus a block for the marks hanging to the
     * right, so "1,234" and "1,300 (p)" line up on their last digit. */
    for (size_t c = 0; c < nc; c++) {
        heads[c] = cia_text_oneline(t->col_heads[c]);
        size_t hw = cia_text_width(heads[c]);
        if (c < t->nhead) {
            size_t content = vw[c] + (mw[c] ? 1 + mw[c] : 0);
            colw[c] = content > hw ? content : hw;
        } else {
            if (hw > vw[c]) vw[c] = hw;
            colw[c] = vw[c] + (mw[c] ? 1 + mw[c] : 0);
        }
    }

    char *title = cia_text_oneline(t->title);
    add_text(b, title, width, 0);
    free(title);
    if (t->subtitle && *t->subtitle) {
        char *sub = cia_text_oneline(t->subtitle);
        add_text(b, sub, width, 0);
        free(sub);
    }
    end_line(b);

    /* Wider than the width: the value columns in blocks, each beside the
     * row labels again, so every line fits and a row is still read left
     * to right; a hint says where the whole table is. */
    size_t lead = 0, total = 0, from = t->nhead, blocks = 0;
    for (size_t c = 0; c < nc; c++) total += (c ? 2 : 0) + colw[c];
    for (size_t c = 0; c < t->nhead && c < nc; c++) lead += (c ? 2 : 0) + colw[c];
    size_t widest = 0;
    for (size_t c = t->nhead; c < nc; c++)
        if (colw[c] > widest) widest = colw[c];
    size_t budget = width / 2;
    if (width > widest + 2 && width - widest - 2 < budget) budget = width - widest - 2;
    if (budget < 20) budget = 20;
    if (width && total > width && lead > budget) {
        /* the row labels share what the widest value column leaves (at
         * most half the width); longer ones wrap */
        size_t newlead = 0;
        for (size_t c = 0; c < t->nhead && c < nc; c++) {
            size_t cap = colw[c] * budget / lead, hw = cia_text_width(heads[c]);
            /* never narrower than the longest word (up to 20): a word
             * broken in two reads worse than a wider column */
            size_t word = 0;
            for (size_t r = 0; r < t->nrows; r++) {
                const char *v = tc[r * nc + c].val;
                for (const char *w = v; *w;) {
                    size_t l = strcspn(w, " ");
                    char *one = cia_xstrndup(w, l);
                    size_t ww = cia_text_width(one);
                    free(one);
                    if (ww > word) word = ww;
                    w += l + (w[l] == ' ');
                }
            }
            if (cap < 10) cap = 10;
            if (cap < (word < 20 ? word : 20)) cap = word < 20 ? word : 20;
            if (cap < hw) cap = hw;
            if (cap < colw[c]) colw[c] = cap;
            newlead += (c ? 2 : 0) + colw[c];
        }
        lead = newlead;
    }
    do {
        size_t to = from, used = lead;
        while (to < nc && (to == from || !width || used + 2 + colw[to] <= width)) used += 2 + colw[to++];
        if (blocks++) end_line(b);
        add_block(b, t, tc, heads, vw, mw, colw, from, to);
        from = to;
    } while (from < nc);
    if (blocks > 1) add_text(b, cia_word("wide_table", lang), width, 1);
    if (!nr) {
        cia_buf_adds(b, cia_word("no_rows", lang));
        end_line(b);
    }

    add_legend(b, t, lang, width);
    for (size_t i = 0; i < t->nnotes; i++) {
        char *n = cia_text_oneline(t->notes[i]);
        add_text(b, n, width, 2);
        free(n);
    }

    for (size_t i = 0; i < nr * nc; i++) { free(tc[i].val); free(tc[i].mark); }
    for (size_t c = 0; c < nc; c++) free(heads[c]);
    free(tc);
    free(heads);
    free(vw);
    free(mw);
    free(colw);
}

/* ---- the report ------------------------------------------------------- */

static int flush_buf(FILE *out, cia_buf *b, cia_err *e)
{
    if (b->len && fwrite(b->data, 1, b->len, out) != b->len)
        return cia_fail(e, CIA_ECANTCREAT, "cannot write the report");
    cia_buf_reset(b);
    return CIA_OK;
}

int cia_render_text(FILE *out, const cia_report *r, cia_err *e)
{
    return cia_render_text_width(out, r, 0, e);
}

int cia_render_text_width(FILE *out, const cia_report *r, size_t width, cia_err *e)
{
    if (!out || !r) return cia_fail(e, CIA_EINTERNAL, "render text: no output or report");
    const char *lang = r->lang;
    int rc = CIA_OK;
    cia_buf b;
    cia_buf_init(&b);

    if (r->title && *r->title) {
        char *title = cia_text_oneline(r->title);
        add_text(&b, title, width, 0);
        size_t tw = cia_text_width(title);
        for (size_t i = width && tw > width ? width : tw; i > 0; i--) cia_buf_addc(&b, '=');
        end_line(&b);
        free(title);
    }
    for (size_t i = 0; i < r->ntables && rc == CIA_OK; i++) {
        if (b.len || i) end_line(&b);
        add_table(&b, r->tables[i], lang, width);
        rc = flush_buf(out, &b, e);
    }
    if (rc != CIA_OK) goto done;

    end_line(&b);
    if (r->ndefs) {
        cia_buf_adds(&b, cia_word("definitions", lang));
        cia_buf_adds(&b, cia_word("colon", lang));
        end_line(&b);
        for (size_t i = 0; i < r->ndefs; i++) {
            char *d = cia_text_oneline(r->definitions[i]);
            char *line = cia_xasprintf("  %s", d);
            add_text(&b, line, width, 4);
            free(line);
            free(d);
        }
    }
    for (size_t i = 0; i < r->nprov; i++) {
        char *p = cia_text_oneline(r->provenance[i]);
        char *line = cia_xasprintf("%s%s%s", cia_word("source", lang), cia_word("colon", lang), p);
        add_text(&b, line, width, 2);
        free(line);
        free(p);
    }
    char *asof = cia_text_oneline(r->as_of);   /* short: never wrapped */
    cia_buf_printf(&b, "%s%s%s", cia_word("as_of", lang), cia_word("colon", lang),
                   strcmp(asof, "current") == 0 ? cia_word("current", lang) : asof);
    end_line(&b);
    free(asof);
    rc = flush_buf(out, &b, e);
    if (rc == CIA_OK && (fflush(out) != 0 || ferror(out)))
        rc = cia_fail(e, CIA_ECANTCREAT, "cannot write the report");
done:
    cia_buf_free(&b);
    return rc;
}

/* ---- picking a renderer ----------------------------------------------- */

/* Lives here because text is the default output; the renderers themselves
 * never open files, so every file output goes through the same atomic
 * cia_outfile path. */
/* The file's extension must say what is in it: out.docx holding text
 * would open as a broken document, out.xlsx holding CSV as a broken
 * workbook.  No extension (or .txt for the table) is fine. */
int cia_render_check_path(const char *format, const char *path, cia_err *e)
{
    const char *f = format && *format ? format : "table";
    if (!path || !*path || strcmp(path, "-") == 0) return CIA_OK;
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    if (!dot || (slash && dot < slash)) return CIA_OK;
    const char *want = strcasecmp(dot, ".xlsx") == 0 ? "xlsx" : strcasecmp(dot, ".csv") == 0 ? "csv"
                     : strcasecmp(dot, ".txt") == 0 ? "table" : NULL;
    if (!want)
        return cia_fail(e, CIA_EUSAGE, "%s: a report is written as .txt (table), .csv or .xlsx, "
                        "not %s", path, dot);
    int same = strcmp(want, f) == 0 || (strcmp(want, "table") == 0 && strcmp(f, "text") == 0);
    if (!same)
        return cia_fail(e, CIA_EUSAGE, "%s: the extension says %s but the format is %s", path, want, f);
    return CIA_OK;
}

int cia_render(const char *format, const char *path, const cia_report *r,
               int localized, cia_err *e)
{
    int to_stdout = !path || !*path || strcmp(path, "-") == 0;
    const char *f = format && *format ? format : "table";
    int csv = strcmp(f, "csv") == 0;
    int rc0 = cia_render_check_path(f, path, e);
    if (rc0) return rc0;
    if (strcmp(f, "xlsx") == 0) {
        /* a workbook on standard output only when asked for by -o - */
        if (!path || !*path)
            return cia_fail(e, CIA_EUSAGE, "xlsx output needs a file name (-o FILE); -o - writes it to standard output");
        return cia_render_xlsx(path, r, e);
    }
    if (!csv && strcmp(f, "table") != 0 && strcmp(f, "text") != 0)
        return cia_fail(e, CIA_EUSAGE, "unknown format '%s' (table, csv or xlsx)", f);
    if (to_stdout)
        return csv ? cia_render_csv(stdout, r, localized, e)
                   : cia_render_text_width(stdout, r, (size_t)cia_term_width(), e);
    cia_outfile o;
    int rc = cia_outfile_open(&o, path, e);
    if (rc) return rc;
    rc = csv ? cia_render_csv(o.fp, r, localized, e) : cia_render_text(o.fp, r, e);
    if (rc == CIA_OK) rc = cia_outfile_commit(&o, e);
    if (rc) {
        cia_outfile_abort(&o);
        cia_err_context(e, "%s", path);
    }
    return rc;
}
