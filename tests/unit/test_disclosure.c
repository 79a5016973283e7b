/* test_disclosure.c — primary and secondary suppression (reports/release/disclosure.c
 * over the GLPK programs of suppress.c) on hand-made tables: small counts
 * withheld, every withheld figure's interval under the integer attack
 * holding at least three values across rows, columns and tables, the
 * "all ones" bound, open code lists (nationality), figures fixed by an
 * earlier release, and stable choices. */
#include "unit.h"
#include "ciatteh/disclosure.h"

/* ---- a fake source: records (sex, age, form, nat) with counts ------- */

struct rec { const char *sex, *age, *form, *nat; long long n; };

static const char *const DIMS[] = {"sex", "age_group", "form", "nationality"};

struct data { const struct rec *r; size_t n; cia_strv lists[3]; };

static const char *field(const struct rec *r, const char *dim)
{
    if (!strcmp(dim, "sex")) return r->sex;
    if (!strcmp(dim, "age_group")) return r->age;
    if (!strcmp(dim, "form")) return r->form;
    return r->nat;
}

static const cia_strv *codes(void *arg, const char *dim)
{
    struct data *d = arg;
    for (int i = 0; i < 3; i++)
        if (!strcmp(dim, DIMS[i])) return &d->lists[i];
    return NULL;   /* nationality: open */
}

static int fine(void *arg, const char *item, int year, const char *const *dims, int nd,
                const char *const *wdims, const char *const *wcodes, int nw,
                cia_sdc_fine *out, cia_err *e)
{
    struct data *d = arg;
    out->nd = nd;
    for (size_t i = 0; i < d->n; i++) {
        int keep = 1;
        for (int w = 0; w < nw && keep; w++) {
            cia_strv cs = {0};
            cia_strv_split(&cs, wcodes[w], ',');
            keep = cia_strv_find(&cs, field(&d->r[i], wdims[w])) >= 0;
            cia_strv_free(&cs);
        }
        if (!keep) continue;
        const char *c[CIA_SDC_MAXD];
        for (int k = 0; k < nd; k++) c[k] = field(&d->r[i], dims[k]);
        cia_sdc_fine_add(out, c, d->r[i].n);
    }
    return CIA_OK;
}

static void data_init(struct data *d, const struct rec *r, size_t n)
{
    memset(d, 0, sizeof *d);
    d->r = r;
    d->n = n;
    cia_strv_split(&d->lists[0], "F,M,UNK", ',');
    cia_strv_split(&d->lists[1], "MINOR,ADULT,UNK", ',');
    cia_strv_split(&d->lists[2], "SEX,LAB,BEG,CRIM,ORG,OTH,UNK", ',');
}

static void data_free(struct data *d)
{
    for (int i = 0; i < 3; i++) cia_strv_free(&d->lists[i]);
}

static long long total(const struct data *d, const char *const *dims, const char *const *codes_, int nd)
{
    long long t = 0;
    for (size_t i = 0; i < d->n; i++) {
        int keep = 1;
        for (int k = 0; k < nd && keep; k++) {
            cia_strv cs = {0};
            cia_strv_split(&cs, codes_[k], ',');
            keep = cia_strv_find(&cs, field(&d->r[i], dims[k])) >= 0;
            cia_strv_free(&cs);
        }
        if (keep) t += d->r[i].n;
    }
    return t;
}

/* Add the figure for the given filters (its true value from the data). */
static size_t fig(cia_sdc *s, struct data *d, const char *a, const char *av, const char *b, const char *bv)
{
    const char *dims[2], *cs[2];
    int nd = 0;
    if (a) { dims[nd] = a; cs[nd++] = av; }
    if (b) { dims[nd] = b; cs[nd++] = bv; }
    cia_err e;
    size_t i = 0;
    int rc = cia_sdc_add(s, "shelter.victims_admitted", 2021, nd, dims, cs, 1,
                         total(d, dims, cs, nd), 1, &i, &e);
    CHECK_INT(rc, 0);
    return i;
}

/* A cross table rows × cols with both margins; idx[r][c], last = total. */
static void cross(cia_sdc *s, struct data *d, const char *rd, const char *const *rv, int nr,
                  const char *cd, const char *const *cv, int nc, size_t idx[8][8])
{
    for (int i = 0; i <= nr; i++)
        for (int j = 0; j <= nc; j++)
            idx[i][j] = fig(s, d, i < nr ? rd : NULL, i < nr ? rv[i] : NULL,
                            j < nc ? cd : NULL, j < nc ? cv[j] : NULL);
}

/* The attack (cia_sdc_audit) finds every withheld figure's interval at
 * least three values wide, around its true value. */
