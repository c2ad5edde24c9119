package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.core.service.network.CreateNetwork;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /events}: replay windows, filters, live streaming with the real CLI, and clean-up. */
class EventsApiTest {
    /**
     * How long the real docker CLI may take to start, subscribe, print or exit: an upper bound for
     * a loaded machine that a passing run never waits for.
     */
    private static final long PATIENCE_SECONDS = 60;
    @TempDir
    Path directory;
    TestDaemon daemon;

    @BeforeEach
    void start() {
        daemon = new TestDaemon(directory, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void replayWindowIsChunkedJsonLinesAndEnds() throws Exception {
        long since = Instant.now().getEpochSecond() - 1;
        String id = daemon.networks.create(CreateNetwork.named("ev1")).network().id().value();
        daemon.networks.remove("ev1");
        long until = Instant.now().getEpochSecond() + 1;
        RawHttp.Response r = daemon.http().get("/v1.50/events?since=" + since + "&until=" + until
                + "&filters=%7B%22type%22%3A%7B%22network%22%3Atrue%7D%7D");
        assertEquals(200, r.status());
        assertEquals(Optional.of("application/json"), r.header("Content-Type"));
        assertEquals(Optional.of("chunked"), r.header("Transfer-Encoding"), r.headerLines().toString());
        List<String> lines = dechunk(r.body()).lines().toList();
        assertEquals(2, lines.size(), r.body());
        assertTrue(lines.get(0).matches("\\{\"Type\":\"network\",\"Action\":\"create\",\"Actor\":\\{\"ID\":\"" + id
                + "\",\"Attributes\":\\{\"name\":\"ev1\",\"type\":\"bridge\"}},\"scope\":\"local\",\"time\":[0-9]+,"
                + "\"timeNano\":[0-9]+}"), lines.get(0));
        assertTrue(lines.get(1).contains("\"Action\":\"destroy\""), lines.get(1));
        RawHttp.Response filtered = daemon.http().get("/v1.50/events?since=" + since + "&until=" + until
                + "&filters=%7B%22event%22%3A%7B%22destroy%22%3Atrue%7D%2C%22network%22%3A%7B%22ev%22%3Atrue%7D%7D");
        assertEquals(1, dechunk(filtered.body()).lines().count(), filtered.body());
        assertEquals(0, daemon.networks.events().subscribers());
    }

    @Test
    void untilBeforeSinceIsRejected() throws Exception {
        RawHttp.Response r = daemon.http().get("/v1.50/events?since=200&until=100");
        assertEquals(400, r.status());
        assertEquals("{\"message\":\"`since` time (200) cannot be after `until` time (100)\"}\n", r.body());
    }

    @Test
    void cliReplaysCreateAndDestroy() throws Exception {
        assumeTrue(DockerCli.installed());
        DockerCli docker = new DockerCli(daemon.socket, directory);
        long since = Instant.now().getEpochSecond() - 1;
        String id = daemon.networks.create(CreateNetwork.named("replayed")).network().id().value();
        daemon.networks.remove("replayed");
        String until = Long.toString(Instant.now().getEpochSecond() + 1);
        DockerCli.Run run = docker.run("events", "--filter", "type=network", "--since", Long.toString(since),
                "--until", until);
        assertEquals(0, run.exit(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.out());
        assertTrue(lines.get(0).matches("\\S+ network create " + id + " \\(name=replayed, type=bridge\\)"), lines.get(0));
        assertTrue(lines.get(1).matches("\\S+ network destroy " + id + " \\(name=replayed, type=bridge\\)"),
                lines.get(1));
    }

    @Test
    void cliSeesLiveEventsAndTheServerLetsGoWhenItLeaves() throws Exception {
        assumeTrue(DockerCli.installed());
        DockerCli docker = new DockerCli(daemon.socket, directory);
        Process events = docker.start("events", "--filter", "type=network");
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(events.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    in.lines().forEach(lines::add);
                } catch (java.io.IOException e) {
                    // the process was killed
                }
            });
            awaitSubscribers(1);
            daemon.networks.create(CreateNetwork.named("live1"));
            String line = lines.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
            assertNotNull(line, "no event line within " + PATIENCE_SECONDS + " s");
            assertTrue(line.contains(" network create ") && line.contains("(name=live1, type=bridge)"), line);
        } finally {
            events.destroy();
            assertTrue(events.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "docker events did not end");
        }
        daemon.networks.create(CreateNetwork.named("after"));
        awaitSubscribers(0);
    }

    private void awaitSubscribers(int wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (daemon.networks.events().subscribers() != wanted && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(wanted, daemon.networks.events().subscribers());
    }

    /** Undoes HTTP/1.1 chunked transfer coding. */
    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, eol).strip(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(body, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }
}
