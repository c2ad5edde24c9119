package dev.berth.daemon.api;

import dev.berth.core.errors.InvalidParameterException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;

/**
 * The largest request body the API reads. Jetty's {@link SizeLimitHandler} enforces it: a
 * {@code Content-Length} above it is answered 413 before the body is read, and a chunked body
 * fails with 413 as soon as the bytes counted pass it. Four MiB is far above any request the
 * docker CLI sends (its largest, a container create, is a few KiB) and above the largest
 * request {@code InputLimits} lets through.
 */
final class BodyLimit {
    static final long MAX_BYTES = 4L * 1024 * 1024;
    static final String MESSAGE = "request body too large: the Engine API accepts at most " + MAX_BYTES
            + " bytes (4 MiB)";

    private BodyLimit() {
    }

    /** Wraps the API's handler so bodies past the limit are refused; responses are not limited. */
    static Handler wrap(Handler handler) {
        SizeLimitHandler limit = new SizeLimitHandler(MAX_BYTES, -1);
        limit.setHandler(handler);
        return limit;
    }

    /** Whether a failure while parsing came from the stream (too large, client gone), not from the JSON. */
    static boolean isStreamFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpException) {
                return true;
            }
        }
        return false;
    }

    /** A failed body read as the client should see it: 413 when over the limit, else 400. */
    static RuntimeException readFailure(Exception error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpException http && http.getCode() == HttpStatus.PAYLOAD_TOO_LARGE_413) {
                return new HttpException.RuntimeException(HttpStatus.PAYLOAD_TOO_LARGE_413, MESSAGE, error);
            }
        }
        return new InvalidParameterException("read request body: " + error.getMessage(), error);
    }
}
