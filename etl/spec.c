/* spec.c — reads the service spec files (etl/specs/NAME.spec, compiled in).
 *
 * The format is line-based so that an analyst can read and amend it:
 *   service NAME / title TEXT / table TABLE / delimiter ; | , | tab
 *   primary FIELD / scope FIELD / unique FIELD [FIELD...]
 *   field NAME TYPE[:LIST] required|optional[,empty0] HEADER | HEADER | ...
 *   rule required FIELD when FIELD = CODE[,CODE] | != CODE | > 0
 *   rule empty FIELD when FIELD = CODE[,CODE] | != CODE | = 0
 *   rule less FIELD than FIELD
 *   rule not_before FIELD FIELD
 * '#' starts a comment. */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/spec.h"
#include "ciatteh/text.h"
#include "ciatteh/util.h"

static const struct { const char *name; enum cia_ftype t; } types[] = {
    {"date", CIA_T_DATE}, {"year", CIA_T_YEAR}, {"int", CIA_T_INT}, {"count", CIA_T_COUNT},
    {"amount", CIA_T_AMOUNT}, {"code", CIA_T_CODE}, {"bool", CIA_T_BOOL},
    {"country", CIA_T_COUNTRY}, {"iso2", CIA_T_ISO2}, {"ref", CIA_T_REF}, {NULL, 0},
};

int cia_spec_field(const cia_spec *s, const char *name)
{
    for (size_t i = 0; i < s->nfields; i++)
        if (!strcmp(s->fields[i].name, name)) return (int)i;
    return -1;
}

void cia_spec_free(cia_spec *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->nfields; i++) {
        free(s->fields[i].name);
        free(s->fields[i].list);
        for (size_t j = 0; j < s->fields[i].nheaders; j++) free(s->fields[i].headers[j]);
        free(s->fields[i].headers);
    }
    for (size_t i = 0; i < s->nrules; i++) {
        for (size_t j = 0; j < s->rules[i].nvalues; j++) free(s->rules[i].values[j]);
        free(s->rules[i].values);
        free(s->rules[i].text);
    }
    free(s->fields);
    free(s->rules);
    free(s->unique);
    free(s->service);
    free(s->title);
    free(s->table);
    free(s);
}

/* Split a line into white-space separated words (at most max). */
static size_t words(char *line, char **w, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (*p && n < max) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        w[n++] = p;
        while (*p && *p != ' ' && *p != '\t') p++;
        if (*p) *p++ = '\0';
    }
    return n;
}

static int need_field(const cia_spec *s, const char *name, const char *file, long line, cia_err *e, int *idx)
{
    *idx = cia_spec_field(s, name);
    if (*idx < 0) return cia_fail_at(e, CIA_EINTERNAL, file, line, NULL, "unknown field '%s'", name);
    return CIA_OK;
}

static int parse_field(cia_spec *s, char *rest, const char *file, long line, cia_err *e)
{
    char *w[3];
    /* name, type, required — the headers are the rest of the line */
    char *p = rest;
    size_t n = 0;
    while (n < 3) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        w[n++] = p;
        while (*p && *p != ' ' && *p != '\t') p++;
        if (*p) *p++ = '\0';
    }
    if (n < 3) return cia_fail_at(e, CIA_EINTERNAL, file, line, NULL, "field: expected NAME TYPE REQUIRED HEADERS");
    if (cia_spec_field(s, w[0]) >= 0)
        return cia_fail_at(e, CIA_EINTERNAL, file, line, NULL, "field %s declared twice", w[0]);
    /* A typo here would silently make a field optional: only these. */
    if (strcmp(w[2], "required") && strcmp(w[2], "optional") && strcmp(w[2], "required,empty0") &&
        strcmp(w[2], "optional,empty0"))
        return cia_fail_at(e, CIA_EINTERNAL, file, line, NULL,
                           "field %s: '%s': expected required or optional (optionally ,empty0)", w[0], w[2]);
    s->fields = cia_xrealloc(s->fields, (s->nfields + 1) * sizeof *s->fields);
    struct cia_field *f = &s->fields[s->nfields++];
    memset(f, 0, sizeof *f);
    f->name = cia_xstrdup(w[0]);
    char *colon = strchr(w[1], ':');
    if (colon) { *colon = '\0'; f->list = cia_xstrdup(colon + 1); }
    int found = 0;
    for (int i = 0; types[i].name; i++)
        if (!strcmp(types[i].name, w[1])) { f->type = types[i].t; found = 1; }
    if (!found) return cia_fail_at(e, CIA_EINTERNAL, file, line, NULL, "unknown type '%s'", w[1]);
    if (f->type == CIA_T_BOOL && !f->list) f->list = cia_xstrdup("yesno");
    if (f->type == CIA_T_CODE && !f->list)
        return cia_fail_at(e, CIA_EINTERNAL, file, line, NULL, "code needs a list (code:LIST)");
    f->required = !strncmp(w[2], "required", 8);  /* checked above */
    f->empty_is_zero = strstr(w[2], "empty0") != NULL;
    cia_strv hs = {0};
    cia_strv_split(&hs, p, '|');
    cia_buf b;
    cia_buf_init(&b);
    f->headers = cia_xcalloc(hs.n, sizeof *f->headers);
    for (size_t i = 0; i < hs.n; i++) {
        cia_fold(&b, hs.v[i], strlen(hs.v[i]));
        f->headers[f->nheaders++] = cia_xstrdup(b.data);
    }
    cia_buf_free(&b);
    cia_strv_free(&hs);
    if (!f->nheaders) return cia_fail_at(e, CIA_EINTERNAL, file, line, NULL, "field %s has no header names", f->name);
    return CIA_OK;
}

