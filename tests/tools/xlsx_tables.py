"""xlsx_tables.py — finds a ciatteh workbook's tables by their stable id.

Sheet names are localised ("Éléments par année") and an analyst may rename
them; every table sheet carries the workbook name "table.ID" over its
headings and rows (reports/render/render_xlsx.c), which is how tests find it.
Import with sys.path.insert(0, ROOT + "/tests/tools").
"""
import importlib.util


def pictures(ws):
    """The pictures of worksheet WS (a chart sheet holds one).  openpyxl
    reads pictures only when Pillow is there and otherwise drops them
    without a word: every chart sheet would then look like a table sheet,
    so its absence is an error here, not an empty list."""
    if importlib.util.find_spec("PIL") is None:
        raise SystemExit("xlsx_tables: Pillow (Debian's python3-pil) is missing:"
                         " openpyxl cannot see a workbook's pictures (.ci/bootstrap installs it)")
    return ws._images


def table_sheets(wb):
    """{table id: worksheet}, from the workbook's "table.ID" names."""
    out = {}
    for dn in wb.defined_names.definedName:
        if not dn.name.startswith("table."):
            continue
        for sheet, _ in dn.destinations:
            # openpyxl leaves the quoted name's apostrophes doubled
            out[dn.name[len("table."):]] = wb[sheet.replace("''", "'")]
    return out


def table_ids(wb):
    """The table ids in the order of their sheets."""
    by_sheet = {ws.title: tid for tid, ws in table_sheets(wb).items()}
    return [by_sheet[n] for n in wb.sheetnames if n in by_sheet]


def sheet(wb, tid):
    """The worksheet of table TID (KeyError when there is none)."""
    return table_sheets(wb)[tid]
