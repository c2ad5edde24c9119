package dev.berth.daemon.api;

import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.ProcessLauncher;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/** A launcher whose processes run until the test (or {@link FakeContainerIo}) ends them. */
final class FakeLauncher implements ProcessLauncher {
    private final Map<SandboxId, IntConsumer> running = new HashMap<>();
    private long nextPid = 4000;
    /** When positive, the PID every start reports (a real one, for {@code docker top}). */
    volatile long pid;

    @Override
    public synchronized long start(Launch launch, IntConsumer onExit) {
        running.put(launch.id(), onExit);
        return pid > 0 ? pid : nextPid++;
    }

    /** Ends the sandbox's process with {@code code}; nothing when it does not run. */
    void exit(SandboxId id, int code) {
        IntConsumer onExit;
        synchronized (this) {
            onExit = running.remove(id);
        }
        if (onExit != null) {
            onExit.accept(code);
        }
    }

    @Override
    public void updateFiles(FilesUpdate update) {
    }

    @Override
    public Adopted adopt(SandboxId id, IntConsumer onExit) {
        return new Adopted(false, 0, UNKNOWN_EXIT, null, null);
    }

    @Override
    public void signal(SandboxId id, int signal) {
        exit(id, 128 + signal);
    }

    @Override
    public void kill(SandboxId id) {
        exit(id, 137);
    }

    @Override
    public void killInNamespace(String netnsPath) {
    }

    @Override
    public void removeOthers(Set<SandboxId> known) {
    }

    @Override
    public String logPath(SandboxId id) {
        return "/nonexistent/" + id.value() + "/output.log";
    }

    @Override
    public void deleteFiles(SandboxId id) {
    }
}
