package dev.berth.core.service.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.service.Fixture;
import dev.berth.core.service.RecordingDriver;
import dev.berth.core.service.sandbox.CreateSandbox;
import dev.berth.core.spi.NetworkDriver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Global (overlay) networks in the network service: the driver's cluster-wide claim before
 * anything is stored, the global pool, and the cluster's calls (adopt, forget, remote addresses).
 */
class OverlayNetworkTest {

    /** An overlay driver over a recording one: claims set the VNI, or fail as told. */
    private static final class FakeOverlay implements NetworkDriver {
        final RecordingDriver kernel = new RecordingDriver(PredefinedNetworks.DRIVER_OVERLAY);
        final List<String> calls = new ArrayList<>();
        RuntimeException failClaim;
        RuntimeException failRemove;
        int vni = 4097;
        java.util.Optional<dev.berth.core.model.IpPrefix> ipv6Pool = java.util.Optional.empty();
        int ipv6PoolAsked;

        @Override
        public java.util.Optional<dev.berth.core.model.IpPrefix> ipv6Pool() {
            ipv6PoolAsked++;
            return ipv6Pool;
        }

        @Override
        public String name() {
            return PredefinedNetworks.DRIVER_OVERLAY;
        }

        @Override
        public Network claim(Network network) {
            calls.add("claim " + network.name());
            if (failClaim != null) {
                throw failClaim;
            }
            TreeMap<String, String> options = new TreeMap<>(network.options());
            options.put(PredefinedNetworks.OPT_OVERLAY_VNI, Integer.toString(vni++));
            return new Network(network.id(), network.name(), network.driver(), network.created(), network.scope(),
                    network.ipam(), network.flags(), options, network.labels());
        }

        @Override
        public void checkRemove(Network network) {
            if (failRemove != null) {
                throw failRemove;
            }
        }

        @Override
        public void ensure(Network network) {
            calls.add("ensure " + network.name());
            kernel.ensure(network);
        }

        @Override
        public void delete(Network network) {
            calls.add("delete " + network.name());
        }
    }

    private final FakeOverlay overlay = new FakeOverlay();
    private final Fixture f = new Fixture(overlay);

    private static CreateNetwork overlay(String name, Boolean ipv6, List<PoolRequest> pools, Map<String, String> options) {
        return new CreateNetwork(name, "overlay", "", null, ipv6, new IpamRequest("default", Map.of(), pools),
                CreateNetwork.RequestFlags.NONE, null, options, Map.of());
    }

    private static String subnet(Network n) {
        return String.join(" ", n.ipam().pools().stream().map(p -> p.subnet().toString()).toList());
    }

    @Test
    void withoutAnOverlayDriverItIsDockersSwarmAnswer() {
        ForbiddenException e = assertThrows(ForbiddenException.class,
                () -> new Fixture().service.create(overlay("ov", null, List.of(), Map.of())));
        assertEquals(NetworkPlanner.SWARM_ONLY, e.getMessage());
    }

    @Test
    void anOverlayIsGlobalTakesTheGlobalPoolAndIsStoredAsClaimed() {
        Network a = f.service.create(overlay("a", null, List.of(), Map.of())).network();
        Network b = f.service.create(overlay("b", null, List.of(), Map.of())).network();
        assertEquals(Network.SCOPE_GLOBAL, a.scope());
        assertTrue(a.isGlobal() && a.isBridged());
        assertEquals("10.0.0.0/24", subnet(a));
        assertEquals("10.0.1.0/24", subnet(b));
        assertEquals("4097", a.options().get(PredefinedNetworks.OPT_OVERLAY_VNI));
        assertEquals(a, f.store.networks.get(a.id()), "stored as the cluster has it (with its VNI)");
        assertEquals(List.of("claim a", "ensure a", "claim b", "ensure b"), overlay.calls);
        assertEquals(java.util.Set.of(a, b), java.util.Set.copyOf(f.service.globalNetworks()));
    }

    @Test
    void aRefusedClaimStoresAndBuildsNothing() {
        overlay.failClaim = new UnavailableException("cluster store etcd://x:2379 is unavailable");
        assertThrows(UnavailableException.class, () -> f.service.create(overlay("a", null, List.of(), Map.of())));
        overlay.failClaim = new ConflictException("network with name a already exists");
        assertThrows(ConflictException.class, () -> f.service.create(overlay("a", null, List.of(), Map.of())));
        assertTrue(f.store.networks.values().stream().noneMatch(n -> n.name().equals("a")));
        assertEquals(List.of("claim a", "claim a"), overlay.calls);
    }

