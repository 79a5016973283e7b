/* disclosure.c — owns disclosure control: primary and secondary
 * suppression over figures described as boxes of codes, and the exact
 * audit that no withheld figure can be recomputed (see disclosure.h and
 * docs/QUESTIONNAIRES.md for the algorithm and its reasons).
 *
 * Vocabulary: a *group* is one item and year (figures of different items
 * or years never add up to each other); within a group, a figure's *box*
 * gives per dimension a set of codes (NULL = every code).  P is a
 * *parent* of w when their boxes agree except in one dimension d, where
 * w's set is a strict subset of P's: w is then one of P's *children*, and
 * P = sum of a partition of its children when they cover it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/disclosure.h"

/* ---- arithmetic modulo the Mersenne prime 2^61 - 1 -------------------- */

#define P61 ((uint64_t)0x1FFFFFFFFFFFFFFFULL)

static uint64_t mulmod(uint64_t a, uint64_t b)
{
    unsigned __int128 r = (unsigned __int128)a * b;
    uint64_t s = (uint64_t)(r & P61) + (uint64_t)(r >> 61);
    while (s >= P61) s -= P61;
    return s;
}

static uint64_t submod(uint64_t a, uint64_t b)
{
    return a >= b ? a - b : a + P61 - b;
}

static uint64_t invmod(uint64_t a)
{
    uint64_t r = 1, e = P61 - 2;
    while (e) {
        if (e & 1) r = mulmod(r, a);
        a = mulmod(a, a);
        e >>= 1;
    }
    return r;
}

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
    cia_map_init(&s->byspec);
}

void cia_sdc_free(cia_sdc *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].item);
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
    memset(g, 0, sizeof *g);
}

static const cia_strv *gset(const struct group *g, size_t k, int d)
{
    return g->set[k * (size_t)g->nd + (size_t)d];
}

static int set_eq(const cia_strv *a, const cia_strv *b)
{
    if (!a || !b) return a == b;
    if (a->n != b->n) return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i])) return 0;
    return 1;
}

/* a ⊆ b (NULL = every code; a filter never names every code). */
static int set_sub(const cia_strv *a, const cia_strv *b)
{
    if (!b) return 1;
    if (!a) return 0;
    for (size_t i = 0; i < a->n; i++)
        if (cia_strv_find(b, a->v[i]) < 0) return 0;
    return 1;
}

static int set_disjoint(const cia_strv *a, const cia_strv *b)
{
    if (!a || !b) return 0;
    for (size_t i = 0; i < a->n; i++)
        if (cia_strv_find(b, a->v[i]) >= 0) return 0;
    return 1;
}

/* Boxes of k and l agree in every dimension but d. */
static int same_except(const struct group *g, size_t k, size_t l, int d)
{
    for (int i = 0; i < g->nd; i++)
        if (i != d && !set_eq(gset(g, k, i), gset(g, l, i))) return 0;
    return 1;
}

/* c is a child of p in dimension d. */
static int child_of(const struct group *g, size_t c, size_t p, int d)
{
    return c != p && same_except(g, c, p, d) && set_sub(gset(g, c, d), gset(g, p, d)) &&
           !set_eq(gset(g, c, d), gset(g, p, d));
}

static int overlap(const struct group *g, size_t k, size_t l)
{
    for (int d = 0; d < g->nd; d++)
        if (set_disjoint(gset(g, k, d), gset(g, l, d))) return 0;
    return 1;
}

/* ---- the protection run ----------------------------------------------- */

struct run {
    cia_sdc *s;
    struct group *g;
    size_t ng;
    size_t *gof;                     /* variable → group */
    size_t *pos;                     /* variable → position in its group */
    cia_err *e;
};

static cia_sdc_var *gv(struct run *r, const struct group *g, size_t k)
{
    return &r->s->v[g->vi[k]];
}

static int shown(struct run *r, const struct group *g, size_t k)
{
    return gv(r, g, k)->status == CIA_SDC_SHOWN;
}

