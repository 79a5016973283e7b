/* spec.h — a service's extract format as data (etl/specs/SERVICE.spec):
 * delimiter, fields with their accepted headers in three languages, types,
 * required-ness, code lists, the primary date, the unique key, the scope
 * (shelters: a centre's file replaces only that centre) and cross-field
 * rules.  One reader and validator serve every spec; a seventh service is
 * a seventh spec file plus its record table and items in schema/ (its
 * group table and group_SERVICE() are made from the spec: schema/groups.sql,
 * etl/group_sql.c).
 *
 * How records enter the item groups (etl/group.c, table SERVICE_group):
 * the loader counts records per combination of these columns while it
 * streams them, so the server never re-reads the records.
 *   group COLUMN FIELD                  the validated value: text for code,
 *                                       country and iso2 fields, boolean for
 *                                       bool, integer for int and year fields
 *   group COLUMN FIELD year             integer: the year of a date or year field
 *   group COLUMN FIELD band V=CODE ...  text: the CODE of the largest V not
 *                                       above the value (int fields; V
 *                                       ascending whole numbers); NULL below
 *                                       the first V
 *   group COLUMN FIELD sign             boolean: value > 0 (int, count, amount)
 *   sum   COLUMN FIELD [sign]           bigint COLUMN (sum of the known values,
 *                                       NULL when none) and bigint
 *                                       COLUMN_known (how many were known);
 *                                       int, count and bool (true = 1)
 *                                       fields; with sign, the number of
 *                                       values > 0 (int, count, amount)
 *   lag   FIELD FROM_FIELD              date fields: days from FROM_FIELD to
 *                                       FIELD; newest FIELD and the 95th
 *                                       percentile.  At most one, and the
 *                                       spec must have `rule not_before
 *                                       FIELD FROM_FIELD` so days are >= 0.
 * A group column is NULL when its field is not known.  COLUMN matches
 * [a-z][a-z0-9_]* (at most 57 characters, so COLUMN_known fits
 * PostgreSQL's 63), is unique, and is not delivery_id, scope, dyear or n. */
#ifndef CIATTEH_SPEC_H
#define CIATTEH_SPEC_H

#include <stddef.h>
#include "ciatteh/err.h"

enum cia_ftype {
    CIA_T_DATE,      /* yyyy-mm-dd, dd/mm/yyyy, dd-mm-yyyy; 1995..today */
    CIA_T_YEAR,      /* 1995..this year */
    CIA_T_INT,       /* digits only, fits an int32 */
    CIA_T_COUNT,     /* digits only, fits an int64 */
    CIA_T_AMOUNT,    /* decimal comma, '.' or ' ' thousands separators */
    CIA_T_CODE,      /* a code list (labels in en/fr/nl or the code) */
    CIA_T_BOOL,      /* yes/no code list → t/f */
    CIA_T_COUNTRY,   /* name (en/fr/nl) or ISO alpha-2/alpha-3 → alpha-2 */
    CIA_T_ISO2,      /* ISO alpha-2 only */
    CIA_T_REF,       /* pseudonymous reference: never stored in clear */
};

struct cia_field {
    char *name;            /* = record table column */
    enum cia_ftype type;
    char *list;            /* code list for CIA_T_CODE/BOOL */
    int required;
    int empty_is_zero;     /* an empty cell means 0; markers like ? mean unknown */
    char **headers;        /* accepted header names, folded */
    size_t nheaders;
};

enum cia_rule_kind {
    CIA_R_REQUIRED_WHEN,   /* field required when cond holds */
    CIA_R_EMPTY_WHEN,      /* field must be empty when cond holds */
    CIA_R_LESS_THAN,       /* field < other field (numbers) */
    CIA_R_NOT_BEFORE,      /* date field >= other date field */
};

enum cia_cond_op { CIA_C_EQ, CIA_C_NE, CIA_C_GT0, CIA_C_ZERO };

struct cia_rule {
    enum cia_rule_kind kind;
    int field, other;          /* indexes into fields */
    enum cia_cond_op op;       /* for *_WHEN */
    char **values;             /* codes for EQ/NE */
    size_t nvalues;
    char *text;                /* the rule as written, for messages */
};

enum cia_grain {
    CIA_G_VALUE,             /* the field's value */
    CIA_G_YEAR,              /* the year of a date or year field */
    CIA_G_BAND,              /* a band of an int field */
    CIA_G_SIGN,              /* value > 0 */
};

struct cia_group_col {
    char *column;            /* group table column */
    int field;               /* index into fields */
    enum cia_grain grain;
    long long *band_from;    /* CIA_G_BAND: ascending lower bounds */
    char **band_code;        /* ... and the code of each band */
    size_t nband;
};

struct cia_sum_col {
    char *column;            /* COLUMN and COLUMN_known */
    int field;
    int sign;                /* count the values > 0 instead of adding them */
};

typedef struct cia_spec {
    char *service;
    char *title;
    char *table;
    char delimiter;
    int primary;               /* field index whose year is the delivery year */
    int scope;                 /* field index of the scope, -1 = none: a file holds one scope
                                * (a centre) and replaces only its data */
    int *unique;               /* field indexes of the unique key */
    size_t nunique;
    struct cia_field *fields;
    size_t nfields;
    struct cia_rule *rules;
    size_t nrules;
    struct cia_group_col *groups;   /* group lines, in spec order */
    size_t ngroups;
    struct cia_sum_col *sums;       /* sum lines, in spec order */
    size_t nsums;
    int lag;                        /* 1 when a lag line was given: */
    int lag_field, lag_from;        /* days from lag_from to lag_field */
} cia_spec;

/* Parse spec text; name is used in messages. */
int cia_spec_parse(cia_spec **out, const char *name, const char *text, size_t len, cia_err *e);
/* The embedded spec of a service; CIA_EUSAGE naming the services if none. */
int cia_spec_load(cia_spec **out, const char *service, cia_err *e);
void cia_spec_free(cia_spec *s);
int cia_spec_field(const cia_spec *s, const char *name);   /* index or -1 */
/* Comma-separated list of the services that have a spec (static). */
const char *cia_spec_services(void);

#endif
