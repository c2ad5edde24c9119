package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a sandbox must not reach, tried with real traffic: the host's loopback services (the
 * route_localnet class of attacks: CVE-2020-8558, and ports published on 127.0.0.1), and the
 * sandboxes of other networks (IPv4 and IPv6). Each refusal is paired with a control that
 * shows the same path does carry traffic when it is allowed, so a broken setup cannot pass.
 *
 * <p>Other networks' gateway addresses are the host's own addresses: as with Docker (whose
 * rules hook no input chain: moby's integration/network/bridge/nftablesdoc), a sandbox reaches a host
 * service on them exactly as it does through its own gateway; {@link #otherNetworksGatewayIsTheHostAsInDocker}
 * pins that behaviour down.
 */
@ExtendWith(TestbedExtension.class)
class IsolationTrafficIT {
    private static final Pattern HANDLE = Pattern.compile("iifname @bridges ip daddr 127\\.0\\.0\\.0/8 drop # handle (\\d+)");

    private static Path create(Testbed bed, String name, String... args) {
        return Box.create(bed, name, args).netns();
    }

    private static CommandResult in(Testbed bed, Path netns, String... command) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + netns));
        argv.addAll(List.of(command));
        return bed.run(argv);
    }

    private static void networks(Testbed bed) {
        bed.docker().ok("network", "create", "--subnet", "10.88.1.0/24", "--ipv6", "--subnet", "fd00:88:1::/64", "sa");
        bed.docker().ok("network", "create", "--subnet", "10.88.2.0/24", "--ipv6", "--subnet", "fd00:88:2::/64", "sb");
    }

    @Test
    void aSandboxCannotReachTheHostsLoopbackServices(Testbed bed) throws Exception {
        bed.daemon().start();
        networks(bed);
        Path a1 = create(bed, "a1", "--network", "sa", "--ip", "10.88.1.2");
        Path b1 = create(bed, "b1", "--network", "sb", "--ip", "10.88.2.2", "-p", "127.0.0.1:8080:7003");
        Path host = Traffic.named(bed.host().hostNs());
        try (Traffic t = new Traffic(bed)) {
            t.serve(host, "127.0.0.1", 7001);
            t.serve(host, "127.0.0.53", 7001);
            t.serve(b1, 7003);
            // the published port works from the host itself
            String viaPublished = t.connectWithin(host, "127.0.0.1", 8080, 3);
            assertFalse(viaPublished.startsWith("FAIL"), viaPublished);

            // The attack: a1 (root in its own namespace) sends to 127/8 through its gateway.
            in(bed, a1, "ip", "addr", "del", "127.0.0.1/8", "dev", "lo").assertSuccess();
            in(bed, a1, "ip", "route", "add", "127.0.0.0/8", "via", "10.88.1.1", "dev", "eth0").assertSuccess();
            in(bed, a1, "sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1", "net.ipv4.conf.eth0.route_localnet=1")
                    .assertSuccess();
            assertTrue(t.connect(a1, "127.0.0.1", 7001).startsWith("FAIL"), "host 127.0.0.1 service reached");
            assertTrue(t.connect(a1, "127.0.0.53", 7001).startsWith("FAIL"), "host 127.0.0.53 service reached");
            assertTrue(t.connect(a1, "127.0.0.1", 8080).startsWith("FAIL"), "port published on 127.0.0.1 reached");

            // Control: without Berth's guard rule the very same packets do reach the host's
            // loopback service (the bridge has route_localnet=1 for 127.0.0.1 bindings).
            String table = bed.run(List.of("nsenter", "--net=" + host, "nft", "-a", "list", "chain", "inet", "berth",
                    "guard")).assertSuccess().stdout();
            Matcher handle = HANDLE.matcher(table);
            assertTrue(handle.find(), table);
            bed.run(List.of("nsenter", "--net=" + host, "nft", "delete", "rule", "inet", "berth", "guard", "handle",
                    handle.group(1))).assertSuccess();
            assertEquals("10.88.1.2", t.connectWithin(a1, "127.0.0.1", 7001, 3), "control: the attack path works");
        }
    }

    @Test
    void aSandboxCannotReachAnotherNetworksSandboxes(Testbed bed) throws Exception {
        bed.daemon().start();
        networks(bed);
        Path a1 = create(bed, "a1", "--network", "sa", "--ip", "10.88.1.2", "--ip6", "fd00:88:1::2");
        Path a2 = create(bed, "a2", "--network", "sa", "--ip", "10.88.1.3", "--ip6", "fd00:88:1::3");
        Path b1 = create(bed, "b1", "--network", "sb", "--ip", "10.88.2.2", "--ip6", "fd00:88:2::2");
        try (Traffic t = new Traffic(bed)) {
            t.serve(b1, 7003);
            t.serve(a2, 7003);
            // controls: same network, and the host, reach them
            assertEquals("10.88.1.2", t.connectWithin(a1, "10.88.1.3", 7003, 3));
            assertEquals("fd00:88:1::2", t.connectWithin(a1, "fd00:88:1::3", 7003, 3));
            assertEquals("10.88.2.1", t.connectWithin(Traffic.named(bed.host().hostNs()), "10.88.2.2", 7003, 3));

            assertTrue(t.connect(a1, "10.88.2.2", 7003).startsWith("FAIL"), "other network's sandbox reached (v4)");
            assertTrue(t.connect(a1, "fd00:88:2::2", 7003).startsWith("FAIL"), "other network's sandbox reached (v6)");
            assertFalse(t.ping(a1, "10.88.2.2"), "ping to another network's sandbox");
            assertFalse(t.ping(a1, "fd00:88:2::2"), "ping6 to another network's sandbox");
            assertTrue(t.connect(b1, "10.88.1.3", 7003).startsWith("FAIL"), "the other way round");
            // a sandbox that adds its own route through its gateway gets nowhere either
            in(bed, a1, "ip", "route", "add", "10.88.2.0/24", "via", "10.88.1.1").assertSuccess();
            assertTrue(t.connect(a1, "10.88.2.2", 7003).startsWith("FAIL"), "reached with an explicit route");
        }
    }

    @Test
    void otherNetworksGatewayIsTheHostAsInDocker(Testbed bed) throws Exception {
        bed.daemon().start();
        networks(bed);
        Path a1 = create(bed, "a1", "--network", "sa", "--ip", "10.88.1.2");
        Path host = Traffic.named(bed.host().hostNs());
        try (Traffic t = new Traffic(bed)) {
            t.serve(host, 7005); // a host service on every address
            assertEquals("10.88.1.2", t.connectWithin(a1, "10.88.1.1", 7005, 3), "own gateway");
            assertEquals("10.88.1.2", t.connectWithin(a1, "10.88.2.1", 7005, 3), "other network's gateway");
        }
    }
}
