package dev.berth.daemon.onlink;

import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.IpPrefix;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.Route;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The IPv6 prefixes on-link at the host's interfaces, as the kernel itself decides what is on-link:
 * for each interface,
 * <ul>
 *   <li>the prefix of each of its global-scope IPv6 addresses (ULA included: scope is what the kernel
 *       reports) that did not fail duplicate address detection; the kernel installs the prefix
 *       route with it, and NetworkManager installs it itself for its {@code noprefixroute}
 *       addresses; a tentative address counts, its route is there already;</li>
 *   <li>the destination of each of its main-table IPv6 routes without a gateway: the on-link
 *       prefix a router advertisement announces beside a DHCPv6 /128 ({@code proto ra}), or a
 *       {@code ip -6 route add PREFIX dev eth0} by hand;</li>
 * </ul>
 * each between /1 and /127 (a /128 holds no subnet, a /0 is "everything", not a LAN), neither
 * link-local nor multicast, host bits cleared, each once, in link order.
 *
 * <p>Left out: loopback, and Berth's own devices, whose prefixes are its networks' subnets and
 * never a LAN: the bridges it created (device group {@link DeviceNames#OWNED_BRIDGE_GROUP}), links
 * it is deleting ({@link DeviceNames#RETIRED_LINK_GROUP}) and the ports of either. A bridge of the
 * user's that a network uses ({@code com.docker.network.bridge.name}) stays in: it may carry the LAN
 * as well, and the prefix of the network's own gateway there is never a proper superset of a
 * Berth subnet (networks do not overlap), so it serves nothing.
 */
public final class OnLinkPrefixes {
    private static final int RT_SCOPE_UNIVERSE = 0;

    private OnLinkPrefixes() {
    }

    /**
     * The on-link prefixes of one look at the host namespace.
     *
     * @param links     every link
     * @param addresses every address (other families are skipped)
     * @param routes6   the main table's IPv6 routes (other families are skipped)
     */
    public static List<OnLinkPrefix> of(List<Link> links, List<Address> addresses, List<Route> routes6) {
        Set<Integer> berths = links.stream().filter(l -> l.group() == DeviceNames.OWNED_BRIDGE_GROUP
                || l.group() == DeviceNames.RETIRED_LINK_GROUP).map(Link::index).collect(Collectors.toSet());
        Set<OnLinkPrefix> out = new LinkedHashSet<>();
        for (Link link : links) {
            if (isLoopback(link) || berths.contains(link.index()) || berths.contains(link.masterIndex())) {
                continue;
            }
            for (Address a : addresses) {
                if (a.index() == link.index() && a.scope() == RT_SCOPE_UNIVERSE
                        && (a.flags() & Address.FLAG_DADFAILED) == 0) {
                    add(out, link, a.address(), a.prefixLength());
                }
            }
            for (Route r : routes6) {
                if (r.outIndex() == link.index() && r.gateway() == null && r.destination() != null) {
                    add(out, link, r.destination(), r.prefixLength());
                }
            }
        }
        return List.copyOf(out);
    }

    private static boolean isLoopback(Link link) {
        return link.name().equals("lo");
    }

    private static void add(Set<OnLinkPrefix> out, Link link, InetAddress address, int length) {
        if (address instanceof Inet6Address && length > 0 && length < 128 && !address.isLinkLocalAddress()
                && !address.isMulticastAddress() && !address.isLoopbackAddress()) {
            out.add(new OnLinkPrefix(link, new IpPrefix(address, length).masked()));
        }
    }

    /** The narrowest of {@code onLink} that serves {@code subnet} ({@link OnLinkPrefix#serves}), if one does. */
    public static Optional<OnLinkPrefix> serving(List<OnLinkPrefix> onLink, IpPrefix subnet) {
        return onLink.stream().filter(o -> o.serves(subnet))
                .max((a, b) -> Integer.compare(a.prefix().length(), b.prefix().length()));
    }
}
