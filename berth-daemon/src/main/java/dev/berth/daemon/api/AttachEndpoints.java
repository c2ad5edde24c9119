package dev.berth.daemon.api;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.service.sandbox.ProcessState;
import dev.berth.daemon.process.ContainerIo;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code POST /containers/{id}/attach} (hijacked, see {@link Hijack}) and
 * {@code POST /containers/{id}/resize}.
 *
 * <p>Attach follows podman's compatibility rules where moby's differ only in corner cases: none of
 * {@code stdin}, {@code stdout}, {@code stderr} means all three; neither {@code stream} nor
 * {@code logs} is a 400; a container that has exited is a 409 unless only its log is asked for.
 * A created container may be attached to: {@code docker run} attaches before it starts the
 * container, and the attachment carries its output from the start. {@code detachKeys} is ignored.
 */
final class AttachEndpoints {
    private final ContainerLookup containers;
    private final ContainerIo io;

    AttachEndpoints(ContainerLookup containers, ContainerIo io) {
        this.containers = containers;
        this.io = io;
    }

    void register(Routes routes) {
        routes.add("POST", "/containers/{id}/attach", this::attach)
                .add("POST", "/containers/{id}/resize", this::resize);
    }

    private Reply attach(ApiRequest request) {
        ContainerLookup.Target container = containers.find(request.pathParameter(0));
        boolean stream = request.queryFlag("stream");
        boolean logs = request.queryFlag("logs");
        boolean stdin = request.queryFlag("stdin");
        boolean stdout = request.queryFlag("stdout");
        boolean stderr = request.queryFlag("stderr");
        if (!stdin && !stdout && !stderr) {
            stdin = true;
            stdout = true;
            stderr = true;
        }
        if (!stream && !logs) {
            throw new InvalidParameterException("at least one of stream or logs must be set");
        }
        if (stream && (container.status() == ProcessState.Status.EXITED
                || container.status() == ProcessState.Status.REMOVING)) {
            throw new ConflictException("You cannot attach to a stopped container " + container.id().value()
                    + ", start it first");
        }
        boolean in = stdin;
        boolean out = stdout;
        boolean err = stderr;
        return new Reply.Upgrade(container.tty(), hijacked -> {
            ContainerIo.Sink sink = selected(hijacked.output(), out, err);
            if (logs) {
                replay(container, sink);
            }
            if (!stream) {
                return;
            }
            try (ContainerIo.Attached attached = io.attach(container.id(), in, out, err)) {
                Thread input = in ? Pumps.input(attached, hijacked.stdin(), container.stdinOnce()) : null;
                try {
                    attached.output(sink);
                } finally {
                    if (input != null) {
                        input.interrupt();
                    }
                }
            }
        });
    }

    /** The log so far, before the live stream ({@code logs=1}). */
    private void replay(ContainerLookup.Target container, ContainerIo.Sink sink) throws IOException {
        try {
            io.logs(container.id(), -1, null, false, entry -> {
                try {
                    sink.write(entry.stream(), entry.data(), 0, entry.data().length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Only the output streams asked for. */
    static ContainerIo.Sink selected(ContainerIo.Sink sink, boolean stdout, boolean stderr) {
        return (stream, data, offset, length) -> {
            if (stream == ContainerIo.Stream.STDERR ? stderr : stdout) {
                sink.write(stream, data, offset, length);
            }
        };
    }

    /** {@code POST /containers/{id}/resize?h=&w=}: 200; 409 when the container does not run, as moby. */
    private Reply resize(ApiRequest request) {
        int height = dimension(request, "h");
        int width = dimension(request, "w");
        ContainerLookup.Target container = containers.find(request.pathParameter(0));
        if (!container.running()) {
            throw new ConflictException("container " + container.id().value() + " is not running");
        }
        io.resize(container.id(), height, width);
        return new Reply.Empty(200);
    }

    /** A terminal dimension as moby parses it ({@code strconv.ParseUint(v, 10, 16)}). */
    static int dimension(ApiRequest request, String name) {
        String value = request.query(name).orElse("");
        try {
            if (!value.matches("[0-9]+")) {
                throw new NumberFormatException();
            }
            long n = value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
            if (n > 0xffff) {
                throw new InvalidParameterException("strconv.ParseUint: parsing \"" + value + "\": value out of range");
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new InvalidParameterException("strconv.ParseUint: parsing \"" + value + "\": invalid syntax");
        }
    }
}
