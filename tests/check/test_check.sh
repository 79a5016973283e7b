#!/bin/sh
# test_check.sh — `ciatteh check`: every rule is silent on clean data and
# fires on a fixture crafted to break exactly it; exit codes and
# --fail-on; thresholds from --set and from a configuration file; the
# three languages; table, CSV and JSON output; --as-of; nothing in the
# database changes.
#
# Clean data: the six services for 2017-2021 from tests/tools/ciatteh-gen
# (seed 7).  The generator's random figures jump and leave defendants
# unknown more than the defaults allow; the clean runs therefore use
# jump_ratio=4 and unknown_value.unknown_share=0.4, which is itself the
# configuration mechanism under test.  Fixtures: item facts altered with
# SQL (for the consistency rules, which data from the loader cannot
# break: they guard the derivation), and crafted extracts (for the rules
# about what services send).
. "$(dirname "$0")/../lib.sh"

GEN=""
for g in "${CIATTEH_GEN:-}" "$B/bin/ciatteh-gen" "$ROOT/bin/ciatteh-gen"; do
    [ -n "$g" ] && [ -x "$g" ] && { GEN=$g; break; }
done
if [ -z "$GEN" ]; then
    t_begin "extract generator"
    _fail "no ciatteh-gen (make all builds bin/ciatteh-gen; or set CIATTEH_GEN)"
    exit 1
fi

D=$T/data
mkdir -p "$D"
# (jump_ratio 4: counted for trafficking alone, as the rules count by
# default, the generator's dismissed cases of 2018 are 3.4 times 2017's)
CLEAN="--set jump_ratio=4 --set unknown_value.unknown_share=0.4"

# chk RULE... — `check --only RULE` with the clean settings; sets RC/OUT/ERR.
chk() {
    local only
    only=$1; shift
    run ciatteh check --only "$only" $CLEAN "$@"
}

# --------------------------------------------------------------------- data
t_begin "clean data set loads"
for s in police prosecution inspectorates convictions immigration; do
    "$GEN" "$s" --rows 900 --seed 7 --years 2017-2021 -o "$D/$s.csv" || _fail "generator $s"
    assert_exit 0 ciatteh -q load "$s" "$D/$s.csv"
done
for c in PAYOKE PAGASA SURYA; do
    "$GEN" shelters --centre $c --rows 300 --seed 7 --years 2017-2021 -o "$D/shelter_$c.csv" || _fail "generator $c"
done
assert_exit 0 ciatteh -q load shelters "$D/shelter_PAYOKE.csv" "$D/shelter_PAGASA.csv" "$D/shelter_SURYA.csv"

t_begin "--list: every rule with its severity and thresholds, no database needed"
assert_exit 0 ciatteh check --list
for r in breakdown_total band_total prison_le_persons suspended_le_prison admitted_le_referred \
         missing_year yoy_jump stale_delivery no_delivery unknown_value unknown_dimension; do
    assert_match "$OUT" "^$r +(error|warning) "
done
assert_contains "$OUT" "jump_ratio=2"
assert_contains "$OUT" "max_age_days=400"
assert_exit 0 ciatteh check --list --set jump_ratio=2.5 --set severity.yoy_jump=error
assert_match "$OUT" "^yoy_jump +error .*jump_ratio=2.5"

t_begin "clean data: every rule silent, exit 0, in every format and language"
before=$(sql "SELECT (SELECT count(*) FROM delivery) || '/' || (SELECT count(*) FROM item_fact) || '/' || (SELECT sum(value) FROM item_fact)")
assert_exit 0 ciatteh check $CLEAN
assert_contains "$OUT" "No problem found (11 rules run"
assert_exit 0 ciatteh check $CLEAN --lang fr
assert_contains "$OUT" "Aucun problème constaté"
assert_exit 0 ciatteh check $CLEAN --lang nl
assert_contains "$OUT" "Geen problemen gevonden"
assert_exit 0 ciatteh check $CLEAN --format csv
assert_eq "$OUT" "rule,severity,service,item,year,subject,message,offence" "CSV: the header only"
assert_exit 0 ciatteh check $CLEAN --format json
echo "$OUT" | $PY -c '
import json, sys
d = json.load(sys.stdin)
assert d["errors"] == 0 and d["warnings"] == 0 and d["findings"] == [], d
assert len(d["rules"]) == 11 and all(r["findings"] == 0 for r in d["rules"]), d["rules"]
' || _fail "JSON of a clean check" "$OUT"
after=$(sql "SELECT (SELECT count(*) FROM delivery) || '/' || (SELECT count(*) FROM item_fact) || '/' || (SELECT sum(value) FROM item_fact)")
assert_eq "$after" "$before" "check changes nothing in the database"

