package dev.berth.daemon.doctor;

import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.KernelDrift;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.ProxyNeighbour;
import dev.berth.kernel.netlink.Route;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A host namespace and store in memory, built up by the tests and turned into a {@link HostView}.
 * {@link #lan()} is the healthy IPv6 host of the integration tests: uplink {@code eth0} with
 * 2001:db8::2/64, a static default route via 2001:db8::1, forwarding on, nftables answering.
 */
final class FakeHost {
    static final IpPrefix ULA_POOL = IpPrefix.parse("fd12:3456:789a::/48");

    final List<Link> links = new ArrayList<>();
    final List<Address> addresses = new ArrayList<>();
    final List<Route> routes6 = new ArrayList<>();
    final List<ProxyNeighbour> proxies = new ArrayList<>();
    final Map<String, String> sysctls = new HashMap<>();
    final Set<String> files = new HashSet<>(Set.of("/proc/net/if_inet6"));
    Optional<String> nftablesError = Optional.empty();
    final List<Network> networks = new ArrayList<>();
    final List<Endpoint> endpoints = new ArrayList<>();
    final List<KernelDrift> drift = new ArrayList<>();

    /** The healthy host: lo, eth0 on 2001:db8::/64 with a static default route, forwarding on. */
    static FakeHost lan() {
        FakeHost h = new FakeHost();
        h.link(1, "lo");
        h.link(2, "eth0");
        h.address("eth0", "2001:db8::2/64").address("eth0", "fe80::b1/64").address("eth0", "198.51.100.2/24");
        h.route("2001:db8::/64", null, "eth0", Route.PROTOCOL_KERNEL);
        h.route("fe80::/64", null, "eth0", Route.PROTOCOL_KERNEL);
        h.route(null, "2001:db8::1", "eth0", Route.PROTOCOL_BOOT);
        h.sysctl("net/ipv4/ip_forward", "1").sysctl("net/ipv6/conf/all/forwarding", "1")
                .sysctl("net/ipv6/conf/eth0/forwarding", "1").sysctl("net/ipv6/conf/eth0/accept_ra", "2")
                .sysctl("net/ipv6/conf/eth0/proxy_ndp", "0").sysctl("net/ipv6/conf/all/proxy_ndp", "0")
                .sysctl("net/ipv6/conf/all/disable_ipv6", "0");
        return h;
    }

    FakeHost link(int index, String name) {
        links.add(new Link(index, name, null, 1500, null, true, 0, Link.OPER_UP, 0));
        return this;
    }

    Link link(String name) {
        return links.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    /** A global-scope address (link scope for fe80::). */
    FakeHost address(String link, String cidr) {
        IpPrefix p = IpPrefix.parse(cidr);
        int scope = p.address().isLinkLocalAddress() ? 253 : 0;
        addresses.add(new Address(link(link).index(), p.address(), p.length(), scope, Address.FLAG_PERMANENT));
        return this;
    }

    /** An IPv6 main-table route; {@code destination} null for the default route. */
    FakeHost route(String destination, String via, String dev, int protocol) {
        IpPrefix dst = destination == null ? null : IpPrefix.parse(destination);
        routes6.add(new Route(dst == null ? null : dst.address(), dst == null ? 0 : dst.length(),
                via == null ? null : IpAddresses.parse(via), link(dev).index(), 254, 0, protocol, 10));
        return this;
    }

    FakeHost sysctl(String key, String value) {
        sysctls.put(key, value);
        return this;
    }

    /** Adds a bridge network with its bridge up in the kernel (index 100 + n). */
    Network network(String name, Map<String, String> options, boolean internal, String... subnets) {
        List<IpamPool> pools = Arrays.stream(subnets).map(IpPrefix::parse)
                .map(p -> IpamPool.of(p, p.addressAt(BigInteger.ONE))).toList();
        boolean v6 = pools.stream().anyMatch(p -> !p.isIpv4());
        Network n = new Network(id(name), name, PredefinedNetworks.DRIVER_BRIDGE, Instant.EPOCH, Network.SCOPE_LOCAL,
                new Network.Ipam(Network.Ipam.DEFAULT_DRIVER, null, pools),
                new Network.Flags(true, v6, internal, false, false, false), new TreeMap<>(options), new TreeMap<>());
        networks.add(n);
        int index = 100 + networks.size();
        links.add(new Link(index, DeviceNames.bridgeName(n), "bridge", 1500, null, true, 0,
                Link.OPER_UP, DeviceNames.OWNED_BRIDGE_GROUP));
        for (IpamPool pool : pools) {
            // The gateway on the bridge and the kernel's route for it: Berth's own, never a LAN.
            pool.gateway().ifPresent(g -> addresses.add(new Address(index, g, pool.subnet().length(), 0, 0)));
            if (!pool.isIpv4()) {
                routes6.add(new Route(pool.subnet().address(), pool.subnet().length(), null, index, 254, 0,
                        Route.PROTOCOL_KERNEL, 10));
            }
        }
        return n;
    }

    /** A routed (gateway_mode_ipv6=routed) network. */
    Network routed(String name, String... subnets) {
        return network(name, Map.of(PredefinedNetworks.OPT_GATEWAY_MODE_IPV6, "routed"), false, subnets);
    }

    /** A sandbox's endpoint on the network with this IPv6 address (null: none) and no IPv4 one. */
    FakeHost endpoint(Network network, String ipv6) {
        String id = String.format("%064x", endpoints.size() + 1);
        endpoints.add(new Endpoint(new EndpointId(id), network.id(), new SandboxId(id), "eth0", "veth" + id.substring(57),
                "02:00:00:00:00:01", null, ipv6 == null ? null : IpPrefix.parse(ipv6), List.of(),
                Endpoint.Requested.NONE));
        return this;
    }

    HostView view() {
        Map<String, String> values = Map.copyOf(sysctls);
        Set<String> present = Set.copyOf(files);
        return new HostView(links, addresses, routes6, proxies, key -> Optional.ofNullable(values.get(key)),
                present::contains, nftablesError, new Desired(networks, endpoints, drift, ULA_POOL));
    }

    /** The findings of one check on this host. */
    List<Finding> run(Check check) {
        return check.run(view());
    }

    /** The single finding of one check, failing unless there is exactly one. */
    Finding one(Check check) {
        List<Finding> found = run(check);
        if (found.size() != 1) {
            throw new AssertionError("expected one finding, got " + found);
        }
        return found.getFirst();
    }

    static NetworkId id(String name) {
        String hex = String.format("%064x", new BigInteger(1, name.getBytes(StandardCharsets.UTF_8)));
        return new NetworkId(hex.substring(hex.length() - 64));
    }
}
