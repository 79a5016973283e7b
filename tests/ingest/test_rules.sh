#!/bin/sh
# test_rules.sh — every rule of ../shared/extracts/FORMATS.md, one file
# that breaks it (data/bad/), and the quirks a real file may have that must
# be accepted (data/good/).  For a bad file: exit 65, the exact located
# message(s) `file:line:column: message` (column = the header as written),
# unknown codes naming the accepted values, and the database unchanged
# (counts, record tables, item facts and `ciatteh deliveries`).  The samples
# are loaded first so that "unchanged" is checked on a database with data.
. "$(dirname "$0")/../lib.sh"

# The services' samples as shared beside the clone, else the bundled copies
# (etl/samples/ holds the same bytes).
S=${CIATTEH_SAMPLES:-$ROOT/../shared/extracts/samples}
[ -d "$S" ] || S=$ROOT/etl/samples
# Messages name the file as given on the command line: run from data/.
cd "$HERE/data" || exit 1

# ------------------------------------------------------------------ helpers
lines() { printf '%s\n' "$@"; }

# state — everything a load may change, as text (one query: it runs twice
# per rejected file; `ciatteh deliveries` is compared around the whole run
# of bad files below).
state() {
    sql "SELECT 'delivery ' || count(*) || ' ' || coalesce(md5(string_agg(h::text, '|' ORDER BY h.id)), '') FROM delivery_history h
         UNION ALL SELECT 'delivery_year ' || count(*) FROM delivery_year
         UNION ALL SELECT 'item_fact ' || count(*) || ' ' || coalesce(md5(string_agg(f::text, '|' ORDER BY f::text)), '') FROM item_fact f
         UNION ALL SELECT 'police ' || count(*) || ' ' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') FROM police_record r
         UNION ALL SELECT 'prosecution ' || count(*) || ' ' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') FROM prosecution_record r
         UNION ALL SELECT 'inspectorates ' || count(*) || ' ' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') FROM inspectorates_record r
         UNION ALL SELECT 'shelters ' || count(*) || ' ' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') FROM shelters_record r
         UNION ALL SELECT 'convictions ' || count(*) || ' ' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') FROM convictions_record r
         UNION ALL SELECT 'immigration ' || count(*) || ' ' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') FROM immigration_record r"
}

# reject SERVICE FILE [LOAD OPTIONS...] — the load exits 65, ends with the
# "rejected, N problem(s): nothing was loaded" line, and the database is as
# before.  ERR holds the messages for the assertions that follow.  BASE,
# when set, is the state every rejected load must leave (taken once, since
# nothing may change between them).
BASE=""
reject() {
    local svc file before after
    svc=$1 file=$2; shift 2
    before=${BASE:-$(state)}
    assert_exit 65 ciatteh load "$@" "$svc" "$file"
    assert_match "$ERR" "^ciatteh: $file: rejected, [0-9]+ problems?: nothing (was|would be) loaded$" \
        "closing line for $file"
    after=$(state)
    assert_eq "$after" "$before" "database unchanged after $file"
    [ -n "$BASE" ] && BASE=$after    # a failure here is not blamed on the next file
    return 0
}

# has_line TEXT LINE — LINE is one whole line of TEXT.
has_line() {
    if printf '%s\n' "$1" | grep -Fxq -- "$2"; then _pass "line: $2"
    else _fail "missing line: $2" "$1"; fi
}

# nproblems TEXT FILE — the number of listed problems (lines FILE:...).
nproblems() { printf '%s\n' "$1" | grep -c "^$2:" ; }

DISTRICTS="ANT (Antwerp), LIM (Limburg), OVL (East Flanders), WVL (West Flanders), LEU (Leuven), BRU (Brussels), HVV (Halle-Vilvoorde), BRW (Walloon Brabant), HAI (Hainaut), LIE (Liège), NAM (Namur), LUX (Luxembourg), EUP (Eupen)"
FORMS="SEX (sexual exploitation), LAB (labour exploitation), BEG (exploitation of begging), CRIM (forced criminality), ORG (organ removal), OTH (other)"
TAIL="or their labels in English, French or Dutch"

