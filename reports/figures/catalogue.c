/* catalogue.c — the figure layer's one loader of the item catalogue
 * (catalogue.h): item, dimension, code and service rows, all three
 * languages at once, so that a report, a chart and a questionnaire built
 * in one run read the same catalogue in the same shape. */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/catalogue.h"
#include "ciatteh/util.h"

int cia_cat_lang(const char *lang)
{
    return lang && !strcmp(lang, "fr") ? 1 : lang && !strcmp(lang, "nl") ? 2 : 0;
}

static char *col(PGresult *r, int row, int c)
{
    return cia_xstrdup(PQgetvalue(r, row, c));
}

static void labels(PGresult *r, int row, int first, char **out)
{
    for (int l = 0; l < CIA_CAT_LANGS; l++) out[l] = col(r, row, first + l);
}

static char *code_key(const char *list, const char *code)
{
    return cia_xasprintf("%s\x1f%s", list, code);
}

int cia_catalogue_load(cia_db *db, cia_catalogue **out, cia_err *e)
{
    *out = NULL;
    cia_catalogue *cat = cia_xcalloc(1, sizeof *cat);
    cia_map_init(&cat->by_item);
    cia_map_init(&cat->by_dim);
    cia_map_init(&cat->by_code);
    cia_map_init(&cat->by_svc);
    cia_map_init(&cat->by_list);
    PGresult *r;
    int rc = cia_db_query(db, e, &r,
        "SELECT code, service, unit, provisional, dims, label_en, label_fr, label_nl, "
        "       def_en, def_fr, def_nl FROM item ORDER BY sort, code", 0, NULL);
    if (rc) goto fail;
    cat->nitems = (size_t)PQntuples(r);
    cat->items = cia_xcalloc(cat->nitems + 1, sizeof *cat->items);
    cia_buf list;
    cia_buf_init(&list);
    cia_buf_adds(&list, "");
    for (size_t i = 0; i < cat->nitems; i++) {
        cia_cat_item *it = &cat->items[i];
        int t = (int)i;
        it->code = col(r, t, 0);
        it->service = col(r, t, 1);
        it->unit = col(r, t, 2);
        it->provisional = col(r, t, 3);
        it->dims = col(r, t, 4);
        labels(r, t, 5, it->label);
        labels(r, t, 8, it->def);
        cia_map_put(&cat->by_item, it->code, it);
        cia_buf_printf(&list, "%s%s", i ? ", " : "", it->code);
    }
    cat->item_list = cia_buf_steal(&list);
    PQclear(r);
    if ((rc = cia_db_query(db, e, &r,
            "SELECT code, list, label_en, label_fr, label_nl FROM dimension ORDER BY sort, code", 0, NULL)))
        goto fail;
    cat->ndims = (size_t)PQntuples(r);
    cat->dims = cia_xcalloc(cat->ndims + 1, sizeof *cat->dims);
    for (size_t i = 0; i < cat->ndims; i++) {
        cia_cat_dim *d = &cat->dims[i];
        d->code = col(r, (int)i, 0);
        d->list = col(r, (int)i, 1);
        labels(r, (int)i, 2, d->label);
        cia_map_put(&cat->by_dim, d->code, d);
    }
    PQclear(r);
    if ((rc = cia_db_query(db, e, &r,
            "SELECT list, code, label_en, label_fr, label_nl, sort FROM code ORDER BY list, sort, code", 0, NULL)))
        goto fail;
    cat->ncodes = (size_t)PQntuples(r);
    cat->codes = cia_xcalloc(cat->ncodes + 1, sizeof *cat->codes);
    for (size_t i = 0; i < cat->ncodes; i++) {
        cia_cat_code *k = &cat->codes[i];
        k->list = col(r, (int)i, 0);
        k->code = col(r, (int)i, 1);
        labels(r, (int)i, 2, k->label);
        k->sort = atoi(PQgetvalue(r, (int)i, 5));
        char *key = code_key(k->list, k->code);
        cia_map_put(&cat->by_code, key, k);
        free(key);
        cia_strv *v = cia_map_get(&cat->by_list, k->list);
        if (!v) {
            v = cia_xcalloc(1, sizeof *v);
            cia_map_put(&cat->by_list, k->list, v);
        }
        cia_strv_push(v, k->code);
    }
    PQclear(r);
    if ((rc = cia_db_query(db, e, &r,
            "SELECT code, label_en, label_fr, label_nl FROM service ORDER BY sort, code", 0, NULL)))
        goto fail;
    cat->nsvcs = (size_t)PQntuples(r);
    cat->svcs = cia_xcalloc(cat->nsvcs + 1, sizeof *cat->svcs);
    for (size_t i = 0; i < cat->nsvcs; i++) {
        cia_cat_service *s = &cat->svcs[i];
        s->code = col(r, (int)i, 0);
        labels(r, (int)i, 1, s->label);
        cia_map_put(&cat->by_svc, s->code, s);
    }
    PQclear(r);
    *out = cat;
    return CIA_OK;
fail:
    cia_catalogue_free(cat);
    return rc;
}

