#!/usr/bin/python3
"""check_chart.py — checks of the chart tests (tests/chart/test_*.sh), with
the standard library only:

  png FILE [--size WxH] [--dpi N]   the PNG decodes: signature, IHDR, the
                                    IDAT stream inflates to exactly the
                                    size of the image, CRCs; its pHYs
  svg FILE [--text T]...            parses as XML, root <svg> with a size,
                                    text as <text> elements holding each T,
                                    role img, <title>, <desc> with figures
  pdf FILE [--pages N] [--text T]...  pdfinfo: N pages (1); pdftotext shows
                                    each T (whitespace folded)
  figures DUMP --cia BIN [--as-of D] every figure of `ciatteh chart --dump`
                                    against `ciatteh query`: value, known,
                                    flags u/p
  gap DUMP PNG CATKEY               nothing of any series is drawn in the
                                    column of category CATKEY (an unknown
                                    year), while known categories are
  bars DUMP PNG                     bar lengths, per series colour, along
                                    each category's centre line, are the
                                    values times the scale (stacked, or
                                    grouped with one series)
  labels DUMP PDFTEXT               every value of a stack total / bar is
                                    written in the PDF's text, formatted
                                    in the chart's language

Each prints one line and exits 0, or prints what differs and exits 1.
"""
import json
import re
import struct
import subprocess
import sys
import zlib
import xml.dom.minidom


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


# ---- PNG --------------------------------------------------------------------

def png_chunks(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("not a PNG signature")
    pos, chunks = 8, []
    while pos < len(data):
        if pos + 8 > len(data):
            fail("truncated chunk header at %d" % pos)
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]
        if zlib.crc32(kind + body) & 0xffffffff != crc:
            fail("bad CRC in chunk %r" % kind)
        chunks.append((kind, body))
        pos += 12 + n
        if kind == b"IEND":
            break
    if not chunks or chunks[-1][0] != b"IEND":
        fail("no IEND chunk")
    return chunks


def png_read(path, pixels=False):
    """(width, height, dpi, rows) — rows: list of bytes (RGB) when pixels."""
    data = open(path, "rb").read()
    chunks = png_chunks(data)
    if chunks[0][0] != b"IHDR":
        fail("first chunk is not IHDR")
    w, h, depth, ctype, comp, filt, inter = struct.unpack(">IIBBBBB", chunks[0][1])
    if depth != 8 or ctype not in (2, 6) or inter != 0:
        fail("unexpected PNG format depth=%d type=%d interlace=%d" % (depth, ctype, inter))
    bpp = 3 if ctype == 2 else 4
    dpi = None
    for kind, body in chunks:
        if kind == b"pHYs":
            ppx, ppy, unit = struct.unpack(">IIB", body)
            if unit == 1:
                dpi = ppx * 0.0254
    raw = zlib.decompress(b"".join(b for k, b in chunks if k == b"IDAT"))
    stride = w * bpp
    if len(raw) != h * (stride + 1):
        fail("IDAT inflates to %d bytes, expected %d for %dx%d" % (len(raw), h * (stride + 1), w, h))
    rows = None
    if pixels and bpp != 3:
        fail("pixel tests read RGB PNGs only")
    if pixels:
        rows, prev = [], bytearray(stride)
        for y in range(h):
            f = raw[y * (stride + 1)]
            line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
            if f == 1:
                for i in range(bpp, stride):
                    line[i] = (line[i] + line[i - bpp]) & 255
            elif f == 2:
                for i in range(stride):
                    line[i] = (line[i] + prev[i]) & 255
            elif f == 3:
                for i in range(stride):
                    a = line[i - bpp] if i >= bpp else 0
                    line[i] = (line[i] + ((a + prev[i]) >> 1)) & 255
            elif f == 4:
                for i in range(stride):
                    a = line[i - bpp] if i >= bpp else 0
                    b = prev[i]
                    c = prev[i - bpp] if i >= bpp else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                    line[i] = (line[i] + pr) & 255
            elif f != 0:
                fail("bad filter type %d in row %d" % (f, y))
            rows.append(bytes(line))
            prev = line
    return w, h, dpi, rows


