package dev.berth.kernel.nftables;

import java.util.Locale;

/** The address family of a table; {@code inet} serves IPv4 and IPv6 with one ruleset. */
public enum NftFamily {
    IP, IP6, INET, ARP, BRIDGE, NETDEV;

    /** The keyword nft uses, e.g. {@code inet}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
