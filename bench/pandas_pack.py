#!/usr/bin/python3
"""pandas_pack.py — the biennial pack's tables and charts, built the plain
way for comparison (bench/run.sh): pandas, matplotlib, openpyxl, psycopg2.

    pandas_pack.py --db CONNINFO --period 2022-2023 [--as-of YYYY-MM-DD] -o DIR

It writes what `ciatteh pack` writes, minus the data-quality checks:
    DIR/tables/NN-name.csv      the same 24 tables (figures and flags)
    DIR/charts/NN-name.png|pdf  the same 8 charts
    DIR/annex-A-B-en.xlsx       every table on its sheet, charts beside
    DIR/annex-A-B-en.pdf        title page, every table and chart

Every figure is read from item_fact with the SQL of reports/figures/query.c (the
coverage of the deliveries at the end of --as-of, Brussels time; flags u
and p), and the tables follow the report definitions of
reports/data/reports/*.def and the charts those of reports/charts/chart_data.c.
Labels are English.  bench/compare_pack.py checks that the figures are the
ones ciatteh computed.
"""
import argparse
import json
import os
import shutil

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
import openpyxl  # noqa: E402
from openpyxl.drawing.image import Image as XlImage  # noqa: E402
from openpyxl.styles import Font  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402
import pandas as pd  # noqa: E402
import psycopg2  # noqa: E402

# The SQL of reports/figures/query.c, cia_query_run (dimension columns are
# inserted the same way; every value is a parameter).
QUERY = """
WITH asof AS (SELECT CASE WHEN %(asof)s::date IS NULL THEN 'infinity'::timestamptz
      ELSE ((%(asof)s::date + 1)::timestamp AT TIME ZONE 'Europe/Brussels') - interval '1 microsecond' END AS t),
facts AS (SELECT f.year{sel}, sum(f.value) AS v, sum(f.n_records) AS n, sum(f.n_unknown) AS u
  FROM item_fact f JOIN coverage_as_of((SELECT t FROM asof)) c
    ON c.delivery_id = f.delivery_id AND c.scope = f.scope AND c.year = f.dyear
  WHERE f.item = %(item)s AND f.year BETWEEN %(y0)s::int AND %(y1)s::int{where}
  GROUP BY f.year{grp})
SELECT facts.*, facts.year IN (SELECT p.year FROM item i,
    LATERAL provisional_years(i.service, (SELECT t FROM asof)) p
    WHERE i.code = %(item)s AND i.provisional = 'registration_lag')
  OR facts.year > (SELECT max(c.year) FROM coverage_as_of((SELECT t FROM asof)) c
    JOIN item i ON i.service = c.service WHERE i.code = %(item)s) AS prov
FROM facts WHERE n > 0 ORDER BY year{ord}
"""


class Db:
    def __init__(self, conninfo, asof):
        self.conn = psycopg2.connect(conninfo)
        self.conn.set_session(readonly=True, autocommit=True)
        self.asof = asof
        cur = self.conn.cursor()
        cur.execute("SELECT code, service, label_en, dims, sort FROM item ORDER BY sort")
        self.items = pd.DataFrame(cur.fetchall(), columns=["code", "service", "label", "dims", "sort"])
        cur.execute("SELECT code, label_en FROM service ORDER BY sort")
        self.services = cur.fetchall()
        cur.execute("SELECT d.code, c.code, c.sort, c.label_en FROM dimension d JOIN code c ON c.list = d.list")
        self.codes = pd.DataFrame(cur.fetchall(), columns=["dim", "code", "sort", "label"])
        with open("/usr/share/iso-codes/json/iso_3166-1.json") as f:
            self.countries = {c["alpha_2"]: c.get("common_name", c["name"]) for c in json.load(f)["3166-1"]}

    def label(self, item):
        return self.items.set_index("code").at[item, "label"]

    def code_label(self, dim, code):
        if dim == "nationality":
            return "not known" if code == "UNK" else self.countries.get(code, code)
        m = self.codes[(self.codes.dim == dim) & (self.codes.code == code)]
        return m.label.iloc[0] if len(m) else code

    def code_order(self, dim):
        return list(self.codes[self.codes.dim == dim].sort_values("sort").code)

    def query(self, item, y0, y1, by=(), where=None):
        """One item: DataFrame year, <by...>, value, flag (query.c's rows)."""
        sel = "".join(f", coalesce(f.{d}, 'UNK') AS d{i}" for i, d in enumerate(by))
        grp = "".join(f", {i + 2}" for i in range(len(by)))
        ordr = "".join(f', d{i} COLLATE "C"' for i in range(len(by)))
        params = {"item": item, "asof": self.asof, "y0": y0, "y1": y1}
        wh = ""
        for k, (dim, codes) in enumerate((where or {}).items()):
            wh += f" AND coalesce(f.{dim}, 'UNK') = ANY(string_to_array(%(w{k})s, ','))"
            params[f"w{k}"] = codes
        cur = self.conn.cursor()
        cur.execute(QUERY.format(sel=sel, grp=grp, ord=ordr, where=wh), params)
        df = pd.DataFrame(cur.fetchall(), columns=["year", *by, "value", "n", "u", "prov"])
        df["flag"] = (df.u > 0).map({True: "u", False: ""}) + df.prov.map({True: "p", False: ""})
        df["value"] = df.value.astype("float")
        return df[["year", *by, "value", "flag"]]


