package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /version} (moby {@code types.Version}). The CLI prints the {@code Engine} component's
 * details; the top-level fields are the deprecated copies older clients read. {@code Experimental}
 * and {@code BuildTime} are left out when unset, as Go's {@code omitempty} does.
 */
@JsonPropertyOrder({"Platform", "Components", "Version", "ApiVersion", "MinAPIVersion", "GitCommit", "GoVersion",
        "Os", "Arch", "KernelVersion", "Experimental", "BuildTime"})
public record VersionResponse(
        @JsonProperty("Platform") Platform platform,
        @JsonProperty("Components") List<Component> components,
        @JsonProperty("Version") String version,
        @JsonProperty("ApiVersion") String apiVersion,
        @JsonProperty("MinAPIVersion") String minApiVersion,
        @JsonProperty("GitCommit") String gitCommit,
        @JsonProperty("GoVersion") String goVersion,
        @JsonProperty("Os") String os,
        @JsonProperty("Arch") String arch,
        @JsonProperty("KernelVersion") String kernelVersion,
        @JsonProperty("Experimental") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean experimental,
        @JsonProperty("BuildTime") @JsonInclude(JsonInclude.Include.NON_EMPTY) String buildTime) {

    /** {@code Platform}: the product name the CLI appends to {@code Server:}. */
    public record Platform(@JsonProperty("Name") String name) {
    }

    /** One component; {@code Details} is a free-form string map shown by the CLI. */
    @JsonPropertyOrder({"Name", "Version", "Details"})
    public record Component(
            @JsonProperty("Name") String name,
            @JsonProperty("Version") String version,
            @JsonProperty("Details") Map<String, String> details) {
    }
}
