# tip.q — the US Department of State's Trafficking in Persons (TIP)
# report: the figures its Belgium section quotes, and a draft of those
# sentences in the report's own style and order (the 2022 report's
# Belgium section: ../shared/reference/tip-2022-belgium.txt).  Format:
# docs/QUESTIONNAIRES.md.
#
# The TIP report for year Y+1 covers the reporting year Y (--year Y).  Court
# figures lag: conviction bulletins of year Y are still arriving when the
# report is written, so the narrative quotes convictions of Y-1, "the most
# recent year for which data was available", and compares them with Y-2.
#
# The draft is English whatever --lang says (the TIP report is English);
# --lang fr|nl translates the figures table and the notes only, so that no
# sentence mixes two languages.
#
# Items: investigations = cases entering a prosecutor's office
# (prosecution.cases_in: ITEMS.md's "investigations" of international
# reports); prosecutions = cases sent to court or to an investigating
# judge over three years, and the defendants in them (often left empty:
# "an unknown number of defendants"); convictions, prison terms by length
# and suspended terms from the criminal record; victims identified = taken
# into care by the specialised centres (shelter.victims_admitted), by form, age and who referred them; referrals to the
# centres against those taken into care; residence documents; potential
# victims referred by the social inspectorates.  Offence THB (trafficking,
# never smuggling) for the items that have an offence.
#
# In sentences, {ANSWER} is the figure as the narrative says it: a number
# (one to nine in words, as the report writes them), "at least N" for a
# lower bound, "an unknown number of" when not known (never 0), "an
# undisclosed number of" when withheld; {ANSWER:short} says "an unknown
# number" / "an undisclosed number" instead; {ANSWER:year} is its year;
# {cmp:A,B} compares A with B from the data.

questionnaire tip
title "US Trafficking in Persons report: Belgium" fr="Rapport des États-Unis sur la traite des personnes : Belgique" nl="Amerikaans rapport over mensenhandel: België"
recipient "US Department of State, via the US Embassy in Brussels"
suppress 3
protect persons documents

same conviction.prison_suspended = conviction.prison suspension=PARTIAL,FULL

