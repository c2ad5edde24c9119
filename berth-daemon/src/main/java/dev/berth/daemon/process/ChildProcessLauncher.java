package dev.berth.daemon.process;

import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.ProcessLauncher;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * Starts sandbox processes as children of the daemon:
 * {@code nsenter --net=<netns> -- unshare --mount --uts --propagation private -- /bin/sh -c SCRIPT}
 * where the script bind-mounts the sandbox's files over {@code /etc/resolv.conf},
 * {@code /etc/hosts} and {@code /etc/hostname}, sets the hostname and {@code exec}s the command.
 * {@code nsenter} (no {@code --fork}) and {@code unshare} exec in turn, so the PID the daemon holds
 * is the command's and its exit status is the command's (127 when it is not found). The mounts
 * pin the files' inodes: later edits ({@link #updateFiles}) rewrite them in place.
 */
public final class ChildProcessLauncher implements ProcessLauncher {
    static final String LOG_FILE = "output.log";

    /** Runs as {@code sh -c SCRIPT sh DIR HOSTNAME CMD...}; mounts stay private to the new namespace. */
    static final String SCRIPT = """
            set -e
            mount --bind "$1/resolv.conf" /etc/resolv.conf
            mount --bind "$1/hosts" /etc/hosts
            if [ -e /etc/hostname ]; then mount --bind "$1/hostname" /etc/hostname; fi
            hostname "$2"
            shift 2
            exec "$@"
            """;

    private final Path root;
    private final Path hostResolvConf;
    private final Map<Long, Process> running = new ConcurrentHashMap<>();
    /** What {@code resolv.conf} was last written with, per sandbox: a different file was edited. */
    private final Map<SandboxId, String> resolvConfWritten = new ConcurrentHashMap<>();

    /**
     * @param root           {@code <exec-root>/sandboxes}
     * @param hostResolvConf the host's {@code /etc/resolv.conf}
     */
    public ChildProcessLauncher(Path root, Path hostResolvConf) {
        this.root = root;
        this.hostResolvConf = hostResolvConf;
    }

    @Override
    public long start(Launch launch, IntConsumer onExit) {
        Path dir = writeFiles(launch);
        ProcessBuilder builder = new ProcessBuilder(argv(launch, dir))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(LOG_FILE).toFile()))
                .redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UnavailableException("start process of sandbox " + launch.name() + ": " + e.getMessage(), e);
        }
        long pid = process.pid();
        running.put(pid, process);
        process.onExit().thenAccept(p -> {
            running.remove(pid);
            onExit.accept(p.exitValue());
        });
        return pid;
    }

    /** The launcher's argv for a sandbox whose files are in {@code dir}. */
    static List<String> argv(Launch launch, Path dir) {
        List<String> argv = new ArrayList<>();
        if (!launch.netnsPath().isEmpty()) {
            argv.addAll(List.of("nsenter", "--net=" + launch.netnsPath(), "--"));
        }
        argv.addAll(List.of("unshare", "--mount", "--uts", "--propagation", "private", "--",
                "/bin/sh", "-c", SCRIPT, "sh", dir.toString(), launch.hostname()));
        argv.addAll(launch.command());
        return argv;
    }

    /** Writes the sandbox's three files (anew: no process sees them yet) and returns their directory. */
    Path writeFiles(Launch launch) {
        Path dir = root.resolve(launch.id().value());
        try {
            Files.createDirectories(dir);
            List<String> host = hostResolvConfLines();
            String resolvConf = launch.embeddedDns() ? SandboxFiles.embeddedResolvConf(host)
                    : SandboxFiles.resolvConf(host);
            Files.writeString(dir.resolve("resolv.conf"), resolvConf);
            resolvConfWritten.put(launch.id(), resolvConf);
            Files.writeString(dir.resolve("hosts"), SandboxFiles.hosts(launch.addresses(), launch.hostname(),
                    launch.name()));
            Files.writeString(dir.resolve("hostname"), SandboxFiles.hostname(launch.hostname()));
            return dir;
        } catch (IOException e) {
            throw new InternalException("write files of sandbox " + launch.name() + " in " + dir + ": " + e, e);
        }
    }

    private List<String> hostResolvConfLines() throws IOException {
        try {
            return Files.readAllLines(hostResolvConf, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /**
     * Edits {@code hosts} (own entries) and, once on a user-defined network, {@code resolv.conf}
     * (the embedded resolver) in place. A {@code resolv.conf} whose content is no longer what was
     * written has been edited by the user and is left alone, as Docker does (its hash file).
     * Synchronized: each edit reads, changes and writes back a whole file.
     */
    @Override
    public synchronized void updateFiles(FilesUpdate update) {
        Path dir = root.resolve(update.id().value());
        if (!Files.isDirectory(dir)) {
            return;
        }
        try {
            Path hosts = dir.resolve("hosts");
            String current = Files.readString(hosts);
            String next = SandboxFiles.withOwnAddresses(current, update.addresses(), update.hostname(), update.name());
            if (!next.equals(current)) {
                rewriteInPlace(hosts, next);
            }
            Path resolvConf = dir.resolve("resolv.conf");
            String written = resolvConfWritten.get(update.id());
            if (update.embeddedDns() && written != null && !SandboxFiles.namesEmbeddedResolver(written)
                    && written.equals(Files.readString(resolvConf))) {
                String embedded = SandboxFiles.embeddedResolvConf(hostResolvConfLines());
                rewriteInPlace(resolvConf, embedded);
                resolvConfWritten.put(update.id(), embedded);
            }
        } catch (IOException e) {
            throw new InternalException("update files of sandbox " + update.name() + " in " + dir + ": " + e, e);
        }
    }

    /**
     * Replaces a file's content keeping its inode: the process sees the file through a bind mount
     * of that inode, so a new file renamed over it would stay invisible. Truncate, then the whole
     * content in one {@code write} (as Docker's {@code os.WriteFile}), so a reader sees the old
     * file, an empty one for an instant, or the new one; never half of it.
     */
    static void rewriteInPlace(Path file, String content) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    @Override
    public void kill(long pid) {
        Process process = running.get(pid);
        if (process != null) {
            process.destroyForcibly();
        }
    }

    /**
     * Scans {@code /proc/<pid>/ns/net} for the namespace's inode (the bind-mount file stats as the
     * nsfs inode) and SIGKILLs each match; processes that exit meanwhile or cannot be read are
     * skipped.
     */
    @Override
    public void killInNamespace(String netnsPath) {
        String target;
        try {
            target = "net:[" + Files.getAttribute(Path.of(netnsPath), "unix:ino") + "]";
        } catch (IOException e) {
            return;
        }
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .toList()) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid != self && inNamespace(proc, target)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (IOException e) {
            throw new InternalException("scan /proc for processes in " + netnsPath + ": " + e, e);
        }
    }

    private static boolean inNamespace(Path proc, String target) {
        try {
            return Files.readSymbolicLink(proc.resolve("ns/net")).toString().equals(target);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String logPath(SandboxId id) {
        return root.resolve(id.value()).resolve(LOG_FILE).toString();
    }

    @Override
    public void deleteFiles(SandboxId id) {
        resolvConfWritten.remove(id);
        Path dir = root.resolve(id.value());
        try {
            for (String file : List.of("resolv.conf", "hosts", "hostname", LOG_FILE)) {
                Files.deleteIfExists(dir.resolve(file));
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new InternalException("delete files of sandbox " + id.shortId() + " in " + dir + ": " + e, e);
        }
    }
}
