# eurostat.q — Eurostat's data collection on trafficking in human beings
# (THB, ESMS domain crim_thb): registered victims (identified and
# presumed) and suspected, prosecuted and convicted persons.  Format:
# docs/QUESTIONNAIRES.md.  Answered as SDMX-CSV (the upload, --sdmx 1.0 or
# 2.0) and XLSX (the same tables for a person).  Eurostat's rule: 0 means
# known to be none, an empty value means no figure (OBS_STATUS says why);
# the engine never turns "not known" into 0.
#
# Which of our items answers which Eurostat concept, and why:
#
# - Registered victims (Eurostat: identified, and presumed = "met the
#   criteria but not formally identified, or declined to be") =
#   the records of the three specialised reception centres (Pag-Asa,
#   Payoke, Sürya):
#     identified = shelter.victims_admitted: taken into care as a victim,
#       in the year of admission (in Belgium the victim status goes
#       through these centres);
#     presumed = shelter.victims_presumed: referred to a centre and not
#       taken into care, in the year of referral;
#     registered = their sum (item=A+B): each person referred counts
#       once, either way.  A sum is published only beside its parts.  Belgium's footnote in Eurostat's ESMS names the
#   sources "Specialized reception centers" and the Immigration Office
#   (which records no Belgian victims).  Not added:
#     immigration.documents — documents, not persons, issued to victims
#       the centres already count (the procedure goes through them);
#     inspection.victims_referred — potential victims the inspectorates
#       refer to the police or to the centres: those who reach a centre
#       are counted there; no sex, age, citizenship or form;
#     police.victims — victims noted per registered fact (one person in
#       two facts counts twice), no sex, age or citizenship.
#   The centres' records carry no offence: victims of aggravated
#   smuggling taken into care are included (footnoted).
# - Suspected persons = police.suspects, offence THB.  The police extract
#   gives a number of suspects per registered fact and no person
#   reference, so a person suspected in two facts counts twice: the
#   figure is a count of suspect registrations, flagged "definition
#   differs" (status=d) and footnoted.  No extract allows counting
#   suspects as persons.  No sex or citizenship: not collected (empty,
#   OBS_STATUS L), never 0.
# - Prosecuted persons = prosecution.defendants_prosecuted, offence THB:
#   defendants in the cases sent to court or to an investigating judge,
#   added per case (flagged d as well).  Often left empty in the
#   extract: a lower bound (U) or no figure (O).  No sex or citizenship.
# - Convicted persons = conviction.persons, offence THB, by sex,
#   citizenship and form (one bulletin per person and judgment).  The
#   reference year is usually provisional (P): bulletins keep arriving.
#
# SDMX codes.  Verified against published code lists: SEX, AGE, UNIT,
# CITIZEN (NAT / EU27_2020_FOR / NEU27_2020_FOR / UNK / TOTAL, and the
# EU28 / EU27_2007 codes of earlier years) and the attribute codes below.
# Not verified (no copy of the structure Eurostat sends with each round
# was available): the dataflow id, the LEG_STAT codes (VICT, VICT_ID,
# VICT_PRE, PER_SUSP, PER_PRSC, PER_CNV) and the EXPL codes.  With the
# structure in hand, `ciatteh export eurostat --check-structure FILE.xml`
# names every line here that disagrees with it (docs/QUESTIONNAIRES.md).
#
# Attributes: OBS_STATUS (SDMX CL_OBS_STATUS: P provisional, U low
# reliability = our lower bound, O missing = not delivered, L data exist
# but were not collected = no service sends it, D definition differs),
# CONF_STATUS (CL_CONF_STATUS: F free, A primary confidentiality (small
# count), D secondary confidentiality set by the sender), COMMENT_OBS (the
# cell's footnotes, English).

questionnaire eurostat
title "Eurostat data collection on trafficking in human beings" fr="Collecte de données d'Eurostat sur la traite des êtres humains" nl="Gegevensverzameling van Eurostat over mensenhandel"
recipient "Eurostat (European Commission)"
suppress 3
protect persons

