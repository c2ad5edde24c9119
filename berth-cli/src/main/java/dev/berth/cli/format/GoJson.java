package dev.berth.cli.format;

/**
 * JSON string literals exactly as Go's {@code encoding/json} writes them: {@code \b \f \n \r \t}
 * short escapes, other control characters as backslash-u 00XX (lower-case hex), U+2028/U+2029
 * escaped, unpaired surrogates replaced by U+FFFD and, when {@code escapeHtml} is set (plain
 * {@code json.Marshal}), {@code < > &} as backslash-u 003c, 003e, 0026.
 */
public final class GoJson {

    private static final String HEX = "0123456789abcdef";

    private GoJson() {
    }

    /** The quoted literal of {@code s}. */
    public static String quote(String s, boolean escapeHtml) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        appendQuoted(out, s, escapeHtml);
        return out.toString();
    }

    /** Appends the quoted literal of {@code s} to {@code out}. */
    public static void appendQuoted(StringBuilder out, String s, boolean escapeHtml) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\u2028', '\u2029' -> unicode(out, c);
                case '<', '>', '&' -> {
                    if (escapeHtml) {
                        unicode(out, c);
                    } else {
                        out.append(c);
                    }
                }
                default -> i = appendOther(out, s, i, c);
            }
        }
        out.append('"');
    }

    private static int appendOther(StringBuilder out, String s, int i, char c) {
        if (c < 0x20) {
            unicode(out, c);
        } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(i + 1));
            return i + 1;
        } else if (Character.isSurrogate(c)) {
            out.append("\\ufffd");
        } else {
            out.append(c);
        }
        return i;
    }

    private static void unicode(StringBuilder out, char c) {
        out.append("\\u")
                .append(HEX.charAt(c >> 12 & 0xf))
                .append(HEX.charAt(c >> 8 & 0xf))
                .append(HEX.charAt(c >> 4 & 0xf))
                .append(HEX.charAt(c & 0xf));
    }
}
