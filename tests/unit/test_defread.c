/* test_defread.c — the one reader of definition and configuration files
 * (src/core/defread.c): comments, quotes, words and their columns, values
 * to the end of the line, the caps, and file:line:column in the messages
 * of each format read through it. */
#include <stdlib.h>
#include "ciatteh/check.h"
#include "ciatteh/defread.h"
#include "ciatteh/questionnaire.h"
#include "ciatteh/report.h"
#include "ciatteh/run.h"
#include "ciatteh/spec.h"
#include "unit.h"

/* The lines of text, each as its words joined by '|' and their columns,
 * "w|w@c,c" lines separated by '\n'; or "ERR:line:col: msg". */
static char *read_all(const char *text)
{
    static char out[4096];
    cia_defreader r;
    const cia_defline *l;
    cia_err e;
    cia_err_clear(&e);
    out[0] = '\0';
    cia_def_open(&r, "t.def", text, strlen(text));
    int rc;
    while (!(rc = cia_def_next(&r, &l, CIA_EDATA, &e)) && l) {
        char *o = out + strlen(out);
        size_t room = sizeof out - strlen(out);
        int n = snprintf(o, room, "%ld:", l->line);
        for (size_t i = 0; i < l->n; i++) n += snprintf(o + n, room - (size_t)n, "%s%s", i ? "|" : "", l->w[i]);
        n += snprintf(o + n, room - (size_t)n, "@");
        for (size_t i = 0; i < l->n; i++) n += snprintf(o + n, room - (size_t)n, "%s%d", i ? "," : "", l->col[i]);
        snprintf(o + n, room - (size_t)n, "\n");
    }
    if (rc) {
        char buf[2048];
        snprintf(out, sizeof out, "ERR:%s", cia_err_format(&e, buf, sizeof buf));
    }
    cia_def_close(&r);
    return out;
}

static void comments(void)
{
    CHECK_STR(read_all("field a # comment\n"), "1:field|a@1,7\n");
    CHECK_STR(read_all("title \"a # b\" # c\n"), "1:title|a # b@1,7\n");
    CHECK_STR(read_all("x#y\n"), "1:x#y@1\n");
    CHECK_STR(read_all("# all\n\n   \n  #x\nk = v\t# tab\n"), "5:k|=|v@1,3,5\n");
    CHECK_STR(read_all("a\r\nb"), "1:a@1\n2:b@1\n");
    CHECK_STR(read_all("\xef\xbb\xbf" "a b\n"), "1:a|b@1,3\n");
}

static void quotes_and_columns(void)
{
    CHECK_STR(read_all("row A \"Femmes, \"\"adultes\"\"\" fr=\"Femmes #1\" x\n"),
              "1:row|A|Femmes, \"adultes\"|fr=Femmes #1|x@1,5,7,29,44\n");
    /* columns count characters, not bytes */
    CHECK_STR(read_all("\xc3\xa9t\xc3\xa9 x\n"), "1:\xc3\xa9t\xc3\xa9|x@1,5\n");
    CHECK_STR(read_all("a\n  b \"open\n"), "ERR:t.def:2:5: a quote opened here is not closed on this line");
    char many[2 * CIA_DEF_MAXWORDS + 8];
    for (int i = 0; i <= CIA_DEF_MAXWORDS; i++) memcpy(many + 2 * i, "w ", 2);
    many[2 * CIA_DEF_MAXWORDS + 2] = '\0';
    CHECK(strstr(read_all(many), "ERR:t.def:1:513: more than 256 words") != NULL);
}

static void values(void)
{
    cia_defreader r;
    const cia_defline *l;
    cia_err e;
    const char *t = "title  Federal  Police, facts  # c\nmsg \"  kept  \"\nq \"a\" \"b\"\nsql\nSELECT 1 # not a comment\n";
    cia_def_open(&r, "t", t, strlen(t));
    CHECK_INT(cia_def_next(&r, &l, CIA_EDATA, &e), CIA_OK);
    char *v = cia_def_rest(l, 1);
    CHECK_STR(v, "Federal  Police, facts");      /* as written */
    free(v);
    CHECK_INT(cia_def_next(&r, &l, CIA_EDATA, &e), CIA_OK);
    v = cia_def_rest(l, 1);
    CHECK_STR(v, "  kept  ");                    /* entirely in quotes */
    free(v);
    CHECK_INT(cia_def_next(&r, &l, CIA_EDATA, &e), CIA_OK);
    v = cia_def_rest(l, 1);
    CHECK_STR(v, "\"a\" \"b\"");                 /* two quoted parts: as written */
    free(v);
    v = cia_def_rest(l, 5);
    CHECK_STR(v, "");
    free(v);
    CHECK_INT(cia_def_next(&r, &l, CIA_EDATA, &e), CIA_OK);
    size_t n;
    const char *sql = cia_def_remainder(&r, &n);
    CHECK_INT(n, strlen("SELECT 1 # not a comment\n"));
    CHECK(!strncmp(sql, "SELECT 1 # not a comment\n", n));
    cia_def_close(&r);
}

/* Each format read through the reader locates its errors at the word. */
static const char *formatted(const cia_err *e)
{
    static char buf[2048];
    return cia_err_format(e, buf, sizeof buf);
}

static void formats_give_columns(void)
{
    cia_err e;
    cia_err_clear(&e);
    const char *spec = "service x\ntitle X\ntable x_record\nprimary d\nunique r\n"
                       "field d date required d\nfield r ref required r\nfield z decimal optional z\n";
    cia_spec *s = NULL;
    CHECK(cia_spec_parse(&s, "t.spec", spec, strlen(spec), &e) != CIA_OK);
    CHECK_STR(formatted(&e), "t.spec:8:9: unknown type 'decimal'");
    const char *rd = "report r\ntitle t\ntable a\n  title t\n  layout years\n  row x.y tpo=3\n";
    struct cia_rd *d = NULL;
    CHECK(cia_rd_parse("t.def", rd, strlen(rd), &d, &e) != CIA_OK);
    CHECK_STR(formatted(&e), "t.def:6:11: unknown key 'tpo' (id, where, by, codes, top, total, label, num, den)");
    const char *q = "questionnaire t\ntitle \"T\"\ntable a \"A\"\n  row A \"a\" \"b2\"\n";
    cia_qdef *qd = NULL;
    CHECK(cia_qdef_parse("t.q", q, strlen(q), &qd, &e) != CIA_OK);
    CHECK_STR(formatted(&e), "t.q:4:13: unexpected 'b2' (expected DIM=CODE, item=, year=, @COLUMN=)");
    cia_conf c;
    const char *conf = "[run]\nlog = x\n  police in\n";
    CHECK(cia_conf_parse(&c, "t.conf", conf, strlen(conf), &e) != CIA_OK);
    CHECK_STR(formatted(&e), "t.conf:3:10: expected `key = value`");
    cia_conf_free(&c);
    const char *quoted = "[run]\nlog = \"/var/log/a b.log\"   # where\n";
    CHECK_INT(cia_conf_parse(&c, "t.conf", quoted, strlen(quoted), &e), CIA_OK);
    CHECK_STR(cia_conf_get(&c, "run", "log"), "/var/log/a b.log");
    cia_conf_free(&c);
}

UNIT_MAIN(T(comments), T(quotes_and_columns), T(values), T(formats_give_columns))
