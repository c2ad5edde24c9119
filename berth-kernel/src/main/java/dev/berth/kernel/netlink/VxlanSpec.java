package dev.berth.kernel.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A VXLAN device to create ({@code ip link add NAME type vxlan id VNI local LOCAL dstport PORT
 * nolearning proxy}): no multicast group and no learning, so the forwarding table holds only the
 * static entries the caller programs, and with {@code proxy} the device answers ARP and neighbour
 * solicitations from its neighbour table instead of flooding them.
 *
 * @param vni   the VXLAN network identifier, 1..16777215
 * @param local the underlay address the tunnel's packets come from (IPv4 or IPv6)
 * @param port  the UDP destination port (IANA's and Docker's: 4789)
 * @param mtu   0 keeps the kernel's default
 * @param group device group (IFLA_GROUP), 0 for the default
 */
public record VxlanSpec(String name, int vni, InetAddress local, int port, int mtu, int group) {
    public static final int IANA_PORT = 4789;

    public VxlanSpec {
        IfNames.check(name);
        if (vni < 1 || vni > 0xffffff) {
            throw new IllegalArgumentException("VNI out of range for " + name + ": " + vni);
        }
        Objects.requireNonNull(local, "local");
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException("UDP port out of range for " + name + ": " + port);
        }
        if (mtu < 0) {
            throw new IllegalArgumentException("negative MTU for " + name + ": " + mtu);
        }
    }

    boolean ipv4() {
        return local instanceof Inet4Address;
    }
}
