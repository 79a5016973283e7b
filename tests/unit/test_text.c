/* test_text.c — src/core/text.c: UTF-8 validity (cut sequences included),
 * Windows-1252 to UTF-8 (the 0x80–0x9F block: € Œ œ ’ ...), folding for
 * matching (case, accented capitals, spaces; the accent-free key) and the
 * "not known" markers of FORMATS.md. */
#include <string.h>
#include "ciatteh/text.h"
#include "ciatteh/util.h"
#include "unit.h"

#define U(s) (const unsigned char *)(s), sizeof(s) - 1

static size_t prefix(const char *s, size_t n, int *inc)
{
    return cia_utf8_valid_prefix((const unsigned char *)s, n, inc);
}

static void utf8_valid_text(void)
{
    int inc = -1;
    CHECK_INT(cia_utf8_valid_prefix(U("plain ASCII;1;2\r\n"), &inc), 17);
    CHECK_INT(inc, 0);
    CHECK_INT(cia_utf8_valid_prefix(U("Li\xc3\xa8ge"), &inc), 6);                 /* Liège */
    CHECK_INT(cia_utf8_valid_prefix(U("\xe2\x82\xac 12"), &inc), 6);              /* € 12 */
    CHECK_INT(cia_utf8_valid_prefix(U("\xf0\x9f\x98\x80"), &inc), 4);             /* U+1F600 */
    CHECK_INT(cia_utf8_valid_prefix(U("\xf4\x8f\xbf\xbf"), &inc), 4);             /* U+10FFFF */
    CHECK_INT(cia_utf8_valid_prefix(U(""), &inc), 0);
    CHECK_INT(inc, 0);
    CHECK_INT(cia_utf8_valid_prefix(U("ok"), NULL), 2);                           /* NULL allowed */
}

static void utf8_invalid_sequences(void)
{
    int inc = -1;
    CHECK_INT(prefix("Li\xe8ge", 5, &inc), 2);          /* Windows-1252 è */
    CHECK_INT(inc, 0);
    CHECK_INT(prefix("\x80", 1, &inc), 0);              /* lone continuation byte */
    CHECK_INT(inc, 0);
    CHECK_INT(prefix("a\xc0\xaf", 3, &inc), 1);         /* overlong '/' (C0) */
    CHECK_INT(prefix("a\xc1\xbf", 3, &inc), 1);         /* overlong (C1) */
    CHECK_INT(prefix("a\xe0\x80\xaf", 4, &inc), 1);     /* overlong, three bytes */
    CHECK_INT(prefix("a\xf0\x80\x80\xaf", 5, &inc), 1); /* overlong, four bytes */
    CHECK_INT(prefix("a\xed\xa0\x80", 4, &inc), 1);     /* surrogate D800 */
    CHECK_INT(prefix("a\xf4\x90\x80\x80", 5, &inc), 1); /* beyond U+10FFFF */
    CHECK_INT(prefix("a\xf5\x80\x80\x80", 5, &inc), 1); /* F5 is never a lead byte */
    CHECK_INT(prefix("a\xff", 2, &inc), 1);
    CHECK_INT(prefix("\xc3\x28", 2, &inc), 0);          /* lead then a non-continuation */
    CHECK_INT(inc, 0);
    CHECK_INT(prefix("\xe2\x82\x28", 3, &inc), 0);
    CHECK_INT(inc, 0);
}

/* A sequence cut by the end of the buffer: maybe valid with the next chunk. */
static void utf8_cut_sequences(void)
{
    int inc = -1;
    CHECK_INT(prefix("ab\xc3", 3, &inc), 2);
    CHECK_INT(inc, 1);
    inc = -1;
    CHECK_INT(prefix("ab\xe2\x82", 4, &inc), 2);        /* € cut after two bytes */
    CHECK_INT(inc, 1);
    inc = -1;
    CHECK_INT(prefix("ab\xe2", 3, &inc), 2);            /* € cut after one byte */
    CHECK_INT(inc, 1);
    inc = -1;
    CHECK_INT(prefix("ab\xf0\x9f\x98", 5, &inc), 2);    /* emoji cut after three bytes */
    CHECK_INT(inc, 1);
    inc = -1;
    CHECK_INT(prefix("ab\xe2x", 4, &inc), 2);           /* not cut: broken */
    CHECK_INT(inc, 0);
    inc = -1;
    CHECK_INT(prefix("ab\xf0\x9f" "x", 5, &inc), 2);
    CHECK_INT(inc, 0);
    /* The whole buffer once the rest has arrived. */
    CHECK_INT(prefix("ab\xe2\x82\xac", 5, &inc), 5);
    CHECK_INT(inc, 0);
}

static const char *conv(cia_buf *b, const char *s, size_t n)
{
    cia_buf_reset(b);
    cia_cp1252_to_utf8(b, (const unsigned char *)s, n);
    cia_buf_addc(b, '\0');
    return b->data;
}
#define CONV(b, s) conv(b, s, sizeof(s) - 1)

