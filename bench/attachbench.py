#!/usr/bin/env python3
"""Driver for bench/run.sh attach: connect/disconnect of a running container/sandbox to a
network that already holds K others, Berth beside dockerd and podman.

  attachbench.py jmh   --label L [--engine E] --out F.jsonl --size K JMH.json    JMH JSON -> rows
  attachbench.py cli   --label L --out F.jsonl --size K [--n N] [--net bb] [--ctr bprobe] -- CLI...
  attachbench.py peer  --label L --out F.jsonl [--n N] [--sizes 0,50,100] [--podman] -- CLI...
  attachbench.py table F.jsonl                                       print the markdown table

CLI timings use the peers' own method, imported from ../shared/peers/bench.py (sh, timed:
time.perf_counter_ns around subprocess.run, so the client's fork+exec is in the number) and
bench_engine's probe(): a container `probe` started on the default network, then
`network connect bconn probe` / `network disconnect bconn probe` alternating, each invocation
timed, with K containers `run -d --name sI --network bconn IMG sleep 3600` on bconn; here with
N pairs per size (bench_engine: 5) after one untimed warm-up pair, and every `run -d` of the fill
timed too.

Statistics as netbench.py: median = statistics.median, p95 = nearest rank (ceil(0.95*N)-th).
"""
import argparse, json, math, os, re, statistics, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from netbench import (peers_bench, append_row, jmh_method, jmh_results, stats,  # noqa: E402  (same rows, same import of bench.py)
                      ENGINES, first_warmup, same_client_table)

P50_TARGET, P95_TARGET, GROWTH_TARGET = 5.0, 15.0, 1.5
FLOOR_P50, FLOOR_P95 = 3.0, 8.0     # issue 13 ("connect at the floor"), same rows
COLD_N = 100                         # the cold row: the first connects a freshly started daemon serves


def emit(out, system, size, op, samples, method, **extra):
    append_row(out, dict(suite="attach", system=system, size=size, op=op), f"{system:36s} K={size:<5} {op:11s}",
               samples, method, **extra)


def cmd_jmh(a):
    if a.log:
        cold = cold_connects(a.log)[:COLD_N]
        if cold:
            emit(a.out, a.label.rstrip(")") + f", cold: connects #1–#{len(cold)} after start = JMH warm-up)",
                 a.size, "connect", cold, "the first JMH warm-up iterations of the first benchmark run "
                 "(single shots, batch 1, no pause), parsed from the JMH console log", cold=True)
    for res, bench, samples, pct in jmh_results(a.jmh_json):
        settle = int(res.get("params", {}).get("settleMs", "0"))
        label = a.label if settle == 0 else a.label.rstrip(")") + f", {settle} ms pause after each disconnect)"
        same = dict(engine=a.engine, api=res.get("params", {}).get("api")) if a.engine and settle == 0 else {}
        emit(a.out, label, int(res.get("params", {}).get("k", a.size)), bench, samples, jmh_method(res),
             jmh_percentiles_ms=pct, target=a.engine in (None, "Berth"), **same)


def cold_connects(log_path):
    """The warm-up scores (ms) of a JMH console log's first section, if it is `connect` without a
    pause: on the first size of a run, the first connects the freshly started daemon served
    (after the fill), before the JIT has compiled the path."""
    bench, params, out = first_warmup(log_path)
    return out if bench == "connect" and re.search(r"settleMs = 0\b", params) else []


def cmd_cli(a):
    pb = peers_bench()
    cli = a.argv[1:] if a.argv and a.argv[0] == "--" else a.argv
    connect_disconnect(pb, cli, a.net, a.ctr, a.n, a.out, a.label, a.size)


def connect_disconnect(pb, cli, net, ctr, n, out, label, size):
    pb.sh(cli + ["network", "connect", net, ctr])       # warm-up pair, as bench_engine
    pb.sh(cli + ["network", "disconnect", net, ctr])
    con, dis = [], []
    for _ in range(n):
        con.append(pb.timed(cli + ["network", "connect", net, ctr]))
        dis.append(pb.timed(cli + ["network", "disconnect", net, ctr]))
    method = ("CLI invocation timed from Python (perf_counter_ns around subprocess.run), "
              "alternating connect/disconnect after 1 warm-up pair")
    emit(out, label, size, "connect", con, method, cli=" ".join(cli))
    emit(out, label, size, "disconnect", dis, method, cli=" ".join(cli))


