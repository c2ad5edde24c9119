package dev.berth.core.service.sandbox;

import dev.berth.core.model.ContainerConfig;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxCommand;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The mutable state of one sandbox's process in {@link SandboxProcesses}, guarded by its monitor:
 * where the process is in its life cycle, its run state (stopped by the user, restarts and their
 * back-off) and the futures waiters hold ({@code next-exit}, {@code not-running}, {@code removed}).
 */
final class ProcessEntry {
    Sandbox sandbox;
    final List<String> command;
    final ContainerConfig config;
    boolean autoRemove;
    ProcessState.Status status;
    long pid;
    int exitCode;
    Instant startedAt;
    Instant finishedAt;
    boolean removing;
    /** moby's {@code HasBeenManuallyStopped}: stored, cleared by a start. */
    boolean stoppedByUser;
    /** The current run ends for good ({@code docker stop}, SIGKILL or the stop signal of {@code kill}): no restart. */
    boolean exitOnNext;
    int restartCount;
    long backoffMillis;
    String error = "";
    /** Completes at the next exit ({@code next-exit}). */
    CompletableFuture<Integer> exited = new CompletableFuture<>();
    /** Completes when the process ends without a restart ({@code not-running}). */
    CompletableFuture<Integer> stopped = new CompletableFuture<>();
    final CompletableFuture<Integer> removed = new CompletableFuture<>();

    ProcessEntry(Sandbox sandbox, List<String> command, boolean autoRemove, ContainerConfig config) {
        this.sandbox = sandbox;
        this.command = List.copyOf(command);
        this.autoRemove = autoRemove;
        this.config = config;
        this.status = command.isEmpty() ? ProcessState.Status.RUNNING : ProcessState.Status.CREATED;
    }

    ProcessState state() {
        ProcessState.Status shown = removing && status != ProcessState.Status.RUNNING && !command.isEmpty()
                ? ProcessState.Status.REMOVING : status;
        return new ProcessState(command, autoRemove, shown, pid, exitCode, startedAt, finishedAt, config,
                restartCount, error);
    }

    /** Running or restarting: what {@code not-running} waits for the end of. */
    boolean active() {
        return status == ProcessState.Status.RUNNING || status == ProcessState.Status.RESTARTING;
    }

    /** The image of the sandbox's events. */
    String image() {
        return config == null ? SandboxService.IMAGE : config.image();
    }

    /** The stored command as it is now. */
    SandboxCommand command() {
        return new SandboxCommand(sandbox.id(), command, autoRemove, config, stoppedByUser, restartCount);
    }
}
