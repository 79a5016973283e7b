/* test_group.c — etl/group.c: records counted into groups on the client.
 * Counts and sums per group, NULLs (unknown values, sums with no known
 * value, the _known counts), the year/band/sign grains at their
 * boundaries, scope and dyear, the exact bytes of a COPY binary row, the
 * same totals with and without spilling to the temporary file, the lag's
 * newest date and 95th percentile.  The COPY stream is decoded here by a
 * small decoder of its own, so the encoder is not checked against itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/copybin.h"
#include "ciatteh/group.h"
#include "ciatteh/spec.h"
#include "ciatteh/util.h"
#include "ciatteh/validate.h"
#include "unit.h"

/* A spec with a scope and one column of each grain. */
static const char *const FULL =
    "service t\ntitle T\ntable t_record\nprimary d\nscope c\nunique c r\n"
    "field d date required d | dd\n"
    "field r ref required r | rr\n"
    "field c code:centre required c | cc\n"
    "field o code:offence optional o | oo\n"
    "field b bool optional b | bb\n"
    "field m int optional m | mm\n"
    "field k count optional k | kk\n"
    "field a amount optional a | aa\n"
    "field g date optional g | gg\n"
    "field y year optional y | yy\n"
    "rule not_before g d\n"
    "group year d year\n"
    "group off o\n"
    "group flag b\n"
    "group band m band 0=NA 1=LT12 12=12_36 36=36_60 60=60_120 120=GE120\n"
    "group fined a sign\n"
    "group pos k sign\n"
    "group yr y\n"
    "sum ms m\n"
    "sum ks k\n"
    "lag g d\n";
enum { F_D, F_R, F_C, F_O, F_B, F_M, F_K, F_A, F_G, F_Y, NF };
/* columns of the FULL group table */
enum { C_DID, C_SCOPE, C_DYEAR, C_YEAR, C_OFF, C_FLAG, C_BAND, C_FINED, C_POS, C_YR, C_N, C_MS, C_MSK, C_KS, C_KSK, NC };

static cia_spec *parse(const char *text)
{
    cia_spec *s = NULL;
    cia_err e;
    cia_err_clear(&e);
    int rc = cia_spec_parse(&s, "t.spec", text, strlen(text), &e);
    if (rc) fprintf(stderr, "  spec: %s (line %ld)\n", e.msg, e.line);
    CHECK_INT(rc, CIA_OK);
    return s;
}

static cia_groups *groups(const cia_spec *s, size_t budget)
{
    cia_groups *g = NULL;
    cia_err e;
    cia_err_clear(&e);
    CHECK_INT(cia_groups_new(&g, s, budget, &e), CIA_OK);
    CHECK(g != NULL);
    return g;
}

static void set(struct cia_val *v, const char *text, long long num)
{
    v->known = 1;
    snprintf(v->text, sizeof v->text, "%s", text);
    v->num = num;
}

static void unknown(struct cia_val *v)
{
    /* what the validator leaves, plus stale bytes after the NUL that a
     * previous value might have left in the buffer */
    memset(v, 'x', sizeof *v);
    v->known = 0;
    v->text[0] = '\0';
    v->num = 0;
}

/* A FULL record: every value known. */
static void full(struct cia_val *v, const char *centre, long long d, const char *off, int b, long long m,
                 long long k, const char *a, long long g, long long y)
{
    char t[16];
    for (int i = 0; i < NF; i++) unknown(&v[i]);
    snprintf(t, sizeof t, "%04lld-%02lld-%02lld", d / 10000, d / 100 % 100, d % 100);
    set(&v[F_D], t, d);
    set(&v[F_R], "", 0);
    set(&v[F_C], centre, 0);
    set(&v[F_O], off, 0);
    set(&v[F_B], b ? "t" : "f", b);
    snprintf(t, sizeof t, "%lld", m);
    set(&v[F_M], t, m);
    snprintf(t, sizeof t, "%lld", k);
    set(&v[F_K], t, k);
    long long whole = 0;
    for (const char *p = a; *p >= '0' && *p <= '9'; p++) whole = whole * 10 + (*p - '0');
    set(&v[F_A], a, whole);
    snprintf(t, sizeof t, "%04lld-%02lld-%02lld", g / 10000, g / 100 % 100, g % 100);
    set(&v[F_G], t, g);
    snprintf(t, sizeof t, "%lld", y);
    set(&v[F_Y], t, y);
}

static void add(cia_groups *g, const struct cia_val *v)
{
    cia_err e;
    cia_err_clear(&e);
    int rc = cia_groups_add(g, v, &e);
    if (rc) fprintf(stderr, "  add: %s\n", e.msg);
    CHECK_INT(rc, CIA_OK);
}

