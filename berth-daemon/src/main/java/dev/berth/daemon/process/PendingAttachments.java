package dev.berth.daemon.process;

import dev.berth.core.model.SandboxId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Attachments made before their container runs ({@code docker run} attaches, then starts): they
 * share one connection to conmon's attach socket, made once the container is created and before
 * {@code runc start} lets its process run, so not a byte of its output is missed. One
 * connection, because conmon accepts one client per turn of its event loop and writes output to
 * the clients it has accepted so far: a second client could miss the first chunk. The daemon
 * hands every chunk to each attachment (filtered by the streams it asked for). A start that fails
 * ends them with no output.
 */
final class PendingAttachments {
    private final Map<SandboxId, List<Pending>> waiting = new ConcurrentHashMap<>();

    /** An attachment that connects at the container's next start. */
    ContainerIo.Attached await(SandboxId id, boolean stdout, boolean stderr) {
        Pending p = new Pending(id, stdout, stderr);
        waiting.compute(id, (k, list) -> {
            List<Pending> next = list == null ? new ArrayList<>() : list;
            next.add(p);
            return next;
        });
        return p;
    }

    /** Connects the attachments waiting for {@code id} to the attach socket in {@code bundle}. */
    void connect(SandboxId id, Path bundle) {
        List<Pending> list = waiting.remove(id);
        if (list == null || list.isEmpty()) {
            return;
        }
        Shared shared;
        try {
            shared = new Shared(AttachSocket.connect(bundle, id.value(), true, true, ""), List.copyOf(list));
        } catch (RuntimeException e) {
            list.forEach(p -> p.end());
            return;
        }
        list.forEach(p -> p.shared.complete(shared));
        Thread.ofVirtual().name("berth-attach-" + id.shortId()).start(shared::pump);
    }

    /** The start failed: waiting attachments end without output. */
    void fail(SandboxId id) {
        List<Pending> list = waiting.remove(id);
        if (list != null) {
            list.forEach(Pending::end);
        }
    }

    /** A chunk of output, or the end ({@code data == null}). */
    private record Chunk(ContainerIo.Stream stream, byte[] data) {
    }

    /** The one connection of a start and the attachments it feeds. */
    private static final class Shared {
        final AttachSocket socket;
        final List<Pending> attachments;
        private int open;

        Shared(AttachSocket socket, List<Pending> attachments) {
            this.socket = socket;
            this.attachments = attachments;
            this.open = attachments.size();
        }

        /** Reads the container's output and hands each chunk to every attachment, then the end. */
        void pump() {
            try {
                socket.output((stream, data, off, len) -> {
                    byte[] copy = java.util.Arrays.copyOfRange(data, off, off + len);
                    attachments.forEach(p -> p.offer(new Chunk(stream, copy)));
                });
            } catch (IOException e) {
                // the connection broke: the attachments end here
            } finally {
                attachments.forEach(Pending::end);
                socket.close();
            }
        }

        synchronized void detached() {
            if (--open == 0) {
                socket.close();
            }
        }
    }

    private final class Pending implements ContainerIo.Attached {
        final SandboxId id;
        final boolean stdout;
        final boolean stderr;
        final CompletableFuture<Shared> shared = new CompletableFuture<>();
        final BlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
        private boolean closed;

        Pending(SandboxId id, boolean stdout, boolean stderr) {
            this.id = id;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        void offer(Chunk chunk) {
            boolean wanted = chunk.stream() == ContainerIo.Stream.STDERR ? stderr : stdout;
            if (wanted) {
                chunks.add(chunk);
            }
        }

        void end() {
            shared.complete(null);
            chunks.add(new Chunk(null, null));
        }

        private Shared connected() throws IOException {
            try {
                return shared.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the container to start", e);
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            }
        }

        @Override
        public void input(InputStream stdin, boolean closeAtEof) throws IOException {
            Shared s = connected();
            if (s != null) {
                s.socket.input(stdin, closeAtEof);
            }
        }

        @Override
        public void output(ContainerIo.Sink sink) throws IOException {
            while (true) {
                Chunk chunk;
                try {
                    chunk = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (chunk.data() == null) {
                    return;
                }
                sink.write(chunk.stream(), chunk.data(), 0, chunk.data().length);
            }
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            waiting.computeIfPresent(id, (k, list) -> {
                list.remove(this);
                return list.isEmpty() ? null : list;
            });
            chunks.add(new Chunk(null, null));
            if (!shared.complete(null)) {
                Shared s = shared.getNow(null);
                if (s != null) {
                    s.detached();
                }
            }
        }
    }
}
