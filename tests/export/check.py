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
  check.py attack [--zeros-shown] FILE...   (SDMX-CSV and `answers --show
      --format csv` files of one release, attacked together; --zeros-shown:
      the outsider knows no zero is ever withheld, as before releases)
      the outsider's attack, written here independently of ciatteh's own
      (reports/release/suppress.c): every published figure an equation over the
      atoms (the cross of code classes of an item and year, per part of
      the dimensions the figures filter together; the parts' totals
      equal), atoms
      non-negative integers, and for every withheld figure the smallest
      and largest value an integer program allows (Debian's libglpk,
      called through ctypes).  A problem for each withheld figure narrowed to fewer
      than 3 values.  --reveal-secondary: first put back the true value of
      every withheld cell above THRESHOLD (only the small ones stay
      withheld), to show the attack finds them then.
      A `ciatteh report --trace` file is read too: the figures of the
      report (the biennial pack's tables) with their boxes, as published
      (`report --release`); figures derived from others (shares, changes,
      "the rest" of a breakdown) add no equation the attacker uses.
  check.py attack-revision OLD... -- NEW...   two releases of one year:
      the outsider holds both (see cmd_attack_revision).

Environment: CIA (the ciatteh binary), CIATTEH_HOME (its cluster),
CHECK_CACHE (optional: a file keeping `ciatteh query` answers between runs
on the same data; a test that changes the data uses another file).
Prints one line per problem and a summary "checked N ..., M problems";
exit 1 when there is any problem.
"""
import re
import atexit
import csv
import ctypes
import ctypes.util
import itertools
import json
import os
import subprocess
import sys

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


# `ciatteh query` runs by their arguments (a process and a connection each)
_RUNS = {}
if _CACHE_FILE and os.path.exists(_CACHE_FILE + ".runs"):
    with open(_CACHE_FILE + ".runs") as fh:
        _RUNS = json.load(fh)


def _save_cache():
    if _CACHE_FILE:
        with open(_CACHE_FILE, "w") as fh:
            json.dump({json.dumps(list(k)): v for k, v in _QCACHE.items()}, fh)
        with open(_CACHE_FILE + ".runs", "w") as fh:
            json.dump(_RUNS, fh)


def run_query(args):
    """(exit code, stdout, stderr) of `ciatteh query ARGS`, kept in the
    cache while the data stay the same."""
    key = json.dumps(args)
    if key not in _RUNS:
        out = subprocess.run([CIA, "query"] + args, capture_output=True, text=True)
        _RUNS[key] = [out.returncode, out.stdout, out.stderr]
    return _RUNS[key]


atexit.register(_save_cache)


def query(item, year, where, direct=False):
    """(value or None, flags) from `ciatteh query`, or None when no row.
    direct: ask `ciatteh query --where` itself, not a prefetched breakdown."""
    key = (item, year, json.dumps(sorted(where.items())))
    if key in _QCACHE and not direct:
        return _QCACHE[key]
    if where and not direct:
        hit, res = from_fine(item, year, where)
        if hit:
            _QCACHE[key] = res
            return res
    args = [item, "--year", str(year)]
    for k, v in sorted(where.items()):
        args += ["--where", "%s=%s" % (k, v)]
    code, stdout, stderr = run_query(args)
    if code != 0:
        problem("query failed: %s: %s" % (" ".join(args), stderr.strip()))
        _QCACHE[key] = None
        return None
    rows = list(csv.reader(stdout.splitlines()))
    if rows[0][-2:] != ["value", "flag"]:
        problem("unexpected query header %r" % rows[0])
    res = None
    if len(rows) > 1:
        v, f = rows[1][-2], rows[1][-1]
        res = (int(v) if v != "" else None, f)
    if not direct:
        _QCACHE[key] = res
    return res


SAMPLE = 15   # cells per file also asked one by one


def sample_direct(cells):
    """A prefetched breakdown adds rows up as check.py reads the figure
    layer's rules; a sample of the cells (spread over the file) is also
    asked one by one with `ciatteh query --where`, so a summation that
    both ciatteh and check.py got wrong the same way still shows."""
    cells = [c for c in cells if "+" not in c[0] and c[2]]
    step = max(1, len(cells) // SAMPLE)
    for item, year, where in cells[::step]:
        hit, res = from_fine(item, year, where)
        if not hit:
            continue
        got = query(item, year, where, direct=True)
        if res is None:
            whole = query(item, year, {})
            res = (0, "p" if whole and "p" in whole[1] else "")
        if got != res:
            problem("%s %d %r: ciatteh query says %r, its --by breakdown adds up to %r"
                    % (item, year, where, got, res))


_FINE = {}   # (item, year, base filters) → (dims, rows of `ciatteh query --by dims`)


def prefetch(cells):
    """Answer many cells from one `ciatteh query --years --by` per item and
    fixed filters (each call is a process and a connection): a cell is then
    the sum of the rows of its year its codes select, with the query
    layer's rules (no row: None; a value only from rows that have one; u or
    p when a row has it).  Dimensions with a single code in every cell stay
    filters.  The years' states come from one `--years` query per item."""
    groups = {}
    for item, year, where in cells:
        for part in item.split("+"):
            groups.setdefault(part, []).append((year, where))
    for item, yw in groups.items():
        wheres = [w for _, w in yw]
        years = sorted({y for y, _ in yw})
        span = "%d-%d" % (years[0], years[-1])
        dims = sorted({k for w in wheres for k in w})
        fixed = {k: wheres[0][k] for k in dims if k in wheres[0] and all(w.get(k) == wheres[0][k] for w in wheres)}
        by = [k for k in dims if k not in fixed]
        args = [item, "--years", span]
        for k, v in sorted(fixed.items()):
            args += ["--where", "%s=%s" % (k, v)]
        if by:
            args += ["--by", ",".join(by)]
        code, stdout, _ = run_query(args)
        if code != 0:
            continue   # each cell is then asked on its own
        rows = list(csv.reader(stdout.splitlines()))[1:]
        for y in years:
            _FINE[(item, y, json.dumps(sorted(fixed.items())))] = (by, fixed, [r for r in rows if r[1] == str(y)])
        code, stdout, _ = run_query([item, "--years", span])
        if code != 0:
            continue
        for r in list(csv.reader(stdout.splitlines()))[1:]:
            if int(r[1]) in years:
                _QCACHE[(item, int(r[1]), json.dumps([]))] = (int(r[2]) if r[2] != "" else None, r[3])


