package dev.berth.daemon.process;

import dev.berth.core.model.ContainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rotation of a container's log, {@code container.log} and its predecessors {@code container.log.1}
 * (newest) ... {@code container.log.<max-file - 1>}, as Docker's json-file driver keeps them.
 * conmon 2.1.6 has no rotation of its own: its {@code --log-size-max} starts the file afresh and
 * the old content is lost, which is Docker's behaviour for {@code max-file=1} only. With more
 * files the daemon rotates: it renames the files one up (dropping the oldest) and asks conmon to
 * reopen its log through the control fifo; conmon writes to the renamed file until it has
 * reopened, so no line is lost. The limits are kept in {@code <dir>/log-rotation}
 * ({@code <max-size> <max-file>}) for a daemon that adopts the container.
 */
final class LogRotation {
    static final String SETTINGS = "log-rotation";

    private LogRotation() {
    }

    /** The rotated files that exist, oldest first. */
    static List<Path> rotated(Path log) {
        List<Path> files = new ArrayList<>();
        for (int n = 1; ; n++) {
            Path p = numbered(log, n);
            if (!Files.exists(p)) {
                break;
            }
            files.addFirst(p);
        }
        return files;
    }

    private static Path numbered(Path log, int n) {
        return log.resolveSibling(log.getFileName() + "." + n);
    }

    /** Whether the daemon rotates this log (more than one file and a size), else conmon's truncation or nothing does. */
    static boolean byDaemon(ContainerConfig.LogOptions options) {
        return options.maxSizeBytes() > 0 && options.maxFiles() > 1;
    }

    static void save(Path dir, ContainerConfig.LogOptions options) throws IOException {
        Path file = dir.resolve(SETTINGS);
        if (byDaemon(options)) {
            Files.writeString(file, options.maxSizeBytes() + " " + options.maxFiles() + "\n");
        } else {
            Files.deleteIfExists(file);
        }
    }

    static Optional<ContainerConfig.LogOptions> load(Path dir) {
        try {
            String[] f = Files.readString(dir.resolve(SETTINGS)).strip().split(" ");
            return Optional.of(new ContainerConfig.LogOptions(Long.parseLong(f[0]), Integer.parseInt(f[1])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Rotates the log in bundle {@code dir} once it has reached its size: {@code .N-1} is dropped,
     * each other moves one up, the log becomes {@code .1}, and conmon reopens a new one. Returns
     * whether it rotated.
     */
    static boolean rotateIfDue(Path dir, ContainerConfig.LogOptions options) throws IOException {
        Path log = dir.resolve(RuncContainers.LOG);
        long size;
        try {
            size = Files.size(log);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (size < options.maxSizeBytes()) {
            return false;
        }
        int keep = options.maxFiles() - 1;
        Files.deleteIfExists(numbered(log, keep));
        for (int n = keep - 1; n >= 1; n--) {
            if (Files.exists(numbered(log, n))) {
                Files.move(numbered(log, n), numbered(log, n + 1), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.move(log, numbered(log, 1), StandardCopyOption.ATOMIC_MOVE);
        ConmonCtl.reopenLog(dir);
        return true;
    }
}
