#!/usr/bin/python3
"""query_bench.py — time `ciatteh query` end to end (process start,
connection, catalogue check, the query, CSV out) over many items,
breakdowns, filters and year ranges, as an analyst or a script calls it.

    query_bench.py --ciatteh BIN --db CONNINFO [--runs 200] [--csv FILE]
                   [--compare BIN2 --compare-db CONNINFO2]
                   [--server-pid PID [--pooler-pidfile FILE]]

The queries are drawn (fixed seed) from the catalogue: every item with no
breakdown, one, or two of its dimensions, sometimes a --where on another
dimension, over 20 years, a few years, or one year, sometimes --as-of.
Prints p50, p95, max and the slowest queries; --csv writes every run.
Each query's SQL (the figures() call `ciatteh query` makes, on a
connection kept open) is timed as well, apart from the process: on a
small shared machine starting a process linked to ~80 libraries and
opening a connection take tens of milliseconds whatever the query
(BENCHMARKS.md), so the SQL's share is given beside the end-to-end time,
and so is each process's CPU time (user + system, from the children's
rusage): much less sensitive than wall time to the machine's other work.
With --compare, each query is also run by BIN2 on CONNINFO2 (another
build, say the one before a change, on a database holding the same
facts), the two interleaved and in alternating order so that the
machine's load falls on both alike; every query's output must be the
same, byte for byte, or the run fails.
With --server-pid (the postmaster's), each query's server CPU is measured
too: the CPU of the postmaster, its children alive (a backend kept by the
pooler, or not yet reaped) and reaped, and the pooler's (--pooler-pidfile,
PgBouncer's pidfile), before and after the query: a direct query's new
backend and a pooled query's kept one and PgBouncer are counted alike.
"""
import argparse
import csv
import os
import random
import resource
import statistics
import subprocess
import time

import psycopg2


def percentile(values, p):
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


HZ = os.sysconf("SC_CLK_TCK")


