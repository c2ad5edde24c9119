package dev.berth.core.service.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class NetworkFilterTest {
    private final Network custom = new Network(new NetworkId("c61cfafbe995" + "0".repeat(52)), "mynet", "bridge",
            Instant.EPOCH, "local", new Network.Ipam("default", Map.of(), List.of()), Network.Flags.ipv4Only(),
            new TreeMap<>(), new TreeMap<>(Map.of("a", "b", "c", "")));

    @Test
    void rejectsUnknownKeysAndValuesWithDockersText() {
        assertEquals("invalid filter 'foo'",
                assertThrows(InvalidParameterException.class, () -> new NetworkFilter(Map.of("foo", Set.of("x"))))
                        .getMessage());
        assertEquals("invalid filter: 'type'='bogus'",
                assertThrows(InvalidParameterException.class, () -> new NetworkFilter(Map.of("type", Set.of("bogus"))))
                        .getMessage());
        assertThrows(InvalidParameterException.class, () -> new NetworkFilter(Map.of("dangling", Set.of("maybe"))));
        assertThrows(InvalidParameterException.class, () -> new NetworkFilter(Map.of("dangling", Set.of("1", "0"))));
    }

    @Test
    void labelsNeedEveryValue() {
        assertTrue(matches(Map.of("label", Set.of("a=b", "c"))));
        assertFalse(matches(Map.of("label", Set.of("a=b", "d"))));
        assertFalse(matches(Map.of("label", Set.of("a=c"))));
    }

    @Test
    void nameAndIdAreRegexSearches() {
        assertTrue(matches(Map.of("name", Set.of("my"))));
        assertTrue(matches(Map.of("name", Set.of("."))));
        assertTrue(matches(Map.of("name", Set.of("nomatch", "net$"))));
        assertFalse(matches(Map.of("name", Set.of("[invalid"))));
        assertTrue(matches(Map.of("id", Set.of("c61cfa"))));
        assertTrue(matches(Map.of("dangling", Set.of("true"), "type", Set.of("custom"), "scope", Set.of("local"))));
        assertFalse(matches(Map.of("driver", Set.of("host"))));
    }

    private boolean matches(Map<String, Set<String>> criteria) {
        return new NetworkFilter(criteria).matches(custom, n -> false);
    }
}
