package dev.berth.core.service.state;

import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which endpoints of a sandbox supply its default routes, as moby's {@code Endpoint.Less} orders
 * them: higher gw-priority, then non-internal, then dual-stack before single-stack before none,
 * then network name. The first endpoint able to route IPv4 supplies the IPv4 default, likewise
 * for IPv6 (so a dual-stack first endpoint supplies both). Pure.
 *
 * @param ipv4 the endpoint with the IPv4 default route, or null
 * @param ipv6 the endpoint with the IPv6 default route, or null
 */
public record GatewayChoice(EndpointId ipv4, EndpointId ipv6) {
    public static final GatewayChoice NONE = new GatewayChoice(null, null);

    public static GatewayChoice of(List<Attachment> attachments) {
        List<Attachment> ordered = attachments.stream()
                .sorted(Comparator.comparingInt((Attachment a) -> -a.endpoint().requested().gwPriority())
                        .thenComparing(a -> a.network().flags().internal())
                        .thenComparingInt(a -> -((canRoute(a, false) ? 1 : 0) + (canRoute(a, true) ? 1 : 0)))
                        .thenComparing(a -> a.network().name()))
                .toList();
        return new GatewayChoice(first(ordered, false), first(ordered, true));
    }

    public EndpointId family(boolean v6) {
        return v6 ? ipv6 : ipv4;
    }

    private static EndpointId first(List<Attachment> ordered, boolean v6) {
        return ordered.stream().filter(a -> canRoute(a, v6)).findFirst().map(a -> a.endpoint().id()).orElse(null);
    }

    /** An endpoint can carry a family's default route when it has an address and its network a gateway. */
    static boolean canRoute(Attachment a, boolean v6) {
        if (a.network().flags().internal()) {
            return false;
        }
        boolean hasAddress = v6 ? a.endpoint().ipv6() != null : a.endpoint().ipv4() != null;
        return hasAddress && gateway(a.network(), v6).isPresent();
    }

    static Optional<IpamPool> gateway(Network network, boolean v6) {
        return network.ipam().pools().stream()
                .filter(p -> p.isIpv4() != v6 && p.gateway().isPresent())
                .findFirst();
    }
}
