# greta.q — the statistics part of GRETA's evaluation questionnaire (Council
# of Europe Convention on Action against Trafficking in Human Beings), as
# XLSX tables laid out as the questionnaire asks.  Format:
# docs/QUESTIONNAIRES.md.
#
# Items and why:
# - Victims (as Eurostat's registered victims, so the two answers
#   agree): identified = shelter.victims_admitted = taken into care as a
#   victim by the specialised centres, in the year of admission; presumed
#   = referred to them and not taken into care, in the year of referral.
#   By sex and age, by form and sex, children by form, by nationality.
# - Residence documents = immigration.documents, procedure THB, by type,
#   age group and sex (documents, one per person and decision).
# - Criminal justice: cases entering prosecution (prosecution.cases_in —
#   the "investigations" of international reports), cases prosecuted,
#   defendants in them, persons convicted, prison terms, suspended terms,
#   fines, and persons convicted in a judgment ordering a confiscation
#   (conviction.confiscations counts persons, not judgments); all offence
#   THB, four years so GRETA sees the trend.  Conviction figures of the
#   last years are provisional (p).
# - Questions of the statistics part no service sends data for
#   (compensation, non-punishment, legal persons sanctioned, returns,
#   international protection) are present, answered "not collected by
#   these sources", each with a note saying which service holds it.
#
# Disclosure: counts of persons and of documents from 1 to 3 are withheld,
# with their complements.  The `same` line tells the disclosure control
# that suspended terms are the partially and fully suspended columns of
# the prison table, so that one cannot be recomputed from the other.

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

axis form
  SEX   "Sexual exploitation"          fr="Exploitation sexuelle"         nl="Seksuele uitbuiting"   form=SEX
  LAB   "Labour exploitation"          fr="Exploitation économique"   nl="Economische uitbuiting"     form=LAB
  BEG   "Exploitation of begging"      fr="Exploitation de la mendicité"  nl="Uitbuiting van bedelarij" form=BEG
  CRIM  "Forced criminality"           fr="Criminalité forcée"            nl="Gedwongen criminaliteit" form=CRIM
  ORG   "Removal of organs"            fr="Prélèvement d'organes"         nl="Orgaanwegneming"       form=ORG
  OTH   "Other forms"                  fr="Autres formes"                 nl="Andere vormen"         form=OTH
  UNK   "Form not known"               fr="Forme inconnue"                nl="Vorm onbekend"         form=UNK
  T     "Total"                        fr="Total"                         nl="Totaal"

axis status
  ID    "Identified" fr="Identifiées" nl="Geïdentificeerd" item=shelter.victims_admitted
  PRE   "Presumed"   fr="Présumées"   nl="Vermoedelijk"    item=shelter.victims_presumed
  T     "Total"      fr="Total"       nl="Totaal" item=shelter.victims_admitted+shelter.victims_presumed

axis vsex
  ID_F    "Identified: female"  fr="Identifiées : femmes"  nl="Geïdentificeerd: vrouwen"  item=shelter.victims_admitted sex=F
  ID_M    "Identified: male"    fr="Identifiées : hommes"  nl="Geïdentificeerd: mannen"   item=shelter.victims_admitted sex=M
  ID_UNK  "Identified: sex not known" fr="Identifiées : sexe inconnu" nl="Geïdentificeerd: geslacht onbekend" item=shelter.victims_admitted sex=UNK
  ID_T    "Identified: total"   fr="Identifiées : total"   nl="Geïdentificeerd: totaal"   item=shelter.victims_admitted
  PRE_F   "Presumed: female"    fr="Présumées : femmes"    nl="Vermoedelijk: vrouwen"     item=shelter.victims_presumed sex=F
  PRE_M   "Presumed: male"      fr="Présumées : hommes"    nl="Vermoedelijk: mannen"      item=shelter.victims_presumed sex=M
  PRE_UNK "Presumed: sex not known" fr="Présumées : sexe inconnu" nl="Vermoedelijk: geslacht onbekend" item=shelter.victims_presumed sex=UNK
  PRE_T   "Presumed: total"     fr="Présumées : total"     nl="Vermoedelijk: totaal"      item=shelter.victims_presumed
  REG_F   "All: female"         fr="Toutes : femmes"       nl="Alle: vrouwen"             sex=F item=shelter.victims_admitted+shelter.victims_presumed
  REG_M   "All: male"           fr="Toutes : hommes"       nl="Alle: mannen"              sex=M item=shelter.victims_admitted+shelter.victims_presumed
  REG_UNK "All: sex not known"  fr="Toutes : sexe inconnu" nl="Alle: geslacht onbekend"   sex=UNK item=shelter.victims_admitted+shelter.victims_presumed
  REG_T   "All: total"          fr="Toutes : total"        nl="Alle: totaal" item=shelter.victims_admitted+shelter.victims_presumed