def from_fine(item, year, where):
    """(found, what `ciatteh query` says for where) from a prefetched --by."""
    for (it, y, _), (by, fixed, rows) in _FINE.items():
        if it != item or y != year or any(where.get(k) != v for k, v in fixed.items()):
            continue
        if any(k not in fixed and k not in by for k in where):
            continue
        n = len(by)
        if not rows:
            return False, None
        if all(c == "" for c in rows[0][2:2 + n]):
            # the year has no records at all: the one row says what it is
            r = rows[0]
            return True, (int(r[2 + n]) if r[2 + n] != "" else None, r[3 + n])
        # without an offence filter a figure counts THB only (ITEMS.md)
        sel = [r for r in rows if all(r[2 + i] in where[k].split(",") if k in where else
                                      (k != "offence" or r[2 + i] == "THB") for i, k in enumerate(by))]
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
        # A zero may be withheld to protect another figure (a release's
        # complement); a figure not known never is.
        if ev is None:
            problem("%s: withheld, but the figure is not known (unknowns are never withheld)" % where_txt)
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
    sample_direct([(item, year, f) for item, f in fk])
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
NO_FIGURE = ("n.k.", "inc.", "onb.", "n.d.", "n.l.", "n.g.", "incompl.", "onvoll.")


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
            if i == 0 or h is None or h in ("flags", "marques", "vlaggen"):
                continue
            fl = i + 1 if i + 1 < len(head) and head[i + 1] in ("flags", "marques", "vlaggen") else None
            cols.append((i, fl, h))
        rows = []
        for r in grid[3:]:
            if r[0] is None:
                break
            vals = []
            for (i, fl, h) in cols:
                v = r[i]
                f = r[fl] if fl is not None and r[fl] is not None else ""
                # a lower bound may carry how many records left it unknown
                # ("u 23 n.k.", "u 23 inc.", "u 23 onb."): only a lower bound
                m = re.fullmatch(r"([a-z]*) ([0-9]+) (n\.k\.|inc\.|onb\.)", str(f))
                if m:
                    f = m.group(1)
                    if "u" not in f:
                        problem("%s: a count of unknown records beside a figure that is not a lower bound (%r)"
                                % (ws.title, r[fl]))
                if isinstance(v, str):
                    # no figure: not known, not delivered, incomplete year (en, fr, nl)
                    v = "c" if v == "c" else None if v in NO_FIGURE else "?" + v
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


