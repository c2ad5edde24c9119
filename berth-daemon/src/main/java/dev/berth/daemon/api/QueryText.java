package dev.berth.daemon.api;

import dev.berth.core.errors.InvalidParameterException;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * The query string, parsed by Jetty; a malformed one is a 400 with the words of Go's
 * {@code url.ParseQuery} ({@code invalid URL escape "%zz"}), which moby returns as they are.
 */
final class QueryText {
    private QueryText() {
    }

    static Fields parse(Request request) {
        try {
            return Request.extractQueryParameters(request);
        } catch (RuntimeException e) {
            String raw = request.getHttpURI().getQuery();
            throw new InvalidParameterException(badEscape(raw == null ? "" : raw)
                    .orElse("invalid query: " + e.getMessage()), e);
        }
    }

    /** Go's message for the first {@code %} not followed by two hex digits, if there is one. */
    static Optional<String> badEscape(String query) {
        for (int i = query.indexOf('%'); i >= 0; i = query.indexOf('%', i + 1)) {
            if (i + 2 >= query.length() || !hex(query.charAt(i + 1)) || !hex(query.charAt(i + 2))) {
                String escape = query.substring(i, Math.min(query.length(), i + 3));
                return Optional.of("invalid URL escape \"" + escape + "\"");
            }
        }
        return Optional.empty();
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
