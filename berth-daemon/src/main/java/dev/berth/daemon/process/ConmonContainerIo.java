package dev.berth.daemon.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.SandboxId;
import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * {@link ContainerIo} over conmon: attach through its attach socket ({@link AttachSocket}),
 * resize through its {@code ctl} fifo ({@code 1 <height> <width>\n}), exec through a second
 * conmon with {@code --exec} (as podman runs {@code podman exec}), logs from its k8s-file log.
 */
final class ConmonContainerIo implements ContainerIo {
    static final String EXECS = "exec";
    private static final long EXEC_START_TIMEOUT_MILLIS = 20_000;
    private static final long FOLLOW_POLL_MILLIS = 50;

    private final SandboxDirectory files;
    private final RuncContainers containers;
    private final PendingAttachments pending;
    private final Predicate<SandboxId> running;

    ConmonContainerIo(SandboxDirectory files, RuncContainers containers, PendingAttachments pending,
                      Predicate<SandboxId> running) {
        this.files = files;
        this.containers = containers;
        this.pending = pending;
        this.running = running;
    }

    private Path runningContainer(SandboxId id) {
        Path dir = files.dir(id);
        if (!RuncContainers.isContainer(dir) || !running.test(id)) {
            throw new ConflictException("container " + id.value() + " is not running");
        }
        return dir;
    }

    /** Connected now when the container runs, else at its next start (see {@link PendingAttachments}). */
    @Override
    public Attached attach(SandboxId id, boolean stdin, boolean stdout, boolean stderr) {
        Path dir = files.dir(id);
        if (RuncContainers.isContainer(dir) && running.test(id)) {
            try {
                return AttachSocket.connect(dir, id.value(), stdout, stderr, "");
            } catch (ConflictException ended) {
                // it ended a moment ago: wait for its next start like any stopped container
                return pending.await(id, stdout, stderr);
            }
        }
        return pending.await(id, stdout, stderr);
    }

    @Override
    public void resize(SandboxId id, int height, int width) {
        ConmonCtl.resize(runningContainer(id), height, width);
    }

