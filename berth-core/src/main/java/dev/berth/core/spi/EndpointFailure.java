package dev.berth.core.spi;

import java.util.Objects;

/** An endpoint a driver could not restore, with why: the rest were restored all the same. */
public record EndpointFailure(EndpointJoin join, RuntimeException cause) {
    public EndpointFailure {
        Objects.requireNonNull(join, "join");
        Objects.requireNonNull(cause, "cause");
    }
}