    @Test
    void aFailedBuildGivesTheClaimBack() {
        overlay.kernel.failEnsure = new InternalException("no vxlan");
        assertThrows(InternalException.class, () -> f.service.create(overlay("a", null, List.of(), Map.of())));
        assertEquals(List.of("claim a", "ensure a", "delete a"), overlay.calls);
        assertTrue(f.store.networks.values().stream().noneMatch(n -> n.name().equals("a")));
    }

    @Test
    void ipv6WithoutASubnetTakesTheLowestFree64OfTheClustersPoolAndTheVniOptionIsChecked() {
        InvalidParameterException v6 = assertThrows(InvalidParameterException.class,
                () -> f.service.create(overlay("a", true, List.of(), Map.of())));
        assertTrue(v6.getMessage().contains("needs its IPv6 subnet given (--subnet): the cluster has no IPv6 pool"),
                v6.getMessage());
        Network dual = f.service.create(overlay("b", true, List.of(
                new PoolRequest("fd00:10::/64", "", "", Map.of())), Map.of())).network();
        assertEquals("10.0.0.0/24 fd00:10::/64", subnet(dual));
        f.service.create(overlay("v4", null, List.of(), Map.of()));
        assertEquals(1, overlay.ipv6PoolAsked, "asked only for an IPv6 overlay without its IPv6 subnet");

        overlay.ipv6Pool = java.util.Optional.of(dev.berth.core.model.IpPrefix.parse("fd12:3456:789a::/48"));
        f.service.create(Fixture.request("local6", null, true, List.of(new PoolRequest("fd12:3456:789a::/64", "", "", Map.of())), Map.of()));
        Network auto = f.service.create(overlay("c6", true, List.of(), Map.of())).network();
        assertEquals("10.0.2.0/24 fd12:3456:789a:1::/64", subnet(auto), "the lowest /64 no network here has");
        assertEquals("fd12:3456:789a:1::1", IpAddresses.format(auto.ipam().pools().get(1).gateway().orElseThrow()));
        assertEquals("10.0.3.0/24 fd12:3456:789a:2::/64",
                subnet(f.service.create(overlay("d6", true, List.of(), Map.of())).network()));
        overlay.failClaim = new UnavailableException("cluster store etcd://x:2379 is unavailable");
        assertThrows(UnavailableException.class, () -> f.service.create(overlay("e6", true, List.of(), Map.of())));
        overlay.failClaim = null;
        InvalidParameterException vni = assertThrows(InvalidParameterException.class, () -> f.service.create(
                overlay("c", null, List.of(), Map.of(PredefinedNetworks.OPT_OVERLAY_VNI, "16777216"))));
        assertTrue(vni.getMessage().contains("one VXLAN id from 1 to 16777215"), vni.getMessage());
    }

    @Test
    void anotherHostsNetworkIsAdoptedOnceAndForgottenWhenUnused() {
        Network remote = new Network(new NetworkId("ab".repeat(32)), "ov", "overlay", Instant.EPOCH,
                Network.SCOPE_GLOBAL, new Network.Ipam("default", null, List.of(new dev.berth.core.model.IpamPool(
                dev.berth.core.model.IpPrefix.parse("10.0.7.0/24"), java.util.Optional.empty(),
                java.util.Optional.of(IpAddresses.parse("10.0.7.1")), Map.of(), false))),
                dev.berth.core.model.Network.Flags.ipv4Only(), new TreeMap<>(Map.of(PredefinedNetworks.OPT_OVERLAY_VNI, "4100")),
                new TreeMap<>());
        assertTrue(f.service.adopt(remote));
        assertFalse(f.service.adopt(remote), "adopted once");
        assertEquals(remote, f.service.inspect("ov"));
        assertEquals(remote, f.store.networks.get(remote.id()));
        f.service.holdRemote(remote.id(), IpAddresses.parse("10.0.7.2"));
        f.sandboxes.create(CreateSandbox.on("c1", "ov"));
        String ip = f.sandboxes.inspect("c1").attachments().getFirst().endpoint().ipv4().address().getHostAddress();
        assertEquals("10.0.7.3", ip, "an address held on another host is not offered here");
        assertFalse(f.service.forget(remote.id()), "kept while a sandbox here is on it");
        f.sandboxes.remove("c1", true);
        assertTrue(f.service.forget(remote.id()));
        assertThrows(dev.berth.core.errors.NotFoundException.class, () -> f.service.inspect("ov"));
    }

