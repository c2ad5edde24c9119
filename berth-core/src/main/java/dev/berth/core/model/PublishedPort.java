package dev.berth.core.model;

import java.util.Objects;

/**
 * A port a sandbox asked to publish ({@code -p}), with its host port already chosen. Which
 * addresses it becomes depends on the network that publishes it (see {@code hostIp}).
 *
 * @param protocol    {@code tcp} or {@code udp}
 * @param sandboxPort the port inside the sandbox, 1..65535
 * @param hostIp      the host address literal as given, or empty for the network's default
 *                    ({@code com.docker.network.bridge.host_binding_ipv4}, else {@code 0.0.0.0},
 *                    which also publishes on {@code ::} when the sandbox has an IPv6 address)
 * @param hostPort    1..65535, the same for both families
 */
public record PublishedPort(String protocol, int sandboxPort, String hostIp, int hostPort) {
    public PublishedPort {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(hostIp, "hostIp");
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("protocol must be tcp or udp: " + protocol);
        }
        if (hostPort < 1 || hostPort > 65535 || sandboxPort < 1 || sandboxPort > 65535) {
            throw new IllegalArgumentException("ports must be 1..65535: " + hostPort + ", " + sandboxPort);
        }
    }

    /** Docker's key of the port inside: {@code 80/tcp}. */
    public String key() {
        return sandboxPort + "/" + protocol;
    }
}
