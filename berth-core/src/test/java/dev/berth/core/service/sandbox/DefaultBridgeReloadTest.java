package dev.berth.core.service.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.service.Fixture;
import dev.berth.core.service.RecordingDriver;
import dev.berth.core.service.event.Change;
import dev.berth.core.service.event.EventLog;
import dev.berth.core.service.network.BridgeIpam;
import dev.berth.core.service.network.DefaultBridgeSettings;
import dev.berth.core.service.network.NetworkService;
import dev.berth.core.service.network.NetworkSettings;
import dev.berth.core.service.network.PoolRequest;
import dev.berth.core.service.state.ServiceDependencies;
import dev.berth.core.service.state.ServiceState;
import dev.berth.core.spi.HostPrefixes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The plan of each kind of reload of the default bridge: IPv6 on (every endpoint gains the next
 * address, in the order of their IPv4 addresses), a new range (renumbered; kept when still in it),
 * IPv6 off (lost), options only (no endpoint touched), and refusals that change nothing: a range
 * too small for the running sandboxes, a subnet overlapping another network's. The store is written
 * before the kernel is told; start-up converges to the same addresses.
 */
class DefaultBridgeReloadTest {
    private final Fixture f = new Fixture();
    private final List<Change> changes = new ArrayList<>();

    DefaultBridgeReloadTest() {
        f.state.changes().onChange(changes::add);
    }

    private static DefaultBridgeSettings settings(Optional<BridgeIpam> v6, boolean icc) {
        return new DefaultBridgeSettings(BridgeIpam.at(IpPrefix.parse("172.17.0.1/16")), v6, 1500, icc, true,
                "0.0.0.0");
    }

    private static DefaultBridgeSettings v6(String bip6, String fixedCidrV6) {
        return settings(Optional.of(new BridgeIpam(Optional.ofNullable(bip6).map(IpPrefix::parse),
                Optional.ofNullable(fixedCidrV6).map(IpPrefix::parse), Optional.empty())), true);
    }

    private DefaultBridgeReconfigured reload(DefaultBridgeSettings bridge) {
        return reload(bridge, Map.of());
    }

    private DefaultBridgeReconfigured reload(DefaultBridgeSettings bridge, Map<String, Map<String, String>> opts) {
        return f.sandboxes.reconfigure(new NetworkSettings(Fixture.ENGINE_ID, List.of(), bridge, opts));
    }

    private Network bridge() {
        return f.service.inspect(PredefinedNetworks.BRIDGE);
    }

    private String ipv6Of(String sandbox) {
        Endpoint e = f.sandboxes.inspect(sandbox).attachments().getFirst().endpoint();
        return e.ipv6() == null ? null : e.ipv6().toString();
    }

    private String storedIpv6Of(String sandbox) {
        Endpoint e = f.store.endpoints().stream()
                .filter(x -> x.sandboxId().equals(f.sandboxes.resolve(sandbox).id())).findFirst().orElseThrow();
        return e.ipv6() == null ? null : e.ipv6().toString();
    }

    private void three() {
        for (String name : List.of("c1", "c2", "c3")) {
            f.sandboxes.create(CreateSandbox.on(name, PredefinedNetworks.BRIDGE));
        }
        f.bridge.calls.clear();
    }

    @Test
    void ipv6OnGivesEveryRunningEndpointTheNextAddressStoredBeforeTheKernelIsTold() {
        three();
        String id = bridge().id().value();
        List<String> stored = new ArrayList<>();
        f.bridge.calls.clear();
        DefaultBridgeReconfigured r = reload(v6(null, "2001:db8:1::/80"));
        assertEquals(id, bridge().id().value(), "same network id");
        assertTrue(bridge().flags().enableIpv6());
        assertEquals(3, r.change().readdressed().size());
        assertEquals(List.of(), r.failed());
        for (String name : List.of("c1", "c2", "c3")) {
            stored.add(storedIpv6Of(name));
        }
        assertEquals(List.of("2001:db8:1::2/80", "2001:db8:1::3/80", "2001:db8:1::4/80"), stored);
        assertEquals("2001:db8:1::2/80", ipv6Of("c1"));
        assertEquals("ensure bridge", f.bridge.calls.getFirst(), "the bridge first (its new gateway)");
        assertTrue(f.bridge.calls.containsAll(List.of("readdress c1 bridge 2001:db8:1::2/80",
                "readdress c3 bridge 2001:db8:1::4/80", "route v6 via bridge in c2")), f.bridge.calls::toString);
        assertTrue(f.firewall.calls().getLast().startsWith("rebuild"), f.firewall.calls()::toString);
        assertEquals(3, changes.stream().filter(c -> c instanceof Change.EndpointReaddressed).count());

        f.sandboxes.create(CreateSandbox.on("c4", PredefinedNetworks.BRIDGE));
        assertEquals("2001:db8:1::5/80", ipv6Of("c4"), "the address book follows the new range");
    }

