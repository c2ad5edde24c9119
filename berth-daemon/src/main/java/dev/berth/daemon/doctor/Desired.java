package dev.berth.daemon.doctor;

import dev.berth.core.model.BridgeOptions;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.GatewayMode;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.spi.KernelDrift;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the store says, as the doctor reads it: the networks, the endpoints, and where the kernel
 * differs from them (the reconcile comparison plus the firewall's elements: {@code Reconciler.audit}).
 *
 * @param networks  every network
 * @param endpoints every endpoint
 * @param drift     what differs from the kernel now; empty when nothing does
 * @param ulaPool   the engine's ULA /48 (automatic IPv6 subnets come from it), where a fix that says
 *                  "use a ULA network" takes a free /64
 */
public record Desired(List<Network> networks, List<Endpoint> endpoints, List<KernelDrift> drift, IpPrefix ulaPool) {
    private static final int ULA_SIZE = 64;

    /** Networks are kept by name, so reports come in the same order every time. */
    public Desired {
        networks = networks.stream().sorted(Comparator.comparing(Network::name)).toList();
        endpoints = List.copyOf(endpoints);
        drift = List.copyOf(drift);
    }

    /** Networks with kernel objects of the bridge driver: the ones the host checks concern. */
    List<Network> bridges() {
        return networks.stream().filter(n -> PredefinedNetworks.DRIVER_BRIDGE.equals(n.driver())
                && !n.flags().configOnly()).toList();
    }

    /** Bridge networks that reach beyond their bridge (not {@code --internal}). */
    List<Network> outbound() {
        return bridges().stream().filter(n -> !n.flags().internal()).toList();
    }

    static List<IpPrefix> subnets(Network network, boolean ipv6) {
        return network.ipam().pools().stream().filter(p -> p.isIpv4() != ipv6).map(IpamPool::subnet)
                .map(IpPrefix::masked).toList();
    }

    /** The network's IPv6 subnets that are global ({@link Ipv6#isGlobal}). */
    static List<IpPrefix> globalSubnets(Network network) {
        return subnets(network, true).stream().filter(Ipv6::isGlobal).toList();
    }

    /** The network's IPv6 gateway mode ({@code nat} unless {@code gateway_mode_ipv6} says otherwise). */
    static GatewayMode mode6(Network network) {
        return BridgeOptions.of(network).gatewayModeIpv6();
    }

    /**
     * Whether the network's IPv6 addresses must be reachable from outside on their own: a routed or
     * unprotected gateway, or nat mode with masquerading turned off. Then its global subnets must lie
     * in an on-link prefix (NDP proxy) or be routed to this host.
     */
    static boolean reachedDirectly(Network network) {
        GatewayMode mode = mode6(network);
        return mode == GatewayMode.ROUTED || mode == GatewayMode.NAT_UNPROTECTED
                || mode == GatewayMode.NAT && !BridgeOptions.of(network).ipMasquerade();
    }

    boolean hasEndpoints(Network network) {
        return endpoints.stream().anyMatch(e -> e.networkId().equals(network.id()));
    }

    List<Endpoint> endpointsOf(Network network) {
        return endpoints.stream().filter(e -> e.networkId().equals(network.id())).toList();
    }

    Optional<Network> network(NetworkId id) {
        return networks.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /** The first /64 of {@link #ulaPool} that no network's subnet overlaps (the pool's first when all are taken). */
    IpPrefix freeUla() {
        List<IpPrefix> taken = networks.stream().flatMap(n -> subnets(n, true).stream()).toList();
        BigInteger step = BigInteger.ONE.shiftLeft(ulaPool.bits() - ULA_SIZE);
        long count = 1L << Math.min(16, ULA_SIZE - ulaPool.length());
        for (long i = 0; i < count; i++) {
            IpPrefix candidate = new IpPrefix(ulaPool.addressAt(step.multiply(BigInteger.valueOf(i))), ULA_SIZE);
            if (taken.stream().noneMatch(candidate::overlaps)) {
                return candidate;
            }
        }
        return new IpPrefix(ulaPool.masked().address(), ULA_SIZE);
    }

    /** {@code docker network create --ipv6 --subnet fdXX:XXXX:XXXX:N::/64 v6net}, on {@link #freeUla()}. */
    String ulaNetworkCommand() {
        return "docker network create --ipv6 --subnet " + freeUla() + " v6net";
    }

    static String names(List<Network> networks) {
        return String.join(", ", networks.stream().map(Network::name).toList());
    }
}
