package dev.berth.daemon.driver.bridge;

import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.Rtnl;
import dev.berth.kernel.sysctl.Sysctls;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns on IP forwarding in the daemon's own (host) namespace, as Docker does: IPv4 once a v4
 * network has endpoints, IPv6 once a v6 network exists. Only the calling thread's namespace is
 * written, which is the daemon's: it never enters another namespace on these threads.
 *
 * <p>Kernel quirk: with {@code forwarding=1} an interface with {@code accept_ra=1} ignores router
 * advertisements, so a host that got its IPv6 default route by RA would lose it when the route
 * expires. Every uplink with {@code accept_ra=1} is set to {@code 2} (accept even when forwarding)
 * before forwarding goes on.
 */
final class HostForwarding {
    private final Rtnl host;
    private final Sysctls sysctl;
    private volatile boolean ipv4;
    private volatile boolean ipv6;

    HostForwarding(Rtnl host, Sysctls sysctl) {
        this.host = host;
        this.sysctl = sysctl;
    }

    void ensureIpv4() {
        if (!ipv4) {
            if (!"1".equals(sysctl.read("net.ipv4.ip_forward"))) {
                sysctl.write("net.ipv4.ip_forward", "1");
            }
            ipv4 = true;
        }
    }

    void ensureIpv6() {
        if (ipv6 || !Files.isDirectory(Path.of("/proc/sys/net/ipv6/conf/all"))) {
            return;
        }
        if (!"1".equals(sysctl.read("net.ipv6.conf.all.forwarding"))) {
            for (Link link : host.links()) {
                // Bridges and their ports (sandbox veths) are not uplinks; a veth without a master may be.
                if (link.name().equals("lo") || "bridge".equals(link.kind()) || link.masterIndex() != 0) {
                    continue;
                }
                String key = "net/ipv6/conf/" + link.name() + "/accept_ra";
                if (Files.exists(Path.of("/proc/sys", key)) && "1".equals(sysctl.read(key))) {
                    sysctl.write(key, "2");
                }
            }
            sysctl.write("net.ipv6.conf.default.forwarding", "1");
            sysctl.write("net.ipv6.conf.all.forwarding", "1");
        }
        ipv6 = true;
    }
}
