package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the embedded DNS relays from upstream, end to end: a DNS server in the upstream namespace
 * that answers {@code big.example} with 200 A records (3229 bytes, over UDP whatever the client's
 * size, as a careless server does), {@code broken.example} with a broken compression pointer, and
 * logs every query it sees. {@code dig} in sandboxes gets a TC answer within its size, then the
 * whole answer over TCP, and SERVFAIL for garbage; a sandbox only on an internal network sends the
 * upstream no query at all (CVE-2024-29018), one on a normal network does.
 */
@ExtendWith(TestbedExtension.class)
class DnsUpstreamIT {
    private static final String UPSTREAM = """
            import socket, struct, sys, threading
            log = open(sys.argv[1], "a", buffering=1)

            def answer(q, proto):
                i, labels = 12, []
                while q[i] != 0:
                    labels.append(q[i + 1:i + 1 + q[i]].decode("ascii", "replace"))
                    i += q[i] + 1
                name, qtype = ".".join(labels).lower(), struct.unpack(">H", q[i + 1:i + 3])[0]
                log.write(proto + " " + name + " " + str(qtype) + "\\n")
                question = q[12:i + 5]
                head = lambda flags, n: q[:2] + struct.pack(">HHHHH", flags, 1, n, 0, 0)
                rr = lambda pointer, addr: pointer + struct.pack(">HHIH", 1, 1, 60, 4) + bytes(addr)
                if name == "big.example" and qtype == 1:
                    return head(0x8180, 200) + question + b"".join(
                        rr(b"\\xc0\\x0c", [198, 51, 100, n % 250 + 1]) for n in range(200))
                if name == "broken.example":
                    return head(0x8180, 1) + question + rr(b"\\xc0\\xff", [203, 0, 113, 8])
                if name.startswith("fwd") and qtype == 1:
                    return head(0x8180, 1) + question + rr(b"\\xc0\\x0c", [203, 0, 113, 7])
                return head(0x8183, 0) + question

            def tcp(conn):
                with conn:
                    while True:
                        n = conn.recv(2, socket.MSG_WAITALL)
                        if len(n) < 2:
                            return
                        q = conn.recv(struct.unpack(">H", n)[0], socket.MSG_WAITALL)
                        r = answer(q, "tcp")
                        conn.sendall(struct.pack(">H", len(r)) + r)

            def serve_tcp(s):
                while True:
                    c, _ = s.accept()
                    threading.Thread(target=tcp, args=(c,), daemon=True).start()

            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            u.bind(("198.51.100.1", 53))
            t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            t.bind(("198.51.100.1", 53))
            t.listen(16)
            threading.Thread(target=serve_tcp, args=(t,), daemon=True).start()
            log.write("ready\\n")
            while True:
                q, a = u.recvfrom(4096)
                u.sendto(answer(q, "udp"), a)
            """;

    private static final Pattern SIZE = Pattern.compile("MSG SIZE\\s+rcvd: (\\d+)");
    private static final Pattern FLAGS = Pattern.compile(";; flags:([a-z ]*);");
    private static final Pattern ANSWER = Pattern.compile("ANSWER: (\\d+)");

    /**
     * Starts the fake upstream DNS server at {@link HostFixture#UPSTREAM_V4} in the upstream
     * namespace, its query log at {@code log}; the caller stops it ({@link #stop}).
     */
    static Process startUpstream(Testbed bed, Path log) throws Exception {
        Path script = bed.dir().resolve("upstream.py");
        Files.writeString(script, UPSTREAM);
        Process p = new ProcessBuilder(HostFixture.inNamespace(bed.host().upstreamNs(), "python3", script.toString(),
                log.toString())).redirectErrorStream(true).redirectOutput(bed.dir().resolve("upstream.out").toFile())
                .start();
        for (int i = 0; i < 100 && !(Files.exists(log) && Files.readString(log).contains("ready")); i++) {
            Thread.sleep(50);
        }
        if (!Files.readString(log).contains("ready")) {
            stop(p);
            throw new AssertionError("the fake upstream did not start");
        }
        return p;
    }

