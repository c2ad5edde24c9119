package dev.berth.core.service.sandbox;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.model.ContainerConfig;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PortBinding;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.model.PublishedPort;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxCommand;
import dev.berth.core.model.SandboxId;
import dev.berth.core.service.event.Change;
import dev.berth.core.service.event.ChangeEvents;
import dev.berth.core.service.network.NetworkSettings;
import dev.berth.core.service.network.InputLimits;
import dev.berth.core.service.network.NdpProxies;
import dev.berth.core.service.network.NetworkService;
import dev.berth.core.service.state.AddressBook;
import dev.berth.core.service.state.Attachment;
import dev.berth.core.service.state.Attachments;
import dev.berth.core.service.state.PublishedPorts;
import dev.berth.core.service.state.ServiceState;
import dev.berth.core.spi.EndpointJoin;
import dev.berth.core.spi.NetworkDriver;
import dev.berth.core.spi.SandboxRuntime;
import dev.berth.core.spi.StateStore;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Sandbox use cases: create (namespace, then endpoints), connect, disconnect, remove, and the
 * start-up restore of their kernel state. An endpoint of a routed IPv6 network inside the host's
 * LAN prefix gets its NDP proxy entry before its connect returns ({@link NdpProxies}). Changes run inside {@link ServiceState#write}, the one
 * lock shared with {@link NetworkService}, so networks, sandboxes and addresses change together;
 * reads use snapshots. Every change is reported on the state's change stream.
 *
 * <p>Order of a change: validate everything, then store, then kernel, each step with its undo.
 * Disconnect and remove update the store first; the kernel objects follow and a crash in
 * between leaves orphans that {@link #start()} sweeps.
 */
public final class SandboxService {
    private static final System.Logger LOG = System.getLogger(SandboxService.class.getName());

    private final ServiceState state;
    private final NetworkService networks;
    private final SandboxRuntime runtime;
    private final StateStore store;
    private final Attachments attachments;
    private final AddressBook addresses;
    private final EndpointPlanner planner;
    private final DefaultRoutes routes;
    private final SandboxRules rules;
    private final PortPlanner portPlanner;
    private final PortPublisher ports;
    private final NdpProxies ndp;
    private final KernelRestore restore;
    private final DefaultBridgeReload bridgeReload;
    private volatile List<PublishedPort> daemonPorts = List.of();

    /** With Docker's fallback range for ephemeral host ports. */
    public SandboxService(ServiceState state, NetworkService networks, SandboxRuntime runtime) {
        this(state, networks, runtime, PortRange.DOCKER_FALLBACK);
    }

    /** @param ephemeral where host ports {@code ""} and {@code 0} come from ({@code ip_local_port_range}) */
    public SandboxService(ServiceState state, NetworkService networks, SandboxRuntime runtime, PortRange ephemeral) {
        this.state = state;
        this.networks = networks;
        this.runtime = runtime;
        this.store = state.dependencies().store();
        this.attachments = state.attachments();
        this.addresses = state.addresses();
        this.planner = new EndpointPlanner(addresses, state.dependencies().random());
        this.routes = new DefaultRoutes(state, this::attachmentsOf);
        this.rules = new SandboxRules(networks, planner, this::attachmentsOf);
        this.portPlanner = new PortPlanner(ephemeral);
        this.ports = new PortPublisher(state.dependencies().firewall(), this::attachmentsOf);
        this.ndp = networks.ndpProxies();
        this.restore = new KernelRestore(state, new KernelRestore.Parts(runtime, store, routes, ports, ndp,
                this::attachmentsOf));
        this.bridgeReload = new DefaultBridgeReload(state, new DefaultBridgeReload.Parts(networks, routes, ports));
    }

    /**
     * Re-creates the kernel side of every stored sandbox (call after {@link NetworkService#start()}):
     * namespaces, then each driver's endpoints (verified and repaired, missing or half-made ones
     * made again, orphans removed), then the default routes and published ports. Namespaces of no
     * stored sandbox are deleted. A sandbox that cannot be restored is logged and skipped (see
     * {@link KernelRestore}); returns one line per such failure.
     */
    public List<String> start() {
        return state.write(restore::run);
    }

    /**
     * Applies new network settings live (a reload of {@code ipv6}, {@code bip6},
     * {@code fixed-cidr-v6}, {@code default-gateway-v6}, {@code icc}, {@code ip-masq},
     * {@code default-network-opts}): networks created from now on get the new defaults, the bridge
     * keeps its id, its running sandboxes gain, move or lose their IPv6 address and default route
     * without a restart. Runs under the write lock like a connect, so connects in flight finish
     * before it or start after it. Refused with nothing changed when the settings cannot be applied
     * (see {@link NetworkService#reconfigure}); see {@link DefaultBridgeReload}.
     */
    public DefaultBridgeReconfigured reconfigure(NetworkSettings settings) {
        return state.write(() -> bridgeReload.run(settings));
    }

    /** The start-up restore, which reconcile reuses. */
    KernelRestore restorer() {
        return restore;
    }

    /**
     * Creates a sandbox and joins it to its network-mode network and any other network named in
     * the request. Returns it with the warnings (none yet). Emits {@code container create} and
     * one {@code network connect} per endpoint.
     */
    public Sandbox create(CreateSandbox request) {
        return create(request, List.of(), false);
    }

    /**
     * {@link #create(CreateSandbox)} for a sandbox made to run {@code command} (none: empty): the
     * command is stored in the same transaction as the sandbox.
     */
    Sandbox create(CreateSandbox request, List<String> command, boolean autoRemove) {
        return create(request, command, autoRemove, null);
    }

    /** {@link #create(CreateSandbox, List, boolean)} for a container of an image ({@code container} not null). */
    Sandbox create(CreateSandbox request, List<String> command, boolean autoRemove, ContainerConfig container) {
        InputLimits.sandbox(request.name(), request.hostname(), request.endpoints().size());
        return state.write(() -> {
            String name = request.name().isEmpty()
                    ? SandboxNames.generate(state.dependencies().random(), n -> attachments.sandboxNamed(n).isPresent())
                    : SandboxNames.check(request.name());
            attachments.sandboxNamed(name).ifPresent(other -> {
                throw new ConflictException("Conflict. The container name \"/" + name
                        + "\" is already in use by container \"" + other.id() + "\". You have to remove (or rename)"
                        + " that container to be able to reuse that name.");
            });
            String mode = SandboxRules.networkMode(request.networkMode());
            List<EndpointPlan> planned = rules.plan(mode, request);
            List<PublishedPort> published = mode.equals(Sandbox.MODE_HOST) ? List.of()
                    : portPlanner.plan(request.ports(), heldPorts());
            SandboxId id = SandboxId.random(state.dependencies().random());
            while (attachments.sandbox(id).isPresent()) {
                id = SandboxId.random(state.dependencies().random());
            }
            Undo undo = new Undo();
            try {
                String path = "";
                if (!mode.equals(Sandbox.MODE_HOST)) {
                    SandboxId made = id;
                    path = runtime.createNamespace(made);
                    undo.push(() -> runtime.deleteNamespace(made));
                }
                Sandbox sandbox = new Sandbox(id, name, request.hostname().isEmpty() ? id.shortId() : request.hostname(),
                        path, state.dependencies().clock().instant(), mode, published);
                if (command.isEmpty()) {
                    store.putSandbox(sandbox);
                } else {
                    store.putSandbox(sandbox, new SandboxCommand(sandbox.id(), command, autoRemove, container));
                }
                attachments.putSandbox(sandbox);
                undo.push(() -> {
                    store.deleteSandbox(sandbox.id());
                    attachments.removeSandbox(sandbox.id());
                });
                List<Endpoint> joined = new ArrayList<>();
                for (EndpointPlan p : planned) {
                    Endpoint endpoint = attach(p, sandbox);
                    undo.push(() -> detach(p.network(), sandbox, endpoint));
                    joined.add(endpoint);
                }
                state.publish(new Change.SandboxCreated(sandbox, container == null ? IMAGE : container.image()));
                for (int i = 0; i < joined.size(); i++) {
                    state.publish(new Change.EndpointAttached(planned.get(i).network(), sandbox, joined.get(i)));
                }
                return sandbox;
            } catch (RuntimeException e) {
                throw undo.rollback(e);
            }
        });
    }

    /**
     * Renames a sandbox ({@code POST /containers/{id}/rename?name=}): 409 when the name is taken,
     * 400 when it is invalid or the same. The store first, then memory; {@link Change.SandboxRenamed}
     * moves its DNS names. Returns the renamed sandbox.
     */
    public Sandbox rename(String containerTerm, String newName) {
        return rename(containerTerm, newName, IMAGE);
    }

    /** {@link #rename(String, String)} of a container of {@code image} (the event's attribute). */
    Sandbox rename(String containerTerm, String newName, String image) {
        if (newName == null || newName.isEmpty() || newName.equals("/")) {
            throw new InvalidParameterException("Neither old nor new names may be empty");
        }
        InputLimits.name("container name", newName);
        String name = SandboxNames.check(newName);
        return state.write(() -> {
            Sandbox before = resolve(containerTerm);
            if (before.name().equals(name)) {
                throw new InvalidParameterException("Renaming a container with the same name as its current name");
            }
            attachments.sandboxNamed(name).ifPresent(other -> {
                throw new ConflictException("Conflict. The container name \"/" + name
                        + "\" is already in use by container \"" + other.id() + "\". You have to remove (or rename)"
                        + " that container to be able to reuse that name.");
            });
            Sandbox renamed = before.withName(name);
            store.putSandbox(renamed);
            attachments.putSandbox(renamed);
            state.publish(new Change.SandboxRenamed(before, renamed, image));
            return renamed;
        });
    }

    /**
     * Joins a sandbox to a network ({@code POST /networks/{id}/connect}). Emits {@code connect}.
     */
    public void connect(String networkTerm, String containerTerm, EndpointRequest request) {
        state.update(() -> {
            Network network = networks.inspect(networkTerm);
            Sandbox sandbox = resolve(containerTerm);
            rules.checkConnectable(network, sandbox);
            Endpoint endpoint = attach(planner.plan(network, request), sandbox);
            state.publish(new Change.EndpointAttached(network, sandbox, endpoint));
        });
    }

    /** Takes addresses, stores the endpoint, plumbs it and moves the default routes; undone on failure. */
    private Endpoint attach(EndpointPlan plan, Sandbox sandbox) {
        Network network = plan.network();
        Endpoint endpoint = planner.build(plan, sandbox, attachments.endpointsOf(sandbox.id()));
        Undo undo = new Undo();
        undo.push(() -> addresses.release(endpoint));
        try {
            store.putEndpoint(endpoint);
            attachments.putEndpoint(endpoint);
            undo.push(() -> {
                store.deleteEndpoint(endpoint.id());
                attachments.removeEndpoint(endpoint.id());
            });
            NetworkDriver driver = state.driver(network.driver());
            EndpointJoin join = new EndpointJoin(network, sandbox, endpoint);
            driver.join(join);
            undo.push(() -> driver.leave(join));
            undo.push(() -> ndp.remove(endpoint));   // first: an add that fails half-way has made some
            ndp.add(network, endpoint);
            routes.update(sandbox);
            ports.update(sandbox);
            return endpoint;
        } catch (RuntimeException e) {
            undo.rollback(e);
            routes.restore(sandbox, e);
            ports.restore(sandbox, e);
            throw e;
        }
    }

    /**
     * Takes a sandbox off a network ({@code POST /networks/{id}/disconnect}). Emits
     * {@code disconnect}. {@code force} changes nothing yet: the container must exist.
     */
    public void disconnect(String networkTerm, String containerTerm, boolean force) {
        state.update(() -> {
            Network network = networks.inspect(networkTerm);
            Sandbox sandbox = resolve(containerTerm);
            if (sandbox.isHostMode() && network.driver().equals(PredefinedNetworks.DRIVER_HOST)) {
                throw new InvalidParameterException("cannot disconnect container from host network - container"
                        + " was created in host network mode");
            }
            // moby words it so but answers 500 (an unclassified error); the client is at fault: 400.
            Endpoint endpoint = attachments.endpoint(network.id(), sandbox.id()).orElseThrow(() ->
                    new InvalidParameterException("container " + sandbox.id() + " is not connected to the network "
                            + network.name()));
            store.deleteEndpoint(endpoint.id());
            detach(network, sandbox, endpoint);
            state.publish(new Change.EndpointDetached(network, sandbox, endpoint));
        });
    }

    /**
     * Cluster: gives an endpoint a new address of each family where it holds one of {@code taken}
     * (addresses another host's endpoint was given while this host was away from the cluster
     * store). The taken addresses stay held here (the other host has them); the new ones are the
     * lowest free. Addresses the user asked for ({@code --ip}, {@code --ip6}) are kept: nothing is
     * changed and empty is returned, as for an endpoint that is gone or holds none of them.
     * Otherwise the endpoint is stored and its interface, NDP proxy entries, default routes and
     * published ports follow, then {@link Change.EndpointReaddressed} (DNS, {@code /etc/hosts}).
     */
    public Optional<Endpoint> renumber(NetworkId networkId, EndpointId endpointId,
                                                 Set<InetAddress> taken) {
        return state.write(() -> {
            Network network = state.networks().get(networkId);
            Endpoint before = attachments.endpointsOf(networkId).stream().filter(e -> e.id().equals(endpointId))
                    .findFirst().orElse(null);
            if (network == null || before == null) {
                return Optional.<Endpoint>empty();
            }
            boolean v4 = before.ipv4() != null && taken.contains(before.ipv4().address());
            boolean v6 = before.ipv6() != null && taken.contains(before.ipv6().address());
            if ((!v4 && !v6) || (v4 && !before.requested().ipv4().isEmpty())
                    || (v6 && !before.requested().ipv6().isEmpty())) {
                return Optional.<Endpoint>empty();
            }
            Sandbox sandbox = attachments.sandbox(before.sandboxId()).orElse(null);
            if (sandbox == null) {
                return Optional.<Endpoint>empty();
            }
            for (InetAddress a : taken) {
                addresses.hold(networkId, a);
            }
            IpPrefix ipv4 = v4 ? renew(networkId, before.ipv4()) : before.ipv4();
            IpPrefix ipv6 = v6 ? renew(networkId, before.ipv6()) : before.ipv6();
            Endpoint after = new Endpoint(before.id(), before.networkId(), before.sandboxId(), before.ifName(),
                    before.hostIfName(), before.mac(), ipv4, ipv6, before.aliases(), before.requested());
            store.putEndpoint(after);
            attachments.putEndpoint(after);
            ndp.remove(before);
            ndp.add(network, after);
            state.driver(network.driver()).readdress(new EndpointJoin(network, sandbox, after));
            try {
                routes.refresh(sandbox);   // the old address took the interface's routes with it
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "default routes of " + sandbox.name() + " after its new address on "
                        + network.name() + ": " + e.getMessage(), e);
            }
            ports.updateQuietly(sandbox);
            state.publish(new Change.EndpointReaddressed(network, sandbox, before, after));
            return Optional.of(after);
        });
    }

    private IpPrefix renew(NetworkId network, IpPrefix old) {
        var pool = addresses.pool(network, old.isIpv4()).orElseThrow();
        return new IpPrefix(pool.allocate(), old.length());
    }

    /** The in-memory and kernel half of a disconnect: the store row is already gone. */
    private void detach(Network network, Sandbox sandbox, Endpoint endpoint) {
        attachments.removeEndpoint(endpoint.id());
        addresses.release(endpoint);
        ndp.remove(endpoint);
        try {
            state.driver(network.driver()).leave(new EndpointJoin(network, sandbox, endpoint));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "disconnect " + sandbox.name() + " from " + network.name()
                    + ": " + e.getMessage() + " (start-up will remove what is left)", e);
        }
        routes.updateQuietly(sandbox);
        ports.updateQuietly(sandbox);
    }

    /**
     * Removes a sandbox ({@code DELETE /containers/{id}}): refused without {@code force}, since a
     * sandbox is always running. The store forgets it and its endpoints in one transaction; then
     * the endpoints leave and the namespace goes. Emits {@code disconnect} per network, then
     * {@code destroy}.
     */
    public Sandbox remove(String containerTerm, boolean force) {
        return remove(containerTerm, force, IMAGE);
    }

    /** {@link #remove(String, boolean)} of a container of {@code image} (the event's attribute). */
    Sandbox remove(String containerTerm, boolean force, String image) {
        return state.write(() -> {
            Sandbox sandbox = resolve(containerTerm);
            if (!force) {
                throw new ConflictException("cannot remove container \"/" + sandbox.name() + "\": container is"
                        + " running: stop the container before removing or force remove");
            }
            List<Attachment> joined = attachmentsOf(sandbox);
            store.deleteSandbox(sandbox.id());
            for (Attachment a : joined) {
                detach(a.network(), sandbox, a.endpoint());
                state.publish(new Change.EndpointDetached(a.network(), sandbox, a.endpoint()));
            }
            attachments.removeSandbox(sandbox.id());
            routes.forget(sandbox.id());
            forgetPorts(sandbox);
            if (!sandbox.isHostMode()) {
                try {
                    runtime.deleteNamespace(sandbox.id());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "remove namespace of " + sandbox.name() + ": "
                            + e.getMessage() + " (start-up will remove it)", e);
                }
            }
            state.publish(new Change.SandboxRemoved(sandbox, image));
            return sandbox;
        });
    }

    private void forgetPorts(Sandbox sandbox) {
        try {
            ports.forget(sandbox);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "unpublish ports of " + sandbox.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The host ports the daemon's own API listens on (TCP {@code -H}), which {@code -p} then
     * refuses as dockerd refuses them ({@code hostPort} is the port, {@code sandboxPort} too).
     */
    public void reserveDaemonPorts(List<PublishedPort> ports) {
        daemonPorts = List.copyOf(ports);
    }

    private List<PortPlanner.Held> heldPorts() {
        List<PortPlanner.Held> out = new ArrayList<>();
        daemonPorts.forEach(p -> out.add(new PortPlanner.Held("", p, true)));
        attachments.unordered().forEach(s -> s.ports().forEach(p -> out.add(new PortPlanner.Held(s.name(), p))));
        return out;
    }

    /** Every sandbox, newest first. */
    public List<SandboxView> list() {
        return attachments.sandboxes().stream()
                .sorted(Comparator.comparing(Sandbox::created).reversed().thenComparing(Sandbox::name))
                .map(s -> new SandboxView(s, attachmentsOf(s)))
                .toList();
    }

    public SandboxView inspect(String containerTerm) {
        Sandbox sandbox = resolve(containerTerm);
        return new SandboxView(sandbox, attachmentsOf(sandbox));
    }

    /** The host bindings a sandbox's ports have now (empty when no endpoint publishes them). */
    public static List<PortBinding> bindings(SandboxView view) {
        return PublishedPorts.of(view.sandbox(), view.attachments()).stream()
                .flatMap(p -> p.bindings().stream()).toList();
    }

    /** The endpoints on a network, by sandbox name: {@code Containers} of network inspect. */
    public List<Attachment> attachments(NetworkId network) {
        List<Attachment> out = new ArrayList<>();
        for (Endpoint e : attachments.endpointsOf(network)) {
            Network n = state.network(network).orElse(null);
            attachments.sandbox(e.sandboxId()).ifPresent(s -> {
                if (n != null) {
                    out.add(new Attachment(n, s, e));
                }
            });
        }
        out.sort(Comparator.comparing(a -> a.sandbox().name()));
        return out;
    }

    /**
     * Finds a sandbox the way moby does: full id, then exact name (with or without the leading
     * slash), then unique id prefix; else 404 {@code No such container: X}.
     */
    public Sandbox resolve(String term) {
        if (term.isEmpty()) {
            throw new InvalidParameterException("invalid name or ID supplied: \"\"");
        }
        if (term.matches("[0-9a-f]{64}")) {
            var exact = attachments.sandbox(new SandboxId(term));
            if (exact.isPresent()) {
                return exact.get();
            }
        }
        var named = attachments.sandboxNamed(term.startsWith("/") ? term.substring(1) : term);
        if (named.isPresent()) {
            return named.get();
        }
        List<Sandbox> prefixed = term.isEmpty() ? List.of()
                : attachments.unordered().stream().filter(s -> s.id().value().startsWith(term)).toList();
        if (prefixed.size() > 1) {
            throw new InvalidParameterException("Multiple IDs found with provided prefix: " + term);
        }
        if (prefixed.isEmpty()) {
            throw new NotFoundException("No such container: " + term);
        }
        return prefixed.getFirst();
    }

    List<Attachment> attachmentsOf(Sandbox sandbox) {
        List<Attachment> out = new ArrayList<>();
        for (Endpoint e : attachments.endpointsOf(sandbox.id())) {
            state.network(e.networkId()).ifPresent(n -> out.add(new Attachment(n, sandbox, e)));
        }
        out.sort(Comparator.comparing(a -> a.network().name()));
        return out;
    }

    /** Reports a change made outside this service's methods (a process started or died). */
    void publish(Change change) {
        state.publish(change);
    }

    /** What Berth reports as the image of a sandbox made without one. */
    public static final String IMAGE = ChangeEvents.IMAGE;
}
