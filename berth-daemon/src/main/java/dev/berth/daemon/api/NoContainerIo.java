package dev.berth.daemon.api;

import dev.berth.core.errors.UnavailableException;
import dev.berth.core.model.SandboxId;
import dev.berth.daemon.process.ContainerIo;
import java.time.Instant;
import java.util.function.Consumer;

/** For a daemon without a container runtime: every stream is refused with a 503. */
final class NoContainerIo implements ContainerIo {
    private static UnavailableException refused() {
        return new UnavailableException("this daemon cannot run containers");
    }

    @Override
    public Attached attach(SandboxId id, boolean stdin, boolean stdout, boolean stderr) {
        throw refused();
    }

    @Override
    public void resize(SandboxId id, int height, int width) {
        throw refused();
    }

    @Override
    public Exec exec(SandboxId id, ExecSpec spec, boolean attached) {
        throw refused();
    }

    @Override
    public void logs(SandboxId id, int tail, Instant since, boolean follow, Consumer<LogEntry> sink) {
        throw refused();
    }
}
