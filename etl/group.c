/* group.c — the item groups of a delivery, counted while the loader
 * streams the records (see include/ciatteh/group.h for the table and the
 * contract).
 *
 * add() runs once per record on the loader's critical path, and a
 * delivery can have nearly as many groups as records when its items have
 * many dimensions (a million synthetic conviction bulletins would make
 * 386,000: that is why convictions have no group table), so the table is
 * built for one cache miss per record, and that miss is prefetched one
 * record ahead.  A group's key is packed: 2 bytes per key column (dictionary
 * ids of texts, small ids of booleans, signs and bands, years), 4 for
 * int values.  Texts (codes, countries, the scope) go through a small
 * per-column dictionary hashed on the text's 8-byte words, never strlen or
 * strcmp.  Entries (key, n, sums and known counts) sit in the
 * open-addressing table itself, their size rounded to a power of two up
 * to a cache line so that a probe reads one line.  Past the memory budget
 * the groups are written out as COPY binary rows to a temporary file and
 * the table is emptied; copy_out streams those rows first. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/copybin.h"
#include "ciatteh/group.h"
#include "ciatteh/util.h"
#include "ciatteh/validate.h"

#define TEXT_WORDS 6                       /* sizeof cia_val.text / 8 */
#define CHUNK (256 * 1024)                 /* copy_out's chunks, spill writes */
#define NULL_INT 0x80000000u               /* a NULL int value: INT32_MIN is never a value */
#define MAX_IDS 65535                      /* distinct texts of a column: 2-byte ids */

_Static_assert(sizeof(((struct cia_val *)0)->text) == 8 * TEXT_WORDS, "cia_val.text is read as 8-byte words");

/* How a key column is computed from the record and written out. */
enum kkind {
    K_TEXT,         /* 2 bytes: dictionary id of the text; 0 = NULL */
    K_SCOPE,        /* the same, but 0 is written as '' */
    K_INT,          /* 4 bytes: the value (int, year field); NULL_INT */
    K_YEAR_DATE,    /* 2 bytes: yyyymmdd / 10000 + 1; 0 = NULL */
    K_BOOL,         /* 2 bytes: 0 NULL, 1 false, 2 true */
    K_SIGN_NUM,     /* 0 NULL, 1 = 0, 2 > 0 (int, count) */
    K_SIGN_AMOUNT,  /* the same from the amount's text ("0.50" has num 0) */
    K_BAND,         /* 0 NULL or below the first bound, else band index + 1 */
};

/* What a sum adds per record: the value, or 1 when it is above 0. */
enum sum_mode { SUM_VALUE, SUM_SIGN_NUM, SUM_SIGN_AMOUNT };

/* A distinct text of a column: its bytes as 8-byte words, NUL-padded. */
struct tval {
    uint64_t w[TEXT_WORDS];
    uint32_t len;
};

/* Per-column dictionary: text → id (1-based). */
#define FAST_BITS 8
struct tdict {
    /* texts of up to 7 bytes (nearly every code), direct-mapped on their
     * one word: a hit costs a multiply and a compare */
    struct tfast { uint64_t w0; uint32_t id; } fast[1 << FAST_BITS];
    struct tslot { uint64_t h; uint32_t id; } *slot;   /* id 0 = empty */
    size_t mask;
    struct tval *val;                                  /* val[id - 1] */
    size_t n, cap;
};

struct kcol {
    enum kkind kind;
    int field;                 /* -1: none (scope of a spec without one) */
    size_t off;                /* byte offset in the key */
    const char *column;        /* for messages */
    struct tdict dict;         /* K_TEXT, K_SCOPE */
    const long long *band_from;
    char *const *band_code;
    size_t nband;
};

