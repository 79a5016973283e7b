/* questionnaire_def.c — owns the questionnaire definition files
 * (reports/data/questionnaires/NAME.q): reading, checking everything that
 * needs no database, and finding them by name.  The format is in
 * docs/QUESTIONNAIRES.md; errors read "file:line:column: message", also
 * those found after reading (cia_qdef_fail finds the word in the text). */
#include <ctype.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ciatteh/defread.h"
#include "ciatteh/questionnaire.h"

#define QDIR "reports/data/questionnaires/"
#define MAXTOK 64

static const char *const LANGS[CIA_Q_LANGS] = {"en", "fr", "nl"};

/* ---- freeing ------------------------------------------------------------ */

static void attrs_free(cia_qattrs *a)
{
    free(a->item);
    for (int i = 0; i < a->nf; i++) { free(a->f[i].k); free(a->f[i].v); }
    for (int i = 0; i < a->nkey; i++) { free(a->key[i].k); free(a->key[i].v); }
    memset(a, 0, sizeof *a);
}

static void axis_free(cia_qaxis *x)
{
    for (size_t i = 0; i < x->n; i++) {
        cia_qentry *en = &x->v[i];
        free(en->key);
        for (int l = 0; l < CIA_Q_LANGS; l++) free(en->label[l]);
        attrs_free(&en->a);
        free(en->each);
        free(en->each_key);
    }
    free(x->v);
    free(x->name);
    memset(x, 0, sizeof *x);
}

void cia_qdef_free(cia_qdef *q)
{
    if (!q) return;
    free(q->id);
    free(q->path);
    free(q->src);
    for (int l = 0; l < CIA_Q_LANGS; l++) free(q->title[l]);
    free(q->recipient);
    free(q->lang);
    cia_strv_free(&q->protect);
    cia_strv_free(&q->notes);
    free(q->dataflow);
    for (int i = 0; i < q->nsdmx; i++) { free(q->sdmx[i].k); free(q->sdmx[i].v); }
    for (size_t i = 0; i < q->ncodes; i++) { free(q->codes[i].col); cia_strv_free(&q->codes[i].codes); }
    free(q->codes);
    for (size_t i = 0; i < q->nperiods; i++) {
        free(q->periods[i].col);
        free(q->periods[i].code);
        free(q->periods[i].to_code);
    }
    free(q->periods);
    free(q->att_status);
    free(q->att_conf);
    free(q->att_comment);
    for (int i = 0; i < q->nstatus; i++) { free(q->status_map[i].k); free(q->status_map[i].v); }
    free(q->conf_free);
    free(q->conf_primary);
    free(q->conf_secondary);
    for (size_t i = 0; i < q->nsame; i++) {
        free(q->same[i].from);
        free(q->same[i].to);
        for (int k = 0; k < q->same[i].nextra; k++) { free(q->same[i].extra[k].k); free(q->same[i].extra[k].v); }
    }
    free(q->same);
    for (size_t i = 0; i < q->naxes; i++) axis_free(&q->axes[i]);
    free(q->axes);
    for (size_t i = 0; i < q->ntables; i++) {
        cia_qtable *t = &q->tables[i];
        free(t->id);
        for (int l = 0; l < CIA_Q_LANGS; l++) { free(t->title[l]); free(t->subtitle[l]); }
        attrs_free(&t->use);
        axis_free(&t->rows);
        axis_free(&t->cols);
        for (size_t k = 0; k < t->nna; k++) { free(t->na[k].row); free(t->na[k].col); }
        free(t->na);
        free(t->na_reason);
        for (size_t k = 0; k < t->nfoot; k++) {
            free(t->foot[k].row);
            free(t->foot[k].col);
            for (int l = 0; l < CIA_Q_LANGS; l++) free(t->foot[k].text[l]);
        }
        free(t->foot);
        for (size_t k = 0; k < t->nnotes * CIA_Q_LANGS; k++) free(t->notes[k]);
        free(t->notes);
    }
    free(q->tables);
    for (size_t i = 0; i < q->ntexts; i++) {
        free(q->texts[i].id);
        for (int l = 0; l < CIA_Q_LANGS; l++) free(q->texts[i].title[l]);
        cia_strv_free(&q->texts[i].sentences);
        cia_strv_free(&q->texts[i].notes);
    }
    free(q->texts);
    free(q);
}

/* ---- tokens ------------------------------------------------------------- */

struct tok { char *s; int quoted; int col; };

struct ps {
    cia_qdef *q;
    const char *path;
    int line;
    cia_err *e;
    enum { CTX_NONE, CTX_AXIS, CTX_TABLE, CTX_TEXT } ctx;
    size_t cur;
    int col;                   /* of the word an error is about; 0: none */
};

