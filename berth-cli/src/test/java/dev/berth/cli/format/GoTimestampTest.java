package dev.berth.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class GoTimestampTest {

    private static final Instant NOW = Instant.parse("2026-11-28T00:48:19.75Z");

    @Test
    void durationsCountBackFromNowInWholeSeconds() {
        assertEquals("1795826299", GoTimestamp.convert("10m", NOW, ZoneOffset.UTC));
        assertEquals("1795827199", GoTimestamp.convert("-5m", NOW, ZoneOffset.UTC));
        assertEquals("1795819819", GoTimestamp.convert("1h58m", NOW, ZoneOffset.UTC));
        assertEquals("1795826899", GoTimestamp.convert(".5s", NOW, ZoneOffset.UTC));
        assertEquals("0", GoTimestamp.convert("0", NOW, ZoneOffset.UTC), "0 is a timestamp, not a duration");
    }

    @Test
    void datesAndRawNumbers() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        assertEquals("1767303240.000000000", GoTimestamp.convert("2026-01-02T03:04", NOW, kolkata));
        assertEquals("1767315845.500000000", GoTimestamp.convert("2026-01-02T03:04:05.5+02:00", NOW, kolkata));
        assertEquals("1767312000.000000000", GoTimestamp.convert("2026-01-02Z", NOW, kolkata));
        assertEquals("1700000000.5", GoTimestamp.convert("1700000000.5", NOW, kolkata));
        assertThrows(IllegalArgumentException.class, () -> GoTimestamp.convert("-3", NOW, kolkata), "a dash means a date to Go");
    }

    @Test
    void goErrorTexts() {
        assertEquals("failed to parse value as time or duration: \"bogus\"",
                assertThrows(IllegalArgumentException.class, () -> GoTimestamp.convert("bogus", NOW, ZoneOffset.UTC)).getMessage());
        assertEquals("parsing time \"2026-13-01\": month out of range",
                assertThrows(IllegalArgumentException.class, () -> GoTimestamp.convert("2026-13-01", NOW, ZoneOffset.UTC)).getMessage());
        assertEquals("parsing time \"2026-1-01\" as \"2006-01-02\": cannot parse \"1-01\" as \"01\"",
                assertThrows(IllegalArgumentException.class, () -> GoTimestamp.convert("2026-1-01", NOW, ZoneOffset.UTC)).getMessage());
    }

    @Test
    void goDurations() {
        assertEquals(OptionalLong.of(5_400_000_000_000L), GoDuration.parse("1.5h"));
        assertEquals(OptionalLong.of(1_001_000L), GoDuration.parse("1ms1\u00b5s"));
        assertEquals(OptionalLong.empty(), GoDuration.parse("10"));
        assertEquals(OptionalLong.empty(), GoDuration.parse("1d"));
        assertEquals(OptionalLong.empty(), GoDuration.parse("."));
        assertEquals(OptionalLong.empty(), GoDuration.parse(""));
    }
}