sdmx dataflow ESTAT:CRIM_THB(1.0)
sdmx columns FREQ=A LEG_STAT=VICT SEX=T AGE=TOTAL CITIZEN=TOTAL EXPL=TOTAL UNIT=NR GEO=BE
sdmx codes FREQ A
sdmx codes LEG_STAT VICT VICT_ID VICT_PRE PER_SUSP PER_PRSC PER_CNV
sdmx codes SEX F M UNK T
sdmx codes AGE Y_LT18 Y_GE18 UNK TOTAL
sdmx codes CITIZEN NAT EU27_2007_FOR EU28_FOR EU27_2020_FOR NEU27_2007_FOR NEU28_FOR NEU27_2020_FOR UNK TOTAL
sdmx codes EXPL SEX_EXP LAB_EXP OTH UNK TOTAL
sdmx codes UNIT NR
sdmx codes GEO BE
# The EU's composition in the observation's year (our citizenship EU and
# NONEU follow it too: schema/seed/eu_member.csv): 27 members until 2012,
# 28 with Croatia from 2013, 27 without the United Kingdom from 2021.
sdmx period CITIZEN EU_FOR -2012=EU27_2007_FOR 2013-2020=EU28_FOR 2021-=EU27_2020_FOR
sdmx period CITIZEN NEU_FOR -2012=NEU27_2007_FOR 2013-2020=NEU28_FOR 2021-=NEU27_2020_FOR
sdmx status OBS_STATUS x=L n=O p=P d=D u=U
sdmx conf CONF_STATUS free=F primary=A secondary=D
sdmx comment COMMENT_OBS

axis sex
  F     "Female"          fr="Femmes"          nl="Vrouwen"          sex=F    @SEX=F
  M     "Male"            fr="Hommes"          nl="Mannen"           sex=M    @SEX=M
  UNK   "Sex not known"   fr="Sexe inconnu"    nl="Geslacht onbekend" sex=UNK @SEX=UNK
  T     "Total"           fr="Total"           nl="Totaal"

# Victims: identified, presumed and registered (their total), by sex.
axis vsex
  ID_F    "Identified: female"  fr="Identifiées : femmes"  nl="Geïdentificeerd: vrouwen"  item=shelter.victims_admitted sex=F   @LEG_STAT=VICT_ID @SEX=F
  ID_M    "Identified: male"    fr="Identifiées : hommes"  nl="Geïdentificeerd: mannen"   item=shelter.victims_admitted sex=M   @LEG_STAT=VICT_ID @SEX=M
  ID_UNK  "Identified: sex not known" fr="Identifiées : sexe inconnu" nl="Geïdentificeerd: geslacht onbekend" item=shelter.victims_admitted sex=UNK @LEG_STAT=VICT_ID @SEX=UNK
  ID_T    "Identified: total"   fr="Identifiées : total"   nl="Geïdentificeerd: totaal"   item=shelter.victims_admitted         @LEG_STAT=VICT_ID
  PRE_F   "Presumed: female"    fr="Présumées : femmes"    nl="Vermoedelijk: vrouwen"     item=shelter.victims_presumed sex=F     @LEG_STAT=VICT_PRE @SEX=F
  PRE_M   "Presumed: male"      fr="Présumées : hommes"    nl="Vermoedelijk: mannen"      item=shelter.victims_presumed sex=M     @LEG_STAT=VICT_PRE @SEX=M
  PRE_UNK "Presumed: sex not known" fr="Présumées : sexe inconnu" nl="Vermoedelijk: geslacht onbekend" item=shelter.victims_presumed sex=UNK @LEG_STAT=VICT_PRE @SEX=UNK
  PRE_T   "Presumed: total"     fr="Présumées : total"     nl="Vermoedelijk: totaal"      item=shelter.victims_presumed           @LEG_STAT=VICT_PRE
  REG_F   "Registered: female"  fr="Enregistrées : femmes" nl="Geregistreerd: vrouwen"    sex=F   @SEX=F item=shelter.victims_admitted+shelter.victims_presumed
  REG_M   "Registered: male"    fr="Enregistrées : hommes" nl="Geregistreerd: mannen"     sex=M   @SEX=M item=shelter.victims_admitted+shelter.victims_presumed
  REG_UNK "Registered: sex not known" fr="Enregistrées : sexe inconnu" nl="Geregistreerd: geslacht onbekend" sex=UNK @SEX=UNK item=shelter.victims_admitted+shelter.victims_presumed
  REG_T   "Registered: total"   fr="Enregistrées : total"  nl="Geregistreerd: totaal" item=shelter.victims_admitted+shelter.victims_presumed

