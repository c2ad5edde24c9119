package dev.berth.core.service;

import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.spi.NetworkDriver;
import dev.berth.core.spi.StateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Network use cases. Reads are served from an immutable snapshot swapped on every change, so they
 * never wait for a writer; changes are serialised by one lock.
 */
public final class NetworkService {
    private final StateStore store;
    private final Map<String, NetworkDriver> drivers;
    private final Clock clock;
    private final RandomGenerator random;
    private final Object writeLock = new Object();
    private volatile Map<NetworkId, Network> networks = Map.of();

    public NetworkService(StateStore store, List<NetworkDriver> drivers, Clock clock, RandomGenerator random) {
        this.store = store;
        this.drivers = new LinkedHashMap<>();
        drivers.forEach(d -> this.drivers.put(d.name(), d));
        this.clock = clock;
        this.random = random;
    }

    /**
     * Loads stored networks, then makes the predefined ones match the configuration, keeping their
     * ids, and ensures every network's kernel objects. Safe to run at every start-up.
     */
    public void start(DefaultBridgeSettings bridge) {
        synchronized (writeLock) {
            Map<NetworkId, Network> loaded = new LinkedHashMap<>();
            store.networks().forEach(n -> loaded.put(n.id(), n));
            networks = Map.copyOf(loaded);
            for (Network wanted : predefined(bridge)) {
                Network merged = byName(wanted.name())
                        .map(old -> withIdentity(wanted, old))
                        .orElse(wanted);
                store.putNetwork(merged);
                loaded.put(merged.id(), merged);
            }
            networks = Map.copyOf(loaded);
            for (Network network : loaded.values()) {
                driver(network.driver()).ensure(network);
            }
        }
    }

    /** All networks passing the filter, sorted by name. */
    public List<Network> list(NetworkFilter filter) {
        return networks.values().stream()
                .filter(n -> filter.matches(n, this::inUse))
                .sorted(Comparator.comparing(Network::name))
                .toList();
    }

    /**
     * Finds a network the way moby's inspect does: exact id, then exact name, then unique id
     * prefix.
     */
    public Network inspect(String term) {
        return resolve(term, (count, basis) ->
                count + " matches found based on " + basis + ": network " + term + " is ambiguous");
    }

    /** Same lookup as {@link #inspect}, with the wording moby's delete path uses. */
    public Network resolveForRemoval(String term) {
        return resolve(term, (count, basis) ->
                "network " + term + " is ambiguous (" + count + " matches found based on " + basis + ")");
    }

    private interface AmbiguityText {
        String of(int count, String basis);
    }

    private Network resolve(String term, AmbiguityText ambiguity) {
        Map<NetworkId, Network> snapshot = networks;
        if (term.matches("[0-9a-f]{64}")) {
            Network exact = snapshot.get(new NetworkId(term));
            if (exact != null) {
                return exact;
            }
        }
        List<Network> named = snapshot.values().stream().filter(n -> n.name().equals(term)).toList();
        if (named.size() == 1) {
            return named.getFirst();
        }
        if (named.size() > 1) {
            throw new InvalidParameterException(ambiguity.of(named.size(), "name"));
        }
        List<Network> prefixed = term.isEmpty() ? List.of()
                : snapshot.values().stream().filter(n -> n.id().value().startsWith(term)).toList();
        if (prefixed.size() == 1) {
            return prefixed.getFirst();
        }
        if (prefixed.size() > 1) {
            throw new InvalidParameterException(ambiguity.of(prefixed.size(), "ID prefix"));
        }
        throw new NotFoundException("network " + term + " not found");
    }

    /** Whether a network has endpoints; none exist before sandboxes land. */
    private boolean inUse(Network network) {
        return false;
    }

    private Optional<Network> byName(String name) {
        return networks.values().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    private NetworkDriver driver(String name) {
        NetworkDriver driver = drivers.get(name);
        if (driver == null) {
            throw new InternalException("no driver " + name + " is registered");
        }
        return driver;
    }

    private static Network withIdentity(Network wanted, Network old) {
        return new Network(old.id(), wanted.name(), wanted.driver(), old.created(), wanted.scope(),
                wanted.ipam(), wanted.flags(), wanted.options(), wanted.labels());
    }

    private List<Network> predefined(DefaultBridgeSettings s) {
        List<Network> out = new ArrayList<>();
        Network.Ipam noPools = new Network.Ipam(Network.Ipam.DEFAULT_DRIVER, null, List.of());
        out.add(fresh(PredefinedNetworks.NONE, PredefinedNetworks.DRIVER_NULL, noPools, Map.of()));
        out.add(fresh(PredefinedNetworks.HOST, PredefinedNetworks.DRIVER_HOST, noPools, Map.of()));
        Map<String, String> options = new TreeMap<>();
        options.put(PredefinedNetworks.OPT_DEFAULT_BRIDGE, "true");
        options.put(PredefinedNetworks.OPT_ENABLE_ICC, Boolean.toString(s.icc()));
        options.put(PredefinedNetworks.OPT_ENABLE_IP_MASQUERADE, Boolean.toString(s.ipMasquerade()));
        options.put(PredefinedNetworks.OPT_HOST_BINDING_IPV4, s.hostBindingIp());
        options.put(PredefinedNetworks.OPT_BRIDGE_NAME, PredefinedNetworks.DEFAULT_BRIDGE_DEVICE);
        options.put(PredefinedNetworks.OPT_MTU, Integer.toString(s.mtu()));
        IpamPool pool = IpamPool.of(s.bip().masked(), s.bip().address());
        out.add(fresh(PredefinedNetworks.BRIDGE, PredefinedNetworks.DRIVER_BRIDGE,
                new Network.Ipam(Network.Ipam.DEFAULT_DRIVER, null, List.of(pool)), options));
        return out;
    }

    private Network fresh(String name, String driver, Network.Ipam ipam, Map<String, String> options) {
        return new Network(NetworkId.random(random), name, driver, clock.instant(), Network.SCOPE_LOCAL, ipam,
                Network.Flags.ipv4Only(), new TreeMap<>(options), new TreeMap<>());
    }
}
