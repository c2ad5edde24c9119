package dev.berth.daemon.host;

import dev.berth.daemon.config.ConfigException;
import dev.berth.daemon.config.DaemonConfig;
import dev.berth.kernel.ffm.Libc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * The daemon's directories: the data root (durable, 0711) with its engine id, and the exec root
 * (runtime, 0711) with the pid file that keeps a second daemon off the same roots and the
 * sandboxes' files (0700: they hold process output). The exec root is 0711, not dockerd's 0700,
 * because the default API socket lives in it and the socket's group must reach it; others can
 * open only what they know the name of and what is itself open to them.
 *
 * <p>Everything is made under umask 022 (set by {@link #prepare}, as dockerd sets it), so no file
 * or directory Berth creates is writable by others, whatever umask the daemon was started with.
 */
public final class DaemonRoots implements AutoCloseable {
    /** dockerd's umask: group and others may read what the daemon makes, never write it. */
    static final int UMASK = 0022;

    private final Path pidFile;
    private final String engineId;
    private DaemonRoots(Path pidFile, String engineId) {
        this.pidFile = pidFile;
        this.engineId = engineId;
    }

    public static DaemonRoots prepare(DaemonConfig config) {
        Libc.umask(UMASK);
        try {
            directory(config.dataRoot(), "rwx--x--x");
            directory(config.execRoot(), "rwx--x--x");
            // the sandboxes' own files (ConmonLauncher): the daemon's alone
            directory(config.execRoot().resolve("sandboxes"), "rwx------");
            Path pid = config.execRoot().resolve("berthd.pid");
            claimPidFile(pid);
            return new DaemonRoots(pid, engineId(config.dataRoot().resolve("engine-id")));
        } catch (IOException e) {
            throw new ConfigException("prepare daemon directories: " + e);
        }
    }

    /** A UUID made on first start and kept; it names this daemon and seeds its IPv6 ULA prefix. */
    public String engineId() {
        return engineId;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(pidFile);
    }

    private static void directory(Path dir, String mode) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
    }

    private static void claimPidFile(Path pid) throws IOException {
        String self = Long.toString(ProcessHandle.current().pid());
        try {
            Files.writeString(pid, self + "\n", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return;
        } catch (FileAlreadyExistsException e) {
            String old = Files.readString(pid).trim();
            boolean alive = old.matches("[0-9]+")
                    && ProcessHandle.of(Long.parseLong(old)).map(ProcessHandle::isAlive).orElse(false);
            if (alive) {
                throw new ConfigException("pid file found, ensure berthd is not running or delete " + pid
                        + " (process " + old + " is alive)");
            }
        }
        // The previous daemon died without cleaning up: its pid file is stale.
        Files.writeString(pid, self + "\n");
    }

    private static String engineId(Path file) throws IOException {
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = UUID.randomUUID().toString();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, id);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return id;
    }
}
