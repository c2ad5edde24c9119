package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The embedded DNS server end to end: {@code dig @127.0.0.11} inside sandboxes (through the NAT
 * to the daemon's sockets in that namespace), names, aliases, AAAA, PTR, network scoping, the
 * default bridge without a resolver, and forwarding to a DNS server in the upstream namespace.
 */
@ExtendWith(TestbedExtension.class)
class DnsIT {
    /** Answers {@code ext.example A} with 203.0.113.7 and NXDOMAIN for everything else. */
    private static final String RESPONDER = """
            import socket, struct
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("198.51.100.1", 53))
            while True:
                q, a = s.recvfrom(4096)
                i = 12
                while q[i] != 0:
                    i += q[i] + 1
                qtype = struct.unpack(">H", q[i + 1:i + 3])[0]
                known = q[12:i + 1] == b"\\x03ext\\x07example\\x00" and qtype == 1
                r = q[:2] + struct.pack(">HHHHH", 0x8180 if known else 0x8183, 1, 1 if known else 0, 0, 0) + q[12:i + 5]
                if known:
                    r += b"\\xc0\\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton("203.0.113.7")
                s.sendto(r, a)
            """;

    /** Creates a sandbox with {@code docker create}; returns the path of its network namespace. */
    static Path create(Testbed bed, String name, String... networkArgs) {
        return Box.create(bed, name, networkArgs).netns();
    }

    private static CommandResult dig(Testbed bed, Path netns, String... query) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + netns, "dig", "@127.0.0.11",
                "+time=2", "+tries=1"));
        argv.addAll(List.of(query));
        return bed.run(argv);
    }

    private static List<String> answers(Testbed bed, Path netns, String... query) {
        List<String> args = new ArrayList<>(List.of(query));
        args.add("+short");
        return dig(bed, netns, args.toArray(String[]::new)).assertSuccess().lines().stream()
                .filter(l -> !l.isBlank()).sorted().toList();
    }

    private static String status(Testbed bed, Path netns, String... query) {
        String out = dig(bed, netns, query).assertSuccess().stdout();
        int at = out.indexOf("status: ");
        assertTrue(at >= 0, out);
        return out.substring(at + 8, out.indexOf(',', at));
    }

    @Test
    void sandboxesResolveTheirPeersAndForwardTheRest(Testbed bed) throws Exception {
        Path script = bed.dir().resolve("responder.py");
        Files.writeString(script, RESPONDER);
        Process responder = new ProcessBuilder(HostFixture.inNamespace(bed.host().upstreamNs(), "python3",
                script.toString())).redirectErrorStream(true).redirectOutput(bed.dir().resolve("responder.log").toFile())
                .start();
        try {
            bed.daemon().writeConfig("{\"dns\": [\"" + HostFixture.UPSTREAM_V4 + "\"]}\n");
            bed.daemon().start();
            bed.docker().ok("network", "create", "--ipv6", "--subnet", "172.30.0.0/24", "--subnet",
                    "fd00:30::/64", "net1");
            bed.docker().ok("network", "create", "--subnet", "172.31.0.0/24", "net2");
            Path c1 = create(bed, "c1", "--network", "net1");
            create(bed, "c2", "--network", "net1", "--network-alias", "db");
            create(bed, "c3", "--network", "net2");
            Path legacy = create(bed, "c4");

            assertEquals(List.of("172.30.0.3"), answers(bed, c1, "c2"));
            assertEquals(List.of("172.30.0.3"), answers(bed, c1, "db"));
            assertEquals(List.of("172.30.0.3"), answers(bed, c1, "c2.net1"));
            assertEquals(List.of("fd00:30::3"), answers(bed, c1, "AAAA", "c2"));
            assertEquals(List.of("c2.net1."), answers(bed, c1, "-x", "172.30.0.3"));
            assertEquals(List.of("172.30.0.3"), answers(bed, c1, "+tcp", "c2"));
            assertEquals("NXDOMAIN", status(bed, c1, "c3"));
            assertEquals(List.of("203.0.113.7"), answers(bed, c1, "ext.example"));
            assertEquals("NXDOMAIN", status(bed, c1, "nope.example"));
            assertNotEquals(0, dig(bed, legacy, "c2").exitCode(), "the default bridge has no resolver");

            bed.docker().ok("network", "disconnect", "net1", "c2");
            assertEquals("NXDOMAIN", status(bed, c1, "c2"));
            bed.docker().ok("network", "connect", "--alias", "again", "net1", "c2");
            assertEquals(1, answers(bed, c1, "again").size());
            bed.daemon().restart();
            assertEquals(1, answers(bed, c1, "again").size(), "listeners and redirect re-made after a restart");
            assertEquals(List.of("203.0.113.7"), answers(bed, c1, "ext.example"));
            bed.docker().ok("rm", "-f", "c2");
            assertEquals("NXDOMAIN", status(bed, c1, "again"));
        } finally {
            responder.destroy();
            if (!responder.waitFor(5, TimeUnit.SECONDS)) {
                responder.destroyForcibly();
            }
        }
    }

    /**
     * A restart with more sandboxes than a {@code select()} takes descriptors (each holds five or
     * more: namespace, rtnetlink socket, three DNS sockets): every sandbox's listener is opened
     * again, none refused for want of a low descriptor (the start-up pass once lost ~95 % of them
     * that way at 1000 sandboxes), and names answer in the first, a middle and the last sandbox.
     */
    @Test
    void everySandboxAnswersAfterARestartPastTheDescriptorLimitOfSelect(Testbed bed) throws Exception {
        int n = 300;
        bed.daemon().start();
        dev.berth.it.fixture.UnixHttpClient api = new dev.berth.it.fixture.UnixHttpClient(bed.daemon().socket(),
                java.time.Duration.ofSeconds(120));
        assertEquals(201, LoadIT.post(api, "/v1.50/networks/create",
                "{\"Name\":\"many\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.78.0.0/22\"}]}}").status());
        try (java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<Integer>> creates = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                String name = "m" + i;
                creates.add(pool.submit(() -> LoadIT.post(api, "/v1.50/containers/create?name=" + name,
                        "{\"Image\":\"\",\"HostConfig\":{\"NetworkMode\":\"many\"}}").status()));
            }
            for (var f : creates) {
                assertEquals(201, f.get());
            }
        }
        bed.daemon().restart();
        assertTrue(bed.daemon().stderr().lines().noneMatch(l -> l.contains("open DNS listener")),
                () -> bed.daemon().stderr().lines().filter(l -> l.contains("open DNS listener")).limit(3).toList().toString());
        for (int i : new int[] {1, n / 2, n}) {
            Path netns = Path.of(bed.docker().ok("inspect", "-f", "{{.NetworkSettings.SandboxKey}}", "m" + i).stdout().strip());
            String other = "m" + (i == n ? 1 : i + 1);
            String ip = bed.docker().ok("inspect", "-f", "{{.NetworkSettings.Networks.many.IPAddress}}", other).stdout().strip();
            assertEquals(List.of(ip), answers(bed, netns, other), "m" + i + " resolves " + other + " after the restart");
        }
    }
}
