#!/bin/sh
# test_samples.sh — loads every sample extract of ../shared/extracts/samples
# (the six services, both shelters' files) and checks, through `ciatteh
# query`, figures counted by hand from those files.  The hand count is
# written beside each expectation: it comes from reading the sample rows,
# never from what the program printed.  Also checks the query contract of
# ITEMS.md: header, column order, sorting, --by/--where/--year/--years,
# errors.  One private cluster.
. "$(dirname "$0")/../lib.sh"

# The services' samples as shared beside the clone, else the bundled copies
# (etl/samples/ holds the same bytes).
S=${CIATTEH_SAMPLES:-$ROOT/../shared/extracts/samples}
[ -d "$S" ] || S=$ROOT/etl/samples
D=$HERE/data

# q EXPECTED ARGS... — `ciatteh query ARGS` exits 0 and prints exactly
# EXPECTED (lines joined with newlines).
q() {
    local want
    want=$1; shift
    run ciatteh query "$@"
    if [ "$RC" != 0 ]; then _fail "query $*: exit $RC" "$(_show_run)"; return 1; fi
    assert_eq "$OUT" "$want" "query $*"
}
lines() { printf '%s\n' "$@"; }

if [ ! -d "$S" ]; then
    t_begin "samples"
    skip "no sample folder $S"
    exit 0
fi

# ------------------------------------------------------------------ loading
t_begin "every sample loads (exit 0), one delivery per file"
for f in police:police_2021 prosecution:prosecution_2021 inspectorates:inspectorates_2021 \
         convictions:convictions_2020 immigration:immigration_2021; do
    assert_exit 0 ciatteh load "${f%%:*}" "$S/${f#*:}.csv"
    assert_match "$OUT" "^${f%%:*}: [0-9]+ records loaded from .*${f#*:}\.csv as delivery #[0-9]+"
done
# both centres' files in one run
assert_exit 0 ciatteh load shelters "$S/shelter_payoke_2021.csv" "$S/shelter_surya_2021.csv"
assert_contains "$OUT" "shelters: 5 records loaded from $S/shelter_payoke_2021.csv"
assert_contains "$OUT" "shelters: 4 records loaded from $S/shelter_surya_2021.csv"
assert_eq "$(sql 'SELECT count(*) FROM delivery')" 7 "seven deliveries"
# rows per file, counted in the files (data lines)
assert_eq "$(sql "SELECT string_agg(file_name || '=' || rows, ' ' ORDER BY id) FROM delivery")" \
    "police_2021.csv=6 prosecution_2021.csv=5 inspectorates_2021.csv=5 convictions_2020.csv=5 immigration_2021.csv=5 shelter_payoke_2021.csv=5 shelter_surya_2021.csv=4"
# encodings as `file` sees them: police UTF-8+BOM, prosecution/convictions Windows-1252
assert_eq "$(sql "SELECT string_agg(encoding, ' ' ORDER BY id) FROM delivery")" \
    "utf-8-bom windows-1252 utf-8 windows-1252 utf-8 utf-8 utf-8"
# prosecution: entry dates 14/02/2020 + four in 2021
assert_eq "$(sql "SELECT years FROM delivery_history WHERE service = 'prosecution'")" "2020,2021"

# ------------------------------------------------------------------ police
# police_2021.csv (6 facts, all registered in 2021):
#   1 ANT THB SEX  suspects 2  victims 3
#   2 BRU THB LAB  1  4
#   3 LIE THB BEG  1  1
#   4 OVL SMUG --  5  (empty)
#   5 HAI THB CRIM (empty) 2
#   6 LIM THB LAB  3  11
# Without --by offence or --where offence= a figure counts THB only
# (ITEMS.md): row 4, the one smuggling fact, is left out of these.
t_begin "police: facts, suspects, victims 2021 (trafficking only)"
q "$(lines item,year,value,flag police.facts,2021,5,)" police.facts                   # rows 1 2 3 5 6
q "$(lines item,year,value,flag police.suspects,2021,7,u)" police.suspects            # 2+1+1+3, row 5 empty
q "$(lines item,year,value,flag police.victims,2021,21,)" police.victims              # 3+4+1+2+11, all known
q "$(lines item,year,value,flag police.suspects,2021,5,)" police.suspects --where offence=SMUG  # row 4

