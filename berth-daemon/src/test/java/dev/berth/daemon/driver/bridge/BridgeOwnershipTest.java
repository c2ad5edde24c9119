package dev.berth.daemon.driver.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.kernel.netlink.Link;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Berth may do to the device that has a network's bridge name: decided by the kernel's group, not the name. */
class BridgeOwnershipTest {
    private static final int OWNED = DeviceNames.OWNED_BRIDGE_GROUP;

    private static Network network(Map<String, String> options) {
        return BridgeNetworks.network(options);
    }

    private static Network named(String bridge) {
        return network(Map.of(PredefinedNetworks.OPT_BRIDGE_NAME, bridge));
    }

    private static Link link(String name, String kind, int group) {
        return new Link(7, name, kind, 1500, null, true, 0, Link.OPER_UP, group);
    }

    @Test
    void aBridgeBerthCreatedCarriesItsGroup() {
        assertEquals(BridgeOwnership.BERTH, BridgeOwnership.of(link("br-0123456789ab", "bridge", OWNED), network(Map.of())));
        assertEquals(BridgeOwnership.BERTH, BridgeOwnership.of(link("mybr", "bridge", OWNED), named("mybr")));
    }

    @Test
    void anExistingBridgeNamedByTheOptionIsTheUsers() {
        assertEquals(BridgeOwnership.USER, BridgeOwnership.of(link("mybr", "bridge", 0), named("mybr")));
        assertEquals(BridgeOwnership.USER, BridgeOwnership.of(link("docker0", "bridge", 0), named("docker0")));
        assertEquals(BridgeOwnership.USER, BridgeOwnership.of(link("mybr", "bridge", 5), named("mybr")),
                "a user's group is not Berth's");
    }

    @Test
    void devicesOfAnotherKindAreNeverBerths() {
        assertEquals(BridgeOwnership.NOT_A_BRIDGE, BridgeOwnership.of(link("eth0", "veth", 0), named("eth0")));
        assertEquals(BridgeOwnership.NOT_A_BRIDGE, BridgeOwnership.of(link("lo", null, 0), named("lo")));
        assertEquals(BridgeOwnership.NOT_A_BRIDGE, BridgeOwnership.of(link("eth0", null, OWNED), named("eth0")),
                "the group alone does not make a NIC a bridge of Berth's");
        assertEquals(BridgeOwnership.NOT_A_BRIDGE,
                BridgeOwnership.of(link("br-0123456789ab", "dummy", 0), network(Map.of())));
    }

    @Test
    void bridgesFromBeforeOwnershipWasRecordedAreBerthsOnlyUnderTheirOwnDefaultName() {
        assertEquals(BridgeOwnership.BERTH, BridgeOwnership.of(link("br-0123456789ab", "bridge", 0), network(Map.of())));
        assertEquals(BridgeOwnership.BERTH, BridgeOwnership.of(link("br-0123456789ab", "bridge", 0),
                network(Map.of(PredefinedNetworks.OPT_BRIDGE_NAME, ""))), "an empty option means the default name");
        assertEquals(BridgeOwnership.USER, BridgeOwnership.of(link("br-0123456789ab", "bridge", 0),
                named("br-0123456789ab")), "named by the user, even if it looks like Berth's");
    }

    @Test
    void onlyRetiredBridgesInBerthsGroupsAreSwept() {
        assertTrue(BridgeOwnership.isRetiredByBerth(link("bx-0123456789ab", "bridge", OWNED)));
        assertTrue(BridgeOwnership.isRetiredByBerth(link("bx-0123456789ab", "bridge", LinkReaper.RETIRED_GROUP)));
        assertFalse(BridgeOwnership.isRetiredByBerth(link("bx-0123456789ab", "bridge", 0)),
                "a bx- bridge without Berth's group");
        assertFalse(BridgeOwnership.isRetiredByBerth(link("bx-0123456789ab", "veth", 0)),
                "a host's eth0 renamed by an older version");
        assertFalse(BridgeOwnership.isRetiredByBerth(link("bx-0123456789ab", null, OWNED)));
        assertFalse(BridgeOwnership.isRetiredByBerth(link("br-0123456789ab", "bridge", OWNED)), "not retired");
    }
}
