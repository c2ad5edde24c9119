package dev.berth.daemon.doctor;

import dev.berth.core.model.Endpoint;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.daemon.onlink.OnLinkPrefix;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.ProxyNeighbour;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * NDP proxy for networks whose global subnet is a slice of an on-link prefix of a host interface
 * (the LAN's /64; {@link HostView#onLink}, the rule Berth's NDP proxy follows) and whose addresses must be reached on their own ({@link Desired#reachedDirectly}):
 * the LAN's router finds those addresses by neighbour solicitation on that interface, and only the
 * host can answer. {@code ipv6-proxy-ndp}: {@code proxy_ndp} is off there.
 * {@code ipv6-proxy-ndp-entry}: a sandbox address has no proxy neighbour entry on it (Berth adds
 * them itself with daemon.json {@code "ndp-proxy": "auto"}, the default; this finds the hosts where
 * the setting or something else keeps them away).
 */
final class ProxyNdpCheck implements Check {
    static final String ID = "ipv6-proxy-ndp";
    static final String ID_ENTRY = "ipv6-proxy-ndp-entry";

    @Override
    public List<Finding> run(HostView host) {
        Map<Link, List<Network>> byLink = new LinkedHashMap<>();
        List<Finding> entries = new ArrayList<>();
        for (Network n : host.desired().outbound()) {
            if (!Desired.reachedDirectly(n)) {
                continue;
            }
            for (IpPrefix subnet : Desired.globalSubnets(n)) {
                Optional<OnLinkPrefix> onLink = host.onLink(subnet);
                if (onLink.isPresent()) {
                    byLink.computeIfAbsent(onLink.get().link(), l -> new ArrayList<>()).add(n);
                    entries(host, n, subnet, onLink.get().link()).ifPresent(entries::add);
                }
            }
        }
        if (byLink.isEmpty()) {
            return List.of(Finding.ok(ID, "", "no routed network lies in an on-link prefix: NDP proxy is not needed"));
        }
        List<Finding> out = new ArrayList<>();
        byLink.forEach((link, networks) -> out.add(sysctl(host, link, networks)));
        out.addAll(entries);
        return out;
    }

    private static Finding sysctl(HostView host, Link link, List<Network> networks) {
        String name = link.name();
        String key = SysctlFix.ipv6(name, "proxy_ndp");
        String found = "networks " + Desired.names(networks) + " lie in an on-link prefix of " + name;
        if (host.on(key) || host.on("net/ipv6/conf/all/proxy_ndp")) {
            return Finding.ok(ID, name, found + " and proxy_ndp is on there");
        }
        return new Finding(ID, Severity.ERROR, name, found + ", but " + SysctlFix.name(key) + " is 0",
                "Hosts and the router on " + name + "'s LAN find these sandboxes' addresses by neighbour "
                        + "solicitation; with proxy_ndp off this host does not answer for them, so nothing from "
                        + "the LAN or beyond reaches the sandboxes.", SysctlFix.set(key, "1"));
    }

    private static Optional<Finding> entries(HostView host, Network n, IpPrefix subnet, Link link) {
        List<InetAddress> missing = host.desired().endpointsOf(n).stream().map(Endpoint::ipv6)
                .filter(a -> a != null && subnet.contains(a.address())).map(IpPrefix::address)
                .filter(a -> host.proxies6().stream().noneMatch(p -> p.index() == link.index() && p.address().equals(a)))
                .toList(); // any entry counts, Berth's (marked with its protocol) or one made by hand
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        List<String> addresses = missing.stream().map(IpAddresses::format).toList();
        return Optional.of(new Finding(ID_ENTRY, Severity.ERROR, n.name(), "no proxy neighbour entry on "
                + link.name() + " for " + String.join(", ", addresses) + " (sandboxes of network " + n.name() + ")",
                "With proxy_ndp on, the kernel answers neighbour solicitations only for addresses that have a proxy "
                        + "entry: these sandboxes cannot be reached from the LAN.",
                fixes(addresses, link.name())));
    }

    /** Berth's own way first (its entries come back with every reconcile), then the manual commands. */
    private static List<String> fixes(List<String> addresses, String device) {
        List<String> fix = new ArrayList<>();
        fix.add("# Berth adds these entries itself unless daemon.json has \"ndp-proxy\": false or a list without "
                + device + ": set \"ndp-proxy\": \"auto\" and reload (kill -HUP <berthd pid>); or add them by hand:");
        addresses.forEach(a -> fix.add("ip -6 neigh add proxy " + a + " dev " + device));
        return fix;
    }
}