/* ---- a COPY binary decoder of the test's own ---------------------------- */

struct out { cia_buf b; int calls; size_t biggest; int fail_with; };

static int collect(const void *buf, size_t len, void *arg)
{
    struct out *o = arg;
    o->calls++;
    if (len > o->biggest) o->biggest = len;
    if (o->fail_with) return o->fail_with;
    cia_buf_add(&o->b, buf, len);
    return 0;
}

static long long be(const unsigned char *p, int n)
{
    unsigned long long v = 0;
    for (int i = 0; i < n; i++) v = v << 8 | p[i];
    if (n == 2) return (int16_t)v;
    if (n == 4) return (int32_t)v;
    return (long long)v;
}

/* The rows of a stream as text, one string per column ("\N" for NULL),
 * values rendered by the column's type; NULL on a malformed stream. */
struct rows { size_t n, ncols; char ***v; };

static void rows_free(struct rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        for (size_t c = 0; c < r->ncols; c++) free(r->v[i][c]);
        free(r->v[i]);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

static int decode(const cia_groups *g, const cia_buf *b, struct rows *r)
{
    static const unsigned char sig[11] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xFF, '\r', '\n', 0};
    const unsigned char *p = (const unsigned char *)b->data, *end = p + b->len;
    size_t cap = 0;
    memset(r, 0, sizeof *r);
    r->ncols = cia_groups_ncols(g);
    if (b->len < 21 || memcmp(p, sig, 11) || be(p + 11, 4) || be(p + 15, 4)) return -1;
    p += 19;
    for (;;) {
        if (end - p < 2) return -1;
        long long nc = be(p, 2);
        p += 2;
        if (nc == -1) return p == end ? 0 : -1;
        if ((size_t)nc != r->ncols) return -1;
        char **row = calloc(r->ncols, sizeof *row);
        if (r->n == cap) {                 /* doubling: a realloc per row was most of this test's time under ASan */
            cap = cap ? 2 * cap : 256;
            r->v = realloc(r->v, cap * sizeof *r->v);
        }
        r->v[r->n++] = row;
        for (size_t c = 0; c < r->ncols; c++) {
            if (end - p < 4) return -1;
            long long len = be(p, 4);
            p += 4;
            const char *type = cia_groups_col_type(g, c);
            char tmp[64];
            if (len == -1) { row[c] = strdup("\\N"); continue; }
            if (len < 0 || end - p < len) return -1;
            if (!strcmp(type, "text")) row[c] = strndup((const char *)p, (size_t)len);
            else if (!strcmp(type, "bigint") && len == 8) { snprintf(tmp, sizeof tmp, "%lld", be(p, 8)); row[c] = strdup(tmp); }
            else if (!strcmp(type, "integer") && len == 4) { snprintf(tmp, sizeof tmp, "%lld", be(p, 4)); row[c] = strdup(tmp); }
            else if (!strcmp(type, "boolean") && len == 1 && p[0] <= 1) row[c] = strdup(p[0] ? "t" : "f");
            else return -1;
            p += len;
        }
    }
}

static int copy_rows(cia_groups *g, long long did, struct rows *r)
{
    struct out o = {0};
    cia_buf_init(&o.b);
    cia_err e;
    cia_err_clear(&e);
    int rc = cia_groups_copy_out(g, did, collect, &o, &e);
    if (rc) fprintf(stderr, "  copy_out: %s\n", e.msg);
    CHECK_INT(rc, CIA_OK);
    int bad = decode(g, &o.b, r);
    CHECK_INT(bad, 0);
    CHECK_INT((long long)r->n, cia_groups_rows(g));
    cia_buf_free(&o.b);
    return rc || bad ? -1 : 0;
}

/* The row whose columns from..to-1 are the given ones ('|' separated). */
static char **find(const struct rows *r, size_t from, size_t to, const char *key)
{
    char **hit = NULL;
    for (size_t i = 0; i < r->n; i++) {
        cia_buf k;
        cia_buf_init(&k);
        for (size_t c = from; c < to; c++) {
            if (c > from) cia_buf_addc(&k, '|');
            cia_buf_adds(&k, r->v[i][c]);
        }
        int same = !strcmp(k.data, key);
        cia_buf_free(&k);
        if (same) {
            if (hit) { fprintf(stderr, "  two rows for %s\n", key); unit_failures_in_test++; }
            hit = r->v[i];
        }
    }
    if (!hit) { fprintf(stderr, "  no row for %s\n", key); unit_failures_in_test++; }
    return hit;
}

/* ---- tests --------------------------------------------------------------- */

