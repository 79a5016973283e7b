/* ciatteh-gen.c — generator of realistic synthetic service extracts for the
 * tests and benchmarks, and of the item totals the warehouse must derive
 * from them (the test oracle).
 *
 * This file owns: the synthetic record model of each of the six services
 * (distributions, cross-field rules of FORMATS.md), the three ways of
 * writing a record (plain / native / quirky), and the --expect oracle,
 * which restates schema/0002_records.sql's derive_* rules on the records
 * as generated — never by reading the file back, so that a parser bug
 * cannot hide itself.
 *
 *   ciatteh-gen SERVICE [--rows N] [--seed S] [--years A-B]
 *               [--centre PAYOKE|PAGASA|SURYA] [--style plain|native|quirky]
 *               [--expect FILE] [-o FILE]
 *
 * Design:
 * - Two PRNG streams from one seed: "rec" draws the records, "pres" draws
 *   how they are written.  The records, and so the --expect file, are the
 *   same whatever the style: a plain and a quirky file of one seed must
 *   load to the same items, which is a test in itself.
 * - Streaming: one row in a fixed array of values, written through a 1 MiB
 *   output buffer.  Memory is constant whatever --rows; primary dates come
 *   out sorted within each year (as the services' own exports do) without
 *   holding rows, see day_of().
 * - Service differences live in tables: accepted header names per column,
 *   code lists with their labels per language, native conventions per
 *   service.  Only the record model (what a row means) is code per service.
 * - Nothing depends on today's date: the secondary dates (decision,
 *   admission, registration of a bulletin) are kept on or before a fixed
 *   "extract date", 15 March of the year after the last year.  The file is
 *   valid (no future date) once that day is past: choose --years ending
 *   before the current year.
 * - Only standard C: the tool must keep building while the library under
 *   test is being changed, and must not share its code (an oracle sharing
 *   the parser's tables would agree with its bugs).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EX_USAGE 64
#define EX_IOERR 74

/* ---- PRNG: xoshiro256**, seeded by splitmix64 (not rand(): the bytes
 * must be the same on every libc). ---------------------------------------- */

typedef struct { uint64_t s[4]; } rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ULL);
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = rotl(s[3], 45);
    return res;
}

/* Uniform in [0, n), n < 2^32: multiply-shift (bias below 2^-32, harmless
 * for synthetic data and branch-free). */
static inline uint32_t below(rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}
static inline int between(rng *r, int lo, int hi) { return lo + (int)below(r, (uint32_t)(hi - lo + 1)); }
static inline int permille(rng *r, unsigned p) { return below(r, 1000) < p; }

static int pick_w(rng *r, const unsigned *w, int n)
{
    unsigned tot = 0;
    for (int i = 0; i < n; i++) tot += w[i];
    unsigned x = below(r, tot);
    for (int i = 0; i < n; i++) {
        if (x < w[i]) return i;
        x -= w[i];
    }
    return n - 1;
}
#define PICK(r, w) pick_w((r), (w), (int)(sizeof(w) / sizeof((w)[0])))

static rng REC, PRES;

/* ---- Calendar (days since 1970-01-01, proleptic Gregorian). ----------- */

static int days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int)doe - 719468;
}

static void civil_from_days(int z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)yoe + era * 400 + (*m <= 2);
}

static int year_of(int day) { int y, m, d; civil_from_days(day, &y, &m, &d); return y; }

/* ---- Languages, styles, encodings. ------------------------------------ */

enum { EN, FR, NL, NLANG };
#define CODES (-1)                      /* "labels" = the standard codes */
enum style { S_PLAIN, S_NATIVE, S_QUIRKY };
enum enc { E_UTF8, E_UTF8BOM, E_CP1252 };
enum datefmt { D_ISO, D_DMY_SLASH, D_DMY_DASH };

/* ---- Code lists (FORMATS.md, "Code lists"), labels per language.  The
 * first label of a language is what a service writing that language uses;
 * the others are accepted variants it sometimes writes.  Neutral labels
 * (legal articles, abbreviations) are filed under English. -------------- */

typedef struct { const char *code; const char *lab[NLANG][3]; } code_def;
typedef struct { const code_def *v; int n; } code_list;
#define LIST(a) { a, (int)(sizeof(a) / sizeof((a)[0])) }

enum { OFF_THB, OFF_SMUG };
static const code_def OFFENCE_C[] = {
    {"THB", {{"trafficking in human beings", "THB", "433quinquies"},
             {"traite des êtres humains", "TEH"}, {"mensenhandel", "MH"}}},
    {"SMUG", {{"smuggling of human beings", "77bis"},
              {"trafic des êtres humains", "trafic d'êtres humains"}, {"mensensmokkel"}}},
};
enum { F_SEX, F_LAB, F_BEG, F_CRIM, F_ORG, F_OTH };
static const code_def FORM_C[] = {
    {"SEX", {{"sexual exploitation"}, {"exploitation sexuelle"}, {"seksuele uitbuiting"}}},
    {"LAB", {{"labour exploitation", "economic exploitation"},
             {"exploitation économique", "exploitation par le travail"},
             {"economische uitbuiting", "arbeidsuitbuiting"}}},
    {"BEG", {{"exploitation of begging", "begging"}, {"mendicité", "exploitation de la mendicité"},
             {"bedelarij", "uitbuiting van bedelarij"}}},
    {"CRIM", {{"forced criminality"}, {"criminalité forcée"},
              {"gedwongen criminaliteit", "dwang tot misdrijven"}}},
    {"ORG", {{"organ removal", "removal of organs"}, {"prélèvement d'organes"}, {"orgaanwegneming"}}},
    {"OTH", {{"other", "unspecified"}, {"autre", "non précisé"}, {"andere", "niet gespecificeerd"}}},
};
enum { SX_F, SX_M };
static const code_def SEX_C[] = {
    {"F", {{"female", "F"}, {"femme", "F"}, {"vrouw", "V"}}},
    {"M", {{"male", "M"}, {"homme", "H"}, {"man", "M"}}},
};
enum { D_ANT, D_LIM, D_OVL, D_WVL, D_LEU, D_BRU, D_HVV, D_BRW, D_HAI, D_LIE, D_NAM, D_LUX, D_EUP };
static const code_def DISTRICT_C[] = {
    {"ANT", {{"Antwerp"}, {"Anvers"}, {"Antwerpen"}}},
    {"LIM", {{"Limburg"}, {"Limbourg"}, {"Limburg"}}},
    {"OVL", {{"East Flanders"}, {"Flandre orientale"}, {"Oost-Vlaanderen"}}},
    {"WVL", {{"West Flanders"}, {"Flandre occidentale"}, {"West-Vlaanderen"}}},
    {"LEU", {{"Leuven"}, {"Louvain"}, {"Leuven"}}},
    {"BRU", {{"Brussels"}, {"Bruxelles"}, {"Brussel"}}},
    {"HVV", {{"Halle-Vilvoorde"}, {"Hal-Vilvorde"}, {"Halle-Vilvoorde"}}},
    {"BRW", {{"Walloon Brabant"}, {"Brabant wallon"}, {"Waals-Brabant"}}},
    {"HAI", {{"Hainaut"}, {"Hainaut"}, {"Henegouwen"}}},
    {"LIE", {{"Liège"}, {"Liège"}, {"Luik"}}},
    {"NAM", {{"Namur"}, {"Namur"}, {"Namen"}}},
    {"LUX", {{"Luxembourg"}, {"Luxembourg"}, {"Luxemburg"}}},
    {"EUP", {{"Eupen"}, {"Eupen"}, {"Eupen"}}},
};
/* Case-number prefixes of the prosecutors' offices, parallel to DISTRICT_C. */
static const char *const DISTRICT_PREFIX[] = {"AN", "HA", "GE", "BG", "LE", "BR", "HV",
                                              "NI", "CH", "LI", "NA", "AR", "EU"};
