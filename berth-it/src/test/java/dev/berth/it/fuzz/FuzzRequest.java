package dev.berth.it.fuzz;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One generated request: the exact bytes to send and how to send them.
 *
 * @param label    a short description of what the generator did (for the figures and reports)
 * @param method   the method token as sent (may be garbage)
 * @param template the route it was derived from, e.g. {@code POST /networks/{id}/connect}
 * @param bytes    request line, headers and body exactly as written to the socket
 * @param mode     how the bytes are written
 */
record FuzzRequest(String label, String method, String template, byte[] bytes, Mode mode) {

    /** How a request is written. */
    enum Mode {
        /** All bytes, then wait for the answer. */
        WHOLE,
        /** All bytes, then shut down our output (a truncated body ends in EOF). */
        HALF_CLOSE,
        /** A slow client that trickles every byte out. */
        DRIP,
        /** A slow client that sends half and then stops: the daemon must time it out. */
        STALL
    }

    /** True for methods that may change state when they succeed. */
    boolean mutating() {
        return !(method.equals("GET") || method.equals("HEAD"));
    }

    /** How long a stalled client may be kept before the daemon must drop it (Jetty's idle timeout is 30 s). */
    Duration stallLimit() {
        return Duration.ofSeconds(40);
    }

    /** The request as printable text, invalid bytes escaped, cut at {@code max} characters. */
    String printable(int max) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            if (out.length() >= max) {
                out.append("…(").append(bytes.length).append(" bytes)");
                break;
            }
            int c = b & 0xff;
            if (c == '\r') {
                out.append("\\r");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c < 0x20 || c >= 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
