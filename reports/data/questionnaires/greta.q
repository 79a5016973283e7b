# greta.q — the statistics part of GRETA's evaluation questionnaire (Council
# of Europe Convention on Action against Trafficking in Human Beings), as
# XLSX tables laid out as the questionnaire asks.  Format:
# docs/QUESTIONNAIRES.md.
#
# Items and why:
# - Identified victims = shelter.victims_admitted (persons taken into care
#   as victims by the specialised centres), the same figure as Eurostat's
#   registered victims, so the two answers agree.
# - Residence documents = immigration.documents, procedure THB (offence
#   THB), by document type in the order of the victim procedure.
# - Criminal justice: cases entering prosecution (prosecution.cases_in —
#   the "investigations" of international reports), cases prosecuted,
#   defendants in them, persons convicted, prison terms, suspended terms,
#   fines and confiscations; all offence THB, four years so GRETA sees the
#   trend.  Conviction figures of the last years are provisional (p).
#
# Disclosure: counts of persons and of documents (one per person) from 1
# to 3 are withheld, with their complements.  The `same` line tells the
# disclosure control that suspended terms are the partially and fully
# suspended columns of the prison table, so that one cannot be recomputed
# from the other.

questionnaire greta
title "GRETA questionnaire: statistics on trafficking in human beings" fr="Questionnaire du GRETA : statistiques sur la traite des êtres humains" nl="GRETA-vragenlijst: statistieken over mensenhandel"
recipient "Council of Europe, GRETA secretariat"
suppress 3
protect persons documents

same conviction.prison_suspended = conviction.prison suspension=PARTIAL,FULL

axis sex
  F     "Female"        fr="Femmes"        nl="Vrouwen"          sex=F
  M     "Male"          fr="Hommes"        nl="Mannen"           sex=M
  UNK   "Sex not known" fr="Sexe inconnu"  nl="Geslacht onbekend" sex=UNK
  T     "Total"         fr="Total"         nl="Totaal"

axis age
  CHILD "Children (under 18)" fr="Enfants (moins de 18 ans)" nl="Kinderen (jonger dan 18)" age_group=MINOR
  ADULT "Adults"              fr="Adultes"       nl="Volwassenen"      age_group=ADULT
  UNK   "Age not known"       fr="Âge inconnu"   nl="Leeftijd onbekend" age_group=UNK
  T     "Total"               fr="Total"         nl="Totaal"

axis form
  SEX   "Sexual exploitation"          fr="Exploitation sexuelle"         nl="Seksuele uitbuiting"   form=SEX
  LAB   "Labour exploitation"          fr="Exploitation par le travail"   nl="Arbeidsuitbuiting"     form=LAB
  BEG   "Exploitation of begging"      fr="Exploitation de la mendicité"  nl="Uitbuiting van bedelarij" form=BEG
  CRIM  "Forced criminality"           fr="Criminalité forcée"            nl="Gedwongen criminaliteit" form=CRIM
  ORG   "Removal of organs"            fr="Prélèvement d'organes"         nl="Orgaanwegneming"       form=ORG
  OTH   "Other forms"                  fr="Autres formes"                 nl="Andere vormen"         form=OTH
  UNK   "Form not known"               fr="Forme inconnue"                nl="Vorm onbekend"         form=UNK
  T     "Total"                        fr="Total"                         nl="Totaal"

axis years
  Y3    "{year-3}"   year=-3
  Y2    "{year-2}"   year=-2
  Y1    "{year-1}"   year=-1
  Y0    "{year}"     year=0

table victims_sex_age "1. Identified victims by sex and age" fr="1. Victimes identifiées par sexe et âge" nl="1. Geïdentificeerde slachtoffers naar geslacht en leeftijd"
  use item=shelter.victims_admitted
  rows sex
  cols age
  note "Identified victims: persons taken into care as victims by the specialised reception centres (Pag-Asa, Payoke, Sürya), in the year of admission."

table victims_form "2. Identified victims by form of exploitation and sex" fr="2. Victimes identifiées par forme d'exploitation et sexe" nl="2. Geïdentificeerde slachtoffers naar uitbuitingsvorm en geslacht"
  use item=shelter.victims_admitted
  rows form
  cols sex

table victims_nationality "3. Identified victims by nationality" fr="3. Victimes identifiées par nationalité" nl="3. Geïdentificeerde slachtoffers naar nationaliteit"
  use item=shelter.victims_admitted
  row each nationality
  row T "Total" fr="Total" nl="Totaal"
  col N "Victims" fr="Victimes" nl="Slachtoffers"
  note "One row per nationality with victims that year."

