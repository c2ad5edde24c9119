package dev.berth.daemon.doctor;

import dev.berth.core.model.Network;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code forwarding-ipv4} and {@code forwarding-ipv6}: the host routes between its bridges and its
 * uplinks. Berth turns IPv4 forwarding on when a sandbox joins a network that needs it and IPv6
 * forwarding when an IPv6 network is made, but does not notice when something turns it off again
 * later. Off while a network needs it is an error; off while none does yet, worth knowing.
 */
final class ForwardingCheck implements Check {
    static final String ID_V4 = "forwarding-ipv4";
    static final String ID_V6 = "forwarding-ipv6";
    private static final String WHY = "The host does not route between its bridges and its uplinks: sandboxes on "
            + "these networks reach nothing beyond their own bridge, and nothing from outside (published ports "
            + "included) reaches them.";

    @Override
    public List<Finding> run(HostView host) {
        List<Finding> out = new ArrayList<>();
        // IPv4 forwarding goes on with the first endpoint, IPv6 forwarding with the first network.
        List<Network> v4 = host.desired().outbound().stream()
                .filter(n -> !Desired.subnets(n, false).isEmpty() && host.desired().hasEndpoints(n)).toList();
        out.add(family(host, ID_V4, "net/ipv4/ip_forward", v4, List.of(),
                "when a sandbox joins a network that needs it"));
        if (host.hasIpv6()) {
            List<Network> v6 = host.desired().outbound().stream().filter(n -> !Desired.subnets(n, true).isEmpty()).toList();
            out.add(family(host, ID_V6, "net/ipv6/conf/all/forwarding", v6, raFirst(host),
                    "when an IPv6 network is made"));
        }
        return out;
    }

    private static Finding family(HostView host, String id, String key, List<Network> needing, List<String> before,
                                  String when) {
        String value = host.sysctl(key).orElse("0");
        String name = SysctlFix.name(key);
        if (value.equals("1")) {
            return Finding.ok(id, "", name + " is 1");
        }
        if (needing.isEmpty()) {
            return new Finding(id, Severity.INFO, "", name + " is " + value + "; no network needs it yet",
                    "Berth turns it on " + when + ".", List.of());
        }
        List<String> fix = new ArrayList<>(before);
        fix.addAll(SysctlFix.set(key, "1"));
        return new Finding(id, Severity.ERROR, "", name + " is " + value + " while networks " + Desired.names(needing)
                + " need it", WHY, fix);
    }

    /**
     * Turning IPv6 forwarding on makes an uplink with {@code accept_ra=1} ignore router
     * advertisements: the fix sets {@code accept_ra=2} there first, as Berth itself does.
     */
    private static List<String> raFirst(HostView host) {
        List<String> out = new ArrayList<>();
        for (Route r : host.defaultRoutes6()) {
            Optional<Link> link = host.link(r.outIndex());
            if (r.protocol() == Route.PROTOCOL_RA && link.isPresent()) {
                String key = SysctlFix.ipv6(link.get().name(), "accept_ra");
                if (!host.sysctl(key).orElse("2").equals("2") && !out.contains(SysctlFix.set(key, "2").getFirst())) {
                    out.addAll(SysctlFix.set(key, "2"));
                }
            }
        }
        return out;
    }
}
