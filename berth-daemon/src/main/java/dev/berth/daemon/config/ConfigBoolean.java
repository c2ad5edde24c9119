package dev.berth.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;

/** How daemon.json spells a boolean: JSON {@code true}/{@code false}, or those words as strings. */
final class ConfigBoolean {
    private ConfigBoolean() {
    }

    /** The value, or null when {@code v} is neither (the caller names the key in its error). */
    static Boolean of(JsonNode v) {
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        return null;
    }
}
