package dev.berth.daemon.driver.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.EndpointJoin;
import dev.berth.core.spi.KernelDrift;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.Link;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link BridgeDrift} over hand-made dumps: each difference it must see, and none when all is as ensured. */
class BridgeDriftTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(7);
    private static final Network NET = new Network(NetworkId.random(RANDOM), "net1", PredefinedNetworks.DRIVER_BRIDGE,
            Instant.EPOCH, Network.SCOPE_LOCAL, new Network.Ipam(Network.Ipam.DEFAULT_DRIVER, null,
                    List.of(IpamPool.of(IpPrefix.parse("172.18.0.0/16"), IpAddresses.parse("172.18.0.1")))),
            new Network.Flags(true, false, false, false, false, false), new TreeMap<>(Map.of()), new TreeMap<>());
    private static final String BRIDGE = DeviceNames.bridgeName(NET);
    private static final Sandbox BOX = new Sandbox(SandboxId.random(RANDOM), "c1", "c1", "/run/x", Instant.EPOCH,
            Sandbox.MODE_BRIDGE, List.of());
    private static final Endpoint EP = new Endpoint(EndpointId.random(RANDOM), NET.id(), BOX.id(), "eth0", "veth1234567",
            "02:42:ac:12:00:02", IpPrefix.parse("172.18.0.2/16"), null, List.of(), Endpoint.Requested.NONE);
    private static final List<EndpointJoin> JOINS = List.of(new EndpointJoin(NET, BOX, EP));

    private static Link link(int index, String name, String kind, int mtu, boolean up, int master) {
        return new Link(index, name, kind, mtu, new byte[6], up, master, Link.OPER_UP, 0);
    }

    private static final Address GATEWAY = new Address(5, IpAddresses.parse("172.18.0.1"), 16, 0, 0);

    private static List<String> drift(List<Link> links, List<Address> addresses) {
        return new BridgeDrift(links, addresses).of(List.of(NET), JOINS).stream().map(KernelDrift::description).toList();
    }

    private static List<Link> healthy() {
        return new ArrayList<>(List.of(link(5, BRIDGE, "bridge", 1500, true, 0), link(9, "veth1234567", "veth", 1500, true, 5)));
    }

    @Test
    void nothingDiffersWhenAllIsAsEnsured() {
        assertEquals(List.of(), drift(healthy(), List.of(GATEWAY)));
    }

    @Test
    void aMissingBridgeIsOneDifferenceNotOnePerPort() {
        assertEquals(List.of("bridge " + BRIDGE + " missing"), drift(List.of(healthy().get(1)), List.of()));
    }

    @Test
    void gatewayStateAndPortsAreChecked() {
        List<Link> links = List.of(link(5, BRIDGE, "bridge", 1400, false, 0), link(9, "veth1234567", "veth", 1500, true, 0));
        assertEquals(List.of("bridge " + BRIDGE + " down", "bridge " + BRIDGE + " has MTU 1400, not 1500",
                "gateway 172.18.0.1/16 missing on " + BRIDGE, "veth veth1234567 of c1 (eth0) not on " + BRIDGE),
                drift(links, List.of()));
        assertEquals(List.of("veth veth1234567 of c1 (eth0) missing"), drift(List.of(healthy().get(0)), List.of(GATEWAY)));
    }

    @Test
    void aUsersBridgeKeepsItsOwnMtuUnlessTheNetworkSetsOne() {
        Network named = new Network(NET.id(), NET.name(), NET.driver(), NET.created(), NET.scope(), NET.ipam(),
                NET.flags(), new TreeMap<>(Map.of(PredefinedNetworks.OPT_BRIDGE_NAME, "br-user")), NET.labels());
        Link users = new Link(5, "br-user", "bridge", 9000, new byte[6], true, 0, Link.OPER_UP, 0);
        Link berths = new Link(5, "br-user", "bridge", 9000, new byte[6], true, 0, Link.OPER_UP,
                DeviceNames.OWNED_BRIDGE_GROUP);
        assertEquals(List.of(), new BridgeDrift(List.of(users), List.of(GATEWAY)).of(List.of(named), List.of()));
        assertEquals(List.of("bridge br-user has MTU 9000, not 1500"),
                new BridgeDrift(List.of(berths), List.of(GATEWAY)).of(List.of(named), List.of()).stream()
                        .map(KernelDrift::description).toList());
    }
}
