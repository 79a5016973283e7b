/* test_validate.c — etl/validate.c: every field type of the extracts
 * (dates in three forms and their limits, 29 February, years, integers,
 * counts, amounts with a decimal comma and thousands separators, codes,
 * yes/no, countries, ISO alpha-2, references), the "not known" markers
 * against required fields, and the cross-field rules.  The code lists are
 * built here by hand (no database); countries come from iso-codes. */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/codes.h"
#include "ciatteh/country.h"
#include "ciatteh/spec.h"
#include "ciatteh/text.h"
#include "ciatteh/util.h"
#include "ciatteh/validate.h"
#include "unit.h"

static cia_codes codes;
static cia_countries *countries;
static struct cia_vctx ctx;

static void put(cia_map *m, const char *list, const char *label, const char *code)
{
    cia_buf f;
    cia_buf_init(&f);
    cia_fold(&f, label, strlen(label));
    char *key = cia_xasprintf("%s\x1f%s", list, f.data);
    cia_map_put(m, key, cia_xstrdup(code));
    free(key);
    cia_buf_free(&f);
}

static int setup(void)
{
    if (ctx.codes) return 1;
    memset(&codes, 0, sizeof codes);
    static const char *const m[][3] = {
        {"district", "ANT", "ANT"}, {"district", "Antwerp", "ANT"}, {"district", "Anvers", "ANT"},
        {"district", "Antwerpen", "ANT"}, {"district", "LIE", "LIE"}, {"district", "Liège", "LIE"},
        {"district", "Luik", "LIE"},
        {"form", "LAB", "LAB"}, {"form", "exploitation économique", "LAB"}, {"form", "SEX", "SEX"},
        {"offence", "THB", "THB"}, {"offence", "SMUG", "SMUG"}, {"offence", "mensenhandel", "THB"},
        {"decision", "PENDING", "PENDING"}, {"decision", "DISMISSED", "DISMISSED"},
        {"suspension", "NONE", "NONE"}, {"suspension", "PARTIAL", "PARTIAL"}, {"suspension", "FULL", "FULL"},
        {"yesno", "yes", "yes"}, {"yesno", "oui", "yes"}, {"yesno", "ja", "yes"}, {"yesno", "1", "yes"},
        {"yesno", "no", "no"}, {"yesno", "non", "no"}, {"yesno", "nee", "no"}, {"yesno", "0", "no"},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) put(&codes.match, m[i][0], m[i][1], m[i][2]);
    cia_map_put(&codes.accepted, "district", cia_xstrdup("ANT (Antwerp), LIE (Liège)"));
    cia_map_put(&codes.accepted, "yesno", cia_xstrdup("yes (yes), no (no)"));
    cia_err e;
    cia_err_clear(&e);
    if (cia_countries_load(&countries, &e)) {
        fprintf(stderr, "  countries: %s\n", e.msg);
        return 0;
    }
    ctx.codes = &codes;
    ctx.countries = countries;
    ctx.today = 20210630;
    return 1;
}

static struct cia_field fld(enum cia_ftype t, const char *list, int required)
{
    struct cia_field f;
    memset(&f, 0, sizeof f);
    f.name = (char *)"x";
    f.type = t;
    f.list = (char *)list;
    f.required = required;
    return f;
}

static char err[1200];
static struct cia_val val;

/* Valid: returns the standard text (NULL and a report when refused). */
static const char *ok(const struct cia_field *f, const char *raw)
{
    const char *msg = cia_validate_value(f, raw, strlen(raw), &ctx, &val, err, sizeof err);
    if (msg) {
        fprintf(stderr, "  '%s' refused: %s\n", raw, msg);
        unit_failures_in_test++;
        return NULL;
    }
    return val.known ? val.text : "(unknown)";
}

/* Refused: returns the message (NULL and a report when accepted). */
static const char *no(const struct cia_field *f, const char *raw)
{
    const char *msg = cia_validate_value(f, raw, strlen(raw), &ctx, &val, err, sizeof err);
    if (!msg) {
        fprintf(stderr, "  '%s' accepted as '%s'\n", raw, val.known ? val.text : "(unknown)");
        unit_failures_in_test++;
        return NULL;
    }
    return msg;
}

