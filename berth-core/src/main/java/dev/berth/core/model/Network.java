package dev.berth.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A network as the user asked for it and as it is stored: the desired state from which the kernel
 * objects (bridge, addresses, rules) are derived.
 */
public record Network(NetworkId id, String name, String driver, Instant created, String scope, Ipam ipam,
                      Flags flags, SortedMap<String, String> options, SortedMap<String, String> labels) {

    public static final String SCOPE_LOCAL = "local";

    public Network {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(created, "created");
        options = sortedCopy(options);
        labels = sortedCopy(labels);
    }

    /** IPAM settings: driver name, its options ({@code null} shown as JSON null) and pools, v4 first. */
    public record Ipam(String driver, Map<String, String> options, List<IpamPool> pools) {
        public static final String DEFAULT_DRIVER = "default";

        public Ipam {
            options = options == null ? null : sortedCopy(options);
            pools = List.copyOf(pools);
        }
    }

    /** The yes/no properties of a network. */
    public record Flags(boolean enableIpv4, boolean enableIpv6, boolean internal, boolean attachable,
                        boolean ingress, boolean configOnly) {
        public static Flags ipv4Only() {
            return new Flags(true, false, false, false, false, false);
        }
    }

    public boolean isPredefined() {
        return PredefinedNetworks.isPredefined(name);
    }

    private static SortedMap<String, String> sortedCopy(Map<String, String> map) {
        return map == null ? new TreeMap<>() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
}
