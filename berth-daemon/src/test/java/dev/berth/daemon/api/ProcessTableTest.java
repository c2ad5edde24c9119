package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void rowsOfOnePidNamespaceWithControlCharactersShownAsProcpsDoes(@TempDir Path proc) throws IOException {
        Files.writeString(proc.resolve("stat"), "cpu  1 2 3\nbtime 1796450400\n");
        Path passwd = proc.resolve("passwd");
        Files.writeString(passwd, "root:x:0:0:root:/root:/bin/sh\n");
        // 1 and 7 share a PID namespace; 9 is in another one
        process(proc, 1, "pid:[4026532001]", "1 (sh) S 0 1 1 0 -1 0 0 0 0 0 150 50 0 0 20 0 1 0 100 0",
                "sh\0-c\0echo one\necho two\0");
        process(proc, 7, "pid:[4026532001]", "7 (kworker\tx) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 200 0", "");
        process(proc, 9, "pid:[4026531836]", "9 (init) S 0 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 0", "init\0");
        List<List<String>> rows = new ProcessTable(proc, passwd).rows(7, Instant.ofEpochSecond(1796450400 + 100),
                ZoneOffset.UTC);
        assertEquals(List.of(
                List.of("root", "1", "0", "2", "06:00", "?", "00:00:02", "sh -c echo one?echo two"),
                List.of("root", "7", "1", "0", "06:00", "?", "00:00:00", "[kworker?x]")), rows);
    }

    private static void process(Path proc, long pid, String namespace, String stat, String cmdline) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(pid + "/ns"));
        Files.createSymbolicLink(dir.resolve("pid"), Path.of(namespace));
        Files.writeString(proc.resolve(pid + "/stat"), stat + "\n");
        Files.writeString(proc.resolve(pid + "/status"), "Name:\tx\nUid:\t0\t0\t0\t0\n");
        Files.writeString(proc.resolve(pid + "/cmdline"), cmdline);
    }
}
