package dev.berth.daemon.api;

/**
 * Facts about this daemon and its host that {@code GET /version} and {@code GET /info} report.
 * Gathered once by the daemon at start-up; the API layer only formats them.
 *
 * @param version         the engine version string, also used in the {@code Server} header
 * @param gitCommit       commit the daemon was built from
 * @param engineId        stable id of this engine (persisted by the daemon)
 * @param hostname        the host's name ({@code Name} in {@code docker info})
 * @param kernelVersion   the running kernel's release ({@code uname -r})
 * @param operatingSystem a human-readable OS name, e.g. from {@code /etc/os-release}
 * @param dataRoot        the daemon's state directory ({@code DockerRootDir})
 * @param cpus            number of CPUs
 * @param memTotal        total memory in bytes
 * @param buildTime       build time as RFC 3339 text, or empty when unknown
 */
public record SystemInfo(String version, String gitCommit, String engineId, String hostname, String kernelVersion,
                         String operatingSystem, String dataRoot, int cpus, long memTotal, String buildTime) {
}
