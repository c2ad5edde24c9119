#!/usr/bin/env python3
"""Table for bench/dns.sh: Berth's and the peers' dnsperf runs in one markdown table.

  dnsbench.py [--rate 10000] [--nxq 2000] [--jsonl OUT.jsonl] TSV...

Each TSV line is what ../shared/peers/dns-bench.sh writes (and dns.sh writes the same):
server, kind (max|rate|nx), rep, load1 before, idle % before, server CPU seconds over the run
(utime+stime of all threads), RSS kB halfway through a max run, path of dnsperf's output.
Every figure is computed with dns-bench.sh's own formulas (its `summarize`): the median of the
repetitions; p50/p99/p99.9 = sorted(per-answer latencies of the -v run)[int(q * (n - 1))];
% of a core = CPU s / dnsperf's run time; us/query = CPU s / completed queries.
DnsLoad's rows (kinds lmax, lnxmax; "(-q N)" in the server's name for a window other than 100): the
median QPS per row as above, and the ratios Berth / dnsmasq and NX / local as the median of the ratios
within each repetition (`rep`; dns.sh runs the three of a repetition in turn), with their range.
DnsLoad's alternating runs (kind lalt: local names as set A, `c999 A` as set B, phases A B B A ...
in one client): NX / local as the median of every block's B / A over all runs of a window; this one
carries the NX target, since it holds the client, its sockets and the thread placement the same
for both sets, which separate runs do not.
One JSON line per run goes to --jsonl (no per-answer samples: those stay in the raw files).
"""
import argparse, json, re, statistics as st, collections, math

# issue 13: local >= 1.5 x dnsmasq with p99 <= 0.3 ms at 10k QPS; forwarded >= 1.0 x dnsmasq
# without cache with p99 <= 1 ms; NXDOMAIN at least as fast as local names (unthrottled, same shape)
TARGET_RATIO, TARGET_P99_MS = 1.5, 0.3
TARGET_FWD_RATIO, TARGET_FWD_P99_MS = 1.0, 1.0
# a DnsLoad run where other processes used more than this % of the machine's CPU: its repetition is "busy"
BUSY_PCT = 10
LABELS = {
    "Berth": "Berth (embedded DNS, 127.0.0.11 in c1's netns)",
    "Berth (forwarded)": "Berth (embedded DNS, 127.0.0.11 in c1's netns)",
    "dnsmasq": "dnsmasq 2.90 (dns-bench.sh)",
    "dnsmasq (forwarding, no cache)": "dnsmasq 2.90 (--server, --cache-size=0)",
    "aardvark": "aardvark-dns 1.4.0 (dns-bench.sh)",
    "docker": "Docker 20.10 embedded DNS (dns-bench.sh)",
}


