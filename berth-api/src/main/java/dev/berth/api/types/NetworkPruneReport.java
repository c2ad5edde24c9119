package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The answer to {@code POST /networks/prune}: names (not ids) of the removed networks, or null. */
public record NetworkPruneReport(@JsonProperty("NetworksDeleted") List<String> networksDeleted) {
}
