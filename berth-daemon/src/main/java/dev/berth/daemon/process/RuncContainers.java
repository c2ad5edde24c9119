package dev.berth.daemon.process;

import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.model.ContainerConfig;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.ProcessLauncher;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Containers: a process run by {@code runc} on an image's root filesystem, under a {@code conmon}
 * of its own (what {@link ConmonLauncher} does for a {@code Launch} with a container). The
 * sandbox's directory is the OCI bundle: {@code config.json} ({@link OciSpec}) beside the
 * sandbox's files, conmon's attach socket {@code attach} and control fifo {@code ctl}, the log
 * {@code container.log} (conmon's k8s-file format), the exit file {@code <id>}. runc keeps its
 * state under {@code <exec-root>/runc/<id>}.
 *
 * <p>Start, as podman does it: conmon with {@code --sync} and {@code _OCI_SYNCPIPE} calls
 * {@code runc create} and reports the container's PID (or runc's error) on the sync pipe; then
 * {@code runc start}. conmon keeps watching the container (as a subreaper), carries its stdio
 * to the log and to attached clients, and writes its exit status.
 */
final class RuncContainers {
    static final String CONFIG = "config.json";
    static final String LOG = "container.log";
    static final String CONMON_OUTPUT = "conmon.out";
    static final String SOCKETS = "sock";
    private static final long START_TIMEOUT_MILLIS = 20_000;
    private static final Pattern RUNC_MSG = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Path execRoot;
    private final String conmon;
    private final String runc;
    private final Path runcRoot;

    /**
     * @param execRoot the daemon's exec root; runc's state goes to {@code <exec-root>/runc}, conmon's
     *                 console sockets are made there (short paths: a socket path has 107 bytes)
     * @param conmon   the conmon binary
     * @param runc     the runc binary (absolute: conmon execs it without a PATH search); {@code null} when missing
     */
    RuncContainers(Path execRoot, String conmon, String runc) {
        this.execRoot = execRoot;
        this.conmon = conmon;
        this.runc = runc;
        this.runcRoot = execRoot.resolve("runc");
    }

