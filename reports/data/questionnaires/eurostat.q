# eurostat.q — Eurostat's data collection on trafficking in human beings
# (THB): registered victims and suspected, prosecuted and convicted persons.
# Format: docs/QUESTIONNAIRES.md.  Answered as SDMX-CSV (the upload) and
# XLSX (the same tables for a person).  Eurostat's rule: 0 means known to be
# none, an empty value means not known; the engine never turns "not known"
# into 0.
#
# Which of our items answers which Eurostat concept, and why:
#
# - Registered victims = shelter.victims_admitted: persons taken into care
#   as victims by the three specialised reception centres (Pag-Asa, Payoke,
#   Sürya).  In Belgium a person enters the victim status procedure through
#   these centres, and Eurostat's own metadata name them as Belgium's source
#   for victims.  It is also the only item carrying the sex, age,
#   citizenship and form Eurostat asks for.  Not used:
#     police.victims — victims noted per registered fact: one person can be
#       counted in several facts, and it has no sex, age or citizenship;
#     shelter.referrals — every person referred, including those not taken
#       into care ("presumed" victims, which this collection does not ask).
#   The centres' records carry no offence: victims of aggravated smuggling
#   taken into care are included (a note says so).
# - Suspected persons = police.suspects, offence THB: suspects registered
#   with trafficking facts.  Police extracts give no sex: the sex cells are
#   "not available" (empty), never 0.
# - Prosecuted persons = prosecution.defendants_prosecuted, offence THB:
#   defendants in the cases sent to court (summons) or to an investigating
#   judge.  The extract often leaves the number of defendants empty: the
#   figure is then a lower bound (flag u) or not known at all.  No sex.
# - Convicted persons = conviction.persons, offence THB, by sex and form.
#   The reference year's convictions are usually provisional (flag p):
#   bulletins keep arriving for a year or more.
#
# Our flags → Eurostat's observation flags (sdmx flags, below):
#   p provisional → p (provisional);
#   c withheld for confidentiality → c (confidential), with an empty value;
#   u lower bound (part of the records left the value unknown) → u (low
#     reliability): the figure is true but incomplete, which is what
#     Eurostat's "low reliability" flags; it is not an estimate, so not e.
#
# The SDMX column codes follow Eurostat's usual code lists (sex F/M/UNK/T,
# age Y_LT18/Y_GE18/UNK/TOTAL, unit NR); check them against the structure
# definition Eurostat sends with each round, and change them here.

questionnaire eurostat
title "Eurostat data collection on trafficking in human beings" fr="Collecte de données d'Eurostat sur la traite des êtres humains" nl="Gegevensverzameling van Eurostat over mensenhandel"
recipient "Eurostat (European Commission)"
suppress 3
protect persons

sdmx dataflow ESTAT:THB_BE(1.0)
sdmx columns freq=A leg_stat=TOTAL sex=T age=TOTAL citizen=TOTAL expl=TOTAL unit=NR geo=BE
sdmx flags u=u p=p c=c

axis sex
  F     "Female"          fr="Femmes"          nl="Vrouwen"          sex=F    @sex=F
  M     "Male"            fr="Hommes"          nl="Mannen"           sex=M    @sex=M
  UNK   "Sex not known"   fr="Sexe inconnu"    nl="Geslacht onbekend" sex=UNK @sex=UNK
  T     "Total"           fr="Total"           nl="Totaal"

axis age
  CHILD "Children (under 18)" fr="Enfants (moins de 18 ans)" nl="Kinderen (jonger dan 18)" age_group=MINOR @age=Y_LT18
  ADULT "Adults"              fr="Adultes"       nl="Volwassenen"     age_group=ADULT @age=Y_GE18
  UNK   "Age not known"       fr="Âge inconnu"   nl="Leeftijd onbekend" age_group=UNK @age=UNK
  T     "Total"               fr="Total"         nl="Totaal"

