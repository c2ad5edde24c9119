package dev.berth.kernel.netlink;

import java.net.InetAddress;

/**
 * A neighbour-table entry of one device, as a dump reports it: an IP neighbour ({@code ip neigh})
 * with its MAC, or a VXLAN forwarding entry ({@code bridge fdb ... self}) whose {@code address}
 * is the remote tunnel end ({@code null} when it has none).
 *
 * @param state NUD_* (NUD_PERMANENT = 0x80 for static entries)
 */
public record StaticNeighbour(int index, InetAddress address, String mac, int state) {
}
