package dev.berth.daemon.driver.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MTU the bridge driver gives a network's bridge and veths, read from the parsed options. */
class BridgeMtuTest {
    private static Network network(Map<String, String> options) {
        return BridgeNetworks.network(options);
    }

    private static Network mtu(String value) {
        return network(Map.of(PredefinedNetworks.OPT_MTU, value));
    }

    @Test
    void noMtuOptionMeansTheDefaultAndAUsersBridgeKeepsItsOwn() {
        assertEquals(PredefinedNetworks.DEFAULT_MTU, BridgeDriver.mtu(network(Map.of())));
        assertFalse(BridgeOwnership.USER.managesMtu(network(Map.of())));
        assertTrue(BridgeOwnership.BERTH.managesMtu(network(Map.of())));
    }

    @Test
    void goIntegerFormsOfTheMtuAreReadAsTheCreateCheckReadThem() {
        assertEquals(1400, BridgeDriver.mtu(mtu("1400")));
        assertEquals(1400, BridgeDriver.mtu(mtu("+1400")));
        // "00" passed the create check as "0" (the default); the driver once read it as an MTU of 0.
        assertEquals(PredefinedNetworks.DEFAULT_MTU, BridgeDriver.mtu(mtu("00")));
        assertFalse(BridgeOwnership.USER.managesMtu(mtu("00")));
        assertTrue(BridgeOwnership.USER.managesMtu(mtu("9000")));
    }
}
