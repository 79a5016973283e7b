/* test_spec.c — etl/spec.c: every embedded service spec parses and says
 * what FORMATS.md says (delimiter, primary date, unique key, scope,
 * required fields, accepted headers, code lists, rules, item groups); bad
 * spec text is refused with a located message. */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/spec.h"
#include "ciatteh/util.h"
#include "unit.h"

static cia_spec *load(const char *service)
{
    cia_spec *s = NULL;
    cia_err e;
    cia_err_clear(&e);
    int rc = cia_spec_load(&s, service, &e);
    if (rc) fprintf(stderr, "  %s: %s\n", service, e.msg);
    CHECK_INT(rc, CIA_OK);
    return rc ? NULL : s;
}

static const struct cia_field *field(const cia_spec *s, const char *name)
{
    int i = cia_spec_field(s, name);
    if (i < 0) { fprintf(stderr, "  %s: no field %s\n", s->service, name); return NULL; }
    return &s->fields[i];
}

static int accepts(const cia_spec *s, const char *name, const char *header)
{
    const struct cia_field *f = field(s, name);
    if (!f) return 0;
    for (size_t i = 0; i < f->nheaders; i++)
        if (!strcmp(f->headers[i], header)) return 1;
    return 0;
}

struct seen { int n; char names[16][32]; };

static int parse_one(const char *path, const char *data, size_t len, void *arg)
{
    struct seen *sn = arg;
    cia_spec *s = NULL;
    cia_err e;
    cia_err_clear(&e);
    int rc = cia_spec_parse(&s, path, data, len, &e);
    if (rc) fprintf(stderr, "  %s: %s\n", path, e.msg);
    CHECK_INT(rc, CIA_OK);
    if (rc) return 0;
    /* the service is named after its file */
    const char *base = strrchr(path, '/') + 1;
    CHECK(strncmp(base, s->service, strlen(s->service)) == 0 && !strcmp(base + strlen(s->service), ".spec"));
    CHECK(s->title && *s->title);
    CHECK(s->table && !strcmp(s->table + strlen(s->table) - 7, "_record"));
    CHECK(s->primary >= 0 && (size_t)s->primary < s->nfields);
    CHECK(s->fields[s->primary].type == CIA_T_DATE || s->fields[s->primary].type == CIA_T_YEAR);
    CHECK(s->fields[s->primary].required);
    CHECK(s->nunique >= 1);
    for (size_t i = 0; i < s->nunique; i++) CHECK(s->fields[s->unique[i]].required);
    for (size_t i = 0; i < s->nfields; i++) {
        const struct cia_field *f = &s->fields[i];
        CHECK(f->nheaders >= 2);                         /* at least two languages */
        CHECK(!strcmp(f->headers[0], f->name));          /* the English name first */
        for (size_t h = 0; h < f->nheaders; h++)         /* folded: lower case, no spaces around */
            for (const char *p = f->headers[h]; *p; p++) CHECK(!(*p >= 'A' && *p <= 'Z') && *p != ' ');
        if (f->type == CIA_T_CODE || f->type == CIA_T_BOOL) CHECK(f->list && *f->list);
        /* no header accepted for two fields */
        for (size_t j = 0; j < i; j++)
            for (size_t h = 0; h < f->nheaders; h++)
                for (size_t k = 0; k < s->fields[j].nheaders; k++)
                    CHECK(strcmp(f->headers[h], s->fields[j].headers[k]) != 0);
    }
    if (sn->n < 16) snprintf(sn->names[sn->n++], 32, "%s", s->service);
    cia_spec_free(s);
    return 0;
}

static void every_embedded_spec_parses(void)
{
    struct seen sn = {0};
    cia_embedded_each("etl/specs/", parse_one, &sn);
    CHECK_INT(sn.n, 6);
    const char *want[] = {"convictions", "immigration", "inspectorates", "police", "prosecution", "shelters"};
    for (int i = 0; i < 6 && i < sn.n; i++) CHECK_STR(sn.names[i], want[i]);
    const char *list = cia_spec_services();
    for (int i = 0; i < 6; i++) CHECK(strstr(list, want[i]) != NULL);
}

