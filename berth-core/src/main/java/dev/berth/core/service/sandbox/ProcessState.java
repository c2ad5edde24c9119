package dev.berth.core.service.sandbox;

import dev.berth.core.model.ContainerConfig;
import java.time.Instant;
import java.util.List;

/**
 * The process side of a sandbox as inspect and {@code ps} show it. A sandbox made without a
 * command (the plain {@code docker create} of a network sandbox without an image) runs none and
 * counts as {@code running} from creation to removal.
 *
 * @param command      argv; empty when the sandbox runs no process
 * @param autoRemove   whether the daemon removes the sandbox when the process exits ({@code --rm})
 * @param status       created, running, restarting, removing or exited
 * @param pid          the process's PID while it runs, else 0
 * @param exitCode     the last exit status (128 + signal when killed), 0 before the first exit
 * @param startedAt    when the process last started, {@code null} before
 * @param finishedAt   when it last exited, {@code null} before
 * @param container    a container's image and settings; {@code null} for a host binary or none
 * @param restartCount restarts by the restart policy since the user last started it
 * @param error        why the last start failed, as the launcher reported it; {@code ""} when it did not
 */
public record ProcessState(List<String> command, boolean autoRemove, Status status, long pid, int exitCode,
                           Instant startedAt, Instant finishedAt, ContainerConfig container, int restartCount,
                           String error) {
    /** The states a sandbox's process goes through; {@link #wire()} is Docker's {@code State.Status}. */
    public enum Status {
        CREATED, RUNNING, RESTARTING, REMOVING, EXITED;

        /** {@code created}, {@code running}, ... as the Engine API shows it. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ProcessState {
        command = List.copyOf(command);
        java.util.Objects.requireNonNull(status, "status");
        error = error == null ? "" : error;
    }

    /** A host binary's state ({@code berth run}). */
    public ProcessState(List<String> command, boolean autoRemove, Status status, long pid, int exitCode,
                        Instant startedAt, Instant finishedAt) {
        this(command, autoRemove, status, pid, exitCode, startedAt, finishedAt, null, 0, "");
    }

    /** The process runs (a restarting container's does not, though inspect shows it {@code Running}). */
    public boolean isRunning() {
        return status == Status.RUNNING;
    }

    /** Whether the sandbox is a container made from an image. */
    public boolean isContainer() {
        return container != null;
    }
}
