/* questionnaire_store.c — owns standard answers: rendering an export and
 * recording it (schema/0004_answers.sql: the questionnaire, year, as-of,
 * deliveries read, every value and flag, the exact bytes sent, who and
 * when), listing them, showing one again, and comparing one with another
 * or with the figures now.
 *
 * An export is recorded before it leaves: the output is rendered first
 * (into memory, or for XLSX into its file), then stored in one
 * transaction, and only then written to standard output or committed to
 * its file name; if the record fails, nothing was sent. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "ciatteh/questionnaire.h"
#include "ciatteh/release.h"
#include "ciatteh/render.h"

static void sha256_hex(const char *data, size_t len, char out[65])
{
    unsigned char md[32];
    unsigned int n = 0;
    EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
    cia_hex(md, 32, out);
}

static int render_mem(cia_qanswers *a, const char *format, char **data, size_t *len, cia_err *e)
{
    *data = NULL;
    *len = 0;
    FILE *fp = open_memstream(data, len);
    if (!fp) return cia_fail(e, CIA_EINTERNAL, "cannot open a memory stream");
    int rc;
    if (!strcmp(format, "sdmx-csv")) rc = cia_q_write_sdmx(fp, a, a->sdmx_version, e);
    else if (!strcmp(format, "text")) rc = cia_q_write_text(fp, a, e);
    else {
        cia_report *rep = cia_q_report(a);
        rc = cia_render_csv(fp, rep, 0, e);
        cia_report_free(rep);
    }
    if (fclose(fp) != 0 && !rc) rc = cia_fail(e, CIA_ECANTCREAT, "cannot render the output");
    if (rc) {
        free(*data);
        *data = NULL;
    }
    return rc;
}

static char *bytea_hex(const char *data, size_t len)
{
    char *s = cia_xmalloc(2 * len + 3);
    s[0] = '\\';
    s[1] = 'x';
    cia_hex((const unsigned char *)data, len, s + 2);
    return s;
}

static int record(cia_db *db, const cia_qanswers *a, const char *format, const char *name,
                  const char *data, size_t len, cia_err *e)
{
    const cia_qdef *q = a->def;
    char id[32], year[16], thr[16], ncells[16], np[16], ns[16], sha[65];
    snprintf(id, sizeof id, "%lld", a->set_id);
    snprintf(year, sizeof year, "%d", a->year);
    snprintf(thr, sizeof thr, "%d", a->threshold);
    snprintf(ncells, sizeof ncells, "%zu", a->ncells);
    snprintf(np, sizeof np, "%zu", a->n_primary);
    snprintf(ns, sizeof ns, "%zu", a->n_secondary);
    sha256_hex(data, len, sha);
    cia_buf dl;
    cia_buf_init(&dl);
    cia_buf_adds(&dl, "");
    for (size_t i = 0; i < a->delivery_ids.n; i++) cia_buf_printf(&dl, "%s%s", i ? "," : "", a->delivery_ids.v[i]);
    char *hex = bytea_hex(data, len);
    const char *user = getenv("USER") ? getenv("USER") : "";
    const char *p[20] = {id, q->id, year, a->as_of, a->as_of_ts, dl.data, thr, a->lang, format, name,
                         hex, sha, q->src, q->sha256, ncells, np, ns, CIATTEH_VERSION, user};
    int rc = cia_db_begin(db, e);
    if (!rc)
        rc = cia_db_query(db, e, NULL,
            "INSERT INTO answer_set (id, questionnaire, ref_year, as_of, data_as_of, deliveries, threshold, "
            "  lang, format, output_name, output, output_sha256, definition, definition_sha256, n_cells, "
            "  n_primary, n_secondary, program_version, os_user) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::bytea, $12, $13, $14, $15, $16, $17, $18, $19)",
            19, p);
    free(hex);
    cia_buf_free(&dl);
    cia_buf key;
    cia_buf_init(&key);
    for (size_t i = 0; i < a->ncells && !rc; i++) {
        const cia_qcell *c = &a->cells[i];
        char seq[16], cy[16], val[32], raw[32], sdc[8];
        snprintf(seq, sizeof seq, "%zu", i + 1);
        snprintf(cy, sizeof cy, "%d", c->year);
        snprintf(val, sizeof val, "%lld", c->pub_value);
        snprintf(raw, sizeof raw, "%lld", c->value);
        snprintf(sdc, sizeof sdc, "%d", c->sdc);
        cia_buf_reset(&key);
        for (int k = 0; k < q->nsdmx; k++) cia_buf_printf(&key, "%s%s", k ? "," : "", c->key[k]);
        const char *v[12] = {id, seq, c->id, c->item, cy, c->filters, q->has_sdmx ? key.data : NULL,
                             c->item && c->pub_known ? val : NULL, c->pub_flags,
                             c->item && c->known ? raw : NULL, c->flags, sdc};
        rc = cia_db_query(db, e, NULL,
            "INSERT INTO answer_value (set_id, seq, answer, item, year, filters, sdmx_key, value, flags, "
            "  raw_value, raw_flags, sdc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)", 12, v);
    }
    cia_buf_free(&key);
    if (!rc) rc = cia_db_commit(db, e);
    else cia_db_rollback(db);
    if (rc) cia_err_context(e, "recording the answers");
    return rc;
}

int cia_q_export(cia_db *db, cia_qanswers *a, const char *format, const char *path, cia_err *e)
{
    int to_stdout = !path || !*path || !strcmp(path, "-");
    if (strcmp(format, "xlsx") && strcmp(format, "csv") && strcmp(format, "sdmx-csv") && strcmp(format, "text"))
        return cia_fail(e, CIA_EUSAGE, "unknown format '%s' (xlsx, csv, sdmx-csv, text)", format);
    if (!strcmp(format, "xlsx") && to_stdout)
        return cia_fail(e, CIA_EUSAGE, "xlsx output needs a file name (-o FILE)");
    if (!strcmp(format, "sdmx-csv") && !a->def->has_sdmx)
        return cia_fail(e, CIA_EUSAGE, "questionnaire %s has no SDMX mapping (formats: xlsx, csv, text)",
                        a->def->id);
    char *data = NULL;
    size_t len = 0;
    int rc;
    if (to_stdout) {
        /* Printed, not sent: only a written file records an answer set. */
        a->set_id = 0;
        if ((rc = render_mem(a, format, &data, &len, e))) return rc;
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            rc = cia_fail(e, CIA_ECANTCREAT, "cannot write to standard output");
        free(data);
        return rc;
    }
    PGresult *r;
    if ((rc = cia_db_query(db, e, &r, "SELECT nextval('answer_set_id_seq')", 0, NULL))) return rc;
    a->set_id = atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    if (!strcmp(format, "xlsx")) {
        cia_report *rep = cia_q_report(a);
        rc = cia_render_xlsx(path, rep, e);
        cia_report_free(rep);
        if (!rc) rc = cia_read_file(path, &data, &len, e);
        if (!rc && (rc = record(db, a, format, path, data, len, e))) unlink(path);
        free(data);
        return rc;
    }
    if ((rc = render_mem(a, format, &data, &len, e))) return rc;
    cia_outfile o;
    if ((rc = cia_outfile_open(&o, path, e))) {
        free(data);
        return rc;
    }
    if (len && fwrite(data, 1, len, o.fp) != len) rc = cia_fail(e, CIA_ECANTCREAT, "%s: cannot write", path);
    if (!rc) rc = record(db, a, format, path, data, len, e);
    if (!rc) rc = cia_outfile_commit(&o, e);
    if (rc) cia_outfile_abort(&o);
    free(data);
    return rc;
}

