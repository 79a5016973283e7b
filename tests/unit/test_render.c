/* test_render.c — the renderers: terminal text (alignment in display
 * width, marks and legend, not-known never 0), CSV (quoting, formula
 * defusing, plain and localised numbers), XLSX (written atomically, fails
 * cleanly) and the shared words.
 *
 * `test_render xlsx_sample` with CIA_XLSX_OUT=DIR leaves sample_en.xlsx,
 * sample_fr.xlsx, sample_nl.xlsx, marks_fr.xlsx (--flags marks), names.xlsx
 * and years.xlsx in DIR for
 * tests/render/test_xlsx_readback.sh, which reads them back with openpyxl;
 * the sample built here and the expectations in tests/render/readback.py
 * describe the same report. */
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "ciatteh/render.h"
#include "ciatteh/util.h"

#define NNBSP "\xe2\x80\xaf"

static int lang_ix(const char *lang)
{
    return strcmp(lang, "fr") == 0 ? 1 : strcmp(lang, "nl") == 0 ? 2 : 0;
}

/* The sample report.  Keep in step with tests/render/readback.py. */
static cia_report *sample(const char *lang)
{
    static const char *rtitle[] = { "Annual figures", "Chiffres annuels", "Jaarcijfers" };
    static const char *title[] = { "Year on year", "D'une ann\xc3\xa9" "e \xc3\xa0 l'autre", "Jaar op jaar" };
    static const char *item[] = { "Item", "\xc3\x89l\xc3\xa9ment", "Item" };
    static const char *chg[] = { "Change", "Variation", "Verschil" };
    static const char *chgp[] = { "Change %", "Variation %", "Verschil %" };
    int l = lang_ix(lang);
    cia_report *r = cia_report_new("annual", rtitle[l], lang, "2023-05-01");
    cia_table *t = cia_table_new("yoy", title[l], 5, 1);
    cia_table_set_subtitle(t, "Belgium, 2020-2021");
    cia_table_set_col(t, 0, "item", item[l]);
    cia_table_set_col(t, 1, "2020", "2020");
    cia_table_set_col(t, 2, "2021", "2021");
    cia_table_set_col(t, 3, "chg_abs", chg[l]);
    cia_table_set_col(t, 4, "chg_pct", chgp[l]);
    size_t row = cia_table_add_row(t, "police.facts");
    cia_table_set_text(t, row, 0, "Police facts");
    cia_table_set_count(t, row, 1, 1234, 1, NULL);
    cia_table_set_count(t, row, 2, 1300, 1, "p");
    cia_table_set_delta(t, row, 3, 66, 1, "p");
    cia_table_set_percent(t, row, 4, 0.05, 1, "p");
    row = cia_table_add_row(t, "victims");
    cia_table_set_text(t, row, 0, "Victims");
    cia_table_set_count(t, row, 1, 0, 0, NULL);                 /* not known */
    cia_table_set_count(t, row, 2, 15, 1, "u");
    cia_table_set_delta(t, row, 3, 0, 0, NULL);
    cia_table_set_percent(t, row, 4, 0, 0, NULL);
    row = cia_table_add_row(t, "cat");
    cia_table_set_text(t, row, 0, "Cat\xc3\xa9gorie \xc3\xa9");  /* 2 bytes, 1 column */
    cia_table_set_count(t, row, 1, 5, 1, "c");                  /* withheld */
    cia_table_set_count(t, row, 2, 7, 1, NULL);
    row = cia_table_add_row(t, "inject");
    cia_table_set_text(t, row, 0, "=HYPERLINK(\"http://x\")");
    cia_table_set_count(t, row, 1, 3, 1, NULL);
    cia_table_set_count(t, row, 2, 0, 1, NULL);                 /* a real zero */
    cia_table_set_delta(t, row, 3, -3, 1, NULL);
    cia_table_set_percent(t, row, 4, -1, 1, NULL);
    cia_table_add_note(t, "Counts are persons.");
    cia_report_add_table(r, t);

    t = cia_table_new("by_sex", "By sex", 3, 2);
    cia_table_set_col(t, 0, "sex", "Sex");
    cia_table_set_col(t, 1, "age", "Age");
    cia_table_set_col(t, 2, "2021", "2021");
    row = cia_table_add_row(t, "f|adult");
    cia_table_set_text(t, row, 0, "F");
    cia_table_set_text(t, row, 1, "18+");
    cia_table_set_count(t, row, 2, 123456, 1, NULL);
    row = cia_table_add_row(t, "m|minor");
    cia_table_set_text(t, row, 0, "M");
    cia_table_set_text(t, row, 1, "0-17");
    cia_table_set_count(t, row, 2, 42, 1, NULL);
    cia_report_add_table(r, t);

    cia_report_add_provenance(r, "police 2021, delivery 7, loaded 2022-03-01");
    cia_report_add_definition(r, "Victim: a person identified as a presumed victim");
    cia_report_add_definition(r, "Police facts: facts recorded by the police");
    return r;
}

