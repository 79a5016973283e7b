/* check.c — owns the data-quality gate: parsing the rule files
 * (reports/data/checks/NN_ID.rule, compiled in), applying thresholds and
 * severities from the settings, running every rule in one read snapshot
 * over the current item facts, and rendering the findings (terminal
 * table, CSV, JSON, table model for the pack).
 *
 * The rules themselves are SQL in data files; nothing here knows what a
 * rule checks.  The engine provides the context they read (check_ctx,
 * cur_fact... declared once in context.sql) inside a transaction it rolls
 * back, so a check never changes the database and leaves nothing behind;
 * on a hot standby, where nothing can be created, it runs too. */
#include <ctype.h>
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ciatteh/catalogue.h"
#include "ciatteh/check.h"
#include "ciatteh/defread.h"
#include "ciatteh/query.h"
#include "ciatteh/render.h"
#include "ciatteh/text.h"

#define RULE_DIR "reports/data/checks/"
#define CONTEXT_FILE RULE_DIR "context.sql"

static const char *const langs[3] = {"en", "fr", "nl"};

int cia_check_lang_index(const char *lang)
{
    if (lang && !strcmp(lang, "fr")) return 1;
    if (lang && !strcmp(lang, "nl")) return 2;
    return 0;
}

const char *cia_check_severity_name(int severity)
{
    return severity == CIA_SEV_ERROR ? "error" : severity == CIA_SEV_WARNING ? "warning" : "off";
}

static int parse_severity(const char *s)
{
    if (!strcmp(s, "error")) return CIA_SEV_ERROR;
    if (!strcmp(s, "warning")) return CIA_SEV_WARNING;
    if (!strcmp(s, "off")) return CIA_SEV_OFF;
    return -1;
}

int cia_check_parse_fail_on(const char *s, enum cia_check_fail_on *out)
{
    if (!s) return -1;
    if (!strcmp(s, "default")) *out = CIA_FAIL_DEFAULT;
    else if (!strcmp(s, "error")) *out = CIA_FAIL_ERROR;
    else if (!strcmp(s, "warning")) *out = CIA_FAIL_WARNING;
    else if (!strcmp(s, "never")) *out = CIA_FAIL_NEVER;
    else return -1;
    return 0;
}

int cia_check_status(const struct cia_check_result *res, enum cia_check_fail_on fail_on)
{
    switch (fail_on) {
    case CIA_FAIL_NEVER: return CIA_OK;
    case CIA_FAIL_WARNING: return res->errors || res->warnings ? CIA_EDATA : CIA_OK;
    case CIA_FAIL_ERROR: return res->errors ? CIA_EDATA : CIA_OK;
    default: return res->errors ? CIA_EDATA : res->warnings ? CIA_WARN : CIA_OK;
    }
}

/* ---- rule files ------------------------------------------------------- */

static void rule_free(struct cia_check_rule *r)
{
    free(r->id);
    free(r->file);
    for (int l = 0; l < 3; l++) {
        free(r->title[l]);
        free(r->message[l]);
        free(r->public_message[l]);
    }
    for (size_t i = 0; i < r->nparams; i++) {
        free(r->param_names[i]);
        free(r->param_values[i]);
    }
    free(r->param_names);
    free(r->param_values);
    free(r->sql);
    memset(r, 0, sizeof *r);
}

static int valid_name(const char *s)
{
    if (!*s || strlen(s) > 60) return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_')) return 0;
    return 1;
}

/* A message placeholder: {col} or {col:count|pct|num|label|names|date}. */
struct placeholder {
    const char *start, *end;       /* the '{' and just past the '}' */
    char name[128];                /* col (cut to fit) */
    const char *fmt;               /* into name: "count"..., or NULL */
};

/* The next placeholder of a template from p on; 0 when there is none (a
 * '{' without its '}' is text).  The one reading of the syntax, for
 * rendering, for checking against the query's columns, and for telling
 * whether a message shows a figure. */
static int next_placeholder(const char *p, struct placeholder *ph)
{
    const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
    if (!close) return 0;
    size_t nl = (size_t)(close - open - 1);
    if (nl >= sizeof ph->name) nl = sizeof ph->name - 1;
    memcpy(ph->name, open + 1, nl);
    ph->name[nl] = '\0';
    char *colon = strchr(ph->name, ':');
    if (colon) *colon = '\0';
    ph->fmt = colon ? colon + 1 : NULL;
    ph->start = open;
    ph->end = close + 1;
    return 1;
}

/* Formats of a number: a figure when the column is not {threshold}. */
static int number_format(const char *fmt)
{
    return fmt && (!strcmp(fmt, "count") || !strcmp(fmt, "pct") || !strcmp(fmt, "num"));
}

/* The first figure a message template shows: a {col:count|pct|num}
 * placeholder other than {threshold} (a setting, not data).  NULL: none. */
static const char *first_figure(const char *tmpl, struct placeholder *ph)
{
    for (const char *p = tmpl; next_placeholder(p, ph); p = ph->end)
        if (number_format(ph->fmt) && strcmp(ph->name, "threshold")) return ph->name;
    return NULL;
}

/* A published pack's findings carry no figure (the release withholds
 * some, and a finding naming one would undo it): a message with figures
 * needs a public.LANG without any. */
static int check_public(const struct cia_check_rule *r, const char *path, int k, cia_err *e)
{
    struct placeholder ph;
    if (r->public_message[k] && first_figure(r->public_message[k], &ph))
        return cia_fail_at(e, CIA_EINTERNAL, path, 0, NULL, "public.%s shows a figure ({%s:%s}): a published "
                           "pack's findings may only name the threshold", langs[k], ph.name, ph.fmt);
    if (!r->public_message[k] && first_figure(r->message[k], &ph))
        return cia_fail_at(e, CIA_EINTERNAL, path, 0, NULL, "message.%s shows a figure ({%s:%s}): "
                           "public.%s (without figures) is required", langs[k], ph.name, ph.fmt, langs[k]);
    return CIA_OK;
}

/* One rule file: `key value` lines up to a line `sql`, then the query
 * (lines, words, comments and quotes: the one reader, defread.h). */
