#!/usr/bin/python3
"""make_tip2022.py — writes the tip2022_*.csv extracts beside this file:
data from which the TIP answer for reporting year 2021 must say every
figure the 2022 TIP report's Belgium section quotes
(../../../../shared/reference/tip-2022-belgium.txt).  Run it again only to
change the fixtures; the tests read the CSV files.  Deterministic.

Built in exactly (offence THB where the item has one):
  prosecution.cases_in            2021: 383   2020: 373
  prosecution.cases_prosecuted    2021: 95    2020: 38    2019: 73   (defendants left empty)
  conviction.persons              2020: 103   2019: 112
  conviction.prison               2020: 97    2019: 100
  conviction.prison_suspended     2020: 55    2019: 57
  conviction.prison by band 2020  under 1 year 9, 1-3 years 47, 3-5 years 35, 5-10 years 6
                            2019  under 1 year 19
  victims identified (taken into care)  2021: 151 (86 labour, 33 sexual, 32 other or not known)
                                        2020: 91    2019: 159
     2021 by referrer: police 80, NGO 30, social services 20, inspectorate 6, self 15
     child victims 2021: 12   2020: 5
  shelter.referrals               2021: 1055  2020: 820
  immigration.documents           2021: 202   2020: 174
  inspection.victims_referred     2021: 95
"""
import datetime
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
R = random.Random(2022)
DISTRICTS = ["ANT", "LIM", "OVL", "WVL", "LEU", "BRU", "HAI", "LIE", "NAM"]
NATS = ["RO", "BG", "NG", "MA", "CN", "TH", "IN", "AL", "UA", "HU"]


def day(year):
    return datetime.date(year, 1, 1) + datetime.timedelta(days=R.randint(0, 360))


def write(name, header, rows, delim=";"):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="") as f:
        f.write(delim.join(header) + "\n")
        for r in rows:
            f.write(delim.join("" if v is None else str(v) for v in r) + "\n")


def prosecution():
    rows = []

    def case(entry, decision, ddate):
        rows.append(["PR%05d" % (len(rows) + 1), entry.isoformat(), R.choice(DISTRICTS), "THB",
                     R.choice(["SEX", "LAB", "BEG"]), None, decision, ddate.isoformat() if ddate else None])
    for i in range(80):                     # 2019: 73 prosecuted
        e = datetime.date(2019, 1, 2) + datetime.timedelta(days=i)
        case(e, "SUMMONS" if i < 73 else "DISMISSED", e + datetime.timedelta(days=30))
    for i in range(373):                    # 2020: 38 prosecuted
        e = datetime.date(2020, 1, 2) + datetime.timedelta(days=i % 300)
        if i < 38:
            case(e, "REFERRAL", e + datetime.timedelta(days=20))
        elif i < 200:
            case(e, "DISMISSED", e + datetime.timedelta(days=20))
        else:
            case(e, "PENDING", None)
    for i in range(383):                    # 2021: 95 prosecuted
        e = datetime.date(2021, 1, 2) + datetime.timedelta(days=i % 300)
        if i < 95:
            case(e, "SUMMONS", e + datetime.timedelta(days=20))
        else:
            case(e, "PENDING", None)
    write("tip2022_prosecution.csv", ["case_ref", "entry_date", "district", "offence", "exploitation_form",
                                      "defendants", "decision", "decision_date"], rows)


