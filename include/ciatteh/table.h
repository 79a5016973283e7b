/* table.h — the neutral table model every output renders.  A report is
 * built once as cia_tables (labels already in the chosen language, values
 * with their flags); terminal, CSV, XLSX, PDF and charts all render that
 * same model, so a figure cannot differ between two outputs. */
#ifndef CIATTEH_TABLE_H
#define CIATTEH_TABLE_H

#include <stddef.h>
#include "ciatteh/err.h"

enum cia_cell_type {
    CIA_CELL_NONE = 0,   /* nothing in this cell */
    CIA_CELL_TEXT,       /* a label (row heading, code name) */
    CIA_CELL_COUNT,      /* a whole number (count of persons, cases...) */
    CIA_CELL_PERCENT,    /* a share or change, value 0.25 = 25 % */
    CIA_CELL_DELTA,      /* a signed whole-number change */
};

typedef struct cia_cell {
    enum cia_cell_type type;
    int known;           /* numbers: 0 = not known (shown as such, never 0) */
    double value;
    char flags[6];       /* subset of "upnic", always in that order (the
                            setters normalise): u lower bound, p provisional
                            (late records still arriving), n not delivered,
                            i incomplete year, c withheld for
                            confidentiality.  For n, i and c the setters
                            clear value and known: a figure that is not one
                            cannot leak through any renderer.  A delivered
                            zero is known, value 0, without n or i. */
    long long n_unknown; /* records that left a lower bound unknown (flag
                            u): how large the gap is, for a note or a
                            column; 0 otherwise */
    char *text;          /* CIA_CELL_TEXT */
} cia_cell;

/* What a number cell is, decided from its flags and value once, here, so
 * every renderer and test asks the same question the same way.
 * Precedence: withheld > not delivered > incomplete > not known > lower
 * bound > zero > known (a withheld cell is withheld whatever else it is).
 * Provisional is not a state but orthogonal to them (a provisional year
 * can hold a figure, a zero or a lower bound): cia_cell_has_flag(c, 'p'). */
enum cia_state {
    CIA_ST_KNOWN,          /* a figure, every record behind it known */
    CIA_ST_ZERO,           /* delivered, and nothing counted: 0 */
    CIA_ST_LOWER,          /* flag u: at least this; n_unknown records left it unknown */
    CIA_ST_NOT_DELIVERED,  /* flag n: no delivery of the service covers the year */
    CIA_ST_INCOMPLETE,     /* flag i: records fall in the year, no delivery covers it */
    CIA_ST_WITHHELD,       /* flag c: withheld for confidentiality */
    CIA_ST_NOT_KNOWN,      /* delivered, but the value is unknown (known == 0
                              without n, i or c): the one meaning of "n.k." */
};
#define CIA_ST_COUNT 7

typedef struct cia_table {
    char *id;            /* stable, ASCII: file stem, the workbook's defined
                            name "table.ID" ("yoy") */
    char *sheet;         /* localised sheet name, or NULL: the words
                            catalogue's (cia_sheet_word), else the id */
    char *title;         /* localised */
    char *subtitle;      /* localised, may be NULL */
    size_t nhead;        /* leading columns that hold row labels */
    size_t ncols, nrows, rows_cap;
    char **col_keys;     /* stable keys ("item", "2021", "chg_abs") */
    char **col_heads;    /* localised headings */
    char **row_keys;     /* stable keys ("police.facts", "police.facts|SEX") */
    cia_cell *cells;     /* nrows * ncols, row-major */
    char **notes;        /* localised notes under the table (flags, sources) */
    size_t nnotes;
} cia_table;

/* A report: several tables plus what makes it traceable. */
typedef struct cia_report {
    char *id, *title, *lang;       /* lang: "en", "fr" or "nl" */
    char *as_of;                   /* "YYYY-MM-DD" or "current" */
    char **provenance;             /* one line per delivery used */
    size_t nprov;
    char **definitions;            /* "label: definition" lines */
    size_t ndefs;
    cia_table **tables;
    size_t ntables;
    int csv_rows_only;             /* CSV without the trace lines (render.h):
                                      questionnaire answers, read by the
                                      receiving body's programs row by row */
    int flag_marks;                /* XLSX: flags as marks after the value in
                                      its cell's number format (the cell
                                      stays a number) instead of a flags
                                      column beside each value column */
    char *watermark;               /* NULL, or a line every renderer puts on
                                      every sheet (header, footer) and file
                                      (the CSV's first trace line): an
                                      internal pack's "not for publication" */
} cia_report;

