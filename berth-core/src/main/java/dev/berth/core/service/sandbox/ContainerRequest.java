package dev.berth.core.service.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process part of {@code POST /containers/create} as the client sent it, unchecked: what
 * {@link ContainerPlanner} checks and merges with the image's defaults into a
 * {@link dev.berth.core.model.ContainerConfig}. {@code null} means "not given" where moby tells
 * that apart from empty ({@code cmd}, {@code entrypoint}, {@code pidsLimit}, {@code stopTimeout}).
 *
 * @param image        {@code Image}: a reference; {@code ""} for an image-less sandbox
 * @param cmd          {@code Cmd}; {@code null} when not given
 * @param entrypoint   {@code Entrypoint}; {@code null} when not given, {@code []} or {@code [""]} resets the image's
 * @param env          {@code Env}, {@code KEY=VALUE} (a bare {@code KEY} as given)
 * @param workingDir   {@code WorkingDir}
 * @param user         {@code User}
 * @param domainname   {@code Domainname}
 * @param tty          {@code Tty}
 * @param openStdin    {@code OpenStdin}
 * @param stdinOnce    {@code StdinOnce}
 * @param attachStdin  {@code AttachStdin}
 * @param attachStdout {@code AttachStdout}
 * @param attachStderr {@code AttachStderr}
 * @param labels       {@code Labels}
 * @param stopSignal   {@code StopSignal}
 * @param stopTimeout  {@code StopTimeout}, seconds; {@code null} when not given
 * @param exposedPorts {@code ExposedPorts} keys
 * @param host         the {@code HostConfig} part
 */
public record ContainerRequest(String image, List<String> cmd, List<String> entrypoint, List<String> env,
                               String workingDir, String user, String domainname, boolean tty, boolean openStdin,
                               boolean stdinOnce, boolean attachStdin, boolean attachStdout, boolean attachStderr,
                               Map<String, String> labels, String stopSignal, Integer stopTimeout,
                               List<String> exposedPorts, Host host) {
    public ContainerRequest {
        image = image == null ? "" : image;
        cmd = cmd == null ? null : List.copyOf(cmd);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        env = env == null ? List.of() : List.copyOf(env);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
        domainname = domainname == null ? "" : domainname;
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        stopSignal = stopSignal == null ? "" : stopSignal;
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
        host = host == null ? Host.NONE : host;
    }

    /** A request for {@code image} running {@code cmd} (null: the image's), everything else default. */
    public static ContainerRequest of(String image, List<String> cmd) {
        return new ContainerRequest(image, cmd, null, List.of(), "", "", "", false, false, false, false, false, false,
                Map.of(), "", null, List.of(), Host.NONE);
    }

    /** Whether the request names an image (a container) rather than none (an image-less sandbox). */
    public boolean hasImage() {
        return !image.isEmpty();
    }

    /** The same request with another {@code HostConfig}. */
    public ContainerRequest with(Host other) {
        return new ContainerRequest(image, cmd, entrypoint, env, workingDir, user, domainname, tty, openStdin,
                stdinOnce, attachStdin, attachStdout, attachStderr, labels, stopSignal, stopTimeout, exposedPorts, other);
    }

    /**
     * The process part of {@code HostConfig}.
     *
     * @param binds          {@code Binds}: {@code /host:/target[:opts]}
     * @param tmpfs          {@code Tmpfs}: target to options
     * @param mounts         {@code Mounts} of type {@code bind} or {@code tmpfs}
     * @param readOnlyRootfs {@code ReadonlyRootfs}
     * @param memory         {@code Memory}, bytes
     * @param nanoCpus       {@code NanoCpus}
     * @param cpuQuota       {@code CpuQuota}
     * @param cpuPeriod      {@code CpuPeriod}
     * @param pidsLimit      {@code PidsLimit}; {@code null} when not given
     * @param capAdd         {@code CapAdd}
     * @param capDrop        {@code CapDrop}
     * @param privileged     {@code Privileged}
     * @param restartName    {@code RestartPolicy.Name}
     * @param restartMax     {@code RestartPolicy.MaximumRetryCount}
     * @param autoRemove     {@code AutoRemove}
     * @param logType        {@code LogConfig.Type}
     * @param logConfig      {@code LogConfig.Config}
     * @param consoleSize    {@code ConsoleSize}: rows, columns
     */
    public record Host(List<String> binds, Map<String, String> tmpfs, List<MountRequest> mounts, boolean readOnlyRootfs,
                       long memory, long nanoCpus, long cpuQuota, long cpuPeriod, Long pidsLimit, List<String> capAdd,
                       List<String> capDrop, boolean privileged, String restartName, int restartMax, boolean autoRemove,
                       String logType, Map<String, String> logConfig, List<Integer> consoleSize) {
        public static final Host NONE = new Host(List.of(), Map.of(), List.of(), false, 0, 0, 0, 0, null, List.of(),
                List.of(), false, "", 0, false, "", Map.of(), List.of(0, 0));

        public Host {
            binds = binds == null ? List.of() : List.copyOf(binds);
            tmpfs = tmpfs == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tmpfs));
            mounts = mounts == null ? List.of() : List.copyOf(mounts);
            capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
            capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
            restartName = restartName == null ? "" : restartName;
            logType = logType == null ? "" : logType;
            logConfig = logConfig == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(logConfig));
            consoleSize = consoleSize == null || consoleSize.size() != 2 ? List.of(0, 0) : List.copyOf(consoleSize);
        }

        /** Only {@code AutoRemove} and a restart policy. */
        public static Host restart(String name, int max, boolean autoRemove) {
            return new Host(List.of(), Map.of(), List.of(), false, 0, 0, 0, 0, null, List.of(), List.of(), false,
                    name, max, autoRemove, "", Map.of(), List.of(0, 0));
        }
    }

    /**
     * One {@code HostConfig.Mounts} entry.
     *
     * @param type          {@code bind}, {@code tmpfs} (others are refused)
     * @param source        host path for {@code bind}
     * @param target        path in the container
     * @param readOnly      {@code ReadOnly}
     * @param propagation   {@code BindOptions.Propagation}, {@code ""} when unset
     * @param tmpfsSize     {@code TmpfsOptions.SizeBytes}, 0 when unset
     * @param tmpfsMode     {@code TmpfsOptions.Mode}, 0 when unset
     */
    public record MountRequest(String type, String source, String target, boolean readOnly, String propagation,
                               long tmpfsSize, int tmpfsMode) {
        public MountRequest {
            type = type == null ? "" : type;
            source = source == null ? "" : source;
            target = target == null ? "" : target;
            propagation = propagation == null ? "" : propagation;
        }
    }
}
