/* catalogue.h — the item catalogue as the figure layer reads it: items,
 * dimensions, code lists and services, with their labels (and items'
 * definitions) in the three languages, loaded by one statement per table
 * in one shape.  Reports, charts and questionnaires all read it here;
 * none loads the catalogue tables itself (tests/hygiene checks). */
#ifndef CIATTEH_CATALOGUE_H
#define CIATTEH_CATALOGUE_H

#include <stddef.h>
#include "ciatteh/db.h"
#include "ciatteh/map.h"
#include "ciatteh/util.h"

#define CIA_CAT_LANGS 3            /* en, fr, nl: cia_cat_lang() */

typedef struct cia_cat_item {
    char *code, *service, *unit, *provisional;
    char *dims;                    /* "form,sex" as declared */
    char *label[CIA_CAT_LANGS], *def[CIA_CAT_LANGS];
} cia_cat_item;

typedef struct cia_cat_dim {
    char *code, *list;
    char *label[CIA_CAT_LANGS];
} cia_cat_dim;

typedef struct cia_cat_code {
    char *list, *code;
    char *label[CIA_CAT_LANGS];
    int sort;
} cia_cat_code;

typedef struct cia_cat_service {
    char *code;
    char *label[CIA_CAT_LANGS];
} cia_cat_service;

typedef struct cia_catalogue {
    cia_cat_item *items; size_t nitems;        /* in catalogue order (item.sort) */
    cia_cat_dim *dims; size_t ndims;           /* dimension.sort */
    cia_cat_code *codes; size_t ncodes;        /* by list, then code.sort */
    cia_cat_service *svcs; size_t nsvcs;       /* service.sort */
    cia_map by_item, by_dim, by_code, by_svc;  /* lookups (values: the entries) */
    cia_map by_list;                           /* list → cia_strv * of its codes, in order */
    char *item_list;                           /* "police.facts, ...": for messages */
} cia_catalogue;

int cia_catalogue_load(cia_db *db, cia_catalogue **out, cia_err *e);
void cia_catalogue_free(cia_catalogue *cat);

/* 0 en, 1 fr, 2 nl (anything else: English). */
int cia_cat_lang(const char *lang);

/* NULL when unknown. */
const cia_cat_item *cia_cat_item_get(const cia_catalogue *cat, const char *code);
const cia_cat_dim *cia_cat_dim_get(const cia_catalogue *cat, const char *code);
const cia_cat_code *cia_cat_code_get(const cia_catalogue *cat, const char *list, const char *code);
const cia_cat_service *cia_cat_svc_get(const cia_catalogue *cat, const char *code);

/* The codes of a dimension's list, in the list's order; NULL when the
 * dimension is unknown or its list empty (nationality: any country). */
const cia_strv *cia_cat_dim_codes(const cia_catalogue *cat, const char *dim);

/* Whether the item declares the dimension. */
int cia_cat_item_has_dim(const cia_cat_item *it, const char *dim);

/* CIA_EUSAGE "unknown item 'X'; items: ..." */
int cia_cat_unknown_item(const cia_catalogue *cat, const char *code, cia_err *e);

#endif
