package dev.berth.core.service.network;

import static dev.berth.core.service.Fixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.BridgeOptions;
import dev.berth.core.model.GatewayMode;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.service.Fixture;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Gateway modes ({@code gateway_mode_ipv4/6}) at network creation: parsed once, moby's errors,
 * {@code isolated} only on internal networks and without a gateway, and daemon.json
 * {@code default-network-opts} filling in what a request does not give.
 */
class GatewayModeTest {
    private static final String V4 = PredefinedNetworks.OPT_GATEWAY_MODE_IPV4;
    private static final String V6 = PredefinedNetworks.OPT_GATEWAY_MODE_IPV6;

    private static CreateNetwork internal(String name, Boolean ipv6, Map<String, String> options) {
        return new CreateNetwork(name, "bridge", "", null, ipv6, null,
                new CreateNetwork.RequestFlags(true, false, false, false), null, options, Map.of());
    }

    private static String gateways(Network n) {
        return String.join(" ", n.ipam().pools().stream()
                .map(p -> p.subnet() + "@" + p.gateway().map(IpAddresses::format).orElse("-")).toList());
    }

    @Test
    void everyModeParsesPerFamilyAndNatIsTheDefault() {
        BridgeOptions none = BridgeOptions.parse(Map.of(), true);
        assertEquals(GatewayMode.NAT, none.gatewayModeIpv4());
        assertEquals(GatewayMode.NAT, none.gatewayModeIpv6());
        for (GatewayMode mode : GatewayMode.values()) {
            BridgeOptions o = BridgeOptions.parse(Map.of(V6, mode.text()), true);
            assertEquals(mode, o.gatewayMode(true));
            assertEquals(GatewayMode.NAT, o.gatewayMode(false));
        }
        BridgeOptions mixed = BridgeOptions.parse(Map.of(V4, "nat-unprotected", V6, "routed"), true);
        assertEquals(GatewayMode.NAT_UNPROTECTED, mixed.gatewayModeIpv4());
        assertEquals(GatewayMode.ROUTED, mixed.gatewayModeIpv6());
        assertTrue(GatewayMode.NAT_UNPROTECTED.nat() && GatewayMode.NAT.nat());
        assertFalse(GatewayMode.ROUTED.nat() || GatewayMode.ISOLATED.nat());
    }

