package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gateway modes ({@code com.docker.network.bridge.gateway_mode_ipv4/_ipv6}) with real traffic
 * between the upstream namespace (the outside world) and sandboxes, IPv4 and IPv6. The upstream
 * gets a route to each network's subnet via the host's uplink address, as a router in front of a
 * routed network would have; that route is what lets it try direct access in every mode.
 *
 * <ul>
 * <li>{@code nat}: outbound masqueraded (the upstream sees the host), published host ports work,
 * and a sandbox address is not reachable directly, not even on its published container port or by
 * ping (Docker 28's direct-access protection).</li>
 * <li>{@code routed}: outbound keeps the sandbox's address; from outside only ICMP and the
 * published container ports reach it (also from another network), and host ports do nothing.</li>
 * <li>{@code nat-unprotected}: like nat, but every port of the sandbox address is reachable from
 * outside (other networks stay isolated).</li>
 * <li>{@code isolated}: no gateway address on the bridge; isolated IPv6 disables IPv6 on it.</li>
 * <li>daemon.json {@code default-network-opts}: new networks and the default bridge take them.</li>
 * </ul>
 */
@ExtendWith(TestbedExtension.class)
class GatewayModesIT {
    private static final int WHOAMI = 9000;
    private static final String MODE4 = "com.docker.network.bridge.gateway_mode_ipv4";
    private static final String MODE6 = "com.docker.network.bridge.gateway_mode_ipv6";

    private static Path upstream(Testbed bed) {
        return Traffic.named(bed.host().upstreamNs());
    }

    /** The upstream routes {@code subnet} to the host, as a router in front of it would. */
    private static void routeToHost(Testbed bed, String subnet) {
        String via = subnet.contains(":") ? HostFixture.HOST_V6 : HostFixture.HOST_V4;
        bed.run(HostFixture.inNamespace(bed.host().upstreamNs(), "ip", subnet.contains(":") ? "-6" : "-4", "route",
                "add", subnet, "via", via)).assertSuccess();
    }

    /** Network {@code name} on 10.N.0.0/24 and 2001:db8:N::/64, the options given as {@code -o} pairs. */
    private static void network(Testbed bed, String name, int n, String... options) {
        List<String> args = new ArrayList<>(List.of("--subnet", "10." + n + ".0.0/24", "--ipv6", "--subnet",
                "2001:db8:" + n + "::/64"));
        for (String option : options) {
            args.add("-o");
            args.add(option);
        }
        args.add(name);
        Bridges.create(bed.docker(), args.toArray(String[]::new));
    }

    /**
     * Sandbox {@code web} at 10.N.0.2 and 2001:db8:N::2 on the network, publishing {@code ports}
     * ({@code -p}); the upstream routes both subnets to the host.
     */
    private static Box web(Testbed bed, String network, int n, String... ports) {
        List<String> args = new ArrayList<>(List.of("--network", network, "--ip", "10." + n + ".0.2", "--ip6",
                "2001:db8:" + n + "::2"));
        for (String port : ports) {
            args.add("-p");
            args.add(port);
        }
        Box web = Box.create(bed, "web", args.toArray(String[]::new));
        routeToHost(bed, "10." + n + ".0.0/24");
        routeToHost(bed, "2001:db8:" + n + "::/64");
        return web;
    }

    /** Who-am-I servers on the sandbox's ports 80 and 81 and on the upstream's {@link #WHOAMI}. */
    private static Traffic serve(Testbed bed, Box web) {
        Traffic t = new Traffic(bed);
        try {
            t.serve(web.netns(), 80);
            t.serve(web.netns(), 81);
            t.serve(upstream(bed), WHOAMI);
            return t;
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
    }

    private static boolean fails(String answer) {
        return answer.startsWith("FAIL");
    }

    @Test
    void natMasqueradesBlocksDirectAccessAndPublishesHostPorts(Testbed bed) throws Exception {
        bed.daemon().start();
        network(bed, "natnet", 93);
        Box web = web(bed, "natnet", 93, "8080:80");
        try (Traffic t = serve(bed, web)) {
            assertEquals(HostFixture.HOST_V4, t.connect(web.netns(), HostFixture.UPSTREAM_V4, WHOAMI), "v4 NAT");
            assertEquals(HostFixture.HOST_V6, t.connectWithin(web.netns(), HostFixture.UPSTREAM_V6, WHOAMI, 3),
                    "v6 NAT, also of a global subnet");
            assertEquals(HostFixture.UPSTREAM_V4, t.connect(upstream(bed), HostFixture.HOST_V4, 8080), "host port");
            assertEquals(HostFixture.UPSTREAM_V6, t.connectWithin(upstream(bed), HostFixture.HOST_V6, 8080, 3),
                    "host port, v6");
            assertTrue(fails(t.connect(upstream(bed), "10.93.0.2", 80)), "direct to the published container port");
            assertTrue(fails(t.connect(upstream(bed), "10.93.0.2", 81)), "direct to an unpublished port");
            assertTrue(fails(t.connect(upstream(bed), "2001:db8:93::2", 80)), "direct, v6");
            assertFalse(t.ping(upstream(bed), "10.93.0.2"), "ping from outside");
            assertFalse(t.ping(upstream(bed), "2001:db8:93::2"), "ping6 from outside");
        }
    }

    @Test
    void routedOpensIcmpAndPublishedContainerPortsOnlyAndDoesNotMasquerade(Testbed bed) throws Exception {
        bed.daemon().start();
        network(bed, "rt", 91, MODE4 + "=routed", MODE6 + "=routed");
        Bridges.create(bed.docker(), "--subnet", "10.94.0.0/24", "other");
        Box web = web(bed, "rt", 91, "8080:80", "127.0.0.1:8081:82");
        Box neighbour = Box.create(bed, "neighbour", "--network", "other");

        JsonNode options = Bridges.inspect(bed.docker(), "rt").path("Options");
        assertEquals("routed", options.path(MODE4).asText(), options::toString);
        assertEquals("routed", options.path(MODE6).asText(), options::toString);
        JsonNode ports = Bridges.parse(bed.docker().ok("inspect", "web").stdout()).get(0)
                .path("NetworkSettings").path("Ports").path("80/tcp");
        assertEquals("0.0.0.0", ports.get(0).path("HostIp").asText(), ports::toString);
        assertEquals("", ports.get(0).path("HostPort").asText(), "no host port in routed mode: " + ports);

        try (Traffic t = serve(bed, web)) {
            t.serve(web.netns(), 82);
            assertEquals(HostFixture.UPSTREAM_V4, t.connect(upstream(bed), "10.91.0.2", 80), "published container port");
            assertEquals(HostFixture.UPSTREAM_V6, t.connectWithin(upstream(bed), "2001:db8:91::2", 80, 3),
                    "published container port, v6");
            assertEquals(HostFixture.UPSTREAM_V4, t.connect(upstream(bed), "10.91.0.2", 82),
                    "a port published on 127.0.0.1 opens the container port too (host address ignored)");
            assertTrue(fails(t.connect(upstream(bed), "10.91.0.2", 81)), "unpublished port");
            assertTrue(fails(t.connect(upstream(bed), "2001:db8:91::2", 81)), "unpublished port, v6");
            assertTrue(t.ping(upstream(bed), "10.91.0.2"), "ping from outside");
            assertTrue(t.ping(upstream(bed), "2001:db8:91::2") || t.ping(upstream(bed), "2001:db8:91::2"),
                    "ping6 from outside");
            assertTrue(fails(t.connect(upstream(bed), HostFixture.HOST_V4, 8080)), "no DNAT from the host port");
            assertEquals("10.91.0.2", t.connect(web.netns(), HostFixture.UPSTREAM_V4, WHOAMI), "no masquerade");
            assertEquals("2001:db8:91::2", t.connect(web.netns(), HostFixture.UPSTREAM_V6, WHOAMI),
                    "no masquerade, v6");
            String neighbourIp = neighbour.ip(bed, "other");
            assertEquals(neighbourIp, t.connect(neighbour.netns(), "10.91.0.2", 80),
                    "another network reaches a published container port");
            assertTrue(fails(t.connect(neighbour.netns(), "10.91.0.2", 81)), "but no other port");
        }
    }

    @Test
    void natUnprotectedOpensEveryPortFromOutsideButNotFromOtherNetworks(Testbed bed) throws Exception {
        bed.daemon().start();
        network(bed, "open", 92, MODE4 + "=nat-unprotected", MODE6 + "=nat-unprotected");
        Bridges.create(bed.docker(), "--subnet", "10.94.0.0/24", "other");
        Box web = web(bed, "open", 92, "8080:80");
        Box neighbour = Box.create(bed, "neighbour", "--network", "other");
        try (Traffic t = serve(bed, web)) {
            assertEquals(HostFixture.UPSTREAM_V4, t.connect(upstream(bed), "10.92.0.2", 81), "an unpublished port");
            assertEquals(HostFixture.UPSTREAM_V6, t.connectWithin(upstream(bed), "2001:db8:92::2", 81, 3),
                    "an unpublished port, v6");
            assertEquals(HostFixture.UPSTREAM_V4, t.connect(upstream(bed), "10.92.0.2", 80), "the published one");
            assertEquals(HostFixture.UPSTREAM_V4, t.connect(upstream(bed), HostFixture.HOST_V4, 8080), "host port");
            assertTrue(t.ping(upstream(bed), "10.92.0.2"), "ping from outside");
            assertEquals(HostFixture.HOST_V4, t.connect(web.netns(), HostFixture.UPSTREAM_V4, WHOAMI), "v4 NAT");
            assertEquals(HostFixture.HOST_V6, t.connect(web.netns(), HostFixture.UPSTREAM_V6, WHOAMI), "v6 NAT");
            assertTrue(fails(t.connect(neighbour.netns(), "10.92.0.2", 81)), "other networks stay isolated");
        }
    }

    @Test
    void isolatedLeavesTheBridgeWithoutGatewayAddresses(Testbed bed) throws Exception {
        bed.daemon().start();
        String id = Bridges.create(bed.docker(), "--internal", "--subnet", "10.95.0.0/24", "--ipv6", "--subnet",
                "2001:db8:95::/64", "-o", MODE4 + "=isolated", "-o", MODE6 + "=isolated", "iso");
        JsonNode config = Bridges.inspect(bed.docker(), "iso").path("IPAM").path("Config");
        for (JsonNode pool : config) {
            assertTrue(pool.path("Gateway").isMissingNode() || pool.path("Gateway").asText().isEmpty(),
                    "no gateway: " + config);
        }
        String bridge = Bridges.device(id);
        assertEquals(List.of(), Bridges.link(bed.host(), bridge).addresses(), "no address, not even link-local");
        assertEquals("1", bed.run(HostFixture.inNamespace(bed.host().hostNs(), "cat",
                "/proc/sys/net/ipv6/conf/" + bridge + "/disable_ipv6")).assertSuccess().stdout().strip());
        Box a = Box.create(bed, "ia", "--network", "iso", "--ip", "10.95.0.2", "--ip6", "2001:db8:95::2");
        Box b = Box.create(bed, "ib", "--network", "iso", "--ip", "10.95.0.3", "--ip6", "2001:db8:95::3");
        try (Traffic t = new Traffic(bed)) {
            t.serve(b.netns(), 80);
            assertEquals("10.95.0.2", t.connect(a.netns(), "10.95.0.3", 80), "sandboxes still talk");
            assertEquals("2001:db8:95::2", t.connectWithin(a.netns(), "2001:db8:95::3", 80, 3), "also over IPv6");
            assertTrue(fails(t.connect(Traffic.named(bed.host().hostNs()), "10.95.0.3", 80)),
                    "the host has no address on the network");
        }
    }

    @Test
    void defaultNetworkOptsShapeNewNetworksAndTheDefaultBridge(Testbed bed) throws Exception {
        bed.daemon().writeConfig("{\"default-network-opts\": {\"bridge\": {\"" + MODE4 + "\": \"routed\"}}}\n");
        bed.daemon().start();
        Bridges.create(bed.docker(), "--subnet", "10.96.0.0/24", "byDefault");
        Bridges.create(bed.docker(), "--subnet", "10.97.0.0/24", "-o", MODE4 + "=nat", "asked");
        assertEquals("routed", Bridges.inspect(bed.docker(), "byDefault").path("Options").path(MODE4).asText());
        assertEquals("nat", Bridges.inspect(bed.docker(), "asked").path("Options").path(MODE4).asText(),
                "the request wins");
        assertEquals("routed", Bridges.inspect(bed.docker(), "bridge").path("Options").path(MODE4).asText(),
                "the default bridge takes the default gateway modes (Berth)");
        Box web = Box.create(bed, "web", "-p", "8080:80");
        String webIp = web.ip(bed, "bridge");
        routeToHost(bed, "172.17.0.0/16");
        try (Traffic t = new Traffic(bed)) {
            t.serve(web.netns(), 80);
            t.serve(web.netns(), 81);
            assertEquals(HostFixture.UPSTREAM_V4, t.connect(upstream(bed), webIp, 80), "routed default bridge");
            assertTrue(fails(t.connect(upstream(bed), webIp, 81)), "unpublished port");
            assertTrue(fails(t.connect(upstream(bed), HostFixture.HOST_V4, 8080)), "no DNAT");
        }
    }
}