axis vage
  ID_CHILD "Identified: children" fr="Identifiées : enfants" nl="Geïdentificeerd: kinderen" item=shelter.victims_admitted age_group=MINOR
  ID_ADULT "Identified: adults" fr="Identifiées : adultes" nl="Geïdentificeerd: volwassenen" item=shelter.victims_admitted age_group=ADULT
  ID_UNK "Identified: age not known" fr="Identifiées : âge inconnu" nl="Geïdentificeerd: leeftijd onbekend" item=shelter.victims_admitted age_group=UNK
  ID_T "Identified: all ages" fr="Identifiées : tous âges" nl="Geïdentificeerd: alle leeftijden" item=shelter.victims_admitted
  PRE_CHILD "Presumed: children" fr="Présumées : enfants" nl="Vermoedelijk: kinderen" item=shelter.victims_presumed age_group=MINOR
  PRE_ADULT "Presumed: adults" fr="Présumées : adultes" nl="Vermoedelijk: volwassenen" item=shelter.victims_presumed age_group=ADULT
  PRE_UNK "Presumed: age not known" fr="Présumées : âge inconnu" nl="Vermoedelijk: leeftijd onbekend" item=shelter.victims_presumed age_group=UNK
  PRE_T "Presumed: all ages" fr="Présumées : tous âges" nl="Vermoedelijk: alle leeftijden" item=shelter.victims_presumed
  REG_CHILD "All: children" fr="Toutes : enfants" nl="Alle: kinderen" age_group=MINOR item=shelter.victims_admitted+shelter.victims_presumed
  REG_ADULT "All: adults" fr="Toutes : adultes" nl="Alle: volwassenen" age_group=ADULT item=shelter.victims_admitted+shelter.victims_presumed
  REG_UNK "All: age not known" fr="Toutes : âge inconnu" nl="Alle: leeftijd onbekend" age_group=UNK item=shelter.victims_admitted+shelter.victims_presumed
  REG_T "All: total" fr="Toutes : total" nl="Alle: totaal" item=shelter.victims_admitted+shelter.victims_presumed

axis agesex
  CHILD_F "Children: female" fr="Enfants : femmes" nl="Kinderen: vrouwen" age_group=MINOR sex=F
  CHILD_M "Children: male" fr="Enfants : hommes" nl="Kinderen: mannen" age_group=MINOR sex=M
  CHILD_UNK "Children: sex not known" fr="Enfants : sexe inconnu" nl="Kinderen: geslacht onbekend" age_group=MINOR sex=UNK
  CHILD_T "Children: total" fr="Enfants : total" nl="Kinderen: totaal" age_group=MINOR
  ADULT_F "Adults: female" fr="Adultes : femmes" nl="Volwassenen: vrouwen" age_group=ADULT sex=F
  ADULT_M "Adults: male" fr="Adultes : hommes" nl="Volwassenen: mannen" age_group=ADULT sex=M
  ADULT_UNK "Adults: sex not known" fr="Adultes : sexe inconnu" nl="Volwassenen: geslacht onbekend" age_group=ADULT sex=UNK
  ADULT_T "Adults: total" fr="Adultes : total" nl="Volwassenen: totaal" age_group=ADULT
  UNK_F "Age not known: female" fr="Âge inconnu : femmes" nl="Leeftijd onbekend: vrouwen" age_group=UNK sex=F
  UNK_M "Age not known: male" fr="Âge inconnu : hommes" nl="Leeftijd onbekend: mannen" age_group=UNK sex=M
  UNK_UNK "Age not known: sex not known" fr="Âge inconnu : sexe inconnu" nl="Leeftijd onbekend: geslacht onbekend" age_group=UNK sex=UNK
  UNK_T "Age not known: total" fr="Âge inconnu : total" nl="Leeftijd onbekend: totaal" age_group=UNK
  T_F "All ages: female" fr="Tous âges : femmes" nl="Alle leeftijden: vrouwen" sex=F
  T_M "All ages: male" fr="Tous âges : hommes" nl="Alle leeftijden: mannen" sex=M
  T_UNK "All ages: sex not known" fr="Tous âges : sexe inconnu" nl="Alle leeftijden: geslacht onbekend" sex=UNK
  T_T "All ages: total" fr="Tous âges : total" nl="Alle leeftijden: totaal" 

