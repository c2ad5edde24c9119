package dev.berth.daemon.api;

import dev.berth.daemon.process.ContainerIo;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a {@link Reply.Upgrade} the way moby hijacks {@code attach} and {@code exec start}.
 *
 * <p>With an {@code Upgrade} request header: {@code HTTP/1.1 101 UPGRADED}, {@code Content-Type}
 * ({@value #MULTIPLEXED} without TTY from API 1.42 on, else {@value #RAW}), {@code Connection:
 * Upgrade}, {@code Upgrade: tcp}, the headers every reply carries, then the socket is a raw
 * byte stream. Jetty does the switch: the request carries {@link HttpStream#UPGRADE_CONNECTION_ATTRIBUTE}
 * (a {@link RawConnection}); the head is written as moby writes it by an {@link HttpStream}
 * wrapper (Jetty's generator drops {@code Connection: Upgrade} and has its own reason phrase);
 * once the exchange completes Jetty hands the endpoint over ({@code EndPoint.upgrade}), with any
 * bytes already read behind the request. The session then runs on a thread of its own: the
 * handler must return first, since Jetty completes the exchange only after it.
 *
 * <p>Without the header: {@code 200} with {@value #RAW}, the output as a chunked body and stdin
 * read from the request body, the same bytes a moby client reads.
 */
final class Hijack {
    static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";
    static final String RAW = "application/vnd.docker.raw-stream";
    private static final Logger LOG = LoggerFactory.getLogger(Hijack.class);

    private final Consumer<HttpFields.Mutable> commonHeaders;
    private final Executor executor;

    Hijack(Consumer<HttpFields.Mutable> commonHeaders, Executor executor) {
        this.commonHeaders = commonHeaders;
        this.executor = executor;
    }

    /** Whether the client asked to switch protocols (moby looks for the {@code Upgrade} header only). */
    static boolean upgradeRequested(Request request) {
        return request.getHeaders().get(HttpHeader.UPGRADE) != null;
    }

    void answer(Request request, Response response, Callback callback, Reply.Upgrade upgrade, ApiVersion version) {
        if (upgradeRequested(request)) {
            upgraded(request, response, callback, upgrade, version);
        } else {
            streamed(request, response, callback, upgrade);
        }
    }

    private void upgraded(Request request, Response response, Callback callback, Reply.Upgrade upgrade,
                          ApiVersion version) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        boolean tty = upgrade.tty();
        RawConnection connection = new RawConnection(endPoint, executor, raw -> run(upgrade, new Frames(tty) {
            @Override
            public InputStream stdin() {
                return raw.input();
            }

            @Override
            void send(byte[] data, int offset, int length) throws IOException {
                raw.write(data, offset, length);
            }
        }, raw::close));
        request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, connection);
        HttpFields.Mutable headers = HttpFields.build();
        headers.put(HttpHeader.CONTENT_TYPE, !tty && version.atLeast("1.42") ? MULTIPLEXED : RAW);
        headers.put(HttpHeader.CONNECTION, "Upgrade");
        headers.put(HttpHeader.UPGRADE, "tcp");
        commonHeaders.accept(headers);
        byte[] head = head(headers);
        // Jetty's generator would drop "Connection: Upgrade" and write its own reason phrase: the
        // head goes out as moby writes it, and the exchange still completes through Jetty, which
        // then hands the endpoint to the RawConnection.
        request.addHttpStreamWrapper(stream -> new HttpStream.Wrapper(stream) {
            private volatile boolean sent;

            @Override
            public void send(MetaData.Request request, MetaData.Response response, boolean last, ByteBuffer content,
                             Callback callback) {
                if (response != null && response.getStatus() == 101) {
                    sent = true;
                    endPoint.write(callback, ByteBuffer.wrap(head));
                } else if (sent) {
                    callback.succeeded();
                } else {
                    super.send(request, response, last, content, callback);
                }
            }
        });
        response.setStatus(101);
        response.write(true, ByteBuffer.allocate(0), callback);
    }

    /** {@code HTTP/1.1 101 UPGRADED}, the headers in order, a blank line. */
    private static byte[] head(HttpFields headers) {
        StringBuilder head = new StringBuilder("HTTP/1.1 101 UPGRADED\r\n");
        headers.forEach(field -> head.append(field.getName()).append(": ").append(field.getValue()).append("\r\n"));
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** No {@code Upgrade} header: a 200 whose chunked body is the output; stdin is the request body. */
    private void streamed(Request request, Response response, Callback callback, Reply.Upgrade upgrade) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        endPoint.setIdleTimeout(0);
        response.setStatus(200);
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, RAW);
        headers.put(HttpHeader.TRANSFER_ENCODING, "chunked");
        commonHeaders.accept(headers);
        InputStream body = Content.Source.asInputStream(request);
        Frames frames = new Frames(upgrade.tty()) {
            @Override
            public InputStream stdin() {
                return body;
            }

            @Override
            void send(byte[] data, int offset, int length) throws IOException {
                blockingWrite(response, false, ByteBuffer.wrap(data, offset, length));
            }
        };
        try {
            blockingWrite(response, false, ByteBuffer.allocate(0));
        } catch (IOException e) {
            callback.failed(e);
            return;
        }
        run(upgrade, frames, () -> response.write(true, ByteBuffer.allocate(0), callback));
    }

    private static void run(Reply.Upgrade upgrade, Frames frames, Runnable close) {
        try {
            upgrade.session().run(frames);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.debug("hijacked session ended: {}", e.toString());
            try {
                frames.error(e.getMessage() == null ? e.toString() : e.getMessage());
            } catch (IOException | RuntimeException gone) {
                // the client is gone: nothing to tell
            }
        } finally {
            close.run();
        }
    }

    private static void blockingWrite(Response response, boolean last, ByteBuffer buffer) throws IOException {
        Callback.Completable done = new Callback.Completable();
        response.write(last, buffer, done);
        try {
            done.get();
        } catch (ExecutionException e) {
            throw new IOException("write to client: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing to client");
        }
    }

    /** The session's view: output framed as moby's stdcopy does unless there is a TTY. */
    abstract static class Frames implements Reply.Hijacked, ContainerIo.Sink {
        private final boolean tty;

        Frames(boolean tty) {
            this.tty = tty;
        }

        abstract void send(byte[] data, int offset, int length) throws IOException;

        @Override
        public abstract InputStream stdin();

        @Override
        public ContainerIo.Sink output() {
            return this;
        }

        @Override
        public synchronized void write(ContainerIo.Stream stream, byte[] data, int offset, int length)
                throws IOException {
            if (length == 0) {
                return;
            }
            if (tty) {
                send(data, offset, length);
                return;
            }
            byte[] frame = new byte[8 + length];
            frame[0] = (byte) (stream == ContainerIo.Stream.STDERR ? 2 : 1);
            frame[4] = (byte) (length >>> 24);
            frame[5] = (byte) (length >>> 16);
            frame[6] = (byte) (length >>> 8);
            frame[7] = (byte) length;
            System.arraycopy(data, offset, frame, 8, length);
            send(frame, 0, frame.length);
        }

        @Override
        public void error(String message) throws IOException {
            byte[] text = ("Error: " + message + "\n").getBytes(StandardCharsets.UTF_8);
            write(ContainerIo.Stream.STDERR, text, 0, text.length);
        }
    }
}
