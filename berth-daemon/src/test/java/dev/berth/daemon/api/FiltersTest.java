package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.errors.InvalidParameterException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FiltersTest {
    private final Filters filters = new Filters(new JsonCodec());

    @Test
    void modernFormTakesEveryNamedValue() {
        assertEquals(Map.of("name", Set.of("a", "b")), filters.parse("{\"name\":{\"a\":true,\"b\":false}}"));
    }

    @Test
    void legacyListForm() {
        assertEquals(Map.of("type", Set.of("custom")), filters.parse("{\"type\":[\"custom\"]}"));
    }

    @Test
    void absentBlankOrNullMeansNoFilter() {
        assertEquals(Map.of(), filters.parse(null));
        assertEquals(Map.of(), filters.parse(" "));
        assertEquals(Map.of(), filters.parse("null"));
        assertEquals(Map.of(), filters.parse("{}"));
    }

    @Test
    void anythingElseIsInvalidFilter() {
        for (String bad : new String[] {"{", "[]", "\"x\"", "{\"a\":1}", "{\"a\":[1]}", "{\"a\":{\"b\":\"c\"}}"}) {
            InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> filters.parse(bad), bad);
            assertEquals("invalid filter", e.getMessage());
        }
    }
}