def layout_cell(item, year, base, rf, cf):
    """(item, year, filters) of a layout's cell: the sheet's, then the row's
    and the column's attributes."""
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
    return it, y, f


def cmd_xlsx(q, path, year, threshold):
    global CHECKED
    sheets = read_xlsx(path)
    lay = layouts(q, year)
    todo = []
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
                _, stdout, _ = run_query([part, "--year", str(year), "--by", "nationality"])
                codes += [l.split(",")[2] for l in stdout.splitlines()[1:] if l.split(",")[2]]
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
        todo.append((name, item, base, rows, cols, grid))
    cells = []
    for name, item, base, rows, cols, grid in todo:
        for (rl, rf), (_, vals) in zip(rows, grid):
            for (ch, cf), (v, fl) in zip(cols, vals):
                it, y, f = layout_cell(item, year, base, rf, cf)
                if it != "-":
                    cells.append((it, y, f))
    prefetch(cells)
    sample_direct(cells)
    for name, item, base, rows, cols, grid in todo:
        for (rl, rf), (_, vals) in zip(rows, grid):
            for (ch, cf), (v, fl) in zip(cols, vals):
                it, y, f = layout_cell(item, year, base, rf, cf)
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
# Every other dimension: its closed code list from the catalogue's seed
# (an attacker reads the published code lists); a dimension missing here
# would be taken for an open list and its unnamed codes for zeros.
def _seed_lists():
    seed = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schema", "seed")
    with open(os.path.join(seed, "dimension.csv"), newline="", encoding="utf-8") as fh:
        dims = {r["code"]: r["list"] for r in csv.DictReader(fh)}
    codes = {}
    with open(os.path.join(seed, "code.csv"), newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            codes.setdefault(r["list"], set()).add(r["code"])
    return {d: codes[l] for d, l in dims.items() if l in codes}


for _d, _codes in _seed_lists().items():
    UNIVERSE.setdefault(_d, _codes)
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


def _classes(boxes, d, universe):
    """Codes of dimension d that every box treats alike form one class (an
    outsider cannot tell them apart; their sum is one unknown count)."""
    sig = {}
    for c in sorted(universe):
        key = tuple((dict(b[2]).get(d) is None) or (c in dict(b[2])[d]) for b in boxes)
        sig.setdefault(key, []).append(c)
    return list(sig.values())


class _Glpk:
    """GLPK (Debian's libglpk) through ctypes: one model per item and year,
    its objective changed per withheld figure; the LP relaxation first,
    branch and bound when its optimum is not whole."""
    GLP_MIN, GLP_MAX, GLP_CV, GLP_IV = 1, 2, 1, 2
    GLP_LO, GLP_DB, GLP_FX = 2, 4, 5
    GLP_OPT, GLP_UNBND = 5, 6

    def __init__(self):
        lib = ctypes.CDLL(ctypes.util.find_library("glpk") or "libglpk.so.40")
        lib.glp_create_prob.restype = ctypes.c_void_p
        for f in ("glp_get_obj_val", "glp_mip_obj_val", "glp_get_col_prim"):
            getattr(lib, f).restype = ctypes.c_double
        for f in ("glp_set_col_bnds", "glp_set_row_bnds"):
            getattr(lib, f).argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_double,
                                        ctypes.c_double]
        lib.glp_set_obj_coef.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_double]
        lib.glp_get_col_prim.argtypes = [ctypes.c_void_p, ctypes.c_int]
        for f in ("glp_get_obj_val", "glp_mip_obj_val", "glp_get_status", "glp_delete_prob"):
            getattr(lib, f).argtypes = [ctypes.c_void_p]
        lib.glp_term_out(0)
        self.lib = lib

    def model(self, ncols, rows, fixed_zero):
        """rows: (columns, value) equations; columns of fixed_zero are 0."""
        L = self.lib
        p = ctypes.c_void_p(L.glp_create_prob())
        L.glp_add_cols(p, ncols)
        for j in range(ncols):
            L.glp_set_col_kind(p, j + 1, self.GLP_IV)
            if j in fixed_zero:
                L.glp_set_col_bnds(p, j + 1, self.GLP_FX, 0.0, 0.0)
            else:
                L.glp_set_col_bnds(p, j + 1, self.GLP_DB, 0.0, float(BIG))
        for cols, v in rows:
            r = L.glp_add_rows(p, 1)
            n = len(cols)
            ind = (ctypes.c_int * (n + 1))(0, *[c + 1 for c in cols])
            val = (ctypes.c_double * (n + 1))(0.0, *([1.0] * n))
            L.glp_set_mat_row(p, r, n, ind, val)
            L.glp_set_row_bnds(p, r, self.GLP_FX, float(v), float(v))
        return p

    def extreme(self, p, ncols, cols, maximise):
        L = self.lib
        cs = set(cols)
        for j in range(ncols):
            L.glp_set_obj_coef(p, j + 1, 1.0 if j in cs else 0.0)
        L.glp_set_obj_dir(p, self.GLP_MAX if maximise else self.GLP_MIN)
        if L.glp_simplex(p, None) != 0 or L.glp_get_status(p) != self.GLP_OPT:
            raise SystemExit("attack: the LP relaxation has no optimum (status %d)" % L.glp_get_status(p))
        whole = all(abs(L.glp_get_col_prim(p, j + 1) - round(L.glp_get_col_prim(p, j + 1))) < 1e-9
                    for j in range(ncols))
        if whole:
            return int(round(L.glp_get_obj_val(p)))
        if L.glp_intopt(p, None) != 0:
            raise SystemExit("attack: glp_intopt failed")
        return int(round(L.glp_mip_obj_val(p)))


