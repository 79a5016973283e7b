/* questionnaire.h — international questionnaires (Eurostat, GRETA, US TIP)
 * answered from the standard items, as data: one definition file per
 * questionnaire in reports/data/questionnaires/NAME.q (compiled in), read
 * by one engine.  The file says which item, filters and year answer each
 * cell, where the cell goes (table, row, column; SDMX key) and the
 * labels; docs/QUESTIONNAIRES.md describes the format.
 *
 * The flow:  definition  →  cia_q_compute (figures through the query
 * layer, then disclosure control)  →  cia_qanswers  →  the table model
 * (XLSX/CSV/text), SDMX-CSV, the TIP draft text, and a stored answer set
 * (schema/0004_answers.sql) that `ciatteh answers` lists, shows and diffs. */
#ifndef CIATTEH_QUESTIONNAIRE_H
#define CIATTEH_QUESTIONNAIRE_H

#include <stdio.h>
#include "ciatteh/db.h"
#include "ciatteh/query.h"
#include "ciatteh/table.h"
#include "ciatteh/util.h"

#define CIA_Q_MAXKEY 12      /* SDMX columns */
#define CIA_Q_LANGS 3        /* en, fr, nl */

typedef struct cia_qkv { char *k, *v; } cia_qkv;

/* What a table, a row or a column contributes to its cells. */
typedef struct cia_qattrs {
    char *item;                        /* NULL: inherit; "-": not available */
    int year_set, year_off;            /* year = reference year + offset */
    cia_qkv f[CIA_MAX_BY];             /* filters: dimension → "CODE[,CODE]" */
    int nf;
    cia_qkv key[CIA_Q_MAXKEY];         /* SDMX: column → code */
    int nkey;
} cia_qattrs;

typedef struct cia_qentry {
    char *key;                         /* row or column key (answer ids) */
    char *label[CIA_Q_LANGS];          /* en fr nl (fr/nl may be NULL) */
    cia_qattrs a;
    char *each;                        /* "each DIM": one entry per code in the data */
    char *each_key;                    /* SDMX column given the code, or NULL */
    int line;
} cia_qentry;

typedef struct cia_qaxis {
    char *name;
    cia_qentry *v;
    size_t n;
    int line;
} cia_qaxis;

typedef struct cia_qna { char *row, *col; int line; } cia_qna;

/* "footnote ROW COL \"text\" fr=... nl=... [status=d]": a note on those
 * cells (ROW or COL may be *): under the table, and in SDMX-CSV the
 * cell's comment attribute (English).  status=d: the figure's definition
 * differs from the recipient's (mapped by `sdmx status`). */
typedef struct cia_qfoot {
    char *row, *col;
    char *text[CIA_Q_LANGS];
    char status;                       /* 0 or 'd' */
    int line;
} cia_qfoot;

/* "sdmx codes COLUMN CODE...": the recipient's code list of a column. */
typedef struct cia_qcodes { char *col; cia_strv codes; int line; } cia_qcodes;

/* "sdmx period COLUMN CODE FROM-TO=CODE2 ...": a code that changes with
 * the observation's year (the EU's composition: EU_FOR is EU28_FOR until
 * 2020, EU27_2020_FOR from 2021).  from/to: 0 = open. */
typedef struct cia_qperiod { char *col, *code, *to_code; int from, to, line; } cia_qperiod;

typedef struct cia_qtable {
    char *id;
    char *title[CIA_Q_LANGS], *subtitle[CIA_Q_LANGS];
    cia_qattrs use;                    /* defaults for every cell */
    cia_qaxis rows, cols;
    cia_qna *na;                       /* cells not available: "na ROW COL" */
    size_t nna;
    char *na_reason;
    cia_qfoot *foot;                   /* footnotes on cells */
    size_t nfoot;
    char **notes;                      /* notes * CIA_Q_LANGS */
    size_t nnotes;
    int line;
} cia_qtable;

typedef struct cia_qtext {
    char *id;
    char *title[CIA_Q_LANGS];
    cia_strv sentences;                /* templates, English, see docs/QUESTIONNAIRES.md */
    cia_strv notes;                    /* 3 per note: en, fr, nl ("" when not given) */
    int line;
} cia_qtext;

/* "same A filters = B filters": figures of A are figures of B (for the
 * disclosure control, which must know they add up with B's). */
typedef struct cia_qsame {
    char *from, *to;
    cia_qkv extra[CIA_MAX_BY];
    int nextra;
    int line;
} cia_qsame;

