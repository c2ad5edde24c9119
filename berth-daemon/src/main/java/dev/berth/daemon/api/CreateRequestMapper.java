package dev.berth.daemon.api;

import dev.berth.api.types.NetworkCreateRequest;
import dev.berth.api.types.NetworkResource;
import dev.berth.core.service.network.CreateNetwork;
import dev.berth.core.service.network.IpamRequest;
import dev.berth.core.service.network.PoolRequest;
import java.util.List;

/** The API's {@link NetworkCreateRequest} to the core's {@link CreateNetwork}, per API version. */
final class CreateRequestMapper {
    private CreateRequestMapper() {
    }

    /** Clients before API 1.48 know nothing of {@code EnableIPv4}: it is ignored for them, as moby does. */
    static CreateNetwork toCreate(NetworkCreateRequest body, ApiVersion version) {
        Boolean enableIpv4 = version.atLeast("1.48") ? body.enableIpv4() : null;
        NetworkResource.ConfigReference from = body.configFrom();
        return new CreateNetwork(body.name(), body.driver(), body.scope(), enableIpv4, body.enableIpv6(),
                ipam(body.ipam()),
                new CreateNetwork.RequestFlags(body.internal(), body.attachable(), body.ingress(), body.configOnly()),
                from == null ? null : from.network(), GoValues.strings(body.options()), GoValues.strings(body.labels()));
    }

    private static IpamRequest ipam(NetworkResource.Ipam ipam) {
        if (ipam == null) {
            return IpamRequest.defaults();
        }
        // A null entry is Go's zero IPAMConfig: a pool without a subnet, which validation refuses.
        List<PoolRequest> pools = ipam.config() == null ? List.of() : ipam.config().stream()
                .map(c -> c == null ? new PoolRequest(null, null, null, null)
                        : new PoolRequest(c.subnet(), c.ipRange(), c.gateway(), GoValues.strings(c.auxiliaryAddresses())))
                .toList();
        return new IpamRequest(ipam.driver(), GoValues.strings(ipam.options()), pools);
    }
}
