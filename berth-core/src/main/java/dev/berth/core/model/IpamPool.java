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
}
