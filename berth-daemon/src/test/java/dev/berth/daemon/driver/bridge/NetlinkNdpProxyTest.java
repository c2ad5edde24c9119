package dev.berth.daemon.driver.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.spi.NdpProxy.Entry;
import dev.berth.core.spi.NdpProxy.OnLink;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.ProxyNeighbour;
import dev.berth.kernel.netlink.Route;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The host's NDP proxy over an in-memory namespace: on-link prefixes, Berth's mark, foreign entries, proxy_ndp. */
class NetlinkNdpProxyTest {
    private static final int RT_SCOPE_LINK = 253;
    private final FakeRtnl host = new FakeRtnl();
    private final FakeSysctls sysctls = new FakeSysctls();
    private final NetlinkNdpProxy proxy = new NetlinkNdpProxy(host, sysctls);
    private final Link eth0 = host.add("eth0", "veth", 0, 0);

    private void address(Link link, String address, int length, int scope, int flags) {
        host.addresses.add(new Address(link.index(), IpAddresses.parse(address), length, scope, flags));
    }

    @Test
    void onLinkPrefixesAreThoseOfAddressesAndGatewaylessRoutesOfEveryInterfaceButLoopbackAndBerthsBridges() {
        Link lo = host.add("lo", null, 0, 0);
        Link bridge = host.add("br-1a2b3c4d5e6f", "bridge", 0, DeviceNames.OWNED_BRIDGE_GROUP);
        Link usersBridge = host.add("br0", "bridge", 0, 0);
        address(eth0, "2001:db8::2", 64, 0, Address.FLAG_PERMANENT);
        address(eth0, "198.51.100.2", 24, 0, 0);
        address(eth0, "fe80::2", 64, RT_SCOPE_LINK, 0);
        address(eth0, "2001:db8:ff::1", 128, 0, 0);
        address(eth0, "2001:db8:fe::1", 64, 0, Address.FLAG_DADFAILED);
        address(lo, "::1", 128, 254, 0);
        address(lo, "2001:db8:ee::1", 64, 0, 0);
        address(bridge, "2001:db8::1:0:0:1", 80, 0, 0);
        address(usersBridge, "fd00:1::5", 64, 0, 0);
        host.routes.add(new Route(IpAddresses.parse("2001:db8:5::"), 64, null, eth0.index(), 254, 0, Route.PROTOCOL_RA, 10));
        host.routes.add(new Route(IpAddresses.parse("2001:db8:6::"), 64, IpAddresses.parse("fe80::1"), eth0.index(), 254,
                0, Route.PROTOCOL_RA, 10));

        assertEquals(List.of(new OnLink("eth0", IpPrefix.parse("2001:db8::/64")),
                new OnLink("eth0", IpPrefix.parse("2001:db8:5::/64")), new OnLink("br0", IpPrefix.parse("fd00:1::/64"))),
                proxy.onLink(), "no IPv4, link-local, /128, failed DAD, loopback, Berth bridge or gateway route prefix");
    }

    @Test
    void berthsEntriesCarryItsMarkAndOthersAreNeverTakenOverOrDeleted() {
        Entry mine = new Entry("eth0", IpAddresses.parse("2001:db8::1:0:0:2"));
        Entry theirs = new Entry("eth0", IpAddresses.parse("2001:db8::1:0:0:3"));
        host.addProxyNeighbour(eth0.index(), theirs.address());

        assertTrue(proxy.add(mine));
        assertTrue(proxy.add(mine), "a repeat succeeds");
        assertFalse(proxy.add(theirs), "somebody else's entry serves the address");
        assertEquals(Integer.valueOf(NetlinkNdpProxy.PROTOCOL), host.proxies.get(new ProxyNeighbour(eth0.index(), mine.address())));
        assertEquals(Integer.valueOf(0), host.proxies.get(new ProxyNeighbour(eth0.index(), theirs.address())), "not re-marked");
        assertEquals(Set.of(mine), proxy.entries().berths());
        assertEquals(Set.of(theirs), proxy.entries().foreign());

        proxy.delete(theirs);
        proxy.delete(mine);
        proxy.delete(mine);
        assertEquals(Set.of(new ProxyNeighbour(eth0.index(), theirs.address())), host.proxies.keySet());
        assertTrue(proxy.add(new Entry("gone0", mine.address())), "an interface that went has nothing to proxy");
        proxy.delete(new Entry("gone0", mine.address()));
    }

    @Test
    void proxyNdpIsOneSysctlPerInterfaceInSlashForm() {
        assertFalse(proxy.proxying("eth0.100"));
        proxy.enable("eth0.100");
        assertEquals(List.of("net/ipv6/conf/eth0.100/proxy_ndp=1"), sysctls.writes);
        assertTrue(proxy.proxying("eth0.100"));
    }
}