struct cia_groups {
    const cia_spec *spec;
    char *table;                /* SERVICE_group */
    size_t nkey;                /* 2 (scope, dyear) + groups */
    struct kcol *kc;
    size_t nsum;
    int *sum_field;
    int *sum_mode;              /* enum sum_mode per sum */
    /* the columns of the table, for ncols/col_name/col_type */
    size_t ncols;
    const char **col_name;
    const char **col_type;
    char **owned_names;         /* the COLUMN_known names */
    /* an entry: kwords uint64 of packed key (zero-padded), n (0 = empty
     * entry), then sum and known per sum; stride uint64 in all */
    size_t kwords, stride;
    uint64_t *ent;
    size_t mask;                /* entries - 1, a power of two */
    size_t nent, max_ent;       /* in use; at most half the table */
    size_t max_size;            /* the largest table the budget allows */
    /* spill */
    FILE *spill;
    long long spilled;
    size_t row_max;
    /* The record before: counted when the next one arrives, so that its
     * table slot, prefetched meanwhile, is in the cache by then (a large
     * table misses the cache on nearly every new key). */
    int pending;
    uint64_t *pend_key;         /* kwords */
    uint64_t pend_h;
    int64_t *pend_add;          /* per sum: what it adds, and 1 when known */
    /* lag */
    unsigned long long *lag_hist;
    size_t lag_len;
    unsigned long long lag_n;
    int lag_newest;
};

/* ---- hashing ----------------------------------------------------------- */

static inline uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* The text of v as NUL-padded words; returns the number of words holding
 * it (at least 1) and its length. */
