/* disclosure.c — owns disclosure control over figures described as boxes
 * of codes: primary suppression (small counts of persons), the cutting of
 * each item and year into atoms, and the hand-over to the integer
 * programs of suppress.c, which choose the complementary cells and run the
 * outsider's attack (see disclosure.h and docs/QUESTIONNAIRES.md,
 * "Disclosure control", for the model and its reasons).
 *
 * Vocabulary: a *group* is one item and year (figures of different items
 * or years never add up to each other); within a group, a figure's *box*
 * gives per dimension a set of codes (NULL = every code). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/disclosure.h"
#include "ciatteh/suppress.h"

/* ---- fine counts ------------------------------------------------------ */

void cia_sdc_fine_add(cia_sdc_fine *f, const char *const *codes, long long value)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->codes = cia_xrealloc(f->codes, f->cap * (size_t)(f->nd ? f->nd : 1) * sizeof *f->codes);
        f->value = cia_xrealloc(f->value, f->cap * sizeof *f->value);
    }
    for (int d = 0; d < f->nd; d++) f->codes[f->n * (size_t)f->nd + (size_t)d] = cia_xstrdup(codes[d]);
    f->value[f->n++] = value;
}

void cia_sdc_fine_free(cia_sdc_fine *f)
{
    for (size_t i = 0; i < f->n * (size_t)f->nd; i++) free(f->codes[i]);
    free(f->codes);
    free(f->value);
    memset(f, 0, sizeof *f);
}

/* ---- variables ---------------------------------------------------------- */

void cia_sdc_init(cia_sdc *s, const cia_sdc_source *src)
{
    memset(s, 0, sizeof *s);
    s->src = src;
    s->width = 3;
    cia_map_init(&s->byspec);
}

void cia_sdc_free(cia_sdc *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].item);
        free(s->v[i].label);
        for (int d = 0; d < s->v[i].nd; d++) {
            free(s->v[i].dim[d]);
            free(s->v[i].codes[d]);
        }
    }
    free(s->v);
    cia_map_free(&s->byspec);
    memset(s, 0, sizeof *s);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, de-duplicated codes joined by ','; NULL when they are every
 * code of a closed list (the filter then selects nothing). */
static char *norm_codes(const cia_sdc *s, const char *dim, const char *codes)
{
    cia_strv v = {0};
    cia_strv_split(&v, codes, ',');
    if (v.n) qsort(v.v, v.n, sizeof *v.v, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < v.n; i++) {
        if (k && !strcmp(v.v[k - 1], v.v[i])) { free(v.v[i]); continue; }
        v.v[k++] = v.v[i];
    }
    v.n = k;
    const cia_strv *all = s->src && s->src->codes ? s->src->codes(s->src->arg, dim) : NULL;
    int full = all && all->n > 0;
    for (size_t i = 0; full && i < all->n; i++)
        if (cia_strv_find(&v, all->v[i]) < 0) full = 0;
    char *out = NULL;
    if (!full && v.n) {
        cia_buf b;
        cia_buf_init(&b);
        for (size_t i = 0; i < v.n; i++) {
            if (i) cia_buf_addc(&b, ',');
            cia_buf_adds(&b, v.v[i]);
        }
        out = cia_buf_steal(&b);
    }
    cia_strv_free(&v);
    return out;
}