static void columns_and_sql(void)
{
    cia_spec *s = parse(FULL);
    if (!s) return;
    cia_groups *g = groups(s, 1 << 20);
    if (!g) { cia_spec_free(s); return; }
    static const char *const names[NC] = {"delivery_id", "scope", "dyear", "year", "off", "flag", "band", "fined",
                                          "pos", "yr", "n", "ms", "ms_known", "ks", "ks_known"};
    static const char *const types[NC] = {"bigint", "text", "integer", "integer", "text", "boolean", "text",
                                          "boolean", "boolean", "integer", "bigint", "bigint", "bigint",
                                          "bigint", "bigint"};
    CHECK_INT(cia_groups_ncols(g), NC);
    for (size_t i = 0; i < NC; i++) {
        CHECK_STR(cia_groups_col_name(g, i), names[i]);
        CHECK_STR(cia_groups_col_type(g, i), types[i]);
    }
    CHECK(cia_groups_col_name(g, NC) == NULL);
    char *sql = cia_groups_copy_sql(g);
    CHECK_STR(sql, "COPY \"t_group\" (delivery_id, scope, dyear, \"year\", \"off\", \"flag\", \"band\", \"fined\", "
                   "\"pos\", \"yr\", n, \"ms\", \"ms_known\", \"ks\", \"ks_known\") FROM STDIN (FORMAT binary)");
    free(sql);
    CHECK_INT(cia_groups_rows(g), 0);
    cia_groups_free(g);
    cia_spec_free(s);
}

static void no_group_no_groups(void)
{
    const char *t = "service t\ntitle T\ntable t_record\nprimary d\nunique r\n"
                    "field d date required d | dd\nfield r ref required r | rr\n";
    cia_spec *s = parse(t);
    if (!s) return;
    cia_groups *g = (cia_groups *)s;   /* must be overwritten */
    cia_err e;
    cia_err_clear(&e);
    CHECK_INT(cia_groups_new(&g, s, 1 << 20, &e), CIA_OK);
    CHECK(g == NULL);
    int ymd, p95;
    CHECK_INT(cia_groups_lag(NULL, &ymd, &p95), 0);
    cia_groups_free(NULL);
    cia_spec_free(s);
}

static void counts_and_sums(void)
{
    cia_spec *s = parse(FULL);
    if (!s) return;
    cia_groups *g = groups(s, 1 << 20);
    if (!g) { cia_spec_free(s); return; }
    struct cia_val v[NF];
    /* three records of one group, one of another */
    full(v, "PAYOKE", 20210105, "THB", 1, 5, 2, "100.00", 20210110, 2020);
    add(g, v);
    full(v, "PAYOKE", 20211231, "THB", 1, 7, 3, "50.00", 20220101, 2020);
    add(g, v);
    full(v, "PAYOKE", 20210601, "THB", 1, 6, 4, "1.00", 20210601, 2020);
    unknown(&v[F_K]);                      /* k not known: pos NULL, ks_known 2 */
    add(g, v);
    full(v, "PAYOKE", 20210601, "THB", 1, 6, 4, "1.00", 20210601, 2020);
    unknown(&v[F_K]);
    add(g, v);
    full(v, "SURYA", 20220301, "SMUG", 0, 0, 0, "0.00", 20220301, 2021);
    add(g, v);
    struct rows r;
    if (!copy_rows(g, 7, &r)) {
        CHECK_INT(r.n, 3);
        /* band of 5, 6, 7 is LT12: the first two records share a group, the
         * two with k unknown another */
        char **a = find(&r, C_SCOPE, C_N, "PAYOKE|2021|2021|THB|t|LT12|t|t|2020");
        if (a) {
            CHECK_STR(a[C_DID], "7");
            CHECK_STR(a[C_N], "2");
            CHECK_STR(a[C_MS], "12");
            CHECK_STR(a[C_MSK], "2");
            CHECK_STR(a[C_KS], "5");
            CHECK_STR(a[C_KSK], "2");
        }
        char **b = find(&r, C_SCOPE, C_N, "PAYOKE|2021|2021|THB|t|LT12|t|\\N|2020");
        if (b) {
            CHECK_STR(b[C_N], "2");
            CHECK_STR(b[C_MS], "12");
            CHECK_STR(b[C_MSK], "2");
            CHECK_STR(b[C_KS], "\\N");       /* none known: NULL, not 0 */
            CHECK_STR(b[C_KSK], "0");
        }
        char **c = find(&r, C_SCOPE, C_N, "SURYA|2022|2022|SMUG|f|NA|f|f|2021");
        if (c) {
            CHECK_STR(c[C_N], "1");
            CHECK_STR(c[C_MS], "0");          /* known zero is 0 */
            CHECK_STR(c[C_MSK], "1");
        }
        rows_free(&r);
    }
    CHECK_INT(cia_groups_spilled(g), 0);
    cia_groups_free(g);
    cia_spec_free(s);
}