static int withheld(struct run *r, const struct group *g, size_t k)
{
    return gv(r, g, k)->status != CIA_SDC_SHOWN;
}

/* A published, known, non-zero figure: the only kind worth withholding
 * as a complement (a zero is shown by rule, a figure not known has no
 * value to hide). */
static int candidate(struct run *r, const struct group *g, size_t k)
{
    const cia_sdc_var *v = gv(r, g, k);
    return v->status == CIA_SDC_SHOWN && v->known && v->value > 0;
}

/* Siblings of w under parent p (dimension d): p's children disjoint from
 * w, keeping only the widest (a child inside another sibling is a finer
 * split of it, not another part of the same sum). */
static size_t siblings(const struct group *g, size_t w, size_t p, int d, size_t *out)
{
    size_t n = 0;
    for (size_t c = 0; c < g->nv; c++)
        if (c != w && child_of(g, c, p, d) && set_disjoint(gset(g, c, d), gset(g, w, d)))
            out[n++] = c;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        int inner = 0;
        for (size_t j = 0; j < n && !inner; j++)
            if (i != j && set_sub(gset(g, out[i], d), gset(g, out[j], d)) &&
                !set_eq(gset(g, out[i], d), gset(g, out[j], d)))
                inner = 1;
        if (!inner) out[m++] = out[i];
    }
    return m;
}

static void withhold(struct run *r, struct group *g, size_t k)
{
    gv(r, g, k)->status = CIA_SDC_SECONDARY;
    r->s->n_secondary++;
}

/* Better complement: smaller value, then a part before a total, then the
 * earlier figure (stable, so the same data always gives the same cells). */
static void consider(struct run *r, const struct group *g, size_t k, int rank,
                     long *best, int *best_rank)
{
    if (!candidate(r, g, k)) return;
    long long v = gv(r, g, k)->value;
    if (*best < 0) { *best = (long)k; *best_rank = rank; return; }
    long long bv = gv(r, g, (size_t)*best)->value;
    if (v < bv || (v == bv && (rank < *best_rank || (rank == *best_rank && k < (size_t)*best)))) {
        *best = (long)k;
        *best_rank = rank;
    }
}

/* Do w and its siblings make up all of p (so p - siblings = w)?  Yes when
 * their codes cover p's, or when what they leave out counts zero (the
 * reader is assumed to know it: the rows of an open list such as
 * nationality are every code present). */
static int covered(struct run *r, const struct group *g, size_t p, int d, size_t w,
                   const size_t *sib, size_t ns)
{
    const cia_strv *all = gset(g, p, d) ? gset(g, p, d) : g->univ[d];
    if (all) {
        size_t i;
        for (i = 0; i < all->n; i++) {
            const char *code = all->v[i];
            int in = cia_strv_find(gset(g, w, d), code) >= 0;
            for (size_t k = 0; k < ns && !in; k++) in = cia_strv_find(gset(g, sib[k], d), code) >= 0;
            if (!in) break;
        }
        if (i == all->n) return 1;
    }
    long long rest = gv(r, g, p)->value - gv(r, g, w)->value;
    for (size_t k = 0; k < ns; k++) rest -= gv(r, g, sib[k])->value;
    return rest == 0;
}

/* The classic rule, to a fixed point: a withheld figure must not be the
 * only withheld part of any published total it makes up with published
 * parts.  A fast first pass; the audit below is the proof. */
