package dev.berth.daemon.doctor;

import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.daemon.onlink.OnLinkPrefix;
import dev.berth.daemon.onlink.OnLinkPrefixes;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.ProxyNeighbour;
import dev.berth.kernel.netlink.Route;
import java.net.Inet6Address;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One look at the daemon's host namespace, and at what the store says, taken once per doctor run
 * and shared by every {@link Check}. Dumps are read up front; sysctls and files are read when a
 * check asks, through the two functions (a fake in tests). {@link HostReader} makes the real one.
 *
 * @param links         every link of the host namespace
 * @param addresses     every address, both families
 * @param routes6       the IPv6 routes of the main table
 * @param proxies6      the IPv6 proxy neighbour entries
 * @param sysctls       a sysctl's value by slash key ({@code net/ipv6/conf/eth0/accept_ra}); empty
 *                      when the kernel has no such key
 * @param files         whether a path (under {@code /proc}, {@code /sys}) exists
 * @param nftablesError why nftables cannot be used, empty when it can
 * @param desired       what the store says
 */
public record HostView(List<Link> links, List<Address> addresses, List<Route> routes6, List<ProxyNeighbour> proxies6,
                       Function<String, Optional<String>> sysctls, Predicate<String> files,
                       Optional<String> nftablesError, Desired desired) {

    public HostView {
        links = List.copyOf(links);
        addresses = List.copyOf(addresses);
        routes6 = List.copyOf(routes6);
        proxies6 = List.copyOf(proxies6);
    }

    Optional<String> sysctl(String slashKey) {
        return sysctls.apply(slashKey);
    }

    /** Whether the sysctl reads as {@code 1}. */
    boolean on(String slashKey) {
        return sysctl(slashKey).map("1"::equals).orElse(false);
    }

    boolean exists(String path) {
        return files.test(path);
    }

    /** Whether the kernel has IPv6 at all. */
    boolean hasIpv6() {
        return exists("/proc/net/if_inet6");
    }

    Optional<Link> link(int index) {
        return links.stream().filter(l -> l.index() == index).findFirst();
    }

    /** The IPv6 default routes of the main table, with an outgoing interface, in the kernel's order. */
    List<Route> defaultRoutes6() {
        return routes6.stream().filter(r -> r.isDefault() && r.outIndex() > 0).toList();
    }

    /** The first IPv6 default route: the one the kernel prefers. */
    Optional<Route> defaultRoute6() {
        return defaultRoutes6().stream().findFirst();
    }

    /** The interface of the IPv6 default route. */
    Optional<Link> uplink6() {
        return defaultRoute6().flatMap(r -> link(r.outIndex()));
    }

    /** Usable global IPv6 addresses of a link (not tentative, not failed DAD). */
    List<Address> globalAddresses(Link link) {
        return addresses.stream().filter(a -> a.index() == link.index() && Ipv6.isGlobal(a.address())
                && !a.tentative() && (a.flags() & Address.FLAG_DADFAILED) == 0).toList();
    }

    /** The IPv6 addresses of a link, any scope. */
    List<Address> addresses6(Link link) {
        return addresses.stream().filter(a -> a.index() == link.index() && a.address() instanceof Inet6Address).toList();
    }

    /**
     * The IPv6 prefixes on-link at the host's interfaces, by the rule the NDP proxy applies as well
     * ({@link OnLinkPrefixes}): the prefixes of addresses and of routes without a gateway, not on
     * Berth's own devices. ULA prefixes are among them; a check about global ones filters.
     */
    List<OnLinkPrefix> onLinkPrefixes() {
        return OnLinkPrefixes.of(links, addresses, routes6);
    }

    /**
     * The on-link prefix that serves {@code subnet} by NDP proxy (the subnet is a proper slice of
     * it, as the NDP proxy requires), the narrowest if several do.
     */
    Optional<OnLinkPrefix> onLink(IpPrefix subnet) {
        return OnLinkPrefixes.serving(onLinkPrefixes(), subnet);
    }

    /** Addresses in text form, {@code a/len, b/len}. */
    static String text(List<Address> addresses) {
        return String.join(", ", addresses.stream()
                .map(a -> IpAddresses.format(a.address()) + "/" + a.prefixLength()).toList());
    }
}