table documents "4. Residence documents issued to victims, by type" fr="4. Documents de séjour délivrés aux victimes, par type" nl="4. Verblijfsdocumenten afgegeven aan slachtoffers, naar type"
  use item=immigration.documents offence=THB
  row OQT45  "Order to leave, 45-day reflection period" fr="Ordre de quitter le territoire (45 jours de réflexion)" nl="Bevel om het grondgebied te verlaten (45 dagen bedenktijd)" document=OQT45
  row AI3M   "Registration certificate, 3 months" fr="Attestation d'immatriculation (3 mois)" nl="Attest van immatriculatie (3 maanden)" document=AI3M
  row CIRE6M "Temporary residence, 6 months" fr="Certificat d'inscription (6 mois)" nl="Bewijs van inschrijving (6 maanden)" document=CIRE6M
  row PERM   "Permanent residence" fr="Séjour illimité" nl="Onbeperkt verblijf" document=PERM
  row HUMAN  "Humanitarian residence" fr="Séjour humanitaire" nl="Humanitair verblijf" document=HUMAN
  row T      "Total" fr="Total" nl="Totaal"
  cols sex
  note "Documents issued under the victim procedure for trafficking in human beings, in the year of issue."

table justice "5. Criminal justice: trafficking in human beings" fr="5. Justice pénale : traite des êtres humains" nl="5. Strafrechtspleging: mensenhandel"
  use offence=THB
  row cases_in     "Cases entering prosecution (investigations)" fr="Affaires entrées au parquet (enquêtes)" nl="Ingestroomde zaken bij het parket (onderzoeken)" item=prosecution.cases_in
  row cases_pros   "Cases prosecuted (summons or referral to an investigating judge)" fr="Affaires poursuivies (citation ou mise à l'instruction)" nl="Vervolgde zaken (dagvaarding of gerechtelijk onderzoek)" item=prosecution.cases_prosecuted
  row defendants   "Defendants in the cases prosecuted" fr="Prévenus dans les affaires poursuivies" nl="Verdachten in de vervolgde zaken" item=prosecution.defendants_prosecuted
  row convicted    "Persons convicted" fr="Personnes condamnées" nl="Veroordeelde personen" item=conviction.persons
  row prison       "Persons sentenced to a prison term" fr="Personnes condamnées à une peine de prison" nl="Personen veroordeeld tot een gevangenisstraf" item=conviction.prison
  row suspended    "of which suspended in part or in full" fr="dont avec sursis partiel ou total" nl="waarvan met gedeeltelijk of volledig uitstel" item=conviction.prison_suspended
  row fined        "Persons fined" fr="Personnes condamnées à une amende" nl="Personen veroordeeld tot een geldboete" item=conviction.fines
  row confiscation "Judgments with confiscation" fr="Jugements avec confiscation" nl="Vonnissen met verbeurdverklaring" item=conviction.confiscations
  cols years
  note "Cases: in the year they entered the prosecutor's office, or of the decision to prosecute; convictions: in the year of judgment.  Conviction bulletins are registered with a delay: the last years are provisional (p)."

table prison_terms "6. Prison terms by length and suspension, {year}" fr="6. Peines de prison par durée et sursis, {year}" nl="6. Gevangenisstraffen naar duur en uitstel, {year}"
  use item=conviction.prison offence=THB
  row LT12   "Under 1 year"            fr="Moins d'un an"          nl="Minder dan 1 jaar"     sentence_band=LT12
  row 12_36  "1 to under 3 years"      fr="1 à moins de 3 ans"     nl="1 tot minder dan 3 jaar" sentence_band=12_36
  row 36_60  "3 to under 5 years"      fr="3 à moins de 5 ans"     nl="3 tot minder dan 5 jaar" sentence_band=36_60
  row 60_120 "5 to under 10 years"     fr="5 à moins de 10 ans"    nl="5 tot minder dan 10 jaar" sentence_band=60_120
  row GE120  "10 years and more"       fr="10 ans et plus"         nl="10 jaar en meer"       sentence_band=GE120
  row UNK    "Length not known"        fr="Durée inconnue"         nl="Duur onbekend"         sentence_band=UNK
  row T      "Total"                   fr="Total"                  nl="Totaal"
  col NONE    "Effective (not suspended)" fr="Effective (sans sursis)" nl="Effectief (zonder uitstel)" suspension=NONE
  col PARTIAL "Partially suspended"   fr="Sursis partiel"   nl="Gedeeltelijk uitstel" suspension=PARTIAL
  col FULL    "Fully suspended"       fr="Sursis total"     nl="Volledig uitstel"     suspension=FULL
  col UNK     "Suspension not known"  fr="Sursis inconnu"   nl="Uitstel onbekend"     suspension=UNK
  col T       "Total"                 fr="Total"            nl="Totaal"
  note "Persons convicted of trafficking and sentenced to a prison term, in the year of judgment, by the length of the term pronounced."
