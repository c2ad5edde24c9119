package dev.berth.kernel.netlink;

import java.net.InetAddress;

/**
 * A route as RTM_GETROUTE reports it.
 *
 * @param destination null for a default route (prefix length 0)
 * @param gateway     null when directly connected
 * @param outIndex    RTA_OIF, 0 when absent
 * @param table       RTA_TABLE (254 is main)
 * @param scope       0 universe, 253 link, 254 host
 * @param protocol    who installed it (RTPROT_*): 2 kernel, 3 boot, 4 static, 9 a router advertisement...
 * @param family      2 (AF_INET) or 10 (AF_INET6)
 */
public record Route(InetAddress destination, int prefixLength, InetAddress gateway, int outIndex, int table, int scope,
                    int protocol, int family) {
    /** RTPROT_KERNEL: made by the kernel for an address's prefix. */
    public static final int PROTOCOL_KERNEL = 2;
    /** RTPROT_BOOT: added by hand ({@code ip route add} without {@code proto}). */
    public static final int PROTOCOL_BOOT = 3;
    /** RTPROT_STATIC: added by an administrator's tool. */
    public static final int PROTOCOL_STATIC = 4;
    /** RTPROT_RA: learned from a router advertisement (it expires unless the next one renews it). */
    public static final int PROTOCOL_RA = 9;
    /** RTPROT_DHCP. */
    public static final int PROTOCOL_DHCP = 16;

    public boolean isDefault() {
        return prefixLength == 0;
    }
}