static void dates_three_forms(void)
{
    if (!setup()) { unit_failures_in_test++; return; }
    struct cia_field f = fld(CIA_T_DATE, NULL, 1);
    CHECK_STR(ok(&f, "2021-01-04"), "2021-01-04");
    CHECK_INT(val.num, 20210104);
    CHECK_STR(ok(&f, "04/01/2021"), "2021-01-04");   /* dd/mm/yyyy, not mm/dd */
    CHECK_STR(ok(&f, "04-01-2021"), "2021-01-04");
    CHECK_STR(ok(&f, "  31/12/2020 "), "2020-12-31");
    CHECK_INT(val.num, 20201231);
    CHECK_STR(no(&f, "2021/01/04"), "'2021/01/04' is not a date (use yyyy-mm-dd or dd/mm/yyyy)");
    CHECK_STR(no(&f, "4/1/2021"), "'4/1/2021' is not a date (use yyyy-mm-dd or dd/mm/yyyy)");
    CHECK(no(&f, "2021-1-04") != NULL);
    CHECK(no(&f, "04.01.2021") != NULL);
    CHECK(no(&f, "04/01-2021") != NULL);            /* mixed separators */
    CHECK(no(&f, "2021-01-04T10:00") != NULL);
    CHECK(no(&f, "20210104") != NULL);
    CHECK(no(&f, "2021-0a-04") != NULL);
    CHECK_STR(no(&f, "2021-13-01"), "'2021-13-01' is not a date (there is no month 13)");
    CHECK_STR(no(&f, "00/01/2021"), "'00/01/2021' is not a date (there is no 0 January 2021)");
    CHECK_STR(no(&f, "31/04/2021"), "'31/04/2021' is not a date (there is no 31 April 2021)");
    CHECK_STR(no(&f, "30/02/2020"), "'30/02/2020' is not a date (there is no 30 February 2020)");
}

static void dates_limits(void)
{
    if (!setup()) { unit_failures_in_test++; return; }
    struct cia_field f = fld(CIA_T_DATE, NULL, 0);
    CHECK_STR(ok(&f, "1995-01-01"), "1995-01-01");
    CHECK_STR(no(&f, "1994-12-31"), "date 1994-12-31 is before 1995");
    CHECK_STR(no(&f, "01/01/1900"), "date 01/01/1900 is before 1995");
    CHECK_STR(ok(&f, "2021-06-30"), "2021-06-30");  /* today */
    CHECK_STR(no(&f, "2021-07-01"), "date 2021-07-01 is in the future");
    CHECK_STR(no(&f, "01-07-2021"), "date 01-07-2021 is in the future");
    CHECK_STR(no(&f, "2099-01-01"), "date 2099-01-01 is in the future");
}

static void dates_29_february(void)
{
    int ymd = 0;
    char why[80];
    CHECK(cia_parse_date("29/02/2020", 10, &ymd, why, sizeof why));
    CHECK_INT(ymd, 20200229);
    CHECK(cia_parse_date("2000-02-29", 10, &ymd, why, sizeof why));   /* divisible by 400 */
    CHECK(cia_parse_date("29-02-1996", 10, &ymd, why, sizeof why));
    CHECK(!cia_parse_date("29/02/2021", 10, &ymd, why, sizeof why));
    CHECK_STR(why, "there is no 29 February 2021");
    CHECK(!cia_parse_date("2100-02-29", 10, &ymd, why, sizeof why));  /* divisible by 100 */
    CHECK(!cia_parse_date("1900-02-29", 10, &ymd, why, sizeof why));
    CHECK(cia_parse_date("2100-02-28", 10, &ymd, why, sizeof why));
    CHECK(!cia_parse_date("2021-02-29x", 11, &ymd, why, sizeof why));
    CHECK(!cia_parse_date("", 0, &ymd, why, sizeof why));
    /* dates as a field: 29 February 2020 fine, 2019 not */
    if (!setup()) { unit_failures_in_test++; return; }
    struct cia_field f = fld(CIA_T_DATE, NULL, 1);
    CHECK_STR(ok(&f, "29/02/2020"), "2020-02-29");
    CHECK_STR(no(&f, "29/02/2019"), "'29/02/2019' is not a date (there is no 29 February 2019)");
}