    @Override
    public Exec exec(SandboxId id, ExecSpec spec, boolean attached) {
        if (spec.argv().isEmpty()) {
            throw new InvalidParameterException("No exec command specified");
        }
        Path dir = runningContainer(id);
        String execId = HexFormat.of().formatHex(randomBytes());
        Path execDir = dir.resolve(EXECS).resolve(execId);
        Process monitor = null;
        Fifo sync = null;
        Fifo start = null;
        Fifo attach = null;
        try {
            Files.createDirectories(execDir.resolve(RuncContainers.SOCKETS));
            ObjectNode process = execProcess(OciSpec.JSON.readTree(dir.resolve(RuncContainers.CONFIG).toFile()), spec);
            Files.writeString(execDir.resolve("process.json"), OciSpec.JSON.writeValueAsString(process));
            List<String> args = new ArrayList<>(List.of(containers.conmon(), "--api-version", "1", "--sync",
                    "-c", id.value(), "-u", execId, "-n", execId, "-r", containers.runc(), "-b", execDir.toString(),
                    "-p", execDir.resolve("pid").toString(), "--exit-dir", execDir.toString(),
                    "--socket-dir-path", execDir.resolve(RuncContainers.SOCKETS).toString(),
                    "-l", "k8s-file:" + execDir.resolve("exec.log"), "-e",
                    "--exec-process-spec", execDir.resolve("process.json").toString(),
                    "--runtime-arg", "--root", "--runtime-arg", containers.runcRoot().toString()));
            if (spec.tty()) {
                args.add("-t");
            }
            if (spec.stdin() && attached) {
                args.add("-i");
            }
            Map<String, Fifo> pipes = new LinkedHashMap<>();
            sync = Fifo.create(execDir.resolve("sync.fifo"));
            start = Fifo.create(execDir.resolve("start.fifo"));
            pipes.put("_OCI_SYNCPIPE", sync);
            pipes.put("_OCI_STARTPIPE", start);
            if (attached) {
                args.add("--exec-attach");
                attach = Fifo.create(execDir.resolve("attach.fifo"));
                pipes.put("_OCI_ATTACHPIPE", attach);
            }
            monitor = containers.startConmon(args, pipes, execDir, id.value());
            start.signal();
            AttachSocket io = null;
            if (attached) {
                Optional<Fifo.Message> ready = attach.next(monitor, EXEC_START_TIMEOUT_MILLIS);
                if (ready.isEmpty()) {
                    monitor.destroyForcibly();
                    throw new InternalException("exec in " + id.shortId() + ": conmon did not open its attach socket: "
                            + RuncContainers.lastLine(execDir.resolve(RuncContainers.CONMON_OUTPUT)));
                }
                io = AttachSocket.connect(execDir, id.value(), true, true, "");
                start.signal();
            }
            Optional<Fifo.Message> started = sync.next(monitor, EXEC_START_TIMEOUT_MILLIS);
            ConmonExec exec = new ConmonExec(execDir, id, monitor, sync);
            sync = null; // the exec reads the exit status from it
            if (started.isEmpty()) {
                monitor.destroyForcibly(); // no answer in time: it must not run later unwatched
            }
            if (started.isEmpty() || started.get().data() <= 0) {
                String why = started.map(m -> RuncContainers.runcMessage(m.message()))
                        .orElse("conmon ended without a word");
                exec.failed(why, io);
            } else {
                exec.running(started.get().data(), io);
                if (spec.tty() && spec.height() > 0 && spec.width() > 0) {
                    ConmonCtl.resize(execDir, spec.height(), spec.width());
                }
            }
            return exec;
        } catch (IOException | RuntimeException e) {
            // nothing half-made stays: conmon (waiting on its start pipe, or running) and the exec's files go
            if (monitor != null) {
                monitor.destroyForcibly();
                monitor.onExit().thenRun(() -> deleteQuietly(execDir));
            } else {
                deleteQuietly(execDir);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new InternalException("exec in " + id.shortId() + ": " + e, e);
        } finally {
            if (sync != null) {
                sync.close();
            }
            if (start != null) {
                start.close();
            }
            if (attach != null) {
                attach.close();
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            RuncContainers.deleteTree(dir);
        } catch (IOException e) {
            // the container's directory takes it at the latest
            return;
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    /**
     * The exec's process spec: the container's process (its env, user, cwd, capabilities) with
     * the exec's argv, env added by key, working directory, user, terminal and, when privileged,
     * every capability.
     */
    static ObjectNode execProcess(JsonNode config, ExecSpec spec) {
        JsonNode container = config.path("process");
        Path rootfs = Path.of(config.path("root").path("path").asText("/"));
        ContainerUser user;
        if (spec.user().isEmpty()) {
            user = new ContainerUser(container.path("user").path("uid").asLong(), container.path("user").path("gid").asLong(),
                    longs(container.path("user").path("additionalGids")), "/");
        } else {
            user = ContainerUser.resolve(rootfs, spec.user());
        }
        List<String> caps = spec.privileged() ? OciSpec.AVAILABLE_CAPS : strings(container.path("capabilities").path("bounding"));
        LinkedHashMap<String, String> env = new LinkedHashMap<>();
        for (String e : strings(container.path("env"))) {
            env.put(key(e), e);
        }
        for (String e : spec.env()) {
            env.put(key(e), e);
        }
        if (spec.tty()) {
            env.putIfAbsent("TERM", "TERM=xterm");
        }
        String cwd = spec.workingDir().isEmpty() ? container.path("cwd").asText("/") : spec.workingDir();
        ObjectNode process = OciSpec.process(spec.argv(), List.copyOf(env.values()), cwd, user, spec.tty(), caps);
        if (spec.tty() && spec.height() > 0 && spec.width() > 0) {
            process.putObject("consoleSize").put("height", spec.height()).put("width", spec.width());
        }
        return process;
    }

    private static String key(String env) {
        int eq = env.indexOf('=');
        return eq < 0 ? env : env.substring(0, eq);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    /**
     * The exit status Docker gives an exec whose command could not run (moby's
     * {@code translateContainerdStartErr}): 127 when it is not found, 126 otherwise.
     */
    static int failedExitCode(String message) {
        return message.contains("executable file not found") || message.contains("no such file or directory") ? 127 : 126;
    }

    /** One exec: conmon with {@code --exec}; its exit status comes on the sync pipe and in its exit file. */
    private static final class ConmonExec implements Exec {
        private final Path execDir;
        private final SandboxId container;
        private final Process monitor;
        private final Fifo sync;
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private long pid;
        private Attached io;

        ConmonExec(Path execDir, SandboxId container, Process monitor, Fifo sync) {
            this.execDir = execDir;
            this.container = container;
            this.monitor = monitor;
            this.sync = sync;
        }

        void failed(String why, AttachSocket socket) {
            String message = "OCI runtime exec failed: " + why + ": unknown";
            if (socket != null) {
                socket.close();
            }
            io = socket == null ? null : new FailedIo(message + "\r\n");
            monitor.onExit().thenRun(this::cleanUp);
            exit.complete(failedExitCode(message));
        }

        void running(long pid, AttachSocket socket) {
            this.pid = pid;
            this.io = socket;
            monitor.onExit().thenRunAsync(() -> {
                exit.complete(RuncContainers.exitStatus(execDir, container.value()).orElse(dev.berth.core.spi.ProcessLauncher.UNKNOWN_EXIT));
                cleanUp();
            });
        }

        private void cleanUp() {
            sync.close();
            try {
                RuncContainers.deleteTree(execDir);
            } catch (IOException e) {
                // the container's directory takes it at the latest
                return;
            }
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public Attached io() {
            return io;
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return exit;
        }

        @Override
        public void resize(int height, int width) {
            if (!exit.isDone()) {
                ConmonCtl.resize(execDir, height, width);
            }
        }
    }

    /** The stdio of an exec whose command did not run: runc's error on stdout (as moby writes it), then the end. */
    private record FailedIo(String message) implements Attached {
        @Override
        public void input(InputStream stdin, boolean closeAtEof) {
            // nothing reads it
        }

        @Override
        public void output(Sink sink) throws IOException {
            byte[] text = message.getBytes(StandardCharsets.UTF_8);
            sink.write(Stream.STDOUT, text, 0, text.length);
        }

        @Override
        public void close() {
            // nothing open
        }
    }

    @Override
    public void logs(SandboxId id, int tail, Instant since, boolean follow, Consumer<LogEntry> sink) throws IOException {
        Path dir = files.dir(id);
        Path log = dir.resolve(RuncContainers.LOG);
        List<LogEntry> first = new ArrayList<>();
        for (Path rotated : LogRotation.rotated(log)) {
            try (K8sLogReader old = new K8sLogReader(rotated)) {
                old.readAvailable(first::add);
            }
        }
        try (K8sLogReader reader = new K8sLogReader(log)) {
            reader.readAvailable(first::add);
            deliver(first, tail, since, follow, id, reader, sink);
        }
    }

    private void deliver(List<LogEntry> first, int tail, Instant since, boolean follow, SandboxId id,
                         K8sLogReader reader, Consumer<LogEntry> sink) throws IOException {
        ArrayDeque<LogEntry> selected = new ArrayDeque<>();
        for (LogEntry e : first) {
            if (since != null && e.time().isBefore(since)) {
                continue;
            }
            selected.add(e);
            if (tail >= 0 && selected.size() > tail) {
                selected.removeFirst();
            }
        }
        selected.forEach(sink);
        if (!follow) {
            return;
        }
        while (true) {
            boolean alive = running.test(id);
            reader.readAvailable(e -> {
                if (since == null || !e.time().isBefore(since)) {
                    sink.accept(e);
                }
            });
            if (!alive) {
                return; // read once more after the monitor ended: conmon flushed the log before it exited
            }
            try {
                Thread.sleep(FOLLOW_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
