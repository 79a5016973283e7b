# tip.q — the US Department of State's Trafficking in Persons (TIP)
# report: the figures its Belgium narrative quotes, and a draft of those
# paragraphs in the report's own style.  Format: docs/QUESTIONNAIRES.md.
#
# The TIP report for year Y+1 covers the reporting year Y (--year Y).  Court
# figures lag: conviction bulletins of year Y are still arriving when the
# report is written, so the narrative quotes convictions of Y-1 and
# compares them with Y-2 (year=-1, year=-2 below), as past reports did.
#
# Items: investigations = cases entering a prosecutor's office
# (prosecution.cases_in: ITEMS.md defines it as the "investigations" of
# international reports); prosecutions = cases sent to court or to an
# investigating judge, and the defendants in them (often left empty in the
# extract: "an unknown number of defendants"); convictions, prison terms
# and suspended terms from the criminal record; victims identified = taken
# into care by the specialised centres (as for Eurostat and GRETA).  All
# offence THB (trafficking), not smuggling.
#
# In sentences, {ANSWER} is the figure as the narrative says it: a number,
# "at least N" for a lower bound, "an unknown number of" when not known
# (never 0), "an undisclosed number of" when withheld; {ANSWER:short} says
# "unknown"/"undisclosed" instead; {ANSWER:year} is its year;
# {cmp:A,B} compares A with B from the data ("an increase from", "a
# decrease from", "the same as", or "compared with" when either is not
# known exactly).

questionnaire tip
title "US Trafficking in Persons report: Belgium" fr="Rapport des États-Unis sur la traite des personnes : Belgique" nl="Amerikaans rapport over mensenhandel: België"
recipient "US Department of State, via the US Embassy in Brussels"
suppress 3
protect persons documents

same conviction.prison_suspended = conviction.prison suspension=PARTIAL,FULL

table figures "Figures for the Belgium narrative" fr="Chiffres pour le chapitre Belgique" nl="Cijfers voor het hoofdstuk België"
  use offence=THB
  col v "Figure" fr="Chiffre" nl="Cijfer"
  row investigations        "Cases investigated, {year}"        item=prosecution.cases_in
  row investigations_prev   "Cases investigated, {year-1}"      item=prosecution.cases_in year=-1
  row prosecuted_cases      "Cases prosecuted, {year}"          item=prosecution.cases_prosecuted
  row prosecuted_cases_prev "Cases prosecuted, {year-1}"        item=prosecution.cases_prosecuted year=-1
  row defendants            "Defendants prosecuted, {year}"     item=prosecution.defendants_prosecuted
  row defendants_prev       "Defendants prosecuted, {year-1}"   item=prosecution.defendants_prosecuted year=-1
  row convicted             "Traffickers convicted, {year-1}"   item=conviction.persons year=-1
  row convicted_prev        "Traffickers convicted, {year-2}"   item=conviction.persons year=-2
  row prison                "Sentenced to prison terms, {year-1}" item=conviction.prison year=-1
  row prison_prev           "Sentenced to prison terms, {year-2}" item=conviction.prison year=-2
  row suspended             "Prison terms suspended in part or in full, {year-1}" item=conviction.prison_suspended year=-1
  row suspended_prev        "Prison terms suspended in part or in full, {year-2}" item=conviction.prison_suspended year=-2
  row victims               "Victims identified (taken into care), {year}"   item=shelter.victims_admitted offence=-
  row victims_prev          "Victims identified (taken into care), {year-1}" item=shelter.victims_admitted year=-1 offence=-
  row documents             "Residence documents issued to victims, {year}"  item=immigration.documents
  row documents_prev        "Residence documents issued to victims, {year-1}" item=immigration.documents year=-1

text draft "Draft text for the Belgium narrative" fr="Projet de texte pour le chapitre Belgique" nl="Ontwerptekst voor het hoofdstuk België"
  sentence "Authorities investigated {investigations} cases in {investigations:year}, compared with {investigations_prev} cases in {investigations_prev:year}."
  sentence "The government prosecuted {defendants} defendants in {prosecuted_cases} cases in {prosecuted_cases:year}, compared with {defendants_prev} defendants in {prosecuted_cases_prev} cases in {prosecuted_cases_prev:year}."
  sentence "Courts convicted {convicted} traffickers in {convicted:year}, {cmp:convicted,convicted_prev} {convicted_prev:short} in {convicted_prev:year}."
  sentence "Courts sentenced {prison} convicted traffickers to prison terms in {prison:year} ({prison_prev:short} in {prison_prev:year}); however, {suspended:short} of the sentences were suspended or partially suspended ({suspended_prev:short} in {suspended_prev:year})."
  sentence "The government identified {victims} victims in {victims:year}, {cmp:victims,victims_prev} {victims_prev:short} in {victims_prev:year}, and issued {documents} residence documents to victims under the victim procedure ({documents_prev:short} in {documents_prev:year})."
  note "Court figures are for the year before the reporting year: conviction bulletins are registered with a delay, so the latest complete year is quoted."
