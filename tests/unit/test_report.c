/* test_report.c — the report definition format (report_def.c) and the
 * arithmetic of derived figures (report.c) without a database: every
 * shipped definition parses and names only words that exist in three
 * languages; malformed definitions are refused with their line; shares
 * and changes carry the flags of their parts and are never 0 for a
 * figure that is not known. */
#include <math.h>
#include "unit.h"
#include "ciatteh/render.h"
#include "ciatteh/report.h"
#include "ciatteh/util.h"

static struct cia_rd *parse(const char *text, cia_err *e)
{
    struct cia_rd *d = NULL;
    cia_err_clear(e);
    if (cia_rd_parse("t.def", text, strlen(text), &d, e) != CIA_OK) return NULL;
    return d;
}

static void test_parse_minimal(void)
{
    cia_err e;
    struct cia_rd *d = parse("# a comment\nreport r\ntitle rep_yoy\n\ntable t1\n  title t_yoy\n"
                             "  layout years\n  changes yes\n  row police.facts id=f where=offence:THB\n"
                             "  row police.victims id=v by=form codes=SEX,LAB,UNK?\n"
                             "  row share num=f den=f label=share_eff\n", &e);
    CHECK(d != NULL);
    if (!d) { fprintf(stderr, "  %s\n", e.msg); return; }
    CHECK_STR(d->id, "r");
    CHECK_STR(d->title, "rep_yoy");
    CHECK_INT(d->ntables, 1);
    const struct cia_rd_table *t = &d->tables[0];
    CHECK_STR(t->id, "t1");
    CHECK_INT(t->layout, CIA_RD_YEARS);
    CHECK_INT(t->changes, 1);
    CHECK_INT(t->nlines, 3);
    CHECK_STR(t->lines[0].item, "police.facts");
    CHECK_INT(t->lines[0].nwhere, 1);
    CHECK_STR(t->lines[0].where[0].dim, "offence");
    CHECK_STR(t->lines[0].where[0].codes, "THB");
    CHECK_STR(t->lines[1].by, "form");
    CHECK_STR(t->lines[1].codes, "SEX,LAB,UNK?");
    CHECK_INT(t->lines[1].total, 1);
    CHECK(t->lines[2].item == NULL);
    CHECK_INT(t->lines[2].nnum, 1);
    CHECK_STR(t->lines[2].den, "f");
    cia_rd_free(d);
}

static void test_parse_cross(void)
{
    cia_err e;
    struct cia_rd *d = parse("report r\ntitle rep_sentences\ntable b\ntitle t_sent_bands\nlayout cross\n"
                             "rowdim sentence_band\nrowcodes LT12,GE120,UNK?\nrowtotal no\n"
                             "col conviction.prison where=suspension:PARTIAL id=p label=code\n"
                             "col conviction.prison where=suspension:FULL id=f\n"
                             "col conviction.prison id=t\n"
                             "col share num=p+f den=t label=col_susp_pct\n", &e);
    CHECK(d != NULL);
    if (!d) { fprintf(stderr, "  %s\n", e.msg); return; }
    const struct cia_rd_table *t = &d->tables[0];
    CHECK_INT(t->layout, CIA_RD_CROSS);
    CHECK_STR(t->rowdim, "sentence_band");
    CHECK_INT(t->rowtotal, 0);
    CHECK_INT(t->lines[3].nnum, 2);
    CHECK_STR(t->lines[3].num[1], "f");
    cia_rd_free(d);
}

