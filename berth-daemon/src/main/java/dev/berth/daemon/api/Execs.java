package dev.berth.daemon.api;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.model.SandboxId;
import dev.berth.daemon.process.ContainerIo;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The exec instances ({@code docker exec}), in memory as in moby: made by
 * {@code POST /containers/{id}/exec}, run once by {@code POST /exec/{id}/start}, shown by
 * {@code GET /exec/{id}/json}. They go with their container (noticed at the next exec call), and
 * {@link #KEPT} after their process ended (moby's collector drops an ended exec within 5 to 10
 * minutes).
 */
final class Execs {
    /** How long an ended exec stays inspectable. */
    static final Duration KEPT = Duration.ofMinutes(5);

    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Predicate<SandboxId> exists;

    /** {@code exists}: whether a container is still there (its execs go with it). */
    Execs(Clock clock, Predicate<SandboxId> exists) {
        this.clock = clock;
        this.exists = exists;
    }

    /** One exec: its settings, then its process and exit status once started. */
    static final class Instance {
        final String id;
        final SandboxId container;
        final ContainerIo.ExecSpec spec;
        final boolean stdout;
        final boolean stderr;
        final String detachKeys;
        /** Completes with the process once it started (resizes wait for it), exceptionally if it could not. */
        final CompletableFuture<ContainerIo.Exec> process = new CompletableFuture<>();
        private boolean started;
        private boolean running;
        private Integer exitCode;
        private long pid;
        private Instant endedAt;

        Instance(String id, SandboxId container, ContainerIo.ExecSpec spec, boolean stdout, boolean stderr,
                 String detachKeys) {
            this.id = id;
            this.container = container;
            this.spec = spec;
            this.stdout = stdout;
            this.stderr = stderr;
            this.detachKeys = detachKeys;
        }

        synchronized boolean running() {
            return running;
        }

        synchronized Integer exitCode() {
            return exitCode;
        }

        synchronized long pid() {
            return pid;
        }

        synchronized boolean ended() {
            return endedAt != null;
        }

        /** Claims the one start; 409 as moby words it when started before. */
        synchronized void claimStart() {
            if (running) {
                throw new ConflictException("Error: Exec command " + id + " is already running");
            }
            if (started) {
                throw new ConflictException("Error: Exec command " + id + " has already run");
            }
            started = true;
        }

        synchronized void running(ContainerIo.Exec exec) {
            running = true;
            pid = exec.pid();
            process.complete(exec);
        }

        /** Records the exit status: from now on inspect shows {@code Running: false} and the code. */
        synchronized void exited(int code, Instant at) {
            running = false;
            exitCode = code;
            endedAt = at;
        }

        /** The start failed before a process ran (moby reports 126 then). */
        synchronized void failed(RuntimeException cause, Instant at) {
            running = false;
            exitCode = 126;
            endedAt = at;
            process.completeExceptionally(cause);
        }

        synchronized boolean expired(Instant now) {
            return endedAt != null && endedAt.plus(KEPT).isBefore(now);
        }
    }

    Instance create(SandboxId container, ContainerIo.ExecSpec spec, boolean stdout, boolean stderr, String detachKeys) {
        prune();
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        Instance instance = new Instance(HexFormat.of().formatHex(bytes), container, spec, stdout, stderr, detachKeys);
        instances.put(instance.id, instance);
        return instance;
    }

    /** The exec of that full id; 404 {@code No such exec instance: id}. */
    Instance get(String id) {
        prune();
        Instance instance = instances.get(id);
        if (instance == null) {
            throw new NotFoundException("No such exec instance: " + id);
        }
        return instance;
    }

    /** Drops ended execs past {@link #KEPT} and the execs of removed containers (each container asked once). */
    private void prune() {
        Instant now = clock.instant();
        Map<SandboxId, Boolean> present = new HashMap<>();
        instances.values().removeIf(i -> i.expired(now) || !present.computeIfAbsent(i.container, exists::test));
    }
}