static void police_spec(void)
{
    cia_spec *s = load("police");
    if (!s) return;
    CHECK_INT(s->delimiter, ';');
    CHECK_STR(s->fields[s->primary].name, "registration_date");
    CHECK_INT(s->scope, -1);
    CHECK_INT(s->nunique, 1);
    CHECK_STR(s->fields[s->unique[0]].name, "fact_ref");
    CHECK(field(s, "fact_ref")->type == CIA_T_REF);
    CHECK(field(s, "district")->type == CIA_T_CODE);
    CHECK_STR(field(s, "district")->list, "district");
    CHECK_STR(field(s, "offence")->list, "offence");
    CHECK_STR(field(s, "exploitation_form")->list, "form");
    CHECK(field(s, "suspects")->type == CIA_T_INT);
    CHECK(!field(s, "suspects")->required);
    CHECK(!field(s, "exploitation_form")->required);   /* required for THB only: a rule */
    CHECK(field(s, "district")->required);
    CHECK(accepts(s, "registration_date", "registratiedatum"));
    CHECK(accepts(s, "registration_date", "date_enregistrement"));
    CHECK(accepts(s, "district", "arrondissement_judiciaire"));
    CHECK(accepts(s, "district", "gerechtelijk_arrondissement"));
    CHECK(accepts(s, "offence", "misdrijf"));
    CHECK(accepts(s, "exploitation_form", "uitbuitingsvorm"));
    CHECK(accepts(s, "suspects", "verdachten"));
    CHECK(accepts(s, "victims", "slachtoffers"));
    CHECK_INT(s->nrules, 1);
    CHECK(s->rules[0].kind == CIA_R_REQUIRED_WHEN);
    CHECK_STR(s->fields[s->rules[0].field].name, "exploitation_form");
    CHECK_STR(s->fields[s->rules[0].other].name, "offence");
    CHECK(s->rules[0].op == CIA_C_EQ);
    CHECK_INT(s->rules[0].nvalues, 1);
    CHECK_STR(s->rules[0].values[0], "THB");
    cia_spec_free(s);
}

static void prosecution_spec(void)
{
    cia_spec *s = load("prosecution");
    if (!s) return;
    CHECK_INT(s->delimiter, ';');
    CHECK_STR(s->fields[s->primary].name, "entry_date");
    CHECK(accepts(s, "case_ref", "notitienummer"));
    CHECK(accepts(s, "offence", "prevention"));
    CHECK(accepts(s, "decision", "decision_parquet"));
    CHECK(accepts(s, "decision_date", "datum_beslissing"));
    CHECK(!field(s, "decision_date")->required);
    CHECK(!field(s, "defendants")->required);
    CHECK_INT(s->nrules, 4);
    int req = 0, empty = 0, nb = 0;
    for (size_t i = 0; i < s->nrules; i++) {
        const struct cia_rule *r = &s->rules[i];
        if (r->kind == CIA_R_REQUIRED_WHEN && !strcmp(s->fields[r->field].name, "decision_date")) {
            req++;
            CHECK(r->op == CIA_C_NE);
            CHECK_STR(r->values[0], "PENDING");
        }
        if (r->kind == CIA_R_EMPTY_WHEN) {
            empty++;
            CHECK(r->op == CIA_C_EQ);
            CHECK_STR(r->values[0], "PENDING");
        }
        if (r->kind == CIA_R_NOT_BEFORE) {
            nb++;
            CHECK_STR(s->fields[r->field].name, "decision_date");
            CHECK_STR(s->fields[r->other].name, "entry_date");
        }
    }
    CHECK_INT(req, 1);
    CHECK_INT(empty, 1);
    CHECK_INT(nb, 1);
    cia_spec_free(s);
}