enum { DC_PENDING, DC_DISMISSED, DC_SETTLEMENT, DC_SUMMONS, DC_REFERRAL, DC_JOINED };
static const code_def DECISION_C[] = {
    {"PENDING", {{"pending"}, {"en cours", "à l'information"}, {"lopend"}}},
    {"DISMISSED", {{"dismissed"}, {"classement sans suite", "classé sans suite"},
                   {"seponering", "geseponeerd"}}},
    {"SETTLEMENT", {{"settlement"}, {"transaction"}, {"minnelijke schikking", "schikking"}}},
    {"SUMMONS", {{"summons"}, {"citation directe"}, {"rechtstreekse dagvaarding", "dagvaarding"}}},
    {"REFERRAL", {{"referral to investigating judge"}, {"mise à l'instruction", "instruction"},
                  {"gerechtelijk onderzoek"}}},
    {"JOINED", {{"joined to another case"}, {"jonction"}, {"voeging"}}},
};
static const code_def INSPECTORATE_C[] = {
    {"CLS", {{"labour inspection"}, {"Contrôle des lois sociales"},
             {"Toezicht op de sociale wetten", "TSW"}}},
    {"ISOC", {{"social inspection"}, {"Inspection sociale"}, {"Sociale inspectie"}}},
    {"ONSS", {{"NSSO inspection"}, {"Inspection ONSS"}, {"RSZ-inspectie", "RSZ"}}},
};
enum { C_PAGASA, C_PAYOKE, C_SURYA };
static const code_def CENTRE_C[] = {
    {"PAGASA", {{"Pag-Asa", "PAG-ASA"}, {"Pag-Asa", "PAG-ASA"}, {"Pag-Asa", "PAG-ASA"}}},
    {"PAYOKE", {{"Payoke"}, {"Payoke"}, {"Payoke"}}},
    {"SURYA", {{"Sürya", "Surya"}, {"Sürya", "Surya"}, {"Sürya", "Surya"}}},
};
static const code_def REFERRER_C[] = {
    {"POLICE", {{"police"}, {"police"}, {"politie"}}},
    {"INSP", {{"inspectorate"}, {"inspection"}, {"inspectie"}}},
    {"NGO", {{"NGO"}, {"ONG"}, {"ngo"}}},
    {"SOCIAL", {{"social services"}, {"services sociaux", "CPAS"}, {"sociale diensten", "OCMW"}}},
    {"SELF", {{"self-referral"}, {"de sa propre initiative"}, {"zelf", "eigen initiatief"}}},
    {"OTHER", {{"other"}, {"autre"}, {"andere"}}},
};
enum { SU_NONE, SU_PARTIAL, SU_FULL };
static const code_def SUSPENSION_C[] = {
    {"NONE", {{"none", "effective"}, {"sans sursis", "effectif"}, {"zonder uitstel", "effectief"}}},
    {"PARTIAL", {{"partial"}, {"sursis partiel"}, {"gedeeltelijk uitstel"}}},
    {"FULL", {{"full"}, {"sursis", "sursis total"}, {"volledig uitstel", "uitstel"}}},
};
static const code_def DOCUMENT_C[] = {
    {"OQT45", {{"order to leave, 45-day reflection period"},
               {"ordre de quitter le territoire 45 jours"},
               {"bevel om het grondgebied te verlaten 45 dagen"}}},
    {"AI3M", {{"registration certificate, 3 months"}, {"attestation d'immatriculation"},
              {"attest van immatriculatie"}}},
    {"CIRE6M", {{"temporary residence, 6 months"}, {"certificat d'inscription (6 mois)"},
                {"bewijs van inschrijving (6 maanden)"}}},
    {"PERM", {{"permanent residence"}, {"séjour illimité"}, {"onbeperkt verblijf"}}},
    {"HUMAN", {{"humanitarian residence"}, {"séjour humanitaire"}, {"humanitair verblijf"}}},
};
enum { YN_YES, YN_NO };
static const code_def YESNO_C[] = {
    {"yes", {{"yes", "y", "1"}, {"oui", "o"}, {"ja", "j"}}},
    {"no", {{"no", "n", "0"}, {"non"}, {"nee"}}},
};

static const code_list OFFENCE = LIST(OFFENCE_C), FORM = LIST(FORM_C), SEX = LIST(SEX_C),
    DISTRICT = LIST(DISTRICT_C), DECISION = LIST(DECISION_C),
    INSPECTORATE = LIST(INSPECTORATE_C), CENTRE = LIST(CENTRE_C), REFERRER = LIST(REFERRER_C),
    SUSPENSION = LIST(SUSPENSION_C), DOCUMENT = LIST(DOCUMENT_C), YESNO = LIST(YESNO_C);

/* Nationalities: alpha-2, alpha-3 and the names as Debian iso-codes spells
 * them (`name` of iso_3166-1.json and its fr/nl translations — what the
 * warehouse resolves), with weights for victims (shelters), convicted
 * persons and residence documents (no Belgians: they need none).  Names
 * with a comma in iso-codes are left out; GB is in because its EU
 * membership ends in 2020 and the citizenship split must show it. */
typedef struct { const char *a2, *a3, *name[NLANG]; unsigned w_victim, w_offender, w_doc; } nat_def;
static const nat_def NAT[] = {
    {"RO", "ROU", {"Romania", "Roumanie", "Roemenië"}, 120, 90, 40},
    {"BG", "BGR", {"Bulgaria", "Bulgarie", "Bulgarije"}, 70, 50, 20},
    {"NG", "NGA", {"Nigeria", "Nigeria", "Nigeria"}, 90, 40, 110},
    {"MA", "MAR", {"Morocco", "Maroc", "Marokko"}, 80, 70, 90},
    {"AL", "ALB", {"Albania", "Albanie", "Albanië"}, 50, 50, 50},
    {"CN", "CHN", {"China", "Chine", "China"}, 50, 40, 60},
    {"IN", "IND", {"India", "Inde", "India"}, 45, 25, 60},
    {"TH", "THA", {"Thailand", "Thaïlande", "Thailand"}, 30, 10, 40},
    {"BE", "BEL", {"Belgium", "Belgique", "België"}, 60, 250, 0},
    {"FR", "FRA", {"France", "France", "Frankrijk"}, 25, 40, 5},
    {"GB", "GBR", {"United Kingdom", "Royaume-Uni", "Verenigd Koninkrijk"}, 20, 25, 10},
    {"VN", "VNM", {"Viet Nam", "Viêt Nam", "Vietnam"}, 35, 25, 40},
    {"UA", "UKR", {"Ukraine", "Ukraine", "Oekraïne"}, 25, 10, 30},
    {"ER", "ERI", {"Eritrea", "Érythrée", "Eritrea"}, 25, 5, 40},
    {"AF", "AFG", {"Afghanistan", "Afghanistan", "Afghanistan"}, 30, 15, 50},
    {"BR", "BRA", {"Brazil", "Brésil", "Brazilië"}, 25, 10, 30},
    {"PL", "POL", {"Poland", "Pologne", "Polen"}, 25, 20, 5},
    {"PK", "PAK", {"Pakistan", "Pakistan", "Pakistan"}, 20, 15, 25},
    {"NL", "NLD", {"Netherlands", "Pays-Bas", "Nederland"}, 15, 45, 3},
    {"DZ", "DZA", {"Algeria", "Algérie", "Algerije"}, 20, 20, 25},
    {"EG", "EGY", {"Egypt", "Égypte", "Egypte"}, 15, 15, 20},
    {"GH", "GHA", {"Ghana", "Ghana", "Ghana"}, 12, 5, 15},
    {"CM", "CMR", {"Cameroon", "Cameroun", "Kameroen"}, 12, 5, 15},
    {"PH", "PHL", {"Philippines", "Philippines", "Filipijnen"}, 12, 3, 15},
    {"IQ", "IRQ", {"Iraq", "Irak", "Irak"}, 15, 10, 20},
    {"SN", "SEN", {"Senegal", "Sénégal", "Senegal"}, 8, 5, 10},
    {"ES", "ESP", {"Spain", "Espagne", "Spanje"}, 8, 10, 2},
    {"IT", "ITA", {"Italy", "Italie", "Italië"}, 8, 15, 2},
    {"DE", "DEU", {"Germany", "Allemagne", "Duitsland"}, 8, 15, 2},
};
#define NNAT ((int)(sizeof NAT / sizeof NAT[0]))
enum { W_VICTIM, W_OFFENDER, W_DOC };

static int pick_nat(int who)
{
    unsigned w[NNAT];
    for (int i = 0; i < NNAT; i++)
        w[i] = who == W_VICTIM ? NAT[i].w_victim : who == W_OFFENDER ? NAT[i].w_offender : NAT[i].w_doc;
    return pick_w(&REC, w, NNAT);
}

/* ---- Columns and services. -------------------------------------------- */

enum kind {
    K_REF,      /* pseudonymous reference, text */
    K_DATE,     /* day number */
    K_INT,      /* non-negative integer (year, counts) */
    K_CODE,     /* index into a code list */
    K_RAW,      /* a fixed code without labels (sector, procedure) */
    K_PRISON,   /* months; 0 may be written empty, so "not known" must not be */
    K_AMOUNT,   /* cents, decimal comma */
    K_NAT2,     /* nationality as alpha-2 only */
    K_NATNAME,  /* nationality as name (centre's language) or alpha-2/-3 */
};

typedef struct {
    const char *names[6];        /* accepted header names, NULL-terminated */
    signed char nat[NLANG];      /* index in names[] a service writing EN/FR/NL uses */
    enum kind kind;
    const code_list *codes;
    signed char native_pick;     /* which native-language label the service writes */
} column_def;

/* A value: set = 0 means nothing known / not applicable (written empty or
 * as a not-known marker). */
typedef struct { int set; long long i; const char *s; } val_t;

#define MAXCOLS 16
#define MAXITEMS 5
#define MAXYEARS 102                 /* --years span < 100, plus the year after */

