package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /info} (moby {@code system.Info}), the subset a network daemon can answer truthfully,
 * in moby's field order. Container and image counts are those of the daemon; storage, runtime and
 * registry fields carry neutral values so {@code docker info} prints sane output.
 */
@JsonPropertyOrder({"ID", "Containers", "ContainersRunning", "ContainersPaused", "ContainersStopped", "Images",
        "Driver", "DriverStatus", "Plugins", "MemoryLimit", "SwapLimit", "CpuCfsPeriod", "CpuCfsQuota", "CPUShares",
        "CPUSet", "PidsLimit", "IPv4Forwarding", "Debug", "NFd", "OomKillDisable", "NGoroutines", "SystemTime",
        "LoggingDriver", "CgroupDriver", "CgroupVersion", "NEventsListener", "KernelVersion", "OperatingSystem",
        "OSVersion", "OSType", "Architecture", "IndexServerAddress", "NCPU", "MemTotal", "DockerRootDir",
        "HttpProxy", "HttpsProxy", "NoProxy", "Name", "Labels", "ExperimentalBuild", "ServerVersion", "Runtimes",
        "DefaultRuntime", "Swarm", "LiveRestoreEnabled", "Isolation", "InitBinary", "ContainerdCommit",
        "RuncCommit", "InitCommit", "SecurityOptions", "Warnings"})
public record InfoResponse(
        @JsonProperty("ID") String id,
        @JsonProperty("Containers") int containers,
        @JsonProperty("ContainersRunning") int containersRunning,
        @JsonProperty("ContainersPaused") int containersPaused,
        @JsonProperty("ContainersStopped") int containersStopped,
        @JsonProperty("Images") int images,
        @JsonProperty("Driver") String driver,
        @JsonProperty("DriverStatus") List<List<String>> driverStatus,
        @JsonProperty("Plugins") Plugins plugins,
        @JsonProperty("MemoryLimit") boolean memoryLimit,
        @JsonProperty("SwapLimit") boolean swapLimit,
        @JsonProperty("CpuCfsPeriod") boolean cpuCfsPeriod,
        @JsonProperty("CpuCfsQuota") boolean cpuCfsQuota,
        @JsonProperty("CPUShares") boolean cpuShares,
        @JsonProperty("CPUSet") boolean cpuSet,
        @JsonProperty("PidsLimit") boolean pidsLimit,
        @JsonProperty("IPv4Forwarding") boolean ipv4Forwarding,
        @JsonProperty("Debug") boolean debug,
        @JsonProperty("NFd") int fileDescriptors,
        @JsonProperty("OomKillDisable") boolean oomKillDisable,
        @JsonProperty("NGoroutines") int goroutines,
        @JsonProperty("SystemTime") String systemTime,
        @JsonProperty("LoggingDriver") String loggingDriver,
        @JsonProperty("CgroupDriver") String cgroupDriver,
        @JsonProperty("CgroupVersion") String cgroupVersion,
        @JsonProperty("NEventsListener") int eventsListeners,
        @JsonProperty("KernelVersion") String kernelVersion,
        @JsonProperty("OperatingSystem") String operatingSystem,
        @JsonProperty("OSVersion") String osVersion,
        @JsonProperty("OSType") String osType,
        @JsonProperty("Architecture") String architecture,
        @JsonProperty("IndexServerAddress") String indexServerAddress,
        @JsonProperty("NCPU") int cpus,
        @JsonProperty("MemTotal") long memTotal,
        @JsonProperty("DockerRootDir") String dockerRootDir,
        @JsonProperty("HttpProxy") String httpProxy,
        @JsonProperty("HttpsProxy") String httpsProxy,
        @JsonProperty("NoProxy") String noProxy,
        @JsonProperty("Name") String name,
        @JsonProperty("Labels") List<String> labels,
        @JsonProperty("ExperimentalBuild") boolean experimentalBuild,
        @JsonProperty("ServerVersion") String serverVersion,
        @JsonProperty("Runtimes") Map<String, Object> runtimes,
        @JsonProperty("DefaultRuntime") String defaultRuntime,
        @JsonProperty("Swarm") Swarm swarm,
        @JsonProperty("LiveRestoreEnabled") boolean liveRestoreEnabled,
        @JsonProperty("Isolation") String isolation,
        @JsonProperty("InitBinary") String initBinary,
        @JsonProperty("ContainerdCommit") Commit containerdCommit,
        @JsonProperty("RuncCommit") Commit runcCommit,
        @JsonProperty("InitCommit") Commit initCommit,
        @JsonProperty("SecurityOptions") List<String> securityOptions,
        @JsonProperty("Warnings") List<String> warnings) {

    /** {@code Plugins}: names per plugin kind; the CLI prints {@code Network} under "Plugins". */
    @JsonPropertyOrder({"Volume", "Network", "Authorization", "Log"})
    public record Plugins(
            @JsonProperty("Volume") List<String> volume,
            @JsonProperty("Network") List<String> network,
            @JsonProperty("Authorization") List<String> authorization,
            @JsonProperty("Log") List<String> log) {
    }

    /**
     * {@code Swarm}: {@code LocalNodeState} must be {@code inactive} (or {@code locked}), or the CLI
     * prints the swarm node block.
     */
    @JsonPropertyOrder({"NodeID", "NodeAddr", "LocalNodeState", "ControlAvailable", "Error", "RemoteManagers"})
    public record Swarm(
            @JsonProperty("NodeID") String nodeId,
            @JsonProperty("NodeAddr") String nodeAddr,
            @JsonProperty("LocalNodeState") String localNodeState,
            @JsonProperty("ControlAvailable") boolean controlAvailable,
            @JsonProperty("Error") String error,
            @JsonProperty("RemoteManagers") List<Object> remoteManagers) {

        public static Swarm inactive() {
            return new Swarm("", "", "inactive", false, "", null);
        }
    }

    /** A commit id of a bundled component (containerd, runc, init). */
    public record Commit(@JsonProperty("ID") String id) {
    }
}
