"""same_cells.py A.xlsx B.xlsx — exit 0 when both workbooks have the same
sheets and the same value and number format in every cell (what "the same
data and --as-of give the same workbook" means: the zip's own timestamps
may differ, the cells may not).  Run with /usr/bin/python3 (openpyxl)."""
import sys

import openpyxl


def cells(path):
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out.append((ws.title, c.coordinate, c.value, c.number_format))
    return wb.sheetnames, out


a, b = cells(sys.argv[1]), cells(sys.argv[2])
if a == b:
    print("same %d cells" % len(a[1]))
    sys.exit(0)
if a[0] != b[0]:
    print("sheets differ: %r / %r" % (a[0], b[0]))
for x, y in zip(a[1], b[1]):
    if x != y:
        print("first difference: %r / %r" % (x, y))
        break
print("cell counts %d / %d" % (len(a[1]), len(b[1])))
sys.exit(1)
