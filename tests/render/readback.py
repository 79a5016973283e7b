"""readback.py — reads back the workbooks written by
`test_render xlsx_sample` (tests/unit/test_render.c) with openpyxl and checks
what an analyst relies on: values are numbers, never formulas; titles,
headings and frozen panes are where they should be; number formats; the
not-known and withheld markers; flags columns; legend, notes, sources;
the localised Definitions sheet; valid, unique sheet names.

Usage: /usr/bin/python3 readback.py DIR   (Debian's python3-openpyxl)
Prints one line per failed check and ends with "N passed, N failed".
"""
import os
import sys

import openpyxl

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from xlsx_tables import sheet, table_ids  # noqa: E402

PASSED = 0
FAILED = 0


def check(cond, what):
    global PASSED, FAILED
    if cond:
        PASSED += 1
    else:
        FAILED += 1
        print("FAIL", what)


def eq(got, want, what):
    check(got == want, "%s: got %r, want %r" % (what, got, want))


# Localised expectations; the sample itself is built in test_render.c.
LANG = {
    "en": dict(title="Annual figures", table="Year on year", item="Item",
               chg="Change", chgp="Change %", flags="flags", nk="n.k.",
               defs="Definitions", legend="Legend", source="Source",
               asof="Data as of", asof_day="1 May 2023", deliveries="Deliveries used",
               yoy_sheet="Items by year"),
    "fr": dict(title="Chiffres annuels", table="D'une année à l'autre",
               item="Élément", chg="Variation", chgp="Variation %",
               flags="marques", nk="inc.", defs="Définitions",
               legend="Légende", source="Source",
               asof="Situation des données", asof_day="1er mai 2023",
               deliveries="Livraisons utilisées",
               yoy_sheet="Éléments par année"),
    "nl": dict(title="Jaarcijfers", table="Jaar op jaar", item="Item",
               chg="Verschil", chgp="Verschil %", flags="vlaggen", nk="onb.",
               defs="Definities", legend="Legenda", source="Bron",
               asof="Stand van de gegevens", asof_day="1 mei 2023",
               deliveries="Gebruikte leveringen",
               yoy_sheet="Items per jaar"),
}

COUNT, DELTA, PCT = "#,##0", "+#,##0;-#,##0;0", "0.0%"


def no_formulas(wb, name):
    """Every cell of every sheet: no formula anywhere."""
    formulas = [(ws.title, c.coordinate) for ws in wb.worksheets
                for row in ws.iter_rows() for c in row if c.data_type == "f"]
    eq(formulas, [], name + ": formula cells")


def number(ws, ref, value, fmt, what):
    c = ws[ref]
    eq(c.data_type, "n", "%s %s is a number" % (what, ref))
    eq(c.value, value, "%s %s value" % (what, ref))
    eq(c.number_format, fmt, "%s %s number format" % (what, ref))


def text(ws, ref, value, what):
    c = ws[ref]
    eq(c.data_type, "s", "%s %s is text" % (what, ref))
    eq(c.value, value, "%s %s" % (what, ref))