def parse_run(line):
    srv, kind, rep, load, idle, cpu, rss, path = line.rstrip("\n").split("\t")
    with open(path, errors="replace") as f:
        txt = f.read()
    g = lambda pat, d="nan": (re.search(pat, txt) or [None, d])[1]
    r = dict(server=srv, kind=kind, rep=int(rep), load=float(load), idle=float(idle), cpu=float(cpu), rss=rss,
             qps=float(g(r"Queries per second:\s+([\d.]+)")),
             sent=int(g(r"Queries sent:\s+(\d+)", "0")),
             done=int(g(r"Queries completed:\s+(\d+)", "0")),
             lost=int(g(r"Queries lost:\s+(\d+)", "0")),
             runtime=float(g(r"Run time \(s\):\s+([\d.]+)")),
             avg_ms=float(g(r"Average Latency \(s\):\s+([\d.]+)")) * 1e3,
             codes=g(r"Response codes:[ \t]*(.*)", "").strip() or "no answer", raw=path)
    m = re.search(r"(?:DNSPERF|LOADGEN)_CPU user=([\d.]+) sys=([\d.]+)", txt)
    r["gen_cpu"] = float(m[1]) + float(m[2]) if m else float("nan")
    m = re.search(r"MACHINE_CPU busy=([\d.]+) total=([\d.]+)", txt)
    if m and float(m[2]) > 0:  # DnsLoad: what else used the machine over its measured seconds, % of all CPUs
        r["others_pct"] = max(0.0, float(m[1]) - r["cpu"] - r["gen_cpu"]) / float(m[2]) * 100
    r["alt_phases"] = [(m[1], float(m[2]), float(m[3]) if m[3] else math.nan) for m in re.finditer(
        r"^ALT_PHASE \d+ ([AB]) qps=([\d.]+)(?: server_us_per_answer=([\d.]+))?", txt, re.M)]
    r["alt_blocks"] = [float(m[1]) for m in re.finditer(r"^ALT_BLOCK \d+ b_over_a=([\d.]+)", txt, re.M)]
    r["alt_codes"] = dict(re.findall(r"^ALT_CODES ([AB]) (.*)$", txt, re.M))
    m = re.search(r"Latency p50/p99/p99.9 \(s\):\s+([\d.]+) ([\d.]+) ([\d.]+)", txt)
    if m:  # DnsLoad prints its percentiles (a histogram of every answer) instead of -v lines
        r["p50"], r["p99"], r["p999"] = (float(x) * 1e3 for x in m.groups())
    if kind == "rate":
        lat = sorted(float(l.split()[-1]) for l in txt.splitlines()
                     if l.startswith("> ") and not l.startswith("> T "))
        if lat:
            for key, q in (("p50", 0.50), ("p99", 0.99), ("p999", 0.999)):
                r[key] = lat[int(q * (len(lat) - 1))] * 1e3
            r["answers"] = len(lat)
    if r["runtime"] == r["runtime"] and r["runtime"] > 0:
        r["cpu_pct"] = r["cpu"] / r["runtime"] * 100
    if r["done"]:
        r["us_per_q"] = r["cpu"] / r["done"] * 1e6
        r["gen_us_per_q"] = r["gen_cpu"] / r["done"] * 1e6
    return r


def med(xs):
    xs = [x for x in xs if x == x]
    return st.median(xs) if xs else float("nan")


def paired(num, den):
    """The ratios num / den of the runs of one repetition each (matched by rep), in rep order."""
    by_rep = {r["rep"]: r for r in den}
    return [(r["rep"], r["qps"] / by_rep[r["rep"]]["qps"]) for r in sorted(num, key=lambda r: r["rep"])
            if r["rep"] in by_rep and by_rep[r["rep"]]["qps"] > 0 and r["qps"] == r["qps"]]


def ratio_line(what, pairs, target):
    """`what`: median of the paired ratios (their range, each) -> target, met or not (no verdict
    when `target` is None: a line that informs)."""
    xs = [x for _, x in pairs]
    m = med(xs)
    return "- %s, median of %d paired ratios (one repetition each): **%.2f** (%.2f–%.2f; %s)%s." % (
        what, len(xs), m, min(xs), max(xs), ", ".join("%.2f" % x for x in xs),
        "" if target is None else " → target ≥ %.1f **%s**" % (target, "met" if m >= target else "NOT met"))


def median_ci(xs, level=0.95):
    """A distribution-free confidence interval for the median of `xs` (the sign test's order
    statistics: the widest [x(k), x(n-k+1)] with P(Bin(n, 1/2) < k) <= (1 - level) / 2), or None
    when there are too few values for one."""
    xs, n = sorted(xs), len(xs)
    tail, k = 0.0, 0
    while k < n // 2:
        tail += math.comb(n, k) / 2 ** n
        if tail > (1 - level) / 2:
            break
        k += 1
    return (xs[k - 1], xs[n - k]) if k > 0 else None


def nx_verdict(m, ci):
    """The NX target, NXDOMAIN at least as fast as local names: met when the median block ratio is
    at least 1.0, and when it is below but its confidence interval reaches 1.0 (the two paths cost
    the same within what the run can tell apart, and the line says so); not met when the whole
    interval lies below 1.0."""
    if m >= 1.0:
        return "met"
    if ci and ci[1] >= 1.0:
        return "met: equal within the run's resolution (the interval holds 1.0)"
    return "NOT met"