t_begin "the defaults do flag the generator's unknown defendants (warnings only: exit 1)"
assert_exit 1 ciatteh check --only unknown_value
assert_match "$OUT" "^warning +unknown_value +20[0-9]{2} +prosecution +prosecution.defendants_prosecuted 20[0-9]{2}: the value is not known for"
assert_exit 0 ciatteh check --only unknown_value --fail-on error
assert_exit 65 ciatteh check --only unknown_value --fail-on warning
assert_exit 0 ciatteh check --only unknown_value --fail-on never
assert_exit 0 ciatteh check --only unknown_value --set severity.unknown_value=off
assert_contains "$OUT" "(0 rules run"

# ------------------------------------------------- consistency rules (SQL fixtures)
# Item facts are a view (schema/0007) over groups and records, where no
# figure can contradict another.  To show that the rules catch what a
# faulty derivation would give, a table of the same name in the user's
# own schema (first in search_path: "$user", public) stands in for the
# view while a test corrupts it.
facts_table() {
    sql "CREATE SCHEMA IF NOT EXISTS ciatteh; DROP TABLE IF EXISTS ciatteh.item_fact;
         CREATE TABLE ciatteh.item_fact AS SELECT * FROM public.item_fact" >/dev/null
}
facts_view() { sql "DROP TABLE IF EXISTS ciatteh.item_fact" >/dev/null; }

t_begin "breakdown_total: a fact under a code outside the list (error, 65)"
chk breakdown_total
assert_eq "$RC" 0 "clean before"
facts_table
sql "UPDATE item_fact SET form = 'XYZ' WHERE ctid = (SELECT ctid FROM item_fact
     WHERE item = 'police.facts' AND year = 2020 AND form = 'SEX' AND value > 0 LIMIT 1)" >/dev/null
chk breakdown_total
assert_eq "$RC" 65 "exit 65 on an error"
assert_match "$OUT" "^error +breakdown_total +2020 +police +police.facts 2020: the breakdown by form of exploitation adds up to [0-9,]+, the total is [0-9,]+ \([0-9]+ under codes it cannot show: XYZ\)"
assert_match "$OUT" "^1 error, 0 warnings \(1 rule run"
sql "UPDATE item_fact SET form = 'SEX' WHERE form = 'XYZ'" >/dev/null
sql "UPDATE item_fact SET sex = NULL WHERE ctid = (SELECT ctid FROM item_fact
     WHERE item = 'conviction.persons' AND year = 2019 AND sex = 'F' LIMIT 1)" >/dev/null
chk breakdown_total --lang fr
assert_eq "$RC" 65
assert_match "$OUT" "^erreur +breakdown_total +2019 +convictions +conviction.persons 2019.: la ventilation par sexe totalise"
sql "UPDATE item_fact SET sex = 'F' WHERE sex IS NULL AND item = 'conviction.persons'" >/dev/null
chk breakdown_total
assert_eq "$RC" 0 "clean after the repair"
facts_view

t_begin "band_total: prison terms that the sentence bands do not account for"
chk band_total
assert_eq "$RC" 0 "clean before"
facts_table
sql "UPDATE item_fact SET value = value + 5 WHERE ctid = (SELECT ctid FROM item_fact
     WHERE item = 'conviction.prison' AND year = 2020 AND offence = 'THB' AND value > 0 LIMIT 1)" >/dev/null
chk band_total
assert_eq "$RC" 65
assert_match "$OUT" "^error +band_total +2020 +convictions +2020: persons convicted by sentence_band add up to [0-9]+, but conviction.prison is [0-9]+"
sql "UPDATE item_fact SET value = value - 5 WHERE ctid = (SELECT ctid FROM item_fact
     WHERE item = 'conviction.prison' AND year = 2020 AND value > 5 LIMIT 1)" >/dev/null
chk band_total
assert_eq "$RC" 0 "clean after the repair"
facts_view

t_begin "prison_le_persons: more prison terms than persons convicted"
chk prison_le_persons
assert_eq "$RC" 0 "clean before"
facts_table
sql "UPDATE item_fact SET value = value + 5000 WHERE ctid = (SELECT ctid FROM item_fact
     WHERE item = 'conviction.prison' AND year = 2021 AND offence = 'THB' AND value > 0 LIMIT 1)" >/dev/null
