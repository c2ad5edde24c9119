package dev.berth.api.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A response whose body is consumed while it arrives (the event stream). Closing it closes the
 * connection, which is how a client tells the daemon to stop streaming.
 */
public final class ResponseStream implements AutoCloseable {

    private final HttpResponse head;
    private final InputStream body;
    private final AutoCloseable connection;

    /** A stream over {@code body}, described by {@code head}, owning {@code connection}. */
    public ResponseStream(HttpResponse head, InputStream body, AutoCloseable connection) {
        this.head = head;
        this.body = body;
        this.connection = connection;
    }

    /** The status line and headers (the body of this record is empty). */
    public HttpResponse head() {
        return head;
    }

    /**
     * The next line of the body as UTF-8 without its {@code \n}, or {@code null} at the end.
     *
     * @throws IOException when the connection breaks
     */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        for (int b = body.read(); b != '\n'; b = body.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Copies the rest of the body to {@code out} as it arrives, flushing after every read. */
    public void copyTo(java.io.PrintStream out) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
            out.write(buffer, 0, n);
            out.flush();
        }
    }

    /** The rest of the body, read to its end. */
    public byte[] readAll() throws IOException {
        return body.readAllBytes();
    }

    /** The whole response, reading the rest of the body. */
    public HttpResponse complete() {
        try {
            return new HttpResponse(head.status(), head.reason(), head.headers(), readAll());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception e) {
            // closing a socket we are done with: nothing useful to report
            return;
        }
    }
}
