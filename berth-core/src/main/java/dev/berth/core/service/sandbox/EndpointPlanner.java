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
 * Checks an endpoint request against Docker's rules (with moby's texts) and builds the endpoint:
 * interface name, MAC, addresses. {@link #check} is pure; {@link #build} takes the addresses from
 * the {@link AddressBook}, so the caller releases them if a later step fails.
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
     * The request's own validity (moby's {@code validateEndpointSettings}): every problem becomes
     * one line of a single {@code invalid endpoint settings} error; a bad MAC is its own error.
     */
    static void check(Network network, EndpointRequest request) {
        InputLimits.values("aliases", request.aliases());
        List<String> problems = new ArrayList<>();
        boolean userDefined = !network.isPredefined();
        if (!userDefined && (!request.ipv4().isEmpty() || !request.ipv6().isEmpty())) {
            problems.add("user specified IP address is supported on user defined networks only");
        }
        if (!userDefined && !request.aliases().isEmpty()) {
            problems.add("network-scoped alias is supported only for containers in user defined networks");
        }
        parse(request.ipv4(), true).ifPresentOrElse(a -> { }, () -> {
            if (!request.ipv4().isEmpty()) {
                problems.add("invalid IPv4 address: " + request.ipv4());
            }
        });
        parse(request.ipv6(), false).ifPresentOrElse(a -> { }, () -> {
            if (!request.ipv6().isEmpty()) {
                problems.add("invalid IPv6 address: " + request.ipv6());
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidParameterException("invalid endpoint settings:\n" + String.join("\n", problems));
        }
        if (!request.mac().isEmpty()) {
            MacAddresses.parse(request.mac());
        }
    }

    /** Static addresses must lie in one of the network's subnets (checked before any address is taken). */
    void checkInSubnet(Network network, EndpointRequest request) {
        List<String> problems = new ArrayList<>();
        for (String text : List.of(request.ipv4(), request.ipv6())) {
            if (!text.isEmpty() && !addresses.contains(network.id(), IpAddresses.parse(text))) {
                problems.add("no configured subnet or ip-range contain the IP address " + text);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidParameterException("invalid endpoint settings:\n" + String.join("\n", problems));
        }
    }

    /**
     * Builds the endpoint, taking its addresses: the requested ones (403 {@code Address already in
     * use} if taken) or the lowest free. On failure nothing stays taken.
     *
     * @param siblings the sandbox's other endpoints, for the lowest unused {@code eth<N>}
     */
    Endpoint build(Network network, Sandbox sandbox, EndpointRequest request, List<Endpoint> siblings) {
        IpPrefix v4 = null;
        IpPrefix v6 = null;
        try {
            if (network.flags().enableIpv4() || !request.ipv4().isEmpty()) {
                v4 = take(network, request.ipv4(), true);
            }
            if (network.flags().enableIpv6() || !request.ipv6().isEmpty()) {
                v6 = take(network, request.ipv6(), false);
            }
        } catch (RuntimeException e) {
            release(network, v4);
            throw e;
        }
        boolean plumbed = hasInterface(network);
        String mac = !plumbed ? "" : request.mac().isEmpty() ? MacAddresses.random(random)
                : MacAddresses.parse(request.mac());
        return new Endpoint(EndpointId.random(random), network.id(), sandbox.id(),
                plumbed ? interfaceName(siblings) : "", plumbed ? hostInterfaceName() : "", mac, v4, v6,
                request.aliases(),
                new Endpoint.Requested(request.ipv4(), request.ipv6(), request.mac(), request.gwPriority()));
    }

    private IpPrefix take(Network network, String requested, boolean ipv4) {
        Optional<AddressPool> pool = addresses.pool(network.id(), ipv4);
        if (pool.isEmpty()) {
            return null;
        }
        InetAddress address;
        if (requested.isEmpty()) {
            address = pool.get().allocate();
        } else {
            address = IpAddresses.parse(requested);
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
