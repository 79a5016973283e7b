/* pdf.h — the A4 PDF annex of the pack (reports/pack/pdf.c): a document
 * described as blocks in reading order (headings, tables from the
 * cia_table model, charts drawn as vectors or PNG pictures, text), laid
 * out with a title page, contents and numbered pages, and tagged for
 * screen readers (reports/pack/pdf_tags.c).  biennial.c describes the
 * annex; nothing here knows what a pack holds. */
#ifndef CIATTEH_PDF_H
#define CIATTEH_PDF_H

#include <stddef.h>
#include "ciatteh/chart.h"
#include "ciatteh/err.h"
#include "ciatteh/table.h"
#include "ciatteh/util.h"

enum cia_pdf_kind { CIA_PDF_HEADING = 0, CIA_PDF_TABLE, CIA_PDF_IMAGE, CIA_PDF_TEXT };

/* One block of the annex, in reading order.  Headings open a new page and
 * go into the contents; tables and images are numbered ("Table 3",
 * "Figure 2") and listed in the contents too. */
struct cia_pdf_block {
    enum cia_pdf_kind kind;
    const char *title;               /* heading text, or caption of a table/image
                                        (NULL: the table's own title) */
    const cia_table *table;          /* CIA_PDF_TABLE */
    const char *image_png;           /* CIA_PDF_IMAGE: a PNG file, unless chart is set */
    const cia_chart_spec *chart;     /* CIA_PDF_IMAGE: a chart drawn in the page as vectors */
    const cia_table *chart_table;    /*   (cia_chart_draw) from this table, not from a PNG */
    const char *const *lines;        /* CIA_PDF_TEXT: paragraphs; also notes
                                        under a table or an image */
    size_t nlines;
};

struct cia_pdf_doc {
    const char *lang;
    const char *title, *subtitle;    /* title page */
    const char *const *cover_lines;  /* more lines on the title page */
    size_t ncover;
    const char *footer;              /* left of the page number on every page */
    const char *create_date;         /* "YYYY-MM-DD": the PDF's creation date */
    const char *watermark;           /* NULL, or a line at the top of every page,
                                        the title page included ("not for
                                        publication") */
    const struct cia_pdf_block *blocks;
    size_t nblocks;
};

/* What cairo cannot write into a tagged PDF (reports/pack/pdf_tags.c): pdf
 * (len bytes, cairo's file) rewritten into out with /Lang lang, a
 * Document root element, alts[i] as the /Alt of the i-th Figure in
 * reading order (CIA_EINTERNAL when the count differs) and the scope of
 * every TH (Column in a table's first row, Row after it). */
int cia_pdf_tags_finish(const void *pdf, size_t len, const char *lang, const char *const *alts, size_t nalts,
                        cia_buf *out, cia_err *e);

/* Write the annex to path (atomically).  *pages gets the page count. */
int cia_pdf_annex(const char *path, const struct cia_pdf_doc *doc, size_t *pages, cia_err *e);

#endif