static inline size_t text_words(const char *text, uint64_t *w, uint32_t *len)
{
    for (size_t i = 0; i < TEXT_WORDS; i++) {
        uint64_t x;
        memcpy(&x, text + 8 * i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* a zero byte's flag; the lowest one is exact */
        uint64_t z = (x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL;
        if (z) {
            unsigned k = (unsigned)__builtin_ctzll(z) >> 3;    /* index of the NUL */
            w[i] = k ? x & (~0ULL >> (64 - 8 * k)) : 0;
            *len = (uint32_t)(8 * i + k);
            return i + 1;
        }
        w[i] = x;
#else
        unsigned char b[8];
        memcpy(b, &x, 8);
        for (unsigned k = 0; k < 8; k++)
            if (!b[k]) {
                memset(b + k, 0, 8 - k);
                memcpy(&w[i], b, 8);
                *len = (uint32_t)(8 * i + k);
                return i + 1;
            }
        w[i] = x;
#endif
    }
    *len = 8 * TEXT_WORDS;      /* no NUL: the whole buffer (the validator never does this) */
    return TEXT_WORDS;
}

static void tdict_grow(struct tdict *d)
{
    size_t nsize = d->slot ? 2 * (d->mask + 1) : 16;
    struct tslot *ns = cia_xcalloc(nsize, sizeof *ns);
    for (size_t i = 0; d->slot && i <= d->mask; i++) {
        if (!d->slot[i].id) continue;
        size_t j = d->slot[i].h & (nsize - 1);
        while (ns[j].id) j = (j + 1) & (nsize - 1);
        ns[j] = d->slot[i];
    }
    free(d->slot);
    d->slot = ns;
    d->mask = nsize - 1;
}

/* id of a text, adding it when new; MAX_IDS + 1 when the column has no
 * id left. */
static uint32_t tdict_slow(struct tdict *d, const char *text)
{
    uint64_t w[TEXT_WORDS];
    uint32_t len;
    size_t nw = text_words(text, w, &len);
    uint64_t h = len;
    for (size_t i = 0; i < nw; i++) h = (h ^ w[i]) * 0x9E3779B97F4A7C15ULL;
    h = mix(h);
    for (size_t j = h & d->mask;; j = (j + 1) & d->mask) {
        struct tslot *s = &d->slot[j];
        if (!s->id) break;
        if (s->h != h) continue;
        const struct tval *v = &d->val[s->id - 1];
        if (v->len != len) continue;
        size_t i = 0;
        while (i < nw && v->w[i] == w[i]) i++;
        if (i == nw) return s->id;
    }
    /* new text */
    if (d->n == MAX_IDS) return MAX_IDS + 1;
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 16;
        d->val = cia_xrealloc(d->val, d->cap * sizeof *d->val);
    }
    struct tval *v = &d->val[d->n++];
    memset(v, 0, sizeof *v);
    memcpy(v->w, w, nw * sizeof *w);
    v->len = len;
    if (2 * d->n > d->mask + 1) tdict_grow(d);
    size_t j = h & d->mask;
    while (d->slot[j].id) j = (j + 1) & d->mask;
    d->slot[j].h = h;
    d->slot[j].id = (uint32_t)d->n;
    return (uint32_t)d->n;
}

static inline uint32_t tdict_id(struct tdict *d, const char *text)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t x;
    memcpy(&x, text, 8);
    uint64_t z = (x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL;
    if (z) {
        unsigned k = (unsigned)__builtin_ctzll(z) >> 3;
        uint64_t w0 = k ? x & (~0ULL >> (64 - 8 * k)) : 0;
        struct tfast *f = &d->fast[(w0 * 0x9E3779B97F4A7C15ULL) >> (64 - FAST_BITS)];
        if (f->w0 == w0 && f->id) return f->id;
        uint32_t id = tdict_slow(d, text);
        if (id <= MAX_IDS) { f->w0 = w0; f->id = id; }
        return id;
    }
#endif
    return tdict_slow(d, text);
}

/* ---- set-up ------------------------------------------------------------ */

static void add_col(cia_groups *g, const char *name, const char *type)
{
    g->col_name = cia_xrealloc(g->col_name, (g->ncols + 1) * sizeof *g->col_name);
    g->col_type = cia_xrealloc(g->col_type, (g->ncols + 1) * sizeof *g->col_type);
    g->col_name[g->ncols] = name;
    g->col_type[g->ncols++] = type;
}

static size_t entry_bytes(const cia_groups *g)
{
    return g->stride * sizeof(uint64_t);
}

static inline uint64_t key_hash(const uint64_t *k, size_t kwords)
{
    uint64_t h = 0;
    for (size_t w = 0; w < kwords; w++) h = (h ^ k[w]) * 0x9E3779B97F4A7C15ULL;
    return mix(h);
}

/* A table of size entries (a power of two), the groups moved into it. */
static void table_resize(cia_groups *g, size_t size)
{
    uint64_t *old = g->ent;
    size_t old_size = old ? g->mask + 1 : 0;
    g->ent = cia_xcalloc(size, entry_bytes(g));
    g->mask = size - 1;
    g->max_ent = size / 2;
    for (size_t i = 0; i < old_size; i++) {
        const uint64_t *o = old + i * g->stride;
        if (!o[g->kwords]) continue;
        size_t j = key_hash(o, g->kwords) & g->mask;
        while (g->ent[j * g->stride + g->kwords]) j = (j + 1) & g->mask;
        memcpy(g->ent + j * g->stride, o, entry_bytes(g));
    }
    free(old);
}

int cia_groups_new(cia_groups **out, const cia_spec *s, size_t mem_budget, cia_err *e)
{
    *out = NULL;
    if (!s->ngroups && !s->nsums && !s->lag) return CIA_OK;
    cia_groups *g = cia_xcalloc(1, sizeof *g);
    g->spec = s;
    g->table = cia_xasprintf("%s_group", s->service);
    g->nkey = 2 + s->ngroups;
    g->kc = cia_xcalloc(g->nkey, sizeof *g->kc);
    /* scope and dyear */
    g->kc[0].kind = K_SCOPE;
    g->kc[0].field = s->scope;
    g->kc[0].column = "scope";
    g->kc[1].column = "dyear";
    const struct cia_field *pf = &s->fields[s->primary];
    g->kc[1].kind = pf->type == CIA_T_DATE ? K_YEAR_DATE : K_INT;
    g->kc[1].field = s->primary;
    add_col(g, "delivery_id", "bigint");
    add_col(g, "scope", "text");
    add_col(g, "dyear", "integer");
    size_t row_max = 2 + 12 + (4 + 8 * TEXT_WORDS) + 8;
    for (size_t i = 0; i < s->ngroups; i++) {
        const struct cia_group_col *gc = &s->groups[i];
        struct kcol *k = &g->kc[2 + i];
        enum cia_ftype t = s->fields[gc->field].type;
        k->field = gc->field;
        k->column = gc->column;
        const char *type = "integer";
        switch (gc->grain) {
        case CIA_G_VALUE:
            if (t == CIA_T_CODE || t == CIA_T_COUNTRY || t == CIA_T_ISO2) { k->kind = K_TEXT; type = "text"; }
            else if (t == CIA_T_BOOL) { k->kind = K_BOOL; type = "boolean"; }
            else if (t == CIA_T_INT || t == CIA_T_YEAR) k->kind = K_INT;
            else goto bad;
            break;
        case CIA_G_YEAR:
            if (t == CIA_T_DATE) k->kind = K_YEAR_DATE;
            else if (t == CIA_T_YEAR) k->kind = K_INT;
            else goto bad;
            break;
        case CIA_G_SIGN:
            if (t == CIA_T_INT || t == CIA_T_COUNT) k->kind = K_SIGN_NUM;
            else if (t == CIA_T_AMOUNT) k->kind = K_SIGN_AMOUNT;
            else goto bad;
            type = "boolean";
            break;
        case CIA_G_BAND:
            if (t != CIA_T_INT || !gc->nband) goto bad;
            k->kind = K_BAND;
            k->band_from = gc->band_from;
            k->band_code = gc->band_code;
            k->nband = gc->nband;
            type = "text";
            break;
        }
        add_col(g, gc->column, type);
        row_max += 4 + 8 * TEXT_WORDS;
        continue;
bad:
        /* the spec parser refuses these; a spec built by hand may not */
        cia_groups_free(g);
        return cia_fail(e, CIA_EINTERNAL, "%s: group %s: its grain does not fit field %s", s->service,
                        gc->column, s->fields[gc->field].name);
    }
    add_col(g, "n", "bigint");
    g->nsum = s->nsums;
    g->sum_field = cia_xcalloc(g->nsum ? g->nsum : 1, sizeof *g->sum_field);
    g->sum_mode = cia_xcalloc(g->nsum ? g->nsum : 1, sizeof *g->sum_mode);
    g->owned_names = cia_xcalloc(g->nsum ? g->nsum : 1, sizeof *g->owned_names);
    for (size_t i = 0; i < s->nsums; i++) {
        g->sum_field[i] = s->sums[i].field;
        g->sum_mode[i] = !s->sums[i].sign ? SUM_VALUE
                         : s->fields[s->sums[i].field].type == CIA_T_AMOUNT ? SUM_SIGN_AMOUNT : SUM_SIGN_NUM;
        g->owned_names[i] = cia_xasprintf("%s_known", s->sums[i].column);
        add_col(g, s->sums[i].column, "bigint");
        add_col(g, g->owned_names[i], "bigint");
    }
    g->row_max = row_max + 12 + 24 * g->nsum;
    size_t kbytes = 0;
    for (size_t i = 0; i < g->nkey; i++) {
        g->kc[i].off = kbytes;
        kbytes += g->kc[i].kind == K_INT ? 4 : 2;
    }
    g->kwords = (kbytes + 7) / 8;
    g->stride = g->kwords + 1 + 2 * g->nsum;
    g->pend_key = cia_xcalloc(g->kwords ? g->kwords : 1, sizeof *g->pend_key);
    g->pend_add = cia_xcalloc(2 * g->nsum + 1, sizeof *g->pend_add);
    /* up to a cache line, a power of two: an entry never straddles two */
    if (g->stride <= 8)
        while (g->stride & (g->stride - 1)) g->stride++;
    /* the largest table (a power of two) within the budget, at least 2 */
    g->max_size = 2;
    while (g->max_size * 2 * entry_bytes(g) <= mem_budget && g->max_size < ((size_t)1 << 40)) g->max_size *= 2;
    table_resize(g, g->max_size < 1024 ? g->max_size : 1024);
    for (size_t i = 0; i < g->nkey; i++)
        if (g->kc[i].kind == K_TEXT || g->kc[i].kind == K_SCOPE) tdict_grow(&g->kc[i].dict);
    *out = g;
    return CIA_OK;
}

void cia_groups_free(cia_groups *g)
{
    if (!g) return;
    for (size_t i = 0; i < g->nkey; i++) {
        free(g->kc[i].dict.slot);
        free(g->kc[i].dict.val);
    }
    for (size_t i = 0; i < g->nsum; i++) free(g->owned_names[i]);
    free(g->owned_names);
    free(g->kc);
    free(g->sum_field);
    free(g->sum_mode);
    free(g->col_name);
    free(g->col_type);
    free(g->ent);
    free(g->lag_hist);
    free(g->pend_key);
    free(g->pend_add);
    free(g->table);
    if (g->spill) fclose(g->spill);
    free(g);
}

size_t cia_groups_ncols(const cia_groups *g) { return g->ncols; }
const char *cia_groups_col_name(const cia_groups *g, size_t i) { return i < g->ncols ? g->col_name[i] : NULL; }
const char *cia_groups_col_type(const cia_groups *g, size_t i) { return i < g->ncols ? g->col_type[i] : NULL; }
long long cia_groups_rows(const cia_groups *g) { return g->spilled + (long long)g->nent + g->pending; }
long long cia_groups_spilled(const cia_groups *g) { return g->spilled; }
int cia_groups_has_table(const cia_groups *g) { return g->spec->ngroups || g->spec->nsums; }

static void add_ident(cia_buf *b, const char *name)
{
    cia_buf_addc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"') cia_buf_addc(b, '"');
        cia_buf_addc(b, *p);
    }
    cia_buf_addc(b, '"');
}

