/* render.h — the renderers that turn one cia_report (table.h) into an
 * output format, and the localised fixed words they share.  Every renderer
 * reads the same model, so a figure cannot differ between two outputs.
 *
 * Conventions shared by all renderers (see README, "Reports"):
 *  - a number not known is never shown as 0: terminal "n.k."/"inc."/"onb.",
 *    CSV empty value with the marker in its flags column, XLSX the marker
 *    as text in the value cell (a formula using it gives #VALUE!, not a
 *    silent 0);
 *  - flags u/p/n/i/c (table.h) travel with their value: terminal "12 (u)"
 *    marks with a legend, CSV and XLSX a flags column beside the value
 *    column; each cell's state is cia_cell_state(), never re-derived;
 *  - withheld (c), not delivered (n) and incomplete (i) cells have no
 *    value in any output;
 *  - data values are written as numbers or strings, never as formulas.
 */
#ifndef CIATTEH_RENDER_H
#define CIATTEH_RENDER_H

#include <stddef.h>
#include <stdio.h>
#include "ciatteh/err.h"
#include "ciatteh/table.h"

/* A fixed word in "en", "fr" or "nl" (NULL or another language → en).
 * Keys: not_known, not_known_long, legend, flag_u, flag_p, flag_c,
 * flags, notes, source, definitions, as_of, current, colon, no_rows,
 * deliveries, report.  An unknown key returns the key itself, so a
 * missing word shows up in the output instead of crashing. */
const char *cia_word(const char *key, const char *lang);
/* The same, or NULL when the catalogue has no such key. */
const char *cia_word_opt(const char *key, const char *lang);
/* A YYYY-MM-DD date in LANG's one long format ("30 juin 2025"); another
 * input ("current") is copied as it is. */
void cia_format_date(const char *lang, const char *iso, char *buf, size_t n);
/* A YYYY-MM-DD HH:MM[:SS] moment the same way, with its time to the
 * minute ("15 janvier 2025 à 09:00"); another input is copied. */
void cia_format_moment(const char *lang, const char *iso, char *buf, size_t n);
/* The catalogue's I-th key, NULL past the last (for tests over it). */
const char *cia_word_key(size_t i);
/* The localised sheet name the catalogue declares for table TABLE of
 * report REPORT (key "sheet_REPORT_TABLE", else "sheet_TABLE"), or NULL.
 * Each fits Excel's 31 characters, with the smuggling prefix (sheet_smug)
 * for the tables of the pack's smuggling chapter (test_render checks). */
const char *cia_sheet_word(const char *report, const char *table, const char *lang);
/* S with the typography of LANG (French: no-break spaces before ; : ! ? »
 * and after «; other languages: unchanged), newly allocated. */
char *cia_typo(const char *s, const char *lang);

/* The word for a cell state (table.h) in lang ("not delivered", "non
 * livré"...; "" for CIA_ST_KNOWN), and its short mark for tables and
 * notes ("n.d.", "≥", "n.k."...).  Provisional, orthogonal to the states,
 * has the keys st_provisional and mark_provisional for cia_word. */
const char *cia_state_word(enum cia_state st, const char *lang);
const char *cia_state_mark(enum cia_state st, const char *lang);

/* s on one line, safe for a terminal or a one-line note: control
 * characters (newlines, escapes) become spaces.  Caller frees. */
char *cia_text_oneline(const char *s);

/* Terminal columns a UTF-8 string occupies (wide East Asian characters
 * count 2, combining marks and controls 0, invalid bytes 1). */
size_t cia_text_width(const char *s);

/* The legend line of a table, in lang: one entry per mark the table
 * actually uses ("Legend: (u) lower bound...; (p) provisional; n.k. not
 * known"), NULL when it uses none.  Caller frees. */
char *cia_legend(const cia_table *t, const char *lang);

/* Aligned text for a terminal or a plain-text mail: report title, then
 * per table its title, subtitle, column headings, rows, a legend of the
 * marks that table uses and its notes; then definitions, sources and the
 * as-of date.  CIA_ECANTCREAT when writing to out fails. */
int cia_render_text(FILE *out, const cia_report *r, cia_err *e);
/* The same within WIDTH display columns (0: no limit): a table wider than
 * that shows its value columns in blocks, each beside the row labels, and
 * says where the whole table is (CSV, XLSX). */
int cia_render_text_width(FILE *out, const cia_report *r, size_t width, cia_err *e);

/* CSV: per table a header row of column headings and one row per table
 * row; every value column (index >= nhead) is followed by a "<heading>
 * (flags)" column holding the letters u/p/c, or the not-known marker.
 * Several tables are separated by one empty line.
 *   localized = 0: ',' delimiter, '.' decimals, percentages as fractions
 *                  (0.125), no thousands separators, no BOM — for programs.
 *   localized = 1: for Excel in the report's language: UTF-8 BOM, fr/nl
 *                  ';' and decimal comma, percentages "12,5%", no
 *                  thousands separators (so Excel reads them as numbers).
 * Text fields starting with = + - @ TAB or CR get a leading ' so Excel
 * does not run them as formulas.
 * After the tables (unless r->csv_rows_only: questionnaire answers),
 * what makes the figures traceable (issue 13): the report's title, each table's legend and notes, the deliveries behind
 * it and the as-of date, one per line — plain: comment lines "# ..."
 * (a reader that knows comments skips them, e.g. pandas comment='#');
 * localised: one-cell rows under the tables, as the XLSX has them. */
int cia_render_csv(FILE *out, const cia_report *r, int localized, cia_err *e);

/* XLSX workbook at path, written under a temporary name and renamed into
 * place only when complete.  One sheet per table (named after the table
 * id, made unique and valid), then a "Definitions" sheet (localised name)
 * with definitions, sources and the as-of date.  Any libxlsxwriter
 * failure → CIA_ECANTCREAT and no file at path. */
int cia_render_xlsx(const char *path, const cia_report *r, cia_err *e);

/* CIA_EUSAGE when path's extension is not the format's (.txt or none for
 * table, .csv, .xlsx) or not a report's at all (out.docx): checked by
 * cia_render, and by the CLI before any query. */
int cia_render_check_path(const char *format, const char *path, cia_err *e);

/* Pick a renderer by name: "table" (or "text"), "csv", "xlsx".  path NULL
 * or "-" writes text/CSV to stdout; xlsx needs a real path (CIA_EUSAGE
 * otherwise).  Files are written atomically.  localized applies to CSV. */
int cia_render(const char *format, const char *path, const cia_report *r,
               int localized, cia_err *e);

#endif