axis age
  CHILD "Children (under 18)" fr="Enfants (moins de 18 ans)" nl="Kinderen (jonger dan 18)" age_group=MINOR @AGE=Y_LT18
  ADULT "Adults"              fr="Adultes"       nl="Volwassenen"     age_group=ADULT @AGE=Y_GE18
  UNK   "Age not known"       fr="Âge inconnu"   nl="Leeftijd onbekend" age_group=UNK @AGE=UNK
  T     "Total"               fr="Total"         nl="Totaal"

# Eurostat's three forms: sexual, labour, other (begging, forced
# criminality, organ removal and any other form), plus not known.
axis form
  SEX   "Sexual exploitation" fr="Exploitation sexuelle" nl="Seksuele uitbuiting" form=SEX @EXPL=SEX_EXP
  LAB   "Labour exploitation" fr="Exploitation économique" nl="Economische uitbuiting" form=LAB @EXPL=LAB_EXP
  OTH   "Other forms"         fr="Autres formes"  nl="Andere vormen" form=BEG,CRIM,ORG,OTH @EXPL=OTH
  UNK   "Form not known"      fr="Forme inconnue" nl="Vorm onbekend" form=UNK @EXPL=UNK
  T     "Total"               fr="Total"          nl="Totaal"

# EU_FOR and NEU_FOR are written per year by `sdmx period` above.
axis citizenship
  NAT   "Reporting country (Belgian)" fr="Pays déclarant (belge)" nl="Rapporterend land (Belgisch)" citizenship=NAT @CITIZEN=NAT
  EU    "Other EU country"      fr="Autre pays de l'UE" nl="Ander EU-land"   citizenship=EU    @CITIZEN=EU_FOR
  NONEU "Non-EU country"        fr="Pays hors UE"       nl="Niet-EU-land"    citizenship=NONEU @CITIZEN=NEU_FOR
  UNK   "Citizenship not known" fr="Citoyenneté inconnue" nl="Nationaliteit onbekend" citizenship=UNK @CITIZEN=UNK
  T     "Total"                 fr="Total"              nl="Totaal"

axis stage
  SUSP  "Suspected persons"  fr="Personnes suspectées" nl="Verdachte personen" item=police.suspects offence=THB @LEG_STAT=PER_SUSP
  PROS  "Prosecuted persons" fr="Personnes poursuivies" nl="Vervolgde personen" item=prosecution.defendants_prosecuted offence=THB @LEG_STAT=PER_PRSC
  CONV  "Convicted persons"  fr="Personnes condamnées" nl="Veroordeelde personen" item=conviction.persons offence=THB @LEG_STAT=PER_CNV

table victims_age "Registered victims by age: identified, presumed, by sex" fr="Victimes enregistrées par âge : identifiées, présumées, par sexe" nl="Geregistreerde slachtoffers naar leeftijd: geïdentificeerd, vermoedelijk, naar geslacht"
  rows age
  cols vsex
  footnote * * "Identified victims: taken into care as victims by the specialised reception centres (Pag-Asa, Payoke, Sürya), in the year of admission; presumed victims: referred to these centres and not taken into care, in the year of referral; victims of aggravated smuggling are included, as the centres record no offence." fr="Victimes identifiées : accueillies comme victimes par les centres d'accueil spécialisés (Pag-Asa, Payoke, Sürya), l'année de l'accueil ; victimes présumées : orientées vers ces centres et non accueillies, l'année de l'orientation ; les victimes de trafic aggravé y sont comprises, car les centres n'enregistrent pas l'infraction." nl="Geïdentificeerde slachtoffers: als slachtoffer opgenomen door de gespecialiseerde opvangcentra (Pag-Asa, Payoke, Sürya), in het jaar van opname; vermoedelijke slachtoffers: naar die centra doorverwezen en niet opgenomen, in het jaar van doorverwijzing; slachtoffers van verzwarende mensensmokkel zijn inbegrepen, omdat de centra het misdrijf niet registreren."

