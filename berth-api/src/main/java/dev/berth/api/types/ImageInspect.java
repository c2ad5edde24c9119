package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /images/{name}/json}, in moby's field order ({@code image.InspectResponse}); {@code Config}
 * is the image config's {@code config} object as stored.
 */
public record ImageInspect(@JsonProperty("Id") String id,
                           @JsonProperty("RepoTags") List<String> repoTags,
                           @JsonProperty("RepoDigests") List<String> repoDigests,
                           @JsonProperty("Parent") String parent,
                           @JsonProperty("Comment") String comment,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("Created") String created,
                           @JsonProperty("DockerVersion") String dockerVersion,
                           @JsonProperty("Author") String author,
                           @JsonProperty("Config") JsonNode config,
                           @JsonProperty("Architecture") String architecture,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("Variant") String variant,
                           @JsonProperty("Os") String os,
                           @JsonProperty("Size") long size,
                           @JsonProperty("GraphDriver") GraphDriver graphDriver,
                           @JsonProperty("RootFS") RootFs rootFs,
                           @JsonProperty("Metadata") Metadata metadata) {

    /** Where the layers are, as overlay2 reports them. */
    public record GraphDriver(@JsonProperty("Data") Map<String, String> data, @JsonProperty("Name") String name) {
    }

    /** The layers' diff ids, bottom first. */
    public record RootFs(@JsonProperty("Type") String type, @JsonProperty("Layers") List<String> layers) {
    }

    /** {@code LastTagTime}: RFC 3339, Go's zero time when never tagged. */
    public record Metadata(@JsonProperty("LastTagTime") String lastTagTime) {
    }
}