static void check_protected(cia_sdc *s)
{
    cia_err e;
    CHECK_INT(cia_sdc_audit(s, &e), 0);
    CHECK_INT(s->n_narrow, 0);
    for (size_t i = 0; i < s->n; i++) {
        const cia_sdc_var *v = &s->v[i];
        if (v->status == CIA_SDC_SHOWN) continue;
        if (v->hi - v->lo < 2)
            fprintf(stderr, "  variable %zu (value %lld) is within %lld..%lld\n", i, v->value, v->lo, v->hi);
        CHECK(v->hi - v->lo >= 2);
        CHECK(v->lo <= v->value && v->value <= v->hi);
    }
}

/* Withhold exactly the listed variables and attack: is variable i pinned
 * to fewer than three values? */
static int narrow_when(cia_sdc *s, size_t i)
{
    cia_err e;
    CHECK_INT(cia_sdc_audit(s, &e), 0);
    return s->v[i].hi - s->v[i].lo < 2;
}

static const struct rec VICTIMS[] = {
    {"F", "MINOR", "SEX", "NG", 2}, {"F", "ADULT", "SEX", "NG", 9}, {"F", "ADULT", "SEX", "RO", 7},
    {"F", "ADULT", "LAB", "RO", 4}, {"F", "UNK", "SEX", "TH", 5},   {"M", "MINOR", "BEG", "RO", 6},
    {"M", "ADULT", "LAB", "MA", 12}, {"M", "ADULT", "LAB", "IN", 8}, {"M", "ADULT", "CRIM", "VN", 5},
    {"M", "UNK", "LAB", "CN", 4},   {"UNK", "ADULT", "LAB", "UNK", 6}, {"UNK", "UNK", "SEX", "UNK", 5},
};
#define NV (sizeof VICTIMS / sizeof VICTIMS[0])

static const char *const SEXES[] = {"F", "M", "UNK"};
static const char *const AGES[] = {"MINOR", "ADULT", "UNK"};

/* One table: the small cell is withheld, and something else in its row
 * and in its column, and the result is not recomputable. */
static void one_table(void)
{
    struct data d;
    data_init(&d, VICTIMS, NV);
    cia_sdc_source src = {&d, codes, fine};
    cia_sdc s;
    cia_sdc_init(&s, &src);
    size_t idx[8][8];
    cross(&s, &d, "sex", SEXES, 3, "age_group", AGES, 3, idx);
    CHECK_INT(s.n, 16);
    /* Before protection, withholding only the small cell is useless: */
    s.v[idx[0][0]].status = CIA_SDC_PRIMARY;
    CHECK_INT(narrow_when(&s, idx[0][0]), 1);
    CHECK_INT(s.v[idx[0][0]].lo, 2);
    CHECK_INT(s.v[idx[0][0]].hi, 2);
    s.v[idx[0][0]].status = CIA_SDC_SHOWN;
    cia_err e;

    CHECK_INT(cia_sdc_protect(&s, 3, &e), 0);
    CHECK_INT(s.v[idx[0][0]].status, CIA_SDC_PRIMARY);      /* F minors: 2 */
    CHECK_INT(s.n_primary, 1);
    CHECK(s.n_secondary >= 3);                               /* a rectangle at least */
    int in_row = 0, in_col = 0;
    for (int j = 1; j < 3; j++) in_row += s.v[idx[0][j]].status != CIA_SDC_SHOWN;
    for (int i = 1; i < 3; i++) in_col += s.v[idx[i][0]].status != CIA_SDC_SHOWN;
    CHECK(in_row >= 1);
    CHECK(in_col >= 1);
    CHECK_INT(s.v[idx[3][3]].status, CIA_SDC_SHOWN);         /* the grand total stays */
    check_protected(&s);
    /* Counts of records left unknown beside these figures would uncover
     * a withheld one's: the item and year withhold something, others not. */
    CHECK_INT(cia_sdc_item_withheld(&s, "shelter.victims_admitted", 2021), 1);
    CHECK_INT(cia_sdc_item_withheld(&s, "shelter.victims_admitted", 2020), 0);
    CHECK_INT(cia_sdc_item_withheld(&s, "shelter.referrals", 2021), 0);
    CHECK_INT(cia_sdc_item_withheld(NULL, "shelter.victims_admitted", 2021), 0);
    cia_sdc_free(&s);
    data_free(&d);
}

/* Two tables sharing the sex totals (sex × age and sex × form): the
 * protection holds across both, and the shared figures are one variable. */
