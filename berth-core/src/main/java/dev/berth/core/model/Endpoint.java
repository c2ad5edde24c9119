package dev.berth.core.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One sandbox's attachment to one network: its interface in the sandbox, its addresses and the
 * settings the user asked for. Endpoints on {@code host} and {@code none} have no interface:
 * {@code ifName}, {@code hostIfName} and {@code mac} are empty and both addresses null.
 *
 * @param ifName     the interface inside the sandbox, {@code eth<N>}
 * @param hostIfName the host end of the veth pair, {@code veth} + 7 hex
 * @param mac        of the sandbox's interface, lower-case colon form
 * @param ipv4       address with the subnet's prefix length, or null
 * @param ipv6       address with the subnet's prefix length, or null
 * @param aliases    network-scoped aliases, as given
 * @param requested  what the user asked for, shown back by inspect ({@code IPAMConfig})
 */
public record Endpoint(EndpointId id, NetworkId networkId, SandboxId sandboxId, String ifName, String hostIfName,
                       String mac, IpPrefix ipv4, IpPrefix ipv6, List<String> aliases, Requested requested) {

    public Endpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(networkId, "networkId");
        Objects.requireNonNull(sandboxId, "sandboxId");
        Objects.requireNonNull(ifName, "ifName");
        Objects.requireNonNull(hostIfName, "hostIfName");
        Objects.requireNonNull(mac, "mac");
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(requested, "requested");
    }

    /** Its addresses, IPv4 first; empty without an interface. */
    public List<IpPrefix> addresses() {
        if (ipv4 == null) {
            return ipv6 == null ? List.of() : List.of(ipv6);
        }
        return ipv6 == null ? List.of(ipv4) : List.of(ipv4, ipv6);
    }

    /** Whether the endpoint has an interface in the sandbox (bridge endpoints do). */
    public boolean hasInterface() {
        return !ifName.isEmpty();
    }

    /**
     * The user's endpoint settings, each empty when not given.
     *
     * @param ipv4         {@code --ip}
     * @param ipv6         {@code --ip6}
     * @param mac          {@code --mac-address}
     * @param gwPriority   {@code --gw-priority}: the highest supplies the default gateway
     * @param links        {@code --link}: {@code container:alias} each, the alias resolving for this
     *                     sandbox alone to the container's addresses on the network
     * @param linkLocalIps {@code --link-local-ip}: extra addresses of the interface, link-local
     * @param driverOpts   {@code --driver-opt}, kept and shown as given; {@link #SYSCTLS} is applied
     */
    public record Requested(String ipv4, String ipv6, String mac, int gwPriority, List<String> links,
                            List<String> linkLocalIps, Map<String, String> driverOpts) {
        public static final Requested NONE = new Requested("", "", "", 0);
        /**
         * The driver option of per-interface sysctls (Docker 25+): a comma-separated list of
         * {@code net.X.Y.IFNAME.Z=V}, set on the endpoint's interface, {@code IFNAME} standing for its name.
         */
        public static final String SYSCTLS = "com.docker.network.endpoint.sysctls";

        public Requested {
            ipv4 = ipv4 == null ? "" : ipv4;
            ipv6 = ipv6 == null ? "" : ipv6;
            mac = mac == null ? "" : mac;
            links = links == null ? List.of() : List.copyOf(links);
            linkLocalIps = linkLocalIps == null ? List.of() : List.copyOf(linkLocalIps);
            driverOpts = driverOpts == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(driverOpts));
        }

        public Requested(String ipv4, String ipv6, String mac, int gwPriority) {
            this(ipv4, ipv6, mac, gwPriority, List.of(), List.of(), Map.of());
        }

        public boolean hasAddress() {
            return !ipv4.isEmpty() || !ipv6.isEmpty();
        }

        /** The items of {@link #SYSCTLS} ({@code net.X.Y.IFNAME.Z=V} each), in order; empty without it. */
        public List<String> sysctls() {
            return sysctls(driverOpts);
        }

        /** The items of {@link #SYSCTLS} in driver options as a request gives them; empty without it. */
        public static List<String> sysctls(Map<String, String> driverOpts) {
            String value = driverOpts.get(SYSCTLS);
            return value == null ? List.of() : List.of(value.split(",", -1));
        }
    }
}
