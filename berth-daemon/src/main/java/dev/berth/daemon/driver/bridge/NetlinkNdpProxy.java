package dev.berth.daemon.driver.bridge;

import dev.berth.core.spi.NdpProxy;
import dev.berth.daemon.onlink.OnLinkPrefixes;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.ProxyNeighbour;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netlink.Rtnl;
import dev.berth.kernel.sysctl.Sysctls;
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
 * <p>On-link prefixes are those {@link OnLinkPrefixes} finds (the doctor applies the same rule): the
 * prefixes of the interfaces' global IPv6 addresses and their on-link IPv6 routes, on every
 * interface but {@code lo} and Berth's own devices.
 */
public final class NetlinkNdpProxy implements NdpProxy {
    /** NDA_PROTOCOL of Berth's entries: 98 ("b"), unassigned in iproute2's {@code rt_protos}. */
    public static final int PROTOCOL = 98;

    private final Rtnl netlink;
    private final Rtnl dumps;
    private final Sysctls sysctl;

    /**
     * Over the daemon's own rtnetlink socket and the real {@code /proc/sys}; the dumps of
     * {@link #onLink} and {@link #entries} go through {@code dumps} (a socket of their own, so
     * that the reconcile loop's dumps do not hold up the connects' requests).
     */
    public NetlinkNdpProxy(Rtnl netlink, Rtnl dumps) {
        this(netlink, dumps, Sysctls.KERNEL);
    }

    NetlinkNdpProxy(Rtnl netlink, Sysctls sysctl) {
        this(netlink, netlink, sysctl);
    }

    private NetlinkNdpProxy(Rtnl netlink, Rtnl dumps, Sysctls sysctl) {
        this.netlink = netlink;
        this.dumps = dumps;
        this.sysctl = sysctl;
    }

    /** One link, address and IPv6 route dump, through the one rule ({@link OnLinkPrefixes}). */
    @Override
    public List<OnLink> onLink() {
        return OnLinkPrefixes.of(dumps.links(), dumps.addresses(), dumps.routes(RtNetlink.AF_INET6)).stream()
                .map(o -> new OnLink(o.link().name(), o.prefix())).toList();
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
        for (ProxyNeighbour p : dumps.proxyNeighbours(RtNetlink.AF_INET6)) {
            Optional<Link> link = p.index() == 0 ? Optional.empty() : links.computeIfAbsent(p.index(), dumps::link);
            if (link.isPresent()) {
                (p.protocol() == PROTOCOL ? berths : foreign).add(new Entry(link.get().name(), p.address()));
            }
        }
        return new Entries(berths, foreign);
    }
}
