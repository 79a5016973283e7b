/* validate.c — field types and cross-field rules of the extracts
 * (FORMATS.md "Rules common to every extract" and each service's notes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ciatteh/text.h"
#include "ciatteh/validate.h"

/* Amounts: decimal comma; '.', space or no-break space between groups of
 * three digits ("1.500,00", "3 000,00", "48000").  At most 12 digits
 * before the comma: the record tables store amounts as numeric(14,2).
 * Returns 1 when valid, 0 when not an amount, -1 when too large. */
#define AMOUNT_MAX_DIGITS 12
static int parse_amount(const char *s, size_t n, char *out, size_t outlen)
{
    char intpart[32];
    size_t ni = 0, i = 0;
    int group = -1;            /* digits since the last separator, -1 before any */
    int seen_digit = 0;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9') {
            if (ni >= 30) return -1;
            intpart[ni++] = (char)c;
            seen_digit = 1;
            if (group >= 0) group++;
            continue;
        }
        int sep = 0;
        if (c == '.' || c == ' ') sep = 1;
        else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) { sep = 2; }
        else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0xAF) sep = 3;
        if (sep) {
            if (!seen_digit || (group >= 0 && group != 3) || (group < 0 && ni > 3)) return 0;
            group = 0;
            i += (size_t)sep - 1;
            continue;
        }
        break;
    }
    if (!seen_digit || (group >= 0 && group != 3)) return 0;
    intpart[ni] = '\0';
    char frac[3] = "00";
    if (i < n) {
        if (s[i] != ',') return 0;
        size_t nf = n - i - 1;
        if (nf < 1 || nf > 2) return 0;
        for (size_t k = 0; k < nf; k++) {
            if (s[i + 1 + k] < '0' || s[i + 1 + k] > '9') return 0;
            frac[k] = s[i + 1 + k];
        }
    }
    /* strip leading zeros but keep one */
    const char *ip = intpart;
    while (ip[0] == '0' && ip[1]) ip++;
    size_t nip = strlen(ip);
    if (nip > AMOUNT_MAX_DIGITS) return -1;
    /* "%s.%s" by hand: this runs for every amount of every record */
    if (nip + 4 > outlen) return -1;
    memcpy(out, ip, nip);
    out[nip] = '.';
    out[nip + 1] = frac[0];
    out[nip + 2] = frac[1];
    out[nip + 3] = '\0';
    return 1;
}

/* snprintf(dst, size, "%s", src) without the format machinery. */
static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size) n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