/* sum ... sign counts the values above 0 (amounts from their text);
 * a sum of a bool field counts the true ones; unknown values are not
 * counted, and a sum with none known is NULL. */
static void sums_of_signs_and_bools(void)
{
    static const char spec[] =
        "service t\ntitle T\ntable t_record\nprimary d\nunique r\n"
        "field d date required d\nfield r ref required r\nfield b bool optional b\n"
        "field m int optional m\nfield a amount optional a\n"
        "group year d year\nsum flags b\nsum terms m sign\nsum fines a sign\n";
    enum { D, R, B, M, A, N };
    cia_spec *s = parse(spec);
    if (!s) return;
    cia_groups *g = groups(s, 1 << 20);
    if (!g) { cia_spec_free(s); return; }
    struct cia_val v[N];
    /* b, m, a per record: (t, 5, "0.50"), (f, 0, "0.00"), (t, unknown, "12.00"), (unknown, 3, unknown) */
    for (int i = 0; i < 4; i++) {
        for (int k = 0; k < N; k++) unknown(&v[k]);
        set(&v[D], "2021-03-04", 20210304);
        set(&v[R], "", 0);
        if (i < 3) set(&v[B], i == 1 ? "f" : "t", i != 1);
        if (i != 2) set(&v[M], i == 1 ? "0" : i == 0 ? "5" : "3", i == 1 ? 0 : i == 0 ? 5 : 3);
        if (i < 3) set(&v[A], i == 0 ? "0.50" : i == 1 ? "0.00" : "12.00", i == 2 ? 12 : 0);
        add(g, v);
    }
    struct rows r;
    if (!copy_rows(g, 1, &r)) {
        CHECK_INT(r.n, 1);
        if (r.n == 1) {
            /* delivery_id scope dyear year n flags flags_known terms terms_known fines fines_known */
            CHECK_STR(r.v[0][4], "4");
            CHECK_STR(r.v[0][5], "2");
            CHECK_STR(r.v[0][6], "3");
            CHECK_STR(r.v[0][7], "2");
            CHECK_STR(r.v[0][8], "3");
            CHECK_STR(r.v[0][9], "2");
            CHECK_STR(r.v[0][10], "3");
        }
        rows_free(&r);
    }
    cia_groups_free(g);
    /* only unknown values: NULL */
    g = groups(s, 1 << 20);
    for (int k = 0; k < N; k++) unknown(&v[k]);
    set(&v[D], "2021-03-04", 20210304);
    set(&v[R], "", 0);
    if (g) add(g, v);
    if (g && !copy_rows(g, 1, &r)) {
        if (r.n == 1) {
            CHECK_STR(r.v[0][5], "\\N");
            CHECK_STR(r.v[0][6], "0");
            CHECK_STR(r.v[0][9], "\\N");
        }
        rows_free(&r);
    }
    cia_groups_free(g);
    cia_spec_free(s);
}

static void unknown_values_are_null(void)
{
    cia_spec *s = parse(FULL);
    if (!s) return;
    cia_groups *g = groups(s, 1 << 20);
    if (!g) { cia_spec_free(s); return; }
    struct cia_val v[NF];
    for (int i = 0; i < NF; i++) unknown(&v[i]);
    set(&v[F_D], "2021-03-04", 20210304);
    set(&v[F_C], "PAGASA", 0);
    add(g, v);
    add(g, v);
    struct rows r;
    if (!copy_rows(g, 1, &r)) {
        CHECK_INT(r.n, 1);
        char **a = find(&r, C_SCOPE, C_N, "PAGASA|2021|2021|\\N|\\N|\\N|\\N|\\N|\\N");
        if (a) {
            CHECK_STR(a[C_N], "2");
            CHECK_STR(a[C_MS], "\\N");
            CHECK_STR(a[C_MSK], "0");
            CHECK_STR(a[C_KS], "\\N");
            CHECK_STR(a[C_KSK], "0");
        }
        rows_free(&r);
    }
    /* no lag: one of the two dates was not known */
    int ymd = -1, p95 = -1;
    CHECK_INT(cia_groups_lag(g, &ymd, &p95), 0);
    CHECK_INT(ymd, -1);
    cia_groups_free(g);
    cia_spec_free(s);
}

