"""sdmx_read.py — an SDMX-CSV reader written from the sdmx-twg field guides
(data message, versions 1.0 and 2.0) and RFC 4180, independent of
ciatteh's C: it checks a file against the standard's rules and against the
`sdmx` lines of a questionnaire definition (reports/data/questionnaires/
NAME.q), read here with a parser of its own.

  sdmx_read.py FILE DEFINITION.q VERSION     VERSION: 1.0 or 2.0

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


def main(path, defpath, version):
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
    return finish(len(body))


def finish(n):
    print("read %d observations, %d problems" % (n, len(PROBLEMS)))
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[3] not in ("1.0", "2.0"):
        raise SystemExit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))
