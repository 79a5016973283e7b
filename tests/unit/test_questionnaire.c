/* test_questionnaire.c — the questionnaire definition files
 * (reports/questionnaires/questionnaire_def.c): the compiled-in ones parse and hold what
 * the questionnaires ask; broken ones are refused with file:line. */
#include "unit.h"
#include "ciatteh/questionnaire.h"

static cia_qdef *load(const char *name)
{
    cia_qdef *q = NULL;
    cia_err e;
    cia_err_clear(&e);
    int rc = cia_qdef_load(name, &q, &e);
    if (rc) fprintf(stderr, "  %s: %s\n", name, e.msg);
    CHECK_INT(rc, 0);
    return q;
}

static const cia_qtable *table(const cia_qdef *q, const char *id)
{
    for (size_t i = 0; q && i < q->ntables; i++)
        if (!strcmp(q->tables[i].id, id)) return &q->tables[i];
    fprintf(stderr, "  no table %s\n", id);
    return NULL;
}

static void compiled_in(void)
{
    cia_strv ids = {0};
    cia_qdef_list(&ids);
    CHECK_INT(ids.n, 3);
    CHECK(cia_strv_find(&ids, "eurostat") >= 0);
    CHECK(cia_strv_find(&ids, "greta") >= 0);
    CHECK(cia_strv_find(&ids, "tip") >= 0);
    for (size_t i = 0; i < ids.n; i++) cia_qdef_free(load(ids.v[i]));
    cia_strv_free(&ids);
}

static void eurostat(void)
{
    cia_qdef *q = load("eurostat");
    if (!q) return;
    CHECK_STR(q->id, "eurostat");
    CHECK_INT(q->threshold, 3);
    CHECK_INT(q->has_sdmx, 1);
    CHECK_INT(q->nsdmx, 8);
    CHECK_STR(q->sdmx[0].k, "FREQ");
    CHECK_STR(q->sdmx[6].k, "UNIT");
    CHECK_STR(q->sdmx[7].k, "GEO");
    CHECK_STR(q->sdmx[7].v, "BE");
    CHECK_STR(q->dataflow, "ESTAT:CRIM_THB(1.0)");
    CHECK_STR(q->att_status, "OBS_STATUS");
    CHECK_STR(q->att_conf, "CONF_STATUS");
    CHECK_STR(q->att_comment, "COMMENT_OBS");
    CHECK_STR(q->conf_primary, "A");
    CHECK_INT(q->ntables, 8);
    /* The EU's composition per year, from the definition. */
    CHECK_STR(cia_qdef_sdmx_code(q, "CITIZEN", "EU_FOR", 2012), "EU27_2007_FOR");
    CHECK_STR(cia_qdef_sdmx_code(q, "CITIZEN", "EU_FOR", 2020), "EU28_FOR");
    CHECK_STR(cia_qdef_sdmx_code(q, "CITIZEN", "NEU_FOR", 2021), "NEU27_2020_FOR");
    CHECK_STR(cia_qdef_sdmx_code(q, "CITIZEN", "NAT", 2021), "NAT");
    CHECK(cia_qdef_sdmx_code(q, "CITIZEN", "EU", 2021) == NULL);
    const cia_qtable *t = table(q, "victims_age");
    if (t) {
        CHECK(t->use.item == NULL);
        CHECK_STR(t->cols.v[0].a.item, "shelter.victims_admitted");
        CHECK_STR(t->cols.v[11].a.item, "shelter.victims_admitted+shelter.victims_presumed");
        CHECK_INT(t->rows.n, 4);
        CHECK_INT(t->cols.n, 12);
        CHECK_STR(t->rows.v[0].a.f[0].k, "age_group");
        CHECK_STR(t->rows.v[0].a.key[0].v, "Y_LT18");
        CHECK_STR(t->cols.v[4].label[1], "Présumées : femmes");
        CHECK_INT(t->nfoot, 1);
    }
    t = table(q, "offenders_sex");
    if (t) {
        CHECK_INT(t->nna, 6);
        CHECK_INT(t->foot[0].status, 'd');
        CHECK(t->foot[0].text[2] != NULL);
    }
    t = table(q, "victims_form");
    if (t) CHECK_STR(t->rows.v[2].a.f[0].v, "BEG,CRIM,ORG,OTH");
    cia_qdef_free(q);
}

