package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ProcessTableTest {
    @Test
    void columnsAsProcpsPrintsThem() {
        assertEquals("?", ProcessTable.tty(0));
        assertEquals("pts/3", ProcessTable.tty(136 << 8 | 3));
        assertEquals("pts/260", ProcessTable.tty(137 << 8 | 4));
        assertEquals("tty1", ProcessTable.tty(4 << 8 | 1));
        assertEquals("00:00:00", ProcessTable.time(0));
        assertEquals("01:02:03", ProcessTable.time(3723));
        assertEquals("2-00:00:05", ProcessTable.time(2 * 86400 + 5));
        Instant now = Instant.parse("2026-12-05T06:00:00Z");
        assertEquals("05:30", ProcessTable.startTime(Instant.parse("2026-12-05T05:30:00Z"), now, ZoneOffset.UTC));
        assertEquals("Dec03", ProcessTable.startTime(Instant.parse("2026-12-03T05:30:00Z"), now, ZoneOffset.UTC));
        assertEquals("2025", ProcessTable.startTime(Instant.parse("2025-12-03T05:30:00Z"), now, ZoneOffset.UTC));
    }
}
