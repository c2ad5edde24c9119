package dev.berth.core.service.sandbox;

import java.time.Instant;
import java.util.List;

/**
 * The process side of a sandbox as inspect and {@code ps} show it. A sandbox made without a
 * command (the plain {@code docker create} of a network sandbox) runs none and counts as
 * {@code running} from creation to removal.
 *
 * @param command    argv; empty when the sandbox runs no process
 * @param autoRemove whether the daemon removes the sandbox when the process exits ({@code --rm})
 * @param status     created, running or exited
 * @param pid        the process's PID while it runs, else 0
 * @param exitCode   the last exit status (128 + signal when killed), 0 before the first exit
 * @param startedAt  when the process last started, {@code null} before
 * @param finishedAt when it last exited, {@code null} before
 */
public record ProcessState(List<String> command, boolean autoRemove, Status status, long pid, int exitCode,
                           Instant startedAt, Instant finishedAt) {
    /** The states a sandbox's process goes through; {@link #wire()} is Docker's {@code State.Status}. */
    public enum Status {
        CREATED, RUNNING, EXITED;

        /** {@code created}, {@code running} or {@code exited}, as the Engine API shows it. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ProcessState {
        command = List.copyOf(command);
        java.util.Objects.requireNonNull(status, "status");
    }

    public boolean isRunning() {
        return status == Status.RUNNING;
    }
}
