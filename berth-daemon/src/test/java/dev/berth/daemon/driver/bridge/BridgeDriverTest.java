package dev.berth.daemon.driver.bridge;

import static dev.berth.daemon.driver.bridge.BridgeNetworks.BRIDGE;
import static dev.berth.daemon.driver.bridge.BridgeNetworks.network;
import static dev.berth.daemon.driver.bridge.BridgeNetworks.pool;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.Link;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge side of the driver on in-memory fakes of the host's rtnetlink socket and of the
 * sysctls: what {@code check}, {@code ensure} and {@code delete} ask of the kernel for a bridge of
 * Berth's, a user's bridge and a device that is no bridge. The endpoint side is
 * {@link EndpointLinksTest}'s.
 */
class BridgeDriverTest {
    private static final int RT_SCOPE_LINK = 253;
    private static final Network.Flags DUAL_STACK = new Network.Flags(true, true, false, false, false, false);
    private final FakeRtnl host = new FakeRtnl();
    private final FakeSysctls sysctls = new FakeSysctls();
    private final LinkReaper reaper = new LinkReaper(host);
    private final BridgeDriver driver = new BridgeDriver(host, reaper, new Random(42),
            new SandboxSockets(path -> {
                throw new AssertionError("no sandbox is joined here: " + path);
            }), sysctls);

    @AfterEach
    void close() {
        driver.close();
        reaper.close();
    }

    private static Network ipv4() {
        return network(Map.of(), Network.Flags.ipv4Only(), pool("198.51.100.0/24", "198.51.100.1"));
    }

    /** A network on a bridge the user made, named by the driver option. */
    private static Network users(Map<String, String> options) {
        Map<String, String> named = new java.util.HashMap<>(options);
        named.put(PredefinedNetworks.OPT_BRIDGE_NAME, "mybr");
        return network(named, Network.Flags.ipv4Only(), pool("198.51.100.0/24", "198.51.100.1"));
    }

    private void address(Link link, String address, int length, int scope) {
        host.addresses.add(new Address(link.index(), IpAddresses.parse(address), length, scope, 0));
    }

    private List<String> addresses(String device) {
        int index = host.byName(device).orElseThrow().index();
        return host.addresses(index).stream().map(a -> a.address().getHostAddress() + "/" + a.prefixLength())
                .sorted().toList();
    }

    @Test
    void ensureCreatesAnOwnedBridgeWithItsMacGatewayAndQuietIpv6() {
        driver.ensure(ipv4());

        Link bridge = host.byName(BRIDGE).orElseThrow();
        assertEquals("bridge", bridge.kind());
        assertEquals(DeviceNames.OWNED_BRIDGE_GROUP, bridge.group(), "born in Berth's group");
        assertEquals(PredefinedNetworks.DEFAULT_MTU, bridge.mtu());
        assertArrayEquals(HexFormat.ofDelimiter(":").parseHex("02:23:45:67:89:ab"), bridge.mac(),
                "from the network id, locally administered and unicast");
        assertTrue(bridge.up());
        assertEquals(List.of("198.51.100.1/24"), addresses(BRIDGE));
        assertEquals(List.of("net/ipv6/conf/" + BRIDGE + "/accept_ra=0", "net/ipv6/conf/" + BRIDGE + "/accept_dad=0"),
                sysctls.writes);
        assertEquals(List.of(), driver.drift(List.of(ipv4()), List.of()), "the reconcile loop sees nothing to repair");
    }

    @Test
    void ensureIsIdempotent() {
        driver.ensure(ipv4());
        List<String> first = List.copyOf(host.calls);

        driver.ensure(ipv4());

        assertEquals(first, host.calls, "a converged bridge is not changed again");
    }