static void two_tables(void)
{
    struct data d;
    data_init(&d, VICTIMS, NV);
    cia_sdc_source src = {&d, codes, fine};
    cia_sdc s;
    cia_sdc_init(&s, &src);
    size_t a[8][8], b[8][8];
    cross(&s, &d, "sex", SEXES, 3, "age_group", AGES, 3, a);
    static const char *const FORMS[] = {"SEX", "LAB", "BEG,CRIM,ORG,OTH", "UNK"};
    cross(&s, &d, "sex", SEXES, 3, "form", FORMS, 4, b);
    /* The sex margins and the total are the same variables in both. */
    for (int i = 0; i <= 3; i++) CHECK_INT(a[i][3], b[i][4]);
    CHECK_INT(s.n, 16 + 16);
    cia_err e;
    CHECK_INT(cia_sdc_protect(&s, 3, &e), 0);
    /* Primary: F minors 2; female victims of other forms: 0, shown. */
    CHECK_INT(s.v[a[0][0]].status, CIA_SDC_PRIMARY);
    CHECK_INT(s.v[b[0][2]].value, 0);
    for (size_t i = 0; i < s.n; i++)
        if (s.v[i].value == 0) CHECK(s.v[i].status != CIA_SDC_PRIMARY);   /* a zero is never small */
    check_protected(&s);
    cia_sdc_free(&s);
    data_free(&d);
}

/* All withheld parts of a row are 1 and their sum is known: each is 1. */
static void all_ones(void)
{
    static const struct rec R[] = {
        {"F", "ADULT", "SEX", "RO", 1}, {"M", "ADULT", "SEX", "RO", 1}, {"UNK", "ADULT", "SEX", "RO", 0},
        {"F", "MINOR", "SEX", "RO", 9}, {"M", "MINOR", "SEX", "RO", 8}, {"UNK", "MINOR", "SEX", "RO", 7},
    };
    struct data d;
    data_init(&d, R, 6);
    cia_sdc_source src = {&d, codes, fine};
    cia_sdc s;
    cia_sdc_init(&s, &src);
    size_t idx[8][8];
    static const char *const AG[] = {"ADULT", "MINOR"};
    cross(&s, &d, "age_group", AG, 2, "sex", SEXES, 3, idx);
    cia_err e;
    CHECK_INT(cia_sdc_protect(&s, 3, &e), 0);
    CHECK_INT(s.v[idx[0][0]].status, CIA_SDC_PRIMARY);
    CHECK_INT(s.v[idx[0][1]].status, CIA_SDC_PRIMARY);
    CHECK(s.v[idx[0][2]].status != CIA_SDC_PRIMARY);          /* the zero */
    check_protected(&s);
    cia_sdc_free(&s);
    data_free(&d);
}

/* Nationality: an open list, rows only for the nationalities present; the
 * codes not shown count zero, so the total is the sum of the rows. */
static void open_list(void)
{
    struct data d;
    data_init(&d, VICTIMS, NV);
    cia_sdc_source src = {&d, codes, fine};
    cia_sdc s;
    cia_sdc_init(&s, &src);
    static const char *const NAT[] = {"CN", "IN", "MA", "NG", "RO", "TH", "UNK", "VN"};
    size_t idx[8];
    for (int i = 0; i < 8; i++) idx[i] = fig(&s, &d, "nationality", NAT[i], NULL, NULL);
    size_t t = fig(&s, &d, NULL, NULL, NULL, NULL);
    cia_err e;
    CHECK_INT(cia_sdc_protect(&s, 5, &e), 0);
    /* CN 4, TH 5, VN 5 are small; three withheld, none recomputable. */
    CHECK_INT(s.n_primary, 3);
    CHECK_INT(s.v[t].status, CIA_SDC_SHOWN);
    check_protected(&s);
    /* Showing one of them again makes it recomputable, since the others
     * are... still withheld: but showing two of three leaves one alone. */
    size_t w[8], nw = 0;
    for (int i = 0; i < 8; i++)
        if (s.v[idx[i]].status != CIA_SDC_SHOWN) w[nw++] = idx[i];
    CHECK(nw >= 2);
    for (size_t i = 1; i < nw; i++) s.v[w[i]].status = CIA_SDC_SHOWN;
    CHECK_INT(narrow_when(&s, w[0]), 1);
    cia_sdc_free(&s);
    data_free(&d);
}

/* The same box twice is one variable; with another value it is a bug. */
static void same_box(void)
{
    struct data d;
    data_init(&d, VICTIMS, NV);
    cia_sdc_source src = {&d, codes, fine};
    cia_sdc s;
    cia_sdc_init(&s, &src);
    cia_err e;
    size_t i1, i2, i3;
    const char *dims[2] = {"sex", "form"}, *cs[2] = {"F", "SEX"};
    const char *dims2[2] = {"form", "sex"}, *cs2[2] = {"SEX", "F"};
    CHECK_INT(cia_sdc_add(&s, "x", 2021, 2, dims, cs, 1, 5, 1, &i1, &e), 0);
    CHECK_INT(cia_sdc_add(&s, "x", 2021, 2, dims2, cs2, 1, 5, 1, &i2, &e), 0);
    CHECK_INT(i1, i2);
    /* Every code of a closed list is no filter at all. */
    const char *d1[1] = {"sex"}, *c1[1] = {"UNK,M,F"};
    CHECK_INT(cia_sdc_add(&s, "x", 2021, 1, d1, c1, 1, 50, 1, &i3, &e), 0);
    CHECK_INT(s.v[i3].nd, 0);
    CHECK_INT(cia_sdc_add(&s, "x", 2021, 2, dims, cs, 1, 6, 1, &i2, &e), CIA_EINTERNAL);
    cia_sdc_free(&s);
    data_free(&d);
}