# ------------------------------------------------------------------ baseline
t_begin "baseline: the samples load"
if [ -d "$S" ]; then
    for f in police:police_2021 prosecution:prosecution_2021 inspectorates:inspectorates_2021 \
             convictions:convictions_2020 immigration:immigration_2021 shelters:shelter_payoke_2021; do
        assert_exit 0 ciatteh load "${f%%:*}" "$S/${f#*:}.csv"
    done
else
    skip "no sample folder $S"
fi
BASE=$(state)
DELIVERIES_BEFORE=$($CIA deliveries --format csv 2>&1)

# ================================================================== header
t_begin "header: a missing required column rejects the file"
reject police bad/police_missing_column.csv
has_line "$ERR" "bad/police_missing_column.csv:1: missing required column district (accepted headers: district, arrondissement, arrondissement_judiciaire, gerechtelijk_arrondissement)"
# The file is a police extract with one column missing, not another service's.
assert_not_contains "$ERR" "looks like a convictions extract" "no wrong guess of the service"

t_begin "header: another service's file is named as such"
reject convictions bad/police_as_convictions.csv
has_line "$ERR" "bad/police_as_convictions.csv:1: this looks like a police extract, not convictions"
has_line "$ERR" "bad/police_as_convictions.csv:1: missing required column bulletin_ref (accepted headers: bulletin_ref, ref_bulletin, bulletin_nr)"
if [ -d "$S" ]; then
    reject prosecution "$S/police_2021.csv"
    has_line "$ERR" "$S/police_2021.csv:1: this looks like a police extract, not prosecution"
fi

t_begin "header: a column given twice (district and Arrondissement)"
reject police bad/police_duplicate_column.csv
has_line "$ERR" "bad/police_duplicate_column.csv:1:Arrondissement: column for district given twice (also 'district')"

t_begin "header: the message names the column as written in the file"
reject police bad/police_header_as_written.csv
has_line "$ERR" "bad/police_header_as_written.csv:2:Arrondissement: unknown district 'Gent'; accepted: $DISTRICTS, $TAIL"

# ================================================================== codes
t_begin "codes: an unknown code names the value and the accepted codes"
reject police bad/police_unknown_code.csv
has_line "$ERR" "bad/police_unknown_code.csv:3:district: unknown district 'Gent'; accepted: $DISTRICTS, $TAIL"
assert_eq "$(nproblems "$ERR" bad/police_unknown_code.csv)" 1 "one problem listed"
reject police bad/police_unknown_form.csv
has_line "$ERR" "bad/police_unknown_form.csv:3:exploitation_form: unknown form 'slavery'; accepted: $FORMS, $TAIL"
reject prosecution bad/prosecution_unknown_decision.csv
has_line "$ERR" "bad/prosecution_unknown_decision.csv:3:decision: unknown decision 'acquitted'; accepted: PENDING (pending), DISMISSED (dismissed), SETTLEMENT (settlement), SUMMONS (summons), REFERRAL (referral to investigating judge), JOINED (joined to another case), $TAIL"
reject shelters bad/shelters_unknown_centre.csv
has_line "$ERR" "bad/shelters_unknown_centre.csv:3:centre: unknown centre 'Caritas'; accepted: PAGASA (Pag-Asa), PAYOKE (Payoke), SURYA (Sürya), $TAIL"
reject shelters bad/shelters_bad_yesno.csv
has_line "$ERR" "bad/shelters_bad_yesno.csv:3:admitted: unknown yesno 'maybe'; accepted: yes (yes), no (no), $TAIL"
reject immigration bad/immigration_unknown_codes.csv
has_line "$ERR" "bad/immigration_unknown_codes.csv:3:document_type: unknown document 'visa'; accepted: OQT45 (order to leave, 45-day reflection period), AI3M (registration certificate, 3 months), CIRE6M (temporary residence, 6 months), PERM (permanent residence), HUMAN (humanitarian residence), $TAIL"
has_line "$ERR" "bad/immigration_unknown_codes.csv:4:procedure: unknown offence 'fraud'; accepted: THB (trafficking in human beings), SMUG (smuggling of human beings), $TAIL"
has_line "$ERR" "bad/immigration_unknown_codes.csv:5:sex: unknown sex 'X'; accepted: F (female), M (male), $TAIL"
has_line "$ERR" "bad/immigration_unknown_codes.csv:5:minor: unknown yesno 'perhaps'; accepted: yes (yes), no (no), $TAIL"
assert_eq "$(nproblems "$ERR" bad/immigration_unknown_codes.csv)" 4 "every problem listed, two on line 5"

