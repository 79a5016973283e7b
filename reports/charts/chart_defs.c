/* chart_defs.c — owns the chart catalogue: reading
 * reports/data/charts/charts.def (compiled in) through the one definition
 * reader, checking it, and finding a chart by name.  Which charts exist,
 * their families, default items and breakdowns are data, like reports,
 * checks and questionnaires; chart_data.c turns one into figures.  The
 * compiled-in catalogue is read once, on first use, by whichever thread
 * comes first (pthread_once). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/chart_data.h"
#include "ciatteh/defread.h"
#include "ciatteh/text.h"
#include "ciatteh/util.h"

#define CHARTS_FILE "reports/data/charts/charts.def"

void cia_chart_defs_free(cia_chart_defs *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->n; i++) {
        struct cia_chart_def *c = &d->v[i];
        free(c->name); free(c->items); free(c->by); free(c->split); free(c->sub);
    }
    free(d->v);
    for (size_t i = 0; i < d->nstack; i++) { free(d->stack_dim[i]); free(d->stack_codes[i]); }
    free(d->stack_dim);
    free(d->stack_codes);
    free(d->names);
    free(d);
}

static int is_list(const char *s)
{
    cia_strv v = {0};
    cia_strv_split(&v, s, ',');
    int ok = v.n > 0;
    for (size_t i = 0; i < v.n && ok; i++) {
        size_t n = strlen(v.v[i]);
        if (n > 1 && v.v[i][n - 1] == '?') v.v[i][n - 1] = '\0';
        ok = cia_is_ident(v.v[i]);
    }
    cia_strv_free(&v);
    return ok;
}

static int parse_family(const char *v, enum cia_chart_family *f)
{
    static const char *const names[] = { "trend", "stack", "codes", "cross" };
    for (int i = 0; i < 4; i++)
        if (!strcmp(v, names[i])) { *f = (enum cia_chart_family)i; return 0; }
    return -1;
}

/* One KEY=VALUE word of a chart line. */
static int chart_key(struct cia_chart_def *c, const cia_defline *l, size_t k, int *has_family, cia_err *e)
{
    char *eq = strchr(l->w[k], '=');
    if (!eq || eq == l->w[k] || !eq[1]) return cia_def_fail(e, CIA_EDATA, l, k, "'%s': expected KEY=VALUE", l->w[k]);
    const char *v = eq + 1;
    size_t kl = (size_t)(eq - l->w[k]);
    char **dst = NULL;
    if (kl == 6 && !strncmp(l->w[k], "family", kl)) {
        if (parse_family(v, &c->fam)) return cia_def_fail(e, CIA_EDATA, l, k, "family=%s: trend, stack, codes or cross", v);
        *has_family = 1;
        return CIA_OK;
    }
    if (kl == 3 && !strncmp(l->w[k], "top", kl)) {
        long long n;
        if (cia_parse_uint(v, &n) || n < 1 || n > 1000) return cia_def_fail(e, CIA_EDATA, l, k, "top=%s: 1 to 1000", v);
        c->top = (int)n;
        return CIA_OK;
    }
    if (kl == 5 && !strncmp(l->w[k], "items", kl)) dst = &c->items;
    else if (kl == 2 && !strncmp(l->w[k], "by", kl)) dst = &c->by;
    else if (kl == 5 && !strncmp(l->w[k], "split", kl)) dst = &c->split;
    else if (kl == 8 && !strncmp(l->w[k], "subtitle", kl)) dst = &c->sub;
    else return cia_def_fail(e, CIA_EDATA, l, k, "unknown key '%.*s' (family, items, by, split, top, subtitle)",
                             (int)kl, l->w[k]);
    if (dst == &c->items ? !is_list(v) || strchr(v, '?') : !cia_is_ident(v))
        return cia_def_fail(e, CIA_EDATA, l, k, "%s: expected %s", l->w[k],
                            dst == &c->items ? "ITEM,ITEM" : dst == &c->sub ? "a word key" : "a dimension code");
    free(*dst);
    *dst = cia_xstrdup(v);
    return CIA_OK;
}