    @Test
    void anEndpointWhoseAddressAnotherHostTookIsRenumberedAndAnAskedForAddressIsKept() {
        Network remote = new Network(new NetworkId("ef".repeat(32)), "ov", "overlay", Instant.EPOCH,
                Network.SCOPE_GLOBAL, new Network.Ipam("default", null, List.of(new dev.berth.core.model.IpamPool(
                dev.berth.core.model.IpPrefix.parse("10.0.8.0/24"), java.util.Optional.empty(),
                java.util.Optional.of(IpAddresses.parse("10.0.8.1")), Map.of(), false))),
                dev.berth.core.model.Network.Flags.ipv4Only(), new TreeMap<>(Map.of(PredefinedNetworks.OPT_OVERLAY_VNI, "4102")),
                new TreeMap<>());
        assertTrue(f.service.adopt(remote));
        f.sandboxes.create(CreateSandbox.on("c1", "ov"));
        f.sandboxes.create(new CreateSandbox("c2", "", "ov", Map.of("ov",
                new dev.berth.core.service.sandbox.EndpointRequest("10.0.8.9", "", List.of(), "", 0))));
        var c1 = f.sandboxes.inspect("c1").attachments().getFirst().endpoint();
        var c2 = f.sandboxes.inspect("c2").attachments().getFirst().endpoint();
        assertEquals("10.0.8.2", c1.ipv4().address().getHostAddress());
        java.util.List<dev.berth.core.service.event.Change> seen = new ArrayList<>();
        f.state.changes().onChange(seen::add);

        var renewed = f.sandboxes.renumber(remote.id(), c1.id(), java.util.Set.of(IpAddresses.parse("10.0.8.2")));
        assertEquals("10.0.8.3/24", renewed.orElseThrow().ipv4().toString());
        assertEquals(renewed.get(), f.sandboxes.inspect("c1").attachments().getFirst().endpoint());
        assertEquals(renewed.get(), f.store.endpoints().stream().filter(e -> e.id().equals(c1.id())).findFirst().orElseThrow());
        assertTrue(seen.stream().anyMatch(c -> c instanceof dev.berth.core.service.event.Change.EndpointReaddressed r
                && r.before().equals(c1) && r.endpoint().equals(renewed.get())), seen.toString());
        f.sandboxes.create(CreateSandbox.on("c3", "ov"));
        assertEquals("10.0.8.4", f.sandboxes.inspect("c3").attachments().getFirst().endpoint().ipv4().address()
                .getHostAddress(), "the taken address stays held (the other host has it)");

        assertTrue(f.sandboxes.renumber(remote.id(), c2.id(), java.util.Set.of(IpAddresses.parse("10.0.8.9"))).isEmpty(),
                "an address given with --ip is kept");
        assertEquals(c2, f.sandboxes.inspect("c2").attachments().getFirst().endpoint());
        assertTrue(f.sandboxes.renumber(remote.id(), c1.id(), java.util.Set.of(IpAddresses.parse("10.0.8.77"))).isEmpty(),
                "an address the endpoint does not hold changes nothing");
    }

    @Test
    void aNameOrSubnetThisHostHasKeepsAnotherHostsNetworkOut() {
        f.service.create(Fixture.withPools("local", new PoolRequest("10.0.7.0/24", "", "", Map.of())));
        Network clash = new Network(new NetworkId("cd".repeat(32)), "ov", "overlay", Instant.EPOCH,
                Network.SCOPE_GLOBAL, new Network.Ipam("default", null, List.of(new dev.berth.core.model.IpamPool(
                dev.berth.core.model.IpPrefix.parse("10.0.7.0/24"), java.util.Optional.empty(),
                java.util.Optional.of(IpAddresses.parse("10.0.7.1")), Map.of(), false))),
                dev.berth.core.model.Network.Flags.ipv4Only(), new TreeMap<>(Map.of(PredefinedNetworks.OPT_OVERLAY_VNI, "4101")),
                new TreeMap<>());
        assertFalse(f.service.adopt(clash));
        assertThrows(dev.berth.core.errors.NotFoundException.class, () -> f.service.inspect("ov"));
    }

    @Test
    void theDriverMayRefuseARemovalForEndpointsElsewhere() {
        Network a = f.service.create(overlay("a", null, List.of(), Map.of())).network();
        overlay.failRemove = new ForbiddenException("error while removing network: network a has active endpoints");
        assertThrows(ForbiddenException.class, () -> f.service.remove("a"));
        assertEquals(a, f.service.inspect("a"));
        assertFalse(overlay.calls.contains("delete a"));
    }
}
