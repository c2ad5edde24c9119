package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code POST /networks/{id}/connect}: container name, id or id prefix, and its settings. */
public record NetworkConnectRequest(
        @JsonProperty("Container") String container,
        @JsonProperty("EndpointConfig") EndpointSettings endpointConfig) {
}
