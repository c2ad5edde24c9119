package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InvalidParameterException;
import org.junit.jupiter.api.Test;

class ApiVersionTest {
    @Test
    void comparesNumericallyPerPart() {
        assertTrue(new ApiVersion("1.9").compareTo(new ApiVersion("1.10")) < 0);
        assertEquals(0, new ApiVersion("1.50").compareTo(new ApiVersion("1.50.0")));
        assertTrue(new ApiVersion("1.48").atLeast("1.48"));
        assertTrue(!new ApiVersion("1.47").atLeast("1.48"));
    }

    @Test
    void rangeIsMinToMax() {
        assertEquals("1.24", new ApiVersion("1.24").requireSupported().text());
        assertEquals("1.50", new ApiVersion("1.50").requireSupported().text());
        assertThrows(InvalidParameterException.class, () -> new ApiVersion("2").requireSupported());
        assertThrows(InvalidParameterException.class, () -> new ApiVersion("1.").requireSupported());
    }
}