static int parse_rule(const char *path, const char *data, size_t len, struct cia_check_rule *r, cia_err *e)
{
    memset(r, 0, sizeof *r);
    r->file = cia_xstrdup(path);
    r->severity = -1;
    cia_defreader rd;
    const cia_defline *l;
    cia_def_open(&rd, path, data, len);
    int rc;
    while (!(rc = cia_def_next(&rd, &l, CIA_EINTERNAL, e)) && l) {
        const char *key = l->w[0];
        if (!strcmp(key, "sql") && l->n == 1) {
            size_t n;
            const char *sql = cia_def_remainder(&rd, &n);
            r->sql = cia_xstrndup(sql, n);
            break;
        }
        int li = -1;
        if (!strncmp(key, "title.", 6) || !strncmp(key, "message.", 8) || !strncmp(key, "public.", 7)) {
            const char *lg = strchr(key, '.') + 1;
            li = !strcmp(lg, "en") ? 0 : !strcmp(lg, "fr") ? 1 : !strcmp(lg, "nl") ? 2 : -1;
            if (li < 0) {
                rc = cia_def_fail(e, CIA_EINTERNAL, l, 0, "language of '%s' must be en, fr or nl", key);
                break;
            }
        }
        if (l->n < 2) {
            rc = cia_def_fail(e, CIA_EINTERNAL, l, 1, "'%s' without a value", key);
        } else if (!strcmp(key, "id")) {
            if (l->n != 2 || !valid_name(l->w[1]))
                rc = cia_def_fail(e, CIA_EINTERNAL, l, 1, "bad rule id '%s'", l->w[1]);
            else { free(r->id); r->id = cia_xstrdup(l->w[1]); }
        } else if (!strcmp(key, "severity")) {
            r->severity = l->n == 2 ? parse_severity(l->w[1]) : -1;
            if (r->severity <= 0)
                rc = cia_def_fail(e, CIA_EINTERNAL, l, 1, "severity must be error or warning");
        } else if (li >= 0) {
            char **dst = key[0] == 't' ? &r->title[li] : key[0] == 'p' ? &r->public_message[li]
                       : &r->message[li];
            free(*dst);
            *dst = cia_def_rest(l, 1);
        } else if (!strcmp(key, "param")) {
            char *endp;
            if (l->n != 3 || !valid_name(l->w[1]) || (strtod(l->w[2], &endp), *endp) || !*l->w[2]) {
                rc = cia_def_fail(e, CIA_EINTERNAL, l, 1, "expected `param NAME NUMBER`");
            } else {
                r->param_names = cia_xrealloc(r->param_names, (r->nparams + 1) * sizeof *r->param_names);
                r->param_values = cia_xrealloc(r->param_values, (r->nparams + 1) * sizeof *r->param_values);
                r->param_names[r->nparams] = cia_xstrdup(l->w[1]);
                r->param_values[r->nparams++] = cia_xstrdup(l->w[2]);
            }
        } else {
            rc = cia_def_fail(e, CIA_EINTERNAL, l, 0, "unknown key '%s'", key);
        }
        if (rc) break;
    }
    cia_def_close(&rd);
    if (!rc && !r->id) rc = cia_fail_at(e, CIA_EINTERNAL, path, 0, NULL, "no id");
    if (!rc && r->severity < 0) rc = cia_fail_at(e, CIA_EINTERNAL, path, 0, NULL, "no severity");
    for (int k = 0; !rc && k < 3; k++)
        if (!r->title[k] || !r->message[k])
            rc = cia_fail_at(e, CIA_EINTERNAL, path, 0, NULL, "title.%s and message.%s are required",
                             langs[k], langs[k]);
    for (int k = 0; !rc && k < 3; k++) rc = check_public(r, path, k, e);
    if (!rc && (!r->sql || !*r->sql)) rc = cia_fail_at(e, CIA_EINTERNAL, path, 0, NULL, "no sql");
    if (rc) rule_free(r);
    return rc;
}

struct collect { struct cia_check_result *res; cia_err *e; };

static int collect_rule(const char *path, const char *data, size_t len, void *arg)
{
    struct collect *c = arg;
    size_t pl = strlen(path);
    if (pl < 5 || strcmp(path + pl - 5, ".rule")) return 0;
    struct cia_check_rule r;
    int rc = parse_rule(path, data, len, &r, c->e);
    if (rc) return rc;
    for (size_t i = 0; i < c->res->nrules; i++)
        if (!strcmp(c->res->rules[i].id, r.id)) {
            rc = cia_fail(c->e, CIA_EINTERNAL, "%s: rule id '%s' also in %s", path, r.id, c->res->rules[i].file);
            rule_free(&r);
            return rc;
        }
    c->res->rules = cia_xrealloc(c->res->rules, (c->res->nrules + 1) * sizeof *c->res->rules);
    c->res->rules[c->res->nrules++] = r;
    return 0;
}

static struct cia_check_rule *find_rule(struct cia_check_result *res, const char *id, size_t idlen)
{
    for (size_t i = 0; i < res->nrules; i++)
        if (strlen(res->rules[i].id) == idlen && !strncmp(res->rules[i].id, id, idlen)) return &res->rules[i];
    return NULL;
}

static int set_param(struct cia_check_rule *r, const char *name, const char *value)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (!strcmp(r->param_names[i], name)) {
            free(r->param_values[i]);
            r->param_values[i] = cia_xstrdup(value);
            return 1;
        }
    return 0;
}

/* Every name a setting may use, for the error message. */
static char *setting_names(const struct cia_check_result *res)
{
    cia_strv seen = {0};
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, "fail_on, severity.RULE");
    for (size_t i = 0; i < res->nrules; i++)
        for (size_t k = 0; k < res->rules[i].nparams; k++)
            if (cia_strv_find(&seen, res->rules[i].param_names[k]) < 0) {
                cia_strv_push(&seen, res->rules[i].param_names[k]);
                cia_buf_printf(&b, ", %s", res->rules[i].param_names[k]);
            }
    cia_buf_adds(&b, ", RULE.PARAM");
    cia_strv_free(&seen);
    return cia_buf_steal(&b);
}

