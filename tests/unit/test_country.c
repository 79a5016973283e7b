/* test_country.c — nationality resolution and country names against the
 * installed iso-codes data, plus a small hand-made data set that pins the
 * .mo reader (both byte orders, unsorted tables) and the error messages. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "ciatteh/country.h"
#include "unit.h"

static cia_countries *load(void)
{
    cia_err e;
    cia_err_clear(&e);
    cia_countries *c = NULL;
    int rc = cia_countries_load(&c, &e);
    if (rc != CIA_OK) fprintf(stderr, "  load: %s\n", e.msg);
    CHECK_INT(rc, CIA_OK);
    CHECK(c != NULL);
    return c;
}

/* Spellings the shelters write, in their own languages. */
static void resolves_names_in_three_languages(void)
{
    cia_countries *c = load();
    if (!c) return;
    CHECK_STR(cia_country_resolve(c, "Roemenië"), "RO");
    CHECK_STR(cia_country_resolve(c, "Roumanie"), "RO");
    CHECK_STR(cia_country_resolve(c, "Romania"), "RO");
    CHECK_STR(cia_country_resolve(c, "Marokko"), "MA");
    CHECK_STR(cia_country_resolve(c, "Maroc"), "MA");
    CHECK_STR(cia_country_resolve(c, "Inde"), "IN");
    CHECK_STR(cia_country_resolve(c, "Albanie"), "AL");
    CHECK_STR(cia_country_resolve(c, "Albanië"), "AL");
    CHECK_STR(cia_country_resolve(c, "Belgique"), "BE");
    CHECK_STR(cia_country_resolve(c, "België"), "BE");
    CHECK_STR(cia_country_resolve(c, "Chine"), "CN");
    CHECK_STR(cia_country_resolve(c, "Nigeria"), "NG");
    CHECK_STR(cia_country_resolve(c, "Niger"), "NE");
    CHECK_STR(cia_country_resolve(c, "Thailand"), "TH");
    CHECK_STR(cia_country_resolve(c, "Thaïlande"), "TH");
    CHECK_STR(cia_country_resolve(c, "Viet Nam"), "VN");
    CHECK_STR(cia_country_resolve(c, "Vietnam"), "VN");
    CHECK_STR(cia_country_resolve(c, "Turkije"), "TR");
    /* official_name and its translation */
    CHECK_STR(cia_country_resolve(c, "Republic of Albania"), "AL");
    CHECK_STR(cia_country_resolve(c, "République unie de Tanzanie"), "TZ");
    /* common_name */
    CHECK_STR(cia_country_resolve(c, "South Korea"), "KR");
    CHECK_STR(cia_country_resolve(c, "Zuid-Korea"), "KR");
    cia_countries_free(c);
}

static void resolves_codes_in_any_case(void)
{
    cia_countries *c = load();
    if (!c) return;
    CHECK_STR(cia_country_resolve(c, "ROU"), "RO");
    CHECK_STR(cia_country_resolve(c, "rou"), "RO");
    CHECK_STR(cia_country_resolve(c, "ro"), "RO");
    CHECK_STR(cia_country_resolve(c, "RO"), "RO");
    CHECK_STR(cia_country_resolve(c, "bel"), "BE");
    CHECK_STR(cia_country_resolve(c, " MA "), "MA");
    CHECK_STR(cia_country_resolve(c, "IND"), "IN");
    cia_countries_free(c);
}

static void ignores_case_spaces_and_accents(void)
{
    cia_countries *c = load();
    if (!c) return;
    CHECK_STR(cia_country_resolve(c, "  belgië "), "BE");
    CHECK_STR(cia_country_resolve(c, "BELGIQUE"), "BE");
    CHECK_STR(cia_country_resolve(c, "BELGIË"), "BE");
    CHECK_STR(cia_country_resolve(c, "ROEMENIË"), "RO");
    CHECK_STR(cia_country_resolve(c, "Roemenie"), "RO");
    CHECK_STR(cia_country_resolve(c, "roemenie"), "RO");
    CHECK_STR(cia_country_resolve(c, "ÉTATS-UNIS"), "US");
    CHECK_STR(cia_country_resolve(c, "Etats-Unis"), "US");
    CHECK_STR(cia_country_resolve(c, "\tSaudi   Arabia\r\n"), "SA");
    CHECK_STR(cia_country_resolve(c, "Côte d’Ivoire"), "CI");   /* typographic apostrophe */
    CHECK_STR(cia_country_resolve(c, "TURKIYE"), "TR");
    cia_countries_free(c);
}

