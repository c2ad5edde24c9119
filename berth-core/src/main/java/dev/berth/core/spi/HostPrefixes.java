package dev.berth.core.spi;

import dev.berth.core.model.IpPrefix;
import java.util.List;

/**
 * Prefixes of the host that automatic subnet choice must avoid: directly connected routes,
 * addresses and nameservers, as Docker's {@code InferReservedNetworks} finds them. Explicit
 * subnets are never checked against these.
 */
@FunctionalInterface
public interface HostPrefixes {

    /** The prefixes to avoid now (read afresh on every call; any family). */
    List<IpPrefix> reserved();

    /** No host prefixes at all: for tests and hosts without a network. */
    static HostPrefixes none() {
        return List::of;
    }
}