t_begin "codes: sector is a NACE section letter or UNK"
reject inspectorates bad/inspectorates_bad_sector.csv
assert_contains "$ERR" "bad/inspectorates_bad_sector.csv:3:sector: unknown sector 'Z'; accepted: A (Agriculture, forestry and fishing), B (Mining and quarrying),"
assert_contains "$ERR" "U (Extraterritorial organisations), UNK (not known), $TAIL"

t_begin "countries: unknown names, and alpha-2 only where the format says so"
reject shelters bad/shelters_unknown_country.csv
has_line "$ERR" "bad/shelters_unknown_country.csv:3:nationality: unknown country 'Atlantis' (a name in English, French or Dutch, or an ISO code)"
reject convictions bad/convictions_bad_nationality.csv
has_line "$ERR" "bad/convictions_bad_nationality.csv:3:nationalite: 'Roumanie' is not an ISO 3166-1 alpha-2 country code"
has_line "$ERR" "bad/convictions_bad_nationality.csv:4:nationalite: 'ROU' is not an ISO 3166-1 alpha-2 country code"
has_line "$ERR" "bad/convictions_bad_nationality.csv:5:nationalite: 'XX' is not an ISO 3166-1 alpha-2 country code"

# ================================================================== dates
t_begin "dates: in the future"
reject police bad/police_future_date.csv
has_line "$ERR" "bad/police_future_date.csv:3:registration_date: date 2099-01-05 is in the future"
CIATTEH_TODAY=2021-06-30
export CIATTEH_TODAY
reject police bad/police_after_today.csv     # 2021-06-30 is today: fine; 01/07/2021 is not
has_line "$ERR" "bad/police_after_today.csv:4:registration_date: date 01/07/2021 is in the future"
assert_eq "$(nproblems "$ERR" bad/police_after_today.csv)" 1 "today itself is not in the future"
reject inspectorates bad/inspectorates_after_today.csv
has_line "$ERR" "bad/inspectorates_after_today.csv:3:year: year 2022 is in the future"
unset CIATTEH_TODAY

t_begin "dates: before 1995, 30 February, 29 February 2021, other forms"
reject police bad/police_before_1995.csv
has_line "$ERR" "bad/police_before_1995.csv:3:registration_date: date 31/12/1994 is before 1995"
reject police bad/police_30_february.csv
has_line "$ERR" "bad/police_30_february.csv:3:registration_date: '30/02/2021' is not a date (there is no 30 February 2021)"
reject police bad/police_29_february_2021.csv
has_line "$ERR" "bad/police_29_february_2021.csv:3:registration_date: '29-02-2021' is not a date (there is no 29 February 2021)"
reject police bad/police_bad_date.csv
has_line "$ERR" "bad/police_bad_date.csv:3:registration_date: '2021/01/05' is not a date (use yyyy-mm-dd or dd/mm/yyyy)"
has_line "$ERR" "bad/police_bad_date.csv:4:registration_date: '5/1/2021' is not a date (use yyyy-mm-dd or dd/mm/yyyy)"
has_line "$ERR" "bad/police_bad_date.csv:5:registration_date: '2021-13-01' is not a date (there is no month 13)"

t_begin "years: future, not four digits, before 1995"
reject inspectorates bad/inspectorates_bad_year.csv
has_line "$ERR" "bad/inspectorates_bad_year.csv:3:year: year 2099 is in the future"
has_line "$ERR" "bad/inspectorates_bad_year.csv:4:year: '21' is not a year (four digits)"
has_line "$ERR" "bad/inspectorates_bad_year.csv:5:year: year 1994 is before 1995"

# ================================================================== numbers
t_begin "integers: digits only, no sign, not too large"
reject police bad/police_nondigit.csv
has_line "$ERR" "bad/police_nondigit.csv:3:suspects: 'two' is not a whole number (digits only, no sign)"
has_line "$ERR" "bad/police_nondigit.csv:4:suspects: '1.5' is not a whole number (digits only, no sign)"
reject police bad/police_negative.csv
has_line "$ERR" "bad/police_negative.csv:3:victims: '-3' is not a whole number (digits only, no sign)"
has_line "$ERR" "bad/police_negative.csv:4:suspects: '+2' is not a whole number (digits only, no sign)"
reject police bad/police_overflow.csv
has_line "$ERR" "bad/police_overflow.csv:3:victims: 99999999999 is too large"
reject inspectorates bad/inspectorates_count_overflow.csv
has_line "$ERR" "bad/inspectorates_count_overflow.csv:3:inspections: 9999999999999999 is too large"

