"""check_report.py — the oracle of the report tests.

Two checks, each independent of the code under test:

  --queries:  every figure of a report's trace (`ciatteh report --trace`)
              against `ciatteh query` run here: a figure the query returns
              must be that value and those flags; one it does not return
              must be 0 when the item's service delivered that year (from
              `ciatteh deliveries`) and not known otherwise, provisional
              like the item's total for the year.  Shares, changes and the
              "other" rows are recomputed from the figures they name.

  rendering:  every number cell of the text, CSV (plain and --localized)
              and XLSX outputs of one language against the trace: the
              value formatted the way table.h says that language writes it
              (re-implemented here), its flags, the not-known marker —
              never a 0 — and no formula anywhere in the workbook.

Usage: /usr/bin/python3 check_report.py --trace T --cia BIN --queries [--as-of D]
       /usr/bin/python3 check_report.py --trace T --lang L [--text F] [--csv F]
                                        [--loc-csv F] [--xlsx F]
Prints one line per problem, then "checked N figures"; exit 1 on any problem.
"""
import argparse
import csv
import io
import os
import subprocess
import sys
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from xlsx_tables import sheet, table_ids  # noqa: E402

PROBLEMS = []
CHECKED = 0
NNBSP = "\u202f"
NK = {"en": "n.k.", "fr": "inc.", "nl": "onb."}
FLAGS_WORD = {"en": "flags", "fr": "marques", "nl": "vlaggen"}
SERVICE = {"police": "police", "prosecution": "prosecution", "inspection": "inspectorates",
           "shelter": "shelters", "conviction": "convictions", "immigration": "immigration"}


def problem(msg):
    PROBLEMS.append(msg)


def checked():
    global CHECKED
    CHECKED += 1


