"""lang_check.py — no sentence of an output mixes two languages.

  lang_check.py LANG FILE...     LANG: fr or nl (the export's --lang)

Splits every text cell / line of the files (plain text, CSV, or XLSX read
with openpyxl) into sentences and flags a sentence holding both English
function words and function words of LANG (words both languages share,
such as English "of" and Dutch "of" (or), English "an" and French "an"
(year), are not evidence; nor are codes such as EU28_FOR).  A sentence
wholly in English is allowed (the TIP draft stays English); one mixing
"The government prosecuted au moins 170" is not.  Prints the offending
sentences and "checked N sentences, M mixed"; exit 1 when any.
"""
import csv
import re
import sys

EN = {"the", "and", "of", "with", "were", "was", "from", "for", "which", "are", "this", "that", "compared",
      "increase", "decrease", "unknown", "number", "not", "known", "by", "to", "victims", "persons", "cases",
      "who", "into", "their", "these", "those", "an", "at", "least", "undisclosed"}
FR = {"le", "la", "les", "des", "du", "et", "au", "aux", "pour", "par", "avec", "dans", "une", "un", "est",
      "sont", "qui", "ces", "leur", "hausse", "baisse", "moins", "inconnu", "nombre", "victimes", "personnes",
      "affaires", "ne", "pas", "sur", "selon", "an"}
NL = {"de", "het", "een", "en", "van", "voor", "met", "naar", "door", "zijn", "die", "deze", "niet", "onbekend",
      "aantal", "slachtoffers", "personen", "zaken", "minstens", "bij", "tot", "werd", "worden", "geen", "of"}


def sentences_of(text):
    for line in text.splitlines():
        for s in re.split(r"(?<=[.;:!?])\s+", line):
            if s.strip():
                yield s.strip()


def texts(path):
    if path.endswith(".xlsx"):
        import openpyxl
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for v in row:
                    if isinstance(v, str):
                        yield v
        return
    data = open(path, encoding="utf-8").read()
    if path.endswith(".csv"):
        for row in csv.reader(data.splitlines()):
            for v in row:
                yield v
    else:
        yield data


def main(lang, paths):
    other = FR if lang == "fr" else NL
    en, ot = EN - other, other - EN
    n = mixed = 0
    for p in paths:
        for t in texts(p):
            for s in sentences_of(t):
                n += 1
                # words, not codes (EU28_FOR, SEX_EXP, UNK)
                w = {t.lower() for t in re.findall(r"[A-Za-zÀ-ÿ_]+", s)
                     if "_" not in t and not (t.isupper() and len(t) > 1)}
                if w & en and w & ot:
                    mixed += 1
                    print("MIXED %s: %s  [en: %s; %s: %s]" % (p, s, sorted(w & en), lang, sorted(w & ot)))
    print("checked %d sentences, %d mixed" % (n, mixed))
    return 1 if mixed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