/* Render into a string (caller frees). */
static char *render(int (*fn)(FILE *, const cia_report *, cia_err *), const cia_report *r,
                    int *rc)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    cia_err e;
    cia_err_clear(&e);
    *rc = fn(f, r, &e);
    fclose(f);
    return s;
}

static int csv_plain(FILE *f, const cia_report *r, cia_err *e) { return cia_render_csv(f, r, 0, e); }
static int csv_local(FILE *f, const cia_report *r, cia_err *e) { return cia_render_csv(f, r, 1, e); }

/* The line of s containing needle (static copy), "" when none. */
static const char *line_with(const char *s, const char *needle)
{
    static char line[1024];
    const char *p = strstr(s, needle);
    line[0] = '\0';
    if (!p) return line;
    const char *a = p, *b = p;
    while (a > s && a[-1] != '\n') a--;
    while (*b && *b != '\n') b++;
    snprintf(line, sizeof line, "%.*s", (int)(b - a), a);
    return line;
}

/* Display column where needle ends in line, searching from after `from`. */
static size_t end_col(const char *line, const char *from, const char *needle)
{
    const char *p = strstr(line, from);
    if (!p) return 0;
    p = strstr(p + strlen(from), needle);
    if (!p) return 0;
    char *pre = cia_xstrndup(line, (size_t)(p - line) + strlen(needle));
    size_t w = cia_text_width(pre);
    free(pre);
    return w;
}

/* ---- text ------------------------------------------------------------ */

static void text_en(void)
{
    cia_report *r = sample("en");
    int rc;
    char *s = render(cia_render_text, r, &rc);
    CHECK_INT(rc, CIA_OK);
    if (getenv("UNIT_VERBOSE")) fputs(s, stderr);
    CHECK(strstr(s, "Annual figures\n==============\n") != NULL);
    CHECK(strstr(s, "Year on year\nBelgium, 2020-2021\n") != NULL);
    CHECK(strstr(s, "1,234") != NULL);
    CHECK(strstr(s, "1,300 (p)") != NULL);
    CHECK(strstr(s, "15 (u)") != NULL);
    CHECK(strstr(s, "+66 (p)") != NULL);
    CHECK(strstr(s, "5.0% (p)") != NULL);
    CHECK(strstr(s, "-100.0%") != NULL);
    CHECK(strstr(s, "123,456") != NULL);
    /* Not known is the marker, in every number column of that row. */
    const char *v = line_with(s, "Victims");
    CHECK(strstr(v, "n.k.") != NULL);
    CHECK(strstr(v, " 0 ") == NULL && strstr(v, " 0\n") == NULL);
    const char *c = line_with(s, "Cat\xc3\xa9gorie");
    CHECK(strstr(c, "(c)") != NULL);
    CHECK(strstr(c, " 5") == NULL);                 /* withheld figure absent */
    CHECK(strstr(s, "Legend: (u) lower bound: the true figure is at least this; "
                    "(p) provisional; (c) withheld for confidentiality; n.k. not known\n") != NULL);
    CHECK(strstr(s, "Counts are persons.\n") != NULL);
    CHECK(strstr(s, "Source: police 2021, delivery 7, loaded 2022-03-01\n") != NULL);
    CHECK(strstr(s, "Data as of: 2023-05-01\n") != NULL);
    CHECK(strstr(s, "Definitions:\n  Victim: a person") != NULL);
    /* Only one legend: by_sex uses no marks. */
    CHECK(strstr(strstr(s, "Legend") + 1, "Legend") == NULL);
    /* No trailing blanks. */
    CHECK(strstr(s, " \n") == NULL);
    free(s);
    cia_report_free(r);
}

