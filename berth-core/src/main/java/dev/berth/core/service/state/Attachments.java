package dev.berth.core.service.state;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandboxes and endpoints in memory, indexed by id, name, sandbox and network. Every change
 * touches only the entries of the sandbox or endpoint it concerns, so a change costs the same at
 * 1000 sandboxes as at one. Changes are made inside {@link ServiceState#write} (and under this
 * object's monitor); readers never wait: the indexes are concurrent maps whose values are immutable (a
 * sandbox's endpoint list is replaced, not changed). A reader that looks at two indexes during a
 * change may see the state before it in one and after it in the other, never a torn entry.
 */
public final class Attachments {
    private final Map<SandboxId, Sandbox> sandboxes = new ConcurrentHashMap<>();
    private final Map<String, Sandbox> byName = new ConcurrentHashMap<>();
    private final Map<EndpointId, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<SandboxId, List<Endpoint>> bySandbox = new ConcurrentHashMap<>();
    private final Map<NetworkId, Map<EndpointId, Endpoint>> byNetwork = new ConcurrentHashMap<>();

    public synchronized void load(Collection<Sandbox> storedSandboxes, Collection<Endpoint> storedEndpoints) {
        sandboxes.clear();
        byName.clear();
        endpoints.clear();
        bySandbox.clear();
        byNetwork.clear();
        storedSandboxes.forEach(this::putSandbox);
        storedEndpoints.stream().filter(e -> sandboxes.containsKey(e.sandboxId())).forEach(this::putEndpoint);
    }

    /** Every sandbox, oldest first (by creation, then name). */
    public List<Sandbox> sandboxes() {
        return sandboxes.values().stream().sorted(Comparator.comparing(Sandbox::created)
                .thenComparing(Sandbox::name)).toList();
    }

    /** Every sandbox, in no particular order: for a pass that does not care about order. */
    public Collection<Sandbox> unordered() {
        return List.copyOf(sandboxes.values());
    }

    public Optional<Sandbox> sandbox(SandboxId id) {
        return Optional.ofNullable(sandboxes.get(id));
    }

    public Optional<Sandbox> sandboxNamed(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints.values());
    }

    /** The endpoints on a network, in no particular order. */
    public List<Endpoint> endpointsOf(NetworkId network) {
        Map<EndpointId, Endpoint> on = byNetwork.get(network);
        return on == null ? List.of() : List.copyOf(on.values());
    }

    public boolean hasEndpoints(NetworkId network) {
        Map<EndpointId, Endpoint> on = byNetwork.get(network);
        return on != null && !on.isEmpty();
    }

    /** A sandbox's endpoints in the order they joined. */
    public List<Endpoint> endpointsOf(SandboxId sandbox) {
        return bySandbox.getOrDefault(sandbox, List.of());
    }

    public Optional<Endpoint> endpoint(NetworkId network, SandboxId sandbox) {
        return endpointsOf(sandbox).stream().filter(e -> e.networkId().equals(network)).findFirst();
    }

    public synchronized void putSandbox(Sandbox sandbox) {
        Sandbox before = sandboxes.put(sandbox.id(), sandbox);
        if (before != null && !before.name().equals(sandbox.name())) {
            byName.remove(before.name(), before);
        }
        byName.put(sandbox.name(), sandbox);
    }

    /** Removes the sandbox and its endpoints. */
    public synchronized void removeSandbox(SandboxId id) {
        endpointsOf(id).forEach(e -> removeEndpoint(e.id()));
        bySandbox.remove(id);
        Sandbox gone = sandboxes.remove(id);
        if (gone != null) {
            byName.remove(gone.name(), gone);
        }
    }

    /** Adds an endpoint, or replaces the one with its id in place (same network and sandbox: re-addressed). */
    public synchronized void putEndpoint(Endpoint endpoint) {
        Endpoint before = endpoints.put(endpoint.id(), endpoint);
        List<Endpoint> mine = new ArrayList<>(endpointsOf(endpoint.sandboxId()));
        int at = mine.indexOf(before);
        if (before != null && at >= 0 && before.networkId().equals(endpoint.networkId())) {
            mine.set(at, endpoint);
        } else {
            if (before != null) {
                unindex(before);
                mine = new ArrayList<>(endpointsOf(endpoint.sandboxId()));
            }
            mine.add(endpoint);
        }
        byNetwork.computeIfAbsent(endpoint.networkId(), n -> new ConcurrentHashMap<>()).put(endpoint.id(), endpoint);
        bySandbox.put(endpoint.sandboxId(), List.copyOf(mine));
    }

    public synchronized void removeEndpoint(EndpointId id) {
        Endpoint gone = endpoints.remove(id);
        if (gone != null) {
            unindex(gone);
        }
    }

    private void unindex(Endpoint endpoint) {
        Map<EndpointId, Endpoint> on = byNetwork.get(endpoint.networkId());
        if (on != null) {
            on.remove(endpoint.id());
            if (on.isEmpty()) {
                byNetwork.remove(endpoint.networkId(), on);
            }
        }
        List<Endpoint> mine = endpointsOf(endpoint.sandboxId()).stream()
                .filter(e -> !e.id().equals(endpoint.id())).toList();
        if (mine.isEmpty()) {
            bySandbox.remove(endpoint.sandboxId());
        } else {
            bySandbox.put(endpoint.sandboxId(), mine);
        }
    }
}