t_begin "police: by offence, an unknown-only figure is empty with u"
q "$(lines item,year,offence,value,flag police.facts,2021,SMUG,1, police.facts,2021,THB,5,)" \
    police.facts --by offence                                                        # row 4 SMUG, rest THB
q "$(lines item,year,offence,value,flag police.suspects,2021,SMUG,5, police.suspects,2021,THB,7,u)" \
    police.suspects --by offence                                                     # SMUG 5; THB 2+1+1+3, row 5 empty
q "$(lines item,year,offence,value,flag police.victims,2021,SMUG,,u police.victims,2021,THB,21,)" \
    police.victims --by offence                                                      # SMUG: only row 4, empty

t_begin "police: by form (smuggling is never 'form not known') and district"
q "$(lines item,year,form,value,flag police.facts,2021,BEG,1, police.facts,2021,CRIM,1, \
           police.facts,2021,LAB,2, police.facts,2021,SEX,1,)" \
    police.facts --by form                           # bedelarij; gedwongen crim.; 2x economische; seksuele
q "$(lines item,year,form,value,flag police.victims,2021,BEG,1, police.victims,2021,CRIM,2, \
           police.victims,2021,LAB,15, police.victims,2021,SEX,3,)" \
    police.victims --by form                         # LAB 4+11
q "$(lines item,year,form,value,flag police.victims,2021,UNK,,u)" \
    police.victims --by form --where offence=SMUG    # row 4: no form, victims empty
q "$(lines item,year,district,value,flag police.facts,2021,ANT,1, police.facts,2021,BRU,1, \
           police.facts,2021,HAI,1, police.facts,2021,LIE,1, police.facts,2021,LIM,1,)" \
    police.facts --by district                       # Antwerpen Brussel Henegouwen Luik Limburg (OVL is row 4, SMUG)

t_begin "police: --by order is the column order; sorting by year then columns"
q "$(lines item,year,form,offence,value,flag police.facts,2021,BEG,THB,1, police.facts,2021,CRIM,THB,1, \
           police.facts,2021,LAB,THB,2, police.facts,2021,SEX,THB,1, police.facts,2021,UNK,SMUG,1,)" \
    police.facts --by form,offence
q "$(lines item,year,offence,form,value,flag police.facts,2021,SMUG,UNK,1, police.facts,2021,THB,BEG,1, \
           police.facts,2021,THB,CRIM,1, police.facts,2021,THB,LAB,2, police.facts,2021,THB,SEX,1,)" \
    police.facts --by offence,form

t_begin "police: --where, one code, several codes, several dimensions"
q "$(lines item,year,value,flag police.facts,2021,5,)" police.facts --where offence=THB          # rows 1,2,3,5,6
q "$(lines item,year,value,flag police.facts,2021,3,)" police.facts --where form=LAB,SEX         # rows 1,2,6
q "$(lines item,year,value,flag police.victims,2021,14,)" \
    police.victims --where offence=THB --where district=ANT,LIM                               # 3 + 11
q "$(lines item,year,value,flag police.victims,2021,,u)" \
    police.victims --where offence=SMUG --where form=UNK                                      # row 4 only
# a delivered year with nothing counted is a delivered zero, not an absent row
q "$(lines item,year,value,flag police.victims,2021,0,)" police.victims --where form=UNK        # no THB row without a form
q "$(lines item,year,value,flag police.facts,2021,0,)" police.facts --where district=NAM        # nothing in Namur

# ------------------------------------------------------------------ prosecution
# prosecution_2021.csv (Windows-1252):
#   AN  entry 14/02/2020 ANT THB LAB  def 2     citation directe (SUMMONS)  03/05/2021
#   BR  entry 08/01/2021 BRU THB SEX  def empty mise à l'instruction (REFERRAL) 22/01/2021
#   LI  entry 23/03/2021 LIE THB BEG  def 1     classement sans suite (DISMISSED) 30/09/2021
#   CH  entry 11/06/2021 HAI SMUG --  def 3     en cours (PENDING), no date
#   GE  entry 02/09/2021 OVL THB LAB  def empty transaction (SETTLEMENT) 15/12/2021
# The delivery covers 2020 and 2021 (its entry years), so a decision item
# with no decision dated 2020 says 0 for 2020: a delivered zero.  CH, the
# one smuggling case, counts only when the offence is asked.
t_begin "prosecution: the five items (trafficking only)"
q "$(lines item,year,value,flag prosecution.cases_in,2020,1, prosecution.cases_in,2021,3,)" \
    prosecution.cases_in                                          # AN in 2020; BR LI GE in 2021