static void free_labels(char **l)
{
    for (int k = 0; k < CIA_CAT_LANGS; k++) free(l[k]);
}

void cia_catalogue_free(cia_catalogue *cat)
{
    if (!cat) return;
    for (size_t i = 0; i < cat->nitems; i++) {
        cia_cat_item *it = &cat->items[i];
        free(it->code); free(it->service); free(it->unit); free(it->provisional); free(it->dims);
        free_labels(it->label);
        free_labels(it->def);
    }
    for (size_t i = 0; i < cat->ndims; i++) {
        free(cat->dims[i].code); free(cat->dims[i].list);
        free_labels(cat->dims[i].label);
    }
    for (size_t i = 0; i < cat->ncodes; i++) {
        free(cat->codes[i].list); free(cat->codes[i].code);
        free_labels(cat->codes[i].label);
    }
    for (size_t i = 0; i < cat->nsvcs; i++) {
        free(cat->svcs[i].code);
        free_labels(cat->svcs[i].label);
    }
    free(cat->items); free(cat->dims); free(cat->codes); free(cat->svcs);
    cia_map_free(&cat->by_item);
    cia_map_free(&cat->by_dim);
    cia_map_free(&cat->by_code);
    cia_map_free(&cat->by_svc);
    for (size_t i = 0; i < cat->by_list.cap; i++)
        if (cat->by_list.keys[i]) { cia_strv_free(cat->by_list.vals[i]); free(cat->by_list.vals[i]); }
    cia_map_free(&cat->by_list);
    free(cat->item_list);
    free(cat);
}

const cia_cat_item *cia_cat_item_get(const cia_catalogue *cat, const char *code)
{
    return code ? cia_map_get(&cat->by_item, code) : NULL;
}

const cia_cat_dim *cia_cat_dim_get(const cia_catalogue *cat, const char *code)
{
    return code ? cia_map_get(&cat->by_dim, code) : NULL;
}

const cia_cat_code *cia_cat_code_get(const cia_catalogue *cat, const char *list, const char *code)
{
    if (!list || !code) return NULL;
    char *key = code_key(list, code);
    const cia_cat_code *k = cia_map_get(&cat->by_code, key);
    free(key);
    return k;
}

const cia_cat_service *cia_cat_svc_get(const cia_catalogue *cat, const char *code)
{
    return code ? cia_map_get(&cat->by_svc, code) : NULL;
}

const cia_strv *cia_cat_dim_codes(const cia_catalogue *cat, const char *dim)
{
    const cia_cat_dim *d = cia_cat_dim_get(cat, dim);
    return d ? cia_map_get(&cat->by_list, d->list) : NULL;
}

int cia_cat_item_has_dim(const cia_cat_item *it, const char *dim)
{
    size_t n = strlen(dim);
    for (const char *p = it->dims; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && !strncmp(p, dim, n)) return 1;
        p = end ? end + 1 : p + len;
    }
    return 0;
}

int cia_cat_unknown_item(const cia_catalogue *cat, const char *code, cia_err *e)
{
    return cia_fail(e, CIA_EUSAGE, "unknown item '%s'; items: %s", code, cat->item_list);
}
