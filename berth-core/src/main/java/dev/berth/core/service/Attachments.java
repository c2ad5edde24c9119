package dev.berth.core.service;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sandboxes and endpoints in memory: immutable snapshots swapped on every change, so readers
 * never wait; changes are made under the network write lock.
 */
final class Attachments {
    private volatile Map<SandboxId, Sandbox> sandboxes = Map.of();
    private volatile Map<EndpointId, Endpoint> endpoints = Map.of();

    void load(Collection<Sandbox> storedSandboxes, Collection<Endpoint> storedEndpoints) {
        Map<SandboxId, Sandbox> s = new LinkedHashMap<>();
        storedSandboxes.forEach(x -> s.put(x.id(), x));
        Map<EndpointId, Endpoint> e = new LinkedHashMap<>();
        storedEndpoints.stream().filter(x -> s.containsKey(x.sandboxId())).forEach(x -> e.put(x.id(), x));
        sandboxes = Map.copyOf(s);
        endpoints = Map.copyOf(e);
    }

    List<Sandbox> sandboxes() {
        return sandboxes.values().stream().sorted(Comparator.comparing(Sandbox::created)
                .thenComparing(Sandbox::name)).toList();
    }

    Optional<Sandbox> sandbox(SandboxId id) {
        return Optional.ofNullable(sandboxes.get(id));
    }

    Optional<Sandbox> sandboxNamed(String name) {
        return sandboxes.values().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    List<Endpoint> endpoints() {
        return List.copyOf(endpoints.values());
    }

    List<Endpoint> endpointsOf(NetworkId network) {
        return endpoints.values().stream().filter(e -> e.networkId().equals(network)).toList();
    }

    List<Endpoint> endpointsOf(SandboxId sandbox) {
        return endpoints.values().stream().filter(e -> e.sandboxId().equals(sandbox)).toList();
    }

    Optional<Endpoint> endpoint(NetworkId network, SandboxId sandbox) {
        return endpoints.values().stream()
                .filter(e -> e.networkId().equals(network) && e.sandboxId().equals(sandbox))
                .findFirst();
    }

    void putSandbox(Sandbox sandbox) {
        Map<SandboxId, Sandbox> next = new LinkedHashMap<>(sandboxes);
        next.put(sandbox.id(), sandbox);
        sandboxes = Map.copyOf(next);
    }

    /** Removes the sandbox and its endpoints. */
    void removeSandbox(SandboxId id) {
        Map<EndpointId, Endpoint> nextEndpoints = new LinkedHashMap<>(endpoints);
        nextEndpoints.values().removeIf(e -> e.sandboxId().equals(id));
        endpoints = Map.copyOf(nextEndpoints);
        Map<SandboxId, Sandbox> next = new LinkedHashMap<>(sandboxes);
        next.remove(id);
        sandboxes = Map.copyOf(next);
    }

    void putEndpoint(Endpoint endpoint) {
        Map<EndpointId, Endpoint> next = new LinkedHashMap<>(endpoints);
        next.put(endpoint.id(), endpoint);
        endpoints = Map.copyOf(next);
    }

    void removeEndpoint(EndpointId id) {
        Map<EndpointId, Endpoint> next = new LinkedHashMap<>(endpoints);
        next.remove(id);
        endpoints = Map.copyOf(next);
    }
}
