package dev.berth.kernel.netlink;

import java.util.Objects;

/**
 * A bridge to create.
 *
 * @param mtu               0 keeps the kernel default
 * @param mac               null lets the kernel pick a random one
 * @param multicastSnooping the kernel default (on); off floods multicast like broadcast, and
 *                          spares every port add and remove a pass over every port's multicast
 *                          timers
 * @param group             device group (IFLA_GROUP); 0 leaves the default group. The kernel
 *                          applies it within the creating RTM_NEWLINK, so the bridge never exists
 *                          without it (IFLA_IFALIAS, by contrast, is ignored on creation)
 */
public record BridgeSpec(String name, int mtu, byte[] mac, boolean multicastSnooping, int group) {
    public BridgeSpec {
        IfNames.check(name);
        if (mtu < 0) {
            throw new IllegalArgumentException("negative MTU for bridge " + name + ": " + mtu);
        }
        Mac.check(mac);
        mac = mac == null ? null : mac.clone();
    }

    /** In the default device group. */
    public BridgeSpec(String name, int mtu, byte[] mac, boolean multicastSnooping) {
        this(name, mtu, mac, multicastSnooping, 0);
    }

    /** With the kernel's default multicast snooping. */
    public BridgeSpec(String name, int mtu, byte[] mac) {
        this(name, mtu, mac, true);
    }

    public static BridgeSpec named(String name) {
        return new BridgeSpec(name, 0, null);
    }

    @Override
    public byte[] mac() {
        return mac == null ? null : mac.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BridgeSpec b && name.equals(b.name) && mtu == b.mtu && java.util.Arrays.equals(mac, b.mac)
                && multicastSnooping == b.multicastSnooping && group == b.group;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, mtu, java.util.Arrays.hashCode(mac), multicastSnooping, group);
    }

    @Override
    public String toString() {
        return "BridgeSpec[" + name + " mtu=" + mtu + " mac=" + Mac.format(mac)
                + (multicastSnooping ? "" : " mcast_snooping=0") + (group == 0 ? "" : " group=" + group) + "]";
    }
}