char *cia_groups_copy_sql(const cia_groups *g)
{
    cia_buf b;
    cia_buf_init(&b);
    cia_buf_adds(&b, "COPY ");
    add_ident(&b, g->table);
    cia_buf_adds(&b, " (delivery_id, scope, dyear");
    for (size_t i = 3; i < g->ncols; i++) {
        cia_buf_adds(&b, ", ");
        if (i == 3 + g->spec->ngroups) cia_buf_adds(&b, "n");
        else add_ident(&b, g->col_name[i]);
    }
    cia_buf_adds(&b, ") FROM STDIN (FORMAT binary)");
    return cia_buf_steal(&b);
}

/* ---- counting ---------------------------------------------------------- */

static inline void put_u16(unsigned char *key, size_t off, uint32_t v)
{
    uint16_t x = (uint16_t)v;
    memcpy(key + off, &x, 2);
}

/* The record's value of key column k into the key; 0, or -1 when a text
 * column has no id left. */
/* "1500.00" (digits and a point): positive when a byte before the NUL is
 * above '0'; b + 0x4F has its top bit set exactly then. */
static inline unsigned amount_positive(const char *text)
{
    uint64_t w[TEXT_WORDS], pos = 0;
    uint32_t len;
    size_t nw = text_words(text, w, &len);
    for (size_t i = 0; i < nw; i++) pos |= (w[i] + 0x4F4F4F4F4F4F4F4FULL) & 0x8080808080808080ULL & ~w[i];
    return pos != 0;
}

