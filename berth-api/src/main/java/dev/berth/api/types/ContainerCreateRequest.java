package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
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
        @JsonProperty("NetworkingConfig") NetworkingConfig networkingConfig,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("Cmd") List<String> cmd,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("Tty") Boolean tty) {

    /** Without a command: a sandbox that runs no process. */
    public ContainerCreateRequest(String hostname, String image, HostConfig hostConfig,
                                  NetworkingConfig networkingConfig) {
        this(hostname, image, hostConfig, networkingConfig, null, null);
    }

    /**
     * {@code HostConfig}: {@code NetworkMode} ({@code default}, {@code host}, {@code none}, a
     * network), {@code AutoRemove} ({@code --rm}) and {@code PortBindings} ({@code -p}, Docker's
     * shape: {@code {"80/tcp":[{"HostIp":"","HostPort":"8080"}]}}); the last two are left out of
     * the JSON when absent, as in {@code docker ps}.
     */
    @JsonPropertyOrder({"NetworkMode", "AutoRemove", "PortBindings"})
    public record HostConfig(
            @JsonProperty("NetworkMode") String networkMode,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("AutoRemove") Boolean autoRemove,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("PortBindings")
            Map<String, List<PortBinding>> portBindings) {

        /** Only the network mode ({@code docker ps}). */
        public HostConfig(String networkMode) {
            this(networkMode, null, null);
        }

        public HostConfig(String networkMode, Map<String, List<PortBinding>> portBindings) {
            this(networkMode, null, portBindings);
        }
    }

    /** One host binding of a port: {@code HostIp} empty for the default, {@code HostPort} empty or 0 for any. */
    public record PortBinding(@JsonProperty("HostIp") String hostIp, @JsonProperty("HostPort") String hostPort) {
    }

    /** {@code NetworkingConfig}: settings per network name ({@code default} for the network mode's). */
    public record NetworkingConfig(@JsonProperty("EndpointsConfig") Map<String, EndpointSettings> endpointsConfig) {
    }
}
