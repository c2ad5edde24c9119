package dev.berth.daemon.doctor;

import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;

/**
 * A free ULA /64 for a fix that says "use a ULA network": the first /64 of the engine's ULA pool
 * (the /48 automatic IPv6 subnets come from) that no network uses.
 *
 * @param pool the engine's ULA prefix, {@code fdXX:XXXX:XXXX::/48}
 */
record UlaSuggestion(IpPrefix pool) {
    private static final int SIZE = 64;

    /** The first /64 of the pool no network's subnet overlaps (the pool's first when all are taken). */
    IpPrefix subnet(Collection<Network> networks) {
        List<IpPrefix> taken = networks.stream().flatMap(n -> Desired.subnets(n, true).stream()).toList();
        BigInteger step = BigInteger.ONE.shiftLeft(pool.bits() - SIZE);
        long count = 1L << Math.min(16, SIZE - pool.length());
        for (long i = 0; i < count; i++) {
            IpPrefix candidate = new IpPrefix(pool.addressAt(step.multiply(BigInteger.valueOf(i))), SIZE);
            if (taken.stream().noneMatch(candidate::overlaps)) {
                return candidate;
            }
        }
        return new IpPrefix(pool.masked().address(), SIZE);
    }

    /** {@code docker network create --ipv6 --subnet fdXX:XXXX:XXXX:N::/64 v6net}. */
    String createCommand(Collection<Network> networks) {
        return "docker network create --ipv6 --subnet " + subnet(networks) + " v6net";
    }
}
