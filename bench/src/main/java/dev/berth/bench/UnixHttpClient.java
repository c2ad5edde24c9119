package dev.berth.bench;

import dev.berth.api.client.HttpRequest;
import dev.berth.api.client.HttpResponse;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmarks' face of the shared Engine API client ({@link dev.berth.api.client.UnixHttpClient},
 * JDK {@code SocketChannel}, no HTTP library), so the benchmark measures the daemon and not a
 * client library. Two connection policies:
 * <ul>
 *   <li>{@link Mode#KEEPALIVE}: one connection, reused for every request (reopened only if the
 *       server closes it). This is what a long-lived API client (a Docker SDK) does.</li>
 *   <li>{@link Mode#FRESH}: a new connection per request, {@code Connection: close}. This is what
 *       one {@code docker} CLI invocation does (minus its {@code HEAD /_ping}).</li>
 * </ul>
 * Not thread-safe (one per benchmark thread).
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

    private final Path socket;
    private final dev.berth.api.client.UnixHttpClient client;

    public UnixHttpClient(Path socket, Mode mode) {
        this.socket = socket;
        this.client = new dev.berth.api.client.UnixHttpClient(socket, "berth-bench/1",
                mode == Mode.KEEPALIVE ? dev.berth.api.client.UnixHttpClient.Mode.KEEPALIVE
                        : dev.berth.api.client.UnixHttpClient.Mode.FRESH, null);
    }

    /**
     * A client of the running daemon (berthd, dockerd or podman's service) at {@code socket}, the
     * benchmarks' {@code socket} param (empty: system property {@code berth.socket}, else
     * {@code /run/berth/berth.sock}), answered {@code GET /_ping} with 200.
     */
    public static UnixHttpClient connect(String socket, Mode mode) {
        String path = socket.isEmpty() ? System.getProperty("berth.socket", "/run/berth/berth.sock") : socket;
        if (!Files.exists(Path.of(path))) {
            throw new IllegalStateException("no daemon socket at " + path + " (use -p socket=PATH)");
        }
        UnixHttpClient http = new UnixHttpClient(Path.of(path), mode);
        http.get("/_ping").requireStatus(200, "GET /_ping");
        return http;
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
        HttpRequest request = json == null ? HttpRequest.of(method, path) : HttpRequest.json(method, path, json);
        try {
            HttpResponse r = client.exchange(request);
            return new Response(r.status(), new String(r.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " via " + socket, e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
