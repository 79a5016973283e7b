/* table.c — owns the neutral table model (cia_table, cia_report) and the
 * per-language number formatting every renderer shares.  Renderers never
 * format a number themselves: they call cia_format_* here, so the terminal,
 * CSV, XLSX and chart labels agree to the last digit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/table.h"
#include "ciatteh/render.h"
#include "ciatteh/util.h"

/* ---- the table ------------------------------------------------------ */

cia_table *cia_table_new(const char *id, const char *title, size_t ncols, size_t nhead)
{
    cia_table *t = cia_xcalloc(1, sizeof *t);
    t->id = cia_xstrdup(id ? id : "");
    t->title = cia_xstrdup(title ? title : "");
    t->ncols = ncols;
    t->nhead = nhead > ncols ? ncols : nhead;
    t->col_keys = cia_xcalloc(ncols, sizeof *t->col_keys);
    t->col_heads = cia_xcalloc(ncols, sizeof *t->col_heads);
    return t;
}

/* A caller addressing a cell that does not exist has a bug; dropping the
 * figure silently would publish a wrong table, so stop loudly. */
static void out_of_range(const cia_table *t, size_t row, size_t col)
{
    fprintf(stderr, "ciatteh: table %s: cell (%zu,%zu) outside %zux%zu\n",
            t->id, row, col, t->nrows, t->ncols);
    abort();
}

void cia_table_set_col(cia_table *t, size_t col, const char *key, const char *heading)
{
    if (col >= t->ncols) out_of_range(t, 0, col);
    free(t->col_keys[col]);
    free(t->col_heads[col]);
    t->col_keys[col] = cia_xstrdup(key ? key : "");
    /* A missing heading falls back to the key: an unnamed column in an
     * analyst's spreadsheet is worse than a technical name. */
    t->col_heads[col] = cia_xstrdup(heading ? heading : key ? key : "");
}

size_t cia_table_add_row(cia_table *t, const char *key)
{
    if (t->nrows == t->rows_cap) {
        size_t cap = t->rows_cap ? t->rows_cap * 2 : 16;
        t->cells = cia_xrealloc(t->cells, cap * (t->ncols ? t->ncols : 1) * sizeof *t->cells);
        t->row_keys = cia_xrealloc(t->row_keys, cap * sizeof *t->row_keys);
        t->rows_cap = cap;
    }
    size_t r = t->nrows++;
    if (t->ncols) memset(t->cells + r * t->ncols, 0, t->ncols * sizeof *t->cells);
    t->row_keys[r] = cia_xstrdup(key ? key : "");
    return r;
}

cia_cell *cia_table_cell(cia_table *t, size_t row, size_t col)
{
    if (!t || row >= t->nrows || col >= t->ncols) return NULL;
    return &t->cells[row * t->ncols + col];
}

const cia_cell *cia_table_cell_c(const cia_table *t, size_t row, size_t col)
{
    if (!t || row >= t->nrows || col >= t->ncols) return NULL;
    return &t->cells[row * t->ncols + col];
}

static cia_cell *cell_or_die(cia_table *t, size_t row, size_t col)
{
    cia_cell *c = cia_table_cell(t, row, col);
    if (!c) out_of_range(t, row, col);
    free(c->text);
    memset(c, 0, sizeof *c);
    return c;
}

void cia_table_set_text(cia_table *t, size_t row, size_t col, const char *text)
{
    cia_cell *c = cell_or_die(t, row, col);
    c->type = CIA_CELL_TEXT;
    c->text = cia_xstrdup(text ? text : "");
}

void cia_flags_normalise(const char *in, char out[6])
{
    size_t n = 0;
    for (const char *f = "upnic"; *f; f++)
        if (in && strchr(in, *f)) out[n++] = *f;
    out[n] = '\0';
}

/* Flags are kept as a canonical "upnic" subset so renderers and tests can
 * compare them as strings; unknown letters are dropped. */
