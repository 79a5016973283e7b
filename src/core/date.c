/* date.c — calendar dates shared by every layer: the accepted forms of a
 * date in extracts and on the command line (cia_parse_date), and the day
 * it is in the warehouse's time zone (Europe/Brussels) computed from the
 * zone's rule passed explicitly, never through the TZ variable: setenv()
 * while other threads read the environment is undefined behaviour. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ciatteh/date.h"

/* Central European Time: UTC+1, summer time UTC+2 from the last Sunday of
 * March to the last Sunday of October, 01:00 UTC both (EU rule, 1996-). */
const cia_zone cia_zone_brussels = {3600, 3600};

static long long days_from_civil(int y, int m, int d)
{
    /* days since 1970-01-01 (H. Hinnant's algorithm) */
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

/* 00:00 UTC of the last Sunday of month m of year y, 01:00 UTC added. */
static long long last_sunday_0100(int y, int m)
{
    static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    long long day = days_from_civil(y, m, len[m - 1]);
    long long wd = (day + 4) % 7;           /* 1970-01-01 was a Thursday (4) */
    if (wd < 0) wd += 7;
    return (day - wd) * 86400 + 3600;
}

int cia_date_in(time_t t, const cia_zone *z)
{
    struct tm tm;
    time_t std = t + z->utc_offset;
    gmtime_r(&std, &tm);
    if (z->dst_offset) {
        int y = tm.tm_year + 1900;
        long long tt = (long long)t;
        if (tt >= last_sunday_0100(y, 3) && tt < last_sunday_0100(y, 10)) {
            time_t dst = std + z->dst_offset;
            gmtime_r(&dst, &tm);
        }
    }
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int cia_today(void)
{
    const char *env = getenv("CIATTEH_TODAY");
    int ymd;
    char why[64];
    if (env && *env && cia_parse_date(env, strlen(env), &ymd, why, sizeof why)) return ymd;
    return cia_date_in(time(NULL), &cia_zone_brussels);
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

int cia_digits(const char *s, size_t n, int *v)
{
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return n > 0;
}

static const char *const month_en[] = {"January", "February", "March", "April", "May", "June", "July",
                                       "August", "September", "October", "November", "December"};

int cia_parse_date(const char *s, size_t n, int *ymd, char *why, size_t whylen)
{
    int y, m, d;
    why[0] = '\0';
    if (n == 10 && s[4] == '-' && s[7] == '-') {
        if (!cia_digits(s, 4, &y) || !cia_digits(s + 5, 2, &m) || !cia_digits(s + 8, 2, &d)) return 0;
    } else if (n == 10 && (s[2] == '/' || s[2] == '-') && s[5] == s[2]) {
        if (!cia_digits(s, 2, &d) || !cia_digits(s + 3, 2, &m) || !cia_digits(s + 6, 4, &y)) return 0;
    } else {
        return 0;
    }
    if (m < 1 || m > 12) { snprintf(why, whylen, "there is no month %d", m); return 0; }
    if (d < 1 || d > days_in_month(y, m)) {
        snprintf(why, whylen, "there is no %d %s %d", d, month_en[m - 1], y);
        return 0;
    }
    *ymd = y * 10000 + m * 100 + d;
    return 1;
}