    /** {@code runc} as found on {@code PATH} (else Debian's {@code /usr/sbin/runc}), {@code null} when none. */
    static String findRunc() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "runc"))) {
                return Path.of(dir, "runc").toString();
            }
        }
        return null;
    }

    Path runcRoot() {
        return runcRoot;
    }

    String runc() {
        return runc;
    }

    String conmon() {
        return conmon;
    }

    static boolean isContainer(Path dir) {
        return Files.exists(dir.resolve(CONFIG));
    }

    /**
     * Creates and starts the container of {@code launch} in bundle {@code dir} (its sandbox files
     * written already) and returns conmon and the container's PID. A runc that refuses (a missing
     * executable, a bad mount) is a 400 with runc's words as dockerd reports them, and leaves no
     * runc state and no process.
     */
    Started start(ProcessLauncher.Launch launch, Path dir, PendingAttachments attachments) {
        try {
            return startAttached(launch, dir, attachments);
        } finally {
            attachments.fail(launch.id()); // those not connected by a successful start
        }
    }

    private Started startAttached(ProcessLauncher.Launch launch, Path dir, PendingAttachments attachments) {
        if (runc == null) {
            throw new UnavailableException("start container " + launch.name() + ": runc not found (install the runc package)");
        }
        String id = launch.id().value();
        ContainerConfig c = launch.container();
        deleteState(id);
        try {
            for (String old : List.of(ConmonLauncher.MONITOR_PID, ConmonLauncher.CONTAINER_PID, ConmonLauncher.PID,
                    id, "attach", "ctl", "winsz", CONMON_OUTPUT)) {
                Files.deleteIfExists(dir.resolve(old));
            }
            deleteTree(dir.resolve(SOCKETS));
            Files.createDirectories(dir.resolve(SOCKETS));
            Files.createDirectories(runcRoot);
            LogRotation.save(dir, c.log());
            Files.writeString(dir.resolve(CONFIG), OciSpec.JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(OciSpec.config(launch, dir)));
        } catch (IOException e) {
            throw new InternalException("write bundle of container " + launch.name() + " in " + dir + ": " + e, e);
        }
        List<String> args = new ArrayList<>(List.of(conmon, "--api-version", "1", "--sync", "-c", id, "-u", id,
                "-n", launch.name(), "-r", runc, "-b", dir.toString(), "-p", dir.resolve(ConmonLauncher.CONTAINER_PID).toString(),
                "--exit-dir", dir.toString(), "--socket-dir-path", dir.resolve(SOCKETS).toString(),
                "-l", "k8s-file:" + dir.resolve(LOG), "--runtime-arg", "--root", "--runtime-arg", runcRoot.toString()));
        if (c.log().maxSizeBytes() > 0 && !LogRotation.byDaemon(c.log())) {
            args.addAll(List.of("--log-size-max", Long.toString(c.log().maxSizeBytes())));
        }
        if (c.tty()) {
            args.add("-t");
        }
        if (c.openStdin()) {
            args.add("-i");
            if (!c.stdinOnce()) {
                args.add("--leave-stdin-open");
            }
        }
        Process monitor;
        try (Fifo sync = Fifo.create(dir.resolve("sync.fifo"))) {
            monitor = startConmon(args, Map.of("_OCI_SYNCPIPE", sync), dir, launch.name());
            try {
                Files.writeString(dir.resolve(ConmonLauncher.MONITOR_PID), monitor.pid() + "\n");
            } catch (IOException e) {
                monitor.destroyForcibly();
                throw new InternalException("write " + dir.resolve(ConmonLauncher.MONITOR_PID) + ": " + e, e);
            }
            Optional<Fifo.Message> created = sync.next(monitor, START_TIMEOUT_MILLIS);
            if (created.isEmpty() || created.get().data() <= 0) {
                String why = created.map(m -> runcMessage(m.message()))
                        .orElse("conmon ended without a word: " + lastLine(dir.resolve(CONMON_OUTPUT)));
                abandon(monitor, id);
                throw new InvalidParameterException("failed to create task for container: failed to create shim task: "
                        + "OCI runtime create failed: " + why + ": unknown");
            }
            long pid = created.get().data();
            Files.writeString(dir.resolve(ConmonLauncher.PID), pid + "\n");
            attachments.connect(launch.id(), dir);
            RunResult started = run(List.of(runc, "--root", runcRoot.toString(), "start", id));
            if (started.code() != 0) {
                abandon(monitor, id);
                throw new InvalidParameterException("OCI runtime start failed: " + runcMessage(started.output())
                        + ": unknown");
            }
            return new Started(monitor, pid);
        } catch (IOException e) {
            throw new InternalException("start container " + launch.name() + ": " + e, e);
        }
    }

    record Started(Process monitor, long pid) {
    }

    /**
     * Starts conmon through {@code /bin/sh}, which opens each fifo read-write on descriptor 3, 4,
     * ... and names it in the environment variable conmon reads ({@code _OCI_SYNCPIPE=3}), then
     * {@code exec}s conmon (the PID stays). conmon's own complaints before it detaches its stdio
     * go to {@code <dir>/conmon.out}; its console sockets to {@code TMPDIR} = the exec root.
     */
    Process startConmon(List<String> conmonArgs, Map<String, Fifo> pipes, Path dir, String name) {
        StringBuilder script = new StringBuilder();
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "", "sh"));
        ProcessBuilder builder = new ProcessBuilder();
        int fd = 3;
        for (Map.Entry<String, Fifo> pipe : pipes.entrySet()) {
            script.append("exec ").append(fd).append("<>\"$").append(fd - 2).append("\"\n");
            argv.add(pipe.getValue().path().toString());
            builder.environment().put(pipe.getKey(), Integer.toString(fd));
            fd++;
        }
        script.append("shift ").append(pipes.size()).append("\nexec \"$@\"\n");
        argv.set(2, script.toString());
        argv.addAll(conmonArgs);
        builder.command(argv).environment().put("TMPDIR", execRoot.toString());
        // the daemon's own systemd hand-over is not conmon's (it would pass LISTEN_PID on to the runtime)
        builder.environment().keySet().removeAll(SYSTEMD_HANDOVER);
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(CONMON_OUTPUT).toFile()))
                .redirectErrorStream(true);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UnavailableException("start container " + name + ": cannot run " + conmon
                    + " (install the conmon package): " + e.getMessage(), e);
        }
    }

    /** After a failed create or start: conmon and the container are killed, runc's state deleted. */
    private void abandon(Process monitor, String id) {
        run(List.of(runc, "--root", runcRoot.toString(), "kill", id, "KILL"));
        monitor.destroyForcibly();
        try {
            monitor.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteState(id);
    }

    /**
     * {@code runc delete --force}: kills what still runs and removes runc's state and cgroups.
     * Nothing when runc has no such container.
     */
    void deleteState(String id) {
        if (runc == null || !Files.exists(runcRoot.resolve(id))) {
            return;
        }
        RunResult r = run(List.of(runc, "--root", runcRoot.toString(), "delete", "--force", id));
        if (r.code() != 0 && Files.exists(runcRoot.resolve(id))) {
            throw new InternalException("runc delete " + id + ": " + r.output().strip());
        }
    }

    /** The containers runc knows (its state directories), for the start-up sweep. */
    List<String> knownToRunc() {
        try (Stream<Path> dirs = Files.list(runcRoot)) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9a-f]{64}")).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new InternalException("list " + runcRoot + ": " + e, e);
        }
    }

    /** Deletes runc's state of every container not in {@code keep}. */
    void deleteOthers(Set<String> keep) {
        for (String id : knownToRunc()) {
            if (!keep.contains(id)) {
                deleteState(id);
            }
        }
    }

    record RunResult(int code, String output) {
    }

    /**
     * What systemd hands the daemon and no child may inherit: with {@code NOTIFY_SOCKET} set,
     * {@code runc start} waits for the container's own {@code READY=1} and forwards it (so it
     * would hang on any container that does not speak sd_notify), and conmon passes
     * {@code LISTEN_*} on to the runtime.
     */
    static final java.util.Set<String> SYSTEMD_HANDOVER = java.util.Set.of("NOTIFY_SOCKET", "LISTEN_PID",
            "LISTEN_FDS", "LISTEN_FDNAMES");

    /** Runs a short command (runc start, kill, delete) and returns its status and output. */
    static RunResult run(List<String> argv) {
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().keySet().removeAll(SYSTEMD_HANDOVER);
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new RunResult(-1, String.join(" ", argv) + ": no answer in 30 s");
            }
            return new RunResult(p.exitValue(), out);
        } catch (IOException e) {
            return new RunResult(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RunResult(-1, "interrupted");
        }
    }

    /**
     * runc's error without its logrus decoration: the {@code msg="..."} of its last error line,
     * else the text as it is.
     */
    static String runcMessage(String output) {
        String last = null;
        Matcher m = RUNC_MSG.matcher(output);
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            return output.strip();
        }
        return last.replace("\\\"", "\"").replace("\\\\", "\\");
    }

    /** The exit status conmon wrote to {@code <exit-dir>/<cid>}, if it did. */
    static Optional<Integer> exitStatus(Path exitDir, String cid) {
        try {
            return Optional.of(Integer.parseInt(Files.readString(exitDir.resolve(cid)).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? "(no output)" : lines.getLast();
        } catch (IOException e) {
            return "(no output)";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
