package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of the JSON-message streams of {@code /images/load}, {@code /images/create} and
 * {@code /build} ({@code jsonmessage.JSONMessage}): {@code stream} text, or a {@code status}
 * (with an {@code id} for per-layer progress).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JsonMessage(@JsonProperty("stream") String stream, @JsonProperty("status") String status,
                          @JsonProperty("id") String id) {
    public static JsonMessage stream(String text) {
        return new JsonMessage(text, null, null);
    }

    public static JsonMessage status(String text) {
        return new JsonMessage(null, text, null);
    }
}
