/* words.c — owns the fixed words of the outputs ("not known", the flag
 * legend, "Source", "Definitions", "as of"...) in English, French and
 * Dutch.  They live in this one table so a translator edits one place and
 * no module grows its own if (lang) chain.  The file is UTF-8; the
 * no-break spaces are spelled as macros because they are invisible. */
#include <ctype.h>
#include <string.h>
#include "ciatteh/render.h"
#include "ciatteh/util.h"

#define NBSP "\xc2\xa0"   /* U+00A0: French puts it before ':' */

static const struct word {
    const char *key, *en, *fr, *nl;
} words[] = {
    /* Marker printed in place of a number nobody knows; never 0. */
    { "not_known", "n.k.", "inc.", "onb." },
    { "not_known_long", "not known", "inconnu", "onbekend" },
    { "legend", "Legend", "Légende", "Legenda" },
    { "flag_u", "lower bound: the true figure is at least this",
                "borne inférieure" NBSP ": le chiffre réel est au moins celui-ci",
                "ondergrens: het werkelijke cijfer is minstens dit" },
    { "flag_p", "provisional", "provisoire", "voorlopig" },
    { "flag_c", "withheld for confidentiality",
                "confidentiel, non publié",
                "vertrouwelijk, niet gepubliceerd" },
    { "flags", "flags", "marques", "vlaggen" },   /* fr: not « indicateurs », the items' word (« Indicateur ») */
    /* One word per cell state (table.h enum cia_state), and a short mark
     * for tables and notes.  "n.k." has one meaning only: delivered, but
     * the value is unknown.  A year nobody delivered and a year that falls
     * outside every delivery have words and marks of their own. */
    { "st_known", "", "", "" },
    { "st_zero", "delivered zero", "zéro livré", "geleverde nul" },
    { "st_lower", "lower bound", "borne inférieure", "ondergrens" },
    { "st_not_delivered", "not delivered", "non livré", "niet geleverd" },
    { "st_incomplete", "incomplete year", "année incomplète", "onvolledig jaar" },
    { "st_withheld", "withheld for confidentiality", "confidentiel, non publié",
                     "vertrouwelijk, niet gepubliceerd" },
    { "st_not_known", "not known", "inconnu", "onbekend" },
    { "st_provisional", "provisional (late records still arriving)",
                        "provisoire (des enregistrements tardifs arrivent encore)",
                        "voorlopig (laattijdige registraties komen nog binnen)" },
    { "mark_known", "", "", "" },
    { "mark_zero", "0", "0", "0" },
    { "mark_lower", "\xe2\x89\xa5", "\xe2\x89\xa5", "\xe2\x89\xa5" },   /* ≥ */
    { "mark_not_delivered", "n.d.", "n.l.", "n.g." },
    { "mark_incomplete", "incompl.", "incompl.", "onvoll." },
    { "mark_withheld", "conf.", "conf.", "vertr." },
    { "mark_not_known", "n.k.", "inc.", "onb." },
    { "mark_provisional", "prov.", "prov.", "voorl." },
    { "records_unknown", "records left these figures unknown", "enregistrements ont laissé ces chiffres inconnus",
                         "records lieten deze cijfers onbekend" },
    { "records_unknown_cell", "\xe2\x80\x9cN n.k.\xe2\x80\x9d beside it: N records left its value unknown",
                              "\xc2\xab" NBSP "N inc." NBSP "\xc2\xbb \xc3\xa0 c\xc3\xb4t\xc3\xa9" NBSP ": N enregistrements ont laiss\xc3\xa9 sa valeur inconnue",
                              "\xe2\x80\x9eN onb.\xe2\x80\x9d ernaast: N records lieten de waarde onbekend" },
    { "records_unknown_1", "record left these figures unknown", "enregistrement a laissé ces chiffres inconnus",
                           "record liet deze cijfers onbekend" },
    { "chart_p_bars", " (lighter bars)", " (barres plus claires)", " (lichtere staven)" },
    { "notes", "Notes", "Notes", "Opmerkingen" },
    { "source", "Source", "Source", "Bron" },
    { "definitions", "Definitions", "Définitions", "Definities" },
    { "as_of", "Data as of", "Situation des données", "Stand van de gegevens" },
    { "current", "latest deliveries", "dernières livraisons", "laatste leveringen" },
    { "colon", ": ", NBSP ": ", ": " },
    { "semicolon", "; ", NBSP "; ", "; " },
    { "no_rows", "(no data)", "(aucune donnée)", "(geen gegevens)" },
    { "wide_table", "(Wider than the terminal: columns shown in blocks. The whole table: --format csv or -o FILE.xlsx.)",
                    "(Plus large que le terminal" NBSP ": colonnes par blocs. Tableau entier" NBSP ": --format csv ou -o FICHIER.xlsx.)",
                    "(Breder dan de terminal: kolommen in blokken. De hele tabel: --format csv of -o BESTAND.xlsx.)" },
    { "deliveries", "Deliveries used", "Livraisons utilisées", "Gebruikte leveringen" },
    { "report", "Report", "Rapport", "Rapport" },

    /* ---- sheet names (render_xlsx.c): "sheet_REPORT_TABLE" or
     * "sheet_TABLE" (the pack's table ids), within Excel's 31 characters
     * with the smuggling prefix (sheet_smug) in front where the pack's
     * smuggling chapter uses it; test_render checks.  Questionnaire
     * tables keep their ids, the questionnaire's own table names. */
    { "sheet_smug", "Smuggling \xe2\x80\x93 ", "Trafic \xe2\x80\x93 ", "Smokkel \xe2\x80\x93 " },
    { "sheet_yoy", "Items by year", "Éléments par année", "Items per jaar" },
    { "sheet_sentences_summary", "Sentences summary", "Condamnations, peines", "Straffen, overzicht" },
    { "sheet_sentences_bands", "Prison terms", "Durée des peines", "Duur van de straffen" },
    { "sheet_sentences_by_form", "Sentences by form", "Peines par forme", "Straffen naar vorm" },
    { "sheet_sentences_by_form_length", "Terms by form", "Durées par forme", "Duur naar vorm" },
    { "sheet_sentences_by_sex", "Sentences by sex", "Peines par sexe", "Straffen per geslacht" },
    { "sheet_sentences_by_sex_length", "Terms by sex", "Durées par sexe", "Duur per geslacht" },
    { "sheet_victims_overview", "Victims overview", "Victimes, vue d'ensemble", "Slachtoffers, overzicht" },
    { "sheet_victims_by_form", "Victims by form", "Victimes par forme", "Slachtoffers naar vorm" },
    { "sheet_victims_by_sex", "Victims by sex", "Victimes par sexe", "Slachtoffers per geslacht" },
    { "sheet_victims_by_age", "Victims by age", "Victimes par âge", "Slachtoffers per leeftijd" },
    { "sheet_victims_by_citizenship", "Victims by citizenship", "Victimes par citoyenneté", "Nationaliteitsgroepen" },
    { "sheet_victims_by_nationality", "Victims by nationality", "Victimes par nationalité", "Slachtoffers, nationaliteit" },
    { "sheet_victims_by_referrer", "Victims by referrer", "Victimes, orientation", "Slachtoffers, doorverwijzer" },
    { "sheet_victims_documents", "Residence documents", "Documents de séjour", "Verblijfsdocumenten" },
    { "sheet_victims_sectors", "Victims by sector", "Victimes par secteur", "Slachtoffers per sector" },
    { "sheet_chart_trend", "Chart \xe2\x80\x93 key figures", "Graphique \xe2\x80\x93 chiffres clés", "Grafiek \xe2\x80\x93 kerncijfers" },
    { "sheet_chart_sentences", "Chart \xe2\x80\x93 suspension", "Graphique \xe2\x80\x93 sursis", "Grafiek \xe2\x80\x93 uitstel" },
    { "sheet_chart_sentences_bands", "Chart \xe2\x80\x93 term lengths", "Graphique \xe2\x80\x93 durées", "Grafiek \xe2\x80\x93 strafduur" },
    { "sheet_chart_victims", "Chart \xe2\x80\x93 victims", "Graphique \xe2\x80\x93 victimes", "Grafiek \xe2\x80\x93 slachtoffers" },
    { "sheet_chart_referrals", "Chart \xe2\x80\x93 referrals", "Graphique \xe2\x80\x93 orientations", "Grafiek \xe2\x80\x93 doorverwijzing" },
    { "sheet_chart_documents", "Chart \xe2\x80\x93 documents", "Graphique \xe2\x80\x93 documents", "Grafiek \xe2\x80\x93 documenten" },
    { "sheet_chart_sectors", "Chart \xe2\x80\x93 sectors", "Graphique \xe2\x80\x93 secteurs", "Grafiek \xe2\x80\x93 sectoren" },
    { "sheet_chart_nationalities", "Chart \xe2\x80\x93 nationalities", "Graphique \xe2\x80\x93 nationalités", "Grafiek \xe2\x80\x93 nationaliteiten" },
    { "sheet_chart_bars", "Chart \xe2\x80\x93 bars", "Graphique \xe2\x80\x93 barres", "Grafiek \xe2\x80\x93 staven" },
    { "sheet_checks", "Check findings", "Constats des contrôles", "Vaststellingen" },
    { "sheet_check_rules", "Check rules", "Règles des contrôles", "Regels van de controles" },
    { "sheet_deliveries", "Deliveries used", "Livraisons utilisées", "Gebruikte leveringen" },

    /* ---- reports (reports/report*.c and the definitions they read) ---- */
    /* The offence every figure of a report, chart or table counts. */
    { "off_THB", "trafficking in human beings", "traite des êtres humains", "mensenhandel" },
    /* The catalogue's label of SMUG (schema/seed/code.csv): one term per
     * concept, the Belgian legal one. */
    { "off_SMUG", "smuggling of human beings", "trafic des êtres humains", "mensensmokkel" },
    /* A chart with the two offences as series: side by side, never added. */
    { "off_both", "trafficking and smuggling of human beings, side by side",
                  "traite et trafic des êtres humains, côte à côte",
                  "mensenhandel en mensensmokkel, naast elkaar" },
    /* Report titles. */
    { "rep_yoy", "Figures year on year", "Chiffres d'une année à l'autre", "Cijfers jaar op jaar" },
    { "rep_sentences", "Sentences", "Peines prononcées", "Straffen" },
    { "rep_victims", "Victims: shelters, residence documents and referrals",
                     "Victimes" NBSP ": accueil, documents de séjour et orientations",
                     "Slachtoffers: opvang, verblijfsdocumenten en doorverwijzingen" },
    /* Table titles and subtitles. */
    { "t_yoy", "Items by year", "Éléments par année", "Items per jaar" },
    { "t_sent_summary", "Convictions and sentences by year of judgment",
                        "Condamnations et peines par année du jugement",
                        "Veroordelingen en straffen per jaar van het vonnis" },
    { "t_sent_bands", "Prison terms by length and suspension",
                      "Peines de prison par durée et sursis",
                      "Gevangenisstraffen naar duur en uitstel" },
    { "t_sent_form", "Sentences by form of exploitation",
                     "Peines par forme d'exploitation",
                     "Straffen naar uitbuitingsvorm" },
    { "t_sent_sex", "Sentences by sex of the person convicted",
                    "Peines par sexe de la personne condamnée",
                    "Straffen naar geslacht van de veroordeelde" },
    { "t_sent_form_length", "Prison terms by form of exploitation and length",
                            "Peines de prison par forme d'exploitation et durée",
                            "Gevangenisstraffen naar uitbuitingsvorm en duur" },
    { "t_sent_sex_length", "Prison terms by sex and length",
                           "Peines de prison par sexe et durée",
                           "Gevangenisstraffen naar geslacht en duur" },
    { "sub_judgment_year", "by year of judgment", "par année du jugement", "per jaar van het vonnis" },
    { "t_vic_overview", "Victims, with the police and justice figures beside them",
                        "Les victimes, avec les chiffres de la police et de la justice en regard",
                        "Slachtoffers, met de cijfers van politie en justitie ernaast" },
    { "t_vic_form", "By form of exploitation", "Par forme d'exploitation", "Naar uitbuitingsvorm" },
    { "t_vic_sex", "By sex", "Par sexe", "Naar geslacht" },
    { "t_vic_age", "By age group", "Par groupe d'âge", "Naar leeftijdsgroep" },
    { "t_vic_citizenship", "By citizenship", "Par citoyenneté", "Naar nationaliteitsgroep" },
    { "t_vic_nationality", "The ten most frequent nationalities",
                           "Les dix nationalités les plus fréquentes",
                           "De tien meest voorkomende nationaliteiten" },
    { "t_vic_referrer", "By referrer", "Par instance d'orientation", "Naar doorverwijzer" },
    { "t_vic_documents", "Residence documents issued to victims, by type",
                         "Documents de séjour délivrés aux victimes, par type",
                         "Verblijfsdocumenten afgegeven aan slachtoffers, naar soort" },
    { "t_vic_sectors", "Inspectorates: potential victims referred, by sector",
                       "Inspections" NBSP ": victimes potentielles orientées, par secteur",
                       "Inspectiediensten: doorverwezen potentiële slachtoffers, naar sector" },
    { "sub_thb_only", "police, prosecution and courts: trafficking only",
                      "police, parquets et tribunaux" NBSP ": traite uniquement",
                      "politie, parketten en rechtbanken: enkel mensenhandel" },
    { "sub_top_by_total", "ranked by the total over the period",
                          "classées selon le total sur la période",
                          "gerangschikt volgens het totaal over de periode" },
    /* Column headings. */
    { "service", "Source", "Source", "Bron" },
    { "item", "Indicator", "Indicateur", "Indicator" },
    { "year", "Year", "Année", "Jaar" },
    { "breakdown", "Breakdown", "Ventilation", "Uitsplitsing" },
    { "total", "Total", "Total", "Totaal" },
    { "change", "Change", "Variation", "Verschil" },
    { "in_pct", "(%)", "(%)", "(%)" },
    { "other_codes", "other", "autres", "andere" },
    { "other_nationalities", "all other nationalities", "toutes les autres nationalités",
                             "alle andere nationaliteiten" },
    /* Row and column labels of the sentences report. */
    { "of_which_eff", "of which effective (not suspended)", "dont sans sursis", "waarvan zonder uitstel" },
    { "of_which_partial", "of which partially suspended", "dont avec sursis partiel",
                          "waarvan gedeeltelijk met uitstel" },
    { "of_which_full", "of which fully suspended", "dont avec sursis total", "waarvan volledig met uitstel" },
    { "of_which_susp_unk", "of which suspension not known", "dont sursis inconnu", "waarvan uitstel onbekend" },
    { "share_eff", "effective, % of prison terms", "sans sursis, % des peines de prison",
                   "zonder uitstel, % van de gevangenisstraffen" },
    { "share_partial", "partially suspended, % of prison terms", "sursis partiel, % des peines de prison",
                       "gedeeltelijk uitstel, % van de gevangenisstraffen" },
    { "share_full", "fully suspended, % of prison terms", "sursis total, % des peines de prison",
                    "volledig uitstel, % van de gevangenisstraffen" },
    { "share_susp", "suspended in part or in full, % of prison terms",
                    "avec sursis partiel ou total, % des peines de prison",
                    "met gedeeltelijk of volledig uitstel, % van de gevangenisstraffen" },
    { "col_persons", "Persons convicted", "Personnes condamnées", "Veroordeelde personen" },
    { "col_prison", "Prison terms", "Peines de prison", "Gevangenisstraffen" },
    { "col_eff", "Effective", "Sans sursis", "Zonder uitstel" },
    { "col_partial", "Partially suspended", "Sursis partiel", "Gedeeltelijk uitstel" },
    { "col_full", "Fully suspended", "Sursis total", "Volledig uitstel" },
    { "col_fines", "Fined", "Amende", "Geldboete" },
    { "col_confiscations", "Confiscation", "Confiscation", "Verbeurdverklaring" },
    { "col_susp_pct", "Suspended, % of prison terms", "Avec sursis, % des peines de prison",
                      "Met uitstel, % van de gevangenisstraffen" },
    /* Notes under the tables. */
    { "note_provisional", "Provisional (late records still arriving; figures may rise)",
                          "Provisoire (des enregistrements tardifs arrivent encore" NBSP "; les chiffres peuvent augmenter)",
                          "Voorlopig (laattijdige registraties komen nog binnen; de cijfers kunnen stijgen)" },
    { "note_derived_u", "A change or share computed from a figure marked (u) rests on that lower bound.",
                        "Une variation ou une part calculée à partir d'un chiffre marqué (u) repose sur cette borne inférieure.",
                        "Een verschil of aandeel berekend op een cijfer met (u) steunt op die ondergrens." },
    { "note_pct_undefined", "A change in % is left empty where the earlier year is 0.",
                            "La variation en % est laissée vide lorsque l'année de départ vaut 0.",
                            "Het verschil in % blijft leeg waar het vroegere jaar 0 is." },
    { "note_share_undefined", "A share is left empty where the whole is 0.",
                              "Une part est laissée vide lorsque le total vaut 0.",
                              "Een aandeel blijft leeg waar het geheel 0 is." },
    { "note_bands", "Prison terms in months, lower bound included; suspension as pronounced.",
                    "Peines de prison en mois, borne inférieure comprise" NBSP "; sursis tel que prononcé.",
                    "Gevangenisstraffen in maanden, ondergrens inbegrepen; uitstel zoals uitgesproken." },
    { "note_nationality_top", "Nationalities ranked by their total over the period; the rest are summed in one row.",
                              "Nationalités classées selon leur total sur la période" NBSP "; les autres sont additionnées sur une ligne.",
                              "Nationaliteiten gerangschikt volgens hun totaal over de periode; de overige staan samen op één rij." },
    { "note_uncovered", "Partial: no delivery covers the year yet, the figure counts the records of the years delivered (e.g. decisions on cases entered earlier)",
                        "Partiel" NBSP ": aucune livraison ne couvre encore l'année, le chiffre compte les enregistrements des années livrées (p. ex. décisions sur des affaires entrées plus tôt)",
                        "Gedeeltelijk: nog geen levering dekt het jaar, het cijfer telt de records van de geleverde jaren (bv. beslissingen over eerder ingestroomde zaken)" },
    { "scope_missing", "no data received from", "aucune donnée reçue de", "geen gegevens ontvangen van" },
    { "scope_missing_after", " (that year's figures cover the others only)",
                             " (les chiffres de cette année ne couvrent que les autres)",
                             " (de cijfers van dat jaar dekken enkel de andere)" },
    /* Provenance. */
    { "delivery", "delivery", "livraison", "levering" },
    { "loaded", "loaded on", "chargée le", "geladen op" },
    { "at_time", "at", "à", "om" },
    { "years_used", "years used", "années utilisées", "gebruikte jaren" },
    { "no_deliveries", "no delivery covers these years", "aucune livraison ne couvre ces années",
                       "geen enkele levering dekt deze jaren" },
    /* Definitions added by reports, "label: definition": the Definitions
     * sheet splits at the first colon, so French puts an ordinary space
     * before it here (the sheet trims it). */
    { "def_sep", ": ", " : ", ": " },
    { "def_not_known", "n.k. (not known): the service delivered the year, but not this value; it is never shown as 0",
                       "inc. (inconnu) : le service a livré l'année, mais pas cette valeur" NBSP "; jamais affiché comme 0",
                       "onb. (onbekend): de dienst leverde het jaar, maar niet deze waarde; nooit getoond als 0" },
    { "def_not_delivered", "n.d. (not delivered): no delivery of the service covers that year; it is not a figure",
                           "n.l. (non livré) : aucune livraison du service ne couvre cette année" NBSP "; ce n'est pas un chiffre",
                           "n.g. (niet geleverd): geen levering van de dienst dekt dat jaar; het is geen cijfer" },
    { "def_incomplete", "incompl. (incomplete year): records fall in that year, but no delivery covers it yet; never a figure, a change or a trend",
                        "incompl. (année incomplète) : des enregistrements tombent dans cette année, mais aucune livraison ne la couvre encore" NBSP "; jamais un chiffre, une variation ni une tendance",
                        "onvoll. (onvolledig jaar): er vallen records in dat jaar, maar nog geen levering dekt het; nooit een cijfer, verschil of trend" },
    { "def_zero", "0 (zero): the service delivered that year and no record counts there",
                  "0 (zéro) : le service a livré cette année et aucun enregistrement n'y est compté",
                  "0 (nul): de dienst leverde dat jaar en geen enkel record telt daar mee" },
    { "def_change", "Change: the later year minus the earlier one; in % of the earlier year",
                    "Variation : l'année la plus récente moins la précédente" NBSP "; en % de l'année précédente",
                    "Verschil: het latere jaar min het vroegere; in % van het vroegere jaar" },
    { "def_share", "Share (%): a figure divided by the whole it belongs to (e.g. suspended terms over all prison terms)",
                   "Part (%) : un chiffre divisé par le tout auquel il appartient (p. ex. peines avec sursis sur l'ensemble des peines de prison)",
                   "Aandeel (%): een cijfer gedeeld door het geheel waartoe het behoort (bv. straffen met uitstel op alle gevangenisstraffen)" },
    /* ---- data-quality checks (reports/check.c) ---- */
    { "check_error", "error", "erreur", "fout" },
    { "check_errors", "errors", "erreurs", "fouten" },
    { "check_warning", "warning", "avertissement", "waarschuwing" },
    { "check_warnings", "warnings", "avertissements", "waarschuwingen" },
    { "check_off", "off", "désactivée", "uitgeschakeld" },
    { "check_clean", "No problem found", "Aucun problème constaté", "Geen problemen gevonden" },
    { "check_rule_run", "rule run", "règle exécutée", "regel uitgevoerd" },
    { "check_rules_run", "rules run", "règles exécutées", "regels uitgevoerd" },
    { "check_years", "years", "années", "jaren" },
    { "check_severity", "severity", "gravité", "ernst" },
    { "check_rule", "rule", "règle", "regel" },
    { "check_year", "year", "année", "jaar" },
    { "check_service", "service", "service", "dienst" },
    { "check_message", "finding", "constat", "vaststelling" },
    { "check_what", "what is checked", "contrôle", "wat wordt gecontroleerd" },
    { "check_findings", "findings", "constats", "vaststellingen" },
    { "check_title", "Data-quality checks: findings", "Contrôles de qualité des données" NBSP ": constats",
                     "Controles van de gegevenskwaliteit: vaststellingen" },
    { "check_rules_title", "Data-quality checks: rules", "Contrôles de qualité des données" NBSP ": règles",
                           "Controles van de gegevenskwaliteit: regels" },
    /* ---- the biennial pack and its PDF annex (reports/biennial.c, pdf.c) ---- */
    { "pack_title", "Trafficking in human beings: statistical annex",
                    "Traite des êtres humains" NBSP ": annexe statistique",
                    "Mensenhandel: statistische bijlage" },
    { "pack_title_smug", "Smuggling of human beings: statistical annex",
                         "Trafic des êtres humains" NBSP ": annexe statistique",
                         "Mensensmokkel: statistische bijlage" },
    { "pack_annex", "Biennial report", "Rapport bisannuel", "Tweejaarlijks verslag" },
    { "pack_internal", "INTERNAL \xe2\x80\x94 NOT FOR PUBLICATION", "INTERNE \xe2\x80\x94 NE PAS PUBLIER",
                       "INTERN \xe2\x80\x94 NIET VOOR PUBLICATIE" },
    { "pack_provisional", "PROVISIONAL: not every service has delivered every year of the period",
                          "PROVISOIRE" NBSP ": tous les services n'ont pas livré toutes les années de la période",
                          "VOORLOPIG: niet elke dienst heeft elk jaar van de periode geleverd" },
    { "pack_checks", "Data-quality checks", "Contrôles de qualité des données", "Controles van de gegevenskwaliteit" },
    { "pack_checks_intro",
      "Before publication every figure passes the rules below; the second table lists what they found for the period.",
      "Avant publication, chaque chiffre passe les règles ci-dessous" NBSP "; le second tableau donne leurs constats pour la période.",
      "Voor publicatie doorloopt elk cijfer de onderstaande regels; de tweede tabel geeft hun vaststellingen voor de periode." },
    { "pack_as_of_note", "every figure as it stood at the end of that day, from the deliveries below",
                         "chaque chiffre tel qu'il était à la fin de ce jour, à partir des livraisons ci-dessous",
                         "elk cijfer zoals het was op het einde van die dag, uit de onderstaande leveringen" },
    { "pack_deliveries_used", "Deliveries used", "Livraisons utilisées", "Gebruikte leveringen" },
    { "pdf_contents", "Contents", "Table des matières", "Inhoud" },
    { "pdf_table", "Table", "Tableau", "Tabel" },
    { "pdf_figure", "Figure", "Graphique", "Figuur" },
    { "pdf_page", "Page", "Page", "Pagina" },
    { "pdf_continued", "(continued)", "(suite)", "(vervolg)" },
    { "pack_charts", "Charts", "Graphiques", "Grafieken" },
    { "pack_charts_skipped", "Charts left out (nothing to draw)", "Graphiques omis (rien à dessiner)",
                             "Weggelaten grafieken (niets te tekenen)" },
    { "pack_col_delivery", "delivery", "livraison", "levering" },
    { "pack_col_service", "service", "service", "dienst" },
    { "pack_col_centre", "centre", "centre", "centrum" },
    { "pack_col_years", "years used", "années utilisées", "gebruikte jaren" },
    { "pack_col_file", "file", "fichier", "bestand" },
    { "pack_col_loaded", "loaded at", "chargée le", "geladen op" },
    { "pack_col_sha", "SHA-256 (start)", "SHA-256 (début)", "SHA-256 (begin)" },
    { "pack_col_rows", "records", "enregistrements", "records" },
    /* ---- the website (reports/render_html.c) ---- */
    { "site_skip", "Skip to the content", "Aller au contenu", "Naar de inhoud" },
    { "site_language", "Language", "Langue", "Taal" },
    { "site_chapters", "Chapters", "Chapitres", "Hoofdstukken" },
    { "site_home", "Home", "Accueil", "Startpagina" },
    { "site_thb", "Trafficking in human beings", "Traite des êtres humains", "Mensenhandel" },
    { "site_smug", "Smuggling of human beings", "Trafic des êtres humains", "Mensensmokkel" },
    { "site_intro", "The figures of the biennial report, as tables and charts, with the deliveries of the services they come from. A year a service did not deliver is never shown as a figure; every mark is explained under its table.",
                    "Les chiffres du rapport bisannuel, en tableaux et en graphiques, avec les livraisons des services dont ils proviennent. Une année qu'un service n'a pas livrée n'est jamais présentée comme un chiffre" NBSP "; chaque marque est expliquée sous son tableau.",
                    "De cijfers van het tweejaarlijks verslag, in tabellen en grafieken, met de leveringen van de diensten waar ze vandaan komen. Een jaar dat een dienst niet leverde, wordt nooit als cijfer getoond; elk teken wordt onder zijn tabel uitgelegd." },
    { "site_downloads", "Downloads", "Téléchargements", "Downloads" },
    { "site_workbook", "Workbook: every table and chart (XLSX)", "Classeur" NBSP ": tous les tableaux et graphiques (XLSX)",
                       "Werkmap: alle tabellen en grafieken (XLSX)" },
    { "site_annex", "Statistical annex, A4 (PDF)", "Annexe statistique, A4 (PDF)", "Statistische bijlage, A4 (PDF)" },
    { "site_manifest", "MANIFEST: every file with its SHA-256", "MANIFEST" NBSP ": chaque fichier avec son SHA-256",
                       "MANIFEST: elk bestand met zijn SHA-256" },
    { "site_checks_csv", "Data-quality findings (CSV)", "Constats de qualité des données (CSV)",
                         "Vaststellingen over de gegevenskwaliteit (CSV)" },
    { "site_table_csv", "This table as CSV", "Ce tableau en CSV", "Deze tabel als CSV" },
    { "site_chart_figures", "The figures of this chart", "Les chiffres de ce graphique", "De cijfers van deze grafiek" },
    { "site_chart_files", "This chart as", "Ce graphique en", "Deze grafiek als" },
    { "site_unit", "Unit", "Unité", "Eenheid" },
    { "site_tables", "tables", "tableaux", "tabellen" },
    { "site_table_1", "table", "tableau", "tabel" },
    { "site_charts", "charts", "graphiques", "grafieken" },
    { "site_chart_1", "chart", "graphique", "grafiek" },
    { "site_other", "Other", "Autres", "Overige" },
    { "site_made", "Made by ciatteh from the same tables as the workbook and the PDF annex.",
                   "Produit par ciatteh à partir des mêmes tableaux que le classeur et l'annexe PDF.",
                   "Gemaakt door ciatteh uit dezelfde tabellen als de werkmap en de PDF-bijlage." },
    { "site_derived_u", "computed from a lower bound (see the notes)", "calculé à partir d'une borne inférieure (voir les notes)",
                        "berekend op een ondergrens (zie de opmerkingen)" },
    { "site_choose", "Choose your language", "Choisissez votre langue", "Kies uw taal" },
    /* ---- charts (reports/chart.c, chart_kinds.c, chart_data.c) ---- */
    { "chart_gap", "break in a line: no figure for that year (see the marks), not zero",
                   "ligne interrompue" NBSP ": pas de chiffre pour cette année (voir les marques), pas zéro",
                   "onderbroken lijn: geen cijfer voor dat jaar (zie de tekens), geen nul" },
    { "ch_report", "Chart", "Graphique", "Grafiek" },
    { "ch_t_trend", "Key figures by year", "Chiffres clés par année", "Kerncijfers per jaar" },
    { "ch_t_items", "Selected items by year", "Éléments choisis par année", "Gekozen items per jaar" },
    { "ch_by_year", "by year", "par année", "per jaar" },
    { "ch_and_sp", " and ", " et ", " en " },
    { "ch_by", "by", "par", "naar" },
    { "ch_and", "and", "et", "en" },
    { "ch_s_judgment", "by year of judgment", "par année du jugement", "per jaar van het vonnis" },
    { "ch_s_period_total", "total over the period", "total sur la période", "totaal over de periode" },
    { "ch_s_top", "the ten most frequent over the period, then the others",
                  "les dix plus fréquentes sur la période, puis les autres",
                  "de tien meest voorkomende over de periode, dan de overige" },
    { "ch_note_years_missing", "Not known (no delivery), the totals cover the other years",
                               "Inconnu (aucune livraison), les totaux couvrent les autres années",
                               "Onbekend (geen levering), de totalen dekken de andere jaren" },
    { "ch_s_top_sectors", "the ten sectors with most referrals over the period, then the others",
                          "les dix secteurs aux orientations les plus nombreuses sur la période, puis les autres",
                          "de tien sectoren met de meeste doorverwijzingen over de periode, dan de overige" },
    { "ch_other_sector", "all other sectors", "tous les autres secteurs", "alle andere sectoren" },
    { "ch_other_district", "all other districts", "tous les autres arrondissements", "alle andere arrondissementen" },
    /* "Title, by ...": one per dimension, so each reads naturally. */
    { "ch_by_offence", "by offence", "par infraction", "naar misdrijf" },
    { "ch_by_form", "by form of exploitation", "par forme d'exploitation", "naar uitbuitingsvorm" },
    { "ch_by_sex", "by sex", "par sexe", "naar geslacht" },
    { "ch_by_age_group", "by age group", "par groupe d'âge", "naar leeftijdsgroep" },
    { "ch_by_citizenship", "by citizenship", "par citoyenneté", "naar nationaliteitsgroep" },
    { "ch_by_nationality", "by nationality", "par nationalité", "naar nationaliteit" },
    { "ch_by_district", "by judicial district", "par arrondissement judiciaire", "naar gerechtelijk arrondissement" },
    { "ch_by_centre", "by centre", "par centre", "naar centrum" },
    { "ch_by_referrer", "by referrer", "par instance d'orientation", "naar doorverwijzer" },
    { "ch_by_sector", "by sector", "par secteur", "naar sector" },
    { "ch_by_inspectorate", "by inspectorate", "par service d'inspection", "naar inspectiedienst" },
    { "ch_by_decision", "by prosecutor's decision", "par décision du parquet", "naar beslissing van het parket" },
    { "ch_by_sentence_band", "by length of the term", "par durée de la peine", "naar duur van de straf" },
    { "ch_by_suspension", "by suspension", "selon le sursis", "naar uitstel" },
    { "ch_by_document", "by type of document", "par type de document", "naar soort document" },
    /* Units over the value axis (item.unit). */
    { "unit_persons", "persons", "personnes", "personen" },
    { "unit_facts", "facts", "faits", "feiten" },
    { "unit_cases", "cases", "affaires", "zaken" },
    { "unit_inspections", "inspections", "contrôles", "inspecties" },
    { "unit_reports", "reports", "PV", "pv's" },
    { "unit_documents", "documents", "documents", "documenten" },
    /* ---- questionnaires (reports/questionnaire*.c): draft texts, notes ---- */
    { "q_unknown_number", "an unknown number of", "un nombre inconnu de", "een onbekend aantal" },
    { "q_unknown", "an unknown number", "un nombre inconnu", "een onbekend aantal" },
    { "q_withheld_number", "an undisclosed number of", "un nombre non divulgué de", "een niet bekendgemaakt aantal" },
    { "q_withheld", "an undisclosed number", "un nombre non divulgué", "een niet bekendgemaakt aantal" },
    { "q_at_least", "at least", "au moins", "minstens" },
    { "q_increase_from", "an increase from", "en hausse par rapport à", "een stijging tegenover" },
    { "q_decrease_from", "a decrease from", "en baisse par rapport à", "een daling tegenover" },
    { "q_same_as", "the same as", "autant que", "evenveel als" },
    { "q_compared_with", "compared with", "contre", "tegenover" },
    { "q_provisional", "Provisional (the year may still receive records):",
                       "Provisoire (l'année peut encore recevoir des données)" NBSP ":",
                       "Voorlopig (het jaar kan nog gegevens ontvangen):" },
    { "q_draft", "Draft", "Projet", "Ontwerp" },
    { "gap_withheld", "Where a figure marked u has no \xe2\x80\x9cN n.k.\xe2\x80\x9d beside it, how many records left it unknown is not given, as that could uncover a figure withheld for confidentiality.",
                        "Là où un chiffre marqué u n'est pas suivi de «" NBSP "N inc." NBSP "», le nombre d'enregistrements qui l'ont laissé inconnu n'est pas donné, car il pourrait révéler un chiffre retenu pour la confidentialité.",
                        "Waar naast een met u gemarkeerd cijfer geen \xe2\x80\x9eN onb.\xe2\x80\x9d staat, wordt niet gegeven hoeveel records het onbekend lieten, omdat dat een om vertrouwelijkheid weggelaten cijfer zou kunnen onthullen." },
    { "q_na_note", "Not collected by these sources: no service sends this figure to the warehouse (see the notes).",
                   "Non collecté par ces sources" NBSP ": aucun service n'envoie ce chiffre à l'entrepôt (voir les notes).",
                   "Niet verzameld door deze bronnen: geen enkele dienst stuurt dit cijfer naar het magazijn (zie de opmerkingen)." },
    { "q_not_collected", "not collected by these sources", "non collecté par ces sources",
                         "niet verzameld door deze bronnen" },
    { "q_questionnaire", "Questionnaire", "Questionnaire", "Vragenlijst" },
    { "q_definition", "definition", "définition", "definitie" },
    { "q_ref_year", "reference year", "année de référence", "referentiejaar" },
    { "q_threshold", "counts of persons up to", "effectifs de personnes jusqu'à", "aantallen personen tot" },
    { "q_withheld_conf", "withheld for confidentiality", "masqués pour confidentialité", "weggelaten wegens vertrouwelijkheid" },
    { "q_answer_set", "answer set", "jeu de réponses", "antwoordenset" },
};