static void inspectorates_spec(void)
{
    cia_spec *s = load("inspectorates");
    if (!s) return;
    CHECK_INT(s->delimiter, ',');
    CHECK_STR(s->fields[s->primary].name, "year");
    CHECK(s->fields[s->primary].type == CIA_T_YEAR);
    /* (year, inspectorate, sector) may appear once */
    CHECK_INT(s->nunique, 3);
    if (s->nunique == 3) {
        CHECK_STR(s->fields[s->unique[0]].name, "year");
        CHECK_STR(s->fields[s->unique[1]].name, "inspectorate");
        CHECK_STR(s->fields[s->unique[2]].name, "sector");
    }
    CHECK_STR(field(s, "sector")->list, "sector");
    CHECK(field(s, "inspections")->type == CIA_T_COUNT);
    CHECK(field(s, "inspections")->required);
    CHECK(field(s, "thb_reports")->required);
    CHECK(field(s, "victims_referred")->required);
    CHECK(accepts(s, "inspections", "controles_nb"));
    CHECK(accepts(s, "thb_reports", "pv_mensenhandel"));
    CHECK(accepts(s, "victims_referred", "doorverwezen_slachtoffers"));
    CHECK_INT(s->nrules, 0);
    cia_spec_free(s);
}

static void shelters_spec(void)
{
    cia_spec *s = load("shelters");
    if (!s) return;
    CHECK_INT(s->delimiter, ';');
    CHECK_STR(s->fields[s->primary].name, "referral_date");
    CHECK(s->scope >= 0);
    if (s->scope >= 0) CHECK_STR(s->fields[s->scope].name, "centre");
    CHECK_INT(s->nunique, 2);   /* person_ref unique within a centre */
    CHECK(field(s, "nationality")->type == CIA_T_COUNTRY);
    CHECK(field(s, "admitted")->type == CIA_T_BOOL);
    CHECK_STR(field(s, "admitted")->list, "yesno");
    CHECK(field(s, "admitted")->required);
    CHECK(!field(s, "admission_date")->required);
    CHECK(accepts(s, "centre", "centrum"));
    CHECK(accepts(s, "referred_by", "oriente_par"));
    CHECK(accepts(s, "admitted", "accueilli"));
    CHECK(accepts(s, "admission_date", "datum_opname"));
    CHECK_INT(s->nrules, 3);
    cia_spec_free(s);
}

static void convictions_spec(void)
{
    cia_spec *s = load("convictions");
    if (!s) return;
    CHECK_STR(s->fields[s->primary].name, "judgment_date");
    CHECK(field(s, "fine_eur")->type == CIA_T_AMOUNT);
    CHECK(field(s, "nationality")->type == CIA_T_ISO2);
    CHECK(field(s, "confiscation")->type == CIA_T_BOOL);
    CHECK(field(s, "prison_months")->empty_is_zero);    /* empty or 0 = no prison term */
    CHECK(!field(s, "suspended_months")->empty_is_zero);
    CHECK(accepts(s, "prison_months", "emprisonnement_mois"));
    CHECK(accepts(s, "suspension", "sursis"));
    CHECK(accepts(s, "suspended_months", "uitstel_maanden"));
    CHECK(accepts(s, "fine_eur", "geldboete_eur"));
    CHECK(accepts(s, "confiscation", "verbeurdverklaring"));
    CHECK_INT(s->nrules, 5);
    int kinds[4] = {0};
    for (size_t i = 0; i < s->nrules; i++) kinds[s->rules[i].kind]++;
    CHECK_INT(kinds[CIA_R_REQUIRED_WHEN], 2);
    CHECK_INT(kinds[CIA_R_EMPTY_WHEN], 1);
    CHECK_INT(kinds[CIA_R_LESS_THAN], 1);
    CHECK_INT(kinds[CIA_R_NOT_BEFORE], 1);
    for (size_t i = 0; i < s->nrules; i++) {
        const struct cia_rule *r = &s->rules[i];
        if (r->kind == CIA_R_REQUIRED_WHEN && !strcmp(s->fields[r->field].name, "suspension"))
            CHECK(r->op == CIA_C_GT0);
        if (r->kind == CIA_R_EMPTY_WHEN) CHECK(r->op == CIA_C_ZERO);
        if (r->kind == CIA_R_LESS_THAN) {
            CHECK_STR(s->fields[r->field].name, "suspended_months");
            CHECK_STR(s->fields[r->other].name, "prison_months");
        }
    }
    cia_spec_free(s);
}