static void today_from_environment(void)
{
    setenv("CIATTEH_TODAY", "2020-02-29", 1);
    CHECK_INT(cia_today(), 20200229);
    setenv("CIATTEH_TODAY", "not a date", 1);
    CHECK(cia_today() > 20200229);                   /* falls back to the clock */
    unsetenv("CIATTEH_TODAY");
    CHECK(cia_today() > 19950101);
}

static void years(void)
{
    if (!setup()) { unit_failures_in_test++; return; }
    struct cia_field f = fld(CIA_T_YEAR, NULL, 1);
    CHECK_STR(ok(&f, "2021"), "2021");
    CHECK_INT(val.num, 2021);
    CHECK_STR(ok(&f, " 1995 "), "1995");
    CHECK_STR(no(&f, "2022"), "year 2022 is in the future");
    CHECK_STR(no(&f, "1994"), "year 1994 is before 1995");
    CHECK_STR(no(&f, "21"), "'21' is not a year (four digits)");
    CHECK_STR(no(&f, "2021.0"), "'2021.0' is not a year (four digits)");
    CHECK_STR(no(&f, "02021"), "'02021' is not a year (four digits)");
}

static void integers_and_counts(void)
{
    if (!setup()) { unit_failures_in_test++; return; }
    struct cia_field f = fld(CIA_T_INT, NULL, 0);
    CHECK_STR(ok(&f, "0"), "0");
    CHECK_INT(val.num, 0);
    CHECK_STR(ok(&f, "007"), "7");
    CHECK_INT(val.num, 7);
    CHECK_STR(ok(&f, " 12 "), "12");
    CHECK_STR(ok(&f, "999999999"), "999999999");
    CHECK_STR(ok(&f, "000000000000042"), "42");     /* leading zeros do not count */
    CHECK_STR(no(&f, "1000000000"), "1000000000 is too large");
    CHECK_STR(no(&f, "-1"), "'-1' is not a whole number (digits only, no sign)");
    CHECK_STR(no(&f, "+1"), "'+1' is not a whole number (digits only, no sign)");
    CHECK(no(&f, "1 000") != NULL);
    CHECK(no(&f, "1.0") != NULL);
    CHECK(no(&f, "1,5") != NULL);
    CHECK(no(&f, "two") != NULL);
    CHECK(no(&f, "\xd9\xa3") != NULL);               /* Arabic-Indic digit three */
    struct cia_field c = fld(CIA_T_COUNT, NULL, 1);
    CHECK_STR(ok(&c, "999999999999999"), "999999999999999");
    CHECK_INT(val.num, 999999999999999LL);
    CHECK_STR(no(&c, "1000000000000000"), "1000000000000000 is too large");
}

/* empty or 0 = no prison term; a marker leaves it unknown. */
static void empty_means_zero(void)
{
    if (!setup()) { unit_failures_in_test++; return; }
    struct cia_field f = fld(CIA_T_INT, NULL, 0);
    f.empty_is_zero = 1;
    CHECK_STR(ok(&f, ""), "0");
    CHECK_INT(val.known, 1);
    CHECK_STR(ok(&f, "   "), "0");
    CHECK_STR(ok(&f, "?"), "(unknown)");
    CHECK_STR(ok(&f, "inconnu"), "(unknown)");
    CHECK_STR(ok(&f, "12"), "12");
}

