#!/usr/bin/env python3
"""Overlay networks across two simulated hosts on a real etcd (issue 15's benchmark).

Run as root from the repository root after `./berth build` (needs the daemon jar, etcd from
scripts/install-deps.sh, curl):

    flock /work/wt/bench.lock python3 bench/overlaybench.py [--n 30] [--seconds 3] [--reps 5] [--cc NAME]

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
              paths (setsockopt TCP_CONGESTION; default: the system's, net.ipv4.tcp_congestion_control)
  propagation time from the start of a connect on host A (POST /containers/create of a sandbox on
              the overlay, sent with curl) until host B's VXLAN device has the sandbox's neighbour
              entry (`ip -ts monitor neigh` on B), --n times; and A's reply time for the same
              requests. B usually has the entry before A answers: the endpoint is in etcd from the
              join's transaction on, before the veth is made

Prints one JSON line per figure with /proc/loadavg; cleans up everything it made (namespaces,
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

    def build(self):
        sh("ip", "netns", "add", self.under)
        for args in (["link", "set", "lo", "up"], ["link", "add", "ul0", "type", "bridge"],
                     ["addr", "add", "198.51.100.1/24", "dev", "ul0"], ["link", "set", "ul0", "up"]):
            sh("ip", "-n", self.under, *args)
        for i in (1, 2):
            h = "bb%d-%s" % (i, self.tag)
            sh("ip", "netns", "add", h)
            self.hosts.append(h)
            sh("ip", "-n", self.under, "link", "add", "u%d%s" % (i, self.tag), "type", "veth", "peer", "name", "eth0",
               "netns", h)
            sh("ip", "-n", self.under, "link", "set", "u%d%s" % (i, self.tag), "master", "ul0", "up")
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
        for h in self.hosts + [self.under]:
            sh("ip", "netns", "del", h, check=False)
        for line in open("/proc/self/mountinfo"):
            point = line.split()[4]
            if point.startswith(self.tmp + "/"):
                sh("umount", "-l", point, check=False)


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


def throughput(world, src_ns_path, dst_ns_path, dst_ip, seconds, cc=""):
    sink = subprocess.Popen(["nsenter", "--net=" + dst_ns_path, sys.executable, "-c", SINK], stdout=subprocess.PIPE,
                            text=True)
    world.procs.append(sink)
    assert sink.stdout.readline().strip() == "ready"
    out = sh("nsenter", "--net=" + src_ns_path, sys.executable, "-c", SOURCE, dst_ip, str(seconds), cc).stdout
    sink.kill()
    sink.wait()
    return float(out.strip())


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--n", type=int, default=30)
    a.add_argument("--seconds", type=float, default=3)
    a.add_argument("--reps", type=int, default=5)
    a.add_argument("--cc", default="", help="TCP congestion control of both streams' sender (default: the system's)")
    args = a.parse_args()
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
        hosts = ["/run/netns/" + h for h in world.hosts]
        ratios = []
        for rep in range(args.reps):
            under = None
            if rep % 2:  # odd reps run the underlay first: neither path always follows the other
                under = throughput(world, hosts[0], hosts[1], "198.51.100.22", args.seconds, args.cc)
            before = rx(hosts[1], "eth0")
            over = throughput(world, ns_a, ns_b, ip_b, args.seconds, args.cc)
            after = rx(hosts[1], "eth0")
            if under is None:
                under = throughput(world, hosts[0], hosts[1], "198.51.100.22", args.seconds, args.cc)
            ratios.append(over / under)
            emit(bench="overlay", what="throughput", rep=rep, overlay_MBps=round(over, 1), underlay_MBps=round(under, 1),
                 ratio=round(over / under, 3), cc=args.cc or "system",
                 overlay_rx_bytes_per_packet=(after[1] - before[1]) // max(1, after[0] - before[0]))
        emit(bench="overlay", what="throughput-median", reps=len(ratios), median_ratio=round(statistics.median(ratios), 3))
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
             max_ms=round(remote[-1], 1), connect_reply_p50_ms=round(statistics.median(local), 1))
    finally:
        world.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
