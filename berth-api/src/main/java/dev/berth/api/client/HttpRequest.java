package dev.berth.api.client;

/**
 * One request to send.
 *
 * @param method      GET, HEAD, POST, DELETE …
 * @param target      path and query, e.g. {@code /v1.50/networks?filters=...}
 * @param contentType the body's type, or {@code null} for no Content-Type header
 * @param body        the body, or {@code null} for none
 */
public record HttpRequest(String method, String target, String contentType, byte[] body) {

    /** A request without a body. */
    public static HttpRequest of(String method, String target) {
        return new HttpRequest(method, target, null, null);
    }

    /** A request with a JSON body ({@code Content-Type: application/json}). */
    public static HttpRequest json(String method, String target, String json) {
        return new HttpRequest(method, target, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
