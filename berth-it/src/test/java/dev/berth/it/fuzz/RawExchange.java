package dev.berth.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends one {@link FuzzRequest} on a fresh Unix-socket connection, byte for byte, and reads
 * until the status line and headers are in (an answer), the daemon closes the connection
 * (closed), or the deadline passes (a hang: the watchdog closes our end).
 */
final class RawExchange implements AutoCloseable {

    /** What came back. {@code status} is -1 unless {@code kind} is ANSWERED. */
    record Outcome(Kind kind, int status, String head, String bodyStart) {
    }

    enum Kind { ANSWERED, CLOSED, HANG, REFUSED }

    private final Path socket;
    private final Duration timeout;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("fuzz-watchdog").factory());

    RawExchange(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    Outcome send(FuzzRequest request) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return new Outcome(Kind.REFUSED, -1, e.toString(), "");
        }
        AtomicBoolean fired = new AtomicBoolean();
        Duration limit = request.mode() == FuzzRequest.Mode.STALL ? timeout.plus(request.stallLimit()) : timeout;
        ScheduledFuture<?> timer = watchdog.schedule(() -> {
            fired.set(true);
            closeQuietly(channel);
        }, limit.toMillis(), TimeUnit.MILLISECONDS);
        try (channel) {
            write(channel, request);
            return read(channel, request.method());
        } catch (IOException e) {
            return fired.get() ? new Outcome(Kind.HANG, -1, e.toString(), "") : new Outcome(Kind.CLOSED, -1, e.toString(), "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Kind.CLOSED, -1, "interrupted", "");
        } finally {
            timer.cancel(false);
        }
    }

    private static void write(SocketChannel channel, FuzzRequest request) throws IOException, InterruptedException {
        byte[] bytes = request.bytes();
        switch (request.mode()) {
            case WHOLE -> writeAll(channel, bytes, 0, bytes.length);
            case HALF_CLOSE -> {
                writeAll(channel, bytes, 0, bytes.length);
                channel.shutdownOutput();
            }
            case DRIP -> {
                // A slow client: a few bytes at a time with pauses (about 3 s in all, whatever the
                // size, so that the watchdog times the daemon and not us), but it does finish.
                int step = Math.max(7, bytes.length / 1000);
                for (int i = 0; i < bytes.length; i += step) {
                    writeAll(channel, bytes, i, Math.min(step, bytes.length - i));
                    Thread.sleep(3);
                }
            }
            case STALL -> writeAll(channel, bytes, 0, bytes.length / 2);
        }
    }

    private static void writeAll(SocketChannel channel, byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Reads up to the end of the headers and a little of the body; the rest is not needed. */
    private static Outcome read(SocketChannel channel, String method) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        int headEnd = -1;
        while (true) {
            buffer.clear();
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException e) {
                n = -1; // a reset after the daemon answered still counts as what we read so far
            }
            if (n < 0) {
                break;
            }
            seen.write(buffer.array(), 0, n);
            byte[] all = seen.toByteArray();
            headEnd = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            if (headEnd >= 0 && (all.length - headEnd - 4 >= 200 || bodyComplete(all, headEnd, method))) {
                break;
            }
        }
        byte[] all = seen.toByteArray();
        headEnd = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headEnd < 0) {
            return new Outcome(Kind.CLOSED, -1, new String(all, StandardCharsets.ISO_8859_1), "");
        }
        String head = new String(all, 0, headEnd, StandardCharsets.ISO_8859_1);
        String body = new String(all, headEnd + 4, Math.min(400, all.length - headEnd - 4), StandardCharsets.UTF_8);
        String[] statusLine = head.split("\r\n", 2)[0].split(" ", 3);
        try {
            return new Outcome(Kind.ANSWERED, Integer.parseInt(statusLine[1]), head, body);
        } catch (RuntimeException e) {
            throw new IOException("bad status line: " + head, e);
        }
    }

    /** True once a Content-Length body is complete or the reply has no body. */
    private static boolean bodyComplete(byte[] all, int headEnd, String method) {
        String head = new String(all, 0, headEnd, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        if (method.equals("HEAD") || head.startsWith("http/1.1 204") || head.startsWith("http/1.1 304")) {
            return true;
        }
        int at = head.indexOf("\r\ncontent-length:");
        if (at < 0) {
            // chunked or streamed (events, logs, wait): the head is the answer
            return head.contains("transfer-encoding: chunked");
        }
        int end = head.indexOf("\r\n", at + 2);
        long length = Long.parseLong(head.substring(at + 17, end < 0 ? head.length() : end).strip());
        return all.length - headEnd - 4 >= length;
    }

    private static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
