package dev.berth.daemon.api;

import dev.berth.core.errors.InvalidParameterException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
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

    /** The routes whose bodies are image archives, exempt from the limit (ImageEndpoints streams them to disk). */
    static final java.util.regex.Pattern STREAMED = java.util.regex.Pattern.compile("(/v[0-9.]+)?/images/(load|create)");

    private BodyLimit() {
    }

    /**
     * Wraps the API's handler so bodies past the limit are refused; responses are not limited. The
     * image archive routes ({@link #STREAMED}: {@code POST /images/load},
     * {@code /images/create}) pass unlimited: their bodies are streamed to disk, never held.
     */
    static Handler wrap(Handler handler) {
        SizeLimitHandler limit = new SizeLimitHandler(MAX_BYTES, -1);
        limit.setHandler(handler);
        return new Handler.Wrapper(limit) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (HttpMethod.POST.is(request.getMethod())
                        && STREAMED.matcher(request.getHttpURI().getDecodedPath()).matches()) {
                    return handler.handle(request, response, callback);
                }
                return super.handle(request, response, callback);
            }
        };
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