/* ---- listing and showing ---------------------------------------------- */

static void put_row(cia_buf *b, int csv, const char *const *v, int n, const int *w)
{
    for (int i = 0; i < n; i++) {
        if (csv) {
            if (i) cia_buf_addc(b, ',');
            cia_buf_add_csv(b, v[i], ',');
        } else {
            size_t tw = cia_text_width(v[i]);
            cia_buf_printf(b, "%s%s", i ? "  " : "", v[i]);
            if (i < n - 1)
                for (size_t k = tw; k < (size_t)w[i]; k++) cia_buf_addc(b, ' ');
        }
    }
    cia_buf_addc(b, '\n');
}

static int put_result(FILE *out, PGresult *r, const char *const *heads, int csv, cia_err *e)
{
    int n = PQnfields(r);
    int w[32] = {0};
    for (int k = 0; k < n && k < 32; k++) {
        w[k] = (int)cia_text_width(heads[k]);
        for (int i = 0; i < PQntuples(r); i++) {
            int tw = (int)cia_text_width(PQgetvalue(r, i, k));
            if (tw > w[k]) w[k] = tw;
        }
    }
    cia_buf b;
    cia_buf_init(&b);
    put_row(&b, csv, heads, n, w);
    const char *v[32];
    for (int i = 0; i < PQntuples(r); i++) {
        for (int k = 0; k < n && k < 32; k++) v[k] = PQgetvalue(r, i, k);
        put_row(&b, csv, v, n, w);
    }
    int rc = CIA_OK;
    if (fwrite(b.data, 1, b.len, out) != b.len) rc = cia_fail(e, CIA_ECANTCREAT, "cannot write the output");
    cia_buf_free(&b);
    return rc;
}

