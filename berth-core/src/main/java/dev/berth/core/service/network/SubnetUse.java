package dev.berth.core.service.network;

import dev.berth.core.model.IpPrefix;
import java.util.List;
import java.util.Optional;

/**
 * Subnets no network can use, because the kernel refuses their addresses on a bridge or they would
 * shadow the host's own: multicast and loopback in both families, the unspecified IPv6 address,
 * and IPv6 prefixes that clash with the link-local {@code fe80::/64} (moby's
 * {@code validateIPv6Subnet}, whose wording the messages follow). moby checks only the IPv6 ones;
 * it lets the kernel fail on the others, which it answers with a 500.
 */
final class SubnetUse {
    private static final IpPrefix LINK_LOCAL = IpPrefix.parse("fe80::/64");

    /** A range of addresses that may not appear in a subnet, and what to call it. */
    private record Forbidden(IpPrefix range, String kind) {
    }

    private static final List<Forbidden> FORBIDDEN = List.of(
            new Forbidden(IpPrefix.parse("224.0.0.0/4"), "multicast"),
            new Forbidden(IpPrefix.parse("127.0.0.0/8"), "loopback"),
            new Forbidden(IpPrefix.parse("ff00::/8"), "multicast"),
            new Forbidden(IpPrefix.parse("::1/128"), "loopback"),
            new Forbidden(IpPrefix.parse("::/128"), "unspecified"));

    private SubnetUse() {
    }

    /** Why the (masked) subnet cannot be a network's, or empty when it can. */
    static Optional<String> problem(IpPrefix subnet) {
        for (Forbidden f : FORBIDDEN) {
            if (subnet.overlaps(f.range())) {
                return Optional.of(f.kind() + " subnet '" + subnet + "' is not allowed");
            }
        }
        if (!subnet.isIpv4() && !subnet.equals(LINK_LOCAL) && subnet.overlaps(LINK_LOCAL)) {
            return Optional.of("'" + subnet + "' clashes with the Link-Local prefix 'fe80::/64'");
        }
        return Optional.empty();
    }
}
