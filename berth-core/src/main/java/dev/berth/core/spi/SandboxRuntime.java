package dev.berth.core.spi;

import dev.berth.core.model.SandboxId;
import java.util.Collection;

/**
 * Where sandboxes live: one named network namespace each. Every verb is idempotent.
 */
public interface SandboxRuntime {

    /**
     * Makes sure the sandbox's namespace exists, with {@code lo} up, creating it if missing (a
     * fresh sandbox, or one whose namespace went with a reboot or a daemon shutdown), and
     * returns the path of its bind-mount file.
     */
    String createNamespace(SandboxId id);

    /** Removes the namespace's name; the kernel frees it once nothing holds it. Succeeds when gone. */
    void deleteNamespace(SandboxId id);

    /** Deletes every namespace of this runtime that belongs to none of {@code keep} (start-up sweep). */
    void deleteOthers(Collection<SandboxId> keep);
}
