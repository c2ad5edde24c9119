package dev.berth.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a container runs and how, beyond its network (which is its {@link Sandbox}'s): the image
 * it came from and the process settings, image defaults already merged with the request
 * ({@code docker run} flags). Stored with the sandbox's {@link SandboxCommand}; a sandbox without
 * one runs a host binary ({@code berth run}) or nothing.
 *
 * @param image          the image as the user named it ({@code busybox}, {@code 127.0.0.1:5000/busybox:1})
 * @param imageId        the image's id, {@code sha256:<hex>} of its config
 * @param entrypoint     effective entrypoint (the request's, else the image's); may be empty
 * @param cmd            effective command (the request's, else the image's unless the request set an entrypoint)
 * @param env            {@code KEY=VALUE}: the request's, then the image's whose key the request does not set (moby's order)
 * @param workingDir     absolute, {@code ""} for {@code /}
 * @param user           {@code ""}, {@code name}, {@code uid}, {@code uid:gid} or {@code name:group}
 * @param tty            a pseudo-terminal for the process
 * @param openStdin      stdin stays open for attach
 * @param stdinOnce      stdin closes after the first attach ends
 * @param mounts         bind mounts and tmpfs, in request order
 * @param readOnlyRootfs the root filesystem is mounted read-only
 * @param resources      memory, CPU and PID limits
 * @param capAdd         capabilities added to Docker's default set ({@code NET_ADMIN} or {@code CAP_NET_ADMIN}, or {@code ALL})
 * @param capDrop        capabilities dropped from it
 * @param privileged     all capabilities, no masked or read-only paths, all devices
 * @param restart        the restart policy
 * @param stopSignal     the signal {@code stop} sends first ({@code SIGTERM} unless the image or request says)
 * @param stopTimeout    seconds {@code stop} waits before SIGKILL; {@code null}: Docker's 10
 * @param labels         image labels merged with the request's
 * @param log            log rotation of the json-file/k8s-file log
 * @param shown          what inspect shows as the request gave it and the process does not need
 */
public record ContainerConfig(String image, String imageId, List<String> entrypoint, List<String> cmd,
                              List<String> env, String workingDir, String user, boolean tty, boolean openStdin,
                              boolean stdinOnce, List<Mount> mounts, boolean readOnlyRootfs, Resources resources,
                              List<String> capAdd, List<String> capDrop, boolean privileged, RestartPolicy restart,
                              String stopSignal, Integer stopTimeout, Map<String, String> labels, LogOptions log,
                              Shown shown) {
    public ContainerConfig {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imageId, "imageId");
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
        mounts = List.copyOf(mounts);
        resources = resources == null ? Resources.NONE : resources;
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        restart = restart == null ? RestartPolicy.NO : restart;
        stopSignal = stopSignal == null || stopSignal.isEmpty() ? "SIGTERM" : stopSignal;
        labels = Map.copyOf(labels);
        log = log == null ? LogOptions.DEFAULT : log;
        shown = shown == null ? Shown.NONE : shown;
    }

    /** Without what only inspect shows. */
    public ContainerConfig(String image, String imageId, List<String> entrypoint, List<String> cmd,
                           List<String> env, String workingDir, String user, boolean tty, boolean openStdin,
                           boolean stdinOnce, List<Mount> mounts, boolean readOnlyRootfs, Resources resources,
                           List<String> capAdd, List<String> capDrop, boolean privileged, RestartPolicy restart,
                           String stopSignal, Integer stopTimeout, Map<String, String> labels, LogOptions log) {
        this(image, imageId, entrypoint, cmd, env, workingDir, user, tty, openStdin, stdinOnce, mounts, readOnlyRootfs,
                resources, capAdd, capDrop, privileged, restart, stopSignal, stopTimeout, labels, log, Shown.NONE);
    }

    /** The same container with another restart policy. */
    public ContainerConfig withRestart(RestartPolicy policy) {
        return new ContainerConfig(image, imageId, entrypoint, cmd, env, workingDir, user, tty, openStdin, stdinOnce,
                mounts, readOnlyRootfs, resources, capAdd, capDrop, privileged, policy, stopSignal, stopTimeout, labels,
                log, shown);
    }

    /**
     * The parts of a create request that inspect shows back but the process does not need. The
     * container's {@link ContainerConfig#mounts()} list the {@code binds} first, then the
     * {@code HostConfig.Mounts} entries, then the {@code tmpfs} ones.
     *
     * @param domainname   {@code Config.Domainname}
     * @param exposedPorts {@code Config.ExposedPorts} keys ({@code 80/tcp}), the image's merged with the request's
     * @param attachStdin  {@code Config.AttachStdin}
     * @param attachStdout {@code Config.AttachStdout}
     * @param attachStderr {@code Config.AttachStderr}
     * @param consoleSize  {@code HostConfig.ConsoleSize}: rows and columns, {@code [0, 0]} when unset
     * @param binds        {@code HostConfig.Binds} as given
     * @param tmpfs        {@code HostConfig.Tmpfs} as given (target to options)
     * @param logType      {@code HostConfig.LogConfig.Type} ({@code json-file} unless given)
     * @param logConfig    {@code HostConfig.LogConfig.Config} as given
     */
    public record Shown(String domainname, List<String> exposedPorts, boolean attachStdin, boolean attachStdout,
                        boolean attachStderr, List<Integer> consoleSize, List<String> binds, Map<String, String> tmpfs,
                        String logType, Map<String, String> logConfig) {
        public static final Shown NONE = new Shown("", List.of(), false, false, false, List.of(0, 0), List.of(),
                Map.of(), "json-file", Map.of());

        public Shown {
            domainname = domainname == null ? "" : domainname;
            exposedPorts = List.copyOf(exposedPorts);
            consoleSize = consoleSize == null || consoleSize.size() != 2 ? List.of(0, 0) : List.copyOf(consoleSize);
            binds = List.copyOf(binds);
            tmpfs = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tmpfs));
            logType = logType == null || logType.isEmpty() ? "json-file" : logType;
            logConfig = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(logConfig));
        }
    }

    /** The process's argv: entrypoint then cmd. Empty means the container has nothing to run (create refuses it). */
    public List<String> argv() {
        return java.util.stream.Stream.concat(entrypoint.stream(), cmd.stream()).toList();
    }

    /**
     * A mount into the container.
     *
     * @param type     {@code bind} or {@code tmpfs}
     * @param source   host path for {@code bind}; {@code ""} for {@code tmpfs}
     * @param target   absolute path in the container
     * @param readOnly mounted read-only
     * @param options  further mount options ({@code size=64m}, {@code mode=1777}, {@code rprivate}, ...)
     */
    public record Mount(String type, String source, String target, boolean readOnly, List<String> options) {
        public static final String BIND = "bind";
        public static final String TMPFS = "tmpfs";

        public Mount {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(target, "target");
            source = source == null ? "" : source;
            options = List.copyOf(options);
        }
    }

    /**
     * Limits; 0 means none.
     *
     * @param memoryBytes {@code --memory}
     * @param nanoCpus    {@code --cpus} × 10⁹
     * @param pidsLimit   {@code --pids-limit}; 0 or negative: none
     * @param cpuQuota    {@code --cpu-quota}, microseconds per period (CFS); 0: none
     * @param cpuPeriod   {@code --cpu-period}, microseconds; 0: the kernel's (100 ms)
     */
    public record Resources(long memoryBytes, long nanoCpus, long pidsLimit, long cpuQuota, long cpuPeriod) {
        public static final Resources NONE = new Resources(0, 0, 0);

        /** Without CFS quota and period. */
        public Resources(long memoryBytes, long nanoCpus, long pidsLimit) {
            this(memoryBytes, nanoCpus, pidsLimit, 0, 0);
        }
    }

    /**
     * {@code --restart}.
     *
     * @param name              {@code no}, {@code on-failure}, {@code always} or {@code unless-stopped}
     * @param maximumRetryCount for {@code on-failure}; 0: unlimited
     */
    public record RestartPolicy(String name, int maximumRetryCount) {
        public static final RestartPolicy NO = new RestartPolicy("no", 0);

        public RestartPolicy {
            name = name == null || name.isEmpty() ? "no" : name;
        }
    }

    /**
     * {@code --log-opt max-size=..., max-file=...}.
     *
     * @param maxSizeBytes rotate once the log is this big; 0: never
     * @param maxFiles     files kept, the current one included (at least 1)
     */
    public record LogOptions(long maxSizeBytes, int maxFiles) {
        public static final LogOptions DEFAULT = new LogOptions(0, 1);
    }
}