q "$(lines item,year,value,flag prosecution.cases_prosecuted,2020,0, prosecution.cases_prosecuted,2021,2,)" \
    prosecution.cases_prosecuted                                  # none decided in 2020; AN (decided 2021) + BR
q "$(lines item,year,value,flag prosecution.defendants_prosecuted,2020,0, \
           prosecution.defendants_prosecuted,2021,2,u)" \
    prosecution.defendants_prosecuted                             # AN 2 + BR empty
q "$(lines item,year,value,flag prosecution.cases_dismissed,2020,0, prosecution.cases_dismissed,2021,1,)" \
    prosecution.cases_dismissed                                   # LI

t_begin "prosecution: breakdowns, --year, --years"
q "$(lines item,year,decision,value,flag prosecution.cases_in,2020,SUMMONS,1, \
           prosecution.cases_in,2021,DISMISSED,1, \
           prosecution.cases_in,2021,REFERRAL,1, prosecution.cases_in,2021,SETTLEMENT,1,)" \
    prosecution.cases_in --by decision                            # AN; LI; BR; GE
q "$(lines item,year,decision,value,flag prosecution.cases_in,2020,,0, prosecution.cases_in,2021,PENDING,1,)" \
    prosecution.cases_in --by decision --where offence=SMUG       # no smuggling case entered 2020; CH
q "$(lines item,year,district,value,flag prosecution.cases_in,2020,ANT,1, prosecution.cases_in,2021,BRU,1, \
           prosecution.cases_in,2021,LIE,1, prosecution.cases_in,2021,OVL,1,)" \
    prosecution.cases_in --by district                            # Anvers; Bruxelles Liège Flandre orientale (Hainaut: CH)
q "$(lines item,year,offence,value,flag prosecution.cases_in,2021,SMUG,1, prosecution.cases_in,2021,THB,3,)" \
    prosecution.cases_in --by offence --year 2021                 # CH smuggling (trafic); TEH counts as THB
q "$(lines item,year,value,flag prosecution.cases_in,2020,1,)" prosecution.cases_in --year 2020
# one row per year asked: 2019, 2022 and 2023 are in no delivery (n, no value)
q "$(lines item,year,value,flag prosecution.cases_in,2019,,n prosecution.cases_in,2020,1,)" \
    prosecution.cases_in --years 2019-2020
q "$(lines item,year,value,flag prosecution.cases_in,2020,1, prosecution.cases_in,2021,3,)" \
    prosecution.cases_in --years 2020-2021
q "$(lines item,year,value,flag prosecution.cases_in,2022,,n prosecution.cases_in,2023,,n)" \
    prosecution.cases_in --years 2022-2023
q "$(lines item,year,decision,value,flag prosecution.defendants_prosecuted,2020,,0, \
           prosecution.defendants_prosecuted,2021,REFERRAL,,u \
           prosecution.defendants_prosecuted,2021,SUMMONS,2,)" \
    prosecution.defendants_prosecuted --by decision               # 2020 delivered, none decided; BR empty; AN 2
q "$(lines item,year,form,value,flag prosecution.cases_prosecuted,2021,LAB,1, prosecution.cases_prosecuted,2021,SEX,1,)" \
    prosecution.cases_prosecuted --by form --year 2021            # AN économique, BR sexuelle
q "$(lines item,year,district,value,flag prosecution.cases_dismissed,2020,,0, prosecution.cases_dismissed,2021,LIE,1,)" \
    prosecution.cases_dismissed --by district

# ------------------------------------------------------------------ inspectorates
# inspectorates_2021.csv: CLS F 412/9/31, CLS I 388/6/22, ISOC A 150/3/17,
# ISOC N 97/2/9, ONSS UNK 60/1/16
t_begin "inspection: sums"
q "$(lines item,year,value,flag inspection.inspections,2021,1107,)" inspection.inspections        # 412+388+150+97+60
q "$(lines item,year,value,flag inspection.thb_reports,2021,21,)" inspection.thb_reports          # 9+6+3+2+1
q "$(lines item,year,value,flag inspection.victims_referred,2021,95,)" inspection.victims_referred # 31+22+17+9+16

