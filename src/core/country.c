/* country.c — owns the country list of the warehouse: loading ISO 3166-1
 * from Debian's iso-codes (the JSON list for codes and English names, the
 * GNU gettext catalogues for French and Dutch names), the lookup index
 * that turns a nationality as a service wrote it into an alpha-2 code, and
 * the names of a country in English, French and Dutch.
 *
 * The .mo catalogues are read by hand: dgettext() needs the fr/nl locales
 * installed, and our machines have only C.UTF-8.
 *
 * Index.  Every spelling of a country (alpha-2, alpha-3, English name,
 * official and common name, and their translations) goes into two hash
 * tables: one keyed by cia_fold() (case and spaces) and a looser one keyed
 * by cia_fold_noaccent().  A lookup tries the exact key first, so an
 * accented spelling that exists as such is never overridden by a collision
 * of the looser key.  Names with a trailing qualifier ("Iran, Islamic
 * Republic of", "Bolivia (Plurinational State of)") are also indexed by
 * their short form, with a lower priority, so that a short form never
 * shadows a real name ("Congo" stays the Republic of the Congo, not
 * "Congo, The Democratic Republic of the").  Two countries claiming a key
 * at the same priority make it ambiguous: it then resolves to nothing
 * rather than to whichever country happened to be loaded first.
 */
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ciatteh/country.h"
#include "ciatteh/text.h"
#include "ciatteh/util.h"

#define ISO_CODES_DIR "/usr/share/iso-codes/json"
#define LOCALE_DIR "/usr/share/locale"
#define INSTALL_HINT "install Debian's iso-codes package (apt-get install iso-codes)"

enum { LANG_EN, LANG_FR, LANG_NL, NLANG };
static const char *const lang_codes[NLANG] = {"en", "fr", "nl"};

/* Lower number wins when two countries claim the same key.  A reviewed
 * alias (schema/seed/country_alias.csv) outranks everything: it exists
 * precisely to settle what the ISO names leave open or get wrong for
 * Belgian usage ("RD Congo", "Turquie"). */
enum { PRIO_ALIAS, PRIO_CODE, PRIO_NAME, PRIO_SHORT };

struct country {
    char alpha2[3], alpha3[4];
    char *name[NLANG];          /* display name per language, owned */
};

struct slot {
    char *key;                  /* owned; NULL = empty slot */
    size_t len;
    uint64_t hash;
    unsigned country;
    unsigned char prio;
    unsigned char ambiguous;
};

struct table {
    struct slot *slots;
    size_t cap, used;           /* cap is a power of two */
};

struct cia_countries {
    struct country *v;
    size_t n;
    struct table exact, loose;
    /* alpha-2 → index + 1 (0 = none), so names need no search. */
    unsigned short by_alpha2[26 * 26];
};

/* ---- hash table ------------------------------------------------------ */

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;     /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static struct slot *table_probe(const struct table *t, const char *key, size_t len,
                                uint64_t h)
{
    size_t mask = t->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct slot *s = &t->slots[i];
        if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
    }
}

static void table_grow(struct table *t)
{
    struct table old = *t;
    t->cap = old.cap ? old.cap * 2 : 1024;
    t->slots = cia_xcalloc(t->cap, sizeof *t->slots);
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key) *table_probe(t, old.slots[i].key, old.slots[i].len,
                                           old.slots[i].hash) = old.slots[i];
    free(old.slots);
}

static void table_add(struct table *t, const char *key, size_t len, unsigned country,
                      int prio)
{
    if (len == 0) return;
    if ((t->used + 1) * 2 > t->cap) table_grow(t);
    uint64_t h = hash_bytes(key, len);
    struct slot *s = table_probe(t, key, len, h);
    if (!s->key) {
        s->key = cia_xstrndup(key, len);
        s->len = len;
        s->hash = h;
        s->country = country;
        s->prio = (unsigned char)prio;
        t->used++;
        return;
    }
    if (prio < s->prio) {
        s->country = country;
        s->prio = (unsigned char)prio;
        s->ambiguous = 0;
    } else if (prio == s->prio && s->country != country) {
        s->ambiguous = 1;
    }
}

static const struct slot *table_find(const struct table *t, const char *key, size_t len)
{
    if (!t->cap || len == 0) return NULL;
    const struct slot *s = table_probe(t, key, len, hash_bytes(key, len));
    return s->key ? s : NULL;
}

