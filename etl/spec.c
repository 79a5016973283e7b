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
 *   group COLUMN FIELD [year | sign | band V=CODE...] / sum COLUMN FIELD
 *   lag FIELD FROM_FIELD     (the item groups: see include/ciatteh/spec.h)
 * Lines, words, comments ('#') and quotes: the one reader, defread.h. */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/defread.h"
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
    for (size_t i = 0; i < s->ngroups; i++) {
        free(s->groups[i].column);
        for (size_t j = 0; j < s->groups[i].nband; j++) free(s->groups[i].band_code[j]);
        free(s->groups[i].band_code);
        free(s->groups[i].band_from);
    }
    for (size_t i = 0; i < s->nsums; i++) free(s->sums[i].column);
    free(s->groups);
    free(s->sums);
    free(s->fields);
    free(s->rules);
    free(s->unique);
    free(s->service);
    free(s->title);
    free(s->table);
    free(s);
}

#define FAIL(l, k, ...) cia_def_fail(e, CIA_EINTERNAL, (l), (k), __VA_ARGS__)

/* A field named in the file at line:col. */
static int need_field_at(const cia_spec *s, const char *name, const char *file, long line, int col, cia_err *e,
                         int *idx)
{
    *idx = cia_spec_field(s, name);
    if (*idx < 0) return cia_def_fail_col(e, CIA_EINTERNAL, file, line, col, "unknown field '%s'", name);
    return CIA_OK;
}

/* The field named by word k of l. */
static int need_field(const cia_spec *s, const cia_defline *l, size_t k, cia_err *e, int *idx)
{
    return need_field_at(s, l->w[k], l->file, l->line, l->col[k], e, idx);
}

/* field NAME TYPE REQUIRED HEADER | HEADER ... */
static int parse_field(cia_spec *s, const cia_defline *l, cia_err *e)
{
    if (l->n < 4) return FAIL(l, l->n, "field: expected NAME TYPE REQUIRED HEADERS");
    const char *name = l->w[1], *type = l->w[2], *req = l->w[3];
    if (cia_spec_field(s, name) >= 0) return FAIL(l, 1, "field %s declared twice", name);
    /* A typo here would silently make a field optional: only these. */
    if (strcmp(req, "required") && strcmp(req, "optional") && strcmp(req, "required,empty0") &&
        strcmp(req, "optional,empty0"))
        return FAIL(l, 3, "field %s: '%s': expected required or optional (optionally ,empty0)", name, req);
    s->fields = cia_xrealloc(s->fields, (s->nfields + 1) * sizeof *s->fields);
    struct cia_field *f = &s->fields[s->nfields++];
    memset(f, 0, sizeof *f);
    f->name = cia_xstrdup(name);
    size_t tn = strcspn(type, ":");
    if (type[tn]) f->list = cia_xstrdup(type + tn + 1);
    int found = 0;
    for (int i = 0; types[i].name; i++)
        if (strlen(types[i].name) == tn && !strncmp(types[i].name, type, tn)) { f->type = types[i].t; found = 1; }
    if (!found) return FAIL(l, 2, "unknown type '%.*s'", (int)tn, type);
    if (f->type == CIA_T_BOOL && !f->list) f->list = cia_xstrdup("yesno");
    if (f->type == CIA_T_CODE && !f->list) return FAIL(l, 2, "code needs a list (code:LIST)");
    f->required = !strncmp(req, "required", 8);  /* checked above */
    f->empty_is_zero = strstr(req, "empty0") != NULL;
    char *rest = cia_def_rest(l, 4);
    cia_strv hs = {0};
    cia_strv_split(&hs, rest, '|');
    free(rest);
    cia_buf b;
    cia_buf_init(&b);
    f->headers = cia_xcalloc(hs.n, sizeof *f->headers);
    for (size_t i = 0; i < hs.n; i++) {
        cia_fold(&b, hs.v[i], strlen(hs.v[i]));
        f->headers[f->nheaders++] = cia_xstrdup(b.data);
    }
    cia_buf_free(&b);
    cia_strv_free(&hs);
    if (!f->nheaders) return FAIL(l, l->n, "field %s has no header names", f->name);
    return CIA_OK;
}

