package dev.berth.daemon.api;

import java.util.Map;

/**
 * What an endpoint answers. The {@link Dispatcher} writes it with the common headers; endpoints
 * never touch Jetty's response.
 */
public sealed interface Reply {

    int status();

    /** A JSON body ({@code application/json}, newline-terminated like Go's encoder). */
    record Json(int status, Object body) implements Reply {
    }

    /** No body at all, {@code Content-Length: 0}. */
    record Empty(int status) implements Reply {
    }

    /** A text body with its content type and extra headers ({@code /_ping}). */
    record Text(int status, String contentType, String body, Map<String, String> headers) implements Reply {
        public Text {
            headers = Map.copyOf(headers);
        }
    }

    static Reply ok(Object body) {
        return new Json(200, body);
    }
}
