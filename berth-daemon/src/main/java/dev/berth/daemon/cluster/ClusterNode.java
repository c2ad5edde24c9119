package dev.berth.daemon.cluster;

import dev.berth.cluster.etcd.EtcdException;
import dev.berth.cluster.etcd.EtcdListing;
import dev.berth.cluster.etcd.EtcdStore;
import dev.berth.cluster.etcd.EtcdTls;
import dev.berth.cluster.etcd.EtcdWatcher;
import dev.berth.core.errors.BerthException;
import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.model.RemoteEndpoint;
import dev.berth.core.model.Sandbox;
import dev.berth.core.service.network.NetworkService;
import dev.berth.core.service.sandbox.SandboxService;
import dev.berth.core.service.sandbox.SandboxView;
import dev.berth.core.service.state.Attachment;
import dev.berth.core.spi.OverlayStore;
import dev.berth.daemon.store.NetworkCodec;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * This host in the cluster. {@link #start} joins in the background: it registers the host under a
 * lease (kept alive by jetcd; when it lapses the host's endpoints vanish from every other host),
 * announces this host's endpoints on global networks again, makes the store's global networks this
 * host's ({@link NetworkService#adopt}, {@link NetworkService#forget}), takes the other hosts'
 * endpoints (to the {@link RemoteListener}s and the address book), then watches for changes. An
 * etcd that cannot be reached is retried every two seconds, with one warning per cause; meanwhile
 * local networks work and overlay operations answer 503.
 *
 * <p>Every event and every (re)join runs on one thread ({@code berth-cluster}), in the store's
 * order; the overlay driver's calls ({@link OverlayStore}) run on request threads and reach etcd
 * directly.
 */
public final class ClusterNode implements OverlayStore, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());
    /** Docker's overlay driver hands out VXLAN ids from 4097 on (4096 and below are left to others). */
    static final int FIRST_VNI = 4097;
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final int CLAIM_TRIES = 8;

    private final List<String> endpoints;
    private final Optional<EtcdTls> tls;
    /** The client; made at the first join attempt (a TLS file that is not usable is retried like an etcd down). */
    private volatile EtcdStore etcd;
    private final String description;
    private final String engineId;
    private final InetAddress vtep;
    private final int ttlSeconds;
    private final NetworkCodec codec = new NetworkCodec();
    /** The other hosts' endpoints by their key; written on the cluster thread only. */
    private final Map<String, RemoteEndpoint> remote = new ConcurrentHashMap<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("berth-cluster").daemon(true).factory());
    private final List<RemoteListener> listeners = new ArrayList<>();
    /** The cluster's ULA /48 for automatic IPv6 subnets, read (or made) at each join. */
    private volatile Optional<IpPrefix> ipv6Pool = Optional.empty();
    /** The lease of the current membership; 0 while not joined. */
    private volatile long lease;
    private volatile String problem = "not joined yet";
    private volatile boolean closed;
    /** Counts joins; events of an older join's watch or lease are dropped. Cluster thread only. */
    private int generation;
    private AutoCloseable watch;
    private NetworkService networks;
    private SandboxService sandboxes;

    /**
     * @param endpoints etcd's client URLs ({@code https://} with {@code tls})
     * @param tls       TLS to etcd; its files are read at the first join attempt (and again at each
     *                  retry while they are not usable)
     * @param vtep      this host's underlay address (from {@code cluster-advertise})
     */
    public ClusterNode(List<String> endpoints, Optional<EtcdTls> tls, String engineId, InetAddress vtep, int ttlSeconds) {
        this.endpoints = List.copyOf(endpoints);
        this.tls = tls;
        this.description = "etcd://" + endpoints.stream().map(e -> e.replaceFirst("^https?://", ""))
                .collect(Collectors.joining(","));
        this.engineId = engineId;
        this.vtep = vtep;
        this.ttlSeconds = ttlSeconds;
    }

    /** Joins in the background; the listeners hear of every other host's endpoint. */
    public void start(NetworkService networks, SandboxService sandboxes, List<RemoteListener> follow) {
        this.networks = networks;
        this.sandboxes = sandboxes;
        this.listeners.addAll(follow);
        thread.execute(this::joinUntilDone);
    }

    private void joinUntilDone() {
        String warned = null;
        while (!closed) {
            try {
                join();
                return;
            } catch (RuntimeException e) {
                lease = 0;
                problem = e.getMessage();
                String cause = e.getMessage() == null ? e.toString() : e.getMessage();
                if (!cause.equals(warned)) {
                    LOG.warning("cluster store " + description + " unreachable (" + cause + "); local networks work,"
                            + " overlay networks wait for it; retrying every " + RETRY.toSeconds() + " s");
                    warned = cause;
                }
                try {
                    Thread.sleep(RETRY);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void join() {
        closeWatch();
        if (etcd == null) {
            etcd = EtcdStore.connect(endpoints, Duration.ofSeconds(3), tls);
        }
        etcd.revision();
        long granted = etcd.grantLease(ttlSeconds);
        int joinedAs = ++generation;
        etcd.keepAlive(granted, () -> later(() -> lost(joinedAs, "the lease's keep-alive ended")));
        etcd.put(ClusterKeys.host(engineId), ("{\"vtep\":\"" + IpAddresses.format(vtep) + "\"}")
                .getBytes(StandardCharsets.UTF_8), granted);
        ipv6Pool = readIpv6Pool();
        lease = granted;
        List<Displaced> displaced = republish(granted);
        EtcdListing listing = etcd.list(ClusterKeys.ROOT);
        sync(listing);
        renumber(displaced, granted);
        watch = etcd.watch(ClusterKeys.ROOT, listing.revision() + 1, new EtcdWatcher() {
            @Override
            public void put(String key, byte[] value) {
                later(() -> {
                    if (joinedAs == generation) {
                        applyPut(key, value);
                    }
                });
            }

            @Override
            public void deleted(String key) {
                later(() -> {
                    if (joinedAs == generation) {
                        applyDelete(key);
                    }
                });
            }

            @Override
            public void failed(Throwable cause) {
                later(() -> lost(joinedAs, "the watch failed: " + cause.getMessage()));
            }
        });
        problem = "";
        LOG.info("cluster: joined " + description + " as " + engineId.substring(0, 12) + " (VXLAN endpoint "
                + IpAddresses.format(vtep) + ", lease TTL " + ttlSeconds + " s; " + networks.globalNetworks().size()
                + " overlay networks, " + remote.size() + " remote endpoints)");
    }

    /**
     * The cluster's ULA /48: the first host to join puts a random one (RFC 4193: {@code fd} and 40
     * random bits) if none is there; every host reads the one that is. A value that is no IPv6
     * prefix of at most 64 bits is logged and not used (IPv6 overlays then need their subnet given).
     */
    private Optional<IpPrefix> readIpv6Pool() {
        IpPrefix fresh = IpPrefix.uniqueLocal48(new java.security.SecureRandom().nextLong());
        etcd.putAllIfAbsent(Map.of(ClusterKeys.IPV6_POOL, fresh.toString().getBytes(StandardCharsets.UTF_8)), 0);
        String stored = etcd.get(ClusterKeys.IPV6_POOL).map(v -> new String(v, StandardCharsets.UTF_8)).orElse("");
        try {
            IpPrefix pool = IpPrefix.parse(stored);
            if (pool.isIpv4() || pool.hasHostBits() || pool.length() > 64) {
                throw new IllegalArgumentException("not an IPv6 prefix of at most 64 bits without host bits");
            }
            return Optional.of(pool);
        } catch (RuntimeException e) {
            LOG.warning("cluster: skipping malformed " + ClusterKeys.IPV6_POOL + " \"" + stored + "\": " + e.getMessage()
                    + "; IPv6 overlay networks need their subnet given");
            return Optional.empty();
        }
    }

    /** Runs on the cluster thread; dropped once {@link #close} began (jetcd reports the streams it ends). */
    private void later(Runnable task) {
        try {
            thread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    private void lost(int joinedAs, String why) {
        if (closed || joinedAs != generation) {
            return;
        }
        LOG.warning("cluster: membership in " + description + " lost (" + why + "); joining again");
        lease = 0;
        problem = why;
        joinUntilDone();
    }

    /** An endpoint of this host whose addresses another host's endpoint took while this host was away. */
    private record Displaced(Network network, Sandbox sandbox, Endpoint endpoint, Set<InetAddress> taken) {
    }

    /**
     * This host's endpoints on global networks, announced again under the new lease: created if
     * absent, moved to the new lease where they are still this endpoint's (the old lease not yet
     * lapsed). An address another host's endpoint took meanwhile (this host was away longer than
     * the TTL) is not announced over it: the endpoint is returned, to be renumbered once the
     * other hosts' endpoints are known ({@link #renumber}).
     */
    private List<Displaced> republish(long granted) {
        List<Displaced> displaced = new ArrayList<>();
        for (SandboxView view : sandboxes.list()) {
            for (Attachment a : view.attachments()) {
                if (!a.network().isGlobal()) {
                    continue;
                }
                Map<String, byte[]> keys = endpointKeys(a.network(), view.sandbox(), a.endpoint());
                if (etcd.putAllIfAbsent(keys, granted)) {
                    continue;
                }
                Set<InetAddress> taken = takenFrom(a.endpoint(), keys);
                if (!taken.isEmpty()) {
                    displaced.add(new Displaced(a.network(), view.sandbox(), a.endpoint(), taken));
                    continue;
                }
                keys.forEach((key, value) -> etcd.put(key, value, granted));
            }
        }
        return displaced;
    }

    /** The addresses among the endpoint's keys that the store holds for another endpoint. */
    private Set<InetAddress> takenFrom(Endpoint endpoint, Map<String, byte[]> keys) {
        byte[] own = endpoint.id().value().getBytes(StandardCharsets.UTF_8);
        Set<InetAddress> taken = new java.util.HashSet<>();
        for (IpPrefix address : endpoint.addresses()) {
            String key = ClusterKeys.address(endpoint.networkId(), address.address());
            if (keys.containsKey(key) && etcd.get(key).filter(v -> !java.util.Arrays.equals(v, own)).isPresent()) {
                taken.add(address.address());
            }
        }
        return taken;
    }

    /**
     * A partitioned host back: each endpoint whose address another host took meanwhile gets a new
     * address here ({@link SandboxService#renumber}: interface, DNS, hosts files follow), which is
     * then reserved in the store as a connect's is; one that loses that race too is renumbered
     * again. The other host keeps the address (it holds it under a live lease). An address the
     * user asked for ({@code --ip}) is not changed: that endpoint stays unannounced, with an error.
     */
    private void renumber(List<Displaced> displaced, long granted) {
        for (Displaced d : displaced) {
            Endpoint endpoint = d.endpoint();
            Set<InetAddress> taken = new java.util.HashSet<>(d.taken());
            boolean announced = false;
            for (int attempt = 0; attempt < CLAIM_TRIES && !taken.isEmpty(); attempt++) {
                Optional<Endpoint> renewed = sandboxes.renumber(d.network().id(), endpoint.id(), taken);
                if (renewed.isEmpty()) {
                    break;
                }
                Endpoint before = endpoint;
                endpoint = renewed.get();
                LOG.warning("cluster: sandbox " + d.sandbox().name() + " on network " + d.network().name() + " held "
                        + taken.stream().map(IpAddresses::format).sorted().collect(Collectors.joining(", "))
                        + ", which another host's endpoint took while this host was away; renumbered from "
                        + describe(before) + " to " + describe(endpoint));
                Map<String, byte[]> keys = endpointKeys(d.network(), d.sandbox(), endpoint);
                if (etcd.putAllIfAbsent(keys, granted)) {
                    announced = true;
                    break;
                }
                taken = takenFrom(endpoint, keys);
            }
            if (!announced) {
                LOG.severe("cluster: sandbox " + d.sandbox().name() + " on network " + d.network().name() + " holds "
                        + describe(endpoint) + ", which another host's endpoint took while this host was away, and"
                        + " was not renumbered (an address given with --ip/--ip6 is kept); it is not announced"
                        + " (disconnect and connect it again for a new address)");
            }
        }
    }

    private static String describe(Endpoint endpoint) {
        return endpoint.addresses().stream().map(p -> IpAddresses.format(p.address())).collect(Collectors.joining(", "));
    }

    /** Makes this host match a full listing: networks first, then the other hosts' endpoints. */
    private void sync(EtcdListing listing) {
        Map<NetworkId, Network> stored = new LinkedHashMap<>();
        Map<String, RemoteEndpoint> endpoints = new HashMap<>();
        listing.entries().forEach((key, value) -> {
            if (key.startsWith(ClusterKeys.NETWORKS)) {
                decodeNetwork(key, value).ifPresent(n -> stored.put(n.id(), n));
            } else if (key.startsWith(ClusterKeys.ENDPOINTS)) {
                decodeEndpoint(key, value).filter(r -> !r.host().equals(engineId)).ifPresent(r -> endpoints.put(key, r));
            }
        });
        for (Network network : stored.values()) {
            adopt(network);
        }
        for (Network local : networks.globalNetworks()) {
            // a network created here after the listing was read is in etcd already (claimed before stored)
            if (!stored.containsKey(local.id()) && etcd.get(ClusterKeys.network(local.id())).isEmpty()
                    && networks.forget(local.id())) {
                LOG.info("cluster: network " + local.name() + " is no longer in the cluster store; removed here");
            }
        }
        for (String key : Set.copyOf(remote.keySet())) {
            if (!endpoints.containsKey(key)) {
                removeRemote(key);
            }
        }
        endpoints.forEach(this::putRemote);
        for (Network network : networks.globalNetworks()) {
            List<RemoteEndpoint> known = remoteEndpoints(network.id());
            for (RemoteListener l : listeners) {
                l.synced(network, known);
            }
        }
    }

    private void applyPut(String key, byte[] value) {
        try {
            if (key.startsWith(ClusterKeys.NETWORKS)) {
                decodeNetwork(key, value).ifPresent(this::adopt);
            } else if (key.startsWith(ClusterKeys.ENDPOINTS)) {
                decodeEndpoint(key, value).filter(r -> !r.host().equals(engineId)).ifPresent(r -> putRemote(key, r));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster: applying " + key + " failed: " + e.getMessage(), e);
        }
    }

    private void applyDelete(String key) {
        try {
            if (key.startsWith(ClusterKeys.NETWORKS)) {
                NetworkId id = new NetworkId(key.substring(ClusterKeys.NETWORKS.length()));
                Optional<Network> local = find(id);
                if (local.isPresent() && networks.forget(id)) {
                    LOG.info("cluster: network " + local.get().name() + " was removed on another host; removed here");
                }
            } else if (key.startsWith(ClusterKeys.ENDPOINTS)) {
                removeRemote(key);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster: applying the removal of " + key + " failed: " + e.getMessage(), e);
        }
    }

    private void adopt(Network network) {
        try {
            if (networks.adopt(network)) {
                LOG.info("cluster: network " + network.name() + " (" + network.id().shortId() + ") made here");
                for (RemoteEndpoint r : remoteEndpoints(network.id())) {
                    announce(network, r);
                }
            }
        } catch (BerthException e) {
            LOG.log(Level.WARNING, "cluster: network " + network.name() + " cannot be made here: " + e.getMessage(), e);
        }
    }

    private void putRemote(String key, RemoteEndpoint endpoint) {
        RemoteEndpoint before = remote.put(key, endpoint);
        if (endpoint.equals(before)) {
            return;
        }
        Optional<Network> network = find(endpoint.network());
        if (before != null && network.isPresent()) {
            withdraw(network.get(), before);
        }
        network.ifPresent(n -> announce(n, endpoint));
    }

    private void removeRemote(String key) {
        RemoteEndpoint before = remote.remove(key);
        if (before != null) {
            find(before.network()).ifPresent(n -> withdraw(n, before));
        }
    }

    private void announce(Network network, RemoteEndpoint endpoint) {
        endpoint.addresses().forEach(a -> networks.holdRemote(network.id(), a));
        for (RemoteListener l : listeners) {
            l.added(network, endpoint);
        }
    }

    private void withdraw(Network network, RemoteEndpoint endpoint) {
        for (RemoteListener l : listeners) {
            l.removed(network, endpoint);
        }
        endpoint.addresses().forEach(a -> networks.releaseRemote(network.id(), a));
    }

    private Optional<Network> find(NetworkId id) {
        return networks.globalNetworks().stream().filter(n -> n.id().equals(id)).findFirst();
    }

    private Optional<Network> decodeNetwork(String key, byte[] value) {
        try {
            Network network = codec.decode(new String(value, StandardCharsets.UTF_8));
            if (!key.equals(ClusterKeys.network(network.id())) || !network.isGlobal()
                    || !network.driver().equals(PredefinedNetworks.DRIVER_OVERLAY)
                    || network.overlayVni().isEmpty()) {
                throw new IllegalArgumentException("not a global overlay network with a VXLAN id under its own id");
            }
            return Optional.of(network);
        } catch (RuntimeException e) {
            LOG.warning("cluster: skipping malformed network " + key + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<RemoteEndpoint> decodeEndpoint(String key, byte[] value) {
        try {
            RemoteEndpoint endpoint = EndpointRecord.decode(value);
            if (!key.equals(ClusterKeys.endpoint(endpoint.network(), endpoint.id()))) {
                throw new IllegalArgumentException("its key is not its network's and id's");
            }
            return Optional.of(endpoint);
        } catch (RuntimeException e) {
            LOG.warning("cluster: skipping malformed endpoint " + key + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    // ---- OverlayStore: the overlay driver's calls, on request threads ----

    @Override
    public InetAddress vtep() {
        return vtep;
    }

    @Override
    public Optional<IpPrefix> ipv6Pool() {
        requireJoined();
        return ipv6Pool;
    }

    @Override
    public Network claim(Network planned) {
        requireJoined();
        java.util.OptionalInt asked = planned.overlayVni();
        Set<Integer> skipped = new java.util.HashSet<>();
        for (int attempt = 0; attempt < CLAIM_TRIES; attempt++) {
            int vni = asked.isPresent() ? asked.getAsInt() : freeVni(skipped);
            java.util.SortedMap<String, String> options = new TreeMap<>(planned.options());
            options.put(PredefinedNetworks.OPT_OVERLAY_VNI, Integer.toString(vni));
            Network network = new Network(planned.id(), planned.name(), planned.driver(), planned.created(),
                    planned.scope(), planned.ipam(), planned.flags(), options, planned.labels());
            Map<String, byte[]> keys = reservations(network);
            keys.put(ClusterKeys.network(network.id()), codec.encode(network).getBytes(StandardCharsets.UTF_8));
            if (call(() -> etcd.putAllIfAbsent(keys, 0))) {
                return network;
            }
            if (call(() -> etcd.get(ClusterKeys.name(network.name()))).isPresent()) {
                throw new ConflictException("network with name " + network.name() + " already exists");
            }
            for (IpamPool pool : network.ipam().pools()) {
                if (call(() -> etcd.get(ClusterKeys.subnet(pool.subnet()))).isPresent()) {
                    throw new ForbiddenException("Pool overlaps with other one on this address space");
                }
            }
            if (asked.isPresent()) {
                throw new ConflictException("VXLAN id " + vni + " is in use by another overlay network");
            }
            skipped.add(vni);
        }
        throw new ConflictException("could not reserve a VXLAN id for network " + planned.name()
                + ": other hosts kept taking them; try again");
    }

    private int freeVni(Set<Integer> skipped) {
        Set<Integer> taken = new java.util.HashSet<>(skipped);
        call(() -> etcd.list(ClusterKeys.VNIS)).entries().keySet().forEach(k -> {
            try {
                taken.add(Integer.parseInt(k.substring(ClusterKeys.VNIS.length())));
            } catch (NumberFormatException e) {
                LOG.warning("cluster: skipping malformed key " + k);
            }
        });
        int vni = FIRST_VNI;
        while (taken.contains(vni)) {
            vni++;
        }
        return vni;
    }

    /** The name, subnet and VNI keys of a network, each holding its id. */
    private static Map<String, byte[]> reservations(Network network) {
        byte[] id = network.id().value().getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put(ClusterKeys.name(network.name()), id);
        network.ipam().pools().forEach(p -> keys.put(ClusterKeys.subnet(p.subnet()), id));
        network.overlayVni().ifPresent(vni -> keys.put(ClusterKeys.vni(vni), id));
        return keys;
    }

    @Override
    public void release(Network network) {
        requireJoined();
        call(() -> etcd.deleteAllIfValue(reservations(network)));
        call(() -> {
            etcd.delete(ClusterKeys.network(network.id()));
            return null;
        });
    }

    @Override
    public void claimEndpoint(Network network, Sandbox sandbox, Endpoint endpoint) {
        long held = requireJoined();
        if (!call(() -> etcd.putAllIfAbsent(endpointKeys(network, sandbox, endpoint), held))) {
            throw new ForbiddenException("Address already in use");
        }
    }

    @Override
    public void releaseEndpoint(Network network, Endpoint endpoint) {
        requireJoined();
        Map<String, byte[]> addresses = addressKeys(network, endpoint);
        if (!addresses.isEmpty()) {
            call(() -> etcd.deleteAllIfValue(addresses));
        }
        call(() -> {
            etcd.delete(ClusterKeys.endpoint(network.id(), endpoint.id()));
            return null;
        });
    }

    @Override
    public List<RemoteEndpoint> remoteEndpoints(NetworkId network) {
        return remote.values().stream().filter(r -> r.network().equals(network)).toList();
    }

    /** The endpoint's address reservations: one key per address, each holding the endpoint's id. */
    private static Map<String, byte[]> addressKeys(Network network, Endpoint endpoint) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        byte[] id = endpoint.id().value().getBytes(StandardCharsets.UTF_8);
        for (IpPrefix address : endpoint.addresses()) {
            keys.put(ClusterKeys.address(network.id(), address.address()), id);
        }
        return keys;
    }

    private Map<String, byte[]> endpointKeys(Network network, Sandbox sandbox, Endpoint endpoint) {
        Map<String, byte[]> keys = addressKeys(network, endpoint);
        keys.put(ClusterKeys.endpoint(network.id(), endpoint.id()), EndpointRecord.encode(engineId, vtep, sandbox, endpoint));
        return keys;
    }

    private long requireJoined() {
        long held = lease;
        if (held == 0) {
            throw unavailable(problem);
        }
        return held;
    }

    private UnavailableException unavailable(String cause) {
        return new UnavailableException("cluster store " + description + " is unavailable (" + cause
                + "): overlay networks cannot change until it is back");
    }

    private <T> T call(java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (EtcdException e) {
            throw unavailable(e.getMessage());
        }
    }

    private void closeWatch() {
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing the cluster watch: " + e.getMessage(), e);
            }
            watch = null;
        }
    }

    /**
     * Stops following the cluster. The lease is left to lapse (not revoked): the sandboxes of this
     * host keep running after a stop, and stay reachable until the TTL ends or this host is back.
     */
    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeWatch();
        if (etcd != null) {
            etcd.close();
        }
    }
}