BIG = 10 ** 6   # "no upper bound": an atom above this is unbounded
# The rules the outsider knows: does the publisher ever withhold a zero?
# ciatteh may (as a complement); the code before releases never did, so
# against it a withheld figure is known to be at least 1 (--zeros-shown).
ZEROS_SHOWN = False


def attack(cells, reveal_above=None):
    """cells: list of (label, box, value, withheld, true_value).  The
    outsider's attack: every published figure is an equation over atoms
    (the cross of the code classes of one item and year, per part of
    dimensions filtered together, the parts' totals equal), atoms are
    non-negative integers (a withheld figure may be 0), the rows of an open
    list (nationality) are every code present; for every withheld figure
    the smallest and largest value an integer program (GLPK via ctypes) allows.
    Returns the labels of withheld figures narrowed to fewer than 3 values,
    with their interval, and the number of withheld figures."""
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
    groups = {}
    for b in var:
        groups.setdefault((b[0], b[1]), []).append(b)
    found = []
    nwithheld = sum(1 for b in var if var[b][1])
    glpk = _Glpk()
    if True:
        for (item, year), boxes in sorted(groups.items()):
            if not any(var[b][1] for b in boxes):
                continue
            dims = sorted({k for b in boxes for k, _ in b[2]})
            classes = []
            for d in dims:
                uni = UNIVERSE.get(d)
                if uni is None:    # open list: the codes named, and the rest (known 0)
                    named = set().union(*[dict(b[2]).get(d, frozenset()) for b in boxes])
                    cl = _classes(boxes, d, named) + [["~REST"]]
                else:
                    cl = _classes(boxes, d, uni)
                classes.append(cl)
            # Dimensions no box filters together are independent given the
            # total: any non-negative integer tables of each part with the
            # same total make a non-negative integer joint table (a
            # transport problem), so each part gets its own atoms, and the
            # parts' totals are tied by equations.  Same intervals, far
            # fewer atoms than the full cross.
            comp = list(range(len(dims)))
            for b in boxes:
                ix = [i for i, d in enumerate(dims) if d in dict(b[2])]
                for i in ix[1:]:
                    old, new = comp[i], comp[ix[0]]
                    comp = [new if c == old else c for c in comp]
            parts = sorted(set(comp)) or [0]
            atoms = []          # (part, {dim index: class index})
            for pt in parts:
                pd = [i for i in range(len(dims)) if comp[i] == pt]
                for combo in itertools.product(*[range(len(classes[i])) for i in pd]):
                    atoms.append((pt, dict(zip(pd, combo))))
            if len(atoms) > 200000:
                raise SystemExit("attack: %s %s has %d atoms" % (item, year, len(atoms)))

            def holds(b, atom):
                pt, cl = atom
                f = dict(b[2])
                bp = [comp[i] for i, d in enumerate(dims) if d in f]
                if (bp[0] if bp else parts[0]) != pt:
                    return False
                for i, c in cl.items():
                    if dims[i] in f and not set(classes[i][c]) <= f[dims[i]]:
                        return False
                return True

            member = {b: [j for j, a in enumerate(atoms) if holds(b, a)] for b in boxes}
            rest = [j for j, (pt, cl) in enumerate(atoms) if any(classes[i][c] == ["~REST"] for i, c in cl.items())]
            links = [([j for j, a in enumerate(atoms) if a[0] == pt],
                      [j for j, a in enumerate(atoms) if a[0] == parts[0]]) for pt in parts[1:]]
            rows, geq = [], []
            for n, b in enumerate(boxes):
                v, w, _ = var[b]
                if w:
                    if ZEROS_SHOWN:
                        geq.append(member[b])
                    continue
                rows.append((member[b], v or 0))     # not known: its known part is 0
            CHECKED += len(rows)
            p = glpk.model(len(atoms), rows, set(rest))
            for plus, minus in links:     # the parts' totals are equal
                r = glpk.lib.glp_add_rows(p, 1)
                ind = (ctypes.c_int * (len(plus) + len(minus) + 1))(0, *[c + 1 for c in plus + minus])
                val = (ctypes.c_double * (len(plus) + len(minus) + 1))(0.0, *([1.0] * len(plus) + [-1.0] * len(minus)))
                glpk.lib.glp_set_mat_row(p, r, len(plus) + len(minus), ind, val)
                glpk.lib.glp_set_row_bnds(p, r, glpk.GLP_FX, 0.0, 0.0)
            for cols in geq:      # a withheld figure is at least 1
                r = glpk.lib.glp_add_rows(p, 1)
                ind = (ctypes.c_int * (len(cols) + 1))(0, *[c + 1 for c in cols])
                val = (ctypes.c_double * (len(cols) + 1))(0.0, *([1.0] * len(cols)))
                glpk.lib.glp_set_mat_row(p, r, len(cols), ind, val)
                glpk.lib.glp_set_row_bnds(p, r, glpk.GLP_LO, 1.0, 0.0)
            for b in boxes:
                if not var[b][1]:
                    continue
                lo = glpk.extreme(p, len(atoms), member[b], False)
                hi = glpk.extreme(p, len(atoms), member[b], True)
                if hi - lo < 2:
                    found.append("%s in %d..%d" % ("/".join(var[b][2]), lo, hi))
            glpk.lib.glp_delete_prob(p)
    return sorted(found), nwithheld


