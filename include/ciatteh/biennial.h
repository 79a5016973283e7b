/* biennial.h — the statistical annex of the biennial government report:
 * one directory holding everything a reader or a reviewer needs, built
 * from the same table models as every other output.
 *
 *   DIR/annex-PERIOD-LANG.xlsx   every table of every report (one sheet
 *                                each), the check results, definitions
 *   DIR/annex-PERIOD-LANG.pdf    the A4 annex (reports/pack/pdf.c): title page,
 *                                contents, each table and chart with its
 *                                notes and definitions, the checks, the
 *                                deliveries used; page numbers
 *   DIR/tables/NN-ID.csv         each table as CSV (programs, diffs)
 *   DIR/charts/NN-ID.png|.pdf    every chart
 *   DIR/checks.csv, checks.json  the data-quality findings (check.h)
 *   DIR/MANIFEST                 program version, period, language, as-of
 *                                date, the deliveries used, then each file
 *                                with its SHA-256 (`sha256sum -c MANIFEST`)
 *
 * The same data and as-of date give the same files byte for byte: every
 * figure is read "as of" the end of that day, and every date written into
 * a file (PDF creation date, workbook properties) is that day, never the
 * clock.  The directory is built beside its final place and renamed into
 * it when complete, so a crash never leaves half a pack. */
#ifndef CIATTEH_BIENNIAL_H
#define CIATTEH_BIENNIAL_H

#include <stddef.h>
#include "ciatteh/chart.h"
#include "ciatteh/db.h"
#include "ciatteh/table.h"
#include "ciatteh/util.h"

struct cia_pack_view;
/* A renderer handed what the pack built once it is in place (the website,
 * site.h): the same tables and charts as the workbook and the annex, so
 * it shows exactly their figures.  Its failure is the pack's. */
typedef int (*cia_pack_sink)(const struct cia_pack_view *v, void *arg, cia_err *e);

struct cia_pack_opts {
    int year_from, year_to;          /* the period, e.g. 2020-2021 */
    const char *lang;                /* en, fr, nl */
    const char *as_of;               /* YYYY-MM-DD; NULL = today (Europe/Brussels) */
    const char *out_dir;             /* the pack directory (replaced when it exists) */
    const cia_strv *check_settings;  /* thresholds for the checks (check.h) */
    int no_charts;                   /* leave charts out (tests, no fonts) */
    int incomplete;                  /* build a period not every service has
                                        delivered (else refused): provisional
                                        on every page and sheet */
    int internal;                    /* no disclosure control: exact figures,
                                        "INTERNAL - NOT FOR PUBLICATION" on
                                        every page, sheet, chart and CSV */
    const char *offence;             /* THB: the trafficking chapters; SMUG: the
                                        smuggling chapter (its reports and
                                        charts); both (NULL): the trafficking
                                        chapters, then the smuggling chapter, as
                                        the national rapporteur's reports are
                                        laid out.  Never the two added together;
                                        the checks count the same offences */
    cia_pack_sink sink;              /* NULL, or called with the finished pack */
    void *sink_arg;
};

struct cia_pack_result {
    char as_of[16];                  /* the as-of date used */
    size_t nfiles;                   /* files listed in MANIFEST */
    size_t ntables, ncharts, npages;
    size_t check_errors, check_warnings;
    size_t nreleases;                /* releases the pack belongs to (one per year shown) */
    size_t nwithheld;                /* cells withheld for confidentiality */
};

/* ---- what the pack built, for another renderer ----------------------- */

/* One table of a chapter, with the chart drawn from it if any. */
struct cia_pack_figure {
    const cia_table *table;
    const cia_chart_spec *chart;     /* NULL: a table only */
    const char *chart_name;          /* "trend", "sentences-bands"... */
};

/* A chapter: one report of the pack (its tables, then its charts' tables)
 * or, last, the charts that belong to no report. */
struct cia_pack_chapter {
    const char *id;                  /* "yoy", "smug_sentences"; "charts" */
    const char *offence;             /* "THB", "SMUG"; NULL for the charts' own chapter */
    const char *title;
    const struct cia_pack_figure *figures;
    size_t nfigures;
    const char *const *definitions;  /* "label: definition" */
    size_t ndefs;
};

struct cia_pack_view {
    const char *lang, *as_of;
    const char *dir;                 /* the pack's directory, in place */
    const char *title;               /* "Biennial report 2023–2024" (and PROVISIONAL) */
    int year_from, year_to, provisional;
    int internal;                    /* pack --internal: exact figures, every page
                                        must say "not for publication" (the
                                        word pack_internal); else the tables
                                        carry the releases' pattern (flag c) */
    const struct cia_pack_chapter *chapters;
    size_t nchapters;
    const cia_table *rules, *checks, *deliveries;
    size_t check_errors, check_warnings;
    const char *const *files;        /* relative to dir, sorted; MANIFEST not included */
    size_t nfiles;
    const char *const *skipped;      /* charts left out: "name: why" */
    size_t nskipped;
};

/* Build the pack.  CIA_EUSAGE for a bad period or language, CIA_ECANTCREAT
 * when the directory cannot be written, database errors as usual. */
int cia_pack_build(cia_db *db, const struct cia_pack_opts *o, struct cia_pack_result *res, cia_err *e);

/* period = auto: the latest two consecutive years that every service has
 * delivered at the as-of moment (NULL: now).  CIA_EUSAGE when none. */
int cia_pack_auto_period(cia_db *db, const char *as_of, int *from, int *to, cia_err *e);

/* "2020-2021" → years; the period must be 1 to 10 years.  0 on success. */
int cia_pack_parse_period(const char *s, int *from, int *to);
/* Today's date in Brussels, "YYYY-MM-DD". */
void cia_pack_today(char out[16]);

#endif
