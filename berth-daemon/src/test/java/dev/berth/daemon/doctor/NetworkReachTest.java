package dev.berth.daemon.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.kernel.netlink.ProxyNeighbour;
import dev.berth.kernel.netlink.Route;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the networks' global IPv6 subnets can be reached: on-link (NDP proxy), routed by the upstream, or NATed. */
class NetworkReachTest {
    private final FakeHost host = FakeHost.lan();

    @Test
    void aRoutedSubnetOutsideEveryOnLinkPrefixNeedsTheUpstreamsRoute() {
        host.routed("far", "2001:db8:99::/64");
        Finding f = host.one(new SubnetReachCheck());
        assertEquals(Severity.WARNING, f.severity());
        assertEquals("ipv6-subnet-unrouted", f.id());
        assertEquals("far", f.subject());
        assertEquals("network far (routed) has the global subnet 2001:db8:99::/64, which lies in no on-link prefix of "
                + "this host (2001:db8::/64 on eth0)", f.found());
        assertEquals(List.of("# on the upstream router:", "ip -6 route add 2001:db8:99::/64 via 2001:db8::2",
                "# or use a ULA subnet, which Berth masquerades:",
                "docker network create --ipv6 --subnet fd12:3456:789a::/64 v6net"), f.fix());
    }

    @Test
    void onLinkUlaNatAndInternalSubnetsNeedNoRoute() {
        host.routed("lan", "2001:db8:0:0:8000::/80");
        host.routed("ula", "fd00:5::/64");
        host.network("natted", Map.of(), false, "2001:db8:77::/64");
        host.network("inside", Map.of(PredefinedNetworks.OPT_GATEWAY_MODE_IPV6, "routed"), true, "2001:db8:78::/64");
        assertEquals(Finding.ok("ipv6-subnet-unrouted", "", "every global IPv6 subnet of a routed network lies in an "
                + "on-link prefix"), host.one(new SubnetReachCheck()));
    }

    @Test
    void natWithoutMasqueradeMustBeReachedToo() {
        host.network("plain", Map.of(PredefinedNetworks.OPT_ENABLE_IP_MASQUERADE, "false"), false, "2001:db8:98::/64");
        assertEquals(Severity.WARNING, host.one(new SubnetReachCheck()).severity());
        assertEquals(List.of(), host.run(new GlobalNatCheck()).stream().filter(f -> f.severity() != Severity.OK).toList());
    }

    @Test
    void aGlobalSubnetInNatModeSuggestsRouting() {
        host.network("web", Map.of(), false, "172.18.0.0/16", "2001:db8:77::/64");
        Finding f = host.one(new GlobalNatCheck());
        assertEquals(Severity.INFO, f.severity());
        assertEquals("network web has the global subnet 2001:db8:77::/64 in nat mode", f.found());
        assertEquals(List.of("docker network rm web", "docker network create --ipv6 --subnet 2001:db8:77::/64 "
                + "-o com.docker.network.bridge.gateway_mode_ipv6=routed web"), f.fix());
        host.networks.clear();
        host.network("bridge", Map.of(PredefinedNetworks.OPT_BRIDGE_NAME, "docker0"), false, "2001:db8:76::/64");
        assertTrue(host.one(new GlobalNatCheck()).fix().getFirst().contains("default-network-opts"));
    }

    @Test
    void defaultBridgeSandboxesLeftWithoutIpv6AtStartAreAWarningWithTheReloadThatFixesIt() {
        host.network("lan", Map.of(), false, "fd00:9::/64");
        assertEquals(List.of(), host.run(new BridgeIpv6RoomCheck()), "no default bridge: nothing to say");
        Network bridge = host.network("bridge", Map.of(PredefinedNetworks.OPT_BRIDGE_NAME, "docker0"), false,
                "172.17.0.0/16", "2001:db8:9::/126");
        host.endpoint(bridge, "2001:db8:9::2/126").endpoint(bridge, "2001:db8:9::3/126");
        assertEquals(Finding.ok("ipv6-bridge-room", "bridge", "every sandbox on the default bridge has an IPv6 address in"
                + " 2001:db8:9::/126"), host.one(new BridgeIpv6RoomCheck()));
        host.endpoint(bridge, null);
        Finding f = host.one(new BridgeIpv6RoomCheck());
        assertEquals(Severity.WARNING, f.severity());
        assertEquals("1 sandbox on the default bridge has no IPv6 address: the range 2001:db8:9::/126 has no room"
                + " (000000000000)", f.found());
        assertEquals("kill -HUP \"$(cat /run/berth/berthd.pid)\"", f.fix().getLast());
        host.networks.clear();
        host.network("bridge", Map.of(), false, "172.17.0.0/16");
        assertEquals(List.of(), host.run(new BridgeIpv6RoomCheck()), "no IPv6 on the bridge: nothing to say");
    }

