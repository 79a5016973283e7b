#!/usr/bin/python3
"""check_expect.py — after a benchmark load, compare every yearly total of
every item with the generator's --expect oracle (tests/tools/ciatteh-gen.c
restates the derivation rules on the records as it made them).

    check_expect.py CIATTEH CONNINFO EXPECT_FILE

EXPECT_FILE: item,year,value,unknown.  `ciatteh query ITEM` must give the
same value, and the flag u exactly when unknown > 0.  The oracle counts
every offence; `query` counts trafficking only unless asked (issue 13:
offences are never added together in an output), so an item with an
offence dimension is read by offence and its offences added here, for
this check only.  Prints one line per item; exit 1 on any difference.
"""
import csv
import subprocess
import sys
from collections import defaultdict


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    cia, conninfo, expect_path = sys.argv[1:]
    expected = defaultdict(dict)
    with open(expect_path, newline="") as f:
        for row in csv.DictReader(f):
            expected[row["item"]][int(row["year"])] = (row["value"], int(row["unknown"]))
    bad = 0
    for item, years in sorted(expected.items()):
        p = subprocess.run([cia, "--db", conninfo, "query", item, "--by", "offence"],
                           capture_output=True, text=True)
        if p.returncode != 0:       # no offence dimension
            p = subprocess.run([cia, "--db", conninfo, "query", item], check=True,
                               capture_output=True, text=True)
        got = {}
        for r in csv.DictReader(p.stdout.splitlines()):
            v, fl = got.get(int(r["year"]), (None, ""))
            if r["value"] != "":
                v = str(int(v or 0) + int(r["value"]))
            got[int(r["year"])] = (v if v is not None else "", fl + r["flag"])
        diffs = []
        for year, (value, unknown) in sorted(years.items()):
            g = got.get(year)
            if g is None:
                diffs.append(f"{year}: missing")
            elif g[0] != value or ("u" in g[1]) != (unknown > 0):
                diffs.append(f"{year}: got {g[0]} flag '{g[1]}', expected {value} (unknown {unknown})")
        for year in sorted(set(got) - set(years)):
            diffs.append(f"{year}: unexpected {got[year]}")
        if diffs:
            bad += 1
            print(f"{expect_path}: {item}: DIFFERS: " + "; ".join(diffs[:5]))
        else:
            print(f"{expect_path}: {item}: {len(years)} years match")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
