package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
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

    /**
     * {@code HostConfig}: {@code NetworkMode} ({@code default}, {@code host}, {@code none}, a network)
     * and {@code PortBindings} ({@code {"80/tcp":[{"HostIp":"","HostPort":"8080"}]}}; left out when
     * null, as in {@code docker ps}).
     */
    @JsonPropertyOrder({"NetworkMode", "PortBindings"})
    public record HostConfig(
            @JsonProperty("NetworkMode") String networkMode,
            @JsonProperty("PortBindings") @JsonInclude(JsonInclude.Include.NON_NULL)
            Map<String, List<PortBinding>> portBindings) {

        /** Only the network mode ({@code docker ps}). */
        public HostConfig(String networkMode) {
            this(networkMode, null);
        }
    }

    /** One host binding of a port: {@code HostIp} empty for the default, {@code HostPort} empty or 0 for any. */
    public record PortBinding(@JsonProperty("HostIp") String hostIp, @JsonProperty("HostPort") String hostPort) {
    }

    /** {@code NetworkingConfig}: settings per network name ({@code default} for the network mode's). */
    public record NetworkingConfig(@JsonProperty("EndpointsConfig") Map<String, EndpointSettings> endpointsConfig) {
    }
}
