#!/usr/bin/python3
"""check_lo.py XLSX PDF TOOLS — a workbook as LibreOffice prints it (PDF is
XLSX converted by `soffice --headless --convert-to pdf`), sheet by sheet:

- every page is A4 (the workbook asks for it; LibreOffice's own default
  here is US Letter);
- a table sheet's pages are landscape when the workbook says so, portrait
  otherwise;
- every page of a table sheet shows every heading of the table (the
  heading row repeated on each page, and no column pushed onto a page of
  its own: the sheet is one page wide);
- the type is readable: the median height of the words on each page of a
  table sheet is at least MIN_WORD_H points (about 5 pt type; a 22-column
  sheet fitted to one page, or a table fitted together with the picture
  beside it, prints at 4 pt and less).
Pages are given to sheets by their titles (cell A1 of each sheet, in the
workbook's order).  Prints a summary; exits 1 with every failure."""
import html
import re
import statistics
import subprocess
import sys

import openpyxl

sys.path.insert(0, sys.argv[3])
from xlsx_tables import table_sheets  # noqa: E402

MIN_WORD_H = 6.5
A4 = (595.3, 841.9)
xlsx, pdf = sys.argv[1], sys.argv[2]
wb = openpyxl.load_workbook(xlsx)
tables = {ws.title: tid for tid, ws in table_sheets(wb).items()}

out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True, check=True).stdout
pages = []
for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
    words = [(float(y0), float(y1), html.unescape(t)) for y0, y1, t in
             re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>',
                        m.group(3))]
    pages.append((float(m.group(1)), float(m.group(2)), words))

bad = []
for n, (w, h, _) in enumerate(pages, 1):
    if not any(abs(w - a) < 2 and abs(h - b) < 2 for a, b in (A4, A4[::-1])):
        bad.append("page %d is %.0f x %.0f pt, not A4" % (n, w, h))

# pages of each sheet: a sheet starts on the first page (from the
# previous sheet's) whose text, watermark aside, begins with its title
def starts_with(page, title):
    text = " ".join(t for _, _, t in page[2][:40])
    text = re.sub(r"^.*?(NOT FOR PUBLICATION|NE PAS PUBLIER|NIET PUBLICEREN)\s*", "", text)
    return text.startswith(" ".join(title.split())[:60])

starts = []
cursor = 0
for name in wb.sheetnames:
    title = str(wb[name]["A1"].value or "")
    k = next((i for i in range(cursor, len(pages)) if starts_with(pages[i], title)), None)
    if k is None:
        bad.append("sheet %r: no page starts with its title %r" % (name, title[:50]))
        continue
    starts.append((name, k))
    cursor = k + 1
checked = 0
for j, (name, k) in enumerate(starts):
    end = starts[j + 1][1] if j + 1 < len(starts) else len(pages)
    if name not in tables:
        continue
    ws = wb[name]
    landscape = ws.page_setup.orientation == "landscape"
    head = [str(c.value).split()[0] for c in ws[3] if c.value is not None and str(c.value).strip()]
    for i in range(k, end):
        pw, ph, words = pages[i]
        checked += 1
        if (pw > ph) != landscape:
            bad.append("sheet %r page %d: %s, the workbook says %s" % (
                name, i + 1, "landscape" if pw > ph else "portrait", "landscape" if landscape else "portrait"))
        have = {t for _, _, t in words}
        missing = [x for x in head if x not in have]
        if missing:
            bad.append("sheet %r page %d: headings %r not printed" % (name, i + 1, missing[:4]))
        hs = [y1 - y0 for y0, y1, _ in words]
        if hs and statistics.median(hs) < MIN_WORD_H:
            bad.append("sheet %r page %d: words %.1f pt high (median), under %.1f: printed too small"
                       % (name, i + 1, statistics.median(hs), MIN_WORD_H))
print("%d pages, %d sheets, %d pages of table sheets checked; %s" % (
    len(pages), len(starts), checked, "; ".join(bad[:6]) if bad else "A4, one page wide, headings on every page, readable"))
sys.exit(1 if bad or not checked else 0)