static inline int key_of(struct kcol *k, const struct cia_val *vals, unsigned char *key)
{
    if (k->field < 0) return 0;               /* stays 0: '' */
    const struct cia_val *v = &vals[k->field];
    switch (k->kind) {
    case K_TEXT:
    case K_SCOPE: {
        if (!v->known) return 0;
        uint32_t id = tdict_id(&k->dict, v->text);
        put_u16(key, k->off, id);
        return id > MAX_IDS ? -1 : 0;
    }
    /* the rest without branches on the data: known is 0 or 1 */
    case K_INT: {
        uint32_t x = v->known ? (uint32_t)(int32_t)v->num : NULL_INT;
        memcpy(key + k->off, &x, 4);
        return 0;
    }
    case K_YEAR_DATE:
        put_u16(key, k->off, (uint32_t)(v->known != 0) * ((uint32_t)(v->num / 10000) + 1));
        return 0;
    case K_BOOL:
        put_u16(key, k->off, (uint32_t)(v->known != 0) * (1u + (v->num != 0)));
        return 0;
    case K_SIGN_NUM:
        put_u16(key, k->off, (uint32_t)(v->known != 0) * (1u + (v->num > 0)));
        return 0;
    case K_SIGN_AMOUNT:
        put_u16(key, k->off, (uint32_t)(v->known != 0) * (1u + amount_positive(v->text)));
        return 0;
    case K_BAND: {
        /* bounds ascend: the band is how many are not above the value */
        uint32_t i = 0;
        for (size_t b = 0; b < k->nband; b++) i += v->num >= k->band_from[b];
        put_u16(key, k->off, (uint32_t)(v->known != 0) * i);
        return 0;
    }
    }
    return 0;
}

