package dev.berth.kernel.netlink;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelErrors;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netns.NetNs;
import dev.berth.kernel.netns.NsVisitors;

/**
 * A NETLINK_ROUTE socket and the operations Berth needs on links, addresses, routes (main table)
 * and proxy neighbours. The socket works in the network namespace it was opened in, whatever
 * thread uses it later. Methods are synchronized: one request at a time per socket.
 *
 * <p>Errors are {@link KernelException}s naming action and object, e.g.
 * {@code create bridge br0 in netns /run/netns/h1: EEXIST (File exists)}. Deletes tolerate the
 * "already gone" errnos and so are idempotent.
 */
public final class RtNetlink implements Rtnl {
    public static final int AF_INET = Uapi.AF_INET;
    public static final int AF_INET6 = Uapi.AF_INET6;
    public static final int AF_BRIDGE = Uapi.AF_BRIDGE;

    private final NetlinkSocket socket;
    private final String where;

    private RtNetlink(NetlinkSocket socket, String where) {
        this.socket = socket;
        this.where = where;
    }

    /** Opens a socket in the calling thread's namespace. */
    public static RtNetlink open() {
        return open(KernelErrors.NONE);
    }

    /** Opens a socket in the calling thread's namespace; {@code errors} hears of every error the kernel answers. */
    public static RtNetlink open(KernelErrors errors) {
        return new RtNetlink(NetlinkSocket.open(Uapi.NETLINK_ROUTE, errors), "");
    }

    /** Opens a socket inside {@code ns} (through {@link NetNs#call}); it stays there. */
    public static RtNetlink openIn(NetNs ns) {
        return openIn(ns, KernelErrors.NONE);
    }

    /** {@link #openIn(NetNs)}, {@code errors} hearing of every error the kernel answers. */
    public static RtNetlink openIn(NetNs ns, KernelErrors errors) {
        NetlinkSocket s = ns.call(() -> NetlinkSocket.open(Uapi.NETLINK_ROUTE, errors));
        return new RtNetlink(s, " in " + ns);
    }

    /**
     * {@link #openIn(NetNs, KernelErrors)} on one of {@code visitors}' threads: for a pass that
     * opens sockets in many namespaces. {@code ns} must stay open until the future completes.
     */
    public static CompletableFuture<RtNetlink> openIn(NetNs ns, KernelErrors errors, NsVisitors visitors) {
        return visitors.submit(ns, () -> NetlinkSocket.open(Uapi.NETLINK_ROUTE, errors))
                .thenApply(s -> new RtNetlink(s, " in " + ns));
    }

    // ---- links

    @Override
    public synchronized List<Link> links() {
        List<Link> out = new ArrayList<>();
        for (NlMessage m : socket.dump(LinkCodec.dump(), "list links" + where)) {
            if (m.type() == Uapi.RTM_NEWLINK) {
                out.add(LinkCodec.decode(m));
            }
        }
        return out;
    }

    @Override
    public synchronized Optional<Link> link(String name) {
        IfNames.check(name);
        return getLink(LinkCodec.get(name), "get link " + name);
    }

    @Override
    public synchronized Optional<Link> link(int index) {
        return getLink(LinkCodec.get(index), "get link #" + index);
    }

    private Optional<Link> getLink(NlWriter request, String action) {
        List<NlMessage> replies = socket.requestUnless(request, action + where, Errno.ENODEV);
        if (replies == null) {
            return Optional.empty();
        }
        return replies.stream()
                .filter(m -> m.type() == Uapi.RTM_NEWLINK)
                .map(LinkCodec::decode)
                .findFirst();
    }

    /** Creates a bridge; EEXIST if a link of that name exists. Returns the new link. */
    @Override
    public synchronized Link createBridge(BridgeSpec spec) {
        String action = "create bridge " + spec.name() + where;
        socket.request(LinkCodec.newBridge(spec), action);
        return mustExist(spec.name(), action);
    }

    /**
     * Creates a veth pair with one fused RTM_NEWLINK (peer named, addressed and placed in its
     * namespace; host end enslaved and up) and returns the host end.
     */
    @Override
    public synchronized Link createVeth(VethSpec spec) {
        String action = "create veth " + spec.hostName() + where + " (peer " + spec.peerName()
                + (spec.peerNs() == null ? "" : " in " + spec.peerNs()) + ")";
        socket.request(LinkCodec.newVeth(spec), action);
        return mustExist(spec.hostName(), action);
    }

    private Link mustExist(String name, String action) {
        return getLink(LinkCodec.get(name), action).orElseThrow(
                () -> new KernelException(action, Errno.ENODEV, "link vanished right after creation"));
    }

    /** Deletes a link (a veth takes its peer with it); succeeds if it is already gone. */
    @Override
    public synchronized void deleteLink(int index) {
        socket.requestUnless(LinkCodec.delete(index), "delete link #" + index + where, Errno.ENODEV, Errno.ENOENT);
    }