/* The band, sign and year of one value, through a whole copy. */
static void grain_of(const cia_spec *s, long long m, const char *a, long long k, const char *band,
                     const char *fined, const char *pos)
{
    cia_groups *g = groups(s, 1 << 20);
    if (!g) return;
    struct cia_val v[NF];
    full(v, "PAYOKE", 19991231, "THB", 0, m, k, a, 20000101, 1995);
    add(g, v);
    struct rows r;
    if (!copy_rows(g, 1, &r)) {
        if (r.n == 1) {
            if (strcmp(r.v[0][C_BAND], band)) fprintf(stderr, "  band of %lld:\n", m);
            CHECK_STR(r.v[0][C_BAND], band);
            if (strcmp(r.v[0][C_FINED], fined)) fprintf(stderr, "  sign of %s:\n", a);
            CHECK_STR(r.v[0][C_FINED], fined);
            CHECK_STR(r.v[0][C_POS], pos);
            CHECK_STR(r.v[0][C_YEAR], "1999");
            CHECK_STR(r.v[0][C_DYEAR], "1999");
            CHECK_STR(r.v[0][C_YR], "1995");
        }
        CHECK_INT(r.n, 1);
        rows_free(&r);
    }
    cia_groups_free(g);
}

static void year_band_sign(void)
{
    cia_spec *s = parse(FULL);
    if (!s) return;
    grain_of(s, 0, "0.00", 0, "NA", "f", "f");
    grain_of(s, 1, "12.50", 1, "LT12", "t", "t");
    grain_of(s, 11, "0.50", 2, "LT12", "t", "t");      /* val.num of 0.50 is 0: the text decides */
    grain_of(s, 12, "0", 0, "12_36", "f", "f");        /* an empty0 amount's text */
    grain_of(s, 35, "1500.00", 7, "12_36", "t", "t");
    grain_of(s, 36, "0.01", 1, "36_60", "t", "t");
    grain_of(s, 59, "10.00", 1, "36_60", "t", "t");
    grain_of(s, 60, "10.00", 1, "60_120", "t", "t");
    grain_of(s, 119, "10.00", 1, "60_120", "t", "t");
    grain_of(s, 120, "10.00", 1, "GE120", "t", "t");
    grain_of(s, 999999999, "999999999999.99", 999999999999999LL, "GE120", "t", "t");
    cia_spec_free(s);
    /* below the first bound: NULL */
    const char *t = "service t\ntitle T\ntable t_record\nprimary y\nunique r\n"
                    "field y year required y | yy\nfield r ref required r | rr\n"
                    "field m int optional m | mm\n"
                    "group b m band 18=ADULT 65=SENIOR\ngroup v m\n";
    s = parse(t);
    if (!s) return;
    cia_groups *g = groups(s, 1 << 20);
    if (g) {
        struct cia_val v[3];
        long long ms[] = {0, 17, 18, 64, 65, 100};
        for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
            set(&v[0], "2020", 2020);      /* a year primary: dyear is its value */
            set(&v[1], "", 0);
            set(&v[2], "", ms[i]);
            add(g, v);
        }
        unknown(&v[2]);
        add(g, v);
        struct rows r;
        if (!copy_rows(g, 1, &r)) {
            CHECK_INT(r.n, 7);
            /* scope '' when the spec has none; the int's value as integer */
            find(&r, 1, 5, "|2020|\\N|0");
            find(&r, 1, 5, "|2020|\\N|17");
            find(&r, 1, 5, "|2020|ADULT|18");
            find(&r, 1, 5, "|2020|ADULT|64");
            find(&r, 1, 5, "|2020|SENIOR|65");
            find(&r, 1, 5, "|2020|SENIOR|100");
            find(&r, 1, 5, "|2020|\\N|\\N");
            rows_free(&r);
        }
        cia_groups_free(g);
    }
    cia_spec_free(s);
}

/* Texts are dictionary-encoded by their bytes: near misses stay apart,
 * stale bytes after the NUL do not matter, long texts work. */
