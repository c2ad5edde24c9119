package dev.berth.daemon.api;

import dev.berth.api.types.NetworkCreateRequest;
import dev.berth.api.types.NetworkCreateResponse;
import dev.berth.api.types.NetworkPruneReport;
import dev.berth.api.types.NetworkResource;
import dev.berth.core.service.CreateNetwork;
import dev.berth.core.service.CreatedNetwork;
import dev.berth.core.service.NetworkFilter;
import dev.berth.core.service.NetworkService;
import dev.berth.core.service.PruneFilter;
import java.util.List;

/** {@code /networks} routes: list, inspect, create, remove and prune. */
final class NetworkEndpoints {
    private final NetworkService networks;
    private final Filters filters;

    NetworkEndpoints(NetworkService networks, Filters filters) {
        this.networks = networks;
        this.filters = filters;
    }

    void register(Routes routes) {
        routes.add("GET", "/networks", this::list)
                .add("POST", "/networks/create", this::create)
                .add("POST", "/networks/prune", this::prune)
                .add("GET", "/networks/{id:.+}", this::inspect)
                .add("DELETE", "/networks/{id:.+}", this::remove);
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

    /** {@code POST /networks/create}: 201 {@code {"Id","Warning"}}; an empty body is a request without a name. */
    private Reply create(ApiRequest request) {
        CreateNetwork create = request.body(NetworkCreateRequest.class)
                .map(body -> CreateRequestMapper.toCreate(body, request.version()))
                .orElseGet(() -> CreateNetwork.named(""));
        CreatedNetwork created = networks.create(create);
        return new Reply.Json(201, new NetworkCreateResponse(created.network().id().value(), created.warning()));
    }

    /** {@code DELETE /networks/{id}}: 204 and no body. */
    private Reply remove(ApiRequest request) {
        networks.remove(request.pathParameter(0));
        return new Reply.Empty(204);
    }

    /** {@code POST /networks/prune?filters=...}: the names removed, or {@code null} when none were. */
    private Reply prune(ApiRequest request) {
        PruneFilter filter = new PruneFilter(filters.parse(request.query("filters").orElse(null)));
        List<String> deleted = networks.prune(filter);
        return Reply.ok(new NetworkPruneReport(deleted.isEmpty() ? null : deleted));
    }
}
