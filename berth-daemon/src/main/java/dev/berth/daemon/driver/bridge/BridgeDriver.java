package dev.berth.daemon.driver.bridge;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.model.BridgeOptions;
import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.GatewayMode;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.spi.EndpointFailure;
import dev.berth.core.spi.EndpointJoin;
import dev.berth.core.spi.KernelDrift;
import dev.berth.core.spi.NetworkDriver;
import dev.berth.kernel.ffm.KernelErrors;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.AddressSpec;
import dev.berth.kernel.netlink.BridgeSpec;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.Rtnl;
import dev.berth.kernel.netns.NsVisitors;
import dev.berth.kernel.sysctl.Sysctls;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * The {@code bridge} driver: one Linux bridge per network, carrying the gateway address of each
 * pool, brought up with the network's MTU. {@link #ensure} converges whatever it finds. Endpoints
 * are veth pairs into the sandboxes ({@link EndpointLinks}).
 */
public final class BridgeDriver implements NetworkDriver, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BridgeDriver.class.getName());
    private static final int RT_SCOPE_UNIVERSE = 0;
    private final Rtnl netlink;
    /** Where {@link #drift} dumps: {@link #netlink} unless a socket of its own was given. */
    private final Rtnl dumps;
    private final LinkReaper reaper;
    private final RandomGenerator random;
    private final Sysctls sysctl;
    private final HostForwarding forwarding;
    private final EndpointLinks endpoints;

    /** {@code netlink} must be bound to the daemon's host namespace. */
    public BridgeDriver(Rtnl netlink, LinkReaper reaper, RandomGenerator random) {
        this(netlink, netlink, reaper, random, new SandboxSockets(), Sysctls.KERNEL);
    }

    /**
     * With a second socket in the host namespace for {@link #drift}'s dumps (a socket serves one
     * request at a time, and at a thousand sandboxes a link dump takes some 10 ms, which connects
     * should not wait for), the sockets it opens inside sandboxes telling {@code errors} of the
     * kernel's error answers, and {@code visitors} opening the sockets of every stored sandbox at
     * once when {@link #restore} starts (one visit per namespace on a few long-lived threads,
     * instead of a thread per namespace).
     */
    public BridgeDriver(Rtnl netlink, Rtnl dumps, LinkReaper reaper, RandomGenerator random, KernelErrors errors,
                        NsVisitors visitors) {
        this(netlink, dumps, reaper, random, new SandboxSockets(SandboxSockets.Opener.kernel(errors, visitors)),
                Sysctls.KERNEL);
    }

    /** With the kernel seams given: sandbox sockets and sysctls (unit tests pass fakes). */
    BridgeDriver(Rtnl netlink, LinkReaper reaper, RandomGenerator random, SandboxSockets sockets, Sysctls sysctl) {
        this(netlink, netlink, reaper, random, sockets, sysctl);
    }

    private BridgeDriver(Rtnl netlink, Rtnl dumps, LinkReaper reaper, RandomGenerator random, SandboxSockets sockets,
                         Sysctls sysctl) {
        this.netlink = netlink;
        this.dumps = dumps;
        this.reaper = reaper;
        this.random = random;
        this.sysctl = sysctl;
        this.forwarding = new HostForwarding(netlink, sysctl);
        this.endpoints = new EndpointLinks(netlink, reaper, forwarding, BridgeDriver::mtu, sockets, sysctl);
    }

    @Override
    public String name() {
        return PredefinedNetworks.DRIVER_BRIDGE;
    }

    /** Refuses a name held by a device of another kind (a veth, {@code lo}, a NIC) before anything is stored. */
    @Override
    public void check(Network network) {
        String device = DeviceNames.bridgeName(network);
        try {
            Optional<Link> found = netlink.link(device);
            if (found.isPresent() && BridgeOwnership.of(found.get(), network) == BridgeOwnership.NOT_A_BRIDGE) {
                throw notABridge(found.get(), network);
            }
        } catch (KernelException e) {
            throw new InternalException("look up " + device + " for network " + network.name() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void ensure(Network network) {
        String device = DeviceNames.bridgeName(network);
        int mtu = mtu(network);
        try {
            Link link = netlink.link(device).orElseGet(() -> create(network, device, mtu));
            BridgeOwnership owner = BridgeOwnership.of(link, network);
            if (owner == BridgeOwnership.NOT_A_BRIDGE) {
                throw notABridge(link, network);
            }
            if (owner == BridgeOwnership.BERTH && link.group() != DeviceNames.OWNED_BRIDGE_GROUP) {
                // a bridge made before ownership was recorded: record it now, before a removal renames it
                netlink.setGroup(device, DeviceNames.OWNED_BRIDGE_GROUP);
            }
            // a user's bridge keeps its MTU unless the network asks for one (moby: setupMTU only if Mtu > 0)
            if (link.mtu() != mtu && owner.managesMtu(network)) {
                netlink.setMtu(link.index(), mtu);
            }
            quietIpv6(device);
            BridgeOptions options = BridgeOptions.of(network);
            if (network.flags().enableIpv6() && options.gatewayModeIpv6() == GatewayMode.ISOLATED) {
                // moby's setupIPv6 for gateway mode isolated: no IPv6 on the bridge at all, not even link-local
                sysctl.writeIfPresent("net/ipv6/conf/" + device + "/disable_ipv6", "1");
            }
            // docker0 is Docker's by definition, adopted or not: moby replaces its addresses too
            convergeAddresses(link.index(), options.gatewaysOnBridge(network.ipam().pools()),
                    owner == BridgeOwnership.BERTH || network.isPredefined());
            if (!link.up()) {
                netlink.setUp(link.index(), true);
            }
            if (network.flags().enableIpv6()) {
                forwarding.ensureIpv6();
            }
        } catch (KernelException e) {
            throw new InternalException("ensure bridge " + device + " of network " + network.name() + ": "
                    + e.getMessage(), e);
        }
    }

    private static ConflictException notABridge(Link link, Network network) {
        String what = link.kind() == null ? "a device without a link kind (such as lo or a NIC)"
                : "a " + link.kind() + " device";
        return new ConflictException("cannot use " + link.name() + " as the bridge of network " + network.name()
                + ": existing interface " + link.name() + " is not a bridge (it is " + what + ")");
    }

    /**
     * A bridge Berth created is detached at once (addresses gone, so its subnet and routes are
     * free; down; renamed, so its name is free) and the slow kernel deletion is left to the
     * {@link LinkReaper}. A user's bridge only loses this network's gateway addresses; any other
     * device is not touched at all (see {@link BridgeOwnership}).
     */
    @Override
    public void delete(Network network) {
        String device = DeviceNames.bridgeName(network);
        try {
            Optional<Link> found = netlink.link(device);
            if (found.isEmpty()) {
                return;
            }
            Link link = found.get();
            switch (BridgeOwnership.of(link, network)) {
                case BERTH -> retire(link);
                case USER -> {
                    LOG.info("network " + network.name() + " removed; keeping bridge " + device
                            + ": Berth did not create it");
                    removeGateways(link.index(), network.ipam().pools());
                }
                case NOT_A_BRIDGE -> LOG.info("network " + network.name() + " removed; not touching " + device
                        + ": it is not a bridge of Berth's");
            }
        } catch (KernelException e) {
            throw new InternalException("delete bridge " + device + " of network " + network.name() + ": "
                    + e.getMessage(), e);
        }
    }

    private void retire(Link link) {
        for (Address a : netlink.addresses(link.index())) {
            netlink.deleteAddress(link.index(), a.address(), a.prefixLength());
        }
        netlink.setUp(link.index(), false);
        if (link.group() != DeviceNames.OWNED_BRIDGE_GROUP) {
            // so that the start-up sweep knows the bx- device as Berth's if the reaper never gets to it
            netlink.setGroup(link.name(), DeviceNames.OWNED_BRIDGE_GROUP);
        }
        String retired = DeviceNames.RETIRED_BRIDGE_PREFIX + HexFormat.of().toHexDigits(random.nextLong()).substring(4);
        netlink.setName(link.index(), retired);
        reaper.delete(retired);
    }

    private void removeGateways(int index, List<IpamPool> pools) {
        for (Address a : netlink.addresses(index)) {
            if (pools.stream().anyMatch(p -> isGateway(p, a))) {
                netlink.deleteAddress(index, a.address(), a.prefixLength());
            }
        }
    }

    @Override
    public void join(EndpointJoin join) {
        endpoints.join(join);
    }

    @Override
    public void leave(EndpointJoin join) {
        endpoints.leave(join);
    }

    @Override
    public void readdress(EndpointJoin join) {
        endpoints.readdress(join);
    }

    @Override
    public void defaultRoute(EndpointJoin join, boolean ipv6, boolean on) {
        endpoints.defaultRoute(join, ipv6, on);
    }

    @Override
    public List<EndpointFailure> restore(Collection<Network> networks, Collection<EndpointJoin> joins) {
        try {
            return endpoints.restore(networks, joins);
        } catch (KernelException e) {
            throw new InternalException("restore bridge endpoints: " + e.getMessage(), e);
        }
    }

    /** One link dump and one address dump of the host namespace, compared by {@link BridgeDrift}. */
    @Override
    public List<KernelDrift> drift(Collection<Network> networks, Collection<EndpointJoin> joins) {
        return drift(networks, joins, links -> List.of());
    }

    /**
     * {@link #drift(Collection, Collection)}, plus what {@code more} finds in the same link dump (the
     * overlay driver's look at its VXLAN devices), so a reconcile pass dumps the links once.
     */
    public List<KernelDrift> drift(Collection<Network> networks, Collection<EndpointJoin> joins,
                                   Function<List<Link>, List<KernelDrift>> more) {
        try {
            List<Link> links = dumps.links();
            List<KernelDrift> out = new ArrayList<>(new BridgeDrift(links, dumps.addresses()).of(networks, joins));
            out.addAll(more.apply(links));
            return out;
        } catch (KernelException e) {
            throw new InternalException("check bridge networks: " + e.getMessage(), e);
        }
    }

    /** Closes the sandbox sockets (the daemon closes the {@link LinkReaper}). */
    @Override
    public void close() {
        endpoints.close();
    }

    private Link create(Network network, String device, int mtu) {
        // No multicast snooping: with it, every port added or removed walks every port's multicast
        // timers, which made attach at 1000 sandboxes twice as slow; multicast is flooded like
        // ARP broadcasts instead.
        // The ownership group goes into the creating request itself: see BridgeOwnership.
        return netlink.createBridge(new BridgeSpec(device, mtu, mac(network), false, DeviceNames.OWNED_BRIDGE_GROUP));
    }

    /**
     * Each gateway of {@code gateways} on the bridge. With {@code exclusive} (a bridge of Berth's,
     * or docker0), every other global address is removed, also of a family the network no longer
     * has (docker0 after {@code ipv6} was turned off) or of a family in gateway mode isolated; a
     * user's bridge keeps the addresses it had.
     */
    private void convergeAddresses(int index, List<IpamPool> gateways, boolean exclusive) {
        List<Address> present = netlink.addresses(index);
        for (Address a : exclusive ? present : List.<Address>of()) {
            boolean wanted = gateways.stream().anyMatch(p -> isGateway(p, a));
            if (a.scope() == RT_SCOPE_UNIVERSE && !wanted) {
                netlink.deleteAddress(index, a.address(), a.prefixLength());
            }
        }
        for (IpamPool pool : gateways) {
            if (present.stream().anyMatch(a -> isGateway(pool, a))) {
                continue;
            }
            InetAddress gateway = pool.gateway().get();
            netlink.addAddress(new AddressSpec(index, gateway, pool.subnet().length(), gateway instanceof Inet6Address));
        }
    }

    private static boolean isGateway(IpamPool pool, Address a) {
        return pool.gateway().map(g -> g.equals(a.address())).orElse(false)
                && pool.subnet().length() == a.prefixLength();
    }

    /**
     * The bridge must not take a default route from router advertisements on its own segment. It
     * also skips duplicate address detection: the gateway is its own (added with NODAD), and while
     * the link-local address is still tentative the kernel sends no neighbour solicitations for
     * forwarded packets, so the first inbound IPv6 packets to a sandbox would be dropped for 1–2 s.
     * A kernel without IPv6 has no such keys: nothing to do.
     */
    private void quietIpv6(String device) {
        if (sysctl.writeIfPresent("net/ipv6/conf/" + device + "/accept_ra", "0")) {
            sysctl.write("net/ipv6/conf/" + device + "/accept_dad", "0");
        }
    }

    /** The MTU of the network's bridge and veths (for the overlay driver's VXLAN device too). */
    public int mtuOf(Network network) {
        return mtu(network);
    }

    /** The MTU of the network's bridge and veths: the one it asks for, else Docker's default. */
    static int mtu(Network network) {
        return BridgeOptions.of(network).effectiveMtu();
    }

    /**
     * A unicast, locally administered MAC derived from the network id, so the bridge's MAC never
     * follows its ports and a bridge made again (deleted while the daemon ran or was down) has the
     * MAC it had: the sandboxes' neighbour entries for the gateway stay right. With a new MAC they
     * would point at the old one until the kernel finds them stale, and the gateway would be
     * unreachable for up to half a minute.
     */
    static byte[] mac(Network network) {
        byte[] id = HexFormat.of().parseHex(network.id().value().substring(0, 12));
        id[0] = (byte) ((id[0] & 0xfe) | 0x02);
        return id;
    }
}
