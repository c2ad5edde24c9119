package dev.berth.daemon.config;

import dev.berth.core.ipam.PoolSpec;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.service.network.DefaultBridgeSettings;
import dev.berth.core.service.network.NdpProxySetting;
import dev.berth.daemon.api.ApiListener;
import dev.berth.daemon.api.ApiTls;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The daemon's effective settings: defaults, overridden by daemon.json, overridden by flags.
 *
 * @param hosts       where the API listens ({@code -H}): Unix sockets and TCP addresses, at least one
 * @param tls         TLS of the TCP listeners ({@code --tls}, {@code --tlsverify} and their files); empty: none
 * @param group       the API socket's group ({@code -G/--group}); empty means the daemon's own
 * @param dataRoot    durable state (store, engine id)
 * @param execRoot    runtime state (pid file, default socket directory)
 * @param configFile  the daemon.json that was read (may not exist)
 * @param logging     log level and format
 * @param bridge      how the default bridge is built
 * @param addressPools {@code default-address-pools}: empty means Docker's defaults
 * @param dns         {@code dns}: upstreams of the embedded DNS server; empty means the host's resolv.conf
 * @param defaultNetworkOpts {@code default-network-opts}: per driver, options new networks get by default
 * @param ndpProxy    {@code ndp-proxy}: NDP proxy entries for routed IPv6 sandboxes inside an on-link prefix
 * @param dnsCache    {@code dns-cache}: the embedded DNS keeps forwarded answers for their TTL
 * @param dnsNegTtl   {@code dns-neg-ttl}: seconds it keeps a negative answer that has no SOA (0: not kept)
 * @param metricsAddr {@code metrics-addr}: where the Prometheus endpoint listens; empty: nowhere
 * @param cluster     {@code cluster-store} and friends: the etcd of overlay networks (none by default)
 */
public record DaemonConfig(List<ApiListener> hosts, Optional<ApiTls> tls, String group, Path dataRoot, Path execRoot, Path configFile, Logging logging,
                           DefaultBridgeSettings bridge, List<PoolSpec> addressPools, List<String> dns,
                           Map<String, Map<String, String>> defaultNetworkOpts, NdpProxySetting ndpProxy,
                           boolean dnsCache, long dnsNegTtl, Optional<MetricsAddress> metricsAddr,
                           ClusterSettings cluster) {

    public DaemonConfig {
        hosts = List.copyOf(hosts);
        java.util.Objects.requireNonNull(tls, "tls");
        addressPools = List.copyOf(addressPools);
        dns = List.copyOf(dns);
        defaultNetworkOpts = Map.copyOf(defaultNetworkOpts);
        java.util.Objects.requireNonNull(ndpProxy, "ndpProxy");
        java.util.Objects.requireNonNull(metricsAddr, "metricsAddr");
        java.util.Objects.requireNonNull(cluster, "cluster");
    }

    public static final String DEFAULT_HOST = "unix:///run/berth/berth.sock";
    public static final Path DEFAULT_DATA_ROOT = Path.of("/var/lib/berth");
    public static final Path DEFAULT_EXEC_ROOT = Path.of("/run/berth");
    public static final Path DEFAULT_CONFIG_FILE = Path.of("/etc/berth/daemon.json");

    /** Level ({@code debug|info|warn|error|fatal}) and format ({@code text|json}). */
    public record Logging(String level, String format) {
        public static Logging defaults() {
            return new Logging("info", "text");
        }
    }

    /** Docker's default bridge: 172.17.0.1/16, no IPv6, MTU 1500, ICC and masquerade on. */
    public static DefaultBridgeSettings defaultBridge() {
        return new DefaultBridgeSettings(IpPrefix.parse(PredefinedNetworks.DEFAULT_BRIDGE_CIDR),
                PredefinedNetworks.DEFAULT_MTU, true, true, "0.0.0.0");
    }

    /**
     * The configuration in force after a reload that loaded {@code loaded}: the options a reload
     * applies ({@link ConfigKey.Reload#LIVE}) from {@code loaded}, every other one as it is here
     * (they need a restart). {@code ConfigReloadTest} checks this against {@link ConfigKey}.
     */
    public DaemonConfig reloaded(DaemonConfig loaded) {
        DefaultBridgeSettings now = bridge;
        DefaultBridgeSettings next = loaded.bridge();
        return new DaemonConfig(hosts, tls, group, dataRoot, execRoot, configFile, loaded.logging(),
                new DefaultBridgeSettings(now.ipv4(), next.ipv6(), now.mtu(), next.icc(), next.ipMasquerade(),
                        now.hostBindingIp()),
                addressPools, loaded.dns(), loaded.defaultNetworkOpts(), loaded.ndpProxy(), loaded.dnsCache(),
                loaded.dnsNegTtl(), metricsAddr, cluster);
    }

    /** The path of the first Unix socket the API listens on (tests). */
    public Path socketPath() {
        return hosts.stream().filter(ApiListener.Unix.class::isInstance).map(h -> ((ApiListener.Unix) h).path())
                .findFirst().orElseThrow();
    }
}