t_begin "amounts: decimal comma, '.' or space between thousands"
reject convictions bad/convictions_bad_amount.csv
has_line "$ERR" "bad/convictions_bad_amount.csv:3:amende_eur: '1,500.00' is not an amount (decimal comma, e.g. 1.500,00)"
has_line "$ERR" "bad/convictions_bad_amount.csv:4:amende_eur: '15.00,00' is not an amount (decimal comma, e.g. 1.500,00)"
has_line "$ERR" "bad/convictions_bad_amount.csv:5:amende_eur: '-200,00' is not an amount (decimal comma, e.g. 1.500,00)"
# 13 digits before the comma: more than the record table's numeric(14,2)
# holds; must be a located problem, not a failed COPY ("rejected, 0 problems")
reject convictions bad/convictions_amount_overflow.csv
has_line "$ERR" "bad/convictions_amount_overflow.csv:3:amende_eur: 1.000.000.000.000,00 is too large (at most 12 digits before the comma)"

# ================================================================== required values
t_begin "required values: empty or a not-known marker"
reject police bad/police_required_missing.csv
has_line "$ERR" "bad/police_required_missing.csv:3:fact_ref: value missing: the field is required"
has_line "$ERR" "bad/police_required_missing.csv:4:district: '?' (not known) is not allowed: the field is required"
has_line "$ERR" "bad/police_required_missing.csv:5:registration_date: value missing: the field is required"
reject inspectorates bad/inspectorates_count_missing.csv
has_line "$ERR" "bad/inspectorates_count_missing.csv:3:inspections: value missing: the field is required"
has_line "$ERR" "bad/inspectorates_count_missing.csv:4:thb_reports: 'n/a' (not known) is not allowed: the field is required"
reject immigration bad/immigration_required_missing.csv
has_line "$ERR" "bad/immigration_required_missing.csv:3:document_type: value missing: the field is required"
has_line "$ERR" "bad/immigration_required_missing.csv:4:procedure: 'unknown' (not known) is not allowed: the field is required"
reject shelters bad/shelters_admitted_unknown.csv
has_line "$ERR" "bad/shelters_admitted_unknown.csv:3:admitted: '?' (not known) is not allowed: the field is required"

# ================================================================== cross-field rules
t_begin "rule: the form of exploitation is required for THB (police, prosecution)"
reject police bad/police_thb_without_form.csv
has_line "$ERR" "bad/police_thb_without_form.csv:3:exploitation_form: value missing: exploitation_form is required when offence is THB"
has_line "$ERR" "bad/police_thb_without_form.csv:5:exploitation_form: value missing: exploitation_form is required when offence is THB"
assert_eq "$(nproblems "$ERR" bad/police_thb_without_form.csv)" 2 "line 4 (SMUG, no form) is fine"
reject prosecution bad/prosecution_thb_without_form.csv
has_line "$ERR" "bad/prosecution_thb_without_form.csv:3:exploitation_form: value missing: exploitation_form is required when offence is THB"

t_begin "rule: decision_date required unless PENDING, empty when PENDING, not before entry"
reject prosecution bad/prosecution_decided_without_date.csv
has_line "$ERR" "bad/prosecution_decided_without_date.csv:3:decision_date: value missing: decision_date is required when decision is not PENDING"
reject prosecution bad/prosecution_pending_with_date.csv
has_line "$ERR" "bad/prosecution_pending_with_date.csv:3:decision_date: decision_date must be empty when decision is PENDING (found 2021-02-01)"
reject prosecution bad/prosecution_decision_before_entry.csv
has_line "$ERR" "bad/prosecution_decision_before_entry.csv:3:decision_date: decision_date 2021-02-04 is before entry_date 2021-02-05"