def cmd_png(args):
    path = args[0]
    w, h, dpi, _ = png_read(path)
    if "--size" in args:
        want = args[args.index("--size") + 1]
        if "%dx%d" % (w, h) != want:
            fail("%s is %dx%d, expected %s" % (path, w, h, want))
    if "--dpi" in args:
        want = float(args[args.index("--dpi") + 1])
        if dpi is None or abs(dpi - want) > 1:
            fail("%s: resolution %s dpi, expected %g" % (path, dpi, want))
    print("png %dx%d %s dpi" % (w, h, "%.0f" % dpi if dpi else "no"))


def cmd_svg(args):
    doc = xml.dom.minidom.parse(args[0])
    root = doc.documentElement
    if root.tagName != "svg" or not root.getAttribute("width"):
        fail("root element is <%s>, not a sized <svg>" % root.tagName)
    marks = len(doc.getElementsByTagName("path")) + len(doc.getElementsByTagName("rect"))
    if marks < 3:
        fail("the SVG draws almost nothing (%d paths)" % marks)
    # text is text: <text> elements, no glyph outlines (cairo's <symbol>s)
    if doc.getElementsByTagName("symbol") or doc.getElementsByTagName("use"):
        fail("the SVG draws text as glyph outlines")
    texts = [norm("".join(n.data for n in t.childNodes if n.nodeType == n.TEXT_NODE))
             for t in doc.getElementsByTagName("text")]
    if len(texts) < 5:
        fail("only %d <text> elements" % len(texts))
    words = " ".join(texts)
    want = [args[i + 1] for i, a in enumerate(args) if a == "--text"]
    for w in want:
        if norm(w) not in words:
            fail("text %r not in the SVG's <text> elements" % w)
    # a text alternative: role img, <title>, <desc> giving the figures
    kids = [k for k in root.childNodes if k.nodeType == k.ELEMENT_NODE]
    title = "".join(n.data for n in kids[0].childNodes) if kids and kids[0].tagName == "title" else ""
    desc = [k for k in kids if k.tagName == "desc"]
    desc = "".join(n.data for n in desc[0].childNodes) if desc else ""
    if root.getAttribute("role") != "img" or not title.strip() or not re.search(r"\d", desc):
        fail("no text alternative (role %r, title %r, desc %r)" % (root.getAttribute("role"), title, desc[:80]))
    print("svg %s x %s, %d marks, %d <text>, desc of %d characters" %
          (root.getAttribute("width"), root.getAttribute("height"), marks, len(texts), len(desc)))


def norm(s):
    return " ".join(s.replace("\u00a0", " ").replace("\u202f", " ").split())


def cmd_pdf(args):
    path = args[0]
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True)
    if info.returncode != 0:
        fail("pdfinfo %s: %s" % (path, info.stderr))
    pages = [l.split()[-1] for l in info.stdout.split("\n") if l.startswith("Pages:")]
    want_pages = args[args.index("--pages") + 1] if "--pages" in args else "1"
    if pages != [want_pages]:
        fail("%s has %s pages, expected %s" % (path, pages, want_pages))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, text=True).stdout
    t = norm(text)
    missing = [args[i + 1] for i, a in enumerate(args) if a == "--text" and norm(args[i + 1]) not in t]
    if missing:
        fail("%s: text not found: %s\n--- pdftotext:\n%s" % (path, missing, text[:1500]))
    n = sum(1 for a in args if a == "--text")
    print("pdf %s page(s), %d texts found" % (pages[0], n))


# ---- figures against ciatteh query --------------------------------------------

