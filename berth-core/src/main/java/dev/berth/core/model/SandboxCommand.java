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
 */
public record SandboxCommand(SandboxId sandbox, List<String> argv, boolean autoRemove) {
    public SandboxCommand {
        Objects.requireNonNull(sandbox, "sandbox");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
    }
}
