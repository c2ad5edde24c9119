package dev.berth.core.service.network;

import java.util.Map;

/**
 * A request to create a network, as the Engine API carries it ({@code POST /networks/create}).
 * Nothing here is validated yet: {@link NetworkService#create} does that before touching anything.
 *
 * @param name        required, unique, not a predefined name
 * @param driver      {@code null} or empty means {@code bridge}
 * @param scope       {@code null}, empty or {@code local}
 * @param enableIpv4  {@code null}: option {@code com.docker.network.enable_ipv4}, else true (the
 *                    API layer passes {@code null} for clients older than 1.48)
 * @param enableIpv6  {@code null}: option {@code com.docker.network.enable_ipv6}, else false
 * @param ipam        pools and IPAM driver; {@code null} means defaults
 * @param flags       internal, attachable, ingress, config-only
 * @param configFrom  name of a config-only network to take the configuration from, or {@code null}
 * @param options     driver options ({@code com.docker.network.*})
 * @param labels      user labels
 */
public record CreateNetwork(String name, String driver, String scope, Boolean enableIpv4, Boolean enableIpv6,
                            IpamRequest ipam, RequestFlags flags, String configFrom, Map<String, String> options,
                            Map<String, String> labels) {

    public CreateNetwork {
        ipam = ipam == null ? IpamRequest.defaults() : ipam;
        flags = flags == null ? RequestFlags.NONE : flags;
        options = options == null ? Map.of() : Map.copyOf(options);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** The yes/no fields of the request. */
    public record RequestFlags(boolean internal, boolean attachable, boolean ingress, boolean configOnly) {
        public static final RequestFlags NONE = new RequestFlags(false, false, false, false);
    }

    /** A plain bridge network with every default, as {@code docker network create NAME} asks. */
    public static CreateNetwork named(String name) {
        return new CreateNetwork(name, "bridge", "", null, null, IpamRequest.defaults(), RequestFlags.NONE, null,
                Map.of(), Map.of());
    }
}