int cia_sdc_add(cia_sdc *s, const char *item, int year, int nd, const char *const *dims,
                const char *const *codes, int known, long long value, int sensitive,
                size_t *index, cia_err *e)
{
    if (nd > CIA_SDC_MAXD) return cia_fail(e, CIA_EINTERNAL, "disclosure: too many filters");
    cia_sdc_var v;
    memset(&v, 0, sizeof v);
    /* Sort filters by dimension (insertion sort: at most 8). */
    int order[CIA_SDC_MAXD];
    for (int i = 0; i < nd; i++) {
        int j = i;
        while (j > 0 && strcmp(dims[order[j - 1]], dims[i]) > 0) { order[j] = order[j - 1]; j--; }
        order[j] = i;
    }
    for (int i = 0; i < nd; i++) {
        const char *d = dims[order[i]];
        if (v.nd && !strcmp(v.dim[v.nd - 1], d)) {
            for (int k = 0; k < v.nd; k++) { free(v.dim[k]); free(v.codes[k]); }
            return cia_fail(e, CIA_EINTERNAL, "disclosure: dimension %s filtered twice", d);
        }
        char *c = norm_codes(s, d, codes[order[i]]);
        if (!c) continue;              /* every code: no filter */
        v.dim[v.nd] = cia_xstrdup(d);
        v.codes[v.nd++] = c;
    }
    cia_buf key;
    cia_buf_init(&key);
    cia_buf_printf(&key, "%s|%d", item, year);
    for (int i = 0; i < v.nd; i++) cia_buf_printf(&key, "|%s=%s", v.dim[i], v.codes[i]);
    size_t found = (size_t)(uintptr_t)cia_map_get(&s->byspec, key.data);
    if (found) {
        cia_sdc_var *o = &s->v[found - 1];
        int rc = CIA_OK;
        if (o->known != (known != 0) || (known && o->value != value))
            rc = cia_fail(e, CIA_EINTERNAL, "disclosure: %s given two values", key.data);
        if (sensitive) o->sensitive = 1;
        for (int k = 0; k < v.nd; k++) { free(v.dim[k]); free(v.codes[k]); }
        cia_buf_free(&key);
        if (index) *index = found - 1;
        return rc;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = cia_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    v.item = cia_xstrdup(item);
    v.year = year;
    v.known = known != 0;
    v.value = known ? value : 0;
    v.sensitive = sensitive != 0;
    s->v[s->n++] = v;
    cia_map_put(&s->byspec, key.data, (void *)(uintptr_t)s->n);
    cia_buf_free(&key);
    if (index) *index = s->n - 1;
    return CIA_OK;
}

/* ---- one group: an item and a year ------------------------------------ */

struct group {
    size_t *vi;                      /* variable indexes */
    size_t nv;
    int nd;                          /* dimensions any figure filters */
    const char *dims[CIA_SDC_MAXD];
    const cia_strv *univ[CIA_SDC_MAXD];  /* every code of the dimension, NULL = open list */
    cia_strv **set;                  /* nv * nd: codes, NULL = every code */
    int built;                       /* atoms and columns computed */
    /* classes of codes per dimension */
    size_t ncls[CIA_SDC_MAXD];
    int comp[CIA_SDC_MAXD];          /* class of the codes no figure names, -1 none */
    cia_map cls[CIA_SDC_MAXD];       /* code → class + 1 */
    unsigned char *in[CIA_SDC_MAXD]; /* nv * ncls: figure k holds class c */
    /* columns: atoms not known to be zero, merged when every figure holds
     * them alike (the same column twice changes no span) */
    size_t ncols;
    unsigned char *member;           /* nv * ncols */
    long long *colval;               /* ncols: true value of each column */
    signed char *link;               /* nlinks * ncols: equations between parts */
    size_t nlinks;
};

static void group_free(struct group *g)
{
    for (size_t i = 0; i < g->nv * (size_t)g->nd; i++)
        if (g->set[i]) { cia_strv_free(g->set[i]); free(g->set[i]); }
    free(g->set);
    free(g->vi);
    for (int d = 0; d < g->nd; d++) {
        cia_map_free(&g->cls[d]);
        free(g->in[d]);
    }
    free(g->member);
    free(g->colval);
    free(g->link);
    memset(g, 0, sizeof *g);
}

static const cia_strv *gset(const struct group *g, size_t k, int d)
{
    return g->set[k * (size_t)g->nd + (size_t)d];
}

/* ---- one pass of protection or audit over every group ------------------- */

struct sdc_pass {
    cia_sdc *s;
    struct group *g;
    size_t ng;
    size_t *gof;                     /* variable → group */
    size_t *pos;                     /* variable → position in its group */
    cia_err *e;
};

static cia_sdc_var *gv(struct sdc_pass *r, const struct group *g, size_t k)
{
    return &r->s->v[g->vi[k]];
}

static int build_columns(struct sdc_pass *r, struct group *g)
{
    cia_sdc *s = r->s;
    const cia_sdc_var *v0 = gv(r, g, 0);
    size_t nv = g->nv;
    cia_buf sig;
    cia_buf_init(&sig);
    const char *wdims[CIA_SDC_MAXD], *wcodes[CIA_SDC_MAXD];
    char *wown[CIA_SDC_MAXD];
    int nw = 0;
    size_t natoms = 1;
    for (int d = 0; d < g->nd; d++) {
        cia_map_init(&g->cls[d]);
        /* Named codes and, per code, which figures hold it. */
        cia_strv named = {0};
        int any_all = 0;
        for (size_t k = 0; k < nv; k++) {
            const cia_strv *st = gset(g, k, d);
            if (!st) { any_all = 1; continue; }
            for (size_t i = 0; i < st->n; i++)
                if (cia_strv_find(&named, st->v[i]) < 0) cia_strv_push(&named, st->v[i]);
        }
        cia_map sigs;
        cia_map_init(&sigs);
        size_t ncls = 0;
        for (size_t i = 0; i < named.n; i++) {
            cia_buf_reset(&sig);
            for (size_t k = 0; k < nv; k++) {
                const cia_strv *st = gset(g, k, d);
                cia_buf_addc(&sig, st && cia_strv_find(st, named.v[i]) >= 0 ? '1' : '0');
            }
            size_t c = (size_t)(uintptr_t)cia_map_get(&sigs, sig.data);
            if (!c) {
                c = ++ncls;
                cia_map_put(&sigs, sig.data, (void *)(uintptr_t)c);
            }
            cia_map_put(&g->cls[d], named.v[i], (void *)(uintptr_t)c);
        }
        cia_map_free(&sigs);
        /* The codes no figure names form one more class, needed only when
         * some figure spans every code of the dimension. */
        const cia_strv *all = s->src && s->src->codes ? s->src->codes(s->src->arg, g->dims[d]) : NULL;
        int rest = 0;
        if (any_all) {
            rest = !all;
            for (size_t i = 0; all && i < all->n && !rest; i++)
                if (!cia_map_get(&g->cls[d], all->v[i])) rest = 1;
        }
        g->comp[d] = rest ? (int)ncls++ : -1;
        g->ncls[d] = ncls;
        g->in[d] = cia_xcalloc(nv * (ncls ? ncls : 1), 1);
        for (size_t k = 0; k < nv; k++) {
            const cia_strv *st = gset(g, k, d);
            for (size_t c = 0; c < ncls; c++) {
                int holds = !st;
                for (size_t i = 0; st && i < st->n && !holds; i++)
                    holds = (size_t)(uintptr_t)cia_map_get(&g->cls[d], st->v[i]) == c + 1;
                g->in[d][k * ncls + c] = (unsigned char)holds;
            }
        }
        if (!any_all) {
            /* Every figure names its codes: counts outside them are in no
             * figure, so the fine query may leave them out. */
            cia_buf cb;
            cia_buf_init(&cb);
            for (size_t i = 0; i < named.n; i++) {
                if (i) cia_buf_addc(&cb, ',');
                cia_buf_adds(&cb, named.v[i]);
            }
            wdims[nw] = g->dims[d];
            wown[nw] = cia_buf_steal(&cb);
            wcodes[nw] = wown[nw];
            nw++;
        }
        cia_strv_free(&named);
        if (ncls == 0 || natoms > 2000000 / ncls) {
            cia_buf_free(&sig);
            for (int i = 0; i < nw; i++) free(wown[i]);
            return cia_fail(r->e, CIA_EDATA,
                            "disclosure control: %s %d crosses too many codes to audit "
                            "(split the questionnaire's tables)", v0->item, v0->year);
        }
        natoms *= ncls;
    }
    /* Counts per atom, from the finest counts. */
    long long *aval = cia_xcalloc(natoms, sizeof *aval);
    cia_sdc_fine fine;
    memset(&fine, 0, sizeof fine);
    fine.nd = g->nd;
    int rc = CIA_OK;
    if (!s->src || !s->src->fine)
        rc = cia_fail(r->e, CIA_EINTERNAL, "disclosure: no source of fine counts");
    else
        rc = s->src->fine(s->src->arg, v0->item, v0->year, g->dims, g->nd, wdims, wcodes, nw,
                          &fine, r->e);
    for (int i = 0; i < nw; i++) free(wown[i]);
    for (size_t i = 0; rc == CIA_OK && i < fine.n; i++) {
        size_t a = 0;
        int skip = 0;
        for (int d = 0; d < g->nd && !skip; d++) {
            size_t c = (size_t)(uintptr_t)cia_map_get(&g->cls[d], fine.codes[i * (size_t)g->nd + (size_t)d]);
            if (c) c--;
            else if (g->comp[d] >= 0) c = (size_t)g->comp[d];
            else skip = 1;
            a = a * g->ncls[d] + c;
        }
        if (!skip) aval[a] += fine.value[i];
    }
    cia_sdc_fine_free(&fine);
    if (rc) {
        free(aval);
        cia_buf_free(&sig);
        return rc;
    }
    /* Parts: dimensions no figure filters together are independent given
     * the total (for any non-negative integer tables on each part with
     * the same total there is a non-negative integer joint table: a
     * transport problem), so each part gets atoms of its own and the
     * parts' totals are tied by equations the outsider knows.  The same
     * intervals, with far fewer atoms than the full cross. */
    int part[CIA_SDC_MAXD];
    for (int d = 0; d < g->nd; d++) part[d] = d;
    for (size_t k = 0; k < nv; k++) {
        int first = -1;
        for (int d = 0; d < g->nd; d++) {
            if (!gset(g, k, d)) continue;
            if (first < 0) { first = d; continue; }
            int from = part[d], to = part[first];
            for (int x = 0; x < g->nd; x++)
                if (part[x] == from) part[x] = to;
        }
    }
    int nparts = 0, pid[CIA_SDC_MAXD];
    for (int d = 0; d < g->nd; d++) pid[d] = -1;
    for (int d = 0; d < g->nd; d++) {
        if (pid[part[d]] < 0) pid[part[d]] = nparts++;
        part[d] = pid[part[d]];
    }
    if (!nparts) nparts = 1;
    /* The part of each figure: that of its filters; a total: part 0. */
    int *vpart = cia_xcalloc(nv, sizeof *vpart);
    for (size_t k = 0; k < nv; k++)
        for (int d = 0; d < g->nd; d++)
            if (gset(g, k, d)) vpart[k] = part[d];
    /* Which figures hold each atom of a part; atoms known to be zero drop
     * out; the others become columns, one per part and distinct set of
     * figures holding them (an outsider cannot tell such atoms apart:
     * their sum is one unknown non-negative integer, as each of them is),
     * valued at their sum. */
    cia_map colof;
    cia_map_init(&colof);
    cia_strv cols = {0};
    size_t cap = 64;
    long long *cval = cia_xcalloc(cap, sizeof *cval);
    int *cpart = cia_xcalloc(cap, sizeof *cpart);
    size_t cls[CIA_SDC_MAXD];
    for (int pt = 0; pt < nparts; pt++) {
        /* Project the full atoms onto the part's dimensions. */
        size_t pn = 1;
        for (int d = 0; d < g->nd; d++)
            if (part[d] == pt) pn *= g->ncls[d];
        long long *pval = cia_xcalloc(pn, sizeof *pval);
        for (size_t a = 0; a < natoms; a++) {
            if (!aval[a]) continue;
            size_t x = a, pi = 0, mul = 1;
            for (int d = g->nd - 1; d >= 0; d--) {
                size_t c = x % g->ncls[d];
                x /= g->ncls[d];
                if (part[d] != pt) continue;
                pi += c * mul;
                mul *= g->ncls[d];
            }
            pval[pi] += aval[a];
        }
        for (size_t a = 0; a < pn; a++) {
            size_t x = a;
            int rest = 0;
            for (int d = g->nd - 1; d >= 0; d--) {
                if (part[d] != pt) continue;
                cls[d] = x % g->ncls[d];
                x /= g->ncls[d];
                if ((int)cls[d] == g->comp[d]) rest = 1;
            }
            /* A code no figure names, with no count: nobody can tell it
             * from a published zero, so the reader is assumed to know it
             * is zero. */
            if (rest && pval[a] == 0) continue;
            cia_buf_reset(&sig);
            cia_buf_printf(&sig, "%d:", pt);
            for (size_t k = 0; k < nv; k++) {
                int in = vpart[k] == pt;
                for (int d = 0; d < g->nd && in; d++)
                    if (part[d] == pt) in = g->in[d][k * g->ncls[d] + cls[d]];
                cia_buf_addc(&sig, in ? '1' : '0');
            }
            size_t c = (size_t)(uintptr_t)cia_map_get(&colof, sig.data);
            if (!c) {
                cia_strv_push(&cols, sig.data);
                c = cols.n;
                cia_map_put(&colof, sig.data, (void *)(uintptr_t)c);
                if (c > cap) {
                    cval = cia_xrealloc(cval, 2 * cap * sizeof *cval);
                    cpart = cia_xrealloc(cpart, 2 * cap * sizeof *cpart);
                    memset(cval + cap, 0, cap * sizeof *cval);
                    cap *= 2;
                }
                cpart[c - 1] = pt;
            }
            cval[c - 1] += pval[a];
        }
        free(pval);
    }
    g->ncols = cols.n;
    g->member = cia_xcalloc(nv * (cols.n ? cols.n : 1), 1);
    for (size_t c = 0; c < cols.n; c++) {
        const char *sg = strchr(cols.v[c], ':') + 1;
        for (size_t k = 0; k < nv; k++) g->member[k * cols.n + c] = sg[k] == '1';
    }
    g->colval = cval;
    /* The parts' totals are equal: part p's columns minus part 0's. */
    g->nlinks = (size_t)(nparts - 1);
    g->link = cia_xcalloc((g->nlinks ? g->nlinks : 1) * (cols.n ? cols.n : 1), 1);
    for (size_t l = 0; l < g->nlinks; l++)
        for (size_t c = 0; c < cols.n; c++)
            g->link[l * cols.n + c] = (signed char)(cpart[c] == (int)l + 1 ? 1 : cpart[c] == 0 ? -1 : 0);
    free(cpart);
    free(vpart);
    cia_strv_free(&cols);
    cia_map_free(&colof);
    free(aval);
    cia_buf_free(&sig);
    g->built = 1;
    return CIA_OK;
}


static void pass_free(struct sdc_pass *r)
{
    for (size_t i = 0; i < r->ng; i++) group_free(&r->g[i]);
    free(r->g);
    free(r->gof);
    free(r->pos);
}

/* Groups, their dimensions and each figure's code sets. */
static void make_groups(struct sdc_pass *r)
{
    cia_sdc *s = r->s;
    cia_map idx;
    cia_map_init(&idx);
    r->gof = cia_xcalloc(s->n ? s->n : 1, sizeof *r->gof);
    r->pos = cia_xcalloc(s->n ? s->n : 1, sizeof *r->pos);
    r->g = cia_xcalloc(s->n ? s->n : 1, sizeof *r->g);
    char key[512];
    for (size_t i = 0; i < s->n; i++) {
        snprintf(key, sizeof key, "%s|%d", s->v[i].item, s->v[i].year);
        size_t gi = (size_t)(uintptr_t)cia_map_get(&idx, key);
        if (!gi) {
            gi = ++r->ng;
            cia_map_put(&idx, key, (void *)(uintptr_t)gi);
        }
        struct group *g = &r->g[gi - 1];
        g->vi = cia_xrealloc(g->vi, (g->nv + 1) * sizeof *g->vi);
        r->gof[i] = gi - 1;
        r->pos[i] = g->nv;
        g->vi[g->nv++] = i;
        for (int d = 0; d < s->v[i].nd; d++) {
            int j;
            for (j = 0; j < g->nd; j++)
                if (!strcmp(g->dims[j], s->v[i].dim[d])) break;
            if (j == g->nd && g->nd < CIA_SDC_MAXD) g->dims[g->nd++] = s->v[i].dim[d];
        }
    }
    cia_map_free(&idx);
    for (size_t gi = 0; gi < r->ng; gi++) {
        struct group *g = &r->g[gi];
        for (int d = 0; d < g->nd; d++)
            g->univ[d] = s->src && s->src->codes ? s->src->codes(s->src->arg, g->dims[d]) : NULL;
        g->set = cia_xcalloc(g->nv * (size_t)(g->nd ? g->nd : 1), sizeof *g->set);
        for (size_t k = 0; k < g->nv; k++) {
            const cia_sdc_var *v = &s->v[g->vi[k]];
            for (int d = 0; d < v->nd; d++)
                for (int j = 0; j < g->nd; j++)
                    if (!strcmp(g->dims[j], v->dim[d])) {
                        cia_strv *st = cia_xcalloc(1, sizeof *st);
                        cia_strv_split(st, v->codes[d], ',');
                        g->set[k * (size_t)g->nd + (size_t)j] = st;
                    }
        }
    }
}


/* ---- protection and audit --------------------------------------------- */

void cia_sdc_label(cia_sdc *s, size_t index, const char *label)
{
    if (index < s->n && !s->v[index].label && label) s->v[index].label = cia_xstrdup(label);
}

char *cia_sdc_filters(const cia_sdc *s, size_t i)
{
    const cia_sdc_var *v = &s->v[i];
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, "");
    for (int d = 0; d < v->nd; d++) cia_buf_printf(&b, "%s%s=%s", d ? " " : "", v->dim[d], v->codes[d]);
    return cia_buf_steal(&b);
}