chk prison_le_persons --lang nl
assert_eq "$RC" 65
assert_match "$OUT" "^fout +prison_le_persons +2021 +convictions +2021 \(THB\): [0-9.]+ personen veroordeeld tot een gevangenisstraf, maar slechts [0-9.]+ veroordeelde personen"
assert_not_contains "$OUT" "(total)" "offences never added together"
# A read-only session (what a hot standby allows) cannot make the check's
# temporary tables; the engine reads the same context inline there.
NL_RC=$RC NL_OUT=$OUT
run env PGOPTIONS="-c default_transaction_read_only=on" "$CIA" check --only prison_le_persons --lang nl $CLEAN
assert_eq "$RC" "$NL_RC" "read-only session: the same exit status"
assert_eq "$OUT" "$NL_OUT" "read-only session: the same findings"
sql "UPDATE item_fact SET value = value - 5000 WHERE item = 'conviction.prison' AND value >= 5000" >/dev/null
chk prison_le_persons
assert_eq "$RC" 0 "clean after the repair"
facts_view

t_begin "suspended_le_prison: more suspended terms than prison terms"
chk suspended_le_prison
assert_eq "$RC" 0 "clean before"
facts_table
sql "UPDATE item_fact SET value = value + 5000 WHERE ctid = (SELECT ctid FROM item_fact
     WHERE item = 'conviction.prison_suspended' AND year = 2018 AND offence = 'SMUG' AND value > 0 LIMIT 1)" >/dev/null
chk suspended_le_prison
assert_eq "$RC" 0 "trafficking (the default offence) is clean: smuggling is never added to it"
chk suspended_le_prison --offence SMUG
assert_eq "$RC" 65
assert_match "$OUT" "^error +suspended_le_prison +2018 +convictions +2018 \(SMUG\): [0-9,]+ prison terms suspended, but only [0-9,]+ prison terms"
assert_not_contains "$OUT" "(total)" "offences never added together"
run ciatteh check --only suspended_le_prison --years 2019-2021 --offence SMUG $CLEAN
assert_eq "$RC" 0 "--years 2019-2021 leaves 2018 out"
sql "UPDATE item_fact SET value = value - 5000 WHERE item = 'conviction.prison_suspended' AND value >= 5000" >/dev/null
chk suspended_le_prison
assert_eq "$RC" 0 "clean after the repair"
facts_view

# ---------------------------------------------- delivery rules (crafted extracts)
t_begin "missing_year: a service (and a centre) missing a year the others have"
chk missing_year
assert_eq "$RC" 0 "clean before"
{
    echo "registration_date;fact_ref;district;offence;exploitation_form;suspects;victims"
    i=1
    while [ $i -le 30 ]; do
        s=2; [ $i -le 25 ] && s=
        echo "2014-05-0$((i % 9 + 1));F14-$i;BRU;THB;SEX;$s;1"
        i=$((i + 1))
    done
} >"$D/police_2014.csv"
assert_exit 0 ciatteh -q load police "$D/police_2014.csv"
chk missing_year
assert_eq "$RC" 1 "warnings only: exit 1"
for s in prosecution inspectorates shelters convictions immigration; do
    assert_match "$OUT" "^warning +missing_year +2014 +$s +$s: no data for 2014, which police delivered"
done
assert_not_contains "$OUT" "police: no data"
chk missing_year --years 2017-2021
assert_eq "$RC" 0 "--years 2017-2021: no gap"

t_begin "unknown_value: a field the records mostly leave empty"
chk unknown_value
assert_match "$OUT" "^warning +unknown_value +2014 +police +police.suspects 2014: the value is not known for 25 of 30 records \(83.3%, limit 40.0%\)"
assert_not_contains "$OUT" "police.victims 2014"
assert_eq "$RC" 1

