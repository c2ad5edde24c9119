package dev.berth.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Compares the shape of two JSON trees: the same keys in the same order at every level, the
 * same array lengths and the same scalar kinds. Values are not compared. A {@code null} in the
 * expected tree accepts anything (Docker prints {@code null} for several empty maps).
 *
 * <p>Key order matters because {@code docker network inspect} prints the daemon's JSON
 * verbatim; users and scripts see it.
 */
final class JsonShape {

    private final Set<String> tolerated;

    /** A comparator that also accepts the given extra keys wherever they appear in the actual tree. */
    JsonShape(Set<String> tolerated) {
        this.tolerated = tolerated;
    }

    /** Every difference in shape, each with its JSON path; empty when the shapes agree. */
    List<String> differences(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        compare("$", expected, actual, out);
        return out;
    }

    private void compare(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected.isNull()) {
            return;
        }
        if (expected.getNodeType() != actual.getNodeType()) {
            out.add(path + ": expected " + expected.getNodeType() + " but was " + actual.getNodeType());
        } else if (expected.isObject()) {
            compareObjects(path, expected, actual, out);
        } else if (expected.isArray()) {
            if (expected.size() != actual.size()) {
                out.add(path + ": expected " + expected.size() + " elements but was " + actual.size());
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                compare(path + "[" + i + "]", expected.get(i), actual.get(i), out);
            }
        }
    }

    private void compareObjects(String path, JsonNode expected, JsonNode actual, List<String> out) {
        List<String> expectedKeys = new ArrayList<>();
        expected.fieldNames().forEachRemaining(expectedKeys::add);
        List<String> actualKeys = new ArrayList<>();
        actual.fieldNames().forEachRemaining(k -> {
            if (!tolerated.contains(k) || expectedKeys.contains(k)) {
                actualKeys.add(k);
            }
        });
        if (!expectedKeys.equals(actualKeys)) {
            out.add(path + ": keys " + actualKeys + " differ from " + expectedKeys);
            return;
        }
        for (String key : expectedKeys) {
            compare(path + "." + key, expected.get(key), actual.get(key), out);
        }
    }
}
