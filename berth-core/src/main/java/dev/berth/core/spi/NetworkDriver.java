package dev.berth.core.spi;

import dev.berth.core.model.Network;

/** Turns a network's desired state into kernel objects. Both verbs are idempotent. */
public interface NetworkDriver {

    /** The driver name users give ({@code bridge}, {@code host}, {@code null}). */
    String name();

    /**
     * Creates what is missing and repairs what differs (device, addresses, MTU, link state);
     * a second call with the same network changes nothing.
     */
    void ensure(Network network);

    /** Removes the network's kernel objects; succeeds when they are already gone. */
    void delete(Network network);
}
