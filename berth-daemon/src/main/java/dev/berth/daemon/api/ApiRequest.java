package dev.berth.daemon.api;

import dev.berth.core.errors.InvalidParameterException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * One matched API call as endpoints see it: the negotiated version, the path parameters captured
 * by the route, the query and (on demand) the JSON body.
 */
public final class ApiRequest {
    private static final String JSON = "application/json";

    private final Request request;
    private final ApiVersion version;
    private final List<String> pathParameters;
    private final JsonCodec json;
    private Fields query;

    ApiRequest(Request request, ApiVersion version, List<String> pathParameters, JsonCodec json) {
        this.request = request;
        this.version = version;
        this.pathParameters = List.copyOf(pathParameters);
        this.json = json;
    }

    /** The client's API version ({@link ApiVersion#MAX} for unversioned paths). */
    public ApiVersion version() {
        return version;
    }

    public String method() {
        return request.getMethod();
    }

    /** The n-th {@code {name}} of the route's template, as the client sent it. */
    public String pathParameter(int index) {
        return pathParameters.get(index);
    }

    /** A query parameter's first value, if present. */
    public Optional<String> query(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return Optional.ofNullable(query.getValue(name));
    }

    /** Whether a boolean query parameter is set the way moby's {@code BoolValue} reads it. */
    public boolean queryFlag(String name) {
        String value = query(name).orElse("").strip().toLowerCase(Locale.ROOT);
        return !(value.isEmpty() || value.equals("0") || value.equals("no") || value.equals("false")
                || value.equals("none"));
    }

    /**
     * Reads the JSON body as moby's {@code ReadJSON} does: a {@code Content-Type} other than
     * {@code application/json} is a 400; an empty body without a {@code Content-Type} yields
     * {@link Optional#empty()}; malformed JSON is a 400 {@code invalid JSON: ...}.
     */
    public <T> Optional<T> body(Class<T> type) {
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        byte[] body = readAll();
        if (contentType == null && body.length == 0) {
            return Optional.empty();
        }
        if (contentType == null || !isJson(contentType)) {
            throw new InvalidParameterException("unsupported Content-Type header (" + (contentType == null ? "" : contentType)
                    + "): must be '" + JSON + "'");
        }
        if (body.length == 0) {
            return Optional.empty();
        }
        return Optional.of(json.decode(body, type));
    }

    private static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return mediaType.strip().equalsIgnoreCase(JSON);
    }

    private byte[] readAll() {
        try {
            ByteBuffer buffer = Content.Source.asByteBuffer(request);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new InvalidParameterException("read request body: " + e.getMessage(), e);
        }
    }
}
