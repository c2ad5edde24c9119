package dev.berth.daemon.api;

import dev.berth.api.types.ContainerCreateRequest;
import dev.berth.api.types.ContainerCreateResponse;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.model.Sandbox;
import dev.berth.core.service.sandbox.CreateSandbox;
import dev.berth.core.service.sandbox.ProcessState;
import dev.berth.core.service.sandbox.SandboxProcesses;
import dev.berth.core.service.sandbox.SandboxService;
import dev.berth.core.service.sandbox.SandboxView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code /containers} routes. A container is a sandbox; created with a {@code Cmd} it runs that
 * process (Berth's extension for {@code berth run}: start, wait, logs), else it runs none and is
 * {@code running} from create to remove.
 * Its streams ({@code logs}, {@code attach}, {@code exec}) are {@link LogEndpoints},
 * {@link AttachEndpoints} and {@link ExecEndpoints}.
 */
final class ContainerEndpoints {
    private final SandboxService sandboxes;
    private final SandboxProcesses processes;
    private final Clock clock;

    ContainerEndpoints(SandboxService sandboxes, SandboxProcesses processes, Clock clock) {
        this.sandboxes = sandboxes;
        this.processes = processes;
        this.clock = clock;
    }

    void register(Routes routes) {
        routes.add("POST", "/containers/create", this::create)
                .add("GET", "/containers/json", this::list)
                .add("GET", "/containers/{id}/json", this::inspect)
                .add("POST", "/containers/{id}/start", this::start)
                .add("POST", "/containers/{id}/wait", this::await)
                .add("POST", "/containers/{id}/kill", this::kill)
                .add("DELETE", "/containers/{id}", this::remove);
    }

    /** {@code POST /containers/create?name=}: 201 {@code {"Id","Warnings":[]}}. */
    private Reply create(ApiRequest request) {
        ContainerCreateRequest body = request.body(ContainerCreateRequest.class)
                .orElse(new ContainerCreateRequest(null, null, null, null));
        CreateSandbox create = ContainerMapper.toCreate(request.query("name").orElse(""), body);
        List<String> command = body.cmd() == null ? List.of() : GoValues.strings(body.cmd());
        boolean autoRemove = body.hostConfig() != null && Boolean.TRUE.equals(body.hostConfig().autoRemove());
        Sandbox sandbox = processes.create(create, command, autoRemove);
        List<String> warnings = sandbox.isHostMode() && !create.ports().isEmpty()
                ? List.of("Published ports are discarded when using host network mode") : List.of();
        return new Reply.Json(201, new ContainerCreateResponse(sandbox.id().value(), warnings));
    }

    /** {@code GET /containers/json?all=}: without {@code all} only running ones. */
    private Reply list(ApiRequest request) {
        boolean all = request.queryFlag("all");
        List<Object> out = new ArrayList<>();
        for (SandboxView view : sandboxes.list()) {
            ProcessState state = stateOf(view);
            if (state != null && (all || state.isRunning())) {
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
        return Reply.ok(ContainerMapper.inspect(view, processes.state(view.sandbox().id())));
    }

    /** {@code POST /containers/{id}/start}: 204; starts the process, if the sandbox has one. */
    private Reply start(ApiRequest request) {
        processes.start(request.pathParameter(0));
        return new Reply.Empty(204);
    }

    /**
     * {@code POST /containers/{id}/wait?condition=}: the 200 headers go out at once (the docker
     * CLI waits for them before it attaches and starts), {@code {"StatusCode":N}} once the
     * condition holds. A bad condition or a missing container is an error before the headers.
     */
    private Reply await(ApiRequest request) {
        String term = request.pathParameter(0);
        String condition = request.query("condition").orElse("");
        if (!List.of("", "not-running", "next-exit", "removed").contains(condition)) {
            throw new InvalidParameterException("invalid condition: \"" + condition + "\"");
        }
        sandboxes.resolve(term);
        return new Reply.Stream(200, Dispatcher.JSON, sink -> {
            int status = processes.await(term, condition);
            sink.send(("{\"StatusCode\":" + status + "}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
    }

    /** {@code POST /containers/{id}/kill?signal=}: 204; Berth sends SIGKILL only. */
    private Reply kill(ApiRequest request) {
        String signal = request.query("signal").orElse("").toUpperCase(Locale.ROOT);
        if (!List.of("", "KILL", "SIGKILL", "9").contains(signal)) {
            throw new InvalidParameterException("Berth can only send SIGKILL, not " + signal);
        }
        processes.kill(request.pathParameter(0));
        return new Reply.Empty(204);
    }

    /** {@code DELETE /containers/{id}?force=}: 204; a running process needs force and is killed. */
    private Reply remove(ApiRequest request) {
        processes.remove(request.pathParameter(0), request.queryFlag("force"));
        return new Reply.Empty(204);
    }
}