static int perr(struct ps *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(struct ps *p, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cia_def_fail_col(p->e, CIA_EDATA, p->path, p->line, p->col, "%s", msg);
}

/* An error found after reading: at WORD on line l1 (or l2 when l1 does
 * not hold it), so it too reads file:line:column. */
static int perr_at(struct ps *p, int l1, int l2, const char *word, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int perr_at(struct ps *p, int l1, int l2, const char *word, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int lines[2] = {l1, l2};
    return cia_qdef_fail(p->q, p->e, lines, 2, word, "%s", msg);
}

/* The words of a line read by the one reader (defread.h): words,
 * "quoted strings" ("" is a quote), words with a quoted part
 * (fr="Femmes"), '#' comments. */
static int tokenize(struct ps *p, const cia_defline *l, struct tok *t, int *nt)
{
    *nt = 0;
    if (l->n > MAXTOK) {
        p->col = l->col[MAXTOK];
        return perr(p, "more than %d words on a line", MAXTOK);
    }
    for (size_t i = 0; i < l->n; i++) {
        t[i].s = l->w[i];
        t[i].quoted = l->quoted[i];
        t[i].col = l->col[i];
    }
    *nt = (int)l->n;
    p->col = t[0].col;
    return CIA_OK;
}

/* ---- locating words ------------------------------------------------------ */

static int delim(char c)
{
    return c && strchr(" \t=()+,{}:\"\r", c) != NULL;
}

/* Characters (UTF-8 lead bytes) in s[0..n), plus one: as defread counts. */
static int chars(const char *s, size_t n)
{
    int col = 1;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) col++;
    return col;
}

/* The line from LINE to LAST (see cia_qdef_locate) holding WORD, *col
 * its column; 0 when none does (*col: LINE's first word). */
static int find_word(const cia_qdef *q, int line, int last, const char *word, int *col)
{
    const char *s = q->src, *end = q->src + q->srclen;
    if (q->srclen >= 3 && !memcmp(s, "\xef\xbb\xbf", 3)) s += 3;   /* as defread skips it */
    for (int l = 1; l < line && s < end; l++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        s = nl ? nl + 1 : end;
    }
    size_t i = 0;
    while (s + i < end && (s[i] == ' ' || s[i] == '\t')) i++;
    *col = chars(s, i);
    size_t w = word ? strlen(word) : 0;
    for (int l = line; w && s < end && (last < 0 || l <= (last ? last : line)); l++) {
        const char *eol = memchr(s, '\n', (size_t)(end - s));
        size_t n = (size_t)((eol ? eol : end) - s);
        for (i = 0; i + w <= n; i++)
            if ((i == 0 || delim(s[i - 1])) && (i + w == n || delim(s[i + w])) && !memcmp(s + i, word, w)) {
                *col = chars(s, i);
                return l;
            }
        s = eol ? eol + 1 : end;
    }
    return 0;
}

int cia_qdef_locate(const cia_qdef *q, int line, int last, const char *word, int *col)
{
    return find_word(q, line, last, word, col);
}

int cia_qdef_fail(const cia_qdef *q, cia_err *e, const int *lines, size_t n, const char *word,
                  const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = 0, col = 1, first = 0;
    for (size_t i = 0; i < n && !line; i++)
        if (lines[i] > 0) {
            if (!first) first = lines[i];
            line = find_word(q, lines[i], 0, word, &col);
        }
    if (!line) find_word(q, line = first ? first : 1, 0, NULL, &col);
    return cia_def_fail_col(e, CIA_EDATA, q->path, line, col, "%s", msg);
}

/* ---- pieces ------------------------------------------------------------- */

static int valid_name(const char *s)
{
    if (!*s) return 0;
    for (const char *c = s; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-' && *c != '.') return 0;
    return 1;
}

/* ITEM, or ITEM+ITEM... (a sum of items counting the same unit) */
static int valid_items(const char *s)
{
    cia_strv parts = {0};
    cia_strv_split(&parts, s, '+');
    int ok = parts.n > 0;
    for (size_t i = 0; i < parts.n; i++) ok = ok && valid_name(parts.v[i]);
    cia_strv_free(&parts);
    return ok;
}

static int valid_key(const char *s)   /* row/column keys: part of answer ids */
{
    if (!*s) return 0;
    for (const char *c = s; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-') return 0;
    return 1;
}

/* Labels: the first quoted token is English; fr=... nl=... the others. */
static int take_label(struct ps *p, struct tok *t, int nt, int *used, char *label[CIA_Q_LANGS],
                      int required)
{
    for (int i = 0; i < nt; i++) {
        if (used[i]) continue;
        if (t[i].quoted && !label[0]) { label[0] = cia_xstrdup(t[i].s); used[i] = 1; continue; }
        for (int l = 1; l < CIA_Q_LANGS; l++) {
            size_t ll = strlen(LANGS[l]);
            if (!strncmp(t[i].s, LANGS[l], ll) && t[i].s[ll] == '=' && !t[i].quoted) {
                free(label[l]);
                label[l] = cia_xstrdup(t[i].s + ll + 1);
                used[i] = 1;
            }
        }
    }
    if (required && !label[0]) return perr(p, "expected a \"label\"");
    return CIA_OK;
}

static int set_kv(struct ps *p, cia_qkv *kv, int *n, int max, const char *k, const char *v,
                  const char *what)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp(kv[i].k, k)) return perr(p, "%s '%s' given twice", what, k);
    if (*n >= max) return perr(p, "more than %d %ss", max, what);
    kv[*n].k = cia_xstrdup(k);
    kv[*n].v = cia_xstrdup(v);
    (*n)++;
    return CIA_OK;
}

static int sdmx_has(const cia_qdef *q, const char *col)
{
    for (int i = 0; i < q->nsdmx; i++)
        if (!strcmp(q->sdmx[i].k, col)) return 1;
    return 0;
}

/* Attributes: item=X, year=-1, @COL=CODE, DIM=CODE[,CODE]. */
static int take_attrs(struct ps *p, struct tok *t, int nt, int *used, cia_qattrs *a)
{
    int rc;
    for (int i = 0; i < nt; i++) {
        if (used[i]) continue;
        p->col = t[i].col;
        const char *s = t[i].s;
        const char *eq = strchr(s, '=');
        if (t[i].quoted || !eq || eq == s)
            return perr(p, "unexpected '%s' (expected DIM=CODE, item=, year=, @COLUMN=)", s);
        used[i] = 1;
        char *k = cia_xstrndup(s, (size_t)(eq - s));
        const char *v = eq + 1;
        rc = CIA_OK;
        if (!*v) rc = perr(p, "'%s' without a value", s);
        else if (!strcmp(k, "item")) {
            if (a->item) rc = perr(p, "item given twice");
            else if (strcmp(v, "-") && !valid_items(v)) rc = perr(p, "bad item '%s' (ITEM or ITEM+ITEM...)", v);
            else a->item = cia_xstrdup(v);
        } else if (!strcmp(k, "year")) {
            char *end;
            long y = strtol(v, &end, 10);
            if (*end || y < -20 || y > 20) rc = perr(p, "year=%s: expected an offset such as -1", v);
            else if (a->year_set) rc = perr(p, "year given twice");
            else { a->year_set = 1; a->year_off = (int)y; }
        } else if (k[0] == '@') {
            if (!p->q->has_sdmx) rc = perr(p, "%s: declare `sdmx columns` first", k);
            else if (!sdmx_has(p->q, k + 1)) rc = perr(p, "%s: no such SDMX column", k);
            else rc = set_kv(p, a->key, &a->nkey, CIA_Q_MAXKEY, k + 1, v, "SDMX column");
        } else if (!valid_name(k)) {
            rc = perr(p, "bad dimension '%s'", k);
        } else {
            rc = set_kv(p, a->f, &a->nf, CIA_MAX_BY, k, v, "filter on");
        }
        free(k);
        if (rc) return rc;
    }
    return CIA_OK;
}

static cia_qaxis *find_axis(cia_qdef *q, const char *name)
{
    for (size_t i = 0; i < q->naxes; i++)
        if (!strcmp(q->axes[i].name, name)) return &q->axes[i];
    return NULL;
}

static cia_qentry *axis_add(cia_qaxis *x)
{
    x->v = cia_xrealloc(x->v, (x->n + 1) * sizeof *x->v);
    cia_qentry *en = &x->v[x->n++];
    memset(en, 0, sizeof *en);
    return en;
}

static int entry_line(struct ps *p, cia_qaxis *x, struct tok *t, int nt)
{
    int used[MAXTOK] = {0};
    p->col = t[0].col;
    if (!strcmp(t[0].s, "each")) {
        if (nt < 2 || !valid_name(t[1].s)) return perr(p, "expected `each DIMENSION [@COLUMN]`");
        for (size_t i = 0; i < x->n; i++)
            if (x->v[i].each) return perr(p, "one `each` per axis");
        cia_qentry *en = axis_add(x);
        en->line = p->line;
        en->each = cia_xstrdup(t[1].s);
        en->key = cia_xstrdup("");
        if (nt >= 3) {
            if (t[2].s[0] != '@' || !p->q->has_sdmx || !sdmx_has(p->q, t[2].s + 1) || nt > 3)
                return perr(p, "expected `each DIMENSION [@COLUMN]` with a declared SDMX column");
            en->each_key = cia_xstrdup(t[2].s + 1);
        }
        return CIA_OK;
    }
    if (t[0].quoted || !valid_key(t[0].s))
        return perr(p, "'%s': a key is letters, digits, '_' or '-'", t[0].s);
    for (size_t i = 0; i < x->n; i++)
        if (!strcmp(x->v[i].key, t[0].s)) return perr(p, "key '%s' given twice", t[0].s);
    cia_qentry *en = axis_add(x);
    en->line = p->line;
    en->key = cia_xstrdup(t[0].s);
    used[0] = 1;
    int rc = take_label(p, t, nt, used, en->label, 1);
    if (!rc) rc = take_attrs(p, t, nt, used, &en->a);
    return rc;
}

static int copy_axis(cia_qaxis *dst, const cia_qaxis *src)
{
    for (size_t i = 0; i < src->n; i++) {
        const cia_qentry *s = &src->v[i];
        cia_qentry *d = axis_add(dst);
        d->key = cia_xstrdup(s->key);
        for (int l = 0; l < CIA_Q_LANGS; l++) d->label[l] = s->label[l] ? cia_xstrdup(s->label[l]) : NULL;
        d->a.item = s->a.item ? cia_xstrdup(s->a.item) : NULL;
        d->a.year_set = s->a.year_set;
        d->a.year_off = s->a.year_off;
        for (int k = 0; k < s->a.nf; k++) {
            d->a.f[k].k = cia_xstrdup(s->a.f[k].k);
            d->a.f[k].v = cia_xstrdup(s->a.f[k].v);
        }
        d->a.nf = s->a.nf;
        for (int k = 0; k < s->a.nkey; k++) {
            d->a.key[k].k = cia_xstrdup(s->a.key[k].k);
            d->a.key[k].v = cia_xstrdup(s->a.key[k].v);
        }
        d->a.nkey = s->a.nkey;
        d->each = s->each ? cia_xstrdup(s->each) : NULL;
        d->each_key = s->each_key ? cia_xstrdup(s->each_key) : NULL;
        d->line = s->line;
    }
    return CIA_OK;
}

static int axis_has(const cia_qaxis *x, const char *key)
{
    if (!strcmp(key, "*")) return 1;
    for (size_t i = 0; i < x->n; i++)
        if (!x->v[i].each && !strcmp(x->v[i].key, key)) return 1;
    return 0;
}

static int table_line(struct ps *p, cia_qtable *t, struct tok *k, int nt)
{
    int used[MAXTOK] = {0};
    const char *w = k[0].s;
    used[0] = 1;
    if (!strcmp(w, "subtitle")) return take_label(p, k, nt, used, t->subtitle, 1);
    if (!strcmp(w, "use")) {
        if (t->use.item || t->use.nf || t->use.nkey || t->use.year_set) return perr(p, "`use` given twice");
        return take_attrs(p, k, nt, used, &t->use);
    }
    if (!strcmp(w, "rows") || !strcmp(w, "cols")) {
        if (nt != 2) return perr(p, "expected `%s AXIS`", w);
        cia_qaxis *x = find_axis(p->q, k[1].s);
        if (!x) return perr(p, "no axis '%s' (axes are declared before the tables using them)", k[1].s);
        cia_qaxis *dst = w[0] == 'r' ? &t->rows : &t->cols;
        if (dst->n) return perr(p, "%s given twice", w);
        return copy_axis(dst, x);
    }
    if (!strcmp(w, "row") || !strcmp(w, "col")) {
        if (nt < 2) return perr(p, "expected `%s KEY \"label\" ...`", w);
        return entry_line(p, w[0] == 'r' ? &t->rows : &t->cols, k + 1, nt - 1);
    }
    if (!strcmp(w, "na")) {
        if (nt < 3 || nt > 4 || (nt == 4 && !k[3].quoted))
            return perr(p, "expected `na ROW COL [\"reason\"]` (ROW or COL may be *)");
        t->na = cia_xrealloc(t->na, (t->nna + 1) * sizeof *t->na);
        t->na[t->nna].row = cia_xstrdup(k[1].s);
        t->na[t->nna].col = cia_xstrdup(k[2].s);
        t->na[t->nna].line = p->line;
        t->nna++;
        if (nt == 4) {
            t->notes = cia_xrealloc(t->notes, (t->nnotes + 1) * CIA_Q_LANGS * sizeof *t->notes);
            t->notes[t->nnotes * CIA_Q_LANGS] = cia_xstrdup(k[3].s);
            for (int l = 1; l < CIA_Q_LANGS; l++) t->notes[t->nnotes * CIA_Q_LANGS + (size_t)l] = NULL;
            t->nnotes++;
        }
        return CIA_OK;
    }
    if (!strcmp(w, "footnote")) {
        if (nt < 4 || k[1].quoted || k[2].quoted)
            return perr(p, "expected `footnote ROW COL \"text\" [fr=...] [nl=...] [status=d]` (ROW or COL may be *)");
        t->foot = cia_xrealloc(t->foot, (t->nfoot + 1) * sizeof *t->foot);
        cia_qfoot *f = &t->foot[t->nfoot++];
        memset(f, 0, sizeof *f);
        f->row = cia_xstrdup(k[1].s);
        f->col = cia_xstrdup(k[2].s);
        f->line = p->line;
        used[1] = used[2] = 1;
        for (int i = 3; i < nt; i++)
            if (!k[i].quoted && !strncmp(k[i].s, "status=", 7)) {
                if (strcmp(k[i].s + 7, "d")) return perr(p, "footnote: status=d (definition differs) only");
                f->status = 'd';
                used[i] = 1;
            }
        int rc = take_label(p, k, nt, used, f->text, 1);
        for (int i = 3; i < nt && !rc; i++)
            if (!used[i]) rc = perr(p, "unexpected '%s'", k[i].s);
        return rc;
    }
    if (!strcmp(w, "note")) {
        char *lab[CIA_Q_LANGS] = {NULL, NULL, NULL};
        int rc = take_label(p, k, nt, used, lab, 1);
        for (int i = 1; i < nt && !rc; i++)
            if (!used[i]) rc = perr(p, "unexpected '%s'", k[i].s);
        t->notes = cia_xrealloc(t->notes, (t->nnotes + 1) * CIA_Q_LANGS * sizeof *t->notes);
        for (int l = 0; l < CIA_Q_LANGS; l++) t->notes[t->nnotes * CIA_Q_LANGS + (size_t)l] = lab[l];
        t->nnotes++;
        return rc;
    }
    return perr(p, "unknown table line '%s' (subtitle, use, rows, cols, row, col, na, footnote, note)", w);
}

/* An SDMX artefact reference: AGENCY:ID(VERSION). */
static int valid_ref(const char *s)
{
    const char *colon = strchr(s, ':'), *open = strchr(s, '('), *close = strchr(s, ')');
    if (!colon || !open || !close || colon == s || open < colon + 2 || close < open + 2 || close[1]) return 0;
    for (const char *c = s; *c; c++)
        if (!isalnum((unsigned char)*c) && !strchr("_-.:()", *c)) return 0;
    return 1;
}

static int valid_code(const char *s)
{
    if (!*s || strlen(s) > 64) return 0;
    for (const char *c = s; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-') return 0;
    return 1;
}

/* "2013-2020", "-2012", "2021-": from/to, 0 = open. */
static int parse_span(const char *s, int *from, int *to)
{
    const char *dash = strchr(s, '-');
    char *end;
    if (!dash) return -1;
    *from = *to = 0;
    if (dash > s) {
        long v = strtol(s, &end, 10);
        if (end != dash || v < 1900 || v > 2200) return -1;
        *from = (int)v;
    }
    if (dash[1]) {
        long v = strtol(dash + 1, &end, 10);
        if (*end || v < 1900 || v > 2200) return -1;
        *to = (int)v;
    }
    if ((!*from && !*to) || (*from && *to && *from > *to)) return -1;
    return 0;
}

static cia_qcodes *codes_of(const cia_qdef *q, const char *col)
{
    for (size_t i = 0; i < q->ncodes; i++)
        if (!strcmp(q->codes[i].col, col)) return &q->codes[i];
    return NULL;
}

static int sdmx_line(struct ps *p, struct tok *t, int nt)
{
    cia_qdef *q = p->q;
    static const char *const USAGE = "expected `sdmx dataflow|columns|codes|period|status|conf|comment ...`";
    if (nt < 3) return perr(p, "%s", USAGE);
    const char *w = t[1].s;
    if (!strcmp(w, "dataflow")) {
        if (nt != 3 || !valid_ref(t[2].s)) return perr(p, "expected `sdmx dataflow AGENCY:ID(VERSION)`");
        free(q->dataflow);
        q->dataflow = cia_xstrdup(t[2].s);
        q->dataflow_line = p->line;
        return CIA_OK;
    }
    if (!strcmp(w, "columns")) {
        if (q->nsdmx) return perr(p, "sdmx columns given twice");
        for (int i = 2; i < nt; i++) {
            const char *eq = strchr(t[i].s, '=');
            if (!eq || eq == t[i].s || !eq[1]) return perr(p, "sdmx columns: expected COLUMN=DEFAULT, got '%s'", t[i].s);
            char *k = cia_xstrndup(t[i].s, (size_t)(eq - t[i].s));
            int rc = valid_name(k) ? set_kv(p, q->sdmx, &q->nsdmx, CIA_Q_MAXKEY, k, eq + 1, "SDMX column")
                                   : perr(p, "bad SDMX column '%s'", k);
            free(k);
            if (rc) return rc;
        }
        /* The layout the recipients read: frequency first, unit and
         * reference area last. */
        if (q->nsdmx < 3 || strcasecmp(q->sdmx[0].k, "freq") || strcasecmp(q->sdmx[q->nsdmx - 2].k, "unit") ||
            strcasecmp(q->sdmx[q->nsdmx - 1].k, "geo"))
            return perr(p, "sdmx columns: freq first, then the dimensions, then unit and geo");
        q->has_sdmx = 1;
        q->columns_line = p->line;
        return CIA_OK;
    }
    if (!q->has_sdmx) return perr(p, "sdmx %s: declare `sdmx columns` first", w);
    if (!strcmp(w, "codes")) {
        if (nt < 4 || !sdmx_has(q, t[2].s)) return perr(p, "expected `sdmx codes COLUMN CODE...` for a declared column");
        if (codes_of(q, t[2].s)) return perr(p, "sdmx codes %s given twice", t[2].s);
        q->codes = cia_xrealloc(q->codes, (q->ncodes + 1) * sizeof *q->codes);
        cia_qcodes *c = &q->codes[q->ncodes++];
        memset(c, 0, sizeof *c);
        c->col = cia_xstrdup(t[2].s);
        c->line = p->line;
        for (int i = 3; i < nt; i++) {
            if (!valid_code(t[i].s)) return perr(p, "sdmx codes: bad code '%s'", t[i].s);
            if (cia_strv_find(&c->codes, t[i].s) >= 0) return perr(p, "sdmx codes: '%s' twice", t[i].s);
            cia_strv_push(&c->codes, t[i].s);
        }
        return CIA_OK;
    }
    if (!strcmp(w, "period")) {
        /* sdmx period COLUMN CODE FROM-TO=CODE2 ... */
        if (nt < 5 || !sdmx_has(q, t[2].s) || !valid_code(t[3].s))
            return perr(p, "expected `sdmx period COLUMN CODE FROM-TO=CODE ...`");
        for (int i = 4; i < nt; i++) {
            const char *eq = strchr(t[i].s, '=');
            char *span = eq ? cia_xstrndup(t[i].s, (size_t)(eq - t[i].s)) : NULL;
            int from, to;
            int bad = !eq || !valid_code(eq + 1) || parse_span(span, &from, &to);
            free(span);
            if (bad) return perr(p, "sdmx period: expected FROM-TO=CODE (2013-2020=EU28_FOR, -2012=..., 2021-=...), got '%s'", t[i].s);
            for (size_t k = 0; k < q->nperiods; k++) {
                const cia_qperiod *o = &q->periods[k];
                if (strcmp(o->col, t[2].s) || strcmp(o->code, t[3].s)) continue;
                int lo1 = from ? from : 0, hi1 = to ? to : 99999, lo2 = o->from ? o->from : 0, hi2 = o->to ? o->to : 99999;
                if (lo1 <= hi2 && lo2 <= hi1) return perr(p, "sdmx period %s %s: '%s' overlaps another span", t[2].s, t[3].s, t[i].s);
            }
            q->periods = cia_xrealloc(q->periods, (q->nperiods + 1) * sizeof *q->periods);
            q->periods[q->nperiods++] = (cia_qperiod){cia_xstrdup(t[2].s), cia_xstrdup(t[3].s),
                                                      cia_xstrdup(eq + 1), from, to, p->line};
        }
        return CIA_OK;
    }
    if (!strcmp(w, "status")) {
        /* sdmx status COLUMN p=P u=U n=O x=L d=D (the first that applies wins) */
        if (q->att_status) return perr(p, "sdmx status given twice");
        if (!valid_name(t[2].s)) return perr(p, "sdmx status: bad column '%s'", t[2].s);
        q->att_status = cia_xstrdup(t[2].s);
        q->status_line = p->line;
        for (int i = 3; i < nt; i++) {
            const char *s = t[i].s;
            if (strlen(s) < 3 || s[1] != '=' || !strchr("punxd", s[0]) || !valid_code(s + 2))
                return perr(p, "sdmx status: expected p=, u=, n=, x=, d= CODE, got '%s'", s);
            char k[2] = {s[0], 0};
            int rc = set_kv(p, q->status_map, &q->nstatus, 8, k, s + 2, "state");
            if (rc) return rc;
        }
        return CIA_OK;
    }
    if (!strcmp(w, "conf")) {
        /* sdmx conf COLUMN free=F primary=A secondary=D */
        if (q->att_conf) return perr(p, "sdmx conf given twice");
        if (!valid_name(t[2].s)) return perr(p, "sdmx conf: bad column '%s'", t[2].s);
        q->att_conf = cia_xstrdup(t[2].s);
        q->conf_line = p->line;
        for (int i = 3; i < nt; i++) {
            const char *s = t[i].s, *eq = strchr(s, '=');
            char **dst = !eq ? NULL : !strncmp(s, "free=", 5) ? &q->conf_free
                       : !strncmp(s, "primary=", 8) ? &q->conf_primary
                       : !strncmp(s, "secondary=", 10) ? &q->conf_secondary : NULL;
            if (!dst || !valid_code(eq + 1) || *dst)
                return perr(p, "sdmx conf: expected free=, primary=, secondary= CODE once each, got '%s'", s);
            *dst = cia_xstrdup(eq + 1);
        }
        if (!q->conf_primary || !q->conf_secondary)
            return perr(p, "sdmx conf: primary= and secondary= are required");
        return CIA_OK;
    }
    if (!strcmp(w, "comment")) {
        if (nt != 3 || !valid_name(t[2].s)) return perr(p, "expected `sdmx comment COLUMN`");
        free(q->att_comment);
        q->att_comment = cia_xstrdup(t[2].s);
        q->comment_line = p->line;
        return CIA_OK;
    }
    return perr(p, "unknown sdmx line '%s' (%s)", w, USAGE);
}

static int top_line(struct ps *p, struct tok *t, int nt)
{
    cia_qdef *q = p->q;
    const char *w = t[0].s;
    int used[MAXTOK] = {0};
    used[0] = 1;
    p->ctx = CTX_NONE;
    if (!strcmp(w, "questionnaire")) {
        if (nt != 2 || !valid_key(t[1].s)) return perr(p, "expected `questionnaire ID`");
        if (q->id) return perr(p, "questionnaire given twice");
        q->id = cia_xstrdup(t[1].s);
        return CIA_OK;
    }
    if (!q->id) return perr(p, "the file must start with `questionnaire ID`");
    if (!strcmp(w, "title")) {
        int rc = take_label(p, t, nt, used, q->title, 1);
        for (int i = 1; i < nt && !rc; i++)
            if (!used[i]) rc = perr(p, "unexpected '%s'", t[i].s);
        return rc;
    }
    if (!strcmp(w, "recipient") || !strcmp(w, "lang")) {
        if (nt != 2) return perr(p, "expected `%s VALUE`", w);
        char **dst = w[0] == 'r' ? &q->recipient : &q->lang;
        if (w[0] == 'l' && strcmp(t[1].s, "en") && strcmp(t[1].s, "fr") && strcmp(t[1].s, "nl"))
            return perr(p, "lang: en, fr or nl");
        free(*dst);
        *dst = cia_xstrdup(t[1].s);
        return CIA_OK;
    }
    if (!strcmp(w, "suppress")) {
        long long n;
        if (nt != 2 || cia_parse_uint(t[1].s, &n) || n > 1000)
            return perr(p, "expected `suppress N` (the largest count withheld; 0 = none)");
        q->threshold = (int)n;
        return CIA_OK;
    }
    if (!strcmp(w, "protect")) {
        if (nt < 2) return perr(p, "expected `protect UNIT...`");
        cia_strv_free(&q->protect);
        for (int i = 1; i < nt; i++) cia_strv_push(&q->protect, t[i].s);
        return CIA_OK;
    }
    if (!strcmp(w, "note")) {
        if (nt != 2 || !t[1].quoted) return perr(p, "expected `note \"text\"`");
        cia_strv_push(&q->notes, t[1].s);
        return CIA_OK;
    }
    if (!strcmp(w, "sdmx")) return sdmx_line(p, t, nt);
    if (!strcmp(w, "same")) {
        /* same ITEM = ITEM DIM=CODES... */
        if (nt < 4 || strcmp(t[2].s, "=") || !valid_name(t[1].s) || !valid_name(t[3].s))
            return perr(p, "expected `same ITEM = ITEM DIM=CODES...`");
        q->same = cia_xrealloc(q->same, (q->nsame + 1) * sizeof *q->same);
        cia_qsame *s = &q->same[q->nsame++];
        memset(s, 0, sizeof *s);
        s->from = cia_xstrdup(t[1].s);
        s->to = cia_xstrdup(t[3].s);
        s->line = p->line;
        for (int i = 4; i < nt; i++) {
            const char *eq = strchr(t[i].s, '=');
            if (!eq || eq == t[i].s || !eq[1]) return perr(p, "same: expected DIM=CODES, got '%s'", t[i].s);
            char *k = cia_xstrndup(t[i].s, (size_t)(eq - t[i].s));
            int rc = set_kv(p, s->extra, &s->nextra, CIA_MAX_BY, k, eq + 1, "filter on");
            free(k);
            if (rc) return rc;
        }
        return CIA_OK;
    }
    if (!strcmp(w, "axis")) {
        if (nt != 2 || !valid_key(t[1].s)) return perr(p, "expected `axis NAME`");
        if (find_axis(q, t[1].s)) return perr(p, "axis '%s' given twice", t[1].s);
        q->axes = cia_xrealloc(q->axes, (q->naxes + 1) * sizeof *q->axes);
        cia_qaxis *x = &q->axes[q->naxes++];
        memset(x, 0, sizeof *x);
        x->name = cia_xstrdup(t[1].s);
        x->line = p->line;
        p->ctx = CTX_AXIS;
        p->cur = q->naxes - 1;
        return CIA_OK;
    }
    if (!strcmp(w, "table") || !strcmp(w, "text")) {
        if (nt < 3 || !valid_key(t[1].s)) return perr(p, "expected `%s ID \"title\"`", w);
        for (size_t i = 0; i < q->ntables; i++)
            if (!strcmp(q->tables[i].id, t[1].s)) return perr(p, "'%s' given twice", t[1].s);
        for (size_t i = 0; i < q->ntexts; i++)
            if (!strcmp(q->texts[i].id, t[1].s)) return perr(p, "'%s' given twice", t[1].s);
        used[1] = 1;
        char **title;
        if (w[1] == 'a') {
            q->tables = cia_xrealloc(q->tables, (q->ntables + 1) * sizeof *q->tables);
            cia_qtable *tb = &q->tables[q->ntables++];
            memset(tb, 0, sizeof *tb);
            tb->id = cia_xstrdup(t[1].s);
            tb->line = p->line;
            title = tb->title;
            p->ctx = CTX_TABLE;
            p->cur = q->ntables - 1;
        } else {
            q->texts = cia_xrealloc(q->texts, (q->ntexts + 1) * sizeof *q->texts);
            cia_qtext *tx = &q->texts[q->ntexts++];
            memset(tx, 0, sizeof *tx);
            tx->id = cia_xstrdup(t[1].s);
            tx->line = p->line;
            title = tx->title;
            p->ctx = CTX_TEXT;
            p->cur = q->ntexts - 1;
        }
        int rc = take_label(p, t, nt, used, title, 1);
        for (int i = 2; i < nt && !rc; i++)
            if (!used[i]) rc = perr(p, "unexpected '%s'", t[i].s);
        return rc;
    }
    return perr(p, "unknown line '%s'", w);
}

static const char *const TOP[] = {"questionnaire", "title", "recipient", "lang", "suppress",
                                  "protect", "note", "sdmx", "same", "axis", "table", "text", NULL};

static int is_top(const char *w, int ctx)
{
    for (int i = 0; TOP[i]; i++)
        if (!strcmp(w, TOP[i])) return !(ctx != CTX_NONE && !strcmp(w, "note"));
    return 0;
}

static int text_line(struct ps *p, cia_qtext *x, struct tok *t, int nt)
{
    if (!strcmp(t[0].s, "sentence")) {
        if (nt != 2 || !t[1].quoted) return perr(p, "expected `sentence \"text\"`");
        cia_strv_push(&x->sentences, t[1].s);
        return CIA_OK;
    }
    if (!strcmp(t[0].s, "note")) {
        /* a note in three languages: notes.v[3k + language] ("" when not given) */
        int used[MAXTOK] = {1};
        char *lab[CIA_Q_LANGS] = {NULL, NULL, NULL};
        int rc = take_label(p, t, nt, used, lab, 1);
        for (int i = 1; i < nt && !rc; i++)
            if (!used[i]) rc = perr(p, "unexpected '%s'", t[i].s);
        for (int l = 0; l < CIA_Q_LANGS; l++) {
            cia_strv_push(&x->notes, lab[l] ? lab[l] : "");
            free(lab[l]);
        }
        return rc;
    }
    return perr(p, "unknown text line '%s' (sentence, note)", t[0].s);
}

/* ---- checks after reading ------------------------------------------------- */

/* The answer a sentence placeholder names: "table.row.col", or a row key
 * of a one-column table.  Returns 1 when found (static entries only). */
static int find_answer(const cia_qdef *q, const char *name)
{
    int found = 0;
    for (size_t i = 0; i < q->ntables; i++) {
        const cia_qtable *t = &q->tables[i];
        for (size_t r = 0; r < t->rows.n; r++)
            for (size_t c = 0; c < t->cols.n; c++) {
                char id[512];
                snprintf(id, sizeof id, "%s.%s.%s", t->id, t->rows.v[r].key, t->cols.v[c].key);
                if (!strcmp(id, name)) return 1;
                if (t->cols.n == 1 && !strcmp(t->rows.v[r].key, name)) found++;
            }
    }
    return found == 1 ? 1 : found > 1 ? -1 : 0;
}

/* The line of the text block (from p->line on) where a sentence's WORD
 * stands: sentences keep no line of their own. */
static int sentence_line(struct ps *p, const char *word)
{
    int col, l = cia_qdef_locate(p->q, p->line, -1, word, &col);
    return l ? l : p->line;
}

static int check_sentence(struct ps *p, const char *s)
{
    const char *c = s;
    while ((c = strchr(c, '{'))) {
        const char *end = strchr(c, '}');
        if (!end) return perr_at(p, sentence_line(p, "sentence"), 0, "{", "sentence: '{' without '}'");
        char *ph = cia_xstrndup(c + 1, (size_t)(end - c - 1));
        int rc = CIA_OK;
        if (!strncmp(ph, "year", 4) && (!ph[4] || ((ph[4] == '-' || ph[4] == '+') && isdigit((unsigned char)ph[5]) && !ph[6]))) {
            /* {year}, {year-1} */
        } else if (!strncmp(ph, "cmp:", 4)) {
            char *comma = strchr(ph + 4, ',');
            if (!comma) rc = perr_at(p, sentence_line(p, "cmp"), 0, "cmp", "sentence: {cmp:A,B} needs two answers");
            else {
                *comma = '\0';
                const char *bad = find_answer(p->q, ph + 4) != 1 ? ph + 4 : find_answer(p->q, comma + 1) != 1 ? comma + 1 : NULL;
                if (bad) rc = perr_at(p, sentence_line(p, bad), 0, bad, "sentence: no single answer '%s'", bad);
            }
        } else {
            char *colon = strchr(ph, ':');
            if (colon) {
                *colon = '\0';
                if (strcmp(colon + 1, "year") && strcmp(colon + 1, "short"))
                    rc = perr_at(p, sentence_line(p, colon + 1), 0, colon + 1, "sentence: {%s:%s}: expected :year or :short",
                                 ph, colon + 1);
            }
            int f = rc ? 1 : find_answer(p->q, ph);
            if (!rc && f == 0) rc = perr_at(p, sentence_line(p, ph), 0, ph, "sentence: no answer '%s'", ph);
            if (!rc && f < 0)
                rc = perr_at(p, sentence_line(p, ph), 0, ph, "sentence: '%s' names several answers; write TABLE.ROW.COL", ph);
        }
        free(ph);
        if (rc) return rc;
        c = end + 1;
    }
    return CIA_OK;
}

static const char *filter_of(const cia_qattrs *a, const char *dim)
{
    for (int i = 0; i < a->nf; i++)
        if (!strcmp(a->f[i].k, dim)) return a->f[i].v;
    return NULL;
}

static int check_table(struct ps *p, const cia_qtable *t)
{
    if (!t->rows.n || !t->cols.n) return perr_at(p, t->line, 0, t->id, "table %s: needs rows and columns", t->id);
    for (size_t k = 0; k < t->nna; k++) {
        const cia_qna *na = &t->na[k];
        if (!axis_has(&t->rows, na->row)) return perr_at(p, na->line, 0, na->row, "na: table %s has no row '%s'", t->id, na->row);
        if (!axis_has(&t->cols, na->col)) return perr_at(p, na->line, 0, na->col, "na: table %s has no column '%s'", t->id, na->col);
    }
    for (size_t k = 0; k < t->nfoot; k++) {
        const cia_qfoot *f = &t->foot[k];
        if (!axis_has(&t->rows, f->row)) return perr_at(p, f->line, 0, f->row, "footnote: table %s has no row '%s'", t->id, f->row);
        if (!axis_has(&t->cols, f->col)) return perr_at(p, f->line, 0, f->col, "footnote: table %s has no column '%s'", t->id, f->col);
    }
    for (size_t c = 0; c < t->cols.n; c++) {
        const cia_qentry *ce = &t->cols.v[c];
        for (size_t c2 = 0; c2 < c; c2++)
            if (!strcmp(ce->key, t->cols.v[c2].key))
                return perr_at(p, ce->line, 0, ce->key, "table %s: column '%s' twice", t->id, ce->key);
    }
    for (size_t r = 0; r < t->rows.n; r++) {
        const cia_qentry *re = &t->rows.v[r];
        for (size_t r2 = 0; r2 < r; r2++)
            if (!strcmp(re->key, t->rows.v[r2].key))
                return perr_at(p, re->line, 0, re->key, "table %s: row '%s' twice", t->id, re->key);
        for (size_t c = 0; c < t->cols.n; c++) {
            const cia_qentry *ce = &t->cols.v[c];
            /* the `use` item lists the codes; the other axis may name other items */
            if ((re->each || ce->each) && (!t->use.item || (re->each && re->a.item) || (ce->each && ce->a.item)))
                return perr_at(p, re->each ? re->line : ce->line, t->line, "each",
                               "table %s: `each` needs the item on the table's `use` line", t->id);
            if (re->each && ce->each) return perr_at(p, ce->line, 0, "each", "table %s: `each` on rows and columns", t->id);
            int na = 0;
            for (size_t k = 0; k < t->nna; k++)
                if ((!strcmp(t->na[k].row, "*") || !strcmp(t->na[k].row, re->key)) &&
                    (!strcmp(t->na[k].col, "*") || !strcmp(t->na[k].col, ce->key)))
                    na = 1;
            if (na) continue;
            if (!ce->a.item && !re->a.item && !t->use.item)
                return perr_at(p, re->line, 0, re->each ? "each" : re->key,
                               "table %s: no item for row %s, column %s (set item= on the table's "
                               "`use` line, the row or the column, or mark it `na`)", t->id,
                               re->each ? "each" : re->key, ce->each ? "each" : ce->key);
            for (int i = 0; i < re->a.nf; i++)
                if (filter_of(&ce->a, re->a.f[i].k))
                    return perr_at(p, ce->line, re->line, re->a.f[i].k, "table %s: row %s and column %s both filter %s",
                                   t->id, re->key, ce->key, re->a.f[i].k);
            if (re->each && filter_of(&ce->a, re->each))
                return perr_at(p, ce->line, 0, re->each, "table %s: column %s filters %s, which the rows list", t->id,
                               ce->key, re->each);
            if (ce->each && filter_of(&re->a, ce->each))
                return perr_at(p, re->line, 0, ce->each, "table %s: row %s filters %s, which the columns list", t->id,
                               re->key, ce->each);
            for (int i = 0; i < re->a.nkey; i++)
                for (int j = 0; j < ce->a.nkey; j++)
                    if (!strcmp(re->a.key[i].k, ce->a.key[j].k)) {
                        char at[128];
                        snprintf(at, sizeof at, "@%s", re->a.key[i].k);
                        return perr_at(p, ce->line, re->line, at, "table %s: row %s and column %s both set @%s", t->id,
                                       re->key, ce->key, re->a.key[i].k);
                    }
            if (re->a.year_set && ce->a.year_set)
                return perr_at(p, ce->line, re->line, "year", "table %s: row %s and column %s both set year=", t->id,
                               re->key, ce->key);
        }
    }
    return CIA_OK;
}

/* Every SDMX code the definition writes is in its column's code list
 * (when the column has one), or is mapped by `sdmx period` to codes that
 * are.  Codes of `each` entries come from the data: checked when
 * answering (questionnaire.c). */
static int code_ok(const cia_qdef *q, const char *col, const char *code)
{
    const cia_qcodes *c = codes_of(q, col);
    if (!c || cia_strv_find(&c->codes, code) >= 0) return 1;
    int mapped = 0;
    for (size_t i = 0; i < q->nperiods; i++)
        if (!strcmp(q->periods[i].col, col) && !strcmp(q->periods[i].code, code)) mapped = 1;
    return mapped;
}

static int check_kv_codes(struct ps *p, const cia_qkv *kv, int n, int line)
{
    for (int i = 0; i < n; i++)
        if (!code_ok(p->q, kv[i].k, kv[i].v))
            return perr_at(p, line, 0, kv[i].v, "SDMX code '%s' is not in the code list of %s (sdmx codes %s ...)",
                           kv[i].v, kv[i].k, kv[i].k);
    return CIA_OK;
}

static int check_sdmx_codes(struct ps *p)
{
    const cia_qdef *q = p->q;
    int rc = check_kv_codes(p, q->sdmx, q->nsdmx, q->columns_line);
    for (size_t i = 0; i < q->nperiods && !rc; i++) {
        const cia_qcodes *c = codes_of(q, q->periods[i].col);
        if (c && cia_strv_find(&c->codes, q->periods[i].to_code) < 0)
            rc = perr_at(p, q->periods[i].line, 0, q->periods[i].to_code,
                         "sdmx period: '%s' is not in the code list of %s", q->periods[i].to_code, q->periods[i].col);
    }
    for (size_t i = 0; i < q->naxes && !rc; i++)
        for (size_t k = 0; k < q->axes[i].n && !rc; k++)
            rc = check_kv_codes(p, q->axes[i].v[k].a.key, q->axes[i].v[k].a.nkey, q->axes[i].v[k].line);
    for (size_t i = 0; i < q->ntables && !rc; i++) {
        const cia_qtable *t = &q->tables[i];
        rc = check_kv_codes(p, t->use.key, t->use.nkey, t->line);
        for (size_t k = 0; k < t->rows.n && !rc; k++)
            rc = check_kv_codes(p, t->rows.v[k].a.key, t->rows.v[k].a.nkey, t->rows.v[k].line);
        for (size_t k = 0; k < t->cols.n && !rc; k++)
            rc = check_kv_codes(p, t->cols.v[k].a.key, t->cols.v[k].a.nkey, t->cols.v[k].line);
    }
    if (!rc && q->nstatus && !q->att_status) rc = perr_at(p, q->status_line, 1, "status", "sdmx status needs a column");
    return rc;
}

int cia_qdef_parse(const char *path, const char *text, size_t len, cia_qdef **out, cia_err *e)
{
    *out = NULL;
    cia_qdef *q = cia_xcalloc(1, sizeof *q);
    q->path = cia_xstrdup(path);
    q->src = cia_xstrndup(text, len);
    q->srclen = len;
    q->threshold = 3;
    {
        unsigned char md[32];
        unsigned int n = 0;
        EVP_Digest(text, len, md, &n, EVP_sha256(), NULL);
        cia_hex(md, 32, q->sha256);
    }
    struct ps p = {q, path, 0, e, CTX_NONE, 0, 0};
    struct tok t[MAXTOK];
    int nt = 0, rc = CIA_OK;
    cia_defreader rd;
    const cia_defline *l;
    cia_def_open(&rd, path, q->src, len);
    while (rc == CIA_OK && !(rc = cia_def_next(&rd, &l, CIA_EDATA, e)) && l) {
        p.line = (int)l->line;
        rc = tokenize(&p, l, t, &nt);
        if (rc) break;
        if (p.ctx == CTX_NONE || is_top(t[0].s, p.ctx))
            rc = top_line(&p, t, nt);
        else if (p.ctx == CTX_AXIS)
            rc = entry_line(&p, &q->axes[p.cur], t, nt);
        else if (p.ctx == CTX_TABLE)
            rc = table_line(&p, &q->tables[p.cur], t, nt);
        else
            rc = text_line(&p, &q->texts[p.cur], t, nt);
    }
    cia_def_close(&rd);
    if (rc == CIA_OK && !q->id) rc = perr_at(&p, 1, 0, NULL, "no `questionnaire ID` line");
    if (rc == CIA_OK && !q->title[0]) rc = perr_at(&p, 1, 0, NULL, "no `title` line");
    if (rc == CIA_OK && !q->ntables) rc = perr_at(&p, 1, 0, NULL, "no table");
    if (rc == CIA_OK && q->has_sdmx && !q->dataflow)
        rc = perr_at(&p, q->columns_line, 0, "columns", "sdmx columns without `sdmx dataflow`");
    if (rc == CIA_OK) {
        /* The file's name is the questionnaire's name. */
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        size_t bl = strcspn(base, ".");
        if (strlen(q->id) != bl || strncmp(q->id, base, bl))
            rc = perr_at(&p, cia_qdef_locate(q, 1, -1, "questionnaire", &(int){0}), 1, q->id,
                         "questionnaire '%s' in a file named %s: name the file %s.q", q->id, base, q->id);
    }
    if (!q->protect.n) cia_strv_push(&q->protect, "persons");
    if (!q->lang) q->lang = cia_xstrdup("en");
    if (rc == CIA_OK && q->has_sdmx) rc = check_sdmx_codes(&p);
    for (size_t i = 0; i < q->ntables && rc == CIA_OK; i++) rc = check_table(&p, &q->tables[i]);
    for (size_t i = 0; i < q->ntexts && rc == CIA_OK; i++) {
        p.line = q->texts[i].line;
        for (size_t k = 0; k < q->texts[i].sentences.n && rc == CIA_OK; k++)
            rc = check_sentence(&p, q->texts[i].sentences.v[k]);
    }
    if (rc) {
        cia_qdef_free(q);
        return rc;
    }
    *out = q;
    return CIA_OK;
}

const char *cia_qdef_sdmx_code(const cia_qdef *q, const char *col, const char *code, int year)
{
    int mapped = 0;
    for (size_t i = 0; i < q->nperiods; i++) {
        const cia_qperiod *x = &q->periods[i];
        if (strcmp(x->col, col) || strcmp(x->code, code)) continue;
        mapped = 1;
        if ((!x->from || year >= x->from) && (!x->to || year <= x->to)) return x->to_code;
    }
    if (mapped) return NULL;
    const cia_qcodes *c = codes_of(q, col);
    return !c || cia_strv_find(&c->codes, code) >= 0 ? code : NULL;
}

/* ---- finding definitions ---------------------------------------------- */

static int collect_id(const char *path, const char *data, size_t len, void *arg)
{
    (void)data;
    (void)len;
    const char *base = path + strlen(QDIR);
    size_t n = strlen(base);
    if (n > 2 && !strcmp(base + n - 2, ".q") && !strchr(base, '/')) {
        char *id = cia_xstrndup(base, n - 2);
        cia_strv_push(arg, id);
        free(id);
    }
    return 0;
}

void cia_qdef_list(cia_strv *ids)
{
    cia_embedded_each(QDIR, collect_id, ids);
}

int cia_qdef_load(const char *name, cia_qdef **out, cia_err *e)
{
    size_t n = strlen(name);
    if (strchr(name, '/') || (n > 2 && !strcmp(name + n - 2, ".q"))) {
        char *data;
        size_t len;
        int rc = cia_read_file(name, &data, &len, e);
        if (rc) return rc;
        rc = cia_qdef_parse(name, data, len, out, e);
        free(data);
        return rc;
    }
    char path[512];
    snprintf(path, sizeof path, QDIR "%s.q", name);
    size_t len;
    const char *data = valid_key(name) ? cia_embedded(path, &len) : NULL;
    if (!data) {
        cia_strv ids = {0};
        cia_qdef_list(&ids);
        cia_buf b;
        cia_buf_init(&b);
        for (size_t i = 0; i < ids.n; i++) cia_buf_printf(&b, "%s%s", i ? ", " : "", ids.v[i]);
        int rc = cia_fail(e, CIA_EUSAGE, "unknown questionnaire '%s'; questionnaires: %s", name,
                          b.data ? b.data : "(none)");
        cia_buf_free(&b);
        cia_strv_free(&ids);
        return rc;
    }
    return cia_qdef_parse(path, data, len, out, e);
}
