package dev.berth.daemon.process;

import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.model.ContainerConfig;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.ProcessLauncher;
import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Starts each sandbox process under a {@code conmon} monitor of its own, so it outlives the daemon
 * and its exit status is recorded even when no daemon runs; a daemon that starts again adopts it.
 *
 * <p>conmon expects an OCI runtime and calls only its {@code create}; {@link #RUNTIME} is a
 * stand-in that runs {@code <dir>/start} in the background and writes its PID for conmon, which
 * then waits for it and writes its exit status (128 + signal when killed) to {@code <dir>/<id>}.
 * {@code start} is {@code nsenter --net=<netns> -- unshare --pid --fork --kill-child --mount --uts
 * --propagation private -- /bin/sh -c SCRIPT}: {@code unshare} is the process conmon watches, and
 * its child, PID 1 of a new PID namespace, runs {@link #SCRIPT} and {@code exec}s the command.
 * Every process the command forks stays in that namespace, and the kernel kills them all when
 * PID 1 ends; {@code --kill-child} ends PID 1 when {@code unshare} is killed.
 *
 * <p>Files in {@code <exec-root>/sandboxes/<id>/}: {@code start}, {@code monitor.pid} (conmon),
 * {@code container.pid} ({@code unshare}), {@code pid} (the command, as the host sees it: what
 * {@code State.Pid} shows and {@code berth exec} enters), {@code <id>} (the exit status).
 */
public final class ConmonLauncher implements ProcessLauncher {
    static final String START = "start";
    static final String MONITOR_PID = "monitor.pid";
    static final String CONTAINER_PID = "container.pid";
    static final String PID = "pid";
    static final String RUNTIME_FILE = "berth-runtime";
    private static final long START_TIMEOUT_MILLIS = 10_000;

    /**
     * The OCI runtime conmon calls: {@code create --bundle DIR --pid-file FILE ID} only. The start
     * script runs in the background ({@code &}), which makes a non-interactive shell ignore SIGINT
     * and SIGQUIT for it; {@code env --default-signal} in the script undoes that.
     */
    static final String RUNTIME = """
            #!/bin/sh
            # Berth's stand-in for an OCI runtime, called by conmon: only `create`.
            [ "$1" = create ] || { echo "berth-runtime: '$1' is not supported" >&2; exit 1; }
            shift
            while [ $# -gt 0 ]; do
              case $1 in
                --bundle|-b) bundle=$2; shift 2 ;;
                --pid-file) pidfile=$2; shift 2 ;;
                --console-socket) shift 2 ;;
                *) shift ;;
              esac
            done
            /bin/sh "$bundle/start" &
            echo $! > "$pidfile"
            """;

    /**
     * Runs as PID 1 of the new PID namespace, {@code sh -c SCRIPT sh DIR HOSTNAME CMD...}: notes its
     * PID as the host sees it ({@code /proc} is still the host's, and the shell's own {@code read}
     * opens {@code /proc/self}), bind-mounts the files, mounts a {@code /proc} of the new namespace
     * (so {@code ps} inside sees only the sandbox), sets the hostname, then {@code exec}s the
     * command. The PID file is written last: once it is there, the sandbox is set up.
     */
    static final String SCRIPT = """
            set -e
            read -r pid rest < /proc/self/stat
            mount --bind "$1/resolv.conf" /etc/resolv.conf
            mount --bind "$1/hosts" /etc/hosts
            if [ -e /etc/hostname ]; then mount --bind "$1/hostname" /etc/hostname; fi
            mount -t proc proc /proc
            hostname "$2"
            echo "$pid" > "$1/pid"
            shift 2
            exec "$@"
            """;

    private final SandboxDirectory files;
    private final Path runtime;
    private final String conmon;
    private final RuncContainers containers;
    private final PendingAttachments attachments = new PendingAttachments();
    private final ConmonContainerIo io;
    /** Containers whose log the daemon rotates ({@link LogRotation}), checked every second while any runs. */
    private final Map<SandboxId, ContainerConfig.LogOptions> rotating = new ConcurrentHashMap<>();
    private final AtomicBoolean rotator = new AtomicBoolean();
    private static final System.Logger LOG = System.getLogger(ConmonLauncher.class.getName());
    private static final long ROTATION_CHECK_MILLIS = 1000;

    ConmonLauncher(SandboxDirectory files, Path runtime, String conmon) {
        this(files, runtime, conmon, new RuncContainers(runtime.getParent(), conmon, RuncContainers.findRunc()));
    }

    ConmonLauncher(SandboxDirectory files, Path runtime, String conmon, RuncContainers containers) {
        this.files = files;
        this.runtime = runtime;
        this.conmon = conmon;
        this.containers = containers;
        this.io = new ConmonContainerIo(files, containers, attachments, this::running);
    }

    /** The streams of this launcher's containers (attach, exec, resize, logs). */
    public ContainerIo containerIo() {
        return io;
    }

    /**
     * Writes the runtime stand-in to {@code <exec-root>/berth-runtime} (mode 0700) and returns a
     * launcher whose sandboxes live in {@code <exec-root>/sandboxes}.
     */
    public static ConmonLauncher install(Path execRoot, Path hostResolvConf) {
        Path runtime = execRoot.resolve(RUNTIME_FILE);
        try {
            Files.createDirectories(execRoot);
            Path temp = execRoot.resolve(RUNTIME_FILE + ".tmp");
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.writeString(temp, RUNTIME);
            Files.move(temp, runtime, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new InternalException("write " + runtime + ": " + e, e);
        }
        return new ConmonLauncher(new SandboxDirectory(execRoot.resolve("sandboxes"), hostResolvConf), runtime,
                "conmon");
    }

    @Override
    public long start(Launch launch, IntConsumer onExit) {
        if (launch.container() != null) {
            return startContainer(launch, onExit);
        }
        Path dir = files.writeFiles(launch);
        try {
            Files.deleteIfExists(dir.resolve(RuncContainers.CONFIG));
        } catch (IOException e) {
            throw new InternalException("delete " + dir.resolve(RuncContainers.CONFIG) + ": " + e, e);
        }
        try {
            for (String old : List.of(START, MONITOR_PID, CONTAINER_PID, PID, launch.id().value())) {
                Files.deleteIfExists(dir.resolve(old));
            }
            Files.writeString(dir.resolve(START), startScript(launch, dir));
        } catch (IOException e) {
            throw new InternalException("write start script of sandbox " + launch.name() + " in " + dir + ": " + e, e);
        }
        ProcessBuilder builder = new ProcessBuilder(conmonArgv(launch.id(), launch.name(), dir))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(SandboxDirectory.LOG_FILE).toFile()))
                .redirectErrorStream(true);
        builder.environment().keySet().removeAll(RuncContainers.SYSTEMD_HANDOVER);
        Process monitor;
        try {
            monitor = builder.start();
        } catch (IOException e) {
            throw new UnavailableException("start process of sandbox " + launch.name() + ": cannot run " + conmon
                    + " (install the conmon package): " + e.getMessage(), e);
        }
        try {
            Files.writeString(dir.resolve(MONITOR_PID), monitor.pid() + "\n");
        } catch (IOException e) {
            monitor.destroyForcibly();
            throw new InternalException("write " + dir.resolve(MONITOR_PID) + ": " + e, e);
        }
        long pid = awaitPid(launch, dir, monitor);
        // async: the callback takes the caller's lock, which the caller may hold right now
        monitor.onExit().thenAcceptAsync(p -> onExit.accept(recordedExit(dir, launch.id()).orElse(UNKNOWN_EXIT)));
        return pid;
    }

    /** A container: runc under conmon (see {@link RuncContainers}); the same files and callbacks. */
    private long startContainer(Launch launch, IntConsumer onExit) {
        if (launch.rootfs().isEmpty()) {
            throw new InternalException("start container " + launch.name() + ": no root filesystem given");
        }
        Path dir = files.writeFiles(launch);
        RuncContainers.Started started = containers.start(launch, dir, attachments);
        started.monitor().onExit().thenAcceptAsync(p -> onExit.accept(recordedExit(dir, launch.id()).orElse(UNKNOWN_EXIT)));
        rotateWhileRunning(launch.id(), dir, started.monitor().toHandle());
        return started.pid();
    }

    /** Rotates the container's log while its monitor runs, if its settings ask the daemon to. */
    private void rotateWhileRunning(SandboxId id, Path dir, ProcessHandle monitor) {
        Optional<ContainerConfig.LogOptions> options = LogRotation.load(dir);
        if (options.isEmpty()) {
            return;
        }
        rotating.put(id, options.get());
        monitor.onExit().thenRun(() -> rotating.remove(id));
        if (rotator.compareAndSet(false, true)) {
            Thread.ofVirtual().name("berth-log-rotation").start(this::rotateLogs);
        }
    }

    private void rotateLogs() {
        while (true) {
            try {
                Thread.sleep(ROTATION_CHECK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            for (Map.Entry<SandboxId, ContainerConfig.LogOptions> e : rotating.entrySet()) {
                try {
                    LogRotation.rotateIfDue(files.dir(e.getKey()), e.getValue());
                } catch (IOException | RuntimeException ex) {
                    LOG.log(System.Logger.Level.WARNING, "rotate the log of container " + e.getKey().shortId() + ": " + ex);
                }
            }
        }
    }

    /** Whether the sandbox's monitor (conmon) still runs: its process is alive or its output not yet drained. */
    boolean running(SandboxId id) {
        Path dir = files.dir(id);
        return ours(readPid(dir.resolve(MONITOR_PID)), dir).isPresent();
    }

    /**
     * {@code conmon} for one sandbox: {@code --sync} keeps it the daemon's child while the daemon
     * lives (its exit is seen at once); it still runs in a session of its own and is reparented
     * when the daemon goes. With {@code --sync} conmon writes no PID file of its own ({@code -P}
     * is written by the parent of its fork), so the daemon writes {@code monitor.pid}. {@code passthrough:} hands it its own stdout and stderr
     * ({@code output.log}) to the process, unchanged.
     */
    List<String> conmonArgv(SandboxId id, String name, Path dir) {
        return List.of(conmon, "--api-version", "1", "--sync", "-c", id.value(), "-u", id.value(), "-n", name,
                "-r", runtime.toString(), "-b", dir.toString(), "-p", dir.resolve(CONTAINER_PID).toString(),
                "--exit-dir", dir.toString(),
                "--socket-dir-path", dir.toString(), "-l", "passthrough:");
    }

    /** {@code <dir>/start}: the argv of {@link #argv}, quoted for {@code sh}. */
    static String startScript(Launch launch, Path dir) {
        StringBuilder out = new StringBuilder("exec");
        for (String arg : argv(launch, dir)) {
            out.append(' ').append(quote(arg));
        }
        return out.append('\n').toString();
    }

    /** What the start script runs for a sandbox whose files are in {@code dir}. */
    static List<String> argv(Launch launch, Path dir) {
        List<String> argv = new ArrayList<>(List.of("env", "--default-signal", "--"));
        if (!launch.netnsPath().isEmpty()) {
            argv.addAll(List.of("nsenter", "--net=" + launch.netnsPath(), "--"));
        }
        argv.addAll(List.of("unshare", "--pid", "--fork", "--kill-child", "--mount", "--uts", "--propagation",
                "private", "--", "/bin/sh", "-c", SCRIPT, "sh", dir.toString(), launch.hostname()));
        argv.addAll(launch.command());
        return argv;
    }

    static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /**
     * Waits until the command runs (its PID file is there) or has ended already (0); a monitor that
     * ends without an exit status, or a start that takes too long, is an error and leaves nothing.
     */
    private long awaitPid(Launch launch, Path dir, Process monitor) {
        long deadline = System.nanoTime() + START_TIMEOUT_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            OptionalLong pid = commandPid(dir);
            if (pid.isPresent()) {
                return pid.getAsLong();
            }
            if (!monitor.isAlive()) {
                if (recordedExit(dir, launch.id()).isPresent()) {
                    return 0;
                }
                throw new UnavailableException("start process of sandbox " + launch.name() + ": conmon exited with "
                        + monitor.exitValue() + ": " + lastLine(dir.resolve(SandboxDirectory.LOG_FILE)));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        kill(launch.id());
        monitor.destroyForcibly();
        throw new UnavailableException("start process of sandbox " + launch.name() + ": not running after "
                + START_TIMEOUT_MILLIS + " ms");
    }

    @Override
    public Adopted adopt(SandboxId id, IntConsumer onExit) {
        Path dir = files.dir(id);
        Instant startedAt = modified(dir.resolve(PID));
        Optional<ProcessHandle> monitor = ours(readPid(dir.resolve(MONITOR_PID)), dir);
        if (monitor.isPresent()) {
            monitor.get().onExit().thenAcceptAsync(h -> onExit.accept(recordedExit(dir, id).orElse(UNKNOWN_EXIT)));
            if (RuncContainers.isContainer(dir)) {
                rotateWhileRunning(id, dir, monitor.get());
            }
            return new Adopted(true, commandPid(dir).orElse(0), 0, startedAt, null);
        }
        Optional<Integer> code = recordedExit(dir, id);
        return new Adopted(false, 0, code.orElse(UNKNOWN_EXIT), startedAt,
                code.isPresent() ? modified(dir.resolve(id.value())) : null);
    }

    /**
     * SIGKILL to {@code unshare}, whose child (PID 1 of the sandbox's PID namespace) then gets
     * SIGKILL too ({@code --kill-child}), and to that child itself: the kernel ends every other
     * process of the namespace with it. Only PIDs that are still this sandbox's are signalled.
     */
    @Override
    public void kill(SandboxId id) {
        Path dir = files.dir(id);
        ours(readPid(dir.resolve(CONTAINER_PID)), dir).ifPresent(ProcessHandle::destroyForcibly);
        OptionalLong pid = commandPid(dir);
        if (pid.isPresent() && Procfs.isSandboxInit(pid.getAsLong())) {
            ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** The signal to the command (PID 1 of the sandbox's PID namespace), if it is still this sandbox's. */
    @Override
    public void signal(SandboxId id, int signal) {
        OptionalLong pid = commandPid(files.dir(id));
        if (pid.isPresent() && Procfs.isSandboxInit(pid.getAsLong())) {
            try {
                Libc.kill((int) pid.getAsLong(), signal);
            } catch (KernelException e) {
                if (e.errno() != Errno.ESRCH) {
                    throw new InternalException("signal " + signal + " to sandbox process " + pid.getAsLong() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public void removeOthers(Set<SandboxId> known) {
        Set<String> keep = known.stream().map(SandboxId::value).collect(Collectors.toSet());
        List<SandboxId> others;
        try (Stream<Path> dirs = Files.list(files.root())) {
            others = dirs.map(d -> d.getFileName().toString())
                    .filter(name -> !keep.contains(name) && name.matches("[0-9a-f]{64}"))
                    .map(SandboxId::new).toList();
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new InternalException("list " + files.root() + ": " + e, e);
        }
        for (SandboxId id : others) {
            kill(id);
            ours(readPid(files.dir(id).resolve(MONITOR_PID)), files.dir(id)).ifPresent(ConmonLauncher::awaitEnd);
            deleteFiles(id);
        }
        // a container whose directory went while runc still had it (a removal cut short between the two)
        containers.deleteOthers(known.stream().map(SandboxId::value).collect(Collectors.toSet()));
    }

    /** Waits (10 s at most) for a killed sandbox's monitor to record the exit and end. */
    private static void awaitEnd(ProcessHandle monitor) {
        try {
            monitor.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // deleted anyway: the killed process cannot write there any more
            return;
        }
    }

    /** The process, if it is alive and its command line names the sandbox's directory. */
    private static Optional<ProcessHandle> ours(OptionalLong pid, Path dir) {
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid.getAsLong()).filter(h -> Procfs.commandLine(h.pid()).contains(dir.toString()));
    }

    /** A PID file's number, if it is there and whole. */
    static OptionalLong readPid(Path file) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The command's PID once {@link #SCRIPT} wrote it completely (a whole line), else empty. */
    static OptionalLong commandPid(Path dir) {
        try {
            String text = Files.readString(dir.resolve(PID));
            return text.endsWith("\n") ? OptionalLong.of(Long.parseLong(text.strip())) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The exit status conmon wrote, if it did. */
    static Optional<Integer> recordedExit(Path dir, SandboxId id) {
        return RuncContainers.exitStatus(dir, id.value());
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return null;
        }
    }

    private static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? "(no output)" : lines.getLast();
        } catch (IOException e) {
            return "(no output)";
        }
    }

    @Override
    public void killInNamespace(String netnsPath) {
        Procfs.killInNamespace(netnsPath);
    }

    @Override
    public void updateFiles(FilesUpdate update) {
        files.updateFiles(update);
    }

    /** A container's log is conmon's k8s-file ({@code container.log}); a host binary's output is {@code output.log}. */
    @Override
    public String logPath(SandboxId id) {
        Path dir = files.dir(id);
        return dir.resolve(RuncContainers.isContainer(dir) ? RuncContainers.LOG : SandboxDirectory.LOG_FILE).toString();
    }

    /** Also runc's state of a container ({@code runc delete --force}). */
    @Override
    public void deleteFiles(SandboxId id) {
        if (RuncContainers.isContainer(files.dir(id))) {
            containers.deleteState(id.value());
        }
        files.delete(id);
    }
}
