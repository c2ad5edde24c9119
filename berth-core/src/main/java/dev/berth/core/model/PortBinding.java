package dev.berth.core.model;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One published port: traffic to {@code hostIp:hostPort} ({@code hostIp} may be the unspecified
 * address of its family, meaning every address) is sent to {@code sandboxIp:sandboxPort}. On a
 * family whose gateway mode is {@code routed} nothing is translated: the binding only opens
 * {@code sandboxIp:sandboxPort}, and has the unspecified host address and host port 0, as moby's
 * routed port mapper leaves them.
 *
 * @param protocol    {@code tcp} or {@code udp}
 * @param hostIp      the host address bound, {@code 0.0.0.0} or {@code ::} for all
 * @param hostPort    1..65535; 0 for a routed binding (no host port)
 * @param sandboxIp   the sandbox's address on the network, same family as {@code hostIp}
 * @param sandboxPort 1..65535
 */
public record PortBinding(String protocol, InetAddress hostIp, int hostPort, InetAddress sandboxIp, int sandboxPort) {
    public PortBinding {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(hostIp, "hostIp");
        Objects.requireNonNull(sandboxIp, "sandboxIp");
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("protocol must be tcp or udp: " + protocol);
        }
        if (hostPort < 0 || hostPort > 65535 || sandboxPort < 1 || sandboxPort > 65535) {
            throw new IllegalArgumentException("ports must be 1..65535: " + hostPort + ", " + sandboxPort);
        }
    }
}