int cia_sdc_item_withheld(const cia_sdc *s, const char *item, int year)
{
    for (size_t k = 0; s && k < s->n; k++)
        if (s->v[k].status != CIA_SDC_SHOWN && s->v[k].year == year && !strcmp(s->v[k].item, item)) return 1;
    return 0;
}

int cia_sdc_find(const cia_sdc *s, const char *item, int year, const char *filters, size_t *index)
{
    cia_buf key;
    cia_buf_init(&key);
    cia_buf_printf(&key, "%s|%d", item, year);
    for (const char *p = filters; *p;) {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);
        cia_buf_addc(&key, '|');
        cia_buf_add(&key, p, n);
        p += n;
        while (*p == ' ') p++;
    }
    size_t found = (size_t)(uintptr_t)cia_map_get(&s->byspec, key.data);
    cia_buf_free(&key);
    if (!found) return -1;
    *index = found - 1;
    return CIA_OK;
}

int cia_sdc_add_stored(cia_sdc *s, const char *item, int year, const char *filters, int known,
                       long long value, size_t *index, cia_err *e)
{
    cia_strv f = {0};
    cia_strv_split(&f, filters, ' ');
    const char *dims[CIA_SDC_MAXD], *codes[CIA_SDC_MAXD];
    int nd = 0;
    for (size_t j = 0; j < f.n && nd < CIA_SDC_MAXD; j++) {
        char *eq = strchr(f.v[j], '=');
        if (!eq) continue;
        *eq = '\0';
        dims[nd] = f.v[j];
        codes[nd++] = eq + 1;
    }
    int rc = cia_sdc_add(s, item, year, nd, dims, codes, known, value, 0, index, e);
    cia_strv_free(&f);
    return rc;
}

