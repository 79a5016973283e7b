/* render_csv.c — owns the CSV rendering of a cia_report: a header row of
 * column headings and one row per table row, every value followed by its
 * flags column, numbers either plain (for programs) or the way Excel in
 * the report's language reads them, and text defused against formula
 * injection; after the tables, the trace (legends, notes, deliveries,
 * as-of) as comment lines or one-cell rows. */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/render.h"
#include "ciatteh/util.h"

/* Excel (and LibreOffice) treat a cell starting with = + - @ as a formula,
 * and TAB/CR as characters it strips before looking; a label from an
 * extract must never become one when an analyst opens the file.  A leading
 * apostrophe makes it inert text.  Only text gets this: numbers are
 * written by us and a negative number must stay a number. */
static void add_text(cia_buf *b, const char *s, char delim)
{
    if (!s || !*s) return;
    if (strchr("=+-@\t\r", s[0])) {
        char *d = cia_xasprintf("'%s", s);
        cia_buf_add_csv(b, d, delim);
        free(d);
        return;
    }
    cia_buf_add_csv(b, s, delim);
}

/* A known number.  Plain: '.' decimals, percentages as the fraction the
 * model holds (0.125), so a program gets the value without parsing a
 * presentation.  Localised: the same decimals as the other outputs and
 * "12,5%" which Excel in fr/nl turns into the number 0.125; no thousands
 * separators, since Excel would read "1 234" as text. */
static void add_number(cia_buf *b, const cia_cell *c, int localized, const char *lang)
{
    double v = c->value == 0 ? 0 : c->value;   /* no "-0" */
    char num[64];
    if (c->type == CIA_CELL_PERCENT) {
        if (localized) {
            snprintf(num, sizeof num, "%.1f%%", v * 100.0);
            if (strcmp(num, "-0.0%") == 0) snprintf(num, sizeof num, "0.0%%");
        } else {
            snprintf(num, sizeof num, "%.10g", v);
        }
    } else {
        snprintf(num, sizeof num, "%.0f", v);
        if (strcmp(num, "-0") == 0) snprintf(num, sizeof num, "0");
    }
    if (localized && lang && (strcmp(lang, "fr") == 0 || strcmp(lang, "nl") == 0)) {
        char *dot = strchr(num, '.');
        if (dot) *dot = ',';
    }
    cia_buf_adds(b, num);
}

static void add_value(cia_buf *b, const cia_cell *c, int localized, const char *lang, char delim)
{
    if (!c) return;
    switch (c->type) {
    case CIA_CELL_NONE: return;
    case CIA_CELL_TEXT: add_text(b, c->text, delim); return;
    default: break;
    }
    /* Withheld and not-known values stay empty: an empty numeric field is
     * what every CSV reader treats as missing, and the flags column says
     * which kind of missing it is. */
    if (cia_cell_has_flag(c, 'c') || !c->known) return;
    add_number(b, c, localized, lang);
}

/* The flags column: the flag letters, then a lower bound's records left
 * unknown ("u 3 n.k.") or the mark of the state when the value is missing
 * without being withheld ("p n.k.", "n n.d.", "i incompl."). */
static void add_flags(cia_buf *b, const cia_cell *c, const char *lang, char delim)
{
    if (!c || c->type == CIA_CELL_NONE || c->type == CIA_CELL_TEXT) return;
    cia_buf f;
    cia_buf_init(&f);
    cia_buf_adds(&f, c->flags);
    char gap[64];
    cia_format_gap(c, lang, gap, sizeof gap);   /* a lower bound: "u 3 n.k." */
    if (gap[0]) cia_buf_printf(&f, " %s", gap);
    if (!c->known && !cia_cell_has_flag(c, 'c')) {
        if (c->flags[0]) cia_buf_addc(&f, ' ');
        cia_buf_adds(&f, cia_state_mark(cia_cell_state(c), lang));
    }
    cia_buf_add_csv(b, f.data, delim);
    cia_buf_free(&f);
}