/* Words k.. of l: FIELD OP [VALUE] */
static int parse_cond(cia_spec *s, struct cia_rule *r, const cia_defline *l, size_t k, cia_err *e)
{
    size_t n = l->n - k;
    char **w = l->w + k;
    if (n < 2) return FAIL(l, l->n, "rule: condition expected");
    int rc = need_field(s, l, k, e, &r->other);
    if (rc) return rc;
    if (!strcmp(w[1], ">") && n == 3 && !strcmp(w[2], "0")) { r->op = CIA_C_GT0; return CIA_OK; }
    if (!strcmp(w[1], "=") && n == 3 && !strcmp(w[2], "0") && s->fields[r->other].type != CIA_T_CODE &&
        s->fields[r->other].type != CIA_T_BOOL) { r->op = CIA_C_ZERO; return CIA_OK; }
    if (n != 3 || (strcmp(w[1], "=") && strcmp(w[1], "!="))) return FAIL(l, k + 1, "rule: bad condition");
    r->op = !strcmp(w[1], "=") ? CIA_C_EQ : CIA_C_NE;
    cia_strv vs = {0};
    cia_strv_split(&vs, w[2], ',');
    r->values = vs.v;
    r->nvalues = vs.n;
    return CIA_OK;
}

/* rule KIND FIELD ... */
static int parse_rule(cia_spec *s, const cia_defline *l, cia_err *e)
{
    char **w = l->w + 1;
    size_t n = l->n - 1;
    s->rules = cia_xrealloc(s->rules, (s->nrules + 1) * sizeof *s->rules);
    struct cia_rule *r = &s->rules[s->nrules++];
    memset(r, 0, sizeof *r);
    r->text = cia_def_rest(l, 1);
    if (n < 3) return FAIL(l, l->n, "rule: too short");
    int rc = need_field(s, l, 2, e, &r->field);
    if (rc) return rc;
    if ((!strcmp(w[0], "required") || !strcmp(w[0], "empty")) && !strcmp(w[2], "when")) {
        r->kind = !strcmp(w[0], "required") ? CIA_R_REQUIRED_WHEN : CIA_R_EMPTY_WHEN;
        return parse_cond(s, r, l, 4, e);
    }
    if (!strcmp(w[0], "less") && n == 4 && !strcmp(w[2], "than")) {
        r->kind = CIA_R_LESS_THAN;
        return need_field(s, l, 4, e, &r->other);
    }
    if (!strcmp(w[0], "not_before") && n == 3) {
        r->kind = CIA_R_NOT_BEFORE;
        return need_field(s, l, 3, e, &r->other);
    }
    return FAIL(l, 1, "rule: not understood");
}

/* ---- group, sum, lag ------------------------------------------------- */

/* Longest group column name: COLUMN_known must fit PostgreSQL's 63. */
#define GROUP_COL_MAX 57

static const char *const reserved_cols[] = {"delivery_id", "scope", "dyear", "n", NULL};

/* Is name already a column of the group table (fixed, group, sum or a
 * sum's _known)? */
static int col_taken(const cia_spec *s, const char *name)
{
    for (int i = 0; reserved_cols[i]; i++)
        if (!strcmp(reserved_cols[i], name)) return 1;
    for (size_t i = 0; i < s->ngroups; i++)
        if (!strcmp(s->groups[i].column, name)) return 1;
    size_t n = strlen(name);
    for (size_t i = 0; i < s->nsums; i++) {
        const char *c = s->sums[i].column;
        size_t cn = strlen(c);
        if (!strcmp(c, name)) return 1;
        if (n == cn + 6 && !strncmp(name, c, cn) && !strcmp(name + cn, "_known")) return 1;
    }
    return 0;
}