def cmd_peer(a):
    pb = peers_bench()
    cli = a.argv[1:] if a.argv and a.argv[0] == "--" else a.argv
    rmf = ["rm", "-f"] + (["-t", "0"] if a.podman else [])
    sizes = [int(s) for s in a.sizes.split(",")]
    t_start = time.monotonic()
    # leftovers of an interrupted run
    ls = pb.sh(cli + ["ps", "-a", "--format", "{{.Names}}"], check=False).stdout.decode().split()
    stale = [x for x in ls if x == "probe" or (x[:1] == "s" and x[1:].isdigit())]
    if stale:
        pb.sh(cli + rmf + stale, check=False)
    pb.sh(cli + ["network", "rm", "bconn"], check=False)
    made = 0
    try:
        pb.sh(cli + ["network", "create", "bconn"])
        pb.sh(cli + ["run", "-d", "--name", "probe", a.img, "sleep", "3600"])
        for k in sizes:
            if time.monotonic() - t_start > a.budget_s:
                note = (f"{a.label}: K={k} skipped, the {a.budget_s:.0f} s budget of this peer was "
                        f"used up after {time.monotonic() - t_start:.0f} s (--budget-s)")
                print(note, flush=True)
                with open(a.out, "a") as f:
                    f.write(json.dumps(dict(meta="note", text=note)) + "\n")
                break
            runs, t0 = [], time.monotonic()
            for i in range(made, k):
                runs.append(pb.timed(cli + ["run", "-d", "--name", f"s{i}", "--network", "bconn",
                                             a.img, "sleep", "3600"]))
                made = i + 1
            if runs:
                with open(a.out, "a") as f:
                    f.write(json.dumps(dict(kind="fill", system=a.label, op="run -d on bconn",
                                            **{"from": k - len(runs)}, to=k,
                                            wall_s=round(time.monotonic() - t0, 3),
                                            samples_ms=[round(x, 3) for x in runs])) + "\n")
                print(f"{a.label}: run -d s{k - len(runs)}..s{k - 1} on bconn: {len(runs)} in "
                      f"{time.monotonic() - t0:.1f} s", flush=True)
            connect_disconnect(pb, cli, "bconn", "probe", a.n, a.out, a.label, k)
    finally:
        t0 = time.monotonic()
        names = [f"s{i}" for i in range(made)] + ["probe"]
        for i in range(0, len(names), 25):
            pb.sh(cli + rmf + names[i:i + 25], check=False)
        pb.sh(cli + ["network", "rm", "bconn"], check=False)
        print(f"{a.label}: removed {len(names)} containers and bconn in {time.monotonic() - t0:.1f} s", flush=True)


def window(series, first, w=10):
    return series[:w] if first else series[-w:]