    @Test
    void aReloadThatRoutesTheBridgeInsideTheLanPrefixProxiesItsSandboxesAtOnce() {
        f.ndp.link("eth0", "2001:db8::2/64");
        three();
        Map<String, Map<String, String>> routed = Map.of("bridge",
                Map.of(PredefinedNetworks.OPT_GATEWAY_MODE_IPV6, "routed"));
        assertEquals(List.of(), reload(v6(null, "2001:db8::1:0:0:0/80"), routed).failed());
        assertEquals(List.of("eth0 2001:db8::1:0:0:2", "eth0 2001:db8::1:0:0:3", "eth0 2001:db8::1:0:0:4"),
                f.ndp.berthsText(), "with the reload, not at the next reconcile pass");
        reload(settings(Optional.empty(), true), routed);
        assertEquals(List.of(), f.ndp.berthsText(), "gone with the bridge's IPv6");
    }

    @Test
    void aNewRangeRenumbersEndpointsOutsideItAndKeepsThoseInside() {
        three();
        reload(v6("2001:db8:1::1/64", "2001:db8:1::/80"));
        DefaultBridgeReconfigured wider = reload(v6("2001:db8:1::1/64", "2001:db8:1::/72"));
        assertEquals(List.of(), wider.change().readdressed(), "still in the range, same prefix length: kept");
        f.bridge.calls.clear();
        DefaultBridgeReconfigured moved = reload(v6("2001:db8:2::1/64", "2001:db8:2::/80"));
        assertEquals(3, moved.change().readdressed().size());
        assertEquals("2001:db8:2::2/64", ipv6Of("c1"));
        assertEquals("2001:db8:2::4/64", ipv6Of("c3"));
        assertTrue(f.bridge.calls.contains("route v6 via bridge in c1"), "the route follows the new router: "
                + f.bridge.calls);
    }

    @Test
    void ipv6OffTakesTheAddressesAndTheDefaultRoutesAway() {
        three();
        reload(v6(null, "2001:db8:1::/80"));
        f.bridge.calls.clear();
        DefaultBridgeReconfigured off = reload(settings(Optional.empty(), true));
        assertFalse(bridge().flags().enableIpv6());
        assertEquals(1, bridge().ipam().pools().size());
        assertEquals(3, off.change().readdressed().size());
        assertNull(ipv6Of("c2"));
        assertNull(storedIpv6Of("c2"));
        assertTrue(f.bridge.calls.containsAll(List.of("readdress c2 bridge -", "route v6 off bridge in c2")),
                f.bridge.calls::toString);
    }

    @Test
    void iccAloneChangesTheOptionsAndTheFirewallButNoEndpoint() {
        three();
        DefaultBridgeReconfigured r = reload(settings(Optional.empty(), false));
        assertTrue(r.change().changed());
        assertFalse(r.change().addressingChanged());
        assertEquals("false", bridge().options().get(PredefinedNetworks.OPT_ENABLE_ICC));
        assertEquals(List.of("ensure bridge"), f.bridge.calls);
        assertTrue(f.firewall.calls().getLast().startsWith("rebuild"), f.firewall.calls()::toString);
        DefaultBridgeReconfigured again = reload(settings(Optional.empty(), false));
        assertFalse(again.change().changed(), "the same settings again change nothing");
    }

    @Test
    void aRangeTooSmallOrAnOverlappingSubnetIsRefusedWithNothingChanged() {
        three();
        Network before = bridge();
        List<Endpoint> storedBefore = f.store.endpoints();
        UnavailableException full = assertThrows(UnavailableException.class,
                () -> reload(v6(null, "2001:db8:9::/126")));
        assertTrue(full.getMessage().contains("2001:db8:9::/126 has no free address left for the 3 endpoints"),
                full::getMessage);
        assertEquals(before, bridge());
        assertEquals(storedBefore, f.store.endpoints());
        assertEquals(List.of(), f.bridge.calls);

        DefaultBridgeSettings small = new DefaultBridgeSettings(BridgeIpam.at(IpPrefix.parse("172.17.0.1/16")),
                v6(null, "2001:db8:1::/80").ipv6(), 1200, true, true, "0.0.0.0");
        Fixture lowMtu = new Fixture(List.of(), new DefaultBridgeSettings(IpPrefix.parse("172.17.0.1/16"), 1200, true,
                true, "0.0.0.0"));
        InvalidParameterException mtu = assertThrows(InvalidParameterException.class,
                () -> lowMtu.sandboxes.reconfigure(new NetworkSettings(Fixture.ENGINE_ID, List.of(), small)));
        assertTrue(mtu.getMessage().startsWith("IPv6 needs an MTU of at least 1280; the default bridge runs with mtu"
                + " 1200"), mtu::getMessage);

        f.service.create(Fixture.request("v6net", null, true, List.of(PoolRequest.subnet("fd00:5::/64")), Map.of()));
        InvalidParameterException overlap = assertThrows(InvalidParameterException.class,
                () -> reload(v6(null, "fd00:5::/80")));
        assertTrue(overlap.getMessage().contains("overlaps the subnet fd00:5::/64 of network v6net"), overlap::getMessage);
        assertEquals(before, bridge());
    }

