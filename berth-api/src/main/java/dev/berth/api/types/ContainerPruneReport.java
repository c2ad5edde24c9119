package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer to {@code POST /containers/prune}: ids of the removed containers, or null when none were,
 * and the bytes reclaimed (Berth reports 0, as for networks).
 */
public record ContainerPruneReport(@JsonProperty("ContainersDeleted") List<String> containersDeleted,
                                   @JsonProperty("SpaceReclaimed") long spaceReclaimed) {
}
