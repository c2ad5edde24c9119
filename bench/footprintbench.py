#!/usr/bin/env python3
"""The timing half of bench/footprint.sh.

    footprintbench.py cli N WARMUP LABEL CMD [LABEL CMD ...]
        Runs each CMD (a shell-free argv, given as one string split on spaces) WARMUP times
        untimed, then N rounds in which every CMD runs once, in the given order (so load from
        elsewhere falls on all of them alike); each run is timed with perf_counter_ns around
        subprocess.run, as ../shared/peers/bench.py times a CLI. A run that fails stops the
        bench. Prints one JSON object per LABEL: label, samples_ms.
    footprintbench.py start SOCKET LOG CMD...
        Starts CMD (berthd) with stdout and stderr to LOG, in a session of its own, and polls
        SOCKET every 2 ms (connect, HEAD /_ping) until it answers 200. Prints one JSON object:
        pid, ready_ms (from just before the fork to the first answer). The daemon keeps running.
    footprintbench.py fill SOCKET K NETWORK
        Creates K sandboxes s1..sK on NETWORK (POST /containers/create, no image, no process)
        over one kept-alive connection. Prints one JSON object: sandboxes, ms.
    footprintbench.py drain SOCKET
        Removes every container (DELETE /containers/ID?force=1). Prints one JSON object: removed.
"""
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time

API = "/v1.50"


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=60):
        super().__init__("berth", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def request(conn, method, target, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, API + target, body=None if body is None else json.dumps(body), headers=headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, data


def cli(n, warmup, pairs):
    commands = [(label, cmd.split(" ")) for label, cmd in pairs]
    for label, argv in commands:
        for _ in range(warmup):
            run(label, argv)
    samples = {label: [] for label, _ in commands}
    for _ in range(n):
        for label, argv in commands:
            samples[label].append(run(label, argv))
    for label, _ in commands:
        print(json.dumps({"label": label, "samples_ms": samples[label],
                          "median_ms": round(statistics.median(samples[label]), 1)}))


def run(label, argv):
    t0 = time.perf_counter_ns()
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    ms = (time.perf_counter_ns() - t0) / 1e6
    if done.returncode != 0:
        sys.exit(f"{label}: {' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return round(ms, 2)


def start(sock, log, argv):
    with open(log, "ab") as out:
        t0 = time.perf_counter_ns()
        daemon = subprocess.Popen(argv, stdout=out, stderr=out, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if daemon.poll() is not None:
            sys.exit(f"berthd exited with {daemon.returncode} during start-up (log {log})")
        try:
            conn = UnixConnection(sock, timeout=5)
            conn.request("HEAD", "/_ping")
            if conn.getresponse().status == 200:
                ms = (time.perf_counter_ns() - t0) / 1e6
                conn.close()
                print(json.dumps({"pid": daemon.pid, "ready_ms": round(ms, 1)}))
                return
            conn.close()
        except OSError:
            pass
        time.sleep(0.002)
    daemon.kill()
    sys.exit(f"berthd did not answer /_ping within 60 s (log {log})")


def fill(sock, k, network):
    conn = UnixConnection(sock)
    t0 = time.perf_counter_ns()
    for i in range(1, k + 1):
        status, data = request(conn, "POST", f"/containers/create?name=s{i}",
                               {"Image": "", "HostConfig": {"NetworkMode": network}})
        if status != 201:
            sys.exit(f"create s{i}: {status} {data[:300]!r}")
    print(json.dumps({"sandboxes": k, "ms": round((time.perf_counter_ns() - t0) / 1e6)}))


def drain(sock):
    conn = UnixConnection(sock)
    status, data = request(conn, "GET", "/containers/json?all=1")
    if status != 200:
        sys.exit(f"list: {status}")
    removed = 0
    for container in json.loads(data):
        status, data = request(conn, "DELETE", f"/containers/{container['Id']}?force=1")
        if status not in (204, 404):
            sys.exit(f"remove {container['Id'][:12]}: {status} {data[:300]!r}")
        removed += 1
    print(json.dumps({"removed": removed}))


def main(args):
    if args[:1] == ["cli"] and len(args) >= 5 and len(args) % 2 == 1:
        cli(int(args[1]), int(args[2]), list(zip(args[3::2], args[4::2])))
    elif args[:1] == ["start"] and len(args) >= 4:
        start(args[1], args[2], args[3:])
    elif args[:1] == ["fill"] and len(args) == 4:
        fill(args[1], int(args[2]), args[3])
    elif args[:1] == ["drain"] and len(args) == 2:
        drain(args[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
