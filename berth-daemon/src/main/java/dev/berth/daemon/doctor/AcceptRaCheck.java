package dev.berth.daemon.doctor;

import dev.berth.core.model.IpAddresses;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ipv6-accept-ra}, the trap of moby#43466: an interface that learns the IPv6 default route
 * from router advertisements (route {@code proto ra}) stops listening to them once forwarding is
 * on, unless {@code accept_ra} is 2. The route is then not renewed and silently disappears when its
 * lifetime ends. An error when forwarding is on already (or {@code accept_ra} is 0); worth knowing
 * while it is off, since Berth sets {@code accept_ra=2} itself before it turns forwarding on but
 * other tools do not.
 */
final class AcceptRaCheck implements Check {
    static final String ID = "ipv6-accept-ra";

    @Override
    public List<Finding> run(HostView host) {
        if (!host.hasIpv6() || host.defaultRoutes6().isEmpty()) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        for (Route route : host.defaultRoutes6()) {
            Optional<Link> link = host.link(route.outIndex());
            if (route.protocol() == Route.PROTOCOL_RA && link.isPresent() && out.stream().noneMatch(
                    f -> f.subject().equals(link.get().name()))) {
                out.add(check(host, link.get(), route));
            }
        }
        if (out.isEmpty()) {
            return List.of(Finding.ok(ID, host.uplink6().map(Link::name).orElse(""),
                    "the IPv6 default route is not learned from router advertisements"));
        }
        return out;
    }

    private static Finding check(HostView host, Link link, Route route) {
        String name = link.name();
        String acceptRa = host.sysctl(SysctlFix.ipv6(name, "accept_ra")).orElse("1");
        String via = route.gateway() == null ? "" : " via " + IpAddresses.format(route.gateway());
        String found = name + " learns its IPv6 default route" + via + " from router advertisements (proto ra)";
        if (acceptRa.equals("2")) {
            return Finding.ok(ID, name, found + " and accept_ra is 2");
        }
        boolean forwarding = host.on(SysctlFix.ipv6(name, "forwarding")) || host.on("net/ipv6/conf/all/forwarding");
        List<String> fix = SysctlFix.set(SysctlFix.ipv6(name, "accept_ra"), "2");
        if (acceptRa.equals("0")) {
            return new Finding(ID, Severity.ERROR, name, found + ", but accept_ra is 0",
                    "Router advertisements are ignored on " + name + ": the default route is not renewed and "
                            + "disappears when its lifetime ends, and the host silently loses IPv6.", fix);
        }
        if (forwarding) {
            return new Finding(ID, Severity.ERROR, name, found + ", IPv6 forwarding is on and accept_ra is "
                    + acceptRa,
                    "With forwarding on, the kernel ignores router advertisements on an interface unless its "
                            + "accept_ra is 2: the default route is not renewed and disappears when its lifetime "
                            + "ends (often within 30 minutes), and the host silently loses IPv6.", fix);
        }
        return new Finding(ID, Severity.INFO, name, found + " and accept_ra is " + acceptRa
                + "; IPv6 forwarding is off",
                "Once IPv6 forwarding is on, the kernel ignores router advertisements on " + name + " unless "
                        + "accept_ra is 2, and the default route disappears when its lifetime ends. Berth sets "
                        + "accept_ra=2 on the uplinks before it turns forwarding on; other tools do not.", fix);
    }
}
