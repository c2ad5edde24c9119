package dev.berth.kernel.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An address to add to an interface.
 *
 * @param noDad IPv6 only: skip duplicate address detection, so the address is usable at once
 *              instead of "tentative" for a second or more
 */
public record AddressSpec(int index, InetAddress address, int prefixLength, boolean noDad) {
    public AddressSpec {
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + address);
        }
        if (index <= 0) {
            throw new IllegalArgumentException("interface index must be positive: " + index);
        }
    }
}