t_begin "rule: admission_date if and only if admitted, not before referral"
reject shelters bad/shelters_admitted_without_date.csv
has_line "$ERR" "bad/shelters_admitted_without_date.csv:3:admission_date: value missing: admission_date is required when admitted is yes"
reject shelters bad/shelters_not_admitted_with_date.csv
has_line "$ERR" "bad/shelters_not_admitted_with_date.csv:3:admission_date: admission_date must be empty when admitted is no (found 2021-01-05)"
reject shelters bad/shelters_admission_before_referral.csv
has_line "$ERR" "bad/shelters_admission_before_referral.csv:3:admission_date: admission_date 2021-01-03 is before referral_date 2021-01-04"

t_begin "rule: suspension if and only if prison; suspended_months for PARTIAL, less than the term"
reject convictions bad/convictions_prison_without_suspension.csv
has_line "$ERR" "bad/convictions_prison_without_suspension.csv:3:sursis: value missing: suspension is required when prison_months is more than 0"
reject convictions bad/convictions_suspension_without_prison.csv
has_line "$ERR" "bad/convictions_suspension_without_prison.csv:3:sursis: suspension must be empty when prison_months is 0 or empty (found FULL)"
has_line "$ERR" "bad/convictions_suspension_without_prison.csv:4:sursis: suspension must be empty when prison_months is 0 or empty (found NONE)"
reject convictions bad/convictions_partial_without_months.csv
has_line "$ERR" "bad/convictions_partial_without_months.csv:3:sursis_mois: value missing: suspended_months is required when suspension is PARTIAL"
reject convictions bad/convictions_suspended_not_less.csv
has_line "$ERR" "bad/convictions_suspended_not_less.csv:3:sursis_mois: suspended_months (24) must be less than prison_months (24)"
has_line "$ERR" "bad/convictions_suspended_not_less.csv:4:sursis_mois: suspended_months (30) must be less than prison_months (24)"

t_begin "rule: a bulletin is not registered before its judgment"
reject convictions bad/convictions_registered_before_judgment.csv
has_line "$ERR" "bad/convictions_registered_before_judgment.csv:3:date_enregistrement: registration_date 2020-02-10 is before judgment_date 2020-02-11"

# ================================================================== duplicates
t_begin "duplicates: references unique in the file (surrounding spaces ignored)"
reject police bad/police_duplicate_ref.csv
has_line "$ERR" "bad/police_duplicate_ref.csv:4:fact_ref: duplicate record: the same fact_ref as line 2"
assert_eq "$(nproblems "$ERR" bad/police_duplicate_ref.csv)" 1 "one problem"
reject prosecution bad/prosecution_duplicate_ref.csv
has_line "$ERR" "bad/prosecution_duplicate_ref.csv:4:case_ref: duplicate record: the same case_ref as line 2"

t_begin "duplicates: (year, inspectorate, sector) once, whatever the spelling of the codes"
reject inspectorates bad/inspectorates_duplicate_key.csv
has_line "$ERR" "bad/inspectorates_duplicate_key.csv:4:sector: duplicate record: the same year, inspectorate, sector as line 2"

t_begin "duplicates: person_ref unique within a centre (Pag-Asa = PAG-ASA)"
reject shelters bad/shelters_duplicate_person.csv
has_line "$ERR" "bad/shelters_duplicate_person.csv:4:person_ref: duplicate record: the same centre, person_ref as line 2"

# ================================================================== structure
t_begin "structure: unterminated quote, malformed quote, wrong number of fields"
reject police bad/police_unterminated_quote.csv
has_line "$ERR" "bad/police_unterminated_quote.csv:3:fact_ref: unterminated quoted field at the end of the file (file truncated?)"
reject police bad/police_malformed_quote.csv
has_line "$ERR" "bad/police_malformed_quote.csv:3: malformed quoting: a quote inside an unquoted field, or text after a closing quote"
assert_eq "$(nproblems "$ERR" bad/police_malformed_quote.csv)" 1 "reading goes on at the next line"
reject police bad/police_wrong_fields.csv
has_line "$ERR" "bad/police_wrong_fields.csv:3: 8 fields where the header has 7 (a stray delimiter or quote?)"
has_line "$ERR" "bad/police_wrong_fields.csv:4: 6 fields where the header has 7 (a stray delimiter or quote?)"
assert_eq "$(nproblems "$ERR" bad/police_wrong_fields.csv)" 2 "line 5 is fine"

