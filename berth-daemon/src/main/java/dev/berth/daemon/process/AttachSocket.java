package dev.berth.daemon.process;

import dev.berth.core.errors.ConflictException;
import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * A client of conmon's attach socket ({@code <bundle>/attach}, SOCK_SEQPACKET): each message
 * from conmon is one chunk of output whose first byte names the pipe (conmon's {@code stdpipe_t}: 2 stdout, 3 stderr); what
 * the client sends is the process's stdin, unframed; shutting down the sending side tells conmon
 * stdin ended (it then closes the process's stdin unless started with
 * {@code --leave-stdin-open}). conmon closes the connection when the process's output has
 * ended. Java's Unix-domain channels are SOCK_STREAM only, hence libc through
 * {@code kernel.ffm.Libc}. The socket is reached as {@code /proc/self/fd/<dirfd>/attach} through
 * the bundle directory opened with {@code O_PATH}, so its path length never matters (the same
 * trick conmon binds it with).
 */
final class AttachSocket implements ContainerIo.Attached {
    static final int STDOUT_PIPE = 2;
    static final int STDERR_PIPE = 3;
    /** conmon's {@code CONN_SOCK_BUF_SIZE} is 32 KiB; one more byte for the pipe. */
    private static final int MESSAGE_SIZE = 32 * 1024 + 1;
    private static final int STDIN_CHUNK = 8192;

    private final int fd;
    private final boolean stdout;
    private final boolean stderr;
    private boolean reading;
    private boolean closed;
    private boolean released;
    private final String prelude;

    private AttachSocket(int fd, boolean stdout, boolean stderr, String prelude) {
        this.fd = fd;
        this.stdout = stdout;
        this.stderr = stderr;
        this.prelude = prelude;
    }

    /** Connects to the attach socket in {@code bundle}; a 409 when nothing listens there. */
    static AttachSocket connect(Path bundle, String name, boolean stdout, boolean stderr, String prelude) {
        int dir = Libc.open(bundle.toString(), Libc.O_PATH | Libc.O_CLOEXEC, 0);
        try {
            int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_SEQPACKET | Libc.SOCK_CLOEXEC, 0);
            try (Arena arena = Arena.ofConfined()) {
                Libc.connect(fd, Libc.unixAddress(arena, "/proc/self/fd/" + dir + "/attach"));
                return new AttachSocket(fd, stdout, stderr, prelude);
            } catch (KernelException e) {
                Libc.close(fd);
                if (e.errno() == Errno.ENOENT || e.errno() == Errno.ECONNREFUSED) {
                    throw new ConflictException("container " + name + " is not running");
                }
                throw e;
            }
        } finally {
            Libc.close(dir);
        }
    }

    @Override
    public void input(InputStream stdin, boolean closeAtEof) throws IOException {
        byte[] chunk = new byte[STDIN_CHUNK];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(STDIN_CHUNK);
            int n;
            while ((n = stdin.read(chunk)) >= 0) {
                if (n == 0) {
                    continue;
                }
                MemorySegment.copy(chunk, 0, buffer, ValueLayout.JAVA_BYTE, 0, n);
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                }
                Libc.send(fd, buffer.asSlice(0, n), Libc.MSG_NOSIGNAL);
            }
            synchronized (this) {
                if (closeAtEof && !closed) {
                    Libc.shutdown(fd, Libc.SHUT_WR);
                }
            }
        } catch (KernelException e) {
            if (e.errno() == Errno.EPIPE || e.errno() == Errno.ECONNRESET) {
                return; // the process's stdin is gone: nothing more to give it
            }
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void output(ContainerIo.Sink sink) throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            reading = true;
        }
        try (Arena arena = Arena.ofConfined()) {
            if (!prelude.isEmpty()) {
                byte[] text = prelude.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                sink.write(ContainerIo.Stream.STDOUT, text, 0, text.length);
            }
            MemorySegment buffer = arena.allocate(MESSAGE_SIZE);
            while (true) {
                long n;
                try {
                    n = Libc.recv(fd, buffer, 0);
                } catch (KernelException e) {
                    if (e.errno() == Errno.ECONNRESET || e.errno() == Errno.EBADF) {
                        return;
                    }
                    throw new IOException(e.getMessage(), e);
                }
                if (n <= 0) {
                    return;
                }
                int pipe = buffer.get(ValueLayout.JAVA_BYTE, 0);
                boolean wanted = pipe == STDERR_PIPE ? stderr : pipe == STDOUT_PIPE && stdout;
                if (!wanted || n == 1) {
                    continue;
                }
                byte[] data = buffer.asSlice(1, n - 1).toArray(ValueLayout.JAVA_BYTE);
                sink.write(pipe == STDERR_PIPE ? ContainerIo.Stream.STDERR : ContainerIo.Stream.STDOUT, data, 0,
                        data.length);
            }
        } finally {
            synchronized (this) {
                reading = false;
                if (closed) {
                    release();
                }
            }
        }
    }

    /**
     * Detaches: shuts the socket down, which wakes a blocked {@link #output}; the descriptor is
     * closed once no thread reads from it (so its number cannot be reused under a reader).
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                Libc.shutdown(fd, 2);
            } catch (KernelException e) {
                // not connected any more: nothing to wake
            }
        }
        if (!reading) {
            release();
        }
    }

    private void release() {
        if (!released) {
            released = true;
            Libc.close(fd);
        }
    }
}
