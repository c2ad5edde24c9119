package dev.berth.daemon.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * JSON the way the Engine API speaks it: compact, one trailing newline (Go's {@code json.Encoder}),
 * map entries sorted by key (Go sorts map keys), unknown input fields ignored and field names
 * matched case-insensitively (Go's {@code json.Unmarshal}); a second value after the first is an
 * error, as in moby's {@code ReadJSON}. A {@code null} inside a map or list stays {@code null}
 * here: the mappers read it as Go's zero value ({@link GoValues}).
 */
final class JsonCodec {
    /**
     * The longest string the parser builds: Linux's {@code MAX_ARG_STRLEN}, the longest single
     * argument a command ({@code Cmd}) can have; every other string is bounded lower by
     * validation. Jackson stops as soon as a string grows past it, so an oversized value costs no
     * more memory than this.
     */
    static final int MAX_STRING = 128 * 1024;
    /** Deeper than any Engine API request (the deepest is about five levels). */
    static final int MAX_DEPTH = 64;

    private final ObjectMapper mapper = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(MAX_STRING).maxNameLength(MAX_STRING).maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Encodes a value plus the trailing newline. */
    byte[] encode(Object value) {
        try {
            byte[] json = mapper.writeValueAsBytes(value);
            byte[] out = new byte[json.length + 1];
            System.arraycopy(json, 0, out, 0, json.length);
            out[json.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new InternalException("encode " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Decodes a request body as it streams in; malformed input is a 400 {@code invalid JSON: ...}.
     * Failures of the stream itself (the client went away, the body is too large) are thrown as
     * they are (checked or not, wrapped by Jackson or not), for the caller to tell apart.
     */
    <T> T decode(InputStream body, Class<T> type) throws IOException {
        try {
            return mapper.readValue(body, type);
        } catch (JacksonException e) {
            if (BodyLimit.isStreamFailure(e)) {
                throw e;
            }
            throw new InvalidParameterException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses free-form JSON text, or returns {@code null} when it is not JSON. */
    JsonNode tree(String text) {
        try {
            return mapper.readTree(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
