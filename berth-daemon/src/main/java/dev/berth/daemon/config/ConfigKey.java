package dev.berth.daemon.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.service.network.BridgeIpam;
import dev.berth.core.service.network.DefaultBridgeSettings;
import dev.berth.daemon.api.ApiTls;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every daemon.json option Berth implements (the same names as flags), whether a reload (SIGHUP)
 * applies it live, and its value in a {@link DaemonConfig} as the reload compares and reports it.
 * The one list of options: the loader refuses any other, {@link ConfigDiff} compares these, and
 * {@link DaemonConfig#reloaded} takes the {@link Reload#LIVE} ones from the file. A new reloadable
 * option is a constant here with {@code LIVE}, its part in {@code DaemonConfig.reloaded}, and a
 * {@link ConfigReload.Step} that applies it (the daemon lists the steps).
 */
public enum ConfigKey {
    HOSTS("hosts", Reload.RESTART, c -> json(c.hosts().stream().map(Object::toString).toList())),
    TLS("tls", Reload.RESTART, c -> Boolean.toString(c.tls().isPresent())),
    TLS_VERIFY("tlsverify", Reload.RESTART, c -> Boolean.toString(c.tls().map(ApiTls::verifyClients).orElse(false))),
    TLS_CA_CERT("tlscacert", Reload.RESTART, c -> text(c.tls().flatMap(ApiTls::caFile))),
    TLS_CERT("tlscert", Reload.RESTART, c -> text(c.tls().map(ApiTls::certFile))),
    TLS_KEY("tlskey", Reload.RESTART, c -> text(c.tls().map(ApiTls::keyFile))),
    GROUP("group", Reload.RESTART, DaemonConfig::group),
    DATA_ROOT("data-root", Reload.RESTART, c -> c.dataRoot().toString()),
    EXEC_ROOT("exec-root", Reload.RESTART, c -> c.execRoot().toString()),
    DEBUG("debug", Reload.LIVE, c -> Boolean.toString(c.logging().level().equals("debug"))),
    LOG_LEVEL("log-level", Reload.LIVE, c -> c.logging().level()),
    LOG_FORMAT("log-format", Reload.LIVE, c -> c.logging().format()),
    BIP("bip", Reload.RESTART, c -> text(c.bridge().ipv4().bip())),
    FIXED_CIDR("fixed-cidr", Reload.RESTART, c -> text(c.bridge().ipv4().fixedCidr())),
    DEFAULT_GATEWAY("default-gateway", Reload.RESTART, c -> address(c.bridge().ipv4().defaultGateway())),
    MTU("mtu", Reload.RESTART, c -> Integer.toString(c.bridge().mtu())),
    IP("ip", Reload.RESTART, c -> c.bridge().hostBindingIp()),
    DEFAULT_ADDRESS_POOLS("default-address-pools", Reload.RESTART, c -> c.addressPools().stream()
            .map(p -> p.base() + "/" + p.size()).toList().toString()),
    IPV6("ipv6", Reload.LIVE, c -> Boolean.toString(c.bridge().ipv6().isPresent())),
    BIP6("bip6", Reload.LIVE, c -> text(ipv6(c).flatMap(BridgeIpam::bip))),
    FIXED_CIDR_V6("fixed-cidr-v6", Reload.LIVE, c -> text(ipv6(c).flatMap(BridgeIpam::fixedCidr))),
    DEFAULT_GATEWAY_V6("default-gateway-v6", Reload.LIVE, c -> address(ipv6(c).flatMap(BridgeIpam::defaultGateway))),
    ICC("icc", Reload.LIVE, c -> Boolean.toString(c.bridge().icc())),
    IP_MASQ("ip-masq", Reload.LIVE, c -> Boolean.toString(c.bridge().ipMasquerade())),
    DNS("dns", Reload.LIVE, c -> json(c.dns())),
    DNS_CACHE("dns-cache", Reload.LIVE, c -> Boolean.toString(c.dnsCache())),
    DNS_NEG_TTL(ConfigLoader.DNS_NEG_TTL, Reload.LIVE, c -> Long.toString(c.dnsNegTtl())),
    DEFAULT_NETWORK_OPTS(DefaultNetworkOpts.KEY, Reload.LIVE, c -> json(sorted(c.defaultNetworkOpts()))),
    NDP_PROXY(NdpProxyOption.KEY, Reload.LIVE, c -> c.ndpProxy().toString()),
    METRICS_ADDR(MetricsAddress.KEY, Reload.RESTART, c -> text(c.metricsAddr())),
    CLUSTER_STORE(ClusterSettings.STORE, Reload.RESTART, c -> c.cluster().storeText()),
    CLUSTER_ADVERTISE(ClusterSettings.ADVERTISE, Reload.RESTART, c -> c.cluster().advertise()),
    CLUSTER_STORE_OPTS(ClusterSettings.OPTS, Reload.RESTART, c -> c.cluster().optsText());

    /** Whether a reload applies the option, or it waits for the next start. */
    public enum Reload { LIVE, RESTART }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String key;
    private final Reload reload;
    private final Function<DaemonConfig, String> value;

    ConfigKey(String key, Reload reload, Function<DaemonConfig, String> value) {
        this.key = key;
        this.reload = reload;
        this.value = value;
    }

    /** The daemon.json name (and flag name). */
    public String key() {
        return key;
    }

    public Reload reload() {
        return reload;
    }

    /** The option's effective value in {@code config}, as text ({@code ""} when unset); lists as JSON, as moby's reload event shows them. */
    public String value(DaemonConfig config) {
        return value.apply(config);
    }

    /** Every option name. */
    static Set<String> names() {
        return Arrays.stream(values()).map(ConfigKey::key).collect(Collectors.toUnmodifiableSet());
    }

    /** The option of this name. */
    static Optional<ConfigKey> named(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    private static Optional<BridgeIpam> ipv6(DaemonConfig c) {
        DefaultBridgeSettings bridge = c.bridge();
        return bridge.ipv6();
    }

    private static String text(Optional<?> value) {
        return value.map(Object::toString).orElse("");
    }

    private static String address(Optional<java.net.InetAddress> value) {
        return value.map(IpAddresses::format).orElse("");
    }

    /** Driver by driver, option by option, in name order: the same map prints the same. */
    private static Map<String, Map<String, String>> sorted(Map<String, Map<String, String>> perDriver) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        perDriver.forEach((driver, options) -> out.put(driver, new TreeMap<>(options)));
        return out;
    }

    private static String json(Object values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
