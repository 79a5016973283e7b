/* test_release_prop.c — the property behind releases, on many random small
 * data sets (skewed, most cells under 3): after cia_sdc_protect, an
 * outsider holding every published figure of every table together cannot
 * narrow any withheld figure to fewer than three values.
 *
 * The outsider here is written independently of the code under test
 * (disclosure.c's atoms, parts and merged columns; suppress.c's models):
 * one integer column per cell of the FULL cross of every code of every
 * dimension, one equation per published figure, and GLPK minimising and
 * maximising each withheld figure.  Its intervals must also equal the
 * ones the built-in audit reports (both are exact). */
#include <glpk.h>
#include <stdlib.h>
#include "unit.h"
#include "ciatteh/disclosure.h"

#define ND 4
static const char *const DIMS[ND] = {"sex", "age_group", "form", "nationality"};
static const char *const CODES[ND][8] = {
    {"F", "M", "UNK"},
    {"MINOR", "ADULT", "UNK"},
    {"SEX", "LAB", "BEG", "CRIM", "ORG", "OTH", "UNK"},
    {"BE", "RO", "NG", "CN", "MA", "UNK"},   /* open list in the model: only codes present */
};
#define NCELLS (3 * 3 * 7 * 6)

struct data {
    long long n[NCELLS];      /* count per full cell */
    cia_strv lists[3];
};

static int cell_index(const int *c)
{
    return ((c[0] * 3 + c[1]) * 7 + c[2]) * 6 + c[3];
}

static void cell_codes(int i, int *c)
{
    c[3] = i % 6; i /= 6;
    c[2] = i % 7; i /= 7;
    c[1] = i % 3; i /= 3;
    c[0] = i;
}

static const cia_strv *codes_cb(void *arg, const char *dim)
{
    struct data *x = arg;
    for (int d = 0; d < 3; d++)
        if (!strcmp(dim, DIMS[d])) return &x->lists[d];
    return NULL;
}

static int dim_of(const char *dim)
{
    for (int d = 0; d < ND; d++)
        if (!strcmp(dim, DIMS[d])) return d;
    return -1;
}

static int fine_cb(void *arg, const char *item, int year, const char *const *dims, int nd,
                   const char *const *wdims, const char *const *wcodes, int nw,
                   cia_sdc_fine *out, cia_err *e)
{
    struct data *x = arg;
    out->nd = nd;
    for (int i = 0; i < NCELLS; i++) {
        if (!x->n[i]) continue;
        int c[ND];
        cell_codes(i, c);
        int keep = 1;
        for (int w = 0; w < nw && keep; w++) {
            cia_strv cs = {0};
            cia_strv_split(&cs, wcodes[w], ',');
            int d = dim_of(wdims[w]);
            keep = cia_strv_find(&cs, CODES[d][c[d]]) >= 0;
            cia_strv_free(&cs);
        }
        if (!keep) continue;
        const char *cc[CIA_SDC_MAXD];
        for (int k = 0; k < nd; k++) cc[k] = CODES[dim_of(dims[k])][c[dim_of(dims[k])]];
        cia_sdc_fine_add(out, cc, x->n[i]);
    }
    return CIA_OK;
}

/* ---- random data: most cells empty, the rest skewed small ---------------- */

static unsigned long long rng;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static void make_data(struct data *x, unsigned seed)
{
    memset(x, 0, sizeof *x);
    rng = 0x9E3779B97F4A7C15ULL ^ ((unsigned long long)seed * 0x100000001B3ULL);
    for (int k = 0; k < 8; k++) rnd(2);
    int persons = 5 + (int)rnd(60);
    for (int p = 0; p < persons; p++) {
        /* skewed: women, adults, sexual exploitation, Nigerians more often */
        int c[ND];
        c[0] = rnd(10) < 6 ? 0 : rnd(10) < 8 ? 1 : 2;
        c[1] = rnd(10) < 7 ? 1 : rnd(2) ? 0 : 2;
        c[2] = rnd(10) < 5 ? 0 : rnd(10) < 6 ? 1 : (int)rnd(7);
        c[3] = rnd(10) < 4 ? 2 : (int)rnd(6);
        x->n[cell_index(c)] += 1;
    }
}

/* ---- the published tables ------------------------------------------------ */

