package dev.berth.daemon.onlink;

import dev.berth.core.model.IpPrefix;
import dev.berth.kernel.netlink.Link;
import java.util.Objects;

/**
 * An IPv6 prefix that is on-link at a host interface: the host reaches every address in it
 * directly on {@code link}, and its neighbours there take it for their own LAN.
 *
 * @param link   the interface
 * @param prefix the prefix, host bits cleared
 */
public record OnLinkPrefix(Link link, IpPrefix prefix) {
    public OnLinkPrefix {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(prefix, "prefix");
    }

    /** Whether this prefix can serve {@code subnet} by NDP proxy: the subnet is a proper slice of it. */
    public boolean serves(IpPrefix subnet) {
        return prefix.properlyContains(subnet);
    }

    @Override
    public String toString() {
        return prefix + " on " + link.name();
    }
}
