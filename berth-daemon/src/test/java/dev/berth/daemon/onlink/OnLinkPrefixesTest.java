package dev.berth.daemon.onlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one on-link rule, over hand-made dumps of a host namespace. */
class OnLinkPrefixesTest {
    private static final int UNIVERSE = 0;
    private static final int LINK = 253;
    private static final int HOST = 254;
    private final List<Link> links = new ArrayList<>();
    private final List<Address> addresses = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();

    private Link link(String name, int group, int master) {
        Link l = new Link(links.size() + 1, name, null, 1500, null, true, master, Link.OPER_UP, group);
        links.add(l);
        return l;
    }

    private void address(Link link, String cidr, int scope, int flags) {
        IpPrefix p = IpPrefix.parse(cidr);
        addresses.add(new Address(link.index(), p.address(), p.length(), scope, flags));
    }

    private void route(Link link, String destination, String via) {
        IpPrefix dst = destination == null ? null : IpPrefix.parse(destination);
        routes.add(new Route(dst == null ? null : dst.address(), dst == null ? 0 : dst.length(),
                via == null ? null : IpAddresses.parse(via), link.index(), 254, 0, Route.PROTOCOL_KERNEL, 10));
    }

    private List<String> onLink() {
        return OnLinkPrefixes.of(links, addresses, routes).stream().map(OnLinkPrefix::toString).toList();
    }

    @Test
    void theAddressesPrefixesOnEveryInterfaceOnceEachWithHostBitsCleared() {
        Link eth0 = link("eth0", 0, 0);
        Link eth1 = link("eth1", 0, 0);
        address(eth0, "2001:db8::2/64", UNIVERSE, Address.FLAG_PERMANENT);
        address(eth0, "2001:db8::3/64", UNIVERSE, 0);
        address(eth0, "fd00:1::5/64", UNIVERSE, 0);
        address(eth1, "2001:db8:1::9/56", UNIVERSE, Address.FLAG_TENTATIVE);
        route(eth0, "2001:db8::/64", null);
        assertEquals(List.of("2001:db8::/64 on eth0", "fd00:1::/64 on eth0", "2001:db8:1::/56 on eth1"), onLink(),
                "ULA counts (the kernel gives it global scope); a tentative address's route is there already");
    }

    @Test
    void aRouteWithoutAGatewayIsOnLinkAlsoBesideALone128() {
        Link eth0 = link("eth0", 0, 0);
        address(eth0, "2001:db8::5/128", UNIVERSE, 0);                  // DHCPv6
        route(eth0, "2001:db8::/64", null);                             // the RA's on-link prefix (L=1, A=0)
        route(eth0, "2001:db8:77::/48", "fe80::1");                     // routed elsewhere: not on-link
        route(eth0, "2001:db8::1/128", null);                           // one neighbour: holds no subnet
        route(eth0, null, "fe80::1");                                   // the default route
        assertEquals(List.of("2001:db8::/64 on eth0"), onLink());
    }

    @Test
    void noIpv4LinkLocalMulticastHostOrFailedPrefixes() {
        Link eth0 = link("eth0", 0, 0);
        address(eth0, "198.51.100.2/24", UNIVERSE, 0);
        address(eth0, "fe80::2/64", LINK, 0);
        address(eth0, "2001:db8:fe::1/64", UNIVERSE, Address.FLAG_DADFAILED);
        address(eth0, "2001:db8:fd::1/64", HOST, 0);
        route(eth0, "fe80::/64", null);
        route(eth0, "ff00::/8", null);
        routes.add(new Route(IpAddresses.parse("::"), 0, null, eth0.index(), 254, 0, Route.PROTOCOL_BOOT, 10));
        assertEquals(List.of(), onLink());
    }

    @Test
    void loopbackAndBerthsOwnDevicesAndTheirPortsAreNeverALan() {
        Link lo = link("lo", 0, 0);
        Link bridge = link("br-1a2b3c4d5e6f", DeviceNames.OWNED_BRIDGE_GROUP, 0);
        Link port = link("veth1234567", 0, bridge.index());
        Link retired = link("bx-00112233", DeviceNames.RETIRED_LINK_GROUP, 0);
        Link users = link("br0", 0, 0);
        address(lo, "2001:db8:ee::1/64", UNIVERSE, 0);
        address(bridge, "2001:db8::1:0:0:1/80", UNIVERSE, 0);
        route(bridge, "2001:db8::1:0:0:0/80", null);
        address(port, "2001:db8:aa::1/64", UNIVERSE, 0);
        route(retired, "2001:db8:bb::/64", null);
        address(users, "2001:db8:cc::1/64", UNIVERSE, 0);
        assertEquals(List.of("2001:db8:cc::/64 on br0"), onLink(), "a bridge of the user's may carry the LAN");
    }

    @Test
    void aPrefixServesItsProperSlicesAndTheNarrowestWins() {
        Link eth0 = link("eth0", 0, 0);
        Link eth1 = link("eth1", 0, 0);
        address(eth0, "2001:db8::2/48", UNIVERSE, 0);
        address(eth1, "2001:db8::3/64", UNIVERSE, 0);
        List<OnLinkPrefix> onLink = OnLinkPrefixes.of(links, addresses, routes);
        OnLinkPrefix lan = onLink.get(1);
        assertTrue(lan.serves(IpPrefix.parse("2001:db8::1:0:0:0/80")));
        assertFalse(lan.serves(IpPrefix.parse("2001:db8::/64")), "the whole prefix is not a slice of it");
        assertEquals(Optional.of(lan), OnLinkPrefixes.serving(onLink, IpPrefix.parse("2001:db8::1:0:0:0/80")));
        assertEquals("eth0", OnLinkPrefixes.serving(onLink, IpPrefix.parse("2001:db8::/64")).orElseThrow().link().name());
        assertEquals("eth0", OnLinkPrefixes.serving(onLink, IpPrefix.parse("2001:db8:0:1::/64")).orElseThrow().link().name());
        assertEquals(Optional.empty(), OnLinkPrefixes.serving(onLink, IpPrefix.parse("2001:db9::/64")));
    }
}
