package dev.berth.api.client;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Engine API's HTTP/1.1 over a Unix-domain socket, with the JDK's {@link SocketChannel} and
 * no HTTP library (the JDK's HttpClient cannot reach a Unix socket; a client library would be
 * measured by the benchmarks too). One client serves the CLI, the benchmarks and the end-to-end
 * tests. Two connection policies:
 * <ul>
 * <li>{@link Mode#FRESH}: a connection per request, {@code Connection: close}, what one
 * {@code docker} CLI invocation does;</li>
 * <li>{@link Mode#KEEPALIVE}: one connection reused for every request (reopened when the daemon
 * closes it), what a long-lived SDK client does.</li>
 * </ul>
 * Not thread-safe in {@code KEEPALIVE} mode (one client per thread).
 */
public final class UnixHttpClient implements AutoCloseable {

    /** The fixed Host header the docker client uses for Unix sockets. */
    public static final String HOST = "api.moby.localhost";

    /** Whether a connection outlives its request. */
    public enum Mode { FRESH, KEEPALIVE }

    /** The socket could not be connected to (as opposed to a failure during the exchange). */
    public static final class ConnectFailure extends IOException {
        private static final long serialVersionUID = 1L;

        ConnectFailure(String message, IOException cause) {
            super(message, cause);
        }
    }

    private final Path socket;
    private final String userAgent;
    private final Mode mode;
    private final Duration timeout;
    private SocketChannel kept;
    private InputStream keptIn;

    /**
     * A client for {@code socket}, announcing itself as {@code userAgent}. {@code timeout} bounds
     * each exchange on a fresh connection (the connection is closed when it runs out; the JDK's
     * Unix channels have no socket timeouts); null means none.
     */
    public UnixHttpClient(Path socket, String userAgent, Mode mode, Duration timeout) {
        this.socket = socket;
        this.userAgent = userAgent;
        this.mode = mode;
        this.timeout = timeout;
    }

    /** A fresh-connection client without a timeout, as the CLI uses it. */
    public UnixHttpClient(Path socket, String userAgent) {
        this(socket, userAgent, Mode.FRESH, null);
    }

    public Path socket() {
        return socket;
    }

    /** A new connection to the socket. */
    public SocketChannel connect() throws ConnectFailure {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new ConnectFailure("connect to " + socket + ": " + e.getMessage(), e);
        }
    }

    /** Sends the request and reads the whole response. */
    public HttpResponse exchange(HttpRequest request) throws IOException {
        byte[] head = head(request, userAgent, mode == Mode.FRESH);
        if (mode == Mode.FRESH) {
            try (SocketChannel channel = connect()) {
                return bounded(channel, () -> {
                    write(channel, head, request.body());
                    return read(request.method(), buffered(channel));
                });
            }
        }
        if (kept == null || !kept.isOpen()) {
            kept = connect();
            keptIn = buffered(kept);
        }
        try {
            write(kept, head, request.body());
            HttpResponse response = read(request.method(), keptIn);
            if (response.header("Connection").equalsIgnoreCase("close")
                    || response.header("Content-Length").isEmpty()
                    && !response.header("Transfer-Encoding").toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
                close();
            }
            return response;
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /**
     * Sends the request on a connection of its own and returns as soon as the response head has
     * arrived; the body is read from the stream as it comes, and closing the stream closes the
     * connection.
     */
    public ResponseStream open(HttpRequest request) throws IOException {
        SocketChannel channel = connect();
        try {
            write(channel, head(request, userAgent, true), request.body());
            ResponseReader reader = new ResponseReader(buffered(channel));
            HttpResponse head = reader.readHead();
            return new ResponseStream(head, reader.bodyStream(head), channel);
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw e;
        }
    }

    /**
     * Sends a hand-made request (head as given, then the body) on a connection of its own and reads
     * the reply. The daemon may answer and close before the body is all written (an oversized body
     * refused early): the broken pipe is ignored and the answer read.
     */
    public HttpResponse sendRaw(String method, byte[] head, byte[] body) throws IOException {
        return sendBytes(method, head, body, true);
    }

    /** Sends a hand-made request (head as given, then the body, which may be null) and reads the reply. */
    public HttpResponse send(String method, byte[] head, byte[] body) throws IOException {
        return sendBytes(method, head, body, false);
    }

    private HttpResponse sendBytes(String method, byte[] head, byte[] body, boolean answerAfterBrokenPipe)
            throws IOException {
        try (SocketChannel channel = connect()) {
            return bounded(channel, () -> {
                try {
                    write(channel, head, body);
                } catch (IOException e) {
                    if (!answerAfterBrokenPipe) {
                        throw e;
                    }
                    // Broken pipe: the daemon refused the rest of the body; its answer is still there.
                }
                return read(method, buffered(channel));
            });
        }
    }

    /** Reads one response from {@code in}; a HEAD's has no body. */
    public static HttpResponse read(String method, InputStream in) throws IOException {
        return new ResponseReader(in).read(method.equals("HEAD"));
    }

    /** Reads one response from a connection the caller opened and wrote the request to. */
    public static HttpResponse read(String method, SocketChannel channel) throws IOException {
        return read(method, buffered(channel));
    }

    /**
     * The request head as Go's client writes it: Host, User-Agent, Content-Type and Content-Length
     * for a body, {@code Content-Length: 0} for a body-less POST or PUT, and {@code Connection:
     * close} when asked.
     */
    public static byte[] head(HttpRequest request, String userAgent, boolean close) {
        StringBuilder head = new StringBuilder(256);
        head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(HOST).append("\r\n");
        head.append("User-Agent: ").append(userAgent).append("\r\n");
        if (request.body() != null) {
            if (request.contentType() != null) {
                head.append("Content-Type: ").append(request.contentType()).append("\r\n");
            }
            head.append("Content-Length: ").append(request.body().length).append("\r\n");
        } else if (request.method().equals("POST") || request.method().equals("PUT")) {
            // Go's client announces an empty body only for methods that usually carry one
            head.append("Content-Length: 0\r\n");
        }
        if (close) {
            head.append("Connection: close\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static InputStream buffered(SocketChannel channel) {
        return new BufferedInputStream(Channels.newInputStream(channel), 16 * 1024);
    }

    private static void write(SocketChannel channel, byte[] head, byte[] body) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(head.length + (body == null ? 0 : body.length)).put(head);
        if (body != null) {
            out.put(body);
        }
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    /** An exchange on {@code channel}, which is closed if it outlasts the timeout. */
    private <T> T bounded(SocketChannel channel, Exchange<T> exchange) throws IOException {
        if (timeout == null) {
            return exchange.run();
        }
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(timeout);
                channel.close();
            } catch (InterruptedException | IOException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            return exchange.run();
        } finally {
            watchdog.interrupt();
        }
    }

    @FunctionalInterface
    private interface Exchange<T> {
        T run() throws IOException;
    }

    private static void closeQuietly(SocketChannel channel, IOException failure) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Closes the kept connection, if any. */
    @Override
    public void close() {
        if (kept != null) {
            try {
                kept.close();
            } catch (IOException e) {
                // closing a socket we are done with: nothing to recover
            }
            kept = null;
            keptIn = null;
        }
    }
}