const char *cia_validate_value(const struct cia_field *f, const char *raw, size_t len,
                               const struct cia_vctx *ctx, struct cia_val *out,
                               char *err, size_t errlen)
{
    out->known = 0;
    out->text[0] = '\0';
    out->num = 0;
    /* trim surrounding white space */
    while (len && (*raw == ' ' || *raw == '\t')) { raw++; len--; }
    while (len && (raw[len - 1] == ' ' || raw[len - 1] == '\t')) len--;
    /* A list that has UNK as a code of its own (sector) takes the
     * not-known markers as that code. */
    if (f->type == CIA_T_CODE && cia_is_unknown_marker(raw, len)) {
        const char *unk = cia_codes_match(ctx->codes, f->list, "UNK", 3);
        if (unk) {
            out->known = 1;
            strcpy(out->text, unk);
            return NULL;
        }
    }
    if (cia_is_unknown_marker(raw, len)) {
        if (len == 0 && f->empty_is_zero) {
            out->known = 1;
            out->num = 0;
            strcpy(out->text, "0");
            return NULL;
        }
        if (f->required) {
            if (len == 0) snprintf(err, errlen, "value missing: the field is required");
            else snprintf(err, errlen, "'%.*s' (not known) is not allowed: the field is required", (int)len, raw);
            return err;
        }
        return NULL;
    }
    /* The value as shown in messages: cut long ones. */
#define shown_args (len > 60 ? 60 : (int)len), raw, (len > 60 ? "..." : "")
    switch (f->type) {
    case CIA_T_DATE: {
        int ymd;
        char why[80];
        if (!cia_parse_date(raw, len, &ymd, why, sizeof why)) {
            snprintf(err, errlen, "'%.*s%s' is not a date%s%s%s", shown_args, why[0] ? " (" : " (use yyyy-mm-dd or dd/mm/yyyy", why,
                     why[0] ? ")" : ")");
            return err;
        }
        if (ymd < 19950101) { snprintf(err, errlen, "date %.*s%s is before 1995", shown_args); return err; }
        if (ymd > ctx->today) { snprintf(err, errlen, "date %.*s%s is in the future", shown_args); return err; }
        out->num = ymd;
        /* yyyy-mm-dd by hand: this runs for every date of every record */
        int yy = ymd / 10000, mm = ymd / 100 % 100, dd = ymd % 100;
        char *t = out->text;
        t[0] = (char)('0' + yy / 1000); t[1] = (char)('0' + yy / 100 % 10);
        t[2] = (char)('0' + yy / 10 % 10); t[3] = (char)('0' + yy % 10); t[4] = '-';
        t[5] = (char)('0' + mm / 10); t[6] = (char)('0' + mm % 10); t[7] = '-';
        t[8] = (char)('0' + dd / 10); t[9] = (char)('0' + dd % 10); t[10] = '\0';
        break;
    }
    case CIA_T_YEAR: {
        int y;
        if (len != 4 || !cia_digits(raw, 4, &y)) { snprintf(err, errlen, "'%.*s%s' is not a year (four digits)", shown_args); return err; }
        if (y < 1995 || y > ctx->today / 10000) {
            snprintf(err, errlen, "year %d is %s", y, y < 1995 ? "before 1995" : "in the future");
            return err;
        }
        out->num = y;
        snprintf(out->text, sizeof out->text, "%d", y);
        break;
    }
    case CIA_T_INT:
    case CIA_T_COUNT: {
        size_t maxd = f->type == CIA_T_INT ? 9 : 15;
        for (size_t i = 0; i < len; i++)
            if (raw[i] < '0' || raw[i] > '9') {
                snprintf(err, errlen, "'%.*s%s' is not a whole number (digits only, no sign)", shown_args);
                return err;
            }
        size_t i = 0;
        while (i + 1 < len && raw[i] == '0') i++;
        size_t i0 = i;
        if (len - i > maxd) { snprintf(err, errlen, "%.*s%s is too large", shown_args); return err; }
        long long v = 0;
        for (; i < len; i++) v = v * 10 + (raw[i] - '0');
        out->num = v;
        memcpy(out->text, raw + i0, len - i0);
        out->text[len - i0] = '\0';
        break;
    }
    case CIA_T_AMOUNT: {
        int ok = parse_amount(raw, len, out->text, sizeof out->text);
        if (ok < 0) {
            snprintf(err, errlen, "%.*s%s is too large (at most %d digits before the comma)", shown_args,
                     AMOUNT_MAX_DIGITS);
            return err;
        }
        if (!ok) {
            snprintf(err, errlen, "'%.*s%s' is not an amount (decimal comma, e.g. 1.500,00)", shown_args);
            return err;
        }
        long long whole = 0;   /* atoll(out->text), without the locale machinery */
        for (const char *d = out->text; *d >= '0' && *d <= '9'; d++) whole = whole * 10 + (*d - '0');
        out->num = whole;
        break;
    }
    case CIA_T_CODE:
    case CIA_T_BOOL: {
        const char *code = cia_codes_match(ctx->codes, f->list, raw, len);
        if (!code) {
            snprintf(err, errlen, "unknown %s '%.*s%s'; accepted: %s, or their labels in English, French or Dutch",
                     f->list, shown_args, cia_codes_accepted(ctx->codes, f->list));
            return err;
        }
        if (f->type == CIA_T_BOOL) strcpy(out->text, !strcmp(code, "yes") ? "t" : "f");
        else copy_text(out->text, sizeof out->text, code);
        out->num = f->type == CIA_T_BOOL ? !strcmp(code, "yes") : 0;
        break;
    }
    case CIA_T_COUNTRY:
    case CIA_T_ISO2: {
        char tmp[256];
        snprintf(tmp, sizeof tmp, "%.*s", (int)(len < 255 ? len : 255), raw);
        const char *a2 = NULL;
        if (f->type == CIA_T_ISO2) {
            if (len == 2) {
                a2 = cia_country_resolve(ctx->countries, tmp);
                if (a2 && strncasecmp(a2, raw, 2)) a2 = NULL;
            }
            if (!a2) {
                snprintf(err, errlen, "'%.*s%s' is not an ISO 3166-1 alpha-2 country code", shown_args);
                return err;
            }
        } else if (!(a2 = cia_country_resolve(ctx->countries, tmp))) {
            snprintf(err, errlen, "unknown country '%.*s%s' (a name in English, French or Dutch, or an ISO code)", shown_args);
            return err;
        }
        copy_text(out->text, sizeof out->text, a2);
        break;
    }
    case CIA_T_REF:
        /* 200 characters, not bytes (the text is UTF-8): only a value of
         * more than 200 bytes can be too long, and only those are counted. */
        if (len > 200) {
            size_t chars = 0;
            for (size_t i = 0; i < len; i++) chars += ((unsigned char)raw[i] & 0xC0) != 0x80;
            if (chars > 200) { snprintf(err, errlen, "reference longer than 200 characters"); return err; }
        }
        break;
    }
    out->known = 1;
    return NULL;
}

