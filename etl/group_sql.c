/* group_sql.c — owns the SQL of the item groups made from the spec's
 * `group`/`sum` lines: each service's group table (the columns etl/group.c
 * counts, in its order and types) and group_SERVICE(d), which counts the
 * same groups from a delivery's stored records (derive_items, when
 * --keep-going took duplicates back out, and rederive_all).  One
 * declaration, the spec, gives the loader's groups, the table and the
 * server's groups; schema/groups.sql is this output, checked in and
 * compared with it by tests/unit/test_group.c (`make groups-sql` writes
 * it again), and applied by the migrator after the migrations. */
#include <stdlib.h>
#include <string.h>
#include "ciatteh/group.h"
#include "ciatteh/spec.h"

/* Names go into SQL unquoted: lower-case identifiers only (the spec
 * reader checks group columns; fields are checked here). */
static int plain_ident(const char *s)
{
    if (!s || !((*s >= 'a' && *s <= 'z') || *s == '_') || strlen(s) > 63) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

/* The expression of a date or year field's year. */
static void year_of(cia_buf *b, const struct cia_field *f)
{
    if (f->type == CIA_T_DATE) cia_buf_printf(b, "yr(r.%s)", f->name);
    else cia_buf_printf(b, "r.%s", f->name);
}

static void group_expr(cia_buf *b, const cia_spec *s, const struct cia_group_col *g)
{
    const struct cia_field *f = &s->fields[g->field];
    switch (g->grain) {
    case CIA_G_VALUE: cia_buf_printf(b, "r.%s", f->name); break;
    case CIA_G_YEAR: year_of(b, f); break;
    case CIA_G_SIGN: cia_buf_printf(b, "(r.%s > 0)", f->name); break;
    case CIA_G_BAND:
        /* the CODE of the largest V not above the value; NULL below the
         * first V and when not known */
        cia_buf_printf(b, "CASE WHEN r.%s IS NULL OR r.%s < %lld THEN NULL", f->name, f->name, g->band_from[0]);
        for (size_t i = 1; i < g->nband; i++)
            cia_buf_printf(b, " WHEN r.%s < %lld THEN '%s'", f->name, g->band_from[i], g->band_code[i - 1]);
        cia_buf_printf(b, " ELSE '%s' END", g->band_code[g->nband - 1]);
        break;
    }
}

int cia_groups_sql(const cia_spec *s, cia_buf *out, cia_err *e)
{
    cia_groups *g;
    int rc = cia_groups_new(&g, s, 1 << 16, e);
    if (rc) return rc;
    /* A spec with a lag line keeps a group function written by hand: the
     * delay goes into the delivery row (schema/0007's group_convictions). */
    if (!g || !cia_groups_has_table(g) || s->lag) {
        cia_groups_free(g);
        return CIA_OK;
    }
    int ok = plain_ident(s->service) && plain_ident(s->table);
    for (size_t i = 0; i < s->nfields; i++) ok = ok && plain_ident(s->fields[i].name);
    if (!ok) {
        cia_groups_free(g);
        return cia_fail(e, CIA_EINTERNAL, "%s spec: service, table and field names must be lower-case "
                        "identifiers to make its group table", s->service);
    }
    size_t n = cia_groups_ncols(g), ncount = 3 + s->ngroups;
    cia_buf_printf(out, "-- %s (etl/specs/%s.spec)\nCREATE TABLE IF NOT EXISTS %s_group (", s->service, s->service,
                   s->service);
    for (size_t i = 0; i < n; i++) {
        const char *name = cia_groups_col_name(g, i);
        size_t nl = strlen(name);
        int not_null = i < 3 || i == ncount || (nl > 6 && !strcmp(name + nl - 6, "_known"));
        cia_buf_printf(out, "%s\n    %s %s%s", i ? "," : "", name, cia_groups_col_type(g, i),
                       not_null ? " NOT NULL" : "");
    }
    cia_buf_printf(out, "\n);\nCREATE OR REPLACE FUNCTION group_%s(d bigint) RETURNS void LANGUAGE sql AS $$\n"
                   "    INSERT INTO %s_group\n    SELECT d,\n        ", s->service, s->service);
    if (s->scope >= 0) cia_buf_printf(out, "r.%s", s->fields[s->scope].name);
    else cia_buf_adds(out, "''");
    cia_buf_adds(out, ",\n        ");
    year_of(out, &s->fields[s->primary]);
    for (size_t i = 0; i < s->ngroups; i++) {
        cia_buf_adds(out, ",\n        ");
        group_expr(out, s, &s->groups[i]);
    }
    cia_buf_adds(out, ",\n        count(*)");
    for (size_t i = 0; i < s->nsums; i++) {
        const struct cia_field *f = &s->fields[s->sums[i].field];
        if (s->sums[i].sign) cia_buf_printf(out, ",\n        sum((r.%s > 0)::int)", f->name);
        else if (f->type == CIA_T_BOOL) cia_buf_printf(out, ",\n        sum(r.%s::int)", f->name);
        else cia_buf_printf(out, ",\n        sum(r.%s)", f->name);
        cia_buf_printf(out, ", count(r.%s)", f->name);
    }
    cia_buf_printf(out, "\n    FROM %s r WHERE r.delivery_id = d\n    GROUP BY ", s->table);
    for (size_t i = 2; i <= ncount; i++) cia_buf_printf(out, "%s%zu", i > 2 ? ", " : "", i);
    cia_buf_adds(out, "\n$$;\n");
    cia_groups_free(g);
    return CIA_OK;
}

struct all { cia_buf *out; cia_err *e; int rc; };

static int one_spec(const char *path, const char *data, size_t len, void *arg)
{
    struct all *a = arg;
    size_t pl = strlen(path);
    if (a->rc || pl < 5 || strcmp(path + pl - 5, ".spec")) return 0;
    cia_spec *s;
    if ((a->rc = cia_spec_parse(&s, path, data, len, a->e))) return 0;
    size_t before = a->out->len;
    if (!(a->rc = cia_groups_sql(s, a->out, a->e)) && a->out->len > before) cia_buf_adds(a->out, "\n");
    cia_spec_free(s);
    return 0;
}

int cia_groups_sql_all(cia_buf *out, cia_err *e)
{
    cia_buf_adds(out,
        "-- groups.sql — GENERATED from the service specs' group and sum lines\n"
        "-- (etl/group_sql.c): do not edit; `make groups-sql` writes it again and\n"
        "-- tests/unit/test_group.c fails when it and the specs disagree.  Applied\n"
        "-- by the migrator after the migrations (schema/migrate.c): each service's\n"
        "-- group table (made when missing) and group_SERVICE(d), its groups\n"
        "-- counted again from a delivery's stored records.  A table's columns\n"
        "-- change only through a migration of its own.\n\n");
    struct all a = {out, e, CIA_OK};
    cia_embedded_each("etl/specs/", one_spec, &a);
    return a.rc;
}
