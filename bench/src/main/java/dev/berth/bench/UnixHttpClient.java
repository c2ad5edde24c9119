package dev.berth.bench;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A deliberately tiny HTTP/1.1 client over a Unix domain socket (JDK {@link SocketChannel} +
 * {@link UnixDomainSocketAddress}), so the benchmark measures the daemon and not a client
 * library. Two connection policies:
 * <ul>
 *   <li>{@link Mode#KEEPALIVE}: one connection, reused for every request (reopened only if the
 *       server closes it). This is what a long-lived API client (a Docker SDK) does.</li>
 *   <li>{@link Mode#FRESH}: a new connection per request, closed after the response. This is what
 *       one {@code docker} CLI invocation does (minus its {@code HEAD /_ping}).</li>
 * </ul>
 * Understands Content-Length and chunked bodies; not thread-safe (one per benchmark thread).
 */
public final class UnixHttpClient implements Closeable {

    public enum Mode { KEEPALIVE, FRESH }

    /** Status code and body text of one response. */
    public record Response(int status, String body) {
        public Response requireStatus(int expected, String what) {
            if (status != expected) {
                throw new IllegalStateException(what + ": HTTP " + status + " (expected " + expected + "): " + body);
            }
            return this;
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private final UnixDomainSocketAddress address;
    private final Mode mode;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private SocketChannel channel;

    public UnixHttpClient(Path socket, Mode mode) {
        this.address = UnixDomainSocketAddress.of(socket);
        this.mode = mode;
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    public Response postJson(String path, String json) {
        return send("POST", path, json);
    }

    /** Sends one request and reads the whole response. */
    public Response send(String method, String path, String json) {
        try {
            if (channel == null || !channel.isOpen()) {
                open();
            }
            write(method, path, json);
            Response r = read();
            if (mode == Mode.FRESH) {
                closeChannel();
            }
            return r;
        } catch (IOException e) {
            closeChannel();
            throw new UncheckedIOException(method + " " + path + " via " + address, e);
        }
    }

    private void open() throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(address);
        in.clear().flip();
    }

    private void write(String method, String path, String json) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder(256)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: api.moby.localhost\r\n")
                .append("User-Agent: berth-bench/1\r\n");
        if (json != null) {
            h.append("Content-Type: application/json\r\n")
             .append("Content-Length: ").append(body.length).append("\r\n");
        }
        h.append("\r\n");
        byte[] head = h.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private Response read() throws IOException {
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("bad status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = parts[0].equals("HTTP/1.0");
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        byte[] body;
        if (status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else if (chunked) {
            body = readChunked();
        } else if (length >= 0) {
            body = readExactly((int) length);
        } else {
            body = readToEof();
            close = true;
        }
        if (close) {
            closeChannel();
        }
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                for (String trailer = readLine(); !trailer.isEmpty(); trailer = readLine()) {
                    // trailers are ignored
                }
                return all.toByteArray();
            }
            all.writeBytes(readExactly(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int prev = -1;
        while (true) {
            int b = readByte();
            if (b < 0) {
                throw new IOException("connection closed mid-response");
            }
            if (prev == CRLF[0] && b == CRLF[1]) {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            prev = b;
        }
    }

    private byte[] readExactly(int n) throws IOException {
        byte[] out = new byte[n];
        int off = 0;
        while (off < n) {
            if (!in.hasRemaining() && fill() < 0) {
                throw new IOException("connection closed after " + off + " of " + n + " body bytes");
            }
            int k = Math.min(n - off, in.remaining());
            in.get(out, off, k);
            off += k;
        }
        return out;
    }

    private byte[] readToEof() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (in.hasRemaining() || fill() >= 0) {
            byte[] chunk = new byte[in.remaining()];
            in.get(chunk);
            all.writeBytes(chunk);
        }
        return all.toByteArray();
    }

    private int readByte() throws IOException {
        if (!in.hasRemaining() && fill() < 0) {
            return -1;
        }
        return in.get() & 0xff;
    }

    private int fill() throws IOException {
        in.clear();
        int n = channel.read(in);
        in.flip();
        return n;
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a Unix socket we are done with: nothing to recover
            }
            channel = null;
        }
    }

    @Override
    public void close() {
        closeChannel();
    }
}