static void text_aligned_in_display_width(void)
{
    cia_report *r = sample("en");
    int rc;
    char *s = render(cia_render_text, r, &rc);
    /* line_with returns a static buffer: measure before the next call. */
    size_t a = end_col(line_with(s, "Police facts"), "1,234", "1,300");
    size_t b = end_col(line_with(s, "Cat\xc3\xa9gorie"), "(c)", "7");
    size_t c = end_col(line_with(s, "Victims"), "n.k.", "15");
    /* The 2021 heading ends where the digits end; marks hang right. */
    size_t h = end_col(line_with(s, "Item"), "2020", "2021");
    CHECK(a > 0);
    CHECK_INT(a, b);                 /* é is two bytes but one column */
    CHECK_INT(a, c);
    CHECK_INT(a, h);
    free(s);
    cia_report_free(r);
}

static void text_fr_nl(void)
{
    cia_report *r = sample("fr");
    int rc;
    char *s = render(cia_render_text, r, &rc);
    CHECK_INT(rc, CIA_OK);
    CHECK(strstr(s, "1" NNBSP "234") != NULL);
    CHECK(strstr(s, "5,0" NNBSP "% (p)") != NULL);
    CHECK(strstr(s, "L\xc3\xa9gende\xc2\xa0: (u) borne inf") != NULL);
    CHECK(strstr(s, "inc. inconnu") != NULL);
    CHECK(strstr(line_with(s, "Victims"), "inc.") != NULL);
    CHECK(strstr(s, "Source\xc2\xa0: police") != NULL);
    free(s);
    cia_report_free(r);

    r = sample("nl");
    s = render(cia_render_text, r, &rc);
    CHECK(strstr(s, "1.234") != NULL);
    CHECK(strstr(s, "123.456") != NULL);
    CHECK(strstr(s, "Legenda: ") != NULL);
    CHECK(strstr(s, "onb. onbekend") != NULL);
    CHECK(strstr(s, "(p) voorlopig") != NULL);
    CHECK(strstr(s, "Bron: police") != NULL);
    free(s);
    cia_report_free(r);
}

static void text_no_marks_no_legend_and_clean(void)
{
    cia_report *r = cia_report_new("x", "", "en", NULL);
    cia_table *t = cia_table_new("t", "T", 2, 1);
    cia_table_set_col(t, 0, "a", "A");
    cia_table_set_col(t, 1, "b", "B");
    cia_table_add_row(t, "r");
    cia_table_set_text(t, 0, 0, "evil\x1b[31m\nlabel");
    cia_table_set_count(t, 0, 1, 1, 1, NULL);
    cia_report_add_table(r, t);
    cia_report_add_table(r, cia_table_new("empty", "Empty", 1, 1));
    int rc;
    char *s = render(cia_render_text, r, &rc);
    CHECK_INT(rc, CIA_OK);
    CHECK(strstr(s, "Legend") == NULL);
    CHECK(strchr(s, '\x1b') == NULL);               /* no terminal escapes */
    CHECK(strstr(s, "evil [31m label") != NULL);
    CHECK(strstr(s, "(no data)") != NULL);
    CHECK(strstr(s, "Data as of: latest deliveries") != NULL);
    free(s);
    cia_report_free(r);
}

/* ---- CSV ------------------------------------------------------------- */

