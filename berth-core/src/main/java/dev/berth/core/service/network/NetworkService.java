package dev.berth.core.service.network;

import dev.berth.core.errors.BerthException;
import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.model.BridgeOptions;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.model.Sandbox;
import dev.berth.core.service.event.Change;
import dev.berth.core.service.event.EventLog;
import dev.berth.core.service.state.AddressBook;
import dev.berth.core.service.state.Attachments;
import dev.berth.core.service.state.ServiceState;
import dev.berth.core.spi.Firewall;
import dev.berth.core.spi.NetworkDriver;
import dev.berth.core.spi.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Network use cases. Reads are served from an immutable snapshot swapped on every change, so they
 * never wait for a writer; changes (start, create, remove, prune) are serialised by one lock, so
 * subnet choice always sees every other network.
 */
public final class NetworkService {
    private static final System.Logger LOG = System.getLogger(NetworkService.class.getName());

    private final ServiceState state;
    private final StateStore store;
    private final Firewall firewall;
    private final Clock clock;
    private final RandomGenerator random;
    /** Swapped by a reload ({@link #reconfigure}) under the write lock; creates read them under it too. */
    private volatile NetworkSettings settings;
    private volatile NetworkPlanner planner;
    private final OnePrune pruning = new OnePrune();
    private final AddressBook addresses;
    private final Attachments attachments;
    private final NdpProxies ndp;

    /** Over {@code state}, which the {@code SandboxService} shares. */
    public NetworkService(ServiceState state, NetworkSettings settings) {
        this.state = state;
        this.store = state.dependencies().store();
        this.firewall = state.dependencies().firewall();
        this.clock = state.dependencies().clock();
        this.random = state.dependencies().random();
        this.addresses = state.addresses();
        this.attachments = state.attachments();
        this.settings = settings;
        this.planner = new NetworkPlanner(settings);
        this.ndp = new NdpProxies(state, settings.ndpProxy());
    }

    /** The NDP proxy entries of routed IPv6 endpoints, which the sandbox service keeps with its endpoints. */
    public NdpProxies ndpProxies() {
        return ndp;
    }

    /**
     * Applies a new daemon.json {@code ndp-proxy} at once (a reload): entries it no longer allows are
     * removed, new ones added. Returns what could not be done, one line each (already logged).
     */
    public List<String> reconfigureNdpProxy(NdpProxySetting setting) {
        return state.write(() -> ndp.reconfigure(setting));
    }

    /** The log events go to ({@code GET /events} reads it). */
    public EventLog events() {
        return state.dependencies().events();
    }

    /** {@link #start(DefaultBridgeSettings)} with the bridge settings given at construction. */
    public void start() {
        start(settings.bridge());
    }

    /**
     * Loads stored networks, then makes the predefined ones match the configuration, keeping their
     * ids, and ensures every network's kernel objects. Safe to run at every start-up. A default
     * bridge setting that cannot be used (a {@code default-gateway-v6} outside the automatic IPv6
     * subnet) fails here, before anything is stored or touched.
     */
    public void start(DefaultBridgeSettings bridge) {
        state.update(() -> {
            Map<NetworkId, Network> loaded = new LinkedHashMap<>();
            store.networks().forEach(n -> loaded.put(n.id(), n));
            state.networks(loaded);
            attachments.load(store.sandboxes(), store.endpoints());
            for (Network wanted : predefined(bridge, settings.defaultOptions(PredefinedNetworks.DRIVER_BRIDGE))) {
                Optional<Network> stored = byName(wanted.name());
                Network merged = stored.map(old -> PredefinedPlan.keepIdentity(wanted, old)).orElse(wanted);
                if (merged.name().equals(PredefinedNetworks.BRIDGE)) {
                    refuseOverlaps(stored.orElse(null), merged, bridge);
                }
                List<Endpoint> moved = readdressedAtStart(merged, bridge);
                store.putNetwork(merged, moved);
                moved.forEach(attachments::putEndpoint);
                loaded.put(merged.id(), merged);
            }
            state.networks(loaded);
            finishRetirements(loaded);
            loaded.values().stream().filter(n -> !n.flags().configOnly()).forEach(addresses::addNetwork);
            attachments.endpoints().forEach(addresses::restore);
            ensureKernel();
        });
    }

