package dev.berth.daemon.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.IpPrefix;
import dev.berth.kernel.netlink.Route;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The IPv6 uplink: its default route, its global address, a lone /128. */
class UplinkChecksTest {
    private final FakeHost host = FakeHost.lan();

    @Test
    void theDefaultRouteNamesTheUplink() {
        assertEquals(Finding.ok("ipv6-default-route", "eth0", "IPv6 default route via 2001:db8::1 dev eth0 (proto boot)"),
                host.one(new DefaultRouteCheck()));
        assertEquals(Finding.ok("ipv6-uplink-address", "eth0", "eth0 has 2001:db8::2/64 (on-link 2001:db8::/64)"),
                host.one(new UplinkAddressCheck()));
    }

    @Test
    void noDefaultRouteWarnsOnlyWhenAnIpv6NetworkWantsOut() {
        host.routes6.removeIf(Route::isDefault);
        assertEquals(Severity.INFO, host.one(new DefaultRouteCheck()).severity());
        assertEquals(List.of(), host.run(new UplinkAddressCheck()), "no uplink: nothing more to say");
        host.network("v6", Map.of(), false, "fd00:1::/64");
        Finding f = host.one(new DefaultRouteCheck());
        assertEquals(Severity.WARNING, f.severity());
        assertEquals("ip -6 route add default via ROUTER-ADDRESS dev INTERFACE", f.fix().getFirst());
    }

    @Test
    void anUplinkWithoutAGlobalAddress() {
        host.addresses.removeIf(a -> a.address().getHostAddress().startsWith("2001:db8"));
        host.address("eth0", "fd00:aa::2/64");
        Finding f = host.one(new UplinkAddressCheck());
        assertEquals(Severity.WARNING, f.severity());
        assertEquals("ipv6-uplink-address", f.id());
        assertEquals("eth0 (the interface of the IPv6 default route) has no global IPv6 address, only "
                + "fe80::b1/64, fd00:aa::2/64", f.found());
        assertTrue(f.fix().contains("ip -6 addr add ADDRESS/64 dev eth0"), f.fix()::toString);
    }

    @Test
    void aLone128SuggestsAFreeUlaNetwork() {
        host.addresses.removeIf(a -> a.address().getHostAddress().startsWith("2001:db8"));
        host.routes6.removeIf(r -> r.destination() != null && r.prefixLength() == 64 && !r.destination().isLinkLocalAddress());
        host.address("eth0", "2001:db8::2/128");
        host.route("2001:db8::1/128", null, "eth0", Route.PROTOCOL_BOOT);
        host.network("first", Map.of(), false, "fd12:3456:789a::/64");
        Finding f = host.one(new UplinkAddressCheck());
        assertEquals("ipv6-uplink-128", f.id());
        assertEquals(Severity.WARNING, f.severity());
        assertEquals("eth0 has only 2001:db8::2/128 and no on-link global prefix", f.found());
        assertTrue(f.why().contains("Berth masquerades it behind 2001:db8::2"), f.why());
        assertEquals(List.of("docker network create --ipv6 --subnet fd12:3456:789a:1::/64 v6net"), f.fix());
    }

    @Test
    void anOnLinkRouteGivesA128Room() {
        host.addresses.removeIf(a -> a.address().getHostAddress().startsWith("2001:db8"));
        host.address("eth0", "2001:db8::2/128");
        assertEquals(Severity.OK, host.one(new UplinkAddressCheck()).severity(), "2001:db8::/64 dev eth0 is on-link");
    }

    @Test
    void theUlaSuggestionSkipsTakenSubnets() {
        host.network("a", Map.of(), false, "fd12:3456:789a::/64");
        host.network("b", Map.of(), false, "fd12:3456:789a:1::/80");
        assertEquals(IpPrefix.parse("fd12:3456:789a:2::/64"), host.view().desired().freeUla());
    }
}
