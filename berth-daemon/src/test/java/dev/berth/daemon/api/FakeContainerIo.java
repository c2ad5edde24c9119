package dev.berth.daemon.api;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.model.SandboxId;
import dev.berth.daemon.process.ContainerIo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Containers whose processes are small programs, so the API's streams can be checked byte for
 * byte. A container's main process is {@code cat}: it echoes stdin to stdout, and at stdin's end
 * writes {@code bye} to stderr and exits 0 (reported through {@code mainExit}). Exec programs by
 * argv[0]: {@code echo ARGS}, {@code fail} ({@code oops} on stderr, exit 3), {@code cat}
 * (with a TTY it also ends at ^D), {@code exit N}. With a TTY all output is stdout.
 */
final class FakeContainerIo implements ContainerIo {
    final Set<SandboxId> tty = ConcurrentHashMap.newKeySet();
    /** Attaching to these fails (after the hijack) as a container that stopped meanwhile. */
    final Set<SandboxId> refuseAttach = ConcurrentHashMap.newKeySet();
    final Map<SandboxId, List<LogEntry>> logs = new ConcurrentHashMap<>();
    final Map<SandboxId, CompletableFuture<Void>> stopped = new ConcurrentHashMap<>();
    final List<String> resizes = new CopyOnWriteArrayList<>();
    final List<ExecSpec> execs = new CopyOnWriteArrayList<>();
    /** The stdin of each attachment made, in order: a test may type into a container's process. */
    final BlockingQueue<Pipe> attachments = new LinkedBlockingQueue<>();
    /** The exit status of a container's main process. */
    volatile int mainExitCode;
    private final AtomicLong pids = new AtomicLong(100);
    private final BiConsumer<SandboxId, Integer> mainExit;

    FakeContainerIo(BiConsumer<SandboxId, Integer> mainExit) {
        this.mainExit = mainExit;
    }

    /** A program: reads {@code in}, writes {@code out}, returns its exit status. */
    @FunctionalInterface
    interface Program {
        int run(Pipe in, Sink out, boolean tty) throws IOException, InterruptedException;
    }

    /** Stdin as a queue of chunks; an empty chunk is EOF. */
    static final class Pipe {
        private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();

        /** The next chunk, empty at EOF. */
        byte[] next() throws InterruptedException {
            byte[] chunk = chunks.take();
            if (chunk.length == 0) {
                chunks.add(chunk);
            }
            return chunk;
        }

        void close() {
            chunks.add(new byte[0]);
        }

        void type(String text) {
            chunks.add(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    void log(SandboxId id, Instant time, Stream stream, String text) {
        logs.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                .add(new LogEntry(time, stream, text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Stream out(boolean tty, Stream stream) {
        return tty ? Stream.STDOUT : stream;
    }

    private static void print(Sink sink, boolean tty, Stream stream, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sink.write(out(tty, stream), bytes, 0, bytes.length);
    }

    /** Echoes stdin until EOF (or ^D with a TTY). */
    private static void cat(Pipe in, Sink out, boolean tty) throws IOException, InterruptedException {
        for (byte[] chunk = in.next(); chunk.length > 0; chunk = in.next()) {
            int end = chunk.length;
            if (tty) {
                for (int i = 0; i < chunk.length; i++) {
                    if (chunk[i] == 4) {
                        end = i;
                        break;
                    }
                }
            }
            out.write(Stream.STDOUT, chunk, 0, end);
            if (end < chunk.length) {
                return;
            }
        }
    }

    private final class Running implements Attached {
        private final Pipe pipe = new Pipe();
        private final Program program;
        private final boolean tty;
        final CompletableFuture<Integer> exit = new CompletableFuture<>();

        Running(Program program, boolean tty) {
            this.program = program;
            this.tty = tty;
        }

        @Override
        public void input(InputStream stdin, boolean closeAtEof) throws IOException {
            byte[] buffer = new byte[4096];
            for (int n = stdin.read(buffer); n >= 0; n = stdin.read(buffer)) {
                if (n > 0) {
                    pipe.chunks.add(Arrays.copyOf(buffer, n));
                }
            }
            if (closeAtEof) {
                pipe.close();
            }
        }

        @Override
        public void output(Sink sink) throws IOException {
            try {
                exit.complete(program.run(pipe, sink, tty));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exit.complete(137);
            } catch (IOException | RuntimeException e) {
                exit.completeExceptionally(e);
                throw e;
            }
        }

        @Override
        public void close() {
            pipe.close();
        }
    }

    @Override
    public Attached attach(SandboxId id, boolean stdin, boolean stdout, boolean stderr) {
        if (refuseAttach.contains(id)) {
            throw new ConflictException("container " + id.value() + " is not running");
        }
        boolean hasTty = tty.contains(id);
        Running running = new Running((in, out, t) -> {
            cat(in, out, t);
            print(out, t, Stream.STDERR, "bye\n");
            return mainExitCode;
        }, hasTty);
        running.exit.thenAccept(code -> mainExit.accept(id, code));
        attachments.add(running.pipe);
        return running;
    }

    @Override
    public void resize(SandboxId id, int height, int width) {
        resizes.add(id.value() + " " + height + "x" + width);
    }

    @Override
    public Exec exec(SandboxId id, ExecSpec spec, boolean attached) {
        execs.add(spec);
        List<String> argv = spec.argv();
        Program program = switch (argv.getFirst()) {
            case "echo" -> (in, out, t) -> {
                print(out, t, Stream.STDOUT, String.join(" ", argv.subList(1, argv.size())) + "\n");
                return 0;
            };
            case "fail" -> (in, out, t) -> {
                print(out, t, Stream.STDOUT, "trying\n");
                print(out, t, Stream.STDERR, "oops\n");
                return 3;
            };
            case "cat" -> (in, out, t) -> {
                cat(in, out, t);
                return 0;
            };
            case "exit" -> (in, out, t) -> Integer.parseInt(argv.get(1));
            default -> (in, out, t) -> {
                print(out, t, Stream.STDERR, "exec: \"" + argv.getFirst() + "\": executable file not found\n");
                return 127;
            };
        };
        Running running = new Running(program, spec.tty());
        if (!attached) {
            running.close();
            Thread.ofVirtual().start(() -> {
                try {
                    running.output((stream, data, offset, length) -> { });
                } catch (IOException e) {
                    // nobody listens to a detached exec
                }
            });
        }
        long pid = pids.incrementAndGet();
        return new Exec() {
            @Override
            public long pid() {
                return pid;
            }

            @Override
            public Attached io() {
                return attached ? running : null;
            }

            @Override
            public CompletableFuture<Integer> exit() {
                return running.exit;
            }

            @Override
            public void resize(int height, int width) {
                resizes.add("exec " + height + "x" + width);
            }
        };
    }

    /** The container stopped: a following log read ends once it delivered what came meanwhile. */
    void stop(SandboxId id) {
        stopped.computeIfAbsent(id, k -> new CompletableFuture<>()).complete(null);
    }

    @Override
    public void logs(SandboxId id, int tail, Instant since, boolean follow, Consumer<LogEntry> sink) {
        List<LogEntry> all = logs.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
        List<LogEntry> now = new ArrayList<>(all.stream().filter(e -> since == null || !e.time().isBefore(since))
                .toList());
        int delivered = all.size();
        List<LogEntry> shown = tail < 0 || tail >= now.size() ? now : now.subList(now.size() - tail, now.size());
        shown.forEach(sink);
        if (!follow) {
            return;
        }
        stopped.computeIfAbsent(id, k -> new CompletableFuture<>()).join();
        all.subList(delivered, all.size()).forEach(sink);
    }
}