static int spill(cia_groups *g, cia_err *e);

/* Count the pending record in its group. */
static int insert_pending(cia_groups *g, cia_err *e)
{
    if (!g->pending) return CIA_OK;
    g->pending = 0;
    const uint64_t *key = g->pend_key;
    uint64_t h = g->pend_h;
    size_t j = h & g->mask;
    uint64_t *ent;
    for (;; j = (j + 1) & g->mask) {
        ent = g->ent + j * g->stride;
        if (!ent[g->kwords]) break;           /* empty: a new group */
        size_t w = 0;
        while (w < g->kwords && ent[w] == key[w]) w++;
        if (w == g->kwords) goto found;
    }
    if (g->nent == g->max_ent) {
        if (g->mask + 1 < g->max_size) table_resize(g, 2 * (g->mask + 1));
        else {
            int rc = spill(g, e);
            if (rc) return rc;
        }
        for (j = h & g->mask; g->ent[j * g->stride + g->kwords]; j = (j + 1) & g->mask) {}
        ent = g->ent + j * g->stride;
    }
    memcpy(ent, key, g->kwords * sizeof *key);
    g->nent++;
found:
    ent[g->kwords]++;
    for (size_t i = 0; i < g->nsum; i++) {
        int64_t *sum = (int64_t *)&ent[g->kwords + 1 + 2 * i];
        if (__builtin_add_overflow(*sum, g->pend_add[2 * i], sum))
            return cia_fail(e, CIA_EDATA, "%s: the sum %s of a group passes the largest bigint", g->table,
                            g->col_name[3 + g->spec->ngroups + 1 + 2 * i]);
        ent[g->kwords + 2 + 2 * i] += (uint64_t)g->pend_add[2 * i + 1];
    }
    return CIA_OK;
}

/* The days from the lag's first date to its second, counted (and the
 * newest second date kept). */
static void count_lag(cia_groups *g, const struct cia_val *vals)
{
    const struct cia_val *to = &vals[g->spec->lag_field], *from = &vals[g->spec->lag_from];
    if (!to->known || !from->known) return;
    long long d = (long long)cia_pg_date(to->num) - cia_pg_date(from->num);
    if (d < 0) d = 0;                  /* a not_before rule forbids it */
    if ((size_t)d >= g->lag_len) {
        size_t nl = g->lag_len ? g->lag_len : 512;
        while (nl <= (size_t)d) nl *= 2;
        g->lag_hist = cia_xrealloc(g->lag_hist, nl * sizeof *g->lag_hist);
        memset(g->lag_hist + g->lag_len, 0, (nl - g->lag_len) * sizeof *g->lag_hist);
        g->lag_len = nl;
    }
    g->lag_hist[d]++;
    g->lag_n++;
    if (to->num > g->lag_newest) g->lag_newest = (int)to->num;
}

