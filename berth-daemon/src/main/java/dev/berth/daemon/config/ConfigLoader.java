package dev.berth.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.ipam.PoolSpec;
import dev.berth.core.model.BridgeOptions;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.service.network.BridgeIpam;
import dev.berth.core.service.network.DefaultBridgeSettings;
import dev.berth.daemon.api.SocketGroup;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Builds the {@link DaemonConfig} from command-line flags and daemon.json, with dockerd's rules:
 * an option may come from one place only, unknown options stop start-up, and every problem names
 * where it came from.
 */
public final class ConfigLoader {
    static final Set<String> KNOWN = ConfigKey.names();
    private static final Set<String> LEVELS = Set.of("debug", "info", "warn", "error", "fatal");
    static final String DNS_NEG_TTL = "dns-neg-ttl";
    /**
     * Seconds a negative answer without an SOA is kept by default: as long as CoreDNS's cache
     * keeps an answer without records ({@code MinimalDefaultTTL}).
     */
    static final long DNS_NEG_TTL_DEFAULT = 5;
    /** At most a day, as every cached answer. */
    static final long DNS_NEG_TTL_MAX = 86_400;

    private final Map<String, ConfigFile.Entry> file;
    private final Path path;
    private final Predicate<String> interfaceExists;
    private final Path certDir;
    private final List<String> warnings = new ArrayList<>();

    private ConfigLoader(Path path, Map<String, ConfigFile.Entry> file, Predicate<String> interfaceExists, Path certDir) {
        this.path = path;
        this.file = file;
        this.interfaceExists = interfaceExists;
        this.certDir = certDir;
    }

    /**
     * Merges flags over the file named by {@code --config-file} (or the default file). Interfaces
     * the file names ({@code ndp-proxy}) must exist in the calling process's network namespace.
     */
    public static Loaded load(DaemonFlags flags) {
        return load(flags, NdpProxyOption::exists);
    }

    /** {@link #load(DaemonFlags)} with {@code interfaceExists} telling which interfaces exist. */
    static Loaded load(DaemonFlags flags, Predicate<String> interfaceExists) {
        return load(flags, interfaceExists, TlsOptions.defaultCertDir(System.getenv(), System.getProperty("user.home")));
    }

    /** {@link #load(DaemonFlags, Predicate)} with {@code certDir} where the TLS files are by default. */
    static Loaded load(DaemonFlags flags, Predicate<String> interfaceExists, Path certDir) {
        Path configPath = flags.configFile().orElse(DaemonConfig.DEFAULT_CONFIG_FILE);
        ConfigLoader loader = new ConfigLoader(configPath, ConfigFile.read(configPath), interfaceExists, certDir);
        return new Loaded(loader.build(flags.options(), configPath), List.copyOf(loader.warnings));
    }

    /** The configuration and the warnings to log once logging is set up. */
    public record Loaded(DaemonConfig config, List<String> warnings) {
    }

    private DaemonConfig build(Map<String, JsonNode> flags, Path configPath) {
        List<String> both = new ArrayList<>();
        Map<String, JsonNode> merged = new LinkedHashMap<>();
        file.forEach((key, entry) -> {
            if (ConfigFile.IGNORED.contains(key)) {
                warnings.add("daemon.json option \"" + key + "\" does not concern networking; Berth ignores it");
            } else if (!KNOWN.contains(key)) {
                throw new ConfigException(ConfigFile.where(path, entry.line(), 0)
                        + "unknown option \"" + key + "\" (Berth supports: " + String.join(", ", sorted(KNOWN)) + ")");
            } else {
                merged.put(key, entry.value());
            }
        });
        flags.forEach((key, value) -> {
            if (merged.containsKey(key)) {
                both.add(key);
            }
        });
        if (!both.isEmpty()) {
            throw new ConfigException("the following directives are specified both as a flag and in the configuration file: "
                    + String.join(", ", both) + " (from flag and from file " + path + ")");
        }
        merged.putAll(flags);
        TlsOptions tls = new TlsOptions(merged, certDir, this::problem, this::tlsProblem);
        return new DaemonConfig(tls.listeners(), tls.tls(), group(merged), Path.of(text(merged, "data-root", DaemonConfig.DEFAULT_DATA_ROOT.toString())),
                Path.of(text(merged, "exec-root", DaemonConfig.DEFAULT_EXEC_ROOT.toString())), configPath,
                logging(merged), bridge(merged, addressPools(merged)), addressPools(merged), dns(merged),
                DefaultNetworkOpts.parse(merged.get(DefaultNetworkOpts.KEY), r -> problem(DefaultNetworkOpts.KEY, r),
                        warnings),
                NdpProxyOption.parse(merged.get(NdpProxyOption.KEY), r -> problem(NdpProxyOption.KEY, r),
                        interfaceExists),
                bool(merged, "dns-cache", true), dnsNegTtl(merged), metricsAddr(merged),
                ClusterSettings.parse(merged, r -> problem(ClusterSettings.STORE, r)));
    }