    @Override
    public synchronized void deleteLink(String name) {
        IfNames.check(name);
        socket.requestUnless(LinkCodec.delete(name), "delete link " + name + where, Errno.ENODEV, Errno.ENOENT);
    }

    /** Puts a link in a device group ({@code ip link set X group N}). */
    @Override
    public synchronized void setGroup(String name, int group) {
        IfNames.check(name);
        socket.request(LinkCodec.setGroup(name, group), "set group " + group + " on link " + name + where);
    }

    /**
     * Deletes every link of a device group in one kernel batch, so many deletions share one RCU
     * grace period; succeeds when the group is empty. Group 0 (the default group) is refused.
     */
    @Override
    public synchronized void deleteGroup(int group) {
        if (group == 0) {
            throw new IllegalArgumentException("group 0 holds every link that was never put in a group");
        }
        socket.requestUnless(LinkCodec.deleteGroup(group), "delete link group " + group + where, Errno.ENODEV);
    }

    @Override
    public synchronized void setUp(int index, boolean up) {
        socket.request(LinkCodec.setUp(index, up), "set link #" + index + (up ? " up" : " down") + where);
    }

    @Override
    public synchronized void setMtu(int index, int mtu) {
        socket.request(LinkCodec.setMtu(index, mtu), "set mtu " + mtu + " on link #" + index + where);
    }

    /** Renames a link, keeping its index; EEXIST when the name is taken. */
    @Override
    public synchronized void setName(int index, String name) {
        IfNames.check(name);
        socket.request(LinkCodec.setName(index, name), "rename link #" + index + " to " + name + where);
    }

    @Override
    public synchronized void setMac(int index, byte[] mac) {
        Mac.check(mac);
        if (mac == null) {
            throw new IllegalArgumentException("MAC address is null");
        }
        socket.request(LinkCodec.setMac(index, mac), "set mac " + Mac.format(mac) + " on link #" + index + where);
    }

    /** Enslaves the link to {@code masterIndex}; 0 releases it (nomaster). */
    @Override
    public synchronized void setMaster(int index, int masterIndex) {
        String action = masterIndex == 0 ? "release link #" + index + " from its master"
                : "set master #" + masterIndex + " on link #" + index;
        socket.request(LinkCodec.setMaster(index, masterIndex), action + where);
    }

    /**
     * Takes a link off its master and puts it in a device group. For a bridge port this frees the
     * port at once (the kernel's {@code synchronize_net} under RTNL is an expedited grace period,
     * well under a millisecond), unlike deleting the link, which waits for a full one.
     */
    @Override
    public synchronized void detach(String name, int group) {
        IfNames.check(name);
        socket.requestUnless(LinkCodec.detach(name, group), "detach link " + name + " into group " + group + where,
                Errno.ENODEV);
    }

    /** Hairpin mode on a bridge port (reflect frames back out of the port they came in on). */
    @Override
    public synchronized void setBridgePortHairpin(int index, boolean on) {
        socket.request(LinkCodec.hairpin(index, on), "set hairpin " + (on ? "on" : "off") + " on link #" + index + where);
    }

    // ---- addresses

    @Override
    public synchronized List<Address> addresses() {
        List<Address> out = new ArrayList<>();
        for (NlMessage m : socket.dump(AddressCodec.dump(), "list addresses" + where)) {
            if (m.type() == Uapi.RTM_NEWADDR) {
                out.add(AddressCodec.decode(m));
            }
        }
        return out;
    }

    @Override
    public synchronized List<Address> addresses(int index) {
        return addresses().stream().filter(a -> a.index() == index).toList();
    }

    /** Adds an address; an existing equal address fails with EEXIST. */
    @Override
    public synchronized void addAddress(AddressSpec spec) {
        socket.request(AddressCodec.add(spec), "add address " + spec.address().getHostAddress() + "/"
                + spec.prefixLength() + " to link #" + spec.index() + where);
    }

    /** Removes an address; succeeds if it (or its link) is already gone. */
    @Override
    public synchronized void deleteAddress(int index, InetAddress address, int prefixLength) {
        String action = "delete address " + address.getHostAddress() + "/" + prefixLength + " from link #" + index
                + where;
        socket.requestUnless(AddressCodec.delete(index, address, prefixLength), action,
                Errno.EADDRNOTAVAIL, Errno.ENODEV);
    }

    // ---- routes

