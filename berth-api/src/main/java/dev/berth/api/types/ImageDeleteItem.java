package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One line of {@code DELETE /images/{name}} and of a prune: a name untagged or an image deleted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageDeleteItem(@JsonProperty("Untagged") String untagged, @JsonProperty("Deleted") String deleted) {
}