    /**
     * The predefined networks as {@code bridge} wants them, with the gateway modes of
     * {@code default-network-opts}' bridge entry; fresh (ids are carried over by the caller).
     */
    private List<Network> predefined(DefaultBridgeSettings bridge, Map<String, String> bridgeDefaults) {
        List<Network> current = List.copyOf(state.networks().values());
        Supplier<IpPrefix> automaticIpv6 = () -> PredefinedPlan.automaticIpv6Subnet(settings.ipv6Pools(), current,
                state.dependencies().hostPrefixes().reserved());
        return PredefinedPlan.networks(bridge, automaticIpv6, clock.instant(), random).stream()
                .map(n -> PredefinedPlan.withDefaultGatewayModes(n, bridgeDefaults)).toList();
    }

    /**
     * At start, the default bridge's stored endpoints get IPv6 addresses of its IPv6 subnet as the
     * configuration has it now, as a reload would give them ({@link #reconfigure}): so a
     * crash between a reload and its kernel changes, or a daemon.json changed while the daemon was
     * down, converges to the same state. A range too small for them all does not stop the start
     * (a reload refuses it; here the sandboxes are already there): those it has no room for, the
     * last made, lose their IPv6 address, and one error line names them and the option; a reload
     * of a wider range, or a start with room, gives them addresses again.
     */
    private List<Endpoint> readdressedAtStart(Network network, DefaultBridgeSettings bridge) {
        if (!network.name().equals(PredefinedNetworks.BRIDGE)) {
            return List.of();
        }
        Readdressing.Plan plan = Readdressing.plan(network, attachments.endpointsOf(network.id()));
        if (!plan.unplaced().isEmpty()) {
            String names = plan.unplaced().stream()
                    .map(e -> attachments.sandbox(e.sandboxId()).map(s -> s.name() + " (" + s.id().shortId() + ")")
                            .orElse(e.sandboxId().shortId()))
                    .collect(Collectors.joining(", "));
            LOG.log(System.Logger.Level.ERROR, "default bridge: " + ipv6Option(bridge) + " " + plan.range()
                    + " has room for " + (plan.needing() - plan.unplaced().size()) + " of the " + plan.needing()
                    + " sandboxes that need a new IPv6 address; " + names + " run without IPv6 on bridge until a"
                    + " wider " + ipv6Option(bridge) + " is reloaded, or the next start with room (remove sandboxes)");
        }
        return plan.moved();
    }

    /** The daemon.json option the default bridge's IPv6 range comes from. */
    private static String ipv6Option(DefaultBridgeSettings bridge) {
        return bridge.ipv6().map(v6 -> v6.fixedCidr().isPresent() ? "fixed-cidr-v6"
                : v6.bip().isPresent() ? "bip6" : "the automatic IPv6 subnet").orElse("ipv6");
    }

    /**
     * Takes new settings while the daemon runs (a reload): {@code default-network-opts} for networks
     * created from now on, and the default bridge re-planned in place, keeping its id and creation
     * time: IPAM, IPv6 flag and options as {@code next} wants them, and its endpoints re-addressed
     * ({@link Readdressing}: IPv6 gained, moved into a new range, or lost). Everything is checked
     * first (a new subnet overlapping another network's, a range too small for the endpoints, a
     * default gateway outside the automatic subnet) and refused with nothing changed; then the
     * network and the re-addressed endpoints are stored in one transaction, then memory (snapshot,
     * attachments, address book, settings). The kernel is the caller's: it runs inside the same
     * write lock ({@code SandboxService.reconfigure}). The engine id and the address pools need a
     * restart and must be the running ones.
     */
    public DefaultBridgeChange reconfigure(NetworkSettings next) {
        state.requireWriting();
        if (!next.engineId().equals(settings.engineId()) || !next.pools().equals(settings.pools())) {
            throw new IllegalArgumentException("the engine id and the address pools change only at a restart");
        }
        Network before = byName(PredefinedNetworks.BRIDGE)
                .orElseThrow(() -> new NotFoundException("network " + PredefinedNetworks.BRIDGE + " not found"));
        Network wanted = predefined(next.bridge(), next.defaultOptions(PredefinedNetworks.DRIVER_BRIDGE)).stream()
                .filter(n -> n.name().equals(before.name())).findFirst().orElseThrow();
        Network after = PredefinedPlan.keepIdentity(wanted, before);
        if (after.equals(before)) {
            settings(next);
            return new DefaultBridgeChange(before, before, List.of());
        }
        refuseOverlaps(before, after, next.bridge());
        int mtu = BridgeOptions.of(after).effectiveMtu();
        if (after.flags().enableIpv6() && !before.flags().enableIpv6() && mtu < BridgeOptions.MIN_IPV6_MTU) {
            throw new InvalidParameterException("IPv6 needs an MTU of at least " + BridgeOptions.MIN_IPV6_MTU
                    + "; the default bridge runs with mtu " + mtu + " (mtu changes at a restart)");
        }
        List<Endpoint> endpoints = attachments.endpointsOf(before.id());
        List<Endpoint> moved = Readdressing.of(after, endpoints);
        store.putNetwork(after, moved);
        settings(next);
        Map<NetworkId, Network> networks = new LinkedHashMap<>(state.networks());
        networks.put(after.id(), after);
        state.networks(networks);
        Map<EndpointId, Endpoint> old = new LinkedHashMap<>();
        endpoints.forEach(e -> old.put(e.id(), e));
        moved.forEach(attachments::putEndpoint);
        addresses.removeNetwork(after.id());
        addresses.addNetwork(after);
        attachments.endpointsOf(after.id()).forEach(addresses::restore);
        return new DefaultBridgeChange(before, after,
                moved.stream().map(e -> new DefaultBridgeChange.Readdressed(old.get(e.id()), e)).toList());
    }

