package dev.berth.daemon.api;

import dev.berth.api.types.NetworkConnectRequest;
import dev.berth.api.types.NetworkCreateRequest;
import dev.berth.api.types.NetworkCreateResponse;
import dev.berth.api.types.NetworkDisconnectRequest;
import dev.berth.api.types.NetworkPruneReport;
import dev.berth.api.types.NetworkResource;
import dev.berth.core.model.Network;
import dev.berth.core.service.network.CreateNetwork;
import dev.berth.core.service.network.CreatedNetwork;
import dev.berth.core.service.network.NetworkFilter;
import dev.berth.core.service.network.NetworkService;
import dev.berth.core.service.network.PruneFilter;
import dev.berth.core.service.sandbox.SandboxService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /networks} routes: list, inspect, create, remove, prune, connect and disconnect. */
final class NetworkEndpoints {
    private final NetworkService networks;
    private final SandboxService sandboxes;
    private final Filters filters;

    NetworkEndpoints(NetworkService networks, SandboxService sandboxes, Filters filters) {
        this.networks = networks;
        this.sandboxes = sandboxes;
        this.filters = filters;
    }

    void register(Routes routes) {
        routes.add("GET", "/networks", this::list)
                .add("POST", "/networks/create", this::create)
                .add("POST", "/networks/prune", this::prune)
                .add("POST", "/networks/{id:.+}/connect", this::connect)
                .add("POST", "/networks/{id:.+}/disconnect", this::disconnect)
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

    /** {@code GET /networks/{id}}: the id may hold slashes; {@code Containers} lists the endpoints. */
    private Reply inspect(ApiRequest request) {
        Network network = networks.inspect(request.pathParameter(0));
        Map<String, NetworkResource.EndpointResource> containers = new LinkedHashMap<>();
        sandboxes.attachments(network.id())
                .forEach(a -> containers.put(a.sandbox().id().value(), ContainerMapper.resource(a)));
        return Reply.ok(NetworkMapper.toResource(network, request.version(), containers));
    }

    /** {@code POST /networks/{id}/connect}: 200 and no body. */
    private Reply connect(ApiRequest request) {
        NetworkConnectRequest body = request.body(NetworkConnectRequest.class)
                .orElse(new NetworkConnectRequest("", null));
        sandboxes.connect(request.pathParameter(0), body.container() == null ? "" : body.container(),
                ContainerMapper.toRequest(body.endpointConfig()));
        return new Reply.Empty(200);
    }

    /** {@code POST /networks/{id}/disconnect}: 200 and no body. */
    private Reply disconnect(ApiRequest request) {
        NetworkDisconnectRequest body = request.body(NetworkDisconnectRequest.class)
                .orElse(new NetworkDisconnectRequest("", false));
        sandboxes.disconnect(request.pathParameter(0), body.container() == null ? "" : body.container(), body.force());
        return new Reply.Empty(200);
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
