package dev.berth.core.service.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request to create a sandbox ({@code POST /containers/create}, networking part only).
 *
 * @param name        empty for a generated one; a leading slash is allowed
 * @param hostname    empty for the short id
 * @param networkMode {@code HostConfig.NetworkMode}: empty or {@code default} means {@code bridge};
 *                    {@code host}, {@code none} or a network name, id or id prefix
 * @param endpoints   {@code NetworkingConfig.EndpointsConfig}: settings per network (name, id or
 *                    {@code default} for the network mode's); networks other than the mode's are
 *                    joined too
 * @param ports       {@code HostConfig.PortBindings}, one entry per host binding, unchecked
 */
public record CreateSandbox(String name, String hostname, String networkMode, Map<String, EndpointRequest> endpoints,
                            List<PortRequest> ports) {
    public CreateSandbox {
        name = name == null ? "" : name;
        hostname = hostname == null ? "" : hostname;
        networkMode = networkMode == null ? "" : networkMode;
        endpoints = endpoints == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** A request that publishes no ports. */
    public CreateSandbox(String name, String hostname, String networkMode, Map<String, EndpointRequest> endpoints) {
        this(name, hostname, networkMode, endpoints, List.of());
    }

    /** A sandbox on one network with default settings. */
    public static CreateSandbox on(String name, String networkMode) {
        return new CreateSandbox(name, "", networkMode, Map.of());
    }
}
