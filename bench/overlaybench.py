#!/usr/bin/env python3
"""Overlay networks across two simulated hosts on a real etcd (issue 15's benchmark).

Run as root from the repository root after `./berth build` (needs the daemon jar, etcd from
scripts/install-deps.sh, curl):

    flock /work/wt/bench.lock python3 bench/overlaybench.py [--n 30] [--seconds 3] [--reps 5] [--cc NAME]
        [--cpus separate|shared] [--underlay-rate RATE]

Makes an underlay namespace with a bridge and etcd, two host namespaces (A, B) each running
berthd with cluster-store, an overlay network and one image-less sandbox per host, then measures
in the same run:

  throughput  TCP bulk transfer (one Python stream, --seconds long) sandbox A -> sandbox B over the
              overlay (MTU 1450, VXLAN) and host A -> host B over the underlay (MTU 1500), alternated,
              --reps each (even reps overlay first, odd reps underlay first); one line per rep with
              the bytes per packet host B's underlay interface received during the overlay stream
              (about 64 KiB: the bursts cross the whole path unsegmented), then the median ratio.
              The sink reads into one reused buffer (a fresh 1 MiB object per recv cost the
              receiver a page fault per 4 KiB); --cc sets the sender's congestion control for both
              paths (setsockopt TCP_CONGESTION; default: the system's, net.ipv4.tcp_congestion_control).
              --cpus separate (the default) gives each simulated host a CPU of its own, as two machines
              would have: the sender is pinned to CPU 0 and the sink to CPU 1, and RPS on each host's
              underlay interface (rps_cpus, set inside the host's namespace only) moves the host's
              receive processing to its CPU: B's from the underlay on to the sink (data), A's on to the
              sender (ACKs). Without it the sender's CPU ran the whole forward path of both hosts (veth
              xmit runs the receiving side's stack on the sending CPU). --cpus shared is the old model
              (no pinning, no RPS). The same settings hold for the overlay and the underlay stream.
              --underlay-rate RATE (tc syntax, e.g. 10gbit) makes the underlay a link of that rate, as a
              NIC would: a tbf qdisc on the underlay bridge's two ports (egress towards each host, in the
              underlay namespace), for both streams; rows of such a run say shaped=true and the rate.
  propagation time from the start of a connect on host A (POST /containers/create of a sandbox on
              the overlay, sent with curl) until host B's VXLAN device has the sandbox's neighbour
              entry (`ip -ts monitor neigh` on B), --n times; and A's reply time for the same
              requests. B usually has the entry before A answers: the endpoint is in etcd from the
              join's transaction on, before the veth is made

Prints one JSON line per figure with /proc/loadavg (the median and the propagation rows with their
target and whether it is met); cleans up everything it made (namespaces,
processes, the temp directory), also on failure.
"""
import argparse, json, os, shutil, signal, statistics, subprocess, sys, tempfile, time, secrets

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAVA = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64") + "/bin/java"
JAR = os.path.join(ROOT, "berth-daemon/target/berth-daemon.jar")
ETCD = os.environ.get("BERTH_ETCD", "/opt/berth-deps/etcd-server/usr/bin/etcd")
SINK = """
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', 5001)); s.listen(1); print('ready', flush=True)
buf = bytearray(1 << 20)
while True:
    c, _ = s.accept(); n = 0; t0 = None
    while True:
        k = c.recv_into(buf)
        if not k: break
        if t0 is None: t0 = time.monotonic()
        n += k
    c.sendall(('%d %f' % (n, time.monotonic() - t0)).encode()); c.close()
"""
SOURCE = """
import socket, sys, time
c = socket.socket()
if sys.argv[3]: c.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, sys.argv[3].encode())
c.connect((sys.argv[1], 5001)); buf = b'x' * (1 << 20); end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end: c.sendall(buf)
c.shutdown(socket.SHUT_WR); n, t = c.recv(100).decode().split(); print(int(n) / float(t) / 1e6)
"""


