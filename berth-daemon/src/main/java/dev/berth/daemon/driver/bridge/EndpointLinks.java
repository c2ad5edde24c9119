package dev.berth.daemon.driver.bridge;

import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.MacAddresses;
import dev.berth.core.model.Network;
import dev.berth.core.spi.EndpointFailure;
import dev.berth.core.spi.EndpointJoin;
import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netlink.AddressSpec;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.Route;
import dev.berth.kernel.netlink.RouteSpec;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netlink.Rtnl;
import dev.berth.kernel.netlink.VethSpec;
import dev.berth.kernel.sysctl.SysctlDir;
import dev.berth.kernel.sysctl.Sysctls;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The sandbox side of the bridge driver: a veth pair per endpoint, created with one fused
 * RTM_NEWLINK (peer named, MAC'd and placed straight in the sandbox namespace; host end on the
 * bridge and up), then the peer's addresses (IPv6 without DAD), link up and default routes
 * through the sandbox's own socket. Leaving removes the routes and downs the peer at once, takes
 * the host end off the bridge and queues the veth for deletion.
 */
final class EndpointLinks implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EndpointLinks.class.getName());
    private final Rtnl host;
    private final SandboxSockets sockets;
    private final Sysctls sysctl;
    private final LinkReaper reaper;
    private final HostForwarding forwarding;
    /** Bridge endpoints per sandbox namespace: its socket is closed when the last one leaves. */
    private final Map<String, Set<String>> joined = new HashMap<>();

    private final ToIntFunction<Network> mtu;
    /** The kernel's BR_MAX_PORTS. */
    static final int BRIDGE_PORTS = 1024;
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);
    /** Where the per-interface IPv6 switches are (see {@link SysctlDir}). */
    static final String IPV6_CONF = "net/ipv6/conf";
    /** The host namespace's {@link #IPV6_CONF}, opened once: every join writes below it. */
    private final SysctlDir hostIpv6Conf;

    /** With the kernel seams: sandbox sockets and sysctls (the driver's own; unit tests pass fakes). */
    EndpointLinks(Rtnl host, LinkReaper reaper, HostForwarding forwarding, ToIntFunction<Network> mtu,
                  SandboxSockets sockets, Sysctls sysctl) {
        this.host = host;
        this.sockets = sockets;
        this.sysctl = sysctl;
        this.reaper = reaper;
        this.forwarding = forwarding;
        this.mtu = mtu;
        this.hostIpv6Conf = sysctl.dir(IPV6_CONF);
    }

    synchronized void join(EndpointJoin join) {
        reaper.busy();
        Endpoint e = join.endpoint();
        String where = where("connect", join);
        try {
            Link bridge = bridge(join.network());
            SandboxSockets.Handle sandbox = sockets.get(join.sandbox().netnsPath());
            joined.computeIfAbsent(join.sandbox().netnsPath(), k -> new HashSet<>()).add(e.hostIfName());
            removeStalePeer(sandbox.netlink(), e);
            Link hostEnd = createVeth(join, new VethSpec(e.hostIfName(), e.ifName(), MacAddresses.bytes(e.mac()),
                    mtu.applyAsInt(join.network()), bridge.index(), false, sandbox.ns()));
            try {
                withoutIpv6(e.hostIfName());
                host.setBridgePortHairpin(hostEnd.index(), true);
                host.setUp(hostEnd.index(), true);
                configurePeer(sandbox, e);
            } catch (KernelException | InvalidParameterException failure) {
                host.deleteLink(hostEnd.index());
                throw failure;
            }
            if (e.ipv4() != null) {
                forwarding.ensureIpv4();
            }
        } catch (KernelException | IllegalArgumentException ex) {
            forget(join);
            throw new InternalException(where + ": " + ex.getMessage(), ex);
        } catch (UnavailableException | InvalidParameterException ex) {
            forget(join);
            throw ex;
        }
    }

    /**
     * The planner gives {@code eth<N>} free among the stored endpoints; an interface of that name
     * still in the sandbox belongs to none of them (a crash between the store forgetting an endpoint
     * and its peer being retired, or a half-made endpoint being made again), so it goes: a veth
     * takes its host end with it.
     */
    private static void removeStalePeer(Rtnl sandbox, Endpoint e) {
        sandbox.link(e.ifName()).ifPresent(stale -> sandbox.deleteLink(stale.index()));
    }

    /**
     * Creates the pair on the bridge. A Linux bridge takes at most {@value #BRIDGE_PORTS} ports
     * ({@code EXFULL} beyond): when it is full, ports of disconnected endpoints may still be
     * queued for deletion, so wait for those once and try again; still full is the caller's error.
     */
    private Link createVeth(EndpointJoin join, VethSpec spec) {
        try {
            return host.createVeth(spec);
        } catch (KernelException full) {
            if (full.errno() != Errno.EXFULL) {
                throw full;
            }
        }
        reaper.drain(DRAIN_LIMIT);
        try {
            return host.createVeth(spec);
        } catch (KernelException full) {
            if (full.errno() != Errno.EXFULL) {
                throw full;
            }
            throw new UnavailableException(where("connect", join) + ": the network's bridge "
                    + DeviceNames.bridgeName(join.network()) + " has no free port: a Linux bridge holds at most "
                    + BRIDGE_PORTS + " interfaces", full);
        }
    }

    /**
     * The host end is a bridge port and needs no IPv6 of its own: with it disabled before the
     * port comes up, the port gets no link-local address, no routes and no multicast
     * memberships, so the host's IPv6 routing table does not grow by three routes per sandbox,
     * which every later add and remove of a port walks. Nothing to do when the kernel has no IPv6.
     */
    private void withoutIpv6(String hostEnd) {
        sysctl.writeIfPresent(hostIpv6Conf, hostEnd + "/disable_ipv6", "1");
    }

    /**
     * Addresses and up. A sandbox namespace starts with IPv6 off for new interfaces (Docker's
     * {@code disable_ipv6=1} on interfaces of IPv4-only networks), so an endpoint with an IPv6
     * address turns it on first.
     */
    private void configurePeer(SandboxSockets.Handle handle, Endpoint e) {
        Rtnl sandbox = handle.netlink();
        Link peer = sandbox.link(e.ifName()).orElseThrow(
                () -> new KernelException("find " + e.ifName(), "peer not in the sandbox after creation"));
        List<IpPrefix> linkLocal = EndpointRepair.linkLocal(e);
        if (e.ipv6() != null || linkLocal.stream().anyMatch(p -> p.address() instanceof Inet6Address)) {
            sysctl.write(handle.ns(), handle.dir(sysctl, IPV6_CONF), e.ifName() + "/disable_ipv6", "0");
        }
        if (e.ipv4() != null) {
            sandbox.addAddress(new AddressSpec(peer.index(), e.ipv4().address(), e.ipv4().length(), false));
        }
        if (e.ipv6() != null) {
            sandbox.addAddress(new AddressSpec(peer.index(), e.ipv6().address(), e.ipv6().length(), true));
        }
        for (IpPrefix p : linkLocal) {
            sandbox.addAddress(new AddressSpec(peer.index(), p.address(), p.length(), p.address() instanceof Inet6Address));
        }
        applySysctls(handle, e);
        sandbox.setUp(peer.index(), true);
    }

    /**
     * The endpoint's {@link Endpoint.Requested#SYSCTLS} on its interface, as moby sets them: after its
     * addresses, before it comes up, {@code IFNAME} standing for its name ({@code net.X.Y.IFNAME.Z=V} is
     * {@code /proc/sys/net/X/Y/eth1/Z} in the sandbox). The planner checked their shape; a key the kernel
     * does not have, or a value it refuses, is the request's fault: a 400 with moby's words, and the
     * connect is undone.
     */
    private void applySysctls(SandboxSockets.Handle handle, Endpoint e) {
        for (String item : e.requested().sysctls()) {
            int eq = item.indexOf('=');
            String[] key = item.substring(0, eq).split("\\.");
            String value = item.substring(eq + 1);
            String path = String.join("/", key[0], key[1], key[2], e.ifName(), key[4]);
            try {
                sysctl.write(handle.ns(), path, value);
            } catch (KernelException refused) {
                if (refused.errno() == Errno.ENOENT) {
                    throw new InvalidParameterException("/proc/sys/" + path + " is not a sysctl file", refused);
                }
                if (refused.errno() == Errno.EINVAL) {
                    throw new InvalidParameterException("unable to write to '/proc/sys/" + path + "': invalid argument",
                            refused);
                }
                throw refused;
            }
        }
    }

    synchronized void leave(EndpointJoin join) {
        reaper.busy();
        Endpoint e = join.endpoint();
        String path = join.sandbox().netnsPath();
        try {
            if (joined.containsKey(path)) {
                Rtnl sandbox = sockets.get(path).netlink();
                Optional<Link> peer = sandbox.link(e.ifName());
                if (peer.isPresent()) {
                    retirePeer(sandbox, peer.get(), e);
                }
            }
        } catch (KernelException ex) {
            throw new InternalException(where("disconnect", join) + ": " + ex.getMessage(), ex);
        } finally {
            if (freePort(e.hostIfName())) {
                reaper.deleteGrouped(e.hostIfName());
            } else {
                reaper.delete(e.hostIfName());
            }
            forget(join);
        }
    }

    /**
     * Takes the retired host end off the bridge now (a fraction of a millisecond) rather than when
     * the reaper deletes it (up to {@value LinkReaper#MAX_DEFER_MS} ms later), so a busy bridge
     * near its {@value #BRIDGE_PORTS} ports never fills up with them. The same request puts it in
     * the reaper's group, which only retired links join: a crash before the reaper deletes it
     * leaves nothing that start-up's sweep misses, and the reaper need not group it again. If it
     * fails (false), the port stays until the reaper runs, as before.
     */
    private boolean freePort(String hostEnd) {
        try {
            host.detach(hostEnd, LinkReaper.RETIRED_GROUP);
            return true;
        } catch (KernelException ex) {
            LOG.log(Level.WARNING, "detach " + hostEnd + " from its bridge: " + ex.getMessage(), ex);
            return false;
        }
    }

    /**
     * Takes the sandbox end out of service at once: no routes, no addresses, down, and renamed to
     * {@code gone} plus the host end's suffix, so {@code eth<N>} is free for the next connect
     * while the kernel's slow veth deletion runs in the background.
     */
    private static void retirePeer(Rtnl sandbox, Link peer, Endpoint e) {
        for (boolean v6 : new boolean[] {false, true}) {
            deleteDefaultRoutes(sandbox, peer.index(), v6);
        }
        sandbox.setUp(peer.index(), false);
        for (var address : sandbox.addresses(peer.index())) {
            sandbox.deleteAddress(peer.index(), address.address(), address.prefixLength());
        }
        sandbox.setName(peer.index(), DeviceNames.RETIRED_PEER_PREFIX + e.hostIfName().substring(DeviceNames.VETH_PREFIX.length()));
    }

    /**
     * Replaces the sandbox's default route of a family by one via the network's router (its gateway,
     * or the pool's {@code DefaultGatewayIPv4/6}), or removes the family's default routes out of the
     * endpoint's interface, whatever router they use (a reload may have taken the network's away).
     */
    synchronized void defaultRoute(EndpointJoin join, boolean v6, boolean on) {
        Optional<InetAddress> gateway = join.network().ipam().pools().stream()
                .filter(p -> p.isIpv4() != v6).findFirst().flatMap(IpamPool::router);
        if (on && gateway.isEmpty()) {
            return;
        }
        try {
            Rtnl sandbox = sockets.get(join.sandbox().netnsPath()).netlink();
            Link peer = sandbox.link(join.endpoint().ifName()).orElseThrow(
                    () -> new KernelException("find " + join.endpoint().ifName(), "no such interface in the sandbox"));
            if (on) {
                if (isOnlyDefaultRoute(sandbox, v6, gateway.get(), peer.index())) {
                    return;
                }
                deleteDefaultRoutes(sandbox, 0, v6);
                sandbox.addRoute(new RouteSpec(null, 0, gateway.get(), peer.index(), family(v6)));
            } else {
                deleteDefaultRoutes(sandbox, peer.index(), v6);
            }
        } catch (KernelException ex) {
            throw new InternalException((on ? "set" : "remove") + " default route"
                    + gateway.map(g -> " via " + g.getHostAddress()).orElse("") + " in sandbox "
                    + join.sandbox().name() + ": " + ex.getMessage(), ex);
        }
    }

    /** Whether the family's only default route is already the one wanted (start-up and reconcile re-apply it). */
    private static boolean isOnlyDefaultRoute(Rtnl sandbox, boolean v6, InetAddress gateway, int index) {
        List<Route> defaults = sandbox.routes(family(v6)).stream()
                .filter(r -> r.isDefault() && r.destination() == null).toList();
        return defaults.size() == 1 && defaults.getFirst().outIndex() == index
                && gateway.equals(defaults.getFirst().gateway());
    }

    /** Default routes of a family, only those out of {@code index} unless it is 0. */
    private static void deleteDefaultRoutes(Rtnl sandbox, int index, boolean v6) {
        for (Route r : sandbox.routes(family(v6))) {
            if (r.isDefault() && r.destination() == null && (index == 0 || r.outIndex() == index)) {
                sandbox.deleteRoute(new RouteSpec(null, 0, r.gateway(), r.outIndex(), family(v6)));
            }
        }
    }

    /**
     * A reload changed the endpoint's addresses: its interface gets exactly them ({@link
     * EndpointRepair#peer}: IPv6 on for an IPv6 address, off without one).
     */
    synchronized void readdress(EndpointJoin join) {
        Endpoint e = join.endpoint();
        try {
            SandboxSockets.Handle sandbox = sockets.get(join.sandbox().netnsPath());
            joined.computeIfAbsent(join.sandbox().netnsPath(), k -> new HashSet<>()).add(e.hostIfName());
            Link peer = sandbox.netlink().link(e.ifName()).orElseThrow(
                    () -> new KernelException("find " + e.ifName(), "no such interface in the sandbox"));
            EndpointRepair.peer(sandbox, peer, e, mtu.applyAsInt(join.network()), sysctl);
        } catch (KernelException | IllegalArgumentException ex) {
            throw new InternalException(where("re-address", join) + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Start-up and reconcile: every stored endpoint is verified and converged. A pair that exists is
     * repaired in place ({@link EndpointRepair}); one that is missing or half-made (no host end, no
     * peer, a peer of another endpoint, a host end whose peer lives in an old namespace) is removed
     * and made again. {@code veth*} ports of these bridges that belong to no endpoint are queued for
     * deletion, on bridges Berth created only (a user's bridge may have veths of the user's). An
     * endpoint that fails (its namespace gone, say) is returned and the others go on.
     */
    synchronized List<EndpointFailure> restore(Collection<Network> networks, Collection<EndpointJoin> joins) {
        Map<String, Link> links = new HashMap<>();
        host.links().forEach(l -> links.put(l.name(), l));
        Map<String, Integer> bridges = new HashMap<>();
        Set<Integer> ownBridges = new HashSet<>();
        for (Network n : networks) {
            Link bridge = links.get(DeviceNames.bridgeName(n));
            if (bridge != null && "bridge".equals(bridge.kind())) {
                bridges.put(bridge.name(), bridge.index());
                if (BridgeOwnership.of(bridge, n) == BridgeOwnership.BERTH) {
                    ownBridges.add(bridge.index());
                }
            }
        }
        // every namespace's socket at once, on a few threads that visit one after another
        sockets.openAll(joins.stream().map(j -> j.sandbox().netnsPath()).toList());
        List<EndpointFailure> failed = new ArrayList<>();
        for (EndpointJoin j : joins) {
            try {
                converge(j, links.get(j.endpoint().hostIfName()), bridges.get(DeviceNames.bridgeName(j.network())));
            } catch (KernelException | IllegalArgumentException e) {
                failed.add(new EndpointFailure(j, new InternalException(where("restore", j) + ": " + e.getMessage(), e)));
            } catch (RuntimeException e) {
                failed.add(new EndpointFailure(j, e));
            }
        }
        Set<String> known = joins.stream().map(j -> j.endpoint().hostIfName()).collect(Collectors.toSet());
        for (Link link : links.values()) {
            if ("veth".equals(link.kind()) && link.name().startsWith(DeviceNames.VETH_PREFIX)
                    && ownBridges.contains(link.masterIndex()) && !known.contains(link.name())) {
                reaper.delete(link.name());
            }
        }
        return failed;
    }

    private void converge(EndpointJoin j, Link hostEnd, Integer bridge) {
        Endpoint e = j.endpoint();
        if (bridge == null) {
            throw new KernelException("find bridge " + DeviceNames.bridgeName(j.network()), "no such bridge");
        }
        SandboxSockets.Handle sandbox = sockets.get(j.sandbox().netnsPath());
        Link peer = sandbox.netlink().link(e.ifName()).orElse(null);
        if (!EndpointRepair.isPair(hostEnd, peer, e)) {
            if (hostEnd != null && "veth".equals(hostEnd.kind())) {
                host.deleteLink(hostEnd.index());
            }
            join(j);
            return;
        }
        joined.computeIfAbsent(j.sandbox().netnsPath(), k -> new HashSet<>()).add(e.hostIfName());
        int wanted = mtu.applyAsInt(j.network());
        EndpointRepair.hostEnd(host, hostEnd, bridge, wanted);
        EndpointRepair.peer(sandbox, peer, e, wanted, sysctl);
    }

    private Link bridge(Network network) {
        String name = DeviceNames.bridgeName(network);
        return host.link(name).orElseThrow(() -> new KernelException("find bridge " + name, "no such device"));
    }

    private void forget(EndpointJoin join) {
        String path = join.sandbox().netnsPath();
        Set<String> links = joined.get(path);
        if (links != null) {
            links.remove(join.endpoint().hostIfName());
        }
        if (links == null || links.isEmpty()) {
            joined.remove(path);
            sockets.close(path);
        }
    }

    private static int family(boolean v6) {
        return v6 ? RtNetlink.AF_INET6 : RtNetlink.AF_INET;
    }

    private static String where(String verb, EndpointJoin join) {
        return verb + " " + join.sandbox().name() + (verb.equals("disconnect") ? " from" : verb.equals("re-address") ? " on" : " to") + " network " + join.network().name() + " ("
                + join.endpoint().hostIfName() + " / " + join.endpoint().ifName() + ")";
    }

    @Override
    public synchronized void close() {
        hostIpv6Conf.close();
        sockets.close();
    }
}