t_begin "inspection: by inspectorate, sector, both"
q "$(lines item,year,inspectorate,value,flag inspection.inspections,2021,CLS,800, \
           inspection.inspections,2021,ISOC,247, inspection.inspections,2021,ONSS,60,)" \
    inspection.inspections --by inspectorate                      # 412+388; 150+97; 60
q "$(lines item,year,inspectorate,value,flag inspection.thb_reports,2021,CLS,15, \
           inspection.thb_reports,2021,ISOC,5, inspection.thb_reports,2021,ONSS,1,)" \
    inspection.thb_reports --by inspectorate                      # 9+6; 3+2; 1
q "$(lines item,year,sector,value,flag inspection.victims_referred,2021,A,17, inspection.victims_referred,2021,F,31, \
           inspection.victims_referred,2021,I,22, inspection.victims_referred,2021,N,9, \
           inspection.victims_referred,2021,UNK,16,)" \
    inspection.victims_referred --by sector
q "$(lines item,year,inspectorate,sector,value,flag inspection.inspections,2021,CLS,F,412, \
           inspection.inspections,2021,CLS,I,388, inspection.inspections,2021,ISOC,A,150, \
           inspection.inspections,2021,ISOC,N,97, inspection.inspections,2021,ONSS,UNK,60,)" \
    inspection.inspections --by inspectorate,sector
q "$(lines item,year,value,flag inspection.inspections,2021,800,)" inspection.inspections --where sector=F,I

# ------------------------------------------------------------------ shelters
# shelter_payoke_2021.csv (Dutch):
#   PY1 2021-01-07 politie   man   34 Roemenië  LAB ja  2021-01-09
#   PY2 2021-02-11 inspectie man   29 Marokko   LAB nee
#   PY3 2021-03-02 zelf      vrouw 17 Nigeria   SEX ja  2021-03-05
#   PY4 2021-12-28 OCMW      vrouw -- Thailand  SEX ja  2022-01-04
#   PY5 2021-06-15 ngo       --    41 --        OTH nee
# shelter_surya_2021.csv (French):
#   SU1 2021-01-20 police            homme 38 Inde     LAB oui 2021-01-21
#   SU2 2021-04-03 services sociaux  femme 22 Albanie  SEX oui 2021-04-10
#   SU3 2021-05-17 autre             femme 16 Belgique SEX non
#   SU4 2021-09-09 inspection        homme 45 Chine    LAB oui 2021-09-09
t_begin "shelters: referrals and victims admitted (admission year)"
q "$(lines item,year,value,flag shelter.referrals,2021,9,)" shelter.referrals                    # 5 + 4
# 2022 is an incomplete year (i, no value): PY4's admission falls in it,
# but no shelter delivery covers 2022, so the admissions of people referred
# in 2022 are missing.  It is one row, its dimension columns empty.
q "$(lines item,year,value,flag shelter.victims_admitted,2021,5, shelter.victims_admitted,2022,,i)" \
    shelter.victims_admitted                                       # PY1 PY3 SU1 SU2 SU4; PY4 admitted 2022
# By centre, each centre is its own delivery (schema/0014): Pag-Asa has
# sent nothing yet (n), and 2022 is incomplete for Payoke only (PY4).
q "$(lines item,year,centre,value,flag shelter.referrals,2021,PAGASA,,n shelter.referrals,2021,PAYOKE,5, \
           shelter.referrals,2021,SURYA,4,)" \
    shelter.referrals --by centre
q "$(lines item,year,centre,value,flag shelter.victims_admitted,2021,PAGASA,,n shelter.victims_admitted,2021,PAYOKE,2, \
           shelter.victims_admitted,2021,SURYA,3, shelter.victims_admitted,2022,PAGASA,,n \
           shelter.victims_admitted,2022,PAYOKE,,i shelter.victims_admitted,2022,SURYA,,n)" \
    shelter.victims_admitted --by centre                           # PY1 PY3; SU1 SU2 SU4
q "$(lines item,year,value,flag shelter.referrals,2021,4,)" shelter.referrals --where centre=SURYA

t_begin "shelters: by sex, age group, referrer, form"
q "$(lines item,year,sex,value,flag shelter.referrals,2021,F,4, shelter.referrals,2021,M,4, shelter.referrals,2021,UNK,1,)" \
    shelter.referrals --by sex                                     # PY3 PY4 SU2 SU3; PY1 PY2 SU1 SU4; PY5