    @Test
    void ensureRepairsABerthBridgeAndKeepsOnlyTheGatewaysItWants() {
        Link bridge = host.add(BRIDGE, "bridge", 0, 0); // from before ownership was recorded: down, MTU 1500
        address(bridge, "10.9.0.1", 16, 0);
        address(bridge, "198.51.100.77", 24, RT_SCOPE_LINK);
        address(bridge, "2001:db8:9::1", 64, 0);
        host.calls.clear();

        driver.ensure(network(Map.of(PredefinedNetworks.OPT_MTU, "1400"), Network.Flags.ipv4Only(),
                pool("198.51.100.0/24", "198.51.100.1")));

        Link repaired = host.byName(BRIDGE).orElseThrow();
        assertEquals(bridge.index(), repaired.index(), "repaired, not made again");
        assertEquals(DeviceNames.OWNED_BRIDGE_GROUP, repaired.group(), "ownership recorded now");
        assertEquals(1400, repaired.mtu());
        assertTrue(repaired.up());
        assertEquals(List.of("198.51.100.1/24", "198.51.100.77/24"), addresses(BRIDGE),
                "other global addresses go, of either family (IPv6 turned off); a link-scope one stays");
        assertFalse(host.calls.stream().anyMatch(c -> c.startsWith("createBridge")), host.calls.toString());
    }

    @Test
    void aDualStackBridgeGetsBothGatewaysTheIpv6OneWithoutDad() {
        Network dual = network(Map.of(), DUAL_STACK, pool("198.51.100.0/24", "198.51.100.1"),
                pool("2001:db8:1::/64", "2001:db8:1::1"));
        Link bridge = host.add(BRIDGE, "bridge", 0, DeviceNames.OWNED_BRIDGE_GROUP);
        address(bridge, "2001:db8:9::1", 64, 0);
        address(bridge, "fe80::1", 64, RT_SCOPE_LINK);

        driver.ensure(dual);

        assertEquals(List.of("198.51.100.1/24", "2001:db8:1:0:0:0:0:1/64", "fe80:0:0:0:0:0:0:1/64"), addresses(BRIDGE));
        assertTrue(host.calls.contains("addAddress #" + bridge.index() + " 2001:db8:1:0:0:0:0:1/64 nodad"),
                host.calls.toString());
        assertTrue(host.calls.contains("addAddress #" + bridge.index() + " 198.51.100.1/24"), host.calls.toString());
    }

    @Test
    void anIsolatedFamilyHasNoAddressOnTheBridgeAndIsolatedIpv6DisablesIt() {
        Network.Flags internalDual = new Network.Flags(true, true, true, false, false, false);
        Network isolated = network(Map.of(PredefinedNetworks.OPT_GATEWAY_MODE_IPV4, "isolated",
                PredefinedNetworks.OPT_GATEWAY_MODE_IPV6, "isolated"), internalDual,
                pool("198.51.100.0/24", "198.51.100.9"), // a gateway the request named: IPAM keeps it, the bridge does not
                new IpamPool(IpPrefix.parse("2001:db8:1::/64"), Optional.empty(), Optional.empty(), Map.of(), false));
        Link bridge = host.add(BRIDGE, "bridge", 0, DeviceNames.OWNED_BRIDGE_GROUP);
        address(bridge, "198.51.100.9", 24, 0);

        driver.ensure(isolated);

        assertEquals(List.of(), addresses(BRIDGE), "a stale address of the isolated family goes too");
        assertTrue(sysctls.writes.contains("net/ipv6/conf/" + BRIDGE + "/disable_ipv6=1"), sysctls.writes::toString);
        assertEquals(List.of(), driver.drift(List.of(isolated), List.of()), "no gateway is missing");

        Network v6Only = network(Map.of(PredefinedNetworks.OPT_GATEWAY_MODE_IPV6, "isolated"), internalDual,
                pool("198.51.100.0/24", "198.51.100.1"));
        driver.ensure(v6Only);
        assertEquals(List.of("198.51.100.1/24"), addresses(BRIDGE), "the other family keeps its gateway");
    }

    @Test
    void aUsersBridgeKeepsItsMtuAndAddressesUnlessTheNetworkSetsAnMtu() {
        Link mybr = host.add("mybr", "bridge", 0, 0);
        host.setMtu(mybr.index(), 9000);
        address(mybr, "10.9.0.1", 16, 0);
        host.calls.clear();

        driver.ensure(users(Map.of()));

        assertEquals(9000, host.byName("mybr").orElseThrow().mtu());
        assertEquals(0, host.byName("mybr").orElseThrow().group(), "never put in Berth's group");
        assertEquals(List.of("10.9.0.1/16", "198.51.100.1/24"), addresses("mybr"));
        assertFalse(host.calls.stream().anyMatch(c -> c.startsWith("setMtu") || c.startsWith("setGroup")),
                host.calls.toString());

        driver.ensure(users(Map.of(PredefinedNetworks.OPT_MTU, "1400")));
        assertEquals(1400, host.byName("mybr").orElseThrow().mtu(), "an MTU the network asks for is set");
    }