static void resolves_short_forms_unless_ambiguous(void)
{
    cia_countries *c = load();
    if (!c) return;
    CHECK_STR(cia_country_resolve(c, "Iran"), "IR");
    CHECK_STR(cia_country_resolve(c, "iran"), "IR");
    /* Only reachable through their short forms: */
    CHECK_STR(cia_country_resolve(c, "Russie"), "RU");           /* "Russie, Fédération de" */
    CHECK_STR(cia_country_resolve(c, "Holy See"), "VA");         /* "Holy See (Vatican City State)" */
    CHECK_STR(cia_country_resolve(c, "Saint-Siège"), "VA");
    CHECK_STR(cia_country_resolve(c, "Vaticaanstad"), "VA");     /* "Vaticaanstad, Staat" */
    CHECK_STR(cia_country_resolve(c, "Falkland Islands"), "FK");
    CHECK_STR(cia_country_resolve(c, "Malouines"), "FK");        /* "Malouines, Îles (Falkland)" */
    CHECK_STR(cia_country_resolve(c, "Palestina"), "PS");        /* "Palestina, Staat" */
    /* Two Koreas, two Virgin Islands, two Saint-Martins: no guess. */
    CHECK(cia_country_resolve(c, "Korea") == NULL);
    CHECK(cia_country_resolve(c, "Corée") == NULL);
    CHECK(cia_country_resolve(c, "Virgin Islands") == NULL);
    CHECK(cia_country_resolve(c, "Maagdeneilanden") == NULL);
    CHECK(cia_country_resolve(c, "Saint-Martin") == NULL);
    /* A real name beats the short form of another country's name. */
    CHECK_STR(cia_country_resolve(c, "Congo"), "CG");
    CHECK_STR(cia_country_resolve(c, "Congo, The Democratic Republic of the"), "CD");
    CHECK_STR(cia_country_resolve(c, "République démocratique du Congo"), "CD");
    cia_countries_free(c);
}

static void unknown_gives_null(void)
{
    cia_countries *c = load();
    if (!c) return;
    CHECK(cia_country_resolve(c, "Atlantis") == NULL);
    CHECK(cia_country_resolve(c, "Belgi") == NULL);
    CHECK(cia_country_resolve(c, "XX") == NULL);
    CHECK(cia_country_resolve(c, "ROUX") == NULL);
    CHECK(cia_country_resolve(c, "") == NULL);
    CHECK(cia_country_resolve(c, "   ") == NULL);
    CHECK(cia_country_resolve(c, NULL) == NULL);
    CHECK(cia_country_resolve(NULL, "BE") == NULL);
    cia_countries_free(c);
}

static void names_in_three_languages(void)
{
    cia_countries *c = load();
    if (!c) return;
    CHECK_STR(cia_country_name(c, "RO", "fr"), "Roumanie");
    CHECK_STR(cia_country_name(c, "RO", "nl"), "Roemenië");
    CHECK_STR(cia_country_name(c, "RO", "en"), "Romania");
    CHECK_STR(cia_country_name(c, "BE", "fr"), "Belgique");
    CHECK_STR(cia_country_name(c, "BE", "nl"), "België");
    CHECK_STR(cia_country_name(c, "BE", "en"), "Belgium");
    CHECK_STR(cia_country_name(c, "MA", "fr"), "Maroc");
    CHECK_STR(cia_country_name(c, "MA", "nl"), "Marokko");
    CHECK_STR(cia_country_name(c, "MA", "en"), "Morocco");
    /* common_name preferred to the ISO list form, in every language */
    CHECK_STR(cia_country_name(c, "TW", "en"), "Taiwan");
    CHECK_STR(cia_country_name(c, "TW", "fr"), "Taïwan");
    CHECK_STR(cia_country_name(c, "VN", "en"), "Vietnam");
    CHECK_STR(cia_country_name(c, "ro", "fr"), "Roumanie");
    CHECK(cia_country_name(c, "XX", "fr") == NULL);
    CHECK(cia_country_name(c, "ROU", "fr") == NULL);
    CHECK(cia_country_name(c, "R", "fr") == NULL);
    CHECK(cia_country_name(c, "RO", "de") == NULL);
    CHECK(cia_country_name(c, "RO", NULL) == NULL);
    cia_countries_free(c);
}