static const char *const state_keys[CIA_ST_COUNT][2] = {
    [CIA_ST_KNOWN] = { "st_known", "mark_known" },
    [CIA_ST_ZERO] = { "st_zero", "mark_zero" },
    [CIA_ST_LOWER] = { "st_lower", "mark_lower" },
    [CIA_ST_NOT_DELIVERED] = { "st_not_delivered", "mark_not_delivered" },
    [CIA_ST_INCOMPLETE] = { "st_incomplete", "mark_incomplete" },
    [CIA_ST_WITHHELD] = { "st_withheld", "mark_withheld" },
    [CIA_ST_NOT_KNOWN] = { "st_not_known", "mark_not_known" },
};

const char *cia_state_word(enum cia_state st, const char *lang)
{
    return (unsigned)st < CIA_ST_COUNT ? cia_word(state_keys[st][0], lang) : "";
}

const char *cia_state_mark(enum cia_state st, const char *lang)
{
    return (unsigned)st < CIA_ST_COUNT ? cia_word(state_keys[st][1], lang) : "";
}

const char *cia_word_opt(const char *key, const char *lang)
{
    if (!key) return NULL;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcmp(words[i].key, key) != 0) continue;
        if (lang && strcmp(lang, "fr") == 0) return words[i].fr;
        if (lang && strcmp(lang, "nl") == 0) return words[i].nl;
        return words[i].en;
    }
    return NULL;
}