def alt_lines(srv, window, runs):
    """DnsLoad window `srv` (named `window` in the text): NX / local from the alternating runs, the median of every block's
    B / A with its 95 % interval (the NX target), and each set's median phase QPS and server CPU
    per answer."""
    alt = runs.get((srv, "lalt"), [])
    blocks = [x for r in alt for x in r["alt_blocks"]]
    if not blocks:
        return []
    phases = [p for r in alt for p in r["alt_phases"]]
    q = lambda k: med([v for s, v, _ in phases if s == k])
    us = lambda k: med([u for s, _, u in phases if s == k])
    m, ci = med(blocks), median_ci(blocks)
    return ["- DnsLoad %s: NXDOMAIN (`c999 A`) / local names, one client alternating phases local, NX, NX, local, ... "
            "(%d runs, %d blocks of four phases), median of the blocks' NX / local QPS: **%.3f** (95 %% interval %s; "
            "range %.3f–%.3f; %s) → target ≥ 1.0 **%s**; median phase: local %.0f QPS, %.2f µs server CPU per answer, NX %.0f QPS, %.2f µs; "
            "rcodes (first run): local %s, NX %s." % (
                window, len(alt), len(blocks), m, "%.3f–%.3f" % ci if ci else "– (too few blocks)",
                min(blocks), max(blocks), ", ".join("%.3f" % x for x in blocks), nx_verdict(m, ci), q("A"), us("A"), q("B"), us("B"),
                alt[0]["alt_codes"].get("A", "?"), alt[0]["alt_codes"].get("B", "?"))]


def paired_lines(srv, runs):
    """DnsLoad window `srv` ("Berth" or "Berth (-q N)"): one line per repetition (the runs in the
    order they ran, their QPS, load and idle), then local / dnsmasq and NX / local as the median of
    the ratios within each repetition."""
    loc, nx = runs.get((srv, "lmax"), []), runs.get((srv, "lnxmax"), [])
    dm = runs.get((srv.replace("Berth", "dnsmasq", 1), "lmax"), [])
    window = srv[len("Berth"):].strip() or "(-q 100)"
    if not loc or not (nx or dm):
        return []
    out = ["", "DnsLoad %s, per repetition (runs in the order they ran, each with load1 / idle %% before it / %% of the "
               "machine's CPU that neither the server nor the client used while it measured; then their QPS):" % window, "",
           "| rep | runs in order | Berth local QPS | Berth NX QPS | dnsmasq QPS | local / dnsmasq | NX / local |",
           "|---|---|---|---|---|---|---|"]
    names = {id(r): n for n, rs in (("local", loc), ("NX", nx), ("dnsmasq", dm)) for r in rs}
    for rep in sorted({r["rep"] for r in loc + nx + dm}):
        rs = sorted((r for r in loc + nx + dm if r["rep"] == rep), key=lambda r: r.get("seq", 0))
        q = {names[id(r)]: r["qps"] for r in rs}
        f = lambda a, b: "%.2f" % (q[a] / q[b]) if a in q and b in q and q[b] else "–"
        out.append("| %d | %s | %s | %s | %s | %s | %s |" % (
            rep, ", ".join("%s (%.2f / %.0f / %s)" % (names[id(r)], r["load"], r["idle"],
                                                      "%.0f" % r["others_pct"] if "others_pct" in r else "?") for r in rs),
            *("%.0f" % q[n] if n in q else "–" for n in ("local", "NX", "dnsmasq")),
            f("local", "dnsmasq"), f("NX", "local")))
    out.append("")
    busy = {r["rep"] for r in loc + nx + dm if r.get("others_pct", 0) > BUSY_PCT}
    quiet = lambda rs: [r for r in rs if r["rep"] not in busy]
    nx_target = None if runs.get((srv, "lalt")) else 1.0  # with alternating runs, they carry the NX target
    for what, num, den, target in (("Berth / dnsmasq max QPS (local names)", loc, dm, TARGET_RATIO),
                                   ("NXDOMAIN (`c999 A`) / local names max QPS, Berth, separate runs"
                                    + (" (no verdict: see the alternating runs)" if nx_target is None else ""),
                                    nx, loc, nx_target)):
        if not den or not num:
            continue
        out.append(ratio_line("DnsLoad %s: %s" % (window, what), paired(num, den), target))
        if busy and not paired(quiet(num), quiet(den)):
            out.append("- (every repetition of this window had a run where others used over %d %% of the machine: "
                       "the line above is not the servers' alone)" % BUSY_PCT)
        elif busy:
            out.append(ratio_line("DnsLoad %s: %s, the repetitions where others used ≤ %d %% of the machine in every run (%d of %d)"
                                  % (window, what, BUSY_PCT, len({r["rep"] for r in quiet(num)}), len({r["rep"] for r in num})),
                                  paired(quiet(num), quiet(den)), target))
    return out + alt_lines(srv, window, runs)


