#!/usr/bin/python3
"""make_fixtures.py — writes the extracts the export tests load (beside this
file).  Run it again only to change the fixtures; the tests read the CSV
files, not this script.  Deterministic (random.Random(2021)).

The figures the TIP test expects are built in exactly (ITEMS.md, offence THB):
  prosecution.cases_in           2021: 383   2020: 373
  prosecution.cases_prosecuted   2021: 95 (defendants left empty: not known)
                                 2020: 88 with 150 defendants
  conviction.persons             2020: 120   2019: 130
  conviction.prison              2020: 97    2019: 100
  conviction.prison_suspended    2020: 55    2019: 57
convictions_2020_revised.csv is convictions_2020.csv plus three bulletins
of 2020 (male, sexual exploitation, effective prison) registered in 2022:
the revision the `answers --diff` test loads.
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
R = random.Random(2021)
DISTRICTS = ["ANT", "LIM", "OVL", "WVL", "LEU", "BRU", "HVV", "BRW", "HAI", "LIE", "NAM", "LUX", "EUP"]
EU = ["RO", "BG", "PL", "HU", "SK", "FR", "NL", "PT"]
NONEU = ["NG", "MA", "CN", "VN", "TH", "IN", "AL", "BR", "ER", "UA"]


def day(year, lo=1, hi=365):
    import datetime
    d = datetime.date(year, 1, 1) + datetime.timedelta(days=R.randint(lo, hi) - 1)
    return d


def write(name, header, rows, delim=";"):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="") as f:
        f.write(delim.join(header) + "\n")
        for r in rows:
            f.write(delim.join("" if v is None else str(v) for v in r) + "\n")


def pick(weights):
    return R.choices(list(weights), weights=list(weights.values()))[0]


def spread(n, weights):
    """A list of n labels in the proportions of weights (dict), exact counts."""
    keys = list(weights)
    tot = sum(weights.values())
    counts = {k: n * weights[k] // tot for k in keys}
    i = 0
    while sum(counts.values()) < n:
        counts[keys[i % len(keys)]] += 1
        i += 1
    out = [k for k in keys for _ in range(counts[k])]
    R.shuffle(out)
    return out


# ---- prosecution: entries 2020 and 2021 -----------------------------------
def prosecution():
    rows = []
    n = 0

    def case(entry, offence, form, defendants, decision, ddate):
        nonlocal n
        n += 1
        rows.append([f"PR{n:05d}", entry.isoformat(), R.choice(DISTRICTS), offence,
                     form if offence == "THB" else None, defendants, decision,
                     ddate.isoformat() if ddate else None])

    forms = {"SEX": 45, "LAB": 35, "BEG": 8, "CRIM": 7, "OTH": 5}
    # THB cases entering in 2020 (373) and 2021 (383).  Decisions to
    # prosecute: 88 decided in 2020 (entries of 2020, defendants known: 150
    # in all), 95 decided in 2021 (defendants empty), of which 40 entered
    # in 2020 and 55 in 2021.
    d2020 = [1] * 26 + [2] * 62            # 88 cases, 150 defendants
    for i in range(373):
        form = pick(forms)
        entry = day(2020, 1, 300)
        if i < 88:
            ddate = day(2020, entry.timetuple().tm_yday + 1, 365)
            case(entry, "THB", form, d2020[i], R.choice(["SUMMONS", "REFERRAL"]), ddate)
        elif i < 128:
            case(entry, "THB", form, None, R.choice(["SUMMONS", "REFERRAL"]), day(2021, 1, 360))
        elif i < 250:
            case(entry, "THB", form, R.choice([1, 2, None]), "DISMISSED", day(2021, 1, 300))
        else:
            case(entry, "THB", form, R.choice([1, 2, 3, None]), "PENDING", None)
    for i in range(383):
        form = pick(forms)
        entry = day(2021, 1, 330)
        if i < 55:
            ddate = day(2021, entry.timetuple().tm_yday + 1, 365)
            case(entry, "THB", form, None, R.choice(["SUMMONS", "REFERRAL"]), ddate)
        elif i < 150:
            case(entry, "THB", form, R.choice([1, 2, None]), "DISMISSED", day(2021, entry.timetuple().tm_yday + 1, 365))
        else:
            case(entry, "THB", form, R.choice([1, 2, 3, None]), "PENDING", None)
    # Smuggling: never counted as trafficking.
    for year in (2020, 2021):
        for i in range(60):
            entry = day(year, 1, 300)
            dec = R.choice(["SUMMONS", "DISMISSED", "PENDING"])
            case(entry, "SMUG", None, R.choice([1, 2, 4]), dec,
                 None if dec == "PENDING" else day(year, entry.timetuple().tm_yday + 1, 365))
    write("prosecution_2021.csv", ["case_ref", "entry_date", "district", "offence", "exploitation_form",
                                   "defendants", "decision", "decision_date"], rows)


# ---- convictions --------------------------------------------------------
def convictions():
    import datetime
    rows = []
    n = 0

    def bulletin(judged, offence, form, sex, nat, months, susp, smonths, fine, conf, reg=None):
        nonlocal n
        n += 1
        if reg is None:
            reg = judged + datetime.timedelta(days=R.randint(20, 150))
        rows.append([f"CJ{n:05d}", judged.isoformat(), reg.isoformat(), R.choice(DISTRICTS), offence,
                     form, sex, nat, months, susp, smonths, fine, conf])

    def year(y, persons, sexes, forms, none, partial, full, cap_reg):
        prison = none + partial + full
        sex_l = spread(persons, sexes)
        form_l = spread(persons, forms)
        for i in range(persons):
            judged = day(y, 1, 350)
            if i < none:
                months, susp, smonths = R.choice([6, 12, 18, 24, 36, 48, 60, 96, 130]), "NONE", None
            elif i < none + partial:
                months = R.choice([12, 18, 24, 36, 48])
                susp, smonths = "PARTIAL", months // 2
            elif i < prison:
                months, susp, smonths = R.choice([6, 12, 18, 24]), "FULL", None
            else:
                months, susp, smonths = 0, None, None
            reg = min(judged + datetime.timedelta(days=R.randint(20, 150)), cap_reg)
            if reg < judged:
                reg = judged
            nat = R.choice(["BE"] * 3 + EU * 2 + NONEU + [None])
            bulletin(judged, "THB", form_l[i] if form_l[i] != "UNK" else None,
                     sex_l[i] if sex_l[i] != "UNK" else None, nat, months, susp, smonths,
                     R.choice(["1.500,00", "8.000,00", None, "48.000,00"]), R.choice(["yes", "no", None]), reg)
        for i in range(25):
            judged = day(y, 1, 350)
            months = R.choice([0, 12, 24])
            bulletin(judged, "SMUG", None, R.choice(["M", "F"]), R.choice(NONEU), months,
                     "NONE" if months else None, None, None, "no", min(judged + datetime.timedelta(days=60), cap_reg))
        for r in rows:
            if r[2] > cap_reg.isoformat():
                r[2] = cap_reg.isoformat()

    forms = {"SEX": 50, "LAB": 45, "BEG": 10, "CRIM": 8, "OTH": 5, "UNK": 2}
    year(2019, 130, {"F": 20, "M": 108, "UNK": 2}, forms, 43, 30, 27, datetime.date(2020, 6, 30))
    year(2020, 120, {"F": 18, "M": 100, "UNK": 2}, forms, 42, 30, 25, datetime.date(2021, 6, 30))
    header = ["bulletin_ref", "judgment_date", "registration_date", "court_district", "offence",
              "exploitation_form", "sex", "nationality", "prison_months", "suspension", "suspended_months",
              "fine_eur", "confiscation"]
    write("convictions_2020.csv", header, rows)
    # The revision: three more bulletins of 2020, registered in January 2022.
    for k in range(3):
        bulletin(datetime.date(2020, 11, 10 + k), "THB", "SEX", "M", "RO", 24, "NONE", None, None, "no",
                 datetime.date(2022, 1, 14 + k))
    write("convictions_2020_revised.csv", header, rows)
    # 2021, a separate delivery, still provisional at the end of January 2022.
    rows.clear()
    year(2021, 110, {"F": 15, "M": 93, "UNK": 2}, forms, 40, 25, 20, datetime.date(2022, 1, 31))
    write("convictions_2021.csv", header, rows)


# ---- police ---------------------------------------------------------------
def police():
    rows = []
    for i in range(300):
        form = pick({"SEX": 45, "LAB": 35, "BEG": 8, "CRIM": 7, "OTH": 5})
        rows.append([day(2021).isoformat(), f"PV21{i:05d}", R.choice(DISTRICTS), "THB", form,
                     R.choice([1, 1, 2, 3, None]), R.choice([0, 1, 1, 2, None])])
    for i in range(80):
        rows.append([day(2021).isoformat(), f"PV21S{i:04d}", R.choice(DISTRICTS), "SMUG", None,
                     R.choice([2, 5, 8]), None])
    write("police_2021.csv", ["registration_date", "fact_ref", "district", "offence", "exploitation_form",
                              "suspects", "victims"], rows)


# ---- shelters: three centres, referrals of 2020 and 2021 ------------------
def shelters():
    for centre, n20, n21 in (("PAYOKE", 22, 26), ("SURYA", 16, 20), ("PAGASA", 14, 18)):
        rows = []
        k = 0
        for year, n in ((2020, n20), (2021, n21)):
            for i in range(n):
                k += 1
                ref = day(year, 1, 340)
                admitted = R.random() < 0.85
                adm = day(year, ref.timetuple().tm_yday, min(365, ref.timetuple().tm_yday + 20)) if admitted else None
                sex = R.choice(["F"] * 5 + ["M"] * 4 + [None])
                age = R.choice([R.randint(12, 17)] + [R.randint(18, 55)] * 6 + [None])
                nat = R.choice(["BE"] + EU * 3 + NONEU * 3 + [None])
                form = R.choice(["SEX"] * 5 + ["LAB"] * 4 + ["BEG", "CRIM", "OTH", None])
                rows.append([centre, f"{centre[:2]}-{k:04d}", ref.isoformat(),
                             R.choice(["POLICE", "INSP", "NGO", "SOCIAL", "SELF", None]), sex, age, nat, form,
                             "yes" if admitted else "no", adm.isoformat() if adm else None])
        write(f"shelter_{centre.lower()}_2021.csv",
              ["centre", "person_ref", "referral_date", "referred_by", "sex", "age", "nationality",
               "exploitation_form", "admitted", "admission_date"], rows)


# ---- immigration ------------------------------------------------------------
def immigration():
    rows = []
    k = 0
    for year, n in ((2020, 40), (2021, 46)):
        docs = spread(n, {"OQT45": 12, "AI3M": 9, "CIRE6M": 14, "PERM": 4, "HUMAN": 1})
        for d in docs:
            k += 1
            rows.append([f"OE{k:05d}", day(year).isoformat(), d, R.choice(["THB"] * 6 + ["SMUG"]),
                         R.choice(["F", "F", "M", None]), R.choice(EU + NONEU + [None]),
                         R.choice(["no"] * 6 + ["yes", None])])
    write("immigration_2021.csv", ["document_ref", "issue_date", "document_type", "procedure", "sex",
                                   "nationality", "minor"], rows, delim=",")


prosecution()
convictions()
police()
shelters()
immigration()
