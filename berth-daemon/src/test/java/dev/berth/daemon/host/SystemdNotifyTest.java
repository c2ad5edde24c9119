package dev.berth.daemon.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.kernel.ffm.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The notify messages on a real Unix datagram socket in the abstract namespace (as systemd's
 * {@code NOTIFY_SOCKET} may be), and no notifier without a usable variable. The daemon's use of
 * it (start, SIGHUP, SIGTERM) is {@code SystemdNotifyIT}.
 */
class SystemdNotifyTest {

    @Test
    void messagesReachAnAbstractSocket() {
        String name = "@berth-notify-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            Libc.bind(fd, Libc.unixAddress(arena, name));
            SystemdNotify notify = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", name));
            assertTrue(notify.enabled());
            notify.ready("API listen on /run/berth/berth.sock");
            assertEquals("READY=1\nSTATUS=API listen on /run/berth/berth.sock", receive(fd, arena));
            long before = Libc.monotonicMicros();
            notify.reloading();
            String reloading = receive(fd, arena);
            assertTrue(reloading.startsWith("RELOADING=1\nMONOTONIC_USEC="), reloading);
            long usec = Long.parseLong(reloading.lines().toList().get(1).substring("MONOTONIC_USEC=".length()));
            assertTrue(usec >= before && usec <= Libc.monotonicMicros(), reloading);
            notify.ready("reload failed, running configuration kept: line 1:\nx");
            assertEquals("READY=1\nSTATUS=reload failed, running configuration kept: line 1: x", receive(fd, arena),
                    "a status is one line");
            notify.stopping("Stopping (SIGTERM)");
            assertEquals("STOPPING=1\nSTATUS=Stopping (SIGTERM)", receive(fd, arena));
        } finally {
            Libc.close(fd);
        }
    }

    @Test
    void nothingWithoutAUsableVariableAndAGoneSocketIsNoError() {
        assertFalse(SystemdNotify.fromEnvironment(Map.of()).enabled());
        assertFalse(SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "")).enabled());
        assertFalse(SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "relative/notify")).enabled());
        SystemdNotify gone = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "/nonexistent/berth/notify"));
        assertTrue(gone.enabled());
        gone.ready("x"); // logged, never thrown: the daemon runs on without systemd
        SystemdNotify.fromEnvironment(Map.of()).stopping("x");
    }

    private static String receive(int fd, Arena arena) {
        MemorySegment buffer = arena.allocate(4096);
        long n = Libc.recv(fd, buffer, 0);
        return new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }
}
