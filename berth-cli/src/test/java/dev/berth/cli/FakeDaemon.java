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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A canned Engine API on a Unix socket for tests: HTTP/1.1 with keep-alive (the docker CLI
 * reuses its connection), every response carrying {@code Api-Version: 1.50}, bodies framed by
 * Content-Length or chunked (one chunk per part, flushed, like moby's event stream). Requests are
 * recorded with their body and the headers that matter.
 */
final class FakeDaemon implements AutoCloseable {

    /**
     * A canned answer.
     *
     * @param parts for chunked replies, the chunks (each written and flushed on its own)
     * @param gate  for chunked replies, awaited before the last chunk (null: none)
     */
    record Reply(int status, String contentType, String body, boolean chunked, List<String> parts, CountDownLatch gate) {

        Reply(int status, String contentType, String body, boolean chunked) {
            this(status, contentType, body, chunked, List.of(), null);
        }

        static Reply json(String body) {
            return new Reply(200, "application/json", body, false);
        }

        static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, false);
        }

        static Reply error(int status, String message) {
            return new Reply(status, "application/json", "{\"message\":\"" + message + "\"}\n", false);
        }

        static Reply empty(int status) {
            return new Reply(status, "", "", false);
        }

        /** A chunked stream of JSON lines, one chunk each, ended after {@code gate} opens (if any). */
        static Reply stream(List<String> lines, CountDownLatch gate) {
            return new Reply(200, "application/json", "", true, lines.stream().map(l -> l + "\n").toList(), gate);
        }
    }

    /**
     * One request as received.
     *
     * @param method        the method
     * @param target        path and query
     * @param contentType   the Content-Type header, or null
     * @param contentLength the Content-Length header, or null
     * @param body          the body text
     */
    record Request(String method, String target, String contentType, String contentLength, String body) {

        /** {@code METHOD target}. */
        String line() {
            return method + " " + target;
        }
    }

    private final Path socket;
    private final Function<Request, Reply> routes;
    private final ServerSocketChannel server;
    private final List<Request> requests = new ArrayList<>();
    private final List<SocketChannel> connections = new ArrayList<>();

    /** Binds {@code socket} and starts answering with {@code routes}. */
    FakeDaemon(Path socket, Function<Request, Reply> routes) throws IOException {
        this.socket = socket;
        this.routes = routes;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofPlatform().daemon().name("fake-daemon").start(this::acceptLoop);
    }

    /** The requests seen so far, e.g. {@code GET /v1.50/networks}. */
    synchronized List<String> requests() {
        return requests.stream().map(Request::line).toList();
    }

    /** The requests seen so far, with bodies. */
    synchronized List<Request> recorded() {
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
                String[] parts = requestLine.split(" ");
                String[] headers = new String[3];
                Request request = readRest(in, parts[0], parts[1], headers);
                synchronized (this) {
                    requests.add(request);
                }
                respond(out, parts[0].equals("HEAD"), answer(request));
                if (headers[2] != null) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            return;
        }
    }

    private Reply answer(Request request) {
        if (request.target().equals("/_ping")) {
            return new Reply(200, "text/plain; charset=utf-8", request.method().equals("HEAD") ? "" : "OK", false);
        }
        Reply reply = routes.apply(request);
        return reply != null ? reply : Reply.error(404, "page not found");
    }

    /** Reads headers and body; {@code headers} receives content type, length and "close". */
    private static Request readRest(InputStream in, String method, String target, String[] headers) throws IOException {
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            String lower = h.toLowerCase(Locale.ROOT);
            String value = h.substring(h.indexOf(':') + 1).strip();
            if (lower.startsWith("content-type:")) {
                headers[0] = value;
            } else if (lower.startsWith("content-length:")) {
                headers[1] = value;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                headers[2] = "close";
            }
        }
        byte[] body = in.readNBytes(headers[1] == null ? 0 : Integer.parseInt(headers[1]));
        return new Request(method, target, headers[0], headers[1], new String(body, StandardCharsets.UTF_8));
    }

    private static void respond(OutputStream out, boolean head, Reply reply) throws IOException, InterruptedException {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(reply.status()).append(" X\r\n")
                .append("Api-Version: 1.50\r\nOstype: linux\r\nDocker-Experimental: false\r\nSwarm: inactive\r\n")
                .append("Server: Berth/test (linux)\r\n");
        if (!reply.contentType().isEmpty()) {
            h.append("Content-Type: ").append(reply.contentType()).append("\r\n");
        }
        if (reply.chunked() && !head) {
            h.append("Transfer-Encoding: chunked\r\n\r\n");
            out.write(h.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<String> parts = reply.parts().isEmpty() ? split(reply.body()) : reply.parts();
            for (String part : parts) {
                byte[] data = part.getBytes(StandardCharsets.UTF_8);
                out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.write(data);
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            if (reply.gate() != null && !reply.gate().await(30, TimeUnit.SECONDS)) {
                return;
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            return;
        }
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        if (reply.status() != 204) {
            h.append("Content-Length: ").append(body.length).append("\r\n");
        }
        wire.writeBytes(h.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        if (!head) {
            wire.writeBytes(body);
        }
        out.write(wire.toByteArray());
        out.flush();
    }

    private static List<String> split(String body) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < body.length(); i += 100) {
            parts.add(body.substring(i, Math.min(body.length(), i + 100)));
        }
        return parts;
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
