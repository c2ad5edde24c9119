package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.cli.FakeDaemon.Reply;
import dev.berth.cli.ParityRunner.Options;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code events}: the fake daemon replays two events in a chunked stream and ends it (as moby
 * does for an {@code until} in the past); berth and docker must print the same lines and send the
 * same {@code since/until/filters}.
 */
class EventsParityTest {

    static final List<String> EVENTS = List.of(
            "{\"Type\":\"network\",\"Action\":\"connect\",\"Actor\":{\"ID\":\"c61c0000000000000000000000000000000000000000000000000000000495b\","
                    + "\"Attributes\":{\"type\":\"bridge\",\"name\":\"mynet\",\"container\":\"c100\"}},"
                    + "\"scope\":\"local\",\"time\":1795826899,\"timeNano\":1795826899194988864}",
            "{\"Type\":\"network\",\"Action\":\"prune\",\"Actor\":{\"ID\":\"\",\"Attributes\":{\"reclaimed\":\"0\"}},"
                    + "\"scope\":\"local\",\"time\":1795826900,\"timeNano\":0}",
            "{\"Type\":\"network\",\"Action\":\"destroy\",\"Actor\":{\"ID\":\"abc\"},\"time\":1795826901,\"timeNano\":1795826901000000001}");

    @TempDir
    static Path dir;

    private static FakeDaemon daemon;
    private static ParityRunner runner;
    private static final AtomicInteger HELD = new AtomicInteger();
    private static volatile CountDownLatch gate;

    @BeforeAll
    static void start() throws IOException {
        Path socket = dir.resolve("events.sock");
        daemon = new FakeDaemon(socket, request -> {
            if (!request.line().startsWith("GET /v1.50/events")) {
                return null;
            }
            if (request.target().contains("until=1")) {
                return Reply.stream(EVENTS, null);
            }
            HELD.incrementAndGet();
            return Reply.stream(EVENTS.subList(0, 1), gate);
        });
        runner = new ParityRunner(daemon, socket, dir);
    }

    @AfterAll
    static void stop() throws IOException {
        daemon.close();
    }

    private static DynamicTest same(Options options, String... args) {
        return DynamicTest.dynamicTest(String.join(" ", args) + " " + options.env(), () -> {
            assumeTrue(Files.isExecutable(ParityRunner.DOCKER), "docker CLI not installed");
            runner.assertSame(List.of(args), options);
        });
    }

    @TestFactory
    Stream<DynamicTest> sameAsDocker() {
        Options plain = Options.PLAIN;
        Options kolkata = plain.withEnv("TZ", "Asia/Kolkata");
        Options failing = plain.withoutPing();
        String since = "--since=2026-01-02T03:04:05Z";
        String until = "--until=1767326400";
        return Stream.of(
                same(plain, "events", since, until),
                same(plain, "events", "--since", "1767312000", "--until", "1767315845.5", "-f", "type=network", "--filter", "event=create"),
                same(kolkata, "events", "--since", "2026-01-02", "--until", "1767315845"),
                same(kolkata, "events", "--since", "2026-01-02T03:04", "--until", "1767315845"),
                same(kolkata, "events", "--since", "2026-01-02T03:04:05.5", "--until", "1767315845"),
                same(plain.withEnv("TZ", "America/New_York"), "system", "events", "--since", "2026-01-02T03+02:00",
                        "--until", "1767315845", "--filter", "network=mynet"),
                same(plain.withEnv("TZ", "UTC"), "events", "--since", "2026-01-02Z", "--until", "2026-01-02T03:04:05.123456789-07:00"),
                same(plain, "events", since, until, "--format", "{{json .}}"),
                same(plain, "events", since, until, "--format", "json"),
                same(plain, "events", since, until, "--format", "{{.Type}} {{.Actor.Attributes}} {{.TimeNano}} {{.Scope}} {{.Status}}|{{.Actor}}"),
                same(plain, "events", since, until, "--format", "{{.Action | upper}} {{index .Actor.Attributes \"name\"}} {{.Time}}"),
                same(plain, "events", "--format", "{{.Foo}}"),
                same(plain, "events", "--format", "{{.Type"),
                same(failing, "events", "--since", "bogus"),
                same(failing, "events", "--since", "2026-13-01"),
                same(failing, "events", "--since", "2026-01-02T25:00"),
                same(failing, "events", "--until", "2026-01-02T03:04:05x"),
                same(failing, "events", "--since", "2026-02-30"),
                same(failing, "events", "--since", "2026-01-02T03:04:05+2"),
                same(failing, "events", "-f", "nofilter"));
    }

    @Test
    void durationsAreTheSameUpToTheClock() throws Exception {
        assumeTrue(Files.isExecutable(ParityRunner.DOCKER), "docker CLI not installed");
        List<String> args = List.of("events", "--since", "1h30m", "--until", "-2s");
        // Each run reads its own clock somewhere inside its window: compare each with its window,
        // not the two with each other (a loaded machine may take seconds between them).
        long t0 = Instant.now().getEpochSecond();
        List<Long> expected = bounds(runner.docker(args, Options.PLAIN).requests().getLast().target());
        long t1 = Instant.now().getEpochSecond();
        List<Long> actual = bounds(runner.berth(args, Options.PLAIN).requests().getLast().target());
        long t2 = Instant.now().getEpochSecond();
        assertWithin(expected, t0, t1, "docker");
        assertWithin(actual, t1, t2, "berth");
        assertEquals(expected.get(1) - expected.get(0), actual.get(1) - actual.get(0),
                "both bounds from one reading of the clock, as docker: " + expected + " vs " + actual);
    }

    /** The run's "now" (since + 1h30m, whole seconds) lies within [from, to], read around the run. */
    private static void assertWithin(List<Long> bounds, long from, long to, String who) {
        long now = bounds.get(0) + 5400;
        assertTrue(now >= from && now <= to, who + ": since " + bounds.get(0) + " is not 1h30m before a time within ["
                + from + ", " + to + "]");
    }

    private static List<Long> bounds(String target) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("since=(\\d+)&until=(\\d+)$").matcher(target);
        assertTrue(m.find(), target);
        return List.of(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    @Test
    void printsEachEventAsItArrives() throws Exception {
        gate = new CountDownLatch(1);
        int held = HELD.get(); // other tests of the class may have been served before: count this one's
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int[] status = {-1};
        Thread run = Thread.ofPlatform().start(() -> status[0] = Main.run(new String[] {"events", "--format", "{{.Action}}"},
                Map.of("BERTH_HOST", "unix://" + dir.resolve("events.sock")), InputStream.nullInputStream(), print, print));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!out.toString(StandardCharsets.UTF_8).equals("connect\n") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals("connect\n", out.toString(StandardCharsets.UTF_8), "the first event is printed while the stream is open");
        assertTrue(run.isAlive());
        gate.countDown();
        run.join(10_000);
        assertEquals(0, status[0]);
        assertEquals(held + 1, HELD.get(), "one held stream, this run's");
    }
}
