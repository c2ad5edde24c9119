package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.fixture.DaemonProcess;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The default bridge with IPv6 and dockerd's IPAM keys ({@code ipv6}, {@code bip6},
 * {@code fixed-cidr(-v6)}, {@code default-gateway(-v6)}): inspect through the real docker CLI,
 * docker0's addresses, the sandboxes' addresses and default routes, IPv6 traffic between them and
 * out (NAT66 of the ULA), and bad values that stop start-up before anything is made.
 */
@ExtendWith(TestbedExtension.class)
class DefaultBridgeIpv6IT {
    private static final Duration FAIL_FAST = Duration.ofSeconds(20);
    private static final int WHOAMI = 9000;

    @Test
    void fixedCidrV6FromDaemonJsonAddressesDocker0AndSandboxesSequentiallyWithTraffic(Testbed bed) {
        bed.daemon().writeConfig("{\"ipv6\": true, \"fixed-cidr-v6\": \"2001:db8:1::/80\"}\n");
        bed.daemon().start();
        JsonNode bridge = Bridges.inspect(bed.docker(), "bridge");
        assertTrue(bridge.path("EnableIPv6").asBoolean(), bridge::toString);
        assertEquals(Bridges.parse("[{\"Subnet\":\"172.17.0.0/16\",\"Gateway\":\"172.17.0.1\"},"
                + "{\"Subnet\":\"2001:db8:1::/80\",\"IPRange\":\"2001:db8:1::/80\",\"Gateway\":\"2001:db8:1::1\"}]"),
                bridge.path("IPAM").path("Config"));
        assertTrue(Bridges.docker0(bed).addresses(false).contains("2001:db8:1::1/80"), () -> Bridges.docker0(bed).toString());

        Box c1 = Box.create(bed, "c1");
        Box c2 = Box.create(bed, "c2");
        assertEquals(List.of("2001:db8:1::2/80"), c1.globalIpv6(bed));
        assertEquals(List.of("2001:db8:1::3/80"), c2.globalIpv6(bed));
        assertEquals("2001:db8:1::1 eth0", c1.ipv6DefaultRoute(bed));
        JsonNode settings = c1.endpoints(bed).get("bridge");
        assertEquals("2001:db8:1::2", settings.path("GlobalIPv6Address").asText(), settings::toString);
        assertEquals(80, settings.path("GlobalIPv6PrefixLen").asInt(), settings::toString);
        assertEquals("2001:db8:1::1", settings.path("IPv6Gateway").asText(), settings::toString);
        JsonNode inspected = Bridges.inspect(bed.docker(), "bridge").path("Containers").path(c2.id());
        assertEquals("2001:db8:1::3/80", inspected.path("IPv6Address").asText(), inspected::toString);

        try (Traffic traffic = new Traffic(bed)) {
            assertTrue(traffic.ping(c1.netns(), "2001:db8:1::3"), "c1 -> c2 over IPv6");
            assertTrue(traffic.ping(c2.netns(), "2001:db8:1::2"), "c2 -> c1 over IPv6");
            assertTrue(traffic.ping(c1.netns(), "2001:db8:1::1"), "c1 -> docker0 over IPv6");
        }

        String id = bridge.path("Id").asText();
        bed.daemon().restart();
        JsonNode again = Bridges.inspect(bed.docker(), "bridge");
        assertEquals(id, again.path("Id").asText(), "same configuration, same id");
        assertEquals(bridge.path("IPAM"), again.path("IPAM"));
        assertEquals(List.of("2001:db8:1::2/80"), c1.globalIpv6(bed));
        assertEquals("2001:db8:1::1 eth0", c1.ipv6DefaultRoute(bed));
        bed.docker().ok("rm", "-f", "c1", "c2");
    }