def stat_times(pid, reaped):
    """utime + stime (+ cutime + cstime when reaped) of pid, in ticks."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    t = int(fields[11]) + int(fields[12])
    return t + int(fields[13]) + int(fields[14]) if reaped else t


def children(pid):
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def server_ms(pm, pidfile):
    """The cluster's CPU so far (and the pooler's), in ms."""
    if not pm:
        return 0.0
    t = stat_times(pm, True) + sum(stat_times(c, False) for c in children(pm))
    if pidfile:
        try:
            with open(pidfile) as f:
                t += stat_times(int(f.read().split()[0]), True)
        except (OSError, ValueError, IndexError):
            pass
    return t * 1000.0 / HZ


def settle(pm, before):
    """Wait (at most 0.3 s) until the backends started since `before`
    have exited, or stay idle (kept by the pooler): their CPU is counted."""
    if not pm:
        return
    for _ in range(30):
        busy = False
        for c in children(pm):
            if c in before:
                continue
            try:
                with open(f"/proc/{c}/cmdline") as f:
                    cmd = f.read()
            except OSError:
                continue
            if "[local]" in cmd and not cmd.rstrip("\0 ").endswith("idle"):
                busy = True
        if not busy:
            return
        time.sleep(0.01)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ciatteh", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--csv")
    ap.add_argument("--compare")
    ap.add_argument("--compare-db")
    ap.add_argument("--server-pid", type=int)
    ap.add_argument("--pooler-pidfile")
    a = ap.parse_args()
    if bool(a.compare) != bool(a.compare_db):
        raise SystemExit("--compare and --compare-db go together")
    tools = [("ciatteh", a.ciatteh, a.db)]
    if a.compare:
        tools.append(("ciatteh-before", a.compare, a.compare_db))

    with psycopg2.connect(a.db) as conn, conn.cursor() as cur:
        cur.execute("SELECT code, dims FROM item ORDER BY sort")
        items = [(code, [d for d in dims.split(",") if d]) for code, dims in cur.fetchall()]
        # codes present in the facts, per dimension, for --where
        codes = {}
        for dim in sorted({d for _, ds in items for d in ds}):
            cur.execute(f"SELECT DISTINCT {dim} FROM item_fact WHERE {dim} IS NOT NULL LIMIT 50")
            codes[dim] = sorted(r[0] for r in cur.fetchall())

    conns = {}
    for name, _, db in tools:
        conns[name] = psycopg2.connect(db)
        conns[name].autocommit = True

    rnd = random.Random(9)
    runs = {}
    for i in range(a.runs):
        item, dims = items[i % len(items)]
        args = ["query", item]
        nby = rnd.choice([0, 1, 1, 2]) if dims else 0
        by = rnd.sample(dims, min(nby, len(dims)))
        wdim = wcodes = ""
        if by:
            args += ["--by", ",".join(by)]
        rest = [d for d in dims if d not in by and codes.get(d)]
        if rest and rnd.random() < 0.35:
            d = rnd.choice(rest)
            # One offence at a time: offences are never added together.
            k = 1 if d == "offence" else 2
            wdim, wcodes = d, ",".join(rnd.sample(codes[d], min(k, len(codes[d]))))
            args += ["--where", f"{wdim}={wcodes}"]
        span = rnd.random()
        if span < 0.5:
            args += ["--years", "2004-2023"]
            y0, y1 = 2004, 2023
        elif span < 0.8:
            args += ["--years", "2019-2023"]
            y0, y1 = 2019, 2023
        else:
            y0 = y1 = rnd.randint(2004, 2023)
            args += ["--year", str(y0)]
        asof = None
        if rnd.random() < 0.2:
            asof = rnd.choice(["2015-06-30", "2022-12-31", "2024-06-30"])
            args += ["--as-of", asof]
        # The statement `ciatteh query` sends (reports/figures/query.c).
        sql = ("SELECT * FROM figures(%s, as_of_moment(%s::date), %s, %s, %s, %s, %s)",
               (item, asof, y0, y1, ",".join(by), wdim, wcodes))
        outs = {}
        for name, binary, db in (tools if i % 2 == 0 else tools[::-1]):
            cmd = [binary, "--db", db] + args
            before = set(children(a.server_pid)) if a.server_pid else set()
            s0 = server_ms(a.server_pid, a.pooler_pidfile)
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            p = subprocess.run(cmd, capture_output=True, text=True)
            ms = (time.perf_counter() - t0) * 1000.0
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu_ms = (r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime) * 1000.0
            settle(a.server_pid, before)
            srv_ms = server_ms(a.server_pid, a.pooler_pidfile) - s0
            if p.returncode != 0:
                raise SystemExit(f"{name} failed ({p.returncode}): {' '.join(args)}\n{p.stderr}")
            outs[name] = p.stdout
            with conns[name].cursor() as cur:
                t0 = time.perf_counter()
                cur.execute(*sql)
                cur.fetchall()
                sql_ms = (time.perf_counter() - t0) * 1000.0
            runs.setdefault(name, []).append((ms, " ".join(args), p.stdout.count("\n") - 1, sql_ms, cpu_ms,
                                              srv_ms))
        if len(set(outs.values())) > 1:
            raise SystemExit(f"outputs differ: {' '.join(args)}\n" +
                             "\n".join(f"--- {k}\n{v}" for k, v in outs.items()))
    for name, _, _ in tools:
        ms = [r[0] for r in runs[name]]
        sq = [r[3] for r in runs[name]]
        cp = [r[4] for r in runs[name]]
        sv = [r[5] for r in runs[name]]
        print(f"{name} query: {len(ms)} runs, p50 {statistics.median(ms):.1f} ms, "
              f"p95 {percentile(ms, 95):.1f} ms, max {max(ms):.1f} ms, mean {statistics.mean(ms):.1f} ms; "
              f"client CPU p50 {statistics.median(cp):.1f} ms, p95 {percentile(cp, 95):.1f} ms; "
              f"its SQL alone: p50 {statistics.median(sq):.1f} ms, p95 {percentile(sq, 95):.1f} ms, "
              f"max {max(sq):.1f} ms" +
              (f"; server CPU p50 {statistics.median(sv):.1f} ms, p95 {percentile(sv, 95):.1f} ms, "
               f"total {sum(sv) / 1000.0:.2f} s" if a.server_pid else ""))
        for m, q, n, _, _, _ in sorted(runs[name], reverse=True)[:5]:
            print(f"  {m:7.1f} ms  {q}  ({n} rows)")
    if a.compare:
        print(f"outputs: the same for all {a.runs} queries")
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["run", "tool", "ms", "sql_ms", "cpu_ms", "server_cpu_ms", "rows", "query"])
            for name, _, _ in tools:
                for i, (m, q, n, sm, cm, sv) in enumerate(runs[name]):
                    w.writerow([i + 1, name, f"{m:.2f}", f"{sm:.2f}", f"{cm:.2f}",
                                f"{sv:.2f}" if a.server_pid else "", n, q])

if __name__ == "__main__":
    main()