    /** Starts the fake upstream (its query log at {@code log}), then the daemon with it as its DNS server. */
    private static Process startUpstreamAndDaemon(Testbed bed, Path log) throws Exception {
        Process p = startUpstream(bed, log);
        try {
            bed.daemon().writeConfig("{\"dns\": [\"" + HostFixture.UPSTREAM_V4 + "\"]}\n");
            bed.daemon().start();
        } catch (RuntimeException | Error e) {
            stop(p);
            throw e;
        }
        return p;
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    static String dig(Testbed bed, Path netns, String... query) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + netns, "dig", "@127.0.0.11",
                "+time=5", "+tries=1"));
        argv.addAll(List.of(query));
        CommandResult r = bed.run(argv).assertSuccess();
        assertFalse(r.stdout().contains("bad packet") || r.stdout().contains("Warning"), r.stdout());
        return r.stdout();
    }

    private static int number(Pattern p, String out) {
        Matcher m = p.matcher(out);
        assertTrue(m.find(), out);
        return Integer.parseInt(m.group(1));
    }

    private static boolean tc(String out) {
        Matcher m = FLAGS.matcher(out);
        assertTrue(m.find(), out);
        return List.of(m.group(1).trim().split(" ")).contains("tc");
    }

    static String status(String out) {
        int at = out.indexOf("status: ");
        assertTrue(at >= 0, out);
        return out.substring(at + 8, out.indexOf(',', at));
    }

    static List<String> queriesSeen(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> !l.equals("ready")).toList();
    }

    @Test
    void bigAnswersAreTruncatedForUdpClientsAndGarbageGetsServfail(Testbed bed) throws Exception {
        Path log = bed.dir().resolve("upstream.log");
        Process upstream = startUpstreamAndDaemon(bed, log);
        try {
            bed.docker().ok("network", "create", "--subnet", "172.30.0.0/24", "net1");
            Path c1 = DnsIT.create(bed, "c1", "--network", "net1");

            String plain = dig(bed, c1, "+noedns", "+ignore", "big.example");
            assertTrue(tc(plain), plain);
            assertTrue(number(SIZE, plain) <= 512, plain);
            assertTrue(number(ANSWER, plain) > 0, "as many records as fit: " + plain);

            String sized = dig(bed, c1, "+bufsize=1232", "+ignore", "big.example");
            assertTrue(tc(sized), sized);
            assertTrue(number(SIZE, sized) <= 1232 && number(SIZE, sized) > 512, sized);

            String retried = dig(bed, c1, "+noedns", "big.example");
            assertTrue(retried.contains("Truncated, retrying in TCP mode"), retried);
            assertEquals(200, number(ANSWER, retried), retried);
            assertFalse(tc(retried), retried);
            String tcp = dig(bed, c1, "+tcp", "big.example");
            assertEquals(200, number(ANSWER, tcp), tcp);
            assertEquals(3229, number(SIZE, tcp), "over TCP the whole answer, records as the upstream sent them");

            assertEquals("SERVFAIL", status(dig(bed, c1, "broken.example")));
            assertEquals("SERVFAIL", status(dig(bed, c1, "+tcp", "broken.example")));
            assertEquals("NXDOMAIN", status(dig(bed, c1, "nope.example")), "the server still answers after garbage");
        } finally {
            stop(upstream);
        }
    }

    @Test
    void aSandboxOnlyOnAnInternalNetworkSendsNoQueryUpstream(Testbed bed) throws Exception {
        Path log = bed.dir().resolve("upstream.log");
        Process upstream = startUpstreamAndDaemon(bed, log);
        try {
            bed.docker().ok("network", "create", "--internal", "--subnet", "172.30.1.0/24", "inside");
            bed.docker().ok("network", "create", "--subnet", "172.30.2.0/24", "outside");
            Path in = DnsIT.create(bed, "in", "--network", "inside");
            Path out = DnsIT.create(bed, "out", "--network", "outside");
            DnsIT.create(bed, "peer", "--network", "inside");

            assertEquals(List.of("172.30.1.3"), List.of(dig(bed, in, "+short", "peer").strip().split("\n")),
                    "names on the internal network still resolve");
            assertEquals("SERVFAIL", status(dig(bed, in, "leak1.example")));
            assertEquals("SERVFAIL", status(dig(bed, in, "+tcp", "leak2.example")));
            assertEquals("SERVFAIL", status(dig(bed, in, "TXT", "leak3.example")));
            assertEquals("SERVFAIL", status(dig(bed, in, "-x", "203.0.113.99")));
            assertEquals("SERVFAIL", status(dig(bed, in, "+noedns", "big.example")));
            assertEquals(List.of(), queriesSeen(log), "the internal-only sandbox reached the upstream");

            assertEquals("NOERROR", status(dig(bed, out, "fwd1.example")));
            assertEquals(List.of("udp fwd1.example 1"), queriesSeen(log), "a normal network forwards");

            bed.docker().ok("network", "connect", "outside", "in");
            assertEquals("NOERROR", status(dig(bed, in, "fwd2.example")));
            bed.docker().ok("network", "disconnect", "outside", "in");
            assertEquals("SERVFAIL", status(dig(bed, in, "leak4.example")));
            assertEquals(List.of("udp fwd1.example 1", "udp fwd2.example 1"), queriesSeen(log),
                    "forwarding follows the networks: on with an external one, off again without");
        } finally {
            stop(upstream);
        }
    }
}