# Eurostat's three forms: sexual, labour, other (begging, forced
# criminality, organ removal and any other form), plus not known.
axis form
  SEX   "Sexual exploitation" fr="Exploitation sexuelle" nl="Seksuele uitbuiting" form=SEX @expl=SEX_EXP
  LAB   "Labour exploitation" fr="Exploitation par le travail" nl="Arbeidsuitbuiting" form=LAB @expl=LAB_EXP
  OTH   "Other forms"         fr="Autres formes"  nl="Andere vormen" form=BEG,CRIM,ORG,OTH @expl=OTH
  UNK   "Form not known"      fr="Forme inconnue" nl="Vorm onbekend" form=UNK @expl=UNK
  T     "Total"               fr="Total"          nl="Totaal"

axis citizenship
  NAT   "Reporting country (Belgian)" fr="Pays déclarant (belge)" nl="Rapporterend land (Belgisch)" citizenship=NAT @citizen=NAT
  EU    "Other EU country"      fr="Autre pays de l'UE" nl="Ander EU-land"   citizenship=EU    @citizen=EU_FOR
  NONEU "Non-EU country"        fr="Pays hors UE"       nl="Niet-EU-land"    citizenship=NONEU @citizen=NEU_FOR
  UNK   "Citizenship not known" fr="Citoyenneté inconnue" nl="Nationaliteit onbekend" citizenship=UNK @citizen=UNK
  T     "Total"                 fr="Total"              nl="Totaal"

axis stage
  SUSP  "Suspected persons"  fr="Personnes suspectées" nl="Verdachte personen" item=police.suspects offence=THB @leg_stat=PER_SUSP
  PROS  "Prosecuted persons" fr="Personnes poursuivies" nl="Vervolgde personen" item=prosecution.defendants_prosecuted offence=THB @leg_stat=PER_PRSC
  CONV  "Convicted persons"  fr="Personnes condamnées" nl="Veroordeelde personen" item=conviction.persons offence=THB @leg_stat=PER_CNV

table victims_age "Registered victims by age and sex" fr="Victimes enregistrées par âge et sexe" nl="Geregistreerde slachtoffers naar leeftijd en geslacht"
  use item=shelter.victims_admitted @leg_stat=VICT
  rows age
  cols sex
  note "Registered victims: persons taken into care as victims by the specialised reception centres, in the year of admission (victims of aggravated smuggling included)."

table victims_form "Registered victims by form of exploitation and sex" fr="Victimes enregistrées par forme d'exploitation et sexe" nl="Geregistreerde slachtoffers naar uitbuitingsvorm en geslacht"
  use item=shelter.victims_admitted @leg_stat=VICT
  rows form
  cols sex
  note "Other forms: exploitation of begging, forced criminality, removal of organs and other forms."

table victims_citizenship "Registered victims by citizenship and sex" fr="Victimes enregistrées par citoyenneté et sexe" nl="Geregistreerde slachtoffers naar nationaliteit en geslacht"
  use item=shelter.victims_admitted @leg_stat=VICT
  rows citizenship
  cols sex
  note "Other EU country: a member state of the EU in the reference year (the United Kingdom until 2020)."

table offenders_sex "Suspected, prosecuted and convicted persons by sex" fr="Personnes suspectées, poursuivies et condamnées par sexe" nl="Verdachte, vervolgde en veroordeelde personen naar geslacht"
  rows stage
  cols sex
  na SUSP F "Police and prosecution extracts do not give the sex of suspects and defendants: not available (empty), not zero."
  na SUSP M
  na SUSP UNK
  na PROS F
  na PROS M
  na PROS UNK
  note "Prosecuted: defendants in the cases sent to court or to an investigating judge; where the extract leaves the number of defendants empty the figure is a lower bound (u) or not known."

table offenders_form "Suspected, prosecuted and convicted persons by form of exploitation" fr="Personnes suspectées, poursuivies et condamnées par forme d'exploitation" nl="Verdachte, vervolgde en veroordeelde personen naar uitbuitingsvorm"
  rows stage
  cols form