#define WHEN(col) "to_char(" col " AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD HH24:MI:SS')"

int cia_q_answers_list(cia_db *db, FILE *out, const char *questionnaire, int year, int csv, cia_err *e)
{
    char ys[16];
    snprintf(ys, sizeof ys, "%d", year);
    const char *p[2] = {questionnaire, year ? ys : NULL};
    PGresult *r;
    int rc = cia_db_query(db, e, &r,
        "SELECT id, questionnaire, ref_year, coalesce(as_of::text, 'current'), " WHEN("data_as_of") ", "
        "       " WHEN("exported_at") ", exported_by || CASE WHEN os_user <> '' AND os_user <> exported_by "
        "       THEN ' (' || os_user || ')' ELSE '' END, format, output_name, n_cells, "
        "       n_primary + n_secondary, left(output_sha256, 12) "
        "FROM answer_set WHERE ($1::text IS NULL OR questionnaire = $1) "
        "  AND ($2::int IS NULL OR ref_year = $2::int) ORDER BY id", 2, p);
    if (rc) return rc;
    static const char *const heads[] = {"id", "questionnaire", "year", "as_of", "data_as_of", "exported_at",
                                        "exported_by", "format", "output", "cells", "withheld", "sha256"};
    rc = put_result(out, r, heads, csv, e);
    if (!csv && PQntuples(r) == 0) fputs("(no answers recorded)\n", out);
    PQclear(r);
    return rc;
}

int cia_q_answers_show(cia_db *db, FILE *out, long long id, const char *path, int csv, cia_err *e)
{
    char ids[32];
    snprintf(ids, sizeof ids, "%lld", id);
    const char *p[1] = {ids};
    PGresult *r;
    int rc = cia_db_query(db, e, &r,
        "SELECT questionnaire, ref_year, coalesce(as_of::text, 'current'), " WHEN("data_as_of") ", "
        "       " WHEN("exported_at") ", exported_by, format, output_name, output, deliveries, threshold, "
        "       definition_sha256, output_sha256 FROM answer_set WHERE id = $1", 1, p);
    if (rc) return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return cia_fail(e, CIA_EUSAGE, "no answer set #%lld (see `ciatteh answers`)", id);
    }
    if (path) {
        /* The exact bytes that were sent. */
        size_t len = 0;
        unsigned char *bytes = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 8), &len);
        PQclear(r);
        if (!bytes) return cia_fail(e, CIA_EINTERNAL, "cannot decode answer set #%lld", id);
        int to_stdout = !strcmp(path, "-");
        if (to_stdout) {
            if (fwrite(bytes, 1, len, stdout) != len) rc = cia_fail(e, CIA_ECANTCREAT, "cannot write");
        } else {
            cia_outfile o;
            if (!(rc = cia_outfile_open(&o, path, e))) {
                if (len && fwrite(bytes, 1, len, o.fp) != len) rc = cia_fail(e, CIA_ECANTCREAT, "%s: cannot write", path);
                if (!rc) rc = cia_outfile_commit(&o, e);
                if (rc) cia_outfile_abort(&o);
            }
        }
        PQfreemem(bytes);
        return rc;
    }
    if (!csv)
        fprintf(out, "answer set #%lld: %s %s, as of %s (data as of %s), threshold %s\n"
                     "exported %s by %s as %s to %s (sha256 %.12s), definition %.12s, deliveries %s\n\n",
                id, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3),
                PQgetvalue(r, 0, 10), PQgetvalue(r, 0, 4), PQgetvalue(r, 0, 5), PQgetvalue(r, 0, 6),
                PQgetvalue(r, 0, 7), PQgetvalue(r, 0, 12), PQgetvalue(r, 0, 11), PQgetvalue(r, 0, 9));
    PQclear(r);
    if ((rc = cia_db_query(db, e, &r,
            "SELECT answer, coalesce(item, '-'), year, filters, coalesce(sdmx_key, ''), "
            "       coalesce(value::text, ''), flags FROM answer_value WHERE set_id = $1 ORDER BY seq",
            1, p)))
        return rc;
    static const char *const heads[] = {"answer", "item", "year", "filters", "sdmx_key", "value", "flags"};
    rc = put_result(out, r, heads, csv, e);
    PQclear(r);
    return rc;
}

