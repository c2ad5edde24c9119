#!/usr/bin/env python3
"""Driver for bench/run.sh (network create/rm): CLI timings, JMH result conversion, the table.

  netbench.py cli   --label L --out F.jsonl [--n N] -- CLI ARGV...   time `CLI network create/rm`
  netbench.py jmh   --label L [--engine E] --out F.jsonl JMH.json    JMH JSON -> rows
  netbench.py table F.jsonl [--target-ms 5]                          print the markdown tables

--engine (Berth, dockerd, podman) marks the keep-alive JMH rows of one daemon for the same-client
table: the same JMH client and requests against each daemon's socket, with the ratio of each
peer's median to Berth's (peer time / Berth time) and each row's load.

CLI timings use the peers' own method, imported from ../shared/peers/bench.py (sh, timed:
time.perf_counter_ns around subprocess.run, so the client's fork+exec is part of the number),
with bench_engine's sequence: one untimed warm-up create+rm ("bwarm"), then N alternating
`network create bnI` / `network rm bnI`, each one invocation timed.

Every row carries its raw samples; median and p95 of every row (JMH rows included) are computed
here from those samples with the same formulas, so the rows compare like for like:
median = statistics.median, p95 = nearest rank (the ceil(0.95*N)-th smallest sample).
"""
import argparse, importlib.util, json, math, os, re, statistics, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS_DIR = os.environ.get("BERTH_PEERS_DIR", os.path.join(HERE, "..", "..", "shared", "peers"))
UNIT_MS = {"us/op": 1e-3, "ms/op": 1.0, "ns/op": 1e-6, "s/op": 1e3}