axis years
  Y3    "{year-3}"   year=-3
  Y2    "{year-2}"   year=-2
  Y1    "{year-1}"   year=-1
  Y0    "{year}"     year=0

table victims_sex_age "1. Identified and presumed victims by sex and age" fr="1. Victimes identifiées et présumées par sexe et âge" nl="1. Geïdentificeerde en vermoedelijke slachtoffers naar geslacht en leeftijd"
  rows sex
  cols vage
  note "Identified victims: taken into care as victims by the specialised reception centres (Pag-Asa, Payoke, Sürya), in the year of admission; presumed victims: referred to these centres and not taken into care, in the year of referral." fr="Victimes identifiées : accueillies comme victimes par les centres d'accueil spécialisés (Pag-Asa, Payoke, Sürya), l'année de l'accueil ; victimes présumées : orientées vers ces centres et non accueillies, l'année de l'orientation." nl="Geïdentificeerde slachtoffers: als slachtoffer opgenomen door de gespecialiseerde opvangcentra (Pag-Asa, Payoke, Sürya), in het jaar van opname; vermoedelijke slachtoffers: naar die centra doorverwezen en niet opgenomen, in het jaar van doorverwijzing."

table victims_form "2. Identified and presumed victims by form of exploitation and sex" fr="2. Victimes identifiées et présumées par forme d'exploitation et sexe" nl="2. Geïdentificeerde en vermoedelijke slachtoffers naar uitbuitingsvorm en geslacht"
  rows form
  cols vsex
  note "Identified victims: taken into care as victims by the specialised reception centres (Pag-Asa, Payoke, Sürya), in the year of admission; presumed victims: referred to these centres and not taken into care, in the year of referral." fr="Victimes identifiées : accueillies comme victimes par les centres d'accueil spécialisés (Pag-Asa, Payoke, Sürya), l'année de l'accueil ; victimes présumées : orientées vers ces centres et non accueillies, l'année de l'orientation." nl="Geïdentificeerde slachtoffers: als slachtoffer opgenomen door de gespecialiseerde opvangcentra (Pag-Asa, Payoke, Sürya), in het jaar van opname; vermoedelijke slachtoffers: naar die centra doorverwezen en niet opgenomen, in het jaar van doorverwijzing."

table children_form "3. Child victims (under 18) by form of exploitation and sex" fr="3. Enfants victimes (moins de 18 ans) par forme d'exploitation et sexe" nl="3. Minderjarige slachtoffers (jonger dan 18) naar uitbuitingsvorm en geslacht"
  use age_group=MINOR
  rows form
  cols vsex
  note "Children: under 18 at the referral, by the age the centre recorded." fr="Enfants : moins de 18 ans lors de l'orientation, selon l'âge enregistré par le centre." nl="Kinderen: jonger dan 18 bij de doorverwijzing, volgens de leeftijd die het centrum registreerde."

table victims_nationality "4. Identified and presumed victims by nationality" fr="4. Victimes identifiées et présumées par nationalité" nl="4. Geïdentificeerde en vermoedelijke slachtoffers naar nationaliteit"
  use item=shelter.victims_admitted+shelter.victims_presumed
  row each nationality
  row T "Total" fr="Total" nl="Totaal"
  cols status
  note "One row per nationality with victims that year." fr="Une ligne par nationalité comptant des victimes cette année-là." nl="Eén rij per nationaliteit met slachtoffers in dat jaar."