static cia_report *csv_sample(const char *lang)
{
    cia_report *r = cia_report_new("c", "C", lang, NULL);
    cia_table *t = cia_table_new("t", "T", 3, 1);
    cia_table_set_col(t, 0, "label", "Label");
    cia_table_set_col(t, 1, "2021", "2021");
    cia_table_set_col(t, 2, "pct", "Share");
    cia_table_add_row(t, "a");
    cia_table_set_text(t, 0, 0, "Police, \"facts\"");
    cia_table_set_count(t, 0, 1, 1234, 1, "p");
    cia_table_set_percent(t, 0, 2, 0.125, 1, NULL);
    cia_table_add_row(t, "b");
    cia_table_set_text(t, 1, 0, "=1+1");
    cia_table_set_count(t, 1, 1, 0, 0, NULL);
    cia_table_add_row(t, "c");
    cia_table_set_text(t, 2, 0, "-x");
    cia_table_set_count(t, 2, 1, 99, 1, "uc");
    cia_table_set_percent(t, 2, 2, -0.5, 1, NULL);
    cia_table_add_row(t, "d");
    cia_table_set_text(t, 3, 0, "@y");
    cia_table_set_count(t, 3, 1, 0, 1, NULL);
    cia_table_set_percent(t, 3, 2, 0, 0, "p");
    cia_table_add_row(t, "e");
    cia_table_set_text(t, 4, 0, "\tz");
    cia_table_set_delta(t, 4, 1, -66, 1, NULL);
    cia_table_add_row(t, "f");
    cia_table_set_text(t, 5, 0, "+a\nb");
    cia_report_add_table(r, t);
    return r;
}

static void csv_plain_quoting_and_defusing(void)
{
    cia_report *r = csv_sample("en");
    int rc;
    char *s = render(csv_plain, r, &rc);
    CHECK_INT(rc, CIA_OK);
    CHECK_STR(s,
        "Label,2021,2021 (flags),Share,Share (flags)\n"
        "\"Police, \"\"facts\"\"\",1234,p,0.125,\n"
        "'=1+1,,n.k.,,\n"
        "'-x,,uc,-0.5,\n"
        "'@y,0,,,p n.k.\n"
        "'\tz,-66,,,\n"
        "\"'+a\nb\",,,,\n"
        /* the trace: comment lines after one empty line (issue 13) */
        "\n"
        "# C\n"
        "# Legend: (u) lower bound: the true figure is at least this; (p) provisional; "
        "(c) withheld for confidentiality; n.k. not known\n"
        "# Data as of: latest deliveries\n");
    free(s);
    cia_report_free(r);
    /* questionnaire answers: the rows alone */
    r = csv_sample("en");
    r->csv_rows_only = 1;
    s = render(csv_plain, r, &rc);
    CHECK(strstr(s, "\"'+a\nb\",,,,\n") != NULL && !strchr(s, '#'));
    free(s);
    cia_report_free(r);
}

static void csv_localised(void)
{
    cia_report *r = csv_sample("fr");
    int rc;
    char *s = render(csv_local, r, &rc);
    CHECK_INT(rc, CIA_OK);
    const char *want =
        "\xEF\xBB\xBF"
        "Label;2021;2021 (marques);Share;Share (marques)\n"
        "\"Police, \"\"facts\"\"\";1234;p;12,5%;\n"
        "'=1+1;;inc.;;\n"
        "'-x;;uc;-50,0%;\n"
        "'@y;0;;;p inc.\n"
        "'\tz;-66;;;\n"
        "\"'+a\nb\";;;;\n"
        /* the trace: one-cell rows after one empty line, in French */
        "\n"
        "C\n";
    CHECK(strncmp(s, want, strlen(want)) == 0);
    CHECK(strstr(s, "\n\"L\xc3\xa9gende") != NULL || strstr(s, "\nL\xc3\xa9gende") != NULL);
    free(s);
    cia_report_free(r);

    r = csv_sample("en");
    s = render(csv_local, r, &rc);
    CHECK(strncmp(s, "\xEF\xBB\xBF" "Label,2021,", 14) == 0);
    CHECK(strstr(s, ",12.5%,") != NULL);
    free(s);
    cia_report_free(r);
}

static void csv_not_known_never_zero(void)
{
    cia_report *r = sample("nl");
    int rc;
    char *s = render(csv_plain, r, &rc);
    CHECK_INT(rc, CIA_OK);
    const char *v = line_with(s, "Victims");
    CHECK_STR(v, "Victims,,onb.,15,u,,onb.,,onb.");
    CHECK_STR(line_with(s, "Cat\xc3\xa9gorie"), "Cat\xc3\xa9gorie \xc3\xa9,,c,7,,,,,");
    CHECK(strstr(s, "'=HYPERLINK(\"\"http://x\"\")") != NULL);
    /* Two tables, one empty line between them. */
    CHECK(strstr(s, "\n\nSex,Age,2021,2021 (vlaggen)\nF,18+,123456,\n") != NULL);
    free(s);
    cia_report_free(r);
}