static void cp1252_to_utf8(void)
{
    cia_buf b;
    cia_buf_init(&b);
    CHECK_STR(CONV(&b, "Li\xe8ge;Anvers"), "Li\xc3\xa8ge;Anvers");                 /* Liège */
    CHECK_STR(CONV(&b, "EXPLOITATION \xc9" "CONOMIQUE"), "EXPLOITATION \xc3\x89" "CONOMIQUE");
    CHECK_STR(CONV(&b, "traite des \xeatres"), "traite des \xc3\xaatres");         /* ê */
    CHECK_STR(CONV(&b, "\x80"), "\xe2\x82\xac");                                   /* € */
    CHECK_STR(CONV(&b, "1\xa0" "500 \x80"), "1\xc2\xa0" "500 \xe2\x82\xac");       /* NBSP, € */
    CHECK_STR(CONV(&b, "\x8c" "uvre \x9c" "uvre"), "\xc5\x92uvre \xc5\x93uvre");    /* Œ œ */
    CHECK_STR(CONV(&b, "d\x92\xeatres"), "d\xe2\x80\x99\xc3\xaatres");             /* ’ */
    CHECK_STR(CONV(&b, "\x8a\x9a\x8e\x9e\x9f"), "\xc5\xa0\xc5\xa1\xc5\xbd\xc5\xbe\xc5\xb8"); /* Š š Ž ž Ÿ */
    CHECK_STR(CONV(&b, "\x84\x93\x94\x96\x97\x85"),
              "\xe2\x80\x9e\xe2\x80\x9c\xe2\x80\x9d\xe2\x80\x93\xe2\x80\x94\xe2\x80\xa6"); /* „ “ ” – — … */
    CHECK_STR(CONV(&b, "\x99\x83\x89"), "\xe2\x84\xa2\xc6\x92\xe2\x80\xb0");       /* ™ ƒ ‰ */
    /* Undefined positions become U+FFFD rather than vanishing. */
    CHECK_STR(CONV(&b, "a\x81" "b\x8d\x8f\x90\x9d"),
              "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    CHECK_STR(CONV(&b, "\xa0\xe9\xff"), "\xc2\xa0\xc3\xa9\xc3\xbf");
    CHECK_STR(CONV(&b, "only ascii\r\n"), "only ascii\r\n");
    /* It appends. */
    cia_buf_reset(&b);
    cia_buf_adds(&b, "x=");
    cia_cp1252_to_utf8(&b, (const unsigned char *)"\xe8", 1);
    CHECK_STR(b.data, "x=\xc3\xa8");
    CHECK_INT(b.len, 4);
    cia_buf_free(&b);
}

static const char *fold(cia_buf *b, const char *s)
{
    cia_fold(b, s, strlen(s));
    return b->data;
}
static const char *fold_na(cia_buf *b, const char *s)
{
    cia_fold_noaccent(b, s, strlen(s));
    return b->data;
}

static void fold_case_and_spaces(void)
{
    cia_buf b;
    cia_buf_init(&b);
    CHECK_STR(fold(&b, "  EXPLOITATION   \xc3\x89" "CONOMIQUE  "), "exploitation \xc3\xa9" "conomique");
    CHECK_STR(fold(&b, "exploitation \xc3\xa9" "conomique"), "exploitation \xc3\xa9" "conomique");
    CHECK_STR(fold(&b, "S\xc3\x9cRYA"), "s\xc3\xbcrya");                    /* SÜRYA → sürya */
    CHECK_STR(fold(&b, "S\xc3\xbcrya"), "s\xc3\xbcrya");
    CHECK_STR(fold(&b, "LI\xc3\x88GE\t"), "li\xc3\xa8ge");                  /* LIÈGE */
    CHECK_STR(fold(&b, "TRAITE DES \xc3\x8aTRES HUMAINS"), "traite des \xc3\xaatres humains");
    CHECK_STR(fold(&b, "MISE \xc3\x80 L'INSTRUCTION"), "mise \xc3\xa0 l'instruction");
    CHECK_STR(fold(&b, "ROEMENI\xc3\x8b"), "roemeni\xc3\xab");              /* Ë */
    CHECK_STR(fold(&b, "\xc3\x87\xc3\x91\xc3\x98\xc3\x9e"), "\xc3\xa7\xc3\xb1\xc3\xb8\xc3\xbe"); /* ÇÑØÞ */
    CHECK_STR(fold(&b, "\xc3\x97"), "\xc3\x97");                            /* × has no case */
    CHECK_STR(fold(&b, "\xc5\x92UVRE"), "\xc5\x93uvre");                    /* Œ → œ */
    CHECK_STR(fold(&b, "\xc5\xa0KODA \xc5\xbdILINA"), "\xc5\xa1koda \xc5\xbeilina"); /* Š Ž */
    CHECK_STR(fold(&b, "\xc5\x81\xc3\x93""D\xc5\xb9"), "\xc5\x82\xc3\xb3""d\xc5\xba"); /* ŁÓDŹ */
    CHECK_STR(fold(&b, "\xc4\x8c\xc4\x8e\xc4\x9a\xc5\x87\xc5\x98"), "\xc4\x8d\xc4\x8f\xc4\x9b\xc5\x88\xc5\x99"); /* ČĎĚŇŘ */
    CHECK_STR(fold(&b, "\xc5\xb8"), "\xc3\xbf");                            /* Ÿ → ÿ */
    CHECK_STR(fold(&b, "a\xc2\xa0\xc2\xa0" "b"), "a b");                    /* no-break spaces */
    CHECK_STR(fold(&b, "a\xe2\x80\xaf" "b"), "a b");                        /* narrow no-break space */
    CHECK_STR(fold(&b, " \t "), "");
    CHECK_STR(fold(&b, ""), "");
    CHECK(b.data != NULL);
    /* The buffer is reset first. */
    fold(&b, "FIRST");
    CHECK_STR(fold(&b, "Second"), "second");
    cia_buf_free(&b);
}

static void fold_without_accents(void)
{
    cia_buf b;
    cia_buf_init(&b);
    CHECK_STR(fold_na(&b, "Roemeni\xc3\xab"), "roemenie");
    CHECK_STR(fold_na(&b, "EXPLOITATION \xc3\x89" "CONOMIQUE"), "exploitation economique");
    CHECK_STR(fold_na(&b, "C\xc3\xb4te d\xe2\x80\x99Ivoire"), "cote d'ivoire");   /* ô, ’ */
    CHECK_STR(fold_na(&b, "\xc5\x92UVRE"), "oeuvre");
    CHECK_STR(fold_na(&b, "Stra\xc3\x9f" "e"), "strasse");
    CHECK_STR(fold_na(&b, "C\xc3\x86SAR"), "caesar");
    CHECK_STR(fold_na(&b, "Espa\xc3\xb1" "a"), "espana");
    CHECK_STR(fold_na(&b, "\xc5\xa0" "KODA"), "skoda");
    CHECK_STR(fold_na(&b, "\xc3\x98" "stfold \xc3\x85"), "ostfold a");
    CHECK_STR(fold_na(&b, "T\xc3\xbcrkiye"), "turkiye");
    cia_buf_free(&b);
}

#define M(s) cia_is_unknown_marker(s, sizeof(s) - 1)

static void unknown_markers(void)
{
    CHECK(M(""));
    CHECK(M("   "));
    CHECK(M("-"));
    CHECK(M("?"));
    CHECK(M("n/a"));
    CHECK(M("N/A"));
    CHECK(M(" inconnu "));
    CHECK(M("Inconnu"));
    CHECK(M("onbekend"));
    CHECK(M("ONBEKEND"));
    CHECK(M("unknown"));
    CHECK(M("\tUnknown\t"));
    CHECK(!M("0"));            /* not known is not zero */
    CHECK(!M("no"));
    CHECK(!M("--"));
    CHECK(!M("n.a."));
    CHECK(!M("inconnue"));
    CHECK(!M("unknown x"));
    CHECK(!M("not known"));    /* a label (UNK), not a marker */
    CHECK(cia_is_unknown_marker("?x", 1));     /* length counts, not the NUL */
}

static void trim(void)
{
    char a[] = "  a b \t";
    CHECK_STR(cia_trim(a), "a b");
    char b[] = "\t\t";
    CHECK_STR(cia_trim(b), "");
    char c[] = "x";
    CHECK_STR(cia_trim(c), "x");
}

static void small_helpers(void)
{
    CHECK(cia_ends_with("pack.XLSX", ".xlsx"));
    CHECK(!cia_ends_with("xlsx", ".xlsx"));
    CHECK(cia_is_year_key("2024"));
    CHECK(!cia_is_year_key("202a") && !cia_is_year_key("20245") && !cia_is_year_key(NULL));
    CHECK(cia_is_ident("conviction.prison_suspended") && cia_is_ident("12_36") && cia_is_ident("a-b"));
    CHECK(!cia_is_ident("") && !cia_is_ident("a b") && !cia_is_ident("x;") && !cia_is_ident("x'"));
    char long_id[66];
    memset(long_id, 'a', 65);
    long_id[65] = '\0';
    CHECK(!cia_is_ident(long_id));
    long_id[64] = '\0';
    CHECK(cia_is_ident(long_id));
}

/* cia_grow: an array grown one element at a time is moved O(log n)
 * times, not n (each move a copy of the whole under the sanitizers). */
static void grow_doubles(void)
{
    int *v = NULL;
    size_t cap = 0, moves = 0;
    for (int i = 0; i < 1000; i++) {
        size_t before = cap;
        v = cia_grow(v, &cap, (size_t)i + 1, sizeof *v);
        if (cap != before) moves++;
        v[i] = i;
    }
    CHECK(cap >= 1000 && cap < 2000);
    CHECK(moves <= 8);
    int ok = 1;
    for (int i = 0; i < 1000; i++) ok &= v[i] == i;
    CHECK(ok);
    int *same = cia_grow(v, &cap, 10, sizeof *v);
    CHECK(same == v);
    free(v);
}

UNIT_MAIN(T(small_helpers), T(grow_doubles), T(utf8_valid_text), T(utf8_invalid_sequences), T(utf8_cut_sequences), T(cp1252_to_utf8),
          T(fold_case_and_spaces), T(fold_without_accents), T(unknown_markers), T(trim))
