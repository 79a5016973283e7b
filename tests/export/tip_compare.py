"""tip_compare.py — compares the TIP draft with the 2022 TIP report's
Belgium section sentence by sentence: for each sentence of the report that
quotes a figure the warehouse holds, the draft's sentence of the same
opening must say the report's figures in the report's order (the draft may
add some, e.g. a year).  Numbers written in words ("nine") count as
figures; "an unknown number" is a figure too.

  tip_compare.py DRAFT.txt REPORT.txt

Prints each pair and "compared N sentences, M problems"; exit 1 on any.
"""
import re
import sys

# draft opening → report opening
PAIRS = [("Authorities investigated", "Authorities investigated"),
         ("The government prosecuted", "The government prosecuted an unknown"),
         ("Authorities reported", "Authorities reported 103"),
         ("Courts sentenced", "Courts sentenced"),
         ("Of the prison sentences issued", "Of the prison sentences issued"),
         ("The government formally identified", "The government formally identified"),
         ("The three government-funded shelters", "The three government-funded shelters"),
         ("The government issued", "The government issued 202"),
         ("Labor inspectors referred", "Labor inspectors referred")]
WORDS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
         "seven": "7", "eight": "8", "nine": "9"}


def sentences(text):
    text = re.sub(r"(\w)- (\w)", r"\1-\2", text.replace("\u2019", "'"))
    return [s.strip() for s in re.split(r"(?<=\.)\s+(?=[A-Z])", text) if s.strip()]


def figures(s):
    out = []
    for m in re.finditer(r"an unknown number|\d[\d,]*|\b(?:%s)\b" % "|".join(WORDS), s):
        t = m.group(0)
        out.append("unknown" if t.startswith("an unknown") else WORDS.get(t, t.replace(",", "")))
    return out


def subsequence(small, big):
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


def main(draft_path, report_path):
    draft = sentences(open(draft_path, encoding="utf-8").read())
    report = sentences(open(report_path, encoding="utf-8").read())
    problems = 0
    for ours, theirs in PAIRS:
        d = [s for s in draft if s.startswith(ours)]
        r = [s for s in report if s.startswith(theirs)]
        if len(d) != 1 or len(r) != 1:
            print("PROBLEM %r: %d draft sentences, %d report sentences" % (ours, len(d), len(r)))
            problems += 1
            continue
        fd, fr = figures(d[0]), figures(r[0])
        ok = subsequence(fr, fd)
        print("%s %s\n   report: %s\n   draft:  %s" % ("ok" if ok else "PROBLEM", ours, fr, fd))
        problems += not ok
    print("compared %d sentences, %d problems" % (len(PAIRS), problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