/* "30 June 2025", "30 juin 2025" (1er juin), "30 juni 2025": the one
 * date format of a language, in charts, the PDF annex and its footers; an
 * input that is not YYYY-MM-DD ("current") comes back as it is. */
void cia_format_date(const char *lang, const char *iso, char *buf, size_t n)
{
    static const char *const en[] = { "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December" };
    static const char *const fr[] = { "janvier", "f\xc3\xa9vrier", "mars", "avril", "mai", "juin",
        "juillet", "ao\xc3\xbbt", "septembre", "octobre", "novembre", "d\xc3\xa9" "cembre" };
    static const char *const nl[] = { "januari", "februari", "maart", "april", "mei", "juni",
        "juli", "augustus", "september", "oktober", "november", "december" };
    int y, m, dd;
    char tail;
    if (!iso || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3 || m < 1 || m > 12
        || dd < 1 || dd > 31) {
        snprintf(buf, n, "%s", iso ? iso : "");
        return;
    }
    if (lang && !strcmp(lang, "fr")) snprintf(buf, n, "%d%s %s %d", dd, dd == 1 ? "er" : "", fr[m - 1], y);
    else if (lang && !strcmp(lang, "nl")) snprintf(buf, n, "%d %s %d", dd, nl[m - 1], y);
    else snprintf(buf, n, "%d %s %d", dd, en[m - 1], y);
}

