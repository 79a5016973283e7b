/* site.h — the website of a release: static HTML pages, in French, Dutch
 * and English, of the biennial pack (biennial.h), needing no server and
 * no JavaScript.
 *
 *   DIR/index.html               the three languages, each in its own
 *   DIR/style.css                one style sheet (WCAG 2.1 AA contrast)
 *   DIR/LANG/index.html          the period, as-of date, chapters, downloads
 *   DIR/LANG/CHAPTER.html        one page per chapter of the pack
 *                                (trafficking chapters, the smuggling one):
 *                                every table as an HTML table, every chart
 *                                as inline SVG with its figures
 *   DIR/LANG/checks.html         the data-quality rules and findings
 *   DIR/LANG/deliveries.html     the deliveries behind the figures
 *   DIR/LANG/charts/NAME.svg     the charts as files
 *   DIR/LANG/pack/               that language's pack, whole: workbook,
 *                                PDF annex, CSV tables, PNG/PDF charts,
 *                                MANIFEST — the downloads
 *
 * The pages are a renderer of the pack (cia_pack_sink): the same tables
 * and charts as the workbook and the PDF annex, never a second
 * computation, so the site shows exactly the figures the pack publishes.
 * Every text from the data is escaped (cia_buf_add_xml).  The same data
 * and as-of date give the same bytes. */
#ifndef CIATTEH_SITE_H
#define CIATTEH_SITE_H

#include <stddef.h>
#include "ciatteh/biennial.h"
#include "ciatteh/db.h"
#include "ciatteh/util.h"

#define CIA_SITE_LANGS_MAX 3

struct cia_site_opts {
    int year_from, year_to;          /* the period of the pack */
    const char *as_of;               /* YYYY-MM-DD; NULL = today (Brussels) */
    const char *out_dir;             /* replaced whole when complete */
    const char *langs[CIA_SITE_LANGS_MAX];   /* in the order of the switch */
    size_t nlangs;                   /* 0: fr, nl, en */
    const cia_strv *check_settings;
    int incomplete;                  /* as the pack's --incomplete */
    int no_charts;
};

struct cia_site_result {
    char as_of[16];
    size_t npages, ntables, ncharts, nlangs;
};

/* Build the site: one pack per language, all read from one snapshot of
 * the data, and their pages.  Errors as cia_pack_build. */
int cia_site_build(cia_db *db, const struct cia_site_opts *o, struct cia_site_result *res, cia_err *e);

/* ---- the pages (reports/pack/render_html.c) ---------------------------------- */

struct cia_html_site {
    const char *const *langs;        /* every language of the site, switch order */
    size_t nlangs;
    const char *pack_rel;            /* the pack's folder, relative to LANG/ */
    size_t npages, ntables, ncharts; /* counted as they are written */
};

/* The pages of one language into lang_dir (DIR/LANG) from the pack v. */
int cia_html_pages(const struct cia_pack_view *v, const char *lang_dir, struct cia_html_site *s, cia_err *e);
/* DIR/index.html (the language choice) and DIR/style.css. */
int cia_html_front(const char *dir, struct cia_html_site *s, cia_err *e);

#endif
