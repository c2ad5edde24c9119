package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** One entry of {@code GET /containers/json} ({@code docker ps}), fields in moby's order. */
@JsonPropertyOrder({"Id", "Names", "Image", "ImageID", "Command", "Created", "Ports", "Labels", "State", "Status",
        "HostConfig", "NetworkSettings", "Mounts"})
public record ContainerSummary(
        @JsonProperty("Id") String id,
        @JsonProperty("Names") List<String> names,
        @JsonProperty("Image") String image,
        @JsonProperty("ImageID") String imageId,
        @JsonProperty("Command") String command,
        @JsonProperty("Created") long created,
        @JsonProperty("Ports") List<Object> ports,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("State") String state,
        @JsonProperty("Status") String status,
        @JsonProperty("HostConfig") ContainerCreateRequest.HostConfig hostConfig,
        @JsonProperty("NetworkSettings") Networks networkSettings,
        @JsonProperty("Mounts") List<ContainerInspect.MountPoint> mounts) {

    /** One entry of {@code Ports}: {@code IP} and {@code PublicPort} are left out when the port is not published. */
    @JsonPropertyOrder({"IP", "PrivatePort", "PublicPort", "Type"})
    public record Port(
            @JsonProperty("IP") @JsonInclude(JsonInclude.Include.NON_EMPTY) String ip,
            @JsonProperty("PrivatePort") int privatePort,
            @JsonProperty("PublicPort") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int publicPort,
            @JsonProperty("Type") String type) {
    }

    /** {@code NetworkSettings} of a summary: only the per-network endpoint settings. */
    public record Networks(@JsonProperty("Networks") Map<String, EndpointSettings> networks) {
    }
}
