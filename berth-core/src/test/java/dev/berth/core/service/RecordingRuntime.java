package dev.berth.core.service;

import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.SandboxRuntime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A test double of the sandbox runtime: remembers which namespaces exist. */
public final class RecordingRuntime implements SandboxRuntime {
    public final Set<SandboxId> namespaces = new LinkedHashSet<>();
    public final List<String> calls = new ArrayList<>();

    @Override
    public String createNamespace(SandboxId id) {
        calls.add("create " + id.shortId());
        namespaces.add(id);
        return "/run/berth/netns/" + id.shortId();
    }

    @Override
    public void deleteNamespace(SandboxId id) {
        calls.add("delete " + id.shortId());
        namespaces.remove(id);
    }

    @Override
    public void deleteOthers(Collection<SandboxId> keep) {
        namespaces.retainAll(keep);
    }
}
