package dev.berth.cli.format;

/**
 * Go's {@code json.Indent} and {@code json.Compact} on already valid JSON text: whitespace outside
 * strings is dropped or re-inserted, everything else (strings with their escapes, numbers,
 * key order) is copied verbatim. {@code docker network inspect} prints the daemon's raw bytes
 * this way, so the output shows the server's JSON exactly, re-indented.
 */
public final class JsonText {

    private JsonText() {
    }

    /**
     * {@code json.Indent(dst, src, prefix, indent)}: leading whitespace is dropped, trailing
     * whitespace is kept, empty objects and arrays stay {@code {}} and {@code []}.
     */
    public static String indent(String src, String prefix, String indent) {
        StringBuilder out = new StringBuilder(src.length() * 2);
        int end = src.length();
        while (end > 0 && isSpace(src.charAt(end - 1))) {
            end--;
        }
        boolean needIndent = false;
        int depth = 0;
        for (int i = 0; i < end; i++) {
            char c = src.charAt(i);
            if (isSpace(c)) {
                continue;
            }
            if (needIndent && c != ']' && c != '}') {
                needIndent = false;
                depth++;
                newline(out, prefix, indent, depth);
            }
            if (c == '"') {
                i = copyString(src, i, out);
                continue;
            }
            switch (c) {
                case '{', '[' -> {
                    needIndent = true;
                    out.append(c);
                }
                case ',' -> {
                    out.append(c);
                    newline(out, prefix, indent, depth);
                }
                case ':' -> out.append(": ");
                case '}', ']' -> {
                    if (needIndent) {
                        needIndent = false;
                    } else {
                        depth--;
                        newline(out, prefix, indent, depth);
                    }
                    out.append(c);
                }
                default -> out.append(c);
            }
        }
        return out.append(src, end, src.length()).toString();
    }

    /** {@code json.Compact} without HTML escaping: all insignificant whitespace removed. */
    public static String compact(String src) {
        StringBuilder out = new StringBuilder(src.length());
        for (int i = 0; i < src.length(); i++) {
            char c = src.charAt(i);
            if (c == '"') {
                i = copyString(src, i, out);
            } else if (!isSpace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Copies the string starting at the quote at {@code start}; returns the closing quote's index. */
    private static int copyString(String src, int start, StringBuilder out) {
        int i = start + 1;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                break;
            } else {
                i++;
            }
        }
        int stop = Math.min(i, src.length() - 1);
        out.append(src, start, stop + 1);
        return stop;
    }

    private static void newline(StringBuilder out, String prefix, String indent, int depth) {
        out.append('\n').append(prefix);
        out.repeat(indent, depth);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