char *cia_sdc_describe(const cia_sdc *s, size_t i)
{
    const cia_sdc_var *v = &s->v[i];
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_printf(&b, "%s %d", v->item, v->year);
    for (int d = 0; d < v->nd; d++) cia_buf_printf(&b, " %s=%s", v->dim[d], v->codes[d]);
    if (v->label) cia_buf_printf(&b, " (%s)", v->label);
    return cia_buf_steal(&b);
}

/* The matrix form of one group, for suppress.c. */
struct gsup {
    cia_sup p;
    struct sdc_pass *r;
    struct group *g;
    long long *value, *lo, *hi;
    unsigned char *can_hide, *fixed, *withheld;
    double *cost;
    char *name;
};

static const char *gsup_name(void *arg, size_t k)
{
    struct gsup *x = arg;
    free(x->name);
    x->name = cia_sdc_describe(x->r->s, x->g->vi[k]);
    return x->name;
}

static void gsup_init(struct gsup *x, struct sdc_pass *r, struct group *g)
{
    memset(x, 0, sizeof *x);
    x->r = r;
    x->g = g;
    size_t nv = g->nv ? g->nv : 1;
    x->value = cia_xcalloc(nv, sizeof *x->value);
    x->lo = cia_xcalloc(nv, sizeof *x->lo);
    x->hi = cia_xcalloc(nv, sizeof *x->hi);
    x->can_hide = cia_xcalloc(nv, 1);
    x->fixed = cia_xcalloc(nv, 1);
    x->withheld = cia_xcalloc(nv, 1);
    x->cost = cia_xcalloc(nv, sizeof *x->cost);
    for (size_t k = 0; k < g->nv; k++) {
        const cia_sdc_var *v = gv(r, g, k);
        /* A figure not known is published as such: its known part is 0. */
        x->value[k] = v->known ? v->value : 0;
        x->can_hide[k] = (unsigned char)(v->known != 0);
        x->fixed[k] = (unsigned char)v->fixed;
        x->withheld[k] = v->status != CIA_SDC_SHOWN;
        /* Information lost: one per figure plus its size, so that the
         * programs prefer a few small inner cells to a total. */
        x->cost[k] = 1.0 + (double)x->value[k];
        /* A figure published before and changed since: withheld only
         * when nothing still unpublished can do (keep the pattern). */
        if (v->revised) x->cost[k] += 1e4;
    }
    cia_sup *p = &x->p;
    p->natoms = g->ncols;
    p->atom = g->colval;
    p->ncells = g->nv;
    p->member = g->member;
    p->link = g->link;
    p->nlinks = g->nlinks;
    p->value = x->value;
    p->can_hide = x->can_hide;
    p->fixed = x->fixed;
    p->cost = x->cost;
    p->withheld = x->withheld;
    p->lo = x->lo;
    p->hi = x->hi;
    p->name = gsup_name;
    p->arg = x;
}

