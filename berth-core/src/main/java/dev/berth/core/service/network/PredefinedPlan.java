package dev.berth.core.service.network;

import dev.berth.core.errors.InternalException;
import dev.berth.core.ipam.PoolSpec;
import dev.berth.core.ipam.SubnetAllocator;
import dev.berth.core.model.GatewayMode;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** The networks every daemon has ({@code none}, {@code host}, {@code bridge}) as the configuration wants them. */
final class PredefinedPlan {
    private PredefinedPlan() {
    }

    /**
     * Fresh networks with new ids; {@link #keepIdentity} carries a stored one's id over.
     *
     * @param automaticIpv6 the bridge's IPv6 subnet when IPv6 is on and neither bip6 nor
     *                      fixed-cidr-v6 gives one (asked only then)
     */
    static List<Network> networks(DefaultBridgeSettings s, Supplier<IpPrefix> automaticIpv6, Instant now,
                                  RandomGenerator random) {
        Network.Ipam noPools = new Network.Ipam(Network.Ipam.DEFAULT_DRIVER, null, List.of());
        Map<String, String> options = new TreeMap<>();
        options.put(PredefinedNetworks.OPT_DEFAULT_BRIDGE, "true");
        options.put(PredefinedNetworks.OPT_ENABLE_ICC, Boolean.toString(s.icc()));
        options.put(PredefinedNetworks.OPT_ENABLE_IP_MASQUERADE, Boolean.toString(s.ipMasquerade()));
        options.put(PredefinedNetworks.OPT_HOST_BINDING_IPV4, s.hostBindingIp());
        options.put(PredefinedNetworks.OPT_BRIDGE_NAME, PredefinedNetworks.DEFAULT_BRIDGE_DEVICE);
        options.put(PredefinedNetworks.OPT_MTU, Integer.toString(s.mtu()));
        List<IpamPool> pools = new ArrayList<>();
        pools.add(s.ipv4().pool(false, () -> {
            throw new IllegalStateException("the default bridge's IPv4 subnet is always configured");
        }));
        s.ipv6().ifPresent(v6 -> pools.add(v6.pool(true, automaticIpv6)));
        Network.Flags bridgeFlags = new Network.Flags(true, s.ipv6().isPresent(), false, false, false, false);
        Fresh fresh = new Fresh(now, random);
        return List.of(
                fresh.network(PredefinedNetworks.NONE, PredefinedNetworks.DRIVER_NULL, noPools, Network.Flags.ipv4Only(),
                        Map.of()),
                fresh.network(PredefinedNetworks.HOST, PredefinedNetworks.DRIVER_HOST, noPools, Network.Flags.ipv4Only(),
                        Map.of()),
                fresh.network(PredefinedNetworks.BRIDGE, PredefinedNetworks.DRIVER_BRIDGE,
                        new Network.Ipam(Network.Ipam.DEFAULT_DRIVER, null, pools), bridgeFlags, options));
    }

    /**
     * The default bridge's IPv6 subnet when the configuration gives none: the one it has if that
     * came from the pools and no other network overlaps it (so sandboxes that outlived the daemon
     * keep valid addresses), else the lowest free subnet of the pools, as a user network would get
     * it (Docker 28 gives docker0 the first /64 of the engine's ULA /48 on a fresh host).
     *
     * @param stored       every stored network, the old {@code bridge} included
     * @param hostReserved the host's prefixes automatic subnets avoid (the bridge's own are ignored)
     */
    static IpPrefix automaticIpv6Subnet(List<PoolSpec> pools, Collection<Network> stored, List<IpPrefix> hostReserved) {
        Optional<Network> bridge = stored.stream().filter(n -> n.name().equals(PredefinedNetworks.BRIDGE)).findFirst();
        List<IpPrefix> own = bridge.stream().flatMap(n -> n.ipam().pools().stream()).map(p -> p.subnet().masked())
                .toList();
        List<IpPrefix> others = stored.stream()
                .filter(n -> !n.name().equals(PredefinedNetworks.BRIDGE) && !n.flags().configOnly())
                .flatMap(n -> n.ipam().pools().stream()).map(p -> p.subnet().masked()).toList();
        Optional<IpPrefix> current = bridge.filter(n -> n.flags().enableIpv6()).stream()
                .flatMap(n -> n.ipam().pools().stream()).filter(p -> !p.isIpv4()).map(p -> p.subnet().masked())
                .findFirst();
        if (current.isPresent() && fromPools(current.get(), pools) && others.stream().noneMatch(current.get()::overlaps)) {
            return current.get();
        }
        List<IpPrefix> taken = new ArrayList<>(others);
        hostReserved.stream().filter(r -> !own.contains(r.masked())).forEach(taken::add);
        return SubnetAllocator.lowestFree(pools, taken).orElseThrow(() -> new InternalException(
                "no IPv6 subnet for the default bridge: " + IpamPlanner.EXHAUSTED
                        + " (give one with fixed-cidr-v6 or bip6)"));
    }

    private static boolean fromPools(IpPrefix subnet, List<PoolSpec> pools) {
        return pools.stream().anyMatch(p -> p.base().bits() == subnet.bits() && p.base().contains(subnet.address())
                && p.size() == subnet.length());
    }

    /**
     * The default bridge with the gateway modes of daemon.json {@code default-network-opts.bridge}
     * (a Berth extension: Docker applies those defaults to new networks only). {@code isolated} is
     * left out: it needs an internal network, and the default bridge is not one (the config
     * loader warns about it). Any other network is returned as it is.
     */
    static Network withDefaultGatewayModes(Network network, Map<String, String> bridgeDefaults) {
        if (!network.name().equals(PredefinedNetworks.BRIDGE)) {
            return network;
        }
        TreeMap<String, String> options = new TreeMap<>(network.options());
        for (String key : List.of(PredefinedNetworks.OPT_GATEWAY_MODE_IPV4, PredefinedNetworks.OPT_GATEWAY_MODE_IPV6)) {
            String mode = bridgeDefaults.get(key);
            if (mode != null && !mode.equals(GatewayMode.ISOLATED.text())) {
                options.put(key, mode);
            }
        }
        if (options.equals(network.options())) {
            return network;
        }
        return new Network(network.id(), network.name(), network.driver(), network.created(), network.scope(),
                network.ipam(), network.flags(), options, network.labels());
    }

    /** The wanted network with the stored one's id and creation time: ids stay stable across restarts. */
    static Network keepIdentity(Network wanted, Network old) {
        return new Network(old.id(), wanted.name(), wanted.driver(), old.created(), wanted.scope(),
                wanted.ipam(), wanted.flags(), wanted.options(), wanted.labels());
    }

    /** New networks created now, with random ids. */
    private record Fresh(Instant now, RandomGenerator random) {
        Network network(String name, String driver, Network.Ipam ipam, Network.Flags flags, Map<String, String> options) {
            return new Network(NetworkId.random(random), name, driver, now, Network.SCOPE_LOCAL, ipam,
                    flags, new TreeMap<>(options), new TreeMap<>());
        }
    }
}
