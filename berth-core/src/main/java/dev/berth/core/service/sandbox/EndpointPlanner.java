package dev.berth.core.service.sandbox;

import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.ipam.AddressPool;
import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.MacAddresses;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.model.Sandbox;
import dev.berth.core.service.network.InputLimits;
import dev.berth.core.service.state.AddressBook;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Checks an endpoint request against Docker's rules (with moby's texts) into an
 * {@link EndpointPlan}, then builds the endpoint from it: interface name, MAC, addresses.
 * {@link #plan} takes nothing; {@link #build} takes the addresses from the {@link AddressBook}, so
 * the caller releases them if a later step fails.
 */
final class EndpointPlanner {
    static final String INTERFACE_PREFIX = "eth";

    private final AddressBook addresses;
    private final RandomGenerator random;

    EndpointPlanner(AddressBook addresses, RandomGenerator random) {
        this.addresses = addresses;
        this.random = random;
    }

    /** Whether endpoints on the network get an interface in the sandbox. */
    static boolean hasInterface(Network network) {
        return !network.driver().equals(PredefinedNetworks.DRIVER_HOST)
                && !network.driver().equals(PredefinedNetworks.DRIVER_NULL);
    }

    /**
     * Checks a request against its network and parses it once. First its own validity (moby's
     * {@code validateEndpointSettings}): every problem becomes one line of a single
     * {@code invalid endpoint settings} error; a bad MAC is its own error. Then static addresses
     * must lie in one of the network's subnets. Nothing is taken.
     */
    EndpointPlan plan(Network network, EndpointRequest request) {
        InputLimits.values("aliases", request.aliases());
        List<String> problems = new ArrayList<>();
        boolean userDefined = !network.isPredefined();
        if (!userDefined && (!request.ipv4().isEmpty() || !request.ipv6().isEmpty())) {
            problems.add("user specified IP address is supported on user defined networks only");
        }
        if (!userDefined && !request.aliases().isEmpty()) {
            problems.add("network-scoped alias is supported only for containers in user defined networks");
        }
        Optional<InetAddress> v4 = parse(request.ipv4(), true);
        if (v4.isEmpty() && !request.ipv4().isEmpty()) {
            problems.add("invalid IPv4 address: " + request.ipv4());
        }
        Optional<InetAddress> v6 = parse(request.ipv6(), false);
        if (v6.isEmpty() && !request.ipv6().isEmpty()) {
            problems.add("invalid IPv6 address: " + request.ipv6());
        }
        for (String link : request.links()) {
            if (link(link) == null) {
                problems.add("bad format for links: " + link);
            }
        }
        for (String ip : request.linkLocalIps()) {
            if (linkLocal(ip) == null) {
                problems.add("invalid link-local IP address: " + ip
                        + " (link-local addresses are in 169.254.0.0/16 and fe80::/10)");
            }
        }
        for (String sysctl : Endpoint.Requested.sysctls(request.driverOpts())) {
            if (!isInterfaceSysctl(sysctl)) {
                problems.add("unrecognised network interface sysctl '" + sysctl + "'; represent 'net.X.Y.ethN.Z=V' as"
                        + " 'net.X.Y.IFNAME.Z=V', 'X' must be 'ipv4', 'ipv6' or 'mpls'");
            } else {
                sysctlFormatProblem(sysctl).ifPresent(problems::add);
            }
        }
        invalidIfAny(problems);
        String mac = request.mac().isEmpty() ? "" : MacAddresses.parse(request.mac());
        outsideSubnets(network, v4, request.ipv4(), problems);
        outsideSubnets(network, v6, request.ipv6(), problems);
        invalidIfAny(problems);
        return new EndpointPlan(network, request, v4, v6, mac);
    }

    /**
     * A link as moby's {@code ParseLink} reads it, {@code container[:alias]} (a leading {@code /}
     * dropped), normalised to {@code container:alias}; null when malformed.
     */
    static String link(String text) {
        String[] parts = text.strip().split(":", -1);
        if (parts.length > 2) {
            return null;
        }
        String name = parts[0].startsWith("/") ? parts[0].substring(1) : parts[0];
        String alias = parts.length == 2 ? parts[1] : name;
        alias = alias.startsWith("/") ? alias.substring(1) : alias;
        if (name.isEmpty() || alias.isEmpty() || name.contains("/") || alias.contains("/")) {
            return null;
        }
        return name + ":" + alias;
    }

    /**
     * Whether one item of {@link Endpoint.Requested#SYSCTLS} has moby's shape: five dot-separated parts (the value
     * rides in the last), the second {@code ipv4}, {@code ipv6} or {@code mpls}, the fourth {@code IFNAME}
     * (or {@code ifname}: the docker CLI lower-cases driver options). Moby checks no more here; the
     * driver refuses a key the kernel does not have when it applies it.
     */
    static boolean isInterfaceSysctl(String sysctl) {
        String[] parts = sysctl.split("\\.", 5);
        return parts.length == 5 && (parts[1].equals("ipv4") || parts[1].equals("ipv6") || parts[1].equals("mpls"))
                && (parts[3].equals("IFNAME") || parts[3].equals("ifname"));
    }

    /**
     * What moby finds only when it applies a sysctl (the connect then fails): no {@code =V}, or a name of
     * more than five parts. Berth refuses them with the request, with moby's words; empty when fine.
     */
    static Optional<String> sysctlFormatProblem(String sysctl) {
        int eq = sysctl.indexOf('=');
        if (eq < 0) {
            return Optional.of("expected sysctl '" + sysctl + "' to have format name=value");
        }
        if (sysctl.substring(0, eq).split("\\.", -1).length != 5) {
            return Optional.of("expected sysctl '" + sysctl + "' to have format net.X.Y.IFNAME.Z");
        }
        return Optional.empty();
    }

    /** A link-local address ({@code 169.254.0.0/16}, {@code fe80::/10}) in its canonical text; null otherwise. */
    static String linkLocal(String text) {
        Optional<InetAddress> address = parse(text, true).or(() -> parse(text, false));
        return address.filter(InetAddress::isLinkLocalAddress).map(IpAddresses::format).orElse(null);
    }

    private void outsideSubnets(Network network, Optional<InetAddress> address, String text, List<String> problems) {
        if (address.isPresent() && !addresses.contains(network.id(), address.get())) {
            problems.add("no configured subnet or ip-range contain the IP address " + text);
        }
    }

    private static void invalidIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidParameterException("invalid endpoint settings:\n" + String.join("\n", problems));
        }
    }

    /**
     * Builds the endpoint of a plan, taking its addresses: the requested ones (403 {@code Address
     * already in use} if taken) or the lowest free. On failure nothing stays taken.
     *
     * @param siblings the sandbox's other endpoints, for the lowest unused {@code eth<N>}
     */
    Endpoint build(EndpointPlan plan, Sandbox sandbox, List<Endpoint> siblings) {
        Network network = plan.network();
        EndpointRequest request = plan.request();
        IpPrefix v4 = null;
        IpPrefix v6 = null;
        try {
            if (network.flags().enableIpv4() || plan.ipv4().isPresent()) {
                v4 = take(network, plan.ipv4(), true);
            }
            if (network.flags().enableIpv6() || plan.ipv6().isPresent()) {
                v6 = take(network, plan.ipv6(), false);
            }
        } catch (RuntimeException e) {
            release(network, v4);
            throw e;
        }
        boolean plumbed = hasInterface(network);
        String mac = !plumbed ? "" : plan.mac().isEmpty() ? MacAddresses.random(random) : plan.mac();
        return new Endpoint(EndpointId.random(random), network.id(), sandbox.id(),
                plumbed ? interfaceName(siblings) : "", plumbed ? hostInterfaceName() : "", mac, v4, v6,
                request.aliases(),
                new Endpoint.Requested(request.ipv4(), request.ipv6(), request.mac(), request.gwPriority(),
                        request.links().stream().map(EndpointPlanner::link).toList(),
                        request.linkLocalIps().stream().map(EndpointPlanner::linkLocal).toList(), request.driverOpts()));
    }

    private IpPrefix take(Network network, Optional<InetAddress> requested, boolean ipv4) {
        Optional<AddressPool> pool = addresses.pool(network.id(), ipv4);
        if (pool.isEmpty()) {
            return null;
        }
        InetAddress address;
        if (requested.isEmpty()) {
            address = pool.get().allocate();
        } else {
            address = requested.get();
            try {
                pool.get().reserve(address);
            } catch (ForbiddenException e) {
                throw new ForbiddenException("Address already in use");
            }
        }
        return new IpPrefix(address, pool.get().subnet().length());
    }

    private void release(Network network, IpPrefix address) {
        if (address != null) {
            addresses.pool(network.id(), address.isIpv4()).ifPresent(p -> p.release(address.address()));
        }
    }

    /** {@code eth<N>} with the lowest N no other endpoint of the sandbox uses (gaps are reused). */
    static String interfaceName(List<Endpoint> siblings) {
        Set<String> used = siblings.stream().map(Endpoint::ifName).collect(Collectors.toSet());
        for (int n = 0; ; n++) {
            if (!used.contains(INTERFACE_PREFIX + n)) {
                return INTERFACE_PREFIX + n;
            }
        }
    }

    /** {@code veth} and 7 random hex digits, as Docker names both ends. */
    private String hostInterfaceName() {
        return DeviceNames.VETH_PREFIX + String.format("%07x", random.nextInt(1 << 28));
    }

    private static Optional<InetAddress> parse(String text, boolean ipv4) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            InetAddress address = IpAddresses.parse(text);
            return (address instanceof Inet4Address) == ipv4 ? Optional.of(address) : Optional.empty();
        } catch (InvalidParameterException e) {
            return Optional.empty();
        }
    }
}