struct fig { int nd; int dim[2]; const char *codes[2]; };

static long long fig_value(const struct data *x, const struct fig *f)
{
    long long t = 0;
    for (int i = 0; i < NCELLS; i++) {
        if (!x->n[i]) continue;
        int c[ND];
        cell_codes(i, c);
        int in = 1;
        for (int k = 0; k < f->nd && in; k++) {
            cia_strv cs = {0};
            cia_strv_split(&cs, f->codes[k], ',');
            in = cia_strv_find(&cs, CODES[f->dim[k]][c[f->dim[k]]]) >= 0;
            cia_strv_free(&cs);
        }
        if (in) t += x->n[i];
    }
    return t;
}

/* Like Eurostat (sex × age, sex × grouped form) and GRETA (every form,
 * each nationality present) at once; every figure with its margins. */
static size_t make_figs(const struct data *x, struct fig *out)
{
    static const char *const FORMS4[] = {"SEX", "LAB", "BEG,CRIM,ORG,OTH", "UNK"};
    size_t n = 0;
    for (int s = 0; s <= 3; s++) {
        for (int a = 0; a <= 3; a++) {
            struct fig f = {0, {0, 0}, {NULL, NULL}};
            if (s < 3) { f.dim[f.nd] = 0; f.codes[f.nd++] = CODES[0][s]; }
            if (a < 3) { f.dim[f.nd] = 1; f.codes[f.nd++] = CODES[1][a]; }
            out[n++] = f;
        }
        for (int k = 0; k < 4; k++) {
            struct fig f = {0, {0, 0}, {NULL, NULL}};
            if (s < 3) { f.dim[f.nd] = 0; f.codes[f.nd++] = CODES[0][s]; }
            f.dim[f.nd] = 2;
            f.codes[f.nd++] = FORMS4[k];
            out[n++] = f;
        }
    }
    for (int k = 0; k < 7; k++) out[n++] = (struct fig){1, {2, 0}, {CODES[2][k], NULL}};
    for (int k = 0; k < 6; k++) {
        struct fig f = {1, {3, 0}, {CODES[3][k], NULL}};
        if (fig_value(x, &f)) out[n++] = f;
    }
    return n;
}

/* ---- the independent outsider ---------------------------------------------- */

static int holds(const struct fig *f, int cell)
{
    int c[ND];
    cell_codes(cell, c);
    for (int k = 0; k < f->nd; k++) {
        cia_strv cs = {0};
        cia_strv_split(&cs, f->codes[k], ',');
        int in = cia_strv_find(&cs, CODES[f->dim[k]][c[f->dim[k]]]) >= 0;
        cia_strv_free(&cs);
        if (!in) return 0;
    }
    return 1;
}

/* The outsider's model: integer cells >= 0, one equation per published
 * figure (pub[k]); a nationality absent from the rows is known to be 0
 * (the rows list every nationality present). */
static glp_prob *outsider_model(const struct data *x, const struct fig *figs, size_t nf, const int *pub)
{
    glp_term_out(GLP_OFF);
    glp_prob *p = glp_create_prob();
    glp_add_cols(p, NCELLS);
    for (int i = 0; i < NCELLS; i++) {
        glp_set_col_kind(p, i + 1, GLP_IV);
        int c[ND];
        cell_codes(i, c);
        int listed = 0;
        for (size_t k = 0; k < nf && !listed; k++)
            listed = figs[k].nd == 1 && figs[k].dim[0] == 3 && !strcmp(figs[k].codes[0], CODES[3][c[3]]);
        if (listed) glp_set_col_bnds(p, i + 1, GLP_LO, 0, 0);
        else glp_set_col_bnds(p, i + 1, GLP_FX, 0, 0);
    }
    int ind[NCELLS + 1];
    double val[NCELLS + 1];
    for (size_t k = 0; k < nf; k++) {
        if (!pub[k]) continue;
        int n = 0;
        for (int i = 0; i < NCELLS; i++)
            if (holds(&figs[k], i)) { ind[++n] = i + 1; val[n] = 1; }
        int r = glp_add_rows(p, 1);
        glp_set_mat_row(p, r, n, ind, val);
        long long v = fig_value(x, &figs[k]);
        glp_set_row_bnds(p, r, GLP_FX, (double)v, (double)v);
    }
    return p;
}