/* ---- comparing ------------------------------------------------------------ */

/* raw: the value the data gave ("" when not known), never shown for a
 * withheld cell, only compared ("changed (withheld)"). */
struct aval { char *answer, *item, *filters, *value, *flags, *raw; int year; };
struct aset { long long id; char *q, *when, *as_of, *def, *lang; int year, threshold; struct aval *v; size_t n; };

static void aset_free(struct aset *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].answer); free(s->v[i].item); free(s->v[i].filters);
        free(s->v[i].value); free(s->v[i].flags); free(s->v[i].raw);
    }
    free(s->v);
    free(s->q); free(s->when); free(s->as_of); free(s->def); free(s->lang);
    memset(s, 0, sizeof *s);
}

static void aset_add(struct aset *s, const char *answer, const char *item, int year, const char *filters,
                     const char *value, const char *flags, const char *raw)
{
    s->v = cia_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
    s->v[s->n++] = (struct aval){cia_xstrdup(answer), cia_xstrdup(item), cia_xstrdup(filters),
                                 cia_xstrdup(value), cia_xstrdup(flags), cia_xstrdup(raw), year};
}

static int aset_load(cia_db *db, long long id, struct aset *s, cia_err *e)
{
    memset(s, 0, sizeof *s);
    char ids[32];
    snprintf(ids, sizeof ids, "%lld", id);
    const char *p[1] = {ids};
    PGresult *r;
    int rc = cia_db_query(db, e, &r,
        "SELECT questionnaire, ref_year, threshold, " WHEN("exported_at") ", "
        "       coalesce(as_of::text, 'current at export'), definition, lang, exported_by "
        "FROM answer_set WHERE id = $1",
        1, p);
    if (rc) return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return cia_fail(e, CIA_EUSAGE, "no answer set #%lld (see `ciatteh answers`)", id);
    }
    s->id = id;
    s->q = cia_xstrdup(PQgetvalue(r, 0, 0));
    s->year = atoi(PQgetvalue(r, 0, 1));
    s->threshold = atoi(PQgetvalue(r, 0, 2));
    s->when = cia_xasprintf("exported %s by %s", PQgetvalue(r, 0, 3), PQgetvalue(r, 0, 7));
    s->as_of = cia_xstrdup(PQgetvalue(r, 0, 4));
    s->def = cia_xstrdup(PQgetvalue(r, 0, 5));
    s->lang = cia_xstrdup(PQgetvalue(r, 0, 6));
    PQclear(r);
    if ((rc = cia_db_query(db, e, &r,
            "SELECT answer, coalesce(item, '-'), year, filters, coalesce(value::text, ''), flags, "
            "coalesce(raw_value::text, '') FROM answer_value WHERE set_id = $1 ORDER BY seq", 1, p)))
        return rc;
    for (int i = 0; i < PQntuples(r); i++)
        aset_add(s, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), atoi(PQgetvalue(r, i, 2)),
                 PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5), PQgetvalue(r, i, 6));
    PQclear(r);
    return CIA_OK;
}

