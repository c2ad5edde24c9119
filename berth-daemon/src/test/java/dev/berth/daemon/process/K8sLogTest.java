package dev.berth.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conmon's k8s-file lines, read whole, partial, across a rotation and a truncation. */
class K8sLogTest {
    @TempDir
    Path tmp;

    private static Optional<ContainerIo.LogEntry> parse(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return K8sLog.parse(bytes, 0, bytes.length);
    }

    private static String show(ContainerIo.LogEntry e) {
        return e.stream() + ":" + new String(e.data(), StandardCharsets.UTF_8);
    }

    @Test
    void fullAndPartialLinesOfBothStreams() {
        ContainerIo.LogEntry full = parse("2026-12-05T06:09:34.123456789+00:00 stdout F hello world").orElseThrow();
        assertEquals(Instant.parse("2026-12-05T06:09:34.123456789Z"), full.time());
        assertEquals("STDOUT:hello world\n", show(full));
        ContainerIo.LogEntry partial = parse("2026-12-05T07:09:34.000000001+01:00 stderr P no newline").orElseThrow();
        assertEquals(Instant.parse("2026-12-05T06:09:34.000000001Z"), partial.time());
        assertEquals("STDERR:no newline", show(partial));
        assertTrue(K8sLog.partial(partial));
        assertEquals("STDOUT:\n", show(parse("2026-12-05T06:09:34.1+00:00 stdout F ").orElseThrow()), "an empty line");
        assertEquals("STDOUT:a  b \n", show(parse("2026-12-05T06:09:34.1+00:00 stdout F a  b ").orElseThrow()),
                "spaces are content");
    }

    @Test
    void linesNotInTheFormatAreSkipped() {
        for (String bad : List.of("", "garbage", "2026-12-05T06:09:34Z stdin F x", "not-a-time stdout F x",
                "2026-12-05T06:09:34Z stdout X x", "2026-12-05T06:09:34Z stdout Fx")) {
            assertEquals(Optional.empty(), parse(bad), bad);
        }
    }

    @Test
    void theReaderDeliversWholeLinesAndFollowsARotationAndATruncation() throws IOException {
        Path log = tmp.resolve("container.log");
        List<String> seen = new ArrayList<>();
        try (K8sLogReader reader = new K8sLogReader(log)) {
            reader.readAvailable(e -> seen.add(show(e)));
            assertEquals(List.of(), seen, "no file yet");
            append(log, "2026-12-05T06:00:00.1+00:00 stdout F one\n2026-12-05T06:00:00.2+00:00 stdout P tw");
            reader.readAvailable(e -> seen.add(show(e)));
            assertEquals(List.of("STDOUT:one\n"), seen, "a line being written waits");
            append(log, "o\n");
            // rotated: more goes to the renamed file before the new one starts
            Files.move(log, tmp.resolve("container.log.1"));
            append(tmp.resolve("container.log.1"), "2026-12-05T06:00:00.3+00:00 stderr F three\n");
            append(log, "2026-12-05T06:00:00.4+00:00 stdout F four\n");
            reader.readAvailable(e -> seen.add(show(e)));
            assertEquals(List.of("STDOUT:one\n", "STDOUT:two", "STDERR:three\n", "STDOUT:four\n"), seen);
            Files.writeString(log, "2026-12-05T06:00:00.5+00:00 stdout F 5\n", StandardOpenOption.TRUNCATE_EXISTING);
            reader.readAvailable(e -> seen.add(show(e)));
            assertEquals("STDOUT:5\n", seen.getLast(), "truncated in place: read from the start");
        }
        assertEquals(List.of(tmp.resolve("container.log.1")), LogRotation.rotated(log));
    }

    @Test
    void rotationKeepsMaxFilesAndStartsWhenTheLogIsBigEnough() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bundle"));
        Path log = dir.resolve(RuncContainers.LOG);
        dev.berth.core.model.ContainerConfig.LogOptions options = new dev.berth.core.model.ContainerConfig.LogOptions(10, 3);
        Files.writeString(log, "short\n");
        assertEquals(false, LogRotation.rotateIfDue(dir, options));
        for (String round : List.of("a", "b", "c")) {
            Files.writeString(log, round.repeat(20));
            assertTrue(LogRotation.rotateIfDue(dir, options));
            assertTrue(Files.notExists(log), "conmon (not running here) would reopen it");
        }
        assertEquals("c".repeat(20), Files.readString(dir.resolve(RuncContainers.LOG + ".1")));
        assertEquals("b".repeat(20), Files.readString(dir.resolve(RuncContainers.LOG + ".2")));
        assertTrue(Files.notExists(dir.resolve(RuncContainers.LOG + ".3")), "a is gone: 3 files at most");
        LogRotation.save(dir, options);
        assertEquals(Optional.of(options), LogRotation.load(dir));
        LogRotation.save(dir, new dev.berth.core.model.ContainerConfig.LogOptions(10, 1));
        assertEquals(Optional.empty(), LogRotation.load(dir), "one file: conmon's own truncation");
    }

    @Test
    void conmonsMessagesAndRuncsErrors() {
        assertEquals(new Fifo.Message(4242, ""), Fifo.parse("{\"data\": 4242}"));
        assertEquals(new Fifo.Message(-1, "bad \"x\"\n"), Fifo.parse("{\"data\": -1, \"message\": \"bad \\\"x\\\"\\n\"}"));
        assertEquals("runc create failed: unable to start container process: exec: \"nope\": executable file not found in $PATH",
                RuncContainers.runcMessage("time=\"2026-12-05T06:09:34Z\" level=error msg=\"runc create failed: unable to start"
                        + " container process: exec: \\\"nope\\\": executable file not found in $PATH\"\n"));
        assertEquals("plain words", RuncContainers.runcMessage("plain words\n"));
        assertEquals(127, ConmonContainerIo.failedExitCode("exec: \"x\": executable file not found in $PATH"));
        assertEquals(126, ConmonContainerIo.failedExitCode("exec: \"/etc\": permission denied"));
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
