package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Automatic NDP proxy: a network whose IPv6 subnet (2001:db8::1:0:0:0/80) is a slice of the LAN's
 * prefix (the uplink {@code eth0} has 2001:db8::2/64, the upstream 2001:db8::1/64), in gateway mode
 * {@code routed} or {@code nat-unprotected}. Unlike GatewayModesIT, the upstream has <em>no</em>
 * route to the subnet: it believes the sandbox's address is on the LAN and asks for it by
 * neighbour solicitation, which only the host's proxy entry answers. Entries (neighbour protocol
 * 98) come with endpoints and go with them; start-up removes Berth's stale ones and leaves others'.
 */
@ExtendWith(TestbedExtension.class)
class NdpProxyIT {
    private static final String MODE6 = "com.docker.network.bridge.gateway_mode_ipv6";
    private static final String SUBNET = "2001:db8::1:0:0:0/80";
    private static final String WEB = "2001:db8::1:0:0:2";

    private static Path upstream(Testbed bed) {
        return Traffic.named(bed.host().upstreamNs());
    }

    /** Network {@code name} on {@link #SUBNET} (and an automatic IPv4 subnet) in this IPv6 gateway mode. */
    private static String network(Testbed bed, String name, String mode) {
        return Bridges.create(bed.docker(), "--ipv6", "--subnet", SUBNET, "-o", MODE6 + "=" + mode, name);
    }

    /** The proxy entries of the host namespace, as {@code ip -6 neigh show proxy} prints them, sorted. */
    private static Set<String> proxies(Testbed bed) {
        Set<String> out = new TreeSet<>();
        for (String line : bed.host().ipHost("-6", "neigh", "show", "proxy").lines()) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }

    private static String berths(String address) {
        return address + " dev eth0 proxy proto 98";
    }

    private static String proxyNdp(Testbed bed, String device) {
        return bed.run(HostFixture.inNamespace(bed.host().hostNs(), "cat",
                "/proc/sys/net/ipv6/conf/" + device + "/proxy_ndp")).assertSuccess().stdout().strip();
    }

    /** ping6 from the upstream, with a second try: a proxied solicitation is answered after up to proxy_delay (0.8 s). */
    private static boolean upstreamPings(Traffic t, Testbed bed, String address) {
        return t.ping(upstream(bed), address) || t.ping(upstream(bed), address);
    }

    @Test
    void aRoutedSandboxInsideTheLanPrefixIsReachedThroughTheAutomaticProxy(Testbed bed) throws Exception {
        bed.daemon().start();
        assertEquals("0", proxyNdp(bed, "eth0"));
        network(bed, "rt", "routed");
        Box web = Box.create(bed, "web", "--network", "rt", "--ip6", WEB, "-p", "8080:80");
        assertEquals(Set.of(berths(WEB)), proxies(bed), "the entry exists once the create returned");
        assertEquals("1", proxyNdp(bed, "eth0"));
        String route = bed.run(HostFixture.inNamespace(bed.host().upstreamNs(), "ip", "-6", "route", "get", WEB))
                .assertSuccess().stdout();
        assertFalse(route.contains(" via "), "the upstream has no route to the subnet, only its on-link /64: " + route);

        try (Traffic t = new Traffic(bed)) {
            t.serve(web.netns(), 80);
            t.serve(web.netns(), 81);
            assertTrue(upstreamPings(t, bed, WEB), "ping6 from the LAN");
            assertEquals(HostFixture.UPSTREAM_V6, t.connectWithin(upstream(bed), WEB, 80, 3), "the published port");
            assertTrue(t.connect(upstream(bed), WEB, 81).startsWith("FAIL"), "an unpublished port stays closed");

            Bridges.create(bed.docker(), "--subnet", "10.98.0.0/24", "other");
            bed.docker().ok("network", "connect", "other", "web");
            bed.docker().ok("network", "disconnect", "rt", "web");
            assertEquals(Set.of(), proxies(bed), "gone with the disconnect");
            bed.docker().ok("network", "connect", "--ip6", WEB, "rt", "web");
            assertEquals(Set.of(berths(WEB)), proxies(bed), "back with the connect");
            assertEquals(HostFixture.UPSTREAM_V6, t.connectWithin(upstream(bed), WEB, 80, 3), "reachable again");
        }
        Box.create(bed, "second", "--network", "rt");
        assertEquals(Set.of(berths(WEB), berths("2001:db8::1:0:0:3")), proxies(bed));
        bed.docker().ok("rm", "-f", "web");
        assertEquals(Set.of(berths("2001:db8::1:0:0:3")), proxies(bed), "gone with the sandbox");
        bed.docker().ok("rm", "-f", "second");
        bed.docker().ok("network", "rm", "rt");
        assertEquals(Set.of(), proxies(bed));
        assertEquals("1", proxyNdp(bed, "eth0"), "proxy_ndp stays on: others may rely on it");
    }