def sdmx_cells(path, reveal):
    head, rows = read_sdmx(path)
    # The format before releases (tests/export/data/before-release):
    # lower-case key columns, OBS_FLAG c for withheld, and VICT for the
    # victims taken into care (VICT_ID now; VICT now adds the presumed).
    legacy = "leg_stat" in head
    if legacy:
        rows = [dict({c.upper(): v for c, v in d.items()},
                     CONF_STATUS="A" if "c" in d.get("OBS_FLAG", "") else "F") for d in rows]
        for d in rows:
            if d["LEG_STAT"] == "VICT":
                d["LEG_STAT"] = "VICT_ID"
            eu = [c for c, v in citizen_codes(int(d["TIME_PERIOD"])).items() if v == "EU"][0]
            d["CITIZEN"] = {"EU_FOR": eu, "NEU_FOR": "N" + eu}.get(d["CITIZEN"], d["CITIZEN"])
    if reveal is not None:     # the true values come from one breakdown per item
        todo = []
        for d in rows:
            k = tuple(d[c] for c in KEYCOLS)
            if withheld(d) and not not_collected(k):
                item, f = key_filters(k, int(d["TIME_PERIOD"]))
                todo.append((item, int(d["TIME_PERIOD"]), f))
        prefetch(todo)
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
    return cells


