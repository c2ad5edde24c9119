package dev.berth.core.service;

import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.spi.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A test double of the store: a map, one "transaction" per call. */
final class InMemoryStore implements StateStore {
    final Map<NetworkId, Network> networks = new LinkedHashMap<>();
    final Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public List<Network> networks() {
        return new ArrayList<>(networks.values());
    }

    @Override
    public void putNetwork(Network network) {
        networks.put(network.id(), network);
    }

    @Override
    public void deleteNetwork(NetworkId id) {
        networks.remove(id);
    }

    @Override
    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    @Override
    public void putSetting(String key, String value) {
        settings.put(key, value);
    }

    @Override
    public void close() {
    }
}
