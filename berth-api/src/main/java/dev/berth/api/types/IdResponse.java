package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code {"Id": ...}}: the answer of {@code POST /containers/{id}/exec} (201). */
public record IdResponse(@JsonProperty("Id") String id) {
}
