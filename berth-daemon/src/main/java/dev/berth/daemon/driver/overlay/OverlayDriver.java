package dev.berth.daemon.driver.overlay;

import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.model.RemoteEndpoint;
import dev.berth.core.spi.EndpointFailure;
import dev.berth.core.spi.EndpointJoin;
import dev.berth.core.spi.KernelDrift;
import dev.berth.core.spi.NetworkDriver;
import dev.berth.core.spi.OverlayStore;
import dev.berth.daemon.driver.bridge.BridgeDriver;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.Mac;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netlink.Rtnl;
import dev.berth.kernel.netlink.StaticNeighbour;
import dev.berth.kernel.netlink.VxlanSpec;
import dev.berth.kernel.sysctl.Sysctls;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The {@code overlay} driver over the bridge driver. A network's kernel objects exist only on hosts
 * where it has endpoints (the "on each host that has an endpoint"): the first local
 * endpoint's {@link #join} makes the bridge and then the network's VXLAN device {@code vx-<id12>}
 * as its port, programming every remote endpoint known, and the last one's {@link #leave} removes
 * both. Which networks have local endpoints is the stored endpoints' business: {@link #restore}
 * (start-up and every repair) makes the devices of networks with endpoints here and removes those
 * of networks without (a crash between a store change and the kernel's leaves no device behind
 * and misses none), and {@link #drift} reports both kinds of difference. {@link #join} takes the
 * endpoint's addresses in the cluster store before the veth is made, so a refused address changes
 * nothing here.
 */
public final class OverlayDriver implements NetworkDriver {
    private static final Logger LOG = Logger.getLogger(OverlayDriver.class.getName());
    /** {@code vx-} and the network's short id: 15 characters, the kernel's limit. */
    static final String VXLAN_PREFIX = "vx-";
    private static final int NUD_PERMANENT = 0x80;
    private final BridgeDriver bridge;
    private final Rtnl netlink;
    private final OverlayStore store;
    private final Function<Network, Map<String, String>> firewallSysctls;
    private final Sysctls sysctl;
    /**
     * This host's endpoints per network, as the store has them: set from the stored endpoints by
     * every {@link #restore}, then kept by {@link #join} and {@link #leave} (all three run under the
     * services' write lock). A network absent here has no devices on this host.
     */
    private final Map<NetworkId, Set<EndpointId>> local = new ConcurrentHashMap<>();

    /**
     * {@code netlink} bound to the daemon's host namespace, as the bridge driver's.
     *
     * @param firewallSysctls the sysctls the firewall's rules need for a network (the daemon's:
     *                        {@code NftFirewall.requiredSysctls}); those of the network's bridge
     *                        ({@code net/ipv4/conf/br-x/route_localnet}) are written each time this
     *                        driver makes the bridge, which the firewall cannot do for a bridge that
     *                        comes and goes with the endpoints
     */
    public OverlayDriver(BridgeDriver bridge, Rtnl netlink, OverlayStore store,
                         Function<Network, Map<String, String>> firewallSysctls) {
        this(bridge, netlink, store, firewallSysctls, Sysctls.KERNEL);
    }

    /** With the sysctls given (unit tests pass a fake). */
    OverlayDriver(BridgeDriver bridge, Rtnl netlink, OverlayStore store,
                  Function<Network, Map<String, String>> firewallSysctls, Sysctls sysctl) {
        this.bridge = bridge;
        this.netlink = netlink;
        this.store = store;
        this.firewallSysctls = firewallSysctls;
        this.sysctl = sysctl;
    }

    @Override
    public String name() {
        return PredefinedNetworks.DRIVER_OVERLAY;
    }

    @Override
    public void check(Network network) {
        bridge.check(network);
    }

    @Override
    public Network claim(Network network) {
        return store.claim(network);
    }

    @Override
    public Optional<IpPrefix> ipv6Pool() {
        return store.ipv6Pool();
    }

    /** moby refuses to remove a network with endpoints; here also those of other hosts count. */
    @Override
    public void checkRemove(Network network) {
        List<RemoteEndpoint> remote = store.remoteEndpoints(network.id());
        if (!remote.isEmpty()) {
            throw new ForbiddenException("error while removing network: network " + network.name()
                    + " has active endpoints (" + remote.stream()
                    .map(r -> "name:\"" + r.sandboxName() + "\" id:\"" + r.id().shortId() + "\" host:\"" + r.vtep()
                            .getHostAddress() + "\"")
                    .sorted().collect(Collectors.joining(", ")) + ")");
        }
    }

    /**
     * Converges the devices of a network with endpoints on this host; a network without has none
     * to make (a create, another host's network adopted). Removing those of a network no longer in
     * use here is {@link #leave}'s and {@link #restore}'s: at start-up this runs before the endpoints
     * are known.
     */
    @Override
    public void ensure(Network network) {
        if (local.containsKey(network.id())) {
            ensureDevices(network);
        }
    }

    /** The bridge (as a bridge network's), then the VXLAN device on it, up; a new device gets every remote endpoint. */
    private void ensureDevices(Network network) {
        bridge.ensure(network);
        String ofBridge = "/conf/" + DeviceNames.bridgeName(network) + "/";
        firewallSysctls.apply(network).forEach((key, value) -> {
            if (key.contains(ofBridge)) {
                sysctl.write(key, value);
            }
        });
        String name = vxlanName(network);
        try {
            Link bridgeLink = netlink.link(DeviceNames.bridgeName(network)).orElseThrow(() ->
                    new InternalException("bridge " + DeviceNames.bridgeName(network) + " of network "
                            + network.name() + " vanished"));
            Link vxlan = netlink.link(name).orElse(null);
            if (vxlan != null && !"vxlan".equals(vxlan.kind())) {
                throw new InternalException("cannot use " + name + " as the VXLAN device of network " + network.name()
                        + ": it is a " + vxlan.kind() + " device");
            }
            boolean made = vxlan == null;
            if (made) {
                vxlan = netlink.createVxlan(new VxlanSpec(name, vni(network), store.vtep(), VxlanSpec.IANA_PORT,
                        bridge.mtuOf(network), DeviceNames.OWNED_BRIDGE_GROUP));
            }
            if (vxlan.masterIndex() != bridgeLink.index()) {
                netlink.setMaster(vxlan.index(), bridgeLink.index());
            }
            if (!vxlan.up()) {
                netlink.setUp(vxlan.index(), true);
            }
            if (made) {
                for (RemoteEndpoint remote : store.remoteEndpoints(network.id())) {
                    program(vxlan.index(), remote);
                }
            }
        } catch (KernelException e) {
            throw new InternalException("ensure VXLAN device " + name + " of network " + network.name() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The network's VXLAN device is there, up and a port of its bridge (two link lookups, no dump). */
    private boolean devicesInPlace(Network network) {
        Optional<Link> vxlan = netlink.link(vxlanName(network));
        return vxlan.isPresent() && "vxlan".equals(vxlan.get().kind())
                && upOnItsBridge(vxlan.get(), netlink.link(DeviceNames.bridgeName(network)).orElse(null));
    }

    /** The rule {@link #devicesInPlace} and {@link #drift} share: the VXLAN device is up and a port of the bridge (null: none). */
    private static boolean upOnItsBridge(Link vxlan, Link bridgeLink) {
        return vxlan.up() && bridgeLink != null && vxlan.masterIndex() == bridgeLink.index();
    }

    /**
     * The VXLAN device, then the bridge (retired as a bridge network's); nothing when they are gone.
     * A device of another kind under the VXLAN device's name is not Berth's ({@link #ensureDevices}
     * refuses to use it) and stays.
     */
    private void removeDevices(Network network) {
        try {
            Optional<Link> vxlan = netlink.link(vxlanName(network));
            if (vxlan.isPresent() && "vxlan".equals(vxlan.get().kind())) {
                netlink.deleteLink(vxlan.get().index());
            }
        } catch (KernelException e) {
            throw new InternalException("delete VXLAN device " + vxlanName(network) + ": " + e.getMessage(), e);
        }
        bridge.delete(network);
    }

    /**
     * The cluster store's reservations go first: when the store cannot be reached the removal
     * fails (503) before anything of this host is touched.
     */
    @Override
    public void delete(Network network) {
        store.release(network);
        local.remove(network.id());
        removeDevices(network);
    }

    /**
     * The first endpoint of the network here makes its devices; a failure leaves none made for it.
     * A later one makes them again when they are not in place (deleted behind Berth's back), rather
     * than failing or joining a bridge without its tunnel until the reconcile loop repairs them.
     */
    @Override
    public void join(EndpointJoin join) {
        Network network = join.network();
        store.claimEndpoint(network, join.sandbox(), join.endpoint());
        try {
            if (!local.containsKey(network.id()) || !devicesInPlace(network)) {
                ensureDevices(network);
            }
            bridge.join(join);
            local.computeIfAbsent(network.id(), id -> ConcurrentHashMap.newKeySet()).add(join.endpoint().id());
        } catch (RuntimeException e) {
            try {
                store.releaseEndpoint(network, join.endpoint());
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            try {
                if (!local.containsKey(network.id())) {
                    removeDevices(network);
                }
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /**
     * The interface goes at once, the network's devices with the last endpoint here; the cluster
     * store's entry after them (its lease ends it anyway).
     */
    @Override
    public void leave(EndpointJoin join) {
        Network network = join.network();
        try {
            bridge.leave(join);
        } finally {
            Set<EndpointId> left = local.computeIfPresent(network.id(), (id, endpoints) -> {
                endpoints.remove(join.endpoint().id());
                return endpoints.isEmpty() ? null : endpoints;
            });
            if (left == null) {
                removeDevices(network);
            }
            try {
                store.releaseEndpoint(network, join.endpoint());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "withdraw endpoint " + join.endpoint().id().shortId() + " of network "
                        + network.name() + " from the cluster store: " + e.getMessage()
                        + " (the next sync withdraws it)", e);
            }
        }
    }

    @Override
    public void readdress(EndpointJoin join) {
        bridge.readdress(join);
    }

    @Override
    public void defaultRoute(EndpointJoin join, boolean ipv6, boolean on) {
        bridge.defaultRoute(join, ipv6, on);
    }

    /**
     * Start-up and repair: the networks with stored endpoints here get their devices (then the
     * bridge driver restores the endpoints), the others lose any (left by a crash after the last
     * endpoint's removal was stored). A network whose devices cannot be made fails its endpoints only.
     */
    @Override
    public List<EndpointFailure> restore(Collection<Network> networks, Collection<EndpointJoin> joins) {
        Map<NetworkId, List<EndpointJoin>> byNetwork = joins.stream()
                .collect(Collectors.groupingBy(j -> j.network().id()));
        local.clear();
        byNetwork.forEach((id, js) -> local.put(id, js.stream().map(j -> j.endpoint().id())
                .collect(Collectors.toCollection(ConcurrentHashMap::newKeySet))));
        List<EndpointFailure> failed = new ArrayList<>();
        List<Network> used = new ArrayList<>();
        List<EndpointJoin> restorable = new ArrayList<>();
        for (Network network : networks) {
            List<EndpointJoin> here = byNetwork.getOrDefault(network.id(), List.of());
            try {
                if (here.isEmpty()) {
                    removeDevices(network);
                } else {
                    ensureDevices(network);
                    used.add(network);
                    restorable.addAll(here);
                }
            } catch (RuntimeException e) {
                here.forEach(j -> failed.add(new EndpointFailure(j, e)));
                if (here.isEmpty()) {
                    LOG.log(Level.WARNING, "remove the devices of network " + network.name()
                            + ", which has no endpoint here: " + e.getMessage(), e);
                }
            }
        }
        failed.addAll(bridge.restore(used, restorable));
        return failed;
    }

    /**
     * In the bridge driver's one link dump: the bridge driver's look at the networks with endpoints
     * here, each one's VXLAN device there, up and on its bridge; and no bridge or VXLAN device of a
     * network without endpoints here.
     */
    @Override
    public List<KernelDrift> drift(Collection<Network> networks, Collection<EndpointJoin> joins) {
        Set<NetworkId> used = joins.stream().map(j -> j.network().id()).collect(Collectors.toSet());
        List<Network> inUse = networks.stream().filter(n -> used.contains(n.id())).toList();
        List<Network> unused = networks.stream().filter(n -> !used.contains(n.id())).toList();
        return bridge.drift(inUse, joins, links -> devicesDrift(inUse, unused, links));
    }

    private static List<KernelDrift> devicesDrift(List<Network> inUse, List<Network> unused, List<Link> links) {
        Map<String, Link> byName = links.stream().collect(Collectors.toMap(Link::name, l -> l, (a, b) -> a));
        List<KernelDrift> out = new ArrayList<>();
        for (Network network : inUse) {
            Link vxlan = byName.get(vxlanName(network));
            Link bridgeLink = byName.get(DeviceNames.bridgeName(network));
            if (vxlan == null) {
                out.add(new KernelDrift(network.id(), "VXLAN device " + vxlanName(network) + " missing"));
            } else if (!upOnItsBridge(vxlan, bridgeLink)) {
                out.add(new KernelDrift(network.id(), "VXLAN device " + vxlanName(network)
                        + " down or not on " + DeviceNames.bridgeName(network)));
            }
        }
        for (Network network : unused) {
            List<String> left = java.util.stream.Stream.of(DeviceNames.bridgeName(network), vxlanName(network))
                    .filter(byName::containsKey).toList();
            if (!left.isEmpty()) {
                out.add(new KernelDrift(network.id(), String.join(" and ", left)
                        + " present, but network " + network.name() + " has no endpoint on this host"));
            }
        }
        return out;
    }

    /** A remote endpoint appeared (or moved): frames for its MAC go to its host, its addresses answer with its MAC. */
    public void remoteAdded(Network network, RemoteEndpoint remote) {
        try {
            Optional<Link> vxlan = netlink.link(vxlanName(network));
            if (vxlan.isPresent()) {
                program(vxlan.get().index(), remote);
            }
        } catch (KernelException e) {
            LOG.log(Level.WARNING, "program remote endpoint " + remote.id().shortId() + " on " + vxlanName(network)
                    + ": " + e.getMessage(), e);
        }
    }

    /** A remote endpoint went: its FDB and neighbour entries go. */
    public void remoteRemoved(Network network, RemoteEndpoint remote) {
        try {
            Optional<Link> vxlan = netlink.link(vxlanName(network));
            if (vxlan.isEmpty()) {
                return;
            }
            int index = vxlan.get().index();
            for (InetAddress address : remote.addresses()) {
                netlink.deleteNeighbour(index, address);
            }
            netlink.deleteFdb(index, Mac.parse(remote.mac()), remote.vtep());
        } catch (KernelException e) {
            LOG.log(Level.WARNING, "remove remote endpoint " + remote.id().shortId() + " from " + vxlanName(network)
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * After a full sync with the cluster store: the VXLAN device holds exactly these remote
     * endpoints' entries. Static entries of endpoints that went while this host was not
     * following (a restart, a partition longer than the TTL) are removed; missing ones added.
     */
    public void converge(Network network, List<RemoteEndpoint> remotes) {
        try {
            Optional<Link> vxlan = netlink.link(vxlanName(network));
            if (vxlan.isEmpty()) {
                return;
            }
            int index = vxlan.get().index();
            java.util.Set<String> fdb = new java.util.HashSet<>();
            java.util.Set<InetAddress> addresses = new java.util.HashSet<>();
            for (RemoteEndpoint r : remotes) {
                fdb.add(r.mac() + " " + r.vtep().getHostAddress());
                addresses.addAll(r.addresses());
                program(index, r);
            }
            for (StaticNeighbour e : netlink.neighbours(RtNetlink.AF_BRIDGE, index)) {
                if (e.address() != null && !e.mac().isEmpty() && !fdb.contains(e.mac() + " " + e.address().getHostAddress())) {
                    netlink.deleteFdb(index, Mac.parse(e.mac()), e.address());
                }
            }
            for (int family : new int[] {RtNetlink.AF_INET, RtNetlink.AF_INET6}) {
                for (StaticNeighbour e : netlink.neighbours(family, index)) {
                    if (e.address() != null && (e.state() & NUD_PERMANENT) != 0 && !addresses.contains(e.address())) {
                        netlink.deleteNeighbour(index, e.address());
                    }
                }
            }
        } catch (KernelException e) {
            LOG.log(Level.WARNING, "converge " + vxlanName(network) + " with the cluster store: " + e.getMessage(), e);
        }
    }

    private void program(int index, RemoteEndpoint remote) {
        byte[] mac = Mac.parse(remote.mac());
        netlink.replaceFdb(index, mac, remote.vtep());
        for (InetAddress address : remote.addresses()) {
            netlink.replaceNeighbour(index, address, mac);
        }
    }

    /** The network's VXLAN device. */
    public static String vxlanName(Network network) {
        return VXLAN_PREFIX + network.id().shortId();
    }

    private static int vni(Network network) {
        return network.overlayVni().orElseThrow(() -> new InternalException("network " + network.name()
                + " has no VXLAN id (" + PredefinedNetworks.OPT_OVERLAY_VNI + ")"));
    }
}
