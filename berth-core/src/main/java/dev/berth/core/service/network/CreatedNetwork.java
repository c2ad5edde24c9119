package dev.berth.core.service.network;

import dev.berth.core.model.Network;

/**
 * The result of a create: the stored network and the warning shown to API clients
 * ({@code ""} when there is none; several are separated by newlines).
 */
public record CreatedNetwork(Network network, String warning) {
}