static void immigration_spec(void)
{
    cia_spec *s = load("immigration");
    if (!s) return;
    CHECK_INT(s->delimiter, ',');
    CHECK_STR(s->fields[s->primary].name, "issue_date");
    CHECK_STR(field(s, "procedure")->list, "offence");   /* the procedure is the offence */
    CHECK_STR(field(s, "document_type")->list, "document");
    CHECK(field(s, "minor")->type == CIA_T_BOOL);
    CHECK(accepts(s, "issue_date", "date_delivrance"));
    cia_spec_free(s);
}

static void unknown_service(void)
{
    cia_spec *s = NULL;
    cia_err e;
    cia_err_clear(&e);
    CHECK_INT(cia_spec_load(&s, "customs", &e), CIA_EUSAGE);
    CHECK(strstr(e.msg, "unknown service 'customs'") != NULL);
    CHECK(strstr(e.msg, "police") != NULL && strstr(e.msg, "shelters") != NULL);
    CHECK_INT(cia_spec_load(&s, "../specs/police", &e), CIA_EUSAGE);
}

/* ---- bad spec text ---------------------------------------------------- */

#define HEAD "service x\ntitle X\ntable x_record\nprimary d\nunique r\n"
#define FIELDS "field d date required d | dd\nfield r ref required r | rr\n"

/* Parse text; expect failure with a message containing want (and, when
 * line > 0, located at that line). */
static void bad(const char *text, const char *want, long line)
{
    cia_spec *s = NULL;
    cia_err e;
    cia_err_clear(&e);
    int rc = cia_spec_parse(&s, "t.spec", text, strlen(text), &e);
    if (rc == CIA_OK) {
        fprintf(stderr, "  accepted bad spec:\n%s\n", text);
        cia_spec_free(s);
        unit_failures_in_test++;
        return;
    }
    CHECK_INT(rc, CIA_EINTERNAL);
    if (!strstr(e.msg, want)) {
        fprintf(stderr, "  message '%s' lacks '%s'\n", e.msg, want);
        unit_failures_in_test++;
    }
    if (line > 0) CHECK_INT(e.line, line);
}

static void good_minimal_spec(void)
{
    const char *t = "# comment\n" HEAD "\n" FIELDS
                    "field c code:form optional c | cc   # trailing comment\n"
                    "field n int optional,empty0 N | Nombre\n"
                    "rule required c when n > 0\n";
    cia_spec *s = NULL;
    cia_err e;
    cia_err_clear(&e);
    CHECK_INT(cia_spec_parse(&s, "t.spec", t, strlen(t), &e), CIA_OK);
    if (!s) return;
    CHECK_INT(s->nfields, 4);
    CHECK_INT(s->delimiter, ';');                   /* the default */
    CHECK_STR(s->fields[2].list, "form");
    CHECK_INT(s->fields[2].nheaders, 2);
    CHECK_STR(s->fields[2].headers[1], "cc");
    CHECK_STR(s->fields[3].headers[0], "n");        /* folded */
    CHECK_STR(s->fields[3].headers[1], "nombre");
    CHECK(s->fields[3].empty_is_zero);
    CHECK(!s->fields[3].required);
    CHECK_INT(s->nrules, 1);
    cia_spec_free(s);
    const char *tab = HEAD "delimiter tab\n" FIELDS;
    CHECK_INT(cia_spec_parse(&s, "t.spec", tab, strlen(tab), &e), CIA_OK);
    if (s) CHECK_INT(s->delimiter, '\t');
    cia_spec_free(s);
}