static void greta_tip(void)
{
    cia_qdef *q = load("greta");
    if (q) {
        CHECK_INT(q->has_sdmx, 0);
        CHECK_INT(q->ntables, 8);
        CHECK_INT(q->nsame, 1);
        CHECK(cia_strv_find(&q->protect, "documents") >= 0);
        const cia_qtable *t = table(q, "victims_nationality");
        if (t) CHECK_STR(t->rows.v[0].each, "nationality");
        t = table(q, "justice");
        if (t) {
            CHECK_INT(t->cols.n, 4);
            CHECK_INT(t->cols.v[0].a.year_off, -3);
            CHECK_STR(t->use.f[0].v, "THB");
        }
    }
    cia_qdef_free(q);
    q = load("tip");
    if (q) {
        CHECK_INT(q->ntexts, 1);
        CHECK_INT(q->texts[0].sentences.n, 11);
        CHECK_INT(q->texts[0].notes.n, 2 * CIA_Q_LANGS);
        const cia_qtable *t = table(q, "figures");
        if (t) {
            CHECK_INT(t->cols.n, 1);
            CHECK_INT(t->rows.n, 38);
        }
    }
    cia_qdef_free(q);
}

/* Each broken definition: refused, CIA_EDATA, "name:line:column: ...";
 * the column (col; NULL: not checked) also for what is found after
 * reading, at the word to correct. */
