package dev.berth.core.service.sandbox;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxCommand;
import dev.berth.core.model.SandboxId;
import dev.berth.core.service.event.Change;
import dev.berth.core.service.state.Attachment;
import dev.berth.core.service.state.ServiceState;
import dev.berth.core.spi.ProcessLauncher;
import dev.berth.core.spi.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The process a sandbox runs ({@code berth run}): create with a command, start, wait, remove. The
 * sandbox lives as long as its process: when it exits the exit status is kept and an
 * {@code autoRemove} sandbox is removed; otherwise the sandbox stays {@code exited} (namespace
 * kept) until removed. Removing a running one needs {@code force}, which kills it (SIGKILL).
 *
 * <p>The command and {@code autoRemove} are stored with the sandbox; the rest of the process
 * state lives in memory and, for the exit status, with the process's monitor (see
 * {@link ProcessLauncher}). Processes outlive the daemon, as with dockerd's live restore: a
 * daemon that stops (SIGTERM, or a crash) leaves them running, and at start-up
 * ({@link #restore()}) each stored command's process is adopted: still running, or exited with
 * the status its monitor recorded (also when it ended while no daemon ran; 255 when none was
 * recorded), and an exited {@code autoRemove} sandbox is removed then.
 *
 * <p>After a connect or disconnect the change stream calls back (outside the write lock) and a
 * running process's {@code /etc/hosts} and {@code /etc/resolv.conf} are updated through the
 * launcher, as Docker does: own addresses added and removed, the embedded resolver once the
 * sandbox is on a user-defined network.
 *
 * <p>Locks: this object's monitor guards the entries; it may be held while calling the
 * {@link SandboxService} (which takes the write lock of {@code ServiceState}), never the other way round. Waiting
 * for an exit happens outside the monitor, since the exit callback needs it.
 */
public final class SandboxProcesses implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SandboxProcesses.class.getName());
    private static final long KILL_WAIT_SECONDS = 10;

    /** The exit status reported for a process whose end was not recorded. */
    public static final int UNKNOWN_EXIT = ProcessLauncher.UNKNOWN_EXIT;

    private final SandboxService sandboxes;
    private final StateStore store;
    private final ProcessLauncher launcher;
    private final Clock clock;
    private final Map<SandboxId, Entry> entries = new HashMap<>();
    private boolean closing;

    /** Mutable state of one sandbox's process, guarded by the outer monitor. */
    private static final class Entry {
        final Sandbox sandbox;
        final List<String> command;
        final boolean autoRemove;
        ProcessState.Status status;
        long pid;
        int exitCode;
        Instant startedAt;
        Instant finishedAt;
        boolean removing;
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        final CompletableFuture<Integer> removed = new CompletableFuture<>();

        Entry(Sandbox sandbox, List<String> command, boolean autoRemove) {
            this.sandbox = sandbox;
            this.command = List.copyOf(command);
            this.autoRemove = autoRemove;
            this.status = command.isEmpty() ? ProcessState.Status.RUNNING : ProcessState.Status.CREATED;
        }

        ProcessState state() {
            return new ProcessState(command, autoRemove, status, pid, exitCode, startedAt, finishedAt);
        }
    }

    /** Follows the endpoints of {@code state}'s sandboxes to keep a running process's files in step. */
    public SandboxProcesses(ServiceState state, SandboxService sandboxes, ProcessLauncher launcher) {
        this(state, sandboxes, state.dependencies().store(), launcher, state.dependencies().clock());
    }

    private SandboxProcesses(ServiceState state, SandboxService sandboxes, StateStore store, ProcessLauncher launcher,
                             Clock clock) {
        this.sandboxes = sandboxes;
        this.store = store;
        this.launcher = launcher;
        this.clock = clock;
        if (launcher != null) {
            state.changes().afterChange(change -> {
                switch (change) {
                    case Change.EndpointAttached c -> endpointsChanged(c.sandbox());
                    case Change.EndpointDetached c -> endpointsChanged(c.sandbox());
                    case Change.EndpointReaddressed c -> endpointsChanged(c.sandbox());
                    default -> {
                        // the files follow endpoints only: a new sandbox has no process yet, a removed one no files
                    }
                }
            });
        }
    }

    /** For a daemon that cannot start processes: creating a sandbox with a command is refused. */
    public static SandboxProcesses withoutProcesses(SandboxService sandboxes, Clock clock) {
        return new SandboxProcesses(null, sandboxes, null, null, clock);
    }

    /**
     * Start-up, after {@link SandboxService#start()}: every stored command's process is adopted
     * (running, its {@code hosts} and {@code resolv.conf} brought in step with the stored
     * endpoints, or {@code exited} with its recorded status); an exited {@code autoRemove} sandbox
     * is removed. Whatever is left in the namespace of a sandbox whose process is not running is
     * killed, and so is the process of a sandbox that is no longer stored.
     */
    public void restore() {
        List<Entry> remove = new ArrayList<>();
        synchronized (this) {
            for (SandboxCommand command : store.commands()) {
                Sandbox sandbox;
                try {
                    sandbox = sandboxes.resolve(command.sandbox().value());
                } catch (NotFoundException gone) {
                    continue;
                }
                Entry e = new Entry(sandbox, command.argv(), command.autoRemove());
                CompletableFuture<Integer> exit = e.exited;
                ProcessLauncher.Adopted found = launcher.adopt(sandbox.id(), code -> exited(e, exit, code));
                entries.put(sandbox.id(), e);
                e.startedAt = found.startedAt();
                if (found.running()) {
                    e.status = ProcessState.Status.RUNNING;
                    e.pid = found.pid();
                    // a daemon killed between storing a change of endpoints (a connect, a reload's
                    // re-addressing) and editing the files left them behind the store
                    filesFollowEndpoints(sandbox);
                    continue;
                }
                if (!sandbox.netnsPath().isEmpty()) {
                    launcher.killInNamespace(sandbox.netnsPath());
                }
                e.status = ProcessState.Status.EXITED;
                e.exitCode = found.exitCode();
                e.finishedAt = found.finishedAt() == null ? clock.instant() : found.finishedAt();
                e.exited.complete(e.exitCode);
                e.removing = command.autoRemove();
                if (e.removing) {
                    remove.add(e);
                }
            }
        }
        launcher.removeOthers(sandboxes.list().stream().map(v -> v.sandbox().id()).collect(Collectors.toSet()));
        remove.forEach(this::removeNow);
    }

    /** Creates the sandbox ({@code created} when a command is given, else live at once). */
    public Sandbox create(CreateSandbox request, List<String> command, boolean autoRemove) {
        if (!command.isEmpty() && launcher == null) {
            throw new UnavailableException("this daemon cannot start processes");
        }
        if (!command.isEmpty() && command.getFirst().isEmpty()) {
            throw new InvalidParameterException("no command specified");
        }
        synchronized (this) {
            Sandbox sandbox = sandboxes.create(request, command, autoRemove);
            entries.put(sandbox.id(), new Entry(sandbox, command, autoRemove));
            return sandbox;
        }
    }

    /** Starts the sandbox's process unless it runs already or the sandbox has no command. */
    public synchronized void start(String term) {
        Entry e = entry(sandboxes.resolve(term));
        if (e.command.isEmpty() || e.status == ProcessState.Status.RUNNING) {
            return;
        }
        if (e.removing || closing) {
            throw new ConflictException("container " + e.sandbox.name() + " is being removed");
        }
        SandboxView view = sandboxes.inspect(e.sandbox.id().value());
        Sandbox s = view.sandbox();
        CompletableFuture<Integer> exit = e.exited.isDone() ? new CompletableFuture<>() : e.exited;
        e.exited = exit;
        e.pid = launcher.start(new ProcessLauncher.Launch(s.id(), s.name(), s.hostname(), s.netnsPath(), e.command,
                addresses(view), embeddedDns(view)), code -> exited(e, exit, code));
        e.status = ProcessState.Status.RUNNING;
        e.startedAt = clock.instant();
        sandboxes.publish(new Change.ProcessStarted(s));
    }

    /** The sandbox's own addresses, for its {@code hosts}: each endpoint's IPv4, then IPv6. */
    private static List<String> addresses(SandboxView view) {
        List<String> addresses = new ArrayList<>();
        for (Attachment a : view.attachments()) {
            if (a.endpoint().ipv4() != null) {
                addresses.add(IpAddresses.format(a.endpoint().ipv4().address()));
            }
            if (a.endpoint().ipv6() != null) {
                addresses.add(IpAddresses.format(a.endpoint().ipv6().address()));
            }
        }
        return addresses;
    }

    /** On a user-defined network: its resolver is the embedded one. */
    private static boolean embeddedDns(SandboxView view) {
        return view.attachments().stream().anyMatch(a -> !a.network().isPredefined());
    }

    /**
     * After a connect or disconnect (delivered by the change stream once the write lock is released): a running process's
     * {@code hosts} and {@code resolv.conf} follow the sandbox's endpoints. Under this monitor, so
     * it is ordered with {@link #start} and reads the endpoints as they are now: the last call
     * writes the latest state whatever order concurrent changes finish in. A failure is logged;
     * the connect or disconnect stands.
     */
    private synchronized void endpointsChanged(Sandbox sandbox) {
        Entry e = entries.get(sandbox.id());
        if (e == null || e.pid <= 0) {
            return;
        }
        filesFollowEndpoints(sandbox);
    }

    /** A running process's {@code hosts} and {@code resolv.conf} as the sandbox's stored endpoints want them. */
    private void filesFollowEndpoints(Sandbox sandbox) {
        try {
            SandboxView view = sandboxes.inspect(sandbox.id().value());
            Sandbox s = view.sandbox();
            launcher.updateFiles(new ProcessLauncher.FilesUpdate(s.id(), s.name(), s.hostname(), addresses(view),
                    embeddedDns(view)));
        } catch (NotFoundException gone) {
            // removed meanwhile: its files go with it
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "update /etc/hosts and /etc/resolv.conf of " + sandbox.name() + ": "
                    + ex.getMessage(), ex);
        }
    }

    /** Called by the launcher (on its own thread) when a process ends. */
    private void exited(Entry e, CompletableFuture<Integer> exit, int code) {
        boolean remove;
        synchronized (this) {
            e.status = ProcessState.Status.EXITED;
            e.exitCode = code;
            e.pid = 0;
            e.finishedAt = clock.instant();
            remove = e.autoRemove && !e.removing && !closing;
            e.removing |= remove;
        }
        sandboxes.publish(new Change.ProcessDied(e.sandbox, code));
        exit.complete(code);
        if (remove) {
            removeNow(e);
        }
    }

    /**
     * Removes a sandbox; a running process needs {@code force} and is killed first (a sandbox
     * without a command counts as running, as before).
     */
    public Sandbox remove(String term, boolean force) {
        Entry e;
        CompletableFuture<Integer> exit;
        boolean running;
        synchronized (this) {
            e = entry(sandboxes.resolve(term));
            if (e.status == ProcessState.Status.RUNNING && !force) {
                throw new ConflictException("cannot remove container \"/" + e.sandbox.name() + "\": container is"
                        + " running: stop the container before removing or force remove");
            }
            e.removing = true;
            exit = e.exited;
            running = e.status == ProcessState.Status.RUNNING && !e.command.isEmpty();
            if (running) {
                if (!e.autoRemove) {
                    // The removal is recorded before the kill: a daemon crash after the kill then
                    // finishes it at the next start (an exited autoRemove sandbox is removed),
                    // instead of leaving an exited sandbox that a client was removing.
                    store.putCommand(new SandboxCommand(e.sandbox.id(), e.command, true));
                }
                launcher.kill(e.sandbox.id());
            }
        }
        if (running) {
            awaitQuietly(exit);
        }
        if (!e.command.isEmpty() && !e.sandbox.netnsPath().isEmpty()) {
            // the PID namespace took every process of the sandbox; this catches one that entered
            // its network namespace otherwise (a start a daemon crash cut short)
            launcher.killInNamespace(e.sandbox.netnsPath());
        }
        removeNow(e);
        return e.sandbox;
    }

    /** Kills (SIGKILL) the sandbox's running process; 409 when it does not run one. */
    public synchronized void kill(String term) {
        Entry e = entry(sandboxes.resolve(term));
        if (e.command.isEmpty() || e.status != ProcessState.Status.RUNNING) {
            throw new ConflictException("Cannot kill container: " + term + ": container " + e.sandbox.id().value()
                    + " is not running");
        }
        launcher.kill(e.sandbox.id());
    }

    private void removeNow(Entry e) {
        try {
            sandboxes.remove(e.sandbox.id().value(), true);
        } catch (NotFoundException gone) {
            // removed meanwhile by another request: nothing left to do here
        } finally {
            if (launcher != null) {
                launcher.deleteFiles(e.sandbox.id());
            }
            synchronized (this) {
                entries.remove(e.sandbox.id());
            }
            e.removed.complete(e.exitCode);
        }
    }

    /**
     * Blocks until the condition holds and returns the exit status: {@code not-running} (default;
     * at once when the process does not run), {@code next-exit}, or {@code removed}.
     */
    public int await(String term, String condition) throws InterruptedException {
        CompletableFuture<Integer> future;
        synchronized (this) {
            Entry e = entry(sandboxes.resolve(term));
            future = switch (condition.isEmpty() ? "not-running" : condition) {
                case "not-running" -> e.status == ProcessState.Status.RUNNING ? e.exited
                        : CompletableFuture.completedFuture(e.exitCode);
                case "next-exit" -> e.exited;
                case "removed" -> e.removed;
                default -> throw new InvalidParameterException("invalid condition: \"" + condition + "\"");
            };
        }
        try {
            return future.get();
        } catch (ExecutionException ex) {
            throw new IllegalStateException("wait", ex.getCause());
        }
    }

    /** The process state of a sandbox (a sandbox without one counts as running). */
    public synchronized ProcessState state(SandboxId id) {
        return entry(sandboxes.inspect(id.value()).sandbox()).state();
    }

    /** The output file of a sandbox's process, if it has a command. */
    public synchronized Optional<String> logPath(String term) {
        Entry e = entry(sandboxes.resolve(term));
        return e.command.isEmpty() || launcher == null ? Optional.empty() : Optional.of(launcher.logPath(e.sandbox.id()));
    }

    private Entry entry(Sandbox sandbox) {
        return entries.computeIfAbsent(sandbox.id(), id -> new Entry(sandbox, List.of(), false));
    }

    private static void awaitQuietly(CompletableFuture<Integer> exit) {
        try {
            exit.get(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException ex) {
            // removal goes on: the namespace is freed once the (killed) process is gone
            return;
        }
    }

    /**
     * Daemon shutdown: processes keep running (live restore; the next daemon adopts them), only
     * their watching stops. No process is started or removed from now on.
     */
    @Override
    public synchronized void close() {
        closing = true;
    }
}