table victims_form "Registered victims by form of exploitation: identified, presumed, by sex" fr="Victimes enregistrées par forme d'exploitation : identifiées, présumées, par sexe" nl="Geregistreerde slachtoffers naar uitbuitingsvorm: geïdentificeerd, vermoedelijk, naar geslacht"
  rows form
  cols vsex
  footnote * * "Identified victims: taken into care as victims by the specialised reception centres (Pag-Asa, Payoke, Sürya), in the year of admission; presumed victims: referred to these centres and not taken into care, in the year of referral; victims of aggravated smuggling are included, as the centres record no offence." fr="Victimes identifiées : accueillies comme victimes par les centres d'accueil spécialisés (Pag-Asa, Payoke, Sürya), l'année de l'accueil ; victimes présumées : orientées vers ces centres et non accueillies, l'année de l'orientation ; les victimes de trafic aggravé y sont comprises, car les centres n'enregistrent pas l'infraction." nl="Geïdentificeerde slachtoffers: als slachtoffer opgenomen door de gespecialiseerde opvangcentra (Pag-Asa, Payoke, Sürya), in het jaar van opname; vermoedelijke slachtoffers: naar die centra doorverwezen en niet opgenomen, in het jaar van doorverwijzing; slachtoffers van verzwarende mensensmokkel zijn inbegrepen, omdat de centra het misdrijf niet registreren."
  note "Other forms: exploitation of begging, forced criminality, removal of organs and other forms." fr="Autres formes : exploitation de la mendicité, criminalité forcée, prélèvement d'organes et autres formes." nl="Andere vormen: uitbuiting van bedelarij, gedwongen criminaliteit, orgaanwegneming en andere vormen."

table victims_citizenship "Registered victims by citizenship: identified, presumed, by sex" fr="Victimes enregistrées par citoyenneté : identifiées, présumées, par sexe" nl="Geregistreerde slachtoffers naar nationaliteit: geïdentificeerd, vermoedelijk, naar geslacht"
  rows citizenship
  cols vsex
  footnote * * "Identified victims: taken into care as victims by the specialised reception centres (Pag-Asa, Payoke, Sürya), in the year of admission; presumed victims: referred to these centres and not taken into care, in the year of referral; victims of aggravated smuggling are included, as the centres record no offence." fr="Victimes identifiées : accueillies comme victimes par les centres d'accueil spécialisés (Pag-Asa, Payoke, Sürya), l'année de l'accueil ; victimes présumées : orientées vers ces centres et non accueillies, l'année de l'orientation ; les victimes de trafic aggravé y sont comprises, car les centres n'enregistrent pas l'infraction." nl="Geïdentificeerde slachtoffers: als slachtoffer opgenomen door de gespecialiseerde opvangcentra (Pag-Asa, Payoke, Sürya), in het jaar van opname; vermoedelijke slachtoffers: naar die centra doorverwezen en niet opgenomen, in het jaar van doorverwijzing; slachtoffers van verzwarende mensensmokkel zijn inbegrepen, omdat de centra het misdrijf niet registreren."
  note "Other EU country: a member state of the EU in the reference year (28 members from 2013 to 2020, the United Kingdom included; 27 from 2021); the SDMX codes name the composition (EU28_FOR, EU27_2020_FOR)." fr="Autre pays de l'UE : un État membre de l'UE l'année de référence (28 membres de 2013 à 2020, Royaume-Uni compris ; 27 à partir de 2021) ; les codes SDMX nomment la composition (EU28_FOR, EU27_2020_FOR)." nl="Ander EU-land: een lidstaat van de EU in het referentiejaar (28 leden van 2013 tot 2020, het Verenigd Koninkrijk inbegrepen; 27 vanaf 2021); de SDMX-codes noemen de samenstelling (EU28_FOR, EU27_2020_FOR)."