static int parse_cond(cia_spec *s, struct cia_rule *r, char **w, size_t n, const char *file, long line, cia_err *e)
{
    /* w: FIELD OP [VALUE] */
    if (n < 2) return cia_fail_at(e, CIA_EINTERNAL, file, line, NULL, "rule: condition expected");
    int rc = need_field(s, w[0], file, line, e, &r->other);
    if (rc) return rc;
    if (!strcmp(w[1], ">") && n == 3 && !strcmp(w[2], "0")) { r->op = CIA_C_GT0; return CIA_OK; }
    if (!strcmp(w[1], "=") && n == 3 && !strcmp(w[2], "0") && s->fields[r->other].type != CIA_T_CODE &&
        s->fields[r->other].type != CIA_T_BOOL) { r->op = CIA_C_ZERO; return CIA_OK; }
    if (n != 3 || (strcmp(w[1], "=") && strcmp(w[1], "!=")))
        return cia_fail_at(e, CIA_EINTERNAL, file, line, NULL, "rule: bad condition");
    r->op = !strcmp(w[1], "=") ? CIA_C_EQ : CIA_C_NE;
    cia_strv vs = {0};
    cia_strv_split(&vs, w[2], ',');
    r->values = vs.v;
    r->nvalues = vs.n;
    return CIA_OK;
}

static int parse_rule(cia_spec *s, char *rest, const char *file, long line, cia_err *e)
{
    char *text = cia_xstrdup(rest);
    char *w[8];
    size_t n = words(rest, w, 8);
    s->rules = cia_xrealloc(s->rules, (s->nrules + 1) * sizeof *s->rules);
    struct cia_rule *r = &s->rules[s->nrules++];
    memset(r, 0, sizeof *r);
    r->text = text;
    if (n < 3) return cia_fail_at(e, CIA_EINTERNAL, file, line, NULL, "rule: too short");
    int rc = need_field(s, w[1], file, line, e, &r->field);
    if (rc) return rc;
    if ((!strcmp(w[0], "required") || !strcmp(w[0], "empty")) && !strcmp(w[2], "when")) {
        r->kind = !strcmp(w[0], "required") ? CIA_R_REQUIRED_WHEN : CIA_R_EMPTY_WHEN;
        return parse_cond(s, r, w + 3, n - 3, file, line, e);
    }
    if (!strcmp(w[0], "less") && n == 4 && !strcmp(w[2], "than")) {
        r->kind = CIA_R_LESS_THAN;
        return need_field(s, w[3], file, line, e, &r->other);
    }
    if (!strcmp(w[0], "not_before") && n == 3) {
        r->kind = CIA_R_NOT_BEFORE;
        return need_field(s, w[2], file, line, e, &r->other);
    }
    return cia_fail_at(e, CIA_EINTERNAL, file, line, NULL, "rule: not understood");
}

/* Next line of a NUL-terminated buffer, cut in place (comment, '\r' and
 * surrounding blanks removed); NULL at the end.  Every line counts, blank
 * ones included, so that messages give the real line number. */
static char *next_line(char **cursor, long *lineno)
{
    char *ln = *cursor;
    if (!ln) return NULL;
    char *nl = strchr(ln, '\n');
    if (nl) { *nl = '\0'; *cursor = nl + 1; }
    else *cursor = NULL;
    if (!nl && !*ln) return NULL;          /* after a final newline */
    (*lineno)++;
    char *hash = strchr(ln, '#');
    if (hash) *hash = '\0';
    char *cr = strchr(ln, '\r');
    if (cr) *cr = '\0';
    return cia_trim(ln);
}