q "$(lines item,year,age_group,value,flag shelter.referrals,2021,ADULT,6, \
           shelter.referrals,2021,MINOR,2, shelter.referrals,2021,UNK,1,)" \
    shelter.referrals --by age_group                               # 34 29 41 38 22 45; 17 16; PY4
q "$(lines item,year,centre,age_group,value,flag shelter.referrals,2021,PAGASA,,,n \
           shelter.referrals,2021,PAYOKE,ADULT,3, \
           shelter.referrals,2021,PAYOKE,MINOR,1, shelter.referrals,2021,PAYOKE,UNK,1, \
           shelter.referrals,2021,SURYA,ADULT,3, shelter.referrals,2021,SURYA,MINOR,1,)" \
    shelter.referrals --by centre,age_group
q "$(lines item,year,referrer,value,flag shelter.referrals,2021,INSP,2, shelter.referrals,2021,NGO,1, \
           shelter.referrals,2021,OTHER,1, shelter.referrals,2021,POLICE,2, shelter.referrals,2021,SELF,1, \
           shelter.referrals,2021,SOCIAL,2,)" \
    shelter.referrals --by referrer                                # inspectie+inspection; ngo; autre; politie+police; zelf; OCMW+services sociaux
q "$(lines item,year,form,value,flag shelter.referrals,2021,LAB,4, shelter.referrals,2021,OTH,1, shelter.referrals,2021,SEX,4,)" \
    shelter.referrals --by form                                    # "niet gespecificeerd" = OTH
q "$(lines item,year,sex,form,value,flag shelter.referrals,2021,F,SEX,4, shelter.referrals,2021,M,LAB,4, \
           shelter.referrals,2021,UNK,OTH,1,)" \
    shelter.referrals --by sex,form

t_begin "shelters: nationality from French/Dutch names, citizenship group"
q "$(lines item,year,nationality,value,flag shelter.referrals,2021,AL,1, shelter.referrals,2021,BE,1, \
           shelter.referrals,2021,CN,1, shelter.referrals,2021,IN,1, shelter.referrals,2021,MA,1, \
           shelter.referrals,2021,NG,1, shelter.referrals,2021,RO,1, shelter.referrals,2021,TH,1, \
           shelter.referrals,2021,UNK,1,)" \
    shelter.referrals --by nationality           # Albanie Belgique Chine Inde Marokko Nigeria Roemenië Thailand; PY5 empty
q "$(lines item,year,citizenship,value,flag shelter.referrals,2021,EU,1, shelter.referrals,2021,NAT,1, \
           shelter.referrals,2021,NONEU,6, shelter.referrals,2021,UNK,1,)" \
    shelter.referrals --by citizenship           # RO; BE; MA NG TH IN AL CN; PY5
q "$(lines item,year,citizenship,value,flag shelter.victims_admitted,2021,EU,1, \
           shelter.victims_admitted,2021,NONEU,4, shelter.victims_admitted,2022,,,i)" \
    shelter.victims_admitted --by citizenship    # PY1 RO; PY3 NG, SU1 IN, SU2 AL, SU4 CN; 2022 incomplete

# ------------------------------------------------------------------ convictions
# convictions_2020.csv (Windows-1252), every judgment in 2020:
#   CJ1 Anvers   THB SEX H BE prison 36 sursis partiel 18  8.000,00  oui
#   CJ2 Anvers   THB SEX F RO prison 12 sursis (FULL)      1.500,00  non
#   CJ3 Bruxelles THB LAB H CN prison 60 sans sursis      48.000,00  oui
#   CJ4 Liège    THB BEG H RO prison empty (= none), fine empty        non
#   CJ5 Fl. or.  SMUG -- H AL prison 8 sursis (FULL)       3 000,00  non
# Registered up to 2021-09-30; delays 20 20 49 193 289 days: 2020 is
# provisional (2020-12-31 + 289 days > 2021-09-30), flag p everywhere.
# CJ5, the smuggling conviction, counts only when the offence is asked.
t_begin "convictions: the five items (2020 provisional, trafficking only)"
q "$(lines item,year,value,flag conviction.persons,2020,4,p)" conviction.persons                  # CJ1-4
q "$(lines item,year,value,flag conviction.prison,2020,3,p)" conviction.prison                    # CJ1 2 3
q "$(lines item,year,value,flag conviction.prison_suspended,2020,2,p)" conviction.prison_suspended # CJ1 partial, CJ2 full
q "$(lines item,year,value,flag conviction.fines,2020,3,up)" conviction.fines                     # CJ1 2 3; CJ4 fine unknown
q "$(lines item,year,value,flag conviction.confiscations,2020,2,p)" conviction.confiscations      # CJ1 CJ3
q "$(lines item,year,value,flag conviction.prison_suspended,2020,1,p)" \
    conviction.prison_suspended --where offence=SMUG                                             # CJ5 full

