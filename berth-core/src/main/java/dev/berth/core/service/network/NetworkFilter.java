package dev.berth.core.service.network;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.Network;
import dev.berth.core.service.event.Criteria;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code GET /networks} filters with moby's semantics: values of one key are OR-ed, keys are
 * AND-ed; {@code name} and {@code id} match exactly or as a regular-expression search.
 *
 * @param criteria key to its set of values, as decoded from the {@code filters} query parameter
 */
public record NetworkFilter(Map<String, Set<String>> criteria) {
    private static final Set<String> KEYS = Set.of("driver", "id", "label", "name", "scope", "type", "dangling");

    public NetworkFilter {
        criteria = Map.copyOf(criteria);
        for (String key : criteria.keySet()) {
            if (!KEYS.contains(key)) {
                throw new InvalidParameterException("invalid filter '" + key + "'");
            }
        }
        validateType(criteria.getOrDefault("type", Set.of()));
        validateDangling(criteria.getOrDefault("dangling", Set.of()));
    }

    public static NetworkFilter none() {
        return new NetworkFilter(Map.of());
    }

    /**
     * Tests one network. {@code inUse} tells whether it has endpoints, for {@code dangling}.
     */
    public boolean matches(Network network, Predicate<Network> inUse) {
        Criteria c = new Criteria(criteria);
        return c.any("driver", v -> v.equals(network.driver()))
                && c.any("name", v -> exactOrSearch(v, network.name()))
                && c.any("id", v -> exactOrSearch(v, network.id().value()))
                && c.all("label", v -> Criteria.labelMatches(network.labels(), v))
                && c.any("scope", v -> v.equals(network.scope()))
                && c.any("dangling", v -> dangling(v) == (!network.isPredefined() && !inUse.test(network)))
                && c.any("type", v -> v.equals("builtin") == network.isPredefined());
    }

    private static boolean exactOrSearch(String pattern, String value) {
        if (pattern.equals(value)) {
            return true;
        }
        try {
            return Pattern.compile(pattern).matcher(value).find();
        } catch (PatternSyntaxException e) {
            return false; // moby skips values that are not valid expressions
        }
    }

    private static void validateType(Set<String> values) {
        for (String v : values) {
            if (!v.equals("custom") && !v.equals("builtin")) {
                throw new InvalidParameterException("invalid filter: 'type'='" + v + "'");
            }
        }
    }

    private static void validateDangling(Set<String> values) {
        if (values.size() > 1) {
            throw new InvalidParameterException("got more than one value for filter key \"dangling\"");
        }
        values.forEach(NetworkFilter::dangling);
    }

    private static boolean dangling(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new InvalidParameterException(
                    "invalid value for filter 'dangling', must be \"true\" (or \"1\"), or \"false\" (or \"0\")");
        };
    }
}
