package dev.berth.daemon.firewall.nft;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PortBinding;
import dev.berth.core.model.PredefinedNetworks;

/** Networks and bindings for the firewall tests, with fixed ids so rendered names are stable. */
final class TestNetworks {
    private TestNetworks() {}

    /** A bridge network; {@code bridge} becomes the bridge-name option; subnets as CIDR text. */
    static Network bridge(String name, String bridge, boolean internal, Map<String, String> options, String... subnets) {
        TreeMap<String, String> opts = new TreeMap<>(options);
        opts.put(PredefinedNetworks.OPT_BRIDGE_NAME, bridge);
        List<IpamPool> pools = java.util.Arrays.stream(subnets).map(IpPrefix::parse)
                .map(p -> IpamPool.of(p, p.addressAt(java.math.BigInteger.ONE))).toList();
        boolean v6 = pools.stream().anyMatch(p -> !p.isIpv4());
        return new Network(id(name), name, PredefinedNetworks.DRIVER_BRIDGE, Instant.EPOCH, Network.SCOPE_LOCAL,
                new Network.Ipam(Network.Ipam.DEFAULT_DRIVER, null, pools),
                new Network.Flags(true, v6, internal, false, false, false), opts, new TreeMap<>());
    }

    static Network defaultBridge() {
        return bridge(PredefinedNetworks.BRIDGE, PredefinedNetworks.DEFAULT_BRIDGE_DEVICE, false,
                Map.of(PredefinedNetworks.OPT_DEFAULT_BRIDGE, "true",
                        PredefinedNetworks.OPT_ENABLE_ICC, "true",
                        PredefinedNetworks.OPT_ENABLE_IP_MASQUERADE, "true"),
                "172.17.0.0/16");
    }

    static PortBinding port(String proto, String hostIp, int hostPort, String sandboxIp, int sandboxPort) {
        return new PortBinding(proto, ip(hostIp), hostPort, ip(sandboxIp), sandboxPort);
    }

    static InetAddress ip(String text) {
        return IpAddresses.parse(text);
    }

    private static NetworkId id(String name) {
        String hex = String.format("%064x", new java.math.BigInteger(1, name.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new NetworkId(hex.substring(hex.length() - 64));
    }
}
