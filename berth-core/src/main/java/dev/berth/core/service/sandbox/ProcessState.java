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
 * @param status     {@code created}, {@code running} or {@code exited}
 * @param pid        the process's PID while it runs, else 0
 * @param exitCode   the last exit status (128 + signal when killed), 0 before the first exit
 * @param startedAt  when the process last started, {@code null} before
 * @param finishedAt when it last exited, {@code null} before
 */
public record ProcessState(List<String> command, boolean autoRemove, String status, long pid, int exitCode,
                           Instant startedAt, Instant finishedAt) {
    public static final String CREATED = "created";
    public static final String RUNNING = "running";
    public static final String EXITED = "exited";

    public ProcessState {
        command = List.copyOf(command);
    }

    public boolean isRunning() {
        return status.equals(RUNNING);
    }
}
