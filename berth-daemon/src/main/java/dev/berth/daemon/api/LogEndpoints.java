package dev.berth.daemon.api;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.daemon.process.ContainerIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code GET /containers/{id}/logs?follow=&stdout=&stderr=&since=&until=&timestamps=&tail=}.
 *
 * <p>A container from an image: its log through {@link ContainerIo#logs}, as Docker sends it:
 * multiplexed frames (raw bytes with a TTY), each entry prefixed with its time in
 * {@link #TIMESTAMP} format and a space when {@code timestamps} is set; {@code tail} {@code all}
 * or a count (anything else is all, as moby's {@code Atoi} fallback), {@code since}/{@code until}
 * in Unix seconds with an optional fraction (what the docker CLI sends) or RFC 3339. With
 * {@code follow} the stream ends once the container stopped and its log is drained, or at the
 * first entry past {@code until}.
 *
 * <p>A {@code berth run} sandbox: its raw output file (stdout and stderr interleaved, no frames),
 * followed while the process runs; the berth CLI reads it so.
 */
final class LogEndpoints {
    /** moby's {@code jsonmessage.RFC3339NanoFixed}: always nine fraction digits. */
    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX").withZone(ZoneOffset.UTC);
    private static final long LOG_POLL_MILLIS = 50;

    private final ContainerLookup containers;
    private final ContainerIo io;

    LogEndpoints(ContainerLookup containers, ContainerIo io) {
        this.containers = containers;
        this.io = io;
    }

    void register(Routes routes) {
        routes.add("GET", "/containers/{id}/logs", this::logs);
    }

    private Reply logs(ApiRequest request) {
        ContainerLookup.Target container = containers.find(request.pathParameter(0));
        boolean stdout = request.queryFlag("stdout");
        boolean stderr = request.queryFlag("stderr");
        if (!stdout && !stderr) {
            throw new InvalidParameterException("Bad parameters: you must choose at least one stream");
        }
        boolean follow = request.queryFlag("follow");
        if (!container.image()) {
            Optional<String> file = container.rawLog();
            String id = container.id().value();
            return new Reply.Stream(200, Hijack.RAW, sink -> {
                if (file.isPresent()) {
                    raw(sink, Path.of(file.get()), follow ? id : null);
                }
            });
        }
        Instant since = time(request, "since");
        Instant until = time(request, "until");
        int tail = tail(request.query("tail").orElse(""));
        boolean timestamps = request.queryFlag("timestamps");
        boolean tty = container.tty();
        String contentType = !tty && request.version().atLeast("1.42") ? Hijack.MULTIPLEXED : Hijack.RAW;
        boolean following = follow && (until == null || until.isAfter(Instant.now()));
        return new Reply.Stream(200, contentType, sink -> {
            Hijack.Frames frames = new Hijack.Frames(tty) {
                @Override
                public InputStream stdin() {
                    return InputStream.nullInputStream();
                }

                @Override
                void send(byte[] data, int offset, int length) throws IOException {
                    sink.send(Arrays.copyOfRange(data, offset, offset + length));
                }
            };
            try {
                io.logs(container.id(), tail, since, following, entry -> {
                    if (until != null && entry.time().isAfter(until)) {
                        throw new PastUntil();
                    }
                    if (since != null && entry.time().isBefore(since)
                            || !(entry.stream() == ContainerIo.Stream.STDERR ? stderr : stdout)) {
                        return;
                    }
                    try {
                        byte[] bytes = entry(entry, timestamps);
                        frames.write(entry.stream(), bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (PastUntil done) {
                return;
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        });
    }

    /** Ends a log read at the first entry past {@code until}. */
    private static final class PastUntil extends RuntimeException {
        PastUntil() {
            super(null, null, false, false);
        }
    }

    private static byte[] entry(ContainerIo.LogEntry entry, boolean timestamps) {
        if (!timestamps) {
            return entry.data();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((TIMESTAMP.format(entry.time()) + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(entry.data());
        return out.toByteArray();
    }

    /** {@code all}, empty or anything but a whole number: every entry (-1). */
    static int tail(String value) {
        try {
            int n = Integer.parseInt(value.strip());
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Unix seconds with an optional fraction, or RFC 3339; empty or {@code 0}: none. */
    static Instant time(ApiRequest request, String name) {
        String value = request.query(name).orElse("").strip();
        if (value.isEmpty() || value.equals("0")) {
            return null;
        }
        try {
            if (value.matches("-?[0-9]+(\\.[0-9]{1,9})?")) {
                BigDecimal seconds = new BigDecimal(value);
                long whole = seconds.longValue();
                int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
                return Instant.ofEpochSecond(whole, nanos);
            }
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidParameterException("invalid value for " + name + ": " + value
                    + " (Unix seconds, optionally with a fraction, or RFC 3339)");
        }
    }

    private void raw(Reply.StreamSink sink, Path file, String followId) throws IOException, InterruptedException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[8192];
            while (!sink.failed()) {
                boolean done = followId == null || !running(followId);
                int n = in.read(buffer);
                if (n > 0) {
                    sink.send(Arrays.copyOf(buffer, n));
                } else if (done) {
                    return;
                } else {
                    Thread.sleep(LOG_POLL_MILLIS);
                }
            }
        } catch (NoSuchFileException e) {
            // never started, or removed already: no output to show
            return;
        }
    }

    private boolean running(String id) {
        try {
            return containers.find(id).running();
        } catch (NotFoundException e) {
            return false;
        }
    }
}
