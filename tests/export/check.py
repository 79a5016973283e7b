"""check.py — reads ciatteh's questionnaire exports back with standard
readers (csv, openpyxl) and checks them against `ciatteh query`, and tries
to recompute withheld cells.  Used by tests/export/test_*.sh; run with
/usr/bin/python3 (Debian's openpyxl).  Independent of the C engine: the
expected layout, keys and filters are written out here from the
questionnaires' published structure, not read from the definition files.

  check.py sdmx FILE YEAR THRESHOLD          SDMX-CSV: header, exact keys, every cell
  check.py xlsx QUESTIONNAIRE FILE YEAR THRESHOLD   every sheet, every cell
  check.py attack-sdmx FILE [--reveal-secondary THRESHOLD]
  check.py attack-answers FILE [--reveal-secondary THRESHOLD]
      try to recompute every withheld cell from the published cells
      (linear equations over rows, columns and tables, exact fractions,
      plus "all withheld parts add up to their number": each is 1).
      --reveal-secondary: first put back the true value of every withheld
      cell above THRESHOLD (only the small ones stay withheld), to show the
      attack finds them then.

Environment: CIA (the ciatteh binary), CIATTEH_HOME (its cluster),
CHECK_CACHE (optional: a file keeping `ciatteh query` answers between runs
on the same data; a test that changes the data uses another file).
Prints one line per problem and a summary "checked N ..., M problems";
exit 1 when there is any problem.
"""
import atexit
import csv
import json
import os
import subprocess
import sys
from fractions import Fraction

CIA = os.environ.get("CIA", "ciatteh")
PROBLEMS = []
CHECKED = 0


def problem(msg):
    PROBLEMS.append(msg)
    print("PROBLEM", msg)


def finish(what):
    print("checked %d %s, %d problems" % (CHECKED, what, len(PROBLEMS)))
    sys.exit(1 if PROBLEMS else 0)


# ---------------------------------------------------------------- the query layer
_QCACHE = {}
_CACHE_FILE = os.environ.get("CHECK_CACHE")
if _CACHE_FILE and os.path.exists(_CACHE_FILE):
    with open(_CACHE_FILE) as fh:
        _QCACHE = {tuple(json.loads(k)): (tuple(v) if v is not None else None)
                   for k, v in json.load(fh).items()}


def _save_cache():
    if _CACHE_FILE:
        with open(_CACHE_FILE, "w") as fh:
            json.dump({json.dumps(list(k)): v for k, v in _QCACHE.items()}, fh)


atexit.register(_save_cache)


def query(item, year, where):
    """(value or None, flags) from `ciatteh query`, or None when no row."""
    key = (item, year, json.dumps(sorted(where.items())))
    if key in _QCACHE:
        return _QCACHE[key]
    if where:
        hit, res = from_fine(item, year, where)
        if hit:
            _QCACHE[key] = res
            return res
    args = [CIA, "query", item, "--year", str(year)]
    for k, v in sorted(where.items()):
        args += ["--where", "%s=%s" % (k, v)]
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        problem("query failed: %s: %s" % (" ".join(args[1:]), out.stderr.strip()))
        _QCACHE[key] = None
        return None
    rows = list(csv.reader(out.stdout.splitlines()))
    if rows[0][-2:] != ["value", "flag"]:
        problem("unexpected query header %r" % rows[0])
    res = None
    if len(rows) > 1:
        v, f = rows[1][-2], rows[1][-1]
        res = (int(v) if v != "" else None, f)
    _QCACHE[key] = res
    return res


_FINE = {}   # (item, year, base filters) → (dims, rows of `ciatteh query --by dims`)


def prefetch(cells):
    """Answer many cells from one `ciatteh query --by` per item, year and
    fixed filters (each call is a process and a connection): a cell is then
    the sum of the rows its codes select, with the query layer's rules (no
    row: None; a value only from rows that have one; u or p when a row has
    it).  Dimensions with a single code in every cell stay filters."""
    groups = {}
    for item, year, where in cells:
        for part in item.split("+"):
            groups.setdefault((part, year), []).append(where)
    for (item, year), wheres in groups.items():
        dims = sorted({k for w in wheres for k in w})
        fixed = {k: wheres[0][k] for k in dims if k in wheres[0] and all(w.get(k) == wheres[0][k] for w in wheres)}
        by = [k for k in dims if k not in fixed]
        args = [CIA, "query", item, "--year", str(year)]
        for k, v in sorted(fixed.items()):
            args += ["--where", "%s=%s" % (k, v)]
        if by:
            args += ["--by", ",".join(by)]
        out = subprocess.run(args, capture_output=True, text=True)
        if out.returncode != 0:
            continue   # each cell is then asked on its own
        rows = list(csv.reader(out.stdout.splitlines()))[1:]
        _FINE[(item, year, json.dumps(sorted(fixed.items())))] = (by, fixed, rows)
        whole = query(item, year, {})   # the year's state, once
        del whole


