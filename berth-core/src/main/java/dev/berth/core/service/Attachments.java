package dev.berth.core.service;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sandboxes and endpoints in memory: an immutable snapshot, indexed by sandbox, network and
 * name, swapped on every change, so readers never wait and every lookup costs the same at 1000
 * sandboxes as at one; changes are made under the network write lock.
 */
final class Attachments {
    private volatile Snapshot now = Snapshot.of(Map.of(), Map.of());

    /** One consistent state with its indexes, built once per change. */
    private record Snapshot(Map<SandboxId, Sandbox> sandboxes, Map<EndpointId, Endpoint> endpoints,
                            Map<SandboxId, List<Endpoint>> bySandbox, Map<NetworkId, List<Endpoint>> byNetwork,
                            Map<String, Sandbox> byName) {

        static Snapshot of(Map<SandboxId, Sandbox> sandboxes, Map<EndpointId, Endpoint> endpoints) {
            Map<SandboxId, List<Endpoint>> bySandbox = new HashMap<>();
            Map<NetworkId, List<Endpoint>> byNetwork = new HashMap<>();
            for (Endpoint e : endpoints.values()) {
                bySandbox.computeIfAbsent(e.sandboxId(), k -> new ArrayList<>()).add(e);
                byNetwork.computeIfAbsent(e.networkId(), k -> new ArrayList<>()).add(e);
            }
            Map<String, Sandbox> byName = new HashMap<>();
            sandboxes.values().forEach(s -> byName.put(s.name(), s));
            bySandbox.replaceAll((k, v) -> List.copyOf(v));
            byNetwork.replaceAll((k, v) -> List.copyOf(v));
            return new Snapshot(Map.copyOf(sandboxes), Map.copyOf(endpoints), Map.copyOf(bySandbox),
                    Map.copyOf(byNetwork), Map.copyOf(byName));
        }
    }

    void load(Collection<Sandbox> storedSandboxes, Collection<Endpoint> storedEndpoints) {
        Map<SandboxId, Sandbox> s = new LinkedHashMap<>();
        storedSandboxes.forEach(x -> s.put(x.id(), x));
        Map<EndpointId, Endpoint> e = new LinkedHashMap<>();
        storedEndpoints.stream().filter(x -> s.containsKey(x.sandboxId())).forEach(x -> e.put(x.id(), x));
        now = Snapshot.of(s, e);
    }

    List<Sandbox> sandboxes() {
        return now.sandboxes().values().stream().sorted(Comparator.comparing(Sandbox::created)
                .thenComparing(Sandbox::name)).toList();
    }

    Optional<Sandbox> sandbox(SandboxId id) {
        return Optional.ofNullable(now.sandboxes().get(id));
    }

    Optional<Sandbox> sandboxNamed(String name) {
        return Optional.ofNullable(now.byName().get(name));
    }

    List<Endpoint> endpoints() {
        return List.copyOf(now.endpoints().values());
    }

    List<Endpoint> endpointsOf(NetworkId network) {
        return now.byNetwork().getOrDefault(network, List.of());
    }

    List<Endpoint> endpointsOf(SandboxId sandbox) {
        return now.bySandbox().getOrDefault(sandbox, List.of());
    }

    Optional<Endpoint> endpoint(NetworkId network, SandboxId sandbox) {
        return endpointsOf(sandbox).stream().filter(e -> e.networkId().equals(network)).findFirst();
    }

    void putSandbox(Sandbox sandbox) {
        Snapshot s = now;
        Map<SandboxId, Sandbox> next = new LinkedHashMap<>(s.sandboxes());
        next.put(sandbox.id(), sandbox);
        now = Snapshot.of(next, s.endpoints());
    }

    /** Removes the sandbox and its endpoints. */
    void removeSandbox(SandboxId id) {
        Snapshot s = now;
        Map<EndpointId, Endpoint> nextEndpoints = new LinkedHashMap<>(s.endpoints());
        nextEndpoints.values().removeIf(e -> e.sandboxId().equals(id));
        Map<SandboxId, Sandbox> next = new LinkedHashMap<>(s.sandboxes());
        next.remove(id);
        now = Snapshot.of(next, nextEndpoints);
    }

    void putEndpoint(Endpoint endpoint) {
        Snapshot s = now;
        Map<EndpointId, Endpoint> next = new LinkedHashMap<>(s.endpoints());
        next.put(endpoint.id(), endpoint);
        now = Snapshot.of(s.sandboxes(), next);
    }

    void removeEndpoint(EndpointId id) {
        Snapshot s = now;
        Map<EndpointId, Endpoint> next = new LinkedHashMap<>(s.endpoints());
        next.remove(id);
        now = Snapshot.of(s.sandboxes(), next);
    }
}