    private void settings(NetworkSettings next) {
        settings = next;
        planner = new NetworkPlanner(next);
    }

    /**
     * A subnet the default bridge did not have ({@code before}: as stored, null when none is) must
     * not overlap another network's: refused at a reload and at start alike, naming the option.
     */
    private void refuseOverlaps(Network before, Network after, DefaultBridgeSettings bridge) {
        List<IpPrefix> had = before == null ? List.of()
                : before.ipam().pools().stream().map(p -> p.subnet().masked()).toList();
        for (IpamPool pool : after.ipam().pools()) {
            IpPrefix subnet = pool.subnet().masked();
            if (had.contains(subnet)) {
                continue;
            }
            for (Network other : state.networks().values()) {
                if (other.id().equals(after.id()) || other.flags().configOnly()) {
                    continue;
                }
                for (IpamPool theirs : other.ipam().pools()) {
                    if (theirs.subnet().overlaps(subnet)) {
                        String option = subnetOption(bridge, !pool.isIpv4());
                        throw new InvalidParameterException("the default bridge's subnet " + subnet + " (" + option
                                + ") overlaps the subnet " + theirs.subnet().masked() + " of network " + other.name()
                                + ": give another " + option + " or remove network " + other.name());
                    }
                }
            }
        }
    }

    /** The option a default bridge subnet of a family comes from: bip's, else fixed-cidr's (their -v6 twins). */
    private static String subnetOption(DefaultBridgeSettings bridge, boolean v6) {
        Optional<BridgeIpam> ipam = v6 ? bridge.ipv6() : Optional.of(bridge.ipv4());
        BridgeIpam.Setting setting = ipam.flatMap(BridgeIpam::bip).isPresent() ? BridgeIpam.Setting.BIP
                : BridgeIpam.Setting.FIXED_CIDR;
        return setting.option(v6);
    }

    /**
     * Ensures every network's kernel objects and rebuilds the firewall table: start-up and reconcile.
     * A user-defined network that cannot be ensured is logged and skipped (the next reconcile or
     * start tries again); a predefined one stops start-up, as dockerd does. Callers hold the write
     * lock ({@link ServiceState#write}). Returns one line per network skipped.
     */
    public List<String> ensureKernel() {
        state.requireWriting();
        List<String> failed = new ArrayList<>();
        for (Network network : state.networks().values()) {
            if (network.flags().configOnly()) {
                continue;
            }
            try {
                driver(network.driver()).ensure(network);
            } catch (RuntimeException e) {
                if (network.isPredefined()) {
                    throw e;
                }
                String line = "network " + network.name() + ": kernel objects not restored: " + e.getMessage();
                LOG.log(System.Logger.Level.ERROR, line + " (the daemon goes on; the next reconcile or start tries again)", e);
                failed.add(line);
            }
        }
        firewall.rebuild(state.networks().values(), state.publishedPorts());
        return failed;
    }

