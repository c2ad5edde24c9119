package dev.berth.daemon.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON {@code null} inside a map or list read as Go reads it into a {@code map[string]string} or
 * {@code []string}: the zero value, {@code ""}. Jackson keeps the {@code null}, which the model's
 * immutable copies refuse; mappers pass request maps and lists through here first.
 */
final class GoValues {
    private GoValues() {
    }

    /** The map with {@code null} values as {@code ""}; {@code null} stays {@code null}. */
    static Map<String, String> strings(Map<String, String> map) {
        if (map == null || !map.containsValue(null)) {
            return map;
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, v == null ? "" : v));
        return out;
    }

    /** The list with {@code null} elements as {@code ""}; {@code null} stays {@code null}. */
    static List<String> strings(List<String> list) {
        if (list == null || !list.contains(null)) {
            return list;
        }
        List<String> out = new ArrayList<>(list.size());
        list.forEach(v -> out.add(v == null ? "" : v));
        return out;
    }
}
