#!/usr/bin/env python3
"""Container timings of one engine through its own docker-compatible CLI (bench/container.sh).

    containerbench.py PEER N IMAGE NETWORK PORT CLI...

Runs inside the engine's network namespace (container.sh enters it), so that the published port
PORT is reached on 127.0.0.1 as a user on that host would. Every sample is one CLI invocation
timed with time.perf_counter_ns() around subprocess.run (fork+exec of the client included), as
../shared/peers/bench.py does. Rows go to stdout and, as JSON lines, to $BENCH_OUT.

Operations (N samples each, after one warm-up):
  run --rm IMAGE true                      default network
  run --rm --network none IMAGE true
  run --rm --network NETWORK IMAGE true     the network part = this minus the line above
  run -d --network NETWORK IMAGE sleep 600  and then rm -f of it (both timed)
  exec c1 true                              c1 running on NETWORK
  start to network-ready                    from `run -d -p PORT:80 IMAGE httpd -f -p 80` until a
                                            TCP connection to 127.0.0.1:PORT is accepted
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import time

OUT = os.environ.get("BENCH_OUT", "/dev/null")


def sh(cmd, check=True):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} -> rc {r.returncode}: {r.stderr.decode(errors='replace')[-400:]}")
    return r


def timed(cmd):
    t0 = time.perf_counter_ns()
    sh(cmd)
    return (time.perf_counter_ns() - t0) / 1e6


def report(peer, op, samples, note=""):
    s = sorted(samples)
    row = dict(peer=peer, op=op, n=len(s), median_ms=round(statistics.median(s), 2), min_ms=round(s[0], 2),
               max_ms=round(s[-1], 2), p90_ms=round(s[int(0.9 * (len(s) - 1))], 2),
               load1=open("/proc/loadavg").read().split()[0], note=note)
    print(f"{peer:8s} {op:48s} n={row['n']:4d} median={row['median_ms']:9.2f} min={row['min_ms']:9.2f} "
          f"p90={row['p90_ms']:9.2f} ms load={row['load1']}", flush=True)
    with open(OUT, "a") as f:
        f.write(json.dumps(row) + "\n")
    return row


def accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def main():
    peer, n, image, net, port, cli = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6:]
    rmf = cli + ["rm", "-f"] + (["-t", "0"] if peer == "podman" else [])
    for name in ("c1", "web", "bg"):
        sh(rmf + [name], check=False)

    for label, extra in (("run --rm true", []), ("run --rm --network none true", ["--network", "none"]),
                         (f"run --rm --network {net} true", ["--network", net])):
        sh(cli + ["run", "--rm"] + extra + [image, "true"])
        report(peer, label, [timed(cli + ["run", "--rm"] + extra + [image, "true"]) for _ in range(n)])

    runs, rms = [], []
    sh(cli + ["run", "-d", "--name", "bg", "--network", net, image, "sleep", "600"])
    sh(rmf + ["bg"])
    for _ in range(n):
        runs.append(timed(cli + ["run", "-d", "--name", "bg", "--network", net, image, "sleep", "600"]))
        rms.append(timed(rmf + ["bg"]))
    report(peer, f"run -d --network {net} sleep", runs)
    report(peer, "rm -f (running, on the network)", rms)

    sh(cli + ["run", "-d", "--name", "c1", "--network", net, image, "sleep", "600"])
    sh(cli + ["exec", "c1", "true"])
    report(peer, "exec c1 true", [timed(cli + ["exec", "c1", "true"]) for _ in range(n)])
    sh(rmf + ["c1"])

    ready = []
    for i in range(n + 1):
        t0 = time.perf_counter_ns()
        sh(cli + ["run", "-d", "--name", "web", "-p", f"{port}:80", image, "httpd", "-f", "-p", "80"])
        deadline = time.monotonic() + 10
        while not accepts(port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{peer}: 127.0.0.1:{port} not reachable 10 s after run -d")
            time.sleep(0.0005)
        if i > 0:
            ready.append((time.perf_counter_ns() - t0) / 1e6)
        sh(rmf + ["web"])
        while accepts(port):
            time.sleep(0.001)
    report(peer, "start to network-ready (run -d -p, TCP accepted)", ready)


if __name__ == "__main__":
    main()