typedef struct service {
    const char *name;
    char delim;
    enum enc enc;
    int crlf, hdr_lang, lab_lang;
    enum datefmt datefmt;
    int weekdays;                    /* primary dates fall on working days */
    const column_def *cols;
    int ncols;
    const char *items[MAXITEMS];     /* --expect items, in ITEMS.md codes */
    void (*row)(val_t *v, int year, int day);
    void (*run)(void);               /* NULL: one record per row, run_records() */
} service;

/* ---- Global state (a single-pass command-line tool). ------------------ */

static struct {
    const service *sv;
    enum style style;
    int y0, y1;                      /* --years */
    int extract_day;                 /* 15 March of y1 + 1: no later date */
    unsigned long long rows;
    int centre;
    /* the file's conventions, native or drawn per file when quirky */
    enum enc enc;
    int crlf, hdr_lang, lab_lang, final_newline;
    int order[MAXCOLS + 1], ncols_out; /* column order; index ncols = extra column */
    unsigned long long seq;          /* reference counter within a year */
    char ref[48];
    struct { long long n, sum, unk; } acc[MAXITEMS][MAXYEARS];
} G;

/* The oracle: one record adds to (item, year) a known value or an unknown. */
static void acc(int item, int year, int known, long long v)
{
    int yi = year - G.y0;
    if (yi < 0 || yi >= MAXYEARS) { fprintf(stderr, "ciatteh-gen: internal: year %d\n", year); exit(70); }
    G.acc[item][yi].n++;
    if (known) G.acc[item][yi].sum += v;
    else G.acc[item][yi].unk++;
}

/* ---- Output buffer. ---------------------------------------------------- */

static FILE *OUT;
static char OBUF[1 << 20];
static size_t OPOS;

static void flush_out(void)
{
    if (OPOS && fwrite(OBUF, 1, OPOS, OUT) != OPOS) {
        fprintf(stderr, "ciatteh-gen: write: %s\n", strerror(errno));
        exit(EX_IOERR);
    }
    OPOS = 0;
}

static inline char *reserve(size_t n)
{
    if (OPOS + n > sizeof OBUF) flush_out();
    return OBUF + OPOS;
}

static inline void out_bytes(const char *p, size_t n)
{
    memcpy(reserve(n), p, n);
    OPOS += n;
}

static inline void out_eol(void)
{
    if (G.crlf) out_bytes("\r\n", 2);
    else out_bytes("\n", 1);
}

/* Write one field: quoted when asked or when it must be (delimiter, quote,
 * line break), quotes doubled, UTF-8 turned into Windows-1252 bytes when
 * the file is cp1252.  Every label here is Latin-1, so that conversion is
 * C3 xx → xx+0x40, C2 xx → xx. */
static void emit_field(const char *s, size_t n, int quote)
{
    /* One pass classifies the bytes; most fields then go out by memcpy. */
    char d = G.sv->delim;
    unsigned char any = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        any |= c;
        if (c == (unsigned char)d || c == '"' || c == '\n' || c == '\r') quote = 1;
    }
    if (!quote && (any < 0x80 || G.enc != E_CP1252)) {
        out_bytes(s, n);
        return;
    }
    char *p = reserve(2 * n + 2), *p0 = p;
    if (quote) *p++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"') { *p++ = '"'; *p++ = '"'; continue; }
        if (c >= 0x80 && G.enc == E_CP1252) {
            unsigned char c2 = i + 1 < n ? (unsigned char)s[i + 1] : 0;
            if ((c != 0xC3 && c != 0xC2) || (c2 & 0xC0) != 0x80) {
                fprintf(stderr, "ciatteh-gen: internal: non-Latin-1 text for cp1252\n");
                exit(70);
            }
            *p++ = (char)(c == 0xC3 ? c2 + 0x40 : c2);
            i++;
            continue;
        }
        *p++ = (char)c;
    }
    if (quote) *p++ = '"';
    OPOS += (size_t)(p - p0);
}

/* ---- Small text helpers. ----------------------------------------------- */

/* Decimal digits of v, zero-padded to width; returns the length. */
static size_t put_uint(char *p, unsigned long long v, int width)
{
    char t[24];
    int n = 0;
    do { t[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n < width) t[n++] = '0';
    for (int i = 0; i < n; i++) p[i] = t[n - 1 - i];
    return (size_t)n;
}

static size_t put_str(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return n;
}

static size_t put_date(char *p, int day, enum datefmt f)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    if (f == D_ISO) {
        put_uint(p, (unsigned)y, 4); p[4] = '-'; put_uint(p + 5, (unsigned)m, 2);
        p[7] = '-'; put_uint(p + 8, (unsigned)d, 2);
    } else {
        char sep = f == D_DMY_SLASH ? '/' : '-';
        put_uint(p, (unsigned)d, 2); p[2] = sep; put_uint(p + 3, (unsigned)m, 2);
        p[5] = sep; put_uint(p + 6, (unsigned)y, 4);
    }
    return 10;
}

/* Euros with a decimal comma; sep = 0, '.' or ' ' between thousands. */
static size_t put_amount(char *p, long long cents, char sep)
{
    char t[32];
    size_t n = put_uint(t, (unsigned long long)(cents / 100), 1), k = 0;
    for (size_t i = 0; i < n; i++) {
        if (sep && i && (n - i) % 3 == 0) p[k++] = sep;
        p[k++] = t[i];
    }
    p[k++] = ',';
    return k + put_uint(p + k, (unsigned long long)(cents % 100), 2);
}

/* Case changes on UTF-8 that handle the Latin-1 letters (é ↔ É is C3 A9 ↔
 * C3 89), because "EXPLOITATION ÉCONOMIQUE" must be a valid, matchable
 * label. */
enum { CASE_ASIS, CASE_LOWER, CASE_UPPER, CASE_TITLE, CASE_MIXED };

static void recase(char *s, size_t n, int how)
{
    int word_start = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int up;
        switch (how) {
        case CASE_LOWER: up = 0; break;
        case CASE_UPPER: up = 1; break;
        case CASE_TITLE: up = word_start; break;
        case CASE_MIXED: up = (int)below(&PRES, 2); break;
        default: return;
        }
        if (c == 0xC3 && i + 1 < n) {
            unsigned char c2 = (unsigned char)s[i + 1];
            if (up && c2 >= 0xA0 && c2 <= 0xBE && c2 != 0xB7) s[i + 1] = (char)(c2 - 0x20);
            else if (!up && c2 >= 0x80 && c2 <= 0x9E && c2 != 0x97) s[i + 1] = (char)(c2 + 0x20);
            i++;
            word_start = 0;
            continue;
        }
        if (c >= 'a' && c <= 'z' && up) s[i] = (char)(c - 32);
        else if (c >= 'A' && c <= 'Z' && !up) s[i] = (char)(c + 32);
        word_start = !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80);
    }
}

static int random_case(void)
{
    static const unsigned w[] = {40, 20, 20, 10, 10};
    return PICK(&PRES, w);
}

/* ---- Writing values. ---------------------------------------------------- */

static const char *const MARKERS[] = {"", "-", "?", "n/a", "inconnu", "onbekend", "unknown"};
static const char *const UNKNOWN_WORD[NLANG] = {"unknown", "inconnu", "onbekend"};

/* Text for "not known" (or not applicable).  Plain and native files leave
 * the field empty, as the services do; a quirky file uses any marker.  A
 * prison term cannot be empty when not known: empty means "no prison
 * term" there, so an explicit marker is written. */
static size_t put_unknown(char *p, const column_def *c)
{
    if (c->kind == K_PRISON) {
        if (G.style == S_QUIRKY) return put_str(p, MARKERS[between(&PRES, 1, 6)]);
        return put_str(p, UNKNOWN_WORD[G.lab_lang == CODES || G.style == S_PLAIN ? EN : G.lab_lang]);
    }
    if (G.style != S_QUIRKY) return 0;
    static const unsigned w[] = {40, 10, 10, 10, 10, 10, 10};
    return put_str(p, MARKERS[PICK(&PRES, w)]);
}

static int nlabels(const code_def *cd, int lang)
{
    int n = 0;
    while (n < 3 && cd->lab[lang][n]) n++;
    return n;
}

/* A coded value: the code (plain), the service's own label (native, with
 * the occasional accepted variant of the same language), or anything
 * accepted (quirky).  *quote is raised for quirky labels now and then. */