/* "15 January 2025 at 09:00", "15 janvier 2025 à 09:00", "15 januari 2025
 * om 09:00": a moment (YYYY-MM-DD HH:MM[:SS], as deliveries are dated) with
 * its day written as cia_format_date writes it, so a page or a sheet has
 * one date format; the minute is enough for a reader (the MANIFEST keeps
 * the second).  Another input is copied as it is. */
void cia_format_moment(const char *lang, const char *iso, char *buf, size_t n)
{
    int h, mi;
    char day[11];
    if (!iso || strlen(iso) < 16 || iso[10] != ' ' || sscanf(iso + 11, "%2d:%2d", &h, &mi) != 2
        || h < 0 || h > 23 || mi < 0 || mi > 59) {
        snprintf(buf, n, "%s", iso ? iso : "");
        return;
    }
    memcpy(day, iso, 10);
    day[10] = '\0';
    char date[64];
    cia_format_date(lang, day, date, sizeof date);
    if (!strcmp(date, day)) {            /* not a day: leave the whole as it came */
        snprintf(buf, n, "%s", iso);
        return;
    }
    /* the day held together (no-break spaces): a narrow column wraps
     * it before "à 09:00", not inside "15 janvier 2025" */
    cia_buf b;
    cia_buf_init(&b);
    for (const char *c = date; *c; c++) {
        if (*c == ' ') cia_buf_adds(&b, "\xc2\xa0");
        else cia_buf_addc(&b, *c);
    }
    snprintf(buf, n, "%s %s %02d:%02d", b.data ? b.data : "", cia_word("at_time", lang), h, mi);
    cia_buf_free(&b);
}

