package dev.berth.daemon.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.errors.InvalidParameterException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decodes the {@code filters} query parameter: the modern {@code {"key":{"value":true}}} form and
 * the legacy {@code {"key":["value"]}} form (clients before API 1.22). As in moby, every value
 * named in the modern form counts, whatever its boolean.
 */
final class Filters {
    private final JsonCodec json;

    Filters(JsonCodec json) {
        this.json = json;
    }

    /** Key to values; empty when the parameter is absent or blank. Bad JSON is 400 {@code invalid filter}. */
    Map<String, Set<String>> parse(String parameter) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        if (parameter == null || parameter.isBlank()) {
            return out;
        }
        JsonNode root = json.tree(parameter);
        if (root == null || !(root.isObject() || root.isNull())) {
            throw invalid();
        }
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            out.put(entry.getKey(), values(entry.getValue()));
        }
        return out;
    }

    private static Set<String> values(JsonNode node) {
        Set<String> values = new LinkedHashSet<>();
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> value : node.properties()) {
                if (!value.getValue().isBoolean()) {
                    throw invalid();
                }
                values.add(value.getKey());
            }
        } else if (node.isArray()) {
            for (JsonNode value : node) {
                if (!value.isTextual()) {
                    throw invalid();
                }
                values.add(value.asText());
            }
        } else if (!node.isNull()) {
            throw invalid();
        }
        return values;
    }

    private static InvalidParameterException invalid() {
        return new InvalidParameterException("invalid filter");
    }
}