static size_t put_code(char *p, const column_def *c, int idx, int *quote)
{
    const code_def *cd = &c->codes->v[idx];
    if (G.style == S_PLAIN || (G.style == S_NATIVE && G.lab_lang == CODES))
        return put_str(p, cd->code);
    if (G.style == S_NATIVE) {
        int n = nlabels(cd, G.lab_lang), k = c->native_pick < n ? c->native_pick : 0;
        if (n > 1 && permille(&PRES, 30)) k = (int)below(&PRES, (uint32_t)n);
        return put_str(p, cd->lab[G.lab_lang][k]);
    }
    /* Standard codes are written exactly: FORMATS.md accepts "the standard
     * code itself", and says case is ignored for the labels. */
    if (permille(&PRES, 200)) return put_str(p, cd->code);
    int lang = (int)below(&PRES, NLANG);
    const char *lab = cd->lab[lang][below(&PRES, (uint32_t)nlabels(cd, lang))];
    size_t n = 0;
    int pad = permille(&PRES, 80);
    if (pad) p[n++] = ' ';
    size_t l = put_str(p + n, lab);
    recase(p + n, l, random_case());
    n += l;
    if (pad) p[n++] = ' ';
    if (permille(&PRES, 80)) *quote = 1;
    return n;
}

/* Nationality by name (shelters): the centre's language natively; quirky
 * any of the three languages or alpha-2/-3. */
static size_t put_natname(char *p, int idx)
{
    const nat_def *nd = &NAT[idx];
    if (G.style == S_PLAIN) return put_str(p, nd->a2);
    if (G.style == S_NATIVE) return put_str(p, nd->name[G.lab_lang == CODES ? EN : G.lab_lang]);
    static const unsigned w[] = {20, 15, 20, 20, 25};
    switch (PICK(&PRES, w)) {
    case 0: return put_str(p, nd->a2);
    case 1: return put_str(p, nd->a3);
    default: {
        size_t l = put_str(p, nd->name[below(&PRES, NLANG)]);
        recase(p, l, random_case());
        return l;
    }
    }
}

static void emit_value(const column_def *c, const val_t *v)
{
    char f[128];
    size_t n = 0;
    int quote = G.style == S_QUIRKY && permille(&PRES, 30);
    if (!v->set) {
        n = put_unknown(f, c);
    } else switch (c->kind) {
    case K_REF: case K_RAW: n = put_str(f, v->s); break;
    case K_INT: n = put_uint(f, (unsigned long long)v->i, 1); break;
    case K_DATE: {
        enum datefmt df = G.style == S_PLAIN ? D_ISO
                        : G.style == S_NATIVE ? G.sv->datefmt : (enum datefmt)below(&PRES, 3);
        n = put_date(f, (int)v->i, df);
        break;
    }
    case K_CODE: n = put_code(f, c, (int)v->i, &quote); break;
    case K_PRISON:
        /* No prison term: the services leave it empty; 0 is as good. */
        if (v->i == 0 && (G.style == S_NATIVE || (G.style == S_QUIRKY && below(&PRES, 2)))) n = 0;
        else n = put_uint(f, (unsigned long long)v->i, 1);
        break;
    case K_AMOUNT: {
        char sep = 0;
        if (G.style == S_NATIVE) sep = permille(&PRES, 800) ? '.' : ' ';
        else if (G.style == S_QUIRKY) sep = "\0. "[below(&PRES, 3)];
        n = put_amount(f, v->i, sep);
        break;
    }
    case K_NAT2: n = put_str(f, NAT[v->i].a2); break;
    case K_NATNAME: n = put_natname(f, (int)v->i); break;
    }
    emit_field(f, n, quote);
}

/* The extra, unknown column of quirky files: notes as a clerk types them,
 * with delimiters, quotes and line breaks — the only column where a line
 * break inside a field cannot make a value invalid. */
static const char *const EXTRA_HEADERS[] = {"remarque", "opmerking", "comment", "notes",
                                            "commentaire", "bron_systeem"};
static const char *const EXTRA_NOTES[] = {
    "", "", "", "zie PV", "voir dossier; à vérifier", "said \"urgent\", call back",
    "ligne 1\nligne 2", "n/a", "Ré-ouvert, cf. \"note\"; suite", "a,b;c", "opgevolgd door\r\nteam 2",
    "ÉQUIPE MOBILE",
};

static void emit_extra(void)
{
    const char *s = EXTRA_NOTES[below(&PRES, (uint32_t)(sizeof EXTRA_NOTES / sizeof *EXTRA_NOTES))];
    emit_field(s, strlen(s), 0);
}

static void emit_header(void)
{
    const service *sv = G.sv;
    if (G.enc == E_UTF8BOM) out_bytes("\xEF\xBB\xBF", 3);
    for (int k = 0; k < G.ncols_out; k++) {
        if (k) out_bytes(&sv->delim, 1);
        int col = G.order[k];
        char f[80];
        size_t n = 0;
        int quote = 0;
        const char *name;
        if (col == sv->ncols)
            name = EXTRA_HEADERS[below(&PRES, (uint32_t)(sizeof EXTRA_HEADERS / sizeof *EXTRA_HEADERS))];
        else if (G.style == S_PLAIN)
            name = sv->cols[col].names[0];
        else if (G.style == S_NATIVE)
            name = sv->cols[col].names[sv->cols[col].nat[G.hdr_lang]];
        else {
            int m = 0;
            while (m < 6 && sv->cols[col].names[m]) m++;
            name = sv->cols[col].names[below(&PRES, (uint32_t)m)];
        }
        if (G.style == S_QUIRKY) {
            int lead = permille(&PRES, 250), trail = permille(&PRES, 250);
            if (lead) f[n++] = ' ';
            size_t l = put_str(f + n, name);
            recase(f + n, l, random_case());
            n += l;
            if (trail) f[n++] = ' ';
            quote = permille(&PRES, 80);
        } else {
            n = put_str(f, name);
        }
        emit_field(f, n, quote);
    }
}

/* One row: a line break first (so that a quirky file can end without one),
 * then the values in the file's column order. */
static void emit_row(const val_t *v)
{
    out_eol();
    for (int k = 0; k < G.ncols_out; k++) {
        if (k) out_bytes(&G.sv->delim, 1);
        int col = G.order[k];
        if (col == G.sv->ncols) emit_extra();
        else emit_value(&G.sv->cols[col], &v[col]);
    }
}

/* ---- Driving: rows per year, sorted primary dates. --------------------- */

/* Rows per year: a mild upward trend with noise (drawn from REC so the
 * records do not depend on the style), shared out by largest remainder so
 * the total is exactly --rows. */
static void rows_per_year(unsigned long long *cnt)
{
    int ny = G.y1 - G.y0 + 1;
    unsigned long long w[MAXYEARS], tot = 0, given = 0;
    for (int i = 0; i < ny; i++) {
        w[i] = 1000 + 30ULL * (unsigned)i + below(&REC, 300);
        tot += w[i];
    }
    unsigned long long rem[MAXYEARS];
    for (int i = 0; i < ny; i++) {
        /* rows * w / tot without overflow for any --rows: split the product. */
        unsigned long long q = G.rows / tot, r = G.rows % tot;
        cnt[i] = q * w[i] + (r * w[i]) / tot;
        rem[i] = (r * w[i]) % tot;
        given += cnt[i];
    }
    while (given < G.rows) {
        int best = 0;
        for (int i = 1; i < ny; i++) if (rem[i] > rem[best]) best = i;
        cnt[best]++; rem[best] = 0; given++;
    }
}

/* Day of row j of k in a year of len days, non-decreasing in j and spread
 * over the year: (j*len + r)/k with r < len keeps the numerators strictly
 * increasing.  Working days only where the service is an office or court
 * (Saturday/Sunday moved to the Friday, or to the Monday at New Year). */
static int day_of(int ystart, int len, unsigned long long j, unsigned long long k, int weekdays)
{
    unsigned long long num = j * (unsigned long long)len + below(&REC, (uint32_t)len);
    int day = ystart + (int)(num / k);
    if (weekdays) {
        int dow = ((day + 3) % 7 + 7) % 7;          /* 0 = Monday; 1970-01-01 was a Thursday */
        if (dow >= 5) {
            int fri = day - (dow - 4);
            day = fri >= ystart ? fri : day + (7 - dow);
        }
    }
    return day;
}

static void run_records(void)
{
    unsigned long long cnt[MAXYEARS];
    rows_per_year(cnt);
    val_t v[MAXCOLS];
    for (int y = G.y0; y <= G.y1; y++) {
        int ys = days_from_civil(y, 1, 1), len = days_from_civil(y + 1, 1, 1) - ys;
        unsigned long long k = cnt[y - G.y0];
        G.seq = 0;
        for (unsigned long long j = 0; j < k; j++) {
            memset(v, 0, sizeof(val_t) * (size_t)G.sv->ncols);
            G.sv->row(v, y, day_of(ys, len, j, k, G.sv->weekdays));
            emit_row(v);
        }
    }
}

/* Reference text: prefix, counter with small gaps (real numbering skips
 * the non-trafficking files in between), suffix. */
static const char *make_ref(const char *pre, int width, const char *post)
{
    G.seq += 1 + below(&REC, 4);
    char *p = G.ref;
    p += put_str(p, pre);
    p += put_uint(p, G.seq, width);
    p += put_str(p, post);
    *p = 0;
    return G.ref;
}

