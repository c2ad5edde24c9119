package dev.berth.api.client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A complete HTTP response.
 *
 * @param status  the status code
 * @param reason  the reason phrase
 * @param headers header values by lower-case name, in arrival order
 * @param body    the decoded body (chunked encoding removed), empty for HEAD
 */
public record HttpResponse(int status, String reason, Map<String, List<String>> headers, byte[] body) {

    /** An immutable response. */
    public HttpResponse {
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    /** The first value of a header (name case-insensitive), or {@code ""} like Go's {@code Header.Get}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? "" : values.getFirst();
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