/* Each bad definition is refused with CIA_EDATA and the line it is on. */
static void test_parse_errors(void)
{
    static const struct { const char *text; long line; const char *msg; } bad[] = {
        { "title x\n", 1, "starts with 'report ID'" },
        { "report r\ntitle t\nrow police.facts\n", 3, "belongs to a table" },
        { "report r\ntitle t\ntable a\ntitle x\nrow police.facts where=offence\n", 5, "DIM:CODE" },
        { "report r\ntitle t\ntable a\ntitle x\nrow share num=a den=b label=x\n", 5, "no earlier line" },
        { "report r\ntitle t\ntable a\ntitle x\nrow police.facts id=a\nrow share num=a den=a\n", 6, "label=" },
        { "report r\ntitle t\ntable a\ntitle x\nrow police.facts frob=1\n", 5, "unknown key 'frob'" },
        { "report r\ntitle t\ntable a\ntitle x\nlayout cross\nrowdim sex\nrow police.facts\n", 7, "use 'col'" },
        { "report r\ntitle t\ntable a\ntitle x\ncol police.facts\n", 5, "layout cross" },
        { "report r\ntitle t\ntable a\ntitle x\nlayout cross\ncol police.facts\n", 0, "rowdim" },
        { "report r\ntitle t\ntable a\ntitle x\nrow police.facts top=0 by=form\n", 5, "top=" },
        { "report r\ntitle t\ntable a\ntitle x\nrow police.facts codes=SEX\n", 0, "go with by=" },
        { "report r\ntitle t\ntable a\ntitle x\nrow police.facts;DROP\n", 5, "not an item code" },
        { "report r\ntitle t\ntable a\ntitle x\nfrobnicate\n", 5, "unknown directive" },
        { "report r\ntitle t\ntable a\n", 0, "no title" },
        { "report r\ntitle t\ntable a\ntitle x\n", 0, "no rows" },
        { "report r\ntitle t\ntable a\ntitle x\nrow police.facts id=a\nrow police.facts id=a\n", 6, "used twice" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cia_err e;
        struct cia_rd *d = parse(bad[i].text, &e);
        CHECK(d == NULL);
        cia_rd_free(d);
        CHECK_INT(e.code, CIA_EDATA);
        if (bad[i].line) CHECK_INT(e.line, bad[i].line);
        if (!strstr(e.msg, bad[i].msg)) {
            fprintf(stderr, "  case %zu: message '%s' lacks '%s'\n", i, e.msg, bad[i].msg);
            unit_failures_in_test++;
        }
    }
}

/* A word key that words.c does not know comes back as the key itself
 * (the same pointer: a heap copy cannot be merged with a literal). */
static void check_word(const char *key, const char *where)
{
    static const char *const langs[3] = { "en", "fr", "nl" };
    char *k = cia_xstrdup(key);
    for (int l = 0; l < 3; l++) {
        const char *w = cia_word(k, langs[l]);
        if (w == k || !*w) {
            fprintf(stderr, "  %s: word '%s' missing in words.c\n", where, key);
            unit_failures_in_test++;
            break;
        }
    }
    free(k);
}

static void test_shipped_definitions(void)
{
    char *names = cia_rd_names();
    CHECK_STR(names, "sentences, victims, yoy");
    cia_strv v = {0};
    cia_strv_split(&v, names, ',');
    free(names);
    for (size_t i = 0; i < v.n; i++) {
        struct cia_rd *d = NULL;
        cia_err e;
        cia_err_clear(&e);
        int rc = cia_rd_load(v.v[i], &d, &e);
        CHECK_INT(rc, CIA_OK);
        if (rc) { fprintf(stderr, "  %s: %s\n", v.v[i], e.msg); continue; }
        check_word(d->title, d->id);
        for (size_t t = 0; t < d->ntables; t++) {
            const struct cia_rd_table *tb = &d->tables[t];
            check_word(tb->title, tb->id);
            if (tb->subtitle) check_word(tb->subtitle, tb->id);
            for (size_t n = 0; n < tb->nnotes; n++) check_word(tb->notes[n], tb->id);
            for (size_t l = 0; l < tb->nlines; l++)
                if (tb->lines[l].label && strcmp(tb->lines[l].label, "code")) check_word(tb->lines[l].label, tb->id);
        }
        cia_rd_free(d);
    }
    cia_strv_free(&v);
    /* the words the builder itself uses */
    static const char *const used[] = { "service", "item", "year", "breakdown", "total", "change", "in_pct",
        "other_codes", "other_nationalities", "note_provisional", "note_derived_u", "note_pct_undefined",
        "note_share_undefined", "note_uncovered", "scope_missing", "scope_missing_after", "delivery",
        "loaded", "years_used", "no_deliveries", "def_sep", "def_not_known", "def_zero", "def_change",
        "def_share" };
    for (size_t i = 0; i < sizeof used / sizeof used[0]; i++) check_word(used[i], "report.c");
    cia_err e;
    struct cia_rd *d = NULL;
    CHECK_INT(cia_rd_load("nothing", &d, &e), CIA_EUSAGE);
    CHECK(strstr(e.msg, "reports: sentences, victims, yoy") != NULL);
    CHECK_INT(cia_rd_load("../etc", &d, &e), CIA_EUSAGE);
}

static struct cia_rv rv(int known, double v, const char *flags)
{
    struct cia_rv r = { 0 };
    r.known = known;
    r.v = v;
    snprintf(r.flags, sizeof r.flags, "%s", flags);
    return r;
}

static void test_arithmetic(void)
{
    struct cia_rv r = cia_rv_share(rv(1, 55, ""), rv(1, 97, "p"));
    CHECK(r.known && fabs(r.v - 55.0 / 97.0) < 1e-12);
    CHECK_STR(r.flags, "p");
    r = cia_rv_share(rv(1, 5, "u"), rv(1, 0, ""));
    CHECK(!r.known && r.undefined);                 /* a share of nothing: no figure */
    r = cia_rv_share(rv(0, 0, "u"), rv(1, 10, "p"));
    CHECK(!r.known && !r.undefined);                /* not known, never 0 */
    CHECK_STR(r.flags, "p");                        /* u means nothing without a figure */
    r = cia_rv_diff(rv(1, 120, "up"), rv(1, 100, ""));
    CHECK(r.known && r.v == 20);
    CHECK_STR(r.flags, "up");
    r = cia_rv_diff(rv(1, 120, ""), rv(0, 0, ""));
    CHECK(!r.known);
    r = cia_rv_ratio_change(rv(1, 120, ""), rv(1, 100, ""));
    CHECK(r.known && fabs(r.v - 0.2) < 1e-12);
    r = cia_rv_ratio_change(rv(1, 3, ""), rv(1, 0, ""));
    CHECK(r.undefined && !r.known);
    r = cia_rv_sum(rv(1, 2, "p"), rv(1, 3, "u"));
    CHECK(r.known && r.v == 5);
    CHECK_STR(r.flags, "up");
    char f[4];
    cia_rv_flags_union(f, "pu", "c");
    CHECK_STR(f, "upc");
    /* in place: a withheld part keeps the sum withheld when u is added */
    char g[6] = "c";
    cia_rv_flags_union(g, g, "u");
    CHECK_STR(g, "uc");
    strcpy(g, "pc");
    cia_rv_flags_union(g, g, "u");
    CHECK_STR(g, "upc");
}

UNIT_MAIN(T(test_parse_minimal), T(test_parse_cross), T(test_parse_errors), T(test_shipped_definitions),
          T(test_arithmetic))