static void set_number(cia_table *t, size_t row, size_t col, enum cia_cell_type type,
                       double v, int known, const char *flags)
{
    cia_cell *c = cell_or_die(t, row, col);
    c->type = type;
    cia_flags_normalise(flags, c->flags);
    if (strpbrk(c->flags, "nic") || !isfinite(v)) {
        /* Withheld, not delivered or incomplete: the figure must not
         * exist anywhere past this point.  Not finite: there is no figure
         * to show. */
        c->known = 0;
        c->value = 0;
        c->n_unknown = 0;
    } else {
        c->known = known ? 1 : 0;
        c->value = known ? v : 0;
    }
}

void cia_table_set_count(cia_table *t, size_t row, size_t col, double v, int known, const char *flags)
{
    set_number(t, row, col, CIA_CELL_COUNT, v, known, flags);
}

void cia_table_set_percent(cia_table *t, size_t row, size_t col, double v, int known, const char *flags)
{
    set_number(t, row, col, CIA_CELL_PERCENT, v, known, flags);
}

void cia_table_set_delta(cia_table *t, size_t row, size_t col, double v, int known, const char *flags)
{
    set_number(t, row, col, CIA_CELL_DELTA, v, known, flags);
}

void cia_table_set_subtitle(cia_table *t, const char *subtitle)
{
    free(t->subtitle);
    t->subtitle = subtitle ? cia_xstrdup(subtitle) : NULL;
}

void cia_table_set_sheet(cia_table *t, const char *sheet)
{
    free(t->sheet);
    t->sheet = sheet ? cia_xstrdup(sheet) : NULL;
}

void cia_table_set_sheet_smug(cia_table *t, const char *report, const char *lang)
{
    const char *w = cia_sheet_word(report, t->id, lang);
    if (!w) return;
    char *sheet = cia_xasprintf("%s%s", cia_word("sheet_smug", lang), w);
    cia_table_set_sheet(t, sheet);
    free(sheet);
}

void cia_table_add_note(cia_table *t, const char *note)
{
    t->notes = cia_xrealloc(t->notes, (t->nnotes + 1) * sizeof *t->notes);
    t->notes[t->nnotes++] = cia_xstrdup(note ? note : "");
}

void cia_table_set_n_unknown(cia_table *t, size_t row, size_t col, long long n_unknown)
{
    cia_cell *c = cia_table_cell(t, row, col);
    if (!c) out_of_range(t, row, col);
    c->n_unknown = n_unknown > 0 && !strpbrk(c->flags, "nic") ? n_unknown : 0;   /* no gap without a figure */
}

int cia_cell_has_flag(const cia_cell *c, char f)
{
    return c && f && strchr(c->flags, f) != NULL;
}

enum cia_state cia_cell_state(const cia_cell *c)
{
    if (!c || c->type == CIA_CELL_NONE || c->type == CIA_CELL_TEXT) return CIA_ST_KNOWN;
    if (cia_cell_has_flag(c, 'c')) return CIA_ST_WITHHELD;
    if (cia_cell_has_flag(c, 'n')) return CIA_ST_NOT_DELIVERED;
    if (cia_cell_has_flag(c, 'i')) return CIA_ST_INCOMPLETE;
    if (!c->known) return CIA_ST_NOT_KNOWN;
    if (cia_cell_has_flag(c, 'u')) return CIA_ST_LOWER;
    if (c->value == 0) return CIA_ST_ZERO;
    return CIA_ST_KNOWN;
}

static void free_strs(char **v, size_t n)
{
    if (!v) return;
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

void cia_table_free(cia_table *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++) free(t->cells[i].text);
    free(t->cells);
    free_strs(t->row_keys, t->nrows);
    free_strs(t->col_keys, t->ncols);
    free_strs(t->col_heads, t->ncols);
    free_strs(t->notes, t->nnotes);
    free(t->id);
    free(t->sheet);
    free(t->title);
    free(t->subtitle);
    free(t);
}

