package dev.berth.daemon.api;

import java.util.Map;

/**
 * What an endpoint answers. The {@link Dispatcher} writes it with the common headers; endpoints
 * never touch Jetty's response.
 */
public sealed interface Reply {

    int status();

    /** A JSON body ({@code application/json}, newline-terminated like Go's encoder). */
    record Json(int status, Object body) implements Reply {
    }

    /** No body at all, {@code Content-Length: 0}. */
    record Empty(int status) implements Reply {
    }

    /** A text body with its content type and extra headers ({@code /_ping}). */
    record Text(int status, String contentType, String body, Map<String, String> headers) implements Reply {
        public Text {
            headers = Map.copyOf(headers);
        }
    }

    /**
     * A body produced over time ({@code /events}): headers are sent at once, then every
     * {@link StreamSink#send} goes out as one flushed chunk; the response ends when
     * {@link StreamBody#produce} returns. No {@code Content-Length}: the transfer is chunked.
     */
    record Stream(int status, String contentType, StreamBody body) implements Reply {
    }

    /** Writes a streamed body; runs on the request's (virtual) thread and may block. */
    @FunctionalInterface
    interface StreamBody {
        void produce(StreamSink sink) throws java.io.IOException, InterruptedException;
    }

    /** Where a streamed body goes. */
    interface StreamSink {
        /** Sends one chunk and flushes it; throws when the client has gone. */
        void send(byte[] chunk) throws java.io.IOException;

        /** True once the connection is known to have failed (the client went away). */
        boolean failed();
    }

    /**
     * A hijacked connection ({@code attach}, {@code exec start}). With an {@code Upgrade} request
     * header the answer is {@code 101 UPGRADED} and the connection becomes a raw byte stream in
     * both directions; without one a {@code 200} streamed as moby does (output only, stdin from
     * the request body). {@link Session#run} starts once the client has the headers, on a thread
     * of its own; the connection closes when it returns. Output is framed (8-byte header per
     * write) unless {@code tty}.
     */
    record Upgrade(boolean tty, Session session) implements Reply {
        @Override
        public int status() {
            return 101;
        }
    }

    /** The work on a hijacked connection: reads stdin, writes output, may report an error in-band. */
    @FunctionalInterface
    interface Session {
        void run(Hijacked connection) throws java.io.IOException, InterruptedException;
    }

    /** A hijacked connection as a {@link Session} sees it. */
    interface Hijacked {
        /** The client's bytes; EOF when it half-closed (its output keeps flowing). */
        java.io.InputStream stdin();

        /** Where output goes: framed unless the session has a TTY; each write is flushed. */
        dev.berth.daemon.process.ContainerIo.Sink output();

        /** An error after the headers went out: written in-band ({@code Error: ...}, on stderr without TTY). */
        void error(String message) throws java.io.IOException;
    }

    static Reply ok(Object body) {
        return new Json(200, body);
    }
}