    @Test
    void ipv6AloneTakesTheFirstSlash64OfTheEngineUlaAndUserNetworksTheNext(Testbed bed) throws Exception {
        bed.daemon().start("--ipv6");
        byte[] ula48 = Bridges.ula48(bed);
        JsonNode config = Bridges.inspect(bed.docker(), "bridge").path("IPAM").path("Config");
        assertEquals(2, config.size(), config::toString);
        String subnet = config.get(1).path("Subnet").asText();
        assertArrayEquals(Bridges.withSubnetId(ula48, 0), Bridges.prefixBytes(subnet, 64),
                () -> subnet + " is not the first /64 of the ULA");
        String gateway = subnet.replace("::/64", "::1");
        assertEquals(Bridges.parse("{\"Subnet\":\"" + subnet + "\",\"Gateway\":\"" + gateway + "\"}"), config.get(1));
        assertTrue(Bridges.docker0(bed).addresses(false).contains(gateway + "/64"), () -> Bridges.docker0(bed).toString());

        Bridges.create(bed.docker(), "--ipv6", "v6net");
        String user = Bridges.subnet(Bridges.inspect(bed.docker(), "v6net"), false).orElseThrow();
        assertArrayEquals(Bridges.withSubnetId(ula48, 1), Bridges.prefixBytes(user, 64), user);

        Box c1 = Box.create(bed, "c1");
        assertEquals(List.of(subnet.replace("::/64", "::2/64")), c1.globalIpv6(bed));
        assertEquals(gateway + " eth0", c1.ipv6DefaultRoute(bed));
        try (Traffic traffic = new Traffic(bed)) {
            traffic.serve(Traffic.named(bed.host().upstreamNs()), WHOAMI);
            assertEquals(HostFixture.HOST_V6, traffic.connect(c1.netns(), HostFixture.UPSTREAM_V6, WHOAMI),
                    "the ULA leaves masqueraded to the host's address");
        }

        bed.daemon().restart("--ipv6");
        assertEquals(config, Bridges.inspect(bed.docker(), "bridge").path("IPAM").path("Config"),
                "the bridge keeps its /64 across a restart");
        bed.docker().ok("rm", "-f", "c1");
        bed.docker().ok("network", "rm", "v6net");
    }

    @Test
    void bip6AndDefaultGatewaysRouteSandboxesThroughTheConfiguredRoutersAndIpv6OffUndoesIt(Testbed bed) {
        bed.daemon().writeConfig("{\"ipv6\": true, \"bip6\": \"fd00:b6::8888/64\", \"fixed-cidr-v6\": \"fd00:b6::/80\","
                + " \"default-gateway-v6\": \"fd00:b6::fe\", \"default-gateway\": \"172.17.0.254\"}\n");
        bed.daemon().start();
        JsonNode bridge = Bridges.inspect(bed.docker(), "bridge");
        assertEquals(Bridges.parse("[{\"Subnet\":\"172.17.0.0/16\",\"Gateway\":\"172.17.0.1\","
                + "\"AuxiliaryAddresses\":{\"DefaultGatewayIPv4\":\"172.17.0.254\"}},"
                + "{\"Subnet\":\"fd00:b6::/64\",\"IPRange\":\"fd00:b6::/80\",\"Gateway\":\"fd00:b6::8888\","
                + "\"AuxiliaryAddresses\":{\"DefaultGatewayIPv6\":\"fd00:b6::fe\"}}]"), bridge.path("IPAM").path("Config"));
        LinkState docker0 = Bridges.docker0(bed);
        assertTrue(docker0.addresses(false).contains("fd00:b6::8888/64"), docker0::toString);
        assertEquals(List.of("172.17.0.1/16"), docker0.addresses(true));

        Box c1 = Box.create(bed, "c1");
        assertEquals(List.of("fd00:b6::1/64"), c1.globalIpv6(bed), "the range's first free address");
        assertEquals("fd00:b6::fe eth0", c1.ipv6DefaultRoute(bed));
        JsonNode v4 = c1.ipJson(bed, "-4", "route", "show", "default");
        assertEquals("172.17.0.254", v4.path(0).path("gateway").asText(), v4::toString);
        JsonNode settings = c1.endpoints(bed).get("bridge");
        assertEquals("172.17.0.254", settings.path("Gateway").asText(), settings::toString);
        assertEquals("fd00:b6::fe", settings.path("IPv6Gateway").asText(), settings::toString);
        bed.docker().ok("rm", "-f", "c1");

        bed.daemon().stop();
        bed.daemon().writeConfig("{}\n");
        bed.daemon().start();
        JsonNode off = Bridges.inspect(bed.docker(), "bridge");
        assertEquals(bridge.path("Id"), off.path("Id"));
        assertFalse(off.path("EnableIPv6").asBoolean(), off::toString);
        assertEquals(Bridges.parse("[{\"Subnet\":\"172.17.0.0/16\",\"Gateway\":\"172.17.0.1\"}]"),
                off.path("IPAM").path("Config"));
        assertEquals(List.of(), Box.globalOnly(Bridges.docker0(bed).addresses(false)), () -> Bridges.docker0(bed).toString());
    }