static const char *yy(int year, char *buf)
{
    put_uint(buf, (unsigned)(year % 100), 2);
    buf[2] = 0;
    return buf;
}

#define SET(v, x) ((v).set = 1, (v).i = (x))

/* Weights shared by several services. */
static const unsigned W_DISTRICT[] = {/* ANT */ 220, 60, 90, 70, 40, /* BRU */ 240, 45, 20,
                                      /* HAI */ 90, /* LIE */ 100, 30, 20, 8};
static const unsigned W_FORM[] = {/* SEX */ 420, /* LAB */ 400, 40, 60, 3, 77};

static int pick_form(void) { return PICK(&REC, W_FORM); }

/* ---- police ----------------------------------------------------------- */

enum { PO_DATE, PO_REF, PO_DISTRICT, PO_OFFENCE, PO_FORM, PO_SUSPECTS, PO_VICTIMS, PO_N };
static const column_def POLICE_COLS[PO_N] = {
    [PO_DATE] = {{"registration_date", "date_enregistrement", "registratiedatum"}, {0, 1, 2}, K_DATE, 0, 0},
    [PO_REF] = {{"fact_ref", "ref_fait", "feit_ref"}, {0, 1, 2}, K_REF, 0, 0},
    [PO_DISTRICT] = {{"district", "arrondissement", "arrondissement_judiciaire", "gerechtelijk_arrondissement"},
                     {0, 1, 1}, K_CODE, &DISTRICT, 0},
    [PO_OFFENCE] = {{"offence", "infraction", "misdrijf"}, {0, 1, 2}, K_CODE, &OFFENCE, 0},
    [PO_FORM] = {{"exploitation_form", "forme_exploitation", "uitbuitingsvorm"}, {0, 1, 2}, K_CODE, &FORM, 0},
    [PO_SUSPECTS] = {{"suspects", "suspects_nb", "verdachten"}, {0, 1, 2}, K_INT, 0, 0},
    [PO_VICTIMS] = {{"victims", "victimes", "slachtoffers"}, {0, 1, 2}, K_INT, 0, 0},
};
enum { IT_PO_FACTS, IT_PO_SUSPECTS, IT_PO_VICTIMS };

static void police_row(val_t *v, int year, int day)
{
    char pre[8] = "PV-00-";
    put_uint(pre + 3, (unsigned)(year % 100), 2);
    SET(v[PO_DATE], day);
    v[PO_REF].set = 1;
    v[PO_REF].s = make_ref(pre, 6, "");
    SET(v[PO_DISTRICT], PICK(&REC, W_DISTRICT));
    int thb = permille(&REC, 700);
    SET(v[PO_OFFENCE], thb ? OFF_THB : OFF_SMUG);
    if (thb) SET(v[PO_FORM], pick_form());
    /* Suspects: usually one or two known; ~5 % not filled in. */
    if (!permille(&REC, 50)) {
        static const unsigned w[] = {50, 450, 250, 120, 60, 30, 20, 10, 5, 3, 2};
        SET(v[PO_SUSPECTS], PICK(&REC, w));
    }
    /* Victims: THB facts have one or a few, sometimes a large group (a
     * labour-exploitation raid); smuggling facts often record none. */
    if (!permille(&REC, thb ? 50 : 200)) {
        int n = thb ? 1 + (int)below(&REC, 3) * (int)below(&REC, 3) : (int)below(&REC, 6);
        if (permille(&REC, 30)) n += between(&REC, 5, 40);
        SET(v[PO_VICTIMS], n);
    }
    acc(IT_PO_FACTS, year, 1, 1);
    acc(IT_PO_SUSPECTS, year, v[PO_SUSPECTS].set, v[PO_SUSPECTS].i);
    acc(IT_PO_VICTIMS, year, v[PO_VICTIMS].set, v[PO_VICTIMS].i);
}

/* ---- prosecution ------------------------------------------------------ */

enum { PR_REF, PR_ENTRY, PR_DISTRICT, PR_OFFENCE, PR_FORM, PR_DEFENDANTS, PR_DECISION, PR_DDATE, PR_N };
static const column_def PROSECUTION_COLS[PR_N] = {
    [PR_REF] = {{"case_ref", "ref_dossier", "dossier_ref", "notitienummer"}, {0, 1, 3}, K_REF, 0, 0},
    [PR_ENTRY] = {{"entry_date", "date_entree", "datum_instroom"}, {0, 1, 2}, K_DATE, 0, 0},
    [PR_DISTRICT] = {{"district", "arrondissement", "gerechtelijk_arrondissement"}, {0, 1, 2}, K_CODE, &DISTRICT, 0},
    [PR_OFFENCE] = {{"offence", "prevention", "tenlastelegging"}, {0, 1, 2}, K_CODE, &OFFENCE, 0},
    [PR_FORM] = {{"exploitation_form", "forme_exploitation", "uitbuitingsvorm"}, {0, 1, 2}, K_CODE, &FORM, 0},
    [PR_DEFENDANTS] = {{"defendants", "nb_prevenus", "aantal_verdachten"}, {0, 1, 2}, K_INT, 0, 0},
    [PR_DECISION] = {{"decision", "decision_parquet", "beslissing"}, {0, 1, 2}, K_CODE, &DECISION, 0},
    [PR_DDATE] = {{"decision_date", "date_decision", "datum_beslissing"}, {0, 1, 2}, K_DATE, 0, 0},
};
enum { IT_PR_DISMISSED, IT_PR_IN, IT_PR_PROSECUTED, IT_PR_DEFENDANTS };

static void prosecution_row(val_t *v, int year, int day)
{
    char b[4], post[8];
    int district = PICK(&REC, W_DISTRICT);
    snprintf(post, sizeof post, "/%s", yy(year, b));
    char pre[16];
    snprintf(pre, sizeof pre, "%s.60.L1.", DISTRICT_PREFIX[district]);
    v[PR_REF].set = 1;
    v[PR_REF].s = make_ref(pre, 6, post);
    SET(v[PR_ENTRY], day);
    SET(v[PR_DISTRICT], district);
    int thb = permille(&REC, 750);
    SET(v[PR_OFFENCE], thb ? OFF_THB : OFF_SMUG);
    if (thb) SET(v[PR_FORM], pick_form());
    /* The number of defendants is often missing in the prosecutors' data. */
    if (!permille(&REC, 250)) {
        static const unsigned w[] = {0, 400, 250, 150, 80, 50, 30, 20, 10, 10};
        SET(v[PR_DEFENDANTS], PICK(&REC, w));
    }
    /* Decision and its delay: referrals to an investigating judge are
     * quick, dismissals and summons take months to years.  A decision that
     * would fall after the extract date has not happened: still pending. */
    static const unsigned w_dec[] = {80, 330, 50, 150, 250, 140};
    int dec = PICK(&REC, w_dec), delay = 0;
    switch (dec) {
    case DC_DISMISSED: delay = between(&REC, 30, 600); break;
    case DC_SETTLEMENT: delay = between(&REC, 90, 700); break;
    case DC_SUMMONS: delay = between(&REC, 60, 900); break;
    case DC_REFERRAL: delay = between(&REC, 0, 120); break;
    case DC_JOINED: delay = between(&REC, 10, 400); break;
    }
    if (dec != DC_PENDING && day + delay > G.extract_day) dec = DC_PENDING;
    SET(v[PR_DECISION], dec);
    acc(IT_PR_IN, year, 1, 1);
    if (dec == DC_PENDING) return;
    int dday = day + delay, dyear = year_of(dday);
    SET(v[PR_DDATE], dday);
    if (dec == DC_SUMMONS || dec == DC_REFERRAL) {
        acc(IT_PR_PROSECUTED, dyear, 1, 1);
        acc(IT_PR_DEFENDANTS, dyear, v[PR_DEFENDANTS].set, v[PR_DEFENDANTS].i);
    } else if (dec == DC_DISMISSED) {
        acc(IT_PR_DISMISSED, dyear, 1, 1);
    }
}

/* ---- inspectorates ---------------------------------------------------- */

enum { IN_YEAR, IN_INSP, IN_SECTOR, IN_INSPECTIONS, IN_REPORTS, IN_VICTIMS, IN_N };
static const column_def INSPECTORATES_COLS[IN_N] = {
    [IN_YEAR] = {{"year", "annee", "jaar"}, {0, 1, 2}, K_INT, 0, 0},
    [IN_INSP] = {{"inspectorate", "service_inspection", "inspectiedienst"}, {0, 1, 2}, K_CODE, &INSPECTORATE, 0},
    [IN_SECTOR] = {{"sector", "secteur"}, {0, 1, 0}, K_RAW, 0, 0},
    [IN_INSPECTIONS] = {{"inspections", "controles", "controles_nb", "inspecties"}, {0, 1, 3}, K_INT, 0, 0},
    [IN_REPORTS] = {{"thb_reports", "pv_teh", "pv_mensenhandel"}, {0, 1, 2}, K_INT, 0, 0},
    [IN_VICTIMS] = {{"victims_referred", "victimes_orientees", "doorverwezen_slachtoffers"}, {0, 1, 2}, K_INT, 0, 0},
};
enum { IT_IN_INSPECTIONS, IT_IN_REPORTS, IT_IN_VICTIMS };