    @Test
    void aDeviceOfAnotherKindIsRefusedAndNeverTouched() {
        assertDoesNotThrow(() -> driver.check(users(Map.of())), "no device of that name: nothing in the way");
        host.add("mybr", "veth", 0, 0);
        host.calls.clear();

        ConflictException checked = assertThrows(ConflictException.class, () -> driver.check(users(Map.of())));
        assertEquals("cannot use mybr as the bridge of network n: existing interface mybr is not a bridge"
                + " (it is a veth device)", checked.getMessage());
        assertThrows(ConflictException.class, () -> driver.ensure(users(Map.of())));
        driver.delete(users(Map.of()));

        assertEquals(List.of(), host.calls);
        assertEquals(List.of(), sysctls.writes);
    }

    @Test
    void deleteDetachesABerthBridgeAtOnceAndLeavesTheDeletionToTheReaper() {
        Link bridge = host.add(BRIDGE, "bridge", 0, 0);
        address(bridge, "198.51.100.1", 24, 0);
        address(bridge, "fe80::1", 64, RT_SCOPE_LINK);
        host.calls.clear();

        driver.delete(ipv4());

        // the reaper may already be at work: what the driver did is in the first five requests
        List<String> detached = host.calls.subList(0, 5);
        String retired = detached.get(4).substring(("setName #" + bridge.index() + " ").length());
        assertEquals(List.of("deleteAddress #" + bridge.index() + " 198.51.100.1/24",
                "deleteAddress #" + bridge.index() + " fe80:0:0:0:0:0:0:1/64", "setUp #" + bridge.index() + " false",
                "setGroup " + BRIDGE + " " + DeviceNames.OWNED_BRIDGE_GROUP, "setName #" + bridge.index() + " " + retired),
                detached, "subnet, routes and name free at once; known as Berth's should the reaper never get to it");
        assertTrue(retired.matches(DeviceNames.RETIRED_BRIDGE_PREFIX + "[0-9a-f]{12}"), retired);
        assertTrue(host.byName(BRIDGE).isEmpty());
        assertTrue(reaper.drain(Duration.ofSeconds(5)));
        assertFalse(host.links.containsKey(bridge.index()));
        assertTrue(host.calls.contains("deleteLink " + retired), host.calls.toString());

        host.calls.clear();
        driver.delete(ipv4());
        assertEquals(List.of(), host.calls, "a bridge already gone is no error");
    }

    @Test
    void deleteTakesOnlyTheNetworksGatewaysOffAUsersBridge() {
        Link mybr = host.add("mybr", "bridge", 0, 0);
        host.setUp(mybr.index(), true);
        address(mybr, "198.51.100.1", 24, 0);
        address(mybr, "10.9.0.1", 16, 0);

        driver.delete(users(Map.of()));

        Link kept = host.links.get(mybr.index());
        assertEquals("mybr", kept.name());
        assertTrue(kept.up());
        assertEquals(List.of("10.9.0.1/16"), addresses("mybr"));
        assertTrue(reaper.drain(Duration.ofSeconds(5)));
        assertTrue(host.links.containsKey(mybr.index()), "never deleted");
    }

    @Test
    void aKernelRefusalIsTheDaemonsOwnFault() {
        host.refused = "setUp";

        InternalException e = assertThrows(InternalException.class, () -> driver.ensure(ipv4()));

        assertTrue(e.getMessage().startsWith("ensure bridge " + BRIDGE + " of network n: "), e.getMessage());
        host.refused = "deleteAddress";
        InternalException deleted = assertThrows(InternalException.class, () -> driver.delete(ipv4()));
        assertTrue(deleted.getMessage().startsWith("delete bridge " + BRIDGE + " of network n: "), deleted.getMessage());
    }
}