/* min and max of figure w over the outsider's model. */
static void outsider(glp_prob *p, const struct fig *w, long long *lo, long long *hi)
{
    for (int i = 0; i < NCELLS; i++) glp_set_obj_coef(p, i + 1, holds(w, i));
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_ON;
    parm.msg_lev = GLP_MSG_OFF;
    glp_set_obj_dir(p, GLP_MIN);
    CHECK_INT(glp_intopt(p, &parm), 0);
    *lo = (long long)(glp_mip_obj_val(p) + 0.5);
    glp_set_obj_dir(p, GLP_MAX);
    int rc = glp_intopt(p, &parm);
    *hi = rc == GLP_ENODFS ? CIA_SUP_UNBOUNDED : (long long)(glp_mip_obj_val(p) + 0.5);
    if (rc != GLP_ENODFS) CHECK_INT(rc, 0);
}

/* ---- the property ------------------------------------------------------------ */

static int one(unsigned seed, size_t *withheld, size_t *primary)
{
    struct data x;
    make_data(&x, seed);
    cia_strv_split(&x.lists[0], "F,M,UNK", ',');
    cia_strv_split(&x.lists[1], "MINOR,ADULT,UNK", ',');
    cia_strv_split(&x.lists[2], "SEX,LAB,BEG,CRIM,ORG,OTH,UNK", ',');
    cia_sdc_source src = {&x, codes_cb, fine_cb};
    cia_sdc s;
    cia_sdc_init(&s, &src);
    struct fig figs[128];
    size_t nf = make_figs(&x, figs), var[128];
    cia_err e;
    int bad = 0;
    for (size_t k = 0; k < nf; k++) {
        const char *dims[2] = {DIMS[figs[k].dim[0]], DIMS[figs[k].dim[1]]};
        CHECK_INT(cia_sdc_add(&s, "shelter.victims_admitted", 2021, figs[k].nd, dims, figs[k].codes, 1,
                              fig_value(&x, &figs[k]), 1, &var[k], &e), 0);
    }
    int rc = cia_sdc_protect(&s, 3, &e);
    if (rc) fprintf(stderr, "  seed %u: %s\n", seed, e.msg);
    CHECK_INT(rc, 0);
    int pub[128];
    for (size_t k = 0; k < nf; k++) pub[k] = s.v[var[k]].status == CIA_SDC_SHOWN;
    glp_prob *model = outsider_model(&x, figs, nf, pub);
    for (size_t k = 0; k < nf && !rc; k++) {
        const cia_sdc_var *v = &s.v[var[k]];
        long long val = fig_value(&x, &figs[k]);
        if (v->sensitive && val >= 1 && val <= 3) CHECK(!pub[k]);      /* small: withheld */
        if (pub[k]) continue;
        (*withheld)++;
        *primary += v->status == CIA_SDC_PRIMARY;
        long long lo, hi;
        outsider(model, &figs[k], &lo, &hi);
        if (hi - lo < 2 || lo != v->lo || hi != v->hi) {
            fprintf(stderr, "  seed %u: figure %zu (value %lld): outsider %lld..%lld, audit %lld..%lld\n",
                    seed, k, val, lo, hi, v->lo, v->hi);
            bad = 1;
        }
        CHECK(hi - lo >= 2);
        CHECK_INT(lo, v->lo);
        CHECK_INT(hi, v->hi);
    }
    glp_delete_prob(model);
    glp_free_env();
    cia_sdc_free(&s);
    for (int d = 0; d < 3; d++) cia_strv_free(&x.lists[d]);
    return bad;
}

static void random_sets(void)
{
    int n = getenv("PROP_SETS") ? atoi(getenv("PROP_SETS")) : 60;
    size_t withheld = 0, primary = 0;
    int bad = 0;
    for (int seed = 1; seed <= n; seed++) bad += one((unsigned)seed, &withheld, &primary);
    fprintf(stderr, "  %d random data sets: %zu withheld figures (%zu small counts), %d narrowed\n", n,
            withheld, primary, bad);
    CHECK(primary > (size_t)n);         /* the data sets really have small counts */
    CHECK_INT(bad, 0);
}

UNIT_MAIN(T(random_sets))