/* NACE sections A–U and UNK, weighted by how much trafficking inspection
 * they see (agriculture, construction, horeca, cleaning, transport...). */
static const char *const SECTORS[] = {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K",
                                      "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "UNK"};
static const unsigned W_SECTOR[] = {80, 3, 50, 2, 5, 100, 60, 70, 100, 10, 3,
                                    5, 10, 80, 2, 3, 15, 10, 40, 30, 1, 20};
#define NSECT ((int)(sizeof SECTORS / sizeof *SECTORS))
#define NCOMBO (3 * NSECT)

/* Already aggregated: --rows is the number of (year, inspectorate, sector)
 * rows, at most NCOMBO a year.  Each year keeps the combinations with the
 * largest weighted random keys (the busy sectors nearly always appear),
 * written in (inspectorate, sector) order as the sample is. */
static void inspectorates_run(void)
{
    unsigned long long cnt[MAXYEARS];
    rows_per_year(cnt);
    static const unsigned w_insp[] = {100, 100, 60};
    val_t v[MAXCOLS];
    for (int y = G.y0; y <= G.y1; y++) {
        unsigned long long key[NCOMBO];
        int take = cnt[y - G.y0] > NCOMBO ? NCOMBO : (int)cnt[y - G.y0];
        for (int c = 0; c < NCOMBO; c++)
            key[c] = (unsigned long long)(below(&REC, 1u << 20) + 1) * w_insp[c / NSECT] * W_SECTOR[c % NSECT];
        /* The threshold is the take-th largest key: selection by repeated
         * max over 66 entries is plenty fast for a table this small. */
        unsigned char chosen[NCOMBO] = {0};
        for (int t = 0; t < take; t++) {
            int best = -1;
            for (int c = 0; c < NCOMBO; c++)
                if (!chosen[c] && (best < 0 || key[c] > key[best])) best = c;
            chosen[best] = 1;
        }
        for (int c = 0; c < NCOMBO; c++) {
            if (!chosen[c]) continue;
            int sect = c % NSECT;
            unsigned scale = W_SECTOR[sect];
            long long insp = 5 + (long long)below(&REC, 4 * scale + 20);
            long long rep = (long long)below(&REC, (uint32_t)(insp / 40 + 2));
            long long vic = rep ? (long long)below(&REC, (uint32_t)(rep * 4 + 1)) : (long long)below(&REC, 2);
            memset(v, 0, sizeof v);
            SET(v[IN_YEAR], y);
            SET(v[IN_INSP], c / NSECT);
            v[IN_SECTOR].set = 1;
            v[IN_SECTOR].s = SECTORS[sect];
            SET(v[IN_INSPECTIONS], insp);
            SET(v[IN_REPORTS], rep);
            SET(v[IN_VICTIMS], vic);
            acc(IT_IN_INSPECTIONS, y, 1, insp);
            acc(IT_IN_REPORTS, y, 1, rep);
            acc(IT_IN_VICTIMS, y, 1, vic);
            emit_row(v);
        }
    }
}

/* ---- shelters --------------------------------------------------------- */

enum { SH_CENTRE, SH_REF, SH_DATE, SH_BY, SH_SEX, SH_AGE, SH_NAT, SH_FORM, SH_ADMITTED, SH_ADATE, SH_N };
static const column_def SHELTERS_COLS[SH_N] = {
    [SH_CENTRE] = {{"centre", "center", "centrum"}, {0, 0, 2}, K_CODE, &CENTRE, 0},
    [SH_REF] = {{"person_ref", "ref_personne", "persoon_ref"}, {0, 1, 2}, K_REF, 0, 0},
    [SH_DATE] = {{"referral_date", "date_orientation", "datum_doorverwijzing"}, {0, 1, 2}, K_DATE, 0, 0},
    [SH_BY] = {{"referred_by", "oriente_par", "doorverwezen_door"}, {0, 1, 2}, K_CODE, &REFERRER, 0},
    [SH_SEX] = {{"sex", "sexe", "geslacht"}, {0, 1, 2}, K_CODE, &SEX, 0},
    [SH_AGE] = {{"age", "leeftijd"}, {0, 0, 1}, K_INT, 0, 0},
    [SH_NAT] = {{"nationality", "nationalite", "nationaliteit"}, {0, 1, 2}, K_NATNAME, 0, 0},
    [SH_FORM] = {{"exploitation_form", "forme_exploitation", "uitbuitingsvorm"}, {0, 1, 2}, K_CODE, &FORM, 0},
    [SH_ADMITTED] = {{"admitted", "accueilli", "opgenomen"}, {0, 1, 2}, K_CODE, &YESNO, 0},
    [SH_ADATE] = {{"admission_date", "date_accueil", "datum_opname"}, {0, 1, 2}, K_DATE, 0, 0},
};
enum { IT_SH_REFERRALS, IT_SH_ADMITTED };

/* Per centre: its reference style and the share of women (Payoke and
 * Sürya see more labour exploitation, so more men). */
static const struct { const char *pre; int yw, w; unsigned women; } CENTRE_REF[] = {
    [C_PAGASA] = {"PA-", 4, 4, 550}, [C_PAYOKE] = {"PY-", 4, 3, 450}, [C_SURYA] = {"SU-", 2, 2, 480},
};

static void shelters_row(val_t *v, int year, int day)
{
    char pre[16];
    if (CENTRE_REF[G.centre].yw == 4) snprintf(pre, sizeof pre, "%s%04d-", CENTRE_REF[G.centre].pre, year);
    else snprintf(pre, sizeof pre, "%s%02d-", CENTRE_REF[G.centre].pre, year % 100);
    SET(v[SH_CENTRE], G.centre);
    v[SH_REF].set = 1;
    v[SH_REF].s = make_ref(pre, CENTRE_REF[G.centre].w, "");
    SET(v[SH_DATE], day);
    static const unsigned w_by[] = {400, 150, 150, 120, 100, 80};
    if (!permille(&REC, 50)) SET(v[SH_BY], PICK(&REC, w_by));
    if (!permille(&REC, 40)) SET(v[SH_SEX], permille(&REC, CENTRE_REF[G.centre].women) ? SX_F : SX_M);
    /* Ages: about 8 % minors (14–17), adults mostly 20–40. */
    if (!permille(&REC, 50)) {
        int age = permille(&REC, 80) ? between(&REC, 14, 17)
                                     : 18 + (int)below(&REC, 25) + (int)below(&REC, 20) * (int)below(&REC, 2);
        SET(v[SH_AGE], age);
    }
    if (!permille(&REC, 50)) SET(v[SH_NAT], pick_nat(W_VICTIM));
    if (!permille(&REC, 50)) SET(v[SH_FORM], pick_form());
    int admitted = permille(&REC, 600);
    SET(v[SH_ADMITTED], admitted ? YN_YES : YN_NO);
    acc(IT_SH_REFERRALS, year, 1, 1);
    if (admitted) {
        /* Taken into care within days mostly, up to two months; never
         * after the extract date, never before the referral. */
        int d = permille(&REC, 700) ? between(&REC, 0, 7)
              : permille(&REC, 850) ? between(&REC, 8, 30) : between(&REC, 31, 60);
        int aday = day + d > G.extract_day ? G.extract_day : day + d;
        SET(v[SH_ADATE], aday);
        acc(IT_SH_ADMITTED, year_of(aday), 1, 1);
    }
}

/* ---- convictions ------------------------------------------------------ */

enum { CV_REF, CV_JDATE, CV_RDATE, CV_DISTRICT, CV_OFFENCE, CV_FORM, CV_SEX, CV_NAT,
       CV_PRISON, CV_SUSP, CV_SUSPM, CV_FINE, CV_CONF, CV_N };
static const column_def CONVICTIONS_COLS[CV_N] = {
    [CV_REF] = {{"bulletin_ref", "ref_bulletin", "bulletin_nr"}, {0, 1, 2}, K_REF, 0, 0},
    [CV_JDATE] = {{"judgment_date", "date_jugement", "datum_vonnis"}, {0, 1, 2}, K_DATE, 0, 0},
    [CV_RDATE] = {{"registration_date", "date_enregistrement", "registratiedatum"}, {0, 1, 2}, K_DATE, 0, 0},
    [CV_DISTRICT] = {{"court_district", "arrondissement", "gerechtelijk_arrondissement"}, {0, 1, 2},
                     K_CODE, &DISTRICT, 0},
    [CV_OFFENCE] = {{"offence", "prevention", "tenlastelegging"}, {0, 1, 2}, K_CODE, &OFFENCE, 0},
    [CV_FORM] = {{"exploitation_form", "forme_exploitation", "uitbuitingsvorm"}, {0, 1, 2}, K_CODE, &FORM, 0},
    /* The criminal record writes the sex as H/F. */
    [CV_SEX] = {{"sex", "sexe", "geslacht"}, {0, 1, 2}, K_CODE, &SEX, 1},
    [CV_NAT] = {{"nationality", "nationalite", "nationaliteit"}, {0, 1, 2}, K_NAT2, 0, 0},
    [CV_PRISON] = {{"prison_months", "emprisonnement_mois", "gevangenisstraf_maanden"}, {0, 1, 2}, K_PRISON, 0, 0},
    [CV_SUSP] = {{"suspension", "sursis", "uitstel"}, {0, 1, 2}, K_CODE, &SUSPENSION, 0},
    [CV_SUSPM] = {{"suspended_months", "sursis_mois", "uitstel_maanden"}, {0, 1, 2}, K_INT, 0, 0},
    [CV_FINE] = {{"fine_eur", "amende_eur", "geldboete_eur"}, {0, 1, 2}, K_AMOUNT, 0, 0},
    [CV_CONF] = {{"confiscation", "verbeurdverklaring"}, {0, 0, 1}, K_CODE, &YESNO, 0},
};
enum { IT_CV_CONFISCATIONS, IT_CV_FINES, IT_CV_PERSONS, IT_CV_PRISON, IT_CV_SUSPENDED };

static void convictions_row(val_t *v, int year, int day)
{
    char pre[16];
    snprintf(pre, sizeof pre, "CJ-%04d-", year);
    v[CV_REF].set = 1;
    v[CV_REF].s = make_ref(pre, 4, "");
    SET(v[CV_JDATE], day);
    /* Registration delay: mostly weeks, a tail to about two years.  A
     * bulletin registered after the extract date would not be in it: the
     * delay is drawn again within what is left, which shortens the delays
     * of the last year as in a real snapshot. */
    int delay = permille(&REC, 600) ? between(&REC, 14, 120)
              : permille(&REC, 750) ? between(&REC, 121, 365) : between(&REC, 366, 730);
    if (day + delay > G.extract_day) delay = between(&REC, 7, G.extract_day - day);
    SET(v[CV_RDATE], day + delay);
    SET(v[CV_DISTRICT], PICK(&REC, W_DISTRICT));
    int thb = permille(&REC, 650);
    SET(v[CV_OFFENCE], thb ? OFF_THB : OFF_SMUG);
    if (thb && !permille(&REC, 50)) SET(v[CV_FORM], pick_form());
    if (!permille(&REC, 30)) SET(v[CV_SEX], permille(&REC, 190) ? SX_F : SX_M);
    if (!permille(&REC, 50)) SET(v[CV_NAT], pick_nat(W_OFFENDER));

    /* Prison: ~4 % not known, ~15 % none (a fine only), the rest over the
     * five bands; judges like multiples of six months. */
    int pr = (int)below(&REC, 1000), months = -1;
    if (pr >= 40) {
        months = 0;
        if (pr >= 190) {
            static const unsigned w_band[] = {250, 350, 200, 140, 60};
            static const int lo[] = {1, 12, 36, 60, 120}, hi[] = {11, 35, 59, 119, 240};
            int b = PICK(&REC, w_band);
            months = between(&REC, lo[b], hi[b]);
            if (permille(&REC, 600)) {
                int r = months / 6 * 6;
                if (r >= lo[b]) months = r;
            }
        }
        SET(v[CV_PRISON], months);
    }
    int susp = -1;
    if (months > 0) {
        /* Full suspension only for terms up to five years. */
        static const unsigned w_short[] = {400, 250, 350}, w_long[] = {800, 200, 0};
        susp = months <= 60 ? PICK(&REC, w_short) : PICK(&REC, w_long);
        if (susp == SU_PARTIAL && months < 2) susp = SU_FULL;
        SET(v[CV_SUSP], susp);
        if (susp == SU_PARTIAL)
            SET(v[CV_SUSPM], permille(&REC, 500) ? months / 2 : between(&REC, 1, months - 1));
    }
    /* Fines after the multiplier, whole euros; a few very large ones so
     * that two thousands separators occur. */
    long long fine = -1;
    if (!permille(&REC, 50)) {
        if (permille(&REC, 180)) fine = 0;
        else if (permille(&REC, 30)) fine = (long long)between(&REC, 1, 200) * 8000;
        else fine = (long long)between(&REC, 1, 60) * 500;
        SET(v[CV_FINE], fine * 100);
    }
    int conf = -1;
    if (!permille(&REC, 50)) {
        conf = permille(&REC, 420);
        SET(v[CV_CONF], conf ? YN_YES : YN_NO);
    }
    acc(IT_CV_PERSONS, year, 1, 1);
    acc(IT_CV_PRISON, year, months >= 0, months > 0);
    acc(IT_CV_SUSPENDED, year, months >= 0, months > 0 && susp != SU_NONE);
    acc(IT_CV_FINES, year, fine >= 0, fine > 0);
    acc(IT_CV_CONFISCATIONS, year, conf >= 0, conf == 1);
}

/* ---- immigration ------------------------------------------------------ */

enum { IM_REF, IM_DATE, IM_TYPE, IM_PROC, IM_SEX, IM_NAT, IM_MINOR, IM_N };
static const column_def IMMIGRATION_COLS[IM_N] = {
    [IM_REF] = {{"document_ref", "ref_document", "document_nr"}, {0, 1, 2}, K_REF, 0, 0},
    [IM_DATE] = {{"issue_date", "date_delivrance", "datum_afgifte"}, {0, 1, 2}, K_DATE, 0, 0},
    [IM_TYPE] = {{"document_type", "type_document", "type_document_nl"}, {0, 1, 2}, K_CODE, &DOCUMENT, 0},
    [IM_PROC] = {{"procedure", "procedure_type", "procedure_nl"}, {0, 1, 2}, K_RAW, 0, 0},
    [IM_SEX] = {{"sex", "sexe", "geslacht"}, {0, 1, 2}, K_CODE, &SEX, 0},
    [IM_NAT] = {{"nationality", "nationalite", "nationaliteit"}, {0, 1, 2}, K_NAT2, 0, 0},
    [IM_MINOR] = {{"minor", "mineur", "minderjarig"}, {0, 1, 2}, K_CODE, &YESNO, 0},
};
enum { IT_IM_DOCUMENTS };

static void immigration_row(val_t *v, int year, int day)
{
    char pre[16];
    snprintf(pre, sizeof pre, "OE-%02d-", year % 100);
    v[IM_REF].set = 1;
    v[IM_REF].s = make_ref(pre, 5, "");
    SET(v[IM_DATE], day);
    /* Most documents are the first steps of the procedure. */
    static const unsigned w_doc[] = {350, 250, 250, 80, 70};
    SET(v[IM_TYPE], PICK(&REC, w_doc));
    v[IM_PROC].set = 1;
    v[IM_PROC].s = permille(&REC, 850) ? "THB" : "SMUG";
    if (!permille(&REC, 30)) SET(v[IM_SEX], permille(&REC, 520) ? SX_F : SX_M);
    if (!permille(&REC, 40)) SET(v[IM_NAT], pick_nat(W_DOC));
    if (!permille(&REC, 50)) SET(v[IM_MINOR], permille(&REC, 80) ? YN_YES : YN_NO);
    acc(IT_IM_DOCUMENTS, year, 1, 1);
}

/* ---- The service table: native conventions per FORMATS.md and samples/. */

static const service SERVICES[] = {
    {"police", ';', E_UTF8BOM, 1, NL, NL, D_DMY_SLASH, 0, POLICE_COLS, PO_N,
     {"police.facts", "police.suspects", "police.victims"}, police_row, NULL},
    {"prosecution", ';', E_CP1252, 0, FR, FR, D_DMY_SLASH, 1, PROSECUTION_COLS, PR_N,
     {"prosecution.cases_dismissed", "prosecution.cases_in", "prosecution.cases_prosecuted",
      "prosecution.defendants_prosecuted"}, prosecution_row, NULL},
    {"inspectorates", ',', E_UTF8, 0, EN, CODES, D_ISO, 0, INSPECTORATES_COLS, IN_N,
     {"inspection.inspections", "inspection.thb_reports", "inspection.victims_referred"}, NULL,
     inspectorates_run},
    /* Header and label language are the centre's, set in main(). */
    {"shelters", ';', E_UTF8, 0, NL, NL, D_ISO, 0, SHELTERS_COLS, SH_N,
     {"shelter.referrals", "shelter.victims_admitted"}, shelters_row, NULL},
    {"convictions", ';', E_CP1252, 0, FR, FR, D_ISO, 1, CONVICTIONS_COLS, CV_N,
     {"conviction.confiscations", "conviction.fines", "conviction.persons", "conviction.prison",
      "conviction.prison_suspended"}, convictions_row, NULL},
    {"immigration", ',', E_UTF8, 0, EN, CODES, D_ISO, 1, IMMIGRATION_COLS, IM_N,
     {"immigration.documents"}, immigration_row, NULL},
};
#define NSERVICES ((int)(sizeof SERVICES / sizeof *SERVICES))

/* ---- The oracle file. -------------------------------------------------- */

/* item,year,value,unknown — sorted by item then year; one row per year with
 * records, as the query prints; value empty when no record knew it (SQL's
 * sum over nothing but NULLs). */
static int write_expect(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) { fprintf(stderr, "ciatteh-gen: %s: %s\n", path, strerror(errno)); return EX_IOERR; }
    int nit = 0, idx[MAXITEMS];
    while (nit < MAXITEMS && G.sv->items[nit]) { idx[nit] = nit; nit++; }
    for (int a = 1; a < nit; a++)                       /* insertion sort by code */
        for (int b = a; b > 0 && strcmp(G.sv->items[idx[b - 1]], G.sv->items[idx[b]]) > 0; b--) {
            int t = idx[b]; idx[b] = idx[b - 1]; idx[b - 1] = t;
        }
    fputs("item,year,value,unknown\n", f);
    for (int a = 0; a < nit; a++)
        for (int yi = 0; yi < MAXYEARS; yi++) {
            const long long *c = &G.acc[idx[a]][yi].n;
            if (!c[0]) continue;
            fprintf(f, "%s,%d,", G.sv->items[idx[a]], G.y0 + yi);
            if (c[0] > c[2]) fprintf(f, "%lld", c[1]);
            fprintf(f, ",%lld\n", c[2]);
        }
    if (fflush(f) || ferror(f) || fclose(f)) {
        fprintf(stderr, "ciatteh-gen: %s: write failed\n", path);
        return EX_IOERR;
    }
    return 0;
}

