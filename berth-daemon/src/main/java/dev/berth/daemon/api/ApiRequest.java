package dev.berth.daemon.api;

import dev.berth.core.errors.InvalidParameterException;
import java.io.IOException;
import java.io.PushbackInputStream;
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

    /**
     * A query parameter's first value, if present. A malformed percent escape is a 400 with Go's
     * {@code url.ParseQuery} message, as moby's {@code ParseForm} gives it.
     */
    public Optional<String> query(String name) {
        if (query == null) {
            query = QueryText.parse(request);
        }
        return Optional.ofNullable(query.getValue(name));
    }

    /** Every value of a repeated query parameter ({@code changes=...&changes=...}), in order. */
    public List<String> queryValues(String name) {
        if (query == null) {
            query = QueryText.parse(request);
        }
        List<String> values = query.getValues(name);
        return values == null ? List.of() : List.copyOf(values);
    }

    /**
     * The body as a stream, for routes whose bodies are archives ({@code /images/load}); the caller
     * bounds what it keeps in memory.
     */
    public java.io.InputStream rawBody() {
        return Content.Source.asInputStream(request);
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
     * {@link Optional#empty()}; malformed JSON is a 400 {@code invalid JSON: ...}; so is JSON
     * {@code null}, read as an empty object (Go leaves the struct at its zero value). The body is
     * parsed as it streams in, never held whole; past {@link BodyLimit#MAX_BYTES} it is a 413.
     */
    public <T> Optional<T> body(Class<T> type) {
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        try (PushbackInputStream in = new PushbackInputStream(Content.Source.asInputStream(request))) {
            int first = in.read();
            if (first < 0) {
                if (contentType != null && !isJson(contentType)) {
                    throw unsupported(contentType);
                }
                return Optional.empty();
            }
            if (contentType == null || !isJson(contentType)) {
                throw unsupported(contentType);
            }
            in.unread(first);
            return Optional.ofNullable(json.decode(in, type));
        } catch (IOException e) {
            throw BodyLimit.readFailure(e);
        } catch (RuntimeException e) {
            // Jetty may report the size limit as an unchecked HttpException from read().
            throw BodyLimit.isStreamFailure(e) ? BodyLimit.readFailure(e) : e;
        }
    }

    private static InvalidParameterException unsupported(String contentType) {
        return new InvalidParameterException("unsupported Content-Type header (" + (contentType == null ? "" : contentType)
                + "): must be '" + JSON + "'");
    }

    private static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return mediaType.strip().equalsIgnoreCase(JSON);
    }
}
