package dev.berth.daemon.driver.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.EndpointFailure;
import dev.berth.core.spi.EndpointJoin;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.RouteSpec;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netns.NetNs;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox side of the bridge driver on in-memory fakes of the host's and a sandbox's rtnetlink
 * sockets and of the sysctls: what a connect, a disconnect, a default route and a restore ask of
 * the kernel, and what they leave behind when the kernel refuses.
 */
class EndpointLinksTest {
    private static final String NETNS = "/run/berth/netns/5a5a5a5a5a5a";
    private final FakeRtnl host = new FakeRtnl();
    private final FakeRtnl sandboxSide = new FakeRtnl();
    private final FakeSysctls sysctls = new FakeSysctls();
    /** A real handle on the test's own namespace, only as the token the fake passes around; nothing enters it. */
    private final NetNs token = NetNs.current();
    private final List<String> opened = new ArrayList<>();
    private final LinkReaper reaper = new LinkReaper(host);
    private final Link bridge;
    private final EndpointLinks links;

    EndpointLinksTest() {
        host.peers = sandboxSide;
        bridge = host.add(BridgeNetworks.BRIDGE, "bridge", 0, DeviceNames.OWNED_BRIDGE_GROUP);
        SandboxSockets sockets = new SandboxSockets(path -> {
            opened.add(path);
            sandboxSide.closed = false;
            return new SandboxSockets.Handle(token, sandboxSide);
        });
        links = new EndpointLinks(host, reaper, new HostForwarding(host, sysctls), n -> 1450, sockets, sysctls);
    }

    @AfterEach
    void close() {
        links.close();
        reaper.close();
        token.close();
    }