cia_table *cia_table_new(const char *id, const char *title, size_t ncols, size_t nhead);
void cia_table_set_col(cia_table *t, size_t col, const char *key, const char *heading);
size_t cia_table_add_row(cia_table *t, const char *key);   /* returns row index */
/* Out-of-range row/col: the getters return NULL; the setters abort with a
 * message, since that is a bug in the caller and a silently dropped
 * figure would be worse than a crash. */
cia_cell *cia_table_cell(cia_table *t, size_t row, size_t col);
const cia_cell *cia_table_cell_c(const cia_table *t, size_t row, size_t col);
void cia_table_set_text(cia_table *t, size_t row, size_t col, const char *text);
void cia_table_set_count(cia_table *t, size_t row, size_t col, double v, int known, const char *flags);
void cia_table_set_percent(cia_table *t, size_t row, size_t col, double v, int known, const char *flags);
void cia_table_set_delta(cia_table *t, size_t row, size_t col, double v, int known, const char *flags);
void cia_table_set_subtitle(cia_table *t, const char *subtitle);  /* NULL clears */
void cia_table_set_sheet(cia_table *t, const char *sheet);        /* NULL clears */
/* The smuggling twin of table t (still under its own id) of REPORT: the
 * catalogue's sheet name, prefixed with the offence (sheet_smug). */
void cia_table_set_sheet_smug(cia_table *t, const char *report, const char *lang);
void cia_table_add_note(cia_table *t, const char *note);
/* Records that left the figure at (row, col) a lower bound (cell field
 * n_unknown); set after the value, since the value setters reset the cell. */
void cia_table_set_n_unknown(cia_table *t, size_t row, size_t col, long long n_unknown);
/* Does the cell carry flag f (one of "upnic")?  c == NULL → 0. */
int cia_cell_has_flag(const cia_cell *c, char f);
/* The state of a number cell, by the precedence above.  Text and empty
 * cells (and NULL): CIA_ST_KNOWN. */
enum cia_state cia_cell_state(const cia_cell *c);
/* Canonical "upnic" subset of the letters in `in` (others dropped) into
 * out[6]: the one normalisation the setters and the figure layer share. */
void cia_flags_normalise(const char *in, char out[6]);
void cia_table_free(cia_table *t);

cia_report *cia_report_new(const char *id, const char *title, const char *lang, const char *as_of);
void cia_report_add_table(cia_report *r, cia_table *t);   /* takes ownership */
void cia_report_add_provenance(cia_report *r, const char *line);
void cia_report_add_definition(cia_report *r, const char *line);
void cia_report_set_watermark(cia_report *r, const char *line);   /* NULL clears */
void cia_report_free(cia_report *r);
/* The language's typography on every string of the report (French: no-break
 * spaces before ; : ! ? » and after «).  Called once when a report is
 * complete, by whatever built it. */
void cia_report_typeset(cia_report *r);

/* Numbers as a reader of that language writes them (lang NULL or unknown
 * → en).  Counts: en 1,234 · fr 1 234 (U+202F narrow no-break space)
 * · nl 1.234.  Percentages (v = 0.125): en 12.5% · fr 12,5 % (U+202F
 * before %, as French typography wants) · nl 12,5%.  Deltas are counts
 * with a sign: +66, -66, 0.  A value that is not finite is written as the
 * language's "not known" marker, never as 0.  The result is always
 * NUL-terminated and cut on a UTF-8 character boundary if n is too small. */
void cia_format_count(double v, const char *lang, char *buf, size_t n);
void cia_format_percent(double v, int decimals, const char *lang, char *buf, size_t n);
void cia_format_delta(double v, const char *lang, char *buf, size_t n);

/* One cell as a reader sees it, without its flag marks: text as is,
 * numbers formatted as above (percentages with 1 decimal), a number not
 * known → "n.k."/"inc."/"onb.", not delivered (n) or incomplete (i) →
 * that state's mark (cia_state_mark), withheld (flag c) or empty → "".
 * Shared by the text renderer, XLSX width estimates and chart labels so
 * the same figure reads the same everywhere (CSV writes numbers the way
 * Excel parses them instead, see render.h). */
void cia_format_cell(const cia_cell *c, const char *lang, char *buf, size_t n);

/* How large a lower bound's gap is, shown beside its flags in every
 * renderer: "3 n.k." (records that left its value unknown, in the cell's
 * own count: never a total over cells, which would count records twice),
 * "" for a cell that is not a lower bound or has no count. */
void cia_format_gap(const cia_cell *c, const char *lang, char *buf, size_t n);

#endif