    /**
     * A host that got its address by DHCPv6 (a lone /128) and the LAN's prefix from the router's
     * advertisement as an on-link route without an address ({@code proto ra}): the prefix is
     * on-link all the same, so the sandbox is proxied and reached.
     */
    @Test
    void anOnLinkRouteBesideALone128IsALanPrefixToo(Testbed bed) throws Exception {
        bed.host().ipHost("-6", "addr", "del", HostFixture.HOST_V6 + "/64", "dev", HostFixture.UPLINK);
        bed.host().ipHost("-6", "addr", "add", HostFixture.HOST_V6 + "/128", "dev", HostFixture.UPLINK, "nodad");
        bed.host().ipHost("-6", "route", "replace", "2001:db8::/64", "dev", HostFixture.UPLINK, "proto", "ra");
        bed.host().ipHost("-6", "route", "replace", "default", "via", HostFixture.UPSTREAM_V6, "dev", HostFixture.UPLINK);
        bed.daemon().start();
        network(bed, "rt", "routed");
        Box.create(bed, "web", "--network", "rt", "--ip6", WEB);
        assertEquals(Set.of(berths(WEB)), proxies(bed), "the entry exists once the create returned");
        try (Traffic t = new Traffic(bed)) {
            assertTrue(upstreamPings(t, bed, WEB), "ping6 from the LAN");
        }
    }

    @Test
    void natUnprotectedOpensEveryPortThroughTheProxy(Testbed bed) throws Exception {
        bed.daemon().start();
        network(bed, "open", "nat-unprotected");
        Box web = Box.create(bed, "web", "--network", "open", "--ip6", WEB);
        assertEquals(Set.of(berths(WEB)), proxies(bed));
        try (Traffic t = new Traffic(bed)) {
            t.serve(web.netns(), 81);
            assertEquals(HostFixture.UPSTREAM_V6, t.connectWithin(upstream(bed), WEB, 81, 3), "an unpublished port");
        }
    }

    @Test
    void natAndNdpProxyFalseMakeNoEntryAndTheAddressStaysUnreachable(Testbed bed) throws Exception {
        bed.daemon().writeConfig("{\"ndp-proxy\": false}\n");
        bed.daemon().start();
        network(bed, "rt", "routed");
        Box web = Box.create(bed, "web", "--network", "rt", "--ip6", WEB, "-p", "8080:80");
        Bridges.create(bed.docker(), "--ipv6", "--subnet", "2001:db8::2:0:0:0/80", "natted");
        Box.create(bed, "hidden", "--network", "natted");
        assertEquals(Set.of(), proxies(bed));
        assertEquals("0", proxyNdp(bed, "eth0"));
        try (Traffic t = new Traffic(bed)) {
            t.serve(web.netns(), 80);
            assertFalse(upstreamPings(t, bed, WEB), "nobody answers the LAN's solicitation");
            assertTrue(t.connect(upstream(bed), WEB, 80).startsWith("FAIL"));
        }
    }

    @Test
    void aReloadTurnsTheProxyOffAndOnForRunningSandboxes(Testbed bed) throws Exception {
        bed.daemon().start();
        network(bed, "rt", "routed");
        Box.create(bed, "web", "--network", "rt", "--ip6", WEB);
        assertEquals(Set.of(berths(WEB)), proxies(bed));

        bed.daemon().writeConfig("{\"ndp-proxy\": false}\n");
        String off = bed.daemon().reload();
        assertTrue(off.contains("Reloaded configuration: ") && off.contains("ndp-proxy"), off);
        assertEquals(Set.of(), proxies(bed), "removed by the reload, no restart");

        bed.daemon().writeConfig("{\"ndp-proxy\": [\"eth0\"]}\n");
        bed.daemon().reload();
        assertEquals(Set.of(berths(WEB)), proxies(bed), "back at once for the running sandbox");
        try (Traffic t = new Traffic(bed)) {
            assertTrue(upstreamPings(t, bed, WEB), "ping6 from the LAN after the reload");
        }
    }