static int apply_setting(struct cia_check_result *res, const char *setting, cia_err *e)
{
    const char *eq = strchr(setting, '=');
    if (!eq || eq == setting)
        return cia_fail(e, CIA_EUSAGE, "check setting '%s': expected NAME=VALUE", setting);
    char *name = cia_xstrndup(setting, (size_t)(eq - setting));
    char *value = cia_xstrdup(eq + 1);
    /* trim both: a configuration file writes `name = value` */
    char *n = name, *v = value;
    while (isspace((unsigned char)*n)) n++;
    while (isspace((unsigned char)*v)) v++;
    for (size_t k = strlen(n); k && isspace((unsigned char)n[k - 1]);) n[--k] = '\0';
    for (size_t k = strlen(v); k && isspace((unsigned char)v[k - 1]);) v[--k] = '\0';
    int rc = CIA_OK, matched = 0;
    if (!strcmp(n, "fail_on")) {
        enum cia_check_fail_on f;
        if (cia_check_parse_fail_on(v, &f))
            rc = cia_fail(e, CIA_EUSAGE, "fail_on '%s': expected error, warning, never or default", v);
        matched = 1;
    } else if (!strncmp(n, "severity.", 9)) {
        struct cia_check_rule *r = find_rule(res, n + 9, strlen(n + 9));
        int s = parse_severity(v);
        if (!r) rc = cia_fail(e, CIA_EUSAGE, "check setting '%s': no rule '%s' (see `ciatteh check --list`)", n, n + 9);
        else if (s < 0) rc = cia_fail(e, CIA_EUSAGE, "check setting '%s': expected error, warning or off", n);
        else r->severity = s;
        matched = 1;
    } else {
        char *endp;
        if (!*v || (strtod(v, &endp), *endp) || !isfinite(strtod(v, NULL))) {
            rc = cia_fail(e, CIA_EUSAGE, "check setting '%s': '%s' is not a number", n, v);
            matched = 1;
        } else {
            const char *dot = strchr(n, '.');
            if (dot) {
                struct cia_check_rule *r = find_rule(res, n, (size_t)(dot - n));
                matched = r && set_param(r, dot + 1, v);
            } else {
                for (size_t i = 0; i < res->nrules; i++) matched |= set_param(&res->rules[i], n, v);
            }
        }
    }
    if (!rc && !matched) {
        char *names = setting_names(res);
        rc = cia_fail(e, CIA_EUSAGE, "unknown check setting '%s'; settings: %s", n, names);
        free(names);
    }
    free(name);
    free(value);
    return rc;
}

int cia_check_load_rules(const struct cia_check_opts *o, struct cia_check_result *res, cia_err *e)
{
    memset(res, 0, sizeof *res);
    struct collect c = {res, e};
    int rc = cia_embedded_each(RULE_DIR, collect_rule, &c);
    if (rc) return rc;
    if (!res->nrules) return cia_fail(e, CIA_EINTERNAL, "no check rules compiled in (" RULE_DIR "*.rule)");
    if (o && o->settings)
        for (size_t i = 0; i < o->settings->n; i++)
            if ((rc = apply_setting(res, o->settings->v[i], e))) return rc;
    if (o && o->only && *o->only) {
        cia_strv ids = {0};
        cia_strv_split(&ids, o->only, ',');
        for (size_t i = 0; i < ids.n && !rc; i++)
            if (!find_rule(res, ids.v[i], strlen(ids.v[i])))
                rc = cia_fail(e, CIA_EUSAGE, "--only: no rule '%s' (see `ciatteh check --list`)", ids.v[i]);
        for (size_t i = 0; i < res->nrules && !rc; i++)
            if (cia_strv_find(&ids, res->rules[i].id) < 0) res->rules[i].severity = CIA_SEV_OFF;
        cia_strv_free(&ids);
    }
    if (o) {
        res->year_from = o->year_from;
        res->year_to = o->year_to;
        snprintf(res->as_of, sizeof res->as_of, "%s", o->as_of ? o->as_of : "");
    }
    return rc;
}

void cia_check_result_free(struct cia_check_result *res)
{
    for (size_t i = 0; i < res->nrules; i++) rule_free(&res->rules[i]);
    free(res->rules);
    for (size_t i = 0; i < res->nfindings; i++) {
        struct cia_check_finding *f = &res->findings[i];
        free(f->service);
        free(f->item);
        free(f->subject);
        for (int l = 0; l < 3; l++) {
            free(f->message[l]);
            free(f->reader_message[l]);
        }
        for (size_t k = 0; k < f->ncols; k++) {
            free(f->cols[k]);
            free(f->vals[k]);
        }
        free(f->cols);
        free(f->vals);
        free(f->numeric);
    }
    free(res->findings);
    memset(res, 0, sizeof *res);
}

/* ---- messages --------------------------------------------------------- */

/* A decimal number as the language writes it: up to two decimals, no
 * trailing zeros. */
static void format_num(const char *s, const char *lang, char *buf, size_t n)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.2f", strtod(s, NULL));
    char *dot = strchr(tmp, '.');
    if (dot) {
        char *z = tmp + strlen(tmp) - 1;
        while (z > dot && *z == '0') *z-- = '\0';
        if (z == dot) *z = '\0';
        else if (cia_check_lang_index(lang)) *dot = ',';
    }
    snprintf(buf, n, "%s", tmp);
}

/* A list of services or centres ("police, shelters", "SURYA") by their
 * names in the reader's language ("Police fédérale, Centres d'accueil
 * spécialisés", "Sürya"); a code the catalogue does not know stays. */
static void put_names(cia_buf *b, const char *v, const cia_catalogue *cat, int cl)
{
    cia_strv codes = {0};
    cia_strv_split(&codes, v, ',');
    for (size_t k = 0; k < codes.n; k++) {
        const char *c = codes.v[k];
        while (*c == ' ') c++;
        const cia_cat_service *sv = cia_cat_svc_get(cat, c);
        const cia_cat_code *ce = sv ? NULL : cia_cat_code_get(cat, "centre", c);
        const char *l = sv ? sv->label[cl] : ce ? ce->label[cl] : NULL;
        cia_buf_printf(b, "%s%s", k ? ", " : "", l && *l ? l : c);
    }
    cia_strv_free(&codes);
}

