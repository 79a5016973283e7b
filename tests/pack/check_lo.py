#!/usr/bin/python3
"""check_lo.py XLSX PDF TOOLS — a workbook as LibreOffice prints it (PDF is
XLSX converted by `soffice --headless --convert-to pdf`), sheet by sheet:

- every page is A4 (the workbook asks for it; LibreOffice's own default
  here is US Letter);
- a table sheet's pages are landscape when the workbook says so, portrait
  otherwise;
- every page of a table sheet shows the heading row (repeated on each
  page): every heading when the sheet is one page wide; when it prints in
  column blocks (its row labels' columns repeated on each page), the row
  labels' headings on every page and every heading on some page;
- a sheet holding a chart picture (on the page after its table) does not
  print the heading row over the picture;
- the type is readable: the median height of the words on each page of a
  table sheet is at least MIN_WORD_H points (Carlito, as LibreOffice
  substitutes for Excel's Calibri: 14.3 at 100 %, 10 at the 70 % the
  workbook prints at least; a 22-column yoy sheet fitted to one page
  printed at 48 %).
Pages are given to sheets by their titles (cell A1 of each sheet, in the
workbook's order).  Prints a summary; exits 1 with every failure."""
import html
import re
import statistics
import subprocess
import sys

import openpyxl

sys.path.insert(0, sys.argv[3])
from xlsx_tables import pictures, table_sheets  # noqa: E402

MIN_WORD_H = 9.0
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
    # the repeated row labels' columns of a sheet printed in blocks ("$A:$B")
    cols = re.findall(r"\$([A-Z]+)", ws.print_title_cols or "")
    nlab = openpyxl.utils.column_index_from_string(cols[-1]) if cols else 0
    lab = [str(c.value).split()[0] for c in ws[3][:nlab] if c.value is not None and str(c.value).strip()]
    if pictures(ws):                # the last page holds the picture
        if any(x in {t for _, _, t in pages[end - 1][2]} for x in head):
            bad.append("sheet %r page %d: the chart's page repeats the heading row" % (name, end))
        end -= 1
    seen = set()
    for i in range(k, end):
        pw, ph, words = pages[i]
        checked += 1
        if (pw > ph) != landscape:
            bad.append("sheet %r page %d: %s, the workbook says %s" % (
                name, i + 1, "landscape" if pw > ph else "portrait", "landscape" if landscape else "portrait"))
        have = {t for _, _, t in words}
        seen |= have
        missing = [x for x in (lab if nlab else head) if x not in have]
        if missing:
            bad.append("sheet %r page %d: headings %r not printed" % (name, i + 1, missing[:4]))
        hs = [y1 - y0 for y0, y1, _ in words]
        if hs and statistics.median(hs) < MIN_WORD_H:
            bad.append("sheet %r page %d: words %.1f pt high (median), under %.1f: printed too small"
                       % (name, i + 1, statistics.median(hs), MIN_WORD_H))
    if nlab and [x for x in head if x not in seen]:
        bad.append("sheet %r: headings %r on none of its pages" % (name, [x for x in head if x not in seen][:4]))
print("%d pages, %d sheets, %d pages of table sheets checked; %s" % (
    len(pages), len(starts), checked, "; ".join(bad[:6]) if bad else "A4, headings on every page, readable"))
sys.exit(1 if bad or not checked else 0)
