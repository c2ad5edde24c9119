package dev.berth.daemon.firewall.nft;

import static dev.berth.daemon.firewall.nft.TestNetworks.bridge;
import static dev.berth.daemon.firewall.nft.TestNetworks.defaultBridge;
import static dev.berth.daemon.firewall.nft.TestNetworks.port;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.spi.Firewall.SandboxPorts;
import dev.berth.kernel.nftables.NftException;

/**
 * Rendered scripts against golden files in {@code src/test/resources/firewall}. Run with
 * {@code -Dberth.updateGoldens=true} to rewrite them, then review the diff.
 */
class NftFirewallTest {
    private static final Network FRONT = bridge("front", "br-front", false,
            Map.of(PredefinedNetworks.OPT_ENABLE_ICC, "false"), "172.20.0.0/16", "fd00:20::/64");
    private static final Network BACK = bridge("back", "br-back", true, Map.of(), "172.21.0.0/16", "fd00:21::/64");
    private static final Network ROUTED = bridge("routed", "br-routed", false,
            Map.of(PredefinedNetworks.OPT_ENABLE_IP_MASQUERADE, "false"), "172.22.0.0/16", "2001:db8:22::/64");
    private static final SandboxPorts WEB = new SandboxPorts("ep-web", FRONT, List.of(
            port("tcp", "0.0.0.0", 8080, "172.20.0.2", 80),
            port("tcp", "::", 8080, "fd00:20::2", 80),
            port("udp", "0.0.0.0", 5353, "172.20.0.2", 53),
            port("tcp", "127.0.0.1", 8081, "172.20.0.2", 80),
            port("tcp", "198.51.100.2", 8443, "172.20.0.2", 443),
            port("tcp", "2001:db8::2", 8443, "fd00:20::2", 443)));

    /** IPv4 nat-unprotected, IPv6 routed: the usual "routed global IPv6 beside NATed IPv4" network. */
    private static final Network MIXED = bridge("mixed", "br-mixed", false,
            Map.of(PredefinedNetworks.OPT_GATEWAY_MODE_IPV4, "nat-unprotected",
                    PredefinedNetworks.OPT_GATEWAY_MODE_IPV6, "routed"), "172.23.0.0/16", "2001:db8:23::/64");
    /** IPv4 routed, IPv6 nat with a global subnet: masqueraded like any nat family (Docker 28). */
    private static final Network ROUTED4 = bridge("routed4", "br-routed4", false,
            Map.of(PredefinedNetworks.OPT_GATEWAY_MODE_IPV4, "routed"), "172.24.0.0/16", "2001:db8:24::/64");
    private static final Network ISOLATED = bridge("isolated", "br-iso", true,
            Map.of(PredefinedNetworks.OPT_GATEWAY_MODE_IPV4, "isolated",
                    PredefinedNetworks.OPT_GATEWAY_MODE_IPV6, "isolated"), "172.25.0.0/16", "fd00:25::/64");

    private final List<String> applied = new ArrayList<>();
    private final NftFirewall firewall = new NftFirewall(script -> {
        applied.add(script);
        return "";
    });

    @Test
    void noNetworks() {
        firewall.rebuild(List.of(), List.of());
        golden("empty.nft", last());
    }

    @Test
    void defaultBridgeOnly() {
        firewall.rebuild(List.of(defaultBridge()), List.of());
        golden("default-bridge.nft", last());
    }

    @Test
    void userNetworksInternalNoIccNoMasquerade() {
        firewall.rebuild(List.of(defaultBridge(), FRONT, BACK, ROUTED), List.of());
        golden("user-networks.nft", last());
    }

    @Test
    void publishedPorts() {
        SandboxPorts onInternal = new SandboxPorts("ep-db", BACK, List.of(port("tcp", "0.0.0.0", 5432, "172.21.0.2", 5432)));
        firewall.rebuild(List.of(FRONT, BACK), List.of(WEB, onInternal));
        golden("published-ports.nft", last());
        assertEquals(last(), NftFirewall.render(List.of(FRONT, BACK), List.of(WEB, onInternal)));
    }

    @Test
    void addAndRemoveNetworkTouchOnlyItsElements() {
        firewall.rebuild(List.of(), List.of());
        firewall.ensureNetwork(FRONT);
        golden("ensure-network.nft", last());
        firewall.removeNetwork(FRONT);
        golden("remove-network.nft", last());
        firewall.ensureNetwork(BACK);
        golden("ensure-internal-network.nft", last());
    }