/* Expand {col} / {col:count|pct|num|label|names|date} from one result row.
 * With a catalogue (the reader's message: annex, workbook, site) {item:label}
 * and {service:label} are the item's and the service's names, {col:names}
 * a list of services' or centres' codes as their names and {col:date} a
 * day as the language writes it; without one (`check`'s
 * terminal, CSV and JSON, read beside their item and service columns)
 * they are the code and the ISO day.  A placeholder naming no column is
 * left as written (validate_placeholders catches it before any row is
 * rendered). */
static char *render_message(const char *tmpl, const PGresult *r, int row, const char *lang,
                            const cia_catalogue *cat)
{
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, "");
    struct placeholder ph;
    const char *p = tmpl;
    int cl = cia_cat_lang(lang);
    for (; next_placeholder(p, &ph); p = ph.end) {
        cia_buf_add(&b, p, (size_t)(ph.start - p));
        int col = PQfnumber(r, ph.name);
        const char *fmt = ph.fmt;
        if (col < 0) {
            cia_buf_add(&b, ph.start, (size_t)(ph.end - ph.start));
        } else if (PQgetisnull(r, row, col)) {
            cia_buf_adds(&b, number_format(fmt) ? "\xe2\x80\x94" : "");   /* em dash */
        } else {
            const char *v = PQgetvalue(r, row, col);
            char out[128];
            out[0] = '\0';
            if (fmt && !strcmp(fmt, "count")) cia_format_count(strtod(v, NULL), lang, out, sizeof out);
            else if (fmt && !strcmp(fmt, "pct")) cia_format_percent(strtod(v, NULL), 1, lang, out, sizeof out);
            else if (fmt && !strcmp(fmt, "num")) format_num(v, lang, out, sizeof out);
            else if (fmt && !strcmp(fmt, "date") && cat) cia_format_date(lang, v, out, sizeof out);
            else if (fmt && !strcmp(fmt, "names") && cat) put_names(&b, v, cat, cl);
            else if (fmt && !strcmp(fmt, "label") && cat) {
                const cia_cat_item *it = !strcmp(ph.name, "item") ? cia_cat_item_get(cat, v) : NULL;
                const cia_cat_service *sv = !strcmp(ph.name, "service") ? cia_cat_svc_get(cat, v) : NULL;
                const char *l = it ? it->label[cl] : sv ? sv->label[cl] : NULL;
                cia_buf_adds(&b, l && *l ? l : v);
            } else cia_buf_adds(&b, v);
            cia_buf_adds(&b, out);
        }
    }
    cia_buf_adds(&b, p);
    return cia_buf_steal(&b);
}

/* Every placeholder of a rule's messages, public ones included, names a
 * column of its query in a known format. */
static int validate_placeholders(const struct cia_check_rule *rule, const PGresult *r, cia_err *e)
{
    for (int pub = 0; pub < 2; pub++)
        for (int l = 0; l < 3; l++) {
            const char *tmpl = pub ? rule->public_message[l] : rule->message[l];
            const char *key = pub ? "public" : "message";
            struct placeholder ph;
            for (const char *p = tmpl; p && next_placeholder(p, &ph); p = ph.end) {
                if (PQfnumber(r, ph.name) < 0)
                    return cia_fail(e, CIA_EINTERNAL, "%s: %s.%s names {%s}, which the query does not return",
                                    rule->file, key, langs[l], ph.name);
                if (ph.fmt && !number_format(ph.fmt) && strcmp(ph.fmt, "date") && strcmp(ph.fmt, "names") &&
                    !(!strcmp(ph.fmt, "label") && (!strcmp(ph.name, "item") || !strcmp(ph.name, "service"))))
                    return cia_fail(e, CIA_EINTERNAL, "%s: %s.%s: format '%s' of {%s} (count, pct, num, "
                                    "date, names, or label of item or service)", rule->file, key, langs[l], ph.fmt, ph.name);
            }
        }
    return CIA_OK;
}

static char *opt_value(const PGresult *r, int row, const char *col)
{
    int c = PQfnumber(r, col);
    if (c < 0 || PQgetisnull(r, row, c)) return NULL;
    return cia_xstrdup(PQgetvalue(r, row, c));
}

static int is_numeric_type(Oid t)
{
    /* int8, int2, int4, float4, float8, numeric */
    return t == 20 || t == 21 || t == 23 || t == 700 || t == 701 || t == 1700;
}

static void add_findings(struct cia_check_result *res, size_t ri, const PGresult *r, const char *offence,
                         int public_only, const cia_catalogue *cat)
{
    struct cia_check_rule *rule = &res->rules[ri];
    int nr = PQntuples(r), nf = PQnfields(r);
    if (!nr) return;
    res->findings = cia_xrealloc(res->findings, (res->nfindings + (size_t)nr) * sizeof *res->findings);
    for (int i = 0; i < nr; i++) {
        struct cia_check_finding *f = &res->findings[res->nfindings++];
        memset(f, 0, sizeof *f);
        f->rule = ri;
        f->severity = rule->severity;
        f->service = opt_value(r, i, "service");
        f->item = opt_value(r, i, "item");
        f->subject = opt_value(r, i, "subject");
        char *y = opt_value(r, i, "year");
        f->year = y ? atoi(y) : 0;
        free(y);
        f->offence = offence;
        for (int l = 0; l < 3; l++) {
            const char *tmpl = public_only && rule->public_message[l] ? rule->public_message[l]
                             : rule->message[l];
            for (int reader = 0; reader < 2; reader++) {
                char *m = render_message(tmpl, r, i, langs[l], reader ? cat : NULL);
                /* French spacing, whatever the rule file wrote */
                (reader ? f->reader_message : f->message)[l] = cia_typo(m, langs[l]);
                free(m);
            }
        }
        f->cols = cia_xcalloc((size_t)nf, sizeof *f->cols);
        f->vals = cia_xcalloc((size_t)nf, sizeof *f->vals);
        f->numeric = cia_xcalloc((size_t)nf, sizeof *f->numeric);
        for (int k = 0; k < nf; k++) {
            int numeric = is_numeric_type(PQftype(r, k));
            /* published: no figure in the columns either (year and threshold are not figures) */
            if (public_only && numeric && strcmp(PQfname(r, k), "year") && strcmp(PQfname(r, k), "prev_year") &&
                strcmp(PQfname(r, k), "threshold"))
                continue;
            size_t c = f->ncols++;
            f->cols[c] = cia_xstrdup(PQfname(r, k));
            f->vals[c] = PQgetisnull(r, i, k) ? NULL : cia_xstrdup(PQgetvalue(r, i, k));
            f->numeric[c] = numeric;
        }
        if (rule->severity == CIA_SEV_ERROR) res->errors++;
        else res->warnings++;
        rule->nfindings++;
    }
}