typedef struct cia_qdef {
    char *id, *path;                   /* path: embedded path or file name */
    char *src;                         /* the definition text, as read */
    size_t srclen;
    char sha256[65];
    char *title[CIA_Q_LANGS];
    char *recipient;
    char *lang;                        /* default language */
    int threshold;                     /* disclosure threshold (default 3) */
    cia_strv protect;                  /* units subject to it (default persons) */
    cia_strv notes;                    /* report-level notes (en) */
    /* SDMX-CSV (docs/QUESTIONNAIRES.md) */
    int has_sdmx;
    char *dataflow;                    /* AGENCY:ID(VERSION) */
    int dataflow_line, columns_line;   /* where they are declared (for messages) */
    cia_qkv sdmx[CIA_Q_MAXKEY];        /* dimension columns in order, with default codes */
    int nsdmx;
    cia_qcodes *codes;                 /* code lists of the columns */
    size_t ncodes;
    cia_qperiod *periods;
    size_t nperiods;
    /* attributes: column names (NULL: not sent) and our states → codes:
     * p provisional, u lower bound, n not known (not delivered),
     * x not available (not collected by these sources), d definition
     * differs, in the priority written (one code per observation) */
    char *att_status, *att_conf, *att_comment;
    int status_line, conf_line, comment_line;
    cia_qkv status_map[8];
    int nstatus;
    char *conf_free, *conf_primary, *conf_secondary;
    cia_qsame *same;
    size_t nsame;
    cia_qaxis *axes;
    size_t naxes;
    cia_qtable *tables;
    size_t ntables;
    cia_qtext *texts;
    size_t ntexts;
} cia_qdef;

/* Parse a definition (name: for messages, "file:line: ..." errors,
 * CIA_EDATA).  Checks everything that needs no database: syntax, axes,
 * duplicate keys, SDMX columns, sentence placeholders. */
int cia_qdef_parse(const char *path, const char *text, size_t len, cia_qdef **out, cia_err *e);
/* A compiled-in questionnaire by id ("eurostat"), or a definition file on
 * disk when NAME contains '/' or ends in ".q".  CIA_EUSAGE when unknown,
 * naming the ones there are. */
int cia_qdef_load(const char *name, cia_qdef **out, cia_err *e);
/* The code a cell sends in SDMX column COL for an observation of YEAR:
 * CODE, or what `sdmx period` maps it to that year; NULL when the result
 * is not in the column's code list or no span covers the year. */
const char *cia_qdef_sdmx_code(const cia_qdef *q, const char *col, const char *code, int year);
/* Check the definition's `sdmx` lines against the recipient's SDMX-ML 2.1
 * structure message XML_PATH (dataflow, data structure, code lists): the
 * dataflow is there, every column is a dimension and every dimension a
 * column, every code sent is in its dimension's or attribute's code list.
 * Each disagreement is written to OUT as `definition:line:column: what`;
 * then CIA_EDATA.  CIA_EDATA with the XML's line and column when the file
 * is not well-formed, CIA_ENOINPUT when unreadable.  *nchecked: how many
 * codes and components were compared. */
int cia_qdef_check_structure(const cia_qdef *q, const char *xml_path, FILE *out, size_t *nchecked, cia_err *e);
/* Where WORD stands in the definition's text, for a message that names
 * a place (`file:line:column`): the first line from LINE to LAST (LAST 0:
 * LINE only; < 0: to the end) holding it as a word, *col its column in
 * characters.  Not found: 0, *col the column of LINE's first word. */
int cia_qdef_locate(const cia_qdef *q, int line, int last, const char *word, int *col);
/* CIA_EDATA "file:line:column: message" at WORD on the first of LINES
 * (n of them, zeros skipped) that holds it, else at the first line. */
