package dev.berth.daemon.process;

import dev.berth.core.errors.InternalException;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.ProcessLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A sandbox's directory {@code <exec-root>/sandboxes/<id>/}: the files its process sees as
 * {@code /etc/resolv.conf}, {@code /etc/hosts} and {@code /etc/hostname} (bind mounts, so edits
 * happen in place), its output ({@code output.log}) and what its monitor keeps there (see
 * {@link ConmonLauncher}).
 */
final class SandboxDirectory {
    static final String LOG_FILE = "output.log";

    private final Path root;
    private final Path hostResolvConf;
    /**
     * What {@code resolv.conf} was last written with, per sandbox: a different file was edited.
     * Also kept in {@link #RESOLV_CONF_WRITTEN}, for a process a restarted daemon adopts.
     */
    private final Map<SandboxId, String> resolvConfWritten = new ConcurrentHashMap<>();
    static final String RESOLV_CONF_WRITTEN = "resolv.conf.written";

    /**
     * @param root           {@code <exec-root>/sandboxes}
     * @param hostResolvConf the host's {@code /etc/resolv.conf}
     */
    SandboxDirectory(Path root, Path hostResolvConf) {
        this.root = root;
        this.hostResolvConf = hostResolvConf;
    }

    Path root() {
        return root;
    }

    Path dir(SandboxId id) {
        return root.resolve(id.value());
    }

    /** Writes the sandbox's three files (anew: no process sees them yet) and returns their directory. */
    Path writeFiles(ProcessLauncher.Launch launch) {
        Path dir = dir(launch.id());
        try {
            Files.createDirectories(dir);
            List<String> host = hostResolvConfLines();
            String resolvConf = launch.embeddedDns() ? SandboxFiles.embeddedResolvConf(host)
                    : SandboxFiles.resolvConf(host);
            Files.writeString(dir.resolve("resolv.conf"), resolvConf);
            written(launch.id(), dir, resolvConf);
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
    synchronized void updateFiles(ProcessLauncher.FilesUpdate update) {
        Path dir = dir(update.id());
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
            String written = resolvConfWritten.computeIfAbsent(update.id(), id -> readWritten(dir));
            if (update.embeddedDns() && written != null && !SandboxFiles.namesEmbeddedResolver(written)
                    && written.equals(Files.readString(resolvConf))) {
                String embedded = SandboxFiles.embeddedResolvConf(hostResolvConfLines());
                rewriteInPlace(resolvConf, embedded);
                written(update.id(), dir, embedded);
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

    private void written(SandboxId id, Path dir, String resolvConf) throws IOException {
        Files.writeString(dir.resolve(RESOLV_CONF_WRITTEN), resolvConf);
        resolvConfWritten.put(id, resolvConf);
    }

    /** What an earlier daemon wrote to {@code resolv.conf}; {@code null} (never switch) when unknown. */
    private static String readWritten(Path dir) {
        try {
            return Files.readString(dir.resolve(RESOLV_CONF_WRITTEN));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Deletes the sandbox's directory with everything in it (its files, its output, what its
     * monitor kept). Succeeds when gone.
     */
    void delete(SandboxId id) {
        resolvConfWritten.remove(id);
        Path dir = dir(id);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new InternalException("delete files of sandbox " + id.shortId() + " in " + dir + ": " + e, e);
        }
    }
}