    /** {@code dns-neg-ttl}: whole seconds, 0 to a day ({@value #DNS_NEG_TTL_DEFAULT} when unset). */
    private long dnsNegTtl(Map<String, JsonNode> values) {
        long seconds = number(values, DNS_NEG_TTL, DNS_NEG_TTL_DEFAULT);
        if (seconds < 0 || seconds > DNS_NEG_TTL_MAX) {
            throw problem(DNS_NEG_TTL, DNS_NEG_TTL + " must be 0 (keep no negative answer without an SOA) to "
                    + DNS_NEG_TTL_MAX + " seconds; got " + seconds);
        }
        return seconds;
    }

    /** {@code "127.0.0.1:9323"}: where the Prometheus endpoint listens, checked as Go's listener would. */
    private Optional<MetricsAddress> metricsAddr(Map<String, JsonNode> values) {
        if (!values.containsKey(MetricsAddress.KEY)) {
            return Optional.empty();
        }
        JsonNode v = values.get(MetricsAddress.KEY);
        if (!v.isTextual()) {
            throw problem(MetricsAddress.KEY, MetricsAddress.KEY + " must be a string HOST:PORT, e.g. \"127.0.0.1:9323\"");
        }
        if (v.asText().isEmpty()) {
            return Optional.empty(); // dockerd: "" serves no metrics
        }
        MetricsAddress.Parsed parsed = MetricsAddress.parse(v.asText());
        if (parsed.address().isEmpty()) {
            throw problem(MetricsAddress.KEY, "invalid " + MetricsAddress.KEY + " \"" + v.asText() + "\": "
                    + parsed.problem() + " (give HOST:PORT, e.g. 127.0.0.1:9323)");
        }
        return parsed.address();
    }

    /** {@code ["198.51.100.1", ...]}: the embedded DNS server's upstreams (else the host's resolv.conf). */
    private List<String> dns(Map<String, JsonNode> values) {
        JsonNode dns = values.get("dns");
        if (dns == null) {
            return List.of();
        }
        if (!dns.isArray()) {
            throw problem("dns", "dns must be a list of IP addresses");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode server : dns) {
            try {
                IpAddresses.parse(server.asText());
            } catch (InvalidParameterException e) {
                throw problem("dns", "dns must be a list of IP addresses; got " + server);
            }
            out.add(server.asText());
        }
        return out;
    }

    /** {@code [{"base":"10.10.0.0/16","size":24}, ...]}; replaces Docker's default pools. */
    private List<PoolSpec> addressPools(Map<String, JsonNode> values) {
        JsonNode pools = values.get("default-address-pools");
        if (pools == null) {
            return List.of();
        }
        if (!pools.isArray()) {
            throw problem("default-address-pools", "default-address-pools must be a list of {\"base\": CIDR, \"size\": N}");
        }
        List<PoolSpec> out = new ArrayList<>();
        for (JsonNode pool : pools) {
            if (!pool.path("base").isTextual() || !pool.path("size").isIntegralNumber() || pool.size() != 2) {
                throw problem("default-address-pools",
                        "each default address pool must be {\"base\": CIDR, \"size\": N}; got " + pool);
            }
            try {
                out.add(PoolSpec.of(pool.path("base").asText(), pool.path("size").asInt()));
            } catch (InvalidParameterException e) {
                throw problem("default-address-pools", e.getMessage());
            }
        }
        return out;
    }

    /** {@code group}: a name or gid; may be empty (the daemon's own group), unlike other text options. */
    private String group(Map<String, JsonNode> values) {
        JsonNode group = values.get("group");
        if (group == null) {
            return SocketGroup.DEFAULT;
        }
        if (!group.isTextual()) {
            throw problem("group", "group must be a group name or id");
        }
        return group.asText();
    }

    private DaemonConfig.Logging logging(Map<String, JsonNode> values) {
        String level = text(values, "log-level", "info");
        if (bool(values, "debug", false)) {
            level = "debug";
        }
        if (!LEVELS.contains(level)) {
            throw problem("log-level", "unknown log level \"" + level + "\" (use debug, info, warn, error or fatal)");
        }
        String format = text(values, "log-format", "text");
        if (!format.equals("text") && !format.equals("json")) {
            throw problem("log-format", "unknown log format \"" + format + "\" (use text or json)");
        }
        return new DaemonConfig.Logging(level, format);
    }

