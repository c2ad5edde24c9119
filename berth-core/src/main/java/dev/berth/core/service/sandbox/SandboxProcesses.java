package dev.berth.core.service.sandbox;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.model.ContainerConfig;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxCommand;
import dev.berth.core.model.SandboxId;
import dev.berth.core.service.event.Change;
import dev.berth.core.service.network.OnePrune;
import dev.berth.core.service.network.PruneFilter;
import dev.berth.core.service.state.Attachment;
import dev.berth.core.service.state.ServiceState;
import dev.berth.core.spi.ImageStore;
import dev.berth.core.spi.ProcessLauncher;
import dev.berth.core.spi.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The process a sandbox runs: a container made from an image (run by the launcher on a root
 * filesystem the {@link ImageStore} mounts), or a host binary ({@code berth run}). Create, start,
 * stop, kill, restart, rename, wait, remove, restart policies, adopted across daemon restarts.
 *
 * <p>The sandbox lives as long as its process is wanted: when the process exits the exit status
 * is kept; an {@code autoRemove} sandbox is removed, a container whose restart policy says so
 * starts again after Docker's back-off ({@link RestartPolicies}); otherwise the sandbox stays
 * {@code exited} (namespace kept) until removed. Removing a running one needs {@code force},
 * which kills it (SIGKILL). A sandbox created without a command nor image runs nothing and counts
 * as {@code running} from create to remove.
 *
 * <p>The command, {@code autoRemove}, the container's configuration and its run state (stopped by
 * the user, restart count) are stored with the sandbox; the rest lives in memory and, for the exit
 * status, with the process's monitor (see {@link ProcessLauncher}). Processes outlive the daemon
 * (live restore): at start-up ({@link #restore()}) each stored command's process is adopted:
 * still running, or exited with the status its monitor recorded (255 when none was), and then an
 * exited {@code autoRemove} sandbox is removed and a container whose policy wants it running
 * ({@code always}; {@code unless-stopped} unless the user stopped it; {@code on-failure} after a
 * failure) is started again.
 *
 * <p>After a connect, disconnect or rename the change stream calls back (outside the write lock)
 * and a running process's {@code /etc/hosts} and {@code /etc/resolv.conf} are updated through the
 * launcher, as Docker does.
 *
 * <p>Locks: this object's monitor guards the entries; it may be held while calling the
 * {@link SandboxService} (which takes the write lock of {@code ServiceState}), never the other way
 * round. Waiting for an exit happens outside the monitor, since the exit callback needs it.
 */
public final class SandboxProcesses implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SandboxProcesses.class.getName());
    private static final long KILL_WAIT_SECONDS = 10;
    /** Docker's stop timeout when neither the request nor the container sets one. */
    public static final int DEFAULT_STOP_SECONDS = 10;

    /** The exit status reported for a process whose end was not recorded. */
    public static final int UNKNOWN_EXIT = ProcessLauncher.UNKNOWN_EXIT;

    /** Runs a restart after its back-off; the daemon's is a timer thread, tests run them by hand. */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(long delayMillis, Runnable task);
    }

    private final SandboxService sandboxes;
    private final StateStore store;
    private final ProcessLauncher launcher;
    private final ImageStore images;
    private final ContainerPlanner planner;
    private final Clock clock;
    private final Scheduler scheduler;
    private final ScheduledExecutorService timer;
    private final Map<SandboxId, ProcessEntry> entries = new HashMap<>();
    /** One container prune at a time, as moby. */
    private final OnePrune pruning = new OnePrune();
    private boolean closing;

    /** Follows the endpoints of {@code state}'s sandboxes to keep a running process's files in step; no images. */
    public SandboxProcesses(ServiceState state, SandboxService sandboxes, ProcessLauncher launcher) {
        this(state, sandboxes, launcher, null, null);
    }

    /**
     * With an image store (containers from images; {@code null}: image-less sandboxes only, an
     * {@code Image} of a create request is ignored) and the scheduler of restarts ({@code null}:
     * a timer thread of its own).
     */
    public SandboxProcesses(ServiceState state, SandboxService sandboxes, ProcessLauncher launcher, ImageStore images,
                            Scheduler scheduler) {
        this(state, sandboxes, state.dependencies().store(), launcher, images, scheduler,
                state.dependencies().clock());
    }

    private SandboxProcesses(ServiceState state, SandboxService sandboxes, StateStore store, ProcessLauncher launcher,
                             ImageStore images, Scheduler scheduler, Clock clock) {
        this.sandboxes = sandboxes;
        this.store = store;
        this.launcher = launcher;
        this.images = images;
        this.planner = new ContainerPlanner(Runtime.getRuntime().availableProcessors());
        this.clock = clock;
        if (scheduler == null) {
            this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "berth-restart");
                t.setDaemon(true);
                return t;
            });
            this.scheduler = (delay, task) -> timer.schedule(task, delay, TimeUnit.MILLISECONDS);
        } else {
            this.timer = null;
            this.scheduler = scheduler;
        }
        if (launcher != null) {
            state.changes().afterChange(change -> {
                switch (change) {
                    case Change.EndpointAttached c -> endpointsChanged(c.sandbox());
                    case Change.EndpointDetached c -> endpointsChanged(c.sandbox());
                    case Change.EndpointReaddressed c -> endpointsChanged(c.sandbox());
                    case Change.SandboxRenamed c -> endpointsChanged(c.sandbox());
                    default -> {
                        // the files follow endpoints and names only: a new sandbox has no process yet, a removed one no files
                    }
                }
            });
        }
    }

    /** For a daemon that cannot start processes: creating a sandbox with a command or image is refused. */
    public static SandboxProcesses withoutProcesses(SandboxService sandboxes, Clock clock) {
        return new SandboxProcesses(null, sandboxes, null, null, null, (d, t) -> { }, clock);
    }

    /**
     * Start-up, after {@link SandboxService#start()}: every stored command's process is adopted
     * (running, its {@code hosts} and {@code resolv.conf} brought in step with the stored
     * endpoints, or {@code exited} with its recorded status); an exited {@code autoRemove} sandbox
     * is removed, an exited container whose restart policy wants it is started again. Whatever is
     * left in the namespace of a sandbox whose process is not running is killed, and so is the
     * process of a sandbox that is no longer stored; root filesystems of no stored container are
     * released.
     */
    public void restore() {
        List<ProcessEntry> remove = new ArrayList<>();
        List<ProcessEntry> restart = new ArrayList<>();
        Set<SandboxId> containers = new java.util.HashSet<>();
        synchronized (this) {
            for (SandboxCommand command : store.commands()) {
                Sandbox sandbox;
                try {
                    sandbox = sandboxes.resolve(command.sandbox().value());
                } catch (NotFoundException gone) {
                    continue;
                }
                ProcessEntry e = new ProcessEntry(sandbox, command.argv(), command.autoRemove(), command.container());
                e.stoppedByUser = command.stoppedByUser();
                e.restartCount = command.restartCount();
                if (e.config != null) {
                    containers.add(sandbox.id());
                }
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
                if (found.startedAt() == null && found.finishedAt() == null
                        && found.exitCode() == ProcessLauncher.UNKNOWN_EXIT) {
                    // never started (the launcher has no trace of it): still created, as in moby
                    continue;
                }
                e.status = ProcessState.Status.EXITED;
                e.exitCode = found.exitCode();
                e.finishedAt = found.finishedAt() == null ? clock.instant() : found.finishedAt();
                e.exited.complete(e.exitCode);
                e.stopped.complete(e.exitCode);
                e.removing = command.autoRemove();
                if (e.removing) {
                    remove.add(e);
                } else if (e.config != null && e.status == ProcessState.Status.EXITED
                        && RestartPolicies.shouldRestart(e.config.restart(), e.exitCode, e.stoppedByUser,
                        e.restartCount)) {
                    restart.add(e);
                }
            }
        }
        launcher.removeOthers(sandboxes.list().stream().map(v -> v.sandbox().id()).collect(Collectors.toSet()));
        if (images != null) {
            releaseOthers(containers);
        }
        remove.forEach(this::removeNow);
        for (ProcessEntry e : restart) {
            try {
                synchronized (this) {
                    e.stoppedByUser = false;
                    e.exitOnNext = false;
                    launch(e);
                }
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "restart " + e.sandbox.name() + " (restart policy "
                        + e.config.restart().name() + "): " + ex.getMessage(), ex);
            }
        }
    }

    private void releaseOthers(Set<SandboxId> containers) {
        try {
            images.releaseOthers(containers);
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "release root filesystems of removed containers: " + ex.getMessage(),
                    ex);
        }
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
            Sandbox sandbox = networkNotFoundIsBadInput(() -> sandboxes.create(request, command, autoRemove));
            entries.put(sandbox.id(), new ProcessEntry(sandbox, command, autoRemove, null));
            return sandbox;
        }
    }

    /**
     * Creates a sandbox for a create request ({@code POST /containers/create}). With an image
     * (and an image store): a container, its settings checked (400), the image looked up (404
     * {@code No such image: busybox:latest}, the only 404 create gives: the docker CLI pulls on
     * any 404) and merged ({@link ContainerPlanner}). Without an image ({@code Image} absent or
     * {@code ""}): an image-less sandbox, running {@code Cmd} as a host binary ({@code berth run})
     * or, without one, nothing.
     */
    public Sandbox create(CreateSandbox request, ContainerRequest container) {
        if (!container.hasImage() || images == null) {
            return create(request, container.cmd() == null ? List.of() : container.cmd(), container.host().autoRemove());
        }
        if (launcher == null) {
            throw new UnavailableException("this daemon cannot start processes");
        }
        planner.check(container);
        ImageStore.Image image = images.find(container.image()).orElseThrow(() ->
                new NotFoundException("No such image: " + ContainerPlanner.familiar(container.image())));
        ContainerConfig config = planner.plan(container, image);
        boolean autoRemove = container.host().autoRemove();
        synchronized (this) {
            Sandbox sandbox = networkNotFoundIsBadInput(() ->
                    sandboxes.create(request, config.argv(), autoRemove, config));
            entries.put(sandbox.id(), new ProcessEntry(sandbox, config.argv(), autoRemove, config));
            return sandbox;
        }
    }

    /**
     * A network (or anything else) missing at create is a 400: the docker CLI takes any 404 from
     * create for a missing image and pulls.
     */
    private static Sandbox networkNotFoundIsBadInput(java.util.function.Supplier<Sandbox> create) {
        try {
            return create.get();
        } catch (NotFoundException e) {
            throw new InvalidParameterException(e.getMessage(), e);
        }
    }

    /**
     * Starts the sandbox's process; false when it runs already (moby's 304) or the sandbox has no
     * command. A start clears "stopped by the user" and the restart count, as moby's does. A start
     * the launcher refuses keeps its error in the state and is thrown; an {@code autoRemove}
     * container is removed then, as moby does.
     */
    public boolean start(String term) {
        ProcessEntry failed;
        RuntimeException failure;
        synchronized (this) {
            ProcessEntry e = entry(sandboxes.resolve(term));
            if (e.command.isEmpty() || e.active()) {
                return false;
            }
            if (e.removing || closing) {
                throw new ConflictException("container " + e.sandbox.name() + " is being removed");
            }
            boolean changed = e.stoppedByUser || e.restartCount != 0;
            e.stoppedByUser = false;
            e.exitOnNext = false;
            e.restartCount = 0;
            e.backoffMillis = 0;
            if (changed) {
                persist(e);
            }
            try {
                launch(e);
                return true;
            } catch (RuntimeException ex) {
                if (!e.autoRemove) {
                    throw ex;
                }
                e.removing = true;
                failed = e;
                failure = ex;
            }
        }
        removeNow(failed);
        throw failure;
    }

    /** Mounts the root filesystem (a container) and starts the process; under the monitor. */
    private void launch(ProcessEntry e) {
        SandboxView view = sandboxes.inspect(e.sandbox.id().value());
        Sandbox s = view.sandbox();
        CompletableFuture<Integer> exit = e.exited.isDone() ? new CompletableFuture<>() : e.exited;
        e.exited = exit;
        if (e.stopped.isDone()) {
            e.stopped = new CompletableFuture<>();
        }
        if (e.config != null && images == null) {
            throw new UnavailableException("container " + s.name() + " needs an image store, and this daemon has none");
        }
        try {
            String rootfs = e.config == null ? "" : images.mountRootfs(s.id(), e.config.imageId());
            e.pid = launcher.start(new ProcessLauncher.Launch(s.id(), s.name(), s.hostname(), s.netnsPath(), e.command,
                    addresses(view), embeddedDns(view), e.config, rootfs), code -> exited(e, exit, code));
        } catch (RuntimeException ex) {
            // moby: the container keeps its status, State.Error says why, ExitCode 127 (command
            // not found) or 126 (not executable) or 128
            e.error = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            e.exitCode = startFailureExit(e.error);
            e.pid = 0;
            if (e.status == ProcessState.Status.RESTARTING) {
                e.status = ProcessState.Status.EXITED;
            }
            e.finishedAt = clock.instant();
            e.stopped.complete(e.exitCode);
            exit.complete(e.exitCode);   // a next-exit waiter (docker run's) is not left hanging
            throw ex;
        }
        e.status = ProcessState.Status.RUNNING;
        e.startedAt = clock.instant();
        e.error = "";
        sandboxes.publish(new Change.ProcessStarted(s, e.image()));
    }

    /** moby's exit codes for a start that failed: 127 command not found, 126 cannot execute, else 128. */
    static int startFailureExit(String error) {
        String text = error.toLowerCase(java.util.Locale.ROOT);
        if (text.contains("executable file not found") || text.contains("no such file or directory")
                || text.contains("not found in $path")) {
            return 127;
        }
        if (text.contains("permission denied")) {
            return 126;
        }
        return 128;
    }

    /**
     * Stops the process ({@code POST /containers/{id}/stop}): sends {@code signal} (empty: the
     * container's stop signal, SIGTERM by default), waits {@code timeoutSeconds} ({@code null}:
     * the container's {@code StopTimeout}, else 10; negative: for ever), then SIGKILL. Marks it
     * stopped by the user, so no restart policy starts it again. False when it was not running
     * (moby's 304). A bad signal is a 400 before anything happens.
     */
    public boolean stop(String term, Integer timeoutSeconds, String signal) throws InterruptedException {
        CompletableFuture<Integer> exit;
        ProcessEntry e;
        int timeout;
        synchronized (this) {
            e = entry(sandboxes.resolve(term));
            int signo = signal == null || signal.isEmpty()
                    ? Signals.parse(e.config == null ? "SIGTERM" : e.config.stopSignal()) : Signals.parse(signal);
            if (e.command.isEmpty()) {
                return false;
            }
            if (e.status == ProcessState.Status.RESTARTING) {
                e.stoppedByUser = true;
                e.exitOnNext = true;
                e.status = ProcessState.Status.EXITED;
                persist(e);
                e.stopped.complete(e.exitCode);
                return true;
            }
            if (e.status != ProcessState.Status.RUNNING) {
                return false;
            }
            e.stoppedByUser = true;
            e.exitOnNext = true;
            persist(e);
            timeout = timeoutSeconds != null ? timeoutSeconds
                    : e.config != null && e.config.stopTimeout() != null ? e.config.stopTimeout() : DEFAULT_STOP_SECONDS;
            exit = e.exited;
            launcher.signal(e.sandbox.id(), signo);
        }
        try {
            if (timeout < 0) {
                exit.get();
                return true;
            }
            exit.get(timeout, TimeUnit.SECONDS);
        } catch (TimeoutException late) {
            synchronized (this) {
                if (e.exited == exit && e.status == ProcessState.Status.RUNNING) {
                    launcher.kill(e.sandbox.id());
                }
            }
            awaitQuietly(exit);
        } catch (ExecutionException ex) {
            throw new IllegalStateException("stop", ex.getCause());
        }
        return true;
    }

    /**
     * Sends a signal to the running process ({@code POST /containers/{id}/kill?signal=}; empty:
     * SIGKILL). 400 for an unknown signal (checked first), 409 when it does not run. Marks it
     * stopped by the user; SIGKILL or the container's stop signal also end its restarts, as in moby.
     */
    public synchronized void kill(String term, String signal) {
        int signo = Signals.parseOr(signal, Signals.KILL);
        ProcessEntry e = entry(sandboxes.resolve(term));
        if (e.status == ProcessState.Status.RESTARTING) {
            throw new ConflictException("Cannot kill container: " + term + ": Container " + e.sandbox.id().value()
                    + " is restarting, wait until the container is running");
        }
        if (e.command.isEmpty() || e.status != ProcessState.Status.RUNNING) {
            throw new ConflictException("Cannot kill container: " + term + ": container " + e.sandbox.id().value()
                    + " is not running");
        }
        e.stoppedByUser = true;
        int stopSignal = e.config == null ? Signals.TERM : Signals.parse(e.config.stopSignal());
        if (signo == Signals.KILL || signo == stopSignal) {
            e.exitOnNext = true;
        }
        persist(e);
        if (signo == Signals.KILL) {
            launcher.kill(e.sandbox.id());
        } else {
            launcher.signal(e.sandbox.id(), signo);
        }
    }

    /** Kills (SIGKILL) the sandbox's running process; 409 when it does not run one. */
    public void kill(String term) {
        kill(term, "");
    }

    /** {@code POST /containers/{id}/restart?t=&signal=}: stops it if it runs (as {@link #stop}), then starts it. */
    public void restart(String term, Integer timeoutSeconds, String signal) throws InterruptedException {
        stop(term, timeoutSeconds, signal);
        start(term);
    }

    /**
     * Renames the sandbox ({@code POST /containers/{id}/rename?name=}): 409 when the name is
     * taken. Its DNS names follow ({@link Change.SandboxRenamed}), and a running process's
     * {@code /etc/hosts}.
     */
    public synchronized Sandbox rename(String term, String name) {
        ProcessEntry e = entry(sandboxes.resolve(term));
        Sandbox renamed = sandboxes.rename(e.sandbox.id().value(), name, e.image());
        e.sandbox = renamed;
        return renamed;
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
     * After a connect, disconnect or rename (delivered by the change stream once the write lock is
     * released): a running process's {@code hosts} and {@code resolv.conf} follow the sandbox's
     * endpoints. Under this monitor, so it is ordered with {@link #start} and reads the endpoints
     * as they are now: the last call writes the latest state whatever order concurrent changes
     * finish in. A failure is logged; the change stands.
     */
    private synchronized void endpointsChanged(Sandbox sandbox) {
        ProcessEntry e = entries.get(sandbox.id());
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
    private void exited(ProcessEntry e, CompletableFuture<Integer> exit, int code) {
        boolean remove;
        boolean restart;
        long delay = 0;
        CompletableFuture<Integer> stopped;
        Sandbox sandbox;
        synchronized (this) {
            e.exitCode = code;
            e.pid = 0;
            e.finishedAt = clock.instant();
            restart = e.config != null && !e.exitOnNext && !e.removing && !closing && !e.autoRemove
                    && RestartPolicies.shouldRestart(e.config.restart(), code, e.stoppedByUser, e.restartCount);
            if (restart) {
                e.backoffMillis = RestartPolicies.nextDelay(e.backoffMillis,
                        e.startedAt == null ? null : Duration.between(e.startedAt, e.finishedAt));
                delay = e.backoffMillis;
                e.restartCount++;
                e.status = ProcessState.Status.RESTARTING;
                persistQuietly(e);
            } else {
                e.status = ProcessState.Status.EXITED;
            }
            remove = e.autoRemove && !e.removing && !closing;
            e.removing |= remove;
            stopped = e.stopped;
            sandbox = e.sandbox;
        }
        sandboxes.publish(new Change.ProcessDied(sandbox, code, e.image()));
        exit.complete(code);
        if (!restart) {
            stopped.complete(code);
        }
        if (remove) {
            removeNow(e);
        }
        if (restart) {
            scheduler.schedule(delay, () -> restartNow(e));
        }
    }

    /** A restart policy's restart, after its delay: unless the container was stopped or removed meanwhile. */
    private void restartNow(ProcessEntry e) {
        synchronized (this) {
            if (e.status != ProcessState.Status.RESTARTING || e.removing || closing
                    || entries.get(e.sandbox.id()) != e) {
                return;
            }
            try {
                launch(e);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "restart " + e.sandbox.name() + ": " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * Removes a sandbox; a running process needs {@code force} and is killed first (a sandbox
     * without a command counts as running, as before). A container's root filesystem is released.
     */
    public Sandbox remove(String term, boolean force) {
        ProcessEntry e;
        CompletableFuture<Integer> exit;
        boolean running;
        synchronized (this) {
            e = entry(sandboxes.resolve(term));
            if (e.status == ProcessState.Status.RESTARTING && !force) {
                throw new ConflictException("cannot remove container \"/" + e.sandbox.name() + "\": container is"
                        + " restarting: stop the container before removing or force remove");
            }
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
                    store.putCommand(e.command().removing());
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

    /**
     * {@code POST /containers/prune}: removes every container that does not run (created or exited;
     * a sandbox without a command runs until it is removed, a restarting one counts as running, as in
     * moby) and that the filters let go. As moby, one that cannot be removed (started meanwhile, say)
     * is logged and skipped, a second prune while one runs is a 409, and a {@code container prune}
     * event ends it. Returns the ids removed.
     */
    public List<String> prune(PruneFilter filter) {
        return pruning.run(() -> {
            Optional<Instant> until = filter.until(clock);
            List<String> deleted = new ArrayList<>();
            for (SandboxView view : sandboxes.list()) {
                Sandbox sandbox = view.sandbox();
                ProcessState process;
                try {
                    process = state(sandbox.id());
                } catch (NotFoundException gone) {
                    continue;
                }
                if (process.status() != ProcessState.Status.CREATED && process.status() != ProcessState.Status.EXITED) {
                    continue;
                }
                Map<String, String> labels = process.container() == null ? Map.of() : process.container().labels();
                if (!filter.matches(labels, sandbox.created(), until)) {
                    continue;
                }
                try {
                    remove(sandbox.id().value(), false);
                    deleted.add(sandbox.id().value());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "failed to prune container " + sandbox.id().value() + ": "
                            + e.getMessage());
                }
            }
            sandboxes.publish(new Change.ContainersPruned());
            return deleted;
        });
    }

    private void removeNow(ProcessEntry e) {
        try {
            sandboxes.remove(e.sandbox.id().value(), true, e.image());
        } catch (NotFoundException gone) {
            // removed meanwhile by another request: nothing left to do here
        } finally {
            if (launcher != null) {
                launcher.deleteFiles(e.sandbox.id());
            }
            if (e.config != null && images != null) {
                try {
                    images.releaseRootfs(e.sandbox.id());
                } catch (RuntimeException ex) {
                    LOG.log(System.Logger.Level.WARNING, "release the root filesystem of " + e.sandbox.name() + ": "
                            + ex.getMessage() + " (the next start releases it)", ex);
                }
            }
            synchronized (this) {
                entries.remove(e.sandbox.id());
            }
            e.stopped.complete(e.exitCode);
            e.removed.complete(e.exitCode);
        }
    }

    /**
     * The wait of a client ({@code POST /containers/{id}/wait}), registered at once: the returned
     * future completes with the exit status when the condition holds: {@code not-running}
     * (default; at once when the process does not run), {@code next-exit}, or {@code removed}.
     * 400 for another condition, 404 for no such sandbox, both before anything is registered.
     */
    public synchronized CompletableFuture<Integer> waiter(String term, String condition) {
        ProcessEntry e = entry(sandboxes.resolve(term));
        return switch (condition.isEmpty() ? "not-running" : condition) {
            case "not-running" -> e.active() ? e.stopped : CompletableFuture.completedFuture(e.exitCode);
            case "next-exit" -> {
                if (e.exited.isDone()) {
                    e.exited = new CompletableFuture<>();
                }
                yield e.exited;
            }
            case "removed" -> e.removed;
            default -> throw new InvalidParameterException("invalid condition: \"" + condition + "\"");
        };
    }

    /** Blocks until {@link #waiter} completes and returns the exit status. */
    public int await(String term, String condition) throws InterruptedException {
        CompletableFuture<Integer> future = waiter(term, condition);
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

    /**
     * How many sandboxes are in each state, as {@link #state} tells them (one without a process
     * counts as running): the daemon's metrics read it at every scrape. A snapshot: no sandbox is
     * looked up by name, so one removed meanwhile is simply not counted.
     */
    public synchronized Map<ProcessState.Status, Integer> countByStatus() {
        Map<ProcessState.Status, Integer> out = new java.util.EnumMap<>(ProcessState.Status.class);
        for (SandboxView view : sandboxes.list()) {
            ProcessEntry e = entries.get(view.sandbox().id());
            out.merge(e == null ? ProcessState.Status.RUNNING : e.state().status(), 1, Integer::sum);
        }
        return out;
    }

    /**
     * The images containers use, for {@code docker rmi}'s conflict: image id to the id of a
     * container made from it (the oldest when several are).
     */
    public synchronized Map<String, String> imagesInUse() {
        Map<String, String> out = new LinkedHashMap<>();
        entries.values().stream().filter(e -> e.config != null)
                .sorted(java.util.Comparator.comparing((ProcessEntry e) -> e.sandbox.created()))
                .forEach(e -> out.putIfAbsent(e.config.imageId(), e.sandbox.id().value()));
        return Map.copyOf(out);
    }

    /** The output file of a sandbox's process, if it has a command. */
    public synchronized Optional<String> logPath(String term) {
        ProcessEntry e = entry(sandboxes.resolve(term));
        return e.command.isEmpty() || launcher == null ? Optional.empty() : Optional.of(launcher.logPath(e.sandbox.id()));
    }

    private ProcessEntry entry(Sandbox sandbox) {
        return entries.computeIfAbsent(sandbox.id(), id -> new ProcessEntry(sandbox, List.of(), false, null));
    }

    private void persist(ProcessEntry e) {
        if (!e.command.isEmpty() && !e.removing) {
            store.putCommand(e.command());
        }
    }

    private void persistQuietly(ProcessEntry e) {
        try {
            persist(e);
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "store the run state of " + e.sandbox.name() + ": " + ex.getMessage(),
                    ex);
        }
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
     * their watching stops. No process is started, restarted or removed from now on.
     */
    @Override
    public synchronized void close() {
        closing = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
