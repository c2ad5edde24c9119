package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import dev.berth.it.fixture.UnixHttpClient;
import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * systemd's notify protocol as {@code berth.service} ({@code Type=notify}) meets it: the daemon
 * started with {@code NOTIFY_SOCKET} naming a Unix datagram socket the test binds (as systemd
 * binds {@code /run/systemd/notify}) sends {@code READY=1} once its API answers,
 * {@code RELOADING=1} with {@code MONOTONIC_USEC} and then {@code READY=1} around a SIGHUP reload
 * (also a refused one), {@code STOPPING=1} on SIGTERM; and no child inherits the variable, so
 * {@code runc start} does not wait for a container's own READY.
 */
@ExtendWith(TestbedExtension.class)
class SystemdNotifyIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void readyReloadingAndStoppingReachTheNotifySocket(Testbed bed) throws Exception {
        Path path = bed.dir().resolve("notify.sock");
        try (NotifySocket notify = NotifySocket.bind(path)) {
            bed.daemon().withEnvironment(Map.of("NOTIFY_SOCKET", path.toString())).launch();
            Map<String, String> ready = notify.next(WAIT);
            assertEquals("1", ready.get("READY"), ready::toString);
            assertEquals("API listen on " + bed.daemon().socket(), ready.get("STATUS"));
            // READY=1 comes after the API answers: a ping right now succeeds without waiting
            assertEquals(200, new UnixHttpClient(bed.daemon().socket(), Duration.ofSeconds(5)).send("GET", "/_ping").status());
            bed.daemon().waitReady();
            bed.daemon().loadTestImages();

            // children do not inherit it: runc start would wait for the container's own READY=1
            String id = bed.docker().ok("run", "-d", "busybox", "sleep", "300").stdout().trim();
            Path monitorPid = bed.dir().resolve("exec/sandboxes/" + id + "/monitor.pid");
            String conmonEnv = Files.readString(Path.of("/proc/" + Files.readString(monitorPid).trim() + "/environ"));
            assertFalse(Arrays.asList(conmonEnv.split("\0")).stream().anyMatch(v -> v.startsWith("NOTIFY_SOCKET=")),
                    "conmon's environment: " + conmonEnv.replace('\0', ' '));
            bed.docker().ok("rm", "-f", id);

            bed.daemon().writeConfig("{\"icc\": false}\n");
            long before = Libc.monotonicMicros();
            bed.daemon().sighup();
            Map<String, String> reloading = notify.next(WAIT);
            long after = Libc.monotonicMicros();
            assertEquals("1", reloading.get("RELOADING"), reloading::toString);
            long usec = Long.parseLong(reloading.get("MONOTONIC_USEC"));
            assertTrue(usec >= before && usec <= after, usec + " not within " + before + ".." + after);
            Map<String, String> reloaded = notify.next(WAIT);
            assertEquals("1", reloaded.get("READY"), reloaded::toString);
            assertTrue(reloaded.get("STATUS").startsWith("Reloaded configuration: icc: true -> false"), reloaded::toString);

            bed.daemon().writeConfig("{\"mtu\": \"x\"}\n");
            bed.daemon().sighup();
            assertEquals("1", notify.next(WAIT).get("RELOADING"));
            Map<String, String> refused = notify.next(WAIT);
            assertEquals("1", refused.get("READY"), "a refused reload ends too: " + refused);
            assertTrue(refused.get("STATUS").startsWith("reload failed, running configuration kept:"), refused::toString);

            bed.daemon().stop();
            Map<String, String> stopping = notify.next(WAIT);
            assertEquals("1", stopping.get("STOPPING"), stopping::toString);
            assertEquals("Stopping (SIGTERM)", stopping.get("STATUS"));
            assertEquals(List.of(), notify.drain(), "nothing after STOPPING=1");
        }
    }

    /** A bound Unix datagram socket, as systemd's notify socket; messages parsed into their fields. */
    static final class NotifySocket implements AutoCloseable {
        private final int fd;
        private final Path path;

        private NotifySocket(int fd, Path path) {
            this.fd = fd;
            this.path = path;
        }

        static NotifySocket bind(Path path) {
            int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
            try (Arena arena = Arena.ofConfined()) {
                Libc.bind(fd, Libc.unixAddress(arena, path.toString()));
                // the daemon runs as root like the test; systemd's socket is writable by root alone too
                return new NotifySocket(fd, path);
            } catch (RuntimeException e) {
                Libc.close(fd);
                throw e;
            }
        }

        /** The next message, or an AssertionError after {@code timeout}. */
        Map<String, String> next(Duration timeout) {
            String text = receive(timeout);
            if (text == null) {
                throw new AssertionError("no notification within " + timeout);
            }
            return text.lines().map(l -> l.split("=", 2))
                    .collect(Collectors.toMap(kv -> kv[0], kv -> kv.length > 1 ? kv[1] : "", (a, b) -> b,
                            java.util.LinkedHashMap::new));
        }

        /** What else arrives within a second. */
        List<String> drain() {
            List<String> rest = new java.util.ArrayList<>();
            for (String text = receive(Duration.ofSeconds(1)); text != null; text = receive(Duration.ofSeconds(1))) {
                rest.add(text);
            }
            return rest;
        }

        private String receive(Duration timeout) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment timeval = arena.allocate(16, 8);
                timeval.set(ValueLayout.JAVA_LONG, 0, timeout.toSeconds());
                timeval.set(ValueLayout.JAVA_LONG, 8, timeout.toMillisPart() * 1000L);
                Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval);
                MemorySegment buffer = arena.allocate(4096);
                long n;
                try {
                    n = Libc.recv(fd, buffer, 0);
                } catch (KernelException e) {
                    if (e.errno() == Errno.EAGAIN) {
                        return null;
                    }
                    throw e;
                }
                return new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() throws java.io.IOException {
            Libc.close(fd);
            Files.deleteIfExists(path);
        }
    }
}
