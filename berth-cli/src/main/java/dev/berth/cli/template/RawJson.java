package dev.berth.cli.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.format.GoJson;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * JSON decoded into Go's {@code any} with {@code UseNumber}: objects are
 * {@code map[string]interface {}} (printed and encoded with sorted keys), arrays are
 * {@code []interface {}}, numbers keep their literal text, {@code null} is {@code <nil>}.
 * Field access on a map is strict ({@code missingkey=error}), as in the docker CLI's raw
 * fallback for {@code inspect --format}.
 */
public final class RawJson implements TemplateValue {

    private final JsonNode node;

    private RawJson(JsonNode node) {
        this.node = node;
    }

    /** The template view of {@code node}: containers wrap, scalars become {@link Scalar}s. */
    public static TemplateValue of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Scalar.NO_VALUE;
        }
        if (node.isObject() || node.isArray()) {
            return new RawJson(node);
        }
        if (node.isBoolean()) {
            return Scalar.bool(node.booleanValue());
        }
        if (node.isNumber()) {
            return Scalar.number(node.asText());
        }
        return Scalar.string(node.asText());
    }

    @Override
    public Kind kind() {
        return node.isObject() ? Kind.MAP : Kind.SLICE;
    }

    @Override
    public String typeName() {
        return node.isObject() ? "map[string]interface {}" : "[]interface {}";
    }

    @Override
    public TemplateValue field(String name, List<TemplateValue> args) {
        if (!node.isObject()) {
            return TemplateValue.super.field(name, args);
        }
        if (!args.isEmpty()) {
            throw new TemplateException(name + " is not a method but has arguments");
        }
        if (!node.has(name)) {
            throw new TemplateException("map has no entry for key " + GoJson.quote(name, false));
        }
        return of(node.get(name));
    }

    @Override
    public String print() {
        return print(node);
    }

    private static String print(JsonNode n) {
        if (n.isNull()) {
            return "<nil>";
        }
        if (n.isObject()) {
            StringJoiner out = new StringJoiner(" ", "map[", "]");
            sorted(n).forEach((k, v) -> out.add(k + ":" + print(v)));
            return out.toString();
        }
        if (n.isArray()) {
            StringJoiner out = new StringJoiner(" ", "[", "]");
            n.forEach(v -> out.add(print(v)));
            return out.toString();
        }
        return n.asText();
    }

    @Override
    public String json(boolean escapeHtml) {
        StringBuilder out = new StringBuilder();
        encode(out, node, escapeHtml);
        return out.toString();
    }

    private static void encode(StringBuilder out, JsonNode n, boolean escapeHtml) {
        if (n.isObject()) {
            StringJoiner fields = new StringJoiner(",", "{", "}");
            sorted(n).forEach((k, v) -> {
                StringBuilder field = new StringBuilder();
                GoJson.appendQuoted(field, k, escapeHtml);
                field.append(':');
                encode(field, v, escapeHtml);
                fields.add(field);
            });
            out.append(fields);
        } else if (n.isArray()) {
            StringJoiner items = new StringJoiner(",", "[", "]");
            n.forEach(v -> {
                StringBuilder item = new StringBuilder();
                encode(item, v, escapeHtml);
                items.add(item);
            });
            out.append(items);
        } else if (n.isTextual()) {
            GoJson.appendQuoted(out, n.textValue(), escapeHtml);
        } else {
            out.append(n.isNull() ? "null" : n.asText());
        }
    }

    private static TreeMap<String, JsonNode> sorted(JsonNode object) {
        TreeMap<String, JsonNode> map = new TreeMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }

    @Override
    public int length() {
        return node.size();
    }

    @Override
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(node.size());
        if (node.isObject()) {
            sorted(node).forEach((k, v) -> entries.add(new Entry(Scalar.string(k), of(v))));
        } else {
            for (int i = 0; i < node.size(); i++) {
                entries.add(new Entry(Scalar.integer(i), of(node.get(i))));
            }
        }
        return entries;
    }

    @Override
    public TemplateValue index(TemplateValue key) {
        if (node.isObject()) {
            return of(node.get(key.print()));
        }
        int i = Integer.parseInt(key.print());
        if (i < 0 || i >= node.size()) {
            throw new TemplateException("error calling index: index out of range: " + i);
        }
        return of(node.get(i));
    }
}