table documents "5. Residence documents issued to victims, by type, age group and sex" fr="5. Documents de séjour délivrés aux victimes, par type, groupe d'âge et sexe" nl="5. Verblijfsdocumenten afgegeven aan slachtoffers, naar type, leeftijdsgroep en geslacht"
  use item=immigration.documents offence=THB
  row OQT45  "Order to leave, 45-day reflection period" fr="Ordre de quitter le territoire (45 jours de réflexion)" nl="Bevel om het grondgebied te verlaten (45 dagen bedenktijd)" document=OQT45
  row AI3M   "Registration certificate, 3 months" fr="Attestation d'immatriculation (3 mois)" nl="Attest van immatriculatie (3 maanden)" document=AI3M
  row CIRE6M "Temporary residence, 6 months" fr="Certificat d'inscription (6 mois)" nl="Bewijs van inschrijving (6 maanden)" document=CIRE6M
  row PERM   "Permanent residence" fr="Séjour illimité" nl="Onbeperkt verblijf" document=PERM
  row HUMAN  "Humanitarian residence" fr="Séjour humanitaire" nl="Humanitair verblijf" document=HUMAN
  row T      "Total" fr="Total" nl="Totaal"
  cols agesex
  note "Documents issued under the victim procedure for trafficking in human beings, in the year of issue; children: under 18 at the decision." fr="Documents délivrés dans le cadre de la procédure victime de la traite des êtres humains, l'année de délivrance ; enfants : moins de 18 ans lors de la décision." nl="Documenten afgegeven in het kader van de slachtofferprocedure mensenhandel, in het jaar van afgifte; kinderen: jonger dan 18 bij de beslissing."

table justice "6. Criminal justice: trafficking in human beings" fr="6. Justice pénale : traite des êtres humains" nl="6. Strafrechtspleging: mensenhandel"
  use offence=THB
  row cases_in     "Cases entering prosecution (investigations)" fr="Affaires entrées au parquet (enquêtes)" nl="Ingestroomde zaken bij het parket (onderzoeken)" item=prosecution.cases_in
  row cases_pros   "Cases prosecuted (summons or referral to an investigating judge)" fr="Affaires poursuivies (citation ou mise à l'instruction)" nl="Vervolgde zaken (dagvaarding of gerechtelijk onderzoek)" item=prosecution.cases_prosecuted
  row defendants   "Defendants in the cases prosecuted" fr="Prévenus dans les affaires poursuivies" nl="Verdachten in de vervolgde zaken" item=prosecution.defendants_prosecuted
  row convicted    "Persons convicted" fr="Personnes condamnées" nl="Veroordeelde personen" item=conviction.persons
  row prison       "Persons sentenced to a prison term" fr="Personnes condamnées à une peine de prison" nl="Personen veroordeeld tot een gevangenisstraf" item=conviction.prison
  row suspended    "of which suspended in part or in full" fr="dont avec sursis partiel ou total" nl="waarvan met gedeeltelijk of volledig uitstel" item=conviction.prison_suspended
  row fined        "Persons fined" fr="Personnes condamnées à une amende" nl="Personen veroordeeld tot een geldboete" item=conviction.fines
  row confiscation "Persons convicted in a judgment ordering a confiscation" fr="Personnes condamnées dans un jugement ordonnant une confiscation" nl="Personen veroordeeld in een vonnis met verbeurdverklaring" item=conviction.confiscations
  cols years
  note "Cases: in the year they entered the prosecutor's office, or of the decision to prosecute; convictions: in the year of judgment.  Conviction bulletins are registered with a delay: the last years are provisional (p)." fr="Affaires : l'année de leur entrée au parquet, ou de la décision de poursuivre ; condamnations : l'année du jugement.  Les bulletins de condamnation sont enregistrés avec retard : les dernières années sont provisoires (p)." nl="Zaken: in het jaar van instroom bij het parket, of van de beslissing tot vervolging; veroordelingen: in het jaar van het vonnis.  Veroordelingsbulletins worden met vertraging geregistreerd: de laatste jaren zijn voorlopig (p)."
  note "Confiscation: persons, not judgments; a judgment with two convicted persons counts twice." fr="Confiscation : des personnes, pas des jugements ; un jugement condamnant deux personnes compte deux fois." nl="Verbeurdverklaring: personen, geen vonnissen; een vonnis met twee veroordeelden telt twee keer."

table prison_terms "7. Prison terms by length and suspension, {year}" fr="7. Peines de prison par durée et sursis, {year}" nl="7. Gevangenisstraffen naar duur en uitstel, {year}"
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
  note "Persons convicted of trafficking and sentenced to a prison term, in the year of judgment, by the length of the term pronounced." fr="Personnes condamnées pour traite et à une peine de prison, l'année du jugement, selon la durée de la peine prononcée." nl="Personen veroordeeld voor mensenhandel tot een gevangenisstraf, in het jaar van het vonnis, naar de duur van de uitgesproken straf."

