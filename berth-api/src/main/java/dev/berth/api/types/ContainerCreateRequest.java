package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /containers/create}: the container {@code Config} fields arrive at the top level,
 * beside {@code HostConfig} and {@code NetworkingConfig}. {@code Cmd} and {@code Entrypoint} take a
 * string or a list, as moby's {@code StrSlice}. Fields Berth does not read are ignored. A field
 * left out of the body is {@code null} here, so "not given" and "empty" stay apart where moby tells
 * them apart ({@code Entrypoint}, {@code Cmd}).
 */
@JsonPropertyOrder({"Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr", "ExposedPorts",
        "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd", "Image", "WorkingDir", "Entrypoint", "Labels", "StopSignal",
        "StopTimeout", "HostConfig", "NetworkingConfig"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerCreateRequest(
        @JsonProperty("Hostname") String hostname,
        @JsonProperty("Domainname") String domainname,
        @JsonProperty("User") String user,
        @JsonProperty("AttachStdin") Boolean attachStdin,
        @JsonProperty("AttachStdout") Boolean attachStdout,
        @JsonProperty("AttachStderr") Boolean attachStderr,
        @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
        @JsonProperty("Tty") Boolean tty,
        @JsonProperty("OpenStdin") Boolean openStdin,
        @JsonProperty("StdinOnce") Boolean stdinOnce,
        @JsonProperty("Env") List<String> env,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) @JsonProperty("Cmd") List<String> cmd,
        @JsonProperty("Image") String image,
        @JsonProperty("WorkingDir") String workingDir,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) @JsonProperty("Entrypoint")
        List<String> entrypoint,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("StopSignal") String stopSignal,
        @JsonProperty("StopTimeout") Integer stopTimeout,
        @JsonProperty("HostConfig") HostConfig hostConfig,
        @JsonProperty("NetworkingConfig") NetworkingConfig networkingConfig) {

    /** Without a command: a sandbox that runs no process. */
    public ContainerCreateRequest(String hostname, String image, HostConfig hostConfig,
                                  NetworkingConfig networkingConfig) {
        this(hostname, null, null, null, null, null, null, null, null, null, null, null, image, null, null, null, null,
                null, hostConfig, networkingConfig);
    }

    /**
     * {@code HostConfig}, in moby's field order. Requests fill what they set; {@code docker ps}
     * shows only {@code NetworkMode}, inspect the fields Berth knows. Every field but
     * {@code NetworkMode} is left out of the JSON when {@code null}.
     */
    @JsonPropertyOrder({"Binds", "LogConfig", "NetworkMode", "PortBindings", "RestartPolicy", "AutoRemove",
            "ConsoleSize", "CapAdd", "CapDrop", "Privileged", "ReadonlyRootfs", "Tmpfs", "Memory", "NanoCpus",
            "CpuPeriod", "CpuQuota", "PidsLimit", "Mounts"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HostConfig(
            @JsonProperty("Binds") List<String> binds,
            @JsonProperty("LogConfig") LogConfig logConfig,
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("NetworkMode") String networkMode,
            @JsonProperty("PortBindings") Map<String, List<PortBinding>> portBindings,
            @JsonProperty("RestartPolicy") RestartPolicy restartPolicy,
            @JsonProperty("AutoRemove") Boolean autoRemove,
            @JsonProperty("ConsoleSize") List<Integer> consoleSize,
            @JsonProperty("CapAdd") List<String> capAdd,
            @JsonProperty("CapDrop") List<String> capDrop,
            @JsonProperty("Privileged") Boolean privileged,
            @JsonProperty("ReadonlyRootfs") Boolean readonlyRootfs,
            @JsonProperty("Tmpfs") Map<String, String> tmpfs,
            @JsonProperty("Memory") Long memory,
            @JsonProperty("NanoCpus") Long nanoCpus,
            @JsonProperty("CpuPeriod") Long cpuPeriod,
            @JsonProperty("CpuQuota") Long cpuQuota,
            @JsonProperty("PidsLimit") Long pidsLimit,
            @JsonProperty("Mounts") List<Mount> mounts) {

        /** Only the network mode ({@code docker ps}). */
        public HostConfig(String networkMode) {
            this(networkMode, null, null);
        }

        public HostConfig(String networkMode, Map<String, List<PortBinding>> portBindings) {
            this(networkMode, null, portBindings);
        }

        /** The network mode, {@code AutoRemove} and port bindings. */
        public HostConfig(String networkMode, Boolean autoRemove, Map<String, List<PortBinding>> portBindings) {
            this(null, null, networkMode, portBindings, null, autoRemove, null, null, null, null, null, null, null,
                    null, null, null, null, null);
        }
    }

    /** {@code LogConfig}: the driver ({@code json-file}) and its options ({@code max-size}, {@code max-file}). */
    public record LogConfig(@JsonProperty("Type") String type, @JsonProperty("Config") Map<String, String> config) {
    }

    /** {@code RestartPolicy}: {@code no}, {@code always}, {@code on-failure}, {@code unless-stopped}, or empty. */
    public record RestartPolicy(@JsonProperty("Name") String name,
                                @JsonProperty("MaximumRetryCount") Integer maximumRetryCount) {
    }

    /** One {@code HostConfig.Mounts} entry ({@code --mount}). */
    @JsonPropertyOrder({"Type", "Source", "Target", "ReadOnly", "BindOptions", "TmpfsOptions"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Mount(@JsonProperty("Type") String type, @JsonProperty("Source") String source,
                        @JsonProperty("Target") String target, @JsonProperty("ReadOnly") Boolean readOnly,
                        @JsonProperty("BindOptions") BindOptions bindOptions,
                        @JsonProperty("TmpfsOptions") TmpfsOptions tmpfsOptions) {
    }

    /** {@code BindOptions}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BindOptions(@JsonProperty("Propagation") String propagation) {
    }

    /** {@code TmpfsOptions}: size in bytes and the mode ({@code os.FileMode}, a number). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TmpfsOptions(@JsonProperty("SizeBytes") Long sizeBytes, @JsonProperty("Mode") Integer mode) {
    }

    /** One host binding of a port: {@code HostIp} empty for the default, {@code HostPort} empty or 0 for any. */
    public record PortBinding(@JsonProperty("HostIp") String hostIp, @JsonProperty("HostPort") String hostPort) {
    }

    /** {@code NetworkingConfig}: settings per network name ({@code default} for the network mode's). */
    public record NetworkingConfig(@JsonProperty("EndpointsConfig") Map<String, EndpointSettings> endpointsConfig) {
    }
}