def query(cia, item, y0, y1, by, where, as_of):
    cmd = [cia, "query", item, "--years", "%d-%d" % (y0, y1)]
    if by:
        cmd += ["--by", ",".join(by)]
    for w in where:
        cmd += ["--where", w]
    if as_of:
        cmd += ["--as-of", as_of]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        fail("%s: exit %d: %s" % (" ".join(cmd), out.returncode, out.stderr))
    lines = out.stdout.strip().split("\n")
    head = lines[0].split(",")
    rows = []
    for line in lines[1:]:
        f = line.split(",")
        r = dict(zip(head, f))
        rows.append(r)
    return rows


def expect_years(cia, item, d, as_of, by=None):
    """{(year, code or None): (known, value, flags)} as the reports read the
    query: a figure absent is 0 when the item has any figure that year (its
    service delivered), else not known."""
    y0, y1 = d["years"]
    where = [w for w in d["where"].split(";") if w]
    total = query(cia, item, y0, y1, None, [], as_of)
    # A year counts as delivered when the item's total (no filter) has a row.
    # query gives a row for every year asked; one flagged n (nobody
    # delivered) or i (incomplete) has no value.
    delivered = {int(r["year"]): r for r in total if r["value"] != ""}
    prov = {y for y, r in delivered.items() if "p" in r["flag"]}
    rows = query(cia, item, y0, y1, [by] if by else None, where, as_of)
    got = {}
    for r in rows:
        got[(int(r["year"]), r[by] if by else None)] = r
    def cell(year, code):
        r = got.get((year, code))
        if r is not None:
            known = r["value"] != ""
            return (known, float(r["value"]) if known else None, r["flag"])
        return (year in delivered, 0.0 if year in delivered else None, "p" if year in prov else "")
    return cell


def same_flags(a, b):
    return set(a or "") & set("up") == set(b or "") & set("up")


def cmd_figures(args):
    d = json.load(open(args[0]))
    cia = args[args.index("--cia") + 1]
    as_of = args[args.index("--as-of") + 1] if "--as-of" in args else None
    y0, y1 = d["years"]
    items = d["items"].split(",")
    by, split = d.get("by"), d.get("split")
    kind = d["kind"]
    series, cats, vals = d["series"], d["categories"], d["values"]
    n, bad = 0, []

    def check(s, c, want, where):
        nonlocal n
        v = vals[s][c]
        known, value, flags = want
        n += 1
        if bool(v["known"]) != bool(known):
            bad.append("%s: known %s, query says %s" % (where, v["known"], known))
        elif known and abs(v["value"] - value) > 1e-9:
            bad.append("%s: chart %s, query %s" % (where, v["value"], value))
        elif not same_flags(v["flags"], flags):
            bad.append("%s: flags '%s', query '%s'" % (where, v["flags"], flags))

    if d["chart"] == "victims" or split:
        # categories: codes of `by`, series: codes of `split`, summed over the years
        item = items[0]
        where = [w for w in d["where"].split(";") if w]
        delivered = {int(r["year"]) for r in query(cia, item, y0, y1, None, [], as_of) if r["value"] != ""}
        rows = query(cia, item, y0, y1, [by, split], where, as_of)
        for ci, cat in enumerate(cats):
            for si, ser in enumerate(series):
                tot, flags, anyk, unk = 0.0, set(), False, False
                for y in range(y0, y1 + 1):
                    hit = [r for r in rows if int(r["year"]) == y and r[by] == cat["key"] and r[split] == ser["key"]]
                    if hit:
                        r = hit[0]
                        flags |= set(r["flag"])
                        if r["value"] != "":
                            tot += float(r["value"]); anyk = True
                        else:
                            unk = True
                    elif y in delivered:
                        anyk = True
                    else:
                        unk = True
                if anyk and unk:
                    flags.add("u")
                if not anyk:
                    flags.discard("u")
                check(si, ci, (anyk, tot, "".join(sorted(flags))), "%s/%s" % (cat["key"], ser["key"]))
    elif kind in ("trend", "stacked"):
        # series: items or codes, categories: years
        cells = {}
        for si, ser in enumerate(series):
            key = ser["key"]
            if "|" in key:
                item, code = key.split("|", 1)
            elif key in items:
                item, code = key, None
            else:
                item, code = items[0], key
            if code and code.startswith("_"):
                continue               # "the rest" of a top-N: summed by the builder
            if (item, code is not None) not in cells:
                cells[(item, code is not None)] = expect_years(cia, item, d, as_of, by if code else None)
            cell = cells[(item, code is not None)]
            for ci, cat in enumerate(cats):
                check(si, ci, cell(int(cat["key"]), code), "%s %s" % (key, cat["key"]))
    else:
        # grouped bars by code: categories codes, series years
        cell = expect_years(cia, items[0], d, as_of, by)
        for ci, cat in enumerate(cats):
            if cat["key"].startswith("_"):
                continue
            for si, ser in enumerate(series):
                check(si, ci, cell(int(ser["key"]), cat["key"]), "%s %s" % (cat["key"], ser["key"]))
    if bad:
        fail("%d of %d figures differ from ciatteh query:\n  " % (len(bad), n) + "\n  ".join(bad[:20]))
    if n == 0:
        fail("no figure checked")
    print("%d figures = ciatteh query" % n)


