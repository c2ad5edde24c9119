package dev.berth.core.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a bridge network's gateway treats one address family (Docker 28's
 * {@code com.docker.network.bridge.gateway_mode_ipv4} / {@code _ipv6}).
 *
 * <ul>
 * <li>{@link #NAT} (the default): outbound traffic is masqueraded, published ports are DNATed
 * from the host's ports, and nothing else from outside the bridge reaches a sandbox address
 * (Docker 28's direct-access protection).</li>
 * <li>{@link #NAT_UNPROTECTED}: like {@code nat}, but every port of a sandbox address is
 * reachable from outside the bridge (not from other networks' bridges).</li>
 * <li>{@link #ROUTED}: no masquerade and no DNAT; from outside, a sandbox address is reachable by
 * ICMP and on its published container ports (host ports and host addresses are ignored).</li>
 * <li>{@link #ISOLATED} (internal networks only): no gateway address on the bridge for the family.</li>
 * </ul>
 */
public enum GatewayMode {
    NAT("nat"),
    NAT_UNPROTECTED("nat-unprotected"),
    ROUTED("routed"),
    ISOLATED("isolated");

    private final String text;

    GatewayMode(String text) {
        this.text = text;
    }

    /** The option value, as Docker spells it. */
    public String text() {
        return text;
    }

    /** The mode this option value names, exactly as moby's {@code newGwMode} reads it (no trimming, no case folding). */
    public static Optional<GatewayMode> parse(String text) {
        return Arrays.stream(values()).filter(m -> m.text.equals(text)).findFirst();
    }

    /** Whether outbound traffic is masqueraded and published ports are DNATed. */
    public boolean nat() {
        return this == NAT || this == NAT_UNPROTECTED;
    }

    @Override
    public String toString() {
        return text;
    }
}
