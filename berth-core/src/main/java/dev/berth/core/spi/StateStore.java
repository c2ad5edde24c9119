package dev.berth.core.spi;

import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import java.util.List;
import java.util.Optional;

/**
 * Durable desired state. Every method is one transaction: after a crash the store holds either
 * all of a change or none of it.
 */
public interface StateStore extends AutoCloseable {

    List<Network> networks();

    /** Inserts the network or replaces the stored one with the same id. */
    void putNetwork(Network network);

    /** Deletes the network; succeeds when it is already gone. */
    void deleteNetwork(NetworkId id);

    /** A daemon-wide setting such as the engine id. */
    Optional<String> setting(String key);

    void putSetting(String key, String value);

    @Override
    void close();
}