t_begin "structure: line numbers are physical lines, after quoted line breaks too"
reject police bad/police_multiline_then_error.csv
has_line "$ERR" "bad/police_multiline_then_error.csv:4:district: unknown district 'Nowhere'; accepted: $DISTRICTS, $TAIL"
has_line "$ERR" "bad/police_multiline_then_error.csv:5:suspects: 'x' is not a whole number (digits only, no sign)"

t_begin "structure: empty file, header only"
reject police bad/police_empty.csv
has_line "$ERR" "bad/police_empty.csv: empty file: no header, no records"
reject police bad/police_header_only.csv
has_line "$ERR" "bad/police_header_only.csv:1: header only: the file holds no records, so it cannot say which years it covers"

t_begin "encoding: NUL byte; invalid UTF-8 in a UTF-8 file"
reject police bad/police_nul.csv
has_line "$ERR" "bad/police_nul.csv:3: NUL byte: this is not a text extract (binary file?)"
reject police bad/police_invalid_utf8.csv       # BOM, then a lone Latin-1 byte on line 4
has_line "$ERR" "bad/police_invalid_utf8.csv:4: invalid UTF-8 byte sequence in a file that is otherwise UTF-8 (it starts with a UTF-8 byte-order mark)"
reject police bad/police_invalid_utf8_nobom.csv # valid "Liège" on line 3, a lone 0xE8 on line 4
has_line "$ERR" "bad/police_invalid_utf8_nobom.csv:4: invalid UTF-8 byte sequence in a file that is otherwise UTF-8"

# ================================================================== the list of problems
t_begin "problems: all listed up to the cap, the rest counted (--max-errors)"
reject police bad/police_many_errors.csv      # 28 unknown districts (lines 3-30), line 31 two problems
assert_eq "$(nproblems "$ERR" bad/police_many_errors.csv)" 30 "30 problems, all listed under the default cap"
has_line "$ERR" "ciatteh: bad/police_many_errors.csv: rejected, 30 problems: nothing was loaded"
reject police bad/police_many_errors.csv --max-errors 3
assert_eq "$(nproblems "$ERR" bad/police_many_errors.csv | tr -d ' ')" 4 "3 listed + the count line"
has_line "$ERR" "bad/police_many_errors.csv:5:district: unknown district 'Nowhere'; accepted: $DISTRICTS, $TAIL"
has_line "$ERR" "bad/police_many_errors.csv: ... and 27 more problems not listed"
has_line "$ERR" "ciatteh: bad/police_many_errors.csv: rejected, 30 problems: nothing was loaded"
assert_not_contains "$ERR" "bad/police_many_errors.csv:6:" "line 6 not listed"
# default cap: 50 (60 bad lines generated here)
{ echo "registration_date;fact_ref;district;offence;exploitation_form;suspects;victims"
  i=1; while [ $i -le 60 ]; do echo "2021-01-04;M-$i;Nowhere;THB;SEX;1;1"; i=$((i + 1)); done
} >"$T/sixty.csv"
before=$(state)
assert_exit 65 ciatteh load police "$T/sixty.csv"
assert_eq "$(nproblems "$ERR" "$T/sixty.csv")" 51 "50 listed + the count line"
has_line "$ERR" "$T/sixty.csv: ... and 10 more problems not listed"
has_line "$ERR" "$T/sixty.csv:51:district: unknown district 'Nowhere'; accepted: $DISTRICTS, $TAIL"
assert_eq "$(state)" "$before" "database unchanged"

t_begin "--dry-run and --keep-going on bad files load nothing more than allowed"
reject police bad/police_unknown_code.csv --dry-run
has_line "$ERR" "ciatteh: bad/police_unknown_code.csv: rejected, 1 problem: nothing would be loaded"
reject police bad/police_missing_column.csv --keep-going --rejects "$T/rej.csv"
assert_no_file "$T/rej.csv"

t_begin "after every bad file: ciatteh deliveries lists exactly what it listed before"
assert_eq "$($CIA deliveries --format csv 2>&1)" "$DELIVERIES_BEFORE" "deliveries unchanged"