    @Test
    void badValuesStopStartUpNamingTheOptionAndMakeNothing(Testbed bed) {
        String file = bed.daemon().configFile().toString();
        record Case(String json, List<String> flags, String message) {
        }
        List<Case> cases = List.of(
                new Case("{\"ipv6\": true,\n \"fixed-cidr-v6\": \"ff02::/64\"}\n", List.of(),
                        file + ": line 2: invalid fixed-cidr-v6: multicast subnet 'ff02::/64' is not allowed"),
                new Case("{\"ipv6\": true,\n \"fixed-cidr-v6\": \"fe80::/80\"}\n", List.of(),
                        "line 2: invalid fixed-cidr-v6: 'fe80::/80' clashes with the Link-Local prefix 'fe80::/64'"),
                new Case("{}", List.of("--ipv6", "--fixed-cidr-v6", "10.1.0.0/16"),
                        "invalid flag --fixed-cidr-v6: invalid fixed-cidr-v6: '10.1.0.0/16' is not a valid IPv6 subnet"),
                new Case("{\"ipv6\": true, \"bip6\": \"fd00:1::1/64\",\n \"fixed-cidr-v6\": \"fd00:2::/80\"}\n", List.of(),
                        "line 2: fixed-cidr-v6=fd00:2::/80 is outside the subnet fd00:1::/64 of bip6 fd00:1::1/64"),
                new Case("{\"ipv6\": true, \"fixed-cidr-v6\": \"fd00:1::/64\",\n \"default-gateway-v6\": \"fd00:9::1\"}\n",
                        List.of(), "line 2: default gateway ip must be part of the network: default-gateway-v6 fd00:9::1"
                        + " is outside fd00:1::/64"),
                new Case("{\"default-gateway\": \"10.9.9.9\"}\n", List.of(), "default gateway ip must be part of the"
                        + " network: default-gateway 10.9.9.9 is outside 172.17.0.0/16"),
                new Case("{\"fixed-cidr\": \"172.17.0.0/32\"}\n", List.of(),
                        "fixed-cidr 172.17.0.0/32 leaves no address for sandboxes"),
                new Case("{}", List.of("--ipv6", "--bip6", "fd00::1/127"),
                        "invalid flag --bip6: bip6 fd00::1/127 leaves no address for sandboxes"),
                new Case("{}", List.of("--ipv6", "--default-gateway-v6", "2001:db8:99::1"),
                        "default gateway ip must be part of the network: default-gateway-v6 2001:db8:99::1 is outside fd"));
        for (Case c : cases) {
            bed.daemon().writeConfig(c.json());
            DaemonProcess daemon = bed.daemon();
            daemon.launch(c.flags().toArray(String[]::new));
            Optional<Integer> code = daemon.awaitExit(FAIL_FAST);
            String stderr = daemon.stderr();
            assertTrue(code.isPresent(), () -> "daemon kept running with " + c + "\n" + daemon.logs());
            assertNotEquals(0, code.get(), stderr);
            assertTrue(stderr.contains(c.message()), () -> c + "\nnot in:\n" + stderr);
            assertTrue(bed.host().hostLink("docker0").isEmpty(), () -> c + ": a bad value must not touch the kernel");
        }
    }
}
