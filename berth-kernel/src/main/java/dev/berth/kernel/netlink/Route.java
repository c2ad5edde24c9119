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
 * @param protocol    who installed it: 2 kernel, 3 boot, 4 static...
 * @param family      2 (AF_INET) or 10 (AF_INET6)
 */
public record Route(InetAddress destination, int prefixLength, InetAddress gateway, int outIndex, int table, int scope,
                    int protocol, int family) {
    public boolean isDefault() {
        return prefixLength == 0;
    }
}
