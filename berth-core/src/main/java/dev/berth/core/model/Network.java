package dev.berth.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A network as the user asked for it and as it is stored: the desired state from which the kernel
 * objects (bridge, addresses, rules) are derived.
 */
public record Network(NetworkId id, String name, String driver, Instant created, String scope, Ipam ipam,
                      Flags flags, SortedMap<String, String> options, SortedMap<String, String> labels) {

    public static final String SCOPE_LOCAL = "local";
    /** The scope of networks that live in the cluster store (moby's datastore.GlobalScope). */
    public static final String SCOPE_GLOBAL = "global";

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

    /**
     * Whether the network is a Linux bridge on this host with veths into the sandboxes, filtered
     * and NATed as one: the {@code bridge} driver's and the {@code overlay} driver's (whose bridge
     * also has the network's VXLAN device as a port).
     */
    public boolean isBridged() {
        return driver.equals(PredefinedNetworks.DRIVER_BRIDGE) || driver.equals(PredefinedNetworks.DRIVER_OVERLAY);
    }

    /** Whether the network lives in the cluster store and exists on every host. */
    public boolean isGlobal() {
        return SCOPE_GLOBAL.equals(scope);
    }

    /**
     * The VXLAN id of an overlay network ({@link PredefinedNetworks#OPT_OVERLAY_VNI}), empty when
     * the option is not there; a value that is not a number is a {@link NumberFormatException}.
     */
    public OptionalInt overlayVni() {
        String text = options.get(PredefinedNetworks.OPT_OVERLAY_VNI);
        return text == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(text.strip()));
    }

    public boolean isPredefined() {
        return PredefinedNetworks.isPredefined(name);
    }

    private static SortedMap<String, String> sortedCopy(Map<String, String> map) {
        return map == null ? new TreeMap<>() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
}