def sample(path, lang):
    w = LANG[lang]
    name = os.path.basename(path)
    wb = openpyxl.load_workbook(path)
    no_formulas(wb, name)
    # Sheet names in the workbook's language (the catalogue's, else the
    # table id); the stable ids are the names "table.ID" over each table.
    eq(wb.sheetnames, [w["yoy_sheet"], "by_sex", w["defs"]], name + ": sheet names")
    eq(table_ids(wb), ["yoy", "by_sex"], name + ": table ids")
    eq(wb.defined_names.get("table.yoy").attr_text, "'%s'!$A$3:$I$7" % w["yoy_sheet"],
       name + ": table.yoy covers the headings and rows")

    ws = sheet(wb, "yoy")
    what = name + " yoy"
    text(ws, "A1", w["table"], what)
    text(ws, "A2", "Belgium, 2020-2021", what)
    check(ws["A1"].font.b, what + ": title is bold")
    eq(ws.freeze_panes, "B4", what + ": frozen panes")
    # Headings; a flags column follows each value column that has flags.
    heads = [c.value for c in ws[3]]
    eq(heads, [w["item"], "2020", w["flags"], "2021", w["flags"], w["chg"], w["flags"],
               w["chgp"], w["flags"]], what + ": heading row")
    check(all(c.font.b for c in ws[3] if c.value), what + ": headings bold")
    # Police facts
    text(ws, "A4", "Police facts", what)
    number(ws, "B4", 1234, COUNT, what)
    eq(ws["C4"].value, None, what + " C4 no flags")
    number(ws, "D4", 1300, COUNT, what)
    text(ws, "E4", "p", what)
    number(ws, "F4", 66, DELTA, what)
    text(ws, "G4", "p", what)
    number(ws, "H4", 0.05, PCT, what)
    text(ws, "I4", "p", what)
    # Victims: not known is the marker as text, never 0 or empty.
    text(ws, "B5", w["nk"], what)
    number(ws, "D5", 15, COUNT, what)
    text(ws, "E5", "u", what)
    text(ws, "F5", w["nk"], what)
    text(ws, "H5", w["nk"], what)
    # Withheld: no figure, the mark "c" instead.
    text(ws, "A6", "Catégorie é", what)
    text(ws, "B6", "c", what)
    text(ws, "C6", "c", what)
    number(ws, "D6", 7, COUNT, what)
    eq(ws["F6"].value, None, what + " F6 empty")
    # A label that looks like a formula stays text.
    text(ws, "A7", '=HYPERLINK("http://x")', what)
    number(ws, "D7", 0, COUNT, what)
    number(ws, "F7", -3, DELTA, what)
    number(ws, "H7", -1, PCT, what)
    # Under the table: legend, notes, sources, as-of.
    eq(ws["A8"].value, None, what + " blank row after the table")
    legend = ws["A9"].value or ""
    check(legend.startswith(w["legend"]), what + ": legend line: %r" % legend)
    for mark in ("(u)", "(p)", "(c)", w["nk"]):
        check(mark in legend, what + ": legend explains %s" % mark)
    eq(ws["A10"].value, "Counts are persons.", what + " note")
    check((ws["A11"].value or "").startswith(w["source"]), what + ": source line")
    check("delivery 7" in (ws["A11"].value or ""), what + ": source text")
    check((ws["A12"].value or "").startswith(w["asof"]), what + ": as-of line")
    # the day as the language writes it, as in the charts and the annex
    check((ws["A12"].value or "").endswith(w["asof_day"]), what + ": as-of date %r" % ws["A12"].value)
    # Widths fitted to content: the long label fits, flags columns are narrow.
    check(ws.column_dimensions["A"].width >= len('=HYPERLINK("http://x")'),
          what + ": column A fits its labels")
    check(ws.column_dimensions["C"].width <= 12, what + ": flags column narrow")

    ws = sheet(wb, "by_sex")
    what = name + " by_sex"
    text(ws, "A1", "By sex", what)
    eq(ws.freeze_panes, "C4", what + ": frozen panes (two label columns)")
    eq([c.value for c in ws[3]], ["Sex", "Age", "2021"], what + ": headings, no flags column")
    number(ws, "C4", 123456, COUNT, what)
    text(ws, "B5", "0-17", what)
    check(not any((c.value or "").startswith(w["legend"]) for c in ws["A"]
                  if isinstance(c.value, str)), what + ": no legend without marks")

    ws = wb[w["defs"]]
    what = name + " " + w["defs"]
    text(ws, "A1", w["title"], what)
    text(ws, "A2", w["defs"], what)
    text(ws, "A3", "Victim", what)
    text(ws, "B3", "a person identified as a presumed victim", what)
    text(ws, "A4", "Police facts", what)
    text(ws, "A6", w["deliveries"], what)
    check((ws["A7"].value or "").startswith(w["source"]), what + ": source line")
    check((ws["A8"].value or "").startswith(w["asof"]), what + ": as-of line")
    eq(wb.properties.title, w["title"], name + ": document title")