/* ---- running ---------------------------------------------------------- */

/* Where a query's text starts: after blanks and "--" comments. */
static const char *sql_start(const char *q)
{
    for (;;) {
        while (isspace((unsigned char)*q)) q++;
        if (q[0] != '-' || q[1] != '-') return q;
        while (*q && *q != '\n') q++;
    }
}

static int word_at(const char *q, const char *w)
{
    size_t n = strlen(w);
    return !strncasecmp(q, w, n) && (isspace((unsigned char)q[n]) || q[n] == '(');
}

/* The rule's query with the context's relations in front, as common table
 * expressions joined to the rule's own WITH list if it has one. */
static char *with_context(const char *context, const char *sql)
{
    cia_buf b;
    cia_buf_init(&b);
    const char *q = sql_start(sql);
    if (word_at(q, "WITH")) {
        q = sql_start(q + 4);
        int recursive = word_at(q, "RECURSIVE");
        if (recursive) q = sql_start(q + 9);
        cia_buf_printf(&b, "WITH %s%s,\n%s", recursive ? "RECURSIVE " : "", context, q);
    } else {
        cia_buf_printf(&b, "WITH %s\n%s", context, q);
    }
    return b.data;
}

/* One relation of context.sql: NAME AS [MATERIALIZED] (BODY). */
struct ctx_rel { char name[64]; int materialized; const char *body; size_t len; };

/* The next relation of the context from *q on (0 at the end, -1 when the
 * text is not a list of them). */
static int next_rel(const char **q, struct ctx_rel *r)
{
    const char *p = sql_start(*q);
    if (*p == ',') p = sql_start(p + 1);
    if (!*p) return 0;
    size_t n = 0;
    while ((isalnum((unsigned char)p[n]) || p[n] == '_') && n < sizeof r->name - 1) n++;
    if (!n) return -1;
    memcpy(r->name, p, n);
    r->name[n] = '\0';
    p = sql_start(p + n);
    if (!word_at(p, "AS")) return -1;
    p = sql_start(p + 2);
    r->materialized = word_at(p, "MATERIALIZED");
    if (r->materialized) p = sql_start(p + 12);
    if (*p != '(') return -1;
    const char *b = ++p;
    int depth = 1;
    for (; *p && depth; p++) {
        if (*p == '\'') { for (p++; *p && *p != '\''; p++) {} if (!*p) return -1; }
        else if (p[0] == '-' && p[1] == '-') { while (p[1] && p[1] != '\n') p++; }
        else if (*p == '(') depth++;
        else if (*p == ')') depth--;
    }
    if (depth) return -1;
    r->body = b;
    r->len = (size_t)(p - 1 - b);
    *q = p;
    return 1;
}

/* Where the server takes writes, the context's MATERIALIZED relations
 * become temporary tables (analysed, so the rules are planned on real
 * row counts) and the others temporary views, built once for all rules:
 * the item facts are aggregated from the records as they are read, so
 * computing them once per rule would cost each rule as much again.  On
 * a hot standby (read only), nothing can be created: *inline = 1, and
 * each rule gets the context in front of it (with_context). */
static int build_context(cia_db *db, const char *context, int *inline_ctx, cia_err *e)
{
    PGresult *r;
    int rc = cia_db_query(db, e, &r, "SELECT current_setting('transaction_read_only')", 0, NULL);
    if (rc) return rc;
    *inline_ctx = !strcmp(PQgetvalue(r, 0, 0), "on");
    PQclear(r);
    if (*inline_ctx) return CIA_OK;
    const char *q = context;
    struct ctx_rel rel;
    int k;
    cia_buf b;
    cia_buf_init(&b);
    while (!rc && (k = next_rel(&q, &rel)) > 0) {
        b.len = 0;
        cia_buf_printf(&b, "CREATE TEMP %s %s AS %.*s", rel.materialized ? "TABLE" : "VIEW", rel.name,
                       (int)rel.len, rel.body);
        if (rel.materialized) cia_buf_printf(&b, "; ANALYZE %s", rel.name);
        rc = cia_db_exec(db, e, b.data);
    }
    cia_buf_free(&b);
    if (!rc && k < 0)
        rc = cia_fail(e, CIA_EINTERNAL, "%s: expected a list of NAME AS [MATERIALIZED] (QUERY)", CONTEXT_FILE);
    return rc;
}

