package dev.berth.daemon.doctor;

import dev.berth.core.model.IpPrefix;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Which IPv6 addresses and prefixes the doctor treats as global, and prefix containment. */
final class Ipv6 {
    static final IpPrefix ULA = IpPrefix.parse("fc00::/7");
    private static final IpPrefix LINK_LOCAL = IpPrefix.parse("fe80::/10");
    private static final IpPrefix MULTICAST = IpPrefix.parse("ff00::/8");

    private Ipv6() {}

    /**
     * An IPv6 address others can route to: not ULA, link-local, multicast, loopback or
     * unspecified. Documentation prefixes (2001:db8::/32) count as global, so tests can use them.
     */
    static boolean isGlobal(InetAddress address) {
        return address instanceof Inet6Address && !ULA.contains(address) && !LINK_LOCAL.contains(address)
                && !MULTICAST.contains(address) && !address.isLoopbackAddress() && !address.isAnyLocalAddress();
    }

    static boolean isGlobal(IpPrefix prefix) {
        return isGlobal(prefix.address());
    }

    /** Whether {@code inner} lies wholly inside {@code outer}. */
    static boolean within(IpPrefix inner, IpPrefix outer) {
        return inner.bits() == outer.bits() && outer.length() <= inner.length() && outer.contains(inner.address());
    }
}
