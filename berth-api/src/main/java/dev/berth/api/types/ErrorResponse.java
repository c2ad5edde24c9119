package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of every error: {@code {"message": "..."}} with a lower-case key. */
public record ErrorResponse(@JsonProperty("message") String message) {
}
