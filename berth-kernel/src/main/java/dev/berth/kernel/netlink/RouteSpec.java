package dev.berth.kernel.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * A route in the main table to add or delete.
 *
 * @param destination null for the default route
 * @param gateway     null for a directly connected route (then {@code outIndex} should be set)
 * @param outIndex    0 for none
 * @param family      {@link RtNetlink#AF_INET} or {@link RtNetlink#AF_INET6}; must match the addresses
 */
public record RouteSpec(InetAddress destination, int prefixLength, InetAddress gateway, int outIndex, int family) {
    public RouteSpec {
        if (family != RtNetlink.AF_INET && family != RtNetlink.AF_INET6) {
            throw new IllegalArgumentException("route family must be AF_INET (2) or AF_INET6 (10): " + family);
        }
        int max = family == RtNetlink.AF_INET ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max || (destination == null && prefixLength != 0)) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " invalid for " + destination);
        }
        checkFamily(destination, family, "destination");
        checkFamily(gateway, family, "gateway");
        if (gateway == null && outIndex <= 0) {
            throw new IllegalArgumentException("route to " + destination + " needs a gateway or an interface");
        }
    }

    /** The default route via a gateway. */
    public static RouteSpec defaultVia(InetAddress gateway) {
        return new RouteSpec(null, 0, gateway, 0, familyOf(gateway));
    }

    static int familyOf(InetAddress a) {
        return a instanceof Inet4Address ? RtNetlink.AF_INET : RtNetlink.AF_INET6;
    }

    private static void checkFamily(InetAddress a, int family, String what) {
        if (a != null && familyOf(a) != family) {
            throw new IllegalArgumentException(what + " " + a.getHostAddress() + " is not of family " + family);
        }
    }
}
