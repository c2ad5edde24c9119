package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The answer to {@code GET /volumes}: Berth makes no volumes, so {@code Volumes} is always empty. */
public record VolumeListResponse(@JsonProperty("Volumes") List<Object> volumes,
                                 @JsonProperty("Warnings") List<String> warnings) {
}
