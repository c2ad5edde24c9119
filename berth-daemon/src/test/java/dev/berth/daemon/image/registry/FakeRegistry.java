package dev.berth.daemon.image.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A registry double on the JDK's HTTP server, on a loopback port: answers {@code GET /v2/} and
 * whatever paths a test puts in, and records every request (path, query, Accept, Authorization).
 */
public final class FakeRegistry implements AutoCloseable {

    /** One recorded request. */
    public record Seen(String path, String query, List<String> accept, String authorization) {
    }

    /**
     * A canned answer.
     *
     * @param cutAfter when not negative: the body's full length is announced but the connection
     *                 ends after this many bytes (a registry gone mid-transfer)
     */
    public record Reply(int status, Map<String, String> headers, byte[] body, int cutAfter) {
        public Reply(int status, Map<String, String> headers, byte[] body) {
            this(status, headers, body, -1);
        }

        public static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
        }

        public static Reply of(String contentType, byte[] body) {
            return new Reply(200, Map.of("Content-Type", contentType), body);
        }

        /** {@code body} announced whole, cut after {@code sent} bytes. */
        public static Reply cut(byte[] body, int sent) {
            return new Reply(200, Map.of("Content-Type", "application/octet-stream"), body, sent);
        }
    }

    /** Decides the reply to a request; null means 404 with a registry error. */
    interface Route {
        Reply answer(HttpExchange exchange);
    }

    public final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final HttpServer server;
    /** When set, every path but the token realm answers 401 unless it carries {@code Bearer <token>}. */
    volatile String requiredToken;
    volatile String realm;

    public FakeRegistry() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        routes.put("/v2/", exchange -> Reply.json(200, "{}"));
    }

    public String domain() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    void route(String path, Route route) {
        routes.put(path, route);
    }

    public void put(String path, Reply reply) {
        routes.put(path, exchange -> reply);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        seen.add(new Seen(path, exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getOrDefault("Accept", List.of()), auth));
        Reply reply;
        if (requiredToken != null && !path.equals("/token") && !("Bearer " + requiredToken).equals(auth)) {
            reply = new Reply(401, Map.of("Content-Type", "application/json", "WWW-Authenticate",
                    "Bearer realm=\"" + realm + "\",service=\"fake-registry\""),
                    "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
                            .getBytes(StandardCharsets.UTF_8));
        } else {
            Route route = routes.get(path);
            reply = route == null ? null : route.answer(exchange);
            if (reply == null) {
                reply = Reply.json(404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}");
            }
        }
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(reply.status(), head || reply.body().length == 0 ? -1 : reply.body().length);
        if (reply.cutAfter() >= 0) {
            exchange.getResponseBody().write(reply.body(), 0, reply.cutAfter());
            exchange.getResponseBody().flush();
            try {
                exchange.getResponseBody().close(); // short of the announced length: the connection is dropped
            } catch (IOException expected) {
                // "insufficient bytes written to stream"
            }
            exchange.close();
            return;
        }
        if (!head && reply.body().length > 0) {
            exchange.getResponseBody().write(reply.body());
        }
        exchange.close();
    }

    /** Stops answering (idempotent). */
    @Override
    public void close() {
        server.stop(0);
    }
}
