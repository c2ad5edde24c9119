package dev.berth.daemon.api;

import dev.berth.api.types.ErrorResponse;
import dev.berth.core.errors.NotFoundException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Jetty handler: strips and checks the {@code /v{X.Y}} prefix, finds the route, runs the
 * endpoint (blocking is fine: requests run on virtual threads), maps errors to statuses and writes
 * the reply with the headers moby puts on every response.
 */
final class Dispatcher extends Handler.Abstract {
    static final String JSON = "application/json";

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final Pattern VERSIONED = Pattern.compile("/v([0-9.]+)(/.*)");

    private final Routes routes;
    private final JsonCodec json;
    private final String serverHeader;
    private final Hijack hijack;
    private final RequestObserver observer;

    /** A reply turned into bytes, ready to write. */
    private record Rendered(int status, String contentType, byte[] body, Map<String, String> headers) {
    }

    /**
     * {@code sessions}: where hijacked connections ({@link Reply.Upgrade}) run once switched over;
     * {@code observer}: told of every request answered (the daemon's metrics).
     */
    Dispatcher(Routes routes, JsonCodec json, String engineVersion, java.util.concurrent.Executor sessions,
               RequestObserver observer) {
        super(InvocationType.BLOCKING);
        this.observer = observer;
        this.routes = routes;
        this.json = json;
        this.serverHeader = "Docker/" + engineVersion + " (linux)";
        this.hijack = new Hijack(this::commonHeaders, sessions);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String method = request.getMethod();
        String path = request.getHttpURI().getDecodedPath();
        String route = RequestObserver.UNMATCHED;
        Rendered rendered;
        try {
            Matcher versioned = VERSIONED.matcher(path);
            boolean isVersioned = versioned.matches();
            ApiVersion version = isVersioned ? new ApiVersion(versioned.group(1)) : ApiVersion.MAX;
            Routes.Match match = routes.find(method, isVersioned ? versioned.group(2) : path)
                    .orElseThrow(() -> new NotFoundException("page not found"));
            route = match.template();
            if (isVersioned) {
                version.requireSupported();
            }
            Reply reply = match.endpoint().handle(new ApiRequest(request, version, match.parameters(), json));
            if (reply instanceof Reply.Upgrade upgrade) {
                hijack.answer(request, response, callback, upgrade, version);
                observer.answered(method, route, 101, System.nanoTime() - start);
                return true;
            }
            if (reply instanceof Reply.Stream stream) {
                new StreamWriter(this::commonHeaders, request, response).write(stream, callback);
                observer.answered(method, route, stream.status(), System.nanoTime() - start);
                return true;
            }
            rendered = render(reply);
        } catch (Exception e) {
            rendered = render(failure(method, path, e));
        }
        write(request, response, callback, rendered);
        long nanos = System.nanoTime() - start;
        observer.answered(RequestObserver.UNMATCHED.equals(route) ? knownMethod(method) : method, route,
                rendered.status(), nanos);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} {} {}µs", method, path, rendered.status(), TimeUnit.NANOSECONDS.toMicros(nanos));
        }
        return true;
    }

    /** A method a client sent to no route, as a label value: one of a few, never what the client made up. */
    static String knownMethod(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE" -> method;
            default -> "OTHER";
        };
    }

    /** The headers every API response carries, errors included. */
    void commonHeaders(HttpFields.Mutable headers) {
        headers.put("Api-Version", ApiVersion.MAX.text());
        headers.put("Ostype", "linux");
        headers.put("Docker-Experimental", "false");
        headers.put(HttpHeader.SERVER, serverHeader);
    }

    /** The error body as bytes: {@code {"message":"..."}} and a newline. */
    byte[] errorBody(String message) {
        return json.encode(new ErrorResponse(message));
    }

    private static Reply failure(String method, String path, Exception error) {
        int status = ErrorStatus.of(error);
        if (status == 500) {
            LOG.error("{} {} failed", method, path, error);
        }
        return new Reply.Json(status, new ErrorResponse(ErrorStatus.message(error)));
    }

    private Rendered render(Reply reply) {
        return switch (reply) {
            case Reply.Json j -> new Rendered(j.status(), JSON, json.encode(j.body()), Map.of());
            case Reply.Empty e -> new Rendered(e.status(), null, new byte[0], Map.of());
            case Reply.Text t -> new Rendered(t.status(), t.contentType(), t.body().getBytes(StandardCharsets.UTF_8),
                    t.headers());
            case Reply.Stream s -> throw new IllegalStateException("streams are written by StreamWriter");
            case Reply.Upgrade u -> throw new IllegalStateException("hijacked connections are answered by Hijack");
        };
    }

    private void write(Request request, Response response, Callback callback, Rendered rendered) {
        response.setStatus(rendered.status());
        HttpFields.Mutable headers = response.getHeaders();
        commonHeaders(headers);
        rendered.headers().forEach(headers::put);
        if (rendered.contentType() != null) {
            // Set as a plain field: the CLI compares it with "application/json" for string equality.
            headers.put(HttpHeader.CONTENT_TYPE, rendered.contentType());
        }
        if (rendered.status() != 204 && rendered.status() != 304) {
            headers.put(HttpHeader.CONTENT_LENGTH, rendered.body().length);
        }
        boolean noBody = HttpMethod.HEAD.is(request.getMethod()) || rendered.body().length == 0;
        response.write(true, noBody ? ByteBuffer.allocate(0) : ByteBuffer.wrap(rendered.body()), callback);
    }
}