def names(path):
    wb = openpyxl.load_workbook(path)
    got = wb.sheetnames
    eq(got, ["abc", "ABC~2", "Definitions~2", "a_b_c_d__e__f", "History_", "quoted", "7",
             "a_very_long_table_identifier_of", "a_very_long_table_identifier_~2",
             "Items by year", "Own_ _name__", "Definitions"], "names.xlsx: sheet names")
    eq(table_ids(wb), ["abc", "ABC_2", "Definitions", "a_b_c_d__e__f", "History", "_quoted_", "7",
                       "a_very_long_table_identifier_of_forty_chars",
                       "a_very_long_table_identifier_of_forty_chars_2", "yoy", "own"],
       "names.xlsx: table ids, unique ignoring case")
    check(all(len(n) <= 31 for n in got), "names.xlsx: all names <= 31 characters")
    check(len({n.lower() for n in got}) == len(got), "names.xlsx: unique ignoring case")
    check(not any(set(n) & set("[]:*?/\\") for n in got), "names.xlsx: no forbidden characters")
    # Each table landed on its own sheet, in order.
    for i, n in enumerate(got[:-1]):
        number(wb[n], "A4", i, COUNT, "names.xlsx " + n)
    no_formulas(wb, "names.xlsx")


def marks(path):
    """--flags marks: no flags columns; a known value with flags is still a
    number, its flags after it through its number format; markers and
    withheld values as in the columns layout."""
    w = LANG["fr"]
    wb = openpyxl.load_workbook(path)
    no_formulas(wb, "marks_fr.xlsx")
    ws = sheet(wb, "yoy")
    what = "marks_fr.xlsx yoy"
    eq([c.value for c in ws[3]], [w["item"], "2020", "2021", w["chg"], w["chgp"]],
       what + ": headings, no flags columns")
    number(ws, "B4", 1234, COUNT, what)                 # no flags: the plain format
    number(ws, "C4", 1300, COUNT + '" p"', what)
    number(ws, "D4", 66, '+#,##0" p";-#,##0" p";0" p"', what)
    number(ws, "E4", 0.05, PCT + '" p"', what)
    number(ws, "C5", 15, COUNT + '" u"', what)
    text(ws, "B5", w["nk"], what)
    text(ws, "B6", "c", what)
    check((ws["A9"].value or "").startswith(w["legend"]), what + ": the legend explains the marks")


def years(path):
    """Print set-up: one page wide, headings repeated, portrait when narrow;
    page breaks only between two years, only where the next year no longer
    fits the page (47 rows of a portrait page, headings apart)."""
    wb = openpyxl.load_workbook(path)
    for tid, want in (("long", [48, 78]), ("short", [])):
        ws = sheet(wb, tid)
        what = "years.xlsx " + tid
        check(ws.sheet_properties.pageSetUpPr.fitToPage, what + ": fitted to the page")
        # fitToWidth left out means 1
        eq((ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight), (1, 0), what + ": one page wide")
        eq(ws.print_title_rows, "$3:$3", what + ": headings repeated")
        eq(ws.page_setup.orientation, "portrait", what + ": portrait (narrow)")
        got = [b.id for b in ws.row_breaks.brk]
        eq(got, want, what + ": page breaks")
        for b in got:   # the row after a break starts a new year
            check(ws.cell(row=b + 1, column=1).value != ws.cell(row=b, column=1).value,
                  what + ": break at row %d between two years" % b)


def main():
    d = sys.argv[1]
    for lang in ("en", "fr", "nl"):
        p = os.path.join(d, "sample_%s.xlsx" % lang)
        check(os.path.exists(p), p + " exists")
        if os.path.exists(p):
            sample(p, lang)
    p = os.path.join(d, "names.xlsx")
    check(os.path.exists(p), p + " exists")
    if os.path.exists(p):
        names(p)
    p = os.path.join(d, "marks_fr.xlsx")
    check(os.path.exists(p), p + " exists")
    if os.path.exists(p):
        marks(p)
    p = os.path.join(d, "years.xlsx")
    check(os.path.exists(p), p + " exists")
    if os.path.exists(p):
        years(p)
    print("%d passed, %d failed" % (PASSED, FAILED))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
