/* validate.h — one raw extract value → its standard form, by field type;
 * and the spec's cross-field rules over a record's values.  Messages say
 * what is wrong and why, so an analyst can fix the file. */
#ifndef CIATTEH_VALIDATE_H
#define CIATTEH_VALIDATE_H

#include <stddef.h>
#include "ciatteh/codes.h"
#include "ciatteh/country.h"
#include "ciatteh/date.h"
#include "ciatteh/spec.h"

struct cia_vctx {
    const cia_codes *codes;
    const cia_countries *countries;
    int today;                 /* yyyymmdd: later dates are in the future */
};

struct cia_val {
    int known;                 /* 0 = not known (SQL NULL) */
    char text[48];             /* standard form for COPY (code, ISO date...) */
    long long num;             /* numbers; yyyymmdd for dates */
};

/* NULL when valid, else the message (written into err). */
const char *cia_validate_value(const struct cia_field *f, const char *raw, size_t len,
                               const struct cia_vctx *ctx, struct cia_val *out,
                               char *err, size_t errlen);

/* Check the rules; calls bad(field index, message, arg) per violation and
 * returns the number of violations. */
typedef void (*cia_rule_fn)(int field, const char *msg, void *arg);
int cia_validate_rules(const cia_spec *s, const struct cia_val *vals, cia_rule_fn bad, void *arg);


#endif