static void table_free(struct table *t)
{
    for (size_t i = 0; i < t->cap; i++) free(t->slots[i].key);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

/* ---- gettext catalogues ---------------------------------------------- */

struct msg {
    const char *id, *str;       /* point into catalog.data */
};

struct catalog {
    char *data;
    size_t len;
    struct msg *msgs;
    size_t n;
};

static uint32_t mo_word(const unsigned char *p, int swap)
{
    if (swap) return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* String number i of the table at offset tab, checked to lie inside the
 * file and to be NUL-terminated as the format promises; NULL if not. */
static const char *mo_string(const struct catalog *cat, uint32_t tab, uint32_t i, int swap)
{
    const unsigned char *p = (const unsigned char *)cat->data;
    uint64_t at = (uint64_t)tab + (uint64_t)i * 8;
    if (at + 8 > cat->len) return NULL;
    uint64_t len = mo_word(p + at, swap), off = mo_word(p + at + 4, swap);
    if (off + len >= cat->len || p[off + len] != '\0') return NULL;
    return cat->data + off;
}

static int msg_cmp(const void *a, const void *b)
{
    return strcmp(((const struct msg *)a)->id, ((const struct msg *)b)->id);
}

static void catalog_free(struct catalog *cat)
{
    free(cat->data);
    free(cat->msgs);
    memset(cat, 0, sizeof *cat);
}

static int catalog_load(struct catalog *cat, const char *path, cia_err *e)
{
    memset(cat, 0, sizeof *cat);
    cia_err ignored;
    if (cia_read_file(path, &cat->data, &cat->len, &ignored) != CIA_OK)
        return cia_fail(e, CIA_EUNAVAIL, "cannot read the country name translations (%s); "
                        INSTALL_HINT " or set CIATTEH_LOCALEDIR", ignored.msg);
    const unsigned char *p = (const unsigned char *)cat->data;
    int swap;
    if (cat->len >= 28 && mo_word(p, 0) == 0x950412deu) swap = 0;
    else if (cat->len >= 28 && mo_word(p, 1) == 0x950412deu) swap = 1;
    else {
        catalog_free(cat);
        return cia_fail(e, CIA_EDATA, "%s: not a GNU gettext .mo catalogue (bad magic number)", path);
    }
    /* Major revisions 0 and 1 share the layout read here. */
    uint32_t revision = mo_word(p + 4, swap), n = mo_word(p + 8, swap);
    uint32_t orig = mo_word(p + 12, swap), trans = mo_word(p + 16, swap);
    if ((revision >> 16) > 1 || (uint64_t)orig + (uint64_t)n * 8 > cat->len ||
        (uint64_t)trans + (uint64_t)n * 8 > cat->len) {
        catalog_free(cat);
        return cia_fail(e, CIA_EDATA, "%s: unsupported or truncated .mo catalogue", path);
    }
    cat->msgs = cia_xcalloc(n, sizeof *cat->msgs);
    for (uint32_t i = 0; i < n; i++) {
        const char *id = mo_string(cat, orig, i, swap), *str = mo_string(cat, trans, i, swap);
        if (!id || !str) {
            catalog_free(cat);
            return cia_fail(e, CIA_EDATA, "%s: string %u lies outside the file", path, (unsigned)i);
        }
        /* Skip the header (empty msgid), entries with a context (which
         * iso-codes does not use), and empty translations. */
        if (!*id || strchr(id, '\x04') || !*str) continue;
        cat->msgs[cat->n].id = id;   /* plural forms: the first, singular one */
        cat->msgs[cat->n].str = str;
        cat->n++;
    }
    /* Sort ourselves rather than trust the writer's order. */
    qsort(cat->msgs, cat->n, sizeof *cat->msgs, msg_cmp);
    return CIA_OK;
}

static const char *catalog_get(const struct catalog *cat, const char *id)
{
    if (!id) return NULL;
    struct msg key = {id, NULL};
    const struct msg *m = bsearch(&key, cat->msgs, cat->n, sizeof *cat->msgs, msg_cmp);
    return m ? m->str : NULL;
}

/* ---- loading --------------------------------------------------------- */

static const char *env_or(const char *name, const char *def)
{
    const char *v = getenv(name);
    return v && *v ? v : def;
}

static const char *json_str(json_object *o, const char *field)
{
    json_object *v;
    if (!json_object_object_get_ex(o, field, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    const char *s = json_object_get_string(v);
    return s && *s ? s : NULL;
}

static int is_upper_code(const char *s, size_t n)
{
    if (!s || strlen(s) != n) return 0;
    for (size_t i = 0; i < n; i++) if (s[i] < 'A' || s[i] > 'Z') return 0;
    return 1;
}

/* Index one spelling under both keys. */
static void index_key(cia_countries *c, cia_buf *k, const char *s, size_t n, unsigned idx,
                      int prio)
{
    cia_fold(k, s, n);
    table_add(&c->exact, k->data, k->len, idx, prio);
    cia_fold_noaccent(k, s, n);
    table_add(&c->loose, k->data, k->len, idx, prio);
}

/* A name and the short forms its trailing qualifier hides:
 * "Iran, Islamic Republic of" → "Iran"; "Holy See (Vatican City State)" →
 * "Holy See"; "Malouines, Îles (Falkland)" → "Malouines, Îles" and
 * "Malouines". */
static void index_name(cia_countries *c, cia_buf *k, const char *s, unsigned idx)
{
    if (!s) return;
    size_t n = strlen(s);
    index_key(c, k, s, n, idx, PRIO_NAME);
    if (n && s[n - 1] == ')') {
        const char *open = memrchr(s, '(', n);
        if (open && open > s) index_key(c, k, s, (size_t)(open - s), idx, PRIO_SHORT);
    }
    const char *comma = strchr(s, ',');
    if (comma && comma > s) index_key(c, k, s, (size_t)(comma - s), idx, PRIO_SHORT);
}

static int load_countries(cia_countries *c, json_object *list, const char *path,
                          const struct catalog cat[NLANG], cia_err *e)
{
    size_t n = json_object_array_length(list);
    c->v = cia_xcalloc(n, sizeof *c->v);
    cia_buf k;
    cia_buf_init(&k);
    for (size_t i = 0; i < n; i++) {
        json_object *o = json_object_array_get_idx(list, i);
        const char *a2 = json_str(o, "alpha_2"), *a3 = json_str(o, "alpha_3");
        const char *name = json_str(o, "name");
        if (!is_upper_code(a2, 2) || !is_upper_code(a3, 3) || !name) {
            cia_buf_free(&k);
            return cia_fail(e, CIA_EDATA, "%s: entry %zu lacks a valid alpha_2, alpha_3 or name",
                            path, i + 1);
        }
        unsigned short *slot = &c->by_alpha2[(a2[0] - 'A') * 26 + (a2[1] - 'A')];
        if (*slot) {
            cia_buf_free(&k);
            return cia_fail(e, CIA_EDATA, "%s: alpha_2 code %s appears twice", path, a2);
        }
        unsigned idx = (unsigned)c->n++;
        *slot = (unsigned short)(idx + 1);
        struct country *ct = &c->v[idx];
        memcpy(ct->alpha2, a2, 3);
        memcpy(ct->alpha3, a3, 4);

        index_key(c, &k, a2, 2, idx, PRIO_CODE);
        index_key(c, &k, a3, 3, idx, PRIO_CODE);
        const char *fields[] = {name, json_str(o, "official_name"), json_str(o, "common_name")};
        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
            index_name(c, &k, fields[f], idx);
            for (int l = LANG_FR; l < NLANG; l++)
                index_name(c, &k, catalog_get(&cat[l], fields[f]), idx);
        }

        /* Display: the common name ("Taiwan") reads better than the ISO
         * list form ("Taiwan, Province of China"); a translation of either
         * beats the English name. */
        const char *common = fields[2];
        ct->name[LANG_EN] = cia_xstrdup(common ? common : name);
        for (int l = LANG_FR; l < NLANG; l++) {
            const char *t = catalog_get(&cat[l], common);
            if (!t) t = catalog_get(&cat[l], name);
            ct->name[l] = cia_xstrdup(t ? t : ct->name[LANG_EN]);
        }
    }
    cia_buf_free(&k);
    return CIA_OK;
}

int cia_countries_load(cia_countries **out, cia_err *e)
{
    *out = NULL;
    const char *jsondir = env_or("CIATTEH_ISO_CODES", ISO_CODES_DIR);
    const char *localedir = env_or("CIATTEH_LOCALEDIR", LOCALE_DIR);
    char *path = cia_xasprintf("%s/iso_3166-1.json", jsondir);
    struct catalog cat[NLANG];
    memset(cat, 0, sizeof cat);
    char *data = NULL;
    size_t len = 0;
    json_tokener *tok = NULL;
    json_object *root = NULL;
    cia_countries *c = cia_xcalloc(1, sizeof *c);
    int rc;

    cia_err ignored;
    if (cia_read_file(path, &data, &len, &ignored) != CIA_OK) {
        rc = cia_fail(e, CIA_EUNAVAIL, "cannot read the ISO 3166-1 country list (%s); "
                      INSTALL_HINT " or set CIATTEH_ISO_CODES", ignored.msg);
        goto done;
    }
    for (int l = LANG_FR; l < NLANG; l++) {
        char *mo = cia_xasprintf("%s/%s/LC_MESSAGES/iso_3166-1.mo", localedir, lang_codes[l]);
        rc = catalog_load(&cat[l], mo, e);
        free(mo);
        if (rc != CIA_OK) goto done;
    }

    tok = json_tokener_new();
    root = json_tokener_parse_ex(tok, data, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    if (!root || jerr != json_tokener_success) {
        rc = cia_fail(e, CIA_EDATA, "%s: not valid JSON: %s", path,
                      jerr == json_tokener_continue ? "unexpected end of file"
                                                    : json_tokener_error_desc(jerr));
        goto done;
    }
    json_object *list;
    if (!json_object_object_get_ex(root, "3166-1", &list) ||
        !json_object_is_type(list, json_type_array) || json_object_array_length(list) == 0) {
        rc = cia_fail(e, CIA_EDATA, "%s: no \"3166-1\" list of countries", path);
        goto done;
    }
    rc = load_countries(c, list, path, cat, e);

done:
    if (root) json_object_put(root);
    if (tok) json_tokener_free(tok);
    for (int l = 0; l < NLANG; l++) catalog_free(&cat[l]);
    free(data);
    free(path);
    if (rc != CIA_OK) cia_countries_free(c);
    else *out = c;
    return rc;
}

void cia_countries_free(cia_countries *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++)
        for (int l = 0; l < NLANG; l++) free(c->v[i].name[l]);
    free(c->v);
    table_free(&c->exact);
    table_free(&c->loose);
    free(c);
}

int cia_countries_add_alias(cia_countries *c, const char *alias, const char *alpha2)
{
    if (!c || !alias || !alpha2 || strlen(alpha2) != 2) return -1;
    int a = alpha2[0] - 'A', b = alpha2[1] - 'A';
    if (a < 0 || a >= 26 || b < 0 || b >= 26 || !c->by_alpha2[a * 26 + b]) return -1;
    cia_buf k;
    cia_buf_init(&k);
    index_key(c, &k, alias, strlen(alias), (unsigned)(c->by_alpha2[a * 26 + b] - 1), PRIO_ALIAS);
    cia_buf_free(&k);
    return 0;
}

/* ---- lookups --------------------------------------------------------- */

const char *cia_country_resolve(const cia_countries *c, const char *text)
{
    if (!c || !text) return NULL;
    size_t n = strlen(text);
    cia_buf k;
    cia_buf_init(&k);
    cia_fold(&k, text, n);
    const struct slot *s = table_find(&c->exact, k.data, k.len);
    /* An exact hit decides, even an ambiguous one: the looser key can only
     * add collisions, never remove them. */
    if (!s) {
        cia_fold_noaccent(&k, text, n);
        s = table_find(&c->loose, k.data, k.len);
    }
    cia_buf_free(&k);
    return s && !s->ambiguous ? c->v[s->country].alpha2 : NULL;
}

const char *cia_country_name(const cia_countries *c, const char *alpha2, const char *lang)
{
    if (!c || !alpha2 || !lang) return NULL;
    int l;
    for (l = 0; l < NLANG && strcmp(lang, lang_codes[l]) != 0; l++) {}
    if (l == NLANG) return NULL;
    if (strlen(alpha2) != 2) return NULL;
    int a = alpha2[0] & ~0x20, b = alpha2[1] & ~0x20;   /* ASCII upper case */
    if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z') return NULL;
    unsigned short i = c->by_alpha2[(a - 'A') * 26 + (b - 'A')];
    return i ? c->v[i - 1].name[l] : NULL;
}
