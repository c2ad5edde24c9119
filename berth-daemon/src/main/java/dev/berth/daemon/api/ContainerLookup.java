package dev.berth.daemon.api;

import dev.berth.core.errors.NotFoundException;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import dev.berth.core.service.sandbox.ProcessState;
import dev.berth.core.service.sandbox.SandboxProcesses;
import dev.berth.core.service.sandbox.SandboxService;
import java.util.Optional;

/**
 * What the stream endpoints ({@code attach}, {@code exec}, {@code logs}, {@code resize}) need to
 * know of a container, answered by the container life cycle.
 */
@FunctionalInterface
public interface ContainerLookup {

    /**
     * A container as the stream endpoints see it.
     *
     * @param id        its id
     * @param name      its name, without {@code /}
     * @param status    created, running or exited
     * @param pid       its process's PID (on the host) while it runs, else 0
     * @param tty       its process has a terminal: streams are raw, not framed
     * @param stdinOnce its stdin closes when the first attached client's stdin ends
     * @param image     made from an image: {@link dev.berth.daemon.process.ContainerIo} serves its
     *                  streams; otherwise a {@code berth run} sandbox, whose output is {@code rawLog}
     * @param rawLog    the output file of a {@code berth run} sandbox's process
     */
    record Target(SandboxId id, String name, ProcessState.Status status, long pid, boolean tty, boolean stdinOnce,
                  boolean image, Optional<String> rawLog) {
        public boolean running() {
            return status == ProcessState.Status.RUNNING;
        }
    }

    /** The container {@code term} names (id, id prefix or name); 404 {@code No such container: term}. */
    Target find(String term);

    /**
     * Over the sandboxes and their processes: a container from an image has its TTY and
     * {@code StdinOnce} from its {@code ContainerConfig}; any other sandbox is a {@code berth run}
     * one (no TTY, its output file as log).
     */
    static ContainerLookup over(SandboxService sandboxes, SandboxProcesses processes) {
        return term -> {
            Sandbox sandbox = sandboxes.resolve(term);
            ProcessState state;
            try {
                state = processes.state(sandbox.id());
            } catch (NotFoundException gone) {
                throw new NotFoundException("No such container: " + term);
            }
            boolean image = state.isContainer();
            return new Target(sandbox.id(), sandbox.name(), state.status(), state.pid(),
                    image && state.container().tty(), image && state.container().stdinOnce(), image,
                    image ? Optional.empty() : processes.logPath(sandbox.id().value()));
        };
    }
}