def sh(*argv, check=True, **kw):
    return subprocess.run(argv, check=check, capture_output=True, text=True, **kw)


def ns(name, *argv, **kw):
    return sh("nsenter", "--net=/run/netns/" + name, *argv, **kw)


def load():
    return open("/proc/loadavg").read().split()[:3]


def emit(**fields):
    fields["loadavg"] = " ".join(load())
    print(json.dumps(fields), flush=True)


class World:
    def __init__(self, tmp):
        self.tmp, self.tag = tmp, secrets.token_hex(3)
        self.under, self.hosts, self.procs = "bbu-" + self.tag, [], []
        self.shaped = []  # underlay ports with a tbf qdisc
        self.last_busy = None  # each CPU's busy share during the last stream

    def port(self, i):
        """Host i's port on the underlay bridge (a veth in the underlay namespace; its peer is the host's eth0)."""
        return "u%d%s" % (i, self.tag)

    def steer(self, cpu_of_host):
        """RPS on each host's eth0: its receive processing runs on the host's CPU. Written inside the host's
        namespace (`ip netns exec` mounts that namespace's sysfs), so it reaches that device only; checked
        against the initial namespace's devices, which must keep their setting."""
        before = initial_rps()
        for h, cpu in zip(self.hosts, cpu_of_host):
            f = "/sys/class/net/eth0/queues/rx-0/rps_cpus"
            sh("ip", "netns", "exec", h, "sh", "-c", "echo %x > %s" % (1 << cpu, f))
            got = int(sh("ip", "netns", "exec", h, "cat", f).stdout.strip().replace(",", ""), 16)
            if got != 1 << cpu:
                raise SystemExit("rps_cpus of eth0 in %s is %x, not %x" % (h, got, 1 << cpu))
        if initial_rps() != before:
            raise SystemExit("setting RPS in the bench's namespaces changed the initial namespace's rps_cpus")

    def shape(self, rate):
        """The underlay as a link of `rate`: tbf on the bridge's ports towards each host. The burst (256 KiB)
        is larger than a 64 KiB GSO burst with its headers, so tbf never segments; the queue (1 MiB) is a
        switch port's buffer."""
        for i in (1, 2):
            sh("ip", "netns", "exec", self.under, "tc", "qdisc", "add", "dev", self.port(i), "root", "tbf", "rate", rate,
               "burst", "256kb", "limit", "1mb")
            self.shaped.append(self.port(i))

    def qdisc_stats(self):
        """(sent bytes, overlimits, drops) summed over the shaped ports."""
        total = [0, 0, 0]
        for dev in self.shaped:
            q = json.loads(ns(self.under, "tc", "-s", "-j", "qdisc", "show", "dev", dev, "root").stdout)[0]
            total[0] += q["bytes"]
            total[1] += q["overlimits"]
            total[2] += q["drops"]
        return total

    def build(self):
        sh("ip", "netns", "add", self.under)
        for args in (["link", "set", "lo", "up"], ["link", "add", "ul0", "type", "bridge"],
                     ["addr", "add", "198.51.100.1/24", "dev", "ul0"], ["link", "set", "ul0", "up"]):
            sh("ip", "-n", self.under, *args)
        for i in (1, 2):
            h = "bb%d-%s" % (i, self.tag)
            sh("ip", "netns", "add", h)
            self.hosts.append(h)
            sh("ip", "-n", self.under, "link", "add", self.port(i), "type", "veth", "peer", "name", "eth0", "netns", h)
            sh("ip", "-n", self.under, "link", "set", self.port(i), "master", "ul0", "up")
            sh("ip", "-n", h, "link", "set", "lo", "up")
            sh("ip", "-n", h, "addr", "add", "198.51.100.2%d/24" % i, "dev", "eth0")
            sh("ip", "-n", h, "link", "set", "eth0", "up")

    def spawn(self, netns, argv, label):
        out = open(os.path.join(self.tmp, label + ".log"), "w")
        p = subprocess.Popen(["nsenter", "--net=/run/netns/" + netns] + argv, stdout=out, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL)
        self.procs.append(p)
        return p

    def etcd(self):
        url = "http://198.51.100.1:2379"
        self.spawn(self.under, [ETCD, "--data-dir", os.path.join(self.tmp, "etcd"), "--listen-client-urls", url,
                                "--advertise-client-urls", url, "--listen-peer-urls", "http://127.0.0.1:2380",
                                "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
                                "--initial-cluster", "default=http://127.0.0.1:2380"], "etcd")
        wait(lambda: '"health":"true"' in ns(self.under, "curl", "-s", "-m", "1", url + "/health", check=False).stdout,
             "etcd healthy")

    def berthd(self, i):
        d = os.path.join(self.tmp, "h%d" % i)
        os.makedirs(d)
        with open(os.path.join(d, "daemon.json"), "w") as f:
            json.dump({"cluster-store": "etcd://198.51.100.1:2379", "cluster-advertise": "eth0"}, f)
        sock = os.path.join(d, "api.sock")
        self.spawn(self.hosts[i - 1], [JAVA, "--enable-native-access=ALL-UNNAMED", "-jar", JAR, "-H", "unix://" + sock,
                                       "--data-root", d + "/data", "--exec-root", d + "/exec", "--config-file",
                                       d + "/daemon.json"], "berthd%d" % i)
        wait(lambda: os.path.exists(sock) and api(sock, "GET", "/_ping", check=False).returncode == 0, "berthd %d" % i)
        wait(lambda: "cluster: joined" in open(os.path.join(self.tmp, "berthd%d.log" % i)).read(), "join %d" % i)
        return sock

    def close(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        for dev in self.shaped:  # the namespace's deletion takes them too; explicit in case that fails
            sh("ip", "netns", "exec", self.under, "tc", "qdisc", "del", "dev", dev, "root", check=False)
        for h in self.hosts + [self.under]:
            sh("ip", "netns", "del", h, check=False)
        for line in open("/proc/self/mountinfo"):
            point = line.split()[4]
            if point.startswith(self.tmp + "/"):
                sh("umount", "-l", point, check=False)


def initial_rps():
    out = {}
    for dev in os.listdir("/sys/class/net"):
        q = "/sys/class/net/%s/queues" % dev
        for rxq in (os.listdir(q) if os.path.isdir(q) else []):
            if rxq.startswith("rx-"):
                out[dev, rxq] = open("%s/%s/rps_cpus" % (q, rxq)).read()
    return out


def wait(cond, what, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.1)
    raise SystemExit("timed out waiting for " + what)


def api(sock, method, path, body=None, check=True):
    argv = ["curl", "-s", "-w", "\n%{http_code}", "--unix-socket", sock, "-X", method, "http://d/v1.50" + path]
    if body is not None:
        argv += ["-H", "Content-Type: application/json", "-d", json.dumps(body)]
    out = sh(*argv, check=False)
    body_text, _, code = out.stdout.rpartition("\n")
    ok = out.returncode == 0 and code.startswith("2")
    if check and not ok:
        raise SystemExit("%s %s: %s %s" % (method, path, code, body_text))
    return subprocess.CompletedProcess(argv, 0 if ok else 1, body_text, out.stderr)


def sandbox(sock, name, network):
    out = json.loads(api(sock, "POST", "/containers/create?name=" + name,
                         {"Image": "", "HostConfig": {"NetworkMode": network}}).stdout)
    info = json.loads(api(sock, "GET", "/containers/%s/json" % out["Id"]).stdout)
    ep = info["NetworkSettings"]["Networks"][network]
    return os.path.join(os.path.dirname(sock), "exec/netns", out["Id"][:12]), ep["IPAddress"]


def rx(ns_path, dev):
    """(packets, bytes) a device of a namespace has received (sysfs shows the daemon's namespace, not this one)."""
    link = json.loads(sh("nsenter", "--net=" + ns_path, "ip", "-s", "-j", "link", "show", dev).stdout)[0]
    return link["stats64"]["rx"]["packets"], link["stats64"]["rx"]["bytes"]


def cpu_times():
    """{cpu: (busy, total)} jiffies from /proc/stat (all processes: the machine is shared)."""
    out = {}
    for line in open("/proc/stat"):
        f = line.split()
        if f[0].startswith("cpu") and f[0] != "cpu":
            v = [int(x) for x in f[1:]]
            out[int(f[0][3:])] = (sum(v) - v[3] - v[4], sum(v))
    return out


def busy(before, after):
    """Each CPU's busy share between two cpu_times() (the streams and everything else on the machine)."""
    return [round((after[c][0] - before[c][0]) / max(1, after[c][1] - before[c][1]), 2) for c in sorted(after)]


def pinned(cpu):
    return None if cpu is None else (lambda: os.sched_setaffinity(0, {cpu}))


def throughput(world, src_ns_path, dst_ns_path, dst_ip, seconds, cc="", cpus=(None, None)):
    """MB/s of one stream; cpus: (sender's CPU, sink's CPU), None for unpinned."""
    sink = subprocess.Popen(["nsenter", "--net=" + dst_ns_path, sys.executable, "-c", SINK], stdout=subprocess.PIPE,
                            text=True, preexec_fn=pinned(cpus[1]))
    world.procs.append(sink)
    assert sink.stdout.readline().strip() == "ready"
    t0 = cpu_times()
    out = sh("nsenter", "--net=" + src_ns_path, sys.executable, "-c", SOURCE, dst_ip, str(seconds), cc,
             preexec_fn=pinned(cpus[0])).stdout
    world.last_busy = busy(t0, cpu_times())
    sink.kill()
    sink.wait()
    return float(out.strip())


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--n", type=int, default=30)
    a.add_argument("--seconds", type=float, default=3)
    a.add_argument("--reps", type=int, default=5)
    a.add_argument("--cc", default="", help="TCP congestion control of both streams' sender (default: the system's)")
    a.add_argument("--cpus", choices=("separate", "shared"), default="separate",
                   help="separate: host A's sender and receive processing on CPU 0, host B's on CPU 1 (pinning and "
                        "RPS); shared: the old model, unpinned, no RPS (the sender's CPU runs both hosts' paths)")
    a.add_argument("--underlay-rate", default="", metavar="RATE",
                   help="shape the underlay to RATE (tc syntax, e.g. 10gbit) with tbf on the bridge's ports; "
                        "default: unshaped")
    args = a.parse_args()
    cpus = sorted(os.sched_getaffinity(0))
    if args.cpus == "separate" and len(cpus) < 2:
        a.error("--cpus separate needs two CPUs; this process may use %s" % cpus)
    pair = (cpus[0], cpus[1]) if args.cpus == "separate" else (None, None)
    available = open("/proc/sys/net/ipv4/tcp_available_congestion_control").read().split()
    if args.cc and args.cc not in available:
        a.error("--cc %s: not one of this kernel's congestion controls (%s)" % (args.cc, " ".join(available)))
    tmp = tempfile.mkdtemp(prefix="berth-overlaybench-")
    world = World(tmp)
    try:
        world.build()
        world.etcd()
        sa, sb = world.berthd(1), world.berthd(2)
        api(sa, "POST", "/networks/create", {"Name": "ov", "Driver": "overlay"})
        wait(lambda: api(sb, "GET", "/networks/ov", check=False).returncode == 0, "ov on host B")
        net_id = json.loads(api(sa, "GET", "/networks/ov").stdout)["Id"]
        ns_a, ip_a = sandbox(sa, "sa", "ov")
        ns_b, ip_b = sandbox(sb, "sb", "ov")
        wait(lambda: ns(world.hosts[0], "ip", "neigh", "show", "dev", "vx-" + net_id[:12]).stdout.count(ip_b), "b on A")
        if args.cpus == "separate":
            world.steer(pair)
        if args.underlay_rate:
            world.shape(args.underlay_rate)
        model = dict(cc=args.cc or "system", cpus="separate (A: CPU %d, B: CPU %d; pinned, RPS)" % pair
                     if args.cpus == "separate" else "shared (unpinned, no RPS)",
                     shaped=bool(args.underlay_rate), underlay_rate=args.underlay_rate or "unshaped")
        hosts = ["/run/netns/" + h for h in world.hosts]
        ratios = []
        for rep in range(args.reps):
            under = None
            if rep % 2:  # odd reps run the underlay first: neither path always follows the other
                under = throughput(world, hosts[0], hosts[1], "198.51.100.22", args.seconds, args.cc, pair)
                under_busy = world.last_busy
            before = rx(hosts[1], "eth0")
            over = throughput(world, ns_a, ns_b, ip_b, args.seconds, args.cc, pair)
            over_busy = world.last_busy
            after = rx(hosts[1], "eth0")
            if under is None:
                under = throughput(world, hosts[0], hosts[1], "198.51.100.22", args.seconds, args.cc, pair)
                under_busy = world.last_busy
            ratios.append(over / under)
            emit(bench="overlay", what="throughput", rep=rep, overlay_MBps=round(over, 1), underlay_MBps=round(under, 1),
                 ratio=round(over / under, 3), **model, overlay_cpu_busy=over_busy, underlay_cpu_busy=under_busy,
                 overlay_rx_bytes_per_packet=(after[1] - before[1]) // max(1, after[0] - before[0]))
        median = statistics.median(ratios)
        extra = {}
        if args.underlay_rate:
            sent, overlimits, drops = world.qdisc_stats()
            extra = dict(tbf_sent_bytes=sent, tbf_overlimits=overlimits, tbf_drops=drops)
        emit(bench="overlay", what="throughput-median" + (" (shaped underlay, %s)" % args.underlay_rate
                                                          if args.underlay_rate else ""),
             reps=len(ratios), median_ratio=round(median, 3), min_ratio=round(min(ratios), 3),
             max_ratio=round(max(ratios), 3), target=">= 0.9 at MTU 1450", met=median >= 0.9, **model, **extra)
        monitor = subprocess.Popen(["nsenter", "--net=/run/netns/" + world.hosts[1], "ip", "-ts", "monitor", "neigh",
                                    "dev", "vx-" + net_id[:12]], stdout=subprocess.PIPE, text=True)
        world.procs.append(monitor)
        time.sleep(0.5)
        samples = []
        for i in range(args.n):
            t0 = time.time()
            _, ip = sandbox(sa, "p%d" % i, "ov")
            created = time.time()
            while True:
                line = monitor.stdout.readline()
                if not line:
                    raise SystemExit("ip monitor ended")
                text = line.split("]", 1)[-1].strip()
                if text.startswith(ip + " "):
                    stamp = line[line.index("[") + 1:line.index("]")]
                    seen = time.mktime(time.strptime(stamp.split(".")[0], "%Y-%m-%dT%H:%M:%S")) + float(
                        "0." + stamp.split(".")[1])
                    samples.append(((seen - t0) * 1000, (created - t0) * 1000))
                    break
        remote = sorted(s[0] for s in samples)
        local = sorted(s[1] for s in samples)
        emit(bench="overlay", what="connect-on-A-until-B-has-the-neighbour", n=len(remote),
             p50_ms=round(statistics.median(remote), 1), p90_ms=round(remote[int(0.9 * (len(remote) - 1))], 1),
             max_ms=round(remote[-1], 1), connect_reply_p50_ms=round(statistics.median(local), 1),
             target="p50 <= 50 ms", met=statistics.median(remote) <= 50)
    finally:
        world.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