/* Every name the warehouse prints must read back as the same country,
 * or a report could not be loaded again. */
static void every_name_resolves_back(void)
{
    cia_countries *c = load();
    if (!c) return;
    static const char *const langs[] = {"en", "fr", "nl"};
    int countries = 0;
    for (char a = 'A'; a <= 'Z'; a++)
        for (char b = 'A'; b <= 'Z'; b++) {
            char code[3] = {a, b, '\0'};
            if (!cia_country_name(c, code, "en")) continue;
            countries++;
            CHECK_STR(cia_country_resolve(c, code), code);
            for (int l = 0; l < 3; l++) {
                const char *name = cia_country_name(c, code, langs[l]);
                const char *back = cia_country_resolve(c, name);
                if (!back || strcmp(back, code) != 0)
                    fprintf(stderr, "  %s %s \"%s\" -> %s\n", code, langs[l], name,
                            back ? back : "(null)");
                CHECK_STR(back, code);
            }
        }
    CHECK(countries >= 240);
    cia_countries_free(c);
}

static void pointers_live_with_the_object(void)
{
    cia_countries *c = load();
    if (!c) return;
    char text[] = "Belgique";
    const char *a = cia_country_resolve(c, text);
    memcpy(text, "Maroc\0\0\0", 9);    /* the result must not point into the input */
    CHECK_STR(a, "BE");
    CHECK(a == cia_country_resolve(c, "BEL"));
    CHECK(cia_country_name(c, "BE", "nl") == cia_country_name(c, "be", "nl"));
    cia_countries_free(c);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Speed is not asserted here (timed tests fail on a loaded machine: speed
 * lives in `make bench`); what is checked is that the index answers the
 * same thing every time, with UNIT_VERBOSE printing the times. */
static void repeated_lookups_agree(void)
{
    double t0 = now();
    cia_countries *c = load();
    double t1 = now();
    if (!c) return;
    const char *first = cia_country_resolve(c, "Roemenie");
    CHECK(first != NULL);
    int same = 0;
    for (int i = 0; i < 100000; i++) same += cia_country_resolve(c, "Roemenie") == first;
    double t2 = now();
    CHECK_INT(same, 100000);
    if (getenv("UNIT_VERBOSE"))
        fprintf(stderr, "  load %.2f ms, lookup %.2f us\n", (t1 - t0) * 1e3, (t2 - t1) * 10);
    cia_countries_free(c);
}

/* ---- hand-made data: the .mo reader and the error paths -------------- */

static char tmpdir[64];

static void put_word(FILE *fp, uint32_t w, int big_endian)
{
    unsigned char b[4];
    for (int i = 0; i < 4; i++) b[i] = (unsigned char)(w >> (big_endian ? 24 - 8 * i : 8 * i));
    fwrite(b, 1, 4, fp);
}

/* A .mo catalogue of n pairs, in the order given (not necessarily sorted). */
static void write_mo(const char *path, const char *const pairs[][2], uint32_t n, int big_endian)
{
    FILE *fp = fopen(path, "wb");
    CHECK(fp != NULL);
    if (!fp) return;
    uint32_t orig = 28, trans = orig + 8 * n, strings = trans + 8 * n;
    put_word(fp, 0x950412de, big_endian);
    put_word(fp, 0, big_endian);
    put_word(fp, n, big_endian);
    put_word(fp, orig, big_endian);
    put_word(fp, trans, big_endian);
    put_word(fp, 0, big_endian);        /* no hash table */
    put_word(fp, strings, big_endian);
    uint32_t off = strings;
    for (int side = 0; side < 2; side++)
        for (uint32_t i = 0; i < n; i++) {
            uint32_t len = (uint32_t)strlen(pairs[i][side]);
            put_word(fp, len, big_endian);
            put_word(fp, off, big_endian);
            off += len + 1;
        }
    for (int side = 0; side < 2; side++)
        for (uint32_t i = 0; i < n; i++) fwrite(pairs[i][side], 1, strlen(pairs[i][side]) + 1, fp);
    fclose(fp);
}

static void write_bytes(const char *path, const char *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    CHECK(fp != NULL);
    if (!fp) return;
    fwrite(data, 1, n, fp);
    fclose(fp);
}

static void write_text(const char *path, const char *text)
{
    write_bytes(path, text, strlen(text));
}

static void make_fixture(int nl_big_endian)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_country.XXXXXX");
    CHECK(mkdtemp(tmpdir) != NULL);
    char p[256];
    snprintf(p, sizeof p, "%s/iso_3166-1.json", tmpdir);
    write_text(p, "{\"3166-1\": [\n"
                  " {\"alpha_2\": \"AA\", \"alpha_3\": \"AAA\", \"name\": \"Aland\"},\n"
                  " {\"alpha_2\": \"BB\", \"alpha_3\": \"BBB\", \"name\": \"Bland, Republic of\",\n"
                  "  \"common_name\": \"Bland\", \"official_name\": \"Republic of Bland\"},\n"
                  " {\"alpha_2\": \"CC\", \"alpha_3\": \"CCC\", \"name\": \"Cote\"},\n"
                  " {\"alpha_2\": \"DD\", \"alpha_3\": \"DDD\", \"name\": \"Côte\"}\n"
                  "]}\n");
    static const char *const fr[][2] = {
        {"", "Content-Type: text/plain; charset=UTF-8\n"},
        {"Bland", "Blandie"},
        {"Aland", "Alandie"},
        {"Republic of Bland", "République de Blandie"},
    };
    static const char *const nl[][2] = {
        {"", "Content-Type: text/plain; charset=UTF-8\n"},
        {"Aland", "Alandië"},
        {"Bland, Republic of", "Blandië, Republiek"},
    };
    for (int l = 0; l < 2; l++) {
        snprintf(p, sizeof p, "%s/%s", tmpdir, l ? "nl" : "fr");
        mkdir(p, 0700);
        snprintf(p, sizeof p, "%s/%s/LC_MESSAGES", tmpdir, l ? "nl" : "fr");
        mkdir(p, 0700);
        snprintf(p, sizeof p, "%s/%s/LC_MESSAGES/iso_3166-1.mo", tmpdir, l ? "nl" : "fr");
        if (l) write_mo(p, nl, 3, nl_big_endian);
        else write_mo(p, fr, 4, !nl_big_endian);
    }
    setenv("CIATTEH_ISO_CODES", tmpdir, 1);
    setenv("CIATTEH_LOCALEDIR", tmpdir, 1);
}