static void texts(void)
{
    const char *t = "service t\ntitle T\ntable t_record\nprimary d\nunique r\n"
                    "field d date required d | dd\nfield r ref required r | rr\n"
                    "field o code:offence optional o | oo\n"
                    "group off o\n";
    cia_spec *s = parse(t);
    if (!s) return;
    cia_groups *g = groups(s, 1 << 20);
    if (g) {
        const char *texts[] = {"", "A", "AB", "ABCDEFG", "ABCDEFGH", "ABCDEFGHI", "ABCDEFGHIJKLMNOP",
                               "ABCDEFGHIJKLMNOPQ", "THB", "THC", "THB ", "thb",
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTU"};   /* 47 */
        size_t nt = sizeof texts / sizeof texts[0];
        struct cia_val v[3];
        for (int rep = 0; rep < 3; rep++)
            for (size_t i = 0; i < nt; i++) {
                memset(v, 0, sizeof v);
                memset(v[2].text, 'Z' - rep, sizeof v[2].text);   /* stale bytes after the NUL */
                set(&v[0], "2020-01-01", 20200101);
                set(&v[1], "", 0);
                v[2].known = 1;
                memcpy(v[2].text, texts[i], strlen(texts[i]) + 1);
                add(g, v);
            }
        struct rows r;
        if (!copy_rows(g, 1, &r)) {
            CHECK_INT(r.n, nt);
            for (size_t i = 0; i < nt; i++) {
                char **row = find(&r, 3, 4, texts[i]);
                if (row) CHECK_STR(row[4], "3");
            }
            rows_free(&r);
        }
        cia_groups_free(g);
    }
    cia_spec_free(s);
}

/* The exact bytes of a small stream. */
static void exact_bytes(void)
{
    const char *t = "service s\ntitle T\ntable s_record\nprimary d\nunique r\n"
                    "field d date required d | dd\nfield r ref required r | rr\n"
                    "field o code:offence optional o | oo\nfield m int optional m | mm\n"
                    "group off o\nsum ms m\n";
    cia_spec *s = parse(t);
    if (!s) return;
    cia_groups *g = groups(s, 1 << 20);
    if (g) {
        struct cia_val v[4];
        memset(v, 0, sizeof v);
        set(&v[0], "2021-03-15", 20210315);
        set(&v[1], "", 0);
        set(&v[2], "THB", 0);
        set(&v[3], "3", 3);
        add(g, v);
        struct out o = {0};
        cia_buf_init(&o.b);
        cia_err e;
        cia_err_clear(&e);
        CHECK_INT(cia_groups_copy_out(g, 42, collect, &o, &e), CIA_OK);
        static const unsigned char want[] = {
            'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xFF, '\r', '\n', 0,  /* signature */
            0, 0, 0, 0, 0, 0, 0, 0,                                   /* flags, extension */
            0, 7,                                                     /* 7 columns */
            0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 42,                      /* delivery_id */
            0, 0, 0, 0,                                               /* scope '' */
            0, 0, 0, 4, 0, 0, 0x07, 0xE5,                             /* dyear 2021 */
            0, 0, 0, 3, 'T', 'H', 'B',                                /* off */
            0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1,                       /* n */
            0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 3,                       /* ms */
            0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1,                       /* ms_known */
            0xFF, 0xFF,                                               /* trailer */
        };
        CHECK_INT(o.b.len, sizeof want);
        CHECK(o.b.len == sizeof want && !memcmp(o.b.data, want, sizeof want));
        CHECK_INT(o.calls, 1);
        cia_buf_free(&o.b);
        cia_groups_free(g);
    }
    cia_spec_free(s);
}

/* A deterministic stream of FULL records over a few thousand groups. */
static uint64_t rnd_state;
static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(rnd_state >> 33) % n;
}

static void random_record(struct cia_val *v)
{
    static const char *centres[] = {"PAYOKE", "PAGASA", "SURYA"};
    static const char *offs[] = {"THB", "SMUG", "OTHER_LONGER_CODE"};
    static const char *amounts[] = {"0.00", "0.50", "12.50", "1500.00"};
    full(v, centres[rnd(3)], 20150101 + 10000 * rnd(8) + 100 * rnd(12) + rnd(28), offs[rnd(3)], (int)rnd(2),
         rnd(150), rnd(4), amounts[rnd(4)], 20240101, 2000 + rnd(5));
    if (!rnd(7)) unknown(&v[F_O]);
    if (!rnd(5)) unknown(&v[F_M]);
    if (!rnd(9)) unknown(&v[F_K]);
}

/* key → n, ms, ms_known, ks, ks_known summed over the rows, sorted by key
 * (a sort and one pass: a linear search per row was quadratic) */
struct tot { char *key; long long v[5]; };

static int tot_cmp(const void *a, const void *b)
{
    return strcmp(((const struct tot *)a)->key, ((const struct tot *)b)->key);
}

static size_t totals(const struct rows *r, struct tot **out)
{
    struct tot *t = calloc(r->n ? r->n : 1, sizeof *t);
    for (size_t i = 0; i < r->n; i++) {
        cia_buf k;
        cia_buf_init(&k);
        for (size_t c = C_SCOPE; c < C_N; c++) { cia_buf_adds(&k, r->v[i][c]); cia_buf_addc(&k, '|'); }
        t[i].key = cia_buf_steal(&k);
        cia_buf_free(&k);
        for (int c = 0; c < 5; c++) t[i].v[c] = strcmp(r->v[i][C_N + c], "\\N") ? atoll(r->v[i][C_N + c]) : 0;
    }
    qsort(t, r->n, sizeof *t, tot_cmp);
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (n && !strcmp(t[n - 1].key, t[i].key)) {
            for (int c = 0; c < 5; c++) t[n - 1].v[c] += t[i].v[c];
            free(t[i].key);
        } else {
            t[n++] = t[i];
        }
    }
    *out = t;
    return n;
}

