package dev.berth.cli.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.format.GoJson;
import dev.berth.cli.format.GoTime;
import java.time.ZoneId;
import java.util.function.Supplier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * JSON viewed as the Go value it decodes into: a {@link GoType} plus the JSON node (missing or
 * {@code null} means Go's zero value / nil). Struct fields go by Go name; printing follows
 * {@code fmt} ({@code {a b}}, {@code map[k:v]}, {@code []}), encoding follows
 * {@code encoding/json} in struct order with {@code omitempty}.
 */
public final class Typed implements TemplateValue {

    private final GoType type;
    private final JsonNode node;
    private final Supplier<ZoneId> zone;

    private Typed(GoType type, JsonNode node, Supplier<ZoneId> zone) {
        this.type = type;
        this.node = node == null || node.isMissingNode() || node.isNull() ? null : node;
        this.zone = zone;
    }

    /**
     * Views {@code node} as {@code type}, first checking that it decodes (strings, bools, times).
     *
     * @throws IllegalArgumentException with a Go-like message when it would not decode
     */
    public static Typed decode(GoType type, JsonNode node, ZoneId zone) {
        return decode(type, node, () -> zone);
    }

    /**
     * As {@link #decode(GoType, JsonNode, ZoneId)} with the local zone looked up only if a time
     * needs it (one that is not in UTC): finding the system's zone loads the tz database.
     */
    public static Typed decode(GoType type, JsonNode node, Supplier<ZoneId> zone) {
        Typed value = new Typed(type, node, zone);
        value.check("");
        return value;
    }

    private void check(String path) {
        if (node == null) {
            return;
        }
        switch (type) {
            case GoType.Str s -> require(node.isTextual(), path);
            case GoType.Bool b -> require(node.isBoolean(), path);
            case GoType.Int i -> require(node.isIntegralNumber(), path);
            case GoType.Time t -> {
                require(node.isTextual(), path);
                GoTime.parse(node.textValue(), zone);
            }
            case GoType.MapOf m -> {
                require(node.isObject(), path);
                node.properties().forEach(e -> new Typed(m.element(), e.getValue(), zone).check(path));
            }
            case GoType.SliceOf s -> {
                require(node.isArray(), path);
                node.forEach(e -> new Typed(s.element(), e, zone).check(path));
            }
            case GoType.Struct s -> {
                require(node.isObject(), path);
                s.fields().forEach(f -> child(f).check(s.name() + "." + f.goName()));
            }
        }
    }

    private void require(boolean ok, String path) {
        if (!ok) {
            throw new IllegalArgumentException("json: cannot unmarshal " + node.getNodeType().name().toLowerCase()
                    + " into Go struct field " + path + " of type " + type.name());
        }
    }

    private Typed child(GoType.Field f) {
        if (node == null) {
            return new Typed(f.type(), null, zone);
        }
        JsonNode value = node.get(f.jsonName());
        if (value == null) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getKey().equalsIgnoreCase(f.jsonName())) {
                    value = e.getValue();
                }
            }
        }
        return new Typed(f.type(), value, zone);
    }

    @Override
    public Kind kind() {
        return switch (type) {
            case GoType.Str s -> Kind.STRING;
            case GoType.Bool b -> Kind.BOOL;
            case GoType.Int i -> Kind.NUMBER;
            case GoType.Time t -> Kind.STRUCT;
            case GoType.MapOf m -> Kind.MAP;
            case GoType.SliceOf s -> Kind.SLICE;
            case GoType.Struct s -> Kind.STRUCT;
        };
    }

    @Override
    public String typeName() {
        return type.name();
    }

    @Override
    public TemplateValue field(String name, List<TemplateValue> args) {
        if (type instanceof GoType.Struct s && args.isEmpty()) {
            for (GoType.Field f : s.fields()) {
                if (f.goName().equals(name)) {
                    return child(f);
                }
            }
        }
        if (type instanceof GoType.MapOf m && args.isEmpty()) {
            return node != null && node.has(name) ? new Typed(m.element(), node.get(name), zone) : Scalar.NO_VALUE;
        }
        return TemplateValue.super.field(name, args);
    }

    @Override
    public String print() {
        return switch (type) {
            case GoType.Str s -> node == null ? "" : node.textValue();
            case GoType.Bool b -> Boolean.toString(node != null && node.booleanValue());
            case GoType.Int i -> node == null ? "0" : node.asText();
            case GoType.Time t -> time().goString();
            case GoType.MapOf m -> join(sortedEntries(), " ", "map[", "]", e -> e.key().print() + ":" + e.value().print());
            case GoType.SliceOf s -> join(entries(), " ", "[", "]", e -> e.value().print());
            case GoType.Struct s -> {
                StringJoiner out = new StringJoiner(" ", "{", "}");
                s.fields().forEach(f -> out.add(child(f).print()));
                yield out.toString();
            }
        };
    }

    private GoTime time() {
        return node == null ? GoTime.ZERO : GoTime.parse(node.textValue(), zone);
    }

    @Override
    public String json(boolean escapeHtml) {
        return switch (type) {
            case GoType.Str s -> GoJson.quote(print(), escapeHtml);
            case GoType.Bool b -> print();
            case GoType.Int i -> print();
            case GoType.Time t -> "\"" + time().rfc3339Nano() + "\"";
            case GoType.MapOf m -> node == null ? "null" : join(sortedEntries(), ",", "{", "}",
                    e -> GoJson.quote(e.key().print(), escapeHtml) + ":" + e.value().json(escapeHtml));
            case GoType.SliceOf s -> node == null ? "null" : join(entries(), ",", "[", "]", e -> e.value().json(escapeHtml));
            case GoType.Struct s -> {
                StringJoiner out = new StringJoiner(",", "{", "}");
                for (GoType.Field f : s.fields()) {
                    Typed value = child(f);
                    if (!f.omitEmpty() || !value.isEmpty()) {
                        out.add(GoJson.quote(f.jsonName(), escapeHtml) + ":" + value.json(escapeHtml));
                    }
                }
                yield out.toString();
            }
        };
    }

    private boolean isEmpty() {
        return switch (type) {
            case GoType.Str s -> print().isEmpty();
            case GoType.Bool b -> !truth();
            case GoType.Int i -> print().equals("0");
            case GoType.MapOf m -> length() == 0;
            case GoType.SliceOf s -> length() == 0;
            case GoType.Time t -> false;
            case GoType.Struct s -> false;
        };
    }

    private static String join(List<Entry> entries, String separator, String open, String close,
            java.util.function.Function<Entry, String> render) {
        StringJoiner out = new StringJoiner(separator, open, close);
        entries.forEach(e -> out.add(render.apply(e)));
        return out.toString();
    }

    @Override
    public int length() {
        return switch (type) {
            case GoType.MapOf m -> node == null ? 0 : node.size();
            case GoType.SliceOf s -> node == null ? 0 : node.size();
            default -> TemplateValue.super.length();
        };
    }

    @Override
    public List<Entry> entries() {
        return switch (type) {
            case GoType.MapOf m -> sortedEntries();
            case GoType.SliceOf s -> {
                List<Entry> entries = new ArrayList<>();
                for (int i = 0; node != null && i < node.size(); i++) {
                    entries.add(new Entry(Scalar.integer(i), new Typed(s.element(), node.get(i), zone)));
                }
                yield entries;
            }
            default -> TemplateValue.super.entries();
        };
    }

    private List<Entry> sortedEntries() {
        GoType element = ((GoType.MapOf) type).element();
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        if (node != null) {
            node.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
        }
        List<Entry> entries = new ArrayList<>(sorted.size());
        sorted.forEach((k, v) -> entries.add(new Entry(Scalar.string(k), new Typed(element, v, zone))));
        return entries;
    }

    @Override
    public TemplateValue index(TemplateValue key) {
        return switch (type) {
            case GoType.MapOf m -> new Typed(m.element(), node == null ? null : node.get(key.print()), zone);
            case GoType.SliceOf s -> {
                int i = Integer.parseInt(key.print());
                if (i < 0 || i >= length()) {
                    throw new TemplateException("error calling index: index out of range: " + i);
                }
                yield new Typed(s.element(), node.get(i), zone);
            }
            default -> TemplateValue.super.index(key);
        };
    }
}