static int chart_line(cia_chart_defs *d, const cia_defline *l, cia_err *e)
{
    if (l->n < 3 || !cia_is_ident(l->w[1]))
        return cia_def_fail(e, CIA_EDATA, l, 1, "expected chart NAME family=FAMILY [KEY=VALUE...]");
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->v[i].name, l->w[1])) return cia_def_fail(e, CIA_EDATA, l, 1, "chart '%s' defined twice", l->w[1]);
    d->v = cia_xrealloc(d->v, (d->n + 1) * sizeof *d->v);
    struct cia_chart_def *c = &d->v[d->n++];
    memset(c, 0, sizeof *c);
    c->name = cia_xstrdup(l->w[1]);
    int has_family = 0;
    for (size_t k = 2; k < l->n; k++) {
        int rc = chart_key(c, l, k, &has_family, e);
        if (rc) return rc;
    }
    if (!has_family) return cia_def_fail(e, CIA_EDATA, l, 1, "chart %s: family= is missing", c->name);
    if (c->fam == CIA_CF_CROSS && (!c->items || !c->by || !c->split))
        return cia_def_fail(e, CIA_EDATA, l, 1, "chart %s: a cross chart needs items=, by= and split=", c->name);
    if (c->fam != CIA_CF_CROSS && c->split)
        return cia_def_fail(e, CIA_EDATA, l, 1, "chart %s: split= belongs to cross charts", c->name);
    return CIA_OK;
}

int cia_chart_defs_parse(const char *file, const char *text, size_t len, cia_chart_defs **out, cia_err *e)
{
    *out = NULL;
    cia_chart_defs *d = cia_xcalloc(1, sizeof *d);
    cia_defreader rd;
    const cia_defline *l;
    int rc;
    cia_def_open(&rd, file, text, len);
    while (!(rc = cia_def_next(&rd, &l, CIA_EDATA, e)) && l) {
        if (!strcmp(l->w[0], "chart")) rc = chart_line(d, l, e);
        else if (!strcmp(l->w[0], "stack")) {
            if (l->n != 3 || !cia_is_ident(l->w[1]) || !is_list(l->w[2]))
                rc = cia_def_fail(e, CIA_EDATA, l, 1, "expected stack DIM CODE,CODE,...");
            else {
                d->stack_dim = cia_xrealloc(d->stack_dim, (d->nstack + 1) * sizeof *d->stack_dim);
                d->stack_codes = cia_xrealloc(d->stack_codes, (d->nstack + 1) * sizeof *d->stack_codes);
                d->stack_dim[d->nstack] = cia_xstrdup(l->w[1]);
                d->stack_codes[d->nstack++] = cia_xstrdup(l->w[2]);
            }
        } else rc = cia_def_fail(e, CIA_EDATA, l, 0, "unknown directive '%s' (chart, stack)", l->w[0]);
        if (rc) break;
    }
    cia_def_close(&rd);
    if (!rc && !d->n) rc = cia_fail_at(e, CIA_EDATA, file, 0, "", "no chart defined");
    if (rc) { cia_chart_defs_free(d); return rc; }
    cia_buf b;
    cia_buf_init(&b);
    for (size_t i = 0; i < d->n; i++) cia_buf_printf(&b, "%s%s", i ? ", " : "", d->v[i].name);
    d->names = cia_buf_steal(&b);
    *out = d;
    return CIA_OK;
}

const struct cia_chart_def *cia_chart_def_find(const cia_chart_defs *d, const char *name)
{
    for (size_t i = 0; d && name && i < d->n; i++)
        if (!strcmp(d->v[i].name, name)) return &d->v[i];
    return NULL;
}

const char *cia_chart_stack_codes(const cia_chart_defs *d, const char *dim)
{
    for (size_t i = 0; d && dim && i < d->nstack; i++)
        if (!strcmp(d->stack_dim[i], dim)) return d->stack_codes[i];
    return NULL;
}

/* ---- the compiled-in catalogue, read once ------------------------------- */

static pthread_once_t cat_once = PTHREAD_ONCE_INIT;
static cia_chart_defs *cat;
static cia_err cat_err;
static int cat_rc;

static void cat_load(void)
{
    size_t len;
    const char *text = cia_embedded(CHARTS_FILE, &len);
    if (!text) cat_rc = cia_fail(&cat_err, CIA_EINTERNAL, "%s is not compiled in", CHARTS_FILE);
    else if ((cat_rc = cia_chart_defs_parse(CHARTS_FILE, text, len, &cat, &cat_err))) cat_rc = CIA_EINTERNAL;
}

int cia_chart_defs_get(const cia_chart_defs **out, cia_err *e)
{
    pthread_once(&cat_once, cat_load);
    *out = cat;
    if (cat_rc && e) *e = cat_err;
    if (e && cat_rc) e->code = cat_rc;
    return cat_rc;
}

const char *cia_chart_names(void)
{
    const cia_chart_defs *d;
    return cia_chart_defs_get(&d, NULL) ? "" : d->names;
}