    /** Routes of the main table for AF_INET or AF_INET6. */
    @Override
    public synchronized List<Route> routes(int family) {
        List<Route> out = new ArrayList<>();
        for (NlMessage m : socket.dump(RouteCodec.dump(family), "list routes" + where)) {
            if (m.type() == Uapi.RTM_NEWROUTE) {
                Route r = RouteCodec.decode(m);
                if (r.table() == Uapi.RT_TABLE_MAIN && r.family() == family) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** Adds a route to the main table; an existing equal route fails with EEXIST. */
    @Override
    public synchronized void addRoute(RouteSpec spec) {
        socket.request(RouteCodec.add(spec), "add route " + describe(spec) + where);
    }

    /** Deletes a route from the main table; succeeds if it (or its interface) is already gone. */
    @Override
    public synchronized void deleteRoute(RouteSpec spec) {
        socket.requestUnless(RouteCodec.delete(spec), "delete route " + describe(spec) + where,
                Errno.ESRCH, Errno.ENODEV);
    }

    private static String describe(RouteSpec spec) {
        String dst = spec.destination() == null ? "default"
                : spec.destination().getHostAddress() + "/" + spec.prefixLength();
        return dst + (spec.gateway() == null ? "" : " via " + spec.gateway().getHostAddress())
                + (spec.outIndex() > 0 ? " dev #" + spec.outIndex() : "");
    }

    // ---- proxy neighbours

    /**
     * Answers neighbour solicitations (or ARP) for {@code address} on link {@code index}; idempotent.
     * A {@code protocol} other than 0 marks the entry as made by that program (NDA_PROTOCOL, shown
     * by {@code ip neigh show proxy} as {@code proto N}); it replaces the mark of an existing entry.
     */
    @Override
    public synchronized void addProxyNeighbour(int index, InetAddress address, int protocol) {
        socket.request(NeighbourCodec.addProxy(index, address, protocol),
                "add proxy neighbour " + address.getHostAddress() + " on link #" + index + where);
    }

    /** The proxy entry for {@code address} on link {@code index}, if there is one (one request, no dump). */
    @Override
    public synchronized Optional<ProxyNeighbour> proxyNeighbour(int index, InetAddress address) {
        List<NlMessage> replies = socket.requestUnless(NeighbourCodec.getProxy(index, address),
                "get proxy neighbour " + address.getHostAddress() + " on link #" + index + where,
                Errno.ENOENT, Errno.ENODEV);
        if (replies == null) {
            return Optional.empty();
        }
        return replies.stream()
                .filter(m -> m.type() == Uapi.RTM_NEWNEIGH)
                .map(NeighbourCodec::decode)
                .findFirst();
    }

    /** Removes a proxy entry; succeeds if it is already gone. */
    @Override
    public synchronized void deleteProxyNeighbour(int index, InetAddress address) {
        socket.requestUnless(NeighbourCodec.deleteProxy(index, address),
                "delete proxy neighbour " + address.getHostAddress() + " on link #" + index + where, Errno.ENOENT, Errno.ENODEV);
    }

    @Override
    public synchronized Link createVxlan(VxlanSpec spec) {
        String action = "create vxlan " + spec.name() + where;
        socket.request(LinkCodec.newVxlan(spec), action);
        return mustExist(spec.name(), action);
    }

    @Override
    public synchronized void replaceFdb(int index, byte[] mac, InetAddress remote) {
        socket.request(NeighbourCodec.replaceFdb(index, mac, remote),
                "add fdb " + Mac.format(mac) + " dst " + remote.getHostAddress() + " on link #" + index + where);
    }

    @Override
    public synchronized void deleteFdb(int index, byte[] mac, InetAddress remote) {
        socket.requestUnless(NeighbourCodec.deleteFdb(index, mac, remote),
                "delete fdb " + Mac.format(mac) + " on link #" + index + where, Errno.ENOENT, Errno.ENODEV);
    }

    @Override
    public synchronized void replaceNeighbour(int index, InetAddress address, byte[] mac) {
        socket.request(NeighbourCodec.replaceNeighbour(index, address, mac),
                "add neighbour " + address.getHostAddress() + " on link #" + index + where);
    }

    @Override
    public synchronized void deleteNeighbour(int index, InetAddress address) {
        socket.requestUnless(NeighbourCodec.deleteNeighbour(index, address),
                "delete neighbour " + address.getHostAddress() + " on link #" + index + where,
                Errno.ENOENT, Errno.ENODEV);
    }

    @Override
    public synchronized List<StaticNeighbour> neighbours(int family, int index) {
        List<StaticNeighbour> out = new ArrayList<>();
        for (NlMessage m : socket.dump(NeighbourCodec.dumpNeighbours(family), "list neighbours" + where)) {
            if (m.type() == Uapi.RTM_NEWNEIGH) {
                StaticNeighbour n = NeighbourCodec.decodeNeighbour(m);
                if (n.index() == index) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** Proxy entries of one family (AF_INET or AF_INET6). */
    @Override
    public synchronized List<ProxyNeighbour> proxyNeighbours(int family) {
        List<ProxyNeighbour> out = new ArrayList<>();
        for (NlMessage m : socket.dump(NeighbourCodec.dumpProxies(family), "list proxy neighbours" + where)) {
            if (m.type() == Uapi.RTM_NEWNEIGH) {
                out.add(NeighbourCodec.decode(m));
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        socket.close();
    }
}
