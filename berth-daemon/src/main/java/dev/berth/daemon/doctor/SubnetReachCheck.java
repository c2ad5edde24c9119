package dev.berth.daemon.doctor;

import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import dev.berth.core.model.PredefinedNetworks;
import dev.berth.daemon.onlink.OnLinkPrefix;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ipv6-subnet-unrouted}: a network whose IPv6 addresses must be reached on their own
 * ({@link Desired#reachedDirectly}: routed, unprotected, or not masqueraded) has a global subnet
 * that no on-link prefix of a host interface serves ({@link HostView#onLink}: the subnet is a proper
 * slice of it, the NDP proxy's rule). NDP proxy cannot help, so packets for it reach this host only
 * if the upstream router routes the subnet here, which this host cannot see: a warning, with the
 * route the upstream needs and the ULA alternative. A subnet equal to an on-link prefix (the
 * LAN's whole /64) gets its own words: a slice of that prefix is what works.
 */
final class SubnetReachCheck implements Check {
    static final String ID = "ipv6-subnet-unrouted";
    @Override
    public List<Finding> run(HostView host) {
        List<Finding> out = new ArrayList<>();
        int checked = 0;
        for (Network n : host.desired().outbound()) {
            if (!Desired.reachedDirectly(n)) {
                continue;
            }
            for (IpPrefix subnet : Desired.globalSubnets(n)) {
                checked++;
                if (host.onLink(subnet).isEmpty()) {
                    out.add(finding(host, n, subnet));
                }
            }
        }
        if (out.isEmpty()) {
            return List.of(Finding.ok(ID, "", checked == 0 ? "no routed network has a global IPv6 subnet"
                    : "every global IPv6 subnet of a routed network lies in an on-link prefix"));
        }
        return out;
    }

    private Finding finding(HostView host, Network n, IpPrefix subnet) {
        List<OnLinkPrefix> global = host.onLinkPrefixes().stream().filter(o -> Ipv6.isGlobal(o.prefix())).toList();
        Optional<OnLinkPrefix> same = global.stream().filter(o -> o.prefix().equals(subnet)).findFirst();
        if (same.isPresent()) {
            return wholePrefix(n, subnet, same.get());
        }
        String onLink = String.join(", ", global.stream().map(OnLinkPrefix::toString).toList());
        String via = host.uplink6().map(host::globalAddresses).filter(a -> !a.isEmpty())
                .map(a -> IpAddresses.format(a.getFirst().address()))
                .orElse("THIS-HOST-ADDRESS");
        return new Finding(ID, Severity.WARNING, n.name(), "network " + n.name() + " (" + Desired.mode6(n)
                + ") has the global subnet " + subnet + ", which lies in no on-link prefix of this host"
                + (onLink.isEmpty() ? "" : " (" + onLink + ")"),
                "No host on the LAN answers neighbour solicitations for these addresses and NDP proxy cannot help, "
                        + "so traffic to them, replies included, comes back only if the upstream router routes "
                        + subnet + " to this host. Berth cannot see the upstream's routes: if it does, ignore this.",
                List.of("# on the upstream router:",
                        "ip -6 route add " + subnet + " via " + via,
                        "# or use a ULA subnet, which Berth masquerades:",
                        host.desired().ulaNetworkCommand()));
    }

    /**
     * The subnet is an on-link prefix itself: the host would have two routes to it (the LAN's and
     * the bridge's) and the NDP proxy adds no entries for it. A slice of it works: the last /80 of
     * a /64 (away from the addresses hosts usually take), 16 bits longer in general.
     */
    private static Finding wholePrefix(Network n, IpPrefix subnet, OnLinkPrefix lan) {
        String device = lan.link().name();
        Optional<IpPrefix> slice = slice(subnet);
        List<String> fix = new ArrayList<>();
        if (slice.isPresent()) {
            fix.add("# give the network a slice of " + subnet + ", such as " + slice.get()
                    + ", which Berth proxies on " + device + ":");
            if (n.isPredefined()) {
                fix.add("# in daemon.json: \"fixed-cidr-v6\": \"" + slice.get() + "\", then reload berthd:");
                fix.add("kill -HUP \"$(cat /run/berth/berthd.pid)\"");
            } else {
                fix.add("# the gateway mode and subnet are fixed when a network is made: recreate it (with its other"
                        + " options) and reconnect its sandboxes");
                fix.add("docker network rm " + n.name());
                fix.add("docker network create --ipv6 --subnet " + slice.get() + " -o "
                        + PredefinedNetworks.OPT_GATEWAY_MODE_IPV6 + "=" + Desired.mode6(n) + " " + n.name());
            }
        } else {
            fix.add("# on the upstream router, route a prefix to this host for the network");
        }
        return new Finding(ID, Severity.WARNING, n.name(), "network " + n.name() + " (" + Desired.mode6(n)
                + ") has the global subnet " + subnet + ", which is the on-link prefix of " + device + " itself",
                "NDP proxy answers the LAN for addresses in a slice of an on-link prefix, not for the whole of it: "
                        + "with the same prefix on " + device + " and on the network's bridge the host has two "
                        + "routes to it, so Berth adds no proxy entries, and the LAN reaches these sandboxes only if "
                        + "the upstream router routes " + subnet + " to this host.", fix);
    }

    /** The last subnet 16 bits longer than {@code prefix} (a /80 of a /64); none when no room is left for hosts. */
    static Optional<IpPrefix> slice(IpPrefix prefix) {
        int length = prefix.length() + 16;
        if (length > prefix.bits() - 8) {
            return Optional.empty();
        }
        BigInteger last = BigInteger.ONE.shiftLeft(16).subtract(BigInteger.ONE).shiftLeft(prefix.bits() - length);
        return Optional.of(new IpPrefix(prefix.masked().addressAt(last), length));
    }
}