def cmd_table(a):
    rows, fills, meta, notes, rss, cleans = [], {}, {}, [], [], []
    with open(a.jsonl) as f:
        lines = f.readlines()
    for line in lines:
        o = json.loads(line)
        if "meta" in o:
            if o["meta"] == "rss":
                rss.append(o)
            elif o["meta"] == "note":
                notes.append(o["text"])
            else:
                meta[o["meta"]] = o
        elif o.get("kind") == "fill":
            fills.setdefault(o.get("system", "Berth (API, keep-alive)"), []).append(o)
        elif o.get("kind") == "clean":
            cleans.append(o)
        elif o.get("suite") == "attach":
            rows.append(o)
    order = {}
    for r in rows:
        order.setdefault(r["system"], len(order))
    rows.sort(key=lambda r: (order[r["system"]], r["size"], r["op"] != "connect"))
    print("| system (client) | sandboxes/containers already on the network | operation | N | median ms | p95 ms | min ms | max ms |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    def fill_rows(system):
        parts = sorted(fills.get(system, []), key=lambda p: p["from"])
        series = [x for p in parts for x in p["samples_ms"]]
        if len(series) < 2:
            return
        op = parts[0].get("op", "create sandbox on bb (fill)")
        w = min(10, len(series) // 2)
        for first in (True, False):
            s = window(series, first, w)
            lo, hi = (1, w) if first else (len(series) - w + 1, len(series))
            st = stats(s)
            print(f"| {system} | #{lo}–#{hi} of {len(series)} | {op} | {st['n']} | {st['median_ms']:.2f} | "
                  f"{st['p95_ms']:.2f} | {st['min_ms']:.2f} | {st['max_ms']:.2f} |")

    systems = sorted(list(order) + [s for s in fills if s not in order], key=lambda s: not s.startswith("Berth"))
    for system in systems:
        for r in (r for r in rows if r["system"] == system):
            print(f"| {r['system']} | {r['size']} | {r['op']} | {r['n']} | {r['median_ms']:.2f} | {r['p95_ms']:.2f} | "
                  f"{r['min_ms']:.2f} | {r['max_ms']:.2f} |")
        fill_rows(system)
    for note in meta.get("skipped", {}).get("notes", []) + notes:
        print(f"| {note} | | | | | | | |")
    start, end = meta.get("start", {}), meta.get("end", {})
    print()
    print(f"Machine: {start.get('nproc', '?')} vCPU, kernel {start.get('kernel', '?')}; "
          f"loadavg (1/5/15 min) before: {start.get('loadavg', '?')}, after: {end.get('loadavg', '?')}; "
          f"run {start.get('date', '?')} .. {end.get('date', '?')}; Berth {start.get('berth', '?')}.")
    print()
    for system, parts in fills.items():
        parts.sort(key=lambda p: p["from"])
        steps = ", ".join(f"{p['from']}→{p['to']}: {p['wall_s']:.1f} s" + (f" (stopped: {p['stopped']})" if p.get("stopped") else "")
                          for p in parts)
        total = sum(p["wall_s"] for p in parts)
        print(f"- Fill time, {system} ({parts[0].get('op', 'create sandbox on bb')}): {steps} "
              f"(total {total:.1f} s for {parts[-1]['to']}).")
    for c in cleans:
        print(f"- Clean-up, Berth: {c['removed']} sandboxes/containers removed via `DELETE /containers/{{id}}?force=1` "
              f"(containers killed first) in {c['wall_s']:.1f} s ({c['failed']} failures, {c['left']} left).")
    if rss:
        txt = "; ".join(f"{o['label']}: {int(o['vmrss_kb']) / 1024:.0f} MiB" for o in rss)
        print(f"- Berth daemon RSS (`VmRSS` of berthd, `/proc/<pid>/status`): {txt}.")
    same = [r for r in rows if r.get("engine")]
    if any(r["engine"] != "Berth" for r in same):
        api = sorted({r.get("api") or "?" for r in same})
        print()
        print(f"Same client, same requests (JMH `AttachBench`, one kept-alive connection, API v{'/'.join(api)}, "
              f"no pause after a disconnect; {same[0]['n']} measured shots per cell), each daemon's socket; "
              f"K = containers already on bb besides the probe:")
        print()
        same_client_table(same, lambda r: (r["size"], r["op"]), ("K", "operation"))
        print()
        print(f"Load average (1/5/15 min) before the run: {start.get('loadavg', '?')}, after: {end.get('loadavg', '?')}.")
    # targets
    print()
    berth = [r for r in rows if r.get("target")]
    if not berth:
        print("Targets: Berth not measured in this run.")
        return
    cold = [r for r in rows if r.get("cold")]
    for r in (r for r in berth if r["op"] == "connect"):
        ok = r["median_ms"] <= P50_TARGET and r["p95_ms"] <= P95_TARGET
        print(f"- Target connect p50 ≤ {P50_TARGET:g} ms and p95 ≤ {P95_TARGET:g} ms, {r['system']}, K={r['size']}: "
              f"p50 {r['median_ms']:.2f} ms, p95 {r['p95_ms']:.2f} ms → **{'met' if ok else 'NOT met'}**.")
    for r in (r for r in berth if r["op"] == "connect" and r.get("engine")):
        ok = r["median_ms"] <= FLOOR_P50 and r["p95_ms"] <= FLOOR_P95
        c = next((c for c in cold if c["size"] == r["size"]), None)
        cold_txt = (f" (the first {c['n']} connects after start, JMH warm-up: p50 {c['median_ms']:.2f}, "
                    f"p95 {c['p95_ms']:.2f} ms)") if c else ""
        print(f"- Target (issue 13) connect p50 ≤ {FLOOR_P50:g} ms and p95 ≤ {FLOOR_P95:g} ms, steady state, "
              f"{r['system']}, K={r['size']}: p50 {r['median_ms']:.2f} ms, p95 {r['p95_ms']:.2f} ms → "
              f"**{'met' if ok else 'NOT met'}**{cold_txt}.")
    bf = next(((s, p) for s, p in fills.items() if s.startswith("Berth")), None)
    if bf:
        series = [x for p in sorted(bf[1], key=lambda p: p["from"]) for x in p["samples_ms"]]
        if len(series) >= 20:
            f10, l10 = statistics.median(series[:10]), statistics.median(series[-10:])
            ratio = l10 / f10
            print(f"- Target {len(series)}th attach ≤ {GROWTH_TARGET:g} × the 1st (create of the k-th sandbox on bb, "
                  f"median of #1–#10 vs #{len(series) - 9}–#{len(series)}): {f10:.2f} ms vs {l10:.2f} ms, "
                  f"ratio {ratio:.2f} → **{'met' if ratio <= GROWTH_TARGET else 'NOT met'}**"
                  f" (single samples: #1 {series[0]:.2f} ms, #{len(series)} {series[-1]:.2f} ms).")
    for system in dict.fromkeys(r["system"] for r in berth):
        con = [r for r in berth if r["op"] == "connect" and r["system"] == system]
        if len(con) >= 2:
            a_, b_ = con[0], con[-1]
            ratio = b_["median_ms"] / a_["median_ms"]
            print(f"- Probe connect at K={b_['size']} vs K={a_['size']}, {system} (medians): {b_['median_ms']:.2f} vs "
                  f"{a_['median_ms']:.2f} ms, ratio {ratio:.2f} → **{'met' if ratio <= GROWTH_TARGET else 'NOT met'}** "
                  f"(≤ {GROWTH_TARGET:g}).")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    j = sub.add_parser("jmh")
    j.add_argument("--label", required=True)
    j.add_argument("--out", required=True)
    j.add_argument("--size", type=int, required=True)
    j.add_argument("--engine", choices=ENGINES, help="marks the rows without pause for the same-client table")
    j.add_argument("--log", help="JMH console log: adds a row for the cold connects (its warm-up)")
    j.add_argument("jmh_json")
    c = sub.add_parser("cli")
    c.add_argument("--label", required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--size", type=int, required=True)
    c.add_argument("--n", type=int, default=100)
    c.add_argument("--net", default="bb")
    c.add_argument("--ctr", default="bprobe")
    c.add_argument("argv", nargs=argparse.REMAINDER)
    q = sub.add_parser("peer")
    q.add_argument("--label", required=True)
    q.add_argument("--out", required=True)
    q.add_argument("--n", type=int, default=100)
    q.add_argument("--sizes", default="0,50,100")
    q.add_argument("--img", default="busybox:local")
    q.add_argument("--podman", action="store_true", help="rm -f -t 0 as bench_engine does for podman")
    q.add_argument("--budget-s", type=float, default=420.0,
                   help="start no further size after this many seconds")
    q.add_argument("argv", nargs=argparse.REMAINDER)
    t = sub.add_parser("table")
    t.add_argument("jsonl")
    a = p.parse_args()
    {"jmh": cmd_jmh, "cli": cmd_cli, "peer": cmd_peer, "table": cmd_table}[a.cmd](a)


if __name__ == "__main__":
    main()