static void classic(struct run *r, struct group *g, size_t *buf)
{
    int changed = 1;
    while (changed) {
        changed = 0;
        for (size_t w = 0; w < g->nv; w++) {
            if (!withheld(r, g, w)) continue;
            for (int d = 0; d < g->nd; d++)
                for (size_t p = 0; p < g->nv; p++) {
                    if (!shown(r, g, p) || !child_of(g, w, p, d)) continue;
                    size_t ns = siblings(g, w, p, d, buf), i;
                    for (i = 0; i < ns; i++)
                        if (withheld(r, g, buf[i])) break;
                    if (i < ns || !covered(r, g, p, d, w, buf, ns)) continue;
                    long best = -1;
                    int br = 0;
                    for (i = 0; i < ns; i++) consider(r, g, buf[i], 0, &best, &br);
                    if (best < 0) consider(r, g, p, 1, &best, &br);
                    if (best >= 0) {
                        withhold(r, g, (size_t)best);
                        changed = 1;
                    }
                }
        }
    }
}

/* Atoms and columns of a group (once: they depend on values, not on
 * which figures are withheld, since zeros are never withheld). */
static int build_columns(struct run *r, struct group *g)
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
    /* Which figures hold each atom; atoms known to be zero drop out; the
     * others become columns, one per distinct set of figures holding them. */
    cia_map colof;
    cia_map_init(&colof);
    cia_strv cols = {0};
    size_t cls[CIA_SDC_MAXD];
    for (size_t a = 0; a < natoms; a++) {
        size_t x = a;
        int rest = 0;
        for (int d = g->nd - 1; d >= 0; d--) {
            cls[d] = x % g->ncls[d];
            x /= g->ncls[d];
            if ((int)cls[d] == g->comp[d]) rest = 1;
        }
        /* A code no figure names, with no count: nobody can tell it from
         * a published zero, so the reader is assumed to know it is zero. */
        int kz = rest && aval[a] == 0, any = 0;
        cia_buf_reset(&sig);
        for (size_t k = 0; k < nv && !kz; k++) {
            int in = 1;
            for (int d = 0; d < g->nd && in; d++) in = g->in[d][k * g->ncls[d] + cls[d]];
            /* Inside a published zero, or a figure with no known value:
             * each of its atoms is zero, since counts are not negative. */
            const cia_sdc_var *v = gv(r, g, k);
            if (in && v->status == CIA_SDC_SHOWN && (!v->known || v->value == 0)) kz = 1;
            cia_buf_addc(&sig, in ? '1' : '0');
            any |= in;
        }
        if (kz || !any || cia_map_get(&colof, sig.data)) continue;
        cia_strv_push(&cols, sig.data);
        cia_map_put(&colof, sig.data, (void *)(uintptr_t)cols.n);
    }
    g->ncols = cols.n;
    g->member = cia_xcalloc(nv * (cols.n ? cols.n : 1), 1);
    for (size_t c = 0; c < cols.n; c++)
        for (size_t k = 0; k < nv; k++) g->member[k * cols.n + c] = cols.v[c][k] == '1';
    cia_strv_free(&cols);
    cia_map_free(&colof);
    free(aval);
    cia_buf_free(&sig);
    g->built = 1;
    return CIA_OK;
}

/* Row-echelon basis of the published figures' columns, over GF(p). */
struct basis {
    size_t ncols, n;
    uint64_t *rows;                  /* n * ncols */
    size_t *piv;
};

static void reduce(const struct basis *b, uint64_t *vec)
{
    for (size_t j = 0; j < b->n; j++) {
        uint64_t c = vec[b->piv[j]];
        if (!c) continue;
        const uint64_t *row = b->rows + j * b->ncols;
        for (size_t i = 0; i < b->ncols; i++)
            if (row[i]) vec[i] = submod(vec[i], mulmod(c, row[i]));
    }
}