# ---------------------------------------------------------------- tables

def year_cols(df, years):
    """One value column and one flags column per year."""
    out = {}
    for y in years:
        r = df[df.year == y]
        out[str(y)] = r.value.iloc[0] if len(r) else None
        out[f"{y} (flags)"] = r.flag.iloc[0] if len(r) else "n.k."
    return out


def with_changes(row, y0, y1):
    a, b = row.get(str(y0)), row.get(str(y1))
    fl = "".join(sorted(set(row.get(f"{y0} (flags)", "") + row.get(f"{y1} (flags)", "")) - set(".kn ")))
    ok = a is not None and b is not None and pd.notna(a) and pd.notna(b)
    row[f"Change {y0}-{y1}"] = b - a if ok else None
    row[f"Change {y0}-{y1} (flags)"] = fl
    row[f"Change {y0}-{y1} (%)"] = (b - a) / a if ok and a else None
    row[f"Change {y0}-{y1} (%) (flags)"] = fl
    return row


def num(v):
    """A figure as a number for sums: not known (None, NaN) counts 0."""
    return 0.0 if v is None or pd.isna(v) else v


def share(n, den):
    return n / den if n is not None and pd.notna(n) and den is not None and pd.notna(den) and den else None


def t_yoy(db, y0, y1):
    rows = []
    for svc, svc_label in db.services:
        for item in db.items[db.items.service == svc].code:
            r = {"Source": svc_label, "Indicator": db.label(item)}
            r.update(year_cols(db.query(item, y0, y1), range(y0, y1 + 1)))
            rows.append(with_changes(r, y0, y1))
    return pd.DataFrame(rows)


def t_rows(db, y0, y1, rows, changes=False):
    """layout years: one row per (item, where); share rows from two others."""
    out, by_id = [], {}
    years = range(y0, y1 + 1)
    for spec in rows:
        if spec[0] == "share":
            _, label, nums, den = spec
            r = {"Indicator": label}
            for y in years:
                r[str(y)] = share(sum(num(by_id[n][str(y)]) for n in nums), by_id[den][str(y)])
                r[f"{y} (flags)"] = "".join(sorted(set(by_id[den][f"{y} (flags)"])))
        else:
            item, where, rid, label = spec
            r = {"Indicator": label or db.label(item)}
            r.update(year_cols(db.query(item, y0, y1, where=where), years))
            if rid:
                by_id[rid] = r
        out.append(with_changes(r, y0, y1) if changes else r)
    return pd.DataFrame(out)


