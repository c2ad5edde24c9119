package dev.berth.core.service.network;

import dev.berth.core.ipam.DefaultPools;
import dev.berth.core.ipam.PoolSpec;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.PredefinedNetworks;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Daemon configuration the network use cases need.
 *
 * @param engineId the daemon's engine id; the IPv6 ULA pool is derived from it
 * @param pools    daemon.json {@code default-address-pools}, both families; the IPv4 entries replace
 *                 Docker's IPv4 pools, the IPv6 entries replace the ULA pool (each only when present)
 * @param bridge   how the default {@code bridge} network is built
 * @param defaultNetworkOpts daemon.json {@code default-network-opts}: per driver name, the driver
 *                 options a new network of that driver gets unless its request gives them (Docker
 *                 24+); the {@code bridge} entry's gateway modes also apply to the default bridge
 * @param ndpProxy daemon.json {@code ndp-proxy}: NDP proxy entries for routed IPv6 endpoints, on which interfaces
 */
public record NetworkSettings(String engineId, List<PoolSpec> pools, DefaultBridgeSettings bridge,
                              Map<String, Map<String, String>> defaultNetworkOpts, NdpProxySetting ndpProxy) {

    public NetworkSettings {
        Objects.requireNonNull(engineId, "engineId");
        pools = pools == null ? List.of() : List.copyOf(pools);
        Objects.requireNonNull(bridge, "bridge");
        defaultNetworkOpts = defaultNetworkOpts == null ? Map.of() : defaultNetworkOpts.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Map.copyOf(e.getValue())));
        Objects.requireNonNull(ndpProxy, "ndpProxy");
    }

    /** With {@code ndp-proxy} {@code "auto"}. */
    public NetworkSettings(String engineId, List<PoolSpec> pools, DefaultBridgeSettings bridge,
                           Map<String, Map<String, String>> defaultNetworkOpts) {
        this(engineId, pools, bridge, defaultNetworkOpts, NdpProxySetting.AUTO);
    }

    /** Without {@code default-network-opts}. */
    public NetworkSettings(String engineId, List<PoolSpec> pools, DefaultBridgeSettings bridge) {
        this(engineId, pools, bridge, Map.of());
    }

    /** The {@code default-network-opts} of one driver (empty when it has none). */
    public Map<String, String> defaultOptions(String driver) {
        return defaultNetworkOpts.getOrDefault(driver, Map.of());
    }

    /** Docker's defaults with an empty engine id: for tests and callers that set nothing. */
    public static NetworkSettings defaults() {
        return new NetworkSettings("", List.of(), new DefaultBridgeSettings(
                IpPrefix.parse(PredefinedNetworks.DEFAULT_BRIDGE_CIDR), PredefinedNetworks.DEFAULT_MTU, true, true,
                "0.0.0.0"));
    }

    /** The IPv4 pools automatic subnets come from, in order of preference. */
    public List<PoolSpec> ipv4Pools() {
        List<PoolSpec> configured = pools.stream().filter(PoolSpec::isIpv4).toList();
        return configured.isEmpty() ? DefaultPools.ipv4() : configured;
    }

    /** The IPv6 pools automatic subnets come from: configured ones, else the engine's ULA /48. */
    public List<PoolSpec> ipv6Pools() {
        List<PoolSpec> configured = pools.stream().filter(p -> !p.isIpv4()).toList();
        return configured.isEmpty() ? List.of(DefaultPools.ula(engineId)) : configured;
    }
}
