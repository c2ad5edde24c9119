package dev.berth.core.service.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.ipam.DefaultPools;
import dev.berth.core.ipam.PoolSpec;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.service.Fixture;
import dev.berth.core.service.sandbox.CreateSandbox;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The default bridge's IPv6 and its bip/fixed-cidr/default-gateway settings: checks, pools, start-up. */
class DefaultBridgeIpv6Test {
    private static final IpPrefix ULA_FIRST = new IpPrefix(DefaultPools.ula(Fixture.ENGINE_ID).base().address(), 64);

    private static BridgeIpam ipam(String bip, String fixedCidr, String defaultGateway) {
        return new BridgeIpam(Optional.ofNullable(bip).map(IpPrefix::parse),
                Optional.ofNullable(fixedCidr).map(IpPrefix::parse),
                Optional.ofNullable(defaultGateway).map(IpAddresses::parse));
    }

    private static String problem(boolean v6, String bip, String fixedCidr, String defaultGateway) {
        BridgeIpam.Problem p = ipam(bip, fixedCidr, defaultGateway).problem(v6).orElseThrow();
        return p.setting().option(v6) + " | " + p.message();
    }

    private static String shown(IpamPool pool) {
        return pool.subnet() + " range=" + pool.ipRange().map(Object::toString).orElse("-") + " gw="
                + pool.gateway().map(IpAddresses::format).orElse("-") + " aux=" + pool.auxAddresses().entrySet().stream()
                .map(e -> e.getKey() + ":" + IpAddresses.format(e.getValue())).toList()
                + " via=" + pool.router().map(IpAddresses::format).orElse("-");
    }

    private static IpamPool pool(boolean v6, String bip, String fixedCidr, String defaultGateway) {
        return ipam(bip, fixedCidr, defaultGateway).pool(v6, () -> ULA_FIRST);
    }

    private static DefaultBridgeSettings withIpv6(BridgeIpam v6) {
        return new DefaultBridgeSettings(BridgeIpam.at(IpPrefix.parse("172.17.0.1/16")), Optional.of(v6), 1500, true,
                true, "0.0.0.0");
    }

    @Test
    void fixedCidrV6AloneIsSubnetAndRangeAndTheBridgeTakesItsFirstAddress() {
        assertEquals("2001:db8:1::/80 range=2001:db8:1::/80 gw=2001:db8:1::1 aux=[] via=2001:db8:1::1",
                shown(pool(true, null, "2001:db8:1::/80", null)));
        assertEquals("fd00:1::/64 range=fd00:1::/64 gw=fd00:1::1 aux=[] via=fd00:1::1",
                shown(pool(true, null, "fd00:1::8888/64", null)), "host bits are cleared, as moby does");
        assertEquals("fd00::/126 range=fd00::/126 gw=fd00::1 aux=[] via=fd00::1", shown(pool(true, null, "fd00::/126", null)));
    }

    @Test
    void bip6GivesSubnetAndTheBridgesAddressAndFixedCidrV6TheRange() {
        assertEquals("fd00:1::/64 range=- gw=fd00:1::8888 aux=[] via=fd00:1::8888",
                shown(pool(true, "fd00:1::8888/64", null, null)));
        assertEquals("fd00:1::/64 range=fd00:1::/80 gw=fd00:1::1 aux=[] via=fd00:1::1",
                shown(pool(true, "fd00:1::1/64", "fd00:1::/80", null)));
        assertEquals("fd00:1::/64 range=fd00:1:0:0:1::/80 gw=fd00:1::1 aux=[] via=fd00:1::1",
                shown(pool(true, "fd00:1::1/64", "fd00:1::1:0:0:0/80", null)), "bip6 need not lie in the range");
    }

    @Test
    void noConfiguredSubnetTakesTheAutomaticOne() {
        assertEquals(ULA_FIRST + " range=- gw=" + IpAddresses.format(ULA_FIRST.addressAt(java.math.BigInteger.ONE))
                + " aux=[] via=" + IpAddresses.format(ULA_FIRST.addressAt(java.math.BigInteger.ONE)),
                shown(pool(true, null, null, null)));
    }

