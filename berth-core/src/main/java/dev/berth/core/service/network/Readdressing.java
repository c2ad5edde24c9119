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
        Plan plan = plan(wanted, endpoints);
        if (!plan.unplaced().isEmpty()) {
            throw new UnavailableException(plan.range() + " has no free address left for the " + plan.needing()
                    + " endpoints of network " + wanted.name() + " that need a new IPv6 address");
        }
        return plan.moved();
    }

    /**
     * {@link #of} as far as the range has room: the endpoints that find no free address in it lose
     * their IPv6 address (they are in {@code moved} without one, and in {@code unplaced}). For the
     * start-up, which must not fail because of the sandboxes it finds.
     *
     * @param moved    the endpoints whose IPv6 address changes, as they must be
     * @param needing  how many endpoints needed a new address
     * @param unplaced those of them the range had no room for, as they were
     * @param range    the IPv6 range addresses came from (null without IPv6)
     */
    record Plan(List<Endpoint> moved, int needing, List<Endpoint> unplaced, IpPrefix range) {
        Plan {
            moved = List.copyOf(moved);
            unplaced = List.copyOf(unplaced);
        }
    }

    static Plan plan(Network wanted, List<Endpoint> endpoints) {
        Optional<IpamPool> pool = wanted.ipam().pools().stream().filter(p -> !p.isIpv4()).findFirst();
        List<Endpoint> moved = new ArrayList<>();
        if (pool.isEmpty()) {
            endpoints.stream().filter(e -> e.ipv6() != null).map(e -> with(e, null)).forEach(moved::add);
            return new Plan(moved, 0, List.of(), null);
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
        List<Endpoint> unplaced = new ArrayList<>();
        for (Endpoint e : without) {
            try {
                moved.add(with(e, new IpPrefix(addresses.allocate(), v6.subnet().length())));
            } catch (UnavailableException full) {
                unplaced.add(e);
                if (e.ipv6() != null) {
                    moved.add(with(e, null));
                }
            }
        }
        return new Plan(moved, without.size(), unplaced, range);
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