    @Test
    void proxyNdpOffForARoutedNetworkInTheLanPrefixIsAnError() {
        Network lan = host.routed("lan", "2001:db8:0:0:8000::/80");
        Finding f = host.one(new ProxyNdpCheck());
        assertEquals(Severity.ERROR, f.severity());
        assertEquals("eth0", f.subject());
        assertEquals("networks lan lie in an on-link prefix of eth0, but net.ipv6.conf.eth0.proxy_ndp is 0", f.found());
        assertEquals("sysctl -w net.ipv6.conf.eth0.proxy_ndp=1", f.fix().getFirst());

        host.sysctl("net/ipv6/conf/eth0/proxy_ndp", "1");
        host.endpoint(lan, "2001:db8::8000:0:0:2/80").endpoint(lan, "2001:db8::8000:0:0:3/80");
        host.proxies.add(new ProxyNeighbour(host.link("eth0").index(), IpAddresses.parse("2001:db8::8000:0:0:2")));
        List<Finding> found = host.run(new ProxyNdpCheck());
        assertEquals(Severity.OK, found.getFirst().severity());
        Finding entry = found.get(1);
        assertEquals("ipv6-proxy-ndp-entry", entry.id());
        assertEquals(Severity.ERROR, entry.severity());
        assertTrue(entry.fix().getFirst().startsWith("# Berth adds these entries itself"), entry.fix().getFirst());
        assertEquals(List.of("ip -6 neigh add proxy 2001:db8::8000:0:0:3 dev eth0"), entry.fix().subList(1, 2));

        // one of Berth's own entries, marked with its protocol, counts as well
        host.proxies.add(new ProxyNeighbour(host.link("eth0").index(), IpAddresses.parse("2001:db8::8000:0:0:3"), 98));
        assertEquals(1, host.run(new ProxyNdpCheck()).size());
    }

    @Test
    void aSubnetThatIsTheLanPrefixItselfIsNotServedAndASliceIsProposed() {
        host.routed("whole", "2001:db8::/64");
        Finding f = host.one(new SubnetReachCheck());
        assertEquals(Severity.WARNING, f.severity());
        assertEquals("network whole (routed) has the global subnet 2001:db8::/64, which is the on-link prefix of eth0 "
                + "itself", f.found());
        assertEquals(List.of("# give the network a slice of 2001:db8::/64, such as 2001:db8:0:0:ffff::/80, which Berth "
                + "proxies on eth0:", "# the gateway mode and subnet are fixed when a network is made: recreate it (with"
                + " its other options) and reconnect its sandboxes", "docker network rm whole", "docker network create --ipv6 --subnet "
                + "2001:db8:0:0:ffff::/80 -o com.docker.network.bridge.gateway_mode_ipv6=routed whole"), f.fix());
        assertEquals(Severity.OK, host.one(new ProxyNdpCheck()).severity(), "no proxy entries expected for it");
    }

    @Test
    void aGatewaylessRouteBesideALone128IsOnLinkAsTheNdpProxySeesIt() {
        FakeHost dhcp = new FakeHost();
        dhcp.link(1, "lo").link(2, "eth0");
        dhcp.address("eth0", "2001:db8::5/128").address("eth0", "fe80::b1/64");
        dhcp.route("2001:db8::/64", null, "eth0", Route.PROTOCOL_RA);       // the RA's on-link prefix
        dhcp.route(null, "fe80::1", "eth0", Route.PROTOCOL_RA);
        dhcp.routed("lan", "2001:db8:0:0:8000::/80");
        assertEquals(Severity.OK, dhcp.one(new SubnetReachCheck()).severity());
        Finding proxyNdp = dhcp.run(new ProxyNdpCheck()).getFirst();
        assertEquals("eth0", proxyNdp.subject(), "proxy_ndp is wanted on the interface of the route");
        assertEquals(Severity.ERROR, proxyNdp.severity());
        assertEquals(Severity.OK, dhcp.one(new UplinkAddressCheck()).severity(), "the /64 is on-link: not a lone /128");
    }

    @Test
    void theSliceOfAPrefixIsItsLastOneSixteenBitsLonger() {
        assertEquals("2001:db8:0:0:ffff::/80", SubnetReachCheck.slice(IpPrefix.parse("2001:db8::/64")).orElseThrow().toString());
        assertEquals("2001:db8:0:ffff::/64", SubnetReachCheck.slice(IpPrefix.parse("2001:db8::/48")).orElseThrow().toString());
        assertTrue(SubnetReachCheck.slice(IpPrefix.parse("2001:db8::/112")).isEmpty(), "no room for hosts");
    }

    @Test
    void noRoutedNetworkOnLinkNeedsNoProxy() {
        host.routed("far", "2001:db8:99::/64");
        assertEquals(Severity.OK, host.one(new ProxyNdpCheck()).severity());
    }
}