static void basis_build(struct run *r, const struct group *g, struct basis *b)
{
    b->ncols = g->ncols;
    b->n = 0;
    b->rows = cia_xcalloc(g->nv * (g->ncols ? g->ncols : 1), sizeof *b->rows);
    b->piv = cia_xcalloc(g->nv ? g->nv : 1, sizeof *b->piv);
    for (size_t k = 0; k < g->nv; k++) {
        if (!shown(r, g, k)) continue;
        uint64_t *row = b->rows + b->n * g->ncols;
        int any = 0;
        for (size_t i = 0; i < g->ncols; i++) {
            row[i] = g->member[k * g->ncols + i];
            any |= row[i] != 0;
        }
        if (!any) continue;
        reduce(b, row);
        size_t p = 0;
        while (p < g->ncols && !row[p]) p++;
        if (p == g->ncols) {
            memset(row, 0, g->ncols * sizeof *row);
            continue;
        }
        uint64_t inv = invmod(row[p]);
        for (size_t i = p; i < g->ncols; i++)
            if (row[i]) row[i] = mulmod(row[i], inv);
        b->piv[b->n++] = p;
    }
}

static void basis_free(struct basis *b)
{
    free(b->rows);
    free(b->piv);
    memset(b, 0, sizeof *b);
}

/* Is the sum of the figures ks[0..n) determined by the basis? */
static int determined(const struct group *g, const struct basis *b, const size_t *ks, size_t n)
{
    if (!g->ncols) return 1;
    uint64_t *vec = cia_xcalloc(g->ncols, sizeof *vec);
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < g->ncols; i++) vec[i] += g->member[ks[j] * g->ncols + i];
    reduce(b, vec);
    int zero = 1;
    for (size_t i = 0; i < g->ncols && zero; i++) zero = vec[i] == 0;
    free(vec);
    return zero;
}

/* Complement for a withheld figure that the audit found recomputable:
 * the smallest published part of a total it belongs to, else such a
 * total, else any published figure overlapping it. */
static long complement_for(struct run *r, const struct group *g, size_t w, size_t *buf)
{
    long best = -1;
    int br = 0;
    for (int d = 0; d < g->nd; d++)
        for (size_t p = 0; p < g->nv; p++) {
            if (!shown(r, g, p) || !child_of(g, w, p, d)) continue;
            size_t ns = siblings(g, w, p, d, buf);
            for (size_t i = 0; i < ns; i++) consider(r, g, buf[i], 0, &best, &br);
            consider(r, g, p, 1, &best, &br);
        }
    if (best < 0)
        for (size_t k = 0; k < g->nv; k++)
            if (k != w && overlap(g, k, w)) consider(r, g, k, 2, &best, &br);
    return best;
}

static long long value_sum(struct run *r, const struct group *g, const size_t *ks, size_t n)
{
    long long t = 0;
    for (size_t i = 0; i < n; i++) t += gv(r, g, ks[i])->value;
    return t;
}

