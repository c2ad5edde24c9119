package dev.berth.daemon.process;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.errors.InternalException;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A named pipe standing in for one of the pipes conmon takes from its parent by number
 * ({@code _OCI_SYNCPIPE}, {@code _OCI_STARTPIPE}, {@code _OCI_ATTACHPIPE}): a JVM cannot hand a
 * child an extra descriptor, so the shell that starts conmon opens the fifo read-write
 * ({@code 3<>fifo}) and conmon finds it by that number. The daemon holds it read-write too, so
 * neither side ever blocks in {@code open} nor sees end of file or SIGPIPE when the other goes (a
 * daemon that dies leaves conmon writing into a pipe it holds itself). conmon's messages are
 * JSON lines, {@code {"data": N}} or {@code {"data": N, "message": "..."}}.
 */
final class Fifo implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final BufferedReader lines;
    /** The line being read; kept across a timed-out {@link #next} so one reader at a time reads. */
    private CompletableFuture<String> pending;

    private Fifo(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
        this.lines = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    }

    /** Makes a fifo at {@code path} (replacing whatever is there) and opens it read-write. */
    static Fifo create(Path path) {
        try {
            Files.deleteIfExists(path);
            Libc.mkfifo(path.toString(), 0600);
            return new Fifo(path, FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (IOException | KernelException e) {
            throw new InternalException("make fifo " + path + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    /** One byte: what conmon's blocking read of the start pipe waits for. */
    void signal() {
        try {
            channel.write(ByteBuffer.wrap(new byte[] {'0'}));
        } catch (IOException e) {
            throw new InternalException("write " + path + ": " + e, e);
        }
    }

    /** A conmon message: its {@code data} and {@code message} ({@code ""} when none). */
    record Message(int data, String message) {
    }

    /**
     * The next message, waiting while {@code alive} says the writer may still send one; empty
     * when it ended without one or after {@code timeoutMillis}.
     */
    synchronized java.util.Optional<Message> next(Process writer, long timeoutMillis) {
        if (pending == null) {
            pending = CompletableFuture.supplyAsync(() -> {
                try {
                    return lines.readLine();
                } catch (IOException e) {
                    return null;
                }
            }, r -> Thread.ofVirtual().start(r));
        }
        CompletableFuture<String> line = pending;
        java.util.Optional<Message> result = await(line, writer, timeoutMillis);
        if (line.isDone()) {
            pending = null;
        }
        return result;
    }

    private java.util.Optional<Message> await(CompletableFuture<String> line, Process writer, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            try {
                String text = line.get(20, TimeUnit.MILLISECONDS);
                return text == null ? java.util.Optional.empty() : java.util.Optional.of(parse(text));
            } catch (TimeoutException e) {
                if (!writer.isAlive() && !line.isDone()) {
                    // it may have written its last line just before ending: one more look
                    try {
                        String text = line.get(50, TimeUnit.MILLISECONDS);
                        return text == null ? java.util.Optional.empty() : java.util.Optional.of(parse(text));
                    } catch (TimeoutException gone) {
                        return java.util.Optional.empty();
                    } catch (ExecutionException | InterruptedException ex) {
                        return java.util.Optional.empty();
                    }
                }
            } catch (ExecutionException e) {
                return java.util.Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.empty();
    }

    static Message parse(String line) {
        try {
            JsonNode node = OciSpec.JSON.readTree(line);
            return new Message(node.path("data").asInt(-1), node.path("message").asText(""));
        } catch (IOException e) {
            return new Message(-1, "unreadable message from conmon: " + line);
        }
    }

    /** Closes the daemon's end and removes the fifo (conmon keeps its own descriptor). */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a pipe end cannot lose data the daemon still wanted
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the directory goes with the container
        }
    }
}
