"""sdmx_read.py — an SDMX-CSV reader written from the sdmx-twg field guides
(data message, versions 1.0 and 2.0) and RFC 4180, independent of
ciatteh's C: it checks a file against the standard's rules and against the
`sdmx` lines of a questionnaire definition (reports/data/questionnaires/
NAME.q), read here with a parser of its own.

  sdmx_read.py FILE DEFINITION.q VERSION [STRUCTURE.xml]     VERSION: 1.0 or 2.0

With STRUCTURE.xml (an SDMX-ML 2.1 structure message, read with lxml), also
what the recipient's validator would check: the row's dataflow is one of
the message's, every column is a component of its data structure and
every dimension a column, every dimension and attribute code is in the
component's code list (local representation, else the concept's).

Checks:
- RFC 4180: every record ends in CRLF (the last one too), no bare LF or CR,
  UTF-8, the same number of fields in every record, quotes only around
  fields that need them and doubled inside;
- the header: 1.0 starts with DATAFLOW; 2.0 with STRUCTURE, STRUCTURE_ID,
  ACTION; then the definition's dimension columns in its order,
  TIME_PERIOD, OBS_VALUE, and its attribute columns;
- every row: 1.0 DATAFLOW and 2.0 STRUCTURE_ID are the definition's
  AGENCY:ID(VERSION); 2.0 STRUCTURE is "dataflow" and ACTION one of I A R D;
  each dimension code is in the column's code list, a code that changes
  with the EU's composition is the one for the row's TIME_PERIOD;
  TIME_PERIOD a year; OBS_VALUE empty or a non-negative integer; no key twice;
- attributes: OBS_STATUS and CONF_STATUS codes are ones the definition
  maps to; an empty OBS_VALUE has a reason (a missing-value status or a
  withheld CONF_STATUS); a withheld value is empty; COMMENT_OBS is free text.

Prints "read N observations, M problems" and one line per problem; exit 1
when there is any.
"""
import csv
import io
import re
import sys

PROBLEMS = []


def problem(msg):
    PROBLEMS.append(msg)
    print("PROBLEM", msg)


def words(line):
    """A definition line's words (quotes are not used on sdmx lines)."""
    return line.split("#", 1)[0].split()


def read_definition(path):
    d = {"dataflow": None, "columns": [], "codes": {}, "period": {}, "status": None, "status_codes": {},
         "conf": None, "conf_codes": {}, "comment": None}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            w = words(line)
            if len(w) < 2 or w[0] != "sdmx":
                continue
            kind, rest = w[1], w[2:]
            if kind == "dataflow":
                d["dataflow"] = rest[0]
            elif kind == "columns":
                d["columns"] = [x.split("=", 1)[0] for x in rest]
            elif kind == "codes":
                d["codes"][rest[0]] = set(rest[1:])
            elif kind == "period":
                col, code = rest[0], rest[1]
                for span in rest[2:]:
                    years, to = span.split("=", 1)
                    lo, hi = years.split("-", 1)
                    d["period"].setdefault(col, {}).setdefault(to, []).append(
                        (int(lo) if lo else 0, int(hi) if hi else 9999))
            elif kind == "status":
                d["status"] = rest[0]
                d["status_codes"] = dict(x.split("=", 1) for x in rest[1:])
            elif kind == "conf":
                d["conf"] = rest[0]
                d["conf_codes"] = dict(x.split("=", 1) for x in rest[1:])
            elif kind == "comment":
                d["comment"] = rest[0]
    return d