/* ---- XLSX ------------------------------------------------------------ */

static char *make_tmpdir(void)
{
    char tmpl[] = "/tmp/cia-render-XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? cia_xstrdup(d) : NULL;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    if (!d) return -1;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) n++;
    closedir(d);
    return n;
}

static void rm_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d) return;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char *p = cia_xasprintf("%s/%s", dir, de->d_name);
        unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Table ids that are not valid sheet names as they stand. */
static cia_report *names_sample(void)
{
    static const char *ids[] = {
        "abc", "ABC", "Definitions", "a/b:c*d?[e]\\f", "History", "'quoted'", "",
        "a_very_long_table_identifier_of_forty_chars", "a_very_long_table_identifier_of_forty_chars",
    };
    cia_report *r = cia_report_new("names", "Names", "en", NULL);
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        cia_table *t = cia_table_new(ids[i], "T", 1, 0);
        cia_table_set_col(t, 0, "v", "V");
        cia_table_add_row(t, "r");
        cia_table_set_count(t, 0, 0, (double)i, 1, NULL);
        cia_report_add_table(r, t);
    }
    /* a catalogue name (sheet_yoy) and a name the table brings */
    const char *more[][2] = { { "yoy", NULL }, { "own", "Own: [name]?" } };
    for (size_t i = 0; i < 2; i++) {
        cia_table *t = cia_table_new(more[i][0], "T", 1, 0);
        cia_table_set_sheet(t, more[i][1]);
        cia_table_set_col(t, 0, "v", "V");
        cia_table_add_row(t, "r");
        cia_table_set_count(t, 0, 0, (double)(sizeof ids / sizeof ids[0] + i), 1, NULL);
        cia_report_add_table(r, t);
    }
    return r;
}

/* Tables whose rows run over years (tests/render/readback.py checks the
 * page breaks): "long", 2016-2020 with 15 rows each then 2021 with 60,
 * more than a printed page; "short", two years of 5 rows, one page. */
static cia_report *years_sample(void)
{
    cia_report *r = cia_report_new("years", "Years", "en", NULL);
    const char *ids[] = { "long", "short" };
    for (int k = 0; k < 2; k++) {
        cia_table *t = cia_table_new(ids[k], "T", 3, 2);
        cia_table_set_col(t, 0, "year", "Year");
        cia_table_set_col(t, 1, "code", "Code");
        cia_table_set_col(t, 2, "v", "V");
        int y1 = k ? 2017 : 2021;
        for (int y = 2016; y <= y1; y++) {
            int n = k ? 5 : y == 2021 ? 60 : 15;
            for (int i = 0; i < n; i++) {
                char year[8], code[16];
                snprintf(year, sizeof year, "%d", y);
                snprintf(code, sizeof code, "c%d", i + 1);
                size_t row = cia_table_add_row(t, code);
                cia_table_set_text(t, row, 0, year);
                cia_table_set_text(t, row, 1, code);
                cia_table_set_count(t, row, 2, (double)i, 1, NULL);
            }
        }
        cia_report_add_table(r, t);
    }
    return r;
}

static void xlsx_written_atomically(void)
{
    char *dir = make_tmpdir();
    CHECK(dir != NULL);
    if (!dir) return;
    char *path = cia_xasprintf("%s/out.xlsx", dir);
    cia_report *r = sample("en");
    cia_err e;
    cia_err_clear(&e);
    CHECK_INT(cia_render_xlsx(path, r, &e), CIA_OK);
    FILE *f = fopen(path, "rb");
    char magic[4] = { 0 };
    CHECK(f != NULL);
    if (f) {
        CHECK(fread(magic, 1, 4, f) == 4);
        fclose(f);
    }
    CHECK(memcmp(magic, "PK\x03\x04", 4) == 0);   /* a zip, i.e. an xlsx */
    CHECK_INT(count_entries(dir), 1);             /* no temporary left over */
    /* Overwriting an existing workbook works the same way. */
    CHECK_INT(cia_render_xlsx(path, r, &e), CIA_OK);
    CHECK_INT(count_entries(dir), 1);
    cia_report_free(r);
    r = names_sample();
    CHECK_INT(cia_render_xlsx(path, r, &e), CIA_OK);
    cia_report_free(r);
    free(path);
    rm_dir(dir);
    free(dir);
}

