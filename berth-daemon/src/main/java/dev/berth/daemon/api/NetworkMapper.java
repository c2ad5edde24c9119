package dev.berth.daemon.api;

import dev.berth.api.types.NetworkResource;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Domain {@link Network} to the API's {@link NetworkResource}, shaped as moby shows it for the
 * client's API version.
 */
final class NetworkMapper {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private NetworkMapper() {
    }

    /** The network as list shows it: {@code Containers} empty (API 1.28 and later). */
    static NetworkResource toResource(Network network, ApiVersion version) {
        return toResource(network, version, Map.of());
    }

    /** The network as inspect shows it, with its endpoints keyed by container id. */
    static NetworkResource toResource(Network network, ApiVersion version,
                                      Map<String, NetworkResource.EndpointResource> containers) {
        Network.Flags flags = network.flags();
        return new NetworkResource(
                network.name(),
                network.id().value(),
                rfc3339Nano(network.created()),
                network.scope(),
                network.driver(),
                version.atLeast("1.48") ? flags.enableIpv4() : null,
                flags.enableIpv6(),
                ipam(network),
                flags.internal(),
                flags.attachable(),
                flags.ingress(),
                new NetworkResource.ConfigReference(""),
                flags.configOnly(),
                containers,
                network.options(),
                network.labels(),
                null, // Peers and Services: swarm only, left out
                null);
    }

    /**
     * Go's {@code time.RFC3339Nano} in UTC: fractional seconds without trailing zeros, none at all
     * when the nanoseconds are zero. Never empty: an empty {@code Created} breaks the CLI.
     */
    static String rfc3339Nano(Instant instant) {
        StringBuilder out = new StringBuilder(SECONDS.format(instant));
        int nanos = instant.getNano();
        if (nanos != 0) {
            String fraction = String.format("%09d", nanos).replaceFirst("0+$", "");
            out.append('.').append(fraction);
        }
        return out.append('Z').toString();
    }

    private static NetworkResource.Ipam ipam(Network network) {
        Network.Ipam ipam = network.ipam();
        List<IpamPool> pools = ipam.pools().stream()
                .sorted(Comparator.comparing(pool -> !pool.isIpv4()))
                .toList();
        boolean hostOrNull = network.driver().equals(PredefinedNetworks.DRIVER_HOST)
                || network.driver().equals(PredefinedNetworks.DRIVER_NULL);
        List<NetworkResource.IpamConfig> config = pools.isEmpty() && hostOrNull ? null
                : pools.stream().map(NetworkMapper::ipamConfig).toList();
        return new NetworkResource.Ipam(ipam.driver(), ipam.options(), config);
    }

    private static NetworkResource.IpamConfig ipamConfig(IpamPool pool) {
        Map<String, String> aux = new TreeMap<>();
        pool.auxAddresses().forEach((name, address) -> aux.put(name, IpAddresses.format(address)));
        return new NetworkResource.IpamConfig(
                pool.subnet().masked().toString(),
                pool.ipRange().map(Object::toString).orElse(null),
                pool.gateway().map(IpAddresses::format).orElse(null),
                aux);
    }
}