    @Test
    void defaultGatewayIsAnAuxiliaryAddressAndTheRouter() {
        assertEquals("fd00:1::/64 range=fd00:1::/64 gw=fd00:1::1 aux=[DefaultGatewayIPv6:fd00:1::fe] via=fd00:1::fe",
                shown(pool(true, null, "fd00:1::/64", "fd00:1::fe")));
        assertEquals("172.17.0.0/16 range=- gw=172.17.0.1 aux=[DefaultGatewayIPv4:172.17.0.254] via=172.17.0.254",
                shown(pool(false, "172.17.0.1/16", null, "172.17.0.254")));
        assertEquals("fd00:1::/64 range=fd00:1::/64 gw=fd00:1::2 aux=[DefaultGatewayIPv6:fd00:1::1] via=fd00:1::1",
                shown(pool(true, null, "fd00:1::/64", "fd00:1::1")), "a router at ::1 moves the bridge to ::2");
        assertEquals("10.0.0.0/24 range=10.0.0.0/24 gw=10.0.0.1 aux=[] via=10.0.0.1",
                shown(pool(false, null, "10.0.0.0/24", null)));
    }

    @Test
    void singleValuesAreCheckedWithMobysWords() {
        assertEquals("fixed-cidr-v6 | invalid fixed-cidr-v6: '10.3.4.0/24' is not a valid IPv6 subnet",
                problem(true, null, "10.3.4.5/24", null));
        assertEquals("fixed-cidr-v6 | invalid fixed-cidr-v6: multicast subnet 'ff02::/64' is not allowed",
                problem(true, null, "ff02::/64", null));
        assertEquals("fixed-cidr-v6 | invalid fixed-cidr-v6: 'fe80::/63' clashes with the Link-Local prefix 'fe80::/64'",
                problem(true, null, "fe80::/63", null));
        assertEquals("fixed-cidr-v6 | invalid fixed-cidr-v6: 'fe80::/80' clashes with the Link-Local prefix 'fe80::/64'",
                problem(true, null, "fe80::/80", null));
        assertTrue(ipam(null, "fe80::/64", null).problem(true).isEmpty(), "fe80::/64 itself is allowed");
        assertEquals("bip6 | invalid bip6: '10.0.0.1/24' is not a valid IPv6 subnet", problem(true, "10.0.0.1/24", null, null));
        assertEquals("bip6 | invalid bip6: multicast subnet 'ff00::/64' is not allowed",
                problem(true, "ff00::1/64", null, null));
        assertEquals("bip6 | invalid bip6: 'fe80::/72' clashes with the Link-Local prefix 'fe80::/64'",
                problem(true, "fe80::1/72", null, null));
        assertEquals("bip6 | invalid bip6: fd00:1::/64 is the subnet's own (anycast) address; bip6 names the bridge's"
                + " address, e.g. fd00:1::1/64", problem(true, "fd00:1::/64", null, null));
        assertEquals("fixed-cidr | invalid fixed-cidr: 'fd00::/64' is not a valid IPv4 subnet",
                problem(false, "172.17.0.1/16", "fd00::/64", null));
        assertEquals("fixed-cidr | invalid fixed-cidr: multicast subnet '224.1.0.0/16' is not allowed",
                problem(false, null, "224.1.0.0/16", null));
        assertEquals("bip | invalid bip: loopback subnet '127.0.0.0/8' is not allowed",
                problem(false, "127.0.0.1/8", null, null));
        assertEquals("default-gateway-v6 | invalid default-gateway-v6: '10.0.0.1' is not an IPv6 address",
                problem(true, null, "fd00::/64", "10.0.0.1"));
        assertEquals("default-gateway | invalid default-gateway: 'fd00::1' is not an IPv4 address",
                problem(false, "172.17.0.1/16", null, "fd00::1"));
    }

