/* report_def.c — owns the report definition format (reports/data/reports/
 * *.def): parsing it into struct cia_rd, checking it, and finding the
 * embedded definitions.  The builder (report.c) never reads text.
 *
 * The format, one directive a line (lines, words, '#' comments and quotes:
 * the one reader, defread.h):
 *
 *     report ID                 title WORD
 *     table ID                  a new table; then its settings:
 *       title WORD · subtitle WORD · note WORD (repeatable)
 *       layout years|cross      years: a row per line, a column per year
 *                               cross: a row per year and code, a column per line
 *       changes yes|no          years: change columns (last two years, period)
 *       group service           years: a service column first
 *       rowdim DIM · rowcodes C,C,C? · rowtotal yes|no     cross layout
 *       scopes SERVICE:DIM      note the scopes (centres) without data
 *       row ITEM|all|share KEY=VALUE...      (years layout)
 *       col ITEM|share KEY=VALUE...          (cross layout)
 *
 * Line keys: id=ID, where=DIM:CODE[,CODE] (repeatable), by=DIM,
 * codes=C,C?,... ("?" = only when the data has it), top=N, total=yes|no,
 * label=WORD|code, num=ID[+ID], den=ID.  WORDs are keys of reports/words.c. */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/defread.h"
#include "ciatteh/report.h"
#include "ciatteh/text.h"
#include "ciatteh/util.h"

#define DEF_PREFIX "reports/data/reports/"

static void free_line(struct cia_rd_line *l)
{
    free(l->id);
    free(l->item);
    for (int i = 0; i < l->nwhere; i++) {
        free(l->where[i].dim);
        free(l->where[i].codes);
    }
    free(l->by);
    free(l->codes);
    free(l->label);
    for (int i = 0; i < l->nnum; i++) free(l->num[i]);
    free(l->den);
}

void cia_rd_free(struct cia_rd *d)
{
    if (!d) return;
    for (size_t t = 0; t < d->ntables; t++) {
        struct cia_rd_table *tb = &d->tables[t];
        free(tb->id);
        free(tb->title);
        free(tb->subtitle);
        free(tb->rowdim);
        free(tb->rowcodes);
        free(tb->scope_note);
        for (size_t i = 0; i < tb->nnotes; i++) free(tb->notes[i]);
        free(tb->notes);
        for (size_t i = 0; i < tb->nlines; i++) free_line(&tb->lines[i]);
        free(tb->lines);
    }
    free(d->tables);
    free(d->id);
    free(d->title);
    free(d);
}

/* A code of a code list, perhaps marked optional by a final '?'. */
static int is_code_q(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n > 1 && n <= 65 && s[n - 1] == '?') {
        char code[65];
        memcpy(code, s, n - 1);
        code[n - 1] = '\0';
        return cia_is_ident(code);
    }
    return cia_is_ident(s);
}

static int is_code_list(const char *s)
{
    if (!s || !*s) return 0;
    cia_strv v = {0};
    cia_strv_split(&v, s, ',');
    int ok = v.n > 0;
    for (size_t i = 0; i < v.n && ok; i++) ok = is_code_q(v.v[i]);
    cia_strv_free(&v);
    return ok;
}

static int yesno(const char *v, int *out)
{
    if (!strcmp(v, "yes")) *out = 1;
    else if (!strcmp(v, "no")) *out = 0;
    else return -1;
    return 0;
}

struct pctx {
    const char *name;
    int line;
    cia_err *e;
    const cia_defline *l;      /* the line read, NULL after the last */
    size_t word;               /* the word an error points at */
};

static int bad(struct pctx *p, const char *fmt, const char *a, const char *b)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    if (p->l && p->line) return cia_def_fail(p->e, CIA_EDATA, p->l, p->word, "%s", msg);
    return cia_fail_at(p->e, CIA_EDATA, p->name, p->line, "", "%s", msg);
}

static const struct cia_rd_line *find_id(const struct cia_rd_table *t, size_t upto, const char *id)
{
    for (size_t i = 0; i < upto; i++)
        if (t->lines[i].id && !strcmp(t->lines[i].id, id)) return &t->lines[i];
    return NULL;
}

