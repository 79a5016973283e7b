"""typography.py — French typography of text outputs, checked from outside:
no ordinary (breakable) space and no missing space before ; : ! ? », none
missing after «.  Times (09:00), addresses (https://) and number ratios
(10:1) are not punctuation.  Lines of CSV files are split into cells first
(the separator is not prose).

  typography.py FILE...      prints one line per problem and a total; exit 1 if any
"""
import csv
import re
import sys

NB = "\u00a0\u202f"
RULES = [
    (re.compile(r"[A-Za-z\u00c0-\u00ff\)][;!?\u00bb]"), "no no-break space before"),
    (re.compile(r"[0-9][;!?](?=\s|$)"), "no no-break space before"),
    (re.compile(r" [;:!?\u00bb]"), "an ordinary (breakable) space before"),
    (re.compile(r"\u00ab(?![" + NB + "])"), "no no-break space after"),
    (re.compile(r"[A-Za-z\u00c0-\u00ff\)]:(?=\s|$)"), "no no-break space before"),
]


def texts(path):
    if path.endswith(".csv"):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            sample = fh.read(4096)
            fh.seek(0)
            delim = ";" if sample.count(";") > sample.count(",") else ","
            for n, row in enumerate(csv.reader(fh, delimiter=delim), 1):
                for cell in row:
                    yield n, cell
    else:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                yield n, line.rstrip("\n")


def main(paths):
    n = 0
    for p in paths:
        for line_no, text in texts(p):
            for rx, why in RULES:
                for m in rx.finditer(text):
                    n += 1
                    if n <= 40:
                        print("%s:%d: %s %r in %r" % (p, line_no, why, m.group(0)[-1], text[max(0, m.start() - 30):m.end() + 10]))
    print("checked %d files, %d problems" % (len(paths), n))
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
