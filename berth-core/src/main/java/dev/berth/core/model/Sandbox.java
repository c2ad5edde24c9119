package dev.berth.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The network side of a container: a name, a hostname and (unless it shares the host's) its own
 * network namespace, pinned at {@code netnsPath}. Berth runs no process in it yet; the sandbox
 * is live from creation to removal.
 *
 * @param name        unique, without Docker's leading slash
 * @param netnsPath   the namespace's bind-mount file; empty in {@code host} mode (the daemon's own)
 * @param networkMode as the user gave it, {@code default} already mapped to {@code bridge}:
 *                    {@code bridge}, {@code host}, {@code none} or a network name
 * @param ports       the ports it publishes, host ports chosen; empty in {@code host} mode
 */
public record Sandbox(SandboxId id, String name, String hostname, String netnsPath, Instant created,
                      String networkMode, List<PublishedPort> ports) {
    public static final String MODE_BRIDGE = PredefinedNetworks.BRIDGE;
    public static final String MODE_HOST = PredefinedNetworks.HOST;
    public static final String MODE_NONE = PredefinedNetworks.NONE;

    public Sandbox {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(netnsPath, "netnsPath");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(networkMode, "networkMode");
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** A sandbox that publishes no ports. */
    public Sandbox(SandboxId id, String name, String hostname, String netnsPath, Instant created, String networkMode) {
        this(id, name, hostname, netnsPath, created, networkMode, List.of());
    }

    /** The same sandbox with its namespace pinned elsewhere. */
    public Sandbox withNetnsPath(String path) {
        return new Sandbox(id, name, hostname, path, created, networkMode, ports);
    }

    /** The same sandbox under another name. */
    public Sandbox withName(String other) {
        return new Sandbox(id, other, hostname, netnsPath, created, networkMode, ports);
    }

    /** Whether the sandbox shares the host's namespace (and so cannot join other networks). */
    public boolean isHostMode() {
        return networkMode.equals(MODE_HOST);
    }

    /** Whether the sandbox was made with networking off (only {@code lo}). */
    public boolean isNoneMode() {
        return networkMode.equals(MODE_NONE);
    }
}