def check_rfc4180(data):
    """Line ends and quoting, on the raw bytes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        problem("not UTF-8: %s" % e)
        return None
    if not text.endswith("\r\n"):
        problem("the last record does not end in CRLF")
    # Outside quoted fields every CR is followed by LF and every LF preceded by CR.
    inq = False
    for i, ch in enumerate(text):
        if ch == '"':
            inq = not inq
        elif not inq and ch == "\n" and (i == 0 or text[i - 1] != "\r"):
            problem("bare LF at byte %d" % i)
            break
        elif not inq and ch == "\r" and (i + 1 >= len(text) or text[i + 1] != "\n"):
            problem("bare CR at byte %d" % i)
            break
    # A quoted field is quoted because it needs it.
    for rec in csv.reader(io.StringIO(text, newline="")):
        pass
    for m in re.finditer(r'(?:^|,)"((?:[^"]|"")*)"(?=,|\r\n)', text, re.M):
        inner = m.group(1).replace('""', '"')
        if not any(c in inner for c in ',"\r\n'):
            problem("field quoted without need: %r" % m.group(0)[:40])
            break
    return text


def read_structure(path):
    """Dataflows, and per component id of each data structure its code
    set (None for free text), from an SDMX-ML 2.1 structure message."""
    from lxml import etree
    root = etree.parse(path, etree.XMLParser(resolve_entities=False, no_network=True)).getroot()

    def local(el):
        return etree.QName(el).localname

    def all_named(name):
        return [el for el in root.iter() if isinstance(el.tag, str) and local(el) == name]

    def kid(el, name):
        for c in el if el is not None else []:
            if isinstance(c.tag, str) and local(c) == name:
                return c
        return None

    lists = {(c.get("agencyID"), c.get("id"), c.get("version")):
             {k.get("id") for k in c if isinstance(k.tag, str) and local(k) == "Code"}
             for c in all_named("Codelist")}
    concepts = {(s.get("id"), c.get("id")): c for s in all_named("ConceptScheme")
                for c in s if isinstance(c.tag, str) and local(c) == "Concept"}

    def codes_of(comp):
        ref = kid(kid(kid(comp, "LocalRepresentation"), "Enumeration"), "Ref")
        if ref is None:
            cref = kid(kid(comp, "ConceptIdentity"), "Ref")
            concept = concepts.get((cref.get("maintainableParentID"), cref.get("id"))) if cref is not None else None
            ref = kid(kid(kid(concept, "CoreRepresentation"), "Enumeration"), "Ref")
        if ref is None:
            return None
        return lists.get((ref.get("agencyID"), ref.get("id"), ref.get("version")), set())

    dsds = {}
    for dsd in all_named("DataStructure"):
        comps = {}
        for kind in ("Dimension", "TimeDimension", "Attribute", "PrimaryMeasure"):
            for c in dsd.iter():
                # (an attribute's relationship names the measure again, without id)
                if isinstance(c.tag, str) and local(c) == kind and c.get("id"):
                    comps[c.get("id")] = (kind, codes_of(c) if kind in ("Dimension", "Attribute") else None)
        dsds[(dsd.get("agencyID"), dsd.get("id"), dsd.get("version"))] = comps
    flows = {}
    for f in all_named("Dataflow"):
        ref = kid(kid(f, "Structure"), "Ref")
        key = "%s:%s(%s)" % (f.get("agencyID"), f.get("id"), f.get("version"))
        flows[key] = dsds.get((ref.get("agencyID"), ref.get("id"), ref.get("version"))) if ref is not None else None
    return flows


def check_structure(head, body, version, structure):
    flows = read_structure(structure)
    first = body[0] if body else None
    flow = (first[0] if version == "1.0" else first[1]) if first else None
    comps = flows.get(flow)
    if comps is None:
        problem("dataflow %r is not in the structure %s (it has %s)" % (flow, structure, sorted(flows)))
        return
    skip = 1 if version == "1.0" else 3
    cols = head[skip:]
    for c in cols:
        if c not in comps:
            problem("column %s is not a component of the data structure" % c)
    for cid, (kind, _) in comps.items():
        if kind in ("Dimension", "TimeDimension", "PrimaryMeasure") and cid not in cols:
            problem("the data structure's %s %s is not a column" % (kind, cid))
    for n, r in enumerate(body, 2):
        for c, v in zip(head, r):
            kind, codes = comps.get(c, (None, None))
            if codes is not None and v != "" and v not in codes:
                problem("record %d: %s=%r is not in the structure's code list" % (n, c, v))
            if kind == "Dimension" and v == "":
                problem("record %d: dimension %s empty" % (n, c))


def main(path, defpath, version, structure=None):
    d = read_definition(defpath)
    with open(path, "rb") as fh:
        data = fh.read()
    text = check_rfc4180(data)
    if text is None:
        return finish(0)
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    head, body = rows[0], rows[1:]
    prefix = ["DATAFLOW"] if version == "1.0" else ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    atts = [a for a in (d["status"], d["conf"], d["comment"]) if a]
    want = prefix + d["columns"] + ["TIME_PERIOD", "OBS_VALUE"] + atts
    if head != want:
        problem("header %r, expected %r" % (head, want))
        return finish(0)
    ref = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*:[A-Za-z][A-Za-z0-9_]*\([0-9]+(\.[0-9]+)*\)$")
    if not ref.match(d["dataflow"] or ""):
        problem("definition's dataflow %r is not AGENCY:ID(VERSION)" % d["dataflow"])
    status_ok = set(d["status_codes"].values()) | {""}
    missing_status = {d["status_codes"].get(k) for k in ("n", "x")} - {None}
    conf_withheld = {d["conf_codes"].get("primary"), d["conf_codes"].get("secondary")} - {None}
    conf_ok = set(d["conf_codes"].values()) | {""}
    seen = set()
    for n, r in enumerate(body, 2):
        if len(r) != len(head):
            problem("record %d has %d fields, the header %d" % (n, len(r), len(head)))
            continue
        row = dict(zip(head, r))
        if version == "1.0":
            if row["DATAFLOW"] != d["dataflow"]:
                problem("record %d: DATAFLOW %r, the definition says %r" % (n, row["DATAFLOW"], d["dataflow"]))
        else:
            if row["STRUCTURE"] != "dataflow":
                problem("record %d: STRUCTURE %r (dataflow)" % (n, row["STRUCTURE"]))
            if row["STRUCTURE_ID"] != d["dataflow"]:
                problem("record %d: STRUCTURE_ID %r, the definition says %r" % (n, row["STRUCTURE_ID"], d["dataflow"]))
            if row["ACTION"] not in ("I", "A", "R", "D"):
                problem("record %d: ACTION %r" % (n, row["ACTION"]))
        if not re.match(r"^[0-9]{4}$", row["TIME_PERIOD"]):
            problem("record %d: TIME_PERIOD %r is not a year" % (n, row["TIME_PERIOD"]))
            continue
        year = int(row["TIME_PERIOD"])
        for col in d["columns"]:
            v = row[col]
            codes = d["codes"].get(col)
            if codes is not None and v not in codes:
                problem("record %d: %s=%r is not in its code list" % (n, col, v))
            for to, spans in d["period"].get(col, {}).items():
                if v == to and not any(lo <= year <= hi for lo, hi in spans):
                    problem("record %d: %s=%s is not the code for %d" % (n, col, v, year))
        key = tuple(row[c] for c in d["columns"]) + (year,)
        if key in seen:
            problem("record %d: key %r twice" % (n, key))
        seen.add(key)
        val = row["OBS_VALUE"]
        if val != "" and not re.match(r"^(0|[1-9][0-9]*)$", val):
            problem("record %d: OBS_VALUE %r" % (n, val))
        st = row.get(d["status"], "") if d["status"] else ""
        cf = row.get(d["conf"], "") if d["conf"] else ""
        if st not in status_ok:
            problem("record %d: %s=%r is not a code the definition maps to" % (n, d["status"], st))
        if cf not in conf_ok:
            problem("record %d: %s=%r is not a code the definition maps to" % (n, d["conf"], cf))
        if cf in conf_withheld and val != "":
            problem("record %d: withheld (%s) with a value %r" % (n, cf, val))
        if val == "" and st not in missing_status and cf not in conf_withheld:
            problem("record %d: empty OBS_VALUE with neither a missing-value status nor a withheld one" % n)
        if st in missing_status and cf != "" and d["conf"]:
            problem("record %d: no figure (%s) but a confidentiality status %r" % (n, st, cf))
    if structure:
        check_structure(head, body, version, structure)
    return finish(len(body))


def finish(n):
    print("read %d observations, %d problems" % (n, len(PROBLEMS)))
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5) or sys.argv[3] not in ("1.0", "2.0"):
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