/* ---- Command line. ------------------------------------------------------ */

static void usage(FILE *f)
{
    fputs("usage: ciatteh-gen SERVICE [--rows N] [--seed S] [--years A-B]\n"
          "                   [--centre PAYOKE|PAGASA|SURYA] [--style plain|native|quirky]\n"
          "                   [--expect FILE] [-o FILE]\n"
          "SERVICE: police, prosecution, inspectorates, shelters, convictions, immigration\n"
          "defaults: --rows 1000 --seed 1 --years 2019-2023 --style native --centre PAYOKE\n"
          "Dates go up to 15 March of the year after B: use past years for a valid file.\n", f);
}

static int bad(const char *msg, const char *arg)
{
    fprintf(stderr, "ciatteh-gen: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    usage(stderr);
    return EX_USAGE;
}

static int parse_u64(const char *s, unsigned long long *out)
{
    if (!*s) return -1;
    unsigned long long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        if (v > (~0ULL - 9) / 10) return -1;
        v = v * 10 + (unsigned)(*s - '0');
    }
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    const char *svname = NULL, *out_path = NULL, *expect_path = NULL, *centre = NULL;
    unsigned long long seed = 1, rows = 1000;
    int y0 = 2019, y1 = 2023;
    enum style style = S_NATIVE;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); return 0; }
        if (a[0] != '-' || !a[1]) {
            if (svname) return bad("more than one SERVICE", a);
            svname = a;
            continue;
        }
        /* --opt VALUE or --opt=VALUE */
        char opt[32];
        const char *eq = strchr(a, '=');
        size_t ol = eq ? (size_t)(eq - a) : strlen(a);
        if (ol >= sizeof opt) return bad("unknown option", a);
        memcpy(opt, a, ol);
        opt[ol] = 0;
        if (eq) val = eq + 1;
        else if (i + 1 < argc) val = argv[++i];
        else return bad("missing value for", a);
        if (!strcmp(opt, "--rows")) {
            if (parse_u64(val, &rows)) return bad("--rows wants a non-negative integer", val);
        } else if (!strcmp(opt, "--seed")) {
            if (parse_u64(val, &seed)) return bad("--seed wants a non-negative integer", val);
        } else if (!strcmp(opt, "--years")) {
            unsigned long long a0, a1;
            char buf[32];
            if (strlen(val) >= sizeof buf) return bad("bad --years", val);
            strcpy(buf, val);
            char *dash = strchr(buf, '-');
            if (dash) *dash = 0;
            if (parse_u64(buf, &a0) || (dash ? parse_u64(dash + 1, &a1) : (a1 = a0, 0)))
                return bad("--years wants A-B or A", val);
            if (a0 < 1995 || a1 < a0 || a1 > 9998 || a1 - a0 >= 100)
                return bad("--years: A >= 1995, A <= B, fewer than 100 years", val);
            y0 = (int)a0;
            y1 = (int)a1;
        } else if (!strcmp(opt, "--centre") || !strcmp(opt, "--center")) {
            centre = val;
        } else if (!strcmp(opt, "--style")) {
            if (!strcmp(val, "plain")) style = S_PLAIN;
            else if (!strcmp(val, "native")) style = S_NATIVE;
            else if (!strcmp(val, "quirky")) style = S_QUIRKY;
            else return bad("--style is plain, native or quirky", val);
        } else if (!strcmp(opt, "--expect")) {
            expect_path = val;
        } else if (!strcmp(opt, "-o") || !strcmp(opt, "--output")) {
            out_path = val;
        } else {
            return bad("unknown option", a);
        }
    }
    if (!svname) return bad("SERVICE missing", NULL);
    for (int s = 0; s < NSERVICES; s++)
        if (!strcmp(svname, SERVICES[s].name)) G.sv = &SERVICES[s];
    if (!G.sv) return bad("unknown SERVICE", svname);
    G.centre = C_PAYOKE;
    if (centre) {
        if (strcmp(G.sv->name, "shelters")) return bad("--centre applies to shelters only", centre);
        if (!strcmp(centre, "PAYOKE")) G.centre = C_PAYOKE;
        else if (!strcmp(centre, "PAGASA")) G.centre = C_PAGASA;
        else if (!strcmp(centre, "SURYA")) G.centre = C_SURYA;
        else return bad("--centre is PAYOKE, PAGASA or SURYA", centre);
    }

    G.style = style;
    G.y0 = y0;
    G.y1 = y1;
    G.rows = rows;
    G.extract_day = days_from_civil(y1 + 1, 3, 15);
    /* Service and centre are part of the stream seeds so that the files
     * of one seed are not copies of each other's dates and draws. */
    uint64_t stream = (uint64_t)(G.sv - SERVICES) * 64 + (uint64_t)G.centre * 4;
    rng_seed(&REC, seed, stream + 1);
    rng_seed(&PRES, seed, stream + 2);

    /* The file's conventions. */
    G.enc = G.sv->enc;
    G.crlf = G.sv->crlf;
    G.hdr_lang = G.sv->hdr_lang;
    G.lab_lang = G.sv->lab_lang;
    G.final_newline = 1;
    if (G.sv->row == shelters_row) {
        /* Payoke writes Dutch, Sürya French, Pag-Asa either. */
        int lang = G.centre == C_PAYOKE ? NL : G.centre == C_SURYA ? FR : below(&PRES, 2) ? FR : NL;
        G.hdr_lang = G.lab_lang = lang;
    }
    if (style == S_PLAIN) {
        G.enc = E_UTF8;
        G.crlf = 0;
    } else if (style == S_QUIRKY) {
        /* Per file: line ending, BOM on UTF-8, last line break.  A cp1252
         * service stays cp1252 (its labels carry the accented bytes). */
        G.crlf = (int)below(&PRES, 2);
        if (G.enc != E_CP1252) G.enc = below(&PRES, 2) ? E_UTF8BOM : E_UTF8;
        G.final_newline = (int)below(&PRES, 2);
    }
    G.ncols_out = G.sv->ncols;
    for (int k = 0; k < G.sv->ncols; k++) G.order[k] = k;
    if (style == S_QUIRKY) {
        G.order[G.ncols_out++] = G.sv->ncols;           /* the extra column */
        for (int k = G.ncols_out - 1; k > 0; k--) {     /* Fisher–Yates */
            int j = (int)below(&PRES, (uint32_t)k + 1), t = G.order[k];
            G.order[k] = G.order[j];
            G.order[j] = t;
        }
    }

    OUT = stdout;
    if (out_path && !(OUT = fopen(out_path, "wb"))) {
        fprintf(stderr, "ciatteh-gen: %s: %s\n", out_path, strerror(errno));
        return EX_IOERR;
    }
    emit_header();
    if (G.sv->run) G.sv->run();
    else run_records();
    if (G.final_newline) out_eol();
    flush_out();
    if (fflush(OUT) || ferror(OUT) || (OUT != stdout && fclose(OUT))) {
        fprintf(stderr, "ciatteh-gen: %s: write failed\n", out_path ? out_path : "stdout");
        return EX_IOERR;
    }
    return expect_path ? write_expect(expect_path) : 0;
}
