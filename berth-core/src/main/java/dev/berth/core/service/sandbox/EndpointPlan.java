package dev.berth.core.service.sandbox;

import dev.berth.core.model.Network;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * An endpoint request checked against its network, with its strings parsed once: what
 * {@link EndpointPlanner#plan} returns and {@link EndpointPlanner#build} consumes.
 *
 * @param network the network to join
 * @param request the request as given (stored with the endpoint, as Docker keeps it)
 * @param ipv4    the requested IPv4 address, if any (in one of the network's subnets)
 * @param ipv6    the requested IPv6 address, if any (in one of the network's subnets)
 * @param mac     the requested MAC in canonical form, {@code ""} for a random one
 */
record EndpointPlan(Network network, EndpointRequest request, Optional<InetAddress> ipv4,
                    Optional<InetAddress> ipv6, String mac) {
    EndpointPlan {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(ipv4, "ipv4");
        Objects.requireNonNull(ipv6, "ipv6");
        Objects.requireNonNull(mac, "mac");
    }
}