/* Back into the variables: new withholdings are secondary; intervals. */
static void gsup_done(struct gsup *x)
{
    cia_sdc *s = x->r->s;
    for (size_t k = 0; k < x->g->nv; k++) {
        cia_sdc_var *v = gv(x->r, x->g, k);
        if (x->withheld[k] && v->status == CIA_SDC_SHOWN) {
            v->status = CIA_SDC_SECONDARY;
            s->n_secondary++;
        }
        v->lo = x->withheld[k] ? x->lo[k] : 0;
        v->hi = x->withheld[k] ? x->hi[k] : 0;
    }
    s->n_ilp += x->p.n_ilp;
    s->n_mip += x->p.n_mip;
    free(x->value);
    free(x->lo);
    free(x->hi);
    free(x->can_hide);
    free(x->fixed);
    free(x->withheld);
    free(x->cost);
    free(x->name);
}

/* Every figure of the group fixed as the earlier releases left it, the
 * published ones with the values they published: the same problem their
 * attack solved (the outsider's knowledge is the published values and
 * the boxes), so their intervals stand.  Fills lo/hi. */
static int settled(struct sdc_pass *r, const struct group *g)
{
    if (!r->s->reuse_fixed) return 0;
    for (size_t k = 0; k < g->nv; k++) {
        const cia_sdc_var *v = gv(r, g, k);
        if (v->fixed == CIA_SUP_FREE) {
            if (v->known || v->status != CIA_SDC_SHOWN) return 0;   /* not known: says nothing */
        } else if (v->fixed == CIA_SUP_KEEP_SHOWN) {
            if (v->status != CIA_SDC_SHOWN || !v->prev || !v->known || v->value != v->prev_value) return 0;
        } else if (v->status == CIA_SDC_SHOWN || !v->prev) {
            return 0;
        }
    }
    for (size_t k = 0; k < g->nv; k++) {
        cia_sdc_var *v = gv(r, g, k);
        v->lo = v->status != CIA_SDC_SHOWN ? v->prev_lo : 0;
        v->hi = v->status != CIA_SDC_SHOWN ? v->prev_hi : 0;
    }
    return 1;
}