# ---- pixels -----------------------------------------------------------------------

def near(px, rgb, tol=40):
    return all(abs(px[k] - rgb[k]) <= tol for k in range(3))


def column(rows, x, y_from, y_to):
    return [rows[y][3 * x:3 * x + 3] for y in range(max(0, y_from), min(len(rows), y_to))]


def cmd_gap(args):
    d = json.load(open(args[0]))
    w, h, dpi, rows = png_read(args[1], pixels=True)
    key = args[2]
    g = d["geom"]
    if g["horizontal"]:
        fail("gap test expects a left-to-right chart")
    keys = [c["key"] for c in d["categories"]]
    if key not in keys:
        fail("no category %s in %s" % (key, keys))
    px, py, pw, ph = [int(round(v)) for v in g["plot"]]
    colours = [s["rgb"] for s in d["series"]]
    # provisional bars: the series colour at 60 % (cia_chart_provisional_rgb)
    colours += [[c + (255 - c) * 0.4 for c in s["rgb"]] for s in d["series"]]

    def hits(ci):
        x = int(round(g["cat_pos"][ci]))
        n = 0
        for dx in (-2, -1, 0, 1, 2):
            for p in column(rows, x + dx, py, py + ph):
                # tight: a fill is its exact colour, while the grey of an
                # anti-aliased "n.d." comes within 30 of a light provisional one
                if any(near(p, c, 12) for c in colours):
                    n += 1
        return n

    ci = keys.index(key)
    if any(d["values"][s][ci]["known"] for s in range(len(d["series"]))):
        fail("category %s is known in the dump: not a gap to test" % key)
    empty = hits(ci)
    if empty:
        fail("category %s (not known) has %d pixels of a series colour" % (key, empty))
    drawn = [k for i, k in enumerate(keys) if i != ci and any(vals["known"] for vals in
             [d["values"][s][i] for s in range(len(d["series"]))]) and hits(i) > 0]
    known = [k for i, k in enumerate(keys) if i != ci and any(d["values"][s][i]["known"] for s in range(len(d["series"])))]
    if drawn != known:
        fail("known categories without marks: %s" % sorted(set(known) - set(drawn)))
    print("nothing drawn at %s; %d known categories drawn" % (key, len(drawn)))


