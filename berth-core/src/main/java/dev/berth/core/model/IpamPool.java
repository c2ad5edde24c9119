package dev.berth.core.model;

import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One address pool of a network: its subnet, the optional allocatable range, the gateway and
 * auxiliary (reserved) addresses. {@code userConfigured} tells whether the user gave the subnet,
 * which decides how the pool is shown and whether it is re-requested as-is after a restart.
 */
public record IpamPool(IpPrefix subnet, Optional<IpPrefix> ipRange, Optional<InetAddress> gateway,
                       Map<String, InetAddress> auxAddresses, boolean userConfigured) {

    /**
     * moby's auxiliary-address keys for a router other than the bridge (daemon.json
     * {@code default-gateway} / {@code default-gateway-v6} on the default bridge; moby honours them
     * on any bridge network).
     */
    public static final String DEFAULT_GATEWAY_IPV4 = "DefaultGatewayIPv4";
    public static final String DEFAULT_GATEWAY_IPV6 = "DefaultGatewayIPv6";

    public IpamPool {
        Objects.requireNonNull(subnet, "subnet");
        auxAddresses = Map.copyOf(auxAddresses);
    }

    public static IpamPool of(IpPrefix subnet, InetAddress gateway) {
        return new IpamPool(subnet, Optional.empty(), Optional.of(gateway), Map.of(), false);
    }

    public boolean isIpv4() {
        return subnet.isIpv4();
    }

    /**
     * Where the default route of this family points in a sandbox: the auxiliary address
     * {@link #DEFAULT_GATEWAY_IPV4} / {@link #DEFAULT_GATEWAY_IPV6} if the pool has one, else the
     * gateway (the bridge's own address). It is also the {@code Gateway} {@code docker inspect} shows.
     */
    public Optional<InetAddress> router() {
        InetAddress configured = auxAddresses.get(isIpv4() ? DEFAULT_GATEWAY_IPV4 : DEFAULT_GATEWAY_IPV6);
        return configured != null ? Optional.of(configured) : gateway;
    }
}