int cia_qdef_fail(const cia_qdef *q, cia_err *e, const int *lines, size_t n, const char *word,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The compiled-in questionnaire ids, sorted. */
void cia_qdef_list(cia_strv *ids);
void cia_qdef_free(cia_qdef *q);

/* ---- answers ------------------------------------------------------------ */

typedef struct cia_qcell {
    char *id;                          /* "table.row.col" */
    size_t table, row, col;
    char *item;                        /* NULL: not available */
    int year;
    cia_qkv f[CIA_MAX_BY];
    int nf;
    char *filters;                     /* "offence=THB sex=F" (for people) */
    char *key[CIA_Q_MAXKEY];           /* SDMX codes, NULL without SDMX */
    char *unit;
    /* as the query layer gives it */
    int known;
    long long value;
    char flags[6];
    long long n_unknown;               /* flag u: records that left it unknown */
    /* as published: withheld (c) cells lose their value; n_unknown only
     * where it cannot uncover a withheld cell (cia_q_publish) */
    int pub_known;
    long long pub_value;
    char pub_flags[6];
    long long pub_n_unknown;
    int sdc;                           /* enum cia_sdc_status */
    int line;                          /* definition line of the cell's row */
    int col_line, table_line;          /* of its column and table (messages) */
    char *comment;                     /* its footnotes, English (SDMX comment) */
    char defdiff;                      /* 'd' when a footnote says the definition differs */
} cia_qcell;

typedef struct cia_qrtable {           /* a table with its rows resolved */
    const cia_qtable *def;
    char **row_keys, **row_labels;     /* labels in the chosen language */
    size_t nrows;
    char **col_keys, **col_labels;
    size_t ncols;
    size_t *cell;                      /* nrows * ncols: index in cells, or SIZE_MAX */
} cia_qrtable;

typedef struct cia_qanswers {
    const cia_qdef *def;
    int year;
    char *as_of;                       /* the --as-of date, or NULL (current) */
    char *as_of_ts;                    /* the moment the data stood at (timestamptz text) */
    char *as_of_local;                 /* the same, Brussels time, for people */
    char *lang;
    int threshold;
    cia_qrtable *tables;
    size_t ntables;
    cia_qcell *cells;
    size_t ncells, cells_cap;
    cia_strv deliveries;               /* "#12 convictions file.csv (loaded ...)" */
    cia_strv delivery_ids;
    cia_strv definitions;              /* "label: definition" of the items used */
    size_t n_primary, n_secondary;
    int gaps_withheld;                 /* lower bounds whose n_unknown is not published */
    char **drafts;                     /* per text block: the draft, NULL if none */
    long long set_id;                  /* after cia_q_record, else 0 */
    int sdmx_version;                  /* SDMX-CSV 1 (default) or 2 */
} cia_qanswers;

struct cia_qopts {
    int year;
    const char *as_of;                 /* YYYY-MM-DD or NULL */
    int threshold;                     /* < 0: the questionnaire's own */
    const char *lang;                  /* NULL: the questionnaire's own */
    int raw;                           /* no disclosure control here: every cell as
                                          the data say (a release applies one, see
                                          release.h) */
};

/* Resolve every cell, read its figure through cia_query_run, withhold
 * small counts and their complements. */
int cia_q_compute(cia_db *db, const cia_qdef *q, const struct cia_qopts *o,
                  cia_qanswers **out, cia_err *e);
void cia_qanswers_free(cia_qanswers *a);

/* The cells as disclosure-control figures (disclosure.h): every cell's
 * box (the definition's `same` lines applied) added to s, var[i] = its
 * variable (SIZE_MAX: not available).  Then publish the cells as s's
 * statuses say (s NULL: everything shown). */
struct cia_sdc;
int cia_q_boxes(const cia_qanswers *a, struct cia_sdc *s, size_t *var, cia_err *e);
/* The `same` lines applied to a figure of item filtered by dims/codes
 * (*nd of them, room for CIA_SDC_MAXD): the item it is a figure of;
 * dims/codes changed in place, new strings in own[*nown] (caller frees). */
const char *cia_q_same(const cia_qsame *same, size_t nsame, const char *item, const char **dims,
                       const char **codes, int *nd, char **own, int *nown);
void cia_q_publish(cia_qanswers *a, const struct cia_sdc *s, const size_t *var);

/* The finest counts of item in year by dims, restricted by wdims/wcodes,
 * as the figure layer gives them as of as_of (NULL: current data): the
 * `fine` of a disclosure source (disclosure.h), for the questionnaires'
 * own control and for a release over several of them. */
struct cia_sdc_fine;
int cia_q_sdc_fine(cia_db *db, const char *as_of, const char *item, int year, const char *const *dims,
                   int nd, const char *const *wdims, const char *const *wcodes, int nw,
                   struct cia_sdc_fine *out, cia_err *e);

/* The table model of the answers (the draft texts as one-column tables). */
cia_report *cia_q_report(const cia_qanswers *a);
/* SDMX-CSV as the sdmx-twg field guides define it, version 1 (DATAFLOW,
 * ...) or 2 (STRUCTURE,STRUCTURE_ID,ACTION, ...): the dimension columns,
 * TIME_PERIOD, OBS_VALUE, then the definition's attribute columns; CRLF
 * line ends (RFC 4180). */
int cia_q_write_sdmx(FILE *out, const cia_qanswers *a, int version, cia_err *e);
/* Plain text: the draft texts first, then the tables. */
int cia_q_write_text(FILE *out, const cia_qanswers *a, cia_err *e);

/* Render in a format (xlsx, csv, sdmx-csv, text) to path (NULL/"-":
 * stdout, not for xlsx) and record the export: questionnaire, year,
 * as-of, every value and flag, the bytes written, who and when. */
int cia_q_export(cia_db *db, cia_qanswers *a, const char *format, const char *path,
                 cia_err *e);

/* `ciatteh answers`: list, show one, diff with the data now. */
int cia_q_answers_list(cia_db *db, FILE *out, const char *questionnaire, int year,
                       int csv, cia_err *e);
int cia_q_answers_show(cia_db *db, FILE *out, long long id, const char *path, int csv,
                       cia_err *e);
/* Compare submission `from` (0: the last of each questionnaire and year,
 * or of q/year when given) with `to` (0: the figures now, same threshold).
 * *changes: number of changed cells. */
int cia_q_answers_diff(cia_db *db, FILE *out, const char *q, int year, long long from,
                       long long to, int csv, int *changes, cia_err *e);

#endif
