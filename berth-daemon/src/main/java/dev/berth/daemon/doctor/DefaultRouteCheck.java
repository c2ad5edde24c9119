package dev.berth.daemon.doctor;

import dev.berth.core.model.IpAddresses;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.Route;
import java.util.List;

/**
 * {@code ipv6-default-route}: the host has an IPv6 default route; its interface is the uplink the
 * other IPv6 checks look at. Missing is a warning when a network wants to reach beyond the host
 * over IPv6, else only worth knowing.
 */
final class DefaultRouteCheck implements Check {
    static final String ID = "ipv6-default-route";

    @Override
    public List<Finding> run(HostView host) {
        if (!host.hasIpv6()) {
            return List.of();
        }
        if (host.defaultRoute6().isEmpty() || host.uplink6().isEmpty()) {
            boolean wanted = host.desired().outbound().stream().anyMatch(n -> !Desired.subnets(n, true).isEmpty());
            return List.of(new Finding(ID, wanted ? Severity.WARNING : Severity.INFO, "",
                    "the host has no IPv6 default route (main table), so no IPv6 uplink",
                    "Sandboxes on IPv6 networks reach nothing beyond this host's own links over IPv6, and the "
                            + "other IPv6 checks have no uplink to look at.",
                    List.of("ip -6 route add default via ROUTER-ADDRESS dev INTERFACE",
                            "# or, to learn it from router advertisements:",
                            "sysctl -w net.ipv6.conf.INTERFACE.accept_ra=2")));
        }
        Route route = host.defaultRoute6().get();
        Link uplink = host.uplink6().get();
        String via = route.gateway() == null ? "" : " via " + IpAddresses.format(route.gateway());
        return List.of(Finding.ok(ID, uplink.name(), "IPv6 default route" + via + " dev " + uplink.name()
                + " (" + protocol(route.protocol()) + ")"));
    }

    /** A route's protocol as {@code ip route} names it. */
    static String protocol(int protocol) {
        return "proto " + switch (protocol) {
            case Route.PROTOCOL_KERNEL -> "kernel";
            case Route.PROTOCOL_BOOT -> "boot";
            case Route.PROTOCOL_STATIC -> "static";
            case Route.PROTOCOL_RA -> "ra";
            case Route.PROTOCOL_DHCP -> "dhcp";
            default -> Integer.toString(protocol);
        };
    }
}