def t_by(db, y0, y1, rows, dim, top=None):
    """layout years with by=DIM: per item, Total then each code."""
    out = []
    years = range(y0, y1 + 1)
    for item, where in rows:
        total = db.query(item, y0, y1, where=where)
        part = db.query(item, y0, y1, by=(dim,), where=where)
        r = {"Indicator": db.label(item), dim: "Total"}
        r.update(year_cols(total, years))
        out.append(r)
        codes = [c for c in db.code_order(dim) if c in set(part[dim])] if dim != "nationality" else None
        if top:
            known = part[part[dim] != "UNK"].groupby(dim).value.sum().sort_values(ascending=False, kind="stable")
            codes = list(known.index[:top])
        for c in codes:
            r = {"Indicator": db.label(item), dim: db.code_label(dim, c)}
            r.update(year_cols(part[part[dim] == c], years))
            out.append(r)
        if top:
            rest = part[~part[dim].isin(codes + ["UNK"])].groupby("year").value.sum().reset_index()
            rest["flag"] = ""
            r = {"Indicator": db.label(item), dim: "all other"}
            r.update(year_cols(rest, years))
            out.append(r)
            r = {"Indicator": db.label(item), dim: "not known"}
            r.update(year_cols(part[part[dim] == "UNK"], years))
            out.append(r)
    return pd.DataFrame(out)


def t_cross(db, y0, y1, rowdim, cols, rowcodes=None):
    """layout cross: per year, one row per code of rowdim and a Total; one
    column per (item, where) and share columns."""
    data = []
    for label, item, where, _ in cols:
        if item == "share":
            continue
        part = db.query(item, y0, y1, by=(rowdim,), where=where)
        total = db.query(item, y0, y1, where=where)
        data.append((label, part, total))
    codes = rowcodes or db.code_order(rowdim)
    present = set().union(*(set(p[rowdim]) for _, p, _ in data))
    codes = [c for c in codes if c in present or c != "UNK"]
    out = []
    for y in range(y0, y1 + 1):
        for c in codes + ["Total"]:
            r = {"Year": y, rowdim: "Total" if c == "Total" else db.code_label(rowdim, c)}
            vals = {}
            for label, part, total in data:
                src = total if c == "Total" else part[part[rowdim] == c]
                src = src[src.year == y]
                vals[label] = src.value.iloc[0] if len(src) else (0.0 if c != "Total" else None)
                r[label] = vals[label]
                r[f"{label} (flags)"] = src.flag.iloc[0] if len(src) else ""
            for label, item, where, sh in cols:
                if item == "share":
                    nums, den = sh
                    r[label] = share(sum(num(vals[n]) for n in nums), vals[den])
                    r[f"{label} (flags)"] = r[f"{den} (flags)"]
            out.append(r)
    return pd.DataFrame(out)


def t_codes_by_year(db, y0, y1, item, dim, top=None):
    """chart table: one row per code, one column per year (top N + rest)."""
    part = db.query(item, y0, y1, by=(dim,))
    codes = [c for c in db.code_order(dim) if c in set(part[dim]) and c != "UNK"]
    if top or dim == "nationality":
        known = part[part[dim] != "UNK"].groupby(dim).value.sum().sort_values(ascending=False, kind="stable")
        codes = list(known.index[:top or len(known)])
    out = []
    for c in codes:
        r = {dim: db.code_label(dim, c)}
        r.update(year_cols(part[part[dim] == c], range(y0, y1 + 1)))
        out.append(r)
    if top:
        rest = part[~part[dim].isin(codes + ["UNK"])].groupby("year").value.sum().reset_index()
        rest["flag"] = ""
        r = {dim: "all other"}
        r.update(year_cols(rest, range(y0, y1 + 1)))
        out.append(r)
    unk = part[part[dim] == "UNK"]
    if len(unk):
        r = {dim: "not known"}
        r.update(year_cols(unk, range(y0, y1 + 1)))
        out.append(r)
    return pd.DataFrame(out)