static void xlsx_fails_cleanly(void)
{
    cia_report *r = sample("en");
    cia_err e;
    cia_err_clear(&e);
    CHECK_INT(cia_render_xlsx("/nonexistent-dir/x.xlsx", r, &e), CIA_ECANTCREAT);
    CHECK(strstr(e.msg, "/nonexistent-dir/x.xlsx") != NULL);
    CHECK_INT(cia_render_xlsx(NULL, r, &e), CIA_EUSAGE);
    cia_report_free(r);

    /* A failure inside libxlsxwriter (a cell over Excel's 32,767
     * characters) is reported and leaves nothing behind. */
    char *dir = make_tmpdir();
    if (!dir) return;
    char *path = cia_xasprintf("%s/big.xlsx", dir);
    r = cia_report_new("big", "Big", "en", NULL);
    cia_table *t = cia_table_new("t", "T", 1, 1);
    cia_table_add_row(t, "r");
    char *huge = cia_xmalloc(40001);
    memset(huge, 'x', 40000);
    huge[40000] = '\0';
    cia_table_set_text(t, 0, 0, huge);
    free(huge);
    cia_report_add_table(r, t);
    cia_err_clear(&e);
    CHECK_INT(cia_render_xlsx(path, r, &e), CIA_ECANTCREAT);
    CHECK(strstr(e.msg, "big.xlsx") != NULL);
    CHECK_INT(count_entries(dir), 0);
    cia_report_free(r);
    free(path);
    rm_dir(dir);
    free(dir);
}

/* Writes the workbooks the read-back script checks (kept when
 * CIA_XLSX_OUT names a directory, else written and removed). */
static void xlsx_sample(void)
{
    const char *keep = getenv("CIA_XLSX_OUT");
    char *dir = keep ? cia_xstrdup(keep) : make_tmpdir();
    if (!dir) { CHECK(0); return; }
    const char *langs[] = { "en", "fr", "nl" };
    cia_err e;
    for (int i = 0; i < 3; i++) {
        char *path = cia_xasprintf("%s/sample_%s.xlsx", dir, langs[i]);
        cia_report *r = sample(langs[i]);
        cia_err_clear(&e);
        CHECK_INT(cia_render_xlsx(path, r, &e), CIA_OK);
        if (e.code) fprintf(stderr, "  %s\n", e.msg);
        cia_report_free(r);
        free(path);
    }
    char *path = cia_xasprintf("%s/names.xlsx", dir);
    cia_report *r = names_sample();
    CHECK_INT(cia_render_xlsx(path, r, &e), CIA_OK);
    cia_report_free(r);
    free(path);
    path = cia_xasprintf("%s/marks_fr.xlsx", dir);     /* --flags marks */
    r = sample("fr");
    r->flag_marks = 1;
    CHECK_INT(cia_render_xlsx(path, r, &e), CIA_OK);
    cia_report_free(r);
    free(path);
        path = cia_xasprintf("%s/years.xlsx", dir);
    r = years_sample();
    CHECK_INT(cia_render_xlsx(path, r, &e), CIA_OK);
    cia_report_free(r);
    free(path);
    if (!keep) rm_dir(dir);
    free(dir);
}

/* ---- picking a renderer, words -------------------------------------- */