static void spill_same_totals(void)
{
    cia_spec *s = parse(FULL);
    if (!s) return;
    const size_t budgets[] = {64u << 20, 1, 5000, 40000};
    struct tot *ref = NULL;
    size_t nref = 0;
    const int N = 4000;
    for (size_t b = 0; b < sizeof budgets / sizeof budgets[0]; b++) {
        cia_groups *g = groups(s, budgets[b]);
        if (!g) break;
        rnd_state = 1;
        struct cia_val v[NF];
        for (int i = 0; i < N; i++) {
            random_record(v);
            add(g, v);
        }
        if (b == 0) CHECK_INT(cia_groups_spilled(g), 0);
        else CHECK(cia_groups_spilled(g) > 0);
        if (b == 1) CHECK(cia_groups_rows(g) > N / 2);  /* room for one group: about a row per record */
        struct rows r;
        if (!copy_rows(g, 99, &r)) {
            for (size_t i = 0; i < r.n; i++) CHECK_STR(r.v[i][C_DID], "99");   /* spilled rows too */
            struct tot *t;
            size_t nt = totals(&r, &t);
            long long sum_n = 0;
            for (size_t i = 0; i < nt; i++) sum_n += t[i].v[0];
            CHECK_INT(sum_n, N);
            if (b == 0) {
                ref = t;
                nref = nt;
                CHECK_INT(r.n, nt);            /* no spill: one row per key */
                CHECK(nt > 500);
            } else {
                CHECK_INT(nt, nref);
                for (size_t i = 0; i < nt && i < nref; i++) {     /* both sorted by key */
                    CHECK_STR(t[i].key, ref[i].key);
                    for (int c = 0; c < 5; c++) CHECK_INT(t[i].v[c], ref[i].v[c]);
                }
                for (size_t i = 0; i < nt; i++) free(t[i].key);
                free(t);
            }
            /* copy_out twice gives the same stream */
            struct rows r2;
            if (!copy_rows(g, 99, &r2)) {
                CHECK_INT(r2.n, r.n);
                rows_free(&r2);
            }
            rows_free(&r);
        }
        cia_groups_free(g);
    }
    for (size_t i = 0; i < nref; i++) free(ref[i].key);
    free(ref);
    cia_spec_free(s);
}

/* Many groups: out() gets chunks of at most 256 KB; its error stops the copy. */
static void chunks_and_out_errors(void)
{
    const char *t = "service t\ntitle T\ntable t_record\nprimary d\nunique r\n"
                    "field d date required d | dd\nfield r ref required r | rr\n"
                    "field m int optional m | mm\ngroup v m\n";
    cia_spec *s = parse(t);
    if (!s) return;
    cia_groups *g = groups(s, 1 << 16);         /* spills too */
    if (g) {
        struct cia_val v[3];
        memset(v, 0, sizeof v);
        set(&v[0], "2020-01-01", 20200101);
        set(&v[1], "", 0);
        for (int i = 0; i < 50000; i++) {
            set(&v[2], "", i);
            add(g, v);
        }
        CHECK(cia_groups_spilled(g) > 0);
        struct out o = {0};
        cia_buf_init(&o.b);
        cia_err e;
        cia_err_clear(&e);
        CHECK_INT(cia_groups_copy_out(g, 1, collect, &o, &e), CIA_OK);
        CHECK(o.calls > 3);
        CHECK(o.biggest <= 256 * 1024);
        struct rows r;
        CHECK_INT(decode(g, &o.b, &r), 0);
        CHECK_INT(r.n, 50000);
        rows_free(&r);
        cia_buf_free(&o.b);
        struct out f = {.fail_with = 42};
        CHECK_INT(cia_groups_copy_out(g, 1, collect, &f, &e), 42);
        CHECK_INT(f.calls, 1);
        cia_groups_free(g);
    }
    cia_spec_free(s);
}

static void add_days(struct cia_val *v, int from_ymd, int days)
{
    /* FULL with d = from, g = from + days (days < 28 within January, or a
     * year later for 365/366) */
    long long g = from_ymd + days;
    if (days >= 365) g = from_ymd + 10000;
    full(v, "PAYOKE", from_ymd, "THB", 0, 0, 0, "0.00", g, 2020);
}