/* Threshold 0, non-sensitive figures and figures not known: nothing. */
static void nothing_to_do(void)
{
    struct data d;
    data_init(&d, VICTIMS, NV);
    cia_sdc_source src = {&d, codes, fine};
    cia_sdc s;
    cia_sdc_init(&s, &src);
    cia_err e;
    const char *dims[1] = {"sex"}, *c1[1] = {"F"}, *c2[1] = {"M"};
    size_t a, b;
    CHECK_INT(cia_sdc_add(&s, "cases", 2021, 1, dims, c1, 1, 2, 0, &a, &e), 0);
    CHECK_INT(cia_sdc_add(&s, "persons", 2021, 1, dims, c2, 0, 0, 1, &b, &e), 0);
    CHECK_INT(cia_sdc_protect(&s, 3, &e), 0);
    CHECK_INT(s.v[a].status, CIA_SDC_SHOWN);
    CHECK_INT(s.v[b].status, CIA_SDC_SHOWN);
    cia_sdc_free(&s);
    cia_sdc_init(&s, &src);
    size_t idx[8][8];
    cross(&s, &d, "sex", SEXES, 3, "age_group", AGES, 3, idx);
    CHECK_INT(cia_sdc_protect(&s, 0, &e), 0);
    CHECK_INT(s.n_primary + s.n_secondary, 0);
    cia_sdc_free(&s);
    data_free(&d);
}

/* The same input twice gives the same withheld cells. */
static void stable(void)
{
    int st[2][64];
    memset(st, 0, sizeof st);
    for (int run = 0; run < 2; run++) {
        struct data d;
        data_init(&d, VICTIMS, NV);
        cia_sdc_source src = {&d, codes, fine};
        cia_sdc s;
        cia_sdc_init(&s, &src);
        size_t a[8][8];
        cross(&s, &d, "sex", SEXES, 3, "age_group", AGES, 3, a);
        cia_err e;
        CHECK_INT(cia_sdc_protect(&s, 5, &e), 0);
        for (size_t i = 0; i < s.n && i < 64; i++) st[run][i] = s.v[i].status;
        check_protected(&s);
        cia_sdc_free(&s);
        data_free(&d);
    }
    CHECK(memcmp(st[0], st[1], sizeof st[0]) == 0);
}

/* A revision: a figure withheld by an earlier release stays withheld; one
 * it published that is now small is withheld now, and protected. */
static void fixed_by_earlier(void)
{
    struct data d;
    data_init(&d, VICTIMS, NV);
    cia_sdc_source src = {&d, codes, fine};
    cia_sdc s;
    cia_sdc_init(&s, &src);
    size_t idx[8][8];
    cross(&s, &d, "sex", SEXES, 3, "age_group", AGES, 3, idx);
    s.v[idx[1][1]].fixed = CIA_SUP_KEEP_WITHHELD;            /* M adults: 25 */
    cia_err e;
    CHECK_INT(cia_sdc_protect(&s, 3, &e), 0);
    CHECK_INT(s.v[idx[1][1]].status, CIA_SDC_SECONDARY);
    check_protected(&s);
    cia_sdc_free(&s);
    cia_sdc_init(&s, &src);
    cross(&s, &d, "sex", SEXES, 3, "age_group", AGES, 3, idx);
    s.v[idx[0][0]].fixed = CIA_SUP_KEEP_SHOWN;               /* F minors: 2 */
    s.v[idx[3][3]].fixed = CIA_SUP_KEEP_SHOWN;               /* the total */
    CHECK_INT(cia_sdc_protect(&s, 3, &e), 0);
    CHECK_INT(s.v[idx[0][0]].status, CIA_SDC_PRIMARY);
    CHECK_INT(s.v[idx[3][3]].status, CIA_SDC_SHOWN);
    check_protected(&s);
    cia_sdc_free(&s);
    data_free(&d);
}

UNIT_MAIN(T(one_table), T(two_tables), T(all_ones), T(open_list), T(same_box), T(nothing_to_do),
          T(stable), T(fixed_by_earlier))
