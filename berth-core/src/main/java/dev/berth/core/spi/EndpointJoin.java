package dev.berth.core.spi;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.Network;
import dev.berth.core.model.Sandbox;
import java.util.Objects;

/** What a driver needs to plumb or unplumb one endpoint: the network, the sandbox and the endpoint. */
public record EndpointJoin(Network network, Sandbox sandbox, Endpoint endpoint) {
    public EndpointJoin {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(sandbox, "sandbox");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
