package dev.berth.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InvalidParameterException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BridgeOptionsTest {
    @Test
    void goBooleansAreTheSixTrueAndSixFalseForms() {
        for (String t : List.of("1", "t", "T", "TRUE", "true", "True")) {
            assertEquals(Optional.of(true), GoBool.parse(t), t);
        }
        for (String f : List.of("0", "f", "F", "FALSE", "false", "False")) {
            assertEquals(Optional.of(false), GoBool.parse(f), f);
        }
        for (String no : List.of("", "yes", "tRUE", " true", "2")) {
            assertEquals(Optional.empty(), GoBool.parse(no), no);
        }
    }

    @Test
    void defaultsWhenNothingIsGiven() {
        BridgeOptions o = BridgeOptions.parse(Map.of(), false);
        assertTrue(o.icc());
        assertTrue(o.ipMasquerade());
        assertEquals(0, o.mtu());
        assertFalse(o.asksMtu());
        assertEquals(PredefinedNetworks.DEFAULT_MTU, o.effectiveMtu());
        assertEquals(IpAddresses.parse("0.0.0.0"), o.hostBindingIpv4());
        assertEquals("", o.bridgeName());
    }

    @Test
    void parsedOnceIntoTypedValues() {
        BridgeOptions o = BridgeOptions.parse(Map.of(PredefinedNetworks.OPT_ENABLE_ICC, "F",
                PredefinedNetworks.OPT_ENABLE_IP_MASQUERADE, "0", PredefinedNetworks.OPT_MTU, "+9000",
                PredefinedNetworks.OPT_HOST_BINDING_IPV4, "127.0.0.1", PredefinedNetworks.OPT_BRIDGE_NAME, "mybr"),
                true);
        assertEquals(new BridgeOptions(false, false, 9000, IpAddresses.parse("127.0.0.1"), "mybr", GatewayMode.NAT,
                GatewayMode.NAT), o);
        assertEquals(0, BridgeOptions.parse(Map.of(PredefinedNetworks.OPT_MTU, "00"), false).mtu());
    }

    @Test
    void badValuesAreRefusedWithTheOptionNamed() {
        assertEquals("invalid value \"maybe\" for option com.docker.network.bridge.enable_icc: it must be a boolean"
                + " (true or false)", assertThrows(InvalidParameterException.class, () -> BridgeOptions.parse(
                        Map.of(PredefinedNetworks.OPT_ENABLE_ICC, "maybe"), false)).getMessage());
        assertThrows(InvalidParameterException.class,
                () -> BridgeOptions.parse(Map.of(PredefinedNetworks.OPT_MTU, "1000"), true));
        assertEquals(1000, BridgeOptions.parse(Map.of(PredefinedNetworks.OPT_MTU, "1000"), false).mtu());
        assertThrows(InvalidParameterException.class,
                () -> BridgeOptions.parse(Map.of(PredefinedNetworks.OPT_HOST_BINDING_IPV4, "nope"), false));
        assertThrows(InvalidParameterException.class,
                () -> BridgeOptions.parse(Map.of(PredefinedNetworks.OPT_BRIDGE_NAME, "a%d"), false));
    }

    @Test
    void aStoredNetworkReadsAnEmptyBooleanAsTheDefault() {
        Network stored = new Network(new NetworkId("0123456789ab" + "c".repeat(52)), "n",
                PredefinedNetworks.DRIVER_BRIDGE, Instant.EPOCH, Network.SCOPE_LOCAL,
                new Network.Ipam(Network.Ipam.DEFAULT_DRIVER, null, List.of()), Network.Flags.ipv4Only(),
                new TreeMap<>(Map.of(PredefinedNetworks.OPT_ENABLE_ICC, "", PredefinedNetworks.OPT_MTU, "1000")),
                new TreeMap<>());
        BridgeOptions o = BridgeOptions.of(stored);
        assertTrue(o.icc());
        assertEquals(1000, o.mtu());
    }
}