static void amounts(void)
{
    if (!setup()) { unit_failures_in_test++; return; }
    struct cia_field f = fld(CIA_T_AMOUNT, NULL, 0);
    CHECK_STR(ok(&f, "1.500,00"), "1500.00");       /* one thousand five hundred */
    CHECK_INT(val.num, 1500);
    CHECK_STR(ok(&f, "3 000,00"), "3000.00");
    CHECK_STR(ok(&f, "12\xc2\xa0" "000,50"), "12000.50");       /* no-break space */
    CHECK_STR(ok(&f, "1\xe2\x80\xaf" "000"), "1000.00");        /* narrow no-break space */
    CHECK_STR(ok(&f, "48000"), "48000.00");
    CHECK_STR(ok(&f, "48.000,00"), "48000.00");
    CHECK_STR(ok(&f, "1.234.567,89"), "1234567.89");
    CHECK_STR(ok(&f, "1 234 567,89"), "1234567.89");
    CHECK_STR(ok(&f, "0,5"), "0.50");
    CHECK_STR(ok(&f, "250,05"), "250.05");
    CHECK_STR(ok(&f, "0,00"), "0.00");
    CHECK_STR(ok(&f, "1.500"), "1500.00");          /* '.' groups thousands, never decimals */
    CHECK_STR(ok(&f, "999.999.999.999,99"), "999999999999.99");
    CHECK_STR(no(&f, "1.000.000.000.000,00"), "1.000.000.000.000,00 is too large (at most 12 digits before the comma)");
    CHECK_STR(no(&f, "1,500.00"), "'1,500.00' is not an amount (decimal comma, e.g. 1.500,00)");
    CHECK(no(&f, "1.50,00") != NULL);
    CHECK(no(&f, "15.00,00") != NULL);
    CHECK(no(&f, "1500.00") != NULL);
    CHECK(no(&f, "1.5000,00") != NULL);
    CHECK(no(&f, "1..500") != NULL);
    CHECK(no(&f, "1.") != NULL);
    CHECK(no(&f, ".500") != NULL);
    CHECK(no(&f, "1,") != NULL);
    CHECK(no(&f, ",50") != NULL);
    CHECK(no(&f, "1,505") != NULL);
    CHECK(no(&f, "-5,00") != NULL);
    CHECK(no(&f, "5,00 EUR") != NULL);
    CHECK(no(&f, "EUR 5") != NULL);
}

static void codes_any_language_any_case(void)
{
    if (!setup()) { unit_failures_in_test++; return; }
    struct cia_field f = fld(CIA_T_CODE, "form", 0);
    CHECK_STR(ok(&f, "EXPLOITATION \xc3\x89" "CONOMIQUE"), "LAB");  /* accented capital */
    CHECK_STR(ok(&f, "  exploitation   économique "), "LAB");
    CHECK_STR(ok(&f, "lab"), "LAB");                                /* the code itself */
    CHECK_STR(ok(&f, "-"), "(unknown)");
    struct cia_field d = fld(CIA_T_CODE, "district", 1);
    CHECK_STR(ok(&d, "ANVERS"), "ANT");
    CHECK_STR(ok(&d, "LI\xc3\x88GE"), "LIE");
    CHECK_STR(ok(&d, "luik"), "LIE");
    CHECK_STR(no(&d, "Gent"), "unknown district 'Gent'; accepted: ANT (Antwerp), LIE (Liège), "
                              "or their labels in English, French or Dutch");
    CHECK_STR(no(&d, "Liege"), "unknown district 'Liege'; accepted: ANT (Antwerp), LIE (Liège), "
                               "or their labels in English, French or Dutch");
}

static void yes_no(void)
{
    if (!setup()) { unit_failures_in_test++; return; }
    struct cia_field f = fld(CIA_T_BOOL, "yesno", 1);
    CHECK_STR(ok(&f, "oui"), "t");
    CHECK_INT(val.num, 1);
    CHECK_STR(ok(&f, "JA"), "t");
    CHECK_STR(ok(&f, "1"), "t");
    CHECK_STR(ok(&f, "Nee"), "f");
    CHECK_INT(val.num, 0);
    CHECK_STR(ok(&f, "0"), "f");
    CHECK_STR(no(&f, "maybe"), "unknown yesno 'maybe'; accepted: yes (yes), no (no), "
                               "or their labels in English, French or Dutch");
    CHECK_STR(no(&f, "?"), "'?' (not known) is not allowed: the field is required");
}

