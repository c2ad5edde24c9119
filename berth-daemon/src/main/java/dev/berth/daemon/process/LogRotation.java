package dev.berth.daemon.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a container's log, {@code container.log} and its rotated predecessors
 * {@code container.log.1} (newest) ... {@code container.log.<max-file - 1>}.
 */
final class LogRotation {
    private LogRotation() {
    }

    /** The rotated files that exist, oldest first. */
    static List<Path> rotated(Path log) {
        List<Path> files = new ArrayList<>();
        for (int n = 1; ; n++) {
            Path p = log.resolveSibling(log.getFileName() + "." + n);
            if (!Files.exists(p)) {
                break;
            }
            files.addFirst(p);
        }
        return files;
    }
}
