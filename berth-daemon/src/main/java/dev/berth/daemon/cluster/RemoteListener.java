package dev.berth.daemon.cluster;

import dev.berth.core.model.Network;
import dev.berth.core.model.RemoteEndpoint;

/** Who follows the other hosts' endpoints (the overlay driver's data path, the embedded DNS); called in the store's order. */
public interface RemoteListener {
    void added(Network network, RemoteEndpoint endpoint);

    void removed(Network network, RemoteEndpoint endpoint);

    /** After a full listing: these are all the other hosts' endpoints on the network (converge to them). */
    default void synced(Network network, java.util.List<RemoteEndpoint> endpoints) {
    }
}
