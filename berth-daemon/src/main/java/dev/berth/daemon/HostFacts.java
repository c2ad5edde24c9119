package dev.berth.daemon;

import dev.berth.core.service.PortRange;
import dev.berth.daemon.api.SystemInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Facts about the machine for {@code /version} and {@code /info}, read once from /proc and /etc. */
final class HostFacts {
    private HostFacts() {
    }

    static SystemInfo systemInfo(DaemonConfig config, String engineId, String version) {
        return new SystemInfo(version, "", engineId, read("/proc/sys/kernel/hostname", "localhost"),
                read("/proc/sys/kernel/osrelease", ""), operatingSystem(), config.dataRoot().toString(),
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
    static PortRange ephemeralPorts() {
        try {
            return PortRange.parse(read("/proc/sys/net/ipv4/ip_local_port_range", ""));
        } catch (IllegalArgumentException e) {
            return PortRange.DOCKER_FALLBACK;
        }
    }

    private static String read(String file, String fallback) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return fallback;
        }
    }
}
