package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The answer to {@code POST /networks/create}: both keys always present ({@code Warning} may be ""). */
@JsonPropertyOrder({"Id", "Warning"})
public record NetworkCreateResponse(@JsonProperty("Id") String id, @JsonProperty("Warning") String warning) {
}