static int parse_line(struct pctx *p, struct cia_rd_table *t, const cia_defline *tok, int is_row)
{
    p->word = 1;
    if (tok->n < 2) return bad(p, "%s: expected an item, 'share'%s", tok->w[0], is_row ? " or 'all'" : "");
    if (is_row && t->layout != CIA_RD_YEARS)
        return bad(p, "'row' belongs in a table with 'layout years' (this one is cross: use 'col')", NULL, NULL);
    if (!is_row && t->layout != CIA_RD_CROSS)
        return bad(p, "'col' belongs in a table with 'layout cross' (set the layout first)", NULL, NULL);
    t->lines = cia_xrealloc(t->lines, (t->nlines + 1) * sizeof *t->lines);
    struct cia_rd_line *l = &t->lines[t->nlines++];
    memset(l, 0, sizeof *l);
    l->total = 1;
    l->line_no = p->line;
    const char *what = tok->w[1];
    int share = !strcmp(what, "share");
    if (is_row && !strcmp(what, "all")) l->all = 1;
    else if (!share) {
        if (!cia_is_ident(what)) return bad(p, "'%s' is not an item code", what, NULL);
        l->item = cia_xstrdup(what);
    }
    for (size_t i = 2; i < tok->n; i++) {
        char *kv = tok->w[i];
        p->word = i;
        char *eq = strchr(kv, '=');
        if (!eq || eq == kv || !eq[1]) return bad(p, "'%s': expected KEY=VALUE", kv, NULL);
        *eq = '\0';
        const char *k = kv, *v = eq + 1;
        if (!strcmp(k, "id")) {
            if (!cia_is_ident(v)) return bad(p, "id '%s': letters, digits and _ only", v, NULL);
            if (find_id(t, t->nlines - 1, v)) return bad(p, "id '%s' used twice in this table", v, NULL);
            free(l->id);
            l->id = cia_xstrdup(v);
        } else if (!strcmp(k, "where")) {
            const char *colon = strchr(v, ':');
            if (!colon || colon == v) return bad(p, "where=%s: expected DIM:CODE[,CODE]", v, NULL);
            char *dim = cia_xstrndup(v, (size_t)(colon - v));
            if (!cia_is_ident(dim) || !is_code_list(colon + 1) || strchr(colon + 1, '?')) {
                free(dim);
                return bad(p, "where=%s: expected DIM:CODE[,CODE]", v, NULL);
            }
            if (l->nwhere == CIA_MAX_BY) { free(dim); return bad(p, "too many where=", NULL, NULL); }
            l->where[l->nwhere].dim = dim;
            l->where[l->nwhere++].codes = cia_xstrdup(colon + 1);
        } else if (!strcmp(k, "by")) {
            if (!is_row) return bad(p, "by= applies to rows; a cross table has 'rowdim'", NULL, NULL);
            if (!cia_is_ident(v)) return bad(p, "by=%s: not a dimension code", v, NULL);
            free(l->by);
            l->by = cia_xstrdup(v);
        } else if (!strcmp(k, "codes")) {
            if (!is_code_list(v)) return bad(p, "codes=%s: expected CODE,CODE (CODE? = if present)", v, NULL);
            free(l->codes);
            l->codes = cia_xstrdup(v);
        } else if (!strcmp(k, "top")) {
            long long n;
            if (cia_parse_uint(v, &n) || n < 1 || n > 1000) return bad(p, "top=%s: expected 1 to 1000", v, NULL);
            l->top = (int)n;
        } else if (!strcmp(k, "total")) {
            if (yesno(v, &l->total)) return bad(p, "total=%s: yes or no", v, NULL);
        } else if (!strcmp(k, "label")) {
            if (!cia_is_ident(v)) return bad(p, "label=%s: a word key or 'code'", v, NULL);
            free(l->label);
            l->label = cia_xstrdup(v);
        } else if (!strcmp(k, "num")) {
            cia_strv ids = {0};
            cia_strv_split(&ids, v, '+');
            int rc = 0;
            if (ids.n == 0 || ids.n > 4) rc = bad(p, "num=%s: one to four ids joined by +", v, NULL);
            for (size_t j = 0; !rc && j < ids.n; j++) {
                if (!find_id(t, t->nlines - 1, ids.v[j]))
                    rc = bad(p, "num=: no earlier line with id '%s'", ids.v[j], NULL);
                else l->num[l->nnum++] = cia_xstrdup(ids.v[j]);
            }
            cia_strv_free(&ids);
            if (rc) return rc;
        } else if (!strcmp(k, "den")) {
            if (!find_id(t, t->nlines - 1, v)) return bad(p, "den=: no earlier line with id '%s'", v, NULL);
            free(l->den);
            l->den = cia_xstrdup(v);
        } else {
            return bad(p, "unknown key '%s' (id, where, by, codes, top, total, label, num, den)", k, NULL);
        }
    }
    p->word = 1;
    if (share) {
        if (!l->nnum || !l->den) return bad(p, "a share needs num= and den=", NULL, NULL);
        if (!l->label) return bad(p, "a share needs a label=", NULL, NULL);
        if (l->nwhere || l->by) return bad(p, "a share takes no where= or by=", NULL, NULL);
        for (int j = 0; j < l->nnum; j++) {
            const struct cia_rd_line *n = find_id(t, t->nlines - 1, l->num[j]);
            if (n->by || n->all) return bad(p, "num=%s: a share refers to single lines (no by=)", l->num[j], NULL);
        }
        if (find_id(t, t->nlines - 1, l->den)->by)
            return bad(p, "den=%s: a share refers to single lines (no by=)", l->den, NULL);
    } else if (l->nnum || l->den) {
        return bad(p, "num= and den= belong to 'share' lines", NULL, NULL);
    }
    if ((l->codes || l->top) && !l->by) return bad(p, "codes= and top= go with by=", NULL, NULL);
    if (l->codes && l->top) return bad(p, "give codes= or top=, not both", NULL, NULL);
    if (l->label && !strcmp(l->label, "code") && l->nwhere != 1)
        return bad(p, "label=code names the code of the one where=", NULL, NULL);
    return CIA_OK;
}

