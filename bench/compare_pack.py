#!/usr/bin/python3
"""compare_pack.py — are the figures of bench/pandas_pack.py's pack the
ones `ciatteh pack` computed?  Labels, layout and notes differ (the pandas
script writes English labels of its own); the figures must not.

    compare_pack.py CIATTEH_PACK_DIR PANDAS_PACK_DIR

For each table (tables/NN-name.csv, matched by name) the non-zero figures
of both, as a multiset (rounded to 1e-6), must be equal: the same numbers
in any order.  Zeros are left out (one side may list a code with nothing
in it, the other not) and so are flags.  Exit 1 on any difference.
"""
import csv
import glob
import os
import sys
from collections import Counter


def figures(path):
    nums = Counter()
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    # the figure columns: not flags, not labels, not the Year of a cross table
    skip = {i for i, h in enumerate(header) if h.endswith("(flags)") or h.lower() == "year"}
    for r in rows[1:]:
        for i, v in enumerate(r):
            if i in skip or v == "":
                continue
            try:
                x = float(v)
            except ValueError:
                continue
            if x != 0:
                nums[round(x, 6)] += 1
    return nums


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = sys.argv[1:]
    name = lambda p: os.path.basename(p).split("-", 1)[1]  # noqa: E731
    ta = {name(p): p for p in glob.glob(f"{a}/tables/*.csv")}
    tb = {name(p): p for p in glob.glob(f"{b}/tables/*.csv")}
    same = differ = 0
    for t in sorted(set(ta) | set(tb)):
        if t not in ta or t not in tb:
            print(f"{t}: only in {'ciatteh' if t in ta else 'pandas'}")
            differ += 1
            continue
        fa, fb = figures(ta[t]), figures(tb[t])
        if fa == fb:
            same += 1
            print(f"{t}: {sum(fa.values())} figures, the same")
        else:
            differ += 1
            only_a = sorted((fa - fb).elements())[:8]
            only_b = sorted((fb - fa).elements())[:8]
            print(f"{t}: DIFFER ({sum(fa.values())} vs {sum(fb.values())} figures); "
                  f"only ciatteh: {only_a}; only pandas: {only_b}")
    print(f"{same} tables with the same figures, {differ} differing")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