t_begin "unknown_dimension: a breakdown code mostly unknown"
chk unknown_dimension
assert_eq "$RC" 0 "clean before"
{
    echo "centre;person_ref;referral_date;sex;age;nationality;exploitation_form;referred_by;admitted"
    i=1
    while [ $i -le 30 ]; do
        s=F; [ $i -le 25 ] && s=
        echo "SURYA;U14-$i;2014-06-0$((i % 9 + 1));$s;30;RO;SEX;NGO;no"
        i=$((i + 1))
    done
} >"$D/surya_2014.csv"
assert_exit 0 ciatteh -q load shelters "$D/surya_2014.csv"
chk unknown_dimension
assert_eq "$RC" 1
assert_match "$OUT" "^warning +unknown_dimension +2014 +shelters +shelters 2014: sex not known for 25 of 30 records \(83.3%, limit 20.0%\)"
assert_not_contains "$OUT" "age group not known"
assert_not_contains "$OUT" "citizenship not known"
chk unknown_dimension --lang fr
# « inconnu » agreeing with its noun (sexe: masculine), as the code list's UNK label says
assert_contains "$OUT" "shelters 2014 : sexe inconnu pour 25 des 30 enregistrements (83,3"
assert_not_contains "$OUT" "inconnu(e)"
chk unknown_dimension --set unknown_share=0.9
assert_eq "$RC" 0 "unknown_share=0.9: 83 % passes"

t_begin "missing_year names the centres: Pag-Asa and Payoke sent nothing for 2014"
chk missing_year
assert_match "$OUT" "^warning +missing_year +2014 +shelters +shelters / PAGASA: no data for 2014, which SURYA delivered"
assert_match "$OUT" "^warning +missing_year +2014 +shelters +shelters / PAYOKE: no data for 2014, which SURYA delivered"
# the reader's message (the pack's findings: annex, workbook, site) names
# the services and the centres, the others included
assert_exit 0 ciatteh pack --period 2014-2017 --incomplete --internal --no-charts --lang fr -o "$T/pk"
fr=$(pdftotext "$T/pk/annex-2014-2017-fr.pdf" - | tr '\n' ' ' | sed 's/  */ /g')
assert_contains "$fr" "Ministère public : pas de données pour 2014, année livrée par Police fédérale"
assert_contains "$fr" "Centres d'accueil spécialisés / Pag-Asa : pas de données pour 2014, année livrée par Sürya"

t_begin "yoy_jump: a delivery fifteen times the year before"
chk yoy_jump
assert_eq "$RC" 0 "clean before"
"$GEN" police --rows 3000 --seed 9 --years 2021-2021 -o "$D/police_2021.csv" || _fail "generator"
assert_exit 0 ciatteh -q load police "$D/police_2021.csv"
chk yoy_jump
assert_eq "$RC" 1
assert_match "$OUT" "^warning +yoy_jump +2021 +police +police.facts: [0-9,]+ in 2021 against [0-9]+ in 2020 \(ratio [0-9.]+, limit 4\)"
run ciatteh check --only yoy_jump --set jump_ratio=20
assert_eq "$RC" 0 "jump_ratio=20 lets it pass"
run ciatteh check --only yoy_jump --set jump_ratio=20 --set yoy_jump.jump_ratio=3
assert_eq "$RC" 1 "RULE.PARAM wins over PARAM given before it"

t_begin "admitted_le_referred: admissions from referrals two years earlier"
chk admitted_le_referred
assert_eq "$RC" 0 "clean before"
{
    echo "centre;person_ref;referral_date;admitted;admission_date"
    i=1
    while [ $i -le 200 ]; do echo "PAYOKE;LAG-$i;01/03/2016;yes;15/01/2021"; i=$((i + 1)); done
} >"$D/payoke_2016.csv"
assert_exit 0 ciatteh -q load shelters "$D/payoke_2016.csv"
chk admitted_le_referred
assert_eq "$RC" 1
assert_match "$OUT" "^warning +admitted_le_referred +2021 +shelters +2021 \(PAYOKE\): [0-9]+ victims taken into care, but only [0-9]+ persons referred in 2020 and 2021"
assert_not_contains "$OUT" "(SURYA)"

t_begin "stale_delivery and no_delivery, measured from --as-of"
chk stale_delivery,no_delivery
assert_eq "$RC" 0 "clean today"
chk stale_delivery,no_delivery --as-of 2031-06-01
assert_eq "$RC" 1
today=$(TZ=Europe/Brussels date +%F)
assert_match "$OUT" "^warning +stale_delivery +police +police: latest delivery $today, [0-9,]+ days before 2031-06-01 \(limit 400\)"
assert_match "$OUT" "shelters / SURYA: latest delivery $today"
chk stale_delivery --as-of 2031-06-01 --max-age-days 5000
assert_eq "$RC" 0 "--max-age-days 5000"
chk no_delivery --as-of 2020-01-01
assert_eq "$RC" 1
for s in police prosecution inspectorates shelters convictions immigration; do
    assert_match "$OUT" "^warning +no_delivery +$s +$s: no delivery at all by 2020-01-01"