static void countries_and_iso2(void)
{
    if (!setup()) { unit_failures_in_test++; return; }
    struct cia_field c = fld(CIA_T_COUNTRY, NULL, 0);
    CHECK_STR(ok(&c, "Roumanie"), "RO");
    CHECK_STR(ok(&c, "Roemeni\xc3\xab"), "RO");
    CHECK_STR(ok(&c, "ROEMENI\xc3\x8b"), "RO");
    CHECK_STR(ok(&c, "Romania"), "RO");
    CHECK_STR(ok(&c, "ro"), "RO");
    CHECK_STR(ok(&c, "ROU"), "RO");
    CHECK_STR(ok(&c, "Belgique"), "BE");
    CHECK_STR(ok(&c, "Royaume-Uni"), "GB");
    CHECK_STR(ok(&c, "Verenigd Koninkrijk"), "GB");
    CHECK_STR(ok(&c, "onbekend"), "(unknown)");
    CHECK_STR(no(&c, "Atlantis"), "unknown country 'Atlantis' (a name in English, French or Dutch, or an ISO code)");
    struct cia_field i = fld(CIA_T_ISO2, NULL, 0);
    CHECK_STR(ok(&i, "BE"), "BE");
    CHECK_STR(ok(&i, "ro"), "RO");
    CHECK_STR(ok(&i, "GB"), "GB");
    CHECK_STR(no(&i, "ROU"), "'ROU' is not an ISO 3166-1 alpha-2 country code");
    CHECK_STR(no(&i, "Roumanie"), "'Roumanie' is not an ISO 3166-1 alpha-2 country code");
    CHECK_STR(no(&i, "XX"), "'XX' is not an ISO 3166-1 alpha-2 country code");
    CHECK(no(&i, "UK") != NULL);                     /* not an ISO code, even if well known */
}

static void references_and_required(void)
{
    if (!setup()) { unit_failures_in_test++; return; }
    struct cia_field r = fld(CIA_T_REF, NULL, 1);
    CHECK(ok(&r, "PV-21-000117") != NULL);
    CHECK_INT(val.known, 1);
    CHECK_STR(val.text, "");                         /* never kept in clear */
    char longref[260];
    memset(longref, 'x', 201);
    longref[201] = '\0';
    CHECK_STR(no(&r, longref), "reference longer than 200 characters");
    /* characters, not bytes: 200 'é' (400 bytes) fit, 201 do not */
    char accented[2 * 201 + 1] = "";
    for (int i = 0; i < 200; i++) strcat(accented, "\xc3\xa9");
    CHECK(ok(&r, accented) != NULL);
    strcat(accented, "\xc3\xa9");
    CHECK_STR(no(&r, accented), "reference longer than 200 characters");
    CHECK_STR(no(&r, ""), "value missing: the field is required");
    CHECK_STR(no(&r, "  "), "value missing: the field is required");
    CHECK_STR(no(&r, "n/a"), "'n/a' (not known) is not allowed: the field is required");
    CHECK_STR(no(&r, " ONBEKEND "), "'ONBEKEND' (not known) is not allowed: the field is required");
    /* optional: every marker is simply not known */
    struct cia_field o = fld(CIA_T_INT, NULL, 0);
    const char *markers[] = {"", "-", "?", "n/a", "N/A", "inconnu", "onbekend", "unknown", " Unknown "};
    for (size_t k = 0; k < sizeof markers / sizeof markers[0]; k++) {
        CHECK_STR(ok(&o, markers[k]), "(unknown)");
        CHECK_INT(val.known, 0);
    }
    /* long values are cut in messages */
    struct cia_field d = fld(CIA_T_CODE, "district", 0);
    char lng[120];
    memset(lng, 'a', 100);
    lng[100] = '\0';
    const char *m = no(&d, lng);
    CHECK(m && strstr(m, "unknown district 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'") != NULL);
}

/* ---- rules ------------------------------------------------------------ */

static const char *rules_text =
    "service t\ntable t_record\nprimary entry\nunique ref\n"
    "field ref       ref              required ref | r\n"
    "field entry     date             required entry | e\n"
    "field decided   date             optional decided | d\n"
    "field decision  code:decision    required decision | dec\n"
    "field offence   code:offence     required offence | o\n"
    "field form      code:form        optional form | f\n"
    "field admitted  bool             optional admitted | a\n"
    "field adate     date             optional adate | ad\n"
    "field prison    int              optional,empty0 prison | p\n"
    "field susp      code:suspension  optional susp | s\n"
    "field smonths   int              optional smonths | sm\n"
    "rule required form when offence = THB\n"
    "rule required decided when decision != PENDING\n"
    "rule empty decided when decision = PENDING\n"
    "rule not_before decided entry\n"
    "rule required adate when admitted = yes\n"
    "rule empty adate when admitted = no\n"
    "rule required susp when prison > 0\n"
    "rule empty susp when prison = 0\n"
    "rule required smonths when susp = PARTIAL\n"
    "rule less smonths than prison\n";

