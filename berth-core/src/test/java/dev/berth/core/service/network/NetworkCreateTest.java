package dev.berth.core.service.network;

import static dev.berth.core.service.Fixture.request;
import static dev.berth.core.service.Fixture.withPools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.BerthException;
import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.ipam.DefaultPools;
import dev.berth.core.ipam.PoolSpec;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.service.Fixture;
import dev.berth.core.service.event.Event;
import dev.berth.core.service.event.FilterTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class NetworkCreateTest {
    private final Fixture f = new Fixture();

    private Network create(CreateNetwork request) {
        return f.service.create(request).network();
    }

    private static String pools(Network n) {
        return String.join(" ", n.ipam().pools().stream()
                .map(p -> p.subnet() + "@" + p.gateway().map(IpAddresses::format).orElse("-")).toList());
    }

    @Test
    void plainCreateTakesTheNextDefaultPoolStoresEnsuresAndEmits() {
        CreatedNetwork created = f.service.create(CreateNetwork.named("mynet"));
        Network n = created.network();
        assertEquals("", created.warning());
        assertEquals("172.18.0.0/16@172.18.0.1", pools(n));
        assertEquals("local", n.scope());
        assertTrue(n.flags().enableIpv4());
        assertFalse(n.flags().enableIpv6());
        assertFalse(n.ipam().pools().getFirst().userConfigured());
        assertEquals(n, f.store.networks.get(n.id()));
        assertEquals(List.of("ensure mynet"), f.bridge.calls);
        assertEquals(n, f.service.inspect("mynet"));
        Event event = f.events.replay(0, Long.MAX_VALUE, e -> true).getLast();
        assertEquals(new Event(Event.Type.NETWORK, Event.Action.CREATE, n.id().value(), Map.of("name", "mynet", "type", "bridge"),
                FilterTimeNanos.of(f.clock.instant())), event);
    }

    @Test
    void freedSubnetIsReusedAtOnceAndHostPrefixesAreSkipped() {
        create(CreateNetwork.named("a"));
        Network b = create(CreateNetwork.named("b"));
        assertEquals("172.19.0.0/16@172.19.0.1", pools(b));
        f.service.remove("a");
        assertEquals("172.18.0.0/16@172.18.0.1", pools(create(CreateNetwork.named("c"))));
        f.hostReserved.add(IpPrefix.parse("172.20.5.0/24"));
        f.hostReserved.add(IpPrefix.parse("172.21.0.0/16"));
        assertEquals("172.22.0.0/16@172.22.0.1", pools(create(CreateNetwork.named("d"))));
    }

    @Test
    void configuredPoolsReplaceDockersAndTheUlaPool() {
        Fixture custom = new Fixture(List.of(PoolSpec.of("10.10.0.0/16", 24), PoolSpec.of("fd12:3456::/48", 64)));
        Network n = custom.service.create(request("n", null, true, List.of(), Map.of())).network();
        assertEquals("10.10.0.0/24@10.10.0.1 fd12:3456::/64@fd12:3456::1", pools(n));
    }

    @Test
    void ipv6WithoutSubnetTakesA64FromTheEngineUla() {
        Network n = create(request("v6", null, true, List.of(), Map.of()));
        IpPrefix ula = DefaultPools.ula(Fixture.ENGINE_ID).base();
        IpamPool v6 = n.ipam().pools().get(1);
        assertEquals(ula.address(), v6.subnet().address());
        assertEquals(64, v6.subnet().length());
        Network second = create(request("v6b", null, true, List.of(), Map.of()));
        assertTrue(second.ipam().pools().get(1).subnet().toString().contains(":1::/64"), pools(second));
        Network only6 = create(request("only6", false, true, List.of(), Map.of()));
        assertEquals(1, only6.ipam().pools().size());
        assertFalse(only6.flags().enableIpv4());
        assertFalse(only6.ipam().pools().getFirst().isIpv4());
    }

    @Test
    void seedIpv6CommandIsNormalisedWithAWarning() {
        CreatedNetwork created = f.service.create(request("my-net-ipv6", null, true,
                List.of(new PoolRequest("fd00:1::1/80", null, "fd00:1::1", Map.of())), Map.of()));
        assertEquals("subnet fd00:1::1/80 has host bits set; Berth uses fd00:1::/80", created.warning());
        assertEquals("172.18.0.0/16@172.18.0.1 fd00:1::/80@fd00:1::1", pools(created.network()));
        assertTrue(created.network().ipam().pools().get(1).userConfigured());
    }

    @Test
    void fullRequestKeepsRangeAuxGatewayOptionsAndLabels() {
        CreateNetwork request = new CreateNetwork("net2", "bridge", "", null, true,
                new IpamRequest("default", Map.of("foo", "bar"), List.of(
                        new PoolRequest("10.10.0.0/24", "10.10.0.128/25", "10.10.0.1", Map.of("host1", "10.10.0.5")),
                        new PoolRequest("fd00:1::/64", null, "fd00:1::1", Map.of()))),
                new CreateNetwork.RequestFlags(true, true, false, false), null,
                Map.of("com.docker.network.bridge.name", "br-x", "com.docker.network.driver.mtu", "1400"),
                Map.of("a", "b", "c", ""));
        Network n = create(request);
        IpamPool v4 = n.ipam().pools().getFirst();
        assertEquals("10.10.0.128/25", v4.ipRange().orElseThrow().toString());
        assertEquals(IpAddresses.parse("10.10.0.5"), v4.auxAddresses().get("host1"));
        assertEquals("10.10.0.0/24@10.10.0.1 fd00:1::/64@fd00:1::1", pools(n));
        assertEquals(Map.of("foo", "bar"), n.ipam().options());
        assertTrue(n.flags().internal() && n.flags().attachable() && n.flags().enableIpv6());
        assertEquals("br-x", n.options().get("com.docker.network.bridge.name"));
        assertEquals(Map.of("a", "b", "c", ""), n.labels());
    }

    @Test
    void automaticGatewayComesFromTheRangeAndSkipsAuxAddresses() {
        Network n = create(withPools("r", new PoolRequest("10.20.0.0/16", "10.20.5.0/24", null,
                Map.of("x", "10.20.5.0", "y", "10.20.5.1"))));
        assertEquals("10.20.0.0/16@10.20.5.2", pools(n), "aux kept back; like Docker, a range may start at .0");
    }

    @Test
    void ipamProblemsAreListedTogetherInMobysWords() {
        assertInvalid("invalid network config:\ninvalid subnet 10.0.0.300/24: invalid CIDR block notation",
                withPools("x", PoolRequest.subnet("10.0.0.300/24")));
        assertInvalid("invalid network config:\n"
                        + "invalid ip-range 192.168.0.1/24: it should be 192.168.0.0/24\n"
                        + "invalid ip-range 192.168.0.1/24: parent subnet 10.0.0.0/8 doesn't contain ip-range\n"
                        + "invalid gateway 192.168.0.1: parent subnet 10.0.0.0/8 doesn't contain this address\n"
                        + "invalid auxiliary address a: invalid address",
                withPools("x", new PoolRequest("10.0.0.0/8", "192.168.0.1/24", "192.168.0.1", Map.of("a", "dummy"))));
        assertInvalid("invalid network config:\n"
                        + "invalid ip-range 10.0.0.0/8: CIDR block is bigger than its parent subnet 10.10.10.0/24",
                withPools("x", new PoolRequest("10.10.10.0/24", "10.0.0.0/8", null, Map.of())));
        assertInvalid("invalid network config:\ninvalid gateway 2001:db8::1: parent subnet is an IPv4 block",
                withPools("x", new PoolRequest("10.10.10.0/24", null, "2001:db8::1", Map.of())));
        assertInvalid("invalid network config:\n"
                        + "invalid subnet 2001:db8::/32: IPv6 has not been enabled for this network",
                withPools("x", PoolRequest.subnet("2001:db8::/32")));
        assertInvalid("bridge driver doesn't support multiple subnets",
                withPools("x", PoolRequest.subnet("10.1.0.0/24"), PoolRequest.subnet("10.2.0.0/24")));
        assertInvalid("IPv4 or IPv6 must be enabled", request("x", false, false, List.of(), Map.of()));
    }

    @Test
    void namesDriversAndScopesAreCheckedWithDockersTexts() {
        assertInvalid("invalid name: name is empty", CreateNetwork.named(" "));
        for (String predefined : List.of("bridge", "host", "none", "default")) {
            assertFails(ForbiddenException.class, "operation is not permitted on predefined " + predefined + " network ",
                    () -> create(CreateNetwork.named(predefined)));
        }
        assertFails(NotFoundException.class, "plugin \"macvlan\" not found", () -> create(driver("macvlan")));
        assertFails(ForbiddenException.class, NetworkPlanner.SWARM_ONLY, () -> create(driver("overlay")));
        assertFails(ForbiddenException.class, "only one instance of \"host\" network is allowed",
                () -> create(driver("host")));
        create(CreateNetwork.named("dup"));
        assertFails(ConflictException.class, "network with name dup already exists",
                () -> create(CreateNetwork.named("dup")));
    }

    @Test
    void optionValuesAreChecked() {
        assertInvalid("invalid value \"maybe\" for option com.docker.network.bridge.enable_icc: it must be a boolean "
                + "(true or false)", option("com.docker.network.bridge.enable_icc", "maybe"));
        assertInvalid("invalid value \"yes\" for option com.docker.network.bridge.enable_ip_masquerade: it must be a "
                + "boolean (true or false)", option("com.docker.network.bridge.enable_ip_masquerade", "yes"));
        assertInvalid("invalid value \"20\" for option com.docker.network.driver.mtu: it must be between 68 and 65535",
                option("com.docker.network.driver.mtu", "20"));
        assertInvalid("invalid value \"big\" for option com.docker.network.driver.mtu: it must be an integer",
                option("com.docker.network.driver.mtu", "big"));
        assertInvalid("invalid value \"nowhere\" for option com.docker.network.bridge.host_binding_ipv4: it must be an "
                + "IP address", option("com.docker.network.bridge.host_binding_ipv4", "nowhere"));
        assertInvalid("invalid value \"a-very-long-bridge-name\" for option com.docker.network.bridge.name: it must be "
                + "a valid interface name (at most 15 printable ASCII characters; no whitespace and none of /:%*\"\\)",
                option("com.docker.network.bridge.name", "a-very-long-bridge-name"));
        assertInvalid("invalid value \"docker0\" for option com.docker.network.bridge.name: bridge docker0 is already "
                + "used by network bridge", option("com.docker.network.bridge.name", "docker0"));
        assertInvalid("driver-opt \"com.docker.network.enable_ipv6\" is not a valid bool",
                option("com.docker.network.enable_ipv6", "perhaps"));
        Network v6 = create(option("com.docker.network.enable_ipv6", "true"));
        assertTrue(v6.flags().enableIpv6());
        assertEquals(2, v6.ipam().pools().size());
        assertEquals(List.of("ensure x"), f.bridge.calls);
    }

    @Test
    void explicitSubnetOverlappingAnotherNetworkIsForbiddenButHostRoutesDoNotMatter() {
        f.hostReserved.add(IpPrefix.parse("10.50.0.0/16"));
        create(withPools("a", PoolRequest.subnet("10.50.0.0/24")));
        assertFails(ForbiddenException.class, "Pool overlaps with other one on this address space",
                () -> create(withPools("b", PoolRequest.subnet("10.50.0.0/16"))));
        assertFails(ForbiddenException.class, "Pool overlaps with other one on this address space",
                () -> create(withPools("c", PoolRequest.subnet("172.17.5.0/24"))));
    }

    @Test
    void exhaustedPoolsAreAnInternalError() {
        Fixture tiny = new Fixture(List.of(PoolSpec.of("10.9.0.0/24", 25)));
        tiny.service.create(CreateNetwork.named("a"));
        tiny.service.create(CreateNetwork.named("b"));
        InternalException e = assertThrows(InternalException.class, () -> tiny.service.create(CreateNetwork.named("c")));
        assertEquals("all predefined address pools have been fully subnetted", e.getMessage());
    }

    @Test
    void driverFailureUndoesEverythingInReverseAndKeepsUndoFailures() {
        int stored = f.store.networks.size();
        RuntimeException boom = new InternalException("create bridge br-x: EPERM");
        f.bridge.failEnsure = boom;
        f.bridge.failDelete = new InternalException("delete bridge: EBUSY");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> create(CreateNetwork.named("x")));
        assertSame(boom, thrown);
        assertEquals("delete bridge: EBUSY", thrown.getSuppressed()[0].getMessage());
        assertEquals(List.of("ensure x", "delete x"), f.bridge.calls);
        assertEquals(List.of("rebuild 3", "remove x"), f.firewall.calls());
        assertEquals(stored, f.store.networks.size());
        assertThrows(NotFoundException.class, () -> f.service.inspect("x"));
        assertFalse(f.events.replay(0, Long.MAX_VALUE, e -> e.action() == Event.Action.CREATE).stream()
                .anyMatch(e -> e.attributes().get("name").equals("x")));
        f.bridge.failEnsure = null;
        assertEquals("172.18.0.0/16@172.18.0.1", pools(create(CreateNetwork.named("x"))));
        assertEquals("ensure x", f.firewall.calls().getLast());
    }

    @Test
    void removalTakesTheFirewallRulesFirstAndIsRetiredUntilTheDeviceIsGone() {
        create(CreateNetwork.named("gone"));
        f.bridge.failDelete = new InternalException("delete bridge: EBUSY");
        assertThrows(InternalException.class, () -> f.service.remove("gone"));
        assertEquals(List.of("remove gone", "ensure gone"),
                f.firewall.calls().subList(f.firewall.calls().size() - 2, f.firewall.calls().size()));
        assertEquals("gone", f.service.inspect("gone").name());
        assertTrue(f.store.retired.isEmpty());
        f.bridge.failDelete = null;
        f.service.remove("gone");
        assertEquals("remove gone", f.firewall.calls().getLast());
        assertTrue(f.store.retired.isEmpty());
        assertThrows(NotFoundException.class, () -> f.service.inspect("gone"));
    }

    @Test
    void badInputTouchesNothing() {
        int stored = f.store.networks.size();
        int events = f.events.replay(0, Long.MAX_VALUE, e -> true).size();
        List<CreateNetwork> bad = List.of(CreateNetwork.named(""), CreateNetwork.named("bridge"), driver("nosuch"),
                withPools("x", PoolRequest.subnet("300.0.0.0/8")), option("com.docker.network.driver.mtu", "x"),
                withPools("x", PoolRequest.subnet("172.17.0.0/16")));
        for (CreateNetwork request : bad) {
            assertThrows(BerthException.class, () -> create(request));
        }
        assertEquals(stored, f.store.networks.size());
        assertEquals(List.of(), f.bridge.calls);
        assertEquals(events, f.events.replay(0, Long.MAX_VALUE, e -> true).size());
    }

    private static CreateNetwork driver(String driver) {
        return new CreateNetwork("x", driver, "", null, null, null, null, null, Map.of(), Map.of());
    }

    private static CreateNetwork option(String key, String value) {
        return request("x", null, null, List.of(), Map.of(key, value));
    }

    private void assertInvalid(String message, CreateNetwork request) {
        assertFails(InvalidParameterException.class, message, () -> create(request));
    }

    private static void assertFails(Class<? extends BerthException> type, String message, Executable action) {
        assertEquals(message, assertThrows(type, action).getMessage());
    }

    /** Nanoseconds of an instant, as events carry them. */
    static final class FilterTimeNanos {
        static long of(java.time.Instant instant) {
            return FilterTime.toNanos(instant);
        }
    }
}
