#!/usr/bin/python3
"""public_checks.py CHECKS.json — a published pack's data-quality findings
show no figure: every number in a message (any language) is a year or a
date of the finding or its rule's threshold (a setting), and no value but year,
prev_year and threshold is a number.  Prints each violation; exit 1 if any,
2 if there are no findings to look at (the test would prove nothing)."""
import json
import re
import sys

d = json.load(open(sys.argv[1], encoding="utf-8"))
bad = []
findings = d["findings"]
for f in findings:
    v = f["values"]
    allowed = set()
    for k in ("year", "prev_year"):
        if isinstance(v.get(k), int):
            allowed.add(float(v[k]))
    t = v.get("threshold")
    if isinstance(t, (int, float)):
        allowed |= {float(t), round(float(t) * 100, 6)}
    for k, x in v.items():
        if isinstance(x, (int, float)) and not isinstance(x, bool) and k not in ("year", "prev_year", "threshold"):
            bad.append("%s: value %s = %s" % (f["rule"], k, x))
    for lang, m in f["messages"].items():
        # dates (of deliveries, the reference day) are not figures
        for n in re.findall(r"\d+(?:[.,]\d+)?", re.sub(r"\d{4}-\d{2}-\d{2}", "", m)):
            if float(n.replace(",", ".")) not in allowed:
                bad.append("%s (%s): %s in %r" % (f["rule"], lang, n, m))
print("\n".join(bad))
print("%d findings, %d figures shown" % (len(findings), len(bad)))
sys.exit(1 if bad else 2 if not findings else 0)