t_begin "convictions: sentence bands, suspension"
q "$(lines item,year,sentence_band,value,flag conviction.persons,2020,12_36,1,p conviction.persons,2020,36_60,1,p \
           conviction.persons,2020,60_120,1,p conviction.persons,2020,NA,1,p)" \
    conviction.persons --by sentence_band       # 12 -> 12_36; 36 -> 36_60; 60 -> 60_120; none
q "$(lines item,year,sentence_band,value,flag conviction.persons,2020,LT12,1,p)" \
    conviction.persons --by sentence_band --where offence=SMUG   # CJ5: 8 -> LT12
q "$(lines item,year,sentence_band,value,flag conviction.fines,2020,12_36,1,p conviction.fines,2020,36_60,1,p \
           conviction.fines,2020,60_120,1,p conviction.fines,2020,NA,,up)" \
    conviction.fines --by sentence_band         # CJ4 (no prison) has no known fine
q "$(lines item,year,suspension,value,flag conviction.persons,2020,FULL,1,p conviction.persons,2020,NA,1,p \
           conviction.persons,2020,NONE,1,p conviction.persons,2020,PARTIAL,1,p)" \
    conviction.persons --by suspension          # CJ2; CJ4; CJ3; CJ1
q "$(lines item,year,suspension,value,flag conviction.prison_suspended,2020,FULL,1,p \
           conviction.prison_suspended,2020,NA,0,p conviction.prison_suspended,2020,NONE,0,p \
           conviction.prison_suspended,2020,PARTIAL,1,p)" \
    conviction.prison_suspended --by suspension # CJ2; CJ4 and CJ3 counted 0; CJ1

t_begin "convictions: sex, citizenship, nationality, district, offence, form"
q "$(lines item,year,sex,value,flag conviction.persons,2020,F,1,p conviction.persons,2020,M,3,p)" \
    conviction.persons --by sex                 # CJ2 F; CJ1 CJ3 CJ4 H
q "$(lines item,year,citizenship,value,flag conviction.persons,2020,EU,2,p conviction.persons,2020,NAT,1,p \
           conviction.persons,2020,NONEU,1,p)" \
    conviction.persons --by citizenship         # RO RO; BE; CN
q "$(lines item,year,nationality,value,flag conviction.persons,2020,BE,1,p \
           conviction.persons,2020,CN,1,p conviction.persons,2020,RO,2,p)" \
    conviction.persons --by nationality         # CJ1; CJ3; CJ2 CJ4 (AL is CJ5, smuggling)
q "$(lines item,year,district,value,flag conviction.fines,2020,ANT,2,p conviction.fines,2020,BRU,1,p \
           conviction.fines,2020,LIE,,up)" \
    conviction.fines --by district              # CJ1 CJ2; CJ3; CJ4 unknown
q "$(lines item,year,offence,value,flag conviction.persons,2020,SMUG,1,p conviction.persons,2020,THB,4,p)" \
    conviction.persons --by offence
q "$(lines item,year,form,value,flag conviction.persons,2020,BEG,1,p conviction.persons,2020,LAB,1,p \
           conviction.persons,2020,SEX,2,p)" \
    conviction.persons --by form                # CJ4; CJ3; CJ1 CJ2 (CJ5, smuggling, has no form)
q "$(lines item,year,sex,value,flag conviction.confiscations,2020,F,0,p conviction.confiscations,2020,M,2,p)" \
    conviction.confiscations --by sex

# ------------------------------------------------------------------ immigration
# immigration_2021.csv: OQT45 THB F NG no; AI3M THB M MA no; CIRE6M THB F TH no;
# PERM THB M IN no; AI3M SMUG M AF yes (THB only unless the offence is asked)
t_begin "immigration: documents 2021 and breakdowns"
q "$(lines item,year,value,flag immigration.documents,2021,4,)" immigration.documents
q "$(lines item,year,document,value,flag immigration.documents,2021,AI3M,1, immigration.documents,2021,CIRE6M,1, \
           immigration.documents,2021,OQT45,1, immigration.documents,2021,PERM,1,)" \
    immigration.documents --by document