    @Test
    void publishReplaceAndUnpublishTouchOnlyTheKey() {
        firewall.rebuild(List.of(FRONT), List.of());
        firewall.publish(WEB);
        golden("publish.nft", last());
        firewall.publish(new SandboxPorts("ep-web", FRONT, List.of(
                port("tcp", "0.0.0.0", 8080, "172.20.0.2", 80),
                port("tcp", "0.0.0.0", 9090, "172.20.0.2", 90))));
        golden("republish.nft", last());
        firewall.unpublish("ep-web");
        golden("unpublish.nft", last());
        int before = applied.size();
        firewall.unpublish("ep-web");
        firewall.unpublish("never-published");
        assertEquals(before, applied.size(), "nothing to withdraw means no transaction");
    }

    @Test
    void gatewayModesPerFamily() {
        firewall.rebuild(List.of(MIXED, ROUTED4, ISOLATED), List.of());
        golden("gateway-modes.nft", last());
        firewall.ensureNetwork(MIXED);
        golden("ensure-mixed-network.nft", last());
    }

    @Test
    void routedFamiliesOpenTheSandboxPortAndIgnoreTheHostPort() {
        SandboxPorts mixed = new SandboxPorts("ep-mixed", MIXED, List.of(
                port("tcp", "0.0.0.0", 8080, "172.23.0.2", 80),
                port("tcp", "::", 8080, "2001:db8:23::2", 80),
                port("tcp", "127.0.0.1", 8081, "172.23.0.2", 80),
                port("udp", "2001:db8::2", 5353, "2001:db8:23::2", 53),
                port("tcp", "::1", 8082, "2001:db8:23::2", 80)));
        firewall.rebuild(List.of(MIXED), List.of());
        firewall.publish(mixed);
        golden("publish-routed.nft", last());
        firewall.unpublish("ep-mixed");
        assertEquals("""
                delete element inet berth pub4_any { tcp . 8080 : 172.23.0.2 . 80 }
                delete element inet berth open6 { 2001:db8:23::2 . tcp . 80, 2001:db8:23::2 . udp . 53 }
                delete element inet berth pub4_addr { 127.0.0.1 . tcp . 8081 : 172.23.0.2 . 80 }
                """, deletions(last()));
    }

    @Test
    void nonBridgeNetworksAreIgnored() {
        Network host = new Network(FRONT.id(), "host", PredefinedNetworks.DRIVER_HOST, FRONT.created(), "local",
                FRONT.ipam(), FRONT.flags(), new java.util.TreeMap<>(), new java.util.TreeMap<>());
        firewall.ensureNetwork(host);
        assertTrue(applied.isEmpty());
    }

    @Test
    void badInputNeverReachesTheKernel() {
        Network evil = bridge("evil", "br\"x", false, Map.of(), "172.30.0.0/16");
        assertThrows(InvalidParameterException.class, () -> firewall.ensureNetwork(evil));
        Network badOpt = bridge("bad", "br-bad", false, Map.of(PredefinedNetworks.OPT_ENABLE_ICC, "maybe"), "172.31.0.0/16");
        assertThrows(InvalidParameterException.class, () -> firewall.rebuild(List.of(badOpt), List.of()));
        assertTrue(applied.isEmpty());
    }

    @Test
    void nftFailureBecomesInternalErrorAndKeepsPortMemory() {
        NftFirewall failing = new NftFirewall(script -> {
            throw new NftException("apply nft script", "Error: File exists", script);
        });
        InternalException e = assertThrows(InternalException.class, () -> failing.publish(WEB));
        assertTrue(e.getMessage().contains("publish ports of ep-web") && e.getMessage().contains("File exists"), e.getMessage());
    }

    @Test
    void requiredSysctls() {
        assertEquals(Map.of("net/ipv4/ip_forward", "1", "net/ipv4/conf/br-front/route_localnet", "1",
                "net/bridge/bridge-nf-call-iptables", "1", "net/bridge/bridge-nf-call-ip6tables", "1",
                "net/ipv6/conf/all/forwarding", "1"), NftFirewall.requiredSysctls(FRONT));
        assertEquals(Map.of("net/ipv4/ip_forward", "1", "net/ipv6/conf/all/forwarding", "1"),
                NftFirewall.requiredSysctls(BACK));
    }

    private static String deletions(String script) {
        return script.lines().filter(l -> l.startsWith("delete element")).map(l -> l + "\n")
                .collect(java.util.stream.Collectors.joining());
    }

    private String last() {
        return applied.getLast();
    }

    private static void golden(String name, String actual) {
        Path file = Path.of("src/test/resources/firewall", name);
        try {
            if (Boolean.getBoolean("berth.updateGoldens")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            }
            assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "golden " + name);
        } catch (IOException e) {
            throw new UncheckedIOException("golden " + file, e);
        }
    }
}
