/* date.h — calendar dates for every layer (src/core/date.c): parsing the
 * accepted forms, and the day in an explicitly given time zone. */
#ifndef CIATTEH_DATE_H
#define CIATTEH_DATE_H

#include <stddef.h>
#include <time.h>

/* A time zone as offsets from UTC in seconds: standard time, and the
 * summer time added under the EU rule (0: none). */
typedef struct cia_zone { int utc_offset, dst_offset; } cia_zone;
/* The warehouse's zone: every "today" and as-of day is a day in Brussels. */
extern const cia_zone cia_zone_brussels;

/* The calendar day of instant t in zone z, as yyyymmdd. */
int cia_date_in(time_t t, const cia_zone *z);
/* Today as yyyymmdd: $CIATTEH_TODAY (YYYY-MM-DD) or the day in Brussels. */
int cia_today(void);
/* Parse a date in one of the accepted forms (YYYY-MM-DD, DD/MM/YYYY,
 * DD-MM-YYYY) into yyyymmdd; 0 if not, with why a date is impossible. */
int cia_parse_date(const char *s, size_t n, int *ymd, char *why, size_t whylen);

/* The n decimal digits at s as a number; 0 when not all digits (or n = 0). */
int cia_digits(const char *s, size_t n, int *v);

#endif