def build(db, y0, y1):
    """(name, table, chart kind or None) in the pack's order."""
    P = "conviction.prison"
    susp = lambda s: {"suspension": s}  # noqa: E731
    summary = [("conviction.persons", None, "persons", None), (P, None, "prison", None),
               (P, susp("NONE"), "eff", "of which effective (not suspended)"),
               (P, susp("PARTIAL"), "partial", "of which partially suspended"),
               (P, susp("FULL"), "full", "of which fully suspended"),
               ("share", "effective, % of prison terms", ["eff"], "prison"),
               ("share", "partially suspended, % of prison terms", ["partial"], "prison"),
               ("share", "fully suspended, % of prison terms", ["full"], "prison"),
               ("conviction.prison_suspended", None, "susp", None),
               ("share", "suspended in part or in full, % of prison terms", ["susp"], "prison"),
               ("conviction.fines", None, None, None), ("conviction.confiscations", None, None, None)]
    susp_cols = [("Effective", P, susp("NONE"), None), ("Partially suspended", P, susp("PARTIAL"), None),
                 ("Fully suspended", P, susp("FULL"), None), ("Prison terms", P, None, None),
                 ("Suspended, % of prison terms", "share", None,
                  (["Partially suspended", "Fully suspended"], "Prison terms"))]
    by_cols = [("Persons convicted", "conviction.persons", None, None)] + susp_cols + [
        ("Fined", "conviction.fines", None, None), ("Confiscation", "conviction.confiscations", None, None)]
    bands = ["LT12", "12_36", "36_60", "60_120", "GE120"]
    len_cols = [(db.code_label("sentence_band", b), P, {"sentence_band": b}, None) for b in bands] + [
        ("Prison terms", P, None, None)]
    thb = {"offence": "THB"}
    shelters = [("shelter.referrals", None), ("shelter.victims_admitted", None)]
    overview = [(i, w, None, None) for i, w in [
        ("shelter.referrals", None), ("shelter.victims_admitted", None), ("immigration.documents", None),
        ("inspection.victims_referred", None), ("police.victims", thb), ("police.facts", thb),
        ("prosecution.cases_in", thb), ("prosecution.cases_prosecuted", thb), ("conviction.persons", thb)]]
    trend = pd.concat([t_rows(db, y1 - 5, y1, [(i, None, None, None)]) for i in
                       ("police.facts", "prosecution.cases_in", "conviction.persons", "shelter.victims_admitted")])
    vict = db.query("shelter.victims_admitted", y0, y1, by=("form", "sex"))
    vict = vict.groupby(["form", "sex"]).value.sum().unstack("sex").fillna(0)
    vict = vict.reindex([c for c in db.code_order("form") if c in vict.index])
    vict.index = [db.code_label("form", c) for c in vict.index]
    vict.columns = [db.code_label("sex", c) for c in vict.columns]
    return [
        ("yoy", t_yoy(db, y0, y1), None),
        ("chart_trend", trend, "trend"),
        ("sentences_summary", t_rows(db, y0, y1, summary), None),
        ("sentences_bands", t_cross(db, y0, y1, "sentence_band", susp_cols, bands + ["UNK"]), None),
        ("sentences_by_form", t_cross(db, y0, y1, "form", by_cols), None),
        ("sentences_by_form_length", t_cross(db, y0, y1, "form", len_cols), None),
        ("sentences_by_sex", t_cross(db, y0, y1, "sex", by_cols), None),
        ("sentences_by_sex_length", t_cross(db, y0, y1, "sex", len_cols), None),
        ("chart_sentences", t_codes_by_year(db, y0, y1, P, "suspension"), "stacked"),
        ("chart_sentences_bands", t_codes_by_year(db, y0, y1, P, "sentence_band"), "stacked"),
        ("victims_overview", t_rows(db, y0, y1, overview, changes=True), None),
        ("victims_by_form", t_by(db, y0, y1, shelters + [("police.victims", thb), ("prosecution.cases_in", thb)],
                                 "form"), None),
        ("victims_by_sex", t_by(db, y0, y1, shelters + [("immigration.documents", None)], "sex"), None),
        ("victims_by_age", t_by(db, y0, y1, shelters + [("immigration.documents", None)], "age_group"), None),
        ("victims_by_citizenship", t_by(db, y0, y1, shelters + [("immigration.documents", None)], "citizenship"),
         None),
        ("victims_by_nationality", t_by(db, y0, y1, shelters, "nationality", top=10), None),
        ("victims_by_referrer", t_by(db, y0, y1, shelters, "referrer"), None),
        ("victims_documents", t_by(db, y0, y1, [("immigration.documents", None)], "document"), None),
        ("victims_sectors", t_by(db, y0, y1, [("inspection.victims_referred", None)], "sector"), None),
        ("chart_victims", vict.reset_index(names="Form of exploitation"), "grouped"),
        ("chart_referrals", t_codes_by_year(db, y0, y1, "shelter.referrals", "referrer"), "grouped"),
        ("chart_documents", t_codes_by_year(db, y0, y1, "immigration.documents", "document"), "grouped"),
        ("chart_sectors", t_codes_by_year(db, y0, y1, "inspection.victims_referred", "sector", top=10), "grouped"),
        ("chart_nationalities", t_codes_by_year(db, y0, y1, "shelter.victims_admitted", "nationality", top=10),
         "grouped"),
    ]


