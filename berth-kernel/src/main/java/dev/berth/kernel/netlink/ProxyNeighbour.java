package dev.berth.kernel.netlink;

import java.net.InetAddress;

/**
 * A proxy neighbour entry (NTF_PROXY): the kernel answers NDP/ARP for {@code address} on {@code index}.
 *
 * @param protocol NDA_PROTOCOL, who made the entry (0 when nobody said); the kernel stores it and
 *                 reports it back, so a program can mark its own entries ({@code ip neigh ... proto N})
 */
public record ProxyNeighbour(int index, InetAddress address, int protocol) {
    /** An entry without a protocol mark. */
    public ProxyNeighbour(int index, InetAddress address) {
        this(index, address, 0);
    }
}