int cia_rd_parse(const char *name, const char *text, size_t len, struct cia_rd **out, cia_err *e)
{
    *out = NULL;
    struct cia_rd *d = cia_xcalloc(1, sizeof *d);
    struct pctx p = { name ? name : "definition", 0, e, NULL, 0 };
    struct cia_rd_table *t = NULL;
    int rc = CIA_OK;
    cia_defreader rd;
    const cia_defline *tokl;
    cia_def_open(&rd, p.name, text, len);
    while (rc == CIA_OK && !(rc = cia_def_next(&rd, &tokl, CIA_EDATA, e)) && tokl) {
        const cia_defline tok = *tokl;
        p.l = tokl;
        p.line = (int)tokl->line;
        p.word = tok.n > 1 ? 1 : 0;
        const char *kw = tok.w[0];
        const char *arg = tok.n > 1 ? tok.w[1] : NULL;
        int one_arg = tok.n == 2;
        if (!strcmp(kw, "report")) {
            if (!one_arg || !cia_is_ident(arg)) rc = bad(&p, "report ID", NULL, NULL);
            else if (d->id) rc = bad(&p, "one 'report' line per file", NULL, NULL);
            else d->id = cia_xstrdup(arg);
        } else if (!d->id) {
            p.word = 0;
            rc = bad(&p, "the file starts with 'report ID'", NULL, NULL);
        } else if (!strcmp(kw, "table")) {
            if (!one_arg || !cia_is_ident(arg)) rc = bad(&p, "table ID", NULL, NULL);
            for (size_t i = 0; !rc && i < d->ntables; i++)
                if (!strcmp(d->tables[i].id, arg)) rc = bad(&p, "table '%s' defined twice", arg, NULL);
            if (!rc) {
                d->tables = cia_xrealloc(d->tables, (d->ntables + 1) * sizeof *d->tables);
                t = &d->tables[d->ntables++];
                memset(t, 0, sizeof *t);
                t->id = cia_xstrdup(arg);
                t->rowtotal = 1;
            }
        } else if (!strcmp(kw, "title")) {
            if (!one_arg || !cia_is_ident(arg)) rc = bad(&p, "title WORD (a key of reports/words.c)", NULL, NULL);
            else if (t) { free(t->title); t->title = cia_xstrdup(arg); }
            else { free(d->title); d->title = cia_xstrdup(arg); }
        } else if (!t) {
            p.word = 0;
            rc = bad(&p, "'%s' belongs to a table: start one with 'table ID'", kw, NULL);
        } else if (!strcmp(kw, "subtitle") || !strcmp(kw, "note")) {
            if (!one_arg || !cia_is_ident(arg)) rc = bad(&p, "%s WORD (a key of reports/words.c)", kw, NULL);
            else if (kw[0] == 's') { free(t->subtitle); t->subtitle = cia_xstrdup(arg); }
            else {
                t->notes = cia_xrealloc(t->notes, (t->nnotes + 1) * sizeof *t->notes);
                t->notes[t->nnotes++] = cia_xstrdup(arg);
            }
        } else if (!strcmp(kw, "layout")) {
            if (t->nlines) rc = bad(&p, "set the layout before the rows or columns", NULL, NULL);
            else if (one_arg && !strcmp(arg, "years")) t->layout = CIA_RD_YEARS;
            else if (one_arg && !strcmp(arg, "cross")) t->layout = CIA_RD_CROSS;
            else rc = bad(&p, "layout years|cross", NULL, NULL);
        } else if (!strcmp(kw, "changes") || !strcmp(kw, "rowtotal")) {
            int *dst = kw[0] == 'c' ? &t->changes : &t->rowtotal;
            if (!one_arg || yesno(arg, dst)) rc = bad(&p, "%s yes|no", kw, NULL);
        } else if (!strcmp(kw, "group")) {
            if (!one_arg || strcmp(arg, "service")) rc = bad(&p, "group service", NULL, NULL);
            else t->group_service = 1;
        } else if (!strcmp(kw, "rowdim")) {
            if (!one_arg || !cia_is_ident(arg)) rc = bad(&p, "rowdim DIM", NULL, NULL);
            else { free(t->rowdim); t->rowdim = cia_xstrdup(arg); }
        } else if (!strcmp(kw, "rowcodes")) {
            if (!one_arg || !is_code_list(arg)) rc = bad(&p, "rowcodes CODE,CODE,CODE?", NULL, NULL);
            else { free(t->rowcodes); t->rowcodes = cia_xstrdup(arg); }
        } else if (!strcmp(kw, "scopes")) {
            const char *colon = arg ? strchr(arg, ':') : NULL;
            if (!one_arg || !colon || colon == arg || !cia_is_ident(colon + 1))
                rc = bad(&p, "scopes SERVICE:DIM", NULL, NULL);
            else { free(t->scope_note); t->scope_note = cia_xstrdup(arg); }
        } else if (!strcmp(kw, "row") || !strcmp(kw, "col")) {
            rc = parse_line(&p, t, &tok, kw[0] == 'r');
        } else {
            p.word = 0;
            rc = bad(&p, "unknown directive '%s' (report, title, table, subtitle, note, layout, "
                     "changes, group, rowdim, rowcodes, rowtotal, scopes, row, col)", kw, NULL);
        }
    }
    cia_def_close(&rd);
    p.l = NULL;
    if (rc == CIA_OK && !d->id) { p.line = 0; rc = bad(&p, "empty definition: expected 'report ID'", NULL, NULL); }
    for (size_t i = 0; rc == CIA_OK && i < d->ntables; i++) {
        struct cia_rd_table *tb = &d->tables[i];
        p.line = 0;
        if (!tb->title) rc = bad(&p, "table %s has no title", tb->id, NULL);
        else if (!tb->nlines) rc = bad(&p, "table %s has no rows or columns", tb->id, NULL);
        else if (tb->layout == CIA_RD_CROSS && !tb->rowdim)
            rc = bad(&p, "table %s: a cross table needs 'rowdim DIM'", tb->id, NULL);
        else if (tb->layout == CIA_RD_YEARS && (tb->rowdim || tb->rowcodes))
            rc = bad(&p, "table %s: rowdim/rowcodes belong to cross tables", tb->id, NULL);
    }
    if (rc == CIA_OK && !d->ntables) rc = bad(&p, "no tables", NULL, NULL);
    if (rc == CIA_OK && !d->title) rc = bad(&p, "the report has no title", NULL, NULL);
    if (rc) { cia_rd_free(d); return rc; }
    *out = d;
    return CIA_OK;
}

