/* load_header.c — owns a load's header line: which file column holds
 * which field of the spec (headers matched folded: case, accents, spaces),
 * a field given twice, the required fields missing, the columns ignored,
 * and the other service a wrong file looks like. */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/load_run.h"
#include "ciatteh/text.h"

static int match_header(const cia_spec *s, const char *folded)
{
    for (size_t f = 0; f < s->nfields; f++)
        for (size_t h = 0; h < s->fields[f].nheaders; h++)
            if (!strcmp(s->fields[f].headers[h], folded)) return (int)f;
    return -1;
}

/* Which service's extract does this header look like?  For the message
 * when someone loads, say, a police file as convictions. */
struct guess { char **folded; size_t n; const char *self; char best[64]; int best_hits, self_hits; };

static int guess_one(const char *path, const char *data, size_t len, void *arg)
{
    struct guess *g = arg;
    cia_spec *s;
    cia_err e;
    if (cia_spec_parse(&s, path, data, len, &e)) return 0;
    int hits = 0;
    for (size_t i = 0; i < g->n; i++) if (match_header(s, g->folded[i]) >= 0) hits++;
    if (!strcmp(s->service, g->self)) g->self_hits = hits;
    else if (hits > g->best_hits && hits * 2 >= (int)g->n) {
        g->best_hits = hits;
        snprintf(g->best, sizeof g->best, "%s", s->service);
    }
    cia_spec_free(s);
    return 0;
}

void ld_header(struct load_run *r, const cia_record *rec)
{
    const cia_spec *s = r->l->spec;
    r->header_done = 1;
    r->ncols = rec->nfields;
    r->col_field = cia_xcalloc(r->ncols ? r->ncols : 1, sizeof *r->col_field);
    r->col_names = cia_xcalloc(r->ncols ? r->ncols : 1, sizeof *r->col_names);
    cia_buf fold;
    cia_buf_init(&fold);
    char **folded = cia_xcalloc(r->ncols ? r->ncols : 1, sizeof *folded);
    size_t unknown = 0;
    for (size_t i = 0; i < r->ncols; i++) {
        char *name = cia_xstrndup(rec->fields[i], rec->lens[i]);
        r->col_names[i] = cia_trim(name);
        cia_fold(&fold, rec->fields[i], rec->lens[i]);
        folded[i] = cia_xstrdup(fold.data);
        int f = match_header(s, fold.data);
        r->col_field[i] = f;
        if (f >= 0 && r->field_col[f] >= 0) {
            ld_msg(r, rec->line, r->col_names[i], "column for %s given twice (also '%s')",
                    s->fields[f].name, r->col_names[r->field_col[f]]);
            r->fatal = 1;
        } else if (f >= 0) {
            r->field_col[f] = (int)i;
        } else if (r->pass == 1 && ++unknown <= 20) {
            char note[600], shown[256];
            cia_printable(shown, sizeof shown, r->col_names[i][0] ? r->col_names[i] : "(empty header)");
            snprintf(note, sizeof note, "%s:%ld:%s: unknown column ignored", r->path, rec->line, shown);
            cia_strv_push(&r->res->notices, note);
        }
    }
    if (unknown > 20) {   /* a file of 10,000 columns: one line, not 10,000 */
        char note[600];
        snprintf(note, sizeof note, "%s:%ld: ... and %zu more unknown columns ignored", r->path, rec->line,
                 unknown - 20);
        cia_strv_push(&r->res->notices, note);
    }
    int missing = 0;
    for (size_t f = 0; f < s->nfields; f++) {
        if (r->field_col[f] >= 0 || !s->fields[f].required) continue;
        cia_buf acc;
        cia_buf_init(&acc);
        for (size_t h = 0; h < s->fields[f].nheaders; h++)
            cia_buf_printf(&acc, "%s%s", h ? ", " : "", s->fields[f].headers[h]);
        ld_msg(r, rec->line, NULL, "missing required column %s (accepted headers: %s)",
                s->fields[f].name, acc.data);
        cia_buf_free(&acc);
        missing++;
    }
    if (missing) {
        r->fatal = 1;
        struct guess g = {folded, r->ncols, s->service, "", 0, 0};
        cia_embedded_each("etl/specs/", guess_one, &g);
        /* another service is named only when it fits better than this one */
        if (g.best[0] && g.best_hits > g.self_hits)
            ld_msg(r, rec->line, NULL, "this looks like a %s extract, not %s", g.best, s->service);
    }
    for (size_t i = 0; i < r->ncols; i++) free(folded[i]);
    free(folded);
    cia_buf_free(&fold);
}

void ld_reset_header(struct load_run *r)
{
    if (r->col_names) for (size_t i = 0; i < r->ncols; i++) free(r->col_names[i]);
    free(r->col_names);
    free(r->col_field);
    r->col_names = NULL;
    r->col_field = NULL;
    r->header_done = 0;
    for (size_t f = 0; f < r->l->spec->nfields; f++) r->field_col[f] = -1;
}

