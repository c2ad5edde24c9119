package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.InternalException;
import dev.berth.core.model.PublishedPort;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TCP listeners beside the socket: the same API, and a listener that cannot bind leaves nothing behind. */
class ApiServerTcpTest {
    @TempDir
    Path dir;

    @Test
    void plainTcpServesTheSameApiAsTheSocket() throws Exception {
        try (ApiServer server = new ApiServer(TestDaemon.context())) {
            List<String> bound = server.start(List.of(new ApiListener.Unix(dir.resolve("a.sock")),
                    new ApiListener.Tcp("127.0.0.1", 0)), SocketGroup.own(), Optional.empty());
            assertEquals(dir.resolve("a.sock").toString(), bound.getFirst());
            assertTrue(bound.get(1).startsWith("127.0.0.1:"), bound.toString());
            HttpResponse<String> ping = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + bound.get(1) + "/_ping")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ping.statusCode());
            assertEquals("OK", ping.body());
            assertEquals(Optional.of("1.50"), ping.headers().firstValue("Api-Version"));
        }
        assertFalse(Files.exists(dir.resolve("a.sock")));
    }

    @Test
    void aPortInUseFailsTheStartAndLeavesNoSocket() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ApiServer server = new ApiServer(TestDaemon.context())) {
            InternalException e = assertThrows(InternalException.class, () -> server.start(List.of(
                    new ApiListener.Unix(dir.resolve("a.sock")), new ApiListener.Tcp("127.0.0.1", taken.getLocalPort())),
                    SocketGroup.own(), Optional.empty()));
            assertTrue(e.getMessage().contains("tcp://127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertFalse(Files.exists(dir.resolve("a.sock")), "socket left behind");
        }
    }

    @Test
    void theTcpListenersHostPortsAreTheirResolvedAddresses() {
        assertEquals(List.of(new PublishedPort("tcp", 2376, "127.0.0.1", 2376), new PublishedPort("tcp", 2375, "0.0.0.0", 2375)),
                ApiListener.hostPorts(List.of(new ApiListener.Unix(Path.of("/x.sock")), new ApiListener.Tcp("localhost", 2376),
                        new ApiListener.Tcp("0.0.0.0", 2375))));
    }
}
