package dev.berth.daemon.driver.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.model.RemoteEndpoint;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.EndpointJoin;
import dev.berth.core.spi.OverlayStore;
import dev.berth.daemon.driver.bridge.FakeHost;
import dev.berth.daemon.driver.bridge.FakeRtnl;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netlink.VxlanSpec;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The overlay driver on fakes (the host's rtnetlink with VXLAN devices, a sandbox's, the sysctls
 * and the cluster store): devices made with the first local endpoint and removed with the last,
 * every remote endpoint programmed as a static FDB and neighbour entry, nothing left when the
 * store or the kernel refuses a join, and start-up's restore and the reconcile loop's drift.
 */
class OverlayDriverTest {
    private static final String ID = "0a1b2c3d4e5f" + "6".repeat(52);
    private static final String BRIDGE = "br-0a1b2c3d4e5f";
    private static final String VXLAN = "vx-0a1b2c3d4e5f";
    private static final InetAddress VTEP = IpAddresses.parse("198.51.100.21");
    private static final InetAddress PEER = IpAddresses.parse("198.51.100.22");
    private final FakeHost fakes = new FakeHost();
    private final FakeRtnl host = fakes.host;
    private final Store store = new Store();
    private final OverlayDriver driver = new OverlayDriver(fakes.bridge, host, store,
            n -> Map.of("net/ipv4/conf/" + BRIDGE + "/route_localnet", "1", "net/ipv4/ip_forward", "1"), fakes.sysctls);

    /** The cluster store: remote endpoints as given, claims recorded, a refusal on demand. */
    private static final class Store implements OverlayStore {
        final List<RemoteEndpoint> remote = new CopyOnWriteArrayList<>();
        final List<String> claimed = new CopyOnWriteArrayList<>();
        volatile RuntimeException refuse;

        @Override
        public InetAddress vtep() {
            return VTEP;
        }

        @Override
        public Optional<IpPrefix> ipv6Pool() {
            return Optional.empty();
        }

        @Override
        public Network claim(Network planned) {
            return planned;
        }

        @Override
        public void release(Network network) {
        }

        @Override
        public void claimEndpoint(Network network, Sandbox sandbox, Endpoint endpoint) {
            if (refuse != null) {
                throw refuse;
            }
            claimed.add(endpoint.id().shortId());
        }

        @Override
        public void releaseEndpoint(Network network, Endpoint endpoint) {
            claimed.remove(endpoint.id().shortId());
        }

        @Override
        public List<RemoteEndpoint> remoteEndpoints(NetworkId network) {
            return remote.stream().filter(r -> r.network().equals(network)).toList();
        }
    }

    @AfterEach
    void close() {
        fakes.close();
    }

    private static Network overlay() {
        TreeMap<String, String> options = new TreeMap<>(Map.of(PredefinedNetworks.OPT_OVERLAY_VNI, "4097",
                PredefinedNetworks.OPT_MTU, "1450"));
        return new Network(new NetworkId(ID), "ov", PredefinedNetworks.DRIVER_OVERLAY, Instant.EPOCH,
                Network.SCOPE_GLOBAL, new Network.Ipam(Network.Ipam.DEFAULT_DRIVER, null, List.of(
                        IpamPool.of(IpPrefix.parse("10.0.0.0/24"), IpAddresses.parse("10.0.0.1")),
                        IpamPool.of(IpPrefix.parse("fd00:10::/64"), IpAddresses.parse("fd00:10::1")))),
                new Network.Flags(true, true, false, false, false, false), options, new TreeMap<>());
    }

    private static EndpointJoin join(int i) {
        SandboxId sid = new SandboxId(Integer.toString(i).repeat(64));
        Sandbox sandbox = new Sandbox(sid, "c" + i, "c" + i, "/run/berth/netns/" + sid.shortId(), Instant.EPOCH,
                Sandbox.MODE_BRIDGE);
        Endpoint e = new Endpoint(new EndpointId(Integer.toString(i).repeat(64)), new NetworkId(ID), sid, "eth0",
                "veth" + i + "a1b2c3", "02:42:0a:00:00:0" + i, IpPrefix.parse("10.0.0." + i + "/24"),
                IpPrefix.parse("fd00:10::" + i + "/64"), List.of(), Endpoint.Requested.NONE);
        return new EndpointJoin(overlay(), sandbox, e);
    }

