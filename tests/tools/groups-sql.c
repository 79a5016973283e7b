/* groups-sql.c — prints schema/groups.sql, the group tables and
 * group_SERVICE() functions made from the service specs (etl/group_sql.c).
 * `make groups-sql` runs it after a spec's group or sum lines change. */
#include <stdio.h>
#include "ciatteh/group.h"

int main(void)
{
    cia_buf b;
    cia_err e;
    cia_buf_init(&b);
    cia_err_clear(&e);
    if (cia_groups_sql_all(&b, &e)) {
        fprintf(stderr, "groups-sql: %s\n", e.msg);
        return 1;
    }
    fwrite(b.data, 1, b.len, stdout);
    cia_buf_free(&b);
    return 0;
}