static void bad_spec_text(void)
{
    bad(HEAD FIELDS "colour blue\n", "unknown keyword 'colour'", 8);
    bad(HEAD FIELDS "field z decimal optional z\n", "unknown type 'decimal'", 8);
    bad(HEAD FIELDS "field z code optional z\n", "code needs a list", 8);
    bad(HEAD FIELDS "field z int\n", "expected NAME TYPE REQUIRED HEADERS", 8);
    bad(HEAD FIELDS "field z int optional\n", "field z has no header names", 8);
    bad(HEAD FIELDS "rule required zz when d = X\n", "unknown field 'zz'", 8);
    bad(HEAD FIELDS "rule required r when zz = X\n", "unknown field 'zz'", 8);
    bad(HEAD FIELDS "rule required r when d ~ X\n", "bad condition", 8);
    bad(HEAD FIELDS "rule required r when d\n", "condition expected", 8);
    bad(HEAD FIELDS "rule frobnicate r d\n", "not understood", 8);
    bad(HEAD FIELDS "rule less r\n", "too short", 8);
    bad(HEAD FIELDS "rule less r d\n", "not understood", 8);
    bad("title X\ntable x_record\nprimary d\nunique r\n" FIELDS, "service, table, primary, unique and fields are required", 0);
    bad("service x\ntitle X\nprimary d\nunique r\n" FIELDS, "are required", 0);
    bad("service x\ntitle X\ntable x_record\nunique r\n" FIELDS, "are required", 0);
    bad("service x\ntitle X\ntable x_record\nprimary d\n" FIELDS, "are required", 0);
    bad(HEAD, "are required", 0);
    bad("service x\ntitle X\ntable x_record\nprimary nosuch\nunique r\n" FIELDS, "unknown field 'nosuch'", 0);
    bad("service x\ntitle X\ntable x_record\nprimary d\nunique r nosuch\n" FIELDS, "unknown field 'nosuch'", 0);
    bad(HEAD "scope nosuch\n" FIELDS, "unknown field 'nosuch'", 0);
}

/* Line numbers count every line, blank ones and comments included. */
static void bad_spec_line_numbers(void)
{
    bad(HEAD "\n\n# comment\n\n" FIELDS "colour blue\n", "unknown keyword 'colour'", 12);
    bad(HEAD "\n\n" FIELDS "\nrule frobnicate r d\n", "not understood", 11);
}

/* Typos that would silently change the meaning of a spec are refused. */
static void bad_spec_typos(void)
{
    bad(HEAD FIELDS "field z int reqired z | zz\n", "required or optional", 8);
    bad(HEAD FIELDS "field z int optional,empty1 z | zz\n", "required or optional", 8);
    bad(HEAD "delimiter\n" FIELDS, "delimiter", 6);
    bad(HEAD "delimiter ;;\n" FIELDS, "delimiter", 6);
    bad(HEAD FIELDS "field d int optional z | zz\n", "field d declared twice", 8);
}


/* ---- group, sum, lag ---------------------------------------------------- */

/* Convictions have no group table (their combinations are as many as the
 * bulletins: see the spec), only the registration delay. */
static void convictions_groups(void)
{
    cia_spec *s = load("convictions");
    if (!s) return;
    CHECK_INT(s->ngroups, 0);
    CHECK_INT(s->nsums, 0);
    CHECK_INT(s->lag, 1);
    CHECK_STR(s->fields[s->lag_field].name, "registration_date");
    CHECK_STR(s->fields[s->lag_from].name, "judgment_date");
    cia_spec_free(s);
}

static void every_spec_groups(void)
{
    static const struct { const char *svc; size_t ngroups, nsums; const char *sums; } want[] = {
        {"police", 4, 2, "suspects victims"},
        {"prosecution", 6, 1, "defendants"},
        {"inspectorates", 3, 3, "inspections thb_reports victims_referred"},
        {"shelters", 8, 0, ""},
        {"convictions", 0, 0, ""},
        {"immigration", 6, 0, ""},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        cia_spec *s = load(want[i].svc);
        if (!s) continue;
        CHECK_INT(s->ngroups, want[i].ngroups);
        CHECK_INT(s->nsums, want[i].nsums);
        char buf[256] = "";
        for (size_t j = 0; j < s->nsums; j++)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", j ? " " : "", s->sums[j].column);
        CHECK_STR(buf, want[i].sums);
        CHECK_INT(s->lag, !strcmp(want[i].svc, "convictions"));
        cia_spec_free(s);
    }
    cia_spec *s = load("shelters");
    if (!s) return;
    int age = -1;
    for (size_t i = 0; i < s->ngroups; i++)
        if (!strcmp(s->groups[i].column, "age_group")) age = (int)i;
    CHECK(age >= 0);
    if (age >= 0) {
        CHECK(s->groups[age].grain == CIA_G_BAND);
        CHECK_INT(s->groups[age].nband, 2);
        CHECK_INT(s->groups[age].band_from[1], 18);
        CHECK_STR(s->groups[age].band_code[1], "ADULT");
    }
    cia_spec_free(s);
}

