/* words.c — owns the fixed words of the outputs ("not known", the flag
 * legend, "Source", "Definitions", "as of"...) in English, French and
 * Dutch.  They live in this one table so a translator edits one place and
 * no module grows its own if (lang) chain.  The file is UTF-8; the
 * no-break spaces are spelled as macros because they are invisible. */
#include <string.h>
#include "ciatteh/render.h"

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
    { "flags", "flags", "indicateurs", "vlaggen" },
    { "notes", "Notes", "Notes", "Opmerkingen" },
    { "source", "Source", "Source", "Bron" },
    { "definitions", "Definitions", "Définitions", "Definities" },
    { "as_of", "Data as of", "Situation des données", "Stand van de gegevens" },
    { "current", "latest deliveries", "dernières livraisons", "laatste leveringen" },
    { "colon", ": ", NBSP ": ", ": " },
    { "no_rows", "(no data)", "(aucune donnée)", "(geen gegevens)" },
    { "deliveries", "Deliveries used", "Livraisons utilisées", "Gebruikte leveringen" },
    { "report", "Report", "Rapport", "Rapport" },
};

const char *cia_word(const char *key, const char *lang)
{
    if (!key) return "";
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcmp(words[i].key, key) != 0) continue;
        if (lang && strcmp(lang, "fr") == 0) return words[i].fr;
        if (lang && strcmp(lang, "nl") == 0) return words[i].nl;
        return words[i].en;
    }
    return key;
}
