package dev.berth.daemon.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.FutureCallback;

/**
 * What a hijacked connection's {@link EndPoint} becomes once Jetty has sent the {@code 101}: a
 * plain byte pipe, read and written blocking from the session's (virtual) thread. Bytes the
 * client sent right behind the request, which the HTTP connection had read already, are handed
 * over by Jetty ({@link Connection.UpgradeTo}) and read first. A half-close by the client is EOF
 * on {@link #input()} while writes go on; {@link #close} closes the socket.
 */
final class RawConnection extends AbstractConnection implements Connection.UpgradeTo {
    static final long LINGER_MS = 1000;
    private final Executor executor;
    private final Consumer<RawConnection> session;
    private final Input input = new Input();
    private final Object writeLock = new Object();
    private ByteBuffer leftover;

    /** {@code session} runs on {@code executor} once Jetty has switched the endpoint over. */
    RawConnection(EndPoint endPoint, Executor executor, Consumer<RawConnection> session) {
        super(endPoint, executor);
        this.executor = executor;
        this.session = session;
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        if (buffer != null && buffer.hasRemaining()) {
            leftover = ByteBuffer.allocate(buffer.remaining());
            leftover.put(buffer).flip();
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        // a quiet container is not an idle client
        getEndPoint().setIdleTimeout(0);
        executor.execute(() -> session.accept(this));
    }

    @Override
    public void onFillable() {
        // reads are driven by Input.read, which asks for its own callbacks
    }

    @Override
    public boolean onIdleExpired(java.util.concurrent.TimeoutException timeout) {
        return false;
    }

    /** The client's bytes until it half-closes (or the connection fails: also EOF). */
    InputStream input() {
        return input;
    }

    /** Writes all of {@code data} and waits until the socket took it. */
    void write(byte[] data, int offset, int length) throws IOException {
        if (length == 0) {
            return;
        }
        synchronized (writeLock) {
            FutureCallback done = new FutureCallback();
            getEndPoint().write(done, ByteBuffer.wrap(data, offset, length));
            await(done, "write to client");
        }
    }

    /**
     * Ends the stream: EOF to the client first, then the client's unread bytes are read away until
     * it closes its end (at most {@value #LINGER_MS} ms), then the socket closes. A socket closed
     * with bytes unread resets the connection: the docker CLI, whose terminal may still send a
     * byte after the process ended, then fails with "connection reset by peer" instead of asking
     * for the exit code.
     */
    @Override
    public void close() {
        EndPoint endPoint = getEndPoint();
        if (!endPoint.isOpen()) {
            return;
        }
        endPoint.shutdownOutput();
        Thread.ofVirtual().name("berth-hijack-linger").start(() -> {
            Thread deadline = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(LINGER_MS);
                } catch (InterruptedException e) {
                    // the client closed first
                }
                endPoint.close();
            });
            byte[] discard = new byte[4096];
            try {
                while (input.read(discard, 0, discard.length) >= 0) {
                    // the process has ended: nobody wants these bytes
                }
            } catch (IOException e) {
                // gone: nothing more to read
            }
            endPoint.close();
            deadline.interrupt();
        });
    }

    private static void await(FutureCallback done, String what) throws IOException {
        try {
            done.get();
        } catch (ExecutionException e) {
            throw new IOException(what + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(what + " interrupted");
        }
    }

    /** Blocking reads over the non-blocking endpoint: fill, else wait for fill interest. */
    private final class Input extends InputStream {
        private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024).limit(0);
        private boolean eof;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (leftover != null && leftover.hasRemaining()) {
                int n = Math.min(len, leftover.remaining());
                leftover.get(b, off, n);
                return n;
            }
            while (!buffer.hasRemaining()) {
                if (eof) {
                    return -1;
                }
                EndPoint endPoint = getEndPoint();
                buffer.clear().limit(0);
                int filled;
                try {
                    filled = endPoint.fill(buffer);
                } catch (IOException e) {
                    eof = true;
                    return -1;
                }
                if (filled < 0 || !endPoint.isOpen()) {
                    eof = true;
                    return -1;
                }
                if (filled == 0) {
                    FutureCallback readable = new FutureCallback();
                    endPoint.fillInterested(readable);
                    try {
                        await(readable, "read from client");
                    } catch (InterruptedIOException e) {
                        throw e;
                    } catch (IOException e) {
                        // the connection closed under us (output ended, or the client went)
                        eof = true;
                        return -1;
                    }
                }
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }
    }
}
