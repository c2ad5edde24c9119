package dev.berth.core.service.state;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.Network;
import dev.berth.core.model.Sandbox;

/** One endpoint with the network and the sandbox it joins, as inspect and list show it. */
public record Attachment(Network network, Sandbox sandbox, Endpoint endpoint) {
}
