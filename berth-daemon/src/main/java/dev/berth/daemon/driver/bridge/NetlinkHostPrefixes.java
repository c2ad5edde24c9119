package dev.berth.daemon.driver.bridge;

import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.spi.HostPrefixes;
import dev.berth.kernel.netlink.Address;
import dev.berth.kernel.netlink.Route;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netlink.Rtnl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What automatic subnet choice must avoid on the daemon's host namespace, read afresh each time:
 * every non-default route's destination (connected LANs, VPNs, static routes), every global
 * address's subnet, and each nameserver of the host's resolv.conf. Docker looks only at
 * scope-link IPv4 routes and nameservers; Berth also avoids routed and IPv6 prefixes, so a new
 * network never shadows a destination the host can already reach.
 */
public final class NetlinkHostPrefixes implements HostPrefixes {
    private static final int RT_SCOPE_UNIVERSE = 0;
    private final Rtnl netlink;
    private final Path resolvConf;

    public NetlinkHostPrefixes(Rtnl netlink, Path resolvConf) {
        this.netlink = netlink;
        this.resolvConf = resolvConf;
    }

    @Override
    public List<IpPrefix> reserved() {
        List<IpPrefix> out = new ArrayList<>();
        for (int family : new int[] {RtNetlink.AF_INET, RtNetlink.AF_INET6}) {
            for (Route r : netlink.routes(family)) {
                if (r.destination() != null && r.prefixLength() > 0 && !r.destination().isLinkLocalAddress()
                        && !r.destination().isMulticastAddress()) {
                    out.add(new IpPrefix(r.destination(), r.prefixLength()).masked());
                }
            }
        }
        for (Address a : netlink.addresses()) {
            if (a.scope() == RT_SCOPE_UNIVERSE) {
                out.add(new IpPrefix(a.address(), a.prefixLength()).masked());
            }
        }
        out.addAll(nameservers());
        return out;
    }

    private List<IpPrefix> nameservers() {
        List<IpPrefix> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(resolvConf)) {
                String[] words = line.trim().split("\\s+");
                if (words.length >= 2 && words[0].equals("nameserver")) {
                    try {
                        var address = IpAddresses.parse(words[1]);
                        out.add(new IpPrefix(address, address.getAddress().length * 8));
                    } catch (RuntimeException e) {
                        // A nameserver with a zone or in another odd form reserves nothing.
                    }
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
