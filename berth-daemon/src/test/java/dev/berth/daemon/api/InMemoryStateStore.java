package dev.berth.daemon.api;

import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.spi.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test fake: a store that lives in memory for one test. */
final class InMemoryStateStore implements StateStore {
    private final Map<NetworkId, Network> networks = new LinkedHashMap<>();
    private final Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public synchronized List<Network> networks() {
        return new ArrayList<>(networks.values());
    }

    @Override
    public synchronized void putNetwork(Network network) {
        networks.put(network.id(), network);
    }

    @Override
    public synchronized void deleteNetwork(NetworkId id) {
        networks.remove(id);
    }

    @Override
    public synchronized Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    @Override
    public synchronized void putSetting(String key, String value) {
        settings.put(key, value);
    }

    @Override
    public void close() {
    }
}
