package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The parts of {@code POST /containers/create} a network daemon reads: the container
 * {@code Config} fields arrive at the top level, beside {@code HostConfig} and
 * {@code NetworkingConfig}. Everything else the CLI sends is ignored.
 */
public record ContainerCreateRequest(
        @JsonProperty("Hostname") String hostname,
        @JsonProperty("Image") String image,
        @JsonProperty("HostConfig") HostConfig hostConfig,
        @JsonProperty("NetworkingConfig") NetworkingConfig networkingConfig) {

    /** {@code HostConfig}: only {@code NetworkMode} for now ({@code default}, {@code host}, {@code none}, a network). */
    public record HostConfig(@JsonProperty("NetworkMode") String networkMode) {
    }

    /** {@code NetworkingConfig}: settings per network name ({@code default} for the network mode's). */
    public record NetworkingConfig(@JsonProperty("EndpointsConfig") Map<String, EndpointSettings> endpointsConfig) {
    }
}