done
chk breakdown_total,missing_year --as-of 2020-01-01
assert_eq "$RC" 0 "as of 2020 nothing was loaded: nothing to check"

# --------------------------------------------------------------- outputs
t_begin "CSV and JSON carry every finding; --fail-on with errors"
facts_table
sql "UPDATE item_fact SET value = value + 5000 WHERE ctid = (SELECT ctid FROM item_fact
     WHERE item = 'conviction.prison' AND year = 2021 AND offence = 'THB' AND value > 0 LIMIT 1)" >/dev/null
assert_exit 65 ciatteh check $CLEAN --format csv -o "$T/c.csv"
assert_eq "$(head -n 1 "$T/c.csv")" "rule,severity,service,item,year,subject,message,offence"
assert_match "$(cat "$T/c.csv")" '^prison_le_persons,error,convictions,conviction.prison,2021,THB,"2021 \(THB\): '
assert_match "$(cat "$T/c.csv")" '^yoy_jump,warning,police,police.facts,2021,,'
assert_exit 65 ciatteh check $CLEAN --format json --lang nl
echo "$OUT" | $PY -c '
import json, sys
d = json.load(sys.stdin)
errs = [f for f in d["findings"] if f["severity"] == "error"]
assert d["errors"] == len(errs) > 0, d["errors"]
f = [f for f in errs if f["rule"] == "prison_le_persons" and f["subject"] == "THB"][0]
assert f["year"] == 2021 and f["values"]["prison"] > f["values"]["persons"], f
assert f["message"] == f["messages"]["nl"] and "gevangenisstraf" in f["message"], f
assert "prison terms" not in f["messages"]["fr"] and "personnes" in f["messages"]["fr"], f
y = [f for f in d["findings"] if f["rule"] == "yoy_jump"][0]
assert y["values"]["value"] > 1000 and y["values"]["threshold"] == 4 and y["offence"] == "THB", y
' || _fail "JSON findings" "$OUT"
assert_exit 0 ciatteh check $CLEAN --fail-on never
assert_exit 65 ciatteh check $CLEAN --fail-on error
facts_view

t_begin "thresholds from a configuration file; its mistakes are located"
cat >"$T/ok.conf" <<'EOF'
# thresholds for the test
[check]
jump_ratio = 20          # a comment after a value
unknown_value.unknown_share = 0.9
severity.missing_year = off
severity.admitted_le_referred = off
EOF
run ciatteh check --config "$T/ok.conf" --only yoy_jump,unknown_value
assert_eq "$RC" 0 "config thresholds applied"
run ciatteh check --config "$T/ok.conf" --only yoy_jump --set jump_ratio=3
assert_eq "$RC" 1 "--set after --config wins"
printf '[check]\njump_ratio = 2\njump_ration = 3\n' >"$T/typo.conf"
assert_exit 64 ciatteh check --config "$T/typo.conf"
assert_contains "$ERR" "typo.conf:3:1: [check] unknown check setting 'jump_ration'"
printf '[check]\nmax_age_days = soon\n' >"$T/nan.conf"
assert_exit 64 ciatteh check --config "$T/nan.conf"
assert_contains "$ERR" "nan.conf:2:"
assert_contains "$ERR" "is not a number"
printf '[check]\nfail_on = sometimes\n' >"$T/f.conf"
assert_exit 64 ciatteh check --config "$T/f.conf"
printf '[check]\nfail_on = never\n' >"$T/never.conf"
assert_exit 0 ciatteh check --config "$T/never.conf" --only yoy_jump
assert_match "$OUT" "police.facts: [0-9,]+ in 2021"

t_begin "usage errors"
assert_exit 64 ciatteh check --format xml
assert_exit 64 ciatteh check --lang de
assert_exit 64 ciatteh check --years 2021-2019
assert_exit 64 ciatteh check --as-of 2021-13-01
assert_exit 64 ciatteh check --set nosuch=1
assert_contains "$ERR" "unknown check setting 'nosuch'"
assert_exit 64 ciatteh check --set severity.nosuch=error
assert_exit 64 ciatteh check --set severity.yoy_jump=fatal
assert_exit 64 ciatteh check --only nosuch
assert_exit 64 ciatteh check --fail-on sometimes