def read_trace(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["row"] = int(r["row"])
        r["col"] = int(r["col"])
        r["year"] = int(r["year"]) if r["year"] else None
        r["val"] = float(r["value"]) if r["value"] != "" else None
        r["unknown"] = int(r.get("unknown") or 0)
    return rows


def gap(r, lang):
    """A lower bound's own count of records left unknown: "3 n.k.", else ""."""
    if r["val"] is None or "u" not in (r["flags"] or "") or r["unknown"] <= 0 or kind_type(r) != "count":
        return ""
    return fmt_number(r["unknown"], 0, lang) + " " + NK[lang]


def flags_cell(r, lang):
    """The flags column (CSV, XLSX): the letters, then the gap or the mark."""
    g = gap(r, lang)
    if r["val"] is None:
        return (r["flags"] + " " + mark(r, lang)).strip()
    return (r["flags"] + " " + g).strip() if g else r["flags"]


def tables_in_order(trace):
    order = []
    for r in trace:
        if r["table"] not in order:
            order.append(r["table"])
    return order


# ---------------------------------------------------------------- queries

def run_query(cia, item, years, by, where, as_of):
    cmd = [cia, "query", item, "--years", "%d-%d" % years]
    if by:
        cmd += ["--by", by]
    for w in where:
        cmd += ["--where", w]
    if as_of:
        cmd += ["--as-of", as_of]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        problem("query failed: %s: %s" % (" ".join(cmd), p.stderr.strip()))
        return []
    return list(csv.DictReader(io.StringIO(p.stdout)))


def coverage(cia, as_of):
    """service -> years delivered by a delivery loaded by the end of as_of."""
    p = subprocess.run([cia, "deliveries", "--format", "csv"], capture_output=True, text=True)
    cov = defaultdict(set)
    for d in csv.DictReader(io.StringIO(p.stdout)):
        if as_of and d["loaded_at"][:10] > as_of:
            continue
        for y in d["years"].split(","):
            if y:
                cov[d["service"]].add(int(y))
    return cov


def flagset(s):
    return "".join(f for f in "upnic" if f in (s or ""))


# The mark of a number that is not there, by its state (table.h): not
# delivered, incomplete year, or delivered but not known ("n.k.").
ND = {"en": "n.d.", "fr": "n.l.", "nl": "n.g."}
INC = {"en": "incompl.", "fr": "incompl.", "nl": "onvoll."}


def mark(r, lang):
    f = r["flags"] or ""
    return ND[lang] if "n" in f else INC[lang] if "i" in f else NK[lang]


def check_queries(trace, cia, as_of):
    years = [r["year"] for r in trace if r["year"]]
    span = (min(years), max(years))
    cache = {}

    def q(item, by, where):
        key = (item, by, where)
        if key not in cache:
            w = [x for x in where.split(";") if x]
            cache[key] = run_query(cia, item, span, by, w, as_of)
        return cache[key]

    # The figure layer gives every year asked a row with its state: a code
    # absent from a year takes the year's state (0 when delivered).
    def absent(item, year):
        tot = [r for r in q(item, "", "") if int(r["year"]) == year]
        fl = flagset("".join(c for c in (tot[0]["flag"] if tot else "n") if c in "pni"))
        return (None if ("n" in fl or "i" in fl) else 0.0), fl

    cells = {(r["table"], r["row"], r["col"]): r for r in trace}
    for r in trace:
        where = "at %s row %d col %d (%s / %s)" % (r["table"], r["row"], r["col"], r["row_key"], r["col_key"])
        kind = r["kind"]
        if kind in ("query", "rest"):
            rows = [x for x in q(r["item"], r["by"], r["where"]) if int(x["year"]) == r["year"]]
            if kind == "query":
                if r["by"]:
                    rows = [x for x in rows if x[r["by"]] == r["code"]]
                if len(rows) > 1:
                    problem("%s: the query gives %d rows" % (where, len(rows)))
                    continue
                if rows:
                    want = (float(rows[0]["value"]) if rows[0]["value"] != "" else None, flagset(rows[0]["flag"]))
                else:
                    want = absent(r["item"], r["year"])
            else:
                excluded = set(r["code"].split("|"))
                rows = [x for x in rows if x[r["by"]] not in excluded and x[r["by"]] not in ("UNK", "")]
                if rows:
                    known = [float(x["value"]) for x in rows if x["value"] != ""]
                    fl = "".join(x["flag"] for x in rows)
                    if len(known) < len(rows):
                        fl += "u"
                    want = (sum(known) if known else None, flagset(fl))
                else:
                    want = absent(r["item"], r["year"])
            got = (r["val"], flagset(r["flags"]))
            if got != want:
                problem("%s: %s %s %s=%s where %s: report %r, query %r"
                        % (where, r["item"], r["year"], r["by"], r["code"], r["where"], got, want))
            checked()
            continue
        # derived figures: from the cells they name
        def ref(s):
            t, c = s.split(".")
            return cells.get((r["table"], int(t), int(c)))
        if kind == "share":
            nums, den = r["refs"].split("/")
            parts = [ref(x) for x in nums.split("+")]
            d = ref(den)
            if d is None or any(p is None for p in parts):
                problem("%s: share refers to a cell without a figure: %s" % (where, r["refs"]))
                continue
            fl = flagset("".join(p["flags"] for p in parts) + d["flags"])
            if any(p["val"] is None for p in parts) or d["val"] is None:
                want = (None, fl.replace("u", ""))
            else:
                want = (sum(p["val"] for p in parts) / d["val"], fl)
        elif kind in ("change", "change_pct"):
            a, b = [ref(x) for x in r["refs"].split()]
            fl = flagset(a["flags"] + b["flags"])
            if a["val"] is None or b["val"] is None:
                want = (None, fl.replace("u", ""))
            elif kind == "change":
                want = (a["val"] - b["val"], fl)
            else:
                want = ((a["val"] - b["val"]) / b["val"], fl)
        else:
            problem("%s: unknown kind %s" % (where, kind))
            continue
        got = (r["val"], flagset(r["flags"]))
        same = got[1] == want[1] and ((got[0] is None and want[0] is None) or
                                      (got[0] is not None and want[0] is not None and abs(got[0] - want[0]) < 1e-6))
        if not same:
            problem("%s: %s %s: report %r, recomputed %r" % (where, kind, r["refs"], got, want))
        checked()


# ---------------------------------------------------------------- formats

def group(digits, sep):
    out = ""
    for i, ch in enumerate(digits):
        if i and (len(digits) - i) % 3 == 0:
            out += sep
        out += ch
    return out


def fmt_number(v, decimals, lang, percent=False, plus=False):
    """table.h's cia_format_*: en 1,234 / 12.5%; fr 1 234 / 12,5 %; nl 1.234 / 12,5%."""
    sep, dec, pct = {"en": (",", ".", "%"), "fr": (NNBSP, ",", NNBSP + "%"), "nl": (".", ",", "%")}[lang]
    x = v * 100 if percent else v
    s = "%.*f" % (decimals, abs(x))
    zero = s.strip("0.") == ""
    ip, _, fp = s.partition(".")
    out = ("-" if x < 0 and not zero else "+" if plus and not zero else "") + group(ip, sep)
    if fp:
        out += dec + fp
    return out + (pct if percent else "")


def kind_type(r):
    """The cell type a trace kind renders as."""
    if r["kind"] in ("share", "change_pct"):
        return "pct"
    if r["kind"] == "change":
        return "delta"
    return "count"


def shown(r, lang):
    if r["val"] is None:
        return mark(r, lang)
    t = kind_type(r)
    if t == "pct":
        return fmt_number(r["val"], 1, lang, percent=True)
    n = fmt_number(r["val"], 0, lang, plus=(t == "delta"))
    # a lower bound reads "≥ 12"
    return "\u2265 " + n if t == "count" and "u" in (r["flags"] or "") else n


def by_table(trace):
    t = defaultdict(list)
    for r in trace:
        t[r["table"]].append(r)
    return t


def nhead_of(rows):
    return min(r["col"] for r in rows)


def check_text(path, trace, lang):
    """Each table: the line of dashes gives the column spans; the rows follow."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    dash_lines = [i for i, l in enumerate(lines) if l and set(l) <= {"-", " "} and l.startswith("-")]
    tabs = by_table(trace)
    order = tables_in_order(trace)
    if len(dash_lines) < len(order):
        problem("%s: %d tables, %d expected" % (path, len(dash_lines), len(order)))
        return
    for ti, tid in enumerate(order):
        d = dash_lines[ti]
        spans, i, l = [], 0, lines[d]
        while i < len(l):
            if l[i] == "-":
                j = i
                while j < len(l) and l[j] == "-":
                    j += 1
                spans.append((i, j))
                i = j
            else:
                i += 1
        for r in tabs[tid]:
            line = lines[d + 1 + r["row"]] if d + 1 + r["row"] < len(lines) else ""
            a, b = spans[r["col"]]
            text = line[a:b].strip()
            want = shown(r, lang)
            g = gap(r, lang)
            # French puts a no-break space before the semicolon
            semi = "\u00a0; " if lang == "fr" else "; "
            marks = "(%s%s)" % (",".join(r["flags"]), semi + g if g else "") if r["flags"] else ""
            exp = (want + " " + marks).strip()
            if text != exp:
                problem("%s: table %s row %d col %d: %r, expected %r" % (path, tid, r["row"], r["col"], text, exp))
            checked()


def read_csv_blocks(path, delim, bom):
    with open(path, "rb") as f:
        raw = f.read()
    if bom != raw.startswith(b"\xef\xbb\xbf"):
        problem("%s: BOM %s expected" % (path, "" if bom else "not"))
    text = raw.decode("utf-8-sig")
    # The trace after the tables (issue 13): comment lines in the plain
    # CSV, a last block of one-cell rows in the localised one.
    if not bom:
        lines = text.split("\n")
        comments = [l for l in lines if l.startswith("# ")]
        if not any(l.startswith("# ") and ": " in l for l in comments[-1:]):
            problem("%s: no trace (comment lines) after the tables" % path)
        text = "\n".join(l for l in lines if not l.startswith("#"))
    blocks, cur = [], []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delim):
        if not row:
            if cur:
                blocks.append(cur)
            cur = []
            continue
        cur.append(row)
    if cur:
        blocks.append(cur)
    if bom:
        if not blocks or any(len(r) != 1 for r in blocks[-1]):
            problem("%s: no trace (one-cell rows) after the tables" % path)
        else:
            blocks.pop()
    return blocks


def csv_value(r, lang, localized):
    if r["val"] is None:
        return ""
    t = kind_type(r)
    if t == "pct":
        if localized:
            s = "%.1f%%" % (r["val"] * 100)
            if s == "-0.0%":
                s = "0.0%"
        else:
            return None            # compared as a number
    else:
        s = "%.0f" % r["val"]
        if s == "-0":
            s = "0"
    if localized and lang in ("fr", "nl"):
        s = s.replace(".", ",")
    return s


def check_csv(path, trace, lang, localized):
    delim = ";" if localized and lang in ("fr", "nl") else ","
    blocks = read_csv_blocks(path, delim, localized)
    order = tables_in_order(trace)
    tabs = by_table(trace)
    if len(blocks) != len(order):
        problem("%s: %d tables, %d expected" % (path, len(blocks), len(order)))
        return
    for ti, tid in enumerate(order):
        rows = tabs[tid]
        nh = nhead_of(rows)
        head = blocks[ti][0]
        for c in range(nh, len(head), 2):
            if not head[c + 1].endswith("(%s)" % FLAGS_WORD[lang]):
                problem("%s: table %s: heading %r is not a flags column" % (path, tid, head[c + 1]))
        for r in rows:
            data = blocks[ti][1 + r["row"]]
            k = nh + 2 * (r["col"] - nh)
            v, fl = data[k], data[k + 1]
            want = csv_value(r, lang, localized)
            if want is None:
                ok = v != "" and abs(float(v) - r["val"]) < 1e-9
            else:
                ok = v == want
            wflags = flags_cell(r, lang)
            if not ok or fl != wflags:
                problem("%s: table %s row %d col %d: %r %r, expected %r %r"
                        % (path, tid, r["row"], r["col"], v, fl, want if want is not None else r["val"], wflags))
            checked()


def check_xlsx(path, trace, lang):
    import openpyxl
    wb = openpyxl.load_workbook(path)
    formulas = [(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows()
                for c in row if c.data_type == "f"]
    if formulas:
        problem("%s: formula cells %s" % (path, formulas[:5]))
    tabs = by_table(trace)
    order = tables_in_order(trace)
    # tables found by their stable id (the name "table.ID"), the sheets
    # being named in the workbook's language
    if table_ids(wb)[:len(order)] != order:
        problem("%s: tables %r, expected %r first" % (path, table_ids(wb), order))
        return
    for tid in order:
        ws = sheet(wb, tid)
        # model column -> sheet column: headings of row 3, flags columns skipped
        heads = [c.value for c in ws[3]]
        cols = [i + 1 for i, h in enumerate(heads) if h is not None and h != FLAGS_WORD[lang]]
        for r in tabs[tid]:
            xc = cols[r["col"]]
            cell = ws.cell(row=4 + r["row"], column=xc)
            nxt = heads[xc] if xc < len(heads) else None
            flags = ws.cell(row=4 + r["row"], column=xc + 1).value if nxt == FLAGS_WORD[lang] else None
            if r["val"] is None:
                ok = cell.data_type == "s" and cell.value == mark(r, lang)
            else:
                ok = cell.data_type == "n" and abs(cell.value - r["val"]) < 1e-9
                fmt = {"pct": "0.0%", "delta": "+#,##0;-#,##0;0", "count": "#,##0"}[kind_type(r)]
                if cell.number_format != fmt:
                    problem("%s: %s!%s number format %r, expected %r" % (path, tid, cell.coordinate, cell.number_format, fmt))
            wflags = flags_cell(r, lang) if r["val"] is not None else r["flags"]
            if not ok or (flags or "") != wflags:
                problem("%s: %s!%s: %r flags %r, expected %r %r"
                        % (path, tid, cell.coordinate, cell.value, flags, r["val"] if r["val"] is not None else mark(r, lang), wflags))
            checked()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trace", required=True)
    ap.add_argument("--cia")
    ap.add_argument("--queries", action="store_true")
    ap.add_argument("--as-of", default="")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--text")
    ap.add_argument("--csv")
    ap.add_argument("--loc-csv")
    ap.add_argument("--xlsx")
    a = ap.parse_args()
    trace = read_trace(a.trace)
    if not trace:
        problem("empty trace")
    if a.queries:
        check_queries(trace, a.cia, a.as_of)
    if a.text:
        check_text(a.text, trace, a.lang)
    if a.csv:
        check_csv(a.csv, trace, a.lang, False)
    if a.loc_csv:
        check_csv(a.loc_csv, trace, a.lang, True)
    if a.xlsx:
        check_xlsx(a.xlsx, trace, a.lang)
    for p in PROBLEMS[:60]:
        print("FAIL", p)
    if len(PROBLEMS) > 60:
        print("... and %d more" % (len(PROBLEMS) - 60))
    print("checked %d figures, %d problems" % (CHECKED, len(PROBLEMS)))
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main())
