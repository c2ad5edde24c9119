package dev.berth.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * JSON text to Jackson trees and back, for the CLI, without Jackson's {@code ObjectMapper} or its
 * streaming parser: a CLI call is over in ~0.1 s, nearly all of it interpreted, and their one-time
 * set-up is a quarter of that. The first {@code ObjectMapper} costs 30–40 ms (its default date
 * format loads the locale data); jackson-core's parser base class makes {@code BigDecimal}
 * constants, and {@code BigDecimal}'s own static set-up squares large powers of five, ~25 ms
 * before the JIT has compiled anything. This reader makes a {@code BigDecimal} only for a number
 * with a fraction or an exponent, which the Engine API's answers do not have.
 *
 * <p>The tree is what {@code ObjectMapper.readTree} gave the CLI before, with
 * {@code USE_BIG_DECIMAL_FOR_FLOATS} and exact decimals, the way Go's {@code UseNumber} keeps a
 * number's text ({@code 1.50} stays {@code 1.50}): integers as int, long or big integer nodes by
 * size, other numbers as decimal nodes, a repeated key's last value kept. The grammar is RFC 8259's;
 * as Go's {@code json.Decoder} (the docker CLI's), only the first value is read and what follows it
 * is ignored, and syntax errors use Go's words ({@code invalid character 'x' after object key}).
 */
public final class JsonTree {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    /** Nesting beyond this is refused, as jackson-core's default read constraints did. */
    static final int MAX_DEPTH = 1000;

    private final String text;
    private int pos;
    private int depth;

    private JsonTree(String text) {
        this.text = text;
    }

    /** The tree of the first JSON value in {@code json} (UTF-8; malformed bytes read as U+FFFD). */
    public static JsonNode read(byte[] json) throws IOException {
        return read(new String(json, StandardCharsets.UTF_8));
    }

    /**
     * The tree of the first JSON value in {@code json}; the missing node when there is only
     * whitespace.
     *
     * @throws IOException a syntax error, in Go's words
     */
    public static JsonNode read(String json) throws IOException {
        JsonTree reader = new JsonTree(json);
        reader.skipSpace();
        if (reader.pos == json.length()) {
            return NODES.missingNode();
        }
        return reader.value();
    }

    /** A new empty object node. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** Compact JSON text of {@code node}, strings quoted as Go's encoder quotes them (no HTML escaping). */
    public static String text(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(out, node);
        return out.toString();
    }

