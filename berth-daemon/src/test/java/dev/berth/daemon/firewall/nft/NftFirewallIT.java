package dev.berth.daemon.firewall.nft;

import static dev.berth.daemon.firewall.nft.TestNetworks.bridge;
import static dev.berth.daemon.firewall.nft.TestNetworks.port;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.spi.Firewall.SandboxPorts;
import dev.berth.kernel.netns.NetNs;
import dev.berth.kernel.nftables.NftContext;

/**
 * NftFirewall applied inside a throwaway host namespace, proved with real traffic.
 *
 * <pre>
 *  a1 10.88.1.2 ─┐                        ┌─ b1 10.88.2.2
 *  a2 10.88.1.3 ─┴ br-a (icc)   host   br-b (icc=false) ┴─ b2 10.88.2.3
 *                  br-i (internal) ─ i1 10.88.3.2
 *                  eth0 198.51.100.2 ── upstream eth0 198.51.100.1 (+ 2001:db8::/64)
 * </pre>
 * a1 publishes tcp 8080 (v4 and v6, any address) and 127.0.0.1:8081 to its port 80.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NftFirewallIT {
    private static final Network NET_A = bridge("neta", "br-a", false, Map.of(), "10.88.1.0/24", "fd00:88:1::/64");
    private static final Network NET_B = bridge("netb", "br-b", false,
            Map.of(PredefinedNetworks.OPT_ENABLE_ICC, "false"), "10.88.2.0/24", "fd00:88:2::/64");
    private static final Network NET_I = bridge("neti", "br-i", true, Map.of(), "10.88.3.0/24", "fd00:88:3::/64");
    private static final SandboxPorts A1_PORTS = new SandboxPorts("ep-a1", NET_A, List.of(
            port("tcp", "0.0.0.0", 8080, "10.88.1.2", 80),
            port("tcp", "::", 8080, "fd00:88:1::2", 80),
            port("tcp", "127.0.0.1", 8081, "10.88.1.2", 80)));

    private final Topology topo = new Topology();
    private String host;
    private String upstream;
    private String a1;
    private String a2;
    private String b1;
    private String b2;
    private String i1;
    private NftContext nft;
    private NftFirewall firewall;

    @BeforeAll
    void buildTopology() {
        try {
            host = topo.namespace("h");
            upstream = topo.namespace("u");
            topo.uplink(host, upstream);
            topo.bridge(host, "br-a", "10.88.1.1/24", "fd00:88:1::1/64");
            topo.bridge(host, "br-b", "10.88.2.1/24", "fd00:88:2::1/64");
            topo.bridge(host, "br-i", "10.88.3.1/24", "fd00:88:3::1/64");
            a1 = topo.sandbox("a1", host, "br-a", "10.88.1.2/24", "10.88.1.1", "fd00:88:1::2/64", "fd00:88:1::1");
            a2 = topo.sandbox("a2", host, "br-a", "10.88.1.3/24", "10.88.1.1", "fd00:88:1::3/64", "fd00:88:1::1");
            b1 = topo.sandbox("b1", host, "br-b", "10.88.2.2/24", "10.88.2.1", "fd00:88:2::2/64", "fd00:88:2::1");
            b2 = topo.sandbox("b2", host, "br-b", "10.88.2.3/24", "10.88.2.1", "fd00:88:2::3/64", "fd00:88:2::1");
            i1 = topo.sandbox("i1", host, "br-i", "10.88.3.2/24", "10.88.3.1", "fd00:88:3::2/64", "fd00:88:3::1");
            for (Network n : List.of(NET_A, NET_B, NET_I)) {
                NftFirewall.requiredSysctls(n).forEach((k, v) -> topo.exec(host, "sysctl", "-q", "-w", k + "=" + v));
            }
            try (NetNs ns = NetNs.open(Path.of("/run/netns", host))) {
                nft = ns.call(NftContext::open);
            }
            firewall = new NftFirewall(nft);
            firewall.rebuild(List.of(NET_A, NET_B, NET_I), List.of(A1_PORTS));
            topo.peerServer(a1, 80);
            topo.peerServer(a2, 80);
            topo.peerServer(upstream, 9000);
        } catch (RuntimeException | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    void tearDown() {
        try {
            if (nft != null) {
                nft.close();
            }
        } finally {
            topo.close();
        }
    }

    @Test
    void sameNetworkTrafficFlows() {
        assertTrue(topo.ping(a1, "10.88.1.3", 3));
        assertTrue(topo.ping(a1, "fd00:88:1::3", 3));
        assertEquals("10.88.1.2", topo.connect(a1, "10.88.1.3", 80).replace("FAIL", "FAIL from a2"), "a2 sees a1");
    }

    @Test
    void networksAreIsolatedBothWays() {
        assertTrue(topo.ping(a1, "10.88.1.1", 3), "gateway reachable");
        assertFalse(topo.ping(a1, "10.88.2.2", 1));
        assertFalse(topo.ping(b1, "10.88.1.2", 1));
        assertFalse(topo.ping(a1, "fd00:88:2::2", 1));
        assertFalse(topo.ping(b1, "fd00:88:1::2", 1));
    }

    @Test
    void iccFalseBlocksSameBridgeButNotTheGateway() {
        assertTrue(topo.ping(b1, "10.88.2.1", 3));
        assertFalse(topo.ping(b1, "10.88.2.3", 1));
        assertFalse(topo.ping(b2, "fd00:88:2::2", 1));
    }

    @Test
    void internalNetworkNeitherLeavesNorIsEntered() {
        assertTrue(topo.ping(i1, "10.88.3.1", 3), "the host reaches its internal gateway");
        assertFalse(topo.ping(i1, "198.51.100.1", 1));
        assertFalse(topo.ping(i1, "2001:db8::1", 1));
        assertFalse(topo.ping(a1, "10.88.3.2", 1));
    }

    @Test
    void outboundTrafficIsMasqueradedToTheUplinkAddress() {
        assertEquals("198.51.100.2", topo.connect(a1, "198.51.100.1", 9000));
        assertEquals("2001:db8::2", topo.connect(a1, "2001:db8::1", 9000), "ULA v6 is masqueraded too");
    }

    @Test
    void publishedPortReachableFromUpstreamHostAndHairpin() {
        assertEquals("198.51.100.1", topo.connect(upstream, "198.51.100.2", 8080), "client address kept");
        assertEquals("2001:db8::1", topo.connect(upstream, "2001:db8::2", 8080));
        assertEquals("198.51.100.2", topo.connect(host, "198.51.100.2", 8080), "from the host itself");
        assertEquals("10.88.1.1", topo.connect(host, "127.0.0.1", 8081), "127.0.0.1 binding via route_localnet");
        assertEquals("10.88.1.1", topo.connect(a2, "198.51.100.2", 8080), "hairpin from the same bridge");
    }

    /**
     * A sandbox reaching its own published port: with br_netfilter the DNATed frame is bridged
     * back out of the port it came in on, which the bridge only does with hairpin mode on that
     * port (the driver's job, as in Docker without userland proxy); the rules need nothing more.
     */
    @Test
    void hairpinToItselfNeedsHairpinModeOnThePort() {
        assertTrue(topo.connect(a1, "198.51.100.2", 8080).startsWith("FAIL"), "without hairpin mode");
        topo.must("ip", "-n", host, "link", "set", "va1", "type", "bridge_slave", "hairpin", "on");
        try {
            assertEquals("10.88.1.1", topo.connect(a1, "198.51.100.2", 8080), "hairpin to itself, masqueraded");
        } finally {
            topo.must("ip", "-n", host, "link", "set", "va1", "type", "bridge_slave", "hairpin", "off");
        }
        assertTrue(topo.connect(upstream, "198.51.100.2", 8081).startsWith("FAIL"), "8081 is bound to 127.0.0.1 only");
    }

    @Test
    void unpublishedPortsAreNotReachableEvenWithARoute() {
        topo.must("ip", "-n", upstream, "route", "add", "10.88.1.0/24", "via", "198.51.100.2");
        topo.must("ip", "-n", upstream, "-6", "route", "add", "fd00:88:1::/64", "via", "2001:db8::2");
        try {
            assertTrue(topo.connect(upstream, "10.88.1.2", 80).startsWith("FAIL"));
            assertTrue(topo.connect(upstream, "fd00:88:1::2", 80).startsWith("FAIL"));
            assertFalse(topo.ping(upstream, "10.88.1.2", 1));
        } finally {
            topo.run("ip", "-n", upstream, "route", "del", "10.88.1.0/24");
            topo.run("ip", "-n", upstream, "-6", "route", "del", "fd00:88:1::/64");
        }
    }

    @Test
    void unpublishAndPublishChangeReachability() {
        try {
            firewall.unpublish("ep-a1");
            assertTrue(topo.connect(upstream, "198.51.100.2", 8080).startsWith("FAIL"));
        } finally {
            firewall.publish(A1_PORTS);
        }
        assertEquals("198.51.100.1", topo.connect(upstream, "198.51.100.2", 8080));
    }

    @Test
    void userChainRunsFirstAndSurvivesRebuild() {
        topo.must("ip", "netns", "exec", host, "nft", "add", "rule", "inet", "berth", "user",
                "ip", "daddr", "198.51.100.1", "tcp", "dport", "9000", "drop");
        try {
            assertTrue(topo.connect(a1, "198.51.100.1", 9000).startsWith("FAIL"));
            firewall.rebuild(List.of(NET_A, NET_B, NET_I), List.of(A1_PORTS));
            assertTrue(topo.connect(a1, "198.51.100.1", 9000).startsWith("FAIL"), "user rule kept by rebuild");
            assertEquals("198.51.100.1", topo.connect(upstream, "198.51.100.2", 8080), "rebuild restored ports");
        } finally {
            topo.must("ip", "netns", "exec", host, "nft", "flush", "chain", "inet", "berth", "user");
        }
        assertEquals("198.51.100.2", topo.connect(a1, "198.51.100.1", 9000));
    }

    @Test
    void removingANetworkRemovesExactlyItsElements() {
        String before = topo.must("ip", "netns", "exec", host, "nft", "-j", "list", "table", "inet", "berth");
        Network extra = bridge("netx", "br-x", false, Map.of(), "10.88.9.0/24", "fd00:88:9::/64");
        firewall.ensureNetwork(extra);
        String with = topo.must("ip", "netns", "exec", host, "nft", "-j", "list", "table", "inet", "berth");
        assertTrue(with.contains("br-x") && with.contains("10.88.9.0"), with);
        firewall.removeNetwork(extra);
        firewall.removeNetwork(extra);
        assertEquals(before, topo.must("ip", "netns", "exec", host, "nft", "-j", "list", "table", "inet", "berth"));
    }

    @Test
    void driftSeesAFlushedOrDeletedTableAndARebuildClearsIt() {
        assertEquals(List.of(), firewall.drift(), "as built");
        topo.exec(host, "nft", "flush", "table", "inet", "berth");
        try {
            assertFalse(firewall.drift().isEmpty(), "flushed");
            topo.exec(host, "nft", "delete", "table", "inet", "berth");
            assertFalse(firewall.drift().isEmpty(), "deleted");
        } finally {
            firewall.rebuild(List.of(NET_A, NET_B, NET_I), List.of(A1_PORTS));
        }
        assertEquals(List.of(), firewall.drift(), "after a rebuild");
    }

    @Test
    void theInitialNamespaceIsUntouched() {
        assertNotEquals(0, Topology.run("nft", "list", "table", "inet", "berth").exit());
    }
}