    @Test
    void startUpRestoresBerthsEntriesRemovesItsStaleOnesAndLeavesOthersAlone(Testbed bed) {
        bed.daemon().start();
        network(bed, "rt", "routed");
        Box.create(bed, "web", "--network", "rt", "--ip6", WEB);
        bed.daemon().stop();
        bed.host().ipHost("-6", "neigh", "del", "proxy", WEB, "dev", "eth0");
        // A crash between a disconnect and its delete; an admin's entry in the subnet; Berth's mark
        // outside every subnet of Berth's (not provably stale: left).
        bed.host().ipHost("-6", "neigh", "add", "proxy", "2001:db8::1:0:0:99", "dev", "eth0", "proto", "98");
        bed.host().ipHost("-6", "neigh", "add", "proxy", "2001:db8::1:0:0:77", "dev", "eth0");
        bed.host().ipHost("-6", "neigh", "add", "proxy", "2001:db8::5:0:0:5", "dev", "eth0", "proto", "98");

        bed.daemon().start();
        assertEquals(Set.of(berths(WEB), "2001:db8::1:0:0:77 dev eth0 proxy", berths("2001:db8::5:0:0:5")),
                proxies(bed), "the sandbox's entry is back, the stale one gone, the others left");
        bed.docker().ok("rm", "-f", "web");
        bed.docker().ok("network", "rm", "rt");
        assertEquals(Set.of("2001:db8::1:0:0:77 dev eth0 proxy", berths("2001:db8::5:0:0:5")), proxies(bed),
                "the admin's entry outlives the network");
    }

    @Test
    void theReconcileLoopFollowsTheUplinksPrefixAndRepairsEntries(Testbed bed) throws Exception {
        bed.daemon().start();
        network(bed, "rt", "routed");
        Box.create(bed, "web", "--network", "rt", "--ip6", WEB);
        bed.host().ipHost("-6", "neigh", "del", "proxy", WEB, "dev", "eth0");
        Poll.eventually(10, "the reconcile loop puts a deleted entry back", () -> proxies(bed).equals(Set.of(berths(WEB))));

        bed.host().ipHost("-6", "addr", "del", HostFixture.HOST_V6 + "/64", "dev", "eth0");
        Poll.eventually(10, "the entry goes with the uplink's prefix", () -> proxies(bed).isEmpty());
        bed.host().ipHost("-6", "addr", "add", HostFixture.HOST_V6 + "/64", "dev", "eth0", "nodad");
        bed.host().ipHost("-6", "route", "replace", "default", "via", HostFixture.UPSTREAM_V6);
        Poll.eventually(10, "and comes back with it", () -> proxies(bed).equals(Set.of(berths(WEB))));
        assertTrue(bed.daemon().logs().contains("ndp proxy entry " + WEB + " on eth0 missing"), "reported as drift");
    }

    @Test
    void onlyTheListedInterfacesAreUsedAndAMissingOneStopsStartUp(Testbed bed) throws Exception {
        bed.daemon().writeConfig("{\n  \"ndp-proxy\": [\"eth0\", \"eth9\"]\n}\n");
        bed.daemon().launch();
        Optional<Integer> code = bed.daemon().awaitExit(Duration.ofSeconds(20));
        assertEquals(Optional.of(1), code, bed.daemon()::logs);
        assertTrue(bed.daemon().stderr().contains("line 2: ndp-proxy: interface \"eth9\" does not exist"),
                bed.daemon()::logs);

        bed.host().ipHost("link", "add", "lan1", "type", "veth", "peer", "name", "lan1p");
        bed.host().ipHost("-6", "addr", "add", "2001:db8::3/64", "dev", "lan1", "nodad");
        bed.daemon().writeConfig("{\"ndp-proxy\": [\"lan1\"]}\n");
        bed.daemon().start();
        network(bed, "rt", "routed");
        Box.create(bed, "web", "--network", "rt", "--ip6", WEB);
        assertEquals(Set.of(WEB + " dev lan1 proxy proto 98"), proxies(bed), "eth0 has the prefix too, but is not listed");
        bed.daemon().restart();
        assertEquals(Set.of(WEB + " dev lan1 proxy proto 98"), proxies(bed), "and stays so across a restart");
    }
}