def cmd_bars(args):
    d = json.load(open(args[0]))
    w, h, dpi, rows = png_read(args[1], pixels=True)
    g = d["geom"]
    kind = d["kind"]
    series, vals = d["series"], d["values"]
    if kind == "grouped" and len(series) != 1:
        fail("bars test on grouped charts needs one series")
    if g["horizontal"]:
        fail("bars test expects vertical bars")
    unit, zero = g["unit"], g["zero"]
    px, py, pw, ph = g["plot"]
    # a white rule between stacked segments, plus antialiasing at each edge
    sep = 0.75 * dpi / 72.0 if dpi else 1
    n, worst = 0, 0.0
    # A segment may carry its value as a label in its middle: measure the
    # tallest of the columns within a fifth of the category spacing of
    # the centre (inside the bar, beside the label's glyphs).
    cp = g["cat_pos"]
    reach = max(1, int(0.2 * (abs(cp[1] - cp[0]) if len(cp) > 1 else pw / 2)))
    for ci, x in enumerate(g["cat_pos"]):
        x = int(round(x))
        col = column(rows, x, int(py) - 2, int(zero) + 3)
        cols = [column(rows, x + dx, int(py) - 2, int(zero) + 3) for dx in range(-reach, reach + 1)]
        ks = [vals[s][ci] for s in range(len(series))]
        if not all(k["known"] for k in ks):
            if any(any(near(p, s["rgb"], 30) for s in series) for p in col):
                fail("category %d is not known but has a bar" % ci)
            continue
        for si, s in enumerate(series):
            v = ks[si]["value"]
            # a provisional bar is its colour at 60 % (cia_chart_provisional_rgb) inside an outline of it
            light = [c + (255 - c) * 0.4 for c in s["rgb"]]
            prov = "p" in (ks[si].get("flags") or "")
            if prov and any(near(light, o["rgb"], 30) or near(light, [c + (255 - c) * 0.4 for c in o["rgb"]], 30)
                            for o in series if o is not s):
                continue   # its lighter fill is another series' colour: not measurable here
            got = max(sum(1 for p in c if near(p, s["rgb"], 30) or (prov and near(p, light, 30))) for c in cols)
            want = v * unit
            slack = 2 + (sep + 1 if kind == "stacked" else 0)
            n += 1
            worst = max(worst, abs(got - want))
            if abs(got - want) > slack:
                fail("category %s, %s: %d pixels tall, expected %.1f (value %g x %.3f px)"
                     % (d["categories"][ci]["key"], s["key"], got, want, v, unit))
    if n == 0:
        fail("no bar measured")
    print("%d bars proportional to their values (worst %.1f px)" % (n, worst))


# ---- value labels in the PDF text ---------------------------------------------

def fmt(v, lang):
    s = "{:,}".format(int(round(v)))
    if lang == "fr":
        s = s.replace(",", "\u202f")
    elif lang == "nl":
        s = s.replace(",", ".")
    return s


def cmd_labels(args):
    d = json.load(open(args[0]))
    text = open(args[1], encoding="utf-8").read()
    words = text.split()
    vals, lang = d["values"], d["lang"]
    want = []
    if d["kind"] == "stacked":
        for ci in range(len(d["categories"])):
            ks = [vals[s][ci] for s in range(len(d["series"]))]
            if all(k["known"] for k in ks):
                want.append(sum(k["value"] for k in ks))
    else:
        for s in vals:
            for k in s:
                if k["known"]:
                    want.append(k["value"])
    missing = [fmt(v, lang) for v in want if fmt(v, lang) not in words and fmt(v, lang) not in text]
    if missing:
        fail("values not written on the chart: %s" % missing)
    if not want:
        fail("no value to look for")
    print("%d value labels in the PDF text" % len(want))


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(64)
    cmd, args = sys.argv[1], sys.argv[2:]
    {"png": cmd_png, "svg": cmd_svg, "pdf": cmd_pdf, "figures": cmd_figures, "gap": cmd_gap, "bars": cmd_bars,
     "labels": cmd_labels}[cmd](args)


if __name__ == "__main__":
    main()