table not_collected "8. Questions these sources do not answer" fr="8. Questions auxquelles ces sources ne répondent pas" nl="8. Vragen die deze bronnen niet beantwoorden"
  col A "Answer" fr="Réponse" nl="Antwoord"
  na * *
  row compensation_court "Victims awarded compensation by a court" fr="Victimes ayant obtenu une indemnisation d'un tribunal" nl="Slachtoffers aan wie een rechtbank een schadevergoeding toekende"
  footnote compensation_court * "Compensation awarded by courts: the civil part of judgments, which the conviction bulletins of the Central Criminal Record do not carry; the courts' registries would hold it." fr="Indemnisation accordée par les tribunaux : la partie civile des jugements, que les bulletins de condamnation du Casier judiciaire central ne contiennent pas ; les greffes des tribunaux la détiendraient." nl="Schadevergoeding toegekend door rechtbanken: het burgerlijk deel van de vonnissen, dat de veroordelingsbulletins van het Centraal Strafregister niet bevatten; de griffies van de rechtbanken zouden ze hebben."
  row compensation_state "Victims granted financial aid by the state" fr="Victimes ayant reçu une aide financière de l'État" nl="Slachtoffers die financiële hulp van de staat kregen"
  footnote compensation_state * "State compensation: the Commission for Financial Assistance to Victims of Intentional Acts of Violence (FPS Justice) holds it and sends no extract." fr="Indemnisation par l'État : la Commission pour l'aide financière aux victimes d'actes intentionnels de violence (SPF Justice) la détient et n'envoie pas d'extrait." nl="Vergoeding door de staat: de Commissie voor financiële hulp aan slachtoffers van opzettelijke gewelddaden (FOD Justitie) heeft ze en stuurt geen extract."
  row non_punishment "Victims not punished for offences they were compelled to commit" fr="Victimes non sanctionnées pour des infractions qu'elles ont été contraintes de commettre" nl="Slachtoffers niet gestraft voor misdrijven die ze moesten plegen"
  footnote non_punishment * "Non-punishment: the prosecutors' offices decide it, but their extract records cases, not whether a suspect was recognised as a victim." fr="Non-sanction : les parquets en décident, mais leur extrait enregistre des affaires, pas la reconnaissance d'un suspect comme victime." nl="Niet-bestraffing: de parketten beslissen erover, maar hun extract registreert zaken, niet of een verdachte als slachtoffer werd erkend."
  row legal_persons "Legal persons sanctioned for trafficking" fr="Personnes morales sanctionnées pour traite" nl="Rechtspersonen bestraft voor mensenhandel"
  footnote legal_persons * "Legal persons: the Central Criminal Record's extract holds bulletins of natural persons; its register of legal persons would answer." fr="Personnes morales : l'extrait du Casier judiciaire central contient des bulletins de personnes physiques ; son registre des personnes morales répondrait." nl="Rechtspersonen: het extract van het Centraal Strafregister bevat bulletins van natuurlijke personen; zijn register van rechtspersonen zou antwoorden."
  row returns "Victims returned to their country of origin" fr="Victimes retournées dans leur pays d'origine" nl="Slachtoffers teruggekeerd naar hun land van herkomst"
  footnote returns * "Returns: the Immigration Office and Fedasil organise them; the Immigration Office's extract records residence documents only." fr="Retours : l'Office des étrangers et Fedasil les organisent ; l'extrait de l'Office des étrangers enregistre seulement les documents de séjour." nl="Terugkeer: de Dienst Vreemdelingenzaken en Fedasil organiseren hem; het extract van de Dienst Vreemdelingenzaken registreert alleen verblijfsdocumenten."
  row protection "Victims granted international protection" fr="Victimes ayant obtenu une protection internationale" nl="Slachtoffers die internationale bescherming kregen"
  footnote protection * "International protection: the Commissioner General for Refugees and Stateless Persons decides it and sends no extract." fr="Protection internationale : le Commissariat général aux réfugiés et aux apatrides en décide et n'envoie pas d'extrait." nl="Internationale bescherming: het Commissariaat-generaal voor de Vluchtelingen en de Staatlozen beslist erover en stuurt geen extract."
