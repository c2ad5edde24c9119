package dev.berth.core.service;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxCommand;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A test double of the store: maps, one "transaction" per synchronized call. Shared with the
 * daemon module's tests through berth-core's test jar.
 */
public final class InMemoryStore implements StateStore {
    public final Map<NetworkId, Network> networks = new LinkedHashMap<>();
    public final Map<NetworkId, Network> retired = new LinkedHashMap<>();
    public final Map<String, String> settings = new LinkedHashMap<>();
    public final Map<SandboxId, Sandbox> sandboxes = new LinkedHashMap<>();
    public final Map<SandboxId, SandboxCommand> commands = new LinkedHashMap<>();

    @Override
    public synchronized List<SandboxCommand> commands() {
        return new ArrayList<>(commands.values());
    }

    @Override
    public synchronized void putCommand(SandboxCommand command) {
        commands.put(command.sandbox(), command);
    }

    @Override
    public synchronized void putSandbox(Sandbox sandbox, SandboxCommand command) {
        putSandbox(sandbox);
        putCommand(command);
    }
    public final Map<EndpointId, Endpoint> endpoints = new LinkedHashMap<>();

    @Override
    public synchronized List<Network> networks() {
        return new ArrayList<>(networks.values());
    }

    @Override
    public synchronized void putNetwork(Network network) {
        networks.put(network.id(), network);
    }

    @Override
    public synchronized void putNetwork(Network network, java.util.Collection<Endpoint> moved) {
        networks.put(network.id(), network);
        moved.forEach(e -> endpoints.put(e.id(), e));
    }

    @Override
    public synchronized void deleteNetwork(NetworkId id) {
        networks.remove(id);
    }

    @Override
    public synchronized void retireNetwork(Network network) {
        networks.remove(network.id());
        retired.put(network.id(), network);
    }

    @Override
    public synchronized List<Network> retired() {
        return new ArrayList<>(retired.values());
    }

    @Override
    public synchronized void forgetRetired(NetworkId id) {
        retired.remove(id);
    }

    @Override
    public synchronized List<Sandbox> sandboxes() {
        return new ArrayList<>(sandboxes.values());
    }

    @Override
    public synchronized void putSandbox(Sandbox sandbox) {
        sandboxes.put(sandbox.id(), sandbox);
    }

    @Override
    public synchronized void deleteSandbox(SandboxId id) {
        sandboxes.remove(id);
        endpoints.values().removeIf(e -> e.sandboxId().equals(id));
        commands.remove(id);
    }

    @Override
    public synchronized List<Endpoint> endpoints() {
        return new ArrayList<>(endpoints.values());
    }

    @Override
    public synchronized void putEndpoint(Endpoint endpoint) {
        endpoints.put(endpoint.id(), endpoint);
    }

    @Override
    public synchronized void deleteEndpoint(EndpointId id) {
        endpoints.remove(id);
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
