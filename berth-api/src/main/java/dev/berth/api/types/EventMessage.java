package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One line of {@code GET /events} ({@code events.Message}). Note the lower-case {@code scope},
 * {@code time} and {@code timeNano}; the deprecated {@code status}/{@code id}/{@code from} of
 * container events are not part of network events.
 */
@JsonPropertyOrder({"Type", "Action", "Actor", "scope", "time", "timeNano"})
public record EventMessage(
        @JsonProperty("Type") String type,
        @JsonProperty("Action") String action,
        @JsonProperty("Actor") Actor actor,
        @JsonProperty("scope") String scope,
        @JsonProperty("time") long time,
        @JsonProperty("timeNano") long timeNano) {

    /** The object the event is about: its id and attributes (e.g. {@code name}, {@code type}). */
    @JsonPropertyOrder({"ID", "Attributes"})
    public record Actor(@JsonProperty("ID") String id, @JsonProperty("Attributes") Map<String, String> attributes) {
    }
}
