package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher tells its observer of every request it answers: the route's template (never the
 * raw path, which holds names and ids), or {@code unmatched}, with the status sent.
 */
class RequestObserverTest {
    @TempDir
    Path directory;
    private final Queue<String> told = new ConcurrentLinkedQueue<>();
    private ApiServer server;
    private RawHttp http;

    @BeforeEach
    void start() {
        server = new ApiServer(TestDaemon.context(), AcceptQueue.FALLBACK, (method, route, status, nanos) -> {
            assertTrue(nanos >= 0);
            told.add(method + " " + route + " " + status);
        });
        server.start(directory.resolve("berth.sock"));
        http = new RawHttp(directory.resolve("berth.sock"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void eachRequestIsToldByRouteTemplateAndStatus() throws Exception {
        assertEquals(200, http.get("/v1.45/networks").status());
        awaitTold(1);
        assertEquals(404, http.get("/v1.45/networks/nosuch").status());
        awaitTold(2);
        assertEquals(201, http.send("POST", "/networks/create", "application/json", "{\"Name\":\"net1\"}").status());
        awaitTold(3);
        assertEquals(400, http.send("POST", "/networks/create", "application/json", "{\"Name\":").status());
        awaitTold(4);
        assertEquals(404, http.get("/v1.45/nosuch/x").status());
        awaitTold(5);
        assertEquals(404, http.send("BREW", "/coffee", null, null).status());
        awaitTold(6);
        assertEquals(400, http.get("/v0.1/networks").status(), "an unsupported version, on a route that exists");
        awaitTold(7);
        assertEquals(List.of("GET /networks 200", "GET /networks/{id:.+} 404", "POST /networks/create 201",
                "POST /networks/create 400", "GET unmatched 404", "OTHER unmatched 404", "GET /networks 400"),
                List.copyOf(told));
    }

    /** The observer is told after the answer is written: the client may read it first. */
    private void awaitTold(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (told.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(count, told.size(), told::toString);
    }
}
