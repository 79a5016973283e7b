/* check.h — data-quality rules over the item facts: the gate the figures
 * pass before anyone publishes them (`ciatteh check`, the unattended run,
 * the biennial pack).
 *
 * The rules are data: reports/data/checks/NN_ID.rule, each an id, a
 * severity, a title and a message in English, French and Dutch, its
 * thresholds with their defaults, and one SQL query over the current item
 * facts, coverage and deliveries that returns the offending rows (see
 * reports/data/checks/README).  This module parses them, runs them all in
 * one read snapshot, and renders the findings as a terminal table, CSV,
 * JSON or a cia_table for the report pack. */
#ifndef CIATTEH_CHECK_H
#define CIATTEH_CHECK_H

#include <stdio.h>
#include "ciatteh/db.h"
#include "ciatteh/table.h"
#include "ciatteh/util.h"

enum cia_check_severity {
    CIA_SEV_OFF = 0,        /* rule switched off by a setting: not run */
    CIA_SEV_WARNING = 1,
    CIA_SEV_ERROR = 2,
};

/* What makes `check` fail (its exit status):
 *   DEFAULT  errors → 65, warnings only → 1, clean → 0;
 *   ERROR    errors → 65, otherwise 0 (warnings are reported, not failed);
 *   WARNING  any finding → 65;
 *   NEVER    always 0 (report only). */
enum cia_check_fail_on {
    CIA_FAIL_DEFAULT = 0, CIA_FAIL_ERROR, CIA_FAIL_WARNING, CIA_FAIL_NEVER,
};

struct cia_check_opts {
    int year_from, year_to;        /* years reported on; 0 = no bound */
    const char *as_of;             /* YYYY-MM-DD: the data as it stood at the end of
                                      that day (Brussels), and ages measured from
                                      then; NULL = current data, ages from now */
    /* Settings, applied in order (later wins), each "NAME=VALUE":
     *   PARAM=V          a threshold, for every rule declaring it
     *   RULE.PARAM=V     for one rule
     *   severity.RULE=error|warning|off
     *   fail_on=...      accepted and ignored here (the caller's business)
     * An unknown name or a non-numeric threshold is CIA_EUSAGE. */
    const cia_strv *settings;
    const char *only;              /* "id,id": run only these rules; NULL = all */
    const char *offence;           /* THB (NULL), SMUG or both: the offence the
                                      figures of the rules over item facts count
                                      (facts_as_of, the figure layer's; never the
                                      two added together).  both: each such rule
                                      runs once per offence, its findings marked */
    int public_only;               /* a published (protected) pack: findings say
                                      what is wrong, never a figure — messages
                                      from public.LANG, no numeric column but
                                      the threshold (see reports/data/checks/README) */
};

struct cia_check_rule {
    char *id, *file;
    int severity;                  /* after settings; CIA_SEV_OFF = not run */
    char *title[3];                /* en, fr, nl */
    char *message[3];
    char *public_message[3];       /* NULL: message has no figure in it */
    char **param_names, **param_values;   /* values after settings */
    size_t nparams;
    char *sql;
    size_t nfindings;              /* filled by cia_check_run */
};

struct cia_check_finding {
    size_t rule;                   /* index into result->rules */
    int severity;
    char *service, *item, *subject;   /* NULL when the rule leaves them out */
    int year;                      /* 0 when not about one year */
    char *message[3];              /* en, fr, nl: codes and ISO days (check's outputs) */
    char *reader_message[3];       /* the same with names and long dates (the pack's table) */
    size_t ncols;                  /* every column the query returned */
    char **cols, **vals;           /* vals[i] NULL for SQL NULL */
    int *numeric;                  /* 1 when the column is a number */
    const char *offence;           /* "THB" or "SMUG" for a rule over item facts,
                                      NULL for one over deliveries */
};

struct cia_check_result {
    struct cia_check_rule *rules;
    size_t nrules;
    struct cia_check_finding *findings;
    size_t nfindings;
    size_t errors, warnings;       /* findings by severity */
    size_t rules_run;
    int year_from, year_to;        /* as asked (0 = no bound) */
    char as_of[16];                /* the --as-of day, "" = current data */
    char ref_day[16];              /* the day ages were measured from */
    char offence[8];               /* THB, SMUG or both, as asked */
};

/* Parse the embedded rules and apply the settings (no database needed):
 * for --list, and to validate a configuration before a run. */
int cia_check_load_rules(const struct cia_check_opts *o, struct cia_check_result *res, cia_err *e);

/* Run every rule that is not off.  res is filled (free it with
 * cia_check_result_free, also after a failure).  A rule whose SQL fails
 * is CIA_EINTERNAL naming the rule. */
int cia_check_run(cia_db *db, const struct cia_check_opts *o, struct cia_check_result *res, cia_err *e);
void cia_check_result_free(struct cia_check_result *res);

/* Exit status of `check` for these findings (0, CIA_WARN or CIA_EDATA). */
int cia_check_status(const struct cia_check_result *res, enum cia_check_fail_on fail_on);
/* "error", "warning", "never", "default" → fail_on; -1 when unknown. */
int cia_check_parse_fail_on(const char *s, enum cia_check_fail_on *out);
const char *cia_check_severity_name(int severity);

/* Render: format "table" (aligned, for a terminal), "csv" (rule,
 * severity,service,item,year,subject,message,offence) or "json" (every column
 * of every finding, messages in the three languages, the rules run and
 * the totals).  lang picks the messages and headings. */
int cia_check_write(FILE *fp, const struct cia_check_result *res, const char *format,
                    const char *lang, cia_err *e);

/* The rules with their severity, thresholds and title (for --list). */
int cia_check_write_rules(FILE *fp, const struct cia_check_result *res, const char *lang, cia_err *e);

/* The findings as a table model (id "checks": severity, rule, year,
 * service, message) and the rules run with their outcome (id
 * "check_rules": rule, title, severity, findings), for the report pack. */
cia_table *cia_check_table(const struct cia_check_result *res, const char *lang);
cia_table *cia_check_rules_table(const struct cia_check_result *res, const char *lang);

/* Index of a language in the message arrays: en 0, fr 1, nl 2. */
int cia_check_lang_index(const char *lang);

#endif
