package dev.berth.daemon.dns;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who can resolve what: for every user-defined network, its DNS names (sandbox name, aliases,
 * short id, hostname; lower-case) with their addresses, and the reverse map of its addresses to
 * {@code <sandbox name>.<network name>.}; for every sandbox, the user-defined networks it is on.
 * Immutable: the owner builds a new table on every change and swaps it in atomically.
 * Predefined networks ({@code bridge}, {@code host}, {@code none}) get no names, as in Docker.
 */
public final class NameTable {
    /** An empty table: nothing resolves, nobody is served. */
    public static final NameTable EMPTY = new NameTable(Map.of(), Map.of(), Map.of());

    /** One endpoint with its network and sandbox: the input of {@link #build}. */
    public record Entry(Network network, Sandbox sandbox, Endpoint endpoint) {
    }

    /** The addresses of one name on one network, each family deduplicated in join order. */
    public record Addresses(List<InetAddress> ipv4, List<InetAddress> ipv6) {
        public Addresses {
            ipv4 = List.copyOf(ipv4);
            ipv6 = List.copyOf(ipv6);
        }
    }

    private record Scope(String networkName, boolean internal, Map<String, Addresses> names,
                         Map<InetAddress, String> reverse) {
    }

    private final Map<NetworkId, Scope> networks;
    private final Map<String, NetworkId> byName;
    private final Map<SandboxId, List<NetworkId>> sandboxes;

    private NameTable(Map<NetworkId, Scope> networks, Map<String, NetworkId> byName,
                      Map<SandboxId, List<NetworkId>> sandboxes) {
        this.networks = networks;
        this.byName = byName;
        this.sandboxes = sandboxes;
    }

    /** Builds the table from every endpoint; entries on predefined networks are skipped. */
    public static NameTable build(Collection<Entry> entries) {
        Map<NetworkId, Network> nets = new LinkedHashMap<>();
        Map<NetworkId, Map<String, Set<InetAddress>>> names = new HashMap<>();
        Map<NetworkId, Map<InetAddress, String>> reverse = new HashMap<>();
        Map<SandboxId, List<NetworkId>> sandboxes = new HashMap<>();
        for (Entry e : entries) {
            if (e.network().isPredefined()) {
                continue;
            }
            NetworkId id = e.network().id();
            nets.putIfAbsent(id, e.network());
            sandboxes.computeIfAbsent(e.sandbox().id(), s -> new ArrayList<>()).add(id);
            List<InetAddress> addresses = addressesOf(e.endpoint());
            Map<String, Set<InetAddress>> scope = names.computeIfAbsent(id, n -> new HashMap<>());
            for (String name : dnsNames(e.sandbox(), e.endpoint())) {
                scope.computeIfAbsent(name, n -> new LinkedHashSet<>()).addAll(addresses);
            }
            String ptr = e.sandbox().name() + "." + e.network().name() + ".";
            addresses.forEach(a -> reverse.computeIfAbsent(id, n -> new HashMap<>()).putIfAbsent(a, ptr));
        }
        Map<NetworkId, Scope> scopes = new HashMap<>();
        Map<String, NetworkId> byName = new HashMap<>();
        nets.forEach((id, network) -> {
            scopes.put(id, new Scope(network.name(), network.flags() != null && network.flags().internal(),
                    freeze(names.getOrDefault(id, Map.of())), Map.copyOf(reverse.getOrDefault(id, Map.of()))));
            byName.put(network.name().toLowerCase(Locale.ROOT), id);
        });
        Map<SandboxId, List<NetworkId>> frozen = new HashMap<>();
        sandboxes.forEach((s, list) -> frozen.put(s, List.copyOf(list)));
        return new NameTable(Map.copyOf(scopes), Map.copyOf(byName), Map.copyOf(frozen));
    }

    /** Docker's DNS names of an endpoint, in order, lower-case, duplicates removed. */
    static List<String> dnsNames(Sandbox sandbox, Endpoint endpoint) {
        Set<String> out = new LinkedHashSet<>();
        out.add(sandbox.name());
        out.addAll(endpoint.aliases());
        out.add(sandbox.id().shortId());
        out.add(sandbox.hostname());
        return out.stream().filter(n -> !n.isEmpty()).map(n -> n.toLowerCase(Locale.ROOT)).distinct().toList();
    }

    private static List<InetAddress> addressesOf(Endpoint endpoint) {
        List<InetAddress> out = new ArrayList<>(2);
        for (IpPrefix p : new IpPrefix[] {endpoint.ipv4(), endpoint.ipv6()}) {
            if (p != null) {
                out.add(p.address());
            }
        }
        return out;
    }

    private static Map<String, Addresses> freeze(Map<String, Set<InetAddress>> names) {
        Map<String, Addresses> out = new HashMap<>();
        names.forEach((name, set) -> {
            List<InetAddress> v4 = set.stream().filter(a -> a.getAddress().length == 4).toList();
            List<InetAddress> v6 = set.stream().filter(a -> a.getAddress().length == 16).toList();
            out.put(name, new Addresses(v4, v6));
        });
        return Map.copyOf(out);
    }

    /** Whether the sandbox is on a user-defined network, and so gets an embedded DNS server. */
    public boolean serves(SandboxId sandbox) {
        return sandboxes.containsKey(sandbox);
    }

    /** The sandboxes that get an embedded DNS server. */
    public Set<SandboxId> servedSandboxes() {
        return sandboxes.keySet();
    }

    /** Whether queries of this sandbox may go upstream: it is on a network that is not internal. */
    public boolean mayForward(SandboxId sandbox) {
        return sandboxes.getOrDefault(sandbox, List.of()).stream().anyMatch(n -> !networks.get(n).internal());
    }

    /**
     * The addresses of {@code name} (lower-case, no trailing dot) as the sandbox sees them: first
     * the name on each of its networks, then {@code a.b} on network {@code c}, then {@code a} on
     * network {@code b.c}, and so on. Empty when the name is not known there.
     */
    public Optional<Addresses> lookup(SandboxId sandbox, String name) {
        List<NetworkId> mine = sandboxes.getOrDefault(sandbox, List.of());
        for (NetworkId n : mine) {
            Addresses found = networks.get(n).names().get(name);
            if (found != null) {
                return Optional.of(found);
            }
        }
        for (int dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
            NetworkId n = byName.get(name.substring(dot + 1));
            if (n != null && mine.contains(n)) {
                Addresses found = networks.get(n).names().get(name.substring(0, dot));
                if (found != null) {
                    return Optional.of(found);
                }
            }
        }
        return Optional.empty();
    }

    /** The PTR target ({@code name.network.}) of an address on one of the sandbox's networks. */
    public Optional<String> reverse(SandboxId sandbox, InetAddress address) {
        for (NetworkId n : sandboxes.getOrDefault(sandbox, List.of())) {
            String ptr = networks.get(n).reverse().get(address);
            if (ptr != null) {
                return Optional.of(ptr);
            }
        }
        return Optional.empty();
    }
}
