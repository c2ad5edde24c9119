package dev.berth.core.service.sandbox;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.ContainerConfig;
import dev.berth.core.spi.ImageStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a create request and its image into the container's {@link ContainerConfig}, as dockerd
 * does: every value checked first (400 with moby's words), then the image's defaults merged in
 * (moby's {@code daemon/commit.go merge}): {@code User}, {@code WorkingDir} and {@code StopSignal}
 * when the request has none; {@code Env} by key (the request's first, then the image's keys it
 * does not set); labels and exposed ports the request lacks; {@code Entrypoint}/{@code Cmd}: an
 * entrypoint given by the request drops the image's {@code Cmd}, an entrypoint reset to empty
 * ({@code --entrypoint ""}) drops the image's entrypoint, a {@code Cmd} given replaces the image's.
 * Pure: nothing is looked up or touched here.
 */
public final class ContainerPlanner {
    private static final long MIN_MEMORY = 6L * 1024 * 1024;
    private static final Set<String> POLICIES = Set.of("no", "always", "on-failure", "unless-stopped");
    private static final Set<String> BIND_MODES = Set.of("ro", "rw", "z", "Z", "shared", "rshared", "slave", "rslave",
            "private", "rprivate", "nocopy", "consistent", "cached", "delegated");
    private static final Set<String> PROPAGATIONS = Set.of("shared", "rshared", "slave", "rslave", "private",
            "rprivate");
    private static final Set<String> LOG_DRIVERS = Set.of("json-file", "k8s-file");
    private static final Set<String> CAPABILITIES = Set.of("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER",
            "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST",
            "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE",
            "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
            "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
            "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE");
    /** go-units' {@code FromHumanSize}: decimal multiples. */
    private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$");

    private final int cpus;

    /** @param cpus the host's CPUs, the upper bound of {@code NanoCpus} */
    public ContainerPlanner(int cpus) {
        this.cpus = cpus;
    }

    /**
     * Checks the request's settings that do not depend on the image; called before the image is
     * looked up, so a bad value is a 400 even when the image is missing (moby checks the host
     * config first too).
     */
    public void check(ContainerRequest request) {
        ContainerRequest.Host h = request.host();
        String restart = h.restartName();
        if (restart.isEmpty() || restart.equals("no")) {
            if (h.restartMax() != 0) {
                throw new InvalidParameterException("invalid restart policy: maximum retry count can only be used"
                        + " with 'on-failure'" + (h.restartMax() < 0 ? " and cannot be negative" : ""));
            }
        }
        if (h.autoRemove() && !restart.isEmpty() && !restart.equals("no")) {
            throw new InvalidParameterException("can't create 'AutoRemove' container with restart policy");
        }
        if (!restart.isEmpty() && !POLICIES.contains(restart)) {
            throw new InvalidParameterException("invalid restart policy: unknown policy '" + restart
                    + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
        if ((restart.equals("always") || restart.equals("unless-stopped")) && h.restartMax() != 0) {
            throw new InvalidParameterException("invalid restart policy: maximum retry count can only be used with"
                    + " 'on-failure'" + (h.restartMax() < 0 ? " and cannot be negative" : ""));
        }
        if (restart.equals("on-failure") && h.restartMax() < 0) {
            throw new InvalidParameterException("invalid restart policy: maximum retry count cannot be negative");
        }
        checkResources(h);
        for (String cap : h.capAdd()) {
            checkCapability(cap);
        }
        for (String cap : h.capDrop()) {
            checkCapability(cap);
        }
        if (!request.stopSignal().isEmpty()) {
            Signals.parse(request.stopSignal());
        }
        if (!request.workingDir().isEmpty()) {
            checkWorkingDir(request.workingDir());
        }
        mounts(h);
        log(h);
    }

    private void checkResources(ContainerRequest.Host h) {
        if (h.memory() != 0 && h.memory() < MIN_MEMORY) {
            throw new InvalidParameterException("Minimum memory limit allowed is 6MB");
        }
        if (h.nanoCpus() > 0 && h.cpuPeriod() > 0) {
            throw new InvalidParameterException("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (h.nanoCpus() > 0 && h.cpuQuota() > 0) {
            throw new InvalidParameterException("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        if (h.nanoCpus() < 0 || h.nanoCpus() > cpus * 1_000_000_000L) {
            throw new InvalidParameterException("Range of CPUs is from 0.01 to " + cpus + ".00, as there are only "
                    + cpus + " CPUs available");
        }
        if (h.cpuPeriod() != 0 && (h.cpuPeriod() < 1000 || h.cpuPeriod() > 1_000_000)) {
            throw new InvalidParameterException("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s"
                    + " (i.e. 1000000)");
        }
        if (h.cpuQuota() > 0 && h.cpuQuota() < 1000) {
            throw new InvalidParameterException("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
    }

    private static void checkCapability(String cap) {
        String name = cap.toUpperCase(Locale.ROOT);
        if (name.equals("ALL")) {
            return;
        }
        String bare = name.startsWith("CAP_") ? name.substring(4) : name;
        if (!CAPABILITIES.contains(bare)) {
            throw new InvalidParameterException("unknown capability: \"CAP_" + bare + "\"");
        }
    }

    private static void checkWorkingDir(String dir) {
        if (!dir.startsWith("/")) {
            throw new InvalidParameterException("the working directory '" + dir
                    + "' is invalid, it needs to be an absolute path");
        }
    }

    /** A reference as moby prints it in {@code No such image}: {@code busybox:latest}, docker.io's prefix dropped. */
    public static String familiar(String reference) {
        String r = reference;
        for (String prefix : List.of("docker.io/library/", "index.docker.io/library/", "docker.io/",
                "index.docker.io/")) {
            if (r.startsWith(prefix)) {
                r = r.substring(prefix.length());
                break;
            }
        }
        if (r.startsWith("sha256:") || r.matches("[0-9a-f]{12,64}")) {
            return r;
        }
        int slash = r.lastIndexOf('/');
        boolean tagged = r.indexOf(':', slash + 1) >= 0 || r.contains("@");
        return tagged ? r : r + ":latest";
    }

    /**
     * The configuration of a container of {@code image} made by {@code request} (checked by
     * {@link #check} first). 400 {@code No command specified} when neither has a command.
     */
    public ContainerConfig plan(ContainerRequest request, ImageStore.Image image) {
        check(request);
        List<String> entrypoint;
        List<String> cmd;
        List<String> given = request.entrypoint();
        boolean reset = given != null && (given.isEmpty() || given.equals(List.of("")));
        if (given == null || reset) {
            entrypoint = reset ? List.of() : image.entrypoint();
            cmd = request.cmd() == null || request.cmd().isEmpty() ? image.cmd() : request.cmd();
        } else {
            entrypoint = given;
            cmd = request.cmd() == null ? List.of() : request.cmd();
        }
        if (entrypoint.isEmpty() && cmd.isEmpty()) {
            throw new InvalidParameterException("No command specified");
        }
        List<String> env = mergeEnv(request.env(), image.env());
        Map<String, String> labels = new LinkedHashMap<>(image.labels());
        labels.putAll(request.labels());
        Set<String> exposed = new LinkedHashSet<>(request.exposedPorts());
        exposed.addAll(image.exposedPorts());
        String workingDir = request.workingDir().isEmpty() ? image.workingDir() : request.workingDir();
        String user = request.user().isEmpty() ? image.user() : request.user();
        String stopSignal = request.stopSignal().isEmpty() ? image.stopSignal() : request.stopSignal();
        if (!stopSignal.isEmpty()) {
            Signals.parse(stopSignal);
        }
        ContainerRequest.Host h = request.host();
        ContainerConfig.Resources resources = new ContainerConfig.Resources(h.memory(), h.nanoCpus(),
                h.pidsLimit() == null || h.pidsLimit() < 0 ? 0 : h.pidsLimit(), h.cpuQuota(), h.cpuPeriod());
        String policy = h.restartName().isEmpty() ? "no" : h.restartName();
        ContainerConfig.Shown shown = new ContainerConfig.Shown(request.domainname(), List.copyOf(exposed),
                request.attachStdin(), request.attachStdout(), request.attachStderr(), h.consoleSize(), h.binds(),
                h.tmpfs(), h.logType(), h.logConfig());
        return new ContainerConfig(request.image(), image.id(), entrypoint, cmd, env, workingDir, user, request.tty(),
                request.openStdin(), request.stdinOnce(), mounts(h), h.readOnlyRootfs(), resources, h.capAdd(),
                h.capDrop(), h.privileged(), new ContainerConfig.RestartPolicy(policy, h.restartMax()),
                stopSignal.isEmpty() ? "SIGTERM" : stopSignal, request.stopTimeout(), labels, log(h), shown);
    }

    /** The request's entries first, then the image's whose key the request does not set. */
    static List<String> mergeEnv(List<String> requested, List<String> image) {
        if (requested.isEmpty()) {
            return image;
        }
        List<String> out = new ArrayList<>(requested);
        Set<String> keys = new HashSet<>();
        requested.forEach(e -> keys.add(key(e)));
        for (String e : image) {
            if (!keys.contains(key(e))) {
                out.add(e);
            }
        }
        return out;
    }

    private static String key(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(0, eq);
    }

    /** Binds, then {@code Mounts}, then tmpfs; each target once. */
    private static List<ContainerConfig.Mount> mounts(ContainerRequest.Host h) {
        List<ContainerConfig.Mount> out = new ArrayList<>();
        for (String bind : h.binds()) {
            out.add(bind(bind));
        }
        for (ContainerRequest.MountRequest m : h.mounts()) {
            out.add(mount(m));
        }
        h.tmpfs().forEach((target, options) -> out.add(tmpfs(target, options)));
        Set<String> targets = new HashSet<>();
        for (ContainerConfig.Mount m : out) {
            String target = clean(m.target());
            if (!targets.add(target)) {
                throw new InvalidParameterException("Duplicate mount point: " + target);
            }
        }
        return out;
    }

    /** {@code /host:/target[:mode,...]}, as moby's Linux parser reads it; named and anonymous volumes are refused. */
    private static ContainerConfig.Mount bind(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length < 1 || parts.length > 3 || java.util.Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw new InvalidParameterException("invalid volume specification: '" + spec + "'");
        }
        if (parts.length == 1) {
            throw new InvalidParameterException("invalid volume specification: '" + spec
                    + "': Berth supports bind mounts (/host/path:/target) only, not volumes");
        }
        String source = parts[0];
        String target = parts[1];
        if (!source.startsWith("/")) {
            throw new InvalidParameterException("invalid volume specification: '" + spec
                    + "': Berth supports bind mounts (/host/path:/target) only, not named volumes");
        }
        if (!target.startsWith("/")) {
            throw new InvalidParameterException("invalid volume specification: '" + spec + "': invalid mount config"
                    + " for type \"bind\": invalid mount path: '" + target + "' mount path must be absolute");
        }
        if (clean(target).equals("/")) {
            throw new InvalidParameterException("invalid specification: destination can't be '/'");
        }
        boolean readOnly = false;
        List<String> options = new ArrayList<>();
        if (parts.length == 3) {
            int rw = 0;
            for (String mode : parts[2].split(",", -1)) {
                if (!BIND_MODES.contains(mode)) {
                    throw new InvalidParameterException("invalid mode: " + parts[2]);
                }
                if (mode.equals("ro") || mode.equals("rw")) {
                    rw++;
                    readOnly = mode.equals("ro");
                } else if (PROPAGATIONS.contains(mode)) {
                    options.add(mode);
                }
            }
            if (rw > 1 || options.size() > 1) {
                throw new InvalidParameterException("invalid mode: " + parts[2]);
            }
        }
        return new ContainerConfig.Mount(ContainerConfig.Mount.BIND, source, target, readOnly, options);
    }

    private static ContainerConfig.Mount mount(ContainerRequest.MountRequest m) {
        String type = m.type();
        String prefix = "invalid mount config for type \"" + type + "\": ";
        if (!type.equals(ContainerConfig.Mount.BIND) && !type.equals(ContainerConfig.Mount.TMPFS)) {
            if (type.equals("volume") || type.equals("npipe") || type.equals("cluster") || type.equals("image")) {
                throw new InvalidParameterException(prefix + "Berth supports the mount types bind and tmpfs only");
            }
            throw new InvalidParameterException(prefix + "mount type unknown");
        }
        if (m.target().isEmpty()) {
            throw new InvalidParameterException(prefix + "field Target must not be empty");
        }
        if (!m.target().startsWith("/")) {
            throw new InvalidParameterException(prefix + "invalid mount path: '" + m.target()
                    + "' mount path must be absolute");
        }
        if (type.equals(ContainerConfig.Mount.BIND)) {
            if (m.source().isEmpty()) {
                throw new InvalidParameterException(prefix + "field Source must not be empty");
            }
            if (!m.source().startsWith("/")) {
                throw new InvalidParameterException(prefix + "invalid mount path: '" + m.source()
                        + "' mount path must be absolute");
            }
            if (m.tmpfsSize() != 0 || m.tmpfsMode() != 0) {
                throw new InvalidParameterException(prefix + "field TmpfsOptions must not be specified");
            }
            if (!m.propagation().isEmpty() && !PROPAGATIONS.contains(m.propagation())) {
                throw new InvalidParameterException(prefix + "invalid propagation mode: " + m.propagation());
            }
            return new ContainerConfig.Mount(ContainerConfig.Mount.BIND, m.source(), m.target(), m.readOnly(),
                    m.propagation().isEmpty() ? List.of() : List.of(m.propagation()));
        }
        if (!m.source().isEmpty()) {
            throw new InvalidParameterException(prefix + "field Source must not be specified");
        }
        if (m.tmpfsSize() < 0) {
            throw new InvalidParameterException(prefix + "invalid tmpfs size: " + m.tmpfsSize());
        }
        List<String> options = new ArrayList<>();
        if (m.tmpfsSize() > 0) {
            options.add("size=" + m.tmpfsSize());
        }
        if (m.tmpfsMode() != 0) {
            options.add("mode=" + Integer.toOctalString(m.tmpfsMode()));
        }
        return new ContainerConfig.Mount(ContainerConfig.Mount.TMPFS, "", m.target(), m.readOnly(), options);
    }

    /** A {@code Tmpfs} entry: {@code target → "rw,size=64m,mode=1777"}. */
    private static ContainerConfig.Mount tmpfs(String target, String options) {
        if (!target.startsWith("/")) {
            throw new InvalidParameterException("invalid mount config for type \"tmpfs\": invalid mount path: '"
                    + target + "' mount path must be absolute");
        }
        boolean readOnly = false;
        List<String> out = new ArrayList<>();
        for (String o : options == null ? new String[0] : options.split(",")) {
            String option = o.strip();
            if (option.isEmpty() || option.equals("rw")) {
                continue;
            }
            if (option.equals("ro")) {
                readOnly = true;
            } else {
                out.add(option);
            }
        }
        return new ContainerConfig.Mount(ContainerConfig.Mount.TMPFS, "", target, readOnly, out);
    }

    /** {@code /a/b/} and {@code /a//b} name {@code /a/b}. */
    private static String clean(String path) {
        String p = path.replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** {@code LogConfig}: json-file or k8s-file with {@code max-size}/{@code max-file}, with moby's checks. */
    private static ContainerConfig.LogOptions log(ContainerRequest.Host h) {
        String type = h.logType().isEmpty() ? "json-file" : h.logType();
        if (!LOG_DRIVERS.contains(type)) {
            throw new InvalidParameterException("logger: no log driver named '" + type + "' is registered");
        }
        long maxSize = 0;
        int maxFiles = 1;
        for (Map.Entry<String, String> option : h.logConfig().entrySet()) {
            switch (option.getKey()) {
                case "max-size" -> {
                    maxSize = size(option.getValue());
                    if (maxSize <= 0) {
                        throw new InvalidParameterException("max-size must be a positive number");
                    }
                }
                case "max-file" -> {
                    try {
                        maxFiles = Integer.parseInt(option.getValue());
                    } catch (NumberFormatException e) {
                        throw new InvalidParameterException("strconv.Atoi: parsing \"" + option.getValue()
                                + "\": invalid syntax");
                    }
                    if (maxFiles < 1) {
                        throw new InvalidParameterException("max-file cannot be less than 1");
                    }
                }
                default -> throw new InvalidParameterException("unknown log opt '" + option.getKey() + "' for "
                        + type + " log driver");
            }
        }
        return new ContainerConfig.LogOptions(maxSize, maxFiles);
    }

    /** go-units' {@code FromHumanSize}: {@code 10m} is 10,000,000 bytes; 400 {@code invalid size: 'x'}. */
    static long size(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new InvalidParameterException("invalid size: '" + text + "'");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit) {
            case "k" -> 1_000L;
            case "m" -> 1_000_000L;
            case "g" -> 1_000_000_000L;
            case "t" -> 1_000_000_000_000L;
            case "p" -> 1_000_000_000_000_000L;
            default -> 1L;
        };
        return (long) (value * factor);
    }
}
