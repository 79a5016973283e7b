/* home.c — where ciatteh keeps its state ($CIATTEH_HOME): the private
 * cluster (schema/cluster.c), the pseudonym key (etl/pseudonym.c).  In the
 * core because layers on either side need it. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "ciatteh/home.h"

static char home_buf[4096];

const char *cia_home(void)
{
    if (home_buf[0]) return home_buf;
    const char *h = getenv("CIATTEH_HOME");
    if (h && *h) snprintf(home_buf, sizeof home_buf, "%s", h);
    else if (geteuid() == 0) snprintf(home_buf, sizeof home_buf, "/var/lib/ciatteh");
    else if ((h = getenv("XDG_DATA_HOME")) && *h) snprintf(home_buf, sizeof home_buf, "%s/ciatteh", h);
    else snprintf(home_buf, sizeof home_buf, "%s/.local/share/ciatteh", getenv("HOME") ? getenv("HOME") : "/tmp");
    /* The socket directory is handed to postgres as an absolute path. */
    if (home_buf[0] != '/') {
        char cwd[2048];
        if (getcwd(cwd, sizeof cwd)) {
            char tmp[4096];
            snprintf(tmp, sizeof tmp, "%s/%s", cwd, home_buf);
            snprintf(home_buf, sizeof home_buf, "%s", tmp);
        }
    }
    return home_buf;
}
