package dev.berth.kernel.netlink;

import java.net.InetAddress;

/**
 * An interface address as RTM_GETADDR reports it.
 *
 * @param address IFA_LOCAL when present (IPv4), else IFA_ADDRESS (IPv6)
 * @param scope   0 global, 253 link, 254 host
 * @param flags   IFA_FLAGS (falls back to ifa_flags): 0x02 nodad, 0x40 tentative, 0x80 permanent...
 */
public record Address(int index, InetAddress address, int prefixLength, int scope, int flags) {
    public static final int FLAG_NODAD = 0x02;
    public static final int FLAG_DADFAILED = 0x08;
    public static final int FLAG_TENTATIVE = 0x40;
    public static final int FLAG_PERMANENT = 0x80;

    public boolean tentative() {
        return (flags & FLAG_TENTATIVE) != 0;
    }
}