int cia_groups_add(cia_groups *g, const struct cia_val *vals, cia_err *e)
{
    if (g->spec->lag) count_lag(g, vals);
    if (!cia_groups_has_table(g)) return CIA_OK;   /* a lag line alone: no groups to keep */
    uint64_t key[g->kwords];
    memset(key, 0, sizeof key);
    for (size_t i = 0; i < g->nkey; i++)
        if (key_of(&g->kc[i], vals, (unsigned char *)key))
            return cia_fail(e, CIA_EDATA, "%s: column %s has more than %d distinct values", g->table,
                            g->kc[i].column, MAX_IDS);
    uint64_t h = key_hash(key, g->kwords);
    __builtin_prefetch(g->ent + (h & g->mask) * g->stride, 1);
    int rc = insert_pending(g, e);
    if (rc) return rc;
    memcpy(g->pend_key, key, sizeof key);
    g->pend_h = h;
    g->pending = 1;
    for (size_t i = 0; i < g->nsum; i++) {
        const struct cia_val *v = &vals[g->sum_field[i]];
        int64_t x = g->sum_mode[i] == SUM_VALUE ? v->num
                    : g->sum_mode[i] == SUM_SIGN_NUM ? v->num > 0 : (int64_t)amount_positive(v->text);
        g->pend_add[2 * i] = x & -(int64_t)(v->known != 0);
        g->pend_add[2 * i + 1] = v->known != 0;
    }
    return CIA_OK;
}

int cia_groups_lag(const cia_groups *g, int *newest_ymd, int *p95_days)
{
    if (!g || !g->spec->lag || !g->lag_n) return 0;
    /* ceil(0.95 N) in integers */
    unsigned long long need = (95 * g->lag_n + 99) / 100, cum = 0;
    size_t d = 0;
    for (; d < g->lag_len; d++)
        if ((cum += g->lag_hist[d]) >= need) break;
    *newest_ymd = g->lag_newest;
    *p95_days = (int)d;
    return 1;
}

/* ---- rows -------------------------------------------------------------- */

/* One entry as a COPY binary row; returns the end. */
static unsigned char *encode_row(const cia_groups *g, const uint64_t *ent, long long delivery_id, unsigned char *p)
{
    const unsigned char *key = (const unsigned char *)ent;
    p = cia_put16(p, (uint16_t)g->ncols);
    p = cia_put64(cia_put32(p, 8), (uint64_t)delivery_id);
    for (size_t i = 0; i < g->nkey; i++) {
        const struct kcol *k = &g->kc[i];
        uint32_t id;
        if (k->kind == K_INT) memcpy(&id, key + k->off, 4);
        else {
            uint16_t x;
            memcpy(&x, key + k->off, 2);
            id = x;
        }
        switch (k->kind) {
        case K_TEXT:
        case K_SCOPE:
            if (!id) {
                p = cia_put32(p, k->kind == K_SCOPE ? 0 : UINT32_MAX);   /* '' or NULL */
                break;
            }
            p = cia_put32(p, k->dict.val[id - 1].len);
            memcpy(p, k->dict.val[id - 1].w, k->dict.val[id - 1].len);
            p += k->dict.val[id - 1].len;
            break;
        case K_INT:
            p = id == NULL_INT ? cia_put32(p, UINT32_MAX) : cia_put32(cia_put32(p, 4), id);
            break;
        case K_YEAR_DATE:
            p = !id ? cia_put32(p, UINT32_MAX) : cia_put32(cia_put32(p, 4), id - 1);
            break;
        case K_BOOL:
        case K_SIGN_NUM:
        case K_SIGN_AMOUNT:
            if (!id) p = cia_put32(p, UINT32_MAX);
            else { p = cia_put32(p, 1); *p++ = id == 2; }
            break;
        case K_BAND: {
            if (!id) { p = cia_put32(p, UINT32_MAX); break; }
            const char *c = k->band_code[id - 1];
            size_t n = strlen(c);
            p = cia_put32(p, (uint32_t)n);
            memcpy(p, c, n);
            p += n;
            break;
        }
        }
    }
    const uint64_t *cnt = ent + g->kwords;
    p = cia_put64(cia_put32(p, 8), cnt[0]);
    for (size_t i = 0; i < g->nsum; i++) {
        uint64_t sum = cnt[1 + 2 * i], known = cnt[2 + 2 * i];
        p = known ? cia_put64(cia_put32(p, 8), sum) : cia_put32(p, UINT32_MAX);
        p = cia_put64(cia_put32(p, 8), known);
    }
    return p;
}

