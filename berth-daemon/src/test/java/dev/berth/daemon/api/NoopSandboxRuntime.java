package dev.berth.daemon.api;

import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.SandboxRuntime;
import java.util.Collection;

/** Test fake: namespaces by name only; nothing is made in the kernel. */
final class NoopSandboxRuntime implements SandboxRuntime {
    @Override
    public String createNamespace(SandboxId id) {
        return "/var/run/berth/netns/" + id.shortId();
    }

    @Override
    public void deleteNamespace(SandboxId id) {
    }

    @Override
    public void deleteOthers(Collection<SandboxId> keep) {
    }
}