static int in_values(const struct cia_rule *r, const char *code)
{
    for (size_t i = 0; i < r->nvalues; i++)
        if (!strcmp(r->values[i], code)) return 1;
    return 0;
}

static int cond_holds(const cia_spec *s, const struct cia_rule *r, const struct cia_val *vals)
{
    const struct cia_val *o = &vals[r->other];
    if (!o->known) return 0;
    const char *code = o->text;
    if (s->fields[r->other].type == CIA_T_BOOL) code = o->num ? "yes" : "no";
    switch (r->op) {
    case CIA_C_EQ: return in_values(r, code);
    case CIA_C_NE: return !in_values(r, code);
    case CIA_C_GT0: return o->num > 0;
    case CIA_C_ZERO: return o->num == 0;
    }
    return 0;
}

static void describe_cond(const cia_spec *s, const struct cia_rule *r, char *buf, size_t n)
{
    const char *of = s->fields[r->other].name;
    switch (r->op) {
    case CIA_C_GT0: snprintf(buf, n, "%s is more than 0", of); break;
    case CIA_C_ZERO: snprintf(buf, n, "%s is 0 or empty", of); break;
    default: {
        char vals[256] = "";
        for (size_t i = 0; i < r->nvalues; i++)
            snprintf(vals + strlen(vals), sizeof vals - strlen(vals), "%s%s", i ? " or " : "", r->values[i]);
        snprintf(buf, n, "%s is %s%s", of, r->op == CIA_C_NE ? "not " : "", vals);
    }
    }
}

int cia_validate_rules(const cia_spec *s, const struct cia_val *vals, cia_rule_fn bad, void *arg)
{
    int n = 0;
    char msg[512], cond[300];
    for (size_t i = 0; i < s->nrules; i++) {
        const struct cia_rule *r = &s->rules[i];
        const struct cia_val *v = &vals[r->field], *o = &vals[r->other];
        const char *fname = s->fields[r->field].name, *oname = s->fields[r->other].name;
        switch (r->kind) {
        case CIA_R_REQUIRED_WHEN:
            if (!v->known && cond_holds(s, r, vals)) {
                describe_cond(s, r, cond, sizeof cond);
                snprintf(msg, sizeof msg, "value missing: %s is required when %s", fname, cond);
                bad(r->field, msg, arg);
                n++;
            }
            break;
        case CIA_R_EMPTY_WHEN:
            if (v->known && cond_holds(s, r, vals)) {
                describe_cond(s, r, cond, sizeof cond);
                snprintf(msg, sizeof msg, "%s must be empty when %s (found %s)", fname, cond, v->text);
                bad(r->field, msg, arg);
                n++;
            }
            break;
        case CIA_R_LESS_THAN:
            if (v->known && o->known && v->num >= o->num) {
                snprintf(msg, sizeof msg, "%s (%lld) must be less than %s (%lld)", fname, v->num, oname, o->num);
                bad(r->field, msg, arg);
                n++;
            }
            break;
        case CIA_R_NOT_BEFORE:
            if (v->known && o->known && v->num < o->num) {
                snprintf(msg, sizeof msg, "%s %s is before %s %s", fname, v->text, oname, o->text);
                bad(r->field, msg, arg);
                n++;
            }
            break;
        }
    }
    return n;
}