def from_fine(item, year, where):
    """(found, what `ciatteh query` says for where) from a prefetched --by."""
    for (it, y, _), (by, fixed, rows) in _FINE.items():
        if it != item or y != year or any(where.get(k) != v for k, v in fixed.items()):
            continue
        if any(k not in fixed and k not in by for k in where):
            continue
        n = len(by)
        if rows and all(c == "" for c in rows[0][2:2 + n]):
            # the year has no records at all: the one row says what it is
            r = rows[0]
            return True, (int(r[2 + n]) if r[2 + n] != "" else None, r[3 + n])
        sel = [r for r in rows if all(k not in where or r[2 + i] in where[k].split(",") for i, k in enumerate(by))]
        if not sel:
            return True, None
        known = [int(r[2 + n]) for r in sel if r[2 + n] != ""]
        flags = {f for r in sel for f in r[3 + n]}
        return True, (sum(known) if known else None, "".join(x for x in "up" if x in flags))
    return False, None


def expected(item, year, where):
    """What a cell must say: (value or None, flags), with the year's state:
    no row but data that year → 0; no data at all that year → not known.
    A sum of items (A+B): known when every part is, with all their flags."""
    if "+" in item:
        parts = [expected(p, year, where) for p in item.split("+")]
        flags = "".join(x for x in "upnic" if any(x in f for _, f in parts))
        if any(v is None for v, _ in parts):
            return (None, flags)
        return (sum(v for v, _ in parts), flags)
    r = query(item, year, where)
    if r is not None:
        return r
    whole = query(item, year, {})
    if whole is None:
        return (None, "")
    return (0, "p" if "p" in whole[1] else "")


def check_cell(where_txt, item, year, filters, value, flags, threshold, sensitive=True):
    """value: int, None (empty / n.k.) or 'c' (withheld)."""
    global CHECKED
    CHECKED += 1
    ev, ef = expected(item, year, filters)
    if value == "c":
        if "c" not in flags:
            problem("%s: withheld without flag c (%r)" % (where_txt, flags))
        if ev is None or ev < 1:
            problem("%s: withheld, but the figure is %r (zeros and unknowns are never withheld)" % (where_txt, ev))
        return
    if sensitive and ev is not None and 1 <= ev <= threshold:
        problem("%s: %d persons published (must be withheld, threshold %d)" % (where_txt, ev, threshold))
    if value != ev:
        problem("%s: published %r, ciatteh query says %r (%s %d %s)" % (where_txt, value, ev, item, year, filters))
    if sorted(flags) != sorted(ef):
        problem("%s: flags %r, ciatteh query says %r" % (where_txt, flags, ef))


# ---------------------------------------------------------------- Eurostat SDMX-CSV
# Written out from Eurostat's concepts, not read from eurostat.q (the
# format itself is checked by sdmx_read.py against the definition).
SEX = {"F": "F", "M": "M", "UNK": "UNK"}
AGE = {"Y_LT18": "MINOR", "Y_GE18": "ADULT", "UNK": "UNK"}
EXPL = {"SEX_EXP": "SEX", "LAB_EXP": "LAB", "OTH": "BEG,CRIM,ORG,OTH", "UNK": "UNK"}
STAGE = {"VICT": ("shelter.victims_admitted+shelter.victims_presumed", {}),
         "VICT_ID": ("shelter.victims_admitted", {}),
         "VICT_PRE": ("shelter.victims_presumed", {}),
         "PER_SUSP": ("police.suspects", {"offence": "THB"}),
         "PER_PRSC": ("prosecution.defendants_prosecuted", {"offence": "THB"}),
         "PER_CNV": ("conviction.persons", {"offence": "THB"})}
KEYCOLS = ["LEG_STAT", "SEX", "AGE", "CITIZEN", "EXPL"]


