package dev.berth.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.berth.api.client.HttpRequest;
import dev.berth.api.client.HttpResponse;
import dev.berth.api.client.ResponseStream;
import dev.berth.cli.format.JsonTree;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The Engine API as the docker CLI 28.2 uses it: one {@code HEAD /_ping} first (falling back to
 * {@code GET} when HEAD is answered with anything but 200/500), API version negotiated as
 * {@code min(server, 1.50)} ({@code 1.24} when the header is missing), then versioned requests.
 * Any status ≥ 400 becomes a {@link DaemonError} with docker's wording.
 */
public final class EngineClient {

    /** The highest API version this client speaks. */
    public static final String MAX_VERSION = "1.50";

    /** What a daemon that announces no version is assumed to speak. */
    public static final String FALLBACK_VERSION = "1.24";

    private final Transport transport;
    private String version;

    /** A client over {@code transport}; nothing is sent until the first request. */
    public EngineClient(Transport transport) {
        this.transport = transport;
    }

    /** The negotiated API version, pinging the daemon on first use. */
    public String apiVersion() {
        if (version == null) {
            version = negotiate(ping().header("Api-Version"));
        }
        return version;
    }

    private HttpResponse ping() {
        HttpResponse head = transport.exchange(HttpRequest.of("HEAD", "/_ping"));
        if (head.status() == 200 || head.status() == 500) {
            return head;
        }
        return transport.exchange(HttpRequest.of("GET", "/_ping"));
    }

    /** {@code min(server, 1.50)}; a missing header means 1.24. */
    public static String negotiate(String serverVersion) {
        if (serverVersion == null || serverVersion.isBlank()) {
            return FALLBACK_VERSION;
        }
        return lessThan(serverVersion.strip(), MAX_VERSION) ? serverVersion.strip() : MAX_VERSION;
    }

    /** Docker's {@code versions.LessThan}: dot-separated numeric comparison. */
    public static boolean lessThan(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? number(x[i]) : 0;
            int q = i < y.length ? number(y[i]) : 0;
            if (p != q) {
                return p < q;
            }
        }
        return false;
    }

    private static int number(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code GET /vX.Y/path?query}; returns the body of a successful response. */
    public byte[] get(String path, Map<String, List<String>> query) {
        return send(HttpRequest.of("GET", target(path, query))).body();
    }

    /** {@code GET} and parse the body as JSON. */
    public JsonNode getJson(String path, Map<String, List<String>> query) {
        return parse(get(path, query));
    }

    /** {@code POST} with a JSON body (Go {@code json.Encoder} text), returning the JSON answer. */
    public JsonNode postJson(String path, Map<String, List<String>> query, String json) {
        return parse(send(HttpRequest.json("POST", target(path, query), json)).body());
    }

    /** {@code POST} without a body ({@code Content-Length: 0}, no Content-Type), returning the JSON answer. */
    public JsonNode post(String path, Map<String, List<String>> query) {
        return parse(send(HttpRequest.of("POST", target(path, query))).body());
    }

    /** {@code DELETE}; the answer's body is ignored. */
    public void delete(String path) {
        send(HttpRequest.of("DELETE", target(path, Map.of())));
    }

    /**
     * {@code GET} whose body is read as it arrives; an error status throws {@link DaemonError}
     * after reading the (short) error body.
     */
    public ResponseStream stream(String path, Map<String, List<String>> query) {
        HttpRequest request = HttpRequest.of("GET", target(path, query));
        ResponseStream stream = transport.open(request);
        if (stream.head().status() >= 400) {
            try (stream) {
                throw error(request, stream.complete());
            }
        }
        return stream;
    }

    private JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? NullNode.getInstance() : JsonTree.read(body);
        } catch (IOException e) {
            throw new DaemonError(200, "Error reading JSON: " + e.getMessage());
        }
    }

    /** Sends a request to a versioned path; status ≥ 400 throws {@link DaemonError}. */
    public HttpResponse send(HttpRequest request) {
        HttpResponse response = transport.exchange(request);
        if (response.status() >= 400) {
            throw error(request, response);
        }
        return response;
    }

    /** {@code /v1.50/path?query}. */
    public String target(String path, Map<String, List<String>> query) {
        return "/v" + apiVersion() + path + Query.encode(query);
    }

    private DaemonError error(HttpRequest request, HttpResponse response) {
        String body = response.text();
        if (body.isEmpty()) {
            return new DaemonError(response.status(), "request returned " + StatusText.of(response.status())
                    + " for API route and version http://" + UnixSocketTransport.HOST + request.target()
                    + ", check if the server supports the requested API version");
        }
        if (!response.header("Content-Type").equals("application/json")) {
            return new DaemonError(response.status(), "Error response from daemon: " + body.strip());
        }
        try {
            JsonNode message = JsonTree.read(body).path("message");
            if (message.asText("").isEmpty()) {
                return new DaemonError(response.status(), "Error response from daemon: API returned a " + response.status()
                        + " (" + StatusText.of(response.status()) + ") but provided no error-message");
            }
            return new DaemonError(response.status(), "Error response from daemon: " + message.asText().strip());
        } catch (IOException e) {
            return new DaemonError(response.status(), "Error reading JSON: " + e.getMessage());
        }
    }
}