    private static Network network() {
        return BridgeNetworks.network(Map.of(), Network.Flags.ipv4Only(),
                BridgeNetworks.pool("198.51.100.0/24", "198.51.100.1"));
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static EndpointJoin join(String hostEnd, String ifName, String ipv4) {
        SandboxId sid = new SandboxId("5a5a5a5a5a5a" + "0".repeat(52));
        Sandbox sandbox = new Sandbox(sid, "web", "web", NETNS, Instant.EPOCH, Sandbox.MODE_BRIDGE);
        Endpoint e = new Endpoint(new EndpointId("e".repeat(64)), new NetworkId(BridgeNetworks.ID), sid, ifName, hostEnd,
                "02:42:c6:33:64:02", IpPrefix.parse(ipv4), null, List.of(), Endpoint.Requested.NONE);
        return new EndpointJoin(network(), sandbox, e);
    }

    @Test
    void connectMakesAPairOnTheBridgeAndConfiguresThePeer() {
        links.join(join("veth0a1b2c3", "eth0", "198.51.100.2/24"));

        Link hostEnd = host.byName("veth0a1b2c3").orElseThrow();
        assertEquals(bridge.index(), hostEnd.masterIndex());
        assertEquals(1450, hostEnd.mtu(), "the network's MTU");
        assertTrue(hostEnd.up());
        assertTrue(host.calls.contains("hairpin #" + hostEnd.index() + " true"), host.calls.toString());
        Link peer = sandboxSide.byName("eth0").orElseThrow();
        assertTrue(peer.up());
        assertEquals(List.of("198.51.100.2"), sandboxSide.addresses(peer.index()).stream()
                .map(a -> a.address().getHostAddress()).toList());
        assertTrue(sysctls.writes.contains("net/ipv6/conf/veth0a1b2c3/disable_ipv6=1"),
                "the bridge port gets no IPv6 of its own: " + sysctls.writes);
        assertFalse(sysctls.writes.stream().anyMatch(w -> w.startsWith("sandbox:")),
                "IPv6 stays off in an IPv4-only sandbox: " + sysctls.writes);
        assertEquals("1", sysctls.values.get("net.ipv4.ip_forward"), "an IPv4 endpoint turns forwarding on");
        assertEquals(List.of(NETNS), opened, "one socket per sandbox namespace");
    }

    private static EndpointJoin withSysctls(EndpointJoin join, String sysctls) {
        Endpoint e = join.endpoint();
        return new EndpointJoin(join.network(), join.sandbox(), new Endpoint(e.id(), e.networkId(), e.sandboxId(),
                e.ifName(), e.hostIfName(), e.mac(), e.ipv4(), e.ipv6(), e.aliases(), new Endpoint.Requested("", "", "", 0,
                List.of(), List.of(), Map.of(Endpoint.Requested.SYSCTLS, sysctls))));
    }

    @Test
    void endpointSysctlsAreSetOnTheInterfaceByItsName() {
        links.join(withSysctls(join("veth0a1b2c3", "eth1", "198.51.100.2/24"),
                "net.ipv4.conf.IFNAME.log_martians=1,net.ipv6.conf.ifname.accept_ra=0"));

        assertTrue(sysctls.writes.containsAll(List.of("sandbox:net/ipv4/conf/eth1/log_martians=1",
                "sandbox:net/ipv6/conf/eth1/accept_ra=0")), sysctls.writes::toString);
        assertTrue(sandboxSide.byName("eth1").orElseThrow().up());
    }

    @Test
    void anEndpointSysctlTheKernelLacksIsTheRequestsFaultAndLeavesNothing() {
        sysctls.refused.put("net/ipv4/conf/eth1/nosuch", dev.berth.kernel.ffm.Errno.ENOENT);
        sysctls.refused.put("net/ipv4/conf/eth1/log_martians", dev.berth.kernel.ffm.Errno.EINVAL);

        InvalidParameterException missing = assertThrows(InvalidParameterException.class, () -> links.join(
                withSysctls(join("veth0a1b2c3", "eth1", "198.51.100.2/24"), "net.ipv4.conf.IFNAME.nosuch=1")));
        assertEquals("/proc/sys/net/ipv4/conf/eth1/nosuch is not a sysctl file", missing.getMessage());
        assertTrue(host.byName("veth0a1b2c3").isEmpty(), "the pair is gone again");
        assertTrue(sandboxSide.closed, "and the sandbox's socket closed");
        InvalidParameterException value = assertThrows(InvalidParameterException.class, () -> links.join(
                withSysctls(join("veth0a1b2c3", "eth1", "198.51.100.2/24"), "net.ipv4.conf.IFNAME.log_martians=x")));
        assertEquals("unable to write to '/proc/sys/net/ipv4/conf/eth1/log_martians': invalid argument", value.getMessage());
        assertTrue(host.byName("veth0a1b2c3").isEmpty());
    }

    @Test
    void aStaleInterfaceOfTheSameNameInTheSandboxGoesFirst() {
        Link stale = sandboxSide.add("eth0", "veth", 0, 0);

        links.join(join("veth0a1b2c3", "eth0", "198.51.100.2/24"));

        assertTrue(sandboxSide.calls.contains("deleteLink #" + stale.index()), sandboxSide.calls.toString());
        assertEquals(1, sandboxSide.names().stream().filter("eth0"::equals).count());
    }

    @Test
    void aFullBridgeWaitsOnceForRetiredPortsThenSucceeds() {
        host.fullFor.set(1);

        links.join(join("veth0a1b2c3", "eth0", "198.51.100.2/24"));

        assertEquals(2, host.calls.stream().filter(c -> c.startsWith("createVeth")).count());
        assertTrue(host.byName("veth0a1b2c3").isPresent());
    }

    @Test
    void aBridgeThatStaysFullIsUnavailableAndLeavesNothingOpen() {
        host.fullFor.set(2);

        UnavailableException e = assertThrows(UnavailableException.class,
                () -> links.join(join("veth0a1b2c3", "eth0", "198.51.100.2/24")));

        assertTrue(e.getMessage().contains("has no free port"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(EndpointLinks.BRIDGE_PORTS)), e.getMessage());
        assertTrue(sandboxSide.closed, "the sandbox's socket is closed when its only endpoint failed");
        assertFalse(host.byName("veth0a1b2c3").isPresent());
    }

    @Test
    void aKernelRefusalAfterCreationTakesTheHostEndAway() {
        // the peer is not where the kernel should have put it
        host.peers = new FakeRtnl();

        InternalException e = assertThrows(InternalException.class,
                () -> links.join(join("veth0a1b2c3", "eth0", "198.51.100.2/24")));

        assertTrue(e.getMessage().startsWith("connect web to network n (veth0a1b2c3 / eth0)"), e.getMessage());
        assertFalse(host.byName("veth0a1b2c3").isPresent(), "no half-made pair is left");
        assertTrue(sandboxSide.closed);
    }

    @Test
    void disconnectRetiresThePeerAndFreesTheBridgePortAtOnceAndDeletesTheHostEndInTheBackground() {
        EndpointJoin j = join("veth0a1b2c3", "eth0", "198.51.100.2/24");
        links.join(j);
        links.defaultRoute(j, false, true);
        int peer = sandboxSide.byName("eth0").orElseThrow().index();

        links.leave(j);

        Link retired = sandboxSide.links.get(peer);
        assertEquals("gone0a1b2c3", retired.name(), "eth0 is free for the next connect at once");
        assertFalse(retired.up());
        assertTrue(sandboxSide.addresses(peer).isEmpty());
        assertTrue(sandboxSide.routes(RtNetlink.AF_INET).isEmpty());
        assertTrue(sandboxSide.closed, "the last endpoint closes the sandbox's socket");
        assertTrue(host.calls.contains("detach veth0a1b2c3 " + LinkReaper.RETIRED_GROUP),
                "the host end leaves the bridge at once, into the reaper's group: " + host.calls);
        assertTrue(reaper.drain(Duration.ofSeconds(5)));
        assertFalse(host.byName("veth0a1b2c3").isPresent());
    }

    @Test
    void theDefaultRouteGoesViaTheGatewayOnceAndComesOff() {
        EndpointJoin j = join("veth0a1b2c3", "eth0", "198.51.100.2/24");
        links.join(j);
        int peer = sandboxSide.byName("eth0").orElseThrow().index();
        sandboxSide.addRoute(new RouteSpec(null, 0, address("203.0.113.1"), 999, RtNetlink.AF_INET));

        links.defaultRoute(j, false, true);
        links.defaultRoute(j, false, true);

        assertEquals(List.of("198.51.100.1 #" + peer), sandboxSide.routes(RtNetlink.AF_INET).stream()
                .map(r -> r.gateway().getHostAddress() + " #" + r.outIndex()).toList(), "the old default is replaced");
        assertEquals(1, sandboxSide.calls.stream().filter(c -> c.startsWith("addRoute via 198.51.100.1")).count(),
                "a route already in place is not re-added");

        links.defaultRoute(j, false, false);
        assertTrue(sandboxSide.routes(RtNetlink.AF_INET).isEmpty());
        links.defaultRoute(j, true, true); // no IPv6 pool: nothing to do
        assertTrue(sandboxSide.routes(RtNetlink.AF_INET6).isEmpty());
    }

    @Test
    void aDefaultGatewayAuxiliaryAddressCarriesTheDefaultRouteInsteadOfTheBridge() {
        EndpointJoin plain = join("veth0a1b2c3", "eth0", "198.51.100.2/24");
        IpamPool routed = new IpamPool(IpPrefix.parse("198.51.100.0/24"), java.util.Optional.empty(),
                java.util.Optional.of(address("198.51.100.1")),
                Map.of(IpamPool.DEFAULT_GATEWAY_IPV4, address("198.51.100.254")), false);
        Network n = plain.network();
        EndpointJoin j = new EndpointJoin(new Network(n.id(), n.name(), n.driver(), n.created(), n.scope(),
                new Network.Ipam(Network.Ipam.DEFAULT_DRIVER, null, List.of(routed)), n.flags(), n.options(),
                n.labels()), plain.sandbox(), plain.endpoint());
        links.join(j);
        int peer = sandboxSide.byName("eth0").orElseThrow().index();
        links.defaultRoute(j, false, true);
        assertEquals(List.of("198.51.100.254 #" + peer), sandboxSide.routes(RtNetlink.AF_INET).stream()
                .map(r -> r.gateway().getHostAddress() + " #" + r.outIndex()).toList());
    }

    @Test
    void restoreRemakesAMissingPairAndQueuesStrayPortsOfItsOwnBridges() {
        Link stray = host.add("veth9999999", "veth", bridge.index(), 0);
        Link usersBridge = host.add("mybr", "bridge", 0, 0);
        Link usersVeth = host.add("veth7777777", "veth", usersBridge.index(), 0);
        EndpointJoin j = join("veth0a1b2c3", "eth0", "198.51.100.2/24");

        List<EndpointFailure> failed = links.restore(List.of(network()), List.of(j));

        assertEquals(List.of(), failed);
        assertTrue(host.byName("veth0a1b2c3").isPresent(), "the missing pair is made again");
        assertTrue(sandboxSide.byName("eth0").isPresent());
        assertTrue(reaper.drain(Duration.ofSeconds(5)));
        assertFalse(host.links.containsKey(stray.index()), "a port of Berth's bridge that no endpoint owns goes");
        assertTrue(host.links.containsKey(usersVeth.index()), "a user's bridge keeps its veths");
    }

    @Test
    void restoreRepairsAPairInPlaceAndReportsAnEndpointWithoutItsBridge() {
        EndpointJoin j = join("veth0a1b2c3", "eth0", "198.51.100.2/24");
        links.join(j);
        Link hostEnd = host.byName("veth0a1b2c3").orElseThrow();
        host.setUp(hostEnd.index(), false);
        host.calls.clear();

        List<EndpointFailure> failed = links.restore(List.of(network()), List.of(j));

        assertEquals(List.of(), failed);
        assertEquals(hostEnd.index(), host.byName("veth0a1b2c3").orElseThrow().index(), "repaired, not replaced");
        assertTrue(host.byName("veth0a1b2c3").orElseThrow().up());
        assertFalse(host.calls.stream().anyMatch(c -> c.startsWith("createVeth")), host.calls.toString());

        host.links.remove(bridge.index());
        List<EndpointFailure> noBridge = links.restore(List.of(network()), List.of(j));
        assertEquals(1, noBridge.size());
        assertTrue(noBridge.getFirst().cause().getMessage().contains("no such bridge"),
                noBridge.getFirst().cause().getMessage());
    }
}
