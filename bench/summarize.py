#!/usr/bin/python3
"""summarize.py — bench/results/*.csv → the Markdown tables of
BENCHMARKS.md (medians of the runs, throughput, ratios side by side).

    summarize.py RESULTS_DIR > RESULTS_DIR/summary.md
"""
import csv
import os
import statistics
import sys
from collections import defaultdict


def rows(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt_rate(x):
    return f"{x / 1e6:.2f} M" if x >= 1e6 else f"{x / 1e3:.0f} k"


def ingest(d):
    data = rows(f"{d}/ingest.csv")
    if not data:
        return
    runs = defaultdict(list)
    for r in data:
        runs[(r["service"], int(r["rows"]), r["tool"])].append(r)
    print("## Ingest (median of the runs)\n")
    print("| service | rows | MB | tool | runs | wall s | rows/s | MB/s | client CPU s | server CPU s "
          "| peak RSS MB | load avg |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    summary = {}
    order = {"copy": 0, "pgloader": 1, "ciatteh-before": 2, "ciatteh": 3}
    for (svc, n, tool), rs in sorted(runs.items(), key=lambda k: (k[0][0], k[0][1], order.get(k[0][2], 9))):
        wall = med([float(r["wall_s"]) for r in rs])
        cpu = med([float(r["user_s"]) + float(r["sys_s"]) for r in rs])
        srv = med([float(r["server_cpu_s"]) for r in rs])
        rss = max(int(r["rss_kb"]) for r in rs) / 1024
        mb = int(rs[0]["bytes"]) / 1e6
        la = med([(float(r["load_before"]) + float(r["load_after"])) / 2 for r in rs])
        summary[(svc, n, tool)] = (wall, cpu + srv)
        print(f"| {svc} | {n:,} | {mb:.0f} | {tool} | {len(rs)} | {wall:.2f} | {fmt_rate(n / wall)} | "
              f"{mb / wall:.1f} | {cpu:.2f} | {srv:.2f} | {rss:.0f} | {la:.1f} |")
    print("\n## Ingest ratios (throughput of ciatteh against each)\n")
    before = any(k[2] == "ciatteh-before" for k in summary)
    print("| service | rows | ciatteh ÷ \\copy (wall) | ciatteh ÷ \\copy (CPU) | ciatteh ÷ pgloader (wall) "
          "| ciatteh s per M rows |" + (" speed-up on the build before (wall) |" if before else ""))
    print("|---|---:|---:|---:|---:|---:|" + ("---:|" if before else ""))
    for (svc, n, tool), (wall, cpu) in sorted(summary.items()):
        if tool != "ciatteh":
            continue
        cp = summary.get((svc, n, "copy"))
        pg = summary.get((svc, n, "pgloader"))
        r_copy = f"{cp[0] / wall:.2f}" if cp else "-"
        r_cpu = f"{cp[1] / cpu:.2f}" if cp else "-"
        r_pg = f"{pg[0] / wall:.1f}" if pg else "-"
        bf = summary.get((svc, n, "ciatteh-before"))
        extra = (f" {bf[0] / wall:.2f} |" if bf else " - |") if before else ""
        print(f"| {svc} | {n:,} | {r_copy} | {r_cpu} | {r_pg} | {wall / n * 1e6:.2f} |" + extra)
    checks = f"{d}/ingest-checks.txt"
    if os.path.exists(checks):
        lines = open(checks).read().splitlines()
        bad = [l for l in lines if "DIFFERS" in l]
        print(f"\nOracle check of the ciatteh loads (generator --expect): {len(lines) - len(bad)} item series "
              f"match, {len(bad)} differ.")
    print()


def reports(d):
    data = rows(f"{d}/reports.csv")
    if not data:
        return
    by = defaultdict(list)
    for r in data:
        by[r["tool"]].append(r)
    print("## Biennial pack, 2022-2023 over 20 years of data (median of the runs)\n")
    print("| tool | runs | wall s | client CPU s | server CPU s | peak RSS MB | load avg |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    walls = {}
    for tool, rs in sorted(by.items()):
        walls[tool] = med([float(r["wall_s"]) for r in rs])
        print(f"| {tool} | {len(rs)} | {walls[tool]:.2f} | "
              f"{med([float(r['user_s']) + float(r['sys_s']) for r in rs]):.2f} | "
              f"{med([float(r['server_cpu_s']) for r in rs]):.2f} | "
              f"{max(int(r['rss_kb']) for r in rs) / 1024:.0f} | "
              f"{med([(float(r['load_before']) + float(r['load_after'])) / 2 for r in rs]):.1f} |")
    if "ciatteh" in walls and "pandas" in walls:
        print(f"\nciatteh is {walls['pandas'] / walls['ciatteh']:.2f} × as fast as the pandas script end to end "
              f"(the ciatteh pack also runs the data-quality checks and draws the PDF annex with every table).")
    for name in ("reports-data.txt", "reports-compare.txt"):
        p = f"{d}/{name}"
        if os.path.exists(p):
            last = open(p).read().strip().splitlines()
            print(f"\n{name}: {last[-1] if last else ''}" if name.endswith("compare.txt") else
                  f"\nData: {'; '.join(last)}")
    print()


def query_table(path, title):
    data = rows(path)
    if not data:
        return
    print(f"## {title}\n")
    # sql: the figures() call alone, on an open connection (older runs: none).
    sql = bool(data) and "sql_ms" in data[0]
    # cpu: the client process's CPU time (older runs: none).
    cpu = bool(data) and "cpu_ms" in data[0]
    # srv: the server's CPU (postmaster, backends, pooler) for the query.
    srv = bool(data) and bool(data[0].get("server_cpu_ms"))
    print("| build | queries | service | p50 ms | p95 ms | max ms |" + (" SQL p50 ms | SQL p95 ms |" if sql else "") +
          (" CPU p50 ms | CPU p95 ms |" if cpu else "") + (" server CPU p50 ms | server CPU p95 ms |" if srv else ""))
    print("|---|---:|---|---:|---:|---:|" + ("---:|---:|" if sql else "") + ("---:|---:|" if cpu else "") +
          ("---:|---:|" if srv else ""))
    # One tool (ciatteh) unless the run compared builds (BENCH_COMPARE_BIN).
    for tool in sorted({r.get("tool", "ciatteh") for r in data}):
        mine = [r for r in data if r.get("tool", "ciatteh") == tool]
        by = defaultdict(list)
        bysql = defaultdict(list)
        bycpu = defaultdict(list)
        bysrv = defaultdict(list)
        for r in mine:
            for k in ("all", r["query"].split()[1].split(".")[0]):
                by[k].append(float(r["ms"]))
                if sql:
                    bysql[k].append(float(r["sql_ms"]))
                if cpu:
                    bycpu[k].append(float(r["cpu_ms"]))
                if srv:
                    bysrv[k].append(float(r["server_cpu_ms"]))

        def pct(xs, f):
            return xs[max(0, min(len(xs) - 1, int(round(f * len(xs) + 0.5)) - 1))]
        for svc in ["all"] + sorted(k for k in by if k != "all"):
            xs = sorted(by[svc])
            line = f"| {tool} | {len(xs)} | {svc} | {pct(xs, 0.5):.1f} | {pct(xs, 0.95):.1f} | {xs[-1]:.1f} |"
            if sql:
                ss = sorted(bysql[svc])
                line += f" {pct(ss, 0.5):.1f} | {pct(ss, 0.95):.1f} |"
            if cpu:
                cs = sorted(bycpu[svc])
                line += f" {pct(cs, 0.5):.1f} | {pct(cs, 0.95):.1f} |"
            if srv:
                vs = sorted(bysrv[svc])
                line += f" {pct(vs, 0.5):.1f} | {pct(vs, 0.95):.1f} |"
            print(line)
    print()


def data_line(path):
    if os.path.exists(path):
        print("Data: " + "; ".join(open(path).read().split("\n")).strip("; ") + "\n")


def query(d):
    query_table(f"{d}/query.csv", "ciatteh query over 20 years, ten times a Belgian year's records")
    data_line(f"{d}/reports-data.txt")
    query_table(f"{d}/query-1x.csv", "ciatteh query over 20 years, a Belgian year's records")
    data_line(f"{d}/query-1x-data.txt")


def main():
    d = sys.argv[1]
    print("# ciatteh benchmark results\n")
    for name in ("machine.txt", "machine-reports.txt"):
        if os.path.exists(f"{d}/{name}"):
            print(f"{name}:\n```")
            print(open(f"{d}/{name}").read().strip())
            print("```\n")
    ingest(d)
    reports(d)
    query(d)


if __name__ == "__main__":
    main()
