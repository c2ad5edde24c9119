package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One entry of {@code GET /images/{name}/history}, newest first, in moby's field order. */
public record ImageHistoryItem(@JsonProperty("Comment") String comment,
                               @JsonProperty("Created") long created,
                               @JsonProperty("CreatedBy") String createdBy,
                               @JsonProperty("Id") String id,
                               @JsonProperty("Size") long size,
                               @JsonProperty("Tags") List<String> tags) {
}