table offenders_sex "Suspected, prosecuted and convicted persons by sex" fr="Personnes suspectées, poursuivies et condamnées par sexe" nl="Verdachte, vervolgde en veroordeelde personen naar geslacht"
  rows stage
  cols sex
  na SUSP F
  na SUSP M
  na SUSP UNK
  na PROS F
  na PROS M
  na PROS UNK
  footnote SUSP * "Suspects are added up per registered fact: the police extract has no person reference, so a person suspected in two facts counts twice." fr="Les suspects sont additionnés par fait enregistré : l'extrait de la police n'a pas de référence de personne, de sorte qu'une personne suspectée dans deux faits compte deux fois." nl="Verdachten worden per geregistreerd feit opgeteld: het extract van de politie heeft geen persoonsreferentie, zodat een persoon die in twee feiten verdacht wordt twee keer telt." status=d
  footnote PROS * "Defendants are added up per case sent to court or to an investigating judge: a person in two cases counts twice; where the extract leaves the number empty, the figure is a lower bound or not known." fr="Les prévenus sont additionnés par affaire portée devant le tribunal ou le juge d'instruction : une personne dans deux affaires compte deux fois ; lorsque l'extrait laisse le nombre vide, le chiffre est un minimum ou inconnu." nl="Verdachten worden opgeteld per zaak die naar de rechtbank of de onderzoeksrechter gaat: een persoon in twee zaken telt twee keer; waar het extract het aantal leeg laat, is het cijfer een minimum of onbekend." status=d
  footnote SUSP F "Not collected by these sources: the police and prosecution extracts do not record the sex or citizenship of suspects and defendants." fr="Non collecté par ces sources : les extraits de la police et du parquet n'enregistrent ni le sexe ni la citoyenneté des suspects et des prévenus." nl="Niet verzameld door deze bronnen: de extracten van de politie en het parket registreren geslacht noch nationaliteit van verdachten."
  footnote SUSP M "Not collected by these sources: the police and prosecution extracts do not record the sex or citizenship of suspects and defendants." fr="Non collecté par ces sources : les extraits de la police et du parquet n'enregistrent ni le sexe ni la citoyenneté des suspects et des prévenus." nl="Niet verzameld door deze bronnen: de extracten van de politie en het parket registreren geslacht noch nationaliteit van verdachten."
  footnote SUSP UNK "Not collected by these sources: the police and prosecution extracts do not record the sex or citizenship of suspects and defendants." fr="Non collecté par ces sources : les extraits de la police et du parquet n'enregistrent ni le sexe ni la citoyenneté des suspects et des prévenus." nl="Niet verzameld door deze bronnen: de extracten van de politie en het parket registreren geslacht noch nationaliteit van verdachten."
  footnote PROS F "Not collected by these sources: the police and prosecution extracts do not record the sex or citizenship of suspects and defendants." fr="Non collecté par ces sources : les extraits de la police et du parquet n'enregistrent ni le sexe ni la citoyenneté des suspects et des prévenus." nl="Niet verzameld door deze bronnen: de extracten van de politie en het parket registreren geslacht noch nationaliteit van verdachten."
  footnote PROS M "Not collected by these sources: the police and prosecution extracts do not record the sex or citizenship of suspects and defendants." fr="Non collecté par ces sources : les extraits de la police et du parquet n'enregistrent ni le sexe ni la citoyenneté des suspects et des prévenus." nl="Niet verzameld door deze bronnen: de extracten van de politie en het parket registreren geslacht noch nationaliteit van verdachten."
  footnote PROS UNK "Not collected by these sources: the police and prosecution extracts do not record the sex or citizenship of suspects and defendants." fr="Non collecté par ces sources : les extraits de la police et du parquet n'enregistrent ni le sexe ni la citoyenneté des suspects et des prévenus." nl="Niet verzameld door deze bronnen: de extracten van de politie en het parket registreren geslacht noch nationaliteit van verdachten."
  footnote CONV * "Convicted persons: one conviction bulletin per person and judgment, in the year of judgment; the latest year is provisional while bulletins arrive." fr="Personnes condamnées : un bulletin de condamnation par personne et par jugement, l'année du jugement ; la dernière année est provisoire tant que les bulletins arrivent." nl="Veroordeelde personen: één veroordelingsbulletin per persoon en vonnis, in het jaar van het vonnis; het laatste jaar is voorlopig zolang er bulletins binnenkomen."