int cia_rd_load(const char *id, struct cia_rd **out, cia_err *e)
{
    *out = NULL;
    if (!id || !cia_is_ident(id) || strchr(id, '.')) {
        char *names = cia_rd_names();
        int rc = cia_fail(e, CIA_EUSAGE, "unknown report '%s'; reports: %s", id ? id : "", names);
        free(names);
        return rc;
    }
    char *path = cia_xasprintf(DEF_PREFIX "%s.def", id);
    size_t len;
    const char *text = cia_embedded(path, &len);
    int rc;
    if (!text) {
        char *names = cia_rd_names();
        rc = cia_fail(e, CIA_EUSAGE, "unknown report '%s'; reports: %s", id, names);
        free(names);
    } else {
        rc = cia_rd_parse(path, text, len, out, e);
        if (rc == CIA_OK && strcmp((*out)->id, id) != 0) {
            rc = cia_fail(e, CIA_EINTERNAL, "%s declares report '%s'", path, (*out)->id);
            cia_rd_free(*out);
            *out = NULL;
        }
    }
    free(path);
    return rc;
}

static int collect_name(const char *path, const char *data, size_t len, void *arg)
{
    (void)data;
    (void)len;
    cia_buf *b = arg;
    const char *base = path + strlen(DEF_PREFIX);
    size_t n = strlen(base);
    if (n < 5 || strcmp(base + n - 4, ".def") != 0 || strchr(base, '/')) return 0;
    if (b->len) cia_buf_adds(b, ", ");
    cia_buf_add(b, base, n - 4);
    return 0;
}

char *cia_rd_names(void)
{
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, "");
    cia_embedded_each(DEF_PREFIX, collect_name, &b);
    return cia_buf_steal(&b);
}
