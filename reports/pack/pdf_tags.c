/* pdf_tags.c — owns what a tagged PDF needs and cairo 1.16 cannot write:
 * the document language (/Lang), one Document element at the root of the
 * structure tree, the alternative text of each Figure (/Alt) and the scope
 * of each table header cell (/Scope Column in a table's first row, Row
 * beside it).  The annex (pdf.c) draws with cairo's structure tags; this
 * rewrites the result with libqpdf, streams untouched and a deterministic
 * /ID, so the same annex is still the same bytes. */
#include <qpdf/qpdf-c.h>
#include <string.h>
#include "ciatteh/pdf.h"
#include "ciatteh/render.h"
#include "ciatteh/util.h"

struct walk {
    qpdf_data q;
    const char *const *alts;
    size_t nalts, nfig;
};

static int is_elem(qpdf_data q, qpdf_oh o)
{
    return qpdf_oh_is_dictionary(q, o) && qpdf_oh_has_key(q, o, "/S");
}

static int kind_is(qpdf_data q, qpdf_oh o, const char *s)
{
    return qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, o, "/S"), s);
}

/* The kids of an element, as handles: /K is an array, one kid, or absent. */
static int nkids(qpdf_data q, qpdf_oh o)
{
    qpdf_oh k = qpdf_oh_get_key(q, o, "/K");
    return qpdf_oh_is_array(q, k) ? qpdf_oh_get_array_n_items(q, k) : qpdf_oh_is_null(q, k) ? 0 : 1;
}

static qpdf_oh kid(qpdf_data q, qpdf_oh o, int i)
{
    qpdf_oh k = qpdf_oh_get_key(q, o, "/K");
    return qpdf_oh_is_array(q, k) ? qpdf_oh_get_array_item(q, k, i) : k;
}

/* Depth first, which is drawing order: the n-th Figure gets alts[n].
 * scope: how the TH cells under this node read (0: not in a table). */
static void walk(struct walk *w, qpdf_oh node, const char *scope)
{
    qpdf_data q = w->q;
    if (kind_is(q, node, "/Figure")) {
        if (w->nfig < w->nalts && w->alts[w->nfig])
            qpdf_oh_replace_key(q, node, "/Alt", qpdf_oh_new_unicode_string(q, w->alts[w->nfig]));
        w->nfig++;
    }
    if (scope && kind_is(q, node, "/TH"))
        qpdf_oh_replace_key(q, node, "/A", qpdf_oh_parse(q, scope));
    int table = kind_is(q, node, "/Table"), rows = 0;
    int n = nkids(q, node);
    for (int i = 0; i < n; i++) {
        qpdf_oh k = kid(q, node, i);
        if (!is_elem(q, k)) continue;
        const char *sc = scope;
        if (table && kind_is(q, k, "/TR"))
            sc = rows++ == 0 ? "<< /O /Table /Scope /Column >>" : "<< /O /Table /Scope /Row >>";
        walk(w, k, sc);
    }
}

int cia_pdf_tags_finish(const void *pdf, size_t len, const char *lang, const char *const *alts, size_t nalts,
                        cia_buf *out, cia_err *e)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    int rc = CIA_OK;
    if (qpdf_read_memory(q, "annex", pdf, len, NULL) & QPDF_ERRORS) {
        rc = cia_fail(e, CIA_EINTERNAL, "tagging the PDF: %s", qpdf_get_error_full_text(q, qpdf_get_error(q)));
        goto out;
    }
    qpdf_oh root = qpdf_get_root(q);
    qpdf_oh_replace_key(q, root, "/Lang", qpdf_oh_new_unicode_string(q, lang ? lang : "en"));
    /* Readers show the title, not the file name, in the window bar. */
    qpdf_oh_replace_key(q, root, "/ViewerPreferences", qpdf_oh_parse(q, "<< /DisplayDocTitle true >>"));
    qpdf_oh_replace_key(q, root, "/MarkInfo", qpdf_oh_parse(q, "<< /Marked true >>"));
    qpdf_oh tree = qpdf_oh_get_key(q, root, "/StructTreeRoot");
    if (!qpdf_oh_is_dictionary(q, tree)) {
        rc = cia_fail(e, CIA_EINTERNAL, "tagging the PDF: cairo wrote no structure tree");
        goto out;
    }
    /* cairo cannot open a tag that spans the whole document (1.16 fails an
     * assertion), so the Document element is made here over its kids. */
    qpdf_oh kids = qpdf_oh_get_key(q, tree, "/K");
    if (!qpdf_oh_is_array(q, kids)) kids = qpdf_oh_wrap_in_array(q, kids);
    qpdf_oh doc = qpdf_make_indirect_object(q, qpdf_oh_parse(q, "<< /Type /StructElem /S /Document >>"));
    qpdf_oh_replace_key(q, doc, "/P", tree);
    qpdf_oh_replace_key(q, doc, "/K", kids);
    for (int i = 0, n = qpdf_oh_get_array_n_items(q, kids); i < n; i++) {
        qpdf_oh k = qpdf_oh_get_array_item(q, kids, i);
        if (qpdf_oh_is_dictionary(q, k)) qpdf_oh_replace_key(q, k, "/P", doc);
    }
    qpdf_oh_replace_key(q, tree, "/K", doc);
    struct walk w = { .q = q, .alts = alts, .nalts = nalts };
    walk(&w, doc, NULL);
    if (w.nfig != nalts) {
        rc = cia_fail(e, CIA_EINTERNAL, "tagging the PDF: %zu figures drawn, %zu tagged", nalts, w.nfig);
        goto out;
    }
    if (qpdf_init_write_memory(q) & QPDF_ERRORS) {
        rc = cia_fail(e, CIA_EINTERNAL, "tagging the PDF: %s", qpdf_get_error_full_text(q, qpdf_get_error(q)));
        goto out;
    }
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    qpdf_set_decode_level(q, qpdf_dl_none);   /* cairo's streams as they are */
    if (qpdf_write(q) & QPDF_ERRORS) {
        rc = cia_fail(e, CIA_EINTERNAL, "tagging the PDF: %s", qpdf_get_error_full_text(q, qpdf_get_error(q)));
        goto out;
    }
    cia_buf_add(out, qpdf_get_buffer(q), qpdf_get_buffer_length(q));
out:
    qpdf_cleanup(&q);
    return rc;
}