/* One audit round on a group: returns how many figures it withheld. */
static int audit_round(struct run *r, struct group *g, size_t *buf, size_t *nfixed)
{
    *nfixed = 0;
    struct basis b;
    basis_build(r, g, &b);
    unsigned char *touched = cia_xcalloc(g->nv, 1);   /* near a complement of this round */
    size_t *set = cia_xcalloc(g->nv, sizeof *set);
    /* 1. A withheld figure equal to a combination of published ones. */
    for (size_t w = 0; w < g->nv; w++) {
        if (!withheld(r, g, w) || touched[w] || !determined(g, &b, &w, 1)) continue;
        long c = complement_for(r, g, w, buf);
        if (c < 0) {
            free(touched);
            free(set);
            basis_free(&b);
            return cia_fail(r->e, CIA_EINTERNAL, "disclosure: no complement for %s %d",
                            gv(r, g, w)->item, gv(r, g, w)->year);
        }
        withhold(r, g, (size_t)c);
        (*nfixed)++;
        for (size_t k = 0; k < g->nv; k++)
            if (overlap(g, k, (size_t)c)) touched[k] = 1;
    }
    /* 2. Withheld parts of a published total whose sum is known and equal
     * to their number: each of them is 1 (zeros are shown, so a withheld
     * count is at least 1).  All the disjoint withheld parts, and pairs. */
    for (size_t p = 0; p < g->nv; p++) {
        if (!shown(r, g, p) || touched[p]) continue;
        for (int d = 0; d < g->nd; d++) {
            size_t n = 0;
            for (size_t c = 0; c < g->nv; c++) {
                if (!withheld(r, g, c) || !child_of(g, c, p, d)) continue;
                size_t i;
                for (i = 0; i < n; i++)
                    if (!set_disjoint(gset(g, c, d), gset(g, set[i], d))) break;
                if (i == n) set[n++] = c;
            }
            if (n < 2) continue;
            int bad = value_sum(r, g, set, n) == (long long)n && determined(g, &b, set, n);
            for (size_t i = 0; i < n && !bad; i++)
                for (size_t j = i + 1; j < n && !bad; j++) {
                    size_t two[2] = {set[i], set[j]};
                    bad = value_sum(r, g, two, 2) == 2 && determined(g, &b, two, 2);
                }
            if (!bad) continue;
            long best = -1;
            int br = 0;
            for (size_t c = 0; c < g->nv; c++) {
                if (!child_of(g, c, p, d)) continue;
                size_t i;
                for (i = 0; i < n; i++)
                    if (!set_disjoint(gset(g, c, d), gset(g, set[i], d))) break;
                if (i == n) consider(r, g, c, 0, &best, &br);
            }
            if (best < 0) consider(r, g, p, 1, &best, &br);
            if (best < 0) continue;
            withhold(r, g, (size_t)best);
            (*nfixed)++;
            for (size_t k = 0; k < g->nv; k++)
                if (overlap(g, k, p)) touched[k] = 1;
            break;
        }
    }
    free(touched);
    free(set);
    basis_free(&b);
    return CIA_OK;
}

static void run_free(struct run *r)
{
    for (size_t i = 0; i < r->ng; i++) group_free(&r->g[i]);
    free(r->g);
    free(r->gof);
    free(r->pos);
}

/* Groups, their dimensions and each figure's code sets. */
static void make_groups(struct run *r)
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

int cia_sdc_protect(cia_sdc *s, int threshold, cia_err *e)
{
    s->n_primary = s->n_secondary = 0;
    s->rounds = 0;
    for (size_t i = 0; i < s->n; i++) {
        cia_sdc_var *v = &s->v[i];
        v->status = v->sensitive && v->known && v->value >= 1 && v->value <= threshold
                    ? CIA_SDC_PRIMARY : CIA_SDC_SHOWN;
        if (v->status) s->n_primary++;
    }
    if (!s->n_primary) return CIA_OK;
    struct run r = {s, NULL, 0, NULL, NULL, e};
    make_groups(&r);
    int rc = CIA_OK;
    size_t *buf = cia_xcalloc(s->n, sizeof *buf);
    for (size_t gi = 0; gi < r.ng && rc == CIA_OK; gi++) {
        struct group *g = &r.g[gi];
        size_t k;
        for (k = 0; k < g->nv; k++)
            if (withheld(&r, g, k)) break;
        if (k == g->nv) continue;          /* nothing withheld in this group */
        for (;;) {
            classic(&r, g, buf);
            if (!g->built && (rc = build_columns(&r, g))) break;
            size_t fixed;
            s->rounds++;
            if ((rc = audit_round(&r, g, buf, &fixed)) || !fixed) break;
        }
    }
    free(buf);
    run_free(&r);
    return rc;
}

int cia_sdc_determined(cia_sdc *s, size_t i, int *det, cia_err *e)
{
    if (i >= s->n) return cia_fail(e, CIA_EINTERNAL, "disclosure: no variable %zu", i);
    struct run r = {s, NULL, 0, NULL, NULL, e};
    make_groups(&r);
    struct group *g = &r.g[r.gof[i]];
    int rc = build_columns(&r, g);
    if (rc == CIA_OK) {
        struct basis b;
        basis_build(&r, g, &b);
        size_t k = r.pos[i];
        *det = determined(g, &b, &k, 1);
        basis_free(&b);
    }
    run_free(&r);
    return rc;
}
