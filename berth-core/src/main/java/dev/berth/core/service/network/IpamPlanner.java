package dev.berth.core.service.network;

import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.ipam.AddressPool;
import dev.berth.core.ipam.DefaultPools;
import dev.berth.core.ipam.PoolSpec;
import dev.berth.core.ipam.SubnetAllocator;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The IPAM half of planning a network: first moby's {@code ValidateIPAM} (one line per problem,
 * all reported together), then the choice of subnets and gateways. Pure: the caller passes every
 * existing network and the host's reserved prefixes, and serialises calls.
 *
 * <p>Berth departs from moby in three places, each on purpose: a subnet with host bits is
 * accepted and cleared (with a warning) instead of rejected; auxiliary addresses are kept back
 * before the gateway is chosen, so an automatic gateway never lands on one; an explicit subnet
 * with an ip-range is still checked for overlap (moby skips that check, moby#46756).
 */
final class IpamPlanner {
    static final String DEFAULT_DRIVER = "default";
    static final String EXHAUSTED = "all predefined address pools have been fully subnetted";
    static final String OVERLAP = "Pool overlaps with other one on this address space";

    private final NetworkSettings settings;

    IpamPlanner(NetworkSettings settings) {
        this.settings = settings;
    }

    /** Which address families the network has. */
    record Families(boolean ipv4, boolean ipv6) {
        boolean enabled(boolean isIpv4) {
            return isIpv4 ? ipv4 : ipv6;
        }
    }

    /** A pool that passed validation: parsed, subnet masked. */
    record CheckedPool(IpPrefix subnet, Optional<IpPrefix> ipRange, Optional<InetAddress> gateway,
                       Map<String, InetAddress> aux) {
    }

    /** The validated pools of a request (at most one per family) and the warnings to return. */
    record Checked(List<CheckedPool> pools, List<String> warnings) {
        Optional<CheckedPool> family(boolean isIpv4) {
            return pools.stream().filter(p -> p.subnet().isIpv4() == isIpv4).findFirst();
        }
    }

    /** The IPAM driver must be the built-in one; anything else is an unknown plugin, as in moby. */
    static void requireDriver(IpamRequest ipam) {
        String driver = ipam.driver();
        if (driver != null && !driver.isEmpty() && !driver.equals(DEFAULT_DRIVER)) {
            throw new NotFoundException("plugin \"" + driver + "\" not found");
        }
    }

    /** Checks every pool; all problems go into one {@code invalid network config} error. */
    static Checked check(IpamRequest ipam, Families families) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<CheckedPool> pools = new ArrayList<>();
        for (PoolRequest request : ipam.pools()) {
            checkPool(request, families, problems, warnings).ifPresent(pools::add);
        }
        if (!problems.isEmpty()) {
            throw new InvalidParameterException("invalid network config:\n" + String.join("\n", problems));
        }
        for (boolean v4 : new boolean[] {true, false}) {
            if (pools.stream().filter(p -> p.subnet().isIpv4() == v4).count() > 1) {
                throw new InvalidParameterException("bridge driver doesn't support multiple subnets");
            }
        }
        return new Checked(List.copyOf(pools), List.copyOf(warnings));
    }

    private static Optional<CheckedPool> checkPool(PoolRequest request, Families families, List<String> problems,
                                                   List<String> warnings) {
        String text = request.subnet() == null ? "" : request.subnet();
        IpPrefix given;
        try {
            given = IpPrefix.parse(text);
        } catch (InvalidParameterException e) {
            problems.add("invalid subnet " + text + ": invalid CIDR block notation");
            return Optional.empty();
        }
        if (!families.enabled(given.isIpv4())) {
            problems.add("invalid subnet " + text + ": " + family(given.isIpv4())
                    + " has not been enabled for this network");
            return Optional.empty();
        }
        IpPrefix subnet = given.masked();
        if (given.hasHostBits()) {
            warnings.add("subnet " + text + " has host bits set; Berth uses " + subnet);
        }
        Optional<String> unusable = SubnetUse.problem(subnet);
        if (unusable.isPresent()) {
            problems.add("invalid subnet " + text + ": " + unusable.get());
            return Optional.empty();
        }
        int before = problems.size();
        Optional<IpPrefix> range = checkRange(request.ipRange(), subnet, problems);
        Optional<InetAddress> gateway = checkAddress(request.gateway(), subnet, problems, "gateway " + request.gateway());
        Map<String, InetAddress> aux = new TreeMap<>();
        request.aux().forEach((name, value) ->
                checkAddress(value, subnet, problems, "auxiliary address " + name).ifPresent(a -> aux.put(name, a)));
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new CheckedPool(subnet, range, gateway, aux));
    }

    private static Optional<IpPrefix> checkRange(String text, IpPrefix subnet, List<String> problems) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        IpPrefix range;
        try {
            range = IpPrefix.parse(text);
        } catch (InvalidParameterException e) {
            problems.add("invalid ip-range " + text + ": invalid CIDR block notation");
            return Optional.empty();
        }
        if (range.isIpv4() != subnet.isIpv4()) {
            problems.add("invalid ip-range " + text + ": parent subnet is an " + family(subnet.isIpv4()) + " block");
            return Optional.empty();
        }
        int before = problems.size();
        if (range.length() < subnet.length()) {
            problems.add("invalid ip-range " + text + ": CIDR block is bigger than its parent subnet " + subnet);
        }
        if (range.hasHostBits()) {
            problems.add("invalid ip-range " + text + ": it should be " + range.masked());
        }
        if (!subnet.overlaps(range)) {
            problems.add("invalid ip-range " + text + ": parent subnet " + subnet + " doesn't contain ip-range");
        }
        return problems.size() > before ? Optional.empty() : Optional.of(range);
    }

    private static Optional<InetAddress> checkAddress(String text, IpPrefix subnet, List<String> problems,
                                                      String what) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        InetAddress address;
        try {
            address = IpAddresses.parse(text);
        } catch (InvalidParameterException e) {
            problems.add("invalid " + what + ": invalid address");
            return Optional.empty();
        }
        if ((address instanceof Inet4Address) != subnet.isIpv4()) {
            problems.add("invalid " + what + ": parent subnet is an " + family(subnet.isIpv4()) + " block");
            return Optional.empty();
        }
        if (!subnet.contains(address)) {
            problems.add("invalid " + what + ": parent subnet " + subnet + " doesn't contain this address");
            return Optional.empty();
        }
        return Optional.of(address);
    }

    private static String family(boolean ipv4) {
        return ipv4 ? "IPv4" : "IPv6";
    }

    /**
     * Chooses the pools of a new network, IPv4 first: the user's subnet (if it overlaps no other
     * network's) or the lowest free subnet of the default pools that overlaps neither another
     * network nor a host prefix; then the gateway.
     *
     * @param noGateway    families that get no gateway unless the request names one (moby's
     *                     {@code GetSkipGwAlloc}: gateway mode {@code isolated})
     * @param existing     every network (config-only ones hold no addresses and are ignored)
     * @param hostReserved prefixes of the host that automatic subnets avoid
     */
    List<IpamPool> allocate(Checked checked, Families families, Families noGateway, Collection<Network> existing,
                            List<IpPrefix> hostReserved) {
        return allocate(checked, families, noGateway, existing, hostReserved, false, Optional::empty);
    }

    /**
     * {@link #allocate(Checked, Families, Families, Collection, List)}; a {@code global} network's
     * automatic IPv4 subnet comes from Docker's global pool (10.0.0.0/8 in /24s), its automatic
     * IPv6 subnet is the lowest free /64 of {@code clusterIpv6} (the cluster's ULA /48, the same on
     * every host; asked only when needed), never of this daemon's own ULA pool.
     */
    List<IpamPool> allocate(Checked checked, Families families, Families noGateway, Collection<Network> existing,
                            List<IpPrefix> hostReserved, boolean global, Supplier<Optional<IpPrefix>> clusterIpv6) {
        List<IpPrefix> inUse = existing.stream()
                .filter(n -> !n.flags().configOnly())
                .flatMap(n -> n.ipam().pools().stream())
                .map(p -> p.subnet().masked())
                .toList();
        List<IpamPool> out = new ArrayList<>();
        for (boolean v4 : new boolean[] {true, false}) {
            if (!families.enabled(v4)) {
                continue;
            }
            Optional<CheckedPool> wanted = checked.family(v4);
            if (wanted.isPresent()) {
                CheckedPool pool = wanted.get();
                if (inUse.stream().anyMatch(pool.subnet()::overlaps)) {
                    throw new ForbiddenException(OVERLAP);
                }
                out.add(withGateway(pool, true, noGateway.enabled(v4)));
            } else {
                List<IpPrefix> taken = new ArrayList<>(inUse);
                taken.addAll(hostReserved);
                IpPrefix subnet = SubnetAllocator.lowestFree(global ? globalPools(v4, clusterIpv6) : pools(v4), taken)
                        .orElseThrow(() -> new InternalException(EXHAUSTED));
                out.add(withGateway(new CheckedPool(subnet, Optional.empty(), Optional.empty(), Map.of()), false,
                        noGateway.enabled(v4)));
            }
        }
        return out;
    }

    /** Config-only networks keep the user's pools as given: no subnet choice, no gateway. */
    static List<IpamPool> asGiven(Checked checked) {
        return checked.pools().stream()
                .sorted((a, b) -> Boolean.compare(!a.subnet().isIpv4(), !b.subnet().isIpv4()))
                .map(p -> new IpamPool(p.subnet(), p.ipRange(), p.gateway(), p.aux(), true))
                .toList();
    }

    private static List<PoolSpec> globalPools(boolean v4, Supplier<Optional<IpPrefix>> clusterIpv6) {
        if (v4) {
            return DefaultPools.globalIpv4();
        }
        IpPrefix base = clusterIpv6.get().orElseThrow(() -> new InvalidParameterException("an IPv6 overlay network"
                + " needs its IPv6 subnet given (--subnet): the cluster has no IPv6 pool"));
        return List.of(new PoolSpec(base, DefaultPools.IPV6_SUBNET_LENGTH));
    }

    private List<PoolSpec> pools(boolean v4) {
        return v4 ? settings.ipv4Pools() : settings.ipv6Pools();
    }

    private static IpamPool withGateway(CheckedPool pool, boolean userConfigured, boolean noGateway) {
        if (noGateway && pool.gateway().isEmpty()) {
            return new IpamPool(pool.subnet(), pool.ipRange(), Optional.empty(), pool.aux(), userConfigured);
        }
        InetAddress gateway = pool.gateway().orElseGet(() -> {
            AddressPool addresses = new AddressPool(pool.subnet(), pool.ipRange());
            pool.aux().values().forEach(addresses::reserveQuietly);
            try {
                return addresses.allocate();
            } catch (RuntimeException e) {
                throw new InvalidParameterException("no address left for the gateway in "
                        + pool.ipRange().orElse(pool.subnet()) + ": every address is an auxiliary one");
            }
        });
        return new IpamPool(pool.subnet(), pool.ipRange(), Optional.of(gateway), pool.aux(), userConfigured);
    }
}