static void render_by_name(void)
{
    cia_report *r = sample("en");
    cia_err e;
    cia_err_clear(&e);
    CHECK_INT(cia_render("xlsx", NULL, r, 0, &e), CIA_EUSAGE);
    /* -o - writes the workbook to standard output (issue 18): here into
     * /dev/null, so the bytes do not clutter the test's output. */
    fflush(stdout);
    int saved = dup(1), devnull = open("/dev/null", O_WRONLY);
    CHECK(saved >= 0 && devnull >= 0);
    if (saved >= 0 && devnull >= 0) {
        dup2(devnull, 1);
        int rc_xlsx = cia_render("xlsx", "-", r, 0, &e);
        fflush(stdout);
        dup2(saved, 1);
        CHECK_INT(rc_xlsx, CIA_OK);
    }
    if (saved >= 0) close(saved);
    if (devnull >= 0) close(devnull);
    CHECK_INT(cia_render("pdfx", NULL, r, 0, &e), CIA_EUSAGE);
    CHECK(strstr(e.msg, "pdfx") != NULL);
    char *dir = make_tmpdir();
    if (dir) {
        char *path = cia_xasprintf("%s/out.csv", dir);
        CHECK_INT(cia_render("csv", path, r, 0, &e), CIA_OK);
        char *data = NULL;
        size_t len = 0;
        CHECK_INT(cia_read_file(path, &data, &len, &e), CIA_OK);
        int rc;
        char *want = render(csv_plain, r, &rc);
        CHECK_STR(data, want);
        free(want);
        free(data);
        free(path);
        path = cia_xasprintf("%s/out.txt", dir);
        CHECK_INT(cia_render("table", path, r, 0, &e), CIA_OK);
        CHECK_INT(count_entries(dir), 2);
        free(path);
        CHECK_INT(cia_render("csv", "/nonexistent-dir/x.csv", r, 0, &e), CIA_ECANTCREAT);
        rm_dir(dir);
        free(dir);
    }
    cia_report_free(r);
}

static void words_complete(void)
{
    static const char *keys[] = { "not_known", "not_known_long", "legend", "flag_u", "flag_p",
                                  "flag_c", "flags", "notes", "source", "definitions",
                                  "as_of", "current", "colon", "no_rows", "deliveries",
                                  "report" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *en = cia_word(keys[i], "en");
        CHECK(en != keys[i]);                      /* the key is in the table */
        CHECK(*en && *cia_word(keys[i], "fr") && *cia_word(keys[i], "nl"));
        CHECK_STR(cia_word(keys[i], NULL), en);
        CHECK_STR(cia_word(keys[i], "de"), en);
    }
    CHECK_STR(cia_word("no_such_word", "fr"), "no_such_word");
    CHECK_STR(cia_word("definitions", "fr"), "D\xc3\xa9" "finitions");
    CHECK_STR(cia_word("not_known", "nl"), "onb.");
    CHECK_INT(cia_text_width("Cat\xc3\xa9gorie"), 9);
    CHECK_INT(cia_text_width("\xe4\xb8\xad\xe6\x96\x87"), 4);   /* 中文 */
    CHECK_INT(cia_text_width("e\xcc\x81"), 1);                 /* e + combining acute */
    CHECK_INT(cia_text_width("1" NNBSP "234"), 5);
}

/* A delivery's moment as each language writes its days ("one date format
 * per language"), to the minute; what is not a moment stays as it is. */
static void moments(void)
{
    char b[96];
    cia_format_moment("fr", "2025-01-01 09:05:59", b, sizeof b);
    CHECK_STR(b, "1er\xc2\xa0janvier\xc2\xa0" "2025 \xc3\xa0 09:05");
    cia_format_moment("nl", "2025-01-15 10:00:00", b, sizeof b);
    CHECK_STR(b, "15\xc2\xa0januari\xc2\xa0" "2025 om 10:00");
    cia_format_moment("en", "2024-06-01 11:00", b, sizeof b);
    CHECK_STR(b, "1\xc2\xa0June\xc2\xa0" "2024 at 11:00");
    cia_format_moment("en", "2024-13-01 11:00:00", b, sizeof b);
    CHECK_STR(b, "2024-13-01 11:00:00");
    cia_format_moment("fr", "2024-06-01", b, sizeof b);
    CHECK_STR(b, "2024-06-01");
    cia_format_moment("fr", "2024-06-01 25:00", b, sizeof b);
    CHECK_STR(b, "2024-06-01 25:00");
}

/* Every sheet name of the catalogue, with the smuggling prefix in front
 * for the tables of the pack's smuggling chapter, is a valid Excel name as
 * it stands (31 characters at most, none of
 * []:*?/\), so no sheet is ever cut or renamed with ~2; the names of a
 * language are unique ignoring case (ASCII case is enough here). */
