package dev.berth.core.service.network;

import java.util.List;
import java.util.Map;

/**
 * The {@code IPAM} part of a create request.
 *
 * @param driver  IPAM driver; {@code null}, empty and {@code default} mean the built-in one
 * @param options driver options, stored as given ({@code null} stays {@code null})
 * @param pools   at most one per address family
 */
public record IpamRequest(String driver, Map<String, String> options, List<PoolRequest> pools) {
    public IpamRequest {
        options = options == null ? null : Map.copyOf(options);
        pools = pools == null ? List.of() : List.copyOf(pools);
    }

    public static IpamRequest defaults() {
        return new IpamRequest(null, null, List.of());
    }
}
