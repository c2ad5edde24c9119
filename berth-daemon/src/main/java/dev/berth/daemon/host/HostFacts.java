package dev.berth.daemon.host;

import dev.berth.core.service.sandbox.PortRange;
import dev.berth.daemon.api.AcceptQueue;
import dev.berth.daemon.api.SystemInfo;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.sysctl.Sysctl;
import dev.berth.kernel.sysctl.Sysctls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Facts about the machine for {@code /version} and {@code /info}, read once from /proc and /etc. */
public final class HostFacts {
    private HostFacts() {
    }

    public static SystemInfo systemInfo(DaemonConfig config, String engineId, String version) {
        return new SystemInfo(version, "", engineId, sysctl("kernel/hostname", "localhost"),
                sysctl("kernel/osrelease", ""), operatingSystem(), config.dataRoot().toString(),
                Runtime.getRuntime().availableProcessors(), memTotal(), Instant.now().toString());
    }

    private static String operatingSystem() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            return "Linux";
        }
        return "Linux";
    }

    private static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** The kernel's {@code ip_local_port_range} (ephemeral host ports), else Docker's fallback. */
    public static PortRange ephemeralPorts() {
        try {
            return PortRange.parse(sysctl("net/ipv4/ip_local_port_range", ""));
        } catch (IllegalArgumentException e) {
            return PortRange.DOCKER_FALLBACK;
        }
    }

    /**
     * The API socket's listen backlog: {@code net.core.somaxconn} of the calling thread's (the
     * daemon's) namespace, else {@link AcceptQueue#FALLBACK}.
     */
    public static int acceptQueue(Sysctls sysctls) {
        return AcceptQueue.size(sysctl(sysctls, "net/core/somaxconn", ""));
    }

    private static String sysctl(String key, String fallback) {
        return sysctl(Sysctls.KERNEL, key, fallback);
    }

    /**
     * Through {@link Sysctl}'s raw reads: on JDK 25 {@code Files.readString} returns only the first
     * byte of a procfs sysctl file (its size reads as 0), which made the port range "3" and the
     * host name one letter.
     */
    private static String sysctl(Sysctls sysctls, String key, String fallback) {
        try {
            return sysctls.read(key);
        } catch (KernelException e) {
            return fallback;
        }
    }
}