static int spill_fail(cia_groups *g, cia_err *e, const char *what)
{
    int err = errno;
    return cia_fail(e, CIA_ECANTCREAT, "%s: %s the temporary file of the groups: %s", g->table, what,
                    err ? strerror(err) : "I/O error");
}

/* The groups in memory → rows appended to the temporary file (each row
 * preceded by its length, in native order, and with delivery_id 0: copy_out
 * fills it in); the table starts empty again. */
static int spill(cia_groups *g, cia_err *e)
{
    errno = 0;
    if (!g->spill && !(g->spill = tmpfile())) return spill_fail(g, e, "cannot create");
    if (fseeko(g->spill, 0, SEEK_END)) return spill_fail(g, e, "cannot write");
    unsigned char *buf = cia_xmalloc(CHUNK);
    size_t len = 0;
    int rc = CIA_OK;
    for (size_t i = 0; i <= g->mask && !rc; i++) {
        const uint64_t *ent = g->ent + i * g->stride;
        if (!ent[g->kwords]) continue;
        if (CHUNK - len < 4 + g->row_max) {
            if (fwrite(buf, 1, len, g->spill) != len) rc = spill_fail(g, e, "cannot write");
            len = 0;
        }
        unsigned char *end = encode_row(g, ent, 0, buf + len + 4);
        uint32_t n = (uint32_t)(end - (buf + len + 4));
        memcpy(buf + len, &n, 4);
        len += 4 + n;
    }
    if (!rc && len && fwrite(buf, 1, len, g->spill) != len) rc = spill_fail(g, e, "cannot write");
    if (!rc && fflush(g->spill)) rc = spill_fail(g, e, "cannot write");
    free(buf);
    if (rc) return rc;
    g->spilled += (long long)g->nent;
    g->nent = 0;
    memset(g->ent, 0, (g->mask + 1) * entry_bytes(g));
    return CIA_OK;
}

int cia_groups_copy_out(cia_groups *g, long long delivery_id, cia_groups_out_fn out, void *arg, cia_err *e)
{
    int prc = insert_pending(g, e);
    if (prc) return prc;
    unsigned char *buf = cia_xmalloc(CHUNK);
    size_t len = 0;
    int rc = CIA_OK;
#define FLUSH_IF(room) do { \
        if (CHUNK - len < (room)) { \
            if ((rc = out(buf, len, arg))) goto done; \
            len = 0; \
        } } while (0)
    len = (size_t)(cia_copy_header(buf) - buf);
    if (g->spill) {
        errno = 0;
        if (fflush(g->spill) || fseeko(g->spill, 0, SEEK_SET)) { rc = spill_fail(g, e, "cannot read back"); goto done; }
        for (long long r = 0; r < g->spilled; r++) {
            uint32_t n;
            FLUSH_IF(g->row_max);
            if (fread(&n, 4, 1, g->spill) != 1 || n > g->row_max || fread(buf + len, 1, n, g->spill) != n) {
                if (!ferror(g->spill)) errno = EIO;   /* short: the file was cut */
                rc = spill_fail(g, e, "cannot read back");
                goto done;
            }
            cia_put64(buf + len + 6, (uint64_t)delivery_id);   /* after ncols and the length word */
            len += n;
        }
    }
    for (size_t i = 0; i <= g->mask; i++) {
        const uint64_t *ent = g->ent + i * g->stride;
        if (!ent[g->kwords]) continue;
        FLUSH_IF(g->row_max);
        len = (size_t)(encode_row(g, ent, delivery_id, buf + len) - buf);
    }
    FLUSH_IF(CIA_COPY_TRAILER_LEN);
    len = (size_t)(cia_copy_trailer(buf + len) - buf);
    rc = out(buf, len, arg);
#undef FLUSH_IF
done:
    free(buf);
    return rc;
}