static void remove_fixture(void)
{
    static const char *const files[] = {
        "fr/LC_MESSAGES/iso_3166-1.mo", "nl/LC_MESSAGES/iso_3166-1.mo",
        "fr/LC_MESSAGES", "nl/LC_MESSAGES", "fr", "nl", "iso_3166-1.json", "",
    };
    char p[256];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", tmpdir, files[i]);
        remove(p);
    }
    unsetenv("CIATTEH_ISO_CODES");
    unsetenv("CIATTEH_LOCALEDIR");
}

static void reads_mo_in_both_byte_orders(void)
{
    for (int big = 0; big < 2; big++) {
        make_fixture(big);
        cia_countries *c = load();
        if (c) {
            CHECK_STR(cia_country_name(c, "AA", "fr"), "Alandie");
            CHECK_STR(cia_country_name(c, "AA", "nl"), "Alandië");
            CHECK_STR(cia_country_name(c, "BB", "en"), "Bland");
            CHECK_STR(cia_country_name(c, "BB", "fr"), "Blandie");      /* common_name's */
            CHECK_STR(cia_country_name(c, "BB", "nl"), "Blandië, Republiek"); /* name's */
            CHECK_STR(cia_country_resolve(c, "république de blandie"), "BB");
            CHECK_STR(cia_country_resolve(c, "Blandië"), "BB");   /* short form */
            CHECK_STR(cia_country_resolve(c, "blandie"), "BB");
            CHECK_STR(cia_country_resolve(c, "ALANDIE"), "AA");
            cia_countries_free(c);
        }
        remove_fixture();
    }
}

/* Two names apart only by an accent: the exact spelling decides, and the
 * accent-free key, which both claim, decides nothing. */
