package dev.berth.daemon.doctor;

import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ipv6-subnet-unrouted}: a network whose IPv6 addresses must be reached on their own
 * ({@link Desired#reachedDirectly}: routed, unprotected, or not masqueraded) has a global subnet
 * that lies in no on-link prefix of a host interface. NDP proxy cannot help, so packets for it
 * reach this host only if the upstream router routes the subnet here, which this host cannot
 * see: a warning, with the route the upstream needs and the ULA alternative.
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
        String onLink = String.join(", ", host.onLinkPrefixes().stream().map(HostView.OnLink::toString).toList());
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
}
