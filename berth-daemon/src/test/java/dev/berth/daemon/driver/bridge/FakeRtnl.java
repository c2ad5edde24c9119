package dev.berth.daemon.driver.bridge;

import dev.berth.core.model.IpAddresses;
import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.AddressSpec;
import dev.berth.kernel.netlink.BridgeSpec;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.Mac;
import dev.berth.kernel.netlink.ProxyNeighbour;
import dev.berth.kernel.netlink.Route;
import dev.berth.kernel.netlink.RouteSpec;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netlink.Rtnl;
import dev.berth.kernel.netlink.StaticNeighbour;
import dev.berth.kernel.netlink.VethSpec;
import dev.berth.kernel.netlink.VxlanSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory rtnetlink namespace: links, addresses and main-table routes, with the kernel's
 * answers where the bridge driver relies on them (idempotent deletes, EEXIST, a full bridge's
 * EXFULL). Every request is recorded in {@link #calls} ({@code "deleteGroup 1650815604"}), and
 * any can be made to fail ({@link #refused}). A veth's peer goes into {@link #peers} (the fake of
 * the sandbox's namespace), as the fused RTM_NEWLINK places it there. VXLAN devices are links of
 * kind {@code vxlan} (their {@link VxlanSpec} in {@link #vxlans}), with static forwarding and
 * neighbour entries per device ({@link #neighbours(int, int)}); public for the overlay driver's test.
 */
public final class FakeRtnl implements Rtnl {
    private final AtomicInteger nextIndex = new AtomicInteger(100);
    public final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<Integer, Link> links = new ConcurrentHashMap<>();
    final List<Address> addresses = new CopyOnWriteArrayList<>();
    final List<Route> routes = new CopyOnWriteArrayList<>();
    /** Proxy neighbour entries (protocol 0 in the key) with their protocol mark. */
    final Map<ProxyNeighbour, Integer> proxies = new ConcurrentHashMap<>();
    /** Where veth peers are created; null puts them next to the host end. */
    volatile FakeRtnl peers;
    /** How many more createVeth requests fail with EXFULL (the bridge has no free port). */
    final AtomicInteger fullFor = new AtomicInteger();
    /** Fails deleteGroup requests with EPERM. */
    volatile boolean groupDeleteFails;
    /** Requests whose record starts with this fail with EPERM once recorded ({@code "setUp"}); null: none. */
    public volatile String refused;
    /** The spec each VXLAN device was made with, by its index. */
    public final Map<Integer, VxlanSpec> vxlans = new ConcurrentHashMap<>();
    /** Static entries by device index and family ({@code AF_BRIDGE}: forwarding entries), keyed by address and MAC. */
    private final Map<String, StaticNeighbour> entries = new ConcurrentHashMap<>();
    volatile boolean closed;

    public Link add(String name, String kind, int master, int group) {
        Link link = new Link(nextIndex.getAndIncrement(), name, kind, 1500, null, false, master, Link.OPER_DOWN, group);
        links.put(link.index(), link);
        return link;
    }

    public Optional<Link> byName(String name) {
        return links.values().stream().filter(l -> l.name().equals(name)).findFirst();
    }

    private void record(String call) {
        calls.add(call);
        String prefix = refused;
        if (prefix != null && call.startsWith(prefix)) {
            throw new KernelException(call, Errno.EPERM);
        }
    }

    private Link require(int index, String action) {
        Link link = links.get(index);
        if (link == null) {
            throw new KernelException(action, Errno.ENODEV);
        }
        return link;
    }

    private void replace(Link old, Link now) {
        links.put(old.index(), now);
    }

    @Override
    public List<Link> links() {
        return List.copyOf(links.values());
    }

    @Override
    public Optional<Link> link(String name) {
        return byName(name);
    }

    @Override
    public Optional<Link> link(int index) {
        return Optional.ofNullable(links.get(index));
    }

    @Override
    public Link createBridge(BridgeSpec spec) {
        record("createBridge " + spec.name() + " mtu " + spec.mtu() + " group " + spec.group());
        if (byName(spec.name()).isPresent()) {
            throw new KernelException("create bridge " + spec.name(), Errno.EEXIST);
        }
        Link bridge = new Link(nextIndex.getAndIncrement(), spec.name(), "bridge", spec.mtu(), spec.mac(), false, 0,
                Link.OPER_DOWN, spec.group());
        links.put(bridge.index(), bridge);
        return bridge;
    }

    @Override
    public Link createVeth(VethSpec spec) {
        record("createVeth " + spec.hostName());
        if (fullFor.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new KernelException("create veth " + spec.hostName(), Errno.EXFULL);
        }
        if (byName(spec.hostName()).isPresent()) {
            throw new KernelException("create veth " + spec.hostName(), Errno.EEXIST);
        }
        FakeRtnl peerSide = peers == null ? this : peers;
        Link hostEnd = new Link(nextIndex.getAndIncrement(), spec.hostName(), "veth", spec.mtu(), null, spec.hostUp(),
                spec.masterIndex(), Link.OPER_DOWN, 0);
        links.put(hostEnd.index(), hostEnd);
        Link peer = new Link(peerSide.nextIndex.getAndIncrement(), spec.peerName(), "veth", spec.mtu(), spec.peerMac(), false,
                0, Link.OPER_DOWN, 0);
        peerSide.links.put(peer.index(), peer);
        return hostEnd;
    }

    @Override
    public void deleteLink(int index) {
        record("deleteLink #" + index);
        remove(index);
    }

    @Override
    public void deleteLink(String name) {
        record("deleteLink " + name);
        byName(name).ifPresent(l -> remove(l.index()));
    }

    /** A link goes with its VXLAN spec and its table entries, as in the kernel. */
    private void remove(int index) {
        links.remove(index);
        vxlans.remove(index);
        entries.values().removeIf(e -> e.index() == index);
    }

    @Override
    public void setGroup(String name, int group) {
        record("setGroup " + name + " " + group);
        Link l = byName(name).orElseThrow(() -> new KernelException("set group of " + name, Errno.ENODEV));
        replace(l, new Link(l.index(), l.name(), l.kind(), l.mtu(), l.mac(), l.up(), l.masterIndex(), l.operState(), group));
    }

    @Override
    public void deleteGroup(int group) {
        record("deleteGroup " + group);
        if (groupDeleteFails) {
            throw new KernelException("delete group " + group, Errno.EPERM);
        }
        links.values().removeIf(l -> l.group() == group);
    }

    @Override
    public void setUp(int index, boolean up) {
        record("setUp #" + index + " " + up);
        Link l = require(index, "set up");
        replace(l, new Link(l.index(), l.name(), l.kind(), l.mtu(), l.mac(), up, l.masterIndex(), l.operState(), l.group()));
    }

    @Override
    public void setMtu(int index, int mtu) {
        record("setMtu #" + index + " " + mtu);
        Link l = require(index, "set mtu");
        replace(l, new Link(l.index(), l.name(), l.kind(), mtu, l.mac(), l.up(), l.masterIndex(), l.operState(), l.group()));
    }

    @Override
    public void setName(int index, String name) {
        record("setName #" + index + " " + name);
        Link l = require(index, "rename");
        replace(l, new Link(l.index(), name, l.kind(), l.mtu(), l.mac(), l.up(), l.masterIndex(), l.operState(), l.group()));
    }

    @Override
    public void setMac(int index, byte[] mac) {
        record("setMac #" + index);
    }

    @Override
    public void setMaster(int index, int masterIndex) {
        record("setMaster #" + index + " " + masterIndex);
        Link l = require(index, "set master");
        replace(l, new Link(l.index(), l.name(), l.kind(), l.mtu(), l.mac(), l.up(), masterIndex, l.operState(), l.group()));
    }

    @Override
    public void detach(String name, int group) {
        record("detach " + name + " " + group);
        byName(name).ifPresent(l -> replace(l, new Link(l.index(), l.name(), l.kind(), l.mtu(), l.mac(), l.up(), 0,
                l.operState(), group)));
    }

    @Override
    public void setBridgePortHairpin(int index, boolean on) {
        record("hairpin #" + index + " " + on);
    }

    @Override
    public List<Address> addresses() {
        return List.copyOf(addresses);
    }

    @Override
    public List<Address> addresses(int index) {
        return addresses.stream().filter(a -> a.index() == index).toList();
    }

    @Override
    public void addAddress(AddressSpec spec) {
        record("addAddress #" + spec.index() + " " + spec.address().getHostAddress() + "/" + spec.prefixLength()
                + (spec.noDad() ? " nodad" : ""));
        require(spec.index(), "add address");
        addresses.add(new Address(spec.index(), spec.address(), spec.prefixLength(), 0, 0));
    }

    @Override
    public void deleteAddress(int index, InetAddress address, int prefixLength) {
        record("deleteAddress #" + index + " " + address.getHostAddress() + "/" + prefixLength);
        addresses.removeIf(a -> a.index() == index && a.address().equals(address) && a.prefixLength() == prefixLength);
    }

    @Override
    public List<Route> routes(int family) {
        return routes.stream().filter(r -> r.family() == family).toList();
    }

    @Override
    public void addRoute(RouteSpec spec) {
        record("addRoute via " + spec.gateway().getHostAddress() + " #" + spec.outIndex());
        routes.add(new Route(spec.destination(), spec.prefixLength(), spec.gateway(), spec.outIndex(), 254, 0, 3,
                spec.family()));
    }

    @Override
    public void deleteRoute(RouteSpec spec) {
        record("deleteRoute via " + spec.gateway().getHostAddress() + " #" + spec.outIndex());
        routes.removeIf(r -> r.prefixLength() == spec.prefixLength() && r.outIndex() == spec.outIndex()
                && r.family() == spec.family());
    }

    @Override
    public void addProxyNeighbour(int index, InetAddress address, int protocol) {
        record("addProxyNeighbour #" + index + " " + address.getHostAddress() + (protocol == 0 ? "" : " proto " + protocol));
        require(index, "add proxy neighbour");
        // As the kernel: a repeat succeeds, and a mark of 0 keeps the entry's mark.
        proxies.merge(new ProxyNeighbour(index, address), protocol, (was, now) -> now == 0 ? was : now);
    }

    @Override
    public Optional<ProxyNeighbour> proxyNeighbour(int index, InetAddress address) {
        record("proxyNeighbour #" + index + " " + address.getHostAddress());
        Integer protocol = proxies.get(new ProxyNeighbour(index, address));
        return protocol == null ? Optional.empty() : Optional.of(new ProxyNeighbour(index, address, protocol));
    }

    @Override
    public void deleteProxyNeighbour(int index, InetAddress address) {
        record("deleteProxyNeighbour #" + index + " " + address.getHostAddress());
        proxies.remove(new ProxyNeighbour(index, address));
    }

    @Override
    public List<ProxyNeighbour> proxyNeighbours(int family) {
        record("proxyNeighbours");
        return proxies.entrySet().stream()
                .filter(e -> (e.getKey().address() instanceof java.net.Inet6Address) == (family == 10))
                .map(e -> new ProxyNeighbour(e.getKey().index(), e.getKey().address(), e.getValue())).toList();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public Link createVxlan(VxlanSpec spec) {
        record("createVxlan " + spec.name() + " id " + spec.vni() + " local " + spec.local().getHostAddress()
                + " dstport " + spec.port() + " mtu " + spec.mtu() + " group " + spec.group());
        if (byName(spec.name()).isPresent()) {
            throw new KernelException("create vxlan " + spec.name(), Errno.EEXIST);
        }
        Link vxlan = new Link(nextIndex.getAndIncrement(), spec.name(), "vxlan", spec.mtu() == 0 ? 1450 : spec.mtu(),
                null, false, 0, Link.OPER_DOWN, spec.group());
        links.put(vxlan.index(), vxlan);
        vxlans.put(vxlan.index(), spec);
        return vxlan;
    }

    private static String key(int index, int family, InetAddress address, String mac) {
        return index + " " + family + " " + address.getHostAddress() + (family == RtNetlink.AF_BRIDGE ? " " + mac : "");
    }

    private void requireVxlan(int index, String action) {
        if (!"vxlan".equals(require(index, action).kind())) {
            throw new KernelException(action, Errno.EOPNOTSUPP);
        }
    }

    @Override
    public void replaceFdb(int index, byte[] mac, InetAddress remote) {
        String text = Mac.format(mac);
        record("replaceFdb #" + index + " " + text + " dst " + remote.getHostAddress());
        requireVxlan(index, "replace fdb entry");
        entries.put(key(index, RtNetlink.AF_BRIDGE, remote, text), new StaticNeighbour(index, remote, text, 0x80));
    }

    @Override
    public void deleteFdb(int index, byte[] mac, InetAddress remote) {
        String text = Mac.format(mac);
        record("deleteFdb #" + index + " " + text + " dst " + remote.getHostAddress());
        entries.remove(key(index, RtNetlink.AF_BRIDGE, remote, text));
    }

    @Override
    public void replaceNeighbour(int index, InetAddress address, byte[] mac) {
        String text = Mac.format(mac);
        record("replaceNeighbour #" + index + " " + address.getHostAddress() + " " + text);
        require(index, "replace neighbour");
        int family = address instanceof java.net.Inet6Address ? RtNetlink.AF_INET6 : RtNetlink.AF_INET;
        entries.put(key(index, family, address, text), new StaticNeighbour(index, address, text, 0x80));
    }

    @Override
    public void deleteNeighbour(int index, InetAddress address) {
        record("deleteNeighbour #" + index + " " + address.getHostAddress());
        int family = address instanceof java.net.Inet6Address ? RtNetlink.AF_INET6 : RtNetlink.AF_INET;
        entries.remove(key(index, family, address, ""));
    }

    @Override
    public List<StaticNeighbour> neighbours(int family, int index) {
        return entries.entrySet().stream().filter(e -> e.getKey().startsWith(index + " " + family + " "))
                .map(Map.Entry::getValue).toList();
    }

    /** A device's entries of a family as text, sorted: "address mac" (forwarding entries: "mac address"). */
    public List<String> entries(int family, int index) {
        return neighbours(family, index).stream().map(e -> family == RtNetlink.AF_BRIDGE
                ? e.mac() + " " + IpAddresses.format(e.address()) : IpAddresses.format(e.address()) + " " + e.mac())
                .sorted().toList();
    }

    /** The names of the links, for assertions. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        links.values().forEach(l -> out.add(l.name()));
        return out.stream().sorted().toList();
    }
}