static void add_table(cia_buf *b, const cia_table *t, int localized, const char *lang, char delim)
{
    for (size_t c = 0; c < t->ncols; c++) {
        if (c) cia_buf_addc(b, delim);
        add_text(b, t->col_heads[c], delim);
        if (c < t->nhead) continue;
        /* Every value column gets a flags column, flagged or not, so the
         * shape of the file does not change with the data. */
        char *h = cia_xasprintf("%s (%s)", t->col_heads[c] ? t->col_heads[c] : "",
                                cia_word("flags", lang));
        cia_buf_addc(b, delim);
        add_text(b, h, delim);
        free(h);
    }
    cia_buf_addc(b, '\n');
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const cia_cell *cell = cia_table_cell_c(t, r, c);
            if (c) cia_buf_addc(b, delim);
            add_value(b, cell, localized, lang, delim);
            if (c < t->nhead) continue;
            cia_buf_addc(b, delim);
            add_flags(b, cell, lang, delim);
        }
        cia_buf_addc(b, '\n');
    }
}

/* One line of the trace: a comment line (plain) or a one-cell row. */
static void trace_line(cia_buf *b, const char *s, int localized, char delim)
{
    char *line = cia_text_oneline(s);
    if (localized) {
        add_text(b, line, delim);
    } else {
        cia_buf_adds(b, "# ");
        cia_buf_adds(b, line);
    }
    cia_buf_addc(b, '\n');
    free(line);
}

/* The trace after the tables: title, legends and notes, deliveries, as-of
 * — what the terminal and the XLSX show under the figures. */
static void add_trace(cia_buf *b, const cia_report *r, int localized, const char *lang, char delim)
{
    cia_buf_addc(b, '\n');
    if (r->watermark) trace_line(b, r->watermark, localized, delim);
    if (r->title && *r->title) trace_line(b, r->title, localized, delim);
    for (size_t i = 0; i < r->ntables; i++) {
        const cia_table *t = r->tables[i];
        char *legend = cia_legend(t, lang);
        if (!legend && !t->nnotes) continue;
        if (r->ntables > 1 && t->title) trace_line(b, t->title, localized, delim);
        if (legend) trace_line(b, legend, localized, delim);
        for (size_t k = 0; k < t->nnotes; k++) trace_line(b, t->notes[k], localized, delim);
        free(legend);
    }
    cia_buf line;
    cia_buf_init(&line);
    for (size_t i = 0; i < r->nprov; i++) {
        cia_buf_reset(&line);
        cia_buf_printf(&line, "%s%s%s", cia_word("source", lang), cia_word("colon", lang), r->provenance[i]);
        trace_line(b, line.data, localized, delim);
    }
    cia_buf_reset(&line);
    cia_buf_printf(&line, "%s%s%s", cia_word("as_of", lang), cia_word("colon", lang),
                   !r->as_of || !strcmp(r->as_of, "current") ? cia_word("current", lang) : r->as_of);
    trace_line(b, line.data, localized, delim);
    cia_buf_free(&line);
}

int cia_render_csv(FILE *out, const cia_report *r, int localized, cia_err *e)
{
    if (!out || !r) return cia_fail(e, CIA_EINTERNAL, "render csv: no output or report");
    const char *lang = r->lang;
    /* Excel in French or Dutch expects ';' because ',' is its decimal
     * separator; English Excel expects ','. */
    char delim = localized && lang && (strcmp(lang, "fr") == 0 || strcmp(lang, "nl") == 0)
                 ? ';' : ',';
    int rc = CIA_OK;
    cia_buf b;
    cia_buf_init(&b);
    /* Without a BOM, Excel opens a UTF-8 CSV as Windows-1252 and "é"
     * becomes "Ã©"; programs reading the plain form do not want one. */
    if (localized) cia_buf_adds(&b, "\xEF\xBB\xBF");
    for (size_t i = 0; i < r->ntables; i++) {
        if (i) cia_buf_addc(&b, '\n');
        add_table(&b, r->tables[i], localized, lang, delim);
        if (b.len && fwrite(b.data, 1, b.len, out) != b.len) {
            rc = cia_fail(e, CIA_ECANTCREAT, "cannot write the CSV");
            goto done;
        }
        cia_buf_reset(&b);
    }
    if (!r->csv_rows_only) add_trace(&b, r, localized, lang, delim);
    if (b.len && fwrite(b.data, 1, b.len, out) != b.len)
        rc = cia_fail(e, CIA_ECANTCREAT, "cannot write the CSV");
    if (rc == CIA_OK && (fflush(out) != 0 || ferror(out)))
        rc = cia_fail(e, CIA_ECANTCREAT, "cannot write the CSV");
done:
    cia_buf_free(&b);
    return rc;
}