# ---------------------------------------------------------------- output

def draw(name, df, kind, path_png, path_pdf):
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    label_col = df.columns[0] if kind != "trend" else "Indicator"
    vals = df[[c for c in df.columns if c not in (label_col, "Indicator") and not c.endswith("(flags)")]]
    vals = vals.apply(pd.to_numeric, errors="coerce").fillna(0)
    vals.index = df[label_col]
    if kind == "trend":
        vals.T.plot(ax=ax, marker="o")
    elif kind == "stacked":
        vals.T.plot(kind="bar", stacked=True, ax=ax)
    else:
        vals.plot(kind="barh", ax=ax)
        ax.invert_yaxis()
    ax.set_title(name.replace("chart_", "").replace("_", " "))
    ax.legend(fontsize=7)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path_png, dpi=150)
    fig.savefig(path_pdf)
    return fig


def write_workbook(path, tables, charts):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for i, (name, df, _) in enumerate(tables, 1):
        ws = wb.create_sheet(f"{i:02d} {name}"[:31])
        ws.append(list(df.columns))
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in df.itertuples(index=False):
            ws.append([None if (isinstance(v, float) and pd.isna(v)) else v for v in row])
        for col in ws.iter_cols(min_row=2):
            for c in col:
                if isinstance(c.value, float):
                    c.number_format = "0.0%" if "%" in str(ws.cell(1, c.column).value) else "#,##0"
        ws.freeze_panes = "A2"
        if name in charts:
            ws.add_image(XlImage(charts[name]), f"{get_column_letter(len(df.columns) + 2)}2")
    wb.save(path)


def write_pdf(path, title, tables, figures):
    with PdfPages(path) as pdf:
        fig = plt.figure(figsize=(8.27, 11.69))
        fig.text(0.5, 0.6, title, ha="center", fontsize=20)
        pdf.savefig(fig)
        plt.close(fig)
        for name, df, _ in tables:
            shown = df[[c for c in df.columns if not c.endswith("(flags)")]].head(45)
            fig, ax = plt.subplots(figsize=(8.27, 11.69))
            ax.axis("off")
            ax.set_title(name.replace("_", " "))
            cells = [[("" if pd.isna(v) else f"{v:,.0f}" if isinstance(v, float) and v >= 1 else
                       f"{v:.1%}" if isinstance(v, float) else str(v))[:38] for v in r]
                     for r in shown.itertuples(index=False)]
            if cells:
                t = ax.table(cellText=cells, colLabels=[str(c)[:20] for c in shown.columns], loc="upper center")
                t.auto_set_font_size(False)
                t.set_fontsize(6)
            pdf.savefig(fig)
            plt.close(fig)
            if name in figures:
                pdf.savefig(figures[name])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--period", required=True)
    ap.add_argument("--as-of", dest="asof")
    ap.add_argument("-o", dest="out", required=True)
    a = ap.parse_args()
    y0, y1 = (int(x) for x in a.period.split("-"))
    db = Db(a.db, a.asof)
    tables = build(db, y0, y1)
    tmp = a.out + ".part"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(f"{tmp}/tables")
    os.makedirs(f"{tmp}/charts")
    pngs, figs, n = {}, {}, 0
    for i, (name, df, kind) in enumerate(tables, 1):
        df.to_csv(f"{tmp}/tables/{i:02d}-{name}.csv", index=False)
        if kind:
            n += 1
            base = f"{tmp}/charts/{n:02d}-{name.replace('chart_', '')}"
            figs[name] = draw(name, df, kind, base + ".png", base + ".pdf")
            pngs[name] = base + ".png"
    write_workbook(f"{tmp}/annex-{y0}-{y1}-en.xlsx", tables, pngs)
    write_pdf(f"{tmp}/annex-{y0}-{y1}-en.pdf", f"Statistical annex {y0}-{y1}", tables, figs)
    shutil.rmtree(a.out, ignore_errors=True)
    os.rename(tmp, a.out)
    print(f"{a.out}: {len(tables)} tables, {n} charts")


if __name__ == "__main__":
    main()