int cia_spec_parse(cia_spec **out, const char *name, const char *text, size_t len, cia_err *e)
{
    cia_spec *s = cia_xcalloc(1, sizeof *s);
    s->primary = s->scope = -1;
    s->delimiter = ';';
    char *copy = cia_xstrndup(text, len);
    char *cursor = copy, *ln;
    long lineno = 0;
    int rc = CIA_OK;
    char *pending_primary = NULL, *pending_scope = NULL, *pending_unique = NULL;
    while ((ln = next_line(&cursor, &lineno))) {
        if (!*ln) continue;
        char *rest = ln + strcspn(ln, " \t");
        if (*rest) *rest++ = '\0';
        while (*rest == ' ' || *rest == '\t') rest++;
        if (!strcmp(ln, "service")) s->service = cia_xstrdup(rest);
        else if (!strcmp(ln, "title")) s->title = cia_xstrdup(rest);
        else if (!strcmp(ln, "table")) s->table = cia_xstrdup(rest);
        else if (!strcmp(ln, "delimiter")) {
            if (!strcmp(rest, "tab")) s->delimiter = '\t';
            else if (strlen(rest) == 1 && rest[0] != '"') s->delimiter = rest[0];
            else rc = cia_fail_at(e, CIA_EINTERNAL, name, lineno, NULL,
                                  "delimiter: expected one character or 'tab', not '%s'", rest);
        }
        else if (!strcmp(ln, "primary")) pending_primary = rest;
        else if (!strcmp(ln, "scope")) pending_scope = rest;
        else if (!strcmp(ln, "unique")) pending_unique = rest;
        else if (!strcmp(ln, "field")) rc = parse_field(s, rest, name, lineno, e);
        else if (!strcmp(ln, "rule")) {
            /* rules may name fields declared later: parse after the loop */
            continue;
        } else rc = cia_fail_at(e, CIA_EINTERNAL, name, lineno, NULL, "unknown keyword '%s'", ln);
        if (rc) break;
    }
    if (!rc && (!s->service || !s->table || !pending_primary || !pending_unique || !s->nfields))
        rc = cia_fail(e, CIA_EINTERNAL, "%s: service, table, primary, unique and fields are required", name);
    if (!rc && (rc = need_field(s, pending_primary, name, 0, e, &s->primary)) == CIA_OK) {
        if (pending_scope && (rc = need_field(s, pending_scope, name, 0, e, &s->scope))) goto done;
        char *w[8];
        size_t n = words(pending_unique, w, 8);
        s->unique = cia_xcalloc(n, sizeof *s->unique);
        for (size_t i = 0; i < n && !rc; i++) rc = need_field(s, w[i], name, 0, e, &s->unique[s->nunique++]);
    }
    /* Second pass for the rules. */
    if (!rc) {
        free(copy);
        copy = cia_xstrndup(text, len);
        cursor = copy;
        lineno = 0;
        while (!rc && (ln = next_line(&cursor, &lineno))) {
            if (strncmp(ln, "rule", 4) || (ln[4] && ln[4] != ' ' && ln[4] != '\t')) continue;
            char *rest = ln + 4;
            while (*rest == ' ' || *rest == '\t') rest++;
            rc = parse_rule(s, rest, name, lineno, e);
        }
    }
done:
    free(copy);
    if (rc) { cia_spec_free(s); return rc; }
    *out = s;
    return CIA_OK;
}

struct svc_list { cia_buf b; };

static int add_service(const char *path, const char *data, size_t len, void *arg)
{
    (void)data; (void)len;
    struct svc_list *l = arg;
    const char *base = strrchr(path, '/') + 1;
    if (l->b.len) cia_buf_adds(&l->b, ", ");
    cia_buf_add(&l->b, base, strcspn(base, "."));
    return 0;
}

const char *cia_spec_services(void)
{
    static char list[512];
    if (!list[0]) {
        struct svc_list l;
        cia_buf_init(&l.b);
        cia_embedded_each("etl/specs/", add_service, &l);
        snprintf(list, sizeof list, "%s", l.b.data ? l.b.data : "");
        cia_buf_free(&l.b);
    }
    return list;
}

int cia_spec_load(cia_spec **out, const char *service, cia_err *e)
{
    char path[256];
    size_t len;
    if (strchr(service, '/') || strlen(service) > 64)
        return cia_fail(e, CIA_EUSAGE, "unknown service '%s' (services: %s)", service, cia_spec_services());
    snprintf(path, sizeof path, "etl/specs/%s.spec", service);
    const char *text = cia_embedded(path, &len);
    if (!text) return cia_fail(e, CIA_EUSAGE, "unknown service '%s' (services: %s)", service, cia_spec_services());
    return cia_spec_parse(out, path, text, len, e);
}
