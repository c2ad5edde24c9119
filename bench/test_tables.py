#!/usr/bin/env python3
"""Checks of the bench's table code (no daemon, no root): the same-client tables of netbench.py and
attachbench.py from rows written by their own `append_row`, as run.sh writes them; dnsbench.py's
DnsLoad ratios from TSV lines and outputs in dns.sh's and DnsLoad's formats.

    python3 -m unittest discover -s bench -p 'test_*.py'
"""
import contextlib, io, json, os, sys, tempfile, types, unittest, unittest.mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attachbench, dnsbench, netbench  # noqa: E402


def table(module, path):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        module.cmd_table(types.SimpleNamespace(jsonl=path, target_ms=5.0))
    return out.getvalue()


def line_of(text, start):
    lines = [x for x in text.splitlines() if x.startswith(start)]
    if len(lines) != 1:
        raise AssertionError(f"{len(lines)} lines start with {start!r} in:\n{text}")
    return [c.strip() for c in lines[0].strip("|").split("|")]


class SameClientTables(unittest.TestCase):
    def setUp(self):
        fd, self.path = tempfile.mkstemp(suffix=".jsonl")
        os.close(fd)
        self.addCleanup(os.remove, self.path)
        with open(self.path, "w") as f:
            f.write(json.dumps(dict(meta="start", date="d0", loadavg="1.00 2.00 3.00", nproc=2)) + "\n")

    def end(self):
        with open(self.path, "a") as f:
            f.write(json.dumps(dict(meta="end", date="d1", loadavg="1.50 2.00 3.00")) + "\n")

    def net(self, label, op, samples, **extra):
        with contextlib.redirect_stdout(io.StringIO()):
            netbench.append_row(self.path, dict(suite="network", peer=label, op=op), label, samples, "m", **extra)

    def att(self, label, size, op, samples, **extra):
        with contextlib.redirect_stdout(io.StringIO()):
            attachbench.emit(self.path, label, size, op, samples, "m", **extra)

    def test_network_ratios_are_peer_over_berth(self):
        self.net("Berth (API via JMH, keep-alive)", "network create", [1.0, 2.0, 3.0], engine="Berth", api="1.41",
                 target=True)
        self.net("Berth (API via JMH, new connection per request)", "network create", [9.0, 9.0, 9.0])
        self.net("dockerd 20.10 (API via JMH, keep-alive)", "network create", [20.0, 30.0, 40.0],
                 engine="dockerd", api="1.41")
        self.net("podman 4.3 (API via JMH, keep-alive)", "network create", [1.0, 1.0, 1.5], engine="podman",
                 api="1.41")
        self.net("dockerd 20.10 (docker CLI 20.10)", "network create", [90.0, 90.0, 90.0])
        self.end()
        text = table(netbench, self.path)
        row = line_of(text, "| network create | 2.00")
        # Berth 2 / 3 ms; dockerd 30 / 40 (15x, 13.33x); podman 1 / 1.5 (0.5x, 0.5x)
        self.assertEqual(row[1:6], ["2.00 / 3.00", "30.00 / 40.00", "1.00 / 1.50", "15.00×; 13.33×", "0.50×; 0.50×"])
        self.assertIn("API v1.41", text)
        self.assertIn("before the run: 1.00 2.00 3.00, after: 1.50 2.00 3.00", text)
        # the CLI and new-connection rows stay in the main table, not in the same-client one
        line_of(text, "| dockerd 20.10 (docker CLI 20.10) | network create")
        self.assertNotIn("9.00 /", text)

    def test_attach_table_has_a_line_per_size_and_operation_and_dashes_for_missing_peers(self):
        for k, b in ((1, 4.0), (100, 5.0)):
            self.att("Berth (API via JMH, keep-alive)", k, "connect", [b] * 5, engine="Berth", api="1.41",
                     target=True)
            self.att("Berth (API via JMH, keep-alive, 50 ms pause after each disconnect)", k, "connect", [99.0] * 5,
                     target=True)
            self.att("dockerd 20.10 (API via JMH, keep-alive)", k, "connect", [b * 10] * 5, engine="dockerd",
                     api="1.41")
        self.att("Berth (API via JMH, keep-alive)", 1000, "connect", [6.0] * 5, engine="Berth", api="1.41",
                 target=True)
        self.end()
        text = table(attachbench, self.path)
        self.assertEqual(line_of(text, "| 1 | connect")[2:5], ["4.00 / 4.00", "40.00 / 40.00", "10.00×; 10.00×"])
        self.assertEqual(line_of(text, "| 100 | connect")[4], "10.00×; 10.00×")
        # dockerd not measured at 1000 (too heavy): the cell and the ratio are dashes
        self.assertEqual(line_of(text, "| 1000 | connect")[2:5], ["6.00 / 6.00", "–", "–"])
        # the rows with a pause are Berth-only: never in the same-client table
        self.assertNotIn("99.00 /", text.split("Same client")[1])

    def test_no_same_client_table_without_a_peer(self):
        self.net("Berth (API via JMH, keep-alive)", "network create", [1.0, 2.0], engine="Berth", api="1.41",
                 target=True)
        self.end()
        self.assertNotIn("Same client", table(netbench, self.path))