def peers_bench():
    """The peers' bench.py as a module (it only defines functions and reads env at import)."""
    path = os.path.join(PEERS_DIR, "bench.py")
    spec = importlib.util.spec_from_file_location("peers_bench", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def stats(samples):
    s = sorted(samples)
    n = len(s)
    return dict(n=n, median_ms=round(statistics.median(s), 3),
                p95_ms=round(s[max(0, math.ceil(0.95 * n) - 1)], 3),
                min_ms=round(s[0], 3), max_ms=round(s[-1], 3))


def append_row(out, fields, head, samples, method, **extra):
    """Appends one row to the JSONL file `out`: `fields` (what the row is), the statistics of
    `samples`, `method`, load and date, `extra`, the raw samples; and prints it after `head`."""
    row = dict(**fields, **stats(samples), method=method,
               load1=loadavg().split()[0], date=time.strftime("%Y-%m-%dT%H:%M:%S%z"), **extra,
               samples_ms=[round(x, 3) for x in samples])
    with open(out, "a") as f:
        f.write(json.dumps(row) + "\n")
    print(f"{head} n={row['n']:4d} median={row['median_ms']:9.3f} "
          f"p95={row['p95_ms']:9.3f} min={row['min_ms']:9.3f} max={row['max_ms']:9.3f} ms  "
          f"load={row['load1']}", flush=True)


def jmh_results(path):
    """Each result of a JMH JSON file: (result, benchmark method, samples in ms, JMH's percentiles in ms)."""
    for res in json.load(open(path)):
        pm = res["primaryMetric"]
        k = UNIT_MS[pm["scoreUnit"]]
        samples = [x * k for fork in pm["rawData"] for x in fork]
        pct = {p: round(v * k, 3) for p, v in pm.get("scorePercentiles", {}).items()}
        yield res, res["benchmark"].rsplit(".", 1)[-1], samples, pct


def jmh_method(res):
    return (f"JMH {res['jmhVersion']} {res['mode']}, batch 1, {res['warmupIterations']} warm-up iterations, "
            f"forks {res['forks']}")


def emit(out, label, op, samples, method, **extra):
    append_row(out, dict(suite="network", peer=label, op=op), f"{label:34s} {op:16s}", samples, method, **extra)


def cmd_cli(a):
    pb = peers_bench()
    cli = a.argv[1:] if a.argv and a.argv[0] == "--" else a.argv
    if not cli:
        sys.exit("cli: give the CLI after --")
    # leftovers of an interrupted run (bench_engine removes bn0..bnN-1 one by one; same effect)
    ls = pb.sh(cli + ["network", "ls", "--format", "{{.Name}}"], check=False)
    for name in ls.stdout.decode().split():
        if re.fullmatch(r"bn\d+|bwarm", name):
            pb.sh(cli + ["network", "rm", name], check=False)
    pb.sh(cli + ["network", "create", "bwarm"], check=False)   # warm-up, as bench_engine
    pb.sh(cli + ["network", "rm", "bwarm"], check=False)
    c, r = [], []
    for i in range(a.n):
        c.append(pb.timed(cli + ["network", "create", f"bn{i}"]))
        r.append(pb.timed(cli + ["network", "rm", f"bn{i}"]))
    method = "CLI invocation timed from Python (perf_counter_ns around subprocess.run), " \
             "alternating create/rm after 1 warm-up pair"
    emit(a.out, a.label, "network create", c, method, cli=" ".join(cli))
    emit(a.out, a.label, "network rm", r, method, cli=" ".join(cli))


def cmd_jmh(a):
    ops = {"create": "network create", "remove": "network rm"}
    if a.log:
        cold, conn = cold_creates(a.log)
        if cold:
            label = a.label if conn == "KEEPALIVE" else (a.label_fresh or a.label + ", conn/request")
            emit(a.out, label.rstrip(")") + f", cold: first {len(cold)} creates after start = JMH warm-up)",
                 "network create", cold, "JMH warm-up iterations of the first benchmark run "
                 "(single shots, batch 1), parsed from the JMH console log", cold=True)
    for res, bench, samples, pct in jmh_results(a.jmh_json):
        params = res.get("params", {})
        label = a.label
        if params.get("connection") == "FRESH":
            label = a.label_fresh or (a.label + ", conn/request")
        keepalive = params.get("connection", "KEEPALIVE") == "KEEPALIVE"
        same = dict(engine=a.engine, api=params.get("api")) if a.engine and keepalive else {}
        emit(a.out, label, ops.get(bench, bench), samples,
             jmh_method(res) + f", connection {params.get('connection', '?')}",
             jmh_percentiles_ms=pct, jvm=res.get("vmVersion"),
             target=(a.engine in (None, "Berth") and bench == "create" and keepalive), **same)


def first_warmup(log_path):
    """The first benchmark section of a JMH console log: its method name, its `# Parameters:`
    line and its warm-up scores in ms (on a freshly started daemon: the first requests it served)."""
    bench, params, out = None, "", []
    for line in open(log_path):
        if line.startswith("# Benchmark: "):
            if bench is not None:
                break
            bench = line.split(":", 1)[1].strip().rsplit(".", 1)[-1]
        elif line.startswith("# Parameters: "):
            params = line
        else:
            m = re.match(r"# Warmup Iteration\s+\d+: ([0-9.]+) (\S+)", line)
            if m and m.group(2) in UNIT_MS:
                out.append(float(m.group(1)) * UNIT_MS[m.group(2)])
    return bench, params, out


def cold_creates(log_path):
    """The warm-up scores (ms) of the first benchmark section in a JMH console log, if it is
    `create`: the very first creates the freshly started daemon served (cold JIT)."""
    bench, params, out = first_warmup(log_path)
    conn = re.search(r"connection = (\w+)", params)
    return (out, conn.group(1) if conn else "?") if bench == "create" else ([], None)


ENGINES = ("Berth", "dockerd", "podman")


def ratio(peer, berth):
    return f"{peer / berth:.2f}×" if berth > 0 else "–"


def same_client_table(rows, key, key_head):
    """One markdown table of the rows that carry an `engine`: a line per `key(row)` (a tuple,
    printed under `key_head`), median / p95 of each engine, the ratios of the peers' medians and
    p95s to Berth's, and the load1 at each measurement. Returns the number of lines printed."""
    cells = {}
    for r in rows:
        if r.get("engine") in ENGINES:
            cells.setdefault(key(r), {})[r["engine"]] = r
    if not cells:
        return 0
    engines = [e for e in ENGINES if any(e in c for c in cells.values())]
    peers = [e for e in engines if e != "Berth"]
    head = list(key_head) + [f"{e} median / p95 ms" for e in engines] + \
        [f"{e} ÷ Berth (median; p95)" for e in peers] + ["load1 (" + " / ".join(engines) + ")"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(key_head) + "---:|" * (len(head) - len(key_head) - 1) + "---|")
    for k in sorted(cells):
        c = cells[k]
        line = [str(x) for x in k]
        line += [f"{c[e]['median_ms']:.2f} / {c[e]['p95_ms']:.2f}" if e in c else "–" for e in engines]
        b = c.get("Berth")
        for e in peers:
            line.append(f"{ratio(c[e]['median_ms'], b['median_ms'])}; {ratio(c[e]['p95_ms'], b['p95_ms'])}"
                        if b and e in c else "–")
        line.append(" / ".join(str(c[e].get("load1", "?")) if e in c else "–" for e in engines))
        print("| " + " | ".join(line) + " |")
    return len(cells)


def cmd_table(a):
    rows, meta = [], {}
    with open(a.jsonl) as f:
        lines = f.readlines()
    for line in lines:
        o = json.loads(line)
        if "meta" in o:
            meta[o["meta"]] = o
        elif o.get("suite") == "network":
            rows.append(o)
    order = {}
    for r in rows:
        order.setdefault(r["peer"], len(order))
    rows.sort(key=lambda r: (order[r["peer"]], r["op"] != "network create"))
    print("| system (client) | operation | N | median ms | p95 ms | min ms | max ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['peer']} | {r['op']} | {r['n']} | {r['median_ms']:.2f} | {r['p95_ms']:.2f} | "
              f"{r['min_ms']:.2f} | {r['max_ms']:.2f} |")
    for note in meta.get("skipped", {}).get("notes", []):
        print(f"| {note} | | | | | | |")
    start, end = meta.get("start", {}), meta.get("end", {})
    print()
    print(f"Machine: {start.get('nproc', '?')} vCPU, kernel {start.get('kernel', '?')}; "
          f"loadavg (1/5/15 min) before: {start.get('loadavg', '?')}, after: {end.get('loadavg', '?')}; "
          f"run {start.get('date', '?')} .. {end.get('date', '?')}; Berth {start.get('berth', '?')}.")
    berth = [r for r in rows if r["op"] == "network create" and r.get("target")]
    if berth:
        r = berth[0]
        verdict = "met" if r["median_ms"] <= a.target_ms else "NOT met"
        cold = [c for c in rows if c.get("cold")]
        cold_txt = (f" (the first {cold[0]['n']} creates after daemon start, JMH warm-up: "
                    f"median {cold[0]['median_ms']:.2f} ms)") if cold else ""
        print(f"Target (Berth network create p50 <= {a.target_ms:g} ms, {r['peer']}, steady state): "
              f"median {r['median_ms']:.2f} ms -> **{verdict}**{cold_txt}.")
    else:
        print(f"Target (Berth network create p50 <= {a.target_ms:g} ms): not measured in this run.")
    same = [r for r in rows if r.get("engine")]
    if any(r["engine"] != "Berth" for r in same):
        api = sorted({r.get("api") or "?" for r in same})
        print()
        print(f"Same client, same requests (JMH `NetworkBench`, one kept-alive connection, API v{'/'.join(api)}; "
              f"{same[0]['n']} measured shots per cell), each daemon's socket:")
        print()
        same_client_table(same, lambda r: (r["op"],), ("operation",))
        print()
        print(f"Load average (1/5/15 min) before the run: {start.get('loadavg', '?')}, after: {end.get('loadavg', '?')}.")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cli")
    c.add_argument("--label", required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--n", type=int, default=200)
    c.add_argument("argv", nargs=argparse.REMAINDER)
    j = sub.add_parser("jmh")
    j.add_argument("--label", required=True)
    j.add_argument("--label-fresh")
    j.add_argument("--engine", choices=ENGINES, help="marks the keep-alive rows for the same-client table")
    j.add_argument("--out", required=True)
    j.add_argument("--log", help="JMH console log: adds a row for the cold (warm-up) creates")
    j.add_argument("jmh_json")
    t = sub.add_parser("table")
    t.add_argument("jsonl")
    t.add_argument("--target-ms", type=float, default=5.0)
    a = p.parse_args()
    {"cli": cmd_cli, "jmh": cmd_jmh, "table": cmd_table}[a.cmd](a)


if __name__ == "__main__":
    main()