/* ---- the report ----------------------------------------------------- */

cia_report *cia_report_new(const char *id, const char *title, const char *lang, const char *as_of)
{
    cia_report *r = cia_xcalloc(1, sizeof *r);
    r->id = cia_xstrdup(id ? id : "");
    r->title = cia_xstrdup(title ? title : "");
    r->lang = cia_xstrdup(lang && *lang ? lang : "en");
    r->as_of = cia_xstrdup(as_of && *as_of ? as_of : "current");
    return r;
}

void cia_report_add_table(cia_report *r, cia_table *t)
{
    r->tables = cia_xrealloc(r->tables, (r->ntables + 1) * sizeof *r->tables);
    r->tables[r->ntables++] = t;
}

static void push(char ***v, size_t *n, const char *s)
{
    *v = cia_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = cia_xstrdup(s ? s : "");
}

void cia_report_add_provenance(cia_report *r, const char *line)
{
    push(&r->provenance, &r->nprov, line);
}

void cia_report_add_definition(cia_report *r, const char *line)
{
    push(&r->definitions, &r->ndefs, line);
}

static void typo(char **s, const char *lang)
{
    if (!*s) return;
    char *t = cia_typo(*s, lang);
    free(*s);
    *s = t;
}

void cia_report_typeset(cia_report *r)
{
    if (!r || strcmp(r->lang, "fr")) return;   /* only French has rules to apply */
    typo(&r->title, r->lang);
    for (size_t i = 0; i < r->nprov; i++) typo(&r->provenance[i], r->lang);
    for (size_t i = 0; i < r->ndefs; i++) typo(&r->definitions[i], r->lang);
    for (size_t k = 0; k < r->ntables; k++) {
        cia_table *t = r->tables[k];
        typo(&t->title, r->lang);
        typo(&t->subtitle, r->lang);
        for (size_t c = 0; c < t->ncols; c++) typo(&t->col_heads[c], r->lang);
        for (size_t i = 0; i < t->nnotes; i++) typo(&t->notes[i], r->lang);
        for (size_t i = 0; i < t->nrows * t->ncols; i++)
            if (t->cells[i].type == CIA_CELL_TEXT) typo(&t->cells[i].text, r->lang);
    }
}

void cia_report_free(cia_report *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->ntables; i++) cia_table_free(r->tables[i]);
    free(r->tables);
    free_strs(r->provenance, r->nprov);
    free_strs(r->definitions, r->ndefs);
    free(r->id);
    free(r->title);
    free(r->lang);
    free(r->as_of);
    free(r->watermark);
    free(r);
}

void cia_report_set_watermark(cia_report *r, const char *line)
{
    free(r->watermark);
    r->watermark = line ? cia_xstrdup(line) : NULL;
}

/* ---- numbers per language ------------------------------------------- */

#define NNBSP "\xe2\x80\xaf"   /* U+202F NARROW NO-BREAK SPACE */

struct numstyle {
    const char *group;    /* thousands separator */
    const char *decimal;  /* decimal separator */
    const char *pct;      /* percent suffix, with the space French wants */
};

static const struct numstyle *style_for(const char *lang)
{
    static const struct numstyle en = { ",", ".", "%" };
    static const struct numstyle fr = { NNBSP, ",", NNBSP "%" };
    static const struct numstyle nl = { ".", ",", "%" };
    if (lang && strcmp(lang, "fr") == 0) return &fr;
    if (lang && strcmp(lang, "nl") == 0) return &nl;
    return &en;
}

/* Copy src into buf[n], cutting on a UTF-8 boundary so a short buffer
 * never ends in half a narrow no-break space. */
static void copy_out(const char *src, char *buf, size_t n)
{
    if (!buf || !n) return;
    size_t len = strlen(src);
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80) len--;
    }
    memcpy(buf, src, len);
    buf[len] = '\0';
}