/* The same questionnaire and year from the data now: the definition as
 * compiled in now (else the one recorded), the recorded threshold. */
static int aset_now(cia_db *db, const struct aset *from, struct aset *s, cia_err *e)
{
    memset(s, 0, sizeof *s);
    cia_qdef *q = NULL;
    cia_strv ids = {0};
    cia_qdef_list(&ids);
    int rc = cia_strv_find(&ids, from->q) >= 0
             ? cia_qdef_load(from->q, &q, e)
             : cia_qdef_parse(from->q, from->def, strlen(from->def), &q, e);
    cia_strv_free(&ids);
    if (rc) return rc;
    /* Published as the release of the data now would publish it. */
    struct cia_qopts o = {from->year, NULL, from->threshold, from->lang, 1};
    struct cia_release_opts ro = {from->year, NULL, from->threshold, 0, q, NULL, NULL, 0};
    cia_qanswers *a = NULL;
    cia_release *rel = NULL;
    if ((rc = cia_q_compute(db, q, &o, &a, e)) || (rc = cia_release_make(db, &ro, &rel, e)) ||
        (rc = cia_release_apply(rel, a, e))) {
        cia_release_free(rel);
        cia_qanswers_free(a);
        cia_qdef_free(q);
        return rc;
    }
    cia_release_free(rel);
    s->q = cia_xstrdup(from->q);
    s->year = from->year;
    s->threshold = from->threshold;
    s->when = cia_xasprintf("the data now (%s)", a->as_of_local);
    s->as_of = cia_xstrdup("current");
    for (size_t i = 0; i < a->ncells; i++) {
        const cia_qcell *c = &a->cells[i];
        char val[32] = "", raw[32] = "";
        if (c->item && c->pub_known) snprintf(val, sizeof val, "%lld", c->pub_value);
        if (c->item && c->known) snprintf(raw, sizeof raw, "%lld", c->value);
        aset_add(s, c->id, c->item ? c->item : "-", c->year, c->filters, val, c->pub_flags, raw);
    }
    cia_qanswers_free(a);
    cia_qdef_free(q);
    return CIA_OK;
}

static char *shown(const struct aval *v)
{
    if (!v) return cia_xstrdup("(absent)");
    if (!strcmp(v->flags, "") && !*v->value) return cia_xstrdup(cia_word("not_known", "en"));
    if (!*v->value && !strchr(v->flags, 'c')) return cia_xasprintf("%s (%s)", cia_word("not_known", "en"), v->flags);
    if (!*v->value) return cia_xasprintf("(%s)", v->flags);
    return *v->flags ? cia_xasprintf("%s (%s)", v->value, v->flags) : cia_xstrdup(v->value);
}

static const struct aval *find_val(const struct aset *s, const char *answer)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i].answer, answer)) return &s->v[i];
    return NULL;
}

