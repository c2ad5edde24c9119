package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /containers/{id}/json}: the keys {@code docker inspect} shows, in moby's order
 * ({@code GraphDriver} and the parts of {@code HostConfig} Berth does not implement are left out).
 */
@JsonPropertyOrder({"Id", "Created", "Path", "Args", "State", "Image", "ResolvConfPath", "HostnamePath", "HostsPath",
        "LogPath", "Name", "RestartCount", "Driver", "Platform", "MountLabel", "ProcessLabel", "AppArmorProfile",
        "ExecIDs", "HostConfig", "Mounts", "Config", "NetworkSettings"})
public record ContainerInspect(
        @JsonProperty("Id") String id,
        @JsonProperty("Created") String created,
        @JsonProperty("Path") String path,
        @JsonProperty("Args") List<String> args,
        @JsonProperty("State") State state,
        @JsonProperty("Image") String image,
        @JsonProperty("ResolvConfPath") String resolvConfPath,
        @JsonProperty("HostnamePath") String hostnamePath,
        @JsonProperty("HostsPath") String hostsPath,
        @JsonProperty("LogPath") String logPath,
        @JsonProperty("Name") String name,
        @JsonProperty("RestartCount") int restartCount,
        @JsonProperty("Driver") String driver,
        @JsonProperty("Platform") String platform,
        @JsonProperty("MountLabel") String mountLabel,
        @JsonProperty("ProcessLabel") String processLabel,
        @JsonProperty("AppArmorProfile") String appArmorProfile,
        @JsonProperty("ExecIDs") List<String> execIds,
        @JsonProperty("HostConfig") ContainerCreateRequest.HostConfig hostConfig,
        @JsonProperty("Mounts") List<MountPoint> mounts,
        @JsonProperty("Config") Config config,
        @JsonProperty("NetworkSettings") NetworkSettings networkSettings) {

    /** {@code State}. */
    @JsonPropertyOrder({"Status", "Running", "Paused", "Restarting", "OOMKilled", "Dead", "Pid", "ExitCode", "Error",
            "StartedAt", "FinishedAt"})
    public record State(
            @JsonProperty("Status") String status,
            @JsonProperty("Running") boolean running,
            @JsonProperty("Paused") boolean paused,
            @JsonProperty("Restarting") boolean restarting,
            @JsonProperty("OOMKilled") boolean oomKilled,
            @JsonProperty("Dead") boolean dead,
            @JsonProperty("Pid") int pid,
            @JsonProperty("ExitCode") int exitCode,
            @JsonProperty("Error") String error,
            @JsonProperty("StartedAt") String startedAt,
            @JsonProperty("FinishedAt") String finishedAt) {
    }

    /** {@code Config}: the container's own settings, in moby's order; the omitempty ones are left out when empty. */
    @JsonPropertyOrder({"Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr",
            "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd", "Image", "Volumes", "WorkingDir",
            "Entrypoint", "OnBuild", "Labels", "StopSignal", "StopTimeout"})
    public record Config(
            @JsonProperty("Hostname") String hostname,
            @JsonProperty("Domainname") String domainname,
            @JsonProperty("User") String user,
            @JsonProperty("AttachStdin") boolean attachStdin,
            @JsonProperty("AttachStdout") boolean attachStdout,
            @JsonProperty("AttachStderr") boolean attachStderr,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
            @JsonProperty("Tty") boolean tty,
            @JsonProperty("OpenStdin") boolean openStdin,
            @JsonProperty("StdinOnce") boolean stdinOnce,
            @JsonProperty("Env") List<String> env,
            @JsonProperty("Cmd") List<String> cmd,
            @JsonProperty("Image") String image,
            @JsonProperty("Volumes") Map<String, Object> volumes,
            @JsonProperty("WorkingDir") String workingDir,
            @JsonProperty("Entrypoint") List<String> entrypoint,
            @JsonProperty("OnBuild") List<String> onBuild,
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("StopSignal") String stopSignal,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("StopTimeout") Integer stopTimeout) {
    }

    /** One entry of {@code Mounts} (inspect and {@code docker ps}): moby's {@code MountPoint}. */
    @JsonPropertyOrder({"Type", "Source", "Destination", "Mode", "RW", "Propagation"})
    public record MountPoint(
            @JsonProperty("Type") String type,
            @JsonProperty("Source") String source,
            @JsonProperty("Destination") String destination,
            @JsonProperty("Mode") String mode,
            @JsonProperty("RW") boolean rw,
            @JsonProperty("Propagation") String propagation) {
    }

    /**
     * {@code NetworkSettings}: the sandbox and, per network, the endpoint. The top-level address
     * fields are the deprecated copy of the default {@code bridge} network's endpoint.
     */
    @JsonPropertyOrder({"Bridge", "SandboxID", "HairpinMode", "LinkLocalIPv6Address", "LinkLocalIPv6PrefixLen",
            "Ports", "SandboxKey", "SecondaryIPAddresses", "SecondaryIPv6Addresses", "EndpointID", "Gateway",
            "GlobalIPv6Address", "GlobalIPv6PrefixLen", "IPAddress", "IPPrefixLen", "IPv6Gateway", "MacAddress",
            "Networks"})
    public record NetworkSettings(
            @JsonProperty("Bridge") String bridge,
            @JsonProperty("SandboxID") String sandboxId,
            @JsonProperty("HairpinMode") boolean hairpinMode,
            @JsonProperty("LinkLocalIPv6Address") String linkLocalIpv6Address,
            @JsonProperty("LinkLocalIPv6PrefixLen") int linkLocalIpv6PrefixLen,
            @JsonProperty("Ports") Map<String, Object> ports,
            @JsonProperty("SandboxKey") String sandboxKey,
            @JsonProperty("SecondaryIPAddresses") List<String> secondaryIpAddresses,
            @JsonProperty("SecondaryIPv6Addresses") List<String> secondaryIpv6Addresses,
            @JsonProperty("EndpointID") String endpointId,
            @JsonProperty("Gateway") String gateway,
            @JsonProperty("GlobalIPv6Address") String globalIpv6Address,
            @JsonProperty("GlobalIPv6PrefixLen") int globalIpv6PrefixLen,
            @JsonProperty("IPAddress") String ipAddress,
            @JsonProperty("IPPrefixLen") int ipPrefixLen,
            @JsonProperty("IPv6Gateway") String ipv6Gateway,
            @JsonProperty("MacAddress") String macAddress,
            @JsonProperty("Networks") Map<String, EndpointSettings> networks) {
    }
}