    @Test
    void defaultNetworkOptsReachNewNetworksAndTheDefaultBridgesGatewayModes() {
        Map<String, String> routed = Map.of(PredefinedNetworks.OPT_GATEWAY_MODE_IPV6, "routed");
        DefaultBridgeReconfigured r = reload(settings(Optional.empty(), true), Map.of("bridge", routed));
        assertFalse(r.change().addressingChanged());
        assertEquals("routed", bridge().options().get(PredefinedNetworks.OPT_GATEWAY_MODE_IPV6));
        f.service.create(Fixture.withPools("after"));
        assertEquals("routed", f.service.inspect("after").options().get(PredefinedNetworks.OPT_GATEWAY_MODE_IPV6),
                "a network created after the reload gets the new default");
        reload(settings(Optional.empty(), true), Map.of());
        assertNull(bridge().options().get(PredefinedNetworks.OPT_GATEWAY_MODE_IPV6));
        assertEquals("routed", f.service.inspect("after").options().get(PredefinedNetworks.OPT_GATEWAY_MODE_IPV6),
                "networks made before keep what they were made with");
    }

    @Test
    void startUpGivesStoredEndpointsTheAddressesAReloadWouldHaveGiven() {
        three();
        ServiceState again = restartWith(v6(null, "2001:db8:1::/80"));
        assertEquals("2001:db8:1::3/80", storedIpv6Of("c2"));
        assertEquals(List.of("2001:db8:1::2/80", "2001:db8:1::3/80", "2001:db8:1::4/80"),
                again.attachments().endpoints().stream().map(e -> e.ipv6().toString()).sorted().toList());
    }
    /** A daemon started again on the same store with these default bridge settings. */
    private ServiceState restartWith(DefaultBridgeSettings bridge) {
        ServiceState again = new ServiceState(new ServiceDependencies(f.store,
                List.of(f.bridge, new RecordingDriver("host"), new RecordingDriver("null")), f.firewall,
                HostPrefixes.none(), new EventLog(), f.clock, new SplittableRandom(3)));
        new NetworkService(again, new NetworkSettings(Fixture.ENGINE_ID, List.of(), bridge)).start();
        return again;
    }

    @Test
    void startUpRefusesADefaultBridgeSubnetOverlappingAStoredNetworkNamingTheOption() {
        three();
        reload(v6(null, "2001:db8:1::/80"));
        f.service.create(Fixture.request("v6net", null, true, List.of(PoolRequest.subnet("fd00:5::/64")), Map.of()));
        Network before = bridge();
        List<Endpoint> storedBefore = f.store.endpoints();
        InvalidParameterException fixed = assertThrows(InvalidParameterException.class,
                () -> restartWith(v6(null, "fd00:5::/80")));
        assertEquals("the default bridge's subnet fd00:5::/80 (fixed-cidr-v6) overlaps the subnet fd00:5::/64 of network"
                + " v6net: give another fixed-cidr-v6 or remove network v6net", fixed.getMessage());
        InvalidParameterException bip = assertThrows(InvalidParameterException.class,
                () -> restartWith(v6("fd00:5:0:1::1/56", null)));
        assertTrue(bip.getMessage().startsWith("the default bridge's subnet fd00:5::/56 (bip6) overlaps"), bip::getMessage);
        assertEquals(before, f.store.networks().stream().filter(n -> n.id().equals(before.id())).findFirst().orElseThrow(),
                "nothing stored");
        assertEquals(storedBefore, f.store.endpoints());
        restartWith(v6(null, "2001:db8:1::/80"));
    }

    @Test
    void startUpWithARangeTooSmallForTheSandboxesStartsAndTheLastOnesLoseIpv6() {
        three();
        reload(v6(null, "2001:db8:1::/80"));
        ServiceState again = restartWith(v6(null, "2001:db8:9::/126"));
        assertEquals("2001:db8:9::2/126", storedIpv6Of("c1"));
        assertEquals("2001:db8:9::3/126", storedIpv6Of("c2"));
        assertNull(storedIpv6Of("c3"), "no room: no IPv6 rather than an address outside the bridge's subnet");
        assertEquals(3, again.attachments().endpoints().size());
        assertNull(again.attachments().endpoints().stream()
                .filter(e -> e.sandboxId().equals(f.sandboxes.resolve("c3").id())).findFirst().orElseThrow().ipv6());
        ServiceState wider = restartWith(v6(null, "2001:db8:9::/120"));
        assertEquals("2001:db8:9::4/120", storedIpv6Of("c3"), "a wider range at the next start gives it one");
        assertEquals(3, wider.attachments().endpoints().size());
    }
}
