package dev.berth.daemon.api;

import dev.berth.api.types.ContainerCreateRequest;
import dev.berth.api.types.ContainerCreateResponse;
import dev.berth.core.model.Sandbox;
import dev.berth.core.service.CreateSandbox;
import dev.berth.core.service.SandboxService;
import java.time.Clock;
import java.util.List;

/**
 * {@code /containers} routes, as far as networking needs them: a container is a sandbox, live
 * from create to remove (no process runs yet, so start is a no-op and every container is
 * {@code running}).
 */
final class ContainerEndpoints {
    private final SandboxService sandboxes;
    private final Clock clock;

    ContainerEndpoints(SandboxService sandboxes, Clock clock) {
        this.sandboxes = sandboxes;
        this.clock = clock;
    }

    void register(Routes routes) {
        routes.add("POST", "/containers/create", this::create)
                .add("GET", "/containers/json", this::list)
                .add("GET", "/containers/{id}/json", this::inspect)
                .add("POST", "/containers/{id}/start", this::start)
                .add("DELETE", "/containers/{id}", this::remove);
    }

    /** {@code POST /containers/create?name=}: 201 {@code {"Id","Warnings":[]}}; the sandbox is live at once. */
    private Reply create(ApiRequest request) {
        ContainerCreateRequest body = request.body(ContainerCreateRequest.class)
                .orElse(new ContainerCreateRequest(null, null, null, null));
        CreateSandbox create = ContainerMapper.toCreate(request.query("name").orElse(""), body);
        Sandbox sandbox = sandboxes.create(create);
        List<String> warnings = sandbox.isHostMode() && !create.ports().isEmpty()
                ? List.of("Published ports are discarded when using host network mode") : List.of();
        return new Reply.Json(201, new ContainerCreateResponse(sandbox.id().value(), warnings));
    }

    /** {@code GET /containers/json}: every sandbox is running, so {@code all} changes nothing. */
    private Reply list(ApiRequest request) {
        return Reply.ok(sandboxes.list().stream().map(v -> ContainerMapper.summary(v, clock.instant())).toList());
    }

    private Reply inspect(ApiRequest request) {
        return Reply.ok(ContainerMapper.inspect(sandboxes.inspect(request.pathParameter(0))));
    }

    /** {@code POST /containers/{id}/start}: 204; the sandbox has been live since create. */
    private Reply start(ApiRequest request) {
        sandboxes.resolve(request.pathParameter(0));
        return new Reply.Empty(204);
    }

    /** {@code DELETE /containers/{id}?force=}: 204; without force a (running) sandbox is a 409. */
    private Reply remove(ApiRequest request) {
        sandboxes.remove(request.pathParameter(0), request.queryFlag("force"));
        return new Reply.Empty(204);
    }
}
