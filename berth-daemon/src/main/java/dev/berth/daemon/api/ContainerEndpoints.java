package dev.berth.daemon.api;

import dev.berth.api.types.ContainerCreateRequest;
import dev.berth.api.types.ContainerCreateResponse;
import dev.berth.api.types.ContainerPruneReport;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.model.Sandbox;
import dev.berth.core.service.network.PruneFilter;
import dev.berth.core.service.sandbox.ContainerFilter;
import dev.berth.core.service.sandbox.CreateSandbox;
import dev.berth.core.service.sandbox.ProcessState;
import dev.berth.core.service.sandbox.SandboxProcesses;
import dev.berth.core.service.sandbox.SandboxService;
import dev.berth.core.service.sandbox.SandboxView;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /containers} routes. A container is a sandbox plus, when created from an {@code Image},
 * a process run from that image (see {@link SandboxProcesses}); created without an image and with
 * a {@code Cmd} it runs that host binary ({@code berth run}), without either it runs nothing and is
 * {@code running} from create to remove.
 *
 * <p>Its streams ({@code logs}, {@code attach}, {@code exec}, {@code resize}, {@code top}) are
 * {@link LogEndpoints}, {@link AttachEndpoints}, {@link ExecEndpoints} and {@link TopEndpoints}.
 */
final class ContainerEndpoints {
    /** How often a blocked wait looks whether its client is still there. */
    private static final long WAIT_POLL_MILLIS = 500;

    private final SandboxService sandboxes;
    private final SandboxProcesses processes;
    private final Clock clock;
    private final Filters filters;

    ContainerEndpoints(SandboxService sandboxes, SandboxProcesses processes, Clock clock, Filters filters) {
        this.sandboxes = sandboxes;
        this.processes = processes;
        this.clock = clock;
        this.filters = filters;
    }

    void register(Routes routes) {
        routes.add("POST", "/containers/create", this::create)
                .add("GET", "/containers/json", this::list)
                .add("GET", "/containers/{id}/json", this::inspect)
                .add("POST", "/containers/{id}/start", this::start)
                .add("POST", "/containers/{id}/wait", this::await)
                .add("POST", "/containers/{id}/kill", this::kill)
                .add("POST", "/containers/{id}/stop", this::stop)
                .add("POST", "/containers/{id}/restart", this::restart)
                .add("POST", "/containers/{id}/rename", this::rename)
                .add("POST", "/containers/prune", this::prune)
                .add("DELETE", "/containers/{id}", this::remove);
    }

    /** {@code POST /containers/create?name=}: 201 {@code {"Id","Warnings":[]}}. */
    private Reply create(ApiRequest request) {
        ContainerCreateRequest body = request.body(ContainerCreateRequest.class)
                .orElse(new ContainerCreateRequest(null, null, null, null));
        refuseSeveralEndpointsBefore144(body, request.version());
        CreateSandbox create = ContainerMapper.toCreate(request.query("name").orElse(""), body);
        Sandbox sandbox = processes.create(create, ContainerMapper.toContainer(body));
        List<String> warnings = sandbox.isHostMode() && !create.ports().isEmpty()
                ? List.of("Published ports are discarded when using host network mode") : List.of();
        return new Reply.Json(201, new ContainerCreateResponse(sandbox.id().value(), warnings));
    }

    /** Moby's check: a container is created on several networks at once only from API 1.44 on. */
    private static void refuseSeveralEndpointsBefore144(ContainerCreateRequest body, ApiVersion version) {
        if (version.atLeast("1.44") || body.networkingConfig() == null
                || body.networkingConfig().endpointsConfig() == null || body.networkingConfig().endpointsConfig().size() < 2) {
            return;
        }
        throw new InvalidParameterException("Container cannot be created with multiple network endpoints: "
                + String.join(", ", new java.util.TreeSet<>(body.networkingConfig().endpointsConfig().keySet())));
    }

    /**
     * {@code GET /containers/json?all=&filters=}: without {@code all} (or a {@code status} filter)
     * only running ones.
     */
    private Reply list(ApiRequest request) {
        ContainerFilter filter = new ContainerFilter(filters.parse(request.query("filters").orElse(null)));
        boolean all = request.queryFlag("all") || filter.impliesAll();
        List<Object> out = new ArrayList<>();
        for (SandboxView view : sandboxes.list()) {
            ProcessState state = stateOf(view);
            if (state != null && (all || state.isRunning()) && filter.matches(view, state)) {
                out.add(ContainerMapper.summary(view, state, clock.instant()));
            }
        }
        return Reply.ok(out);
    }

