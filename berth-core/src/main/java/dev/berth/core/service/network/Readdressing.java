package dev.berth.core.service.network;

import dev.berth.core.errors.UnavailableException;
import dev.berth.core.ipam.AddressPool;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The IPv6 addresses of a network's endpoints after its IPv6 addressing changed in place (the
 * default bridge, when {@code ipv6}, {@code bip6} or {@code fixed-cidr-v6} change): without IPv6
 * every endpoint loses its address; with it, an endpoint keeps an address that is still in the
 * range (with the subnet's prefix length) and every other one gets the lowest free address, in
 * the order of the endpoints' IPv4 addresses (on the default bridge, the order they were made in).
 * IPv4 addresses are not touched. Pure: nothing is taken from the running address book.
 */
final class Readdressing {
    private Readdressing() {
    }

    /**
     * The endpoints whose IPv6 address must change, as they must be; empty when none must.
     *
     * @throws UnavailableException when the new range has fewer free addresses than endpoints
     */
    static List<Endpoint> of(Network wanted, List<Endpoint> endpoints) {
        Optional<IpamPool> pool = wanted.ipam().pools().stream().filter(p -> !p.isIpv4()).findFirst();
        List<Endpoint> moved = new ArrayList<>();
        if (pool.isEmpty()) {
            endpoints.stream().filter(e -> e.ipv6() != null).map(e -> with(e, null)).forEach(moved::add);
            return moved;
        }
        IpamPool v6 = pool.get();
        IpPrefix range = v6.ipRange().orElse(v6.subnet()).masked();
        AddressPool addresses = new AddressPool(v6.subnet(), v6.ipRange());
        v6.gateway().ifPresent(addresses::reserveQuietly);
        v6.auxAddresses().values().forEach(addresses::reserveQuietly);
        List<Endpoint> ordered = endpoints.stream().sorted(BY_IPV4).toList();
        List<Endpoint> without = new ArrayList<>();
        for (Endpoint e : ordered) {
            InetAddress kept = e.ipv6() == null ? null : e.ipv6().address();
            if (kept != null && range.contains(kept) && !addresses.isTaken(kept)) {
                addresses.reserve(kept);
                if (e.ipv6().length() != v6.subnet().length()) {
                    moved.add(with(e, new IpPrefix(kept, v6.subnet().length())));
                }
            } else {
                without.add(e);
            }
        }
        for (Endpoint e : without) {
            InetAddress next;
            try {
                next = addresses.allocate();
            } catch (UnavailableException full) {
                throw new UnavailableException(range + " has no free address left for the " + without.size()
                        + " endpoints of network " + wanted.name() + " that need a new IPv6 address", full);
            }
            moved.add(with(e, new IpPrefix(next, v6.subnet().length())));
        }
        return moved;
    }

    private static final Comparator<Endpoint> BY_IPV4 = Comparator
            .comparing((Endpoint e) -> e.ipv4() == null ? BigInteger.valueOf(-1)
                    : new BigInteger(1, e.ipv4().address().getAddress()))
            .thenComparing(e -> e.id().value());

    private static Endpoint with(Endpoint e, IpPrefix ipv6) {
        return new Endpoint(e.id(), e.networkId(), e.sandboxId(), e.ifName(), e.hostIfName(), e.mac(), e.ipv4(), ipv6,
                e.aliases(), e.requested());
    }
}