    private static RemoteEndpoint remote(int i, InetAddress vtep) {
        return new RemoteEndpoint(new NetworkId(ID), new EndpointId("f".repeat(63) + i), new SandboxId("e".repeat(64)),
                "r" + i, "02:42:0a:00:01:0" + i, IpPrefix.parse("10.0.1." + i + "/24"),
                IpPrefix.parse("fd00:10::1:" + i + "/64"), List.of(), "host" + i, vtep);
    }

    /** The host's links but retired bridges ({@code bx-…}, renamed on their way to the link reaper). */
    private List<String> live() {
        return host.names().stream().filter(n -> !n.startsWith("bx-")).toList();
    }

    private Link vxlan() {
        return host.byName(VXLAN).orElseThrow(() -> new AssertionError("no " + VXLAN + " in " + host.names()));
    }

    private List<String> fdb() {
        return host.entries(RtNetlink.AF_BRIDGE, vxlan().index());
    }

    private List<String> neighbours() {
        List<String> out = new ArrayList<>(host.entries(RtNetlink.AF_INET, vxlan().index()));
        out.addAll(host.entries(RtNetlink.AF_INET6, vxlan().index()));
        return out;
    }

    @Test
    void noDevicesUntilTheFirstLocalEndpoint() {
        driver.ensure(overlay());

        assertEquals(List.of(), host.names(), "a network without endpoints here has no devices here");
        assertEquals(List.of(), host.calls);
    }

    @Test
    void theFirstJoinMakesTheBridgeAndVxlanDeviceWithEveryRemoteEndpoint() {
        store.remote.add(remote(1, PEER));

        driver.join(join(2));

        Link bridge = host.byName(BRIDGE).orElseThrow();
        Link vxlan = vxlan();
        assertEquals("vxlan", vxlan.kind());
        assertEquals(new VxlanSpec(VXLAN, 4097, VTEP, 4789, 1450, DeviceNames.OWNED_BRIDGE_GROUP),
                host.vxlans.get(vxlan.index()), "VNI, this host's VTEP, Docker's port and the overlay MTU");
        assertEquals(bridge.index(), vxlan.masterIndex(), "a port of the network's bridge");
        assertTrue(vxlan.up());
        assertEquals(List.of("02:42:0a:00:01:01 198.51.100.22"), fdb(), "frames for the remote MAC go to its host");
        assertEquals(List.of("10.0.1.1 02:42:0a:00:01:01", "fd00:10::1:1 02:42:0a:00:01:01"), neighbours(),
                "both its addresses answer with its MAC, no ARP or ND across the tunnel");
        assertEquals(bridge.index(), host.byName("veth2a1b2c3").orElseThrow().masterIndex(), "the sandbox's veth");
        assertEquals(List.of("2".repeat(12)), store.claimed, "announced in the cluster store");
        assertTrue(fakes.sysctls.writes.contains("net/ipv4/conf/" + BRIDGE + "/route_localnet=1"),
                fakes.sysctls.writes.toString());
        assertFalse(fakes.sysctls.writes.contains("net/ipv4/ip_forward=1"),
                "only the bridge's own sysctls here, the firewall writes the others");
        assertEquals(List.of(), driver.drift(List.of(overlay()), List.of(join(2))), "converged");
    }

    @Test
    void theLastLeaveRemovesTheDevicesAndNotBefore() {
        driver.join(join(1));
        driver.join(join(2));
        assertEquals(1, host.calls.stream().filter(c -> c.startsWith("createVxlan")).count(), "made once");

        driver.leave(join(1));
        assertTrue(host.byName(VXLAN).isPresent() && host.byName(BRIDGE).isPresent(), host.names().toString());
        driver.leave(join(2));

        assertFalse(host.byName(VXLAN).isPresent() || host.byName(BRIDGE).isPresent(), host.names().toString());
        assertEquals(List.of(), store.claimed, "both withdrawn from the cluster store");
        assertEquals(List.of(), driver.drift(List.of(overlay()), List.of()), "no devices of an unused network");
    }

    @Test
    void remoteEndpointsComeAndGoAsTheStoreReportsThem() {
        driver.remoteAdded(overlay(), remote(1, PEER));
        assertEquals(List.of(), host.calls, "no device here: nothing to program");

        driver.join(join(2));
        driver.remoteAdded(overlay(), remote(3, PEER));
        driver.remoteAdded(overlay(), remote(4, IpAddresses.parse("198.51.100.23")));
        assertEquals(List.of("02:42:0a:00:01:03 198.51.100.22", "02:42:0a:00:01:04 198.51.100.23"), fdb());

        driver.remoteRemoved(overlay(), remote(3, PEER));

        assertEquals(List.of("02:42:0a:00:01:04 198.51.100.23"), fdb());
        assertEquals(List.of("10.0.1.4 02:42:0a:00:01:04", "fd00:10::1:4 02:42:0a:00:01:04"), neighbours());
    }