int cia_check_run(cia_db *db, const struct cia_check_opts *o, struct cia_check_result *res, cia_err *e)
{
    int rc = cia_check_load_rules(o, res, e);
    if (rc) return rc;
    if ((rc = cia_check_as_of(o ? o->as_of : NULL, e))) return rc;
    const char *off = o && o->offence ? o->offence : "THB";
    if (strcmp(off, "THB") && strcmp(off, "SMUG") && strcmp(off, "both"))
        return cia_fail(e, CIA_EUSAGE, "--offence %s: expected THB, SMUG or both", off);
    snprintf(res->offence, sizeof res->offence, "%s", off);
    size_t clen;
    const char *context = cia_embedded(CONTEXT_FILE, &clen);
    if (!context) return cia_fail(e, CIA_EINTERNAL, "no " CONTEXT_FILE " compiled in");
    char y0[16], y1[16];
    snprintf(y0, sizeof y0, "%d", o && o->year_from ? o->year_from : 0);
    snprintf(y1, sizeof y1, "%d", o && o->year_to ? o->year_to : 9999);
    /* One snapshot for every rule, in a transaction rolled back at the
     * end (what build_context creates goes with it); inside a caller's
     * transaction (the pack's snapshot) a savepoint does the same. */
    int own = PQtransactionStatus(db->conn) == PQTRANS_IDLE;
    cia_catalogue *cat = NULL;
    if ((rc = own ? cia_db_begin_snapshot(db, 0, e) : cia_db_exec(db, e, "SAVEPOINT cia_check")))
        return rc;
    if ((rc = cia_db_exec(db, e,
            "SET LOCAL TimeZone = 'Europe/Brussels';"
            /* small queries: compiling them (JIT) costs seconds and saves nothing */
            "SET LOCAL jit = off;"
            "SET LOCAL work_mem = '64MB'")))
        goto out;
    /* Items' and services' names for the reader's messages */
    if ((rc = cia_catalogue_load(db, &cat, e))) goto out;
    const char *p[3] = {o && o->as_of ? o->as_of : "", y0, y1};
    if ((rc = cia_db_query(db, e, NULL,
            "SELECT set_config('ciatteh.check_as_of', $1, true), set_config('ciatteh.check_y0', $2, true), "
            "set_config('ciatteh.check_y1', $3, true)", 3, p)))
        goto out;
    /* The offences, one pass each: the context's facts are those of one
     * offence (facts_as_of), so no rule can add the two together; rules
     * over deliveries only run in the first pass. */
    const char *offs[2] = {"THB", "SMUG"};
    int npass = 1;
    if (!strcmp(res->offence, "SMUG")) offs[0] = "SMUG";
    else if (!strcmp(res->offence, "both")) npass = 2;
    for (int pass = 0; pass < npass && !rc; pass++) {
        if (npass > 1 && (rc = cia_db_exec(db, e, "SAVEPOINT cia_check_pass"))) goto out;
        const char *po[1] = {offs[pass]};
        if ((rc = cia_db_query(db, e, NULL, "SELECT set_config('ciatteh.check_offence', $1, true)", 1, po)))
            goto out;
        int inline_ctx = 0;
        if ((rc = build_context(db, context, &inline_ctx, e))) { cia_err_context(e, CONTEXT_FILE); goto out; }
        PGresult *r;
        char *q;
        if (pass == 0) {
            const char *ref = "SELECT to_char(ref_time, 'YYYY-MM-DD') FROM check_ctx";
            q = inline_ctx ? with_context(context, ref) : NULL;
            rc = cia_db_query(db, e, &r, q ? q : ref, 0, NULL);
            free(q);
            if (rc) { cia_err_context(e, CONTEXT_FILE); goto out; }
            snprintf(res->ref_day, sizeof res->ref_day, "%s", PQgetvalue(r, 0, 0));
            PQclear(r);
        }
        for (size_t i = 0; i < res->nrules; i++) {
            struct cia_check_rule *rule = &res->rules[i];
            if (rule->severity == CIA_SEV_OFF) continue;
            int facts = strstr(rule->sql, "cur_fact") != NULL;
            if (pass > 0 && !facts) continue;
            q = inline_ctx ? with_context(context, rule->sql) : NULL;
            rc = cia_db_query(db, e, &r, q ? q : rule->sql, (int)rule->nparams,
                              (const char *const *)rule->param_values);
            free(q);
            if (rc) {
                cia_err_context(e, "check rule %s (%s)", rule->id, rule->file);
                if (rc != CIA_EUNAVAIL && rc != CIA_EBUSY) e->code = rc = CIA_EINTERNAL;
                goto out;
            }
            rc = validate_placeholders(rule, r, e);
            if (!rc) add_findings(res, i, r, facts ? offs[pass] : NULL, o->public_only, cat);
            PQclear(r);
            if (rc) goto out;
            if (pass == 0) res->rules_run++;
        }
        if (npass > 1)
            PQclear(PQexec(db->conn, "ROLLBACK TO SAVEPOINT cia_check_pass; RELEASE SAVEPOINT cia_check_pass"));
    }
out:
    cia_catalogue_free(cat);
    if (own) cia_db_rollback(db);
    else PQclear(PQexec(db->conn, "ROLLBACK TO SAVEPOINT cia_check; RELEASE SAVEPOINT cia_check"));
    return rc;
}

/* ---- output ----------------------------------------------------------- */

static const char *word(const char *key, const char *lang) { return cia_word(key, lang); }

static const char *sev_word(int sev, const char *lang)
{
    return word(sev == CIA_SEV_ERROR ? "check_error" : "check_warning", lang);
}

/* "trafficking in human beings", "smuggling ...", "... side by side". */
static const char *offence_word(const char *offence, const char *lang)
{
    return word(!strcmp(offence, "SMUG") ? "off_SMUG" : !strcmp(offence, "both") ? "off_both" : "off_THB", lang);
}

static void summary_line(cia_buf *b, const struct cia_check_result *res, const char *lang)
{
    if (!res->errors && !res->warnings) {
        cia_buf_printf(b, "%s", word("check_clean", lang));
    } else {
        cia_buf_printf(b, "%zu %s, %zu %s", res->errors,
                       word(res->errors == 1 ? "check_error" : "check_errors", lang), res->warnings,
                       word(res->warnings == 1 ? "check_warning" : "check_warnings", lang));
    }
    cia_buf_printf(b, " (%zu %s", res->rules_run, word(res->rules_run == 1 ? "check_rule_run" : "check_rules_run", lang));
    if (res->year_from || res->year_to)
        cia_buf_printf(b, "; %s %d-%d", word("check_years", lang), res->year_from ? res->year_from : 1995,
                       res->year_to ? res->year_to : 9999);
    char date[64];                     /* the date as the charts and the annex write it */
    cia_format_date(lang, res->as_of, date, sizeof date);
    cia_buf_printf(b, "; %s%s%s; %s)", word("as_of", lang), word("colon", lang),
                   res->as_of[0] ? date : word("current", lang), offence_word(res->offence, lang));
}

/* A finding's message (the reader's: names, not codes); with both
 * offences, headed by its offence's name, so that the two are told apart
 * wherever the message goes. */
