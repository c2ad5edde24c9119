package dev.berth.daemon.driver.overlay;

import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
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
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The {@code overlay} driver over the bridge driver: {@link #ensure} makes the bridge and then the
 * network's VXLAN device {@code vx-<id12>} as its port, and programs every remote endpoint known;
 * {@link #join} takes the endpoint's addresses in the cluster store before the veth is made, so a
 * refused address changes nothing here.
 */
public final class OverlayDriver implements NetworkDriver {
    private static final Logger LOG = Logger.getLogger(OverlayDriver.class.getName());
    /** {@code vx-} and the network's short id: 15 characters, the kernel's limit. */
    static final String VXLAN_PREFIX = "vx-";
    private static final int NUD_PERMANENT = 0x80;
    private final BridgeDriver bridge;
    private final Rtnl netlink;
    private final OverlayStore store;

    /** {@code netlink} bound to the daemon's host namespace, as the bridge driver's. */
    public OverlayDriver(BridgeDriver bridge, Rtnl netlink, OverlayStore store) {
        this.bridge = bridge;
        this.netlink = netlink;
        this.store = store;
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

    @Override
    public void ensure(Network network) {
        bridge.ensure(network);
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
            if (vxlan == null) {
                vxlan = netlink.createVxlan(new VxlanSpec(name, vni(network), store.vtep(), VxlanSpec.IANA_PORT,
                        bridge.mtuOf(network), DeviceNames.OWNED_BRIDGE_GROUP));
            }
            if (vxlan.masterIndex() != bridgeLink.index()) {
                netlink.setMaster(vxlan.index(), bridgeLink.index());
            }
            if (!vxlan.up()) {
                netlink.setUp(vxlan.index(), true);
            }
            for (RemoteEndpoint remote : store.remoteEndpoints(network.id())) {
                program(vxlan.index(), remote);
            }
        } catch (KernelException e) {
            throw new InternalException("ensure VXLAN device " + name + " of network " + network.name() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The cluster store's reservations go first: when the store cannot be reached the removal
     * fails (503) before anything of this host is touched.
     */
    @Override
    public void delete(Network network) {
        store.release(network);
        try {
            netlink.deleteLink(vxlanName(network));
        } catch (KernelException e) {
            throw new InternalException("delete VXLAN device " + vxlanName(network) + ": " + e.getMessage(), e);
        }
        bridge.delete(network);
    }

    @Override
    public void join(EndpointJoin join) {
        store.claimEndpoint(join.network(), join.sandbox(), join.endpoint());
        try {
            bridge.join(join);
        } catch (RuntimeException e) {
            try {
                store.releaseEndpoint(join.network(), join.endpoint());
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /** The interface goes at once; the cluster store's entry after it (its lease ends it anyway). */
    @Override
    public void leave(EndpointJoin join) {
        bridge.leave(join);
        try {
            store.releaseEndpoint(join.network(), join.endpoint());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "withdraw endpoint " + join.endpoint().id().shortId() + " of network "
                    + join.network().name() + " from the cluster store: " + e.getMessage()
                    + " (the next sync withdraws it)", e);
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

    @Override
    public List<EndpointFailure> restore(Collection<Network> networks, Collection<EndpointJoin> joins) {
        return bridge.restore(networks, joins);
    }

    /** The bridge driver's look, and each network's VXLAN device: there, up, on its bridge. */
    @Override
    public List<KernelDrift> drift(Collection<Network> networks, Collection<EndpointJoin> joins) {
        List<KernelDrift> out = new java.util.ArrayList<>(bridge.drift(networks, joins));
        try {
            for (Network network : networks) {
                Optional<Link> vxlan = netlink.link(vxlanName(network));
                Optional<Link> bridgeLink = netlink.link(DeviceNames.bridgeName(network));
                if (vxlan.isEmpty()) {
                    out.add(new KernelDrift(network.id(), "VXLAN device " + vxlanName(network) + " missing"));
                } else if (!vxlan.get().up() || bridgeLink.isEmpty()
                        || vxlan.get().masterIndex() != bridgeLink.get().index()) {
                    out.add(new KernelDrift(network.id(), "VXLAN device " + vxlanName(network)
                            + " down or not on " + DeviceNames.bridgeName(network)));
                }
            }
        } catch (KernelException e) {
            throw new InternalException("check overlay networks: " + e.getMessage(), e);
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