def citizen_codes(year):
    """Eurostat's citizenship codes in a year: the EU's composition then."""
    eu = "EU27_2007" if year <= 2012 else "EU28" if year <= 2020 else "EU27_2020"
    return {"NAT": "NAT", eu + "_FOR": "EU", "N" + eu + "_FOR": "NONEU", "UNK": "UNK"}


def eurostat_keys(year):
    """The keys the Eurostat answer must have, no more, no less."""
    keys = set()
    sexes = ["F", "M", "UNK", "T"]
    cits = list(citizen_codes(year))
    for st in ["VICT_ID", "VICT_PRE", "VICT"]:
        for s in sexes:
            for a in ["Y_LT18", "Y_GE18", "UNK", "TOTAL"]:
                keys.add((st, s, a, "TOTAL", "TOTAL"))
            for e in EXPL:
                keys.add((st, s, "TOTAL", "TOTAL", e))
            for c in cits:
                keys.add((st, s, "TOTAL", c, "TOTAL"))
    for st in ["PER_SUSP", "PER_PRSC", "PER_CNV"]:
        for s in sexes:
            keys.add((st, s, "TOTAL", "TOTAL", "TOTAL"))
        for e in EXPL:
            keys.add((st, "T", "TOTAL", "TOTAL", e))
        for c in cits:
            keys.add((st, "T", "TOTAL", c, "TOTAL"))
    for s in sexes:
        for c in cits:
            keys.add(("PER_CNV", s, "TOTAL", c, "TOTAL"))
        for e in EXPL:
            keys.add(("PER_CNV", s, "TOTAL", "TOTAL", e))
    return keys


def not_collected(k):
    """Sex and citizenship of suspects and defendants: no service sends them."""
    return k[0] in ("PER_SUSP", "PER_PRSC") and (k[1] != "T" or k[3] != "TOTAL")


def key_filters(k, year):
    st, s, a, c, e = k
    item, base = STAGE[st]
    f = dict(base)
    if s != "T":
        f["sex"] = SEX[s]
    if a != "TOTAL":
        f["age_group"] = AGE[a]
    if c != "TOTAL":
        f["citizenship"] = citizen_codes(year)[c]
    if e != "TOTAL":
        f["form"] = EXPL[e]
    return item, f


