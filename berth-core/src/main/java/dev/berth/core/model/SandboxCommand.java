package dev.berth.core.model;

import java.util.List;
import java.util.Objects;

/**
 * The process a sandbox was created to run ({@code berth run}); stored beside the sandbox and
 * deleted with it.
 *
 * @param sandbox    the sandbox
 * @param argv       the command line, at least one element
 * @param autoRemove whether the sandbox goes when the process exits ({@code --rm})
 * @param container  for a container made from an image: its image and process settings (its
 *                   {@link ContainerConfig#argv()} is {@code argv}); {@code null} for a host binary
 */
public record SandboxCommand(SandboxId sandbox, List<String> argv, boolean autoRemove, ContainerConfig container) {
    public SandboxCommand {
        Objects.requireNonNull(sandbox, "sandbox");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
    }

    /** A host binary's command ({@code berth run}). */
    public SandboxCommand(SandboxId sandbox, List<String> argv, boolean autoRemove) {
        this(sandbox, argv, autoRemove, null);
    }
}
