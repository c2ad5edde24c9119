package dev.berth.daemon.process;

import dev.berth.core.model.SandboxId;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The byte streams of containers (processes run by runc under conmon): attach to a running
 * container's stdio, run a further process in it ({@code exec}), resize a terminal, read the log.
 * The API's hijacked connections ({@code attach}, {@code exec start}) and {@code logs} use it;
 * the life cycle (create, start, signal, wait, remove) goes through
 * {@link dev.berth.core.spi.ProcessLauncher}.
 */
public interface ContainerIo {

    /** Where output goes: the container's stdout or stderr (with a TTY all of it is stdout). */
    enum Stream { STDOUT, STDERR }

    /** Receives output as it comes; called from one thread at a time, in order. */
    interface Sink {
        void write(Stream stream, byte[] data, int offset, int length) throws IOException;
    }

    /**
     * A live connection to a process's stdio. {@link #output} returns once the process's output
     * ended (it exited, or the attachment was closed); {@link #close} detaches without touching the
     * process.
     */
    interface Attached extends AutoCloseable {
        /** Copies everything from {@code stdin} to the process until EOF; then closes its stdin if {@code closeAtEof}. */
        void input(InputStream stdin, boolean closeAtEof) throws IOException;

        /** Sends output to {@code sink} until the process's output ends. */
        void output(Sink sink) throws IOException;

        @Override
        void close();
    }

    /**
     * Attaches to container {@code id}: at once when it runs, else from its next start (as
     * {@code docker run} attaches before it starts: connected before the process runs, so none of
     * its output is missed; a start that fails ends the attachment with no output; {@link
     * Attached#close} before the start cancels it). Only the streams asked for are carried; with
     * the container's TTY all output is {@link Stream#STDOUT}. Whether attaching to a stopped
     * container is allowed at all is the caller's call.
     */
    Attached attach(SandboxId id, boolean stdin, boolean stdout, boolean stderr);

    /** Resizes the container's terminal; nothing without one. */
    void resize(SandboxId id, int height, int width);

    /**
     * A process to run in a running container ({@code docker exec}).
     *
     * @param argv       at least one element
     * @param env        {@code KEY=VALUE} added to the container's
     * @param workingDir {@code ""}: the container's
     * @param user       {@code ""}: the container's
     * @param tty        with a pseudo-terminal
     * @param stdin      keeps stdin open for the attached client
     * @param privileged all capabilities
     * @param height     initial terminal rows (0: default)
     * @param width      initial terminal columns (0: default)
     */
    record ExecSpec(List<String> argv, List<String> env, String workingDir, String user, boolean tty, boolean stdin,
                    boolean privileged, int height, int width) {
        public ExecSpec {
            argv = List.copyOf(argv);
            env = List.copyOf(env);
        }
    }

    /** A started exec process: its stdio (when started attached), its PID and its exit status. */
    interface Exec {
        long pid();

        /** Present when started attached; the process's stdio. */
        Attached io();

        /** Completes with the exit status (126/127 when the command cannot run, as Docker reports). */
        CompletableFuture<Integer> exit();

        void resize(int height, int width);
    }

    /** Starts {@code spec} in running container {@code id}; {@code attached}: its stdio is returned. */
    Exec exec(SandboxId id, ExecSpec spec, boolean attached);

    /** One log line (or a partial line, when the process wrote no newline yet). */
    record LogEntry(Instant time, Stream stream, byte[] data) {
    }

    /**
     * The log of container {@code id}, oldest first: the last {@code tail} entries (negative: all)
     * after {@code since} (null: from the start); with {@code follow}, keeps delivering new entries
     * until the container's process has ended and its log is drained, or {@code sink} throws.
     */
    void logs(SandboxId id, int tail, Instant since, boolean follow, java.util.function.Consumer<LogEntry> sink)
            throws IOException;
}