    @Test
    void anUnknownModeIsMobysParseErrorAndNothingIsMade() {
        Fixture f = new Fixture();
        for (String bad : List.of("bogus", "", "NAT", " nat", "routed ")) {
            InvalidParameterException e = assertThrows(InvalidParameterException.class,
                    () -> f.service.create(request("n", null, true, List.of(), Map.of(V6, bad))));
            assertEquals("failed to parse " + V6 + " value: " + bad + " (unknown gateway mode " + bad + ")",
                    e.getMessage());
        }
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> f.service.create(request("n", null, null, List.of(), Map.of(V4, "masquerade"))));
        assertEquals("failed to parse " + V4 + " value: masquerade (unknown gateway mode masquerade)", e.getMessage());
        assertTrue(f.bridge.calls.isEmpty(), () -> f.bridge.calls.toString());
        assertEquals(List.of("bridge", "host", "none"),
                f.store.networks.values().stream().map(Network::name).sorted().toList());
    }

    @Test
    void isolatedNeedsAnInternalNetwork() {
        Fixture f = new Fixture();
        for (String key : List.of(V4, V6)) {
            InvalidParameterException e = assertThrows(InvalidParameterException.class,
                    () -> f.service.create(request("n", null, true, List.of(), Map.of(key, "isolated"))));
            assertEquals("gateway mode 'isolated' can only be used for an internal network", e.getMessage());
        }
        assertTrue(f.bridge.calls.isEmpty(), () -> f.bridge.calls.toString());
        assertEquals(3, f.store.networks.size());
    }

    @Test
    void anIsolatedFamilyGetsNoGatewayUnlessOneIsGiven() {
        Fixture f = new Fixture();
        Network both = f.service.create(internal("iso", true, Map.of(V4, "isolated", V6, "isolated"))).network();
        assertTrue(both.ipam().pools().stream().allMatch(p -> p.gateway().isEmpty()), () -> gateways(both));
        Network v6Only = f.service.create(internal("iso6", true, Map.of(V6, "isolated"))).network();
        assertTrue(v6Only.ipam().pools().getFirst().gateway().isPresent(), () -> gateways(v6Only));
        assertEquals(Optional.empty(), v6Only.ipam().pools().get(1).gateway(), () -> gateways(v6Only));
        Network given = f.service.create(new CreateNetwork("isog", "bridge", "", null, null,
                new IpamRequest("default", Map.of(), List.of(new PoolRequest("10.77.0.0/24", null, "10.77.0.9", null))),
                new CreateNetwork.RequestFlags(true, false, false, false), null, Map.of(V4, "isolated"), Map.of()))
                .network();
        assertEquals("10.77.0.0/24@10.77.0.9", gateways(given), "a gateway the request names is kept, as in moby");
        assertEquals("isolated", f.service.inspect("iso").options().get(V4), "inspect shows the option as given");
    }

    @Test
    void defaultNetworkOptsFillInWhatTheRequestDoesNotGive() {
        Fixture f = new Fixture(List.of(), Map.of("bridge", Map.of(V6, "routed", V4, "nat-unprotected",
                PredefinedNetworks.OPT_MTU, "1400"), "macvlan", Map.of("parent", "eth0")));
        Network plain = f.service.create(request("plain", null, true, List.of(), Map.of())).network();
        assertEquals(Map.of(V6, "routed", V4, "nat-unprotected", PredefinedNetworks.OPT_MTU, "1400"), plain.options());
        Network own = f.service.create(request("own", null, true, List.of(), Map.of(V6, "nat"))).network();
        assertEquals("nat", own.options().get(V6), "the request wins");
        assertEquals("nat-unprotected", own.options().get(V4));
    }

    @Test
    void aBadDefaultFailsEachCreateLikeABadRequestOption() {
        Fixture f = new Fixture(List.of(), Map.of("bridge", Map.of(V6, "isolated")));
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> f.service.create(request("n", null, true, List.of(), Map.of())));
        assertEquals(BridgeOptions.ISOLATED_NOT_INTERNAL, e.getMessage());
        Network inner = f.service.create(internal("inner", true, Map.of())).network();
        assertEquals("isolated", inner.options().get(V6));
    }

    @Test
    void enableIpv6FromTheDefaultsUnlessTheRequestDecides() {
        Fixture f = new Fixture(List.of(), Map.of("bridge", Map.of("com.docker.network.enable_ipv6", "true")));
        Network implicit = f.service.create(request("implicit", null, null, List.of(), Map.of())).network();
        assertTrue(implicit.flags().enableIpv6());
        assertEquals("true", implicit.options().get("com.docker.network.enable_ipv6"));
        Network explicit = f.service.create(request("explicit", null, false, List.of(), Map.of())).network();
        assertFalse(explicit.flags().enableIpv6());
        assertFalse(explicit.options().containsKey("com.docker.network.enable_ipv6"),
                "moby drops the option when the EnableIPv6 field decides");
    }

    @Test
    void theDefaultBridgeTakesTheDefaultGatewayModesButNotIsolated() {
        Fixture f = new Fixture(List.of(), Map.of("bridge", Map.of(V4, "routed", V6, "isolated",
                PredefinedNetworks.OPT_MTU, "1400")));
        Network bridge = f.service.inspect("bridge");
        assertEquals("routed", bridge.options().get(V4));
        assertFalse(bridge.options().containsKey(V6));
        assertEquals("1500", bridge.options().get(PredefinedNetworks.OPT_MTU), "only the gateway modes apply");
        Fixture plain = new Fixture();
        assertFalse(plain.service.inspect("bridge").options().containsKey(V4));
    }
}
