package dev.berth.daemon.api;

import dev.berth.api.types.NetworkResource;
import dev.berth.core.service.NetworkFilter;
import dev.berth.core.service.NetworkService;
import java.util.List;

/** {@code /networks} routes: list with filters and inspect by id, name or id prefix. */
final class NetworkEndpoints {
    private final NetworkService networks;
    private final Filters filters;

    NetworkEndpoints(NetworkService networks, Filters filters) {
        this.networks = networks;
        this.filters = filters;
    }

    void register(Routes routes) {
        routes.add("GET", "/networks", this::list)
                .add("GET", "/networks/{id:.+}", this::inspect);
    }

    /** {@code GET /networks?filters=...}: a JSON array, each entry with an empty {@code Containers}. */
    private Reply list(ApiRequest request) {
        NetworkFilter filter = new NetworkFilter(filters.parse(request.query("filters").orElse(null)));
        List<NetworkResource> out = networks.list(filter).stream()
                .map(n -> NetworkMapper.toResource(n, request.version()))
                .toList();
        return Reply.ok(out);
    }

    /** {@code GET /networks/{id}}: the id may hold slashes; the rest of the path is the term. */
    private Reply inspect(ApiRequest request) {
        return Reply.ok(NetworkMapper.toResource(networks.inspect(request.pathParameter(0)), request.version()));
    }
}