    /**
     * Creates a network: validates everything into the final {@link Network} first (the driver
     * checks the host, e.g. that no device of another kind has the bridge's name), then stores
     * it (desired state first) and lets the driver build it. If the driver fails, the driver's
     * work and the store row are undone in reverse order and the driver's error is rethrown, with
     * any undo failure attached as suppressed. Emits {@code create}.
     */
    public CreatedNetwork create(CreateNetwork request) {
        return state.write(() -> {
            Map<NetworkId, Network> snapshot = state.networks();
            NetworkId id = NetworkId.random(random);
            while (snapshot.containsKey(id)) {
                id = NetworkId.random(random);
            }
            NetworkPlanner.World world = new NetworkPlanner.World(snapshot.values(),
                    state.dependencies().hostPrefixes().reserved(), state.driverNames(), id, clock.instant(),
                    driver -> driver(driver).ipv6Pool());
            CreatedNetwork planned = planner.plan(request, world);
            if (!planned.network().flags().configOnly()) {
                driver(planned.network().driver()).check(planned.network());
            }
            CreatedNetwork plan = planned.network().isGlobal()
                    ? new CreatedNetwork(driver(planned.network().driver()).claim(planned.network()), planned.warning())
                    : planned;
            Network network = plan.network();
            try {
                store.putNetwork(network);
            } catch (RuntimeException failure) {
                if (network.isGlobal()) {
                    undo(failure, () -> driver(network.driver()).delete(network));
                }
                throw failure;
            }
            if (!network.flags().configOnly()) {
                ensureOrUndo(network);
            }
            Map<NetworkId, Network> next = new LinkedHashMap<>(snapshot);
            next.put(network.id(), network);
            state.networks(next);
            if (!network.flags().configOnly()) {
                addresses.addNetwork(network);
            }
            state.publish(new Change.NetworkCreated(network));
            return plan;
        });
    }

    /**
     * Cluster: a global network made on another host (or found in the store at start-up) becomes
     * this host's too: stored, built and announced as a create. One whose id is here already is left
     * alone; one whose name or subnets another network of this host holds is skipped with a warning
     * (the host cannot have both). Returns whether it was adopted.
     */
    public boolean adopt(Network network) {
        return state.write(() -> {
            Map<NetworkId, Network> snapshot = state.networks();
            if (snapshot.containsKey(network.id())) {
                return false;
            }
            for (Network other : snapshot.values()) {
                boolean overlaps = !other.flags().configOnly() && other.ipam().pools().stream()
                        .anyMatch(p -> network.ipam().pools().stream().anyMatch(q -> q.subnet().overlaps(p.subnet())));
                if (other.name().equals(network.name()) || overlaps) {
                    LOG.log(System.Logger.Level.WARNING, "cluster network " + network.name() + " ("
                            + network.id().shortId() + ") not made on this host: network " + other.name()
                            + (overlaps ? " has an overlapping subnet" : " has its name"));
                    return false;
                }
            }
            driver(network.driver()).check(network);
            store.putNetwork(network);
            ensureOrUndo(network);
            Map<NetworkId, Network> next = new LinkedHashMap<>(snapshot);
            next.put(network.id(), network);
            state.networks(next);
            addresses.addNetwork(network);
            state.publish(new Change.NetworkCreated(network));
            return true;
        });
    }

    /**
     * Cluster: a global network removed from the cluster store goes from this host too, unless
     * sandboxes here are still on it (then it stays, with a warning, until they leave and the next
     * sync). Returns whether it was removed.
     */
    public boolean forget(NetworkId id) {
        return state.write(() -> {
            Network network = state.networks().get(id);
            if (network == null || !network.isGlobal()) {
                return false;
            }
            if (inUse(network)) {
                LOG.log(System.Logger.Level.WARNING, "cluster network " + network.name() + " was removed from the"
                        + " cluster store but has endpoints on this host (" + activeEndpoints(network) + "); kept");
                return false;
            }
            delete(network);
            return true;
        });
    }

    /** The global networks this host has. */
    public List<Network> globalNetworks() {
        return state.networks().values().stream().filter(Network::isGlobal).toList();
    }

    /**
     * Cluster: an address an endpoint on another host holds is taken here too, so that this host
     * does not offer it (the cluster store's compare-and-swap would refuse it).
     */
    public void holdRemote(NetworkId network, java.net.InetAddress address) {
        state.update(() -> addresses.hold(network, address));
    }

    /** Cluster: gives back an address {@link #holdRemote} took, unless an endpoint of this host has it. */
    public void releaseRemote(NetworkId network, java.net.InetAddress address) {
        state.update(() -> {
            boolean local = attachments.endpointsOf(network).stream()
                    .anyMatch(e -> e.addresses().stream().anyMatch(p -> p.address().equals(address)));
            if (!local) {
                addresses.release(network, address);
            }
        });
    }

    private void ensureOrUndo(Network network) {
        NetworkDriver driver = driver(network.driver());
        try {
            driver.ensure(network);
            firewall.ensureNetwork(network);
        } catch (RuntimeException failure) {
            undo(failure, () -> firewall.removeNetwork(network));
            undo(failure, () -> driver.delete(network));
            undo(failure, () -> store.deleteNetwork(network.id()));
            throw failure;
        }
    }

