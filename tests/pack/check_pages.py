#!/usr/bin/python3
"""check_pages.py PDF LANG — no page of the annex starts with notes alone:
every page after the contents opens (below its watermark, if any) with a
chapter heading, a table's or a figure's caption (a "(continued)" one
included: a table's last rows go over with its notes), or the heading of a
definitions list, all read from the PDF's own text (pdftotext) and its
contents page.  Prints a one-line summary; exits 1 naming the first page
that starts with something else (a legend, a note, a definition)."""
import re
import subprocess
import sys

pdf, lang = sys.argv[1], sys.argv[2]
DEFS = {"en": "Definitions", "fr": "Définitions", "nl": "Definities"}[lang]
CAPTION = re.compile(r"^(Table|Figure|Tableau|Graphique|Tabel|Figuur) [0-9]+\. ")
text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
pages = text.split("\f")
if len(pages) < 3:
    print("only %d pages" % len(pages))
    sys.exit(1)


def lines_of(page):
    out = [s.strip() for s in page.split("\n") if s.strip()]
    # the internal pack's watermark heads every page; the footer ends it
    return [s for s in out if not re.search(r"(NOT FOR PUBLICATION|NE PAS PUBLIER|NIET PUBLICEREN)$", s)]


# chapter headings: the contents' entries that are not captions (a title
# may wrap, so a page's first line is a prefix of one)
# (page numbers come on lines of their own)
chapters = [s for s in lines_of(pages[1]) if not CAPTION.match(s) and not s.isdigit()]
bad = []
for n, page in enumerate(pages[2:], start=3):
    ls = lines_of(page)
    if not ls:
        continue
    first = ls[0]
    if CAPTION.match(first) or first == DEFS or any(len(first) > 8 and c.startswith(first) for c in chapters):
        continue
    bad.append("page %d starts with %r" % (n, first[:70]))
print("%d pages, %d chapters in the contents; %s" % (len(pages) - 1, len(chapters),
      "; ".join(bad) if bad else "every page opens with a heading or a caption"))
sys.exit(1 if bad else 0)
