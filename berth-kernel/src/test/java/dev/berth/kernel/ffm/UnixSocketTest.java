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