q "$(lines item,year,offence,document,value,flag immigration.documents,2021,SMUG,AI3M,1, \
           immigration.documents,2021,THB,AI3M,1, immigration.documents,2021,THB,CIRE6M,1, \
           immigration.documents,2021,THB,OQT45,1, immigration.documents,2021,THB,PERM,1,)" \
    immigration.documents --by offence,document   # procedure is the offence
q "$(lines item,year,sex,age_group,value,flag immigration.documents,2021,F,ADULT,2, \
           immigration.documents,2021,M,ADULT,2,)" \
    immigration.documents --by sex,age_group      # NG TH; MA IN
q "$(lines item,year,sex,age_group,value,flag immigration.documents,2021,M,MINOR,1,)" \
    immigration.documents --by sex,age_group --where offence=SMUG   # minor = yes for the AF boy
q "$(lines item,year,citizenship,value,flag immigration.documents,2021,NONEU,4,)" \
    immigration.documents --by citizenship        # NG MA TH IN
q "$(lines item,year,nationality,value,flag immigration.documents,2021,IN,1, \
           immigration.documents,2021,MA,1, immigration.documents,2021,NG,1, immigration.documents,2021,TH,1,)" \
    immigration.documents --by nationality

# ------------------------------------------------------------------ contract errors
t_begin "query: usage errors exit 64 and say what is accepted"
assert_exit 64 ciatteh query no.such.item
assert_contains "$ERR" "unknown item 'no.such.item'"
assert_contains "$ERR" "police.facts"
assert_exit 64 ciatteh query police.facts --by sex              # police carries no sex
assert_contains "$ERR" "item police.facts has no dimension 'sex'; its dimensions: offence,form,district"
assert_exit 64 ciatteh query police.facts --where district=XYZ
assert_contains "$ERR" "unknown code 'XYZ'"
assert_contains "$ERR" "ANT"
assert_exit 64 ciatteh query police.facts --year 2021 --years 2020-2021
assert_exit 64 ciatteh query police.facts --years 2021-2020
assert_exit 64 ciatteh query police.facts --where offence=THB,SMUG   # never added together
assert_contains "$ERR" "offences are never added together"
assert_exit 64 ciatteh query police.facts --as-of 2021-02-30
assert_eq "$OUT" "" "nothing on stdout"

# ------------------------------------------------------------------ UK rule
# shelter_pagasa_uk.csv (our own data: the samples hold no Briton):
#   UK-1 2019-05-01 Royaume-Uni                    -> EU in 2019
#   UK-2 2020-03-01 Verenigd Koninkrijk            -> EU in 2020
#   UK-3 2020-12-20 United Kingdom, admitted 2021-01-05 -> referral EU 2020, admission NONEU 2021
#   UK-4 2021-02-01 GB                             -> NONEU in 2021
#   UK-5 2021-06-01 GBR, admitted 2021-06-02       -> NONEU in 2021
#   FR-1 2021-06-02 France                         -> EU
t_begin "citizenship: the United Kingdom is EU until 2020, by the record's year"
assert_exit 0 ciatteh load shelters "$D/good/shelter_pagasa_uk.csv"
q "$(lines item,year,citizenship,value,flag shelter.referrals,2019,EU,1, shelter.referrals,2020,EU,2, \
           shelter.referrals,2021,EU,1, shelter.referrals,2021,NONEU,2,)" \
    shelter.referrals --by citizenship --where centre=PAGASA
q "$(lines item,year,citizenship,value,flag shelter.victims_admitted,2019,,0, \
           shelter.victims_admitted,2020,,0, shelter.victims_admitted,2021,NONEU,2,)" \
    shelter.victims_admitted --by citizenship --where centre=PAGASA   # nobody admitted in 2019-2020; UK-3 UK-5
q "$(lines item,year,nationality,value,flag shelter.referrals,2021,FR,1, shelter.referrals,2021,GB,2,)" \
    shelter.referrals --by nationality --where centre=PAGASA --year 2021
# Pag-Asa's file leaves the other centres alone
q "$(lines item,year,centre,value,flag shelter.referrals,2021,PAGASA,3, shelter.referrals,2021,PAYOKE,5, \
           shelter.referrals,2021,SURYA,4,)" \
    shelter.referrals --by centre --year 2021