#define GFIELDS "field c code:form optional c | cc\nfield b bool optional b | bb\n" \
                "field i int optional i | ii\nfield k count optional k | kk\n" \
                "field a amount optional a | aa\nfield y year optional y | yy\n" \
                "field g date optional g | gg\nfield n2 iso2 optional n2 | nn\n"
/* HEAD FIELDS GFIELDS: the group lines start at line 16 */
#define G HEAD FIELDS GFIELDS

static void good_group_lines(void)
{
    /* group lines may come before the fields they name */
    const char *t = HEAD "group yr g year\nsum isum i\n" FIELDS GFIELDS
                    "group c c\ngroup b b\ngroup i i\ngroup y y\ngroup y2 y year\ngroup n2 n2\n"
                    "group ib i band 0=A 10=B\ngroup ks k sign\ngroup as a sign\ngroup is i sign\n"
                    "sum bsum b\nsum asign a sign\nsum ksign k sign\n"
                    "sum ksum k\nrule not_before g d\nlag g d\n";
    cia_spec *s = NULL;
    cia_err e;
    cia_err_clear(&e);
    CHECK_INT(cia_spec_parse(&s, "t.spec", t, strlen(t), &e), CIA_OK);
    if (!s) { fprintf(stderr, "  %s\n", e.msg); return; }
    CHECK_INT(s->ngroups, 11);
    CHECK_INT(s->nsums, 5);
    if (s->nsums == 5) {
        CHECK(!s->sums[1].sign);
        CHECK(s->sums[2].sign && s->sums[3].sign);
    }
    if (s->ngroups == 11) {
        CHECK_STR(s->groups[0].column, "yr");   /* in the order of the lines */
        CHECK(s->groups[0].grain == CIA_G_YEAR);
        CHECK(s->groups[4].grain == CIA_G_VALUE);   /* a year field's value */
        CHECK(s->groups[5].grain == CIA_G_YEAR);
        CHECK(s->groups[7].grain == CIA_G_BAND);
        CHECK_INT(s->groups[7].nband, 2);
        CHECK(s->groups[10].grain == CIA_G_SIGN);
    }
    if (s->nsums == 5) {
        CHECK_STR(s->sums[0].column, "isum");
        CHECK_STR(s->fields[s->sums[4].field].name, "k");
        CHECK_STR(s->fields[s->sums[1].field].name, "b");
    }
    CHECK_INT(s->lag, 1);
    cia_spec_free(s);
    /* no group line: nothing */
    t = HEAD FIELDS;
    CHECK_INT(cia_spec_parse(&s, "t.spec", t, strlen(t), &e), CIA_OK);
    if (s) CHECK(!s->ngroups && !s->nsums && !s->lag);
    cia_spec_free(s);
}