/* The COLUMN of a group or sum line (word 1). */
static int check_col(const cia_spec *s, const cia_defline *l, cia_err *e)
{
    const char *kw = l->w[0], *col = l->w[1];
    int ok = col[0] >= 'a' && col[0] <= 'z' && strlen(col) <= GROUP_COL_MAX;
    for (const char *p = col; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
    if (!ok)
        return FAIL(l, 1, "%s %s: a column name is a lower-case letter, then lower-case letters, digits or _ "
                          "(at most %d)", kw, col, GROUP_COL_MAX);
    if (col_taken(s, col)) return FAIL(l, 1, "%s %s: the group table already has a column %s", kw, col, col);
    return CIA_OK;
}

/* FIELD of a group/sum/lag line at word k: declared and not a reference
 * (references are pseudonyms; grouping on them would count persons one
 * by one). */
static int group_field(const cia_spec *s, const cia_defline *l, size_t k, cia_err *e, int *idx)
{
    int rc = need_field(s, l, k, e, idx);
    if (rc) return rc;
    if (s->fields[*idx].type == CIA_T_REF)
        return FAIL(l, k, "%s %s: %s is a reference; references are never grouped", l->w[0], l->w[1], l->w[k]);
    return CIA_OK;
}

/* "a date", "an int": the type as the messages name it */
static const char *a_type(enum cia_ftype t)
{
    static const char *const named[] = {
        [CIA_T_DATE] = "a date", [CIA_T_YEAR] = "a year", [CIA_T_INT] = "an int", [CIA_T_COUNT] = "a count",
        [CIA_T_AMOUNT] = "an amount", [CIA_T_CODE] = "a code", [CIA_T_BOOL] = "a bool",
        [CIA_T_COUNTRY] = "a country", [CIA_T_ISO2] = "an iso2", [CIA_T_REF] = "a ref",
    };
    return (size_t)t < sizeof named / sizeof named[0] && named[t] ? named[t] : "an unknown";
}

/* V=CODE words k.. of l into g; V ascending whole numbers, codes
 * distinct, at least one. */
static int parse_bands(struct cia_group_col *g, const cia_defline *l, size_t k, cia_err *e)
{
    size_t n = l->n - k;
    if (!n) return FAIL(l, l->n, "group %s: band needs at least one V=CODE", g->column);
    g->band_from = cia_xcalloc(n, sizeof *g->band_from);
    g->band_code = cia_xcalloc(n, sizeof *g->band_code);
    for (size_t i = 0; i < n; i++) {
        const char *word = l->w[k + i];
        const char *eq = strchr(word, '=');
        long long v = 0;
        char num[32];
        int ok = eq && eq[1] && strlen(eq + 1) <= 32 && (size_t)(eq - word) < sizeof num;
        if (ok) {
            memcpy(num, word, (size_t)(eq - word));
            num[eq - word] = '\0';
            ok = !cia_parse_uint(num, &v) && v <= 2147483647;
        }
        for (const char *p = eq ? eq + 1 : ""; ok && *p; p++)
            ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
        if (!ok)
            return FAIL(l, k + i, "group %s: band '%s': expected V=CODE (V a whole number, CODE letters, digits or _)",
                        g->column, word);
        if (i && v <= g->band_from[i - 1])
            return FAIL(l, k + i, "group %s: band %lld after %lld: the bounds must ascend", g->column, v,
                        g->band_from[i - 1]);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(g->band_code[j], eq + 1))
                return FAIL(l, k + i, "group %s: band code %s given twice", g->column, eq + 1);
        g->band_from[i] = v;
        g->band_code[g->nband++] = cia_xstrdup(eq + 1);
    }
    return CIA_OK;
}

/* group COLUMN FIELD [year | sign | band V=CODE...] */
static int parse_group(cia_spec *s, const cia_defline *l, cia_err *e)
{
    char **w = l->w + 1;
    size_t n = l->n - 1;
    if (n < 2) return FAIL(l, l->n, "group: expected COLUMN FIELD [year | sign | band V=CODE...]");
    if (n >= 64) return FAIL(l, 64, "group %s: too many bands", w[0]);
    int rc = check_col(s, l, e);
    int f;
    if (rc || (rc = group_field(s, l, 2, e, &f))) return rc;
    enum cia_ftype t = s->fields[f].type;
    enum cia_grain grain;
    const char *why = NULL;
    if (n == 2) {
        grain = CIA_G_VALUE;
        if (t == CIA_T_DATE) why = "group on its year (add 'year')";
        else if (t == CIA_T_COUNT || t == CIA_T_AMOUNT) why = "group on its sign (add 'sign')";
    } else if (!strcmp(w[2], "year") && n == 3) {
        grain = CIA_G_YEAR;
        if (t != CIA_T_DATE && t != CIA_T_YEAR) why = "year needs a date or year field";
    } else if (!strcmp(w[2], "sign") && n == 3) {
        grain = CIA_G_SIGN;
        if (t != CIA_T_INT && t != CIA_T_COUNT && t != CIA_T_AMOUNT) why = "sign needs an int, count or amount field";
    } else if ((!strcmp(w[2], "year") || !strcmp(w[2], "sign")) && n > 3) {
        return FAIL(l, 4, "group %s: '%s' after %s not understood", w[0], w[3], w[2]);
    } else if (!strcmp(w[2], "band")) {
        grain = CIA_G_BAND;
        if (t != CIA_T_INT) why = "band needs an int field";
    } else
        return FAIL(l, 3, "group %s: '%s' not understood (expected year, sign or band V=CODE...)", w[0], w[2]);
    if (why) return FAIL(l, 2, "group %s: %s is %s field: %s", w[0], w[1], a_type(t), why);
    s->groups = cia_xrealloc(s->groups, (s->ngroups + 1) * sizeof *s->groups);
    struct cia_group_col *g = &s->groups[s->ngroups++];
    memset(g, 0, sizeof *g);
    g->column = cia_xstrdup(w[0]);
    g->field = f;
    g->grain = grain;
    if (grain == CIA_G_BAND) return parse_bands(g, l, 4, e);
    return CIA_OK;
}

