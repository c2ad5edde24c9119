package dev.berth.daemon.api;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link Reply.Stream}: status and headers flushed at once, then one chunk per
 * {@link Reply.StreamSink#send}, each written and flushed before the next. Blocking is fine: the
 * request runs on its own virtual thread. The connection's idle timeout is switched off for the
 * stream (a quiet event stream is not an idle client) and restored afterwards.
 */
final class StreamWriter implements Reply.StreamSink {
    private static final Logger LOG = LoggerFactory.getLogger(StreamWriter.class);

    /** The headers every reply carries (the dispatcher's {@code Api-Version}, {@code Server}...). */
    private final Consumer<HttpFields.Mutable> commonHeaders;
    private final Request request;
    private final Response response;
    private final AtomicBoolean failed = new AtomicBoolean();

    StreamWriter(Consumer<HttpFields.Mutable> commonHeaders, Request request, Response response) {
        this.commonHeaders = commonHeaders;
        this.request = request;
        this.response = response;
    }

    void write(Reply.Stream stream, Callback callback) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        long idleTimeout = endPoint.getIdleTimeout();
        endPoint.setIdleTimeout(0);
        request.addFailureListener(e -> failed.set(true));
        response.setStatus(stream.status());
        HttpFields.Mutable headers = response.getHeaders();
        commonHeaders.accept(headers);
        headers.put(HttpHeader.CONTENT_TYPE, stream.contentType());
        // Chunked even when the client asked for Connection: close (Jetty would delimit by EOF).
        headers.put(HttpHeader.TRANSFER_ENCODING, "chunked");
        try {
            blockingWrite(false, ByteBuffer.allocate(0));
            stream.body().produce(this);
            endPoint.setIdleTimeout(idleTimeout);
            response.write(true, ByteBuffer.allocate(0), callback);
        } catch (IOException | RuntimeException e) {
            LOG.debug("stream {} ended: {}", request.getHttpURI().getPath(), e.toString());
            callback.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
        }
    }

    @Override
    public void send(byte[] chunk) throws IOException {
        blockingWrite(false, ByteBuffer.wrap(chunk));
    }

    @Override
    public boolean failed() {
        return failed.get();
    }

    private void blockingWrite(boolean last, ByteBuffer buffer) throws IOException {
        Callback.Completable done = new Callback.Completable();
        response.write(last, buffer, done);
        try {
            done.get();
        } catch (ExecutionException e) {
            failed.set(true);
            throw new IOException("write to client: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing to client");
        }
    }
}
