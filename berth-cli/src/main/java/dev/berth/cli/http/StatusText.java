package dev.berth.cli.http;

import java.util.Map;

/** Go's {@code http.StatusText} for the statuses an Engine API daemon returns. */
final class StatusText {

    private static final Map<Integer, String> TEXTS = Map.ofEntries(
            Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(204, "No Content"),
            Map.entry(304, "Not Modified"), Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"),
            Map.entry(409, "Conflict"), Map.entry(500, "Internal Server Error"), Map.entry(501, "Not Implemented"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"));

    private StatusText() {
    }

    static String of(int status) {
        return TEXTS.getOrDefault(status, "");
    }
}
