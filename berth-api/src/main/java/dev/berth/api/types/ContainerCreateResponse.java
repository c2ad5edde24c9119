package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** {@code 201} of {@code POST /containers/create}. */
@JsonPropertyOrder({"Id", "Warnings"})
public record ContainerCreateResponse(
        @JsonProperty("Id") String id,
        @JsonProperty("Warnings") List<String> warnings) {
}
