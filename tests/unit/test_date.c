/* test_date.c — src/core/date.c: the day in Brussels from the zone passed
 * explicitly (no TZ), checked at the summer-time changes and against the
 * system's time zone database hour by hour over 1996-2040. */
#include <stdlib.h>
#include <time.h>
#include "ciatteh/date.h"
#include "unit.h"

static time_t utc(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900; tm.tm_mon = mo - 1; tm.tm_mday = d; tm.tm_hour = h; tm.tm_min = mi;
    return timegm(&tm);
}

static void at_the_changes(void)
{
    const cia_zone *z = &cia_zone_brussels;
    CHECK_INT(cia_date_in(utc(2024, 3, 30, 22, 59), z), 20240330);   /* 23:59 CET */
    CHECK_INT(cia_date_in(utc(2024, 3, 30, 23, 0), z), 20240331);    /* 00:00 CET */
    CHECK_INT(cia_date_in(utc(2024, 7, 1, 21, 59), z), 20240701);    /* 23:59 CEST */
    CHECK_INT(cia_date_in(utc(2024, 7, 1, 22, 0), z), 20240702);     /* 00:00 CEST */
    CHECK_INT(cia_date_in(utc(2024, 10, 26, 22, 0), z), 20241027);   /* 00:00 CEST, the last night */
    CHECK_INT(cia_date_in(utc(2024, 12, 31, 23, 0), z), 20250101);
    cia_zone plain = {0, 0};
    CHECK_INT(cia_date_in(utc(2024, 12, 31, 23, 0), &plain), 20241231);
}

/* Single-threaded test: TZ may be set here (never in the program). */
static void as_the_zone_database(void)
{
    setenv("TZ", "Europe/Brussels", 1);
    tzset();
    int bad = 0;
    for (time_t t = utc(1996, 1, 1, 0, 30); t < utc(2040, 1, 1, 0, 0) && bad < 5; t += 3600) {
        struct tm tm;
        localtime_r(&t, &tm);
        int want = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
        int got = cia_date_in(t, &cia_zone_brussels);
        if (got != want) { CHECK_INT(got, want); bad++; }
    }
    unsetenv("TZ");
    tzset();
}

static void today_override(void)
{
    setenv("CIATTEH_TODAY", "2023-02-28", 1);
    CHECK_INT(cia_today(), 20230228);
    unsetenv("CIATTEH_TODAY");
    CHECK(cia_today() > 20240101);
}

UNIT_MAIN(T(at_the_changes), T(as_the_zone_database), T(today_override))
