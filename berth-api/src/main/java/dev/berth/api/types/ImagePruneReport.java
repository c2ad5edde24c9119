package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The answer to {@code POST /images/prune}; {@code ImagesDeleted} is null when nothing went. */
public record ImagePruneReport(@JsonProperty("ImagesDeleted") List<ImageDeleteItem> imagesDeleted,
                               @JsonProperty("SpaceReclaimed") long spaceReclaimed) {
}
