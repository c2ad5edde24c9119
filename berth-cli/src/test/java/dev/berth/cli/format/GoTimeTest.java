package dev.berth.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class GoTimeTest {

    private static final ZoneId UTC = ZoneId.of("Etc/UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void stringLikeGo() {
        assertEquals("2026-11-28 00:47:52.791043248 +0000 UTC", GoTime.parse("2026-11-28T00:47:52.791043248Z", UTC).goString());
        assertEquals("2026-11-28 01:03:27.5 +0000 UTC", GoTime.parse("2026-11-28T01:03:27.500Z", UTC).goString());
        assertEquals("2026-11-28 01:03:27 +0200 +0200", GoTime.parse("2026-11-28T01:03:27+02:00", UTC).goString());
        assertEquals("2026-11-28 01:03:27 +0000 UTC", GoTime.parse("2026-11-28T01:03:27+00:00", UTC).goString());
        assertEquals("2026-11-28 01:03:27 +0100 CET", GoTime.parse("2026-11-28T01:03:27+01:00", BERLIN).goString());
        assertEquals("0001-01-01 00:00:00 +0000 UTC", GoTime.ZERO.goString());
    }

    @Test
    void rfc3339NanoAndAnsic() {
        assertEquals("2026-11-28T01:03:27+02:00", GoTime.parse("2026-11-28T01:03:27.000+02:00", UTC).rfc3339Nano());
        assertEquals("0001-01-01T00:00:00Z", GoTime.ZERO.rfc3339Nano());
        assertEquals("Fri May 30 12:00:00 2025", GoTime.parse("2025-05-30T12:00:00.000000000+00:00", UTC).ansic());
        assertEquals("Mon Jun  2 12:00:00 2025", GoTime.parse("2025-06-02T12:00:00Z", UTC).ansic());
    }

    @Test
    void emptyStringFailsLikeGo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoTime.parse("", UTC));
        assertEquals("parsing time \"\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"2006\"", e.getMessage());
    }

    @Test
    void padPrintsWhatZeroPaddedFormatPrints() {
        for (long value : new long[] {0, 1, 7, 9, 10, 59, 99, 100, 999, 2026, 12345, 999_999_999, -1, -7, -10, -2026}) {
            for (int width : new int[] {1, 2, 4, 9}) {
                assertEquals(String.format(java.util.Locale.ROOT, "%0" + width + "d", value),
                        GoTime.pad(new StringBuilder(), value, width).toString(), value + " width " + width);
            }
        }
    }
}