    private JsonNode value() throws IOException {
        char c = next();
        return switch (c) {
            case '{' -> readObject();
            case '[' -> readArray();
            case '"' -> NODES.textNode(string());
            case 't' -> literal("true", NODES.booleanNode(true));
            case 'f' -> literal("false", NODES.booleanNode(false));
            case 'n' -> literal("null", NODES.nullNode());
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw invalid(c, "looking for beginning of value");
            }
        };
    }

    private ObjectNode readObject() throws IOException {
        ObjectNode object = NODES.objectNode();
        if (opensEmpty('}')) {
            return object;
        }
        do {
            skipSpace();
            char c = next();
            if (c != '"') {
                throw invalid(c, "looking for beginning of object key string");
            }
            String name = string();
            skipSpace();
            c = next();
            if (c != ':') {
                throw invalid(c, "after object key");
            }
            skipSpace();
            object.set(name, value());
        } while (!closes('}', "after object key:value pair"));
        return object;
    }

    private ArrayNode readArray() throws IOException {
        ArrayNode array = NODES.arrayNode();
        if (opensEmpty(']')) {
            return array;
        }
        do {
            skipSpace();
            array.add(value());
        } while (!closes(']', "after array element"));
        return array;
    }

    /** Just after an opening bracket: one level deeper, and left again when {@code close} follows at once. */
    private boolean opensEmpty(char close) throws IOException {
        if (++depth > MAX_DEPTH) {
            throw new IOException("exceeded max depth");
        }
        skipSpace();
        if (peek() == close) {
            pos++;
            depth--;
            return true;
        }
        return false;
    }

    /** After a member: true at {@code close} (the level left), false at a comma, else Go's error {@code context}. */
    private boolean closes(char close, String context) throws IOException {
        skipSpace();
        char c = next();
        if (c == close) {
            depth--;
            return true;
        }
        if (c != ',') {
            throw invalid(c, context);
        }
        return false;
    }

    /** The string whose opening quote was just read, unescaped. */
    private String string() throws IOException {
        int start = pos;
        while (pos < text.length()) { // the common case: no escapes, one substring
            char c = text.charAt(pos);
            if (c == '"') {
                return text.substring(start, pos++);
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            pos++;
        }
        StringBuilder out = new StringBuilder(text.length() - start).append(text, start, pos);
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw invalid(c, "in string literal");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        char h = next();
                        int digit = Character.digit(h, 16);
                        if (digit < 0) {
                            throw invalid(h, "in \\u hexadecimal character escape");
                        }
                        code = code * 16 + digit;
                    }
                    out.append((char) code);
                }
                default -> throw invalid(e, "in string escape code");
            }
        }
    }

    /** {@code true}, {@code false} or {@code null}, whose first letter was just read. */
    private JsonNode literal(String word, JsonNode node) throws IOException {
        for (int i = 1; i < word.length(); i++) {
            char c = next();
            if (c != word.charAt(i)) {
                throw invalid(c, "in literal " + word + " (expecting " + quoteChar(word.charAt(i)) + ")");
            }
        }
        return node;
    }

    /** A number whose first character was just read: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private JsonNode number() throws IOException {
        int start = pos - 1;
        char c = text.charAt(start);
        if (c == '-') {
            c = next();
            if (c < '0' || c > '9') {
                throw invalid(c, "in numeric literal");
            }
        }
        if (c != '0') {
            digits();
        }
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            integral = false;
            c = next();
            if (c < '0' || c > '9') {
                throw invalid(c, "after decimal point in numeric literal");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integral = false;
            c = next();
            if (c == '+' || c == '-') {
                c = next();
            }
            if (c < '0' || c > '9') {
                throw invalid(c, "in exponent of numeric literal");
            }
            digits();
        }
        String literal = text.substring(start, pos);
        if (!integral) {
            return NODES.numberNode(new BigDecimal(literal));
        }
        if (literal.length() - (literal.charAt(0) == '-' ? 1 : 0) < 10) { // fits an int: nearly every number
            return NODES.numberNode(Integer.parseInt(literal));
        }
        BigInteger value = new BigInteger(literal);
        return value.bitLength() < 32 ? NODES.numberNode(value.intValue())
                : value.bitLength() < 64 ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
    }

    private void digits() {
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The next character, or Go's "unexpected end of JSON input" at the end. */
    private char next() throws IOException {
        if (pos == text.length()) {
            throw new IOException("unexpected end of JSON input");
        }
        return text.charAt(pos++);
    }

    /** The next character without reading it; NUL at the end. */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static IOException invalid(char c, String context) {
        return new IOException("invalid character " + quoteChar(c) + " " + context);
    }

    /** Go's {@code quoteChar}: {@code 'x'}, {@code '\''}, {@code '"'}, {@code '\n'}, {@code '\x01'}. */
    static String quoteChar(char c) {
        return switch (c) {
            case '\'' -> "'\\''";
            case '\n' -> "'\\n'";
            case '\r' -> "'\\r'";
            case '\t' -> "'\\t'";
            case '\\' -> "'\\\\'";
            default -> c < 0x20 || c == 0x7f ? "'\\x" + Character.forDigit(c >> 4, 16) + Character.forDigit(c & 15, 16) + "'"
                    : "'" + c + "'";
        };
    }

    private static void write(StringBuilder out, JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                out.append('{');
                String comma = "";
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    out.append(comma);
                    GoJson.appendQuoted(out, field.getKey(), false);
                    out.append(':');
                    write(out, field.getValue());
                    comma = ",";
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                String comma = "";
                for (JsonNode element : node) {
                    out.append(comma);
                    write(out, element);
                    comma = ",";
                }
                out.append(']');
            }
            case STRING -> GoJson.appendQuoted(out, node.textValue(), false);
            case BOOLEAN, NUMBER, NULL -> out.append(node.asText());
            default -> throw new IllegalArgumentException("no JSON text for a " + node.getNodeType() + " node");
        }
    }
}
