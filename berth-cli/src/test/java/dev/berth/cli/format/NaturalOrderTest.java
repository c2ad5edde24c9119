package dev.berth.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NaturalOrderTest {

    @Test
    void digitRunsCompareNumerically() {
        List<String> names = new ArrayList<>(List.of("net10", "net9", "net1", "bridge", "net100", "none", "host", "net09"));
        names.sort(NaturalOrder.INSTANCE);
        assertEquals(List.of("bridge", "host", "net1", "net9", "net09", "net10", "net100", "none"), names);
    }

    @Test
    void matchesSortorderRules() {
        assertTrue(NaturalOrder.less("1a", "a"), "digits before letters");
        assertTrue(NaturalOrder.less("a", "ab"), "prefix first");
        assertTrue(NaturalOrder.less("Z", "a"), "byte order otherwise");
        assertTrue(NaturalOrder.less("a2b", "a10"));
        assertTrue(NaturalOrder.less("x01", "x001"), "fewer zeros first");
        assertFalse(NaturalOrder.less("same", "same"));
        assertTrue(NaturalOrder.less("net", "nét"), "UTF-8 bytes");
    }
}