def answers_cells(path, reveal):
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if reveal is not None:
        prefetch([(r["item"], int(r["year"]), dict(x.split("=", 1) for x in r["filters"].split()))
                  for r in rows if "c" in r["flags"] and r["item"] != "-" and "+" not in r["item"]])
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
    return cells


def _offence_items():
    seed = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schema", "seed")
    with open(os.path.join(seed, "item.csv"), newline="", encoding="utf-8") as fh:
        return {r["code"] for r in csv.DictReader(fh) if "offence" in r["dims"].split(",")}


def trace_cells(path):
    """A report's trace (`ciatteh report --trace`): each figure read from one
    box, as the report published it.  An item with an offence counts THB
    unless the offence is named (the figure layer's default), as the
    questionnaires name it."""
    off = _offence_items()
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cells = []
    for r in rows:
        if r["kind"] != "query" or not r["item"]:
            continue
        f = dict(x.split("=", 1) for x in r["where"].split(";")) if r["where"] else {}
        if r["by"] and r["code"]:
            f[r["by"]] = r["code"]
        if r["item"] in off and "offence" not in f:
            f["offence"] = "THB"
        w = "c" in r["flags"]
        v = int(round(float(r["value"]))) if r["value"] != "" else None
        cells.append(("%s/%s/%s" % (r["table"], r["row_key"], r["col_key"]), box(r["item"], int(r["year"]), f),
                      v, w, None))
    return cells


def any_cells(path, reveal):
    with open(path, newline="", encoding="utf-8") as fh:
        head = fh.readline()
    if head.startswith("table,row,col,"):
        cells = trace_cells(path)
    else:
        cells = sdmx_cells(path, reveal) if head.startswith("DATAFLOW") else answers_cells(path, reveal)
    name = os.path.basename(path)
    return [("%s:%s" % (name, c[0]),) + c[1:] for c in cells]


def cmd_attack_sdmx(path, reveal):
    report(sdmx_cells(path, reveal), reveal)


def cmd_attack_answers(path, reveal):
    report(answers_cells(path, reveal), reveal)


def cmd_attack_revision(old_paths, new_paths):
    """A later release of the same year beside the earlier one: the outsider
    holds both.  A figure published both times is known at its new value
    (the correction is known); one published before and withheld now (a
    correction made it small) is unknown now; one withheld before and
    published now is a problem in itself (the earlier pattern was not
    kept)."""
    old = []
    for p in old_paths:
        old += any_cells(p, None)
    new = []
    for p in new_paths:
        new += any_cells(p, None)
    now = {}
    for c in new:
        now.setdefault(c[1], c)
    before = {}
    for c in old:
        before.setdefault(c[1], c)
    cells = []
    for b, c in now.items():
        o = before.get(b)
        if o and o[3] and not c[3]:
            problem("withheld by the earlier release, published now: %s" % c[0])
        # Published before, withheld now: a correction made it a small
        # count; the old value is public but no longer the figure's.
        cells.append(c)
    for b, o in before.items():
        if b not in now:
            cells.append(o)
    report(cells, None)


def cmd_attack_all(paths, reveal):
    """Every output of a release together: one attacker holding them all."""
    cells = []
    for p in paths:
        cells += any_cells(p, reveal)
    report(cells, reveal)


def report(cells, reveal):
    found, n = attack(cells, reveal)
    withheld = sum(1 for c in cells if c[3])
    if reveal is None:
        for f in found:
            problem("withheld figure narrowed to fewer than 3 values by an integer program: %s" % f)
        print("withheld cells: %d (distinct figures %d); narrowed: %d" % (withheld, n, len(found)))
    else:
        # With only the small counts withheld, the attack must succeed.
        print("revealed every withheld cell above %d: %d figures still withheld; narrowed: %d (%s)"
              % (reveal, n, len(found), ", ".join(found[:6])))
        if not found:
            problem("with only the small counts withheld, the attack recomputed nothing: it cannot fail")
    finish("published figures")


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
    elif cmd == "attack-revision":
        cut = argv.index("--")
        cmd_attack_revision(argv[1:cut], argv[cut + 1:])
    elif cmd == "attack":
        global ZEROS_SHOWN
        files = [a for a in argv[1:] if a != "--zeros-shown"]
        ZEROS_SHOWN = len(files) < len(argv) - 1
        cmd_attack_all(files, None)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