table figures "Figures for the Belgium narrative" fr="Chiffres pour le chapitre Belgique" nl="Cijfers voor het hoofdstuk België"
  use offence=THB
  col v "Figure" fr="Chiffre" nl="Cijfer"
  row investigations        "Cases investigated, {year}"   fr="Affaires instruites, {year}"   nl="Onderzochte zaken, {year}"   item=prosecution.cases_in
  row investigations_prev   "Cases investigated, {year-1}" fr="Affaires instruites, {year-1}" nl="Onderzochte zaken, {year-1}" item=prosecution.cases_in year=-1
  row prosecuted_cases      "Cases prosecuted, {year}"     fr="Affaires poursuivies, {year}"   nl="Vervolgde zaken, {year}"   item=prosecution.cases_prosecuted
  row prosecuted_cases_prev "Cases prosecuted, {year-1}"   fr="Affaires poursuivies, {year-1}" nl="Vervolgde zaken, {year-1}" item=prosecution.cases_prosecuted year=-1
  row prosecuted_cases_prev2 "Cases prosecuted, {year-2}"  fr="Affaires poursuivies, {year-2}" nl="Vervolgde zaken, {year-2}" item=prosecution.cases_prosecuted year=-2
  row defendants            "Defendants prosecuted, {year}"   fr="Prévenus poursuivis, {year}"   nl="Vervolgde verdachten, {year}"   item=prosecution.defendants_prosecuted
  row defendants_prev       "Defendants prosecuted, {year-1}" fr="Prévenus poursuivis, {year-1}" nl="Vervolgde verdachten, {year-1}" item=prosecution.defendants_prosecuted year=-1
  row defendants_prev2      "Defendants prosecuted, {year-2}" fr="Prévenus poursuivis, {year-2}" nl="Vervolgde verdachten, {year-2}" item=prosecution.defendants_prosecuted year=-2
  row convicted             "Traffickers convicted, {year-1}" fr="Trafiquants condamnés, {year-1}" nl="Veroordeelde mensenhandelaars, {year-1}" item=conviction.persons year=-1
  row convicted_prev        "Traffickers convicted, {year-2}" fr="Trafiquants condamnés, {year-2}" nl="Veroordeelde mensenhandelaars, {year-2}" item=conviction.persons year=-2
  row prison                "Sentenced to prison terms, {year-1}" fr="Condamnés à une peine de prison, {year-1}" nl="Veroordeeld tot een gevangenisstraf, {year-1}" item=conviction.prison year=-1
  row prison_prev           "Sentenced to prison terms, {year-2}" fr="Condamnés à une peine de prison, {year-2}" nl="Veroordeeld tot een gevangenisstraf, {year-2}" item=conviction.prison year=-2
  row suspended             "Prison terms suspended in part or in full, {year-1}" fr="Peines de prison avec sursis partiel ou total, {year-1}" nl="Gevangenisstraffen met gedeeltelijk of volledig uitstel, {year-1}" item=conviction.prison_suspended year=-1
  row suspended_prev        "Prison terms suspended in part or in full, {year-2}" fr="Peines de prison avec sursis partiel ou total, {year-2}" nl="Gevangenisstraffen met gedeeltelijk of volledig uitstel, {year-2}" item=conviction.prison_suspended year=-2
  row band_lt12             "Prison terms under one year, {year-1}" fr="Peines de prison de moins d'un an, {year-1}" nl="Gevangenisstraffen van minder dan een jaar, {year-1}" item=conviction.prison year=-1 sentence_band=LT12
  row band_lt12_prev        "Prison terms under one year, {year-2}" fr="Peines de prison de moins d'un an, {year-2}" nl="Gevangenisstraffen van minder dan een jaar, {year-2}" item=conviction.prison year=-2 sentence_band=LT12
  row band_12_36            "Prison terms of one to three years, {year-1}" fr="Peines de prison d'un à trois ans, {year-1}" nl="Gevangenisstraffen van een tot drie jaar, {year-1}" item=conviction.prison year=-1 sentence_band=12_36
  row band_36_60            "Prison terms of three to five years, {year-1}" fr="Peines de prison de trois à cinq ans, {year-1}" nl="Gevangenisstraffen van drie tot vijf jaar, {year-1}" item=conviction.prison year=-1 sentence_band=36_60
  row band_60_120           "Prison terms of five to ten years, {year-1}" fr="Peines de prison de cinq à dix ans, {year-1}" nl="Gevangenisstraffen van vijf tot tien jaar, {year-1}" item=conviction.prison year=-1 sentence_band=60_120
  row band_ge120            "Prison terms of ten years or more, {year-1}" fr="Peines de prison de dix ans ou plus, {year-1}" nl="Gevangenisstraffen van tien jaar of meer, {year-1}" item=conviction.prison year=-1 sentence_band=GE120
  row victims               "Victims identified (taken into care), {year}"   fr="Victimes identifiées (accueillies), {year}"   nl="Geïdentificeerde slachtoffers (opgenomen), {year}"   item=shelter.victims_admitted offence=-
  row victims_prev          "Victims identified (taken into care), {year-1}" fr="Victimes identifiées (accueillies), {year-1}" nl="Geïdentificeerde slachtoffers (opgenomen), {year-1}" item=shelter.victims_admitted offence=- year=-1
  row victims_prev2         "Victims identified (taken into care), {year-2}" fr="Victimes identifiées (accueillies), {year-2}" nl="Geïdentificeerde slachtoffers (opgenomen), {year-2}" item=shelter.victims_admitted offence=- year=-2
  row victims_lab           "Victims identified, labour exploitation, {year}" fr="Victimes identifiées, exploitation économique, {year}" nl="Geïdentificeerde slachtoffers, economische uitbuiting, {year}" item=shelter.victims_admitted offence=- form=LAB
  row victims_sex           "Victims identified, sexual exploitation, {year}" fr="Victimes identifiées, exploitation sexuelle, {year}" nl="Geïdentificeerde slachtoffers, seksuele uitbuiting, {year}" item=shelter.victims_admitted offence=- form=SEX
  row victims_oth           "Victims identified, other or unspecified forms, {year}" fr="Victimes identifiées, formes autres ou non précisées, {year}" nl="Geïdentificeerde slachtoffers, andere of onbepaalde vormen, {year}" item=shelter.victims_admitted offence=- form=BEG,CRIM,ORG,OTH,UNK
  row children              "Child victims identified, {year}"   fr="Enfants victimes identifiés, {year}"   nl="Geïdentificeerde minderjarige slachtoffers, {year}"   item=shelter.victims_admitted offence=- age_group=MINOR
  row children_prev         "Child victims identified, {year-1}" fr="Enfants victimes identifiés, {year-1}" nl="Geïdentificeerde minderjarige slachtoffers, {year-1}" item=shelter.victims_admitted offence=- age_group=MINOR year=-1
  row by_police             "Victims identified, referred by the police, {year}" fr="Victimes identifiées, orientées par la police, {year}" nl="Geïdentificeerde slachtoffers, doorverwezen door de politie, {year}" item=shelter.victims_admitted offence=- referrer=POLICE
  row by_ngo                "Victims identified, referred by NGOs, {year}" fr="Victimes identifiées, orientées par des ONG, {year}" nl="Geïdentificeerde slachtoffers, doorverwezen door ngo's, {year}" item=shelter.victims_admitted offence=- referrer=NGO
  row by_social             "Victims identified, referred by social services, {year}" fr="Victimes identifiées, orientées par les services sociaux, {year}" nl="Geïdentificeerde slachtoffers, doorverwezen door sociale diensten, {year}" item=shelter.victims_admitted offence=- referrer=SOCIAL
  row by_insp               "Victims identified, referred by inspectors, {year}" fr="Victimes identifiées, orientées par les inspections, {year}" nl="Geïdentificeerde slachtoffers, doorverwezen door inspectiediensten, {year}" item=shelter.victims_admitted offence=- referrer=INSP
  row by_self               "Victims identified, self-referred, {year}" fr="Victimes identifiées, venues d'elles-mêmes, {year}" nl="Geïdentificeerde slachtoffers, op eigen initiatief, {year}" item=shelter.victims_admitted offence=- referrer=SELF
  row referrals             "Referrals to the specialised centres, {year}"   fr="Orientations vers les centres spécialisés, {year}"   nl="Doorverwijzingen naar de gespecialiseerde centra, {year}"   item=shelter.referrals offence=-
  row referrals_prev        "Referrals to the specialised centres, {year-1}" fr="Orientations vers les centres spécialisés, {year-1}" nl="Doorverwijzingen naar de gespecialiseerde centra, {year-1}" item=shelter.referrals offence=- year=-1
  row documents             "Residence documents issued to victims, {year}"  fr="Documents de séjour délivrés aux victimes, {year}"  nl="Verblijfsdocumenten afgegeven aan slachtoffers, {year}"  item=immigration.documents
  row documents_prev        "Residence documents issued to victims, {year-1}" fr="Documents de séjour délivrés aux victimes, {year-1}" nl="Verblijfsdocumenten afgegeven aan slachtoffers, {year-1}" item=immigration.documents year=-1
  row inspectors_referred   "Potential victims referred by the social inspectorates, {year}" fr="Victimes potentielles orientées par les inspections sociales, {year}" nl="Potentiële slachtoffers doorverwezen door de sociale inspectiediensten, {year}" item=inspection.victims_referred offence=-