    /** The process state, {@code null} when the sandbox went meanwhile. */
    private ProcessState stateOf(SandboxView view) {
        try {
            return processes.state(view.sandbox().id());
        } catch (NotFoundException e) {
            return null;
        }
    }

    private Reply inspect(ApiRequest request) {
        SandboxView view = sandboxes.inspect(request.pathParameter(0));
        ProcessState state = processes.state(view.sandbox().id());
        String log = state.isContainer() ? processes.logPath(view.sandbox().id().value()).orElse("") : "";
        return Reply.ok(ContainerMapper.inspect(view, state, log, request.version()));
    }

    /** {@code POST /containers/{id}/start}: 204, or 304 when it runs already. */
    private Reply start(ApiRequest request) {
        return new Reply.Empty(processes.start(request.pathParameter(0)) ? 204 : 304);
    }

    /**
     * {@code POST /containers/{id}/wait?condition=}: the waiter is registered (400/404 answered)
     * before the 200 headers go out, which they do at once, as moby's; the body
     * {@code {"StatusCode":N}} follows when the condition holds. The docker CLI starts the
     * container only once it has these headers.
     */
    private Reply await(ApiRequest request) {
        CompletableFuture<Integer> waiter = processes.waiter(request.pathParameter(0),
                request.query("condition").orElse(""));
        return new Reply.Stream(200, "application/json", sink -> {
            Integer status = null;
            while (status == null && !sink.failed()) {
                try {
                    status = waiter.get(WAIT_POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // still waiting; a client that went away (docker run -d drops its wait) ends it
                } catch (ExecutionException e) {
                    throw new IllegalStateException("wait", e.getCause());
                }
            }
            if (status != null) {
                sink.send(("{\"StatusCode\":" + status + "}\n").getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /** {@code POST /containers/{id}/stop?t=&signal=}: 204, or 304 when it was not running. */
    private Reply stop(ApiRequest request) {
        try {
            boolean stopped = processes.stop(request.pathParameter(0), seconds(request),
                    request.query("signal").orElse(""));
            return new Reply.Empty(stopped ? 204 : 304);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stop interrupted", e);
        }
    }

    /** {@code POST /containers/{id}/restart?t=&signal=}: 204. */
    private Reply restart(ApiRequest request) {
        try {
            processes.restart(request.pathParameter(0), seconds(request), request.query("signal").orElse(""));
            return new Reply.Empty(204);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("restart interrupted", e);
        }
    }

    /** {@code POST /containers/{id}/rename?name=}: 204; 409 when the name is taken. */
    private Reply rename(ApiRequest request) {
        processes.rename(request.pathParameter(0), request.query("name").orElse(""));
        return new Reply.Empty(204);
    }

    /** {@code t}: seconds, {@code null} when absent; moby's Atoi text when not a number. */
    private static Integer seconds(ApiRequest request) {
        Optional<String> t = request.query("t");
        if (t.isEmpty() || t.get().isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(t.get());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException("strconv.Atoi: parsing \"" + t.get() + "\": invalid syntax");
        }
    }

    /** {@code POST /containers/{id}/kill?signal=}: 204; any signal by name or number (SIGKILL when none). */
    private Reply kill(ApiRequest request) {
        processes.kill(request.pathParameter(0), request.query("signal").orElse(""));
        return new Reply.Empty(204);
    }

    /**
     * {@code POST /containers/prune?filters=}: removes the containers that do not run and match
     * {@code until}, {@code label}, {@code label!}; their ids, or {@code null} when none went.
     */
    private Reply prune(ApiRequest request) {
        PruneFilter filter = new PruneFilter(filters.parse(request.query("filters").orElse(null)));
        List<String> deleted = processes.prune(filter);
        return Reply.ok(new ContainerPruneReport(deleted.isEmpty() ? null : deleted, 0));
    }

    /**
     * {@code DELETE /containers/{id}?force=&v=}: 204; a running process needs force and is killed.
     * {@code v} changes nothing: Berth makes no volumes.
     */
    private Reply remove(ApiRequest request) {
        processes.remove(request.pathParameter(0), request.queryFlag("force"));
        return new Reply.Empty(204);
    }
}