static char *message_of(const struct cia_check_result *res, const struct cia_check_finding *f, const char *lang,
                        int reader)
{
    const char *m = (reader ? f->reader_message : f->message)[cia_check_lang_index(lang)];
    if (!f->offence || strcmp(res->offence, "both")) return cia_xstrdup(m);
    const char *w = offence_word(f->offence, lang);
    return cia_xasprintf("%c%s%s%s", toupper((unsigned char)w[0]), w + 1, word("colon", lang), m);
}

static void pad_to(cia_buf *b, const char *s, size_t w)
{
    cia_buf_adds(b, s);
    for (size_t k = cia_text_width(s); k < w; k++) cia_buf_addc(b, ' ');
}

static int write_table(FILE *fp, const struct cia_check_result *res, const char *lang)
{
    const char *heads[4] = {word("check_severity", lang), word("check_rule", lang), word("check_year", lang),
                            word("check_service", lang)};
    size_t w[4];
    for (int k = 0; k < 4; k++) w[k] = cia_text_width(heads[k]);
    for (size_t i = 0; i < res->nfindings; i++) {
        const struct cia_check_finding *f = &res->findings[i];
        const char *v[4] = {sev_word(f->severity, lang), res->rules[f->rule].id, "", f->service ? f->service : ""};
        for (int k = 0; k < 4; k++)
            if (cia_text_width(v[k]) > w[k]) w[k] = cia_text_width(v[k]);
        if (w[2] < 4 && f->year) w[2] = 4;
    }
    cia_buf b;
    cia_buf_init(&b);
    if (res->nfindings) {
        for (int k = 0; k < 4; k++) { pad_to(&b, heads[k], w[k] + 2); }
        cia_buf_printf(&b, "%s\n", word("check_message", lang));
        for (size_t i = 0; i < res->nfindings; i++) {
            const struct cia_check_finding *f = &res->findings[i];
            char year[16] = "";
            if (f->year) snprintf(year, sizeof year, "%d", f->year);
            pad_to(&b, sev_word(f->severity, lang), w[0] + 2);
            pad_to(&b, res->rules[f->rule].id, w[1] + 2);
            pad_to(&b, year, w[2] + 2);
            pad_to(&b, f->service ? f->service : "", w[3] + 2);
            char *m = message_of(res, f, lang, 0);
            cia_buf_printf(&b, "%s\n", m);
            free(m);
        }
    }
    summary_line(&b, res, lang);
    cia_buf_addc(&b, '\n');
    char *typeset = cia_typo(b.data, lang);
    fputs(typeset, fp);
    free(typeset);
    cia_buf_free(&b);
    return CIA_OK;
}

static int write_csv(FILE *fp, const struct cia_check_result *res, const char *lang)
{
    int li = cia_check_lang_index(lang);
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, "rule,severity,service,item,year,subject,message,offence\n");
    for (size_t i = 0; i < res->nfindings; i++) {
        const struct cia_check_finding *f = &res->findings[i];
        char year[16] = "";
        if (f->year) snprintf(year, sizeof year, "%d", f->year);
        const char *v[8] = {res->rules[f->rule].id, cia_check_severity_name(f->severity),
                            f->service ? f->service : "", f->item ? f->item : "", year,
                            f->subject ? f->subject : "", f->message[li], f->offence ? f->offence : ""};
        for (int k = 0; k < 8; k++) {
            if (k) cia_buf_addc(&b, ',');
            cia_buf_add_csv(&b, v[k], ',');
        }
        cia_buf_addc(&b, '\n');
    }
    fputs(b.data, fp);
    cia_buf_free(&b);
    return CIA_OK;
}

static json_object *jstr(const char *s) { return s ? json_object_new_string(s) : NULL; }

static int write_json(FILE *fp, const struct cia_check_result *res, const char *lang)
{
    int li = cia_check_lang_index(lang);
    json_object *root = json_object_new_object();
    json_object_object_add(root, "as_of", jstr(res->as_of[0] ? res->as_of : NULL));
    json_object_object_add(root, "reference_day", jstr(res->ref_day));
    json_object_object_add(root, "year_from", res->year_from ? json_object_new_int(res->year_from) : NULL);
    json_object_object_add(root, "year_to", res->year_to ? json_object_new_int(res->year_to) : NULL);
    json_object_object_add(root, "lang", jstr(langs[li]));
    json_object_object_add(root, "offence", jstr(res->offence));
    json_object_object_add(root, "errors", json_object_new_int64((int64_t)res->errors));
    json_object_object_add(root, "warnings", json_object_new_int64((int64_t)res->warnings));
    json_object *rules = json_object_new_array();
    for (size_t i = 0; i < res->nrules; i++) {
        const struct cia_check_rule *r = &res->rules[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "id", jstr(r->id));
        json_object_object_add(o, "severity", jstr(cia_check_severity_name(r->severity)));
        json_object_object_add(o, "title", jstr(r->title[li]));
        json_object *params = json_object_new_object();
        for (size_t k = 0; k < r->nparams; k++)
            json_object_object_add(params, r->param_names[k],
                                   json_object_new_double_s(strtod(r->param_values[k], NULL), r->param_values[k]));
        json_object_object_add(o, "params", params);
        json_object_object_add(o, "findings", json_object_new_int64((int64_t)r->nfindings));
        json_object_array_add(rules, o);
    }
    json_object_object_add(root, "rules", rules);
    json_object *fs = json_object_new_array();
    for (size_t i = 0; i < res->nfindings; i++) {
        const struct cia_check_finding *f = &res->findings[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "rule", jstr(res->rules[f->rule].id));
        json_object_object_add(o, "severity", jstr(cia_check_severity_name(f->severity)));
        json_object_object_add(o, "service", jstr(f->service));
        json_object_object_add(o, "item", jstr(f->item));
        json_object_object_add(o, "year", f->year ? json_object_new_int(f->year) : NULL);
        json_object_object_add(o, "subject", jstr(f->subject));
        json_object_object_add(o, "message", jstr(f->message[li]));
        json_object_object_add(o, "offence", jstr(f->offence));
        json_object *msgs = json_object_new_object();
        for (int l = 0; l < 3; l++) json_object_object_add(msgs, langs[l], jstr(f->message[l]));
        json_object_object_add(o, "messages", msgs);
        json_object *vals = json_object_new_object();
        for (size_t k = 0; k < f->ncols; k++) {
            json_object *v = NULL;
            if (f->vals[k] && f->numeric[k]) {
                char *endp;
                long long ll = strtoll(f->vals[k], &endp, 10);
                v = *endp ? json_object_new_double_s(strtod(f->vals[k], NULL), f->vals[k])
                          : json_object_new_int64(ll);
            } else if (f->vals[k]) {
                v = json_object_new_string(f->vals[k]);
            }
            json_object_object_add(vals, f->cols[k], v);
        }
        json_object_object_add(o, "values", vals);
        json_object_array_add(fs, o);
    }
    json_object_object_add(root, "findings", fs);
    fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                   JSON_C_TO_STRING_NOSLASHESCAPE),
          fp);
    fputc('\n', fp);
    json_object_put(root);
    return CIA_OK;
}