text draft "Draft text for the Belgium narrative" fr="Projet de texte pour le chapitre Belgique (en anglais, comme le rapport)" nl="Ontwerptekst voor het hoofdstuk België (in het Engels, zoals het rapport)"
  sentence "Authorities investigated {investigations} cases in {investigations:year}, compared with {investigations_prev} cases in {investigations_prev:year}."
  sentence "The government prosecuted {defendants} defendants in {prosecuted_cases} cases in {prosecuted_cases:year}, {cmp:prosecuted_cases,prosecuted_cases_prev} {defendants_prev} defendants in {prosecuted_cases_prev} cases in {prosecuted_cases_prev:year} and {defendants_prev2} defendants in {prosecuted_cases_prev2} cases in {prosecuted_cases_prev2:year}."
  sentence "Authorities reported {convicted} convictions in {convicted:year}, the most recent year for which data was available, compared with {convicted_prev} convictions in {convicted_prev:year}."
  sentence "Courts sentenced {prison} convicted traffickers to prison terms in {prison:year} ({prison_prev:short} in {prison_prev:year}); however, {suspended:short} of the sentences were suspended or partially suspended ({suspended_prev:short} in {suspended_prev:year})."
  sentence "Of the prison sentences issued, including those that were suspended or partially suspended, {band_lt12:short} ({band_lt12_prev:short} in {band_lt12_prev:year}) were for less than one year, {band_12_36:short} were for one to three years, {band_36_60:short} were for three to five years, {band_60_120:short} were for five to 10 years, and {band_ge120:short} were for 10 years or more."
  sentence "The government formally identified and assisted {victims} victims in {victims:year} (including {victims_lab} victims of labor exploitation, {victims_sex} victims of sexual exploitation, and {victims_oth} victims of other or unspecified forms of exploitation), {cmp:victims,victims_prev} {victims_prev:short} in {victims_prev:year} and {victims_prev2:short} in {victims_prev2:year}."
  sentence "Of these victims, law enforcement referred {by_police:short}, NGOs {by_ngo:short}, social services {by_social:short} and labor inspectors {by_insp:short}; {by_self} victims self-identified."
  sentence "The government identified {children} child victims in {children:year} ({children_prev:short} in {children_prev:year})."
  sentence "The three government-funded shelters received {referrals} referrals of victims and potential victims in {referrals:year}, compared with {referrals_prev} referrals in {referrals_prev:year}, and took {victims:short} of them into care as victims."
  sentence "The government issued {documents} residence permits for trafficking victims in {documents:year}, compared with {documents_prev:short} in {documents_prev:year}."
  sentence "Labor inspectors referred {inspectors_referred} potential victims to authorities for further review in {inspectors_referred:year}."
  note "Court figures are for the year before the reporting year: conviction bulletins are registered with a delay, so the latest complete year is quoted." fr="Les chiffres des tribunaux portent sur l'année précédant l'année de rapport : les bulletins de condamnation sont enregistrés avec retard, de sorte que la dernière année complète est citée." nl="De cijfers van de rechtbanken gaan over het jaar vóór het rapportagejaar: veroordelingsbulletins worden met vertraging geregistreerd, dus wordt het laatste volledige jaar geciteerd."
  note "The draft is in English, as the TIP report is; the figures table and these notes follow the chosen language." fr="Le projet est en anglais, comme le rapport TIP ; le tableau des chiffres et ces notes suivent la langue choisie." nl="Het ontwerp is in het Engels, zoals het TIP-rapport; de cijfertabel en deze opmerkingen volgen de gekozen taal."
