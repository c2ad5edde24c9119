package dev.berth.daemon.dns;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxId;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who can resolve what: for every user-defined network, its DNS names (sandbox name, aliases,
 * short id, hostname; lower-case) with their addresses, each member's {@code --link} aliases (which
 * resolve for that member alone), and the reverse map of its addresses to
 * {@code <sandbox name>.<network name>.}; for every sandbox, the user-defined networks it is on.
 * Predefined networks ({@code bridge}, {@code host}, {@code none}) get no names, as in Docker.
 *
 * <p>Changed one endpoint at a time ({@link #put}, {@link #remove}), so a change costs the same
 * at 1000 sandboxes as at one. Queries read it without locking from the DNS thread: the maps they
 * read are concurrent and their values immutable (a name's addresses are replaced, not changed),
 * so a query sees every name either before or after a change. Writers hold the table's monitor.
 */
public final class NameTable {
    /** One endpoint with its network and sandbox. */
    public record Entry(Network network, Sandbox sandbox, Endpoint endpoint) {
    }

    /** The addresses of one name on one network, each family deduplicated in join order. */
    public record Addresses(List<InetAddress> ipv4, List<InetAddress> ipv6) {
        public Addresses {
            ipv4 = List.copyOf(ipv4);
            ipv6 = List.copyOf(ipv6);
        }
    }

    /** One user-defined network: what queries read, and the writers' bookkeeping behind it. */
    private static final class Scope {
        final NetworkId id;
        final String networkName;
        final boolean internal;
        final Map<String, Addresses> names = new ConcurrentHashMap<>();
        final Map<InetAddress, String> reverse = new ConcurrentHashMap<>();
        /** Each member's {@code --link} aliases (lower-case alias to lower-case container name), for it alone. */
        final Map<SandboxId, Map<String, String>> links = new ConcurrentHashMap<>();
        /** Writers only: each member's entry, and each name's holders with their addresses in join order. */
        final Map<SandboxId, Entry> members = new HashMap<>();
        final Map<String, LinkedHashMap<SandboxId, List<InetAddress>>> holders = new HashMap<>();
        final Map<InetAddress, LinkedHashMap<SandboxId, String>> pointers = new HashMap<>();

        Scope(Network network) {
            this.id = network.id();
            this.networkName = network.name();
            this.internal = network.flags() != null && network.flags().internal();
        }
    }

    /**
     * What a query of one served sandbox needs, got with one map lookup ({@link #served}): the
     * scopes of its user-defined networks sorted by name (a scope lives as long as it has members,
     * and the sandbox is one), and whether one of them is not internal. Immutable: a change to the
     * sandbox's networks replaces it.
     */
    static final class Served {
        private final List<Scope> scopes;
        private final boolean external;

        private Served(List<Scope> scopes) {
            this.scopes = scopes;
            this.external = scopes.stream().anyMatch(s -> !s.internal);
        }
    }

    private final Map<NetworkId, Scope> networks = new ConcurrentHashMap<>();
    private final Map<String, NetworkId> byName = new ConcurrentHashMap<>();
    /** Each served sandbox's user-defined networks, sorted by network name; replaced, never changed. */
    private final Map<SandboxId, Served> sandboxes = new ConcurrentHashMap<>();
    /** Sandboxes on the default bridge, with its id: external access for forwarding, as in Docker. */
    private final Map<SandboxId, NetworkId> bridged = new ConcurrentHashMap<>();
    /**
     * Raised after every change, once the change can be seen ({@link #version}): what a reader
     * found at one version holds until the next.
     */
    private volatile int version;

    /** An empty table: nothing resolves, nobody is served. */
    public NameTable() {
        // filled by put
    }

    /** A table holding these endpoints; entries on predefined networks are skipped. */
    public static NameTable build(Collection<Entry> entries) {
        NameTable table = new NameTable();
        entries.forEach(table::put);
        return table;
    }

    /** Makes the table hold exactly these endpoints (start-up). */
    public synchronized void replaceAll(Collection<Entry> entries) {
        List.copyOf(sandboxes.keySet()).forEach(this::removeSandbox);
        bridged.clear();
        entries.forEach(this::put);
        version++;
    }

    /**
     * Adds the endpoint of a sandbox on a network, replacing the one it had there. Does nothing
     * for a predefined network.
     */
    public synchronized void put(Entry e) {
        if (e.network().isPredefined()) {
            if (e.network().driver().equals(PredefinedNetworks.DRIVER_BRIDGE)) {
                bridged.put(e.sandbox().id(), e.network().id());
                version++;
            }
            return;
        }
        NetworkId id = e.network().id();
        SandboxId sandbox = e.sandbox().id();
        remove(id, sandbox);
        Scope scope = networks.computeIfAbsent(id, n -> new Scope(e.network()));
        byName.put(scope.networkName.toLowerCase(Locale.ROOT), id);
        scope.members.put(sandbox, e);
        Map<String, String> links = links(e.endpoint());
        if (!links.isEmpty()) {
            scope.links.put(sandbox, links);
        }
        List<InetAddress> addresses = addressesOf(e.endpoint());
        for (String name : dnsNames(e.sandbox(), e.endpoint())) {
            scope.holders.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(sandbox, addresses);
            refresh(scope, name);
        }
        String ptr = ptr(e);
        for (InetAddress a : addresses) {
            scope.pointers.computeIfAbsent(a, x -> new LinkedHashMap<>()).put(sandbox, ptr);
            scope.reverse.putIfAbsent(a, ptr);
        }
        List<NetworkId> mine = new ArrayList<>(networksOf(sandbox));
        mine.add(id);
        mine.sort(Comparator.comparing(n -> networks.get(n).networkName));
        sandboxes.put(sandbox, view(mine));
        version++;
    }

    /** The view of a sandbox on these networks (sorted, each with a scope). */
    private Served view(List<NetworkId> mine) {
        return new Served(mine.stream().map(networks::get).toList());
    }

    private List<NetworkId> networksOf(SandboxId sandbox) {
        Served s = sandboxes.get(sandbox);
        return s == null ? List.of() : s.scopes.stream().map(scope -> scope.id).toList();
    }

    /** Takes a sandbox's endpoint off a network; nothing when it is not there. */
    public synchronized void remove(NetworkId network, SandboxId sandbox) {
        if (bridged.remove(sandbox, network)) {
            version++;
        }
        Scope scope = networks.get(network);
        Entry e = scope == null ? null : scope.members.remove(sandbox);
        if (e == null) {
            return;
        }
        scope.links.remove(sandbox);
        for (String name : dnsNames(e.sandbox(), e.endpoint())) {
            Map<SandboxId, List<InetAddress>> held = scope.holders.get(name);
            if (held != null) {
                held.remove(sandbox);
                if (held.isEmpty()) {
                    scope.holders.remove(name);
                }
            }
            refresh(scope, name);
        }
        for (InetAddress a : addressesOf(e.endpoint())) {
            LinkedHashMap<SandboxId, String> held = scope.pointers.get(a);
            if (held != null) {
                held.remove(sandbox);
            }
            if (held == null || held.isEmpty()) {
                scope.pointers.remove(a);
                scope.reverse.remove(a);
            } else {
                scope.reverse.put(a, held.firstEntry().getValue());   // the next holder in join order
            }
        }
        List<NetworkId> mine = networksOf(sandbox).stream().filter(n -> !n.equals(network)).toList();
        if (mine.isEmpty()) {
            sandboxes.remove(sandbox);
        } else {
            sandboxes.put(sandbox, view(mine));
        }
        if (scope.members.isEmpty()) {
            networks.remove(network);
            byName.remove(scope.networkName.toLowerCase(Locale.ROOT), network);
        }
        version++;
    }

    /** Takes a sandbox off every network. */
    public synchronized void removeSandbox(SandboxId sandbox) {
        if (bridged.remove(sandbox) != null) {
            version++;
        }
        networksOf(sandbox).forEach(n -> remove(n, sandbox));
    }

    /**
     * A number that changes after every change to the table: read before a {@link #lookup} and
     * read again later, the same number says that lookup's answer (and {@link #mayForward}'s)
     * still holds.
     */
    int version() {
        return version;
    }

    /** Recomputes what one name resolves to from its holders. */
    private static void refresh(Scope scope, String name) {
        Map<SandboxId, List<InetAddress>> held = scope.holders.get(name);
        if (held == null) {
            scope.names.remove(name);
            return;
        }
        Set<InetAddress> all = new LinkedHashSet<>();
        held.values().forEach(all::addAll);
        List<InetAddress> v4 = all.stream().filter(a -> a.getAddress().length == 4).toList();
        List<InetAddress> v6 = all.stream().filter(a -> a.getAddress().length == 16).toList();
        scope.names.put(name, new Addresses(v4, v6));
    }

    private static String ptr(Entry e) {
        return e.sandbox().name() + "." + e.network().name() + ".";
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

    /** {@code container:alias} links as alias to container, lower-case; the first link of an alias wins. */
    static Map<String, String> links(Endpoint endpoint) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String link : endpoint.requested().links()) {
            int colon = link.indexOf(':');
            if (colon > 0) {
                out.putIfAbsent(link.substring(colon + 1).toLowerCase(Locale.ROOT),
                        link.substring(0, colon).toLowerCase(Locale.ROOT));
            }
        }
        return Map.copyOf(out);
    }

    private static List<InetAddress> addressesOf(Endpoint endpoint) {
        return endpoint.addresses().stream().map(IpPrefix::address).toList();
    }

    /** Whether the sandbox is on a user-defined network, and so gets an embedded DNS server. */
    public boolean serves(SandboxId sandbox) {
        return sandboxes.containsKey(sandbox);
    }

    /** The sandboxes that get an embedded DNS server (a copy). */
    public Set<SandboxId> servedSandboxes() {
        return Set.copyOf(sandboxes.keySet());
    }

    /**
     * Whether queries of this sandbox may go upstream: it is on a network that is not internal,
     * the default bridge included (Docker's {@code hasExternalAccess}).
     */
    public boolean mayForward(SandboxId sandbox) {
        return mayForward(sandboxes.get(sandbox), sandbox);
    }

    /** {@link #mayForward(SandboxId)} with the sandbox's {@link #served} view (null when not served). */
    boolean mayForward(Served served, SandboxId sandbox) {
        return served != null && served.external || bridged.containsKey(sandbox);
    }

    /** The view a query of the sandbox reads ({@link #lookup(Served, SandboxId, String)}); null when not served. */
    Served served(SandboxId sandbox) {
        return sandboxes.get(sandbox);
    }

    /**
     * The addresses of {@code name} (lower-case, no trailing dot) as the sandbox sees them: first
     * the name on each of its networks, then {@code a.b} on network {@code c}, then {@code a} on
     * network {@code b.c}, and so on. Empty when the name is not known there.
     */
    public Optional<Addresses> lookup(SandboxId sandbox, String name) {
        return Optional.ofNullable(lookup(sandboxes.get(sandbox), sandbox, name));
    }

    /**
     * {@link #lookup(SandboxId, String)} with the sandbox's {@link #served} view (null when not
     * served): the addresses, or null when the name is not known there.
     */
    Addresses lookup(Served served, SandboxId sandbox, String name) {
        if (served == null) {
            return null;
        }
        for (Scope scope : served.scopes) {
            Addresses found = onNetwork(scope, sandbox, name);
            if (found != null) {
                return found;
            }
        }
        for (int dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
            NetworkId n = byName.get(name.substring(dot + 1));
            Scope scope = n == null ? null : networks.get(n);
            if (scope != null && served.scopes.contains(scope)) {
                Addresses found = onNetwork(scope, sandbox, name.substring(0, dot));
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** A name on one network as the sandbox sees it: its own {@code --link} aliases first, as in Docker. */
    private static Addresses onNetwork(Scope scope, SandboxId sandbox, String name) {
        String linked = scope.links.getOrDefault(sandbox, Map.of()).get(name);
        Addresses found = linked == null ? null : scope.names.get(linked);
        return found != null ? found : scope.names.get(name);
    }

    /** The PTR target ({@code name.network.}) of an address on one of the sandbox's networks. */
    public Optional<String> reverse(SandboxId sandbox, InetAddress address) {
        Served served = sandboxes.get(sandbox);
        for (Scope scope : served == null ? List.<Scope>of() : served.scopes) {
            String ptr = scope.reverse.get(address);
            if (ptr != null) {
                return Optional.of(ptr);
            }
        }
        return Optional.empty();
    }
}