static void bad_group_lines(void)
{
    /* names */
    bad(G "group\n", "group: expected COLUMN FIELD", 16);
    bad(G "group c\n", "group: expected COLUMN FIELD", 16);
    bad(G "group Col c\n", "group Col: a column name is", 16);
    bad(G "group 1c c\n", "group 1c: a column name is", 16);
    bad(G "group c-d c\n", "a column name is", 16);
    bad(G "group abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefgh c\n", "a column name is", 16);
    bad(G "group n c\n", "already has a column n", 16);
    bad(G "group scope c\n", "already has a column scope", 16);
    bad(G "group dyear y\n", "already has a column dyear", 16);
    bad(G "group delivery_id c\n", "already has a column delivery_id", 16);
    bad(G "group x c\ngroup x b\n", "group x: the group table already has a column x", 17);
    bad(G "sum x i\ngroup x c\n", "already has a column x", 17);
    bad(G "sum x i\ngroup x_known c\n", "already has a column x_known", 17);
    bad(G "group x_known c\nsum x i\n", "sum x: the group table already has a column x_known", 17);
    bad(G "sum x i\nsum x k\n", "already has a column x", 17);
    /* fields */
    bad(G "group x nosuch\n", "unknown field 'nosuch'", 16);
    bad(G "group x r\n", "r is a reference", 16);
    bad(G "sum x r\n", "r is a reference", 16);
    /* grains that do not fit the field */
    bad(G "group x d\n", "d is a date field: group on its year", 16);
    bad(G "group x k\n", "k is a count field: group on its sign", 16);
    bad(G "group x a\n", "a is an amount field: group on its sign", 16);
    bad(G "group x c year\n", "year needs a date or year field", 16);
    bad(G "group x i year\n", "year needs a date or year field", 16);
    bad(G "group x c sign\n", "sign needs an int, count or amount field", 16);
    bad(G "group x b sign\n", "sign needs an int, count or amount field", 16);
    bad(G "group x c band 0=A\n", "band needs an int field", 16);
    bad(G "group x k band 0=A\n", "band needs an int field", 16);
    bad(G "group x y band 0=A\n", "band needs an int field", 16);
    bad(G "group x c month\n", "'month' not understood", 16);
    bad(G "group x d year extra\n", "'extra' after year not understood", 16);
    bad(G "group x i sign 0=A\n", "'0=A' after sign not understood", 16);
    /* bands */
    bad(G "group x i band\n", "band needs at least one V=CODE", 16);
    bad(G "group x i band 0\n", "band '0': expected V=CODE", 16);
    bad(G "group x i band 0=\n", "expected V=CODE", 16);
    bad(G "group x i band =A\n", "expected V=CODE", 16);
    bad(G "group x i band -1=A\n", "expected V=CODE", 16);
    bad(G "group x i band 1.5=A\n", "expected V=CODE", 16);
    bad(G "group x i band 0=A-B\n", "expected V=CODE", 16);
    bad(G "group x i band 10=A 5=B\n", "band 5 after 10: the bounds must ascend", 16);
    bad(G "group x i band 10=A 10=B\n", "the bounds must ascend", 16);
    bad(G "group x i band 0=A 10=A\n", "band code A given twice", 16);
    /* sums */
    bad(G "sum x\n", "sum: expected COLUMN FIELD", 16);
    bad(G "sum x i i\n", "sum: expected COLUMN FIELD", 16);
    bad(G "sum x a\n", "sum needs an int, count or bool field", 16);
    bad(G "sum x c\n", "sum needs an int, count or bool field", 16);
    bad(G "sum x d\n", "sum needs an int, count or bool field", 16);
    bad(G "sum x b sign\n", "sum ... sign needs an int, count or amount field", 16);
    bad(G "sum x c sign\n", "sum ... sign needs an int, count or amount field", 16);
    bad(G "sum x i band\n", "sum: expected COLUMN FIELD [sign]", 16);
    bad(G "sum N i\n", "a column name is", 16);
    /* lag */
    bad(G "lag g\n", "lag: expected FIELD FROM_FIELD", 16);
    bad(G "lag g d y\n", "lag: expected FIELD FROM_FIELD", 16);
    bad(G "lag g nosuch\n", "unknown field 'nosuch'", 16);
    bad(G "rule not_before g d\nlag g y\n", "both fields must be dates", 17);
    bad(G "lag d d\n", "two different dates", 16);
    bad(G "rule not_before g d\nlag g d\nlag g d\n", "lag given twice", 18);
    bad(G "lag g d\n", "needs 'rule not_before g d'", 16);
    bad(G "rule not_before d g\nlag g d\n", "needs 'rule not_before g d'", 17);
}

UNIT_MAIN(T(every_embedded_spec_parses), T(police_spec), T(prosecution_spec), T(inspectorates_spec),
          T(shelters_spec), T(convictions_spec), T(immigration_spec), T(unknown_service),
          T(good_minimal_spec), T(bad_spec_text), T(bad_spec_line_numbers), T(bad_spec_typos),
          T(convictions_groups), T(every_spec_groups), T(good_group_lines), T(bad_group_lines))
