package dev.berth.core.model;

import java.util.List;
import java.util.Objects;

/**
 * The process a sandbox was created to run ({@code berth run}, or a container's); stored beside
 * the sandbox and deleted with it.
 *
 * @param sandbox        the sandbox
 * @param argv           the command line, at least one element
 * @param autoRemove     whether the sandbox goes when the process exits ({@code --rm})
 * @param container      for a container made from an image: its image and process settings (its
 *                       {@link ContainerConfig#argv()} is {@code argv}); {@code null} for a host binary
 * @param stoppedByUser  the user stopped it ({@code docker stop}/{@code kill}; moby's
 *                       {@code HasBeenManuallyStopped}): an {@code unless-stopped} container does not
 *                       start again with the daemon; cleared by the next start
 * @param restartCount   how often the restart policy restarted it since the user last started it
 */
public record SandboxCommand(SandboxId sandbox, List<String> argv, boolean autoRemove, ContainerConfig container,
                             boolean stoppedByUser, int restartCount) {
    public SandboxCommand {
        Objects.requireNonNull(sandbox, "sandbox");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
    }

    /** A command never stopped by the user nor restarted. */
    public SandboxCommand(SandboxId sandbox, List<String> argv, boolean autoRemove, ContainerConfig container) {
        this(sandbox, argv, autoRemove, container, false, 0);
    }

    /** A host binary's command ({@code berth run}). */
    public SandboxCommand(SandboxId sandbox, List<String> argv, boolean autoRemove) {
        this(sandbox, argv, autoRemove, null);
    }

    /** The same command with another run state. */
    public SandboxCommand withRun(boolean stopped, int restarts) {
        return new SandboxCommand(sandbox, argv, autoRemove, container, stopped, restarts);
    }

    /** The same command, removed when its process exits. */
    public SandboxCommand removing() {
        return new SandboxCommand(sandbox, argv, true, container, stoppedByUser, restartCount);
    }
}
