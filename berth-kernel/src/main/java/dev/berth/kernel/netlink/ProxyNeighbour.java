package dev.berth.kernel.netlink;

import java.net.InetAddress;

/** A proxy neighbour entry (NTF_PROXY): the kernel answers NDP/ARP for {@code address} on {@code index}. */
public record ProxyNeighbour(int index, InetAddress address) {}