def convictions():
    rows = []

    def year(y, persons, bands, suspended):
        terms = [m for months, n in bands for m in [months] * n]
        for i in range(persons):
            judged = datetime.date(y, 1, 5) + datetime.timedelta(days=(i * 3) % 340)
            reg = judged + datetime.timedelta(days=40)
            if i < len(terms):
                months = terms[i]
                susp = "PARTIAL" if i < suspended // 2 else "FULL" if i < suspended else "NONE"
                smonths = months // 2 if susp == "PARTIAL" else None
            else:
                months, susp, smonths = 0, None, None
            rows.append(["CJ%05d" % (len(rows) + 1), judged.isoformat(), reg.isoformat(), R.choice(DISTRICTS),
                         "THB", R.choice(["SEX", "LAB"]), R.choice(["M", "M", "F"]), R.choice(NATS),
                         months, susp, smonths, None, "no"])
    year(2019, 112, [(6, 19), (24, 50), (48, 25), (84, 6)], 57)
    year(2020, 103, [(6, 9), (24, 47), (48, 35), (84, 6)], 55)
    write("tip2022_convictions.csv", ["bulletin_ref", "judgment_date", "registration_date", "court_district",
                                      "offence", "exploitation_form", "sex", "nationality", "prison_months",
                                      "suspension", "suspended_months", "fine_eur", "confiscation"], rows)


def shelters():
    rows = []

    def person(referral, admitted, form=None, referrer=None, age=None):
        rows.append(["PAYOKE", "TP-%05d" % (len(rows) + 1), referral.isoformat(), referrer or R.choice(["NGO", "SELF"]),
                     R.choice(["F", "M"]), age if age is not None else R.randint(19, 50), R.choice(NATS),
                     form or R.choice(["SEX", "LAB", "BEG"]), "yes" if admitted else "no",
                     (referral + datetime.timedelta(days=3)).isoformat() if admitted else None])
    # 2021: 151 identified (86 labour, 33 sexual, 32 other or not known), 904 more referred
    forms = ["LAB"] * 86 + ["SEX"] * 33 + ["BEG"] * 20 + ["CRIM"] * 6 + ["-"] * 6
    refs = ["POLICE"] * 80 + ["NGO"] * 30 + ["SOCIAL"] * 20 + ["INSP"] * 6 + ["SELF"] * 15
    for i in range(151):
        person(datetime.date(2021, 1, 4) + datetime.timedelta(days=i * 2), True, forms[i], refs[i],
               15 if i < 12 else None)
    for i in range(904):
        person(datetime.date(2021, 1, 4) + datetime.timedelta(days=i % 350), False)
    # 2020: 91 identified (5 children), 729 more referred
    for i in range(91):
        person(datetime.date(2020, 1, 6) + datetime.timedelta(days=i * 3), True, age=16 if i < 5 else None)
    for i in range(729):
        person(datetime.date(2020, 1, 6) + datetime.timedelta(days=i % 350), False)
    # 2019: 159 identified
    for i in range(159):
        person(datetime.date(2019, 1, 7) + datetime.timedelta(days=i * 2), True)
    for r in rows:
        if r[7] == "-":       # form not recorded
            r[7] = None
    write("tip2022_shelter_payoke.csv", ["centre", "person_ref", "referral_date", "referred_by", "sex", "age",
                                         "nationality", "exploitation_form", "admitted", "admission_date"], rows)


def immigration():
    rows = []
    for y, n in ((2020, 174), (2021, 202)):
        for i in range(n):
            rows.append(["OE%05d" % (len(rows) + 1), (datetime.date(y, 1, 3) + datetime.timedelta(days=i % 350)).isoformat(),
                         R.choice(["OQT45", "AI3M", "CIRE6M"]), "THB", R.choice(["F", "M"]), R.choice(NATS), "no"])
    write("tip2022_immigration.csv", ["document_ref", "issue_date", "document_type", "procedure", "sex",
                                      "nationality", "minor"], rows, delim=",")


def inspectorates():
    rows = [[2021, "CLS", "F", 120, 10, 40], [2021, "CLS", "I", 80, 6, 30], [2021, "ONSS", "A", 60, 4, 25]]
    write("tip2022_inspectorates.csv", ["year", "inspectorate", "sector", "inspections", "thb_reports",
                                        "victims_referred"], rows, delim=",")


if __name__ == "__main__":
    prosecution()
    convictions()
    shelters()
    immigration()
    inspectorates()
