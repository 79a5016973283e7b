/* home.h — ciatteh's state directory (src/core/home.c). */
#ifndef CIATTEH_HOME_H
#define CIATTEH_HOME_H

/* $CIATTEH_HOME, else /var/lib/ciatteh for root, else
 * $XDG_DATA_HOME/ciatteh or ~/.local/share/ciatteh; absolute.  Static
 * storage. */
const char *cia_home(void);

#endif
