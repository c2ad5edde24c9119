package dev.berth.cli.command;

import java.nio.charset.StandardCharsets;

/** Go's {@code url.PathEscape}-like escaping for a user-given name placed in a request path. */
final class PathSegment {

    private static final String KEEP = "-_.~$&+,/:;=@";

    private PathSegment() {
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || KEEP.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