    /**
     * The default bridge. IPv4: {@code bip} and {@code fixed-cidr} as given; with neither, as in
     * Docker, the first subnet of the first configured IPv4 pool, else 172.17.0.1/16. IPv6 (only with
     * {@code ipv6}): {@code bip6} and {@code fixed-cidr-v6}, else a subnet from the pools at start.
     * Every given value is checked, also the IPv6 ones while {@code ipv6} is off (they are then
     * unused, with a warning), as dockerd checks {@code fixed-cidr-v6}.
     */
    private DefaultBridgeSettings bridge(Map<String, JsonNode> values, List<PoolSpec> pools) {
        DefaultBridgeSettings d = DaemonConfig.defaultBridge();
        IpPrefix defaultBip = pools.stream().filter(PoolSpec::isIpv4).findFirst()
                .map(p -> new IpPrefix(p.base().addressAt(BigInteger.ONE), p.size()))
                .orElseGet(() -> d.ipv4().bip().orElseThrow());
        BridgeIpam ipv4 = bridgeFamily(values, false, Optional.of(defaultBip));
        BridgeIpam ipv6 = bridgeFamily(values, true, Optional.empty());
        boolean ipv6On = bool(values, "ipv6", false);
        List<String> unused = Arrays.stream(BridgeIpam.Setting.values()).map(setting -> setting.option(true))
                .filter(values::containsKey).toList();
        if (!ipv6On && !unused.isEmpty()) {
            warnings.add(String.join(", ", unused) + " " + (unused.size() == 1 ? "has" : "have")
                    + " no effect: IPv6 is not enabled on the default bridge (set \"ipv6\": true)");
        }
        long mtu = number(values, "mtu", d.mtu());
        if (mtu < 68 || mtu > 65535) {
            throw problem("mtu", "mtu must be between 68 and 65535; got " + mtu);
        }
        if (ipv6On && mtu < BridgeOptions.MIN_IPV6_MTU) {
            // the kernel would refuse every IPv6 address on docker0 and its ports
            throw problem("mtu", "mtu " + mtu + " is below " + BridgeOptions.MIN_IPV6_MTU
                    + ", the least IPv6 needs, and \"ipv6\" is on for the default bridge (give an mtu of at least "
                    + BridgeOptions.MIN_IPV6_MTU + " or turn ipv6 off)");
        }
        String ip = text(values, "ip", d.hostBindingIp());
        try {
            IpAddresses.parse(ip);
        } catch (InvalidParameterException e) {
            throw problem("ip", "ip must be an IP address; got \"" + ip + "\"");
        }
        return new DefaultBridgeSettings(ipv4, ipv6On ? Optional.of(ipv6) : Optional.empty(), (int) mtu,
                bool(values, "icc", d.icc()), bool(values, "ip-masq", d.ipMasquerade()), ip);
    }

    /**
     * One family's {@code bip}, {@code fixed-cidr} and {@code default-gateway} (IPv6: {@code bip6},
     * {@code fixed-cidr-v6}, {@code default-gateway-v6}), checked alone and together; a problem
     * names the option it is about. {@code defaultBip} stands in when neither bip nor fixed-cidr is given.
     */
    private BridgeIpam bridgeFamily(Map<String, JsonNode> values, boolean v6, Optional<IpPrefix> defaultBip) {
        Optional<IpPrefix> bip = parsed(values, BridgeIpam.Setting.BIP.option(v6), IpPrefix::parse);
        Optional<IpPrefix> range = parsed(values, BridgeIpam.Setting.FIXED_CIDR.option(v6), IpPrefix::parse);
        Optional<InetAddress> router = parsed(values, BridgeIpam.Setting.DEFAULT_GATEWAY.option(v6), IpAddresses::parse);
        if (bip.isEmpty() && range.isEmpty()) {
            bip = defaultBip;
        }
        BridgeIpam ipam = new BridgeIpam(bip, range, router);
        ipam.problem(v6).ifPresent(p -> {
            throw problem(p.setting().option(v6), p.message());
        });
        return ipam;
    }

    /** The option's text through {@code parser} ({@code IpPrefix::parse}, ...), if the option is given. */
    private <T> Optional<T> parsed(Map<String, JsonNode> values, String key, Function<String, T> parser) {
        if (!values.containsKey(key)) {
            return Optional.empty();
        }
        String text = text(values, key, "");
        try {
            return Optional.of(parser.apply(text));
        } catch (InvalidParameterException e) {
            throw problem(key, "invalid " + key + ": " + e.getMessage());
        }
    }

    private String text(Map<String, JsonNode> values, String key, String fallback) {
        JsonNode v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw problem(key, key + " must be a non-empty string");
        }
        return v.asText();
    }

    private boolean bool(Map<String, JsonNode> values, String key, boolean fallback) {
        JsonNode v = values.get(key);
        if (v == null) {
            return fallback;
        }
        Boolean value = ConfigBoolean.of(v);
        if (value == null) {
            throw problem(key, key + " must be true or false");
        }
        return value;
    }

    private long number(Map<String, JsonNode> values, String key, long fallback) {
        JsonNode v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isTextual() && v.asText().matches("[0-9]{1,9}")) {
            return Long.parseLong(v.asText());
        }
        throw problem(key, key + " must be a whole number");
    }

    private ConfigException problem(String key, String reason) {
        ConfigFile.Entry entry = file.get(key);
        if (entry != null) {
            return new ConfigException(ConfigFile.where(path, entry.line(), 0) + reason);
        }
        return new ConfigException("invalid flag --" + (key.equals("hosts") ? "host" : key) + ": " + reason);
    }

    /**
     * A problem of the TLS files: with the file's line when daemon.json sets {@code key}, else
     * as it is (the file may be a default no flag named).
     */
    private ConfigException tlsProblem(String key, String reason) {
        ConfigFile.Entry entry = file.get(key);
        return new ConfigException(entry != null ? ConfigFile.where(path, entry.line(), 0) + reason : reason);
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }
}
