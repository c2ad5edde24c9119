package dev.berth.daemon.driver.bridge;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.InternalException;
import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.core.spi.EndpointFailure;
import dev.berth.core.spi.EndpointJoin;
import dev.berth.core.spi.KernelDrift;
import dev.berth.core.spi.NetworkDriver;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.AddressSpec;
import dev.berth.kernel.netlink.BridgeSpec;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.sysctl.Sysctl;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The {@code bridge} driver: one Linux bridge per network, carrying the gateway address of each
 * pool, brought up with the network's MTU. {@link #ensure} converges whatever it finds. Endpoints
 * are veth pairs into the sandboxes ({@link EndpointLinks}).
 */
public final class BridgeDriver implements NetworkDriver, AutoCloseable {
    private static final int RT_SCOPE_UNIVERSE = 0;
    private final RtNetlink netlink;
    private final LinkReaper reaper;
    private final RandomGenerator random;
    private final HostForwarding forwarding;
    private final EndpointLinks endpoints;

    /** {@code netlink} must be bound to the daemon's host namespace. */
    public BridgeDriver(RtNetlink netlink, LinkReaper reaper, RandomGenerator random) {
        this.netlink = netlink;
        this.reaper = reaper;
        this.random = random;
        this.forwarding = new HostForwarding(netlink);
        this.endpoints = new EndpointLinks(netlink, reaper, forwarding, BridgeDriver::mtu);
    }

    @Override
    public String name() {
        return PredefinedNetworks.DRIVER_BRIDGE;
    }

    @Override
    public void ensure(Network network) {
        String device = DeviceNames.bridgeName(network);
        int mtu = mtu(network);
        try {
            Link link = netlink.link(device).orElseGet(() -> create(network, device, mtu));
            if (!"bridge".equals(link.kind())) {
                throw new ConflictException("cannot use " + device + " for network " + network.name()
                        + ": a device of kind " + link.kind() + " already has that name");
            }
            if (link.mtu() != mtu) {
                netlink.setMtu(link.index(), mtu);
            }
            quietIpv6(device);
            convergeAddresses(link.index(), network.ipam().pools());
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

    /**
     * Detaches the bridge at once (addresses gone, so its subnet and routes are free; down;
     * renamed, so its name is free) and leaves the slow kernel deletion to the {@link LinkReaper}.
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
            for (Address a : netlink.addresses(link.index())) {
                netlink.deleteAddress(link.index(), a.address(), a.prefixLength());
            }
            netlink.setUp(link.index(), false);
            String retired = DeviceNames.RETIRED_BRIDGE_PREFIX + HexFormat.of().toHexDigits(random.nextLong()).substring(4);
            netlink.setName(link.index(), retired);
            reaper.delete(retired);
        } catch (KernelException e) {
            throw new InternalException("delete bridge " + device + " of network " + network.name() + ": "
                    + e.getMessage(), e);
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
        try {
            return new BridgeDrift(netlink.links(), netlink.addresses()).of(networks, joins);
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
        return netlink.createBridge(new BridgeSpec(device, mtu, mac(network), false));
    }

    /** Each pool's gateway on the bridge; other global addresses of a managed family are removed. */
    private void convergeAddresses(int index, List<IpamPool> pools) {
        List<Address> present = netlink.addresses(index);
        for (Address a : present) {
            boolean managedFamily = pools.stream().anyMatch(p -> sameFamily(p.subnet().address(), a.address()));
            boolean wanted = pools.stream().anyMatch(p -> isGateway(p, a));
            if (managedFamily && a.scope() == RT_SCOPE_UNIVERSE && !wanted) {
                netlink.deleteAddress(index, a.address(), a.prefixLength());
            }
        }
        for (IpamPool pool : pools) {
            if (pool.gateway().isEmpty() || present.stream().anyMatch(a -> isGateway(pool, a))) {
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

    private static boolean sameFamily(InetAddress a, InetAddress b) {
        return (a instanceof Inet4Address) == (b instanceof Inet4Address);
    }

    /**
     * The bridge must not take a default route from router advertisements on its own segment. It
     * also skips duplicate address detection: the gateway is its own (added with NODAD), and while
     * the link-local address is still tentative the kernel sends no neighbour solicitations for
     * forwarded packets, so the first inbound IPv6 packets to a sandbox would be dropped for 1–2 s.
     */
    private static void quietIpv6(String device) {
        if (Files.isDirectory(Path.of("/proc/sys/net/ipv6/conf", device))) {
            Sysctl.write("net/ipv6/conf/" + device + "/accept_ra", "0");
            Sysctl.write("net/ipv6/conf/" + device + "/accept_dad", "0");
        }
    }

    static int mtu(Network network) {
        String value = network.options().get(PredefinedNetworks.OPT_MTU);
        return value == null || value.equals("0") ? PredefinedNetworks.DEFAULT_MTU : Integer.parseInt(value);
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