static cia_spec *rspec;
static char got[4096];

static void on_bad(int field, const char *msg, void *arg)
{
    (void)arg;
    snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s: %s", got[0] ? "\n" : "",
             rspec->fields[field].name, msg);
}

/* Validate one record given as "field=value;..." (fields not named are
 * empty) and return the rule violations, one per line. */
static const char *check(const char *rec)
{
    struct cia_val vals[16];
    memset(vals, 0, sizeof vals);
    char *copy = cia_xstrdup(rec);
    for (char *save = NULL, *kv = strtok_r(copy, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(kv, '=');
        *eq = '\0';
        int i = cia_spec_field(rspec, kv);
        if (i < 0) { fprintf(stderr, "  no field %s\n", kv); unit_failures_in_test++; continue; }
        const char *m = cia_validate_value(&rspec->fields[i], eq + 1, strlen(eq + 1), &ctx, &vals[i], err, sizeof err);
        if (m) { fprintf(stderr, "  %s=%s: %s\n", kv, eq + 1, m); unit_failures_in_test++; }
    }
    /* empty0: an absent prison term is 0 */
    int p = cia_spec_field(rspec, "prison");
    if (!strstr(rec, "prison=")) cia_validate_value(&rspec->fields[p], "", 0, &ctx, &vals[p], err, sizeof err);
    free(copy);
    got[0] = '\0';
    int n = cia_validate_rules(rspec, vals, on_bad, NULL);
    int lines = got[0] ? 1 : 0;
    for (const char *q = got; *q; q++) lines += *q == '\n';
    CHECK_INT(n, lines);
    return got;
}

static int rules_setup(void)
{
    if (!setup()) return 0;
    if (rspec) return 1;
    cia_err e;
    cia_err_clear(&e);
    if (cia_spec_parse(&rspec, "rules.spec", rules_text, strlen(rules_text), &e)) {
        fprintf(stderr, "  rules.spec: %s\n", e.msg);
        return 0;
    }
    return 1;
}

#define BASE "ref=1;entry=2021-01-10;offence=SMUG;decision=PENDING"

static void rules_required_when(void)
{
    if (!rules_setup()) { unit_failures_in_test++; return; }
    CHECK_STR(check(BASE), "");
    CHECK_STR(check("ref=1;entry=2021-01-10;offence=mensenhandel;decision=PENDING"),
              "form: value missing: form is required when offence is THB");
    CHECK_STR(check("ref=1;entry=2021-01-10;offence=THB;form=?;decision=PENDING"),
              "form: value missing: form is required when offence is THB");
    CHECK_STR(check("ref=1;entry=2021-01-10;offence=THB;form=LAB;decision=PENDING"), "");
    CHECK_STR(check("ref=1;entry=2021-01-10;offence=SMUG;decision=DISMISSED"),
              "decided: value missing: decided is required when decision is not PENDING");
    CHECK_STR(check("ref=1;entry=2021-01-10;offence=SMUG;decision=DISMISSED;decided=2021-02-01"), "");
}

static void rules_empty_when(void)
{
    if (!rules_setup()) { unit_failures_in_test++; return; }
    CHECK_STR(check(BASE ";decided=2021-02-01"),
              "decided: decided must be empty when decision is PENDING (found 2021-02-01)");
    CHECK_STR(check(BASE ";decided=-"), "");         /* a marker is empty */
}

static void rules_not_before(void)
{
    if (!rules_setup()) { unit_failures_in_test++; return; }
    const char *base = "ref=1;entry=2021-01-10;offence=SMUG;decision=DISMISSED";
    char rec[200];
    snprintf(rec, sizeof rec, "%s;decided=2021-01-09", base);
    CHECK_STR(check(rec), "decided: decided 2021-01-09 is before entry 2021-01-10");
    snprintf(rec, sizeof rec, "%s;decided=10/01/2021", base);   /* the same day is fine */
    CHECK_STR(check(rec), "");
}

static void rules_yes_no_condition(void)
{
    if (!rules_setup()) { unit_failures_in_test++; return; }
    CHECK_STR(check(BASE ";admitted=ja"), "adate: value missing: adate is required when admitted is yes");
    CHECK_STR(check(BASE ";admitted=oui;adate=2021-01-11"), "");
    CHECK_STR(check(BASE ";admitted=nee;adate=2021-01-11"),
              "adate: adate must be empty when admitted is no (found 2021-01-11)");
    CHECK_STR(check(BASE ";admitted=non"), "");
    CHECK_STR(check(BASE ";admitted=?;adate=2021-01-11"), "");  /* condition not known: no rule */
}

static void rules_prison_and_suspension(void)
{
    if (!rules_setup()) { unit_failures_in_test++; return; }
    CHECK_STR(check(BASE ";prison=24"), "susp: value missing: susp is required when prison is more than 0");
    CHECK_STR(check(BASE ";prison=24;susp=NONE"), "");
    CHECK_STR(check(BASE ";susp=FULL"), "susp: susp must be empty when prison is 0 or empty (found FULL)");
    CHECK_STR(check(BASE ";prison=0;susp=NONE"), "susp: susp must be empty when prison is 0 or empty (found NONE)");
    CHECK_STR(check(BASE ";prison=?;susp=FULL"), "");           /* prison not known */
    CHECK_STR(check(BASE ";prison=24;susp=PARTIAL"),
              "smonths: value missing: smonths is required when susp is PARTIAL");
    CHECK_STR(check(BASE ";prison=24;susp=PARTIAL;smonths=12"), "");
    CHECK_STR(check(BASE ";prison=24;susp=PARTIAL;smonths=24"), "smonths: smonths (24) must be less than prison (24)");
    CHECK_STR(check(BASE ";prison=24;susp=PARTIAL;smonths=30"), "smonths: smonths (30) must be less than prison (24)");
    /* several violations in one record, all reported */
    CHECK_STR(check("ref=1;entry=2021-01-10;offence=THB;decision=DISMISSED;prison=5"),
              "form: value missing: form is required when offence is THB\n"
              "decided: value missing: decided is required when decision is not PENDING\n"
              "susp: value missing: susp is required when prison is more than 0");
}

static void rules_several_codes(void)
{
    if (!rules_setup()) { unit_failures_in_test++; return; }
    const char *t = "service t\ntable t_record\nprimary e\nunique e\n"
                    "field e date required e | ee\nfield c code:decision optional c | cc\n"
                    "field x int optional x | xx\nrule required x when c = DISMISSED,PENDING\n";
    cia_spec *s = NULL;
    cia_err e;
    cia_err_clear(&e);
    CHECK_INT(cia_spec_parse(&s, "t.spec", t, strlen(t), &e), CIA_OK);
    if (!s) return;
    CHECK_INT(s->rules[0].nvalues, 2);
    struct cia_val v[3];
    memset(v, 0, sizeof v);
    v[0].known = 1;
    v[1].known = 1;
    strcpy(v[1].text, "PENDING");
    cia_spec *keep = rspec;
    rspec = s;
    got[0] = '\0';
    CHECK_INT(cia_validate_rules(s, v, on_bad, NULL), 1);
    CHECK_STR(got, "x: value missing: x is required when c is DISMISSED or PENDING");
    strcpy(v[1].text, "SETTLEMENT");
    CHECK_INT(cia_validate_rules(s, v, on_bad, NULL), 0);
    rspec = keep;
    cia_spec_free(s);
}

static void teardown(void)
{
    cia_spec_free(rspec);
    rspec = NULL;
    if (countries) cia_countries_free(countries);
    countries = NULL;
    if (ctx.codes) cia_codes_free(&codes);
    ctx.codes = NULL;
}

UNIT_MAIN(T(dates_three_forms), T(dates_limits), T(dates_29_february), T(today_from_environment), T(years),
          T(integers_and_counts), T(empty_means_zero), T(amounts), T(codes_any_language_any_case), T(yes_no),
          T(countries_and_iso2), T(references_and_required), T(rules_required_when), T(rules_empty_when),
          T(rules_not_before), T(rules_yes_no_condition), T(rules_prison_and_suspension),
          T(rules_several_codes), T(teardown))
