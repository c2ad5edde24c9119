package dev.berth.daemon.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import java.nio.charset.StandardCharsets;

/**
 * JSON the way the Engine API speaks it: compact, one trailing newline (Go's {@code json.Encoder}),
 * map entries sorted by key (Go sorts map keys), unknown input fields ignored and field names
 * matched case-insensitively (Go's {@code json.Unmarshal}).
 */
final class JsonCodec {
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
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

    /** Decodes a request body; malformed input is a 400 {@code invalid JSON: ...}. */
    <T> T decode(byte[] body, Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (JacksonException e) {
            throw new InvalidParameterException("invalid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new InvalidParameterException("invalid JSON: " + e.getMessage(), e);
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
