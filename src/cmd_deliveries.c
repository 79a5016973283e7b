/* cmd_deliveries.c — `ciatteh deliveries`: every delivery and its history. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "ciatteh/cli.h"
#include "ciatteh/db.h"
#include "ciatteh/util.h"

static int deliveries_main(int argc, char **argv, struct cia_ctx *ctx, cia_err *e)
{
    static const struct option opts[] = {
        {"service", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *service = NULL, *format = "table";
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 's') service = optarg;
        else if (c == 'f') format = optarg;
        else return cia_cmd_usage_error(e, "deliveries", "unknown option");
    }
    if (strcmp(format, "table") && strcmp(format, "csv"))
        return cia_cmd_usage_error(e, "deliveries", "--format must be table or csv");
    cia_db db;
    int rc = cia_db_open(&db, ctx->db, e);
    if (rc) return rc;
    PGresult *r;
    const char *p[1] = {service};
    rc = cia_db_query(&db, e, &r,
        "SELECT id, service, file_name, sha256, rows, rejected_rows, partial, coalesce(years, ''), "
        "       coalesce(scopes, ''), to_char(loaded_at AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD HH24:MI:SS'), "
        "       loaded_by || CASE WHEN os_user <> '' AND os_user <> loaded_by THEN ' (' || os_user || ')' ELSE '' END, "
        "       coalesce(replaces, ''), coalesce(replaced_by, ''), encoding "
        "FROM delivery_history WHERE $1::text IS NULL OR service = $1 ORDER BY id", 1, p);
    if (rc) { cia_db_close(&db); return rc; }
    static const char *const heads[] = {"id", "service", "file", "sha256", "rows", "rejected", "partial",
                                        "years", "scope", "loaded_at", "loaded_by", "replaces",
                                        "replaced_by", "encoding"};
    if (!strcmp(format, "csv")) {
        cia_buf b;
        cia_buf_init(&b);
        for (int k = 0; k < 14; k++) cia_buf_printf(&b, "%s%s", k ? "," : "", heads[k]);
        cia_buf_addc(&b, '\n');
        for (int i = 0; i < PQntuples(r); i++) {
            for (int k = 0; k < 14; k++) {
                if (k) cia_buf_addc(&b, ',');
                cia_buf_add_csv_text(&b, PQgetvalue(r, i, k), ',');   /* file names: never formulas */
            }
            cia_buf_addc(&b, '\n');
        }
        fputs(b.data, stdout);
        cia_buf_free(&b);
    } else {
        printf("%-4s %-13s %-28s %-12s %8s %8s %-11s %-19s %s\n", "id", "service", "file", "sha256", "rows",
               "rejected", "years", "loaded at", "history");
        for (int i = 0; i < PQntuples(r); i++) {
            char hist[256] = "";
            if (*PQgetvalue(r, i, 11)) snprintf(hist, sizeof hist, "replaces #%s", PQgetvalue(r, i, 11));
            if (*PQgetvalue(r, i, 12))
                snprintf(hist + strlen(hist), sizeof hist - strlen(hist), "%sreplaced by #%s",
                         hist[0] ? "; " : "", PQgetvalue(r, i, 12));
            printf("%-4s %-13s %-28.28s %-12.12s %8s %8s %-11s %-19s %s%s%s%s%s\n", PQgetvalue(r, i, 0),
                   PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4),
                   PQgetvalue(r, i, 5), PQgetvalue(r, i, 7), PQgetvalue(r, i, 9), hist,
                   PQgetvalue(r, i, 6)[0] == 't' ? " partial" : "",
                   *PQgetvalue(r, i, 8) ? " [" : "", PQgetvalue(r, i, 8), *PQgetvalue(r, i, 8) ? "]" : "");
        }
    }
    PQclear(r);
    cia_db_close(&db);
    return CIA_OK;
}

const struct cia_cmd cia_cmd_deliveries = {
    "deliveries", deliveries_main, "list every delivery and what replaced what",
    "usage: ciatteh deliveries [--service SERVICE] [--format table|csv]\n"
    "\n"
    "Every delivery ever loaded (nothing is deleted): service, file, SHA-256,\n"
    "rows, rejected rows, years covered, when and by whom it was loaded, the\n"
    "deliveries it replaced for those years and those that replaced it.\n",
};
