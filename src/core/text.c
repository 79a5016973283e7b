/* text.c — encodings and matching rules of the extracts: UTF-8 validity,
 * Windows-1252 to UTF-8, case/space folding (accented capitals included)
 * and the "not known" markers.  Folding is done by hand for Latin-1 and
 * Latin Extended-A rather than with towlower(): only the C.UTF-8 locale
 * exists on our machines and results must not depend on the locale. */
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include "ciatteh/text.h"

size_t cia_utf8_valid_prefix(const unsigned char *p, size_t n, int *incomplete)
{
    size_t i = 0;
    if (incomplete) *incomplete = 0;
    while (i < n) {
        /* Extracts are mostly ASCII: skip it eight bytes at a time (every
         * file is checked whole before it is read). */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned char c = p[i];
        if (c < 0x80) { i++; continue; }
        size_t len;
        unsigned int cp;
        if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
        else return i;
        if (i + len > n) {
            /* A sequence cut by the end of the buffer: maybe valid later. */
            int ok = 1;
            for (size_t k = 1; i + k < n; k++) if ((p[i + k] & 0xC0) != 0x80) ok = 0;
            if (ok && incomplete) *incomplete = 1;
            return i;
        }
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        /* Overlong forms, surrogates and beyond U+10FFFF are invalid. */
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return n;
}

/* Windows-1252 0x80–0x9F; 0 = undefined (mapped to U+FFFD). */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static void put_utf8(cia_buf *out, unsigned int cp)
{
    char b[4];
    if (cp < 0x80) { b[0] = (char)cp; cia_buf_add(out, b, 1); }
    else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        cia_buf_add(out, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        cia_buf_add(out, b, 3);
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        cia_buf_add(out, b, 4);
    }
}

void cia_cp1252_to_utf8(cia_buf *out, const unsigned char *p, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x80) { run++; continue; }
        if (run) cia_buf_add(out, p + i - run, run);
        run = 0;
        unsigned int cp = p[i] < 0xA0 ? cp1252_high[p[i] - 0x80] : p[i];
        put_utf8(out, cp ? cp : 0xFFFD);
    }
    if (run) cia_buf_add(out, p + n - run, run);
}

/* Decode one UTF-8 code point (input already valid); returns its length. */
static size_t decode(const unsigned char *p, size_t n, unsigned int *cp)
{
    if (p[0] < 0x80 || n < 2) { *cp = p[0]; return 1; }
    if ((p[0] & 0xE0) == 0xC0) { *cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3F); return 2; }
    if ((p[0] & 0xF0) == 0xE0 && n >= 3) {
        *cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3F);
        return 3;
    }
    if (n >= 4) {
        *cp = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3F);
        return 4;
    }
    *cp = p[0];
    return 1;
}

static unsigned int lower(unsigned int cp)
{
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
    if (cp >= 0x100 && cp <= 0x137 && !(cp & 1)) return cp + 1;
    if (cp >= 0x139 && cp <= 0x148 && (cp & 1)) return cp + 1;
    if (cp >= 0x14A && cp <= 0x177 && !(cp & 1)) return cp + 1;
    if (cp == 0x178) return 0xFF;
    if (cp >= 0x179 && cp <= 0x17E && (cp & 1)) return cp + 1;
    return cp;
}

/* Base letter of a lower-case accented Latin letter, 0 if none. */
static unsigned int base_letter(unsigned int cp)
{
    static const char latin1[] =   /* U+00E0..U+00FF */
        "aaaaaaaceeeeiiii" "dnooooo\0ouuuuyty";
    if (cp >= 0xE0 && cp <= 0xFF && cp != 0xF7) return (unsigned char)latin1[cp - 0xE0];
    if (cp >= 0x100 && cp <= 0x17F) {
        static const char ext[] =   /* U+0100..U+017F, pairs folded */
            "aaaaaaccccccccdddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii" "ii" "jj" "kkk"
            "llllllllll" "nnnnnnnnn" "oooooo" "oo" "rrrrrr" "ssssssss" "tttttt"
            "uuuuuuuuuuuu" "ww" "yyy" "zzzzzz" "s";
        size_t k = cp - 0x100;
        if (k < sizeof ext - 1) return (unsigned char)ext[k];
    }
    return 0;
}

static void fold_impl(cia_buf *out, const char *s, size_t n, int strip_accents)
{
    cia_buf_reset(out);
    const unsigned char *p = (const unsigned char *)s;
    int pending_space = 0;
    size_t i = 0;
    while (i < n) {
        unsigned int cp;
        size_t len = decode(p + i, n - i, &cp);
        i += len;
        if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0xA0 || cp == 0x202F) {
            pending_space = out->len > 0;
            continue;
        }
        if (pending_space) cia_buf_addc(out, ' ');
        pending_space = 0;
        cp = lower(cp);
        if (strip_accents) {
            unsigned int b = base_letter(cp);
            if (cp == 0xDF) { cia_buf_adds(out, "ss"); continue; }
            if (cp == 0xE6) { cia_buf_adds(out, "ae"); continue; }
            if (cp == 0x153) { cia_buf_adds(out, "oe"); continue; }
            if (b) cp = b;
            /* Typographic apostrophes match the plain one. */
            if (cp == 0x2019 || cp == 0x2018) cp = '\'';
        }
        put_utf8(out, cp);
    }
    if (!out->data) cia_buf_add(out, "", 0);
}

void cia_fold(cia_buf *out, const char *s, size_t n)
{
    fold_impl(out, s, n, 0);
}

void cia_fold_noaccent(cia_buf *out, const char *s, size_t n)
{
    fold_impl(out, s, n, 1);
}

int cia_is_unknown_marker(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    if (n == 0) return 1;
    /* Called for every field of every record: lengths first, so that a
     * value that cannot be a marker costs one comparison. */
    static const struct { const char *s; size_t n; } markers[] = {
        {"-", 1}, {"?", 1}, {"n/a", 3}, {"inconnu", 7}, {"onbekend", 8}, {"unknown", 7},
    };
    if (n > 8) return 0;
    for (size_t i = 0; i < sizeof markers / sizeof *markers; i++)
        if (markers[i].n == n && strncasecmp(markers[i].s, s, n) == 0) return 1;
    return 0;
}

char *cia_trim(char *s)
{
    char *p = s;
    while (*p == ' ' || *p == '\t') p++;
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
    memmove(s, p, n);
    s[n] = '\0';
    return s;
}

int cia_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int cia_is_year_key(const char *k)
{
    if (!k || strlen(k) != 4) return 0;
    for (int i = 0; i < 4; i++)
        if (k[i] < '0' || k[i] > '9') return 0;
    return 1;
}

int cia_is_ident(const char *s)
{
    if (!s || !*s || strlen(s) > 64) return 0;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}
