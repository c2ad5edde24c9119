package dev.berth.core.service.network;

import static dev.berth.core.service.Fixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.Network;
import dev.berth.core.service.Fixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bridge-name option is checked before anything is stored or built: names the kernel would
 * not create as given are 400, and the driver's host check (a device of another kind) runs before
 * the store is written.
 */
class BridgeNameTest {
    private static final String OPT = "com.docker.network.bridge.name";
    private final Fixture f = new Fixture();

    private CreateNetwork named(String bridge) {
        return request("x", null, null, List.of(), Map.of(OPT, bridge));
    }

    private String rejected(String bridge) {
        int stored = f.store.networks.size();
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> f.service.create(named(bridge)));
        assertEquals(stored, f.store.networks.size(), "stored despite a bad name: " + bridge);
        assertEquals(List.of(), f.bridge.calls, "the driver was asked to build " + bridge);
        assertEquals(List.of(), f.bridge.checked, "the driver was asked to check " + bridge);
        assertTrue(e.getMessage().startsWith("invalid value \"" + bridge + "\" for option " + OPT + ": "),
                e.getMessage());
        return e.getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%d", "%s", "*", "br*", "a\"b", "a\\b", "a/b", "a:b", "a b", "a\tb", "a\nb", "a\u007fb", ".", "..",
        "sixteen-chars-xx", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", "\u00fc", "b\ud83d\ude00",
        "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"})
    void namesTheKernelWouldNotCreateAsGivenOrTheFirewallCannotNameAreInvalid(String bridge) {
        assertTrue(rejected(bridge).endsWith("it must be a valid interface name (at most 15 printable ASCII "
                + "characters; no whitespace and none of /:%*\"\\)"));
    }

    @Test
    void loneSurrogatesAreNotNames() {
        assertTrue(rejected("b\ud800").endsWith("it is not valid Unicode (a lone surrogate)"));
        assertTrue(rejected("\udc00b").endsWith("it is not valid Unicode (a lone surrogate)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "default"})
    void theKernelsConfNamesAreReserved(String bridge) {
        assertEquals("invalid value \"" + bridge + "\" for option " + OPT + ": \"" + bridge + "\" is reserved by the "
                + "kernel for the settings of every interface (/proc/sys/net/ipv4/conf/" + bridge + ")",
                rejected(bridge));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bx-1", "bx-0123456789ab", "gone", "gone7"})
    void berthsRetirementPrefixesAreReserved(String bridge) {
        assertTrue(rejected(bridge).contains("are reserved for devices Berth is deleting"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"br-x", "fifteen-chars-x", "eth0.5", "a-b_c", "A~!#$&'()+,;<=>"})
    void validNamesAreCheckedWithTheDriverThenBuilt(String bridge) {
        Network n = f.service.create(named(bridge)).network();
        assertEquals(bridge, n.options().get(OPT));
        assertEquals(List.of("x"), f.bridge.checked);
        assertEquals(List.of("ensure x"), f.bridge.calls);
    }

    @Test
    void aHostCheckFailureStoresAndBuildsNothing() {
        int stored = f.store.networks.size();
        f.bridge.failCheck = new ConflictException("existing interface eth0 is not a bridge");
        assertThrows(ConflictException.class, () -> f.service.create(named("eth0")));
        assertEquals(stored, f.store.networks.size());
        assertEquals(List.of(), f.bridge.calls, "no ensure and no rollback delete");
        assertTrue(f.service.list(NetworkFilter.none()).stream().noneMatch(n -> n.name().equals("x")));
    }
}