static void exact_spelling_beats_accent_folding(void)
{
    make_fixture(0);
    cia_countries *c = load();
    if (c) {
        CHECK_STR(cia_country_resolve(c, "Côte"), "DD");
        CHECK_STR(cia_country_resolve(c, "CÔTE"), "DD");
        CHECK_STR(cia_country_resolve(c, "cote"), "CC");
        CHECK(cia_country_resolve(c, "Coté") == NULL);
        cia_countries_free(c);
    }
    remove_fixture();
}

static void missing_data_names_file_and_package(void)
{
    cia_err e;
    cia_err_clear(&e);
    cia_countries *c = (cia_countries *)&e;
    setenv("CIATTEH_ISO_CODES", "/nonexistent/iso", 1);
    CHECK_INT(cia_countries_load(&c, &e), CIA_EUNAVAIL);
    CHECK(c == NULL);
    CHECK(strstr(e.msg, "/nonexistent/iso/iso_3166-1.json") != NULL);
    CHECK(strstr(e.msg, "apt-get install iso-codes") != NULL);
    unsetenv("CIATTEH_ISO_CODES");

    cia_err_clear(&e);
    setenv("CIATTEH_LOCALEDIR", "/nonexistent/locale", 1);
    CHECK_INT(cia_countries_load(&c, &e), CIA_EUNAVAIL);
    CHECK(c == NULL);
    CHECK(strstr(e.msg, "/nonexistent/locale/fr/LC_MESSAGES/iso_3166-1.mo") != NULL);
    CHECK(strstr(e.msg, "apt-get install iso-codes") != NULL);
    unsetenv("CIATTEH_LOCALEDIR");
}

static void corrupt_data_is_rejected(void)
{
    char p[256];
    make_fixture(0);
    snprintf(p, sizeof p, "%s/iso_3166-1.json", tmpdir);
    write_text(p, "{\"3166-1\": [ {\"alpha_2\": \"AA\"");
    cia_err e;
    cia_err_clear(&e);
    cia_countries *c = NULL;
    CHECK_INT(cia_countries_load(&c, &e), CIA_EDATA);
    CHECK(c == NULL);
    CHECK(strstr(e.msg, "iso_3166-1.json") != NULL);

    write_text(p, "{\"3166-1\": [ {\"alpha_2\": \"AA\", \"alpha_3\": \"AAA\", \"name\": \"A\"},"
                  " {\"alpha_2\": \"AA\", \"alpha_3\": \"AAB\", \"name\": \"B\"} ]}");
    cia_err_clear(&e);
    CHECK_INT(cia_countries_load(&c, &e), CIA_EDATA);
    CHECK(strstr(e.msg, "AA appears twice") != NULL);

    write_text(p, "{\"3166-1\": [ {\"alpha_2\": \"AA\", \"alpha_3\": \"AAA\", \"name\": \"A\"} ]}");
    snprintf(p, sizeof p, "%s/nl/LC_MESSAGES/iso_3166-1.mo", tmpdir);
    static const char truncated[28] = "\xde\x12\x04\x95\0\0\0\0\x10\0\0\0\x1c\0\0\0\x9c";
    write_bytes(p, truncated, sizeof truncated);
    cia_err_clear(&e);
    CHECK_INT(cia_countries_load(&c, &e), CIA_EDATA);   /* 16 strings claimed, none there */
    CHECK(strstr(e.msg, "nl/LC_MESSAGES/iso_3166-1.mo") != NULL);

    write_text(p, "not a catalogue at all, not a catalogue at all");
    cia_err_clear(&e);
    CHECK_INT(cia_countries_load(&c, &e), CIA_EDATA);
    CHECK(strstr(e.msg, "magic") != NULL);
    remove_fixture();
}

UNIT_MAIN(T(resolves_names_in_three_languages), T(resolves_codes_in_any_case),
          T(ignores_case_spaces_and_accents), T(resolves_short_forms_unless_ambiguous),
          T(unknown_gives_null), T(names_in_three_languages), T(every_name_resolves_back),
          T(pointers_live_with_the_object), T(repeated_lookups_agree),
          T(reads_mo_in_both_byte_orders), T(exact_spelling_beats_accent_folding),
          T(missing_data_names_file_and_package),
          T(corrupt_data_is_rejected))