static int has_withheld(struct sdc_pass *r, const struct group *g)
{
    for (size_t k = 0; k < g->nv; k++)
        if (gv(r, g, k)->status != CIA_SDC_SHOWN) return 1;
    return 0;
}

/* Run the attack (protect = 0) or the protection (1) on every group that
 * withholds something. */
static int each_group(cia_sdc *s, int protect, cia_err *e)
{
    struct sdc_pass r = {s, NULL, 0, NULL, NULL, e};
    make_groups(&r);
    int rc = CIA_OK;
    s->n_narrow = 0;
    for (size_t gi = 0; gi < r.ng && rc == CIA_OK; gi++) {
        struct group *g = &r.g[gi];
        if (!has_withheld(&r, g)) continue;
        if (settled(&r, g)) {
            for (size_t k = 0; k < g->nv; k++) {
                const cia_sdc_var *v = gv(&r, g, k);
                if (v->status != CIA_SDC_SHOWN && v->hi - v->lo < s->width - 1) s->n_narrow++;
            }
            continue;
        }
        if ((rc = build_columns(&r, g))) break;
        struct gsup x;
        gsup_init(&x, &r, g);
        if (protect) {
            rc = cia_sup_protect(&x.p, s->width, e);
        } else {
            size_t narrow = 0;
            rc = cia_sup_audit(&x.p, s->width, &narrow, e);
            s->n_narrow += narrow;
        }
        gsup_done(&x);
    }
    pass_free(&r);
    return rc;
}