    @Test
    void convergeKeepsExactlyTheStoresRemoteEndpoints() {
        driver.join(join(2));
        driver.remoteAdded(overlay(), remote(3, PEER)); // gone from the store while this host was away
        driver.remoteAdded(overlay(), remote(4, IpAddresses.parse("198.51.100.23")));

        driver.converge(overlay(), List.of(remote(4, PEER), remote(5, PEER)));

        assertEquals(List.of("02:42:0a:00:01:04 198.51.100.22", "02:42:0a:00:01:05 198.51.100.22"), fdb(),
                "the stale entry and the moved endpoint's old tunnel end are gone");
        assertEquals(List.of("10.0.1.4 02:42:0a:00:01:04", "10.0.1.5 02:42:0a:00:01:05",
                "fd00:10::1:4 02:42:0a:00:01:04", "fd00:10::1:5 02:42:0a:00:01:05"), neighbours());
    }

    @Test
    void anAddressTheClusterRefusesMakesNothing() {
        store.refuse = new ConflictException("Address already in use");

        assertThrows(ConflictException.class, () -> driver.join(join(2)));

        assertEquals(List.of(), host.names());
        assertEquals(List.of(), host.calls, "the store is asked before the kernel");
    }

    @Test
    void aVxlanDeviceTheKernelRefusesLeavesNoBridgeAndNoClaim() {
        host.refused = "createVxlan";

        assertThrows(InternalException.class, () -> driver.join(join(2)));

        assertEquals(List.of(), live(), "the bridge made for it is gone again");
        assertEquals(List.of(), store.claimed, "and the endpoint withdrawn");
        host.refused = null;
        driver.join(join(2));
        assertTrue(vxlan().up(), "a later join makes them");
    }

    @Test
    void aDeviceOfAnotherKindUnderTheNameIsNotUsed() {
        host.add(VXLAN, "dummy", 0, 0);

        InternalException e = assertThrows(InternalException.class, () -> driver.join(join(2)));

        assertTrue(e.getMessage().contains("it is a dummy device"), e.getMessage());
        assertEquals(List.of(VXLAN), live(), "the user's device stays, nothing of Berth's is left");
    }

    @Test
    void restoreMakesTheDevicesOfNetworksInUseAndRemovesTheOthers() {
        store.remote.add(remote(1, PEER));
        driver.join(join(2));
        host.deleteLink(VXLAN); // gone while the daemon was down
        assertEquals(1, driver.drift(List.of(overlay()), List.of(join(2))).size(), "the reconcile loop sees it");

        assertEquals(List.of(), driver.restore(List.of(overlay()), List.of(join(2))));
        assertEquals(List.of("02:42:0a:00:01:01 198.51.100.22"), fdb(), "made again, with the remote endpoints");
        assertEquals(List.of(), driver.drift(List.of(overlay()), List.of(join(2))));

        driver.restore(List.of(overlay()), List.of()); // its last endpoint went while the daemon was down
        assertFalse(host.byName(VXLAN).isPresent() || host.byName(BRIDGE).isPresent(), host.names().toString());
    }

    @Test
    void aJoinMakesDevicesDeletedBehindBerthsBackAgain() {
        store.remote.add(remote(1, PEER));
        driver.join(join(2));
        host.deleteLink(VXLAN);
        host.deleteLink(BRIDGE);

        driver.join(join(3));

        assertEquals(host.byName(BRIDGE).orElseThrow().index(), vxlan().masterIndex(),
                "made again at the connect, not at the reconcile loop's next round");
        assertTrue(vxlan().up());
        assertEquals(List.of("02:42:0a:00:01:01 198.51.100.22"), fdb(), "with the remote endpoints");
        assertEquals(host.byName(BRIDGE).orElseThrow().index(), host.byName("veth3a1b2c3").orElseThrow().masterIndex());
        long made = host.calls.stream().filter(c -> c.startsWith("createVxlan")).count();
        driver.join(join(4));
        assertEquals(made, host.calls.stream().filter(c -> c.startsWith("createVxlan")).count(),
                "devices in place are not made again");
    }
}
