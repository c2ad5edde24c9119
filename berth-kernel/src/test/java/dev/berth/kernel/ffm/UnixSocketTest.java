package dev.berth.kernel.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Unix-socket and fifo calls without privileges: the address layout, the refusals, and a
 * fifo made. Traffic over a real SOCK_SEQPACKET socket is in berth-daemon's RuncContainersIT
 * (conmon's attach socket).
 */
class UnixSocketTest {
    @TempDir
    Path tmp;

    @Test
    void anAddressIsFamilyThenThePathNulTerminated() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = Libc.unixAddress(arena, "/run/x");
            assertEquals(Libc.SOCKADDR_UN_SIZE, address.byteSize());
            assertEquals(Libc.AF_UNIX, address.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals("/run/x", address.getString(2, StandardCharsets.UTF_8));
            Libc.unixAddress(arena, "/" + "a".repeat(106));
            assertThrows(IllegalArgumentException.class, () -> Libc.unixAddress(arena, "/" + "a".repeat(107)));
        }
    }

    @Test
    void anAbstractAddressIsANulThenTheNameAndEndsWithIt() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = Libc.unixAddress(arena, "@berth/x");
            assertEquals(2 + 1 + 7, address.byteSize());
            assertEquals(Libc.AF_UNIX, address.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals(0, address.get(ValueLayout.JAVA_BYTE, 2));
            assertEquals("berth/x", new String(address.asSlice(3).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8),
                    "no NUL after the name");
        }
    }

    @Test
    void aDatagramReachesASocketBoundInTheAbstractNamespace() {
        String name = "@berth-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        int receiver = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        int sender = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            Libc.bind(receiver, Libc.unixAddress(arena, name));
            Libc.sendto(sender, arena.allocateFrom("READY=1", StandardCharsets.UTF_8).asSlice(0, 7), 0,
                    Libc.unixAddress(arena, name));
            MemorySegment buffer = arena.allocate(64);
            long n = Libc.recv(receiver, buffer, 0);
            assertEquals("READY=1", new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
        } finally {
            Libc.close(sender);
            Libc.close(receiver);
        }
    }

    @Test
    void theMonotonicClockIsThatOfProcUptimeAndGoesOn() throws IOException {
        long before = Libc.monotonicMicros();
        double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        long after = Libc.monotonicMicros();
        assertTrue(after >= before);
        // CLOCK_MONOTONIC and /proc/uptime count from boot (uptime includes suspend, so it is not smaller)
        assertTrue(uptime * 1_000_000 + 1_000_000 >= before, before + " us vs uptime " + uptime + " s");
        assertTrue(before > 0);
    }

    @Test
    void connectingToNothingIsEnoent() {
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_SEQPACKET | Libc.SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            KernelException missing = assertThrows(KernelException.class,
                    () -> Libc.connect(fd, Libc.unixAddress(arena, tmp.resolve("none").toString())));
            assertEquals(Errno.ENOENT, missing.errno());
        } finally {
            Libc.close(fd);
        }
    }

    @Test
    void mkfifoMakesANamedPipeOnceAndOpensWithoutBlockingNowhere() throws IOException {
        Path fifo = tmp.resolve("f");
        Libc.mkfifo(fifo.toString(), 0600);
        int mode = (int) Files.getAttribute(fifo, "unix:mode");
        assertEquals(0010000, mode & 0170000, "S_IFIFO");
        assertEquals(0600, mode & 0777);
        KernelException twice = assertThrows(KernelException.class, () -> Libc.mkfifo(fifo.toString(), 0600));
        assertEquals(Errno.EEXIST, twice.errno());
        KernelException noReader = assertThrows(KernelException.class,
                () -> Libc.open(fifo.toString(), Libc.O_WRONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0));
        assertEquals(Errno.ENXIO, noReader.errno(), "what resize sees once conmon is gone");
        int dir = Libc.open(tmp.toString(), Libc.O_PATH | Libc.O_CLOEXEC, 0);
        assertTrue(dir >= 0);
        Libc.close(dir);
    }
}