class DnsLoadRatios(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.tsv = os.path.join(self.dir.name, "berth.tsv")
        open(self.tsv, "w").close()

    def run_(self, srv, kind, rep, qps, load=0.5, idle=99, tail=""):
        out = os.path.join(self.dir.name, "%s-%s-%d.txt" % (srv.replace(" ", "_"), kind, rep))
        with open(out, "w") as f:
            f.write("  Queries sent:         %d\n  Queries completed:    %d\n  Queries lost:         0\n"
                    "  Response codes:       NOERROR %d (100.00%%)\n  Run time (s):         5.0\n"
                    "  Queries per second:   %f\n  Average Latency (s):  0.0005\n"
                    "  Latency p50/p99/p99.9 (s): 0.0004 0.0009 0.0010\nLOADGEN_CPU user=1.0 sys=3.0\n"
                    "SERVER_CPU s=4.50\nMACHINE_CPU busy=%.2f total=10.00\n"
                    % (qps * 5, qps * 5, qps * 5, qps, 8.5 + idle / 100) + tail)
        with open(self.tsv, "a") as f:
            f.write("\t".join([srv, kind, str(rep), str(load), str(idle), "4.5", "?", out]) + "\n")

    def table(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), unittest.mock.patch.object(sys, "argv", ["dnsbench.py", self.tsv]):
            dnsbench.main()
        return out.getvalue()

    def test_ratios_are_medians_of_the_ratios_within_each_repetition(self):
        # rep 1: local 300 / dnsmasq 200 = 1.5, NX 330 / 300 = 1.1; rep 2: 160 / 100 = 1.6, 144 / 160 = 0.9;
        # rep 3: 140 / 100 = 1.4, 140 / 140 = 1.0. Medians of the rows (160 / 100, 144) would say 1.6 and 0.9.
        for rep, (loc, nx, dm) in enumerate(((300, 330, 200), (160, 144, 100), (140, 140, 100)), 1):
            self.run_("Berth", "lmax", rep, loc, load=rep)
            self.run_("Berth", "lnxmax", rep, nx)
            self.run_("dnsmasq", "lmax", rep, dm, idle=90 + rep)
        self.run_("Berth (-q 400)", "lmax", 1, 200)
        self.run_("dnsmasq (-q 400)", "lmax", 1, 100)
        text = self.table()
        self.assertIn("Berth / dnsmasq max QPS (local names), median of 3 paired ratios (one repetition each): "
                      "**1.50** (1.40–1.60; 1.50, 1.60, 1.40) → target ≥ 1.5 **met**", text)
        self.assertIn("NXDOMAIN (`c999 A`) / local names max QPS, Berth, separate runs, median of 3 paired ratios "
                      "(one repetition each): **1.00** (0.90–1.10; 1.10, 0.90, 1.00) → target ≥ 1.0 **met**", text)
        # others: busy 8.5 + idle / 100 s - server 4.5 s - client 4.0 s, of 10 s
        self.assertEqual(line_of(text, "| 2 | local (2.00 / 99 / 10)"),
                         ["2", "local (2.00 / 99 / 10), NX (0.50 / 99 / 10), dnsmasq (0.50 / 92 / 9)", "160", "144", "100",
                          "1.60", "0.90"])
        # the -q 400 window: one repetition, no NX run
        self.assertIn("DnsLoad (-q 400): Berth / dnsmasq max QPS (local names), median of 1 paired ratios "
                      "(one repetition each): **2.00** (2.00–2.00; 2.00) → target ≥ 1.5 **met**", text)
        self.assertNotIn("DnsLoad (-q 400): NXDOMAIN", text)
        self.assertNotIn("others used", text)

    def test_busy_repetitions_get_a_second_line_without_them(self):
        for rep, (loc, nx, dm, idle) in enumerate(((300, 330, 200, 99), (160, 144, 100, 99), (100, 140, 100, 5000)), 1):
            self.run_("Berth", "lmax", rep, loc)
            self.run_("Berth", "lnxmax", rep, nx, idle=idle)  # rep 3: others at 50 % of the machine
            self.run_("dnsmasq", "lmax", rep, dm)
        text = self.table()
        self.assertIn("Berth / dnsmasq max QPS (local names), median of 3 paired ratios (one repetition each): **1.50**", text)
        self.assertIn("Berth / dnsmasq max QPS (local names), the repetitions where others used ≤ 10 % of the machine "
                      "in every run (2 of 3), median of 2 paired ratios (one repetition each): **1.55** (1.50–1.60; 1.50, 1.60)",
                      text)
        self.assertNotIn("every repetition", text)

    def test_a_window_with_every_repetition_busy_says_so(self):
        for rep in (1, 2):
            self.run_("Berth", "lmax", rep, 300, idle=5000)
            self.run_("dnsmasq", "lmax", rep, 200)
        text = self.table()
        self.assertIn("median of 2 paired ratios (one repetition each): **1.50**", text)
        self.assertIn("every repetition of this window had a run where others used over 10 %", text)
        self.assertNotIn("the repetitions where others used", text)
    def test_alternating_runs_carry_the_nx_target_as_the_median_of_their_blocks(self):
        # DnsLoad --alternate output: phases A B B A per block, each block's B / A
        def alt(phases, blocks):
            return ("".join("ALT_PHASE %d %s qps=%d server_us_per_answer=%.2f\n" % (i + 1, s, q, u)
                            for i, (s, q, u) in enumerate(phases))
                    + "".join("ALT_BLOCK %d b_over_a=%.4f\n" % (i + 1, b) for i, b in enumerate(blocks))
                    + "ALT_CODES A NOERROR 900 (100.00%)\nALT_CODES B NXDOMAIN 950 (100.00%)\n")
        for rep, (loc, nx, dm) in enumerate(((300, 270, 200), (160, 144, 100)), 1):
            self.run_("Berth", "lmax", rep, loc)
            self.run_("Berth", "lnxmax", rep, nx)
            self.run_("dnsmasq", "lmax", rep, dm)
        self.run_("Berth", "lalt", 1, 250, tail=alt((("A", 250, 3.9), ("B", 255, 3.8), ("B", 245, 3.9), ("A", 250, 4.0)),
                                                    (1.0,)))
        self.run_("Berth", "lalt", 2, 250, tail=alt((("A", 240, 3.9), ("B", 250, 3.8), ("B", 250, 3.8), ("A", 260, 3.9),
                                                     ("A", 200, 4.1), ("B", 190, 4.2), ("B", 190, 4.2), ("A", 200, 4.1)),
                                                    (1.0, 0.95)))
        text = self.table()
        self.assertIn("NXDOMAIN (`c999 A`) / local names max QPS, Berth, separate runs (no verdict: see the alternating runs), "
                      "median of 2 paired ratios (one repetition each): **0.90** (0.90–0.90; 0.90, 0.90).", text)
        self.assertIn("- DnsLoad (-q 100): NXDOMAIN (`c999 A`) / local names, one client alternating phases local, NX, NX, local, "
                      "... (2 runs, 3 blocks of four phases), median of the blocks' NX / local QPS: **1.000** "
                      "(95 % interval – (too few blocks); range 0.950–1.000; 1.000, 1.000, 0.950) → target ≥ 1.0 **met**; median phase: local 245 QPS, 3.95 µs server "
                      "CPU per answer, NX 248 QPS, 3.85 µs; rcodes (first run): local NOERROR 900 (100.00%), NX NXDOMAIN 950 (100.00%).",
                      text)

    def test_dnsperf_ratios_leave_the_verdict_to_dnsload_when_its_rows_ran(self):
        self.run_("Berth", "max", 1, 120)
        self.run_("Berth", "nxmax", 1, 118)
        self.run_("dnsmasq", "max", 1, 110)
        text = self.table()
        self.assertIn("local names, same run): 120 / 110 = **1.09** → target ≥ 1.5 **NOT met**.", text)
        self.assertIn("local names max, Berth: 118 / 120 = **0.98** → target ≥ 1.0 **NOT met**.", text)
        for rep in (1, 2):
            self.run_("Berth", "lmax", rep, 250)
            self.run_("dnsmasq", "lmax", rep, 150)
        self.run_("Berth", "lalt", 1, 250, tail="ALT_PHASE 1 A qps=250\nALT_BLOCK 1 b_over_a=1.0\n")
        text = self.table()
        self.assertIn("local names, same run): 120 / 110 = **1.09** (dnsperf is the ceiling of both: no verdict, "
                      "DnsLoad's lines below carry it).", text)
        self.assertIn("local names max, Berth: 118 / 120 = **0.98** (dnsperf is the ceiling of both", text)

    def test_the_nx_verdict_takes_a_median_below_one_whose_interval_holds_one_as_equal(self):
        self.assertEqual(dnsbench.median_ci([float(x) for x in range(20)]), (5.0, 14.0))  # n = 20: x(6), x(15)
        self.assertIsNone(dnsbench.median_ci([1.0] * 5))  # P(all five on one side) = 1/32 > 2.5 %
        equal = [0.97, 0.98, 0.99, 0.995, 0.998, 1.001, 1.01, 1.02]
        self.assertEqual(dnsbench.median_ci(equal), (0.97, 1.02))
        self.assertEqual(dnsbench.nx_verdict(dnsbench.med(equal), dnsbench.median_ci(equal)),
                         "met: equal within the run's resolution (the interval holds 1.0)")
        slower = [0.95, 0.96, 0.97, 0.97, 0.98, 0.98, 0.99, 0.99]
        self.assertEqual(dnsbench.nx_verdict(dnsbench.med(slower), dnsbench.median_ci(slower)), "NOT met")
        self.assertEqual(dnsbench.nx_verdict(1.0, None), "met")
        self.assertEqual(dnsbench.nx_verdict(0.999, None), "NOT met")

    def test_the_answer_path_line_gives_both_paths_and_their_ratio_without_a_verdict(self):
        path = os.path.join(self.dir.name, "answer-path.json")
        result = lambda name, score, error: {
            "benchmark": "dev.berth.daemon.dns.AnswerPathBench." + name, "forks": 3, "measurementIterations": 10,
            "measurementTime": "1 s", "primaryMetric": {"score": score, "scoreError": error, "scoreUnit": "ns/op"}}
        with open(path, "w") as f:
            json.dump([result("local", 52.0, 1.5), result("nx", 46.8, "NaN")], f)
        line = dnsbench.answer_path_line(path)
        self.assertIn("3 × 10 of 1 s", line)
        self.assertIn("local names **52.0** ± 1.5 ns, NX **46.8** ± nan ns", line)
        self.assertIn("NX / local time **0.90**", line)
        self.assertNotIn("met", line)
        with open(path, "w") as f:
            json.dump([result("local", 52.0, 1.5)], f)
        self.assertEqual(dnsbench.answer_path_line(path), "- AnswerPathBench: no result for nx.")
        self.run_("Berth", "lmax", 1, 200000)
        out = io.StringIO()
        with contextlib.redirect_stdout(out), \
                unittest.mock.patch.object(sys, "argv", ["dnsbench.py", "--answer-path", path, self.tsv]):
            dnsbench.main()
        self.assertIn("- AnswerPathBench: no result for nx.", out.getvalue())


if __name__ == "__main__":
    unittest.main()
