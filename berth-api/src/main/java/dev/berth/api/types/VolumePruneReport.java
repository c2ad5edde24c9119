package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The answer to {@code POST /volumes/prune}: names of the removed volumes (null: none), bytes reclaimed. */
public record VolumePruneReport(@JsonProperty("VolumesDeleted") List<String> volumesDeleted,
                                @JsonProperty("SpaceReclaimed") long spaceReclaimed) {
}