def answer_path_line(path):
    """JMH AnswerPathBench (the server's own work per answer, without sockets): local names against
    `c999 A` from the answer cache, and their ratio. No verdict: the NX target is about QPS, which
    the DnsLoad lines above measure with the kernel's part; this says which path costs the server more."""
    with open(path) as f:
        res = {r["benchmark"].rsplit(".", 1)[1]: r for r in json.load(f)}
    if "local" not in res or "nx" not in res:
        return "- AnswerPathBench: no result for %s." % ", ".join(k for k in ("local", "nx") if k not in res)
    loc, nx = res["local"], res["nx"]
    m = lambda r: {k: float(r["primaryMetric"][k]) for k in ("score", "scoreError")}  # JMH writes "NaN" as a string
    return ("- The server's own work per answer, without sockets (JMH AnswerPathBench, forks × iterations: %d × %d of %s; "
            "what `DnsServer.answerHere` does for `c1..c50 A`/`AAAA` asked by c1, and for `c999 A` from the answer cache): "
            "local names **%.1f** ± %.1f ns, NX **%.1f** ± %.1f ns; NX / local time **%.2f** (no verdict: the DnsLoad lines "
            "carry the target, kernel included; below 1.0 the NX path costs the server less)." % (
                loc["forks"], loc["measurementIterations"], loc["measurementTime"], m(loc)["score"], m(loc)["scoreError"],
                m(nx)["score"], m(nx)["scoreError"], m(nx)["score"] / m(loc)["score"]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", default="10000")
    ap.add_argument("--nxq", default="2000")
    ap.add_argument("--clients", default="4")
    ap.add_argument("--jsonl")
    ap.add_argument("--answer-path", help="JMH AnswerPathBench's JSON result")
    ap.add_argument("tsv", nargs="+")
    a = ap.parse_args()
    runs = collections.defaultdict(list)
    seq = 0
    for t in a.tsv:
        with open(t) as f:
            lines = f.readlines()
        for line in lines:
            if line.strip():
                r = parse_run(line)
                r["seq"] = seq = seq + 1
                runs[(r["server"], r["kind"])].append(r)
                if a.jsonl:
                    with open(a.jsonl, "a") as f:
                        f.write(json.dumps({"suite": "dns", **r}) + "\n")
    k = int(a.rate) // 1000
    clients = a.clients
    out = ["| server | names | max QPS: median (each run) | server CPU at max: % of a core, µs/query | "
           f"p50 / p99 / p99.9 ms at {k}k QPS (lost) | server CPU at {k}k QPS: % of a core, µs/query | "
           f"NX path ({a.nxq} × `c999 A`): QPS, rcode | RSS at max | load1 / idle % before the runs |",
           "|---|---|---|---|---|---|---|---|---|"]
    summary = {}
    for srv in dict.fromkeys(s for s, k in runs if k in ("max", "rate", "nx", "nxmax")):
        mx, rt, nx, nxm = runs[(srv, "max")], runs[(srv, "rate")], runs[(srv, "nx")], runs[(srv, "nxmax")]
        allr = mx + rt + nx + nxm
        s = dict(qps=med([r["qps"] for r in mx]), p99=med([r.get("p99", math.nan) for r in rt]),
                 nxmax=med([r["qps"] for r in nxm]))
        summary[srv] = s
        names = "forwarded (ext*.example)" if "forward" in srv else "local (c1..c50)"
        rss = med([int(r["rss"]) for r in mx if r["rss"].isdigit()])
        out.append("| %s | %s | **%.0f** (%s) | %.0f %%, %.1f µs | **%.3f / %.3f** / %.3f (%s) | %.0f %%, %.1f µs | %s | %s | %s / %s |" % (
            LABELS.get(srv, srv), names, s["qps"], ", ".join("%.0f" % r["qps"] for r in mx),
            med([r.get("cpu_pct", math.nan) for r in mx]), med([r.get("us_per_q", math.nan) for r in mx]),
            med([r.get("p50", math.nan) for r in rt]), s["p99"], med([r.get("p999", math.nan) for r in rt]),
            "/".join(str(r["lost"]) for r in rt),
            med([r.get("cpu_pct", math.nan) for r in rt]), med([r.get("us_per_q", math.nan) for r in rt]),
            ("%.0f, %s, lost %s" % (med([r["qps"] for r in nx]), nx[0]["codes"], "/".join(str(r["lost"]) for r in nx))
             + ("; unthrottled %ds: **%.0f** (%s)" % (round(nxm[0]["runtime"]), s["nxmax"],
                                                      ", ".join("%.0f" % r["qps"] for r in nxm)) if nxm else ""))
            if nx else "–",
            "%.1f MB" % (rss / 1024) if rss == rss else "?",
            " ".join("%.2f" % r["load"] for r in allr), " ".join("%.0f" % r["idle"] for r in allr)))
    out.append("")
    b, d = summary.get("Berth"), summary.get("dnsmasq")
    # With DnsLoad's rows in the run, they carry the two QPS ratios: dnsperf's own CPU per query caps
    # every server here near 110-125k, so its ratios say what the client allows, not the servers.
    by_load = "(dnsperf is the ceiling of both: no verdict, DnsLoad's lines below carry it)"
    load_rows = sorted(dict.fromkeys(s for s, k in runs if k == "lmax"), key=lambda s: (not s.startswith("Berth"), s))
    has_alt = any(k == "lalt" for _, k in runs)
    if b and d:
        ratio = b["qps"] / d["qps"]
        out.append("- Berth max QPS / dnsmasq max QPS (local names, same run): %.0f / %.0f = **%.2f** %s." % (
            b["qps"], d["qps"], ratio, by_load if load_rows else
            "→ target ≥ %.1f **%s**" % (TARGET_RATIO, "met" if ratio >= TARGET_RATIO else "NOT met")))
    if b:
        out.append("- Berth p99 at %s QPS (local names): %.3f ms → target ≤ %.1f ms **%s**." % (
            a.rate, b["p99"], TARGET_P99_MS, "met" if b["p99"] <= TARGET_P99_MS else "NOT met"))
    bf, df = summary.get("Berth (forwarded)"), summary.get("dnsmasq (forwarding, no cache)")
    if bf and df:
        fr = bf["qps"] / df["qps"]
        out.append("- Forwarded names, Berth / dnsmasq (no cache), same upstream: max QPS %.0f / %.0f = **%.2f** → target ≥ %.1f **%s**; "
                   "p99 at %s QPS %.3f / %.3f ms → target ≤ %.0f ms **%s**." % (
            bf["qps"], df["qps"], fr, TARGET_FWD_RATIO, "met" if fr >= TARGET_FWD_RATIO else "NOT met",
            a.rate, bf["p99"], df["p99"], TARGET_FWD_P99_MS, "met" if bf["p99"] <= TARGET_FWD_P99_MS else "NOT met"))
    if b and b["nxmax"] == b["nxmax"]:
        out.append("- NXDOMAIN (`c999 A`, unthrottled, as max) / local names max, Berth: %.0f / %.0f = **%.2f** %s." % (
            b["nxmax"], b["qps"], b["nxmax"] / b["qps"], by_load if has_alt else
            "→ target ≥ 1.0 **%s**" % ("met" if b["nxmax"] >= b["qps"] else "NOT met")))
    if load_rows:
        out.append("")
        out.append("The same local names, same shape (%s sockets, 100 queries in flight unless the row says otherwise, unthrottled), from DnsLoad "
                   "(`bench/src/.../DnsLoad.java`: one thread, recvmmsg/sendmmsg), a client cheaper per query than dnsperf; "
                   "CPU over the measured seconds only; each repetition runs Berth's local names, Berth's `c999 A` and dnsmasq's local names "
                   "in turn, and the ratios below are the medians of the ratios within each repetition:" % clients)
        out.append("")
        out.append("| server | names | max QPS: median (each run) | server CPU: % of a core, µs/query | "
                   "client CPU: % of a core, µs/query | p50 / p99 / p99.9 ms at max | `c999 A` unthrottled: QPS (runs), server µs/query | load1 / idle % before |")
        out.append("|---|---|---|---|---|---|---|---|")
        for srv in load_rows:
            mx, nxm = runs[(srv, "lmax")], runs.get((srv, "lnxmax"), [])
            s = summary.setdefault(srv, {})
            s["lqps"], s["lnx"] = med([r["qps"] for r in mx]), med([r["qps"] for r in nxm])
            out.append("| %s | local (c1..c50) | **%.0f** (%s) | %.0f %%, %.1f µs | %.0f %%, %.1f µs | %.3f / %.3f / %.3f | %s | %s / %s |" % (
                LABELS.get(srv, srv), s["lqps"], ", ".join("%.0f" % r["qps"] for r in mx),
                med([r.get("cpu_pct", math.nan) for r in mx]), med([r.get("us_per_q", math.nan) for r in mx]),
                med([r["gen_cpu"] / r["runtime"] * 100 for r in mx]), med([r.get("gen_us_per_q", math.nan) for r in mx]),
                med([r.get("p50", math.nan) for r in mx]), med([r.get("p99", math.nan) for r in mx]),
                med([r.get("p999", math.nan) for r in mx]),
                ("**%.0f** (%s), %.1f µs, %s" % (s["lnx"], ", ".join("%.0f" % r["qps"] for r in nxm),
                                                 med([r.get("us_per_q", math.nan) for r in nxm]), nxm[0]["codes"]) if nxm else "–"),
                " ".join("%.2f" % r["load"] for r in mx + nxm), " ".join("%.0f" % r["idle"] for r in mx + nxm)))
        for srv in load_rows:
            if not srv.startswith("Berth"):
                continue
            out.extend(paired_lines(srv, runs))
    if a.answer_path:
        out.extend(["", answer_path_line(a.answer_path)])
    out.append("")
    out.append("Per run (kind rep: qps, avg ms, lost, server CPU s, dnsperf CPU s, rcodes):")
    out.append("")
    out.append("```")
    for (srv, kind), rs in runs.items():
        for r in rs:
            out.append("%s %s %d: qps=%.0f avg=%.3fms lost=%d srvcpu=%.2fs gencpu=%.2fs codes=[%s]%s" % (
                srv, kind, r["rep"], r["qps"], r["avg_ms"], r["lost"], r["cpu"], r["gen_cpu"], r["codes"],
                " p50=%.3f p99=%.3f p99.9=%.3f" % (r["p50"], r["p99"], r["p999"]) if "p50" in r else ""))
    out.append("```")
    print("\n".join(out))


if __name__ == "__main__":
    main()
