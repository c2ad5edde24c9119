package dev.berth.daemon.process;

import dev.berth.core.errors.InternalException;
import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * conmon's control fifo {@code <bundle>/ctl}: one line per message, {@code <type> <height> <width>\n};
 * type 1 resizes the terminal, type 2 reopens the log file (after the daemon renamed it away).
 * Opened without blocking: when no conmon reads it any more, nothing is sent.
 */
final class ConmonCtl {
    static final int RESIZE = 1;
    static final int REOPEN_LOG = 2;

    private ConmonCtl() {
    }

    static void resize(Path bundle, int height, int width) {
        if (height > 0 && width > 0) {
            send(bundle, RESIZE + " " + height + " " + width + "\n");
        }
    }

    static void reopenLog(Path bundle) {
        send(bundle, REOPEN_LOG + " 0 0\n");
    }

    private static void send(Path bundle, String message) {
        int fd;
        try {
            fd = Libc.open(bundle.resolve("ctl").toString(), Libc.O_WRONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        } catch (KernelException e) {
            if (e.errno() == Errno.ENXIO || e.errno() == Errno.ENOENT) {
                return; // no reader: conmon is gone
            }
            throw new InternalException("write to conmon's " + bundle.resolve("ctl") + ": " + e.getMessage(), e);
        }
        try (Arena arena = Arena.ofConfined()) {
            Libc.write(fd, arena.allocateFrom(ValueLayout.JAVA_BYTE, message.getBytes(StandardCharsets.US_ASCII)));
        } catch (KernelException e) {
            if (e.errno() != Errno.EPIPE) {
                throw new InternalException("write to conmon's " + bundle.resolve("ctl") + ": " + e.getMessage(), e);
            }
            // conmon ended between the open and the write
        } finally {
            Libc.close(fd);
        }
    }
}