    @Test
    void valuesAreCheckedTogether() {
        assertEquals("fixed-cidr-v6 | fixed-cidr-v6=fd00:2::/64 is outside the subnet fd00:1::/64 of bip6 fd00:1::1/64:"
                + " the allocatable range must lie inside the subnet", problem(true, "fd00:1::1/64", "fd00:2::/64", null));
        assertEquals("fixed-cidr-v6 | fixed-cidr-v6=fd00::/48 is outside the subnet fd00::/64 of bip6 fd00::1/64:"
                + " the allocatable range must lie inside the subnet", problem(true, "fd00::1/64", "fd00::/48", null));
        assertEquals("fixed-cidr | fixed-cidr=10.1.0.0/24 is outside the subnet 172.17.0.0/16 of bip 172.17.0.1/16:"
                + " the allocatable range must lie inside the subnet", problem(false, "172.17.0.1/16", "10.1.0.0/24", null));
        assertEquals("default-gateway-v6 | default gateway ip must be part of the network: default-gateway-v6"
                + " 2001:db8::1 is outside fd00:1::/64", problem(true, "fd00:1::1/64", null, "2001:db8::1"));
        assertEquals("default-gateway | default gateway ip must be part of the network: default-gateway 10.0.0.1"
                + " is outside 172.17.0.0/16", problem(false, "172.17.0.1/16", null, "10.0.0.1"));
        assertEquals("default-gateway-v6 | default-gateway-v6 fd00:1::1 is the bridge's own address (bip6); leave"
                + " default-gateway-v6 out to route through the bridge", problem(true, "fd00:1::1/64", null, "fd00:1::1"));
        assertEquals("default-gateway | default-gateway 172.17.255.255 is a reserved address of 172.17.0.0/16",
                problem(false, "172.17.0.1/16", null, "172.17.255.255"));
        assertEquals("default-gateway-v6 | default-gateway-v6 fd00:1:: is a reserved address of fd00:1::/64",
                problem(true, null, "fd00:1::/64", "fd00:1::"));
    }

    @Test
    void thereMustBeRoomForSandboxes() {
        assertEquals("fixed-cidr-v6 | fixed-cidr-v6 fd00::/127 leaves no address for sandboxes",
                problem(true, null, "fd00::/127", null));
        assertEquals("fixed-cidr-v6 | fixed-cidr-v6 fd00::5/128 leaves no address for sandboxes",
                problem(true, "fd00::1/64", "fd00::5/128", "fd00::5"));
        assertTrue(ipam("fd00::1/64", "fd00::5/128", null).problem(true).isEmpty(), "one address is room enough");
        assertEquals("bip6 | bip6 fd00::1/127 leaves no address for sandboxes", problem(true, "fd00::1/127", null, null));
        assertEquals("bip6 | bip6 fd00::1/128 leaves no address for sandboxes", problem(true, "fd00::1/128", null, null));
        assertEquals("fixed-cidr | fixed-cidr 10.0.0.7/32 leaves no address for sandboxes",
                problem(false, null, "10.0.0.7/32", null));
        assertEquals("fixed-cidr | fixed-cidr 10.0.0.0/30 leaves no address for sandboxes",
                problem(false, null, "10.0.0.0/30", "10.0.0.2"));
    }