/* sum COLUMN FIELD [sign] */
static int parse_sum(cia_spec *s, const cia_defline *l, cia_err *e)
{
    char **w = l->w + 1;
    size_t n = l->n - 1;
    int sign = n == 3 && !strcmp(w[2], "sign");
    if (n != 2 && !sign) return FAIL(l, n > 2 ? 3 : l->n, "sum: expected COLUMN FIELD [sign]");
    int rc = check_col(s, l, e);
    if (rc) return rc;
    char known[GROUP_COL_MAX + 8];
    snprintf(known, sizeof known, "%s_known", w[0]);
    if (col_taken(s, known)) return FAIL(l, 1, "sum %s: the group table already has a column %s", w[0], known);
    int f;
    if ((rc = group_field(s, l, 2, e, &f))) return rc;
    enum cia_ftype t = s->fields[f].type;
    if (!sign && t != CIA_T_INT && t != CIA_T_COUNT && t != CIA_T_BOOL)
        return FAIL(l, 2, "sum %s: %s is %s field: sum needs an int, count or bool field", w[0], w[1], a_type(t));
    if (sign && t != CIA_T_INT && t != CIA_T_COUNT && t != CIA_T_AMOUNT)
        return FAIL(l, 2, "sum %s: %s is %s field: sum ... sign needs an int, count or amount field", w[0], w[1],
                    a_type(t));
    s->sums = cia_xrealloc(s->sums, (s->nsums + 1) * sizeof *s->sums);
    s->sums[s->nsums].sign = sign;
    s->sums[s->nsums].column = cia_xstrdup(w[0]);
    s->sums[s->nsums++].field = f;
    return CIA_OK;
}

/* lag FIELD FROM_FIELD */
static int parse_lag(cia_spec *s, const cia_defline *l, cia_err *e)
{
    if (l->n != 3) return FAIL(l, l->n > 3 ? 3 : l->n, "lag: expected FIELD FROM_FIELD");
    if (s->lag) return FAIL(l, 0, "lag given twice (at most one per spec)");
    int f, from, rc;
    if ((rc = group_field(s, l, 1, e, &f)) || (rc = group_field(s, l, 2, e, &from))) return rc;
    if (s->fields[f].type != CIA_T_DATE || s->fields[from].type != CIA_T_DATE)
        return FAIL(l, 1, "lag %s %s: both fields must be dates", l->w[1], l->w[2]);
    if (f == from) return FAIL(l, 2, "lag %s %s: two different dates expected", l->w[1], l->w[2]);
    s->lag = 1;
    s->lag_field = f;
    s->lag_from = from;
    return CIA_OK;
}

/* The lag counts days from lag_from to lag_field; a not_before rule makes
 * them never negative, so the histogram needs no negative side. */
static int check_lag_rule(const cia_spec *s, const char *file, long line, cia_err *e)
{
    for (size_t i = 0; i < s->nrules; i++)
        if (s->rules[i].kind == CIA_R_NOT_BEFORE && s->rules[i].field == s->lag_field &&
            s->rules[i].other == s->lag_from)
            return CIA_OK;
    return cia_def_fail_col(e, CIA_EINTERNAL, file, line, 1,
                            "lag %s %s needs 'rule not_before %s %s' (the days must not be negative)",
                            s->fields[s->lag_field].name, s->fields[s->lag_from].name,
                            s->fields[s->lag_field].name, s->fields[s->lag_from].name);
}

/* The words of a primary, scope or unique line, kept for after the
 * fields are known. */
struct pending {
    char *w[8];
    int col[8];
    size_t n;
    long line;
};

static void pending_set(struct pending *p, const cia_defline *l)
{
    for (size_t i = 0; i < p->n; i++) free(p->w[i]);
    p->n = 0;
    p->line = l->line;
    for (size_t i = 1; i < l->n && p->n < 8; i++) {
        p->col[p->n] = l->col[i];
        p->w[p->n++] = cia_xstrdup(l->w[i]);
    }
}

