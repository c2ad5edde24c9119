package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code docker events}: live network events while streaming, and replay with --since/--until. */
@ExtendWith(TestbedExtension.class)
class EventsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** {@code <RFC 3339 with 9 fraction digits> network <action> <id> (name=…, type=bridge)}. */
    private static final String LINE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}(Z|[+-]\\d\\d:\\d\\d) network %s %s "
            + "\\(name=%s, type=bridge\\)";

    @Test
    void aStreamingClientSeesCreateAndDestroyWithinSeconds(Testbed bed) throws Exception {
        bed.daemon().start();
        Path out = bed.dir().resolve("events.out");
        Path err = bed.dir().resolve("events.err");
        Process events = bed.docker().start(out, err, "events", "--filter", "type=network");
        try {
            awaitStreaming(bed, out, err);
            String id = Bridges.create(bed.docker(), "evnet");
            bed.docker().ok("network", "rm", "evnet");
            int created = awaitLine(out, err, String.format(LINE, "create", id, "evnet"));
            int destroyed = awaitLine(out, err, String.format(LINE, "destroy", id, "evnet"));
            assertTrue(created < destroyed, "create must come before destroy");

            String pruned = Bridges.create(bed.docker(), "pruned");
            bed.docker().ok("network", "prune", "-f");
            int prunedCreated = awaitLine(out, err, String.format(LINE, "create", pruned, "pruned"));
            int prunedDestroyed = awaitLine(out, err, String.format(LINE, "destroy", pruned, "pruned"));
            int prune = awaitLine(out, err, ".* network prune  \\(reclaimed=0\\)");
            assertTrue(destroyed < prunedCreated && prunedCreated < prunedDestroyed && prunedDestroyed < prune,
                    () -> read(out).toString());
            assertTrue(events.isAlive(), "docker events must keep streaming");
        } finally {
            events.destroy();
            if (!events.waitFor(5, TimeUnit.SECONDS)) {
                events.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void sinceAndUntilReplayThePastEventsAndEnd(Testbed bed) {
        bed.daemon().start();
        long t0 = System.currentTimeMillis() / 1000;
        String id = Bridges.create(bed.docker(), "replayed");
        bed.docker().ok("network", "rm", "replayed");
        long until = System.currentTimeMillis() / 1000 + 1;

        CommandResult replay = bed.docker().ok("events", "--since", Long.toString(t0), "--until", Long.toString(until),
                "--filter", "type=network");
        List<String> lines = replay.lines().stream().filter(line -> line.contains(id)).toList();
        assertEquals(2, lines.size(), replay::describe);
        assertTrue(Pattern.matches(String.format(LINE, "create", id, "replayed"), lines.get(0)), replay::describe);
        assertTrue(Pattern.matches(String.format(LINE, "destroy", id, "replayed"), lines.get(1)), replay::describe);

        CommandResult json = bed.docker().ok("events", "--since", Long.toString(t0), "--until", Long.toString(until),
                "--filter", "network=replayed", "--filter", "event=create", "--format", "{{json .}}");
        List<String> jsonLines = json.lines();
        assertEquals(1, jsonLines.size(), json::describe);
        JsonNode event = Bridges.parse(jsonLines.getFirst());
        assertEquals("network", event.path("Type").asText(), event::toString);
        assertEquals("create", event.path("Action").asText(), event::toString);
        assertEquals(id, event.path("Actor").path("ID").asText(), event::toString);
        assertEquals(Bridges.parse("{\"name\":\"replayed\",\"type\":\"bridge\"}"),
                event.path("Actor").path("Attributes"), event::toString);
        assertEquals("local", event.path("scope").asText(), event::toString);
        long time = event.path("time").asLong();
        assertTrue(time >= t0 && time <= until, event::toString);
        assertEquals(time, event.path("timeNano").asLong() / 1_000_000_000L, event::toString);

        CommandResult nothing = bed.docker().ok("events", "--since", Long.toString(t0), "--until", Long.toString(until),
                "--filter", "network=nosuch");
        assertEquals("", nothing.stdout(), nothing::describe);
    }

    /**
     * The CLI may not have subscribed yet when it has just been started: create throwaway
     * networks until the stream shows one (their later destroy lines do not matter).
     */
    private static void awaitStreaming(Testbed bed, Path out, Path err) throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            String id = Bridges.create(bed.docker(), "warmup" + attempt);
            long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
            while (System.nanoTime() < deadline) {
                if (read(out).stream().anyMatch(line -> line.contains(id))) {
                    return;
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("docker events never showed a warm-up network: " + read(out) + "\n" + read(err));
    }

    /** Waits until a line matches {@code regex} and returns its index. */
    private static int awaitLine(Path out, Path err, String regex) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = read(out);
            for (int i = 0; i < lines.size(); i++) {
                if (pattern.matcher(lines.get(i)).matches()) {
                    return i;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("docker events printed no line matching " + regex + " within " + WAIT + ":\n  "
                + String.join("\n  ", lines) + "\nstderr: " + String.join("\n", read(err)));
    }

    private static List<String> read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).lines().toList() : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