table offenders_citizenship "Suspected, prosecuted and convicted persons by citizenship" fr="Personnes suspectées, poursuivies et condamnées par citoyenneté" nl="Verdachte, vervolgde en veroordeelde personen naar nationaliteit"
  rows stage
  cols citizenship
  na SUSP NAT
  na SUSP EU
  na SUSP NONEU
  na SUSP UNK
  na PROS NAT
  na PROS EU
  na PROS NONEU
  na PROS UNK
  footnote SUSP * "Suspects are added up per registered fact: the police extract has no person reference, so a person suspected in two facts counts twice." fr="Les suspects sont additionnés par fait enregistré : l'extrait de la police n'a pas de référence de personne, de sorte qu'une personne suspectée dans deux faits compte deux fois." nl="Verdachten worden per geregistreerd feit opgeteld: het extract van de politie heeft geen persoonsreferentie, zodat een persoon die in twee feiten verdacht wordt twee keer telt." status=d
  footnote PROS * "Defendants are added up per case sent to court or to an investigating judge: a person in two cases counts twice; where the extract leaves the number empty, the figure is a lower bound or not known." fr="Les prévenus sont additionnés par affaire portée devant le tribunal ou le juge d'instruction : une personne dans deux affaires compte deux fois ; lorsque l'extrait laisse le nombre vide, le chiffre est un minimum ou inconnu." nl="Verdachten worden opgeteld per zaak die naar de rechtbank of de onderzoeksrechter gaat: een persoon in twee zaken telt twee keer; waar het extract het aantal leeg laat, is het cijfer een minimum of onbekend." status=d
  footnote SUSP NAT "Not collected by these sources: the police and prosecution extracts do not record the sex or citizenship of suspects and defendants." fr="Non collecté par ces sources : les extraits de la police et du parquet n'enregistrent ni le sexe ni la citoyenneté des suspects et des prévenus." nl="Niet verzameld door deze bronnen: de extracten van de politie en het parket registreren geslacht noch nationaliteit van verdachten."
  footnote SUSP EU "Not collected by these sources: the police and prosecution extracts do not record the sex or citizenship of suspects and defendants." fr="Non collecté par ces sources : les extraits de la police et du parquet n'enregistrent ni le sexe ni la citoyenneté des suspects et des prévenus." nl="Niet verzameld door deze bronnen: de extracten van de politie en het parket registreren geslacht noch nationaliteit van verdachten."
  footnote SUSP NONEU "Not collected by these sources: the police and prosecution extracts do not record the sex or citizenship of suspects and defendants." fr="Non collecté par ces sources : les extraits de la police et du parquet n'enregistrent ni le sexe ni la citoyenneté des suspects et des prévenus." nl="Niet verzameld door deze bronnen: de extracten van de politie en het parket registreren geslacht noch nationaliteit van verdachten."
  footnote SUSP UNK "Not collected by these sources: the police and prosecution extracts do not record the sex or citizenship of suspects and defendants." fr="Non collecté par ces sources : les extraits de la police et du parquet n'enregistrent ni le sexe ni la citoyenneté des suspects et des prévenus." nl="Niet verzameld door deze bronnen: de extracten van de politie en het parket registreren geslacht noch nationaliteit van verdachten."
  footnote PROS NAT "Not collected by these sources: the police and prosecution extracts do not record the sex or citizenship of suspects and defendants." fr="Non collecté par ces sources : les extraits de la police et du parquet n'enregistrent ni le sexe ni la citoyenneté des suspects et des prévenus." nl="Niet verzameld door deze bronnen: de extracten van de politie en het parket registreren geslacht noch nationaliteit van verdachten."
  footnote PROS EU "Not collected by these sources: the police and prosecution extracts do not record the sex or citizenship of suspects and defendants." fr="Non collecté par ces sources : les extraits de la police et du parquet n'enregistrent ni le sexe ni la citoyenneté des suspects et des prévenus." nl="Niet verzameld door deze bronnen: de extracten van de politie en het parket registreren geslacht noch nationaliteit van verdachten."
  footnote PROS NONEU "Not collected by these sources: the police and prosecution extracts do not record the sex or citizenship of suspects and defendants." fr="Non collecté par ces sources : les extraits de la police et du parquet n'enregistrent ni le sexe ni la citoyenneté des suspects et des prévenus." nl="Niet verzameld door deze bronnen: de extracten van de politie en het parket registreren geslacht noch nationaliteit van verdachten."
  footnote PROS UNK "Not collected by these sources: the police and prosecution extracts do not record the sex or citizenship of suspects and defendants." fr="Non collecté par ces sources : les extraits de la police et du parquet n'enregistrent ni le sexe ni la citoyenneté des suspects et des prévenus." nl="Niet verzameld door deze bronnen: de extracten van de politie en het parket registreren geslacht noch nationaliteit van verdachten."
  footnote CONV * "Convicted persons: one conviction bulletin per person and judgment, in the year of judgment; the latest year is provisional while bulletins arrive." fr="Personnes condamnées : un bulletin de condamnation par personne et par jugement, l'année du jugement ; la dernière année est provisoire tant que les bulletins arrivent." nl="Veroordeelde personen: één veroordelingsbulletin per persoon en vonnis, in het jaar van het vonnis; het laatste jaar is voorlopig zolang er bulletins binnenkomen."