def read_sdmx(path):
    """Rows as dicts, whichever SDMX-CSV version (1.0: DATAFLOW, 2.0:
    STRUCTURE, STRUCTURE_ID, ACTION)."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def withheld(d):
    return d.get("CONF_STATUS", "") in ("A", "D")


def expected_status(k, v, flags):
    """OBS_STATUS from our flags: the first that applies of not delivered
    (O), provisional (P), definition differs (D: suspects and defendants
    are added up per fact or case), lower bound (U)."""
    if v is None and "u" not in flags:
        return "O"
    if "p" in flags:
        return "P"
    if k[0] in ("PER_SUSP", "PER_PRSC"):
        return "D" if v is not None else "O"
    if "u" in flags:
        return "U" if v is not None else "O"
    return ""


def cmd_sdmx(path, year, threshold):
    global CHECKED
    head, rows = read_sdmx(path)
    CHECKED += 1
    for col in KEYCOLS + ["TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "CONF_STATUS", "COMMENT_OBS"]:
        if col not in head:
            problem("no column %s in %r" % (col, head))
            finish("SDMX cells")
    want = eurostat_keys(year)
    got = []
    for d in rows:
        if len(d) != len(head):
            problem("row with %d fields: %r" % (len(d), d))
            continue
        for col, val in (("FREQ", "A"), ("UNIT", "NR"), ("GEO", "BE"), ("TIME_PERIOD", str(year))):
            if d[col] != val:
                problem("%r: %s is %r, expected %r" % (d, col, d[col], val))
        got.append(tuple(d[c] for c in KEYCOLS))
    CHECKED += 1
    if len(got) != len(set(got)):
        problem("duplicate keys: %r" % [k for k in set(got) if got.count(k) > 1])
    if set(got) != want:
        problem("keys: missing %r, unexpected %r" % (sorted(want - set(got)), sorted(set(got) - want)))
    fk = [key_filters(k, year) for k in sorted(set(got) & want) if not not_collected(k)]
    prefetch([(item, year, f) for item, f in fk])
    for d in rows:
        k = tuple(d.get(c) for c in KEYCOLS)
        if k not in want:
            continue
        where = "SDMX %s" % ",".join(k)
        if not_collected(k):
            CHECKED += 1
            if d["OBS_VALUE"] != "" or d["OBS_STATUS"] != "L" or d["CONF_STATUS"] != "":
                problem("%s: not collected by these sources: must be empty with OBS_STATUS L, got %r" % (where, d))
            continue
        item, f = key_filters(k, year)
        ev, ef = expected(item, year, f)
        if withheld(d):
            if d["OBS_VALUE"] != "":
                problem("%s: withheld with a value: %r" % (where, d))
            check_cell(where, item, year, f, "c", "c", threshold)
            continue
        CHECKED += 1
        if d["CONF_STATUS"] != ("F" if ev is not None else ""):
            problem("%s: CONF_STATUS %r (F: free; empty when there is no figure)" % (where, d["CONF_STATUS"]))
        v = int(d["OBS_VALUE"]) if d["OBS_VALUE"] != "" else None
        st = expected_status(k, ev, ef)
        if d["OBS_STATUS"] != st:
            problem("%s: OBS_STATUS %r, expected %r (ciatteh query flags %r)" % (where, d["OBS_STATUS"], st, ef))
        check_cell(where, item, year, f, v, ef, threshold)
    finish("SDMX cells")


# ---------------------------------------------------------------- XLSX
def read_xlsx(path):
    """{sheet: (title, headings, rows)}: rows = [(label, [(value, flags)...])],
    value an int, None (n.k.) or 'c'."""
    import openpyxl
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        grid = [list(r) for r in ws.iter_rows(values_only=True)]
        if not grid or len(grid) < 3:
            continue
        title = grid[0][0]
        head = grid[2]
        cols = []   # (value column, flags column or None, heading)
        for i, h in enumerate(head):
            if i == 0 or h is None or h in ("flags", "indicateurs", "vlaggen"):
                continue
            fl = i + 1 if i + 1 < len(head) and head[i + 1] in ("flags", "indicateurs", "vlaggen") else None
            cols.append((i, fl, h))
        rows = []
        for r in grid[3:]:
            if r[0] is None:
                break
            vals = []
            for (i, fl, h) in cols:
                v = r[i]
                f = r[fl] if fl is not None and r[fl] is not None else ""
                for bad in ("formula",):
                    pass
                if isinstance(v, str):
                    v = "c" if v == "c" else None if v in ("n.k.", "inc.", "onb.") else "?" + v
                elif isinstance(v, float) and v.is_integer():
                    v = int(v)
                vals.append((v, f))
            rows.append((r[0], vals))
        out[ws.title] = (title, [c[2] for c in cols], rows)
    # no formulas anywhere
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    problem("formula in %s!%s" % (ws.title, c.coordinate))
    return out


EU_SEX_COLS = [("Female", {"sex": "F"}), ("Male", {"sex": "M"}), ("Sex not known", {"sex": "UNK"}),
               ("Total", {})]


def layouts(q, year):
    """Sheet → (item or None, base filters, [(row label, filters)], [(heading, filters)]).
    A row/col filter may carry 'item' and 'year'."""
    age_rows = [("Children (under 18)", {"age_group": "MINOR"}), ("Adults", {"age_group": "ADULT"}),
                ("Age not known", {"age_group": "UNK"}), ("Total", {})]
    if q == "eurostat":
        vict = None
        forms = [("Sexual exploitation", {"form": "SEX"}), ("Labour exploitation", {"form": "LAB"}),
                 ("Other forms", {"form": "BEG,CRIM,ORG,OTH"}), ("Form not known", {"form": "UNK"}),
                 ("Total", {})]
        cits = [("Reporting country (Belgian)", {"citizenship": "NAT"}), ("Other EU country", {"citizenship": "EU"}),
                ("Non-EU country", {"citizenship": "NONEU"}), ("Citizenship not known", {"citizenship": "UNK"}),
                ("Total", {})]
        stages = [("Suspected persons", {"item": "police.suspects"}),
                  ("Prosecuted persons", {"item": "prosecution.defendants_prosecuted"}),
                  ("Convicted persons", {"item": "conviction.persons"})]
        vsex = []
        for st, lab in ((("item", "shelter.victims_admitted"), "Identified"),
                        (("item", "shelter.victims_presumed"), "Presumed"), (("item", "shelter.victims_admitted+shelter.victims_presumed"), "Registered")):
            for sl, sf in (("female", {"sex": "F"}), ("male", {"sex": "M"}), ("sex not known", {"sex": "UNK"}),
                           ("total", {})):
                f = dict(sf)
                if st:
                    f[st[0]] = st[1]
                vsex.append(("%s: %s" % (lab, sl), f))
        conv = {"offence": "THB"}
        return {
            "victims_age": (vict, {}, age_rows, vsex),
            "victims_form": (vict, {}, forms, vsex),
            "victims_citizenship": (vict, {}, cits, vsex),
            "offenders_sex": (None, {"offence": "THB"}, stages, EU_SEX_COLS),
            "offenders_citizenship": (None, {"offence": "THB"}, stages, cits),
            "offenders_form": (None, {"offence": "THB"}, stages, forms),
            "convicted_citizenship_sex": ("conviction.persons", conv, cits, EU_SEX_COLS),
            "convicted_form_sex": ("conviction.persons", conv, forms, EU_SEX_COLS),
        }
    if q == "greta":
        vict = None
        sex_rows = [("Female", {"sex": "F"}), ("Male", {"sex": "M"}), ("Sex not known", {"sex": "UNK"}),
                    ("Total", {})]
        stat = [("Identified", ("item", "shelter.victims_admitted")), ("Presumed", ("item", "shelter.victims_presumed")),
                ("All", ("item", "shelter.victims_admitted+shelter.victims_presumed"))]

        def cross(first, second):
            out = []
            for fl, ff in first:
                for sl, sf in second:
                    f = dict(sf)
                    f.update(ff)
                    out.append(("%s: %s" % (fl, sl), f))
            return out
        stat_f = [(l, dict([p]) if p else {}) for l, p in stat]
        vage = cross(stat_f, [("children", {"age_group": "MINOR"}), ("adults", {"age_group": "ADULT"}),
                              ("age not known", {"age_group": "UNK"}), ("all ages", {})])
        vage = [(l.replace("All: all ages", "All: total"), f) for l, f in vage]
        vsex = cross(stat_f, [("female", {"sex": "F"}), ("male", {"sex": "M"}), ("sex not known", {"sex": "UNK"}),
                              ("total", {})])
        agesex = cross([("Children", {"age_group": "MINOR"}), ("Adults", {"age_group": "ADULT"}),
                        ("Age not known", {"age_group": "UNK"}), ("All ages", {})],
                       [("female", {"sex": "F"}), ("male", {"sex": "M"}), ("sex not known", {"sex": "UNK"}),
                        ("total", {})])
        forms = [("Sexual exploitation", {"form": "SEX"}), ("Labour exploitation", {"form": "LAB"}),
                 ("Exploitation of begging", {"form": "BEG"}), ("Forced criminality", {"form": "CRIM"}),
                 ("Removal of organs", {"form": "ORG"}), ("Other forms", {"form": "OTH"}),
                 ("Form not known", {"form": "UNK"}), ("Total", {})]
        docs = [("Order to leave, 45-day reflection period", {"document": "OQT45"}),
                ("Registration certificate, 3 months", {"document": "AI3M"}),
                ("Temporary residence, 6 months", {"document": "CIRE6M"}),
                ("Permanent residence", {"document": "PERM"}),
                ("Humanitarian residence", {"document": "HUMAN"}), ("Total", {})]
        justice = [("Cases entering prosecution (investigations)", {"item": "prosecution.cases_in"}),
                   ("Cases prosecuted (summons or referral to an investigating judge)",
                    {"item": "prosecution.cases_prosecuted"}),
                   ("Defendants in the cases prosecuted", {"item": "prosecution.defendants_prosecuted"}),
                   ("Persons convicted", {"item": "conviction.persons"}),
                   ("Persons sentenced to a prison term", {"item": "conviction.prison"}),
                   ("of which suspended in part or in full", {"item": "conviction.prison_suspended"}),
                   ("Persons fined", {"item": "conviction.fines"}),
                   ("Persons convicted in a judgment ordering a confiscation", {"item": "conviction.confiscations"})]
        years = [(str(year - k), {"year": year - k}) for k in (3, 2, 1, 0)]
        bands = [("Under 1 year", {"sentence_band": "LT12"}), ("1 to under 3 years", {"sentence_band": "12_36"}),
                 ("3 to under 5 years", {"sentence_band": "36_60"}),
                 ("5 to under 10 years", {"sentence_band": "60_120"}),
                 ("10 years and more", {"sentence_band": "GE120"}),
                 ("Length not known", {"sentence_band": "UNK"}), ("Total", {})]
        susp = [("Effective (not suspended)", {"suspension": "NONE"}), ("Partially suspended", {"suspension": "PARTIAL"}),
                ("Fully suspended", {"suspension": "FULL"}), ("Suspension not known", {"suspension": "UNK"}),
                ("Total", {})]
        return {
            "victims_sex_age": (vict, {}, sex_rows, vage),
            "victims_form": (vict, {}, forms, vsex),
            "children_form": (vict, {"age_group": "MINOR"}, forms, vsex),
            "victims_nationality": ("shelter.victims_admitted+shelter.victims_presumed", {}, "nationality", [(l, dict([p])) for l, p in
                                                              [("Identified", stat[0][1]), ("Presumed", stat[1][1]),
                                                               ("Total", stat[2][1])]]),
            "documents": ("immigration.documents", {"offence": "THB"}, docs, agesex),
            "justice": (None, {"offence": "THB"}, justice, years),
            "prison_terms": ("conviction.prison", {"offence": "THB"}, bands, susp),
            "not_collected": (None, {}, [
                ("Victims awarded compensation by a court", {"item": "-"}),
                ("Victims granted financial aid by the state", {"item": "-"}),
                ("Victims not punished for offences they were compelled to commit", {"item": "-"}),
                ("Legal persons sanctioned for trafficking", {"item": "-"}),
                ("Victims returned to their country of origin", {"item": "-"}),
                ("Victims granted international protection", {"item": "-"})], [("Answer", {})]),
        }
    raise SystemExit("no layout for %s" % q)


PERSONS = {"shelter.victims_admitted", "shelter.victims_presumed", "shelter.victims_admitted+shelter.victims_presumed", "police.suspects", "prosecution.defendants_prosecuted",
           "conviction.persons", "conviction.prison", "conviction.prison_suspended", "conviction.fines",
           "conviction.confiscations", "immigration.documents"}


def cmd_xlsx(q, path, year, threshold):
    global CHECKED
    sheets = read_xlsx(path)
    lay = layouts(q, year)
    for name, (item, base, rows, cols) in lay.items():
        CHECKED += 1
        if name not in sheets:
            problem("no sheet %s (sheets: %s)" % (name, list(sheets)))
            continue
        title, heads, grid = sheets[name]
        if heads != [c[0] for c in cols]:
            problem("%s: headings %r, expected %r" % (name, heads, [c[0] for c in cols]))
            continue
        if rows == "nationality":
            # One row per nationality present (UNK last), then the total.
            codes = []
            for part in item.split("+"):
                r = subprocess.run([CIA, "query", part, "--year", str(year), "--by", "nationality"],
                                   capture_output=True, text=True)
                codes += [l.split(",")[2] for l in r.stdout.splitlines()[1:] if l.split(",")[2]]
            codes = sorted(set(codes))
            codes = [c for c in codes if c != "UNK"] + [c for c in codes if c == "UNK"]
            rows = [(None, {"nationality": c}) for c in codes] + [("Total", {})]
            grid = [g for g in grid if g[0] is not None]
            if len(grid) != len(rows):
                problem("%s: %d rows, expected %d (nationalities %s + total)" % (name, len(grid), len(rows), codes))
                continue
            rows = [(grid[i][0] if rows[i][0] is None else rows[i][0], rows[i][1]) for i in range(len(rows))]
        labels = [g[0] for g in grid]
        if labels != [r[0] for r in rows]:
            problem("%s: row labels %r, expected %r" % (name, labels, [r[0] for r in rows]))
            continue
        for (rl, rf), (_, vals) in zip(rows, grid):
            for (ch, cf), (v, fl) in zip(cols, vals):
                f = dict(base)
                it, y = item, year
                for src in (rf, cf):
                    for k, x in src.items():
                        if k == "item":
                            it = x
                        elif k == "year":
                            y = x
                        else:
                            f[k] = x
                where = "%s [%s | %s]" % (name, rl, ch)
                if it == "-" or (q == "eurostat" and name.startswith("offenders_") and it != "conviction.persons"
                                 and ("sex" in f or "citizenship" in f)):
                    CHECKED += 1
                    if v != "?not collected by these sources":
                        problem("%s: no service sends it: must say so, got %r" % (where, v))
                    continue
                if isinstance(v, str) and v.startswith("?"):
                    problem("%s: unexpected text %r" % (where, v))
                    continue
                check_cell(where, it, y, f, v, fl, threshold, it in PERSONS)
    finish("XLSX cells")


# ---------------------------------------------------------------- the attack
UNIVERSE = {"sex": {"F", "M", "UNK"}, "age_group": {"MINOR", "ADULT", "UNK"},
            "form": {"SEX", "LAB", "BEG", "CRIM", "ORG", "OTH", "UNK"},
            "citizenship": {"NAT", "EU", "NONEU", "UNK"},
            "document": {"OQT45", "AI3M", "CIRE6M", "PERM", "HUMAN", "UNK"},
            "offence": {"THB", "SMUG", "UNK"},
            # a prison term has a length and a suspension (NA = no prison term: never in a prison count)
            "sentence_band": {"LT12", "12_36", "36_60", "60_120", "GE120", "UNK"},
            "suspension": {"NONE", "PARTIAL", "FULL", "UNK"},
            "nationality": None}
SAME = {"conviction.prison_suspended": ("conviction.prison", {"suspension": frozenset({"PARTIAL", "FULL"})})}


def box(item, year, filters):
    f = {k: frozenset(v.split(",")) for k, v in filters.items()}
    if item in SAME:
        item, extra = SAME[item]
        for k, v in extra.items():
            f[k] = f[k] & v if k in f else v
    for k in list(f):
        if UNIVERSE.get(k) is not None and f[k] >= UNIVERSE[k]:
            del f[k]
    return (item, year, frozenset(f.items()))


def covers(fam, total_set, dim):
    """Does the family of code sets cover total_set exactly (disjoint)?"""
    u = set()
    for s in fam:
        if u & s:
            return False
        u |= s
    if total_set is None:
        return True     # an open list: the rows list every code present
    return u == total_set


def families(children, total_set):
    """Disjoint families of children covering total_set (children: list of
    (index, frozenset)); for an open list, the maximal disjoint families."""
    out = []
    kids = sorted(children, key=lambda c: (sorted(c[1])))

    def rec(i, chosen, used):
        if i == len(kids):
            if total_set is None:
                # maximal: nothing left out could be added
                for j, s in kids:
                    if not (s & used) and j not in [c[0] for c in chosen]:
                        return
                if len(chosen) >= 1:
                    out.append(list(chosen))
            elif used == total_set:
                out.append(list(chosen))
            return
        j, s = kids[i]
        if not (s & used):
            chosen.append((j, s))
            rec(i + 1, chosen, used | s)
            chosen.pop()
        rec(i + 1, chosen, used)

    if len(kids) <= 22:
        rec(0, [], frozenset())
    else:   # many singletons (nationalities): the one family of all of them
        out.append(kids)
    return out


def attack(cells, reveal_above=None):
    """cells: list of (label, box, value, withheld, true_value).  Returns the
    labels of withheld cells an attacker can recompute."""
    global CHECKED
    var = {}
    for label, b, v, w, tv in cells:
        if reveal_above is not None and w and tv is not None and tv > reveal_above:
            w, v = False, tv
        if b in var:
            ov = var[b]
            if ov[1] != w or (not w and ov[0] != v):
                problem("the same figure %s is published two ways: %r / %r" % (label, ov, (v, w)))
            var[b][2].append(label)
        else:
            var[b] = [v, w, [label]]
    boxes = list(var)
    idx = {b: i for i, b in enumerate(boxes)}
    unknown = [b for b in boxes if var[b][1]]
    col = {b: i for i, b in enumerate(unknown)}
    eqs = []   # (coeffs {col: Fraction}, rhs)
    for t in boxes:
        item, year, tf = t
        tfd = dict(tf)
        dims = set(tfd) | {k for b in boxes if b[0] == item and b[1] == year for k, _ in b[2]}
        for d in dims:
            tset = tfd.get(d, UNIVERSE.get(d))
            kids = []
            for b in boxes:
                if b == t or b[0] != item or b[1] != year:
                    continue
                bfd = dict(b[2])
                if d not in bfd:
                    continue
                if any(bfd.get(k) != tfd.get(k) for k in set(bfd) | set(tfd) if k != d):
                    continue
                if tset is not None and not bfd[d] < tset:
                    continue
                if tset is None and d in tfd:
                    continue
                kids.append((idx[b], bfd[d]))
            if not kids:
                continue
            for fam in families(kids, tset):
                coeffs, rhs = {}, Fraction(0)
                for sign, b in [(1, t)] + [(-1, boxes[j]) for j, _ in fam]:
                    v, w, _ = var[b]
                    if w:
                        coeffs[col[b]] = coeffs.get(col[b], 0) + sign
                    else:
                        rhs -= sign * (v or 0)     # not known: its known part is 0
                eqs.append((coeffs, rhs))
    # Gauss-Jordan over the unknowns, exact fractions.
    rows = [([Fraction(c.get(j, 0)) for j in range(len(unknown))], r) for c, r in eqs if c]
    CHECKED += len(rows)
    m = [r[0] + [r[1]] for r in rows]
    piv_row = 0
    pivots = []
    n = len(unknown)
    for c in range(n):
        p = next((i for i in range(piv_row, len(m)) if m[i][c] != 0), None)
        if p is None:
            continue
        m[piv_row], m[p] = m[p], m[piv_row]
        pv = m[piv_row][c]
        m[piv_row] = [x / pv for x in m[piv_row]]
        for i in range(len(m)):
            if i != piv_row and m[i][c] != 0:
                f = m[i][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[piv_row])]
        pivots.append(c)
        piv_row += 1
    found = set()
    for row in m[:piv_row]:
        nz = [j for j in range(n) if row[j] != 0]
        if len(nz) == 1:
            found.add(unknown[nz[0]])
        # every withheld cell is at least 1 (zeros are shown): a sum of k of
        # them equal to k makes each of them 1
        if nz and all(row[j] == 1 for j in nz) and row[n] == len(nz):
            found.update(unknown[j] for j in nz)
    for coeffs, rhs in eqs:
        # the same test on the equations as written (parts of a published total)
        parts = [j for j, c in coeffs.items() if c != 0]
        if parts and all(c == -1 for c in coeffs.values()) and -rhs == len(parts):
            found.update(unknown[j] for j in parts)
    return sorted("/".join(var[b][2]) for b in found), len(unknown)


def cmd_attack_sdmx(path, reveal):
    head, rows = read_sdmx(path)
    cells = []
    for d in rows:
        k = tuple(d[c] for c in KEYCOLS)
        if not_collected(k):
            continue   # not available: not a figure
        year = int(d["TIME_PERIOD"])
        item, f = key_filters(k, year)
        if "+" in item:
            continue   # a sum is published only beside its parts: no new equation
        w = withheld(d)
        v = int(d["OBS_VALUE"]) if d["OBS_VALUE"] != "" else None
        tv = None
        if w and reveal is not None:
            e = expected(item, year, f)
            tv = e[0]
        cells.append((",".join(k), box(item, year, f), v, w, tv))
    report(cells, reveal)


def cmd_attack_answers(path, reveal):
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cells = []
    for r in rows:
        if r["item"] == "-" or "+" in r["item"]:
            continue   # not available; a sum of items (published only beside its parts)
        f = dict(x.split("=", 1) for x in r["filters"].split()) if r["filters"] else {}
        year = int(r["year"])
        w = "c" in r["flags"]
        v = int(r["value"]) if r["value"] != "" else None
        tv = expected(r["item"], year, f)[0] if w and reveal is not None else None
        cells.append((r["answer"], box(r["item"], year, f), v, w, tv))
    report(cells, reveal)


def report(cells, reveal):
    found, n = attack(cells, reveal)
    withheld = sum(1 for c in cells if c[3])
    if reveal is None:
        for f in found:
            problem("withheld cell recomputable from the published ones: %s" % f)
        print("withheld cells: %d (distinct figures %d); recomputable: %d" % (withheld, n, len(found)))
    else:
        # With only the small counts withheld, the attack must succeed.
        print("revealed every withheld cell above %d: %d figures still withheld; recomputable: %d (%s)"
              % (reveal, n, len(found), ", ".join(found[:6])))
        if not found:
            problem("with only the small counts withheld, the attack recomputed nothing: it cannot fail")
    finish("equations")


def main(argv):
    if not argv:
        raise SystemExit(__doc__)
    cmd = argv[0]
    if cmd == "sdmx":
        cmd_sdmx(argv[1], int(argv[2]), int(argv[3]))
    elif cmd == "xlsx":
        cmd_xlsx(argv[1], argv[2], int(argv[3]), int(argv[4]))
    elif cmd in ("attack-sdmx", "attack-answers"):
        reveal = int(argv[3]) if len(argv) > 3 and argv[2] == "--reveal-secondary" else None
        (cmd_attack_sdmx if cmd == "attack-sdmx" else cmd_attack_answers)(argv[1], reveal)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
