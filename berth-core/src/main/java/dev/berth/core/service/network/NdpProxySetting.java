package dev.berth.core.service.network;

import java.util.List;

/**
 * daemon.json {@code ndp-proxy}: whether Berth proxies neighbour discovery for the IPv6 endpoints
 * of {@code routed} and {@code nat-unprotected} networks whose subnet lies inside a prefix on-link
 * at a host interface ({@link NdpProxies}), and on which interfaces.
 *
 * @param on         false: no entries at all ({@code "ndp-proxy": false})
 * @param interfaces the only interfaces used ({@code "ndp-proxy": ["eth0"]}); empty means every
 *                   interface with such a prefix ({@code "auto"}, the default)
 */
public record NdpProxySetting(boolean on, List<String> interfaces) {
    /** {@code "auto"}: every interface whose on-link prefix holds a subnet. */
    public static final NdpProxySetting AUTO = new NdpProxySetting(true, List.of());
    /** {@code false}: none. */
    public static final NdpProxySetting OFF = new NdpProxySetting(false, List.of());

    public NdpProxySetting {
        interfaces = List.copyOf(interfaces);
        if (!on && !interfaces.isEmpty()) {
            throw new IllegalArgumentException("ndp-proxy off names no interfaces");
        }
    }

    /** Only these interfaces (at least one). */
    public static NdpProxySetting only(List<String> interfaces) {
        if (interfaces.isEmpty()) {
            throw new IllegalArgumentException("ndp-proxy needs at least one interface");
        }
        return new NdpProxySetting(true, interfaces);
    }

    /** Whether entries may go on this interface. */
    public boolean allows(String device) {
        return on && (interfaces.isEmpty() || interfaces.contains(device));
    }

    /** As daemon.json spells it: {@code "auto"}, {@code false} or {@code ["eth0","eth1"]}. */
    @Override
    public String toString() {
        if (!on) {
            return "false";
        }
        if (interfaces.isEmpty()) {
            return "\"auto\"";
        }
        return interfaces.stream().map(i -> "\"" + i + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }
}