/* Append the digits of an unsigned decimal string with thousands groups. */
static void add_grouped(cia_buf *b, const char *digits, size_t nd, const char *group)
{
    for (size_t i = 0; i < nd; i++) {
        if (i && (nd - i) % 3 == 0) cia_buf_adds(b, group);
        cia_buf_addc(b, digits[i]);
    }
}

/* Sign, grouped integer part and optional decimals of |v| rounded to
 * `decimals` places.  printf does the rounding (no llround overflow on
 * absurd values); a result that rounds to zero gets no minus sign. */
static void add_number(cia_buf *b, double v, int decimals, const struct numstyle *st,
                       int plus)
{
    char digits[400];
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(v));
    int zero = strspn(digits, "0.") == strlen(digits);
    if (!zero && v < 0) cia_buf_addc(b, '-');
    else if (!zero && plus) cia_buf_addc(b, '+');
    const char *dot = strchr(digits, '.');
    size_t nd = dot ? (size_t)(dot - digits) : strlen(digits);
    add_grouped(b, digits, nd, st->group);
    if (dot) {
        cia_buf_adds(b, st->decimal);
        cia_buf_adds(b, dot + 1);
    }
}

static void format_num(double v, int decimals, int percent, int plus, const char *lang,
                       char *buf, size_t n)
{
    if (!isfinite(v)) {
        copy_out(cia_word("not_known", lang), buf, n);
        return;
    }
    const struct numstyle *st = style_for(lang);
    cia_buf b;
    cia_buf_init(&b);
    add_number(&b, percent ? v * 100.0 : v, decimals, st, plus);
    if (percent) cia_buf_adds(&b, st->pct);
    copy_out(b.data, buf, n);
    cia_buf_free(&b);
}

void cia_format_count(double v, const char *lang, char *buf, size_t n)
{
    format_num(v, 0, 0, 0, lang, buf, n);
}

void cia_format_percent(double v, int decimals, const char *lang, char *buf, size_t n)
{
    if (decimals < 0) decimals = 0;
    if (decimals > 6) decimals = 6;
    format_num(v, decimals, 1, 0, lang, buf, n);
}

void cia_format_delta(double v, const char *lang, char *buf, size_t n)
{
    format_num(v, 0, 0, 1, lang, buf, n);
}

void cia_format_gap(const cia_cell *c, const char *lang, char *buf, size_t n)
{
    if (!buf || !n) return;
    buf[0] = '\0';
    if (!c || !c->known || c->n_unknown <= 0 || cia_cell_state(c) != CIA_ST_LOWER) return;
    char num[64];
    cia_format_count((double)c->n_unknown, lang, num, sizeof num);
    snprintf(buf, n, "%s %s", num, cia_word("not_known", lang));
}

void cia_format_cell(const cia_cell *c, const char *lang, char *buf, size_t n)
{
    if (!buf || !n) return;
    buf[0] = '\0';
    if (!c) return;
    switch (c->type) {
    case CIA_CELL_NONE:
        return;
    case CIA_CELL_TEXT:
        copy_out(c->text ? c->text : "", buf, n);
        return;
    default:
        break;
    }
    if (cia_cell_has_flag(c, 'c')) return;        /* withheld: no value at all */
    enum cia_state st = cia_cell_state(c);
    if (st == CIA_ST_NOT_DELIVERED || st == CIA_ST_INCOMPLETE) {
        copy_out(cia_state_mark(st, lang), buf, n);
        return;
    }
    if (!c->known) {
        copy_out(cia_word("not_known", lang), buf, n);
        return;
    }
    switch (c->type) {
    case CIA_CELL_COUNT: cia_format_count(c->value, lang, buf, n); break;
    case CIA_CELL_PERCENT: cia_format_percent(c->value, 1, lang, buf, n); break;
    case CIA_CELL_DELTA: cia_format_delta(c->value, lang, buf, n); break;
    default: break;
    }
}
