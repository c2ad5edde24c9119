package dev.berth.daemon.process;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;

/**
 * conmon's k8s-file log format: one line per chunk of output,
 * {@code <RFC 3339 time with nanoseconds> <stdout|stderr> <F|P> <bytes>\n}. {@code F} marks a
 * full line (its newline is the line's own), {@code P} a partial one (the process wrote no newline
 * yet; conmon added the one that ends the log line).
 */
final class K8sLog {
    private K8sLog() {
    }

    /**
     * The entry of one log line (without its final newline): a full line gets its newline back,
     * a partial one stays without. Empty for a line that is not in the format.
     */
    static Optional<ContainerIo.LogEntry> parse(byte[] line, int offset, int length) {
        int first = indexOf(line, offset, offset + length, (byte) ' ');
        int second = first < 0 ? -1 : indexOf(line, first + 1, offset + length, (byte) ' ');
        int third = second < 0 ? -1 : indexOf(line, second + 1, offset + length, (byte) ' ');
        if (third < 0 || third != second + 2) {
            return Optional.empty();
        }
        Instant time;
        try {
            time = OffsetDateTime.parse(new String(line, offset, first - offset, StandardCharsets.US_ASCII)).toInstant();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        String streamName = new String(line, first + 1, second - first - 1, StandardCharsets.US_ASCII);
        ContainerIo.Stream stream = switch (streamName) {
            case "stdout" -> ContainerIo.Stream.STDOUT;
            case "stderr" -> ContainerIo.Stream.STDERR;
            default -> null;
        };
        byte tag = line[second + 1];
        if (stream == null || (tag != 'F' && tag != 'P')) {
            return Optional.empty();
        }
        byte[] content = Arrays.copyOfRange(line, third + 1, offset + length);
        if (tag == 'F') {
            content = Arrays.copyOf(content, content.length + 1);
            content[content.length - 1] = '\n';
        }
        return Optional.of(new ContainerIo.LogEntry(time, stream, content));
    }

    /** Whether an entry is a partial line (no newline of its own). */
    static boolean partial(ContainerIo.LogEntry entry) {
        return entry.data().length == 0 || entry.data()[entry.data().length - 1] != '\n';
    }

    private static int indexOf(byte[] bytes, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
