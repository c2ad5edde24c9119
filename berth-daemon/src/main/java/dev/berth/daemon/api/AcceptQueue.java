package dev.berth.daemon.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The listen backlog of the API socket: the system's {@code net.core.somaxconn}, as Go's listener
 * (and so dockerd) uses. Java's default backlog is 50, so a burst of more simultaneous connections
 * got {@code EAGAIN} from {@code connect}. The kernel caps any backlog at {@code somaxconn} anyway.
 */
final class AcceptQueue {
    /** The kernel's default since Linux 5.4, used if the sysctl cannot be read. */
    static final int FALLBACK = 4096;
    private static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");

    private AcceptQueue() {
    }

    /**
     * Read line by line: {@code Files.readString} and {@code readAllBytes} return only the first
     * byte of a sysctl file (JDK 25; procfs reports size 0), which made the backlog 4.
     */
    static int size() {
        try (BufferedReader reader = Files.newBufferedReader(SOMAXCONN)) {
            String line = reader.readLine();
            return parse(line == null ? "" : line);
        } catch (IOException e) {
            return FALLBACK;
        }
    }

    /** The sysctl's text as a backlog; anything unusable gives {@link #FALLBACK}. */
    static int parse(String text) {
        try {
            int value = Integer.parseInt(text.strip());
            return value > 0 ? value : FALLBACK;
        } catch (NumberFormatException e) {
            return FALLBACK;
        }
    }
}
