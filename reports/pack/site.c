/* site.c — owns building the website of a release (site.h): one pack per
 * language inside the site's directory, each handed to the HTML renderer
 * as soon as it is in place (cia_pack_sink), the front page and style
 * sheet, then the whole directory swapped in.
 *
 * All the languages read the same snapshot: the site opens one
 * REPEATABLE READ transaction and every pack runs inside it (a pack opens
 * its own only on an idle connection), so a load committed meanwhile
 * cannot make the French pages differ from the Dutch ones.  What the packs
 * store in it (the releases of their years) is committed when the whole
 * site is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/outdir.h"
#include "ciatteh/query.h"
#include "ciatteh/render.h"
#include "ciatteh/site.h"

struct sink_arg {
    const char *lang_dir;
    struct cia_html_site *site;
    struct cia_site_result *res;
};

static int to_html(const struct cia_pack_view *v, void *arg, cia_err *e)
{
    struct sink_arg *a = arg;
    return cia_html_pages(v, a->lang_dir, a->site, e);
}

int cia_site_build(cia_db *db, const struct cia_site_opts *o, struct cia_site_result *res, cia_err *e)
{
    memset(res, 0, sizeof *res);
    if (!o->out_dir || !*o->out_dir) return cia_fail(e, CIA_EUSAGE, "the site needs an output directory (-o DIR)");
    static const char *const all[CIA_SITE_LANGS_MAX] = {"fr", "nl", "en"};
    const char *const *langs = o->nlangs ? o->langs : all;
    size_t nlangs = o->nlangs ? o->nlangs : CIA_SITE_LANGS_MAX;
    for (size_t i = 0; i < nlangs; i++) {
        if (strcmp(langs[i], "en") && strcmp(langs[i], "fr") && strcmp(langs[i], "nl"))
            return cia_fail(e, CIA_EUSAGE, "--lang: '%s' is not en, fr or nl", langs[i]);
        for (size_t k = 0; k < i; k++)
            if (!strcmp(langs[k], langs[i])) return cia_fail(e, CIA_EUSAGE, "--lang: '%s' twice", langs[i]);
    }
    int rc = cia_check_as_of(o->as_of, e);
    if (rc) return rc;
    char as_of[16];
    if (o->as_of) snprintf(as_of, sizeof as_of, "%s", o->as_of);
    else cia_pack_today(as_of);

    cia_outdir dir;
    if ((rc = cia_outdir_open(&dir, o->out_dir, e))) {
        cia_outdir_free(&dir);
        return rc;
    }
    int own_tx = 0;
    if (PQtransactionStatus(db->conn) == PQTRANS_IDLE) {
        if ((rc = cia_db_begin_snapshot(db, 0, e))) goto fail;
        own_tx = 1;
    }
    struct cia_html_site site;
    memset(&site, 0, sizeof site);
    site.langs = langs;
    site.nlangs = nlangs;
    site.pack_rel = "pack";
    for (size_t i = 0; i < nlangs && !rc; i++) {
        char *lang_dir = cia_xasprintf("%s/%s", dir.tmp, langs[i]);
        char *pack_dir = cia_xasprintf("%s/pack", lang_dir);
        struct sink_arg a = {lang_dir, &site, res};
        struct cia_pack_opts po;
        memset(&po, 0, sizeof po);
        po.year_from = o->year_from;
        po.year_to = o->year_to;
        po.lang = langs[i];
        po.as_of = as_of;
        po.out_dir = pack_dir;
        po.check_settings = o->check_settings;
        po.incomplete = o->incomplete;
        po.no_charts = o->no_charts;
        po.sink = to_html;
        po.sink_arg = &a;
        struct cia_pack_result pr;
        rc = cia_pack_build(db, &po, &pr, e);
        if (rc) cia_err_context(e, "site, %s", langs[i]);
        free(pack_dir);
        free(lang_dir);
    }
    if (!rc) rc = cia_html_front(dir.tmp, &site, e);
    /* A pack stores the releases its figures belong to, and keeps them
     * when its caller's transaction commits: this one, once every
     * language is written (the second language reuses the first's
     * release, so the three show one pattern); on failure they go. */
    if (own_tx) {
        if (!rc) rc = cia_db_commit(db, e);
        else cia_db_rollback(db);
    }
    if (rc) goto fail;
    if ((rc = cia_outdir_commit(&dir, e))) goto fail;
    snprintf(res->as_of, sizeof res->as_of, "%s", as_of);
    res->npages = site.npages;
    res->ntables = site.ntables;
    res->ncharts = site.ncharts;
    res->nlangs = nlangs;
    cia_outdir_free(&dir);
    return CIA_OK;
fail:
    cia_outdir_abort(&dir);
    cia_outdir_free(&dir);
    return rc;
}
