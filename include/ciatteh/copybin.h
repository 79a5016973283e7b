/* copybin.h — PostgreSQL's COPY binary format, the encoders shared by the
 * record loader (etl/load.c) and the client-side groups (etl/group.c):
 * big-endian integers, dates, numerics, the stream's header and trailer.
 * The small ones are static inline because they run for every value of
 * every record; a call into another object file (no LTO) would cost more
 * than the work. */
#ifndef CIATTEH_COPYBIN_H
#define CIATTEH_COPYBIN_H

#include <stdint.h>
#include <string.h>

/* Bytes of the header (11-byte signature, int32 flags, int32 extension
 * length) and of the trailer (int16 -1). */
#define CIA_COPY_HEADER_LEN 19
#define CIA_COPY_TRAILER_LEN 2

static inline unsigned char *cia_put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
    return p + 2;
}

static inline unsigned char *cia_put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
    return p + 4;
}

static inline unsigned char *cia_put64(unsigned char *p, uint64_t v)
{
    return cia_put32(cia_put32(p, (uint32_t)(v >> 32)), (uint32_t)v);
}

/* yyyymmdd → days since 2000-01-01, PostgreSQL's date epoch (days from
 * the civil date, after H. Hinnant's algorithm). */
static inline int32_t cia_pg_date(long long ymd)
{
    int y = (int)(ymd / 10000), m = (int)(ymd / 100 % 100), d = (int)(ymd % 100);
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 /* to 1970-01-01 */ - 10957 /* to 2000-01-01 */;
}

/* The stream's header: signature, flags 0, no extension; returns p + 19. */
static inline unsigned char *cia_copy_header(unsigned char *p)
{
    static const unsigned char sig[11] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xFF, '\r', '\n', 0};
    memcpy(p, sig, 11);
    return cia_put32(cia_put32(p + 11, 0), 0);
}

/* The trailer: a tuple count of -1, no more tuples; returns p + 2. */
static inline unsigned char *cia_copy_trailer(unsigned char *p)
{
    return cia_put16(p, UINT16_MAX);
}

/* Longest value cia_put_numeric writes (length word included): the
 * validator allows 12 digits before the point (3 base-10000 digits, plus
 * one for the cents); the encoder has room for 6. */
#define CIA_NUMERIC_MAX (4 + 8 + 2 * 6)

/* An amount as the validator writes it ("1500.00": digits, a point, two
 * digits) → numeric's binary form, length word included; returns the end. */
unsigned char *cia_put_numeric(unsigned char *p, const char *text);

#endif