static void lag_p95_and_newest(void)
{
    cia_spec *s = parse(FULL);
    if (!s) return;
    cia_groups *g = groups(s, 1 << 20);
    if (!g) { cia_spec_free(s); return; }
    int ymd = 0, p95 = 0;
    CHECK_INT(cia_groups_lag(g, &ymd, &p95), 0);   /* no record yet */
    struct cia_val v[NF];
    /* 19 records of 1 day, then N = 20: ceil(19) = 19 → 1 */
    for (int i = 0; i < 19; i++) { add_days(v, 20200101, 1); add(g, v); }
    add_days(v, 20210101, 365);                     /* 2021-01-01 → 2022-01-01 */
    add(g, v);
    CHECK_INT(cia_groups_lag(g, &ymd, &p95), 1);
    CHECK_INT(ymd, 20220101);
    CHECK_INT(p95, 1);
    /* N = 21: ceil(19.95) = 20 → 365 */
    add_days(v, 20190101, 365);                     /* not the newest */
    add(g, v);
    CHECK_INT(cia_groups_lag(g, &ymd, &p95), 1);
    CHECK_INT(ymd, 20220101);
    CHECK_INT(p95, 365);
    /* leap year: 2020-01-01 → 2021-01-01 is 366 days */
    add_days(v, 20200101, 366);
    for (int i = 0; i < 100; i++) add(g, v);
    CHECK_INT(cia_groups_lag(g, &ymd, &p95), 1);
    CHECK_INT(p95, 366);
    /* one date unknown: not counted */
    full(v, "PAYOKE", 20200101, "THB", 0, 0, 0, "0.00", 20240101, 2020);
    unknown(&v[F_G]);
    for (int i = 0; i < 1000; i++) add(g, v);
    CHECK_INT(cia_groups_lag(g, &ymd, &p95), 1);
    CHECK_INT(ymd, 20220101);
    CHECK_INT(p95, 366);
    cia_groups_free(g);

    /* 100 records of 0..99 days: the 95th is 94; a negative lag counts 0 */
    g = groups(s, 1 << 20);
    if (!g) { cia_spec_free(s); return; }
    for (int i = 0; i < 99; i++) {
        int days = i + 1, y = 2020, m = 1, d = 1 + days;
        static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        while (d > mdays[m - 1]) { d -= mdays[m - 1]; m++; }
        full(v, "PAYOKE", 20200101, "THB", 0, 0, 0, "0.00", y * 10000 + m * 100 + d, 2020);
        add(g, v);
    }
    full(v, "PAYOKE", 20200105, "THB", 0, 0, 0, "0.00", 20200101, 2020);   /* -4 days: 0 */
    add(g, v);
    CHECK_INT(cia_groups_lag(g, &ymd, &p95), 1);
    CHECK_INT(p95, 94);           /* days 0 (the clamped one), 1..99: the 95th is 94 */
    CHECK_INT(ymd, 20200409);     /* 2020-01-01 + 99 days */
    cia_groups_free(g);
    cia_spec_free(s);
}

/* Every embedded spec counts something: a group table (police's in full),
 * or (convictions) the registration delay alone. */
static int each_spec(const char *path, const char *data, size_t len, void *arg)
{
    int *n = arg;
    cia_spec *s = NULL;
    cia_err e;
    cia_err_clear(&e);
    CHECK_INT(cia_spec_parse(&s, path, data, len, &e), CIA_OK);
    if (!s) return 0;
    cia_groups *g = NULL;
    CHECK_INT(cia_groups_new(&g, s, 1 << 20, &e), CIA_OK);
    CHECK(g != NULL);
    if (g) (*n)++;
    if (g && !strcmp(s->service, "convictions")) CHECK(!cia_groups_has_table(g));
    else if (g) {
        CHECK(cia_groups_has_table(g));
        CHECK_STR(cia_groups_col_name(g, 0), "delivery_id");
        CHECK_STR(cia_groups_col_name(g, 3 + s->ngroups), "n");
        CHECK_INT(cia_groups_ncols(g), 4 + s->ngroups + 2 * s->nsums);
    }
    if (g && !strcmp(s->service, "police")) {
        const char *want = "delivery_id bigint,scope text,dyear integer,year integer,offence text,form text,"
                           "district text,n bigint,suspects bigint,suspects_known bigint,victims bigint,"
                           "victims_known bigint,";
        cia_buf b;
        cia_buf_init(&b);
        for (size_t i = 0; i < cia_groups_ncols(g); i++)
            cia_buf_printf(&b, "%s %s,", cia_groups_col_name(g, i), cia_groups_col_type(g, i));
        CHECK_STR(b.data, want);
        cia_buf_free(&b);
    }
    cia_groups_free(g);
    cia_spec_free(s);
    return 0;
}

static void embedded_specs(void)
{
    int n = 0;
    cia_embedded_each("etl/specs/", each_spec, &n);
    CHECK_INT(n, 6);
}

UNIT_MAIN(T(columns_and_sql), T(no_group_no_groups), T(counts_and_sums), T(sums_of_signs_and_bools), T(unknown_values_are_null),
          T(year_band_sign), T(texts), T(exact_bytes), T(spill_same_totals), T(chunks_and_out_errors),
          T(lag_p95_and_newest), T(embedded_specs))