int cia_check_write(FILE *fp, const struct cia_check_result *res, const char *format, const char *lang,
                    cia_err *e)
{
    int rc;
    if (!format || !strcmp(format, "table") || !strcmp(format, "text")) rc = write_table(fp, res, lang);
    else if (!strcmp(format, "csv")) rc = write_csv(fp, res, lang);
    else if (!strcmp(format, "json")) rc = write_json(fp, res, lang);
    else return cia_fail(e, CIA_EUSAGE, "--format '%s': expected table, csv or json", format);
    if (rc) return rc;
    if (fflush(fp) != 0 || ferror(fp)) return cia_fail(e, CIA_ECANTCREAT, "cannot write the check results");
    return CIA_OK;
}

int cia_check_write_rules(FILE *fp, const struct cia_check_result *res, const char *lang, cia_err *e)
{
    int li = cia_check_lang_index(lang);
    size_t w = 0;
    for (size_t i = 0; i < res->nrules; i++)
        if (strlen(res->rules[i].id) > w) w = strlen(res->rules[i].id);
    for (size_t i = 0; i < res->nrules; i++) {
        const struct cia_check_rule *r = &res->rules[i];
        fprintf(fp, "%-*s  %-7s  %s", (int)w, r->id, cia_check_severity_name(r->severity), r->title[li]);
        for (size_t k = 0; k < r->nparams; k++)
            fprintf(fp, "%s%s=%s", k ? ", " : " [", r->param_names[k], r->param_values[k]);
        fputs(r->nparams ? "]\n" : "\n", fp);
    }
    if (fflush(fp) != 0 || ferror(fp)) return cia_fail(e, CIA_ECANTCREAT, "cannot write the rule list");
    return CIA_OK;
}

cia_table *cia_check_table(const struct cia_check_result *res, const char *lang)
{
    cia_table *t = cia_table_new("checks", word("check_title", lang), 5, 4);
    cia_table_set_col(t, 0, "severity", word("check_severity", lang));
    cia_table_set_col(t, 1, "rule", word("check_rule", lang));
    cia_table_set_col(t, 2, "year", word("check_year", lang));
    cia_table_set_col(t, 3, "service", word("check_service", lang));
    cia_table_set_col(t, 4, "message", word("check_message", lang));
    for (size_t i = 0; i < res->nfindings; i++) {
        const struct cia_check_finding *f = &res->findings[i];
        char key[32], year[16] = "";
        snprintf(key, sizeof key, "%zu", i + 1);
        if (f->year) snprintf(year, sizeof year, "%d", f->year);
        size_t row = cia_table_add_row(t, key);
        cia_table_set_text(t, row, 0, sev_word(f->severity, lang));
        cia_table_set_text(t, row, 1, res->rules[f->rule].title[cia_check_lang_index(lang)]);
        cia_table_set_text(t, row, 2, year);
        cia_table_set_text(t, row, 3, f->service ? f->service : "");
        char *m = message_of(res, f, lang, 1);
        cia_table_set_text(t, row, 4, m);
        free(m);
    }
    cia_buf b;
    cia_buf_init(&b);
    summary_line(&b, res, lang);
    char *typeset = cia_typo(b.data, lang);   /* « règles exécutées ; années » */
    cia_table_set_subtitle(t, typeset);
    free(typeset);
    cia_buf_free(&b);
    return t;
}

cia_table *cia_check_rules_table(const struct cia_check_result *res, const char *lang)
{
    int li = cia_check_lang_index(lang);
    /* The reader's table: what each rule checks, not its id (the id is
     * the row's key, and checks.csv/json name it) */
    cia_table *t = cia_table_new("check_rules", word("check_rules_title", lang), 3, 2);
    cia_table_set_col(t, 0, "title", word("check_what", lang));
    cia_table_set_col(t, 1, "severity", word("check_severity", lang));
    cia_table_set_col(t, 2, "findings", word("check_findings", lang));
    for (size_t i = 0; i < res->nrules; i++) {
        const struct cia_check_rule *r = &res->rules[i];
        size_t row = cia_table_add_row(t, r->id);
        cia_buf b;
        cia_buf_init(&b);
        cia_buf_adds(&b, r->title[li]);
        for (size_t k = 0; k < r->nparams; k++) {
            /* a number as the language writes it (« 0,2 »), the setting's name as it is set */
            const char *v = r->param_values[k];
            char *end, num[64];
            (void)strtod(v, &end);
            if (*v && !*end) format_num(v, lang, num, sizeof num);
            else snprintf(num, sizeof num, "%s", v);
            cia_buf_printf(&b, "%s%s = %s", k ? ", " : " (", r->param_names[k], num);
        }
        if (r->nparams) cia_buf_addc(&b, ')');
        cia_table_set_text(t, row, 0, b.data);
        cia_buf_free(&b);
        cia_table_set_text(t, row, 1, r->severity == CIA_SEV_OFF ? word("check_off", lang)
                                                                  : sev_word(r->severity, lang));
        if (r->severity != CIA_SEV_OFF) cia_table_set_count(t, row, 2, (double)r->nfindings, 1, "");
    }
    return t;
}