const char *cia_word_key(size_t i)
{
    return i < sizeof words / sizeof words[0] ? words[i].key : NULL;
}

const char *cia_word(const char *key, const char *lang)
{
    if (!key) return "";
    const char *w = cia_word_opt(key, lang);
    return w ? w : key;
}

const char *cia_sheet_word(const char *report, const char *table, const char *lang)
{
    char key[160];
    const char *w = NULL;
    if (report && table) {
        snprintf(key, sizeof key, "sheet_%s_%s", report, table);
        w = cia_word_opt(key, lang);
    }
    if (!w && table) {
        snprintf(key, sizeof key, "sheet_%s", table);
        w = cia_word_opt(key, lang);
    }
    return w;
}

/* ---- French typography ----------------------------------------------- */

/* French puts a no-break space before ; : ! ? » and after «, so the sign
 * never starts a line (Imprimerie nationale's rule; a narrow one before
 * ; ! ? where fonts have it, the plain one is what every renderer and
 * Excel shows alike).  Applied once to every string of a French report
 * (cia_report_typeset), whatever wrote it: words here, labels from the
 * seed files, questionnaire definitions, composed messages. */
char *cia_typo(const char *s, const char *lang)
{
    if (!s) return NULL;
    if (!lang || strcmp(lang, "fr")) return cia_xstrdup(s);
    cia_buf b;
    cia_buf_init(&b);
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int high = c == ';' || c == '!' || c == '?' || c == ':';
        int close = !strncmp(s + i, "\xc2\xbb", 2);           /* » */
        if (high || close) {
            int colon = c == ':';
            /* "01:55", "https://", "10:1": not punctuation */
            int word = i > 0 && (isalpha((unsigned char)s[i - 1]) || (unsigned char)s[i - 1] >= 0x80 ||
                                 s[i - 1] == ')' || (!colon && isdigit((unsigned char)s[i - 1])));
            int ends = i + (close ? 2 : 1) >= n || s[i + (close ? 2 : 1)] == ' ' || s[i + (close ? 2 : 1)] == '\n';
            int nb_before = b.len >= 2 && !memcmp(b.data + b.len - 2, NBSP, 2);
            int nnb_before = b.len >= 3 && !memcmp(b.data + b.len - 3, "\xe2\x80\xaf", 3);
            if (!nb_before && !nnb_before) {
                if (b.len && b.data[b.len - 1] == ' ') {
                    b.data[--b.len] = '\0';               /* "mot :" -> "mot\u00a0:" */
                    cia_buf_adds(&b, NBSP);
                } else if (word && (close || ends || (!colon && !isdigit((unsigned char)s[i + 1])))) {
                    cia_buf_adds(&b, NBSP);              /* "mot;" -> "mot\u00a0;" */
                }
            }
            cia_buf_add(&b, s + i, close ? 2 : 1);
            if (close) i++;
            continue;
        }
        if (!strncmp(s + i, "\xc2\xab", 2)) {               /* « */
            cia_buf_add(&b, s + i, 2);
            i += 2;
            if (i < n && s[i] == ' ') i++;
            if (strncmp(s + i, NBSP, 2) && strncmp(s + i, "\xe2\x80\xaf", 3)) cia_buf_adds(&b, NBSP);
            i--;
            continue;
        }
        cia_buf_addc(&b, (char)c);
    }
    return cia_buf_steal(&b);
}
