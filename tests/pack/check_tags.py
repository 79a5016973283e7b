#!/usr/bin/python3
"""check_tags.py PDF LANG NFIGURES — the annex is a tagged PDF, read from
`qpdf --json` (the objects themselves, not a renderer's guess):

- the catalogue says /MarkInfo /Marked true and /Lang LANG;
- the structure tree has one Document at its root, a Sect per chapter
  opening with its H1, and every chapter has a bookmark (outline entry)
  of the same title;
- every Table starts with its Caption and has TR rows; every TH has a
  scope (Column in the first row, Row after);
- there are NFIGURES Figures, each with a Caption and an /Alt that gives
  the chart's figures (a title, then series with numbers).
Prints a one-line summary; exits 1 with the reason on the first failure."""
import json
import re
import subprocess
import sys


def fail(msg):
    print(msg)
    sys.exit(1)


pdf, lang, nfig_want = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = subprocess.run(["qpdf", "--json", pdf], capture_output=True, text=True)
if out.returncode != 0:
    fail("qpdf --json: " + out.stderr)
objs = json.loads(out.stdout)["qpdf"][1]


def val(x):
    """Follow a reference to its object's value."""
    if isinstance(x, str) and re.fullmatch(r"\d+ \d+ R", x):
        return objs["obj:" + x]["value"]
    return x


def text(s):
    s = val(s)
    return s[2:] if isinstance(s, str) and s[:2] in ("u:", "b:") else s


trailer = objs["trailer"]["value"]
root = val(trailer["/Root"])
if root.get("/MarkInfo", {}).get("/Marked") is not True:
    fail("catalogue: /MarkInfo /Marked is not true: %r" % root.get("/MarkInfo"))
if text(root.get("/Lang")) != lang:
    fail("catalogue: /Lang is %r, not %r" % (root.get("/Lang"), lang))
tree = val(root["/StructTreeRoot"])
doc = val(tree["/K"])
if doc.get("/S") != "/Document":
    fail("structure root is %r, not one Document" % doc.get("/S"))


def kids(e):
    k = e.get("/K", [])
    k = k if isinstance(k, list) else [k]
    return [val(x) for x in k if isinstance(val(x), dict) and "/S" in val(x)]


sects, tables, ths, figs = [], 0, 0, []


def walk(e):
    global tables, ths
    s = e["/S"]
    ks = kids(e)
    if s == "/Sect":
        if not ks or ks[0]["/S"] != "/H1":
            fail("a Sect does not open with its H1")
        sects.append(e)
    if s == "/Table":
        tables += 1
        if not ks or ks[0]["/S"] != "/Caption":
            fail("a Table does not start with its Caption")
        rows = [k for k in ks if k["/S"] == "/TR"]
        if not rows:
            fail("a Table has no TR")
        for i, r in enumerate(rows):
            for c in kids(r):
                if c["/S"] == "/TH":
                    ths += 1
                    scope = val(c.get("/A", {})).get("/Scope")
                    if scope != ("/Column" if i == 0 else "/Row"):
                        fail("TH in row %d has scope %r" % (i, scope))
                elif c["/S"] != "/TD":
                    fail("a TR holds a %s" % c["/S"])
    if s == "/Figure":
        if not ks or ks[0]["/S"] != "/Caption":
            fail("a Figure has no Caption")
        figs.append(text(e.get("/Alt", "")))
    for k in ks:
        walk(k)


walk(doc)
if len(figs) != nfig_want:
    fail("%d Figures, %d charts in the pack" % (len(figs), nfig_want))
for a in figs:
    if len(a) < 20 or not re.search(r": .*\d", a):
        fail("a Figure's /Alt gives no figures: %r" % a)
if tables < 10 or ths == 0:
    fail("only %d tables / %d header cells tagged" % (tables, ths))

# bookmarks: one top-level entry per chapter
outlines = val(root.get("/Outlines", {}))
top = []
item = val(outlines.get("/First")) if outlines else None
while isinstance(item, dict):
    top.append(text(item.get("/Title")))
    item = val(item["/Next"]) if "/Next" in item else None
if len(top) != len(sects):
    fail("%d top-level bookmarks for %d chapters: %r" % (len(top), len(sects), top))
print("tagged, /Lang %s, %d chapters with bookmarks, %d tables, %d TH with scope, %d figures with /Alt"
      % (lang, len(sects), tables, ths, len(figs)))