int cia_sdc_protect(cia_sdc *s, int threshold, cia_err *e)
{
    s->n_primary = s->n_secondary = 0;
    s->n_narrow = 0;
    for (size_t i = 0; i < s->n; i++) {
        cia_sdc_var *v = &s->v[i];
        int small = v->sensitive && v->known && v->value >= 1 && v->value <= threshold;
        v->lo = v->hi = 0;
        /* Published before with another value (a correction): the
         * earlier figure stays public, but it is no longer this one's, so
         * the attack treats the current value as unknown if it is
         * withheld now.  A small count now is withheld like any small
         * count; any other changed figure may be withheld as a complement
         * (at a high cost, see gsup_init), which extends the earlier
         * pattern when keeping it would pin a new small count. */
        v->revised = v->fixed == CIA_SUP_KEEP_SHOWN && v->known &&
                     (small || !v->prev || v->value != v->prev_value);
        if (v->revised) v->fixed = CIA_SUP_FREE;
        v->status = small ? CIA_SDC_PRIMARY
                  : v->fixed == CIA_SUP_KEEP_WITHHELD && v->known ? CIA_SDC_SECONDARY
                  : CIA_SDC_SHOWN;
        if (v->status == CIA_SDC_PRIMARY) s->n_primary++;
        if (v->status == CIA_SDC_SECONDARY) s->n_secondary++;
    }
    s->audited = 0;
    if (!s->n_primary && !s->n_secondary) return CIA_OK;
    int rc = each_group(s, 1, e);
    s->audited = rc == CIA_OK && !s->n_narrow;
    return rc;
}

int cia_sdc_audit(cia_sdc *s, cia_err *e)
{
    return each_group(s, 0, e);
}
