package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.format.GoJson;
import dev.berth.cli.format.GoTime;
import dev.berth.cli.template.Scalar;
import dev.berth.cli.template.TemplateValue;
import java.time.ZoneId;
import java.util.function.Supplier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * One row of {@code network ls}: the docker CLI's {@code networkContext}, whose methods
 * ({@code .ID .Name .Driver .Scope .IPv4 .IPv6 .Internal .Labels .CreatedAt}, {@code .Label "k"})
 * all return strings. {@code {{json .}}} gives those methods as a JSON object with sorted keys,
 * HTML-escaped as {@code json.Marshal} does.
 */
final class NetworkRow implements TemplateValue {

    /** The column headers, docker's {@code SubHeaderContext} for networks. */
    static final Map<String, String> HEADERS = Map.of(
            "ID", "NETWORK ID", "Name", "NAME", "Driver", "DRIVER", "Scope", "SCOPE", "IPv4", "IPV4",
            "IPv6", "IPV6", "Internal", "INTERNAL", "Labels", "LABELS", "CreatedAt", "CREATED AT");

    private final String name;
    private final Map<String, String> methods;
    private final Map<String, String> labels;

    private NetworkRow(String name, Map<String, String> methods, Map<String, String> labels) {
        this.name = name;
        this.methods = methods;
        this.labels = labels;
    }

    /** The row for one list entry (already checked to decode). */
    static NetworkRow of(JsonNode network, boolean truncate, Supplier<ZoneId> zone) {
        String id = text(network, "Id");
        Map<String, String> labels = new LinkedHashMap<>();
        network.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        JsonNode created = network.get("Created");
        GoTime time = created == null || created.isNull() ? GoTime.ZERO : GoTime.parse(created.textValue(), zone);
        Map<String, String> methods = new LinkedHashMap<>();
        methods.put("ID", truncate ? truncateId(id) : id);
        methods.put("Name", text(network, "Name"));
        methods.put("Driver", text(network, "Driver"));
        methods.put("Scope", text(network, "Scope"));
        methods.put("IPv4", Boolean.toString(network.path("EnableIPv4").asBoolean(false)));
        methods.put("IPv6", Boolean.toString(network.path("EnableIPv6").asBoolean(false)));
        methods.put("Internal", Boolean.toString(network.path("Internal").asBoolean(false)));
        List<String> pairs = new ArrayList<>();
        labels.forEach((k, v) -> pairs.add(k + "=" + v));
        methods.put("Labels", String.join(",", pairs));
        methods.put("CreatedAt", time.goString());
        return new NetworkRow(methods.get("Name"), methods, labels);
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).asText("");
    }

    /** Docker's {@code TruncateID}: drop an {@code algo:} prefix, keep 12 characters. */
    static String truncateId(String id) {
        int colon = id.indexOf(':');
        String bare = colon >= 0 ? id.substring(colon + 1) : id;
        return bare.length() > 12 ? bare.substring(0, 12) : bare;
    }

    /** The network name, the sort key. */
    String name() {
        return name;
    }

    @Override
    public Kind kind() {
        return Kind.STRUCT;
    }

    @Override
    public String typeName() {
        return "*network.networkContext";
    }

    @Override
    public TemplateValue field(String field, List<TemplateValue> args) {
        if (field.equals("Label") && args.size() == 1) {
            return Scalar.string(labels.getOrDefault(args.getFirst().print(), ""));
        }
        if (methods.containsKey(field) && args.isEmpty()) {
            return Scalar.string(methods.get(field));
        }
        return TemplateValue.super.field(field, args);
    }

    @Override
    public String print() {
        StringJoiner out = new StringJoiner(" ", "&{", "}");
        methods.values().forEach(out::add);
        return out.toString();
    }

    @Override
    public String json(boolean escapeHtml) {
        StringJoiner out = new StringJoiner(",", "{", "}");
        new TreeMap<>(methods).forEach((k, v) -> out.add(GoJson.quote(k, true) + ":" + GoJson.quote(v, true)));
        return out.toString();
    }
}