    @Test
    void poolRefusesWhatProblemReports() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> pool(true, null, null, "2001:db8::1"));
        assertEquals("default gateway ip must be part of the network: default-gateway-v6 2001:db8::1 is outside "
                + ULA_FIRST, e.getMessage());
        assertTrue(ipam(null, null, "2001:db8::1").problem(true).isEmpty(),
                "without a configured subnet the default gateway is checked at start");
    }

    @Test
    void startWithIpv6TakesTheFirstUla64AndKeepsIdsAndSubnetAcrossRestarts() {
        Fixture f = new Fixture(List.of(), withIpv6(BridgeIpam.automatic()));
        Network bridge = f.service.inspect("bridge");
        assertTrue(bridge.flags().enableIpv6());
        assertEquals(2, bridge.ipam().pools().size());
        IpamPool v6 = bridge.ipam().pools().get(1);
        assertEquals(ULA_FIRST, v6.subnet());
        assertEquals(ULA_FIRST.addressAt(java.math.BigInteger.ONE), v6.gateway().orElseThrow());

        Network user = f.service.create(Fixture.request("v6", null, true, List.of(), Map.of())).network();
        assertEquals(ULA_FIRST.addressAt(java.math.BigInteger.ONE.shiftLeft(64)),
                user.ipam().pools().get(1).subnet().address(), "a user network gets the next /64");

        Fixture.Restarted again = f.restarted(9);
        again.service().start(withIpv6(BridgeIpam.automatic()));
        Network after = again.service().inspect("bridge");
        assertEquals(bridge, after, "same id, same pools");
    }

    @Test
    void aUserNetworkHoldingTheFirstUla64PushesTheBridgeToTheNextOneWhichItThenKeeps() {
        Fixture f = new Fixture();
        Network user = f.service.create(Fixture.request("v6", null, true, List.of(), Map.of())).network();
        assertEquals(ULA_FIRST, user.ipam().pools().get(1).subnet());
        Fixture.Restarted again = f.restarted(9);
        again.service().start(withIpv6(BridgeIpam.automatic()));
        IpPrefix second = new IpPrefix(ULA_FIRST.addressAt(java.math.BigInteger.ONE.shiftLeft(64)), 64);
        assertEquals(second, again.service().inspect("bridge").ipam().pools().get(1).subnet());

        again.service().remove("v6");
        Fixture.Restarted third = f.restarted(10);
        third.service().start(withIpv6(BridgeIpam.automatic()));
        assertEquals(second, third.service().inspect("bridge").ipam().pools().get(1).subnet(),
                "the bridge keeps its subnet, so sandboxes that outlived the daemon keep valid addresses");
    }

    @Test
    void configuredIpv6PoolsAreUsedAndIpv6OffDropsThePool() {
        Fixture f = new Fixture(List.of(PoolSpec.of("fd12:3456::/56", 64)), withIpv6(BridgeIpam.automatic()));
        assertEquals("fd12:3456::/64", f.service.inspect("bridge").ipam().pools().get(1).subnet().toString());
        Fixture.Restarted again = f.restarted(9);
        again.service().start(Fixture.BRIDGE);
        Network bridge = again.service().inspect("bridge");
        assertFalse(bridge.flags().enableIpv6());
        assertEquals(1, bridge.ipam().pools().size());
    }

    @Test
    void aDefaultGatewayOutsideTheAutomaticSubnetStopsStartBeforeAnythingIsStored() {
        Fixture f = new Fixture();
        Network before = f.service.inspect("bridge");
        Fixture.Restarted again = f.restarted(9);
        BridgeIpam bad = ipam(null, null, "2001:db8::1");
        assertThrows(InvalidParameterException.class, () -> again.service().start(withIpv6(bad)));
        assertEquals(before, f.store.networks.get(before.id()));
    }

    @Test
    void sandboxesOnTheDefaultBridgeGetSequentialIpv6AddressesAndAnIpv6DefaultRoute() {
        Fixture f = new Fixture(List.of(), withIpv6(ipam(null, "2001:db8:1::/80", null)));
        f.sandboxes.create(CreateSandbox.on("c1", "bridge"));
        f.sandboxes.create(CreateSandbox.on("c2", "bridge"));
        List<String> v6 = f.sandboxes.attachments(f.service.inspect("bridge").id()).stream()
                .map(a -> a.endpoint()).map(Endpoint::ipv6).map(IpPrefix::toString).sorted().toList();
        assertEquals(List.of("2001:db8:1::2/80", "2001:db8:1::3/80"), v6);
        assertTrue(f.bridge.calls.contains("route v6 via bridge in c1"), f.bridge.calls::toString);
        InetAddress gateway = f.service.inspect("bridge").ipam().pools().get(1).gateway().orElseThrow();
        assertEquals("2001:db8:1::1", IpAddresses.format(gateway));
    }
}