static void pending_free(struct pending *p)
{
    for (size_t i = 0; i < p->n; i++) free(p->w[i]);
}

/* First pass: the service's header lines and the fields. */
static int parse_head(cia_spec *s, const cia_defline *l, struct pending pend[3], cia_err *e)
{
    const char *kw = l->w[0];
    if (!strcmp(kw, "service")) { free(s->service); s->service = cia_def_rest(l, 1); }
    else if (!strcmp(kw, "title")) { free(s->title); s->title = cia_def_rest(l, 1); }
    else if (!strcmp(kw, "table")) { free(s->table); s->table = cia_def_rest(l, 1); }
    else if (!strcmp(kw, "delimiter")) {
        const char *d = l->n == 2 ? l->w[1] : "";
        if (!strcmp(d, "tab")) s->delimiter = '\t';
        else if (strlen(d) == 1 && d[0] != '"') s->delimiter = d[0];
        else {
            char *rest = cia_def_rest(l, 1);
            int rc = FAIL(l, 1, "delimiter: expected one character or 'tab', not '%s'", rest);
            free(rest);
            return rc;
        }
    }
    else if (!strcmp(kw, "primary")) pending_set(&pend[0], l);
    else if (!strcmp(kw, "scope")) pending_set(&pend[1], l);
    else if (!strcmp(kw, "unique")) pending_set(&pend[2], l);
    else if (!strcmp(kw, "field")) return parse_field(s, l, e);
    else if (strcmp(kw, "rule") && strcmp(kw, "group") && strcmp(kw, "sum") && strcmp(kw, "lag"))
        return FAIL(l, 0, "unknown keyword '%s'", kw);
    /* rule, group, sum and lag may name fields declared later: second pass */
    return CIA_OK;
}

static int pending_field(const cia_spec *s, const char *name, const struct pending *p, size_t i, cia_err *e,
                         int *idx)
{
    return need_field_at(s, p->w[i], name, p->line, p->col[i], e, idx);
}

int cia_spec_parse(cia_spec **out, const char *name, const char *text, size_t len, cia_err *e)
{
    cia_spec *s = cia_xcalloc(1, sizeof *s);
    s->primary = s->scope = -1;
    s->delimiter = ';';
    struct pending pend[3] = {{{0}, {0}, 0, 0}, {{0}, {0}, 0, 0}, {{0}, {0}, 0, 0}};  /* primary, scope, unique */
    cia_defreader r;
    const cia_defline *l;
    cia_def_open(&r, name, text, len);
    int rc;
    while (!(rc = cia_def_next(&r, &l, CIA_EINTERNAL, e)) && l && !(rc = parse_head(s, l, pend, e)))
        ;
    cia_def_close(&r);
    if (!rc && (!s->service || !s->table || !pend[0].n || !pend[2].n || !s->nfields))
        rc = cia_fail(e, CIA_EINTERNAL, "%s: service, table, primary, unique and fields are required", name);
    if (!rc) rc = pending_field(s, name, &pend[0], 0, e, &s->primary);
    if (!rc && pend[1].n) rc = pending_field(s, name, &pend[1], 0, e, &s->scope);
    if (!rc) {
        s->unique = cia_xcalloc(pend[2].n, sizeof *s->unique);
        for (size_t i = 0; i < pend[2].n && !rc; i++)
            rc = pending_field(s, name, &pend[2], i, e, &s->unique[s->nunique++]);
    }
    /* Second pass for the rules and the group lines. */
    if (!rc) {
        long lag_line = 0;
        cia_def_open(&r, name, text, len);
        while (!rc && !(rc = cia_def_next(&r, &l, CIA_EINTERNAL, e)) && l) {
            const char *kw = l->w[0];
            if (!strcmp(kw, "rule")) rc = parse_rule(s, l, e);
            else if (!strcmp(kw, "group")) rc = parse_group(s, l, e);
            else if (!strcmp(kw, "sum")) rc = parse_sum(s, l, e);
            else if (!strcmp(kw, "lag")) { lag_line = l->line; rc = parse_lag(s, l, e); }
        }
        cia_def_close(&r);
        if (!rc && s->lag) rc = check_lag_rule(s, name, lag_line, e);
    }
    for (int i = 0; i < 3; i++) pending_free(&pend[i]);
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
