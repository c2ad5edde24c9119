package dev.berth.cli.format;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compact JSON written the way Go's {@code json.Encoder} writes a struct: fields in the order they
 * are written, map keys sorted, strings escaped by {@link GoJson} (HTML-escaped), and a trailing
 * newline from {@link #encoderText()}.
 *
 * <pre>{@code
 * String body = new JsonWriter().beginObject().name("Name").value("n").endObject().encoderText();
 * }</pre>
 */
public final class JsonWriter {

    private final StringBuilder out = new StringBuilder(256);
    private final Deque<boolean[]> first = new ArrayDeque<>();
    private boolean afterName;

    /** Opens an object. */
    public JsonWriter beginObject() {
        separate();
        out.append('{');
        first.push(new boolean[] {true});
        return this;
    }

    /** Closes the current object. */
    public JsonWriter endObject() {
        first.pop();
        out.append('}');
        return this;
    }

    /** Opens an array. */
    public JsonWriter beginArray() {
        separate();
        out.append('[');
        first.push(new boolean[] {true});
        return this;
    }

    /** Closes the current array. */
    public JsonWriter endArray() {
        first.pop();
        out.append(']');
        return this;
    }

    /** Writes an object key; the next value belongs to it. */
    public JsonWriter name(String name) {
        separate();
        GoJson.appendQuoted(out, name, true);
        out.append(':');
        afterName = true;
        return this;
    }

    /** Writes a string value. */
    public JsonWriter value(String value) {
        separate();
        GoJson.appendQuoted(out, value, true);
        return this;
    }

    /** Writes a boolean value. */
    public JsonWriter value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    /** Writes {@code null}. */
    public JsonWriter nullValue() {
        separate();
        out.append("null");
        return this;
    }

    /** Writes a {@code map[string]string}: keys sorted, {@code {}} when empty. */
    public JsonWriter stringMap(Map<String, String> map) {
        beginObject();
        new TreeMap<>(map).forEach((k, v) -> name(k).value(v));
        return endObject();
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (!first.isEmpty()) {
            if (first.peek()[0]) {
                first.peek()[0] = false;
            } else {
                out.append(',');
            }
        }
    }

    /** The compact JSON text. */
    public String text() {
        return out.toString();
    }

    /** The text plus the newline {@code json.Encoder.Encode} appends. */
    public String encoderText() {
        return out + "\n";
    }
}
