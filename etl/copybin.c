/* copybin.c — the out-of-line part of the COPY binary encoders (see
 * include/ciatteh/copybin.h): numeric, which is longer and rarer than the
 * integer and date encoders kept inline in the header. */
#include "ciatteh/copybin.h"

/* An amount as the validator writes it ("1500.00": digits, a point, two
 * digits) → numeric's binary form: base-10000 digits, the weight of the
 * first, sign, display scale 2.  The server normalises it. */
unsigned char *cia_put_numeric(unsigned char *p, const char *text)
{
    long long cents = 0;
    for (const char *c = text; *c; c++)
        if (*c >= '0' && *c <= '9') cents = cents * 10 + (*c - '0');
    long long whole = cents / 100;
    int frac = (int)(cents % 100);
    uint16_t d[6];
    int n = 0;
    for (long long w = whole; w; w /= 10000) d[n++] = (uint16_t)(w % 10000);
    int weight = n - 1;               /* of the first (most significant) digit */
    for (int i = 0; i < n / 2; i++) { uint16_t t = d[i]; d[i] = d[n - 1 - i]; d[n - 1 - i] = t; }
    if (frac) d[n++] = (uint16_t)(frac * 100);
    if (!n) weight = 0;               /* zero: no digits */
    p = cia_put32(p, (uint32_t)(8 + 2 * n));
    p = cia_put16(cia_put16(cia_put16(cia_put16(p, (uint16_t)n), (uint16_t)weight), 0 /* positive */), 2 /* scale */);
    for (int i = 0; i < n; i++) p = cia_put16(p, d[i]);
    return p;
}
