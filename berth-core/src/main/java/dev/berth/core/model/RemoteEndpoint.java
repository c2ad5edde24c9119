package dev.berth.core.model;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * An endpoint of a global network on another host, as the cluster store announces it: enough to
 * reach it (its MAC and addresses behind the VXLAN tunnel endpoint {@code vtep}) and to resolve it
 * by name (its sandbox's name and the endpoint's aliases).
 *
 * @param host the engine id of the host that has it
 */
public record RemoteEndpoint(NetworkId network, EndpointId id, SandboxId sandbox, String sandboxName, String mac,
                             IpPrefix ipv4, IpPrefix ipv6, List<String> aliases, String host, InetAddress vtep) {
    public RemoteEndpoint {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sandbox, "sandbox");
        Objects.requireNonNull(sandboxName, "sandboxName");
        Objects.requireNonNull(mac, "mac");
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(vtep, "vtep");
    }

    /** Its addresses, IPv4 first. */
    public List<InetAddress> addresses() {
        return java.util.stream.Stream.of(ipv4, ipv6).filter(Objects::nonNull).map(IpPrefix::address).toList();
    }
}