static void broken(void)
{
    static const struct { const char *text; long line; const char *msg; const char *col; } cases[] = {
        {"title \"x\"\n", 1, "must start with `questionnaire ID`", NULL},
        {"questionnaire t\n", 1, "no `title` line", "1"},
        {"questionnaire t\ntitle \"x\"\n", 1, "no table", NULL},
        {"questionnaire t\ntitle \"x\n", 2, "a quote opened here is not closed", NULL},
        {"questionnaire t\ntitle \"x\"\ntable a \"A\"\n  use item=x.y\n  row r \"R\"\n", 3, "needs rows and columns", "7"},
        {"questionnaire t\ntitle \"x\"\ntable a \"A\"\n  rows nope\n", 4, "no axis 'nope'", NULL},
        {"questionnaire t\ntitle \"x\"\ntable a \"A\"\n  row r \"R\" item=x.y\n  row r \"S\" item=x.y\n  col c \"C\"\n",
         5, "key 'r' given twice", NULL},
        {"questionnaire t\ntitle \"x\"\ntable a \"A\"\n  row r \"R\" sex=F\n  col c \"C\" sex=M item=x.y\n", 5,
         "row r and column c both filter sex", "13"},
        {"questionnaire t\ntitle \"x\"\ntable a \"A\"\n  row r \"R\"\n  col c \"C\"\n", 4, "no item for row r, column c", "7"},
        {"questionnaire t\ntitle \"x\"\ntable a \"A\"\n  row r \"R\" year=x item=x.y\n", 4, "expected an offset", NULL},
        {"questionnaire t\ntitle \"x\"\ntable a \"A\"\n  row r \"R\" @sex=F item=x.y\n", 4, "declare `sdmx columns` first", NULL},
        {"questionnaire t\ntitle \"x\"\nsdmx columns sex=T unit=NR geo=BE\n", 3, "freq first", NULL},
        {"questionnaire t\ntitle \"x\"\nsdmx columns freq=A sex=T unit=NR geo=BE\ntable a \"A\"\n  row r \"R\" item=x.y\n"
         "  col c \"C\"\n", 3, "without `sdmx dataflow`", "6"},
        {"questionnaire t\ntitle \"x\"\ntable a \"A\"\n  use item=x.y\n  row r \"R\"\n  col c \"C\"\ntext d \"D\"\n"
         "  sentence \"{r} and {z}\"\n", 8, "no answer 'z'", "22"},
        {"questionnaire t\ntitle \"x\"\ntable a \"A\"\n  use item=x.y\n  row r \"R\"\n  col c \"C\"\ntext d \"D\"\n"
         "  sentence \"{r:width}\"\n", 8, "expected :year or :short", "16"},
        {"questionnaire t\ntitle \"x\"\ntable a \"A\"\n  row each sex\n  col c \"C\" item=x.y\n", 4,
         "`each` needs the item on the table's `use` line", "7"},
        {"questionnaire t\ntitle \"x\"\nsuppress lots\n", 3, "expected `suppress N`", NULL},
        {"questionnaire t\ntitle \"x\"\nsdmx dataflow THB_BE\n", 3, "AGENCY:ID(VERSION)", NULL},
        {"questionnaire t\ntitle \"x\"\nsdmx codes sex F\n", 3, "declare `sdmx columns` first", NULL},
        {"questionnaire t\ntitle \"x\"\nsdmx columns freq=A sex=T unit=NR geo=BE\nsdmx period sex X 2013-2020=A 2019-=B\n",
         4, "overlaps", NULL},
        {"questionnaire t\ntitle \"x\"\nsdmx dataflow A:B(1.0)\nsdmx columns freq=A sex=T unit=NR geo=BE\n"
         "sdmx codes sex F M T\ntable a \"A\"\n  row r \"R\" item=x.y @sex=X\n  col c \"C\"\n", 7,
         "SDMX code 'X' is not in the code list of sex", "27"},
        {"questionnaire t\ntitle \"x\"\ntable a \"A\"\n  use item=x.y\n  row r \"R\"\n  col c \"C\"\n"
         "  footnote r z \"why\"\n", 7, "footnote: table a has no column 'z'", "14"},
        {"questionnaire t\ntitle \"x\"\ntable a \"A\"\n  use item=x.y\n  row r \"R\"\n  col c \"C\"\n"
         "  footnote r c \"why\" status=e\n", 7, "status=d", NULL},
        {"questionnaire t\ntitle \"x\"\nfrobnicate\n", 3, "unknown line 'frobnicate'", NULL},
        {"questionnaire u\ntitle \"x\"\ntable a \"A\"\n  use item=x.y\n  row r \"R\"\n  col c \"C\"\n", 1,
         "name the file u.q", "15"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cia_qdef *q = NULL;
        cia_err e;
        cia_err_clear(&e);
        int rc = cia_qdef_parse("defs/t.q", cases[i].text, strlen(cases[i].text), &q, &e);
        const char *col = cases[i].col ? cases[i].col : "";
        if (rc != CIA_EDATA || e.line != cases[i].line || !strstr(e.msg, cases[i].msg) || (*col && strcmp(e.column, col))) {
            fprintf(stderr, "  case %zu: rc %d, line %ld:%s, \"%s\"; expected line %ld:%s, \"%s\"\n", i, rc, e.line,
                    e.column, e.msg, cases[i].line, col, cases[i].msg);
            unit_failures_in_test++;
        }
        CHECK(q == NULL);
        CHECK_STR(e.file, "defs/t.q");
    }
}

/* A minimal valid one, with the defaults filled in. */
static void minimal(void)
{
    const char *text =
        "# a comment\n"
        "questionnaire t\n"
        "title \"Test \"\"quoted\"\"\" fr=\"Essai\"\n"
        "axis s\n"
        "  F \"Women\" sex=F   # trailing comment\n"
        "  T \"Total\"\n"
        "table a \"A\"\n"
        "  use item=x.y offence=THB\n"
        "  rows s\n"
        "  col v \"V\" year=-1 offence=-\n"
        "  note \"n\"\n";
    cia_qdef *q = NULL;
    cia_err e;
    CHECK_INT(cia_qdef_parse("t.q", text, strlen(text), &q, &e), 0);
    if (!q) return;
    CHECK_STR(q->title[0], "Test \"quoted\"");
    CHECK_STR(q->title[1], "Essai");
    CHECK(q->title[2] == NULL);
    CHECK_INT(q->threshold, 3);
    CHECK_STR(q->protect.v[0], "persons");
    CHECK_STR(q->lang, "en");
    CHECK_INT(q->tables[0].rows.n, 2);
    CHECK_INT(q->tables[0].cols.v[0].a.year_off, -1);
    CHECK_STR(q->tables[0].cols.v[0].a.f[0].v, "-");
    CHECK_INT((int)q->tables[0].nnotes, 1);
    CHECK_INT((int)strlen(q->sha256), 64);
    cia_qdef_free(q);
}

UNIT_MAIN(T(compiled_in), T(eurostat), T(greta_tip), T(broken), T(minimal))
