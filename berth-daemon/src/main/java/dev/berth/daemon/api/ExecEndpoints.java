package dev.berth.daemon.api;

import dev.berth.api.types.ExecCreateRequest;
import dev.berth.api.types.ExecInspect;
import dev.berth.api.types.ExecStartRequest;
import dev.berth.api.types.IdResponse;
import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.daemon.process.ContainerIo;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code docker exec}: {@code POST /containers/{id}/exec} (201 {@code {"Id"}}),
 * {@code POST /exec/{id}/start} (detached: a plain 200 and the process runs on; attached: the
 * hijacked connection, see {@link Hijack}), {@code GET /exec/{id}/json} and
 * {@code POST /exec/{id}/resize}. An attached start records the exit status before it closes the
 * connection: the docker CLI inspects the exec the moment its stream ends and exits with
 * {@code ExitCode}. Exec instances live in {@link Execs}; they go with their container.
 */
final class ExecEndpoints {
    /** How long a resize waits for the exec's process to start (moby's wait for "exec session ready"). */
    private static final long START_WAIT_SECONDS = 10;

    private final ContainerLookup containers;
    private final ContainerIo io;
    private final Execs execs;
    private final Clock clock;

    ExecEndpoints(ContainerLookup containers, ContainerIo io, Clock clock) {
        this.containers = containers;
        this.io = io;
        this.clock = clock;
        this.execs = new Execs(clock, id -> {
            try {
                containers.find(id.value());
                return true;
            } catch (NotFoundException gone) {
                return false;
            }
        });
    }

    void register(Routes routes) {
        routes.add("POST", "/containers/{id}/exec", this::create)
                .add("POST", "/exec/{id}/start", this::start)
                .add("GET", "/exec/{id}/json", this::inspect)
                .add("POST", "/exec/{id}/resize", this::resize);
    }

    private Reply create(ApiRequest request) {
        ExecCreateRequest body = request.body(ExecCreateRequest.class)
                .orElse(new ExecCreateRequest(null, null, null, null, null, null, null, null, null, null, null));
        ContainerLookup.Target container = containers.find(request.pathParameter(0));
        if (!container.running()) {
            throw new ConflictException("container " + container.id().value() + " is not running");
        }
        List<String> argv = body.cmd() == null ? List.of() : GoValues.strings(body.cmd());
        if (argv.isEmpty()) {
            throw new InvalidParameterException("No exec command specified");
        }
        int[] size = consoleSize(body.consoleSize(), new int[] {0, 0});
        ContainerIo.ExecSpec spec = new ContainerIo.ExecSpec(argv,
                body.env() == null ? List.of() : GoValues.strings(body.env()),
                body.workingDir() == null ? "" : body.workingDir(), body.user() == null ? "" : body.user(),
                Boolean.TRUE.equals(body.tty()), Boolean.TRUE.equals(body.attachStdin()),
                Boolean.TRUE.equals(body.privileged()), size[0], size[1]);
        Execs.Instance exec = execs.create(container.id(), spec, Boolean.TRUE.equals(body.attachStdout()),
                Boolean.TRUE.equals(body.attachStderr()), body.detachKeys() == null ? "" : body.detachKeys());
        return new Reply.Json(201, new IdResponse(exec.id));
    }

    /** {@code [height, width]}, both needed and non-negative; else {@code fallback}. */
    private static int[] consoleSize(List<Integer> size, int[] fallback) {
        if (size == null || size.isEmpty()) {
            return fallback;
        }
        if (size.size() != 2 || size.get(0) == null || size.get(1) == null || size.get(0) < 0 || size.get(1) < 0) {
            throw new InvalidParameterException("ConsoleSize must be [height, width] of non-negative numbers");
        }
        return new int[] {size.get(0), size.get(1)};
    }

    private Reply start(ApiRequest request) {
        // read before the protocol switches (the connection is raw bytes afterwards), and before the
        // lookup, as moby: a bad body is a 400 whatever the exec
        ExecStartRequest body = request.body(ExecStartRequest.class).orElse(new ExecStartRequest(null, null, null));
        Execs.Instance exec = execs.get(request.pathParameter(0));
        int[] size = consoleSize(body.consoleSize(), new int[] {exec.spec.height(), exec.spec.width()});
        ContainerLookup.Target container = containers.find(exec.container.value());
        if (!container.running()) {
            throw new ConflictException("container " + container.id().value() + " is not running");
        }
        exec.claimStart();
        ContainerIo.ExecSpec s = exec.spec;
        ContainerIo.ExecSpec spec = new ContainerIo.ExecSpec(s.argv(), s.env(), s.workingDir(), s.user(), s.tty(),
                s.stdin(), s.privileged(), size[0], size[1]);
        if (Boolean.TRUE.equals(body.detach())) {
            ContainerIo.Exec process = launch(exec, container, spec, false);
            process.exit().whenComplete((code, failure) -> exec.exited(code == null ? 126 : code, clock.instant()));
            return new Reply.Empty(200);
        }
        // moby frames by the start's Tty, which the CLI sets as it set the create's
        return new Reply.Upgrade(Boolean.TRUE.equals(body.tty()), hijacked -> {
            ContainerIo.Exec process = launch(exec, container, spec, true);
            ContainerIo.Attached attached = process.io();
            Thread input = spec.stdin() ? Pumps.input(attached, hijacked.stdin(), true) : null;
            try {
                attached.output(AttachEndpoints.selected(hijacked.output(), exec.stdout, exec.stderr));
                exec.exited(exitStatus(process), clock.instant());
            } finally {
                attached.close();
                if (input != null) {
                    input.interrupt();
                }
            }
        });
    }

    private ContainerIo.Exec launch(Execs.Instance exec, ContainerLookup.Target container, ContainerIo.ExecSpec spec,
                                    boolean attached) {
        ContainerIo.Exec process;
        try {
            process = io.exec(container.id(), spec, attached);
        } catch (RuntimeException e) {
            exec.failed(e, clock.instant());
            throw e;
        }
        exec.running(process);
        return process;
    }

    private static int exitStatus(ContainerIo.Exec process) throws InterruptedException {
        try {
            return process.exit().get();
        } catch (ExecutionException e) {
            return 126;
        }
    }

    private Reply inspect(ApiRequest request) {
        Execs.Instance exec = execs.get(request.pathParameter(0));
        List<String> argv = exec.spec.argv();
        return Reply.ok(new ExecInspect(exec.id, exec.running(), exec.exitCode(),
                new ExecInspect.ProcessConfig(exec.spec.tty(), argv.getFirst(), argv.subList(1, argv.size()),
                        exec.spec.privileged(), exec.spec.user()),
                exec.spec.stdin(), exec.stderr, exec.stdout, false, exec.container.value(), exec.detachKeys,
                exec.pid()));
    }

    /** {@code POST /exec/{id}/resize?h=&w=}: waits (10 s at most) for the process to start, as moby. */
    private Reply resize(ApiRequest request) {
        Execs.Instance exec = execs.get(request.pathParameter(0));
        int height = AttachEndpoints.dimension(request, "h");
        int width = AttachEndpoints.dimension(request, "w");
        ContainerIo.Exec process;
        try {
            process = exec.process.get(START_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted waiting for exec session ready");
        } catch (ExecutionException e) {
            throw new ConflictException("exec " + exec.id + " is not running");
        } catch (TimeoutException e) {
            throw new ConflictException("timeout waiting for exec session ready");
        }
        if (exec.ended()) {
            throw new ConflictException("exec " + exec.id + " is not running");
        }
        process.resize(height, width);
        return new Reply.Empty(200);
    }
}
