/* cmd_items.c — `ciatteh items`: the item catalogue in a chosen language. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/cli.h"
#include "ciatteh/db.h"
#include "ciatteh/util.h"

/* Does a dims list ("offence,form,district") hold the offence?  Such an
 * item counts THB in the figure layer unless the offence is asked. */
static int has_offence(const char *dims)
{
    char *hay = cia_xasprintf(",%s,", dims);
    int has = strstr(hay, ",offence,") != NULL;
    free(hay);
    return has;
}

static int items_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    static const struct option opts[] = {
        {"lang", required_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *lang = "en", *format = "table";
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'l') lang = optarg;
        else if (c == 'f') format = optarg;
        else return cia_cmd_usage_error(e, "items", "unknown option");
    }
    if (strcmp(lang, "en") && strcmp(lang, "fr") && strcmp(lang, "nl"))
        return cia_cmd_usage_error(e, "items", "--lang must be en, fr or nl");
    if (strcmp(format, "table") && strcmp(format, "csv"))
        return cia_cmd_usage_error(e, "items", "--format must be table or csv");
    if (optind != argc) return cia_cmd_usage_error(e, "items", "no arguments expected");
    cia_db db;
    int rc = cia_db_open(&db, ctx->db, e);
    if (rc) return rc;
    PGresult *r;
    const char *p[1] = {lang};
    rc = cia_db_query(&db, e, &r,
        "SELECT i.code, i.unit, CASE $1 WHEN 'fr' THEN s.label_fr WHEN 'nl' THEN s.label_nl ELSE s.label_en END, "
        "       i.year_rule, i.dims, "
        "       CASE $1 WHEN 'fr' THEN i.label_fr WHEN 'nl' THEN i.label_nl ELSE i.label_en END, "
        "       CASE $1 WHEN 'fr' THEN i.def_fr WHEN 'nl' THEN i.def_nl ELSE i.def_en END, i.provisional "
        "FROM item i JOIN service s ON s.code = i.service ORDER BY i.sort", 1, p);
    if (rc) { cia_db_close(&db); return rc; }
    if (!strcmp(format, "csv")) {
        cia_buf b;
        cia_buf_init(&b);
        cia_buf_adds(&b, "item,unit,source,year_of,dimensions,label,definition,counts\n");
        for (int i = 0; i < PQntuples(r); i++) {
            for (int k = 0; k < 7; k++) {
                if (k) cia_buf_addc(&b, ',');
                cia_buf_add_csv(&b, PQgetvalue(r, i, k), ',');
            }
            cia_buf_printf(&b, ",%s\n", has_offence(PQgetvalue(r, i, 4)) ? "offence=THB" : "");
        }
        fputs(b.data, stdout);
        cia_buf_free(&b);
    } else {
        for (int i = 0; i < PQntuples(r); i++) {
            printf("%s — %s\n  unit: %s; source: %s; year of: %s%s\n  %s\n  dimensions: %s\n%s\n",
                   PQgetvalue(r, i, 0), PQgetvalue(r, i, 5), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
                   PQgetvalue(r, i, 3),
                   !strcmp(PQgetvalue(r, i, 7), "registration_lag") ? " (recent years provisional)" : "",
                   PQgetvalue(r, i, 6), PQgetvalue(r, i, 4),
                   has_offence(PQgetvalue(r, i, 4))
                       ? "  counts THB only unless asked --where offence=SMUG or --by offence "
                         "(offences are never added together)\n" : "");
        }
    }
    PQclear(r);
    cia_db_close(&db);
    return CIA_OK;
}

const struct cia_cmd cia_cmd_items = {
    "items", items_main, "list the standard items (units, definitions)",
    "usage: ciatteh items [--lang en|fr|nl] [--format table|csv]\n"
    "\n"
    "The item catalogue: code, unit, source service, the date whose year\n"
    "counts, the dimensions it can be broken down by, and its label and\n"
    "definition in English, French or Dutch.\n",
};