static int compare(FILE *out, const struct aset *a, const struct aset *b, int csv, int *changes)
{
    char to[32];
    if (b->id) snprintf(to, sizeof to, "%lld", b->id);
    else snprintf(to, sizeof to, "now");
    cia_buf o;
    cia_buf_init(&o);
    int n = 0;
    cia_buf lines;
    cia_buf_init(&lines);
    cia_buf_adds(&lines, "");
    for (int pass = 0; pass < 2; pass++) {
        const struct aset *s = pass ? b : a;
        for (size_t i = 0; i < s->n; i++) {
            const struct aval *x = pass ? find_val(a, s->v[i].answer) : &a->v[i];
            const struct aval *y = pass ? &b->v[i] : find_val(b, s->v[i].answer);
            if (pass && x) continue;            /* seen in the first pass */
            const char *change = !y ? "removed" : !x ? "added" : NULL;
            if (!change) {
                int same = !strcmp(x->value, y->value) && !strcmp(x->flags, y->flags);
                /* Withheld both times: the data behind it may still have
                 * changed; say so, without a value. */
                int hidden = same && strchr(x->flags, 'c') && strcmp(x->raw, y->raw);
                if (same && !hidden) continue;
                change = hidden ? "changed (withheld)" : "changed";
            }
            const struct aval *d = y ? y : x;
            char *sx = shown(x), *sy = shown(y);
            if (csv) {
                char yr[16], ry[16], from[32];
                snprintf(yr, sizeof yr, "%d", a->year);
                snprintf(ry, sizeof ry, "%d", d->year);
                snprintf(from, sizeof from, "%lld", a->id);
                const char *v[13] = {a->q, yr, from, to, d->answer, change, d->item, ry, d->filters,
                                     x ? x->value : "", x ? x->flags : "", y ? y->value : "", y ? y->flags : ""};
                for (int k = 0; k < 13; k++) {
                    if (k) cia_buf_addc(&lines, ',');
                    cia_buf_add_csv(&lines, v[k], ',');
                }
                cia_buf_addc(&lines, '\n');
            } else {
                if (!strcmp(change, "changed (withheld)"))
                    cia_buf_printf(&lines, "  %-8s %-40s %s %d %s\n", change, d->answer, d->item, d->year,
                                   d->filters);
                else
                    cia_buf_printf(&lines, "  %-8s %-40s %s %d %s: %s → %s\n", change, d->answer, d->item,
                                   d->year, d->filters, sx, sy);
            }
            free(sx);
            free(sy);
            n++;
        }
    }
    if (!csv)
        cia_buf_printf(&o, "%s %d: answer set #%lld (%s; data as of %s) → %s%s: %d %s\n", a->q, a->year,
                       a->id, a->when, a->as_of, b->id ? "answer set #" : "", b->id ? to : b->when, n,
                       n == 1 ? "cell changed" : "cells changed");
    cia_buf_adds(&o, lines.data);
    fputs(o.data, out);
    cia_buf_free(&o);
    cia_buf_free(&lines);
    *changes += n;
    return CIA_OK;
}

int cia_q_answers_diff(cia_db *db, FILE *out, const char *q, int year, long long from, long long to,
                       int csv, int *changes, cia_err *e)
{
    *changes = 0;
    int rc = CIA_OK;
    if (csv)
        fputs("questionnaire,year,from,to,answer,change,item,item_year,filters,old_value,old_flags,"
              "new_value,new_flags\n", out);
    if (from) {
        struct aset a, b;
        if ((rc = aset_load(db, from, &a, e))) return rc;
        rc = to ? aset_load(db, to, &b, e) : aset_now(db, &a, &b, e);
        if (!rc) {
            if (to && (strcmp(a.q, b.q) || a.year != b.year))
                cia_warn("answer sets #%lld and #%lld are not of the same questionnaire and year", from, to);
            rc = compare(out, &a, &b, csv, changes);
            aset_free(&b);
        }
        aset_free(&a);
        return rc;
    }
    /* The last submission of each questionnaire and year (of q/year). */
    char ys[16];
    snprintf(ys, sizeof ys, "%d", year);
    const char *p[2] = {q, year ? ys : NULL};
    PGresult *r;
    if ((rc = cia_db_query(db, e, &r,
            "SELECT DISTINCT ON (questionnaire, ref_year) id FROM answer_set "
            "WHERE ($1::text IS NULL OR questionnaire = $1) AND ($2::int IS NULL OR ref_year = $2::int) "
            "ORDER BY questionnaire, ref_year, exported_at DESC, id DESC", 2, p)))
        return rc;
    int n = PQntuples(r);
    long long *ids = cia_xcalloc((size_t)n + 1, sizeof *ids);
    for (int i = 0; i < n; i++) ids[i] = atoll(PQgetvalue(r, i, 0));
    PQclear(r);
    if (n == 0 && !csv)
        fprintf(out, "no answers recorded%s%s%s\n", q ? " for " : "", q ? q : "", year ? " that year" : "");
    for (int i = 0; i < n && !rc; i++) {
        struct aset a, b;
        if ((rc = aset_load(db, ids[i], &a, e))) break;
        if (!(rc = aset_now(db, &a, &b, e))) {
            rc = compare(out, &a, &b, csv, changes);
            aset_free(&b);
        }
        aset_free(&a);
    }
    free(ids);
    return rc;
}
