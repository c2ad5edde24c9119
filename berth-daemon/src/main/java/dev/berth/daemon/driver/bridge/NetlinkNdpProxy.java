package dev.berth.daemon.driver.bridge;

import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.spi.NdpProxy;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.ProxyNeighbour;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netlink.Rtnl;
import dev.berth.kernel.sysctl.Sysctls;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The NDP proxy of the daemon's own (host) namespace: proxy neighbour entries over rtnetlink, the
 * per-interface {@code net.ipv6.conf.<if>.proxy_ndp} switch through {@code /proc/sys}. Only the
 * calling thread's namespace is touched, which is the daemon's (as {@code HostForwarding}).
 *
 * <p>Ownership is recorded in the kernel, so it survives a crash: every entry Berth adds carries
 * the neighbour protocol {@link #PROTOCOL} (NDA_PROTOCOL, Linux 5.0+; {@code ip -6 neigh show proxy}
 * prints {@code proto 98}). An entry with any other protocol (an admin's {@code ip -6 neigh add
 * proxy}, ndppd's) is somebody else's: Berth does not add over it, does not delete it, and does not
 * remark it. The add looks first (RTM_GETNEIGH of the one entry), since the kernel's add would
 * take over an existing entry's mark.
 *
 * <p>On-link prefixes are those of global IPv6 addresses shorter than /128 (the kernel installs
 * the prefix route with them; NetworkManager's {@code noprefixroute} addresses count too, as it
 * installs the route itself), on every interface but {@code lo} and Berth's own bridges.
 */
public final class NetlinkNdpProxy implements NdpProxy {
    /** NDA_PROTOCOL of Berth's entries: 98 ("b"), unassigned in iproute2's {@code rt_protos}. */
    public static final int PROTOCOL = 98;
    private static final int RT_SCOPE_UNIVERSE = 0;

    private final Rtnl netlink;
    private final Sysctls sysctl;

    /** Over the daemon's own rtnetlink socket and the real {@code /proc/sys}. */
    public NetlinkNdpProxy(Rtnl netlink) {
        this(netlink, Sysctls.KERNEL);
    }

    NetlinkNdpProxy(Rtnl netlink, Sysctls sysctl) {
        this.netlink = netlink;
        this.sysctl = sysctl;
    }

    @Override
    public List<OnLink> onLink() {
        Map<Integer, Optional<Link>> links = new HashMap<>();
        List<OnLink> out = new ArrayList<>();
        for (Address a : netlink.addresses()) {
            if (!(a.address() instanceof Inet6Address) || a.scope() != RT_SCOPE_UNIVERSE || a.prefixLength() >= 128
                    || (a.flags() & Address.FLAG_DADFAILED) != 0) {
                continue;
            }
            Optional<Link> link = links.computeIfAbsent(a.index(), netlink::link);
            if (link.isPresent() && !link.get().name().equals("lo")
                    && link.get().group() != DeviceNames.OWNED_BRIDGE_GROUP && link.get().group() != LinkReaper.RETIRED_GROUP) {
                out.add(new OnLink(link.get().name(), new IpPrefix(a.address(), a.prefixLength()).masked()));
            }
        }
        return out;
    }

    @Override
    public boolean proxying(String device) {
        try {
            return "1".equals(sysctl.read(key(device)));
        } catch (KernelException e) {
            return false;
        }
    }

    @Override
    public void enable(String device) {
        sysctl.write(key(device), "1");
    }

    /** Slash form: an interface name may hold dots. */
    private static String key(String device) {
        return "net/ipv6/conf/" + device + "/proxy_ndp";
    }

    /** A device that is gone has nothing to proxy: nothing to do. */
    @Override
    public boolean add(Entry entry) {
        Optional<Link> link = netlink.link(entry.device());
        if (link.isEmpty()) {
            return true;
        }
        Optional<ProxyNeighbour> existing = netlink.proxyNeighbour(link.get().index(), entry.address());
        if (existing.isPresent()) {
            return existing.get().protocol() == PROTOCOL;
        }
        netlink.addProxyNeighbour(link.get().index(), entry.address(), PROTOCOL);
        return true;
    }

    @Override
    public void delete(Entry entry) {
        Optional<Link> link = netlink.link(entry.device());
        if (link.isEmpty()) {
            return;
        }
        Optional<ProxyNeighbour> existing = netlink.proxyNeighbour(link.get().index(), entry.address());
        if (existing.isPresent() && existing.get().protocol() == PROTOCOL) {
            netlink.deleteProxyNeighbour(link.get().index(), entry.address());
        }
    }

    @Override
    public Entries entries() {
        Map<Integer, Optional<Link>> links = new HashMap<>();
        Set<Entry> berths = new HashSet<>();
        Set<Entry> foreign = new HashSet<>();
        for (ProxyNeighbour p : netlink.proxyNeighbours(RtNetlink.AF_INET6)) {
            Optional<Link> link = p.index() == 0 ? Optional.empty() : links.computeIfAbsent(p.index(), netlink::link);
            if (link.isPresent()) {
                (p.protocol() == PROTOCOL ? berths : foreign).add(new Entry(link.get().name(), p.address()));
            }
        }
        return new Entries(berths, foreign);
    }
}