static void sheet_words_fit(void)
{
    static const char *langs[] = { "en", "fr", "nl" };
    size_t n = 0;
    for (size_t l = 0; l < 3; l++) {
        const char *pre = cia_word("sheet_smug", langs[l]);
        for (size_t i = 0; cia_word_key(i); i++) {
            const char *k = cia_word_key(i);
            if (strncmp(k, "sheet_", 6) || !strcmp(k, "sheet_smug")) continue;
            const char *w = cia_word(k, langs[l]);
            /* the pack's smuggling chapter: yoy and sentences */
            int smug = !strcmp(k, "sheet_yoy") || !strncmp(k, "sheet_sentences_", 16);
            char *full = cia_xasprintf("%s%s", smug ? pre : "", w);
            if (cia_text_width(full) > 31 || strpbrk(full, "[]:*?/\\") || !*w)
                fprintf(stderr, "sheet name %s (%s) does not fit: %s\n", k, langs[l], full);
            CHECK(cia_text_width(full) <= 31 && !strpbrk(full, "[]:*?/\\") && *w);
            free(full);
            for (size_t j = 0; j < i; j++) {
                const char *k2 = cia_word_key(j);
                if (strncmp(k2, "sheet_", 6) || !strcmp(k2, "sheet_smug")) continue;
                CHECK(strcasecmp(cia_word(k2, langs[l]), w) != 0);
            }
            n++;
        }
    }
    CHECK(n >= 3 * 20);
    CHECK_STR(cia_sheet_word("yoy", "yoy", "fr"), "\xc3\x89l\xc3\xa9ments par ann\xc3\xa9" "e");
    CHECK_STR(cia_sheet_word("victims", "by_sex", "nl"), "Slachtoffers per geslacht");
    CHECK(cia_sheet_word("greta", "justice", "fr") == NULL);
}

/* French typography: a no-break space before ; : ! ? » and after «, not
 * in times, addresses or numbers; applied twice it changes nothing; other
 * languages untouched. */
#define NBSP "\xc2\xa0"
static void typo_case(const char *in, const char *lang, const char *want)
{
    char *got = cia_typo(in, lang);
    CHECK_STR(got, want);
    char *again = cia_typo(got, lang);
    CHECK_STR(again, got);
    free(again);
    free(got);
}

static void french_typography(void)
{
    typo_case("L\xc3\xa9gende : (u) borne; (p) provisoire", "fr", "L\xc3\xa9gende" NBSP ": (u) borne" NBSP "; (p) provisoire");
    typo_case("Source: police", "fr", "Source" NBSP ": police");
    typo_case("vraiment ? oui ! non", "fr", "vraiment" NBSP "? oui" NBSP "! non");
    typo_case("les \xc2\xab enqu\xc3\xaa" "tes \xc2\xbb", "fr", "les \xc2\xab" NBSP "enqu\xc3\xaa" "tes" NBSP "\xc2\xbb");
    typo_case("les \xc2\xab" "enqu\xc3\xaa" "tes" "\xc2\xbb", "fr", "les \xc2\xab" NBSP "enqu\xc3\xaa" "tes" NBSP "\xc2\xbb");
    typo_case("charg\xc3\xa9" "e le 2025-01-15 09:00:00; ann\xc3\xa9" "es", "fr",
              "charg\xc3\xa9" "e le 2025-01-15 09:00:00" NBSP "; ann\xc3\xa9" "es");   /* the time's colons stay */
    typo_case("voir https://example.org/a:b et 10:1", "fr", "voir https://example.org/a:b et 10:1");
    typo_case("2016 : 84", "fr", "2016" NBSP ": 84");
    typo_case("a;b", "en", "a;b");
    typo_case("Legend: x; y", "en", "Legend: x; y");
    typo_case("Legenda: x; y", "nl", "Legenda: x; y");
    typo_case("", "fr", "");
}

UNIT_MAIN(T(text_en), T(text_aligned_in_display_width), T(text_fr_nl),
          T(text_no_marks_no_legend_and_clean), T(csv_plain_quoting_and_defusing),
          T(csv_localised), T(csv_not_known_never_zero), T(xlsx_written_atomically),
          T(xlsx_fails_cleanly), T(xlsx_sample), T(render_by_name), T(words_complete),
          T(french_typography), T(sheet_words_fit), T(moments))
