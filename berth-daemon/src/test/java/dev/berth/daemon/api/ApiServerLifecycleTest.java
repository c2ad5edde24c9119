package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.errors.UnavailableException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Socket file handling: parent directories, mode 0660, stale and live sockets, removal on close. */
class ApiServerLifecycleTest {
    @TempDir
    Path directory;

    @Test
    void createsParentsSetsMode0660AndDeletesOnClose() throws IOException {
        Path socket = directory.resolve("run/berth/api.sock");
        ApiServer server = new ApiServer(TestDaemon.context());
        server.start(socket);
        try {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals(200, new RawHttp(socket).get("/_ping").status());
        } finally {
            server.close();
        }
        assertFalse(Files.exists(socket));
        server.close();
    }

    @Test
    void replacesAStaleSocket() throws IOException {
        Path socket = directory.resolve("stale.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket), "a closed channel leaves its file behind, like a crash");
        try (ApiServer server = newServer()) {
            server.start(socket);
            assertEquals(200, new RawHttp(socket).get("/_ping").status());
        }
    }

    @Test
    void refusesASocketSomebodyAnswersOn() throws IOException {
        Path socket = directory.resolve("live.sock");
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             ApiServer server = newServer()) {
            other.bind(UnixDomainSocketAddress.of(socket));
            UnavailableException e = assertThrows(UnavailableException.class, () -> server.start(socket));
            assertTrue(e.getMessage().contains("another daemon is listening"), e.getMessage());
            assertTrue(Files.exists(socket), "the other daemon's socket is left alone");
        }
    }

    @Test
    void refusesAPathThatIsNotASocket() throws IOException {
        Path file = Files.writeString(directory.resolve("plain"), "data");
        try (ApiServer server = newServer()) {
            assertThrows(RuntimeException.class, () -> server.start(file));
        }
        assertEquals("data", Files.readString(file));
    }

    /** A request that blocks by design (a wait on a sandbox without a process) must not keep SIGTERM waiting. */
    @Test
    void closeEndsRequestsThatBlockForEver() throws Exception {
        Path socket = directory.resolve("block.sock");
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        ApiServer server = new ApiServer(TestDaemon.context(), routes -> routes.add("GET", "/block", request -> {
            entered.countDown();
            try {
                new java.util.concurrent.CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return new Reply.Empty(204);
        }));
        server.start(socket);
        Thread client = Thread.ofVirtual().start(() -> {
            try {
                new RawHttp(socket).get("/block");
            } catch (IOException | RuntimeException e) {
                // the connection goes away with the server
            }
        });
        assertTrue(entered.await(10, java.util.concurrent.TimeUnit.SECONDS), "the handler never ran");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), server::close);
        assertFalse(Files.exists(socket));
        client.join(10_000);
    }

    private ApiServer newServer() {
        return new ApiServer(TestDaemon.context());
    }
}