# ================================================================== accepted quirks
BASE=""
t_begin "accepted: UTF-8 no BOM, LF, no final newline, header case/spaces, shuffled and extra columns"
# police_quirks.csv, all in 2018:
#   1 THB  SEX  ANT  suspects 1       victims 3     ref "PV;18;001"
#   2 SMUG --   BRU  ?                -             ref "PV-18-""2""", note over two lines
#   3 THB  LAB  LIE  inconnu          n/a           LIÈGE, EXPLOITATION ÉCONOMIQUE
#   4 SMUG --   LIE  2                onbekend      77bis, Luik, form "unknown"
#   5 THB  BEG  OVL  (empty)          unknown       Mendicité
#   6 THB  CRIM EUP  0                (empty)       433quinquies, "crim", "eup"
before=$(state)
assert_exit 0 ciatteh load police good/police_quirks.csv
assert_contains "$OUT" "police: 6 records loaded from good/police_quirks.csv"
has_line "$ERR" "ciatteh: good/police_quirks.csv:1:Remarque: unknown column ignored"
assert_ne "$(state)" "$before" "the database changed"
q() { local want; want=$1; shift; run ciatteh query "$@"; assert_eq "$OUT" "$want" "query $*"; }
q "$(lines item,year,offence,value,flag police.facts,2018,SMUG,2, police.facts,2018,THB,4,)" police.facts --by offence --year 2018
# offence asked beside form and district: the two smuggling rows would
# otherwise be left out (THB only by default, ITEMS.md)
q "$(lines item,year,offence,form,value,flag police.facts,2018,SMUG,UNK,2, police.facts,2018,THB,BEG,1, \
           police.facts,2018,THB,CRIM,1, police.facts,2018,THB,LAB,1, police.facts,2018,THB,SEX,1,)" \
    police.facts --by offence,form --year 2018                                     # 2 4; 5; 6; 3; 1
q "$(lines item,year,district,offence,value,flag police.facts,2018,ANT,THB,1, police.facts,2018,BRU,SMUG,1, \
           police.facts,2018,EUP,THB,1, police.facts,2018,LIE,SMUG,1, police.facts,2018,LIE,THB,1, \
           police.facts,2018,OVL,THB,1,)" police.facts --by district,offence --year 2018   # 1; 2; 6; 4; 3; 5
q "$(lines item,year,value,flag police.victims,2018,3,u)" police.victims --year 2018     # only row 1 known
q "$(lines item,year,offence,value,flag police.suspects,2018,SMUG,2,u police.suspects,2018,THB,1,u)" \
    police.suspects --by offence --year 2018                                         # SMUG ? + 2; THB 1 + inconnu + empty + 0
q "$(lines item,year,offence,value,flag police.victims,2018,SMUG,,u police.victims,2018,THB,3,u)" \
    police.victims --by offence --year 2018

