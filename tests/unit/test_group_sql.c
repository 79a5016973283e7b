/* test_group_sql.c — the group tables and group_SERVICE() made from the
 * specs (etl/group_sql.c): schema/groups.sql, checked in and applied by
 * the migrator, is exactly what the specs give today, and a spec's group
 * lines become the columns and expressions they say.  That the server's
 * groups equal the loader's is tests/ingest/test_groups.sh. */
#include <stdlib.h>
#include "ciatteh/group.h"
#include "unit.h"

static void checked_in_file_is_current(void)
{
    size_t len;
    const char *have = cia_embedded("schema/groups.sql", &len);
    CHECK(have != NULL);
    cia_buf b;
    cia_err e;
    cia_buf_init(&b);
    cia_err_clear(&e);
    CHECK_INT(cia_groups_sql_all(&b, &e), CIA_OK);
    if (have && (b.len != len || memcmp(b.data, have, len))) {
        fprintf(stderr, "  schema/groups.sql differs from what the specs give: run `make groups-sql`\n");
        unit_failures_in_test++;
    }
    /* every service with a group table, and only those */
    CHECK(b.data && strstr(b.data, "CREATE OR REPLACE FUNCTION group_police(d bigint)"));
    CHECK(b.data && strstr(b.data, "CREATE TABLE IF NOT EXISTS shelters_group ("));
    CHECK(b.data && !strstr(b.data, "group_convictions"));
    cia_buf_free(&b);
}

static void group_lines_become_sql(void)
{
    const char *t = "service x\ntitle X\ntable x_record\nprimary d\nscope c\nunique r\n"
                    "field d date required d\nfield r ref required r\nfield c code:centre required c\n"
                    "field a int optional a\nfield k bool optional k\nfield m amount optional m\n"
                    "group yr d year\ngroup band a band 0=LOW 10=MID 65=HIGH\ngroup pos m sign\n"
                    "sum ks k\nsum ms m sign\n";
    cia_spec *s = NULL;
    cia_err e;
    cia_err_clear(&e);
    CHECK_INT(cia_spec_parse(&s, "x.spec", t, strlen(t), &e), CIA_OK);
    if (!s) { fprintf(stderr, "  %s\n", e.msg); return; }
    cia_buf b;
    cia_buf_init(&b);
    CHECK_INT(cia_groups_sql(s, &b, &e), CIA_OK);
    const char *want[] = {
        "CREATE TABLE IF NOT EXISTS x_group (\n    delivery_id bigint NOT NULL,\n    scope text NOT NULL,\n"
        "    dyear integer NOT NULL,\n    yr integer,\n    band text,\n    pos boolean,\n    n bigint NOT NULL,\n"
        "    ks bigint,\n    ks_known bigint NOT NULL,\n    ms bigint,\n    ms_known bigint NOT NULL\n);",
        "SELECT d,\n        r.c,\n        yr(r.d),\n        yr(r.d),\n",
        "CASE WHEN r.a IS NULL OR r.a < 0 THEN NULL WHEN r.a < 10 THEN 'LOW' WHEN r.a < 65 THEN 'MID' "
        "ELSE 'HIGH' END,\n",
        "(r.m > 0),\n        count(*),\n        sum(r.k::int), count(r.k),\n        sum((r.m > 0)::int), count(r.m)\n",
        "FROM x_record r WHERE r.delivery_id = d\n    GROUP BY 2, 3, 4, 5, 6\n$$;\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!b.data || !strstr(b.data, want[i])) {
            fprintf(stderr, "  missing:\n%s\n  in:\n%s\n", want[i], b.data ? b.data : "");
            unit_failures_in_test++;
        }
    cia_buf_free(&b);
    cia_spec_free(s);
}

UNIT_MAIN(T(checked_in_file_is_current), T(group_lines_become_sql))
