package dev.berth.daemon.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.ContainerConfig;
import dev.berth.core.spi.ProcessLauncher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A container's OCI runtime configuration ({@code config.json} of its bundle), as dockerd 28
 * makes it for a Linux container (moby {@code oci/defaults.go}, {@code daemon/oci_linux.go}):
 * Docker's default capabilities, mounts, masked and read-only paths, the sandbox's network
 * namespace by path, its {@code hosts}/{@code resolv.conf}/{@code hostname} bind-mounted, the
 * user's bind and tmpfs mounts, and the resource limits. Seccomp: a deny list of Berth's own
 * (see {@link #seccomp}), not Docker's allow list.
 */
final class OciSpec {
    static final ObjectMapper JSON = new ObjectMapper();

    /** moby {@code oci/caps/defaults.go}: the 14 capabilities a container has by default. */
    static final List<String> DEFAULT_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    /** Every capability Linux 6.1 knows, in number order (what {@code --privileged} and {@code ALL} give). */
    static final List<String> ALL_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
            "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
            "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    /**
     * What {@code --privileged} and {@code ALL} give: every capability the daemon's own bounding
     * set holds (moby's {@code GetAllCapabilities} does the same: a capability the daemon lacks
     * cannot be given, and runc would fail with "unable to apply caps").
     */
    static final List<String> AVAILABLE_CAPS = available(ALL_CAPS, boundingSet());

    static List<String> available(List<String> all, long bounding) {
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < all.size(); bit++) {
            if ((bounding & (1L << bit)) != 0) {
                out.add(all.get(bit));
            }
        }
        return List.copyOf(out);
    }

    /** {@code CapBnd} of {@code /proc/self/status}; every capability when unreadable. */
    private static long boundingSet() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapBnd:")) {
                    return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1L;
        }
        return -1L;
    }

    /** moby {@code oci/defaults.go}: hidden from an unprivileged container. */
    static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/interrupts",
            "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
            "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");

    /** moby {@code oci/defaults.go}: read-only in an unprivileged container. */
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final long CPU_PERIOD = 100_000;

    /**
     * Syscalls Docker's default profile refuses (EPERM) unless the container has the capability
     * that unlocks them ({@code ""}: refused to every unprivileged container). Berth's own deny
     * list over an allow-all default: it stops what the capability set does not already stop
     * (kernel keyrings, module and kexec loading, namespaces and mounts without CAP_SYS_ADMIN,
     * ...). Syscalls the kernel or libseccomp here does not know are skipped by runc.
     */
    static final Map<String, List<String>> DENIED_SYSCALLS = Map.ofEntries(
            Map.entry("", List.of("add_key", "keyctl", "request_key", "create_module", "get_kernel_syms",
                    "query_module", "nfsservctl", "uselib", "userfaultfd", "ustat", "sysfs", "_sysctl", "vm86",
                    "vm86old", "kexec_file_load")),
            Map.entry("CAP_SYS_ADMIN", List.of("bpf", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick",
                    "lookup_dcookie", "mount", "mount_setattr", "move_mount", "open_tree", "perf_event_open",
                    "quotactl", "quotactl_fd", "setdomainname", "sethostname", "setns", "umount", "umount2",
                    "unshare", "pivot_root", "swapon", "swapoff")),
            Map.entry("CAP_SYS_BOOT", List.of("reboot", "kexec_load")),
            Map.entry("CAP_SYS_MODULE", List.of("init_module", "finit_module", "delete_module")),
            Map.entry("CAP_SYS_PTRACE", List.of("kcmp", "process_vm_readv", "process_vm_writev")),
            Map.entry("CAP_SYS_RAWIO", List.of("iopl", "ioperm")),
            Map.entry("CAP_SYS_TIME", List.of("settimeofday", "stime", "clock_settime", "clock_settime64",
                    "clock_adjtime", "clock_adjtime64")),
            Map.entry("CAP_SYS_PACCT", List.of("acct")),
            Map.entry("CAP_SYS_NICE", List.of("get_mempolicy", "mbind", "set_mempolicy")),
            Map.entry("CAP_SYSLOG", List.of("syslog")),
            Map.entry("CAP_DAC_READ_SEARCH", List.of("open_by_handle_at")));

    private OciSpec() {
    }

    /**
     * {@code config.json} for {@code launch} (a container: {@code container} and {@code rootfs}
     * set) whose sandbox files lie in {@code dir}.
     */
    static ObjectNode config(ProcessLauncher.Launch launch, Path dir) {
        ContainerConfig c = launch.container();
        Path rootfs = Path.of(launch.rootfs());
        if (!rootfs.isAbsolute()) {
            throw new InvalidParameterException("rootfs must be an absolute path: " + launch.rootfs());
        }
        ContainerUser user = ContainerUser.resolve(rootfs, c.user());
        List<String> caps = capabilities(c.capAdd(), c.capDrop(), c.privileged());

        ObjectNode spec = JSON.createObjectNode();
        spec.put("ociVersion", "1.0.2-dev");
        spec.set("process", process(launch.command(), environment(c.env(), launch.hostname(), c.tty(), user),
                c.workingDir(), user, c.tty(), caps));
        List<Integer> size = c.shown().consoleSize();
        if (c.tty() && size.get(0) > 0 && size.get(1) > 0) {
            // HostConfig.ConsoleSize [height, width] (docker run -it sends the terminal's): runc sizes the pty it makes
            ((ObjectNode) spec.get("process")).putObject("consoleSize").put("height", size.get(0)).put("width", size.get(1));
        }
        ObjectNode root = spec.putObject("root");
        root.put("path", rootfs.toString());
        root.put("readonly", c.readOnlyRootfs());
        spec.put("hostname", launch.hostname());
        spec.set("mounts", mounts(c, dir, launch.netnsPath().isEmpty()));

        ObjectNode linux = spec.putObject("linux");
        linux.put("cgroupsPath", "/berth/" + launch.id().value());
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String type : List.of("pid", "ipc", "uts", "mount")) {
            namespaces.addObject().put("type", type);
        }
        if (!launch.netnsPath().isEmpty()) {
            namespaces.addObject().put("type", "network").put("path", launch.netnsPath());
            // moby (20.10+): unprivileged ports and ping for every user of a container's own network
            ObjectNode sysctl = linux.putObject("sysctl");
            sysctl.put("net.ipv4.ip_unprivileged_port_start", "0");
            sysctl.put("net.ipv4.ping_group_range", "0 2147483647");
        }
        ObjectNode resources = linux.putObject("resources");
        ArrayNode devices = resources.putArray("devices");
        // runc appends its default device rules (null, zero, full, random, urandom, tty, pts, ptmx, tun) after these
        devices.addObject().put("allow", c.privileged()).put("access", "rwm");
        ContainerConfig.Resources limits = c.resources();
        if (limits.memoryBytes() > 0) {
            resources.putObject("memory").put("limit", limits.memoryBytes());
        }
        if (limits.nanoCpus() > 0) {
            resources.putObject("cpu").put("quota", limits.nanoCpus() * CPU_PERIOD / 1_000_000_000L)
                    .put("period", CPU_PERIOD);
        }
        if (limits.pidsLimit() > 0) {
            resources.putObject("pids").put("limit", limits.pidsLimit());
        }
        if (!c.privileged()) {
            strings(linux.putArray("maskedPaths"), MASKED_PATHS);
            strings(linux.putArray("readonlyPaths"), READONLY_PATHS);
            linux.set("seccomp", seccomp(caps));
        }
        return spec;
    }

    /** The {@code process} object: args, env, cwd, user, terminal, capabilities. */
    static ObjectNode process(List<String> args, List<String> env, String workingDir, ContainerUser user,
                              boolean tty, List<String> caps) {
        ObjectNode process = JSON.createObjectNode();
        process.put("terminal", tty);
        ObjectNode u = process.putObject("user");
        u.put("uid", user.uid());
        u.put("gid", user.gid());
        if (!user.additionalGids().isEmpty()) {
            ArrayNode gids = u.putArray("additionalGids");
            user.additionalGids().forEach(gids::add);
        }
        strings(process.putArray("args"), args);
        strings(process.putArray("env"), env);
        process.put("cwd", workingDir == null || workingDir.isEmpty() ? "/" : workingDir);
        ObjectNode capabilities = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            strings(capabilities.putArray(set), caps);
        }
        process.put("noNewPrivileges", false);
        return process;
    }

    /**
     * The process's environment as dockerd completes it: {@code PATH} (Docker's default) unless
     * set, {@code HOSTNAME}, {@code TERM=xterm} with a TTY unless set, {@code HOME} from
     * {@code passwd} unless set; then the container's, later keys overriding earlier ones.
     */
    static List<String> environment(List<String> env, String hostname, boolean tty, ContainerUser user) {
        java.util.LinkedHashMap<String, String> byKey = new java.util.LinkedHashMap<>();
        byKey.put("PATH", "PATH=" + DEFAULT_PATH);
        byKey.put("HOSTNAME", "HOSTNAME=" + hostname);
        if (tty) {
            byKey.put("TERM", "TERM=xterm");
        }
        for (String e : env) {
            int eq = e.indexOf('=');
            byKey.put(eq < 0 ? e : e.substring(0, eq), e);
        }
        byKey.putIfAbsent("HOME", "HOME=" + user.home());
        return List.copyOf(byKey.values());
    }

    /**
     * Docker's capability arithmetic (moby {@code oci/caps.TweakCapabilities}): privileged gets all;
     * {@code ALL} in add gives all but the dropped; {@code ALL} in drop gives only the added;
     * otherwise the defaults minus the dropped plus the added. Names may lack the {@code CAP_}
     * prefix and are case-insensitive; an unknown one is refused with moby's words.
     */
    static List<String> capabilities(List<String> capAdd, List<String> capDrop, boolean privileged) {
        if (privileged) {
            return AVAILABLE_CAPS;
        }
        List<String> add = normalize(capAdd);
        List<String> drop = normalize(capDrop);
        Set<String> caps = new LinkedHashSet<>();
        if (add.contains("ALL")) {
            AVAILABLE_CAPS.stream().filter(cap -> !drop.contains(cap)).forEach(caps::add);
        } else if (drop.contains("ALL")) {
            caps.addAll(add);
        } else {
            DEFAULT_CAPS.stream().filter(cap -> !drop.contains(cap)).forEach(caps::add);
            caps.addAll(add);
        }
        return List.copyOf(caps);
    }

    private static List<String> normalize(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            String upper = name.strip().toUpperCase(Locale.ROOT);
            if (upper.equals("ALL")) {
                out.add(upper);
                continue;
            }
            String cap = upper.startsWith("CAP_") ? upper : "CAP_" + upper;
            if (!ALL_CAPS.contains(cap)) {
                throw new InvalidParameterException("unknown capability: \"" + cap + "\"");
            }
            out.add(cap);
        }
        return out;
    }

    /**
     * moby's default mounts (proc, a tmpfs {@code /dev}, devpts, shm, mqueue, read-only sysfs and
     * cgroup; read-write when privileged), the sandbox's three files (read-only with a read-only
     * root, as moby), then the user's bind and tmpfs mounts in order. In the host's network
     * namespace sysfs is bound from the host's, since a new sysfs mount needs a network namespace
     * of one's own (moby does the same).
     */
    static ArrayNode mounts(ContainerConfig c, Path dir, boolean hostNetwork) {
        ArrayNode mounts = JSON.createArrayNode();
        mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        mount(mounts, "/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666",
                "mode=0620", "gid=5"));
        String sysMode = c.privileged() ? "rw" : "ro";
        if (hostNetwork) {
            mount(mounts, "/sys", "bind", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", sysMode));
        } else {
            mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", sysMode));
        }
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime",
                sysMode));
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777",
                "size=67108864"));
        List<String> fileOptions = c.readOnlyRootfs() ? List.of("rbind", "rprivate", "ro")
                : List.of("rbind", "rprivate");
        for (String file : List.of("resolv.conf", "hostname", "hosts")) {
            mount(mounts, "/etc/" + file, "bind", dir.resolve(file).toString(), fileOptions);
        }
        for (ContainerConfig.Mount m : c.mounts()) {
            if (!m.target().startsWith("/")) {
                throw new InvalidParameterException("invalid mount config: mount path must be absolute: " + m.target());
            }
            List<String> options = new ArrayList<>();
            switch (m.type()) {
                case ContainerConfig.Mount.BIND -> {
                    if (!m.source().startsWith("/")) {
                        throw new InvalidParameterException("invalid mount config for type \"bind\": invalid mount"
                                + " path: '" + m.source() + "' mount path must be absolute");
                    }
                    options.add("rbind");
                    if (m.options().stream().noneMatch(o -> o.endsWith("private") || o.endsWith("shared")
                            || o.endsWith("slave"))) {
                        options.add("rprivate");
                    }
                    options.addAll(m.options());
                    if (m.readOnly()) {
                        options.add("ro");
                    }
                    mount(mounts, m.target(), "bind", m.source(), options);
                }
                case ContainerConfig.Mount.TMPFS -> {
                    options.addAll(List.of("noexec", "nosuid", "nodev"));
                    options.addAll(m.options());
                    if (m.readOnly()) {
                        options.add("ro");
                    }
                    mount(mounts, m.target(), "tmpfs", "tmpfs", options);
                }
                default -> throw new InvalidParameterException("mount type unknown: \"" + m.type() + "\"");
            }
        }
        return mounts;
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, List<String> options) {
        ObjectNode m = mounts.addObject();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        strings(m.putArray("options"), options);
    }

    /**
     * The seccomp filter of an unprivileged container: everything allowed but the syscalls of
     * {@link #DENIED_SYSCALLS} whose capability the container lacks, which fail with EPERM (as
     * Docker's profile answers them). Not Docker's profile (an allow list of ~370 syscalls with
     * argument filters on clone, personality, socket): clone with namespace flags is therefore not
     * filtered here (unshare and setns are), nor are socket families.
     */
    static ObjectNode seccomp(List<String> caps) {
        ObjectNode seccomp = JSON.createObjectNode();
        seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
        strings(seccomp.putArray("architectures"), List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"));
        List<String> denied = new ArrayList<>();
        DENIED_SYSCALLS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(e -> e.getKey().isEmpty() || !caps.contains(e.getKey()))
                .forEach(e -> denied.addAll(e.getValue()));
        ArrayNode syscalls = seccomp.putArray("syscalls");
        ObjectNode rule = syscalls.addObject();
        strings(rule.putArray("names"), denied.stream().sorted().toList());
        rule.put("action", "SCMP_ACT_ERRNO");
        rule.put("errnoRet", 1);
        if (!caps.contains("CAP_SYS_ADMIN")) {
            // As Docker's profile: no new namespaces through clone(2) (a user namespace needs no
            // capability, so only the filter stops it), and clone3 answers ENOSYS, whose flags a
            // filter cannot read, so that the C library falls back to clone.
            for (long flag : CLONE_NAMESPACE_FLAGS) {
                ObjectNode clone = syscalls.addObject();
                strings(clone.putArray("names"), List.of("clone"));
                clone.put("action", "SCMP_ACT_ERRNO");
                clone.put("errnoRet", 1);
                clone.putArray("args").addObject().put("index", 0).put("value", flag).put("valueTwo", flag)
                        .put("op", "SCMP_CMP_MASKED_EQ");
            }
            ObjectNode clone3 = syscalls.addObject();
            strings(clone3.putArray("names"), List.of("clone3"));
            clone3.put("action", "SCMP_ACT_ERRNO");
            clone3.put("errnoRet", ENOSYS);
        }
        return seccomp;
    }

    /** clone(2)'s namespace flags: NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET (Docker's mask 0x7E020000). */
    static final List<Long> CLONE_NAMESPACE_FLAGS = List.of(0x00020000L, 0x02000000L, 0x04000000L, 0x08000000L,
            0x10000000L, 0x20000000L, 0x40000000L);
    private static final int ENOSYS = 38;

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