    private static void undo(RuntimeException failure, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Removes a network found by id, name or id prefix: refused for predefined networks and while
     * endpoints exist. The store row goes first, then the kernel objects (a crash in between
     * leaves an orphan device that start-up reconciliation removes); if the driver fails the row
     * is put back. Emits {@code destroy} (not for config-only networks, like moby).
     */
    public Network remove(String term) {
        return state.write(() -> {
            Network network = resolveForRemoval(term);
            if (network.isPredefined()) {
                throw new ForbiddenException(network.name() + " is a pre-defined network and cannot be removed");
            }
            if (inUse(network)) {
                throw new ForbiddenException("error while removing network: network " + network.name()
                        + " has active endpoints (" + activeEndpoints(network) + ")");
            }
            driver(network.driver()).checkRemove(network);
            delete(network);
            return network;
        });
    }

    /**
     * Removes every network that is not predefined, not config-only, has no endpoints and passes
     * the filter; one that fails to go is skipped. Emits one {@code destroy} per network, then
     * {@code prune}. Returns the names removed, sorted.
     */
    public List<String> prune(PruneFilter filter) {
        return pruning.run(() -> {
            Optional<Instant> until = filter.until(clock);
            List<String> deleted = new ArrayList<>();
            state.update(() -> {
                List<Network> candidates = state.networks().values().stream()
                        .filter(n -> !n.isPredefined() && !n.flags().configOnly() && !inUse(n))
                        .filter(n -> filter.matches(n, until))
                        .sorted(Comparator.comparing(Network::name))
                        .toList();
                for (Network network : candidates) {
                    try {
                        delete(network);
                        deleted.add(network.name());
                    } catch (BerthException e) {
                        LOG.log(System.Logger.Level.WARNING, "prune: cannot remove network " + network.name()
                                + ": " + e.getMessage(), e);
                    }
                }
                state.publish(new Change.NetworksPruned());
            });
            return deleted;
        });
    }

    /**
     * Retires the store row (one transaction that also remembers the network), removes the
     * kernel objects, then forgets the retired record. A crash at any point converges at the next
     * start: see {@link #start(DefaultBridgeSettings)}.
     */
    private void delete(Network network) {
        store.retireNetwork(network);
        if (!network.flags().configOnly()) {
            ndp.forget(network);
            try {
                firewall.removeNetwork(network);
                driver(network.driver()).delete(network);
            } catch (RuntimeException failure) {
                undo(failure, () -> firewall.ensureNetwork(network));
                undo(failure, () -> store.putNetwork(network));
                undo(failure, () -> store.forgetRetired(network.id()));
                throw failure;
            }
        }
        store.forgetRetired(network.id());
        Map<NetworkId, Network> next = new LinkedHashMap<>(state.networks());
        next.remove(network.id());
        state.networks(next);
        addresses.removeNetwork(network.id());
        if (!network.flags().configOnly()) {
            state.publish(new Change.NetworkRemoved(network));
        }
    }

    /**
     * Finishes removals a crash cut short. A retired network that is also stored again (its
     * removal failed and was undone) is only forgotten. No other orphans can exist: creation
     * stores before it builds, and its rollback unbuilds before it unstores.
     */
    private void finishRetirements(Map<NetworkId, Network> stored) {
        for (Network retired : store.retired()) {
            if (!stored.containsKey(retired.id()) && !retired.flags().configOnly()) {
                try {
                    driver(retired.driver()).delete(retired);
                } catch (UnavailableException e) {
                    // a global network's removal needs the cluster store, not joined yet at start:
                    // the retired record stays and the next start finishes it
                    LOG.log(System.Logger.Level.WARNING, "network " + retired.name() + ": removal not finished ("
                            + e.getMessage() + "); the next start tries again");
                    continue;
                }
            }
            store.forgetRetired(retired.id());
        }
    }

    /** All networks passing the filter, sorted by name. */
    public List<Network> list(NetworkFilter filter) {
        return state.networks().values().stream()
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
        Map<NetworkId, Network> snapshot = state.networks();
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

    /** Whether a network has endpoints. */
    private boolean inUse(Network network) {
        return attachments.hasEndpoints(network.id());
    }

    /** Moby's list of a network's endpoints: {@code name:"<ep>" id:"<12 hex>"}, comma-separated. */
    private String activeEndpoints(Network network) {
        return attachments.endpointsOf(network.id()).stream()
                .map(e -> "name:\"" + attachments.sandbox(e.sandboxId()).map(Sandbox::name).orElse("")
                        + "\" id:\"" + e.id().shortId() + "\"")
                .sorted()
                .collect(Collectors.joining(", "));
    }

    private Optional<Network> byName(String name) {
        return state.networks().values().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    private NetworkDriver driver(String name) {
        return state.driver(name);
    }
}
