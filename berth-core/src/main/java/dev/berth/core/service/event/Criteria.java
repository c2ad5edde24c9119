package dev.berth.core.service.event;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decoded {@code filters} of any endpoint: key to its values, with moby's two ways of combining
 * a key's values and its {@code k} / {@code k=v} label matching.
 */
public record Criteria(Map<String, Set<String>> values) {

    public Criteria {
        values = Map.copyOf(values);
    }

    /** True when the key is absent or empty, or any of its values passes (values OR-ed). */
    public boolean any(String key, Predicate<String> test) {
        Set<String> v = values.get(key);
        return v == null || v.isEmpty() || v.stream().anyMatch(test);
    }

    /** True when the key is absent or every one of its values passes. */
    public boolean all(String key, Predicate<String> test) {
        Set<String> v = values.get(key);
        return v == null || v.stream().allMatch(test);
    }

    /** {@code spec} is {@code k} (the key exists) or {@code k=v} (the key has that value). */
    public static boolean labelMatches(Map<String, String> labels, String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(spec);
        }
        return spec.substring(eq + 1).equals(labels.get(spec.substring(0, eq)));
    }
}