t_begin "accepted: a character cut by the reader's 256 KiB chunks (UTF-8, Windows-1252)"
hdr="registration_date;fact_ref;district;offence;exploitation_form;suspects;victims;remarque"
row1="2021-01-04;PV-B1;ANT;THB;SEX;1;1;"
pad=$((262143 - ${#hdr} - 1 - ${#row1}))
{ printf '%s\n%s' "$hdr" "$row1"; printf "%${pad}s" "" | tr ' ' x
  printf '\303\250\n2021-01-05;PV-B2;Li\303\250ge;THB;SEX;1;1;ok\n'; } >"$T/cut_utf8.csv"
assert_eq "$(od -An -tx1 -j262143 -N2 "$T/cut_utf8.csv" | tr -d ' ')" c3a8 "è straddles offset 262144"
assert_exit 0 ciatteh load --dry-run police "$T/cut_utf8.csv"
has_line "$OUT" "police: $T/cut_utf8.csv: valid, 2 records, years 2021, utf-8"
{ printf '%s\n%s' "$hdr" "$row1"; printf "%$((pad + 1))s" "" | tr ' ' x
  printf '\350\n2021-01-05;PV-B2;Li\350ge;THB;SEX;1;1;ok\n'; } >"$T/cut_1252.csv"
assert_exit 0 ciatteh load --dry-run police "$T/cut_1252.csv"
has_line "$OUT" "police: $T/cut_1252.csv: valid, 2 records, years 2021, windows-1252"

t_begin "accepted: the same records with BOM and CRLF (other bytes: a new delivery)"
assert_exit 0 ciatteh load police good/police_quirks_bom_crlf.csv
assert_contains "$OUT" "6 records loaded"
assert_eq "$(sql "SELECT encoding FROM delivery WHERE file_name = 'police_quirks_bom_crlf.csv'")" utf-8-bom
q "$(lines item,year,value,flag police.facts,2018,4,)" police.facts --year 2018       # THB: rows 1 3 5 6
q "$(lines item,year,offence,value,flag police.suspects,2018,SMUG,2,u police.suspects,2018,THB,1,u)" \
    police.suspects --by offence --year 2018                                        # SMUG ? + 2; THB 1 + inconnu + empty + 0

t_begin "accepted: Windows-1252 with accented capitals, euro sign, CRLF"
# prosecution_cp1252.csv, 2018:
#   1 LIÈGE THB LAB (ÉCONOMIQUE) def 2   MISE À L'INSTRUCTION (REFERRAL) 20/02/2018
#   2 Liège THB SEX              def 1   CLASSÉ SANS SUITE (DISMISSED)   01-03-2018
#   3 Hal-Vilvorde SMUG (TRAFIC D'ÊTRES HUMAINS) def inconnu  à l'information (PENDING)
assert_exit 0 ciatteh load prosecution good/prosecution_cp1252.csv
assert_eq "$(sql "SELECT encoding FROM delivery WHERE file_name = 'prosecution_cp1252.csv'")" windows-1252
q "$(lines item,year,offence,district,decision,value,flag prosecution.cases_in,2018,SMUG,HVV,PENDING,1, \
           prosecution.cases_in,2018,THB,LIE,DISMISSED,1, prosecution.cases_in,2018,THB,LIE,REFERRAL,1,)" \
    prosecution.cases_in --by offence,district,decision --year 2018               # 3; 2; 1
q "$(lines item,year,form,value,flag prosecution.cases_prosecuted,2018,LAB,1,)" prosecution.cases_prosecuted --by form --year 2018
q "$(lines item,year,value,flag prosecution.defendants_prosecuted,2018,2,)" prosecution.defendants_prosecuted --year 2018
q "$(lines item,year,value,flag prosecution.cases_dismissed,2018,1,)" prosecution.cases_dismissed --year 2018

t_begin "accepted: amounts 1.500,00 / 3 000,00 / no-break space / no decimals"
# convictions_amounts.csv (Windows-1252), 2015, no prison term, fines:
#   1.500,00  3 000,00  48000  250,5  1 234 567,89  12<NBSP>000,00  0,00
assert_exit 0 ciatteh load convictions good/convictions_amounts.csv
assert_eq "$(sql "SELECT string_agg(fine_eur::text, ' ' ORDER BY line_no) FROM convictions_record r
                  JOIN delivery d ON d.id = r.delivery_id WHERE d.file_name = 'convictions_amounts.csv'")" \
    "1500.00 3000.00 48000.00 250.50 1234567.89 12000.00 0.00"
# Provisional rule (schema provisional_years): with the convictions sample
# current, the newest registration is 2021-09-30, far beyond 2015-12-31 +
# 90 days: 2015 is final.  Without the samples this file alone leaves 2015
# provisional (its newest registration, 2015-04-01, is within 90 days).
if [ -d "$S" ]; then P=""; else P=p; fi
q "$(lines item,year,value,flag conviction.fines,2015,6,$P)" conviction.fines --year 2015     # all but 0,00
q "$(lines item,year,value,flag conviction.prison,2015,0,$P)" conviction.prison --year 2015   # prison 0 or empty

t_begin "accepted: countries in French, Dutch, English, alpha-2, alpha-3; one person_ref in two centres"
# shelters_countries.csv, 2017: Pag-Asa X-1..X-6 Roumanie Roemenië ROEMENIË Romania ro ROU,
# X-7 Maroc; shelters_countries_surya.csv: Sürya X-1 Marokko, X-2 MAR (X-1 and X-2 also
# at Pag-Asa: fine; one file per centre)
assert_exit 0 ciatteh load shelters good/shelters_countries.csv good/shelters_countries_surya.csv
# (Payoke sent nothing for 2017: one row, not delivered; schema/0014)
q "$(lines item,year,centre,nationality,value,flag shelter.referrals,2017,PAGASA,MA,1, \
           shelter.referrals,2017,PAGASA,RO,6, shelter.referrals,2017,PAYOKE,,,n \
           shelter.referrals,2017,SURYA,MA,2,)" \
    shelter.referrals --by centre,nationality --year 2017