table offenders_form "Suspected, prosecuted and convicted persons by form of exploitation" fr="Personnes suspectées, poursuivies et condamnées par forme d'exploitation" nl="Verdachte, vervolgde en veroordeelde personen naar uitbuitingsvorm"
  rows stage
  cols form
  footnote SUSP * "Suspects are added up per registered fact: the police extract has no person reference, so a person suspected in two facts counts twice." fr="Les suspects sont additionnés par fait enregistré : l'extrait de la police n'a pas de référence de personne, de sorte qu'une personne suspectée dans deux faits compte deux fois." nl="Verdachten worden per geregistreerd feit opgeteld: het extract van de politie heeft geen persoonsreferentie, zodat een persoon die in twee feiten verdacht wordt twee keer telt." status=d
  footnote PROS * "Defendants are added up per case sent to court or to an investigating judge: a person in two cases counts twice; where the extract leaves the number empty, the figure is a lower bound or not known." fr="Les prévenus sont additionnés par affaire portée devant le tribunal ou le juge d'instruction : une personne dans deux affaires compte deux fois ; lorsque l'extrait laisse le nombre vide, le chiffre est un minimum ou inconnu." nl="Verdachten worden opgeteld per zaak die naar de rechtbank of de onderzoeksrechter gaat: een persoon in twee zaken telt twee keer; waar het extract het aantal leeg laat, is het cijfer een minimum of onbekend." status=d
  footnote CONV * "Convicted persons: one conviction bulletin per person and judgment, in the year of judgment; the latest year is provisional while bulletins arrive." fr="Personnes condamnées : un bulletin de condamnation par personne et par jugement, l'année du jugement ; la dernière année est provisoire tant que les bulletins arrivent." nl="Veroordeelde personen: één veroordelingsbulletin per persoon en vonnis, in het jaar van het vonnis; het laatste jaar is voorlopig zolang er bulletins binnenkomen."

table convicted_citizenship_sex "Convicted persons by citizenship and sex" fr="Personnes condamnées par citoyenneté et sexe" nl="Veroordeelde personen naar nationaliteit en geslacht"
  use item=conviction.persons offence=THB @LEG_STAT=PER_CNV
  rows citizenship
  cols sex
  footnote * * "Convicted persons: one conviction bulletin per person and judgment, in the year of judgment; the latest year is provisional while bulletins arrive." fr="Personnes condamnées : un bulletin de condamnation par personne et par jugement, l'année du jugement ; la dernière année est provisoire tant que les bulletins arrivent." nl="Veroordeelde personen: één veroordelingsbulletin per persoon en vonnis, in het jaar van het vonnis; het laatste jaar is voorlopig zolang er bulletins binnenkomen."

table convicted_form_sex "Convicted persons by form of exploitation and sex" fr="Personnes condamnées par forme d'exploitation et sexe" nl="Veroordeelde personen naar uitbuitingsvorm en geslacht"
  use item=conviction.persons offence=THB @LEG_STAT=PER_CNV
  rows form
  cols sex
  footnote * * "Convicted persons: one conviction bulletin per person and judgment, in the year of judgment; the latest year is provisional while bulletins arrive." fr="Personnes condamnées : un bulletin de condamnation par personne et par jugement, l'année du jugement ; la dernière année est provisoire tant que les bulletins arrivent." nl="Veroordeelde personen: één veroordelingsbulletin per persoon en vonnis, in het jaar van het vonnis; het laatste jaar is voorlopig zolang er bulletins binnenkomen."
