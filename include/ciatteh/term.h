/* term.h — the terminal: its width and its character set (src/core/term.c). */
#ifndef CIATTEH_TERM_H
#define CIATTEH_TERM_H

/* Columns available for text on standard output: COLUMNS when set (20 or
 * more), else the terminal's width when standard output is one, else 0
 * (a file or a pipe: no limit). */
int cia_term_width(void);
/* 1 when the environment's locale (LC_ALL / LC_CTYPE / LANG) is UTF-8. */
int cia_term_utf8(void);
/* When standard output or standard error is a terminal whose locale is not
 * UTF-8, replace that stream by one that writes ASCII (transliterated).
 * Called once by main() before anything is printed. */
void cia_term_setup(void);

#endif
