package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of the JSON-message streams of {@code /images/load}, {@code /images/create} and
 * {@code /build} ({@code jsonmessage.JSONMessage}), fields in its order: {@code stream} text, or a
 * {@code status} (with an {@code id} for per-layer progress and a {@code progressDetail} byte count,
 * which the docker CLI draws as a bar on a terminal and skips otherwise), or an error once the
 * stream has begun ({@code errorDetail.message} and {@code error}, the same text).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JsonMessage(@JsonProperty("stream") String stream, @JsonProperty("status") String status,
                          @JsonProperty("progressDetail") Progress progressDetail, @JsonProperty("id") String id,
                          @JsonProperty("errorDetail") ErrorDetail errorDetail, @JsonProperty("error") String error) {

    /** {@code jsonmessage.JSONProgress}: bytes done of a total. */
    public record Progress(@JsonProperty("current") long current, @JsonProperty("total") long total) {
    }

    /** {@code jsonmessage.JSONError}. */
    public record ErrorDetail(@JsonProperty("message") String message) {
    }

    public static JsonMessage stream(String text) {
        return new JsonMessage(text, null, null, null, null, null);
    }

    public static JsonMessage status(String text) {
        return new JsonMessage(null, text, null, null, null, null);
    }

    /** A status about one item ({@code Pulling fs layer} of layer {@code id}; an empty id is left out). */
    public static JsonMessage status(String id, String text) {
        return new JsonMessage(null, text, null, id == null || id.isEmpty() ? null : id, null, null);
    }

    /** {@code Downloading} with its byte count. */
    public static JsonMessage progress(String id, String text, long current, long total) {
        return new JsonMessage(null, text, new Progress(current, total), id, null, null);
    }

    /** An error after the stream began. */
    public static JsonMessage failure(String message) {
        return new JsonMessage(null, null, null, null, new ErrorDetail(message), message);
    }
}
