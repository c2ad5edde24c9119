package dev.berth.core.service.network;

import java.util.Map;

/**
 * One IPAM pool as the user asked for it: every field the text the client sent, {@code null} or
 * empty when not given. Validation turns it into a {@link dev.berth.core.model.IpamPool}.
 *
 * @param subnet  CIDR, e.g. {@code 10.10.0.0/24}; host bits are accepted and cleared
 * @param ipRange CIDR inside the subnet from which addresses are handed out
 * @param gateway the bridge's address; the first free address when not given
 * @param aux     named addresses kept back from allocation
 */
public record PoolRequest(String subnet, String ipRange, String gateway, Map<String, String> aux) {
    public PoolRequest {
        aux = aux == null ? Map.of() : Map.copyOf(aux);
    }

    public static PoolRequest subnet(String subnet) {
        return new PoolRequest(subnet, null, null, Map.of());
    }
}
