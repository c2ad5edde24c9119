package dev.berth.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A canned Engine API on a Unix socket for tests: HTTP/1.1 with keep-alive (the docker CLI
 * reuses its connection), every response carrying {@code Api-Version: 1.50}, bodies framed by
 * Content-Length or chunked. Requests are recorded as {@code METHOD target}.
 */
final class FakeDaemon implements AutoCloseable {

    /** A canned answer. */
    record Reply(int status, String contentType, String body, boolean chunked) {

        static Reply json(String body) {
            return new Reply(200, "application/json", body, false);
        }

        static Reply error(int status, String message) {
            return new Reply(status, "application/json", "{\"message\":\"" + message + "\"}\n", false);
        }
    }

    private final Path socket;
    private final Function<String, Reply> routes;
    private final ServerSocketChannel server;
    private final List<String> requests = new ArrayList<>();
    private final List<SocketChannel> connections = new ArrayList<>();

    /** Binds {@code socket} and starts answering with {@code routes} (keyed {@code METHOD /path?query}). */
    FakeDaemon(Path socket, Function<String, Reply> routes) throws IOException {
        this.socket = socket;
        this.routes = routes;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofPlatform().daemon().name("fake-daemon").start(this::acceptLoop);
    }

    /** The requests seen so far, e.g. {@code GET /v1.50/networks}. */
    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    synchronized void clearRequests() {
        requests.clear();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                synchronized (this) {
                    connections.add(channel);
                }
                Thread.ofPlatform().daemon().start(() -> serve(channel));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel channel) {
        try (channel) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel));
            OutputStream out = Channels.newOutputStream(channel);
            while (true) {
                String requestLine = line(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                boolean close = skipHeadersAndBody(in);
                String[] parts = requestLine.split(" ");
                String key = parts[0] + " " + parts[1];
                synchronized (this) {
                    requests.add(key);
                }
                respond(out, parts[0].equals("HEAD"), answer(parts[0], parts[1]));
                if (close) {
                    return;
                }
            }
        } catch (IOException e) {
            return;
        }
    }

    private Reply answer(String method, String target) {
        if (target.equals("/_ping")) {
            return new Reply(200, "text/plain; charset=utf-8", method.equals("HEAD") ? "" : "OK", false);
        }
        Reply reply = routes.apply(method + " " + target);
        return reply != null ? reply : Reply.error(404, "page not found");
    }

    private static boolean skipHeadersAndBody(InputStream in) throws IOException {
        long length = 0;
        boolean close = false;
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).strip());
            }
            close |= lower.startsWith("connection:") && lower.contains("close");
        }
        in.skipNBytes(length);
        return close;
    }

    private static void respond(OutputStream out, boolean head, Reply reply) throws IOException {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(reply.status()).append(" X\r\n")
                .append("Api-Version: 1.50\r\nOstype: linux\r\nDocker-Experimental: false\r\nSwarm: inactive\r\n")
                .append("Server: Berth/test (linux)\r\nContent-Type: ").append(reply.contentType()).append("\r\n");
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        if (reply.chunked() && !head) {
            h.append("Transfer-Encoding: chunked\r\n\r\n");
            wire.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < body.length; i += 100) {
                int n = Math.min(100, body.length - i);
                wire.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.UTF_8));
                wire.write(body, i, n);
                wire.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            wire.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        } else {
            h.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            wire.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
            if (!head) {
                wire.writeBytes(body);
            }
        }
        out.write(wire.toByteArray());
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (this) {
            for (SocketChannel c : connections) {
                c.close();
            }
        }
        Files.deleteIfExists(socket);
    }
}
