package dev.berth.core.service.sandbox;

import java.util.List;
import java.util.Map;

/**
 * What the user asks of one endpoint ({@code docker network connect} flags, or one entry of
 * {@code NetworkingConfig.EndpointsConfig}); empty strings mean "not set".
 *
 * @param ipv4       {@code --ip}
 * @param ipv6       {@code --ip6}
 * @param aliases    {@code --alias}
 * @param mac        {@code MacAddress}
 * @param gwPriority   {@code --gw-priority}: the highest supplies the default gateway
 * @param links        {@code --link}: {@code container[:alias]} each, as given
 * @param linkLocalIps {@code --link-local-ip}
 * @param driverOpts   {@code --driver-opt}
 */
public record EndpointRequest(String ipv4, String ipv6, List<String> aliases, String mac, int gwPriority,
                              List<String> links, List<String> linkLocalIps, Map<String, String> driverOpts) {
    public static final EndpointRequest NONE = new EndpointRequest("", "", List.of(), "", 0);

    public EndpointRequest {
        ipv4 = ipv4 == null ? "" : ipv4.strip();
        ipv6 = ipv6 == null ? "" : ipv6.strip();
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        mac = mac == null ? "" : mac.strip();
        links = links == null ? List.of() : List.copyOf(links);
        linkLocalIps = linkLocalIps == null ? List.of() : linkLocalIps.stream().map(String::strip).toList();
        driverOpts = driverOpts == null ? Map.of() : Map.copyOf(driverOpts);
    }

    public EndpointRequest(String ipv4, String ipv6, List<String> aliases, String mac, int gwPriority) {
        this(ipv4, ipv6, aliases, mac, gwPriority, List.of(), List.of(), Map.of());
    }
}
